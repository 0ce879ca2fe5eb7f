// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests: src/kpageflags.c — bit names, formatting, windowed reads of a fake /proc/kpageflags. */
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

#include "host/kpageflags.h"
#include "host/sysroot.h"
#include "tmproot.h"

/* --- a temporary sysroot ----------------------------------------------------- */

static int setup_root(void **state)
{
	static const char *const dirs[] = { "/proc", NULL };

	(void)state;
	return tmproot_make("kpf", dirs);
}

static int teardown_root(void **state)
{
	(void)state;
	return tmproot_remove();
}

/* Write a kpageflags file of nr_pfns entries (zero unless given), sparse. */
struct kpf_entry { uint64_t pfn, flags; };

static void write_kpageflags(uint64_t nr_pfns, const struct kpf_entry *e, size_t n)
{
	char p[128];
	size_t i;
	int fd;

	snprintf(p, sizeof(p), "%s/proc/kpageflags", root);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0444);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)(nr_pfns * 8)), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(pwrite(fd, &e[i].flags, 8, (off_t)(e[i].pfn * 8)), 8);
	close(fd);
}

/* --- names and formatting --------------------------------------------------- */

static void test_kpf_name(void **state)
{
	(void)state;
	assert_string_equal(kpf_name(KPF_LOCKED), "locked");
	assert_string_equal(kpf_name(KPF_MMAP), "mmap");
	assert_string_equal(kpf_name(KPF_ANON), "anon");
	assert_string_equal(kpf_name(KPF_COMPOUND_HEAD), "compound_head");
	assert_string_equal(kpf_name(KPF_HUGE), "huge");
	assert_string_equal(kpf_name(KPF_NOPAGE), "nopage");
	assert_string_equal(kpf_name(KPF_THP), "thp");
	assert_string_equal(kpf_name(KPF_ZERO_PAGE), "zero_page");
	assert_string_equal(kpf_name(KPF_PGTABLE), "pgtable");
	assert_string_equal(kpf_name(KPF_RESERVED), "reserved");
	assert_string_equal(kpf_name(KPF_ARCH_2), "arch_2");
	/* the uapi numbers, not just the names */
	assert_string_equal(kpf_name(12), "anon");
	assert_string_equal(kpf_name(22), "thp");
	assert_string_equal(kpf_name(32), "reserved");
	/* gaps and out of range */
	assert_null(kpf_name(27));
	assert_null(kpf_name(31));
	assert_null(kpf_name(42));
	assert_null(kpf_name(63));
	assert_null(kpf_name(64));
	assert_null(kpf_name(1000));
}

static void test_kpf_name_every_bit(void **state)
{
	unsigned bit, named = 0;

	(void)state;
	for (bit = 0; bit < 64; bit++) {
		const char *n = kpf_name(bit);
		unsigned other;

		if (!n)
			continue;
		named++;
		assert_true(bit <= KPF_PGTABLE || (bit >= KPF_RESERVED && bit <= KPF_ARCH_2));
		for (other = bit + 1; other < 64; other++)
			if (kpf_name(other))
				assert_string_not_equal(n, kpf_name(other));
	}
	assert_int_equal(named, 27 + 10);  /* bits 0-26 and 32-41 */
}

static void test_kpf_format(void **state)
{
	char buf[512];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	kpf_format(buf, sizeof(buf), 0);
	assert_string_equal(buf, "");

	kpf_format(buf, sizeof(buf), KPF(THP) | KPF(ANON) | KPF(MMAP));
	assert_string_equal(buf, "mmap,anon,thp");  /* lowest bit first */

	/* an anon page as page-types shows it */
	kpf_format(buf, sizeof(buf), 0x5868);
	assert_string_equal(buf, "uptodate,lru,active,mmap,anon,swapbacked");

	kpf_format(buf, sizeof(buf), KPF(ZERO_PAGE) | KPF(RESERVED));
	assert_string_equal(buf, "zero_page,reserved");

	/* bits without a name are shown by number */
	kpf_format(buf, sizeof(buf), (1ULL << 27) | KPF(MMAP) | (1ULL << 63));
	assert_string_equal(buf, "mmap,bit27,bit63");

	kpf_format(buf, sizeof(buf), 1ULL << 0);
	assert_string_equal(buf, "locked");
}

static void test_kpf_format_all_bits_fits_512(void **state)
{
	char buf[512];

	(void)state;
	kpf_format(buf, sizeof(buf), ~0ULL);
	assert_true(strlen(buf) < sizeof(buf) - 1);  /* render-inspect uses 512 */
	assert_non_null(strstr(buf, "locked,error,referenced,"));
	assert_non_null(strstr(buf, ",pgtable,bit27,bit28,bit29,bit30,bit31,reserved,"));
	assert_non_null(strstr(buf, ",arch_2,bit42,"));
	assert_int_equal(strcmp(buf + strlen(buf) - 6, ",bit63"), 0);
}

static void test_kpf_format_truncates(void **state)
{
	char buf[16];
	uint64_t f = KPF(THP) | KPF(ANON) | KPF(MMAP);

	(void)state;
	memset(buf, 'x', sizeof(buf));
	kpf_format(buf, 10, f);           /* "mmap,anon,thp" does not fit */
	assert_string_equal(buf, "mmap,anon");
	assert_int_equal(buf[10], 'x');    /* never past size */

	memset(buf, 'x', sizeof(buf));
	kpf_format(buf, 7, f);
	assert_string_equal(buf, "mmap,a");
	assert_int_equal(buf[7], 'x');

	memset(buf, 'x', sizeof(buf));
	kpf_format(buf, 1, f);
	assert_string_equal(buf, "");
	assert_int_equal(buf[1], 'x');
}

static void test_kpf_format_stops_at_size(void **state)
{
	char big[96];
	size_t i;

	(void)state;
	/* many bits after the cut: nothing may be written past size */
	memset(big, 'x', sizeof(big));
	kpf_format(big, 16, ~0ULL);
	assert_string_equal(big, "locked,error,re");
	for (i = 16; i < sizeof(big); i++)
		assert_int_equal(big[i], 'x');
}

/* --- kpf_read against a fake /proc/kpageflags --------------------------------- */

#define NR_PFNS 0x1000ULL

static const struct kpf_entry entries[] = {
	{ 0x000, KPF(RESERVED) },
	{ 0x010, 0x5868 },                                     /* anon */
	{ 0x011, 0x5868 | KPF(REFERENCED) },
	{ 0x012, KPF(MMAP) | KPF(LRU) | KPF(UPTODATE) },       /* file */
	{ 0x013, KPF(NOPAGE) },
	{ 0x200, KPF(THP) | KPF(COMPOUND_HEAD) | KPF(ANON) | KPF(MMAP) },
	{ 0x201, KPF(THP) | KPF(COMPOUND_TAIL) | KPF(ANON) | KPF(MMAP) },
	{ 0xffe, KPF(ZERO_PAGE) | KPF(RESERVED) },
	{ 0xfff, KPF(HUGE) | KPF(COMPOUND_TAIL) },
};

static void test_kpf_read_known_offsets(void **state)
{
	struct kpf_reader r;
	uint64_t out[8];

	(void)state;
	write_kpageflags(NR_PFNS, entries, sizeof(entries) / sizeof(entries[0]));
	assert_int_equal(kpf_open(&r), 0);
	assert_true(r.fd >= 0);
	assert_int_equal(r.err, 0);

	memset(out, 0xaa, sizeof(out));
	assert_int_equal(kpf_read(&r, 0x10, 4, out), 4);
	assert_int_equal(out[0], 0x5868);
	assert_int_equal(out[1], 0x5868 | KPF(REFERENCED));
	assert_int_equal(out[2], KPF(MMAP) | KPF(LRU) | KPF(UPTODATE));
	assert_int_equal(out[3], KPF(NOPAGE));

	/* a window with holes: pfns never written read as 0 */
	memset(out, 0xaa, sizeof(out));
	assert_int_equal(kpf_read(&r, 0x1fe, 4, out), 4);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 0);
	assert_int_equal(out[2], KPF(THP) | KPF(COMPOUND_HEAD) | KPF(ANON) | KPF(MMAP));
	assert_int_equal(out[3], KPF(THP) | KPF(COMPOUND_TAIL) | KPF(ANON) | KPF(MMAP));

	/* pfn 0 */
	assert_int_equal(kpf_read(&r, 0, 1, out), 1);
	assert_int_equal(out[0], KPF(RESERVED));

	/* n == 0 reads nothing */
	out[0] = 42;
	assert_int_equal(kpf_read(&r, 0x10, 0, out), 0);
	assert_int_equal(out[0], 42);
	kpf_close(&r);
	assert_int_equal(r.fd, -1);
}

static void test_kpf_read_past_eof(void **state)
{
	struct kpf_reader r;
	uint64_t out[8];

	(void)state;
	write_kpageflags(NR_PFNS, entries, sizeof(entries) / sizeof(entries[0]));
	assert_int_equal(kpf_open(&r), 0);

	/* the last two pfns exist, the next two do not */
	memset(out, 0xaa, sizeof(out));
	assert_int_equal(kpf_read(&r, NR_PFNS - 2, 4, out), 2);
	assert_int_equal(out[0], KPF(ZERO_PAGE) | KPF(RESERVED));
	assert_int_equal(out[1], KPF(HUGE) | KPF(COMPOUND_TAIL));

	/* entirely past the end */
	assert_int_equal(kpf_read(&r, NR_PFNS, 1, out), 0);
	assert_int_equal(kpf_read(&r, 0x100000, 8, out), 0);
	kpf_close(&r);
}

static void test_kpf_read_large_window(void **state)
{
	struct kpf_reader r;
	uint64_t *out = calloc(NR_PFNS, 8);

	(void)state;
	assert_non_null(out);
	write_kpageflags(NR_PFNS, entries, sizeof(entries) / sizeof(entries[0]));
	assert_int_equal(kpf_open(&r), 0);
	assert_int_equal(kpf_read(&r, 0, NR_PFNS + 100, out), NR_PFNS);
	assert_int_equal(out[0x000], KPF(RESERVED));
	assert_int_equal(out[0x013], KPF(NOPAGE));
	assert_int_equal(out[0x201], KPF(THP) | KPF(COMPOUND_TAIL) | KPF(ANON) | KPF(MMAP));
	assert_int_equal(out[0x500], 0);
	assert_int_equal(out[0xfff], KPF(HUGE) | KPF(COMPOUND_TAIL));
	kpf_close(&r);
	free(out);
}

static void test_kpf_open_missing(void **state)
{
	char p[128];
	struct kpf_reader r;
	uint64_t out[1];

	(void)state;
	snprintf(p, sizeof(p), "%s/proc/kpageflags", root);
	unlink(p);
	assert_int_equal(kpf_open(&r), -ENOENT);
	assert_int_equal(r.fd, -1);
	assert_int_equal(r.err, -ENOENT);
	/* reads report why */
	assert_int_equal(kpf_read(&r, 0, 1, out), -ENOENT);
	kpf_close(&r);  /* harmless */
	assert_int_equal(r.fd, -1);
}

static void test_kpf_read_after_close(void **state)
{
	struct kpf_reader r;
	uint64_t out[1];

	(void)state;
	write_kpageflags(NR_PFNS, entries, 1);
	assert_int_equal(kpf_open(&r), 0);
	kpf_close(&r);
	assert_int_equal(kpf_read(&r, 0, 1, out), -EBADF);
	kpf_close(&r);  /* twice is fine */
}

/*
 * A captured kpageflags whose last entry is torn (size not a multiple of 8,
 * e.g. a copy cut short).  Run in a child with an alarm: returns the child's
 * exit code, or -1 when it hung.
 */
static long torn_result;

static int read_torn(void)
{
	struct kpf_reader r;
	uint64_t out[8];

	if (kpf_open(&r))
		return 3;
	torn_result = kpf_read(&r, 0, 8, out);
	/* three whole entries, or an error: never the torn one */
	return (torn_result == 3 || torn_result < 0) ? 0 : 2;
}

/*
 * Regression (was a bug, fixed): kpf_read() never returns on a file whose size is not a
 * multiple of 8: pread() keeps returning the 4 trailing bytes, done += 4/8
 * adds nothing, and the loop re-reads the same offset forever.  Input: a
 * proc/kpageflags of 28 bytes (3.5 entries), kpf_read(pfn 0, n 8).  Expected:
 * returns 3 (or a negative errno); actual: spins.
 */
static void test_kpf_read_torn_file_terminates(void **state)
{
	char p[128];
	uint64_t e[4] = { 0x5868, 0x5868, KPF(RESERVED), 0x5868 };
	int fd, status;
	pid_t pid;

	(void)state;
	snprintf(p, sizeof(p), "%s/proc/kpageflags", root);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0444);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, e, 28), 28);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kpf_name),
		cmocka_unit_test(test_kpf_name_every_bit),
		cmocka_unit_test(test_kpf_format),
		cmocka_unit_test(test_kpf_format_all_bits_fits_512),
		cmocka_unit_test(test_kpf_format_truncates),
		cmocka_unit_test(test_kpf_format_stops_at_size),
		cmocka_unit_test_setup_teardown(test_kpf_read_known_offsets, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_kpf_read_past_eof, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_kpf_read_large_window, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_kpf_open_missing, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_kpf_read_after_close, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_kpf_read_torn_file_terminates,
						setup_root, teardown_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
