// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * model/group-holders.c: which fds hold a group, and the rule that every device
 * of one group is in one DMA address space -- split across processes, split by a
 * QEMU's own command line (a vIOMMU, two iommufd objects), unknown where /proc
 * cannot tell, one otherwise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/group-holders.h"
#include "model/vmm.h"

static struct pci_entry members[2];
static struct iommu_group g = { .id = 7, .members = members, .n = 2 };
static struct holder hv[16];
static struct holder_proc procs[4];
static struct vmm_config cfgs[4];
static struct holders h;

static void reset(void)
{
	memset(hv, 0, sizeof(hv));
	memset(procs, 0, sizeof(procs));
	memset(&h, 0, sizeof(h));
	snprintf(members[0].info.bdf, sizeof(members[0].info.bdf), "0000:01:00.0");
	snprintf(members[1].info.bdf, sizeof(members[1].info.bdf), "0000:01:00.1");
	h.v = hv;
	h.procs = procs;
}

static size_t proc(int pid, const char *comm, const char *cmdline)
{
	size_t i = h.nprocs++;

	procs[i].pid = pid;
	snprintf(procs[i].comm, sizeof(procs[i].comm), "%s", comm);
	if (cmdline) {
		assert_int_equal(vmm_cmdline_parse(cmdline, strlen(cmdline), &cfgs[i]), 0);
		procs[i].vmm = &cfgs[i];
	}
	return i;
}

static void fd(size_t p, int n, enum vfio_fd_kind kind, int num, const char *bdf)
{
	struct holder *e = &hv[h.n++];

	e->proc = p;
	e->f.fd = n;
	e->f.kind = kind;
	e->f.group = kind == VFD_GROUP ? num : -1;
	e->f.cdev = kind == VFD_CDEV ? num : -1;
	snprintf(e->bdf, sizeof(e->bdf), "%s", bdf ? bdf : "");
}

static void unheld(void **state)
{
	struct as_rule r;

	(void)state;
	reset();
	fd(proc(10, "qemu", NULL), 11, VFD_GROUP, 3, NULL);    /* another group */
	group_one_as(&g, &h, &r);
	assert_int_equal(r.state, AS_UNHELD);
	assert_string_equal(as_state_name(r.state), "unheld");
	assert_false(holds_group(&g, &hv[0]));
}

static void one_qemu_group_fd(void **state)
{
	struct as_rule r;
	size_t q;

	(void)state;
	reset();
	q = proc(4242, "qemu-system-x86", "qemu-system-x86_64 -m 1G -device vfio-pci,host=01:00.0 -device vfio-pci,host=01:00.1");
	fd(q, 10, VFD_CONTAINER, 0, NULL);
	fd(q, 11, VFD_GROUP, 7, NULL);
	fd(q, 3, VFD_KVM_VFIO, 0, NULL);
	group_one_as(&g, &h, &r);
	assert_int_equal(r.state, AS_ONE);
	assert_string_equal(as_state_name(r.state), "one");
	assert_non_null(strstr(r.reason, "pid 4242 (qemu-system-x86)"));
	/* the container is listed with the group fd, kvm-vfio is not a holder */
	assert_true(lists_as_holder(&g, &h, &hv[0]));
	assert_true(lists_as_holder(&g, &h, &hv[1]));
	assert_false(lists_as_holder(&g, &h, &hv[2]));
}

static void two_processes(void **state)
{
	struct as_rule r;
	size_t a, b, c;

	(void)state;
	reset();
	a = proc(5001, "qemu-system-x86", NULL);
	b = proc(5002, "dpdk-testpmd", NULL);
	c = proc(5003, "bystander", NULL);
	fd(a, 20, VFD_IOMMUFD, 0, NULL);
	fd(a, 21, VFD_CDEV, 1, "0000:01:00.0");
	fd(b, 31, VFD_CDEV, 2, "0000:01:00.1");
	fd(c, 40, VFD_IOMMUFD, 0, NULL);          /* holds no fd of the group */
	group_one_as(&g, &h, &r);
	assert_int_equal(r.state, AS_SPLIT);
	assert_string_equal(as_state_name(r.state), "split");
	assert_non_null(strstr(r.reason, "pid 5001 (qemu-system-x86) and pid 5002 (dpdk-testpmd)"));
	assert_false(lists_as_holder(&g, &h, &hv[3]));
	assert_true(lists_as_holder(&g, &h, &hv[0]));
}

static void qemu_viommu_splits_group(void **state)
{
	struct as_rule r;
	size_t q;

	(void)state;
	reset();
	q = proc(6001, "qemu-system-x86", "qemu-system-x86_64 -m 2G -M q35 -device intel-iommu "
		 "-device vfio-pci,host=0000:01:00.0 -device vfio-pci,host=0000:01:00.1");
	fd(q, 11, VFD_GROUP, 7, NULL);
	group_one_as(&g, &h, &r);
	assert_int_equal(r.state, AS_SPLIT);
	assert_non_null(strstr(r.reason, "behind intel-iommu"));
}

static void qemu_viommu_one_device_of_group(void **state)
{
	struct as_rule r;
	size_t q;

	(void)state;
	reset();
	/* only one member passed through: nothing to split */
	q = proc(6002, "qemu-system-x86", "qemu-system-x86_64 -m 2G -M q35 -device intel-iommu "
		 "-device vfio-pci,host=0000:01:00.0 -device vfio-pci,host=0000:09:00.0");
	fd(q, 11, VFD_GROUP, 7, NULL);
	group_one_as(&g, &h, &r);
	assert_int_equal(r.state, AS_ONE);
}

static void qemu_two_iommufd_objects(void **state)
{
	struct as_rule r;
	size_t q;

	(void)state;
	reset();
	q = proc(7001, "qemu-system-x86", "qemu-system-x86_64 -m 2G -object iommufd,id=a -object iommufd,id=b "
		 "-device vfio-pci,host=0000:01:00.0,iommufd=a -device vfio-pci,host=0000:01:00.1,iommufd=b");
	fd(q, 5, VFD_IOMMUFD, 0, NULL);
	fd(q, 6, VFD_IOMMUFD, 0, NULL);
	fd(q, 7, VFD_CDEV, 1, "0000:01:00.0");
	fd(q, 8, VFD_CDEV, 2, "0000:01:00.1");
	group_one_as(&g, &h, &r);
	assert_int_equal(r.state, AS_SPLIT);
	assert_non_null(strstr(r.reason, "different DMA contexts (a, b)"));
}

static void not_a_vmm_two_iommufds(void **state)
{
	struct as_rule r;
	size_t p;

	(void)state;
	reset();
	p = proc(7002, "reactor_0", NULL);
	fd(p, 7, VFD_IOMMUFD, 0, NULL);
	fd(p, 8, VFD_IOMMUFD, 0, NULL);
	fd(p, 9, VFD_CDEV, 5, "0000:01:00.0");
	fd(p, 10, VFD_CDEV, 6, "0000:01:00.1");
	group_one_as(&g, &h, &r);
	assert_int_equal(r.state, AS_UNKNOWN);
	/* one iommufd: both cdevs can only be bound to it */
	hv[1].f.kind = VFD_KVM_VFIO;
	group_one_as(&g, &h, &r);
	assert_int_equal(r.state, AS_ONE);
}

static void paths(void **state)
{
	char buf[64];

	(void)state;
	reset();
	fd(proc(1, "x", NULL), 3, VFD_CDEV, 4, "0000:01:00.0");
	holder_path(&hv[0], buf, sizeof(buf));
	assert_string_equal(buf, "/dev/vfio/devices/vfio4");
	fd(0, 4, VFD_GROUP, 12, NULL);
	holder_path(&hv[1], buf, sizeof(buf));
	assert_string_equal(buf, "/dev/vfio/12");
	fd(0, 5, VFD_CONTAINER, 0, NULL);
	holder_path(&hv[2], buf, sizeof(buf));
	assert_string_equal(buf, "/dev/vfio/vfio");
	fd(0, 6, VFD_IOMMUFD, 0, NULL);
	holder_path(&hv[3], buf, sizeof(buf));
	assert_string_equal(buf, "/dev/iommu");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unheld),
		cmocka_unit_test(one_qemu_group_fd),
		cmocka_unit_test(two_processes),
		cmocka_unit_test(qemu_viommu_splits_group),
		cmocka_unit_test(qemu_viommu_one_device_of_group),
		cmocka_unit_test(qemu_two_iommufd_objects),
		cmocka_unit_test(not_a_vmm_two_iommufds),
		cmocka_unit_test(paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
