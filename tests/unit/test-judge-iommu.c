// SPDX-License-Identifier: GPL-2.0-or-later
/* model/judge-iommu.c: iommu_enabled and interrupt_remapping, every status each returns. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "model/judge.h"
#include "verdict-assert.h"

static struct iommu_facts intel_on(void)
{
	struct iommu_facts f = { .dmar = true, .nunits = 2, .ngroups = 12, .intel = true,
				 .unsafe_type1 = 0, .unsafe_iommufd = -ENOENT, .ir = true };

	strcpy(f.units, "dmar0 dmar1");
	strcpy(f.types, "DMA-FQ x12");
	return f;
}

static void enabled_pass(void **state)
{
	struct iommu_facts f = intel_on();
	struct check_result r;

	(void)state;
	verdict_reset(&r);
	assert_true(judge_iommu_enabled(&f, "ro intel_iommu=on iommu=pt", &r));
	assert_int_equal(r.status, ST_PASS);
	assert_has(r.finding, "ACPI DMAR table; IOMMU dmar0 dmar1; 12 groups; default domain DMA-FQ x12");
	assert_has(r.finding, "cmdline: intel_iommu=on iommu=pt");
	assert_string_equal(r.fix, "");
	/* before 5.11 groups have no type */
	f.types[0] = '\0';
	verdict_reset(&r);
	judge_iommu_enabled(&f, "", &r);
	assert_has(r.finding, "default domain not shown (before 5.11); cmdline: none");
}

static void enabled_other_driver(void **state)
{
	/* virtio-iommu or an SMMU: groups without a /sys/class/iommu unit still isolate */
	struct iommu_facts f = { .ngroups = 3 };
	struct check_result r;

	(void)state;
	verdict_reset(&r);
	assert_true(judge_iommu_enabled(&f, "", &r));
	assert_int_equal(r.status, ST_PASS);
	assert_has(r.finding, "no ACPI DMAR/IVRS table; 3 groups; default domain not shown");
}

static void enabled_unknown(void **state)
{
	struct iommu_facts f = intel_on();
	struct check_result r;

	(void)state;
	f.groups_rc = -EACCES;
	f.ngroups = -1;
	verdict_reset(&r);
	assert_false(judge_iommu_enabled(&f, "", &r));
	assert_int_equal(r.status, ST_UNKNOWN);
	assert_has(r.finding, "cannot read /sys/kernel/iommu_groups: Permission denied");
	assert_has(r.fix, "capture /sys/kernel/iommu_groups");
}

static void enabled_noiommu(void **state)
{
	struct iommu_facts f = { .ngroups = 1, .noiommu = true, .amd = true };
	struct check_result r;

	(void)state;
	verdict_reset(&r);
	assert_false(judge_iommu_enabled(&f, "", &r));
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "1 groups are VFIO no-IOMMU groups");
	/* an AMD CPU without DMAR: the AMD driver needs no switch */
	assert_has(r.fix, "nothing for AMD");
	assert_has(r.fix, "drop vfio.enable_unsafe_noiommu_mode");
}

static void enabled_switched_off(void **state)
{
	struct iommu_facts f = { .dmar = true, .intel = true };
	struct check_result r;

	(void)state;
	verdict_reset(&r);
	assert_false(judge_iommu_enabled(&f, "ro intel_iommu=off", &r));
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "switched off on the kernel command line (intel_iommu=off)");
	assert_has(r.fix, "add intel_iommu=on");
	verdict_reset(&r);
	judge_iommu_enabled(&f, "iommu=off", &r);
	assert_has(r.finding, "switched off");
	/* iommu=pt is passthrough for the host, not off */
	verdict_reset(&r);
	judge_iommu_enabled(&f, "iommu=pt", &r);
	assert_lacks(r.finding, "switched off");
}

static void enabled_firmware_only(void **state)
{
	struct iommu_facts f = { .ivrs = true, .amd = true };
	struct check_result r;

	(void)state;
	verdict_reset(&r);
	judge_iommu_enabled(&f, "", &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "ACPI IVRS table, but the kernel did not enable the IOMMU");
	assert_has(r.fix, "AMD-Vi in dmesg");
	f = (struct iommu_facts){ .dmar = true, .intel = true };
	verdict_reset(&r);
	judge_iommu_enabled(&f, "", &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "ACPI DMAR table, but the kernel did not enable the IOMMU");
	assert_has(r.fix, "CONFIG_INTEL_IOMMU_DEFAULT_ON");
}

static void enabled_nothing(void **state)
{
	struct iommu_facts f = { .intel = true };
	struct check_result r;

	(void)state;
	verdict_reset(&r);
	judge_iommu_enabled(&f, "", &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "no IOMMU: no ACPI DMAR/IVRS table");
	assert_has(r.fix, "-device intel-iommu,intremap=on");
}

static void intremap_statuses(void **state)
{
	struct iommu_facts f = intel_on();
	struct check_result r;

	(void)state;
	verdict_reset(&r);
	judge_intremap(&f, "", false, &r);
	assert_int_equal(r.status, ST_SKIP);

	verdict_reset(&r);
	judge_intremap(&f, "", true, &r);
	assert_int_equal(r.status, ST_PASS);
	assert_has(r.finding, "interrupt remapping on");

	f.unsafe_iommufd = 1;
	verdict_reset(&r);
	judge_intremap(&f, "", true, &r);
	assert_int_equal(r.status, ST_WARN);
	assert_has(r.finding, "iommufd.allow_unsafe_interrupts=Y");
	assert_has(r.fix, "drop iommufd.allow_unsafe_interrupts");

	f.ir = false;
	f.unsafe_iommufd = 0;
	f.unsafe_type1 = 1;
	verdict_reset(&r);
	judge_intremap(&f, "ro nointremap", true, &r);
	assert_int_equal(r.status, ST_WARN);
	assert_has(r.finding, "no interrupt remapping (switched off on the command line); vfio_iommu_type1.allow_unsafe_interrupts=Y");
	assert_has(r.fix, "remove nointremap");

	f.unsafe_type1 = 0;
	verdict_reset(&r);
	judge_intremap(&f, "", true, &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "VFIO_SET_IOMMU fails with EPERM");
	assert_has(r.fix, "enable interrupt remapping");
	verdict_reset(&r);
	judge_intremap(&f, "intel_iommu=on,nointremap", true, &r);
	assert_has(r.finding, "(switched off on the command line)");

	f.interrupts_rc = -ENOENT;
	verdict_reset(&r);
	judge_intremap(&f, "", true, &r);
	assert_int_equal(r.status, ST_UNKNOWN);
	assert_has(r.finding, "cannot read /proc/interrupts");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(enabled_pass),
		cmocka_unit_test(enabled_other_driver),
		cmocka_unit_test(enabled_unknown),
		cmocka_unit_test(enabled_noiommu),
		cmocka_unit_test(enabled_switched_off),
		cmocka_unit_test(enabled_firmware_only),
		cmocka_unit_test(enabled_nothing),
		cmocka_unit_test(intremap_statuses),
	};

	return cmocka_run_group_tests_name("judge-iommu", tests, NULL, NULL);
}
