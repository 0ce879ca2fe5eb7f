// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * host/vmm-read.c: this very process's /proc/self/cmdline read live and parsed
 * back to its own argv; a captured cmdline through --sysroot; a file, a
 * directory, a missing path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "host/vmm-read.h"
#include "lib/error.h"
#include "model/vmm.h"
#include "tmproot.h"

static int g_argc;
static char **g_argv;

static void live_self_cmdline_is_our_argv(void **state)
{
	struct vmm_argv a;
	char *buf;
	size_t len;
	int i;

	(void)state;
	assert_int_equal(vmm_read_cmdline(getpid(), &buf, &len), 0);
	assert_int_equal(buf[len - 1], '\0');         /* the kernel NUL-terminates each argument */
	assert_int_equal(vmm_argv_split(buf, len, &a), 0);
	assert_int_equal(a.argc, g_argc);
	for (i = 0; i < g_argc; i++)
		assert_string_equal(a.argv[i], g_argv[i]);
	vmm_argv_free(&a);
	free(buf);
}

static void captured_cmdline_through_sysroot(void **state)
{
	static const char qemu[] = "qemu-system-x86_64\0-m\0" "256\0-device\0vfio-pci,host=0000:00:03.0\0";
	static const char *const dirs[] = { "/proc", "/proc/4242", NULL };
	static struct vmm_config c;
	char p[128], *buf;
	size_t len;
	FILE *f;

	(void)state;
	assert_int_equal(tmproot_make("vmm", dirs), 0);
	snprintf(p, sizeof(p), "%s/proc/4242/cmdline", root);
	f = fopen(p, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(qemu, 1, sizeof(qemu) - 1, f), sizeof(qemu) - 1);
	fclose(f);
	assert_int_equal(vmm_read_cmdline(4242, &buf, &len), 0);
	assert_int_equal(len, sizeof(qemu) - 1);
	err_clear();
	assert_int_equal(vmm_cmdline_parse(buf, len, &c), 0);
	assert_int_equal(c.ram_bytes, 256ULL << 20);
	assert_string_equal(c.devices[0].bdf, "0000:00:03.0");
	free(buf);
	assert_int_equal(vmm_read_cmdline(4243, &buf, &len), -ENOENT);
	/* a file named on the command line, a directory, nothing */
	assert_int_equal(vmm_read_file(p, &buf, &len), 0);
	assert_int_equal(len, sizeof(qemu) - 1);
	free(buf);
	snprintf(p, sizeof(p), "%s/proc", root);
	assert_int_equal(vmm_read_file(p, &buf, &len), -EINVAL);
	snprintf(p, sizeof(p), "%s/nope", root);
	assert_int_equal(vmm_read_file(p, &buf, &len), -ENOENT);
	assert_int_equal(tmproot_remove(), 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(live_self_cmdline_is_our_argv),
		cmocka_unit_test(captured_cmdline_through_sysroot),
	};

	g_argc = argc;
	g_argv = argv;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
