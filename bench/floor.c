// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench/floor - the least work the kernel's interfaces allow for what
 * `vfio-pinctl inspect PID` reports, so bench/inspect can show where a
 * target lies beyond them.  It classifies nothing and prints one line of
 * counts; it only does the reads:
 *
 *   - /proc/PID/pagemap over every vma of /proc/PID/maps, 64K entries
 *     (512 KiB) per pread (the cost per entry stops falling there); where
 *     the PAGEMAP_SCAN ioctl works (6.7+), only over the populated ranges it
 *     returns, ranges less than 64 pages apart read as one, and a range it
 *     calls huge one entry per 2 MiB block, whose head and last pfn's flags
 *     are all inspect reads of it;
 *   - /proc/kpageflags for exactly the present pfns, in pfn order,
 *     one pread per run of pfns no more than 8 apart (what inspect reads);
 *   - with -s, /proc/PID/smaps read to the end by a second thread meanwhile
 *     (inspect needs its VmFlags and Locked: they exist nowhere else);
 *   - with -t 2, the kpageflags reads of each vma split between two
 *     threads by pfn (the second core).
 *
 * Like inspect, the pfns of a vma are gathered first and their flags read
 * in pfn order at its end.
 *
 * usage: floor [-s] [-t 1|2] [-n] PID      (-n: no PAGEMAP_SCAN)
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define BATCH   65536UL
#define WIN_GAP 8

/* uapi struct pm_scan_arg (6.7+) */
struct scan_arg {
	uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages;
	uint64_t category_inverted, category_mask, category_anyof_mask, return_mask;
};
struct scan_region {
	uint64_t start, end, categories;
};
#define PAGEMAP_SCAN_IOC _IOWR('f', 16, struct scan_arg)
#define IS_PRESENT (1ULL << 3)
#define IS_SWAPPED (1ULL << 4)
#define IS_HUGE    (1ULL << 6)
#define HUGE_2M    (2ULL << 20)
#define NREG 512
#define JOIN (64 * 4096ULL)

static char path_pagemap[64], path_smaps[64], path_maps[64];

/*
 * The present pfns of one vma, one bit each, so they are read in physical
 * order: a guest's pages lie anywhere in physical memory.
 */
static uint64_t *bits;
static size_t nwords;
static uint64_t lo_pfn = UINT64_MAX, hi_pfn;

static int set_pfn(uint64_t pfn)
{
	size_t w = pfn / 64;

	if (w >= nwords) {
		size_t n = (w + 1) * 2;
		uint64_t *b = realloc(bits, n * 8);

		if (!b)
			return -1;
		memset(b + nwords, 0, (n - nwords) * 8);
		bits = b;
		nwords = n;
	}
	bits[w] |= 1ULL << (pfn % 64);
	lo_pfn = pfn < lo_pfn ? pfn : lo_pfn;
	hi_pfn = pfn > hi_pfn ? pfn : hi_pfn;
	return 0;
}

struct kpf_job {
	int fd;
	uint64_t from, to;   /* pfn words [from, to) of the bitmap */
	uint64_t *buf;
	uint64_t reads, entries, pages, sum;
};

static void kpf_window(struct kpf_job *j, uint64_t first, uint64_t last)
{
	ssize_t got = pread(j->fd, j->buf, (last - first + 1) * 8, (off_t)(first * 8));

	if (got > 0)
		j->sum += j->buf[0];
	j->reads++;
	j->entries += got > 0 ? (uint64_t)got / 8 : 0;
}

/* One pread per window of set pfns no more than WIN_GAP apart. */
static void *kpf_run(void *arg)
{
	struct kpf_job *j = arg;
	uint64_t w, first = 0, last = 0;
	int open_win = 0;

	for (w = j->from; w < j->to; w++) {
		uint64_t b = bits[w];

		while (b) {
			uint64_t p = w * 64 + (uint64_t)__builtin_ctzll(b);

			b &= b - 1;
			j->pages++;
			if (open_win && (p - last > WIN_GAP || p - first >= BATCH)) {
				kpf_window(j, first, last);
				open_win = 0;
			}
			if (!open_win)
				first = p;
			last = p;
			open_win = 1;
		}
	}
	if (open_win)
		kpf_window(j, first, last);
	return NULL;
}

/* Read the flags of every pfn in the set, on one thread or two, and empty it. */
static int flush(struct kpf_job *job, int threads)
{
	uint64_t lo = lo_pfn / 64, hi = hi_pfn / 64 + 1, mid = lo, total = 0, half = 0, w;
	pthread_t tid;

	if (lo_pfn == UINT64_MAX)
		return 0;
	for (w = lo; w < hi; w++)
		total += (uint64_t)__builtin_popcountll(bits[w]);
	for (mid = lo; mid < hi && half < total / 2; mid++)
		half += (uint64_t)__builtin_popcountll(bits[mid]);
	/* A small set is not worth a thread (inspect splits from 65536 pfns too). */
	if (threads == 1 || total < 65536)
		mid = hi;
	job[0].from = lo;
	job[0].to = mid;
	job[1].from = mid;
	job[1].to = hi;
	if (mid < hi && pthread_create(&tid, NULL, kpf_run, &job[1]))
		return -1;
	kpf_run(&job[0]);
	if (mid < hi)
		pthread_join(tid, NULL);
	memset(bits + lo, 0, (hi - lo) * 8);
	lo_pfn = UINT64_MAX;
	hi_pfn = 0;
	return 0;
}

static void *smaps_run(void *arg)
{
	static char buf[1 << 16];
	uint64_t *bytes = arg;
	ssize_t n;
	int fd = open(path_smaps, O_RDONLY);

	if (fd < 0)
		return NULL;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		*bytes += (uint64_t)n;
	close(fd);
	return NULL;
}

static uint64_t *pme, pm_entries, present, huge_reads;
static int pm, kpf_fd;

/* A 2 MiB block mapped by one huge page: its entry, then the flags of its head and last pfn. */
static void read_huge(uint64_t start, uint64_t end)
{
	uint64_t va, e, f[2];

	for (va = start; va < end; va += HUGE_2M) {
		if (pread(pm, &e, 8, (off_t)(va / 4096 * 8)) != 8)
			return;
		pm_entries++;
		if (!(e >> 63) || !(e & ((1ULL << 55) - 1)))
			continue;
		e &= (1ULL << 55) - 1;
		if (pread(kpf_fd, &f[0], 8, (off_t)(e * 8)) == 8 &&
		    pread(kpf_fd, &f[1], 8, (off_t)((e + 511) * 8)) == 8)
			huge_reads += 2;
		present += 512;
	}
}

/* pagemap of [start, end), its present pfns into the set. */
static int read_span(uint64_t start, uint64_t end)
{
	uint64_t va;

	for (va = start; va < end;) {
		size_t want = (end - va) / 4096, n, i;
		ssize_t got;

		if (want > BATCH)
			want = BATCH;
		got = pread(pm, pme, want * 8, (off_t)(va / 4096 * 8));
		if (got <= 0)
			return 0;
		n = (size_t)got / 8;
		pm_entries += n;
		for (i = 0; i < n; i++)
			if ((pme[i] >> 63) && (pme[i] & ((1ULL << 55) - 1))) {
				if (set_pfn(pme[i] & ((1ULL << 55) - 1)))
					return -1;
				present++;
			}
		va += n * 4096;
	}
	return 0;
}

/*
 * Only the populated ranges PAGEMAP_SCAN returns; -2 when the kernel lacks it
 * (or refuses the range: [vsyscall]).
 */
static int read_scanned(uint64_t start, uint64_t end)
{
	static struct scan_region vec[NREG];
	uint64_t span_start = 0, span_end = 0;
	long n, i;

	while (start < end) {
		struct scan_arg a = {
			.size = sizeof(a), .start = start, .end = end,
			.vec = (uintptr_t)vec, .vec_len = NREG,
			.category_anyof_mask = IS_PRESENT | IS_SWAPPED,
			.return_mask = IS_PRESENT | IS_SWAPPED | IS_HUGE,
		};

		n = ioctl(pm, PAGEMAP_SCAN_IOC, &a);
		if (n < 0)
			return -2;
		for (i = 0; i < n; i++) {
			if ((vec[i].categories & IS_HUGE) && (vec[i].categories & IS_PRESENT) &&
			    !((vec[i].start | vec[i].end) & (HUGE_2M - 1))) {
				if (span_end && read_span(span_start, span_end))
					return -1;
				span_end = 0;
				read_huge(vec[i].start, vec[i].end);
				continue;
			}
			if (span_end && vec[i].start - span_end <= JOIN &&
			    vec[i].end - span_start <= BATCH * 4096) {
				span_end = vec[i].end;
				continue;
			}
			if (span_end && read_span(span_start, span_end))
				return -1;
			span_start = vec[i].start;
			span_end = vec[i].end;
		}
		if (a.walk_end <= start)
			break;
		start = a.walk_end;
	}
	return span_end ? read_span(span_start, span_end) : 0;
}

int main(int argc, char **argv)
{
	uint64_t smaps_bytes = 0;
	struct kpf_job job[2] = { 0 };
	pthread_t smaps_tid;
	int opt, threads = 1, with_smaps = 0, use_scan = 1, kpf, t, rc;
	char line[1024];
	FILE *maps;

	while ((opt = getopt(argc, argv, "st:n")) != -1) {
		if (opt == 's')
			with_smaps = 1;
		else if (opt == 'n')
			use_scan = 0;
		else if (opt == 't' && (atoi(optarg) == 1 || atoi(optarg) == 2))
			threads = atoi(optarg);
		else
			goto usage;
	}
	if (optind + 1 != argc)
		goto usage;
	snprintf(path_pagemap, sizeof(path_pagemap), "/proc/%s/pagemap", argv[optind]);
	snprintf(path_smaps, sizeof(path_smaps), "/proc/%s/smaps", argv[optind]);
	snprintf(path_maps, sizeof(path_maps), "/proc/%s/maps", argv[optind]);
	maps = fopen(path_maps, "r");
	pm = open(path_pagemap, O_RDONLY);
	kpf = kpf_fd = open("/proc/kpageflags", O_RDONLY);
	pme = malloc(BATCH * 8);
	job[0].buf = malloc(BATCH * 8);
	job[1].buf = malloc(BATCH * 8);
	if (!maps || pm < 0 || kpf < 0 || !pme || !job[0].buf || !job[1].buf) {
		perror("floor");
		return 1;
	}
	job[0].fd = job[1].fd = kpf;
	if (with_smaps && pthread_create(&smaps_tid, NULL, smaps_run, &smaps_bytes))
		return 1;
	while (fgets(line, sizeof(line), maps)) {
		uint64_t start, end;

		if (sscanf(line, "%" SCNx64 "-%" SCNx64, &start, &end) != 2)
			continue;
		rc = use_scan ? read_scanned(start, end) : -2;
		if (rc == -2)
			rc = read_span(start, end);
		if (rc)
			return 1;
		if (flush(job, threads))
			return 1;
	}
	if (with_smaps)
		pthread_join(smaps_tid, NULL);
	for (t = 0; t < 2; t++)
		job[0].sum += job[t].sum;
	printf("pagemap_entries %" PRIu64 " present %" PRIu64 " kpageflags_reads %" PRIu64
	       " kpageflags_entries %" PRIu64 " smaps_bytes %" PRIu64 "\n", pm_entries, present,
	       job[0].reads + job[1].reads + huge_reads, job[0].entries + job[1].entries + huge_reads,
	       smaps_bytes);
	return 0;
usage:
	fprintf(stderr, "usage: floor [-s] [-t 1|2] [-n] PID\n");
	return 2;
}
