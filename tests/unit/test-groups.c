// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The one viability rule (model/groups.c) and the one BDF parser (lib/util.c):
 * member roles under the 5.19+ DMA-ownership rule and the older allowlist,
 * the verdict, and the words map and check say it with.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "lib/util.h"
#include "model/groups.h"

#define NOW GROUP_RULE_DMA_OWNER
#define OLD GROUP_RULE_ALLOWLIST

static void roles(void **state)
{
	enum group_rule r;

	(void)state;
	for (r = NOW; r <= OLD; r++) {
		assert_int_equal(member_role("vfio-pci", 0x030000, r), ROLE_VFIO);
		assert_int_equal(member_role("mlx5_vfio_pci", 0x020000, r), ROLE_VFIO);
		assert_int_equal(member_role("xe-vfio-pci", 0x030000, r), ROLE_VFIO);
		assert_int_equal(member_role("pci-stub", 0x040300, r), ROLE_STUB);
		assert_int_equal(member_role("", 0x040300, r), ROLE_UNBOUND);
		/* PCI-PCI bridges on pcieport or none; an ISA bridge is a normal function */
		assert_int_equal(member_role("pcieport", 0x060400, r), ROLE_BRIDGE);
		assert_int_equal(member_role("", 0x060400, r), ROLE_BRIDGE);
		assert_int_equal(member_role("lpc_ich", 0x060100, r), ROLE_HOST);
		assert_int_equal(member_role("snd_hda_intel", 0x040300, r), ROLE_HOST);
	}
	/* before 5.19 a bridge (non-normal header) kept any driver: vfio_dev_driver_allowed() */
	assert_int_equal(member_role("shpchp", 0x060400, OLD), ROLE_BRIDGE);
	/* since 5.19 only driver_managed_dma drivers: shpchp claims DMA ownership */
	assert_int_equal(member_role("shpchp", 0x060400, NOW), ROLE_HOST);
	/* pcieport on a root complex event collector (class 0807, normal header) */
	assert_int_equal(member_role("pcieport", 0x080700, NOW), ROLE_BRIDGE);
	assert_int_equal(member_role("pcieport", 0x080700, OLD), ROLE_HOST);
	assert_false(driver_is_vfio("vfio"));
	assert_false(driver_is_vfio("xvfio-pcix"));
	assert_int_equal(other_member_role("vfio-platform"), ROLE_VFIO);
	assert_int_equal(other_member_role(""), ROLE_UNBOUND);
	assert_int_equal(other_member_role("dwc3"), ROLE_HOST);
}

static void rule_by_release(void **state)
{
	(void)state;
	assert_int_equal(group_rule_for("5.10.0-30-amd64"), OLD);
	assert_int_equal(group_rule_for("5.18.19"), OLD);
	assert_int_equal(group_rule_for("4.19.0"), OLD);
	assert_int_equal(group_rule_for("5.19.0"), NOW);
	assert_int_equal(group_rule_for("6.1.0-56-amd64"), NOW);
	assert_int_equal(group_rule_for("6.12.48+deb13-amd64"), NOW);
	assert_int_equal(group_rule_for(""), NOW);     /* unknown: today's rule */
	assert_int_equal(group_rule_for(NULL), NOW);
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

static struct pci_entry member(const char *bdf, const char *driver, uint32_t cls, const char *name)
{
	struct pci_entry e = { .is_pci = true };

	snprintf(e.info.bdf, sizeof(e.info.bdf), "%s", bdf);
	snprintf(e.info.driver, sizeof(e.info.driver), "%s", driver);
	snprintf(e.info.name, sizeof(e.info.name), "%s", name);
	e.info.class_code = cls;
	e.role = member_role(driver, cls, NOW);
	return e;
}

/*
 * The group map used to misjudge: a root port on pcieport, a ConnectX VF on
 * its variant driver mlx5_vfio_pci, a stub, and the one real culprit, an
 * audio function on snd_hda_intel.  map blamed every driver not starting
 * with "vfio" (pcieport, pci-stub); the one rule blames only the host driver.
 */
static void explanation_bridge_and_variant(void **state)
{
	struct pci_entry m[4];
	struct iommu_group g = { .id = 12, .members = m, .n = 4 };
	struct group_why w;
	char line[1024];

	(void)state;
	m[0] = member("0000:00:1c.0", "pcieport", 0x060400, "Intel Corporation Root Port");
	m[1] = member("0000:03:00.2", "mlx5_vfio_pci", 0x020000, "Mellanox Technologies ConnectX-6 Virtual Function");
	m[2] = member("0000:03:00.3", "pci-stub", 0x020000, "Mellanox Technologies ConnectX-6 Virtual Function");
	m[3] = member("0000:03:00.4", "snd_hda_intel", 0x040300, "NVIDIA Corporation Audio");
	group_judge(&g);
	assert_false(g.viable);
	assert_int_equal(g.noffenders, 1);
	group_explain(&g, &w);
	assert_int_equal(w.noffenders, 1);
	assert_ptr_equal(w.first, &m[3]);
	assert_string_equal(w.offenders, "0000:03:00.4 (NVIDIA Corporation Audio) is bound to snd_hda_intel");
	assert_string_equal(w.rebind, "driverctl set-override 0000:03:00.4 vfio-pci");
	assert_string_equal(w.members, "0000:00:1c.0 [pcieport], 0000:03:00.2 [mlx5_vfio_pci], "
			    "0000:03:00.3 [pci-stub], 0000:03:00.4 [snd_hda_intel]");
	assert_string_equal(w.roles, "0000:00:1c.0 (bridge), 0000:03:00.2 (vfio), 0000:03:00.3 (stub), "
			    "0000:03:00.4 (host)");

	group_not_viable_line(&g, line, sizeof(line));
	assert_string_equal(line,
		"IOMMU group 12 is not viable: 0000:03:00.4 (NVIDIA Corporation Audio) is bound to snd_hda_intel; "
		"every member must be on a VFIO driver or pci-stub, unbound, or a bridge on pcieport "
		"(group: 0000:00:1c.0 [pcieport], 0000:03:00.2 [mlx5_vfio_pci], 0000:03:00.3 [pci-stub], "
		"0000:03:00.4 [snd_hda_intel]); unbind it: echo 0000:03:00.4 > /sys/bus/pci/devices/0000:03:00.4/driver/unbind");
	assert_null(strstr(line, "is bound to pcieport"));
	assert_null(strstr(line, "is bound to mlx5_vfio_pci"));
}

/* The kernel says not viable but no member is on a driver the rule blames: say so, blame nobody. */
static void explanation_without_culprit(void **state)
{
	struct pci_entry m[2];
	struct iommu_group g = { .id = 3, .members = m, .n = 2 };
	char line[1024];

	(void)state;
	m[0] = member("0000:00:1c.0", "pcieport", 0x060400, "Root Port");
	m[1] = member("0000:01:00.0", "vfio-pci", 0x030000, "GPU");
	group_judge(&g);
	assert_true(g.viable);
	group_not_viable_line(&g, line, sizeof(line));
	assert_non_null(strstr(line, "IOMMU group 3 is not viable, yet no member"));
	assert_non_null(strstr(line, "(group: 0000:00:1c.0 [pcieport], 0000:01:00.0 [vfio-pci])"));
	assert_null(strstr(line, "unbind it"));
}

/* A long group: the texts end in "..." instead of overflowing. */
static void explanation_truncates(void **state)
{
	struct pci_entry m[40];
	struct iommu_group g = { .id = 1, .members = m, .n = 40 };
	struct group_why w;
	char bdf[16];
	size_t i;

	(void)state;
	for (i = 0; i < 40; i++) {
		snprintf(bdf, sizeof(bdf), "0000:%02zx:00.0", i);
		m[i] = member(bdf, "e1000e", 0x020000, "Intel Corporation 82574L Gigabit Network Connection");
	}
	group_judge(&g);
	group_explain(&g, &w);
	assert_int_equal(w.noffenders, 40);
	assert_int_equal(strlen(w.offenders), sizeof(w.offenders) - 1);
	assert_string_equal(w.offenders + sizeof(w.offenders) - 4, "...");
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
	/* map's old is_bdf() took these; the one parser does not */
	assert_int_equal(bdf_parse("0000:00:03.0 ", b, sizeof(b)), -EINVAL);
	assert_int_equal(bdf_parse("+000:00:03.0", b, sizeof(b)), -EINVAL);
	assert_int_equal(bdf_parse("0000:0x:03.0", b, sizeof(b)), -EINVAL);
	assert_int_equal(bdf_parse("0:00:03.0", b, sizeof(b)), -EINVAL);
	assert_int_equal(bdf_parse("", b, sizeof(b)), -EINVAL);
	assert_int_equal(bdf_parse(NULL, b, sizeof(b)), -EINVAL);
	/* Intel VMD puts its devices in domains from 0x10000 */
	assert_int_equal(bdf_parse("10000:e1:00.0", b, sizeof(b)), 0);
	assert_string_equal(b, "10000:e1:00.0");
	assert_int_equal(bdf_parse("01000:e1:00.0", b, sizeof(b)), -EINVAL);  /* not how the kernel writes it */
	assert_true(is_bdf("0000:00:1f.3"));
	assert_false(is_bdf("devices"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roles),
		cmocka_unit_test(rule_by_release),
		cmocka_unit_test(viability),
		cmocka_unit_test(explanation_bridge_and_variant),
		cmocka_unit_test(explanation_without_culprit),
		cmocka_unit_test(explanation_truncates),
		cmocka_unit_test(bdfs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
