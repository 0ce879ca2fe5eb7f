// SPDX-License-Identifier: GPL-2.0-or-later
/* check's pure rules: the exit code, the command line (roles, viability, BDFs: test-groups.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "check/check.h"

static void exit_codes(void **state)
{
	struct check_list l = { 0 };

	(void)state;
	assert_int_equal(check_exit_code(&l), 0);
	check_set(check_add(&l, "a", NULL), ST_SKIP, "x");
	check_set(check_add(&l, "b", NULL), ST_PASS, "x");
	assert_int_equal(check_exit_code(&l), 0);
	check_set(check_add(&l, "c", NULL), ST_WARN, "x");
	assert_int_equal(check_exit_code(&l), 1);
	check_set(check_add(&l, "d", NULL), ST_UNKNOWN, "x");
	assert_int_equal(check_exit_code(&l), 3);   /* could not check outranks a warning */
	check_set(check_add(&l, "e", "0000:00:03.0"), ST_FAIL, "x");
	assert_int_equal(check_exit_code(&l), 2);   /* a failure outranks everything */
	assert_string_equal(l.v[4].subject, "0000:00:03.0");
	assert_int_equal(check_status_value(ST_SKIP), 3);
	assert_int_equal(check_status_value(ST_UNKNOWN), 3);
	assert_int_equal(check_status_value(ST_FAIL), 2);
	assert_string_equal(check_exit_name(2), "CRITICAL");
	check_list_free(&l);
}

static void cmdline(void **state)
{
	const char *cl = "BOOT_IMAGE=/vmlinuz ro intel_iommu=on,sm_on iommu=pt intel_iommu=off nointremap\n";
	char v[32];

	(void)state;
	assert_int_equal(cmdline_param(cl, "intel_iommu", v, sizeof(v)), 0);
	assert_string_equal(v, "off");            /* the last one wins, as in the kernel */
	assert_int_equal(cmdline_param(cl, "iommu", v, sizeof(v)), 0);
	assert_string_equal(v, "pt");
	assert_int_equal(cmdline_param(cl, "amd_iommu", v, sizeof(v)), -ENOENT);
	assert_true(cmdline_flag(cl, "nointremap"));
	assert_false(cmdline_flag(cl, "intremap"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exit_codes),
		cmocka_unit_test(cmdline),
	};

	return cmocka_run_group_tests_name("check-logic", tests, NULL, NULL);
}
