// SPDX-License-Identifier: GPL-2.0-or-later
/* The memlock need model against hand-computed kernel charges (libvirt qemumemlocktest style). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "model/need.h"

#define G (1ULL << 30)
#define M (1ULL << 20)

static void one_device_type1_charges_ram_once(void **state)
{
	struct need_in in = { .guest_mem = 4 * G, .ndevices = 1, .backend = NEED_TYPE1,
			      .bar_bytes = 256 * M };
	struct need_out out;

	(void)state;
	need_compute(&in, &out);
	assert_int_equal(out.contexts, 1);
	assert_int_equal(out.total, 4 * G);      /* BARs are PFNMAP: never charged by type1 */
	assert_int_equal(out.bar_charge, 0);
	assert_non_null(strstr(out.how, "x 1 context"));
}

static void devices_share_one_container_without_viommu(void **state)
{
	struct need_in in = { .guest_mem = 2 * G, .ndevices = 3, .backend = NEED_TYPE1 };
	struct need_out out;

	(void)state;
	need_compute(&in, &out);
	assert_int_equal(out.contexts, 1);
	assert_int_equal(out.total, 2 * G);
}

static void viommu_charges_ram_per_device(void **state)
{
	/* libvirt >= 8.7: N devices behind a vIOMMU lock N x guest RAM */
	struct need_in in = { .guest_mem = 2 * G, .ndevices = 3, .viommu = true,
			      .backend = NEED_TYPE1 };
	struct need_out out;

	(void)state;
	need_compute(&in, &out);
	assert_int_equal(out.contexts, 3);
	assert_int_equal(out.total, 6 * G);
	assert_non_null(strstr(out.how, "vIOMMU"));
}

static void viommu_single_device_is_one_context(void **state)
{
	struct need_in in = { .guest_mem = G, .ndevices = 1, .viommu = true };
	struct need_out out;

	(void)state;
	need_compute(&in, &out);
	assert_int_equal(out.contexts, 1);
	assert_int_equal(out.total, G);
}

static void iommufd_refuses_bars(void **state)
{
	/* Measured on 6.12: IOAS_MAP of a BAR mmap is EFAULT; nothing is charged for it. */
	struct need_in in = { .guest_mem = 8 * G, .ndevices = 2, .backend = NEED_IOMMUFD,
			      .bar_bytes = 16 * G + 32 * M };
	struct need_out out;

	(void)state;
	need_compute(&in, &out);
	assert_int_equal(out.bar_charge, 0);
	assert_int_equal(out.bar_refused, 16 * G + 32 * M);
	assert_int_equal(out.total, 8 * G);
	assert_int_equal(out.pin_total, 8 * G);          /* VmPin too */
	assert_string_equal(out.counter, "VmLck");       /* per-mm / compat */
	assert_non_null(strstr(out.how, "refused by iommufd (EFAULT"));
	assert_non_null(strstr(out.how, "VmPin"));
}

static void iommufd_per_user_counter(void **state)
{
	struct need_in in = { .guest_mem = 2 * G, .ndevices = 3, .viommu = true, .backend = NEED_IOMMUFD_USER };
	struct need_out out;

	(void)state;
	need_compute(&in, &out);
	assert_int_equal(out.total, 6 * G);
	assert_int_equal(out.pin_total, 6 * G);
	assert_int_equal(out.bar_refused, 0);
	assert_string_equal(out.counter, "user");
	assert_non_null(strstr(out.how, "per-user"));
	assert_null(strstr(out.how, "BARs"));            /* none to refuse */
}

static void type1_pins_nothing_in_vmpin(void **state)
{
	struct need_in in = { .guest_mem = G, .ndevices = 1, .backend = NEED_TYPE1, .bar_bytes = M };
	struct need_out out;

	(void)state;
	need_compute(&in, &out);
	assert_int_equal(out.pin_total, 0);
	assert_int_equal(out.bar_refused, 0);
	assert_string_equal(out.counter, "VmLck");
}

static void dma_entries_estimate(void **state)
{
	struct need_in in = { .guest_mem = 4 * G, .ndevices = 2 };
	struct need_out out;

	(void)state;
	need_compute(&in, &out);
	assert_false(out.dma_worst_case);
	assert_int_equal(out.dma_entries, 2 + 4 + 12);
}

static void dma_entries_by_granularity(void **state)
{
	/* SPDK before 19.07.1: 2 MiB per map -> 128 GiB needs 65536 + fixed: over 65535 */
	struct need_in in = { .guest_mem = 128 * G, .ndevices = 1, .granularity = 2 * M };
	struct need_out out;

	(void)state;
	need_compute(&in, &out);
	assert_int_equal(out.dma_entries, 65536 + 4 + 6);
	in.guest_mem = 3 * M;   /* a partial chunk still takes a mapping */
	need_compute(&in, &out);
	assert_int_equal(out.dma_entries, 2 + 4 + 6);
}

static void dma_entries_viommu_worst_case(void **state)
{
	struct need_in in = { .guest_mem = G, .ndevices = 1, .viommu = true };
	struct need_out out;

	(void)state;
	need_compute(&in, &out);
	assert_true(out.dma_worst_case);
	assert_int_equal(out.dma_entries, 262144 + 4 + 6);
}

/* ROMs are charged per context; the finding names the kernel's zero-page rule by version. */
static void roms_and_zero_page_by_kernel(void **state)
{
	struct need_in in = { .guest_mem = 256 * M, .ndevices = 2, .contexts = 2, .rom_bytes = 256 << 10,
			      .kv_known = true, .kv = { 6, 12, 0 } };
	struct need_out out;

	(void)state;
	need_compute(&in, &out);
	assert_int_equal(out.contexts, 2);
	assert_int_equal(out.rom_charge, 512 << 10);
	assert_int_equal(out.total, 512 * M + (512 << 10));
	assert_non_null(strstr(out.how, "512.5M = guest RAM 256M x 2 contexts (read from the VMM: each charges all RAM) + ROMs 256K x 2"));
	assert_non_null(strstr(out.how, "since 6.2 an untouched page mapped read-only is a fresh page, charged"));
	assert_null(strstr(out.how, "zero"));
	in.kv = (struct kver){ 6, 1, 0 };
	need_compute(&in, &out);
	assert_non_null(strstr(out.how, "no BAR, reserved or zero page (before 6.2"));
	in.kv_known = false;
	need_compute(&in, &out);
	assert_non_null(strstr(out.how, "from 6.2 on"));
}

/* DPDK maps one DMA entry per hugepage memseg, and nothing else. */
static void dma_entries_dpdk_memsegs(void **state)
{
	struct need_in in = { .guest_mem = 1 * G, .ndevices = 1, .memseg_size = 2 * M };
	struct need_out out;

	(void)state;
	need_compute(&in, &out);
	assert_int_equal(out.dma_entries, 512);
	assert_non_null(strstr(out.dma_how, "DPDK: one mapping per 2M memseg"));
	in.memseg_size = G;
	need_compute(&in, &out);
	assert_int_equal(out.dma_entries, 1);
}

/*
 * Measured with Debian's QEMU 7.2 in the test guest (256M, one edu): vfio-pci
 * maps pc.ram whole before the ROM windows split it, so a limit of the final
 * VmLck (261888 kB on 6.1) fails with ENOMEM and 262144 kB runs; on 6.12 the
 * peak (RAM + pc.bios 256K) equals the final 262400 kB; two contexts double it.
 */
#define K (1ULL << 10)
static void qemu_peak_at_realize(void **state)
{
	struct need_in in = { .guest_mem = 256 * M, .ndevices = 1, .backend = NEED_TYPE1,
			      .ram_hidden = 256 * K };
	struct need_out out;

	(void)state;
	need_compute(&in, &out);                 /* 6.1: no ROM charged */
	assert_int_equal(out.ram_charge + out.rom_charge, 261888 * K);
	assert_int_equal(out.realize_peak, 262144 * K);
	assert_int_equal(out.total, 262144 * K);
	assert_non_null(strstr(out.how, "peak at vfio-pci realize"));
	in.rom_bytes = 512 * K;                  /* 6.12 */
	in.rom_at_realize = 256 * K;
	need_compute(&in, &out);
	assert_int_equal(out.realize_peak, 262400 * K);
	assert_int_equal(out.total, 262400 * K);
	assert_null(strstr(out.how, "peak at vfio-pci realize"));
	in.contexts = 2;                         /* vIOMMU, two devices: measured x2 both ways */
	need_compute(&in, &out);
	assert_int_equal(out.total, 2 * 262400 * K);
	in.ram_hidden = 0;                       /* not a QEMU: no peak */
	in.rom_bytes = in.rom_at_realize = 0;
	need_compute(&in, &out);
	assert_int_equal(out.realize_peak, 0);
	assert_int_equal(out.total, 2 * 256 * M);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_device_type1_charges_ram_once),
		cmocka_unit_test(devices_share_one_container_without_viommu),
		cmocka_unit_test(viommu_charges_ram_per_device),
		cmocka_unit_test(viommu_single_device_is_one_context),
		cmocka_unit_test(iommufd_refuses_bars),
		cmocka_unit_test(iommufd_per_user_counter),
		cmocka_unit_test(type1_pins_nothing_in_vmpin),
		cmocka_unit_test(dma_entries_estimate),
		cmocka_unit_test(dma_entries_by_granularity),
		cmocka_unit_test(dma_entries_viommu_worst_case),
		cmocka_unit_test(roms_and_zero_page_by_kernel),
		cmocka_unit_test(dma_entries_dpdk_memsegs),
		cmocka_unit_test(qemu_peak_at_realize),
	};

	return cmocka_run_group_tests_name("need", tests, NULL, NULL);
}
