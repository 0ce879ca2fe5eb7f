// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * model/roles.c: the roles of a VMM's vmas against its own command line, on the
 * layout a real QEMU 7.2 leaves (measured: -M pc -m 64 -nodefaults on x86-64,
 * every RAM block "dc", one 4K ---p guard page after it), DPDK 22.11's segment
 * names, and the DMA part of VmLck as contexts x (RAM + ROMs).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/roles.h"
#include "model/vmm.h"

#define K (1ULL << 10)
#define M (1ULL << 20)

static struct vmm_view vw;
static uint64_t guards[32];

static void view(const char *line)
{
	memset(&vw, 0, sizeof(vw));
	/* one shell-quoted line, as --qemu-cmdline takes it */
	assert_int_equal(vmm_cmdline_parse(line, strlen(line), &vw.cfg), 0);
	vw.have = true;
	vw.guards = guards;
	vw.nguards = 0;
}

static void rom(const char *name, uint64_t size)
{
	snprintf(vw.roms[vw.nroms].name, sizeof(vw.roms[0].name), "%s", name);
	vw.roms[vw.nroms++].size = size;
}

/* A vma; guarded: QEMU's guard page follows it (the guard list is kept ascending). */
static struct vma mk(uint64_t start, uint64_t size, const char *perms, const char *path, bool guarded)
{
	struct vma v;

	memset(&v, 0, sizeof(v));
	v.start = start;
	v.end = start + size;
	snprintf(v.perms, sizeof(v.perms), "%s", perms);
	snprintf(v.path, sizeof(v.path), "%s", path);
	v.inode = path[0] && strncmp(path, "anon_inode:", 11) && path[0] != '[' ? 1234 : 0;
	v.has_vmflags = true;
	if (guarded)
		guards[vw.nguards++] = v.end;
	return v;
}

static const struct vma_traits anon_dc = { .dontcopy = true, .has_vmflags = true };
static const struct vma_traits plain = { .has_vmflags = true };
static const struct vma_traits huge = { .hugetlb = true, .dontcopy = true, .has_vmflags = true };
static const struct vma_traits vfio = { .vfio_device = true, .has_vmflags = true };

static void qemu_anon_layout(void **state)
{
	struct role_matcher m;
	struct vma v[8];

	(void)state;
	view("qemu-system-x86_64 -S -m 64 -nodefaults -device vfio-pci,host=0000:00:03.0");
	rom("pc.rom", 128 * K);
	rom("pc.bios", 256 * K);
	/* ascending, as maps lists them */
	v[0] = mk(0x7f909b000000, 2 * M, "rw-p", "", true);       /* /rom@etc/acpi/tables */
	v[1] = mk(0x7f909be00000, 64 * M, "rw-p", "", true);      /* pc.ram */
	v[2] = mk(0x7f90a0000000, 64 * M, "rw-p", "", false);     /* same size, no guard: not QEMU's */
	v[3] = mk(0x7f90b0000000, 1 * M, "rw-s", "anon_inode:[vfio-device]", false);
	v[4] = mk(0x7f90e4400000, 128 * K, "rw-p", "", true);     /* pc.rom */
	v[5] = mk(0x7f90e4600000, 256 * K, "rw-p", "", true);     /* pc.bios */
	v[6] = mk(0x7f90e4800000, 128 * K, "rw-p", "", true);     /* a third 128K block: pc.rom is taken */
	v[7] = mk(0x7f90e4a00000, 256 * K, "rw-p", "", true);
	roles_begin(&m, &vw);
	assert_int_equal(role_of_vma(&m, &v[0], &anon_dc), VR_RAM_BLOCK);
	assert_int_equal(role_of_vma(&m, &v[1], &anon_dc), VR_GUEST_RAM);
	assert_int_equal(role_of_vma(&m, &v[2], &anon_dc), VR_NONE);
	assert_int_equal(role_of_vma(&m, &v[3], &vfio), VR_BAR);
	assert_int_equal(role_of_vma(&m, &v[4], &anon_dc), VR_ROM);
	assert_int_equal(role_of_vma(&m, &v[5], &anon_dc), VR_ROM);
	assert_int_equal(role_of_vma(&m, &v[6], &anon_dc), VR_RAM_BLOCK);
	/* without MADV_DONTFORK an anonymous vma is not one of QEMU's blocks */
	assert_int_equal(role_of_vma(&m, &v[7], &plain), VR_NONE);
	assert_null(vma_role_name(VR_NONE));
	assert_string_equal(vma_role_name(VR_GUEST_RAM), "guest-ram");
	assert_string_equal(vma_role_name(VR_ROM), "rom");
	assert_string_equal(vma_role_name(VR_BAR), "bar");
	assert_string_equal(vma_role_name(VR_DPDK_MEMSEG), "dpdk-memseg");
}

static void qemu_ram_taken_once(void **state)
{
	struct role_matcher m;
	struct vma a, b;

	(void)state;
	view("qemu-system-x86_64 -m 64");
	a = mk(0x7f0000000000, 64 * M, "rw-p", "", true);
	b = mk(0x7f1000000000, 64 * M, "rw-p", "", true);
	roles_begin(&m, &vw);
	/* the right size and a guard page, but no MADV_DONTFORK: not QEMU's block */
	assert_int_equal(role_of_vma(&m, &a, &plain), VR_NONE);
	assert_int_equal(role_of_vma(&m, &a, &anon_dc), VR_GUEST_RAM);
	assert_int_equal(role_of_vma(&m, &b, &anon_dc), VR_RAM_BLOCK);
}

static void qemu_mem_path(void **state)
{
	struct role_matcher m;
	struct vma a, b, c, d;

	(void)state;
	view("qemu-system-x86_64 -m 8M -mem-path /dev/hugepages/");
	a = mk(0x7e0000000000, 8 * M, "rw-s", "/dev/hugepages/sub/qemu_back_mem.x (deleted)", true);
	b = mk(0x7e1000000000, 4 * M, "rw-s", "/dev/hugepages/qemu_back_mem.pc.ram.x1Yz (deleted)", true);
	c = mk(0x7f0000000000, 8 * M, "rw-s", "/dev/hugepages/qemu_back_mem.pc.ram.x1Yz (deleted)", false);
	d = mk(0x7f1000000000, 8 * M, "rw-s", "/dev/hugepages/qemu_back_mem.pc.ram.x1Yz (deleted)", true);
	roles_begin(&m, &vw);
	assert_int_equal(role_of_vma(&m, &a, &huge), VR_NONE);       /* not directly in the directory */
	assert_int_equal(role_of_vma(&m, &b, &huge), VR_NONE);       /* not the RAM's size */
	assert_int_equal(role_of_vma(&m, &c, &huge), VR_NONE);       /* no guard page after it */
	assert_int_equal(role_of_vma(&m, &d, &huge), VR_GUEST_RAM);
}

static void qemu_backends(void **state)
{
	struct role_matcher m;
	struct vma a, b, c, d;

	(void)state;
	view("qemu-system-x86_64 -m 2G -object memory-backend-memfd,id=m0,size=1G "
	     "-object memory-backend-file,id=m1,size=1G,mem-path=/mnt/huge/guest1,share=on "
	     "-numa node,memdev=m0 -numa node,memdev=m1");
	a = mk(0x7e0000000000, 1024 * M, "rw-s", "/memfd:memory-backend-memfd (deleted)", true);
	b = mk(0x7e1000000000, 1024 * M, "rw-s", "/memfd:memory-backend-memfd (deleted)", true);
	c = mk(0x7e2000000000, 1024 * M, "rw-s", "/mnt/huge/guest1", true);
	d = mk(0x7e3000000000, 2048 * M, "rw-p", "", true);   /* -m's RAM: the backends hold it */
	roles_begin(&m, &vw);
	assert_int_equal(role_of_vma(&m, &a, &plain), VR_GUEST_RAM);
	assert_int_equal(role_of_vma(&m, &b, &plain), VR_NONE);   /* one memfd backend, matched once */
	assert_int_equal(role_of_vma(&m, &c, &huge), VR_GUEST_RAM);
	assert_int_equal(role_of_vma(&m, &d, &anon_dc), VR_RAM_BLOCK);
}

static void qemu_shared_anon(void **state)
{
	struct role_matcher m;
	struct vma a;

	(void)state;
	view("qemu-system-x86_64 -object memory-backend-ram,id=r,size=256M,share=on -machine memory-backend=r");
	a = mk(0x7e0000000000, 256 * M, "rw-s", "/dev/zero (deleted)", true);
	roles_begin(&m, &vw);
	assert_int_equal(role_of_vma(&m, &a, &anon_dc), VR_GUEST_RAM);
}

static void dpdk_segments(void **state)
{
	static const char *const yes[] = {
		"/dev/hugepages/rtemap_0", "/mnt/huge/vppmap_12", "/dev/hugepages/my_map_appmap_7", "/memfd:seg_0-3 (deleted)", "/memfd:seg_1 (deleted)",
	};
	static const char *const no[] = {
		"/dev/hugepages/rtemap_x", "/dev/hugepages/rtemap_", "/memfd:seg_a-1 (deleted)", "/memfd:seg_1- (deleted)",
		"/memfd:memory-backend-memfd (deleted)",
	};
	struct role_matcher m;
	struct vma v;
	size_t i;

	(void)state;
	view("dpdk-testpmd -l 0-1 -a 0000:00:04.0 --iova-mode=va -- -i");
	roles_begin(&m, &vw);
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		v = mk(0x100000000 + i * 0x200000, 2 * M, "rw-s", yes[i], false);
		assert_int_equal(role_of_vma(&m, &v, &huge), VR_DPDK_MEMSEG);
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		v = mk(0x200000000 + i * 0x200000, 2 * M, "rw-s", no[i], false);
		assert_int_equal(role_of_vma(&m, &v, &huge), VR_NONE);
	}
	/* rtemap_N off hugetlbfs is not DPDK's hugepage file */
	v = mk(0x300000000, 2 * M, "rw-s", "/tmp/rtemap_0", false);
	assert_int_equal(role_of_vma(&m, &v, &plain), VR_NONE);
}

static void no_vmm_only_bars(void **state)
{
	struct role_matcher m;
	struct vma a, b;

	(void)state;
	memset(&vw, 0, sizeof(vw));
	a = mk(0x7f0000000000, 64 * M, "rw-p", "", true);
	b = mk(0x7f3000000000, M, "rw-s", "anon_inode:[vfio-device]", false);
	roles_begin(&m, &vw);
	assert_int_equal(role_of_vma(&m, &a, &anon_dc), VR_NONE);
	assert_int_equal(role_of_vma(&m, &b, &vfio), VR_BAR);
	roles_begin(&m, NULL);
	assert_int_equal(role_of_vma(&m, &b, &vfio), VR_BAR);
}

static void guard_shape(void **state)
{
	struct vma g = mk(0x1000, 4 * K, "---p", "", false);

	(void)state;
	assert_true(vma_is_guard(&g));
	g.perms[3] = 's';
	assert_false(vma_is_guard(&g));
	g = mk(0x1000, 4 * K, "---p", "/usr/lib/libc.so.6", false);
	assert_false(vma_is_guard(&g));
}

static void vmlck_one_context(void **state)
{
	struct vmlck_explained x;

	(void)state;
	view("qemu-system-x86_64 -m 256M -device vfio-pci,host=0000:00:03.0");
	/* measured, QEMU 7.2 q35 -S: 6.12 charges 262400 kB (RAM - 256K hidden + 512K ROMs) */
	vmlck_explain(&vw.cfg, 256 * K, 512 * K, (int64_t)(262400 * K), &x);
	assert_int_equal(x.contexts, 1);
	assert_true(x.exact);
	assert_true(x.roms_charged);
	assert_int_equal(x.ram_hidden_bytes, 256 * K);
	assert_int_equal(x.explained_bytes, 256 * M + 256 * K);
	/* 6.1: the ROMs' read-only maps are the zero page, uncharged: 261888 kB */
	vmlck_explain(&vw.cfg, 256 * K, 0, (int64_t)(261888 * K), &x);
	assert_true(x.exact);
	assert_false(x.roms_charged);
	assert_int_equal(x.explained_bytes, 256 * M - 256 * K);
	/* a figure of exactly the RAM is not what 6.12 charges: short by 256K */
	vmlck_explain(&vw.cfg, 256 * K, 512 * K, (int64_t)(256 * M), &x);
	assert_false(x.exact);
	assert_int_equal(x.diff_bytes, -(int64_t)(256 * K));
}

static void vmlck_viommu_two_contexts(void **state)
{
	struct vmlck_explained x;

	(void)state;
	/* kubevirt#18915: a vIOMMU in front of two devices = two contexts = 2 x RAM */
	view("qemu-system-x86_64 -m 1G -machine q35 -device intel-iommu "
	     "-device vfio-pci,host=0000:01:00.0 -device vfio-pci,host=0000:02:00.0");
	vmlck_explain(&vw.cfg, 0, 0, (int64_t)(2048 * M), &x);
	assert_int_equal(x.contexts, 2);
	assert_int_equal(x.ram_bytes, 1024 * M);
	assert_true(x.exact);
	vmlck_explain(&vw.cfg, 0, 0, (int64_t)(1024 * M), &x);
	assert_false(x.exact);
	assert_int_equal(x.diff_bytes, -(int64_t)(1024 * M));
}

static void vmlck_iommufd_per_device(void **state)
{
	struct vmlck_explained x;

	(void)state;
	/* Kata: one -object iommufd per device, each its own context */
	view("qemu-system-x86_64 -m 512M -object iommufd,id=iommufd0 -object iommufd,id=iommufd1 "
	     "-device vfio-pci,host=0000:01:00.0,iommufd=iommufd0 -device vfio-pci,host=0000:02:00.0,iommufd=iommufd1");
	vmlck_explain(&vw.cfg, 0, 0, (int64_t)(1024 * M), &x);
	assert_int_equal(x.contexts, 2);
	assert_true(x.exact);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(qemu_anon_layout),
		cmocka_unit_test(qemu_ram_taken_once),
		cmocka_unit_test(qemu_mem_path),
		cmocka_unit_test(qemu_backends),
		cmocka_unit_test(qemu_shared_anon),
		cmocka_unit_test(dpdk_segments),
		cmocka_unit_test(no_vmm_only_bars),
		cmocka_unit_test(guard_shape),
		cmocka_unit_test(vmlck_one_context),
		cmocka_unit_test(vmlck_viommu_two_contexts),
		cmocka_unit_test(vmlck_iommufd_per_device),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
