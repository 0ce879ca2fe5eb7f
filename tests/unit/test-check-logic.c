// SPDX-License-Identifier: GPL-2.0-or-later
/* check's pure rules: member roles and group viability, BDFs, the exit code, the command line. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "check/check.h"
#include "check/groups.h"

static void roles(void **state)
{
	(void)state;
	assert_int_equal(member_role("vfio-pci", 0x030000), ROLE_VFIO);
	assert_int_equal(member_role("mlx5_vfio_pci", 0x020000), ROLE_VFIO);
	assert_int_equal(member_role("pci-stub", 0x040300), ROLE_STUB);
	assert_int_equal(member_role("", 0x040300), ROLE_UNBOUND);
	/* PCI-PCI bridges may keep their driver; an ISA bridge is a normal function */
	assert_int_equal(member_role("pcieport", 0x060400), ROLE_BRIDGE);
	assert_int_equal(member_role("shpchp", 0x060400), ROLE_BRIDGE);
	assert_int_equal(member_role("lpc_ich", 0x060100), ROLE_HOST);
	assert_int_equal(member_role("snd_hda_intel", 0x040300), ROLE_HOST);
	assert_false(driver_is_vfio("vfio"));
	assert_false(driver_is_vfio("xvfio-pcix"));
}

static void viability(void **state)
{
	struct pci_entry m[3] = {
		{ .role = ROLE_BRIDGE }, { .role = ROLE_VFIO }, { .role = ROLE_HOST },
	};
	struct iommu_group g = { .id = 7, .members = m, .n = 3 };

	(void)state;
	group_judge(&g);
	assert_false(g.viable);
	assert_int_equal(g.noffenders, 1);
	m[2].role = ROLE_UNBOUND;
	group_judge(&g);
	assert_true(g.viable);
	g.n = 0;            /* an empty group (members vanished) blocks nothing */
	group_judge(&g);
	assert_true(g.viable);
}

static void bdfs(void **state)
{
	char b[16];

	(void)state;
	assert_int_equal(bdf_normalize("00:03.0", b, sizeof(b)), 0);
	assert_string_equal(b, "0000:00:03.0");
	assert_int_equal(bdf_normalize("0001:AF:1f.7", b, sizeof(b)), 0);
	assert_string_equal(b, "0001:af:1f.7");
	assert_int_equal(bdf_normalize("00:20.0", b, sizeof(b)), -EINVAL);   /* device 0-31 */
	assert_int_equal(bdf_normalize("00:03.8", b, sizeof(b)), -EINVAL);   /* function 0-7 */
	assert_int_equal(bdf_normalize("1:2:3", b, sizeof(b)), -EINVAL);
	assert_int_equal(bdf_normalize("00:03.0x", b, sizeof(b)), -EINVAL);
}

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
		cmocka_unit_test(roles),
		cmocka_unit_test(viability),
		cmocka_unit_test(bdfs),
		cmocka_unit_test(exit_codes),
		cmocka_unit_test(cmdline),
	};

	return cmocka_run_group_tests_name("check-logic", tests, NULL, NULL);
}
