// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests: src/host/mounts.c — which mountinfo lines are fs-dax mounts. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "host/mounts.h"

static void test_dax_lines(void **state)
{
	unsigned ma = 0, mi = 0;

	(void)state;
	/* ext4 -o dax on a fsdax namespace, as 6.1 and 6.12 show it */
	assert_int_equal(mountinfo_line_dax("40 22 259:1 / /mnt/dax rw,relatime shared:20 - ext4 /dev/pmem1 rw,dax\n", &ma, &mi), 1);
	assert_int_equal(ma, 259);
	assert_int_equal(mi, 1);
	assert_int_equal(mountinfo_line_dax("41 22 259:2 / /x rw - xfs /dev/pmem2 rw,attr2,dax=always,inode64\n", &ma, &mi), 1);
	assert_int_equal(mi, 2);
	/* no optional fields at all */
	assert_int_equal(mountinfo_line_dax("42 22 7:0 / /y rw,dax - ext4 /dev/loop0 rw\n", &ma, &mi), 1);
}

static void test_not_dax(void **state)
{
	unsigned ma, mi;

	(void)state;
	assert_int_equal(mountinfo_line_dax("23 1 0:21 / /tmp rw,nosuid shared:2 - tmpfs tmpfs rw\n", &ma, &mi), 0);
	assert_int_equal(mountinfo_line_dax("24 1 1:0 / /wb rw - ext4 /dev/ram0 rw,relatime\n", &ma, &mi), 0);
	assert_int_equal(mountinfo_line_dax("25 1 259:3 / /z rw - xfs /dev/pmem3 rw,dax=inode\n", &ma, &mi), 0);
	/* a source path that contains "dax" is not an option */
	assert_int_equal(mountinfo_line_dax("26 1 259:4 / /dax rw - ext4 /dev/dax rw\n", &ma, &mi), 0);
}

static void test_bad_lines(void **state)
{
	unsigned ma, mi;

	(void)state;
	assert_int_equal(mountinfo_line_dax("", &ma, &mi), -EINVAL);
	assert_int_equal(mountinfo_line_dax("garbage\n", &ma, &mi), -EINVAL);
	assert_int_equal(mountinfo_line_dax("40 22 259:1 / /mnt rw,dax no-separator\n", &ma, &mi), -EINVAL);
}

static void test_has(void **state)
{
	struct dax_mounts m = { .n = 2, .dev = { { 259, 1 }, { 8, 3 } } };

	(void)state;
	assert_true(dax_mounts_has(&m, 259, 1));
	assert_true(dax_mounts_has(&m, 8, 3));
	assert_false(dax_mounts_has(&m, 259, 3));
	m.n = 0;
	assert_false(dax_mounts_has(&m, 259, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dax_lines),
		cmocka_unit_test(test_not_dax),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_has),
	};

	return cmocka_run_group_tests_name("mounts", tests, NULL, NULL);
}
