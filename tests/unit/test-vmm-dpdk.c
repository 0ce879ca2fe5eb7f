// SPDX-License-Identifier: GPL-2.0-or-later
/* DPDK EAL options to facts: the line Debian's dpdk-testpmd runs in our guest, and EAL's forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "lib/error.h"
#include "model/vmm.h"

#define M (1ULL << 20)

static struct vmm_config c;

static int parse(const char *line)
{
	err_clear();
	return vmm_cmdline_parse(line, strlen(line), &c);
}

static void testpmd_line(void **state)
{
	struct vmm_contexts ctx;

	(void)state;
	assert_int_equal(parse("dpdk-testpmd -l 0 -n 1 -m 64 -a 0000:00:02.0 --iova-mode=va -- -i"), 0);
	assert_int_equal(c.kind, VMM_KIND_DPDK);
	assert_string_equal(c.program, "dpdk-testpmd");
	assert_int_equal(c.dpdk.mem_bytes, 64 * M);     /* -m is MiB */
	assert_int_equal(c.ndevices, 1);
	assert_int_equal(c.devices[0].kind, VMM_DEV_DPDK);
	assert_string_equal(c.devices[0].bdf, "0000:00:02.0");
	assert_false(c.dpdk.allow_all);
	assert_int_equal(c.dpdk.iova_va, VMM_ON);
	assert_false(c.dpdk.in_memory);
	assert_false(c.dpdk.no_huge);
	assert_int_equal(vmm_guest_memory(&c), 0);      /* no guest: DPDK maps its own memsegs */
	vmm_contexts(&c, &ctx);
	assert_int_equal(ctx.total, 1);                 /* EAL's one default container */
	assert_int_equal(ctx.type1, 1);
}

static void eal_option_forms(void **state)
{
	(void)state;
	/* attached short values, --opt value, legacy -w, devargs after the address */
	assert_int_equal(parse("testpmd -l0 -n4 --socket-mem 1024,512 -w 00:02.0,rx_vec_en=1 "
			       "--allow=0000:00:03.0 --iova-mode pa --in-memory --no-huge -b 0000:00:09.0 "
			       "-- -m 9 -a 0000:00:04.0"), 0);
	assert_int_equal(c.dpdk.nsockets, 2);
	assert_int_equal(c.dpdk.socket_mem[0], 1024 * M);
	assert_int_equal(c.dpdk.socket_mem[1], 512 * M);
	assert_int_equal(c.dpdk.mem_bytes, 0);          /* "-m 9" after -- is the application's */
	assert_int_equal(c.ndevices, 2);                /* nor is "-a 0000:00:04.0" */
	assert_string_equal(c.devices[0].bdf, "0000:00:02.0");
	assert_string_equal(c.devices[1].bdf, "0000:00:03.0");
	assert_int_equal(c.dpdk.iova_va, VMM_OFF);
	assert_true(c.dpdk.in_memory);
	assert_true(c.dpdk.no_huge);
	assert_int_equal(c.dpdk.nblocked, 1);
}

static void no_allow_list_probes_all(void **state)
{
	struct vmm_contexts ctx;

	(void)state;
	assert_int_equal(parse("dpdk-testpmd -l 0 -m 128"), 0);
	assert_true(c.dpdk.allow_all);
	assert_int_equal(c.dpdk.iova_va, VMM_UNSET);   /* EAL picks the mode at start */
	vmm_contexts(&c, &ctx);
	assert_int_equal(ctx.total, 1);
	assert_int_equal(parse("dpdk-testpmd -l 0 --no-pci --vdev net_null0"), 0);
	assert_false(c.dpdk.allow_all);
	vmm_contexts(&c, &ctx);
	assert_int_equal(ctx.total, 0);
}

static void unknown_option_is_partial_not_guessed(void **state)
{
	(void)state;
	assert_int_equal(parse("dpdk-testpmd --frobnicate -m 64"), 0);
	assert_non_null(strstr(c.partial, "does not know"));
	assert_int_equal(c.dpdk.mem_bytes, 64 * M);
}

/* A process that is neither QEMU nor DPDK is said to be so, not read as an app with defaults. */
static void not_a_vmm(void **state)
{
	static const char bash[] = "bash\0/dev/fd/3\0";

	(void)state;
	err_clear();
	assert_int_equal(vmm_cmdline_parse(bash, sizeof(bash) - 1, &c), -ENOEXEC);
	assert_non_null(strstr(err_message(), "'bash' is not a VMM"));
	assert_int_equal(parse("/usr/sbin/sshd -D -p 22"), -ENOEXEC);
	/* an EAL option makes an unnamed binary a DPDK app */
	assert_int_equal(parse("/usr/local/bin/l3fwd -l 1-2 -n 4 -- -p 0x3"), 0);
	assert_int_equal(c.kind, VMM_KIND_DPDK);
	assert_int_equal(parse("./myapp --socket-mem=256 --"), 0);
	assert_int_equal(c.dpdk.socket_mem[0], 256ULL << 20);
	assert_int_equal(parse("./myapp --lcoresx"), -ENOEXEC);
	assert_int_equal(parse("/bin/ls -la /tmp"), -ENOEXEC);
	assert_int_equal(parse("./fwd -l0 -a0000:00:02.0"), 0);
	assert_string_equal(c.devices[0].bdf, "0000:00:02.0");
	err_clear();
}

static void bad_eal_lines(void **state)
{
	(void)state;
	assert_int_equal(parse("dpdk-testpmd -l 0 --iova-mode=xx"), -EINVAL);
	assert_non_null(strstr(err_message(), "pa or va"));
	assert_int_equal(err_exit_code(), VP_EXIT_SYSROOT);
	assert_int_equal(parse("dpdk-testpmd -m lots"), -EINVAL);
	assert_non_null(strstr(err_message(), "MiB"));
	assert_int_equal(parse("dpdk-testpmd -l 0 -m"), -EINVAL);
	assert_non_null(strstr(err_message(), "truncated"));
	assert_int_equal(parse("dpdk-testpmd --socket-mem 1,2,3,4,5,6,7,8,9"), -EINVAL);
	assert_int_equal(parse("dpdk-testpmd --socket-mem=,"), -EINVAL);
	err_clear();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(testpmd_line),
		cmocka_unit_test(eal_option_forms),
		cmocka_unit_test(no_allow_list_probes_all),
		cmocka_unit_test(unknown_option_is_partial_not_guessed),
		cmocka_unit_test(not_a_vmm),
		cmocka_unit_test(bad_eal_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
