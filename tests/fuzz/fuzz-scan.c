// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The page scanner on fuzzed pagemap and kpageflags contents, through the
 * sysroot seam.  A differential check: the fast path (huge blocks classified
 * from two pfns, kpageflags read by pfn set) must count exactly what the
 * exact path (every page read) counts, for any input.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/scan.h"
#include "host/sysroot.h"

#define VA 0x7f0000000000ULL

static char root[64];

static void write_file(const char *rel, const void *buf, size_t n)
{
	char p[128];
	int fd;

	snprintf(p, sizeof(p), "%s%s", root, rel);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		abort();
	if (n && write(fd, buf, n) != (ssize_t)n)
		abort();
	close(fd);
}

#define KPF_CLASS_BITS ((1ULL << 10) /* buddy */ | (1ULL << 12) | (1ULL << 17) | (1ULL << 20) | \
			(1ULL << 22) | (1ULL << 24) | (1ULL << 32))
#define KPF_HEAD (1ULL << 15)
#define KPF_TAIL (1ULL << 16)

/*
 * The kernel's invariant the fast path relies on: every page of a large folio
 * has the folio's class (stable_page_flags() reads the folio).  Fuzzed flags
 * break it at will, so impose it: an aligned 512-pfn block that starts a THP
 * or hugetlb folio gets tails of the same class.  Everything else stays raw.
 */
static void normalize_folios(unsigned char *k, size_t size)
{
	size_t n = size / 8, b, i;
	uint64_t head, f;

	for (b = 0; b + 512 <= n; b += 512) {
		memcpy(&head, k + b * 8, 8);
		if (!(head & ((1ULL << 22) | (1ULL << 17))) || !(head & (KPF_HEAD | KPF_TAIL)))
			continue;
		for (i = 1; i < 512; i++) {
			memcpy(&f, k + (b + i) * 8, 8);
			f = (f & ~(KPF_CLASS_BITS | KPF_HEAD)) | (head & KPF_CLASS_BITS) | KPF_TAIL;
			memcpy(k + (b + i) * 8, &f, 8);
		}
	}
}

/*
 * Input: a little-endian u16 count N, N pagemap entries (u64) for the pages
 * at VA, then the kpageflags file (u64 per pfn from pfn 0).
 */
static void setup(const unsigned char *data, size_t size, uint64_t *npages)
{
	size_t n = size >= 2 ? (size_t)(data[0] | data[1] << 8) : 0, pm;
	unsigned char *k;
	char p[128];
	int fd;

	data += size >= 2 ? 2 : size;
	size -= size >= 2 ? 2 : size;
	if (n * 8 > size)
		n = size / 8;
	pm = n * 8;
	snprintf(p, sizeof(p), "%s/proc/1/pagemap", root);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || (pm && pwrite(fd, data, pm, (off_t)(VA / 4096 * 8)) != (ssize_t)pm))
		abort();
	close(fd);
	k = malloc(size - pm + 1);
	if (!k)
		abort();
	memcpy(k, data + pm, size - pm);
	normalize_folios(k, size - pm);
	write_file("/proc/kpageflags", k, size - pm);
	free(k);
	*npages = n;
}

static void scan(bool exact, uint64_t npages, struct class_bytes *cb)
{
	struct scan_opts o = { .exact = exact };
	struct scan_ctx c;

	memset(cb, 0, sizeof(*cb));
	if (scan_open(&c, "1", &o))
		abort();
	scan_range(&c, VA, VA + npages * 4096, cb);
	scan_close(&c);
}

static void cleanup(void)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/proc/1/pagemap", root);
	unlink(p);
	snprintf(p, sizeof(p), "%s/proc/kpageflags", root);
	unlink(p);
	snprintf(p, sizeof(p), "%s/proc/1", root);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/proc", root);
	rmdir(p);
	rmdir(root);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct class_bytes fast, exact;
	uint64_t npages;

	if (!root[0]) {
		char tmpl[] = "/tmp/vp-fuzz-scan.XXXXXX", p[128];

		if (!mkdtemp(tmpl))
			abort();
		snprintf(root, sizeof(root), "%s", tmpl);
		snprintf(p, sizeof(p), "%s/proc", root);
		mkdir(p, 0700);
		snprintf(p, sizeof(p), "%s/proc/1", root);
		mkdir(p, 0700);
		sr_set_root(root);
		atexit(cleanup);
	}
	if (size > 8 * 8192)
		return 0;
	setup(data, size, &npages);
	scan(false, npages, &fast);
	scan(true, npages, &exact);
	if (memcmp(&fast, &exact, sizeof(fast))) {
		int i;

		for (i = 0; i < PC_NR; i++)
			fprintf(stderr, "%-8s fast %llu exact %llu\n", class_name(i),
				(unsigned long long)fast.bytes[i], (unsigned long long)exact.bytes[i]);
		fprintf(stderr, "swapped  fast %llu exact %llu\n", (unsigned long long)fast.swapped,
			(unsigned long long)exact.swapped);
		abort();
	}
	return 0;
}
