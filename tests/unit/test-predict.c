// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: src/predict.c — type1's charge rule for every page class ×
 * kernel (6.1, 6.12 and the 6.2 boundary) × map flags (READ, READ|WRITE) ×
 * CAP_IPC_LOCK, the RLIMIT_MEMLOCK check, and the errno order of MAP_DMA;
 * iommufd's per-user, per-mm and compat rules: every class × mode × cap,
 * the BAR's EFAULT, both limits, and the table measured in the test guests.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "model/predict.h"

#define K4  4096ULL
#define M1  (1ULL << 20)
#define M4  (4ULL << 20)

static const struct kver K61 = { 6, 1, 0 }, K612 = { 6, 12, 117 }, K62 = { 6, 2, 0 },
			 K515 = { 5, 15, 0 }, K70 = { 7, 0, 0 };

/* A 4 MiB region, fully present in class cls, as root with an 8 MiB limit. */
static struct predict_in base_in(const struct class_bytes *cb)
{
	struct predict_in in = {
		.rule = RULE_TYPE1,
		.kv = K61,
		.flags = BE_MAP_READ | BE_MAP_WRITE,
		.cap_ipc_lock = true,
		.limit = 8 * M1,
		.vaddr = 0x7f0000000000ULL,
		.iova = 0x400000,
		.size = M4,
		.cb = cb,
		.writable = true,
		.unpop_zero = true,
		.iova_usable = true,
		.dma_avail_known = true,
		.dma_avail = 65535,
	};
	return in;
}

static struct class_bytes full(enum page_class c, uint64_t bytes)
{
	struct class_bytes cb;

	memset(&cb, 0, sizeof(cb));
	cb.bytes[c] = bytes;
	cb.mapped = bytes;
	return cb;
}

/* What type1 charges for a present page of class c, per the design notes and the VM measurements. */
static uint64_t expected_charge(enum page_class c, const struct kver *kv, unsigned flags)
{
	switch (c) {
	case PC_INVALID:
	case PC_RESERVED:
	case PC_DEVICE:
		return 0;                       /* is_invalid_reserved_pfn() */
	case PC_ZERO:
		if (flags & BE_MAP_WRITE)
			return M4;              /* the write pin COWs */
		return kver_cmp(kv, 6, 2) >= 0 ? M4 : 0;   /* 6.12 unshares, 6.1 keeps the zero pfn */
	default:
		return M4;                      /* unknown counted as charged (and flagged uncertain) */
	}
}

static void test_every_class_kernel_flags_cap(void **state)
{
	static const struct kver *kernels[] = { &K61, &K612 };
	static const unsigned flagsets[] = { BE_MAP_READ, BE_MAP_READ | BE_MAP_WRITE };
	int c, k, f, cap;

	(void)state;
	for (c = 0; c < PC_NR; c++)
		for (k = 0; k < 2; k++)
			for (f = 0; f < 2; f++)
				for (cap = 0; cap < 2; cap++) {
					struct class_bytes cb = full(c, M4);
					struct predict_in in = base_in(&cb);
					struct predict_out out;
					uint64_t want = expected_charge(c, kernels[k], flagsets[f]);

					in.kv = *kernels[k];
					in.flags = flagsets[f];
					in.cap_ipc_lock = cap;
					/* A 2M limit: every charging map goes over it. */
					in.limit = 2 * M1;
					assert_int_equal(predict_map(&in, &out), 0);
					if (cap || !want) {
						assert_int_equal(out.err, 0);
						assert_int_equal(out.charge[CNT_VMLCK], want);
					} else {
						assert_int_equal(out.err, -ENOMEM);
						assert_int_equal(out.charge[CNT_VMLCK], 0);
					}
					assert_int_equal(out.needs, want);
					assert_int_equal(out.need_limit, want);
					/* type1 never touches pinned_vm */
					assert_int_equal(out.charge[CNT_VMPIN], 0);
					assert_int_equal(out.uncertain, c == PC_UNKNOWN ? M4 : 0);
					assert_non_null(out.rule);
				}
}

static void test_zero_page_version_boundary(void **state)
{
	struct class_bytes cb = full(PC_ZERO, M1);
	struct predict_in in = base_in(&cb);
	struct predict_out out;

	(void)state;
	in.size = M1;
	in.flags = BE_MAP_READ;
	in.kv = K515;
	predict_map(&in, &out);
	assert_int_equal(out.charge[CNT_VMLCK], 0);
	in.kv = K61;
	predict_map(&in, &out);
	assert_int_equal(out.charge[CNT_VMLCK], 0);
	in.kv = K62;
	predict_map(&in, &out);
	assert_int_equal(out.charge[CNT_VMLCK], M1);
	in.kv = K70;
	predict_map(&in, &out);
	assert_int_equal(out.charge[CNT_VMLCK], M1);
	assert_false(kver_ro_pin_unshares(&K61));
	assert_true(kver_ro_pin_unshares(&K612));
}

static void test_unpopulated(void **state)
{
	struct class_bytes cb = full(PC_ANON, 0);
	struct predict_in in = base_in(&cb);
	struct predict_out out;

	(void)state;
	/* Private anon hole, READ-only: the zero page on 6.1 (free), a fresh page on 6.12. */
	in.flags = BE_MAP_READ;
	predict_map(&in, &out);
	assert_int_equal(out.unpopulated, M4);
	assert_int_equal(out.charge[CNT_VMLCK], 0);
	in.kv = K612;
	predict_map(&in, &out);
	assert_int_equal(out.charge[CNT_VMLCK], M4);
	/* A write map faults in private pages on every version. */
	in.kv = K61;
	in.flags = BE_MAP_READ | BE_MAP_WRITE;
	predict_map(&in, &out);
	assert_int_equal(out.charge[CNT_VMLCK], M4);
	/* Shared file / hugetlb holes fault in real pages even for READ. */
	in.flags = BE_MAP_READ;
	in.unpop_zero = false;
	predict_map(&in, &out);
	assert_int_equal(out.charge[CNT_VMLCK], M4);
	/* Half present anon, half hole, READ on 6.1: only the present half. */
	cb = full(PC_ANON, 2 * M1);
	in.unpop_zero = true;
	predict_map(&in, &out);
	assert_int_equal(out.unpopulated, 2 * M1);
	assert_int_equal(out.charge[CNT_VMLCK], 2 * M1);
}

static void test_swapped_is_charged(void **state)
{
	struct class_bytes cb = full(PC_ANON, 3 * M1);
	struct predict_in in = base_in(&cb);
	struct predict_out out;

	(void)state;
	cb.swapped = M1;
	predict_map(&in, &out);
	assert_int_equal(out.unpopulated, 0);
	assert_int_equal(out.charge[CNT_VMLCK], M4);
}

static void test_pfnmap(void **state)
{
	struct class_bytes cb = full(PC_INVALID, M1);
	struct predict_in in = base_in(&cb);
	struct predict_out out;
	int cap;

	(void)state;
	in.size = M1;
	in.pfnmap = true;
	in.unpop_zero = false;
	for (cap = 0; cap < 2; cap++) {
		in.cap_ipc_lock = cap;
		in.limit = 0;   /* free maps never hit the limit */
		predict_map(&in, &out);
		assert_int_equal(out.err, 0);
		assert_int_equal(out.charge[CNT_VMLCK], 0);
	}
	cb = full(PC_RESERVED, M1);
	predict_map(&in, &out);
	assert_int_equal(out.err, 0);
	assert_int_equal(out.charge[CNT_VMLCK], 0);
	/* A PFNMAP pfn with a normal struct page: vaddr_get_pfns says EFAULT. */
	cb = full(PC_ANON, M1);
	predict_map(&in, &out);
	assert_int_equal(out.err, -EFAULT);
}

static void test_limit_boundary(void **state)
{
	struct class_bytes cb = full(PC_ANON, M4);
	struct predict_in in = base_in(&cb);
	struct predict_out out;

	(void)state;
	in.cap_ipc_lock = false;
	in.limit = M4;                  /* exactly the need: a map of the limit succeeds */
	predict_map(&in, &out);
	assert_int_equal(out.err, 0);
	assert_int_equal(out.charge[CNT_VMLCK], M4);
	in.limit = M4 - K4;
	predict_map(&in, &out);
	assert_int_equal(out.err, -ENOMEM);
	assert_int_equal(out.need_limit, M4);
	/* A limit that is not a page multiple rounds down, as rlimit >> PAGE_SHIFT does. */
	in.limit = M4 + K4 - 1;
	predict_map(&in, &out);
	assert_int_equal(out.err, 0);
	/* What is already locked (mlock, earlier maps) counts against the same budget. */
	in.limit = 6 * M1;
	in.locked_vm = 2 * M1;
	predict_map(&in, &out);
	assert_int_equal(out.err, 0);
	in.locked_vm = 2 * M1 + K4;
	predict_map(&in, &out);
	assert_int_equal(out.err, -ENOMEM);
	assert_int_equal(out.need_limit, 6 * M1 + K4);
	/* unlimited: never */
	in.limit_unlimited = true;
	in.limit = 0;
	predict_map(&in, &out);
	assert_int_equal(out.err, 0);
	/* CAP_IPC_LOCK: no check, still charged */
	in.limit_unlimited = false;
	in.cap_ipc_lock = true;
	predict_map(&in, &out);
	assert_int_equal(out.err, 0);
	assert_int_equal(out.charge[CNT_VMLCK], M4);
}

static void test_write_to_readonly_vma(void **state)
{
	struct class_bytes cb = full(PC_ZERO, M1);
	struct predict_in in = base_in(&cb);
	struct predict_out out;

	(void)state;
	in.size = M1;
	in.writable = false;
	predict_map(&in, &out);
	assert_int_equal(out.err, -EFAULT);
	assert_int_equal(out.charge[CNT_VMLCK], 0);
	in.flags = BE_MAP_READ;
	predict_map(&in, &out);
	assert_int_equal(out.err, 0);
}

static void test_file_longterm_write(void **state)
{
	struct class_bytes cb = full(PC_FILE, M4);
	struct predict_in in = base_in(&cb);
	struct predict_out out;

	(void)state;
	in.unpop_zero = false;
	in.file_dirty_tracked = true;
	/* 6.1: no check, charged like any page */
	predict_map(&in, &out);
	assert_int_equal(out.err, 0);
	assert_int_equal(out.charge[CNT_VMLCK], M4);
	/* 6.5+: a write pin of a dirty-tracked file is EFAULT ... */
	in.kv = K612;
	predict_map(&in, &out);
	assert_int_equal(out.err, -EFAULT);
	assert_int_equal(out.charge[CNT_VMLCK], 0);
	/* ... a READ-only one is fine, and so is tmpfs/hugetlbfs */
	in.flags = BE_MAP_READ;
	predict_map(&in, &out);
	assert_int_equal(out.err, 0);
	in.flags = BE_MAP_READ | BE_MAP_WRITE;
	in.file_dirty_tracked = false;
	predict_map(&in, &out);
	assert_int_equal(out.err, 0);
	assert_false(kver_refuses_file_longterm_write(&K61));
	assert_true(kver_refuses_file_longterm_write(&(struct kver){ 6, 5, 0 }));
}

static void test_args_and_errno_order(void **state)
{
	struct class_bytes cb = full(PC_ANON, M4);
	struct predict_in in = base_in(&cb);
	struct predict_out out;

	(void)state;
	in.flags = 0;
	predict_map(&in, &out);
	assert_int_equal(out.err, -EINVAL);
	in = base_in(&cb);
	in.iova = 0x400800;
	predict_map(&in, &out);
	assert_int_equal(out.err, -EINVAL);
	in = base_in(&cb);
	in.size = 0;
	predict_map(&in, &out);
	assert_int_equal(out.err, -EINVAL);
	in = base_in(&cb);
	in.iova = UINT64_MAX - K4 + 1;   /* wraps */
	predict_map(&in, &out);
	assert_int_equal(out.err, -EINVAL);
	/* vfio_dma_do_map: overlap (EEXIST) before the budget (ENOSPC) before the ranges (EINVAL) before pinning */
	in = base_in(&cb);
	in.iova_overlaps = true;
	in.dma_avail = 0;
	in.iova_usable = false;
	in.cap_ipc_lock = false;
	in.limit = 0;
	predict_map(&in, &out);
	assert_int_equal(out.err, -EEXIST);
	in.iova_overlaps = false;
	predict_map(&in, &out);
	assert_int_equal(out.err, -ENOSPC);
	in.dma_avail = 1;
	predict_map(&in, &out);
	assert_int_equal(out.err, -EINVAL);
	in.iova_usable = true;
	predict_map(&in, &out);
	assert_int_equal(out.err, -ENOMEM);
	/* Unknown budget (kernels before 5.10): no ENOSPC prediction. */
	in.dma_avail_known = false;
	in.dma_avail = 0;
	in.cap_ipc_lock = true;
	predict_map(&in, &out);
	assert_int_equal(out.err, 0);
}

static void test_mixed_classes(void **state)
{
	struct class_bytes cb;
	struct predict_in in = base_in(&cb);
	struct predict_out out;

	(void)state;
	memset(&cb, 0, sizeof(cb));
	cb.bytes[PC_ZERO] = M1;
	cb.bytes[PC_ANON] = M1;
	cb.bytes[PC_RESERVED] = M1;
	cb.bytes[PC_THP] = M1;
	in.flags = BE_MAP_READ;
	predict_map(&in, &out);
	assert_int_equal(out.charge[CNT_VMLCK], 2 * M1);
	in.kv = K612;
	predict_map(&in, &out);
	assert_int_equal(out.charge[CNT_VMLCK], 3 * M1);
}

static void test_unknown_rule(void **state)
{
	struct class_bytes cb = full(PC_ANON, M4);
	struct predict_in in = base_in(&cb);
	struct predict_out out;

	(void)state;
	in.rule = (enum charge_rule)99;
	assert_int_equal(predict_map(&in, &out), -EINVAL);
	assert_string_equal(counter_name(CNT_VMLCK), "VmLck");
	assert_string_equal(counter_name(CNT_VMPIN), "VmPin");
}

/* ---- iommufd ------------------------------------------------------------------ */

static const enum charge_rule iommufd_rules[] = { RULE_IOMMUFD_USER, RULE_IOMMUFD_MM, RULE_IOMMUFD_COMPAT };

static struct predict_in iommufd_in(const struct class_bytes *cb, enum charge_rule rule)
{
	struct predict_in in = base_in(cb);

	in.rule = rule;
	in.kv = K612;
	/* iommufd has no dma_entry_limit: a spent budget must not matter. */
	in.dma_avail = 0;
	return in;
}

static void test_iommufd_every_class_mode_cap(void **state)
{
	int c, m, cap;

	(void)state;
	for (c = 0; c < PC_NR; c++)
		for (m = 0; m < 3; m++)
			for (cap = 0; cap < 2; cap++) {
				struct class_bytes cb = full(c, M4);
				struct predict_in in = iommufd_in(&cb, iommufd_rules[m]);
				struct predict_out out;

				in.cap_ipc_lock = cap;
				in.limit = 8 * M1;
				assert_int_equal(predict_map(&in, &out), 0);
				if (c == PC_INVALID) {
					/* no struct page outside a PFNMAP vma: GUP cannot pin it */
					assert_int_equal(out.err, -EFAULT);
					continue;
				}
				/* every class is pinned and counted, reserved and zero too */
				assert_int_equal(out.err, 0);
				assert_int_equal(out.needs, M4);
				assert_int_equal(out.charge[CNT_VMPIN], M4);
				assert_int_equal(out.charge[CNT_VMLCK],
						 !cap && iommufd_rules[m] != RULE_IOMMUFD_USER ? M4 : 0);
				assert_int_equal(out.charge[CNT_USER],
						 !cap && iommufd_rules[m] == RULE_IOMMUFD_USER ? M4 : 0);
				assert_int_equal(out.uncertain, c == PC_UNKNOWN ? M4 : 0);
				/* per-user without the cap: other processes of the uid may refuse it */
				assert_int_equal(out.err_possible,
						 !cap && iommufd_rules[m] == RULE_IOMMUFD_USER ? -ENOMEM : 0);
			}
}

static void test_iommufd_bar_efault(void **state)
{
	struct class_bytes cb = full(PC_INVALID, M1);
	int m, cap;

	(void)state;
	for (m = 0; m < 3; m++)
		for (cap = 0; cap < 2; cap++) {
			struct predict_in in = iommufd_in(&cb, iommufd_rules[m]);
			struct predict_out out;

			in.size = M1;
			in.pfnmap = true;
			in.unpop_zero = false;
			in.cap_ipc_lock = cap;
			predict_map(&in, &out);
			assert_int_equal(out.err, -EFAULT);
			assert_string_equal(out.rule, IOMMUFD_PFNMAP_WHY);
			assert_int_equal(out.charge[CNT_VMPIN] + out.charge[CNT_VMLCK] + out.charge[CNT_USER], 0);
		}
	/* type1 maps the same BAR, free */
	{
		struct predict_in in = iommufd_in(&cb, RULE_TYPE1);
		struct predict_out out;

		in.size = M1;
		in.pfnmap = true;
		in.dma_avail = 65535;
		predict_map(&in, &out);
		assert_int_equal(out.err, 0);
		assert_int_equal(out.charge[CNT_VMLCK], 0);
	}
}

static void test_iommufd_zero_page(void **state)
{
	struct class_bytes cb = full(PC_ZERO, M1);
	struct predict_in in = iommufd_in(&cb, RULE_IOMMUFD_USER);
	struct predict_out out;

	(void)state;
	in.size = M1;
	in.flags = BE_MAP_READ;
	predict_map(&in, &out);
	assert_int_equal(out.charge[CNT_VMPIN], M1);
	/* iommufd exists from 6.2 only: the R/O pin always unshares */
	in.kv = K61;
	predict_map(&in, &out);
	assert_int_equal(out.charge[CNT_VMPIN], M1);
	/* a private anon hole read-faults to the zero page: charged the same */
	cb = full(PC_ANON, 0);
	cb.mapped = M1;
	predict_map(&in, &out);
	assert_int_equal(out.unpopulated, M1);
	assert_int_equal(out.charge[CNT_VMPIN], M1);
}

static void test_iommufd_mm_limit(void **state)
{
	struct class_bytes cb = full(PC_ANON, M1);
	enum charge_rule rules[] = { RULE_IOMMUFD_MM, RULE_IOMMUFD_COMPAT };
	int m;

	(void)state;
	for (m = 0; m < 2; m++) {
		struct predict_in in = iommufd_in(&cb, rules[m]);
		struct predict_out out;

		in.cap_ipc_lock = false;
		in.size = M1;
		in.limit = M1;               /* exactly the need: succeeds */
		predict_map(&in, &out);
		assert_int_equal(out.err, 0);
		assert_int_equal(out.charge[CNT_VMLCK], M1);
		assert_int_equal(out.charge[CNT_VMPIN], M1);
		assert_int_equal(out.err_possible, 0);   /* VmLck is this mm's own: exact */
		in.limit = M1 - K4;
		predict_map(&in, &out);
		assert_int_equal(out.err, -ENOMEM);
		assert_int_equal(out.charge[CNT_VMLCK] + out.charge[CNT_VMPIN], 0);
		assert_int_equal(out.need_limit, M1);
		/* mlock shares the budget: VmLck before the map counts */
		in.limit = 2 * M1;
		in.locked_vm = M1 + K4;
		predict_map(&in, &out);
		assert_int_equal(out.err, -ENOMEM);
		assert_int_equal(out.need_limit, 2 * M1 + K4);
		/* but not the uid's counter */
		in.locked_vm = 0;
		in.user_locked = 2 * M1;
		predict_map(&in, &out);
		assert_int_equal(out.err, 0);
		/* CAP_IPC_LOCK: no check and no VmLck, only VmPin */
		in.limit = 0;
		in.cap_ipc_lock = true;
		predict_map(&in, &out);
		assert_int_equal(out.err, 0);
		assert_int_equal(out.charge[CNT_VMLCK], 0);
		assert_int_equal(out.charge[CNT_VMPIN], M1);
		assert_int_equal(out.needs, M1);
	}
}

static void test_iommufd_user_limit(void **state)
{
	struct class_bytes cb = full(PC_ANON, 512 * 1024);
	struct predict_in in = iommufd_in(&cb, RULE_IOMMUFD_USER);
	struct predict_out out;

	(void)state;
	in.cap_ipc_lock = false;
	in.size = 512 * 1024;
	in.limit = M1;
	/* mlock and VmLck are not the uid's counter */
	in.locked_vm = 8 * M1;
	predict_map(&in, &out);
	assert_int_equal(out.err, 0);
	assert_int_equal(out.charge[CNT_USER], 512 * 1024);
	assert_int_equal(out.charge[CNT_VMLCK], 0);
	/* other processes of the uid may hold the other half and more: possible, not certain */
	assert_int_equal(out.err_possible, -ENOMEM);
	assert_int_equal(out.user_headroom, 512 * 1024);
	assert_int_equal(out.need_limit, 512 * 1024);
	/* this process's own earlier maps count: at the limit exactly, still fine */
	in.user_locked = 512 * 1024;
	predict_map(&in, &out);
	assert_int_equal(out.err, 0);
	assert_int_equal(out.user_headroom, 0);
	/* past it: certain */
	in.user_locked = 512 * 1024 + K4;
	predict_map(&in, &out);
	assert_int_equal(out.err, -ENOMEM);
	assert_int_equal(out.err_possible, 0);
	assert_int_equal(out.charge[CNT_USER] + out.charge[CNT_VMPIN], 0);
	assert_int_equal(out.need_limit, M1 + K4);
	/* unlimited or CAP_IPC_LOCK: nothing can refuse it */
	in.user_locked = 0;
	in.limit_unlimited = true;
	predict_map(&in, &out);
	assert_int_equal(out.err_possible, 0);
	assert_int_equal(out.charge[CNT_USER], 512 * 1024);
	in.limit_unlimited = false;
	in.cap_ipc_lock = true;
	predict_map(&in, &out);
	assert_int_equal(out.err_possible, 0);
	assert_int_equal(out.charge[CNT_USER], 0);
}

static void test_iommufd_args(void **state)
{
	struct class_bytes cb = full(PC_ANON, M4);
	struct predict_in in = iommufd_in(&cb, RULE_IOMMUFD_MM);
	struct predict_out out;

	(void)state;
	in.flags = 0;
	predict_map(&in, &out);
	assert_int_equal(out.err, -EINVAL);
	in = iommufd_in(&cb, RULE_IOMMUFD_MM);
	in.iova = UINT64_MAX - K4 + 1;
	predict_map(&in, &out);
	assert_int_equal(out.err, -EOVERFLOW);
	in = iommufd_in(&cb, RULE_IOMMUFD_MM);
	in.iova = 0x400800;
	predict_map(&in, &out);
	assert_int_equal(out.err, -EINVAL);
	/* iopt_check_iova: the reserved range (EINVAL) before the overlap (EEXIST) */
	in = iommufd_in(&cb, RULE_IOMMUFD_MM);
	in.iova_usable = false;
	in.iova_overlaps = true;
	predict_map(&in, &out);
	assert_int_equal(out.err, -EINVAL);
	in.iova_usable = true;
	predict_map(&in, &out);
	assert_int_equal(out.err, -EEXIST);
	/* no dma_entry_limit, and the arguments before the pin */
	in.iova_overlaps = false;
	in.dma_avail_known = true;
	in.dma_avail = 0;
	predict_map(&in, &out);
	assert_int_equal(out.err, 0);
	in.writable = false;
	predict_map(&in, &out);
	assert_int_equal(out.err, -EFAULT);
	in.writable = true;
	in.file_dirty_tracked = true;
	predict_map(&in, &out);
	assert_int_equal(out.err, -EFAULT);
}

/*
 * The table measured in the iommufd test guests (6.12, edu; vm-test-recipe
 * and tests/vm/t-map-iommufd.sh): cells are the map's errno, VmLck and VmPin
 * deltas in KiB, for root with CAP_IPC_LOCK and uid 65534 under a 1 MiB limit.
 */
struct cell {
	const char *what;
	bool cap;
	uint64_t kib, limit_kib, locked_kib, user_kib;
	int err[4];
	int64_t lck[4], pin[4];
};

static void test_measured_table(void **state)
{
	static const enum charge_rule rules[4] = { RULE_IOMMUFD_USER, RULE_IOMMUFD_MM, RULE_IOMMUFD_COMPAT, RULE_TYPE1 };
	static const struct cell cells[] = {
		{ "anon 4M root", true, 4096, 8192, 0, 0, { 0, 0, 0, 0 }, { 0, 0, 0, 4096 }, { 4096, 4096, 4096, 0 } },
		{ "65534 4M", false, 4096, 1024, 0, 0, { -ENOMEM, -ENOMEM, -ENOMEM, -ENOMEM }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 } },
		{ "65534 1M", false, 1024, 1024, 0, 0, { 0, 0, 0, 0 }, { 0, 1024, 1024, 1024 }, { 1024, 1024, 1024, 0 } },
		/* the 2nd process: its own mm is empty, per-user its own share too */
		{ "2nd 512K", false, 512, 1024, 0, 0, { 0, 0, 0, 0 }, { 0, 512, 512, 512 }, { 512, 512, 512, 0 } },
	};
	size_t i;
	int m;

	(void)state;
	for (i = 0; i < sizeof(cells) / sizeof(cells[0]); i++)
		for (m = 0; m < 4; m++) {
			const struct cell *c = &cells[i];
			struct class_bytes cb = full(PC_ANON, c->kib << 10);
			struct predict_in in = iommufd_in(&cb, rules[m]);
			struct predict_out out;

			in.dma_avail = 65535;
			in.size = c->kib << 10;
			in.cap_ipc_lock = c->cap;
			in.limit = c->limit_kib << 10;
			predict_map(&in, &out);
			assert_int_equal(out.err, c->err[m]);
			assert_int_equal(out.charge[CNT_VMLCK] >> 10, c->lck[m]);
			assert_int_equal(out.charge[CNT_VMPIN] >> 10, c->pin[m]);
		}
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(rule_name(RULE_TYPE1), "type1");
	assert_string_equal(rule_name(RULE_IOMMUFD_USER), "iommufd-user");
	assert_string_equal(rule_name(RULE_IOMMUFD_MM), "iommufd-mm");
	assert_string_equal(rule_name(RULE_IOMMUFD_COMPAT), "iommufd-compat");
	assert_int_equal(rule_limit_counter(RULE_TYPE1), CNT_VMLCK);
	assert_int_equal(rule_limit_counter(RULE_IOMMUFD_USER), CNT_USER);
	assert_int_equal(rule_limit_counter(RULE_IOMMUFD_MM), CNT_VMLCK);
	assert_int_equal(rule_limit_counter(RULE_IOMMUFD_COMPAT), CNT_VMLCK);
	assert_string_equal(counter_name(CNT_USER), "user");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_class_kernel_flags_cap),
		cmocka_unit_test(test_zero_page_version_boundary),
		cmocka_unit_test(test_unpopulated),
		cmocka_unit_test(test_swapped_is_charged),
		cmocka_unit_test(test_pfnmap),
		cmocka_unit_test(test_limit_boundary),
		cmocka_unit_test(test_write_to_readonly_vma),
		cmocka_unit_test(test_file_longterm_write),
		cmocka_unit_test(test_args_and_errno_order),
		cmocka_unit_test(test_mixed_classes),
		cmocka_unit_test(test_unknown_rule),
		cmocka_unit_test(test_iommufd_every_class_mode_cap),
		cmocka_unit_test(test_iommufd_bar_efault),
		cmocka_unit_test(test_iommufd_zero_page),
		cmocka_unit_test(test_iommufd_mm_limit),
		cmocka_unit_test(test_iommufd_user_limit),
		cmocka_unit_test(test_iommufd_args),
		cmocka_unit_test(test_measured_table),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests_name("predict", tests, NULL, NULL);
}
