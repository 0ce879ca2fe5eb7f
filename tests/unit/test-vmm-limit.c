// SPDX-License-Identifier: GPL-2.0-or-later
/* DMA contexts a VMM creates and the ceilings its manager sets, from its command line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "lib/error.h"
#include "model/vmm.h"

#define G (1ULL << 30)

static struct vmm_config c;
static struct vmm_contexts ctx;

static int contexts_of(const char *line)
{
	err_clear();
	assert_int_equal(vmm_cmdline_parse(line, strlen(line), &c), 0);
	vmm_contexts(&c, &ctx);
	return ctx.total;
}

static void no_device_no_context(void **state)
{
	(void)state;
	assert_int_equal(contexts_of("qemu-system-x86_64 -m 1G -device intel-iommu"), 0);
	assert_int_equal(ctx.type1, 0);
}

static void devices_share_the_system_container(void **state)
{
	(void)state;
	assert_int_equal(contexts_of("qemu-system-x86_64 -m 1G -device vfio-pci,host=01:00.0 "
				     "-device vfio-pci,host=02:00.0 -device vfio-pci,host=03:00.0"), 1);
	assert_int_equal(ctx.type1, 1);
	assert_non_null(strstr(ctx.how, "0 of 3 VFIO devices behind none"));
}

static void type1_and_iommufd_are_apart(void **state)
{
	(void)state;
	/* one device on the legacy container, one on an iommufd: two address spaces to fill */
	assert_int_equal(contexts_of("qemu-system-x86_64 -object iommufd,id=fd0 -device vfio-pci,host=01:00.0 "
				     "-device vfio-pci,host=02:00.0,iommufd=fd0"), 2);
	assert_int_equal(ctx.type1, 1);
	assert_int_equal(ctx.iommufd, 1);
	/* behind a vIOMMU even one shared iommufd needs an IOAS per device */
	assert_int_equal(contexts_of("qemu-system-x86_64 -device intel-iommu -object iommufd,id=fd0 "
				     "-device vfio-pci,host=01:00.0,iommufd=fd0 -device vfio-pci,host=02:00.0,iommufd=fd0"), 2);
	assert_int_equal(ctx.iommufd, 2);
}

static void libvirt_rule_on_a_command_line(void **state)
{
	struct vmm_ceiling ceil;

	(void)state;
	contexts_of("qemu-system-x86_64 -m 1024 -device vfio-pci,host=0000:06:12.5");
	vmm_libvirt_ceiling(&c, &ceil);
	assert_int_equal(ceil.kind, VMM_CEIL_BYTES);
	assert_int_equal(ceil.bytes, 2147483648ULL);
	assert_non_null(strstr(ceil.rule, "<memtune><hard_limit> would override"));
	contexts_of("qemu-system-x86_64 -m 1024 -device vfio-pci,host=01:00.0 -device vfio-pci,host=02:00.0 "
		    "-device intel-iommu");
	vmm_libvirt_ceiling(&c, &ceil);
	assert_int_equal(ceil.factor, 2);
	assert_int_equal(ceil.bytes, 3 * G);
	/* libvirt writes -overcommit mem-lock=on for <locked/> */
	contexts_of("qemu-system-x86_64 -m 1024 -overcommit mem-lock=on -device vfio-pci,host=01:00.0");
	vmm_libvirt_ceiling(&c, &ceil);
	assert_int_equal(ceil.kind, VMM_CEIL_UNLIMITED);
	contexts_of("qemu-system-x86_64 -m 1024");
	vmm_libvirt_ceiling(&c, &ceil);
	assert_int_equal(ceil.kind, VMM_CEIL_NO_CHANGE);
	/* a factor that overflows is not wrapped round to a small limit */
	contexts_of("qemu-system-x86_64 -m 8E -device vfio-pci,host=01:00.0 -device vfio-pci,host=02:00.0 "
		    "-device intel-iommu");
	vmm_libvirt_ceiling(&c, &ceil);
	assert_int_equal(ceil.kind, VMM_CEIL_UNLIMITED);
}

static void kubevirt_unlimited_with_vfio(void **state)
{
	struct vmm_ceiling ceil;

	(void)state;
	contexts_of("qemu-system-x86_64 -m 2G -device vfio-pci,host=01:00.0");
	vmm_kubevirt_ceiling(&c, &ceil);
	assert_int_equal(ceil.kind, VMM_CEIL_UNLIMITED);
	contexts_of("qemu-system-x86_64 -m 2G");
	vmm_kubevirt_ceiling(&c, &ceil);
	assert_int_equal(ceil.kind, VMM_CEIL_NO_CHANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_device_no_context),
		cmocka_unit_test(devices_share_the_system_container),
		cmocka_unit_test(type1_and_iommufd_are_apart),
		cmocka_unit_test(libvirt_rule_on_a_command_line),
		cmocka_unit_test(kubevirt_unlimited_with_vfio),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
