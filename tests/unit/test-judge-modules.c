// SPDX-License-Identifier: GPL-2.0-or-later
/* model/judge-modules.c: the module checks and module_params, every status each returns. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "model/judge.h"
#include "verdict-assert.h"

static struct mod_info mod(const char *name, enum mod_state st, bool looked_up)
{
	struct mod_info m = { .name = name, .state = st, .looked_up = looked_up };

	if (st == MOD_AVAILABLE)
		snprintf(m.path, sizeof(m.path), "/lib/modules/6.12/kernel/drivers/vfio/%s.ko", name);
	return m;
}

static void module_statuses(void **state)
{
	struct mod_info m = mod("vfio", MOD_LOADED, false);
	struct check_result r;

	(void)state;
	verdict_reset(&r);
	judge_module(&m, "the VFIO core", "vfio", "CONFIG_VFIO", &r);
	assert_int_equal(r.status, ST_PASS);
	assert_string_equal(r.finding, "vfio loaded (the VFIO core)");

	m = mod("vfio", MOD_BUILTIN, false);
	verdict_reset(&r);
	judge_module(&m, "the VFIO core", "vfio", "CONFIG_VFIO", &r);
	assert_int_equal(r.status, ST_PASS);
	assert_string_equal(r.finding, "vfio built in (the VFIO core)");

	m = mod("vfio_pci", MOD_AVAILABLE, true);
	verdict_reset(&r);
	judge_module(&m, "the vfio-pci driver", "vfio-pci", "CONFIG_VFIO_PCI", &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "is available: /lib/modules/6.12/kernel/drivers/vfio/vfio_pci.ko");
	assert_has(r.fix, "modprobe vfio-pci; to load it at boot");

	m = mod("vfio_pci", MOD_UNKNOWN, false);
	verdict_reset(&r);
	judge_module(&m, "the vfio-pci driver", "vfio-pci", "CONFIG_VFIO_PCI", &r);
	assert_int_equal(r.status, ST_UNKNOWN);
	assert_has(r.finding, "libkmod failed");

	/* a tree without /lib/modules cannot tell missing from not loaded */
	m = mod("vfio_pci", MOD_MISSING, false);
	verdict_reset(&r);
	judge_module(&m, "the vfio-pci driver", "vfio-pci", "CONFIG_VFIO_PCI", &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "the tree has no /lib/modules");
	assert_string_equal(mod_state_text(&m), "not loaded");

	m = mod("vfio_pci", MOD_MISSING, true);
	verdict_reset(&r);
	judge_module(&m, "the vfio-pci driver", "vfio-pci", "CONFIG_VFIO_PCI", &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "this kernel has no such module");
	assert_has(r.fix, "boot a kernel built with CONFIG_VFIO_PCI");
	assert_string_equal(mod_state_text(&m), "missing");
}

static void backend_statuses(void **state)
{
	struct mod_info t1 = mod("vfio_iommu_type1", MOD_LOADED, true);
	struct mod_info fd = mod("iommufd", MOD_LOADED, true);
	struct check_result r;

	(void)state;
	verdict_reset(&r);
	judge_module_backend(&t1, &fd, true, &r);
	assert_int_equal(r.status, ST_PASS);
	assert_has(r.finding, "vfio_iommu_type1 loaded (type1 container on /dev/vfio/vfio); iommufd loaded (/dev/iommu)");

	fd = mod("iommufd", MOD_MISSING, true);
	verdict_reset(&r);
	judge_module_backend(&t1, &fd, false, &r);
	assert_int_equal(r.status, ST_PASS);
	assert_has(r.finding, "; no iommufd");

	t1 = mod("vfio_iommu_type1", MOD_MISSING, true);
	fd = mod("iommufd", MOD_BUILTIN, true);
	verdict_reset(&r);
	judge_module_backend(&t1, &fd, true, &r);
	assert_int_equal(r.status, ST_PASS);
	assert_has(r.finding, "iommufd built in (/dev/iommu); no vfio_iommu_type1");

	t1 = mod("vfio_iommu_type1", MOD_AVAILABLE, true);
	fd = mod("iommufd", MOD_MISSING, true);
	verdict_reset(&r);
	judge_module_backend(&t1, &fd, false, &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "vfio_iommu_type1 is not loaded (available: /lib/modules");
	assert_has(r.fix, "modprobe vfio_iommu_type1;");

	t1 = mod("vfio_iommu_type1", MOD_MISSING, true);
	verdict_reset(&r);
	judge_module_backend(&t1, &fd, false, &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "vfio_iommu_type1 missing, iommufd missing");
	assert_has(r.fix, "CONFIG_IOMMUFD");
}

static void params_statuses(void **state)
{
	struct mod_info vfio = mod("vfio", MOD_LOADED, true), t1 = mod("vfio_iommu_type1", MOD_LOADED, true);
	struct mod_info pci = mod("vfio_pci", MOD_LOADED, true), none = mod("x", MOD_MISSING, true);
	struct module_params p = { .disable_hugepages = 0, .allow_unsafe_interrupts = 0, .noiommu = 0,
				   .have_dma_limit = true, .dma_entry_limit = 65535 };
	struct check_result r;

	(void)state;
	verdict_reset(&r);
	judge_module_params(&p, &none, &none, &none, "", &r);
	assert_int_equal(r.status, ST_SKIP);

	verdict_reset(&r);
	judge_module_params(&p, &vfio, &t1, &pci, "", &r);
	assert_int_equal(r.status, ST_PASS);
	assert_string_equal(r.finding, "vfio_iommu_type1 dma_entry_limit=65535 disable_hugepages=N allow_unsafe_interrupts=N; vfio enable_unsafe_noiommu_mode=N; vfio-pci no ids=");

	/* ids= from the command line first, then modprobe.d in directory order */
	strcpy(p.ids[0].ids, "10de:1b80");
	strcpy(p.ids[0].from, "/etc/modprobe.d/vfio.conf");
	p.nids = 1;
	p.have_dma_limit = false;
	p.allow_unsafe_interrupts = -ENOENT;
	verdict_reset(&r);
	judge_module_params(&p, &vfio, &none, &pci, "ro vfio-pci.ids=8086:10fb", &r);
	assert_int_equal(r.status, ST_PASS);
	assert_has(r.finding, "dma_entry_limit=n/a disable_hugepages=N allow_unsafe_interrupts=n/a");
	assert_has(r.finding, "vfio-pci ids=8086:10fb (kernel command line), ids=10de:1b80 (/etc/modprobe.d/vfio.conf)");

	p.disable_hugepages = 1;
	p.noiommu = 1;
	verdict_reset(&r);
	judge_module_params(&p, &vfio, &t1, &pci, "", &r);
	assert_int_equal(r.status, ST_WARN);
	assert_has(r.finding, "disable_hugepages=Y maps every 4K page on its own");
	assert_has(r.finding, "; enable_unsafe_noiommu_mode=Y: devices without IOMMU isolation");
	assert_has(r.fix, "drop vfio_iommu_type1.disable_hugepages; drop vfio.enable_unsafe_noiommu_mode (kernel command line");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(module_statuses),
		cmocka_unit_test(backend_statuses),
		cmocka_unit_test(params_statuses),
	};

	return cmocka_run_group_tests_name("judge-modules", tests, NULL, NULL);
}
