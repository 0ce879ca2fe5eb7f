// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio_iommu_type1's MAP_DMA, reduced to what decides the answer and the
 * charge (drivers/vfio/vfio_iommu_type1.c: vfio_dma_do_map, vfio_pin_map_dma,
 * vfio_pin_pages_remote, is_invalid_reserved_pfn).
 */
#include <errno.h>
#include <string.h>

#include "predict.h"
#include "util.h"

const char *counter_name(enum charge_counter c)
{
	return c == CNT_VMPIN ? "VmPin" : "VmLck";
}

bool kver_ro_pin_unshares(const struct kver *kv)
{
	/*
	 * "mm/gup: reliable R/O long-term pinning in COW mappings" (6.2) makes
	 * gup_must_unshare() break COW of the shared zero page for FOLL_LONGTERM
	 * R/O pins: a fresh anon page is pinned and charged.  Measured: 6.1 keeps
	 * the zero pfn (charged 0), 6.12 unshares (charged).
	 */
	return kver_cmp(kv, 6, 2) >= 0;
}

bool kver_refuses_file_longterm_write(const struct kver *kv)
{
	/*
	 * "mm/gup: disallow FOLL_LONGTERM GUP-nonfast writing to file-backed
	 * mappings" (6.5): check_vma_flags() -> writable_file_mapping_allowed()
	 * answers -EFAULT for a FOLL_PIN|FOLL_LONGTERM write pin of a mapping
	 * that needs dirty tracking (ext4, xfs, ...; not shmem or hugetlbfs).
	 * Not measured here: the test guests have no disk filesystem.
	 */
	return kver_cmp(kv, 6, 5) >= 0;
}

/* The checks vfio_dma_do_map makes before it pins anything, in its order. */
static int check_args(const struct predict_in *in, struct predict_out *out)
{
	if (!(in->flags & (BE_MAP_READ | BE_MAP_WRITE)) || !in->size ||
	    ((in->size | in->iova | in->vaddr) & (PAGE_4K - 1)) ||
	    in->iova + in->size - 1 < in->iova || in->vaddr + in->size - 1 < in->vaddr) {
		out->rule = "flags, size or alignment refused";
		return -EINVAL;
	}
	if (in->iova_overlaps) {
		out->rule = "IOVA overlaps a mapping";
		return -EEXIST;
	}
	if (in->dma_avail_known && in->dma_avail == 0) {
		out->rule = "dma_entry_limit exhausted";
		return -ENOSPC;
	}
	if (!in->iova_usable) {
		out->rule = "IOVA outside the usable ranges";
		return -EINVAL;
	}
	return 0;
}

/* What one read-only pin of the zero page costs (0 before 6.2: the zero pfn is PG_reserved). */
static uint64_t zero_charge(const struct predict_in *in, uint64_t bytes, struct predict_out *out)
{
	if (in->flags & BE_MAP_WRITE) {
		out->rule = "zero page COWed by the write pin";
		return bytes;
	}
	if (kver_ro_pin_unshares(&in->kv)) {
		out->rule = "zero page unshared by the R/O pin (6.2+)";
		return bytes;
	}
	out->rule = "zero page kept by the R/O pin (< 6.2): reserved, free";
	return 0;
}

static int type1_rule(const struct predict_in *in, struct predict_out *out)
{
	const struct class_bytes *cb = in->cb;
	uint64_t present = class_present(cb), charge = 0, limit_pages, locked_pages;
	int rc;

	rc = check_args(in, out);
	if (rc)
		return rc;
	if (in->pfnmap) {
		/*
		 * vaddr_get_pfns falls back to follow_fault_pfn for VM_PFNMAP and
		 * refuses a pfn that has a normal struct page (-EFAULT).  Invalid
		 * and reserved pfns are mapped and never charged.
		 */
		if (class_chargeable(cb) || cb->bytes[PC_ZERO]) {
			out->rule = "PFNMAP pfn with a normal struct page";
			return -EFAULT;
		}
		out->rule = "PFNMAP: invalid/reserved pfns, never charged";
		return 0;
	}
	if ((in->flags & BE_MAP_WRITE) && !in->writable) {
		out->rule = "write pin of a read-only vma";
		return -EFAULT;
	}
	if ((in->flags & BE_MAP_WRITE) && in->file_dirty_tracked &&
	    kver_refuses_file_longterm_write(&in->kv)) {
		out->rule = "long-term write pin of a dirty-tracked file mapping (6.5+)";
		return -EFAULT;
	}
	out->unpopulated = in->size > present + cb->swapped ? in->size - present - cb->swapped : 0;
	out->uncertain = cb->bytes[PC_UNKNOWN];
	out->rule = "charged per 4K page";
	/* GUP faults every hole in; a private anon hole read-faults to the zero page. */
	if (out->unpopulated && in->unpop_zero && !(in->flags & BE_MAP_WRITE))
		charge += zero_charge(in, out->unpopulated, out);
	else
		charge += out->unpopulated;
	if (cb->bytes[PC_ZERO])
		charge += zero_charge(in, cb->bytes[PC_ZERO], out);
	/* Pinned pages of every other class count once per mapping; swapped ones come back first. */
	charge += class_chargeable(cb) + cb->bytes[PC_UNKNOWN] + cb->swapped;
	/* PC_INVALID and PC_RESERVED: is_invalid_reserved_pfn(), free. */
	if (!charge && (cb->bytes[PC_RESERVED] || cb->bytes[PC_INVALID]))
		out->rule = "invalid/reserved pfns, never charged";
	out->charge[CNT_VMLCK] = charge;
	/*
	 * vfio_pin_pages_remote: !lock_cap && locked_vm + n > limit (in pages)
	 * -> -ENOMEM.  CAP_IPC_LOCK skips the check but is still charged.
	 */
	if (in->cap_ipc_lock || in->limit_unlimited)
		return 0;
	limit_pages = in->limit / PAGE_4K;
	locked_pages = (in->locked_vm + PAGE_4K - 1) / PAGE_4K;
	if (charge && locked_pages + charge / PAGE_4K > limit_pages) {
		out->rule = "RLIMIT_MEMLOCK exceeded without CAP_IPC_LOCK";
		return -ENOMEM;
	}
	return 0;
}

int predict_map(const struct predict_in *in, struct predict_out *out)
{
	memset(out, 0, sizeof(*out));
	switch (in->rule) {
	case RULE_TYPE1:
		out->err = type1_rule(in, out);
		out->needs = out->charge[CNT_VMLCK];
		out->need_limit = in->locked_vm + out->needs;
		/* MAP_DMA is all-or-nothing: a refused map leaves nothing charged. */
		if (out->err)
			out->charge[CNT_VMLCK] = 0;
		return 0;
	}
	return -EINVAL;
}
