// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: src/scan.c end to end on a fake tree — a sparse proc/1/pagemap
 * and a proc/kpageflags with entries chosen here, classified page by page by
 * hand.  Every scan runs with and without --exact and must agree.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "model/classify.h"
#include "host/kpageflags.h"
#include "host/pagemap.h"
#include "host/scan.h"
#include "host/smaps.h"
#include "host/sysroot.h"
#include "tmproot.h"

#define PG 4096ULL
#define HUGE_PG 512ULL           /* 4K pages in 2 MiB */

/* Flag sets as 6.x reports them (page-types -r). */
#define F_ANON   (KPF(ANON) | KPF(MMAP) | KPF(LRU) | KPF(UPTODATE) | KPF(SWAPBACKED) | KPF(ACTIVE))
#define F_FILE   (KPF(MMAP) | KPF(LRU) | KPF(UPTODATE) | KPF(REFERENCED) | KPF(MAPPEDTODISK))
#define F_SHMEM  (KPF(MMAP) | KPF(LRU) | KPF(UPTODATE) | KPF(SWAPBACKED))
#define F_THP    (KPF(THP) | KPF(ANON) | KPF(MMAP) | KPF(LRU) | KPF(UPTODATE) | KPF(SWAPBACKED))
#define F_HUGE   (KPF(HUGE) | KPF(ANON) | KPF(MMAP) | KPF(UPTODATE))
#define F_ZERO   (KPF(ZERO_PAGE) | KPF(RESERVED))
#define F_HZP    (KPF(ZERO_PAGE) | KPF(THP))
#define HEAD     KPF(COMPOUND_HEAD)
#define TAIL     KPF(COMPOUND_TAIL)

#define ZERO_PFN 0x2c0eULL        /* x86 empty_zero_page lives in the kernel image */

/* pagemap entries */
#define E_ANON(pfn)  (PM_PRESENT | PM_EXCLUSIVE | (pfn))
#define E_FILE(pfn)  (PM_PRESENT | PM_FILE | (pfn))
#define E_HIDDEN     (PM_PRESENT | PM_EXCLUSIVE)             /* pfn 0: no CAP_SYS_ADMIN */
#define E_SWAP(off)  (PM_SWAP | PM_EXCLUSIVE | ((uint64_t)(off) << 5) | 1)

/* --- the fake tree ------------------------------------------------------------- */

static int pm_fd = -1, kpf_fd = -1;
static uint64_t base_va, kpf_limit;

static int setup_root(void **state)
{
	static const char *const dirs[] = { "/proc", "/proc/1", NULL };

	(void)state;
	return tmproot_make("scan", dirs);
}

static int teardown_root(void **state)
{
	(void)state;
	if (pm_fd >= 0)
		close(pm_fd);
	if (kpf_fd >= 0)
		close(kpf_fd);
	pm_fd = kpf_fd = -1;
	return tmproot_remove();
}

/* Start a tree at va; kpf_entries == 0: no /proc/kpageflags at all. */
static void tree_begin(uint64_t va, uint64_t kpf_entries)
{
	char p[128];

	base_va = va;
	kpf_limit = kpf_entries;
	snprintf(p, sizeof(p), "%s/proc/1/pagemap", root);
	pm_fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0444);
	assert_true(pm_fd >= 0);
	if (!kpf_entries)
		return;
	snprintf(p, sizeof(p), "%s/proc/kpageflags", root);
	kpf_fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0400);
	assert_true(kpf_fd >= 0);
	assert_int_equal(ftruncate(kpf_fd, (off_t)(kpf_entries * 8)), 0);
}

/* Finish the tree; the pagemap covers at least npages from base_va (a captured vma). */
static void tree_end(uint64_t npages)
{
	off_t want = (off_t)(((base_va >> 12) + npages) * 8);
	struct stat st;

	assert_int_equal(fstat(pm_fd, &st), 0);
	if (st.st_size < want)
		assert_int_equal(ftruncate(pm_fd, want), 0);
	close(pm_fd);
	pm_fd = -1;
	if (kpf_fd >= 0)
		close(kpf_fd);
	kpf_fd = -1;
}

/* pagemap entry of page idx (counted from base_va) */
static void pme(uint64_t idx, uint64_t e)
{
	assert_int_equal(pwrite(pm_fd, &e, 8, (off_t)(((base_va >> 12) + idx) * 8)), 8);
}

/* Flags of a pfn; pfns past the end of kpageflags have none (the file stays short). */
static void kpf(uint64_t pfn, uint64_t flags)
{
	if (pfn >= kpf_limit)
		return;
	assert_int_equal(pwrite(kpf_fd, &flags, 8, (off_t)(pfn * 8)), 8);
}

/* n pages from idx mapped to pfn0.. ; head flags on the first pfn, tail flags on the rest */
static void map_pages(uint64_t idx, uint64_t n, uint64_t pfn0, uint64_t head, uint64_t tail)
{
	uint64_t i;

	for (i = 0; i < n; i++) {
		pme(idx + i, E_ANON(pfn0 + i));
		if (kpf_fd >= 0)
			kpf(pfn0 + i, i ? tail : head);
	}
}

/* --- running the scanner --------------------------------------------------------- */

struct run_log {
	struct page_run *v;
	size_t n, cap;
	uint64_t pages;
};

static int log_run(void *arg, const struct page_run *r)
{
	struct run_log *l = arg;

	l->pages += r->npages;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			return -ENOMEM;
	}
	l->v[l->n++] = *r;
	return 0;
}

static int do_scan(bool exact, struct run_log *log, uint64_t start, uint64_t end,
		   struct class_bytes *out, struct scan_stats *st)
{
	struct scan_opts o = { .exact = exact, .on_run = log ? log_run : NULL, .run_arg = log };
	struct scan_ctx c;
	int rc;

	assert_int_equal(scan_open(&c, "1", &o), 0);
	memset(out, 0, sizeof(*out));
	rc = scan_range(&c, start, end, out);
	if (!rc)
		rc = scan_flush(&c);
	if (st)
		*st = c.stats;
	scan_close(&c);
	return rc;
}

/* Expected bytes, given in 4K pages. */
struct want {
	uint64_t unknown, invalid, zero, reserved, hugetlb, thp, anon, file, swapped;
};

static void check_bytes(const struct class_bytes *cb, const struct want *w, const char *what)
{
	const uint64_t want[PC_NR] = {
		[PC_UNKNOWN] = w->unknown, [PC_INVALID] = w->invalid, [PC_ZERO] = w->zero,
		[PC_RESERVED] = w->reserved, [PC_HUGETLB] = w->hugetlb, [PC_THP] = w->thp,
		[PC_ANON] = w->anon, [PC_FILE] = w->file,
	};
	int i, bad = 0;

	for (i = 0; i < PC_NR; i++) {
		if (cb->bytes[i] != want[i] * PG) {
			print_error("%s: %s = %llu pages, want %llu\n", what, class_name((enum page_class)i),
				    (unsigned long long)(cb->bytes[i] / PG), (unsigned long long)want[i]);
			bad = 1;
		}
	}
	if (cb->swapped != w->swapped * PG) {
		print_error("%s: swapped = %llu pages, want %llu\n", what,
			    (unsigned long long)(cb->swapped / PG), (unsigned long long)w->swapped);
		bad = 1;
	}
	if (cb->pfnmap || cb->mapped) {
		print_error("%s: scan_range counted pfnmap/mapped\n", what);
		bad = 1;
	}
	if (bad)
		fail();
}

/* --- the main tree: every class and the corner cases around them ------------------ */

#define VA       0x7f3a00000000ULL  /* 2 MiB aligned, like a THP-friendly mmap */
#define KPF_END  0x80100ULL         /* pfns kpageflags has entries for */
#define SCAT_N   64
#define MAIN_PAGES 5376ULL          /* 21 MiB */

static void build_main_tree(void)
{
	uint64_t i;

	tree_begin(VA, KPF_END);
	/* [0,8) anon, physically contiguous */
	map_pages(0, 8, 0x1000, F_ANON, F_ANON);
	/* [8], [9] anon, physically apart and descending */
	map_pages(8, 1, 0x3000, F_ANON, F_ANON);
	map_pages(9, 1, 0x2000, F_ANON, F_ANON);
	/* [10] the zero page (read fault of anon memory) */
	pme(10, PM_PRESENT | ZERO_PFN);
	kpf(ZERO_PFN, F_ZERO);
	/* [11] a PG_reserved page */
	map_pages(11, 1, 0x9f, KPF(RESERVED), 0);
	/* [12] a pfn past the end of kpageflags: no struct page */
	pme(12, E_FILE(0x90000));
	/* [13] KPF_NOPAGE (kernels before 6.18), [14] flags 0 (6.18) */
	map_pages(13, 1, 0x7ff00, KPF(NOPAGE), 0);
	pme(14, E_ANON(0x7ff01));
	/* [15,18) present but the pfn hidden */
	for (i = 15; i < 18; i++)
		pme(i, E_HIDDEN);
	/* [18,20) swapped out; [20] never touched */
	pme(18, E_SWAP(0x1d2));
	pme(19, E_SWAP(0x1d3));
	/* [21,24) page cache */
	for (i = 0; i < 3; i++) {
		pme(21 + i, E_FILE(0x5000 + i));
		kpf(0x5000 + i, F_FILE);
	}
	/* [24,28) one kpageflags read across its end: two tails of the block below, two past it */
	for (i = 0; i < 4; i++)
		pme(24 + i, E_FILE(KPF_END - 2 + i));
	/* [28] shmem */
	pme(28, E_FILE(0x6000));
	kpf(0x6000, F_SHMEM);
	/* [29,29+64) anon and file pages scattered in physical memory (sorted path) */
	for (i = 0; i < SCAT_N; i++) {
		uint64_t pfn = 0x30000 + ((i * 37) % SCAT_N) * 17;

		pme(29 + i, E_ANON(pfn));
		kpf(pfn, (i & 1) ? F_FILE : F_ANON);
	}
	/* 2 MiB: a PMD-mapped THP, aligned vaddr and pfns */
	map_pages(512, HUGE_PG, 0x10000, F_THP | HEAD, F_THP | TAIL);
	/* 4 MiB: a hugetlb page */
	map_pages(1024, HUGE_PG, 0x10200, F_HUGE | HEAD, F_HUGE | TAIL);
	/* 6 MiB: 512 small anon pages that happen to be contiguous and aligned */
	map_pages(1536, HUGE_PG, 0x10400, F_ANON, F_ANON);
	/* 8 MiB + 16K: a THP moved by mremap, mapped by ptes at an unaligned vaddr */
	map_pages(2048 + 4, HUGE_PG, 0x10600, F_THP | HEAD, F_THP | TAIL);
	/* 12 MiB: a THP whose second half lies past the end of kpageflags */
	map_pages(3072, HUGE_PG, KPF_END - 256, F_THP | HEAD, F_THP | TAIL);
	/* 14 MiB: 512 present pages with hidden pfns */
	for (i = 0; i < HUGE_PG; i++)
		pme(3584 + i, E_HIDDEN);
	/* 16 MiB: 512 read faults onto the one zero page */
	for (i = 0; i < HUGE_PG; i++)
		pme(4096 + i, PM_PRESENT | ZERO_PFN);
	/* 18 MiB: the huge zero page */
	for (i = 0; i < HUGE_PG; i++) {
		pme(4608 + i, PM_PRESENT | (0x20000 + i));
		kpf(0x20000 + i, F_HZP | (i ? TAIL : HEAD));
	}
	tree_end(MAIN_PAGES);
}

static const struct want main_want = {
	.anon = 8 + 2 + SCAT_N / 2 + 512,
	.file = 3 + 1 + SCAT_N / 2,
	.thp = 2 + 512 + 512 + 256,
	.hugetlb = 512,
	.zero = 1 + 512 + 512,
	.reserved = 1,
	.invalid = 1 + 1 + 1 + 2 + 256,
	.unknown = 3 + 512,
	.swapped = 2,
};
#define MAIN_END (VA + MAIN_PAGES * PG)

static void test_scan_every_class(void **state)
{
	struct class_bytes cb;
	struct scan_stats st;

	(void)state;
	build_main_tree();
	assert_int_equal(do_scan(false, NULL, VA, MAIN_END, &cb, &st), 0);
	check_bytes(&cb, &main_want, "fast");
	assert_true(st.pfn_hidden);
	assert_false(st.used_pm_scan);   /* a captured tree has no PAGEMAP_SCAN */
	assert_int_equal(st.huge_blocks, 3);  /* THP, hugetlb, huge zero page */
	assert_int_equal(st.short_reads, 0);
	assert_int_equal(class_present(&cb),
			 (main_want.unknown + main_want.invalid + main_want.zero + main_want.reserved +
			  main_want.hugetlb + main_want.thp + main_want.anon + main_want.file) * PG);
}

static void test_scan_exact_agrees(void **state)
{
	struct class_bytes fast, exact;
	struct scan_stats st;

	(void)state;
	build_main_tree();
	assert_int_equal(do_scan(true, NULL, VA, MAIN_END, &exact, &st), 0);
	check_bytes(&exact, &main_want, "exact");
	assert_int_equal(st.huge_blocks, 0);  /* --exact never takes a block whole */
	assert_int_equal(do_scan(false, NULL, VA, MAIN_END, &fast, NULL), 0);
	assert_memory_equal(&fast, &exact, sizeof(fast));
}

static void test_scan_with_runs_agrees(void **state)
{
	struct run_log fast = { 0 }, exact = { 0 };
	struct class_bytes a, b;

	(void)state;
	build_main_tree();
	assert_int_equal(do_scan(false, &fast, VA, MAIN_END, &a, NULL), 0);
	check_bytes(&a, &main_want, "fast --pages");
	assert_int_equal(do_scan(true, &exact, VA, MAIN_END, &b, NULL), 0);
	check_bytes(&b, &main_want, "exact --pages");
	/* every present page is in exactly one run */
	assert_int_equal(fast.pages, class_present(&a) / PG);
	assert_int_equal(exact.pages, class_present(&b) / PG);
	free(fast.v);
	free(exact.v);
}

/* Ranges that split the tree anywhere add up to the whole. */
static void test_scan_split_ranges_add_up(void **state)
{
	static const uint64_t cuts[] = { 0, 5, 29, 600, 1024, 1535, 2100, 3100, 4607, 5376 };
	struct class_bytes sum, part;
	size_t i;

	(void)state;
	build_main_tree();
	memset(&sum, 0, sizeof(sum));
	for (i = 0; i + 1 < sizeof(cuts) / sizeof(cuts[0]); i++) {
		assert_int_equal(do_scan(false, NULL, VA + cuts[i] * PG, VA + cuts[i + 1] * PG,
					 &part, NULL), 0);
		class_add(&sum, &part);
	}
	check_bytes(&sum, &main_want, "split");
}

static void test_scan_without_kpageflags(void **state)
{
	struct class_bytes fast, exact;
	struct want w = { .unknown = 8 + 512 + 3, .swapped = 1 };
	uint64_t i;

	(void)state;
	tree_begin(VA, 0);  /* no proc/kpageflags: not root, or a capture without it */
	map_pages(0, 8, 0x1000, 0, 0);
	map_pages(512, HUGE_PG, 0x10000, 0, 0);
	for (i = 0; i < 3; i++)
		pme(1024 + i, E_HIDDEN);
	pme(1030, E_SWAP(7));
	tree_end(2048);
	assert_int_equal(do_scan(false, NULL, VA, VA + 2048 * PG, &fast, NULL), 0);
	check_bytes(&fast, &w, "fast");
	assert_int_equal(do_scan(true, NULL, VA, VA + 2048 * PG, &exact, NULL), 0);
	assert_memory_equal(&fast, &exact, sizeof(fast));
}

static void test_scan_short_pagemap(void **state)
{
	struct class_bytes cb;
	struct scan_stats st;
	struct want w = { .anon = 4 };

	(void)state;
	tree_begin(VA, 0x2000);
	map_pages(0, 4, 0x1000, F_ANON, F_ANON);
	tree_end(0);  /* the file ends after page 3: the mm went away */
	assert_int_equal(do_scan(false, NULL, VA, VA + 16 * PG, &cb, &st), 0);
	check_bytes(&cb, &w, "short");
	assert_int_equal(st.short_reads, 1);
	assert_int_equal(st.pm_entries_read, 4);
}

static void test_scan_open_missing(void **state)
{
	struct scan_ctx c;

	(void)state;
	assert_int_equal(scan_open(&c, "2", NULL), -ENOENT);
}

static void test_scan_vma_pfnmap_not_read(void **state)
{
	struct class_bytes cb;
	struct scan_ctx c;
	struct vma v;

	(void)state;
	/* the BAR's range holds present-looking entries: they must not be read */
	tree_begin(VA, 0x20000);
	map_pages(0, 16, 0x1000, F_ANON, F_ANON);
	map_pages(4096, 4, 0x2000, F_ANON, F_ANON);
	tree_end(8192);
	memset(&v, 0, sizeof(v));
	v.start = VA;
	v.end = VA + (16ULL << 20);
	strcpy(v.path, "anon_inode:[vfio-device]");
	strcpy(v.vmflags, "rd wr sh mr mw me ms pf io de dd sd");
	v.has_vmflags = true;

	assert_int_equal(scan_open(&c, "1", NULL), 0);
	memset(&cb, 0, sizeof(cb));
	assert_int_equal(scan_vma(&c, &v, &cb), 0);
	assert_int_equal(cb.pfnmap, 16ULL << 20);
	assert_int_equal(cb.mapped, 16ULL << 20);
	assert_int_equal(class_present(&cb), 0);
	assert_int_equal(c.stats.pm_entries_read, 0);

	/* the same range as an ordinary vma is read and adds to mapped */
	strcpy(v.path, "");
	strcpy(v.vmflags, "rd wr mr mw me ac sd");
	assert_int_equal(scan_vma(&c, &v, &cb), 0);
	assert_int_equal(cb.mapped, 32ULL << 20);
	assert_int_equal(cb.pfnmap, 16ULL << 20);
	assert_int_equal(cb.bytes[PC_ANON], 16 * PG);  /* not the 4 pages past its end */
	scan_close(&c);
}

/* --- runs for --pages ------------------------------------------------------------ */

struct want_run {
	uint64_t idx, pfn, npages;
	enum page_class cls;
	bool visible;
};

static void build_runs_tree(void)
{
	tree_begin(VA, 0x20000);
	map_pages(0, 4, 0x1000, F_ANON, F_ANON);
	map_pages(4, 1, 0x2000, F_ANON, F_ANON);
	map_pages(5, 1, 0x1004, F_ANON, F_ANON);
	pme(6, E_HIDDEN);
	pme(7, E_HIDDEN);
	pme(8, E_HIDDEN);
	/* [9] hole */
	map_pages(10, 2, 0x5000, F_FILE, F_FILE);
	map_pages(12, 1, 0x5002, F_ANON, 0);                /* next pfn, other class */
	map_pages(13, 1, 0x5003, F_ANON | KPF(DIRTY), 0);   /* same class, other flags */
	kpf(ZERO_PFN, F_ZERO);
	pme(14, PM_PRESENT | ZERO_PFN);                     /* read faults: one pfn, one run */
	pme(15, PM_PRESENT | ZERO_PFN);
	pme(16, PM_PRESENT | ZERO_PFN);
	pme(17, PM_PRESENT | ZERO_PFN);
	map_pages(512, HUGE_PG, 0x10000, F_THP | HEAD, F_THP | TAIL);
	map_pages(1024, 4, 0x10200, F_ANON, F_ANON);        /* next pfn after the THP */
	tree_end(2048);
}

static const struct want_run runs_want[] = {
	{ 0, 0x1000, 4, PC_ANON, true },
	{ 4, 0x2000, 1, PC_ANON, true },
	{ 5, 0x1004, 1, PC_ANON, true },
	{ 6, 0, 3, PC_UNKNOWN, false },
	{ 10, 0x5000, 2, PC_FILE, true },
	{ 12, 0x5002, 1, PC_ANON, true },
	{ 13, 0x5003, 1, PC_ANON, true },
	{ 14, ZERO_PFN, 4, PC_ZERO, true },
	{ 512, 0x10000, 512, PC_THP, true },
	{ 1024, 0x10200, 4, PC_ANON, true },
};

static void check_runs(const struct run_log *l, const char *what)
{
	size_t i, n = sizeof(runs_want) / sizeof(runs_want[0]);

	for (i = 0; i < l->n && i < n; i++) {
		const struct page_run *r = &l->v[i];
		const struct want_run *w = &runs_want[i];

		if (r->vaddr != VA + w->idx * PG || r->npages != w->npages || r->cls != w->cls ||
		    r->pfn_visible != w->visible || (w->visible && r->pfn != w->pfn)) {
			print_error("%s: run %zu is %llx+%llu pfn %llx %s, want %llx+%llu pfn %llx %s\n",
				    what, i, (unsigned long long)r->vaddr, (unsigned long long)r->npages,
				    (unsigned long long)r->pfn, class_name(r->cls),
				    (unsigned long long)(VA + w->idx * PG), (unsigned long long)w->npages,
				    (unsigned long long)w->pfn, class_name(w->cls));
			fail();
		}
	}
	if (l->n != n) {
		print_error("%s: %zu runs, want %zu\n", what, l->n, n);
		fail();
	}
	for (i = 1; i < l->n; i++)
		assert_true(l->v[i].vaddr >= l->v[i - 1].vaddr + l->v[i - 1].npages * PG);
}

static void test_runs_merged_in_virtual_order(void **state)
{
	struct run_log log = { 0 };
	struct class_bytes cb;

	(void)state;
	build_runs_tree();
	assert_int_equal(do_scan(false, &log, VA, VA + 2048 * PG, &cb, NULL), 0);
	check_runs(&log, "fast");
	/* flags of a run: the head's, without the compound bits */
	assert_int_equal(log.v[0].flags, F_ANON);
	assert_int_equal(log.v[6].flags, F_ANON | KPF(DIRTY));
	assert_int_equal(log.v[7].flags, F_ZERO);
	assert_int_equal(log.v[8].flags, F_THP);
	assert_int_equal(log.v[3].flags, 0);
	free(log.v);
}

/* --exact reads every page of the THP but reports the same runs. */
static void test_runs_exact_same_as_fast(void **state)
{
	struct run_log log = { 0 };
	struct class_bytes cb;

	(void)state;
	build_runs_tree();
	assert_int_equal(do_scan(true, &log, VA, VA + 2048 * PG, &cb, NULL), 0);
	assert_int_equal(cb.bytes[PC_THP], 512 * PG);
	check_runs(&log, "exact");
	assert_int_equal(log.v[8].flags, F_THP);  /* head and tails joined without compound bits */
	free(log.v);
}

/* A run continues across pagemap batches (65536 pages). */
static void test_runs_join_across_batches(void **state)
{
	struct run_log log = { 0 };
	struct class_bytes cb;
	const uint64_t b = 65536;

	(void)state;
	tree_begin(VA, 0x20000);
	map_pages(b - 6, 12, 0x1000, F_ANON, F_ANON);
	tree_end(b + 512);
	assert_int_equal(do_scan(false, &log, VA, VA + (b + 512) * PG, &cb, NULL), 0);
	assert_int_equal(cb.bytes[PC_ANON], 12 * PG);
	assert_int_equal(log.n, 1);
	assert_int_equal(log.v[0].vaddr, VA + (b - 6) * PG);
	assert_int_equal(log.v[0].npages, 12);
	assert_int_equal(log.v[0].pfn, 0x1000);
	free(log.v);
}

/*
 * Regression (was a bug, fixed): a PMD-split THP with zapped ptes (MADV_DONTNEED of 4K inside
 * a THP, as virtio-balloon free page reporting does) is counted as 512 THP
 * pages without --exact.  scan_dense() checks only that the first and last
 * entries of an aligned 2 MiB block are present with pfns 511 apart, then
 * try_huge_block() counts the whole block; the holes and swapped entries in
 * between are never looked at.  Input: VA+2M..VA+4M mapped to pfns
 * 0x10000..0x101ff (THP head/tails) except entries 1-10 not present and
 * 11-12 swapped.  Expected: thp 500 pages, swapped 2 (what --exact gives);
 * actual: thp 512, swapped 0.
 */
static void test_split_thp_with_holes(void **state)
{
	struct class_bytes fast, exact;
	struct want w = { .thp = 500, .swapped = 2 };
	uint64_t i;

	(void)state;
	tree_begin(VA, 0x20000);
	map_pages(512, HUGE_PG, 0x10000, F_THP | HEAD, F_THP | TAIL);
	for (i = 1; i <= 10; i++)
		pme(512 + i, 0);
	pme(512 + 11, E_SWAP(0x40));
	pme(512 + 12, E_SWAP(0x41));
	tree_end(2048);
	assert_int_equal(do_scan(true, NULL, VA, VA + 2048 * PG, &exact, NULL), 0);
	check_bytes(&exact, &w, "exact");
	assert_int_equal(do_scan(false, NULL, VA, VA + 2048 * PG, &fast, NULL), 0);
	check_bytes(&fast, &w, "fast");
}

/* --- more than one batch, pages scattered in physical memory ---------------------- */

#define VA2      0x7f4000000000ULL
#define BIG_PAGES 76800ULL           /* 300 MiB: more than one 65536-page batch */
#define SC_N     4096ULL
#define SC_KPF_END 0x110000ULL

static void build_scattered_tree(void)
{
	uint64_t i;

	tree_begin(VA2, SC_KPF_END);
	kpf(ZERO_PFN, F_ZERO);
	for (i = 0; i < SC_N; i++) {
		/* a guest's RAM: pfns in no particular order, 16 apart */
		uint64_t pfn = 0x100000 + ((i * 2654435761ULL) % SC_N) * 16;

		pme(i * 13, E_ANON(pfn));
		kpf(pfn, (i % 4) ? F_ANON : F_FILE);
	}
	for (i = 0; i < 256; i++)
		pme(i * 13 + 5, PM_PRESENT | ZERO_PFN);
	for (i = 0; i < 64; i++)
		pme(i * 13 + 7, E_ANON(SC_KPF_END + 0x10000 + i));
	for (i = 0; i < 16; i++)
		pme(i * 13 + 9, E_HIDDEN);
	for (i = 0; i < 32; i++)
		pme(i * 13 + 11, E_SWAP(0x100 + i));
	/* physically contiguous across the first batch's end */
	map_pages(65530, 12, 0x20000, F_ANON, F_ANON);
	/* a THP in the second batch */
	map_pages(65536 + 512, HUGE_PG, 0x30000, F_THP | HEAD, F_THP | TAIL);
	tree_end(BIG_PAGES);
}

static const struct want scattered_want = {
	.anon = SC_N * 3 / 4 + 12,
	.file = SC_N / 4,
	.zero = 256,
	.invalid = 64,
	.unknown = 16,
	.thp = 512,
	.swapped = 32,
};

static void test_scan_scattered_big_range(void **state)
{
	struct class_bytes fast, exact, paged;
	struct run_log log = { 0 };

	(void)state;
	build_scattered_tree();
	assert_int_equal(do_scan(false, NULL, VA2, VA2 + BIG_PAGES * PG, &fast, NULL), 0);
	check_bytes(&fast, &scattered_want, "fast");
	assert_int_equal(do_scan(true, NULL, VA2, VA2 + BIG_PAGES * PG, &exact, NULL), 0);
	check_bytes(&exact, &scattered_want, "exact");
	assert_int_equal(do_scan(false, &log, VA2, VA2 + BIG_PAGES * PG, &paged, NULL), 0);
	check_bytes(&paged, &scattered_want, "--pages");
	assert_int_equal(log.pages, class_present(&paged) / PG);
	free(log.v);
}

/*
 * A set of more than SPLIT_MIN (65536) pfns is read by two threads, split at
 * its median pfn: 80000 pages in four classes laid out in physical order so
 * that the split falls inside a class run, plus pfns past the end of
 * kpageflags (invalid) at the top: one reader and two must give the same
 * bytes.
 */
#define TWO_PAGES 80000ULL

static void test_scan_two_readers_agree(void **state)
{
	struct scan_opts one = { .one_thread = true }, two = { 0 };
	struct class_bytes a, b;
	struct scan_stats sa, sb;
	struct scan_ctx c;
	struct want w = { .anon = 40000, .file = 20000, .thp = 0, .invalid = 100 };
	uint64_t i, pfn;

	(void)state;
	tree_begin(VA2, 0x200000);
	for (i = 0; i < TWO_PAGES - 100; i++) {
		/* virtual order reversed against physical order, 2 pfns apart */
		pfn = 0x100000 + (TWO_PAGES - 100 - i) * 2;
		pme(i, E_ANON(pfn));
		kpf(pfn, i < 20000 ? F_FILE : i < 60000 ? F_ANON : F_SHMEM);
	}
	for (; i < TWO_PAGES; i++)
		pme(i, E_ANON(0x200000 + i));   /* no kpageflags entry */
	tree_end(TWO_PAGES);
	w.file += 19900;  /* shmem pages are "file" */
	assert_int_equal(scan_open(&c, "1", &one), 0);
	memset(&a, 0, sizeof(a));
	assert_int_equal(scan_range(&c, VA2, VA2 + TWO_PAGES * PG, &a), 0);
	sa = c.stats;
	scan_close(&c);
	assert_int_equal(scan_open(&c, "1", &two), 0);
	memset(&b, 0, sizeof(b));
	assert_int_equal(scan_range(&c, VA2, VA2 + TWO_PAGES * PG, &b), 0);
	sb = c.stats;
	scan_close(&c);
	check_bytes(&a, &w, "one reader");
	check_bytes(&b, &w, "two readers");
	assert_false(sa.kpf_threads_used);
	assert_true(sb.kpf_threads_used);
	/* the split cuts one window in two: at most the gap between them is not read */
	assert_true(sb.kpf_entries_read <= sa.kpf_entries_read &&
		    sa.kpf_entries_read - sb.kpf_entries_read <= 8);
	assert_true(sb.kpf_reads == sa.kpf_reads + 1);
	assert_memory_equal(&a, &b, sizeof(a));
}

/*
 * Regression (was a bug, fixed): scan_range() with an end that is not page
 * aligned never returns: scan_dense() computes want = (end - va) / 4096 = 0
 * for the last partial page and loops without advancing.  Input:
 * scan_range(VA, VA + 0x1800).  Expected: returns (counting the partial page,
 * or -EINVAL); actual: spins.  vma bounds are always aligned, so only a
 * future caller passing a user range would hit it.
 */
static int scan_unaligned(void)
{
	struct class_bytes cb;
	struct scan_ctx c;
	int rc;

	if (scan_open(&c, "1", NULL))
		return 3;
	memset(&cb, 0, sizeof(cb));
	rc = scan_range(&c, VA, VA + 0x1800, &cb);
	scan_close(&c);
	return rc == 0 || rc == -EINVAL ? 0 : 2;
}

static void test_scan_unaligned_end_terminates(void **state)
{
	int status;
	pid_t pid;

	(void)state;
	tree_begin(VA, 0x2000);
	map_pages(0, 2, 0x1000, F_ANON, F_ANON);
	tree_end(16);
	pid = fork();
	if (pid == 0) {
		alarm(2);
		_exit(scan_unaligned());
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_false(WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM);  /* hung */
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* --- radix_sort_u64 --------------------------------------------------------------- */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void check_sort(uint64_t *a, size_t n)
{
	uint64_t *want = malloc((n ? n : 1) * 8), *tmp = malloc((n ? n : 1) * 8);

	assert_non_null(want);
	assert_non_null(tmp);
	memcpy(want, a, n * 8);
	qsort(want, n, 8, cmp_u64);
	radix_sort_u64(a, tmp, n);
	if (n)
		assert_memory_equal(a, want, n * 8);
	free(want);
	free(tmp);
}

static void test_radix_sort(void **state)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 255, 256, 257, 1000, 65536 };
	uint64_t one = 42, *a;
	size_t s, i;
	int kind;

	(void)state;
	check_sort(&one, 0);
	assert_int_equal(one, 42);   /* n == 0 touches nothing */
	check_sort(&one, 1);
	assert_int_equal(one, 42);

	a = malloc(65536 * 8);
	assert_non_null(a);
	for (kind = 0; kind < 6; kind++) {
		for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			size_t n = sizes[s];

			for (i = 0; i < n; i++) {
				switch (kind) {
				case 0: a[i] = xorshift(); break;                          /* full 64 bits */
				case 1: a[i] = xorshift() & 0xff; break;                   /* one byte: one pass */
				case 2: a[i] = ((xorshift() & 0xfffffffULL) << 16) | (i & 0xffff); break; /* scan keys */
				case 3: a[i] = 7; break;                                   /* all equal */
				case 4: a[i] = i * 3; break;                               /* sorted */
				case 5: a[i] = (n - i) << 40; break;                       /* reversed, high bytes */
				}
			}
			check_sort(a, n);
		}
	}
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scan_every_class, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_scan_exact_agrees, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_scan_with_runs_agrees, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_scan_split_ranges_add_up, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_scan_without_kpageflags, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_scan_short_pagemap, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_scan_open_missing, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_scan_vma_pfnmap_not_read, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_runs_merged_in_virtual_order, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_runs_exact_same_as_fast, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_runs_join_across_batches, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_split_thp_with_holes, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_scan_two_readers_agree, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_scan_scattered_big_range, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_scan_unaligned_end_terminates,
						setup_root, teardown_root),
		cmocka_unit_test(test_radix_sort),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
