// SPDX-License-Identifier: GPL-2.0-or-later
/* The progress line's text (pure) and the off switch: no terminal, no line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <cmocka.h>

#include "render/progress.h"

#define G (1ULL << 30)

static void text(void **state)
{
	char b[160];

	(void)state;
	progress_text(b, sizeof(b), "scanned", 2 * G, 8 * G, 0.5);
	assert_string_equal(b, "scanned 2G of 8G mapped (25%), 4G/s");
	/* [vsyscall] is outside total_vm: done may pass total, the line stops at 100% */
	progress_text(b, sizeof(b), "captured", 8 * G + 4096, 8 * G, 1.0);
	assert_string_equal(b, "captured 8.0G of 8G mapped (100%), 8.0G/s");
	/* no time yet: no rate rather than a division by zero */
	progress_text(b, sizeof(b), "scanned", 4096, 8 * G, 0);
	assert_string_equal(b, "scanned 4K of 8G mapped (0%), -/s");
}

static void off(void **state)
{
	struct progress p;
	int saved = dup(STDERR_FILENO), null = open("/dev/null", O_WRONLY);

	(void)state;
	/* stderr not a terminal (here /dev/null, whatever runs the test): off */
	assert_true(saved >= 0 && null >= 0);
	assert_int_equal(dup2(null, STDERR_FILENO), STDERR_FILENO);
	progress_begin(&p, "scanned", 64 * G, true);
	assert_int_equal(dup2(saved, STDERR_FILENO), STDERR_FILENO);
	close(saved);
	close(null);
	assert_false(p.on);
	progress_begin(&p, "scanned", 64 * G, false);
	assert_false(p.on);
	progress_add(&p, G);          /* off: counts nothing, draws nothing */
	assert_int_equal(p.done, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text),
		cmocka_unit_test(off),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
