// SPDX-License-Identifier: GPL-2.0-or-later
/* model/judge-backends.c: what the host offers, which backend auto picks, the verdict. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "model/judge.h"
#include "verdict-assert.h"

static const struct mod_info loaded = { .name = "m", .state = MOD_LOADED, .looked_up = true };
static const struct mod_info missing = { .name = "m", .state = MOD_MISSING, .looked_up = true };

static void inferred(void **state)
{
	struct backend_host h = { .container_node = true };

	(void)state;
	assert_int_equal(container_inferred(&h, &loaded, &missing), CK_TYPE1);
	assert_int_equal(container_inferred(&h, &missing, &loaded), CK_COMPAT);
	assert_int_equal(container_inferred(&h, &missing, &missing), CK_BARE);
	h.dev_iommu = true;     /* /dev/iommu without the module loaded: iommufd built in */
	assert_int_equal(container_inferred(&h, &missing, &missing), CK_COMPAT);
	h.container_node = false;
	assert_int_equal(container_inferred(&h, &loaded, &loaded), CK_NONE);
	/* live, the kernel's answer outranks what the modules suggest */
	h.kind_known = true;
	h.kind = CK_COMPAT;
	assert_int_equal(container_inferred(&h, &loaded, &missing), CK_COMPAT);
}

static struct pci_entry vfio_dev(const char *bdf, int cdev)
{
	struct pci_entry e = { .role = ROLE_VFIO, .is_pci = true };

	strcpy(e.info.bdf, bdf);
	e.info.vfio_cdev = cdev;
	return e;
}

static void offer_and_auto(void **state)
{
	struct pci_entry devs[3] = { vfio_dev("0000:00:03.0", 0), vfio_dev("0000:00:04.0", -1),
				     { .role = ROLE_HOST, .is_pci = true } };
	struct backend_offer o;
	struct check_result r;

	(void)state;
	backend_offer_build(CK_TYPE1, true, devs, 3, &o);
	assert_int_equal(o.nvfio, 2);
	assert_int_equal(o.ncdev, 1);
	assert_string_equal(o.cdevs, "0000:00:03.0 vfio0");
	assert_string_equal(o.nocdev, "0000:00:04.0");
	assert_true(o.offered[BE_TYPE1]);
	assert_true(o.offered[BE_IOMMUFD]);
	assert_false(o.offered[BE_IOMMUFD_COMPAT]);
	/* map's auto order: the type1 container first */
	assert_int_equal(backend_resolve(BE_AUTO, &o), BE_TYPE1);
	assert_string_equal(o.why, "auto: first offered of type1, native iommufd, compat");
	verdict_reset(&r);
	judge_backends(&o, BE_TYPE1, &r);
	assert_int_equal(r.status, ST_PASS);
	assert_has(r.finding, "type1 container: offered; iommufd compat container: no; native iommufd: offered (/dev/iommu; cdev 0000:00:03.0 vfio0); the VMM's: type1 (auto:");

	backend_offer_build(CK_BARE, true, devs, 3, &o);
	assert_int_equal(backend_resolve(BE_AUTO, &o), BE_IOMMUFD);
	backend_offer_build(CK_COMPAT, false, devs, 3, &o);
	assert_int_equal(backend_resolve(BE_AUTO, &o), BE_IOMMUFD_COMPAT);
	/* --backend type1 on a kernel whose /dev/vfio/vfio is iommufd's gets the compat container */
	assert_int_equal(backend_resolve(BE_TYPE1, &o), BE_IOMMUFD_COMPAT);
	assert_string_equal(o.why, "--backend type1: /dev/vfio/vfio is iommufd's compat container");
	verdict_reset(&r);
	judge_backends(&o, BE_IOMMUFD_COMPAT, &r);
	assert_int_equal(r.status, ST_PASS);
	assert_has(r.finding, "iommufd compat container: offered (/dev/vfio/vfio is iommufd's)");
}

static void failures(void **state)
{
	struct pci_entry devs[1] = { vfio_dev("0000:00:03.0", -1) };
	struct backend_offer o;
	struct check_result r;

	(void)state;
	backend_offer_build(CK_NONE, false, NULL, 0, &o);
	assert_int_equal(backend_resolve(BE_AUTO, &o), BE_TYPE1);
	assert_string_equal(o.why, "auto: nothing is offered");
	verdict_reset(&r);
	judge_backends(&o, BE_TYPE1, &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "type1 container: no (no /dev/vfio/vfio)");
	assert_has(r.finding, "native iommufd: no (no /dev/iommu)");
	assert_has(r.fix, "modprobe vfio-pci (it loads vfio");

	backend_offer_build(CK_BARE, true, devs, 1, &o);
	assert_int_equal(backend_resolve(BE_IOMMUFD, &o), BE_IOMMUFD);
	verdict_reset(&r);
	judge_backends(&o, BE_IOMMUFD, &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "type1 container: no (vfio_iommu_type1 not loaded)");
	assert_has(r.finding, "0000:00:03.0 has no VFIO cdev: the kernel lacks VFIO_DEVICE_CDEV");
	assert_has(r.fix, "CONFIG_VFIO_DEVICE_CDEV (6.6+)");

	backend_offer_build(CK_BARE, false, devs, 1, &o);
	verdict_reset(&r);
	judge_backends(&o, BE_IOMMUFD, &r);
	assert_has(r.fix, "modprobe iommufd (a kernel with CONFIG_IOMMUFD)");
	verdict_reset(&r);
	judge_backends(&o, BE_TYPE1, &r);
	assert_string_equal(r.fix, "modprobe vfio_iommu_type1");
	verdict_reset(&r);
	judge_backends(&o, BE_IOMMUFD_COMPAT, &r);
	assert_has(r.fix, "CONFIG_IOMMUFD_VFIO_CONTAINER");

	backend_offer_build(CK_BARE, true, NULL, 0, &o);
	verdict_reset(&r);
	judge_backends(&o, BE_IOMMUFD, &r);
	assert_has(r.finding, "native iommufd: no device to tell");
	assert_string_equal(check_backend_name(BE_IOMMUFD_COMPAT), "iommufd-compat");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(inferred),
		cmocka_unit_test(offer_and_auto),
		cmocka_unit_test(failures),
	};

	return cmocka_run_group_tests_name("judge-backends", tests, NULL, NULL);
}
