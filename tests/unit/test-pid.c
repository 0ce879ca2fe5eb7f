// SPDX-License-Identifier: GPL-2.0-or-later
/* lib: the one pid parser (check, inspect, capture, map) and errno_name. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "lib/error.h"
#include "lib/util.h"

static void pids(void **state)
{
	char big[32];
	int pid = -1;

	(void)state;
	assert_int_equal(parse_pid("1", false, &pid), 0);
	assert_int_equal(pid, 1);
	assert_int_equal(parse_pid("4194305", false, &pid), 0);   /* above pid_max: "no process", not bad usage */
	assert_int_equal(pid, 4194305);
	assert_int_equal(parse_pid("self", true, &pid), 0);
	assert_int_equal(pid, 0);
	assert_int_equal(parse_pid("self", false, &pid), -EINVAL);
	/* the four copies disagreed on "": it is not a pid */
	assert_int_equal(parse_pid("", true, &pid), -EINVAL);
	assert_int_equal(parse_pid("", false, &pid), -EINVAL);
	assert_int_equal(parse_pid("12ab", true, &pid), -EINVAL);
	assert_int_equal(parse_pid("-1", true, &pid), -EINVAL);
	assert_int_equal(parse_pid("+1", true, &pid), -EINVAL);
	assert_int_equal(parse_pid(" 1", true, &pid), -EINVAL);
	assert_int_equal(parse_pid("1 ", true, &pid), -EINVAL);
	/* /proc never names a pid with a leading zero (fs/proc/util.c name_to_int), and 0 is no process */
	assert_int_equal(parse_pid("007", true, &pid), -EINVAL);
	assert_int_equal(parse_pid("0", true, &pid), -EINVAL);
	snprintf(big, sizeof(big), "%d", INT_MAX);
	assert_int_equal(parse_pid(big, false, &pid), 0);
	assert_int_equal(pid, INT_MAX);
	snprintf(big, sizeof(big), "%lld", (long long)INT_MAX + 1);
	assert_int_equal(parse_pid(big, false, &pid), -EINVAL);
	assert_int_equal(parse_pid("99999999999999999999999", false, &pid), -EINVAL);
}

static void errno_names(void **state)
{
	(void)state;
	assert_string_equal(errno_name(-ENOMEM), "ENOMEM");
	assert_string_equal(errno_name(ENOSPC), "ENOSPC");
	/* names the hand-written table lacked */
	assert_string_equal(errno_name(-EHWPOISON), "EHWPOISON");
	assert_string_equal(errno_name(-ENOTSUP), "EOPNOTSUPP");   /* the same number on Linux */
	assert_string_equal(errno_name(0), "E0");
	assert_string_equal(errno_name(-4000), "E4000");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pids),
		cmocka_unit_test(errno_names),
	};

	return cmocka_run_group_tests_name("pid", tests, NULL, NULL);
}
