// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio_iommu_type1's MAP_DMA and iommufd's IOAS_MAP (also behind its compat
 * VFIO_IOMMU_MAP_DMA), reduced to what decides the answer and the charge
 * (drivers/vfio/vfio_iommu_type1.c: vfio_dma_do_map, vfio_pin_map_dma,
 * vfio_pin_pages_remote, is_invalid_reserved_pfn; drivers/iommu/iommufd:
 * iommufd_ioas_map, iopt_check_iova, iopt_alloc_pages, pfn_reader_user_pin,
 * incr_user_locked_vm, update_mm_locked_vm, iopt_pages_update_pinned).
 */
#include <errno.h>
#include <string.h>

#include "model/predict.h"
#include "lib/util.h"

const char *counter_name(enum charge_counter c)
{
	switch (c) {
	case CNT_VMPIN: return "VmPin";
	case CNT_USER: return "user";
	default: return "VmLck";
	}
}

const char *rule_name(enum charge_rule r)
{
	switch (r) {
	case RULE_IOMMUFD_USER: return "iommufd-user";
	case RULE_IOMMUFD_MM: return "iommufd-mm";
	case RULE_IOMMUFD_COMPAT: return "iommufd-compat";
	default: return "type1";
	}
}

enum charge_counter rule_limit_counter(enum charge_rule r)
{
	return r == RULE_IOMMUFD_USER ? CNT_USER : CNT_VMLCK;
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

/*
 * iommufd_ioas_map and iopt_check_iova, in their order: no READ/WRITE is
 * EINVAL, a range past ULONG_MAX EOVERFLOW, then alignment (iova_alignment
 * is the 4K page here), a reserved IOVA EINVAL, an overlap EEXIST.  There is
 * no dma_entry_limit.
 */
static int iommufd_args(const struct predict_in *in, struct predict_out *out)
{
	if (!(in->flags & (BE_MAP_READ | BE_MAP_WRITE)) || !in->size) {
		out->rule = "flags or size refused";
		return -EINVAL;
	}
	if (in->vaddr + in->size - 1 < in->vaddr || in->iova + in->size - 1 < in->iova) {
		out->rule = "range wraps";
		return -EOVERFLOW;
	}
	if ((in->size | in->iova | in->vaddr) & (PAGE_4K - 1)) {
		out->rule = "IOVA, vaddr or size not 4K-aligned";
		return -EINVAL;
	}
	if (!in->iova_usable) {
		out->rule = "IOVA outside the usable ranges";
		return -EINVAL;
	}
	if (in->iova_overlaps) {
		out->rule = "IOVA overlaps a mapping";
		return -EEXIST;
	}
	return 0;
}

/*
 * What GUP pins for a range iommufd maps: every page, reserved ones too
 * (iommufd has no is_invalid_reserved_pfn), each 4K counted once per map.
 * The zero page is unshared by the long-term R/O pin: iommufd exists only
 * from 6.2, where that rule began.
 */
static int iommufd_pins(const struct predict_in *in, struct predict_out *out, uint64_t *pinned)
{
	const struct class_bytes *cb = in->cb;
	uint64_t present = class_present(cb);

	if (in->pfnmap) {
		out->rule = IOMMUFD_PFNMAP_WHY;
		return -EFAULT;
	}
	if (cb->bytes[PC_INVALID]) {
		out->rule = "a pfn without a struct page outside a PFNMAP vma: GUP cannot pin it";
		return -EFAULT;
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
	out->rule = "pinned per 4K page";
	if (cb->bytes[PC_ZERO] || (out->unpopulated && in->unpop_zero && !(in->flags & BE_MAP_WRITE)))
		out->rule = (in->flags & BE_MAP_WRITE) ? "zero page COWed by the write pin"
						       : "zero page unshared by the R/O pin (6.2+)";
	*pinned = present + cb->swapped + out->unpopulated;
	return 0;
}

/* Which counters move, by mode and CAP_IPC_LOCK (iopt_alloc_pages, iopt_map_common). */
static void iommufd_charge(const struct predict_in *in, struct predict_out *out, uint64_t pinned)
{
	/* pinned_vm in every mode, also with CAP_IPC_LOCK (account mode NONE). */
	out->charge[CNT_VMPIN] = pinned;
	if (in->cap_ipc_lock)
		return;
	out->charge[rule_limit_counter(in->rule)] = pinned;
}

/*
 * The limit, checked after each pinned batch, so against the whole map: the
 * mm's locked_vm (mlock counts) in per-mm and compat mode, the uid's
 * locked_vm in per-user mode.  Only this process's part of the latter is
 * known: beyond it, other processes of the uid may make the map fail.
 */
static int iommufd_limit(const struct predict_in *in, struct predict_out *out, uint64_t pinned)
{
	uint64_t limit_pages = in->limit / PAGE_4K, n = pinned / PAGE_4K, have;

	if (in->cap_ipc_lock || in->limit_unlimited || !n)
		return 0;
	if (in->rule != RULE_IOMMUFD_USER) {
		have = (in->locked_vm + PAGE_4K - 1) / PAGE_4K;
		if (have + n <= limit_pages)
			return 0;
		out->rule = "RLIMIT_MEMLOCK exceeded without CAP_IPC_LOCK (per-mm: VmLck)";
		return -ENOMEM;
	}
	have = (in->user_locked + PAGE_4K - 1) / PAGE_4K;
	if (have + n > limit_pages) {
		out->rule = "RLIMIT_MEMLOCK exceeded without CAP_IPC_LOCK (per-user: this process's own charges already exceed it)";
		return -ENOMEM;
	}
	out->err_possible = -ENOMEM;
	out->user_headroom = (limit_pages - have - n) * PAGE_4K;
	return 0;
}

static int iommufd_rule(const struct predict_in *in, struct predict_out *out)
{
	uint64_t pinned = 0;
	int rc = iommufd_args(in, out);

	if (!rc)
		rc = iommufd_pins(in, out, &pinned);
	if (rc)
		return rc;
	out->needs = pinned;
	iommufd_charge(in, out, pinned);
	return iommufd_limit(in, out, pinned);
}

int predict_map(const struct predict_in *in, struct predict_out *out)
{
	uint64_t base;

	memset(out, 0, sizeof(*out));
	switch (in->rule) {
	case RULE_TYPE1:
		out->err = type1_rule(in, out);
		out->needs = out->charge[CNT_VMLCK];
		break;
	case RULE_IOMMUFD_USER:
	case RULE_IOMMUFD_MM:
	case RULE_IOMMUFD_COMPAT:
		out->err = iommufd_rule(in, out);
		break;
	default:
		return -EINVAL;
	}
	base = rule_limit_counter(in->rule) == CNT_USER ? in->user_locked : in->locked_vm;
	out->need_limit = base + out->needs;
	/* MAP_DMA and IOAS_MAP are all-or-nothing: a refused map leaves nothing charged. */
	if (out->err)
		memset(out->charge, 0, sizeof(out->charge));
	return 0;
}
