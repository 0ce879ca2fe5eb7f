// SPDX-License-Identifier: GPL-2.0-or-later
/* pam_limits precedence for memlock, as Linux-PAM applies limits.conf and limits.d. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "host/limits-conf.h"
#include "host/sysroot.h"

static const unsigned qemu_gids[] = { 64055, 993 };
static const char *const qemu_groups[] = { "kvm", "vfio" };
static const struct lc_user qemu = {
	.name = "qemu", .uid = 64055, .gid = 64055,
	.gids = qemu_gids, .groups = qemu_groups, .ngroups = 2,
};

static void apply(struct lc_limit *l, const char *text)
{
	lc_init(l);
	lc_apply_text(l, &qemu, text, "limits.conf");
}

static void user_beats_group_beats_default(void **state)
{
	struct lc_limit l;

	(void)state;
	/* order does not matter between sources: the user line wins */
	apply(&l, "qemu - memlock 4096\n@kvm - memlock 8192\n* - memlock 16384\n");
	assert_int_equal(l.soft, 4096 * 1024);
	assert_int_equal(l.hard, 4096 * 1024);
	assert_int_equal(l.src_soft, LC_USER);
	assert_string_equal(l.soft_from, "limits.conf:1");
	apply(&l, "* - memlock 16384\n@kvm soft memlock 8192\n");
	assert_int_equal(l.soft, 8192 * 1024);
	assert_int_equal(l.hard, 16384 * 1024);
	assert_int_equal(l.src_hard, LC_DEFAULT);
}

static void later_equal_source_overrides(void **state)
{
	struct lc_limit l;

	(void)state;
	apply(&l, "@kvm hard memlock 100\n@vfio hard memlock 200\n");
	assert_int_equal(l.hard, 200 * 1024);
	assert_string_equal(l.hard_from, "limits.conf:2");
	assert_int_equal(l.src_soft, LC_NONE);
}

static void values_and_syntax(void **state)
{
	struct lc_limit l;

	(void)state;
	apply(&l, "  # comment\nqemu SOFT MEMLOCK Unlimited   # trailing\nqemu hard memlock -1\n");
	assert_true(l.soft_inf);
	assert_true(l.hard_inf);
	apply(&l, "qemu soft memlock abc\nqemu soft nofile 10\nother - memlock 1\n");
	assert_int_equal(l.src_soft, LC_NONE);
	assert_int_equal(l.src_hard, LC_NONE);
}

static void uid_and_gid_ranges(void **state)
{
	struct lc_limit l;

	(void)state;
	apply(&l, "1000:70000 soft memlock 1\n");
	assert_int_equal(l.soft, 1024);
	assert_int_equal(l.src_soft, LC_USER);
	apply(&l, ":64055 soft memlock 2\n");
	assert_int_equal(l.soft, 2048);
	apply(&l, "70000: soft memlock 3\n");
	assert_int_equal(l.src_soft, LC_NONE);
	apply(&l, "@:993 soft memlock 4\n");       /* any group of the user */
	assert_int_equal(l.soft, 4096);
	apply(&l, "@900:1000 soft memlock 5\n");   /* ranges test the primary group only */
	assert_int_equal(l.src_soft, LC_NONE);
	apply(&l, "%kvm soft memlock 6\n");        /* % is for maxlogins only */
	assert_int_equal(l.src_soft, LC_NONE);
}

static void dash_soft_blocked_drops_hard(void **state)
{
	struct lc_limit l;

	(void)state;
	/* PAM returns before the hard half when the soft half is blocked */
	apply(&l, "qemu soft memlock 10\n* - memlock 20\n");
	assert_int_equal(l.soft, 10 * 1024);
	assert_int_equal(l.src_hard, LC_NONE);
}

static void no_limits_line_stops(void **state)
{
	struct lc_limit l;
	int rc;

	(void)state;
	lc_init(&l);
	rc = lc_apply_text(&l, &qemu, "@kvm -\nqemu - memlock 5\n", "f");
	assert_int_equal(rc, 1);
	assert_true(l.no_limits);
	assert_int_equal(l.src_soft, LC_NONE);
}

/* limits.conf, then limits.d in name order, through the sysroot seam. */
static void write_file(const char *root, const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void files_in_pam_order(void **state)
{
	char root[] = "/tmp/test-limits-conf.XXXXXX", path[512];
	struct lc_limit l;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(path, sizeof(path), "%s/etc", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/etc/security", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/etc/security/limits.d", root);
	mkdir(path, 0755);
	write_file(root, "/etc/security/limits.conf", "@kvm - memlock 100\n");
	write_file(root, "/etc/security/limits.d/90-b.conf", "@vfio - memlock 300\n");
	write_file(root, "/etc/security/limits.d/10-a.conf", "@vfio - memlock 200\n");
	write_file(root, "/etc/security/limits.d/95-c.txt", "@vfio - memlock 999\n");
	write_file(root, "/etc/security/limits.d/.99-hidden.conf", "@vfio - memlock 999\n");
	sr_set_root(root);
	assert_int_equal(lc_resolve(&l, &qemu), 0);
	sr_set_root(NULL);
	assert_int_equal(l.soft, 300 * 1024);
	assert_string_equal(l.soft_from, "/etc/security/limits.d/90-b.conf:1");
	snprintf(path, sizeof(path), "rm -rf '%s'", root);
	assert_int_equal(system(path), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(user_beats_group_beats_default),
		cmocka_unit_test(later_equal_source_overrides),
		cmocka_unit_test(values_and_syntax),
		cmocka_unit_test(uid_and_gid_ranges),
		cmocka_unit_test(dash_soft_blocked_drops_hard),
		cmocka_unit_test(no_limits_line_stops),
		cmocka_unit_test(files_in_pam_order),
	};

	return cmocka_run_group_tests_name("limits-conf", tests, NULL, NULL);
}
