// SPDX-License-Identifier: GPL-2.0-or-later
/* model/judge-devices.c: device_bound, group_viable, vfio_dev_access, every status each returns. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "model/judge.h"
#include "verdict-assert.h"

static struct pci_entry dev(const char *bdf, const char *driver, uint32_t class_code, const char *name)
{
	struct pci_entry e = { .is_pci = true };

	strcpy(e.info.bdf, bdf);
	strcpy(e.info.driver, driver);
	strcpy(e.info.name, name);
	e.info.class_code = class_code;
	e.info.group = 7;
	e.info.vfio_cdev = -1;
	e.role = member_role(driver, class_code, GROUP_RULE_DMA_OWNER);   /* 5.19+ */
	return e;
}

static void device_list(void **state)
{
	struct check_result r;

	(void)state;
	verdict_reset(&r);
	judge_device_list(-EACCES, &r);
	assert_int_equal(r.status, ST_UNKNOWN);
	assert_has(r.finding, "cannot list PCI devices: Permission denied");
	verdict_reset(&r);
	judge_device_list(0, &r);
	assert_int_equal(r.status, ST_WARN);
	assert_has(r.finding, "no device is bound to vfio-pci");
}

static void bound(void **state)
{
	struct pci_entry e = dev("0000:00:03.0", "vfio-pci", 0x020000, "Intel 82574L");
	struct check_result r;

	(void)state;
	verdict_reset(&r);
	judge_bound(&e, &r);
	assert_int_equal(r.status, ST_PASS);
	assert_string_equal(r.finding, "0000:00:03.0 (Intel 82574L) bound to vfio-pci");

	/* a vfio-pci variant driver is VFIO too */
	e = dev("0000:00:03.0", "mlx5_vfio_pci", 0x020000, "Mellanox");
	verdict_reset(&r);
	judge_bound(&e, &r);
	assert_int_equal(r.status, ST_PASS);

	e = dev("0000:00:03.0", "e1000e", 0x020000, "Intel 82574L");
	verdict_reset(&r);
	judge_bound(&e, &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "is bound to e1000e, not on vfio-pci");
	assert_has(r.fix, "/driver/unbind");

	e = dev("0000:00:03.0", "", 0x020000, "Intel 82574L");
	verdict_reset(&r);
	judge_bound(&e, &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "is not bound to any driver, not on vfio-pci");
	assert_lacks(r.fix, "unbind");

	e.is_pci = false;
	verdict_reset(&r);
	judge_bound(&e, &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_string_equal(r.finding, "no PCI device 0000:00:03.0");

	verdict_reset(&r);
	judge_no_group(&e, &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "has no IOMMU group");
	verdict_reset(&r);
	judge_group_unreadable(7, -EIO, &r);
	assert_int_equal(r.status, ST_UNKNOWN);
	assert_has(r.finding, "cannot read IOMMU group 7");
}

static void viable(void **state)
{
	/* a bridge keeps its driver, a variant driver counts as VFIO, a host driver blocks */
	struct pci_entry m[3] = {
		dev("0000:00:1c.0", "pcieport", 0x060400, "Root Port"),
		dev("0000:01:00.0", "mlx5_vfio_pci", 0x020000, "ConnectX-6"),
		dev("0000:01:00.1", "mlx5_core", 0x020000, "ConnectX-6 function 1"),
	};
	struct iommu_group g = { .id = 7, .members = m, .n = 3 };
	struct check_result r;

	(void)state;
	group_judge(&g);
	verdict_reset(&r);
	judge_group(&g, &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "group 7 not viable: 1 of 3 members on a host driver: 0000:01:00.1 (ConnectX-6 function 1) is bound to mlx5_core");
	assert_lacks(r.finding, "pcieport");
	assert_has(r.fix, "driverctl set-override 0000:01:00.1 vfio-pci");

	m[2] = dev("0000:01:00.1", "pci-stub", 0x020000, "ConnectX-6 function 1");
	group_judge(&g);
	verdict_reset(&r);
	judge_group(&g, &r);
	assert_int_equal(r.status, ST_PASS);
	assert_string_equal(r.finding, "group 7 viable: 0000:00:1c.0 (bridge), 0000:01:00.0 (vfio), 0000:01:00.1 (stub)");
}

static struct dev_node node(const char *path, unsigned uid, unsigned gid, unsigned mode)
{
	struct dev_node n = { .uid = uid, .gid = gid, .mode = mode };

	strcpy(n.path, path);
	snprintf(n.owner, sizeof(n.owner), "%s", uid ? "qemu" : "root");
	snprintf(n.group, sizeof(n.group), "%s", gid ? "kvm" : "root");
	return n;
}

static void open_rule(void **state)
{
	struct dev_node n = node("/dev/vfio/7", 107, 36, 0660);
	struct target t = { .known = true, .uid = 1000, .gids = { 1000, 36 }, .ngids = 2 };

	(void)state;
	assert_true(can_open_rw(&n, &t));          /* by group */
	t.gids[1] = 5;
	assert_false(can_open_rw(&n, &t));
	n.mode = 0666;
	assert_true(can_open_rw(&n, &t));          /* by other */
	/* the owner gets the owner bits only, even when other has more (the kernel's rule) */
	t.uid = 107;
	n.mode = 0066;
	assert_false(can_open_rw(&n, &t));
	t.uid = 0;
	assert_true(can_open_rw(&n, &t));          /* root: CAP_DAC_OVERRIDE */
}

static void access_container(void **state)
{
	struct group_access a = { .group = 7, .has_vfio = true };
	struct target t = { .known = true, .uid = 107, .gids = { 107 }, .ngids = 1 };
	struct check_result r;

	(void)state;
	strcpy(a.uname, "qemu");
	a.group_node = node("/dev/vfio/7", 107, 0, 0600);
	a.container = node("/dev/vfio/vfio", 0, 0, 0666);
	strcpy(t.desc, "user qemu at PAM login");
	verdict_reset(&r);
	judge_access(&a, &t, &r);
	assert_int_equal(r.status, ST_PASS);
	assert_string_equal(r.finding, "/dev/vfio/7 qemu:root 0600 and /dev/vfio/vfio root:root 0666: user qemu at PAM login (uid 107) can open them read-write");

	a.group_node = node("/dev/vfio/7", 0, 0, 0600);
	verdict_reset(&r);
	judge_access(&a, &t, &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "cannot open /dev/vfio/7 read-write (uid 107): /dev/vfio/7 root:root 0600");
	assert_has(r.fix, "chown qemu /dev/vfio/7");
	assert_has(r.fix, "KERNEL==\"7\", OWNER=\"qemu\"");

	a.group_node = node("/dev/vfio/7", 107, 0, 0600);
	a.container = node("/dev/vfio/vfio", 0, 0, 0600);
	verdict_reset(&r);
	judge_access(&a, &t, &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "cannot open /dev/vfio/vfio read-write");
	assert_has(r.fix, "chmod 0666 /dev/vfio/vfio");

	/* no container node: the group node alone decides */
	a.container.rc = -ENOENT;
	verdict_reset(&r);
	judge_access(&a, &t, &r);
	assert_int_equal(r.status, ST_PASS);
	assert_has(r.finding, "and no /dev/vfio/vfio:");

	t.known = false;
	strcpy(t.err, "no user nobody2");
	verdict_reset(&r);
	judge_access(&a, &t, &r);
	assert_int_equal(r.status, ST_UNKNOWN);
	assert_has(r.finding, "/dev/vfio/7 qemu:root 0600; cannot judge access: no user nobody2");

	a.group_node.rc = -ENOENT;
	verdict_reset(&r);
	judge_access(&a, &t, &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "/dev/vfio/7 is missing although group 7 has a device on vfio-pci");

	a.has_vfio = false;
	verdict_reset(&r);
	judge_access(&a, &t, &r);
	assert_int_equal(r.status, ST_SKIP);
}

static void access_native(void **state)
{
	struct dev_node nodes[2];
	struct group_access a = { .group = 7, .has_vfio = true, .native = true, .nodes = nodes, .nnodes = 2 };
	struct target t = { .known = true, .uid = 107, .gids = { 107 }, .ngids = 1 };
	struct check_result r;

	(void)state;
	strcpy(t.desc, "process 42 (qemu)");
	nodes[0] = node("/dev/vfio/devices/vfio0", 107, 0, 0600);
	nodes[1] = node("/dev/iommu", 0, 0, 0666);
	verdict_reset(&r);
	judge_access(&a, &t, &r);
	assert_int_equal(r.status, ST_PASS);
	assert_string_equal(r.finding, "native iommufd: /dev/vfio/devices/vfio0 qemu:root 0600 and /dev/iommu root:root 0666: process 42 (qemu) (uid 107) can open them read-write");

	nodes[1].mode = 0600;
	verdict_reset(&r);
	judge_access(&a, &t, &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "cannot open /dev/iommu read-write");
	assert_has(r.fix, "KERNEL==\"iommu\", SUBSYSTEM==\"misc\"");

	nodes[0].uid = 0;
	verdict_reset(&r);
	judge_access(&a, &t, &r);
	assert_has(r.finding, "cannot open /dev/vfio/devices/vfio0 read-write");
	assert_has(r.fix, "SUBSYSTEM==\"vfio-dev\"");

	t.known = false;
	strcpy(t.err, "no process 42");
	verdict_reset(&r);
	judge_access(&a, &t, &r);
	assert_int_equal(r.status, ST_UNKNOWN);
	assert_has(r.finding, "cannot judge access: no process 42");

	nodes[0].rc = -ENOENT;
	verdict_reset(&r);
	judge_access(&a, &t, &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_string_equal(r.finding, "/dev/vfio/devices/vfio0 is missing (native iommufd opens it)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(device_list),
		cmocka_unit_test(bound),
		cmocka_unit_test(viable),
		cmocka_unit_test(open_rule),
		cmocka_unit_test(access_container),
		cmocka_unit_test(access_native),
	};

	return cmocka_run_group_tests_name("judge-devices", tests, NULL, NULL);
}
