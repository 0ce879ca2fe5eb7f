// SPDX-License-Identifier: GPL-2.0-or-later
/* render/columns.c: the one -o LIST parser inspect and groups share, and its one error line. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "lib/error.h"
#include "render/columns.h"

struct col { const char *name; int width; };

static const struct col cols[] = { { "START", 1 }, { "SIZE", 2 }, { "PATH", 3 }, { "DEVICE", 4 } };
static const int defs[] = { 0, 2 };
static const struct column_set set = COLUMN_SET(cols, defs, "demo");

static void parse(void **state)
{
	int v[8], n = -1;

	(void)state;
	err_clear();
	assert_int_equal(columns_parse(&set, NULL, v, 8, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0], 0);
	assert_int_equal(v[1], 2);
	assert_int_equal(columns_parse(&set, "device,Size", v, 8, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0], 3);
	assert_int_equal(v[1], 1);
	assert_int_equal(columns_parse(&set, "+DEVICE", v, 8, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[2], 3);
	/* more than fit: the rest is dropped, not written past the array */
	assert_int_equal(columns_parse(&set, "PATH,PATH,PATH", v, 2, &n), 0);
	assert_int_equal(n, 2);
	assert_false(err_isset());
}

static void unknown(void **state)
{
	int v[8], n;

	(void)state;
	err_clear();
	assert_int_equal(columns_parse(&set, "START,BOGUS,PATH", v, 8, &n), -EINVAL);
	assert_int_equal(err_exit_code(), VP_EXIT_USAGE);
	assert_string_equal(err_message(), "unknown column 'BOGUS'; `vfio-pinctl demo --list-columns` lists them");
	err_clear();
	assert_int_equal(columns_parse(&set, "START,,PATH", v, 8, &n), -EINVAL);
	assert_string_equal(err_message(), "unknown column ''; `vfio-pinctl demo --list-columns` lists them");
	err_clear();
	assert_int_equal(columns_parse(&set, "STARTX", v, 8, &n), -EINVAL);  /* no prefix matches */
	err_clear();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse),
		cmocka_unit_test(unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
