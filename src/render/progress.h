/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One self-overwriting status line on stderr for long scans: bytes done of
 * the mapped total, and the rate.  Only on a terminal, only for big work.
 */
#ifndef VP_PROGRESS_H
#define VP_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/* "Larger than a few GiB": smaller processes scan in well under a second. */
#define PROGRESS_MIN_BYTES (4ULL << 30)

struct progress {
	bool on;
	const char *verb;          /* "scanned", "captured" */
	uint64_t done, total;
	struct timespec start, last;
};

/*
 * Decide once: shown when allowed, stderr is a terminal and total is at
 * least PROGRESS_MIN_BYTES.  Off, progress_add and progress_end do nothing.
 */
void progress_begin(struct progress *p, const char *verb, uint64_t total, bool allowed);
/* A scan_opts.on_progress callback: bytes more are done; redraws at most 10 times a second. */
void progress_add(void *p, uint64_t bytes);
/* Erase the line (the command's own output follows). */
void progress_end(struct progress *p);
/* The line's text (pure, for the tests): "scanned 1G of 8G mapped (12%), 2G/s". */
void progress_text(char *buf, size_t size, const char *verb, uint64_t done, uint64_t total,
		   double seconds);

#endif
