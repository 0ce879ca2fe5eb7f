// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests: src/pagemap.[ch] — entry decoding, reads of a captured (sparse) pagemap, PAGEMAP_SCAN fallback. */
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
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "host/pagemap.h"
#include "host/sysroot.h"
#include "tmproot.h"

/* --- decoding real entries ---------------------------------------------------- */

/* present | exclusive | soft-dirty, pfn 0x123456: a private anon page read by root */
#define E_ANON      0x8180000000123456ULL
/* present | file, pfn 0x54321: a page-cache page of a shared mapping */
#define E_FILE      0xa000000000054321ULL
/* present | exclusive, pfn hidden (reader lacks CAP_SYS_ADMIN) */
#define E_HIDDEN    0x8100000000000000ULL
/* swap | exclusive | soft-dirty, swap type 1, offset 0xd2 (offset << 5 | type) */
#define E_SWAP      0x4180000000001a41ULL
/* swap | file: a swapped-out shmem page */
#define E_SWAP_SHM  0x6000000000000a40ULL
/* nothing mapped, but soft-dirty set (after clear_refs on a vma) */
#define E_SD_ONLY   0x0080000000000000ULL
/* a MADV_GUARD_INSTALL guard region (6.15+) */
#define E_GUARD     0x0400000000000000ULL
/* the largest pfn an entry can hold */
#define E_PFN_MAX   0x807fffffffffffffULL

static void test_pme_present(void **state)
{
	(void)state;
	assert_true(pme_present(E_ANON));
	assert_true(pme_present(E_FILE));
	assert_true(pme_present(E_HIDDEN));
	assert_true(pme_present(E_PFN_MAX));
	assert_false(pme_present(E_SWAP));
	assert_false(pme_present(E_SWAP_SHM));
	assert_false(pme_present(E_SD_ONLY));
	assert_false(pme_present(E_GUARD));
	assert_false(pme_present(0));
	assert_false(pme_present(PM_PFN_MASK));  /* a pfn without the present bit */
}

static void test_pme_pfn(void **state)
{
	(void)state;
	assert_int_equal(pme_pfn(E_ANON), 0x123456);
	assert_int_equal(pme_pfn(E_FILE), 0x54321);
	assert_int_equal(pme_pfn(E_HIDDEN), 0);
	assert_int_equal(pme_pfn(E_PFN_MAX), (1ULL << 55) - 1);
	/* bits 55.. never leak into the pfn */
	assert_int_equal(pme_pfn(PM_PRESENT | PM_SOFT_DIRTY | PM_EXCLUSIVE | PM_UFFD_WP |
				 PM_FILE | 7), 7);
	/* a swap entry's low bits are type/offset, not a pfn */
	assert_int_equal(pme_pfn(E_SWAP), 0);
	assert_int_equal(pme_pfn(E_SWAP_SHM), 0);
	assert_int_equal(pme_pfn(0x1234), 0);
}

static void test_pme_swapped(void **state)
{
	(void)state;
	assert_true(pme_swapped(E_SWAP));
	assert_true(pme_swapped(E_SWAP_SHM));
	assert_true(pme_swapped(PM_SWAP));  /* type 0 offset 0 */
	assert_false(pme_swapped(E_ANON));
	assert_false(pme_swapped(E_HIDDEN));
	assert_false(pme_swapped(E_SD_ONLY));
	assert_false(pme_swapped(E_GUARD));
	assert_false(pme_swapped(0));
	/* present wins over a (malformed) swap bit */
	assert_false(pme_swapped(PM_PRESENT | PM_SWAP | 1));
	assert_true(pme_present(PM_PRESENT | PM_SWAP | 1));
}

static void test_pm_bits_are_uapi(void **state)
{
	(void)state;
	/* Documentation/admin-guide/mm/pagemap.rst */
	assert_int_equal(PM_PRESENT, 0x8000000000000000ULL);
	assert_int_equal(PM_SWAP, 0x4000000000000000ULL);
	assert_int_equal(PM_FILE, 0x2000000000000000ULL);
	assert_int_equal(PM_EXCLUSIVE, 0x0100000000000000ULL);
	assert_int_equal(PM_SOFT_DIRTY, 0x0080000000000000ULL);
	assert_int_equal(PM_PFN_MASK, 0x007fffffffffffffULL);
	/* include/uapi/linux/fs.h */
	assert_int_equal(PAGE_IS_PRESENT, 8);
	assert_int_equal(PAGE_IS_SWAPPED, 16);
	assert_int_equal(PAGE_IS_HUGE, 64);
}

/* --- a captured tree ---------------------------------------------------------- */

static int setup_root(void **state)
{
	static const char *const dirs[] = { "/proc", "/proc/4242", NULL };

	(void)state;
	return tmproot_make("pm", dirs);
}

static int teardown_root(void **state)
{
	(void)state;
	return tmproot_remove();
}

/* Realistic addresses: a PIE heap and the stack of an x86-64 process. */
#define HEAP  0x55d0c8a00000ULL
#define STACK 0x7ffd4c5e5000ULL
#define STACK_PAGES 33           /* 7ffd4c5e5000-7ffd4c606000 [stack] */

static int open_pagemap_file(void)
{
	char p[128];
	int fd;

	snprintf(p, sizeof(p), "%s/proc/4242/pagemap", root);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0444);
	assert_true(fd >= 0);
	return fd;
}

static void put(int fd, uint64_t vaddr, uint64_t e)
{
	assert_int_equal(pwrite(fd, &e, 8, (off_t)((vaddr >> 12) * 8)), 8);
}

/* The file ends with the stack vma, as a captured pagemap would. */
static void write_tree(void)
{
	int fd = open_pagemap_file();

	put(fd, HEAP, E_ANON);
	put(fd, HEAP + 0x1000, E_ANON + 1);
	/* HEAP + 0x2000: never touched */
	put(fd, HEAP + 0x3000, E_SWAP);
	put(fd, HEAP + 0x4000, E_HIDDEN);
	put(fd, STACK, 0);
	put(fd, STACK + (STACK_PAGES - 2) * 0x1000ULL, E_SWAP_SHM);
	put(fd, STACK + (STACK_PAGES - 1) * 0x1000ULL, E_FILE);
	close(fd);
}

static void test_pm_read_sparse(void **state)
{
	struct pagemap_reader r;
	uint64_t out[8];

	(void)state;
	write_tree();
	assert_int_equal(pm_open(&r, "4242"), 0);
	assert_true(r.fd >= 0);

	memset(out, 0xaa, sizeof(out));
	assert_int_equal(pm_read(&r, HEAP, 5, out), 5);
	assert_int_equal(out[0], E_ANON);
	assert_int_equal(out[1], E_ANON + 1);
	assert_int_equal(out[2], 0);
	assert_int_equal(out[3], E_SWAP);
	assert_int_equal(out[4], E_HIDDEN);
	assert_int_equal(pme_pfn(out[1]), 0x123457);
	assert_true(pme_swapped(out[3]));
	assert_true(pme_present(out[4]) && pme_pfn(out[4]) == 0);

	/* an address inside a page reads that page's entry */
	assert_int_equal(pm_read(&r, HEAP + 0x1abc, 1, out), 1);
	assert_int_equal(out[0], E_ANON + 1);

	/* far from any written entry: a hole reads as zeros */
	out[0] = 1;
	assert_int_equal(pm_read(&r, HEAP + 0x40000000ULL, 1, out), 1);
	assert_int_equal(out[0], 0);
	pm_close(&r);
	assert_int_equal(r.fd, -1);
}

static void test_pm_read_short_at_eof(void **state)
{
	struct pagemap_reader r;
	uint64_t out[8];

	(void)state;
	write_tree();
	assert_int_equal(pm_open(&r, "4242"), 0);
	/* the last two pages of the stack and four beyond the end of the file */
	memset(out, 0xaa, sizeof(out));
	assert_int_equal(pm_read(&r, STACK + (STACK_PAGES - 2) * 0x1000ULL, 6, out), 2);
	assert_int_equal(out[0], E_SWAP_SHM);
	assert_int_equal(out[1], E_FILE);
	/* entirely beyond: the mm is gone */
	assert_int_equal(pm_read(&r, STACK + STACK_PAGES * 0x1000ULL, 4, out), 0);
	pm_close(&r);
}

static void test_pm_open_missing(void **state)
{
	struct pagemap_reader r;

	(void)state;
	assert_int_equal(pm_open(&r, "4243"), -ENOENT);
	assert_int_equal(pm_open(&r, "4242"), -ENOENT);  /* dir exists, file not yet */
}

static void test_pm_scan_captured_is_eopnotsupp(void **state)
{
	struct pagemap_reader r;
	struct pm_region vec[4];
	uint64_t walk_end = 0x1234;

	(void)state;
	write_tree();
	assert_int_equal(pm_open(&r, "4242"), 0);
	assert_int_equal(r.scan, -1);  /* a plain file: known not to support it */
	assert_int_equal(pm_scan(&r, HEAP, HEAP + 0x5000, vec, 4, &walk_end), -EOPNOTSUPP);
	assert_int_equal(walk_end, 0x1234);  /* untouched */
	assert_int_equal(pm_scan(&r, HEAP, HEAP + 0x5000, vec, 4, &walk_end), -EOPNOTSUPP);
	/* the fallback still reads */
	assert_int_equal(pm_read(&r, HEAP, 1, &walk_end), 1);
	assert_int_equal(walk_end, E_ANON);
	pm_close(&r);
}

/*
 * Regression (was a bug, fixed): pm_read() never returns when the
 * pagemap file's size is not a multiple of 8 (a captured file cut short).
 * Input: proc/4242/pagemap of 12 bytes, pm_read(vaddr 0, n 4).  Expected: 1
 * (or a negative errno); actual: spins on the 4-byte tail.
 */
static int read_torn(void)
{
	struct pagemap_reader r;
	uint64_t out[4];
	long n;

	if (pm_open(&r, "4242"))
		return 3;
	n = pm_read(&r, 0, 4, out);
	return (n == 1 || n < 0) ? 0 : 2;
}

static void test_pm_read_torn_file_terminates(void **state)
{
	uint64_t e[2] = { E_ANON, E_ANON + 1 };
	int fd = open_pagemap_file(), status;
	pid_t pid;

	(void)state;
	assert_int_equal(write(fd, e, 12), 12);
	close(fd);
	pid = fork();
	if (pid == 0) {
		alarm(2);
		_exit(read_torn());
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_false(WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM);  /* hung */
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* --- the live kernel, on our own memory --------------------------------------- */

static void test_pm_live_self(void **state)
{
	struct pagemap_reader r;
	uint64_t out[2];
	char *p;

	(void)state;
	sr_set_root(NULL);
	p = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
	p[0] = 1;  /* populate the first page only */
	assert_int_equal(pm_open(&r, "self"), 0);
	assert_int_equal(r.scan, 0);  /* live: not tried yet */
	assert_int_equal(pm_read(&r, (uintptr_t)p, 2, out), 2);
	assert_true(pme_present(out[0]));
	assert_true(out[0] & PM_EXCLUSIVE);
	assert_false(out[0] & PM_FILE);
	assert_false(pme_present(out[1]));
	assert_false(pme_swapped(out[1]));
	pm_close(&r);
	munmap(p, 2 * 4096);
}

static void test_pm_scan_live_self(void **state)
{
	struct pagemap_reader r;
	struct pm_region vec[4];
	uint64_t walk_end = 0, start;
	long n;
	char *p;

	(void)state;
	sr_set_root(NULL);
	p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
	p[4096] = 1;
	p[2 * 4096] = 1;
	start = (uintptr_t)p;
	assert_int_equal(pm_open(&r, "self"), 0);
	n = pm_scan(&r, start, start + 4 * 4096, vec, 4, &walk_end);
	if (n == -EOPNOTSUPP) {
		assert_int_equal(r.scan, -1);
		pm_close(&r);
		munmap(p, 4 * 4096);
		skip();  /* kernel before 6.7 */
	}
	assert_int_equal(n, 1);
	assert_int_equal(r.scan, 1);
	assert_int_equal(vec[0].start, start + 4096);
	assert_int_equal(vec[0].end, start + 3 * 4096);
	assert_int_equal(vec[0].categories, PAGE_IS_PRESENT);
	assert_int_equal(walk_end, start + 4 * 4096);
	pm_close(&r);
	munmap(p, 4 * 4096);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pme_present),
		cmocka_unit_test(test_pme_pfn),
		cmocka_unit_test(test_pme_swapped),
		cmocka_unit_test(test_pm_bits_are_uapi),
		cmocka_unit_test_setup_teardown(test_pm_read_sparse, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_pm_read_short_at_eof, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_pm_open_missing, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_pm_scan_captured_is_eopnotsupp,
						setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_pm_read_torn_file_terminates,
						setup_root, teardown_root),
		cmocka_unit_test(test_pm_live_self),
		cmocka_unit_test(test_pm_scan_live_self),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
