// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * capture by record: each sr_* call reports its path and use to the recorder,
 * live only; sr_run keeps a command's real output (or that it failed) and a
 * replay reads it back;
 * the recorded set merges the uses of one path.  Against the real procfs and a
 * real command (echo), nothing mocked.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "host/capture.h"
#include "tmproot.h"

static struct rec_set seen;
static char run_data[64];

static void recorder(void *arg, const char *path, unsigned access, const char *data, size_t len)
{
	(void)arg;
	assert_int_equal(rec_set_add(&seen, path, access), 0);
	if ((access & SR_RUN) && len)   /* a failure is kept with no data */
		snprintf(run_data, sizeof(run_data), "%.*s", (int)len, data);
}

static unsigned access_of(const char *path)
{
	size_t i;

	for (i = 0; i < seen.cap; i++)
		if (seen.v[i].path && !strcmp(seen.v[i].path, path))
			return seen.v[i].access;
	return 0;
}

static void each_reader_reports_its_use(void **state)
{
	char *text, buf[256];
	struct stat st;
	DIR *d;

	(void)state;
	sr_set_recorder(recorder, NULL);
	assert_int_equal(sr_read_text("/proc/self/status", &text, NULL), 0);
	free(text);
	d = sr_opendir("/proc/self/fd");
	assert_non_null(d);
	closedir(d);
	assert_int_equal(sr_stat("/proc/self/limits", &st), 0);
	assert_true(sr_exists("/proc/self/maps"));
	assert_int_equal(sr_readlink("/proc/self/exe", buf, sizeof(buf)), 0);
	assert_int_equal(sr_read_line("/proc/sys/kernel/osrelease", buf, sizeof(buf)), 0);
	sr_note("/lib/modules/x/modules.*", SR_GLOB);
	sr_set_recorder(NULL, NULL);

	assert_int_equal(access_of("/proc/self/status"), SR_READ);
	assert_int_equal(access_of("/proc/self/fd"), SR_LIST);
	assert_int_equal(access_of("/proc/self/limits"), SR_STAT);
	assert_int_equal(access_of("/proc/self/maps"), SR_STAT);
	assert_int_equal(access_of("/proc/self/exe"), SR_LINK);
	assert_int_equal(access_of("/proc/sys/kernel/osrelease"), SR_READ);
	assert_int_equal(access_of("/lib/modules/x/modules.*"), SR_GLOB);
	assert_int_equal(seen.n, 7);
	rec_set_free(&seen);
}

static void nothing_recorded_without_a_recorder_or_under_a_sysroot(void **state)
{
	char *text;

	(void)state;
	assert_int_equal(sr_read_text("/proc/self/status", &text, NULL), 0);
	free(text);
	assert_int_equal(seen.n, 0);
	assert_int_equal(tmproot_make("record", (const char *const[]){ "/proc", NULL }), 0);
	sr_set_recorder(recorder, NULL);
	assert_false(sr_exists("/proc/self/status"));
	sr_set_recorder(NULL, NULL);
	assert_int_equal(tmproot_remove(), 0);
	assert_int_equal(seen.n, 0);
}

static void run_keeps_the_output_and_a_replay_reads_it(void **state)
{
	char *argv[] = { "echo", "LimitMEMLOCK=64M", NULL };
	char *fail[] = { "false", NULL };
	char *none[] = { "vfio-pinctl-no-such-command", NULL };
	char p[128], *out = NULL;
	FILE *f;

	(void)state;
	sr_set_recorder(recorder, NULL);
	assert_int_equal(sr_run("/run/vfio-pinctl/t/echo", argv, &out), 0);
	assert_string_equal(out, "LimitMEMLOCK=64M\n");
	free(out);
	/* a failed or missing command records nothing: the replay takes the same fallback */
	assert_int_equal(sr_run("/run/vfio-pinctl/t/false", fail, &out), -ENOEXEC);
	assert_int_equal(sr_run("/run/vfio-pinctl/t/none", none, &out), -ENOEXEC);
	sr_set_recorder(NULL, NULL);
	assert_string_equal(run_data, "LimitMEMLOCK=64M\n");
	assert_int_equal(access_of("/run/vfio-pinctl/t/echo"), SR_RUN);
	assert_int_equal(access_of("/run/vfio-pinctl/t/false"), 0);
	assert_int_equal(access_of("/run/vfio-pinctl/t/false.failed"), SR_RUN);
	assert_int_equal(access_of("/run/vfio-pinctl/t/none.failed"), SR_RUN);
	rec_set_free(&seen);

	/* replay: the kept output, never the command */
	assert_int_equal(tmproot_make("run", (const char *const[]){ "/run", "/run/vfio-pinctl",
					"/run/vfio-pinctl/t", NULL }), 0);
	snprintf(p, sizeof(p), "%s/run/vfio-pinctl/t/echo", root);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs("LimitMEMLOCK=1G\n", f);
	fclose(f);
	assert_int_equal(sr_run("/run/vfio-pinctl/t/echo", argv, &out), 0);
	assert_string_equal(out, "LimitMEMLOCK=1G\n");
	free(out);
	/* no output kept: -ENOENT; a failure kept: the same -ENOEXEC as live */
	assert_int_equal(sr_run("/run/vfio-pinctl/t/false", fail, &out), -ENOENT);
	snprintf(p, sizeof(p), "%s/run/vfio-pinctl/t/false.failed", root);
	f = fopen(p, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(sr_run("/run/vfio-pinctl/t/false", fail, &out), -ENOEXEC);
	assert_int_equal(tmproot_remove(), 0);
}

static void set_merges_uses_and_grows(void **state)
{
	struct rec_set s = { 0 };
	char p[64];
	int i;

	(void)state;
	assert_int_equal(rec_set_add(&s, "/sys/bus/pci/devices", SR_LIST), 0);
	assert_int_equal(rec_set_add(&s, "/sys/bus/pci/devices", SR_STAT), 0);
	assert_int_equal(s.n, 1);
	/* not paths the line protocol can carry: ignored */
	assert_int_equal(rec_set_add(&s, "relative", SR_READ), 0);
	assert_int_equal(rec_set_add(&s, "/a\nb", SR_READ), 0);
	assert_int_equal(s.n, 1);
	for (i = 0; i < 5000; i++) {
		snprintf(p, sizeof(p), "/proc/%d/status", i);
		assert_int_equal(rec_set_add(&s, p, SR_READ), 0);
	}
	assert_int_equal(s.n, 5001);
	assert_true(s.cap >= 2 * s.n);
	for (i = 0; i < (int)s.cap; i++)
		if (s.v[i].path && !strcmp(s.v[i].path, "/sys/bus/pci/devices"))
			assert_int_equal(s.v[i].access, SR_LIST | SR_STAT);
	rec_set_free(&s);
	assert_int_equal(s.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_reader_reports_its_use),
		cmocka_unit_test(nothing_recorded_without_a_recorder_or_under_a_sysroot),
		cmocka_unit_test(run_keeps_the_output_and_a_replay_reads_it),
		cmocka_unit_test(set_merges_uses_and_grows),
	};

	return cmocka_run_group_tests_name("record", tests, NULL, NULL);
}
