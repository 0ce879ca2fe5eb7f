// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <unistd.h>

#include "lib/util.h"
#include "render/progress.h"

#define REDRAW_NS 100000000LL

static long long ns_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000000000LL + (b->tv_nsec - a->tv_nsec);
}

void progress_text(char *buf, size_t size, const char *verb, uint64_t done, uint64_t total,
		   double seconds)
{
	char d[32], t[32], r[32];
	/* [vsyscall] lies outside total_vm: never show more than 100% */
	uint64_t pct = total ? (done >= total ? 100 : done * 100 / total) : 100;

	format_size(d, sizeof(d), done);
	format_size(t, sizeof(t), total);
	if (seconds > 0.001)
		format_size(r, sizeof(r), (uint64_t)((double)done / seconds));
	else
		snprintf(r, sizeof(r), "-");
	snprintf(buf, size, "%s %s of %s mapped (%llu%%), %s/s", verb, d, t,
		 (unsigned long long)pct, r);
}

void progress_begin(struct progress *p, const char *verb, uint64_t total, bool allowed)
{
	p->on = allowed && total >= PROGRESS_MIN_BYTES && isatty(STDERR_FILENO);
	p->verb = verb;
	p->done = 0;
	p->total = total;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	p->last = p->start;
}

static void draw(struct progress *p, const struct timespec *now)
{
	char line[160];

	progress_text(line, sizeof(line), p->verb, p->done, p->total,
		      (double)ns_between(&p->start, now) / 1e9);
	/* \r and erase-to-end: the line overwrites itself */
	fprintf(stderr, "\rvfio-pinctl: %s\033[K", line);
	fflush(stderr);
	p->last = *now;
}

void progress_add(void *arg, uint64_t bytes)
{
	struct progress *p = arg;
	struct timespec now;

	if (!p->on)
		return;
	p->done += bytes;
	clock_gettime(CLOCK_MONOTONIC, &now);
	/* the first piece draws at once, then at most every 100 ms */
	if (p->last.tv_sec == p->start.tv_sec && p->last.tv_nsec == p->start.tv_nsec)
		draw(p, &now);
	else if (ns_between(&p->last, &now) >= REDRAW_NS)
		draw(p, &now);
}

void progress_end(struct progress *p)
{
	if (!p->on)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	p->on = false;
}
