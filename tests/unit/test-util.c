// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests: src/util.c (parse_size, parse_u64, format_size, has_word, str_copy, skip_prefix). */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/util.h"

/*
 * Run fn in a child with a time limit, so a hang fails one test instead of
 * the whole suite.  Returns the child's exit code, or -1 if it was killed
 * (the alarm fired: it hung).
 */
static int run_bounded(int (*fn)(void), unsigned seconds)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		alarm(seconds);
		_exit(fn());
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* --- parse_size ------------------------------------------------------------ */

static void expect_size(const char *s, uint64_t want)
{
	uint64_t v = 0xdeadbeef;

	assert_int_equal(parse_size(s, &v), 0);
	assert_int_equal(v, want);
}

static void expect_size_err(const char *s, int err)
{
	uint64_t v = 0xdeadbeef;

	assert_int_equal(parse_size(s, &v), err);
	assert_int_equal(v, 0xdeadbeef);  /* untouched on failure */
}

static void test_parse_size_units(void **state)
{
	(void)state;
	expect_size("4K", 4096);
	expect_size("4k", 4096);
	expect_size("4M", 4ULL << 20);
	expect_size("1G", 1ULL << 30);
	expect_size("2MiB", 2ULL << 20);
	expect_size("2mib", 2ULL << 20);
	expect_size("64KB", 64ULL << 10);
	expect_size("3T", 3ULL << 40);
	expect_size("1P", 1ULL << 50);
	expect_size("16383P", 16383ULL << 50);  /* largest P value that fits */
}

static void test_parse_size_plain(void **state)
{
	(void)state;
	expect_size("0", 0);
	expect_size("0K", 0);
	expect_size("4096", 4096);
	expect_size("1", 1);
	expect_size("18446744073709551615", UINT64_MAX);
}

static void test_parse_size_overflow(void **state)
{
	(void)state;
	expect_size_err("18446744073709551616", -ERANGE);  /* 2^64 */
	expect_size_err("99999999999999999999999", -ERANGE);
	expect_size_err("16384P", -ERANGE);                /* 2^14 << 50 = 2^64 */
	expect_size_err("16777216T", -ERANGE);             /* 2^24 << 40 = 2^64 */
	expect_size_err("17179869184G", -ERANGE);          /* 2^34 << 30 = 2^64 */
	expect_size_err("18014398509481984K", -ERANGE);    /* 2^54 << 10 = 2^64 */
}

static void test_parse_size_junk(void **state)
{
	(void)state;
	expect_size_err("", -EINVAL);
	expect_size_err("K", -EINVAL);
	expect_size_err("abc", -EINVAL);
	expect_size_err("-4K", -EINVAL);
	expect_size_err(" 4K", -EINVAL);
	expect_size_err("4 K", -EINVAL);
	expect_size_err("4X", -EINVAL);
	expect_size_err("4Mi", -EINVAL);
	expect_size_err("4MiBs", -EINVAL);
	expect_size_err("4KK", -EINVAL);
	expect_size_err("0x10", -EINVAL);
	expect_size_err("1.5G", -EINVAL);
	expect_size_err("4K\n", -EINVAL);
	expect_size_err(NULL, -EINVAL);
}

/* --- parse_u64 ------------------------------------------------------------- */

static void test_parse_u64_ok(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(parse_u64("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_u64("4242", &v), 0);
	assert_int_equal(v, 4242);
	assert_int_equal(parse_u64("0x1f", &v), 0);
	assert_int_equal(v, 0x1f);
	assert_int_equal(parse_u64("0XFE000000", &v), 0);
	assert_int_equal(v, 0xfe000000ULL);
	assert_int_equal(parse_u64("18446744073709551615", &v), 0);
	assert_int_equal(v, UINT64_MAX);
	assert_int_equal(parse_u64("0xffffffffffffffff", &v), 0);
	assert_int_equal(v, UINT64_MAX);
}

static void test_parse_u64_errors(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(parse_u64(NULL, &v), -EINVAL);
	assert_int_equal(parse_u64("", &v), -EINVAL);
	assert_int_equal(parse_u64("-1", &v), -EINVAL);
	assert_int_equal(parse_u64(" 1", &v), -EINVAL);
	assert_int_equal(parse_u64("1 ", &v), -EINVAL);
	assert_int_equal(parse_u64("12abc", &v), -EINVAL);
	assert_int_equal(parse_u64("4K", &v), -EINVAL);
	assert_int_equal(parse_u64("0x", &v), -EINVAL);
	assert_int_equal(parse_u64("18446744073709551616", &v), -ERANGE);
	assert_int_equal(parse_u64("0x10000000000000000", &v), -ERANGE);
}

/*
 * Regression (was a bug, fixed): util.h documents parse_u64 as "decimal or 0x", but it
 * parses with base 0, so a leading zero means octal: "010" gives 8 and "08"
 * is rejected with -EINVAL.  Expected: 10 and 8.
 */
static void test_parse_u64_leading_zero_is_decimal(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(parse_u64("08", &v), 0);
	assert_int_equal(v, 8);
	assert_int_equal(parse_u64("010", &v), 0);
	assert_int_equal(v, 10);
}

/* --- format_size ----------------------------------------------------------- */

static void expect_fmt(uint64_t bytes, const char *want)
{
	char buf[32];

	memset(buf, 'x', sizeof(buf));
	format_size(buf, sizeof(buf), bytes);
	assert_string_equal(buf, want);
}

static void test_format_size(void **state)
{
	(void)state;
	expect_fmt(0, "0B");
	expect_fmt(1, "1B");
	expect_fmt(1023, "1023B");
	expect_fmt(1024, "1K");
	expect_fmt(1536, "1.5K");
	expect_fmt(4096, "4K");
	expect_fmt(4ULL << 20, "4M");
	expect_fmt((4ULL << 20) + (4ULL << 20) / 10 + 1, "4.4M");
	expect_fmt(3ULL << 29, "1.5G");                 /* 1.5 GiB */
	expect_fmt(150ULL << 20, "150M");
	expect_fmt((150ULL << 20) + (300ULL << 10), "150M");  /* >= 100: no decimal */
	expect_fmt(1ULL << 40, "1T");
	expect_fmt(1ULL << 60, "1E");
	expect_fmt(UINT64_MAX, "16E");
}

static void test_format_size_truncates(void **state)
{
	char buf[3];

	(void)state;
	format_size(buf, sizeof(buf), 1536);  /* "1.5K" does not fit */
	assert_string_equal(buf, "1.");
}

/* --- has_word / skip_prefix ------------------------------------------------ */

static void test_has_word(void **state)
{
	const char *vmf = "rd wr mr mw me ac sd";

	(void)state;
	assert_true(has_word(vmf, "rd"));     /* first */
	assert_true(has_word(vmf, "me"));     /* middle */
	assert_true(has_word(vmf, "sd"));     /* last */
	assert_false(has_word(vmf, "pf"));
	assert_false(has_word(vmf, "r"));     /* prefix of a word */
	assert_false(has_word(vmf, "d"));     /* suffix of a word */
	assert_false(has_word(vmf, "rd wrx"));
	assert_true(has_word(vmf, "rd wr"));  /* a run of words is still bounded */
	assert_false(has_word("", "rd"));
	assert_false(has_word("pfx io", "pf"));
	assert_true(has_word("xpf pf", "pf"));  /* substring first, then the word */
	assert_true(has_word("rd wr io\n", "io"));  /* a line as read, newline kept */
	assert_true(has_word("rd  wr", "wr"));      /* double space */
	assert_false(has_word("rd\two", "wo"));     /* only spaces separate */
	assert_true(has_word("ht", "ht"));
}

static int has_word_empty(void)
{
	return has_word("rd wr", "") ? 1 : 0;
}

/*
 * Regression (was a bug, fixed): has_word(list, "") never returns for a list that does not
 * start with a space: strstr() finds "" at p, the boundary test fails, and
 * p += strlen("") does not advance.  Expected: returns 0 (no empty word).
 */
static void test_has_word_empty_word_terminates(void **state)
{
	(void)state;
	assert_int_equal(run_bounded(has_word_empty, 2), 0);
}

static void test_skip_prefix(void **state)
{
	const char *s = "VmFlags: rd wr";

	(void)state;
	assert_ptr_equal(skip_prefix(s, "VmFlags:"), s + 8);
	assert_ptr_equal(skip_prefix(s, ""), s);
	assert_null(skip_prefix(s, "VmFlag:"));
	assert_null(skip_prefix("Vm", "VmFlags:"));
}

/* --- str_copy -------------------------------------------------------------- */

static void test_str_copy(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(str_copy(buf, sizeof(buf), "vfio-pci"), 8);
	assert_string_equal(buf, "vfio-pc");   /* truncated, terminated */

	memset(buf, 'x', sizeof(buf));
	assert_int_equal(str_copy(buf, sizeof(buf), "vfio-pc"), 7);
	assert_string_equal(buf, "vfio-pc");   /* exactly fits */

	memset(buf, 'x', sizeof(buf));
	assert_int_equal(str_copy(buf, sizeof(buf), ""), 0);
	assert_string_equal(buf, "");
	assert_int_equal(buf[1], 'x');         /* writes no more than it needs */

	memset(buf, 'x', sizeof(buf));
	assert_int_equal(str_copy(buf, 1, "abc"), 3);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[1], 'x');

	memset(buf, 'x', sizeof(buf));
	assert_int_equal(str_copy(buf, 0, "abc"), 3);
	assert_int_equal(buf[0], 'x');         /* size 0: nothing written */
}

/* --- format_size_pair, format_size_exact ------------------------------------ */

static void pair(uint64_t x, uint64_t y, const char *wx, const char *wy)
{
	char a[32], b[32];

	format_size_pair(a, sizeof(a), x, b, sizeof(b), y);
	assert_string_equal(a, wx);
	assert_string_equal(b, wy);
}

static void test_format_size_pair(void **state)
{
	(void)state;
	pair(256ULL << 20, (256ULL << 20) + (256 << 10), "256M", "256.25M");   /* issue 9 */
	pair(256ULL << 20, 256ULL << 20, "256M", "256M");
	pair(8ULL << 20, 4ULL << 30, "8M", "4G");               /* far apart: each its own unit */
	pair((256ULL << 20) + 1, 256ULL << 20, "256.000001M", "256M");   /* one byte */
	pair((1ULL << 40) + 1, 1ULL << 40, "1099511627777B", "1099511627776B");   /* below a millionth: bytes */
	pair(0, 4096, "0B", "4K");
	/* 255.96M (not exact) against 256M: enough decimals, never "256M vs 256M" */
	pair(268393021, 256ULL << 20, "255.96M", "256M");
}

static void test_format_size_exact(void **state)
{
	char b[32];

	(void)state;
	format_size_exact(b, sizeof(b), (256ULL << 20) + (256 << 10));
	assert_string_equal(b, "256.25M");
	format_size_exact(b, sizeof(b), (4ULL << 30) - (8ULL << 20));
	assert_string_equal(b, "4088M");
	format_size_exact(b, sizeof(b), 262144);
	assert_string_equal(b, "256K");
	format_size_exact(b, sizeof(b), 1000001);
	assert_string_equal(b, "1000001B");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_size_units),
		cmocka_unit_test(test_parse_size_plain),
		cmocka_unit_test(test_parse_size_overflow),
		cmocka_unit_test(test_parse_size_junk),
		cmocka_unit_test(test_parse_u64_ok),
		cmocka_unit_test(test_parse_u64_errors),
		cmocka_unit_test(test_parse_u64_leading_zero_is_decimal),
		cmocka_unit_test(test_format_size),
		cmocka_unit_test(test_format_size_truncates),
		cmocka_unit_test(test_has_word),
		cmocka_unit_test(test_has_word_empty_word_terminates),
		cmocka_unit_test(test_skip_prefix),
		cmocka_unit_test(test_str_copy),
		cmocka_unit_test(test_format_size_pair),
		cmocka_unit_test(test_format_size_exact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
