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

/*
 * What GUP does with each page of a range before VFIO sees it (mm/gup.c),
 * per class: pinned or not, replaced by a fresh page or not, and whether
 * is_invalid_reserved_pfn() holds for what is pinned (type1 then neither
 * charges nor unpins it).
 */
struct gup_model {
	uint64_t pinned;       /* bytes pinned (pins taken) */
	uint64_t reserved;     /* of those: PG_reserved / ZONE_DEVICE pages GUP returned */
	uint64_t changed;      /* bytes present before whose pfn changes */
	const char *rule;      /* the rule that decided the charge */
	const char *pfn_rule;
};

/*
 * A long-term pin replaces a non-anon page of a COW mapping: a write pin
 * COWs it (every version), a READ-only one unshares it from 6.2
 * (gup_must_unshare(), "mm/gup: reliable R/O long-term pinning in COW
 * mappings").  Measured: the 4K and huge zero page, a MAP_PRIVATE memfd and
 * [vdso] change on 6.12 and stay on 6.1.
 */
static bool pin_replaces(const struct predict_in *in)
{
	/* iommufd exists only from 6.2, where the R/O unshare began. */
	return (in->flags & BE_MAP_WRITE) || kver_ro_pin_unshares(&in->kv) || in->rule != RULE_TYPE1;
}

static void gup_zero(const struct predict_in *in, struct gup_model *g)
{
	const struct class_bytes *cb = in->cb;
	uint64_t small = cb->bytes[PC_ZERO] - (cb->huge_zero < cb->bytes[PC_ZERO] ? cb->huge_zero : cb->bytes[PC_ZERO]);
	uint64_t huge = cb->bytes[PC_ZERO] - small;

	if (!cb->bytes[PC_ZERO])
		return;
	if (pin_replaces(in)) {
		g->pinned += cb->bytes[PC_ZERO];
		g->changed += cb->bytes[PC_ZERO];
		g->rule = (in->flags & BE_MAP_WRITE) ? "zero page COWed by the write pin"
						     : "zero page unshared by the R/O pin (6.2+)";
		g->pfn_rule = (in->flags & BE_MAP_WRITE) ? "write pin COWs the zero page (gup_must_unshare/FOLL_WRITE fault)"
							 : "R/O long-term pin unshares the zero page (gup_must_unshare, 6.2+)";
		return;
	}
	/*
	 * Kept: the 4K zero page is PG_reserved on x86 and not even counted as
	 * a pin ("mm: Don't pin ZERO_PAGE in pin_user_pages()", in Debian's
	 * 6.1); the huge zero folio is an ordinary compound page: pinned,
	 * charged, unpinned.  Measured on 6.1: 4 MiB of huge zero = +4096K.
	 */
	g->pinned += huge;
	g->rule = huge ? "huge zero page kept by the R/O pin (< 6.2): not reserved, charged"
		       : "zero page kept by the R/O pin (< 6.2): reserved, free";
}

static void gup_classes(const struct predict_in *in, struct gup_model *g, uint64_t unpopulated)
{
	const struct class_bytes *cb = in->cb;
	uint64_t cow_pages = cb->bytes[PC_FILE] + cb->bytes[PC_RESERVED];

	g->rule = "charged per 4K page";
	g->pfn_rule = "";
	/* Anon pages an exclusive mapping owns are pinned where they are. */
	g->pinned = cb->bytes[PC_ANON] + cb->bytes[PC_THP] + cb->bytes[PC_HUGETLB] +
		    cb->bytes[PC_UNKNOWN] + cb->swapped;
	if (in->cow && cow_pages && pin_replaces(in)) {
		g->pinned += cow_pages;
		g->changed += cow_pages;
		g->pfn_rule = (in->flags & BE_MAP_WRITE) ? "write pin COWs the MAP_PRIVATE page-cache/reserved pages"
							 : "R/O long-term pin unshares MAP_PRIVATE page-cache/reserved pages into anon (gup_must_unshare, 6.2+)";
	} else {
		g->pinned += cow_pages;
		g->reserved += cb->bytes[PC_RESERVED];
	}
	/* ZONE_DEVICE (devdax) and pages GUP returned although kpageflags had no page for them: reserved. */
	g->pinned += cb->bytes[PC_DEVICE] + cb->bytes[PC_INVALID];
	g->reserved += cb->bytes[PC_DEVICE] + cb->bytes[PC_INVALID];
	gup_zero(in, g);
	/* GUP faults every hole in; a private anon hole read-faults to the zero page. */
	if (unpopulated && !(in->unpop_zero && !pin_replaces(in)))
		g->pinned += unpopulated;
	if (in->shared_bytes) {
		/* KSM pages are never anon-exclusive: a R/O pin unshares, a write pin COWs (gup_must_unshare). */
		g->changed += in->shared_bytes;
		g->pfn_rule = "KSM-merged pages are never anon-exclusive: the long-term pin unshares or COWs them (gup_must_unshare)";
	}
	if (in->movable_bytes) {
		/* FOLL_LONGTERM never pins ZONE_MOVABLE: check_and_migrate_movable_pages/folios migrates first. */
		g->changed += in->movable_bytes;
		g->pfn_rule = "FOLL_LONGTERM migrates ZONE_MOVABLE pages before pinning (check_and_migrate_movable_pages/folios)";
	}
	if (g->changed > class_present(cb))
		g->changed = class_present(cb);
}

/*
 * check_vma_flags() (mm/gup.c) refuses some vmas for FOLL_LONGTERM before
 * any page is pinned; type1 falls back to follow_fault_pfn() only for
 * VM_PFNMAP, so these errnos come back from MAP_DMA as they are.
 */
static int gup_vma_refuses(const struct predict_in *in, struct predict_out *out)
{
	if (in->backing == MB_FSDAX) {
		/* vma_is_fsdax(): fs-dax pages cannot be long-term pinned (no page-cache lifetime). */
		out->rule = "fs-dax vma: FOLL_LONGTERM refused (check_vma_flags, vma_is_fsdax)";
		return -EOPNOTSUPP;
	}
	if (in->backing == MB_SECRETMEM) {
		out->rule = "secretmem vma: GUP refuses it (vma_is_secretmem)";
		return -EFAULT;
	}
	if ((in->flags & BE_MAP_WRITE) && !in->writable) {
		out->rule = "write pin of a read-only vma";
		return -EFAULT;
	}
	if ((in->flags & BE_MAP_WRITE) && in->file_dirty_tracked &&
	    kver_refuses_file_longterm_write(&in->kv)) {
		out->rule = "long-term write pin of a dirty-tracked file mapping (6.5+, writable_file_mapping_allowed)";
		return -EFAULT;
	}
	return 0;
}

/*
 * Does the prediction rest on a taxonomy case nobody measured under
 * iommufd?  Measured there (our iommufd test kernels, which have no nvdimm,
 * dax, drm, KSM, secretmem or /dev/mem): the huge zero page and MAP_PRIVATE
 * page cache.  The rest is read in source only.
 */
static bool taxonomy_case(const struct predict_in *in)
{
	const struct class_bytes *cb = in->cb;

	return in->backing != MB_PLAIN || cb->bytes[PC_DEVICE] ||
	       in->shared_bytes || in->movable_bytes || in->file_dirty_tracked ||
	       (in->cow && cb->bytes[PC_RESERVED]);
}

static void pins_out(struct predict_out *out, const struct gup_model *g, uint64_t leaked, uint64_t movable)
{
	out->pins_map = (g->pinned + movable) / PAGE_4K;
	out->unpins_map = movable / PAGE_4K;
	out->pins_leaked = leaked / PAGE_4K;
	out->unpins_unmap = (g->pinned - leaked) / PAGE_4K;
	out->pfns_changed = g->changed;
	out->pfn_rule = g->pfn_rule;
}

static int type1_pfnmap(const struct predict_in *in, struct predict_out *out)
{
	const struct class_bytes *cb = in->cb;

	/*
	 * vaddr_get_pfns falls back to follow_fault_pfn for VM_PFNMAP and
	 * refuses a pfn that has a normal struct page (-EFAULT):
	 * is_invalid_reserved_pfn() false.  Invalid and reserved pfns are
	 * mapped, never charged, never pinned (no GUP at all).
	 */
	if (in->backing == MB_PFNMAP_RAM || class_chargeable(cb) || cb->bytes[PC_ZERO]) {
		out->rule = "PFNMAP pfn with a normal struct page (is_invalid_reserved_pfn false)";
		return -EFAULT;
	}
	if ((in->flags & BE_MAP_WRITE) && !in->writable) {
		out->rule = "write map of a read-only PFNMAP pte (follow_fault_pfn)";
		return -EFAULT;
	}
	out->rule = in->backing == MB_PFNMAP_RESERVED ? "PFNMAP of reserved RAM: is_invalid_reserved_pfn, never charged"
						       : "PFNMAP: invalid/reserved pfns, never charged";
	return 0;
}

static int type1_rule(const struct predict_in *in, struct predict_out *out)
{
	const struct class_bytes *cb = in->cb;
	uint64_t present = class_present(cb), charge, limit_pages, locked_pages;
	struct gup_model g = { 0 };
	int rc;

	out->pins_exact = true;
	rc = check_args(in, out);
	if (rc)
		return rc;
	if (in->pfnmap)
		return type1_pfnmap(in, out);
	rc = gup_vma_refuses(in, out);
	if (rc)
		return rc;
	out->unpopulated = in->size > present + cb->swapped ? in->size - present - cb->swapped : 0;
	out->uncertain = cb->bytes[PC_UNKNOWN];
	gup_classes(in, &g, out->unpopulated);
	/* is_invalid_reserved_pfn(): reserved and ZONE_DEVICE pages are free, and put_pfn never unpins them. */
	charge = g.pinned - g.reserved;
	out->rule = g.rule;
	if (!charge && g.reserved)
		out->rule = cb->bytes[PC_DEVICE] ? "ZONE_DEVICE pages are PG_reserved: never charged, and never unpinned (pins leak)"
						 : "invalid/reserved pfns, never charged";
	out->charge[CNT_VMLCK] = charge;
	pins_out(out, &g, g.reserved, in->movable_bytes);
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
		out->pins_exact = false;
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
/*
 * iommufd pins the caller's own mm with pin_user_pages_fast(): gup_fast
 * grabs the first leaf (a PMD of the huge zero page, a 4K pte) before it
 * sees that the page must be unshared (gup_must_unshare) or migrated, drops
 * it and falls back to the slow path for the whole range: one leaf pinned
 * and released once more at map time.  type1 pins through
 * pin_user_pages_remote() and never does.  Measured on our iommufd kernels
 * (6.12): hugezero +1536 -512 at map, a MAP_PRIVATE memfd +1025 -1, the 4K
 * zero page +256 -0 for 1M (no retry).
 */
static uint64_t iommufd_fast_retry(const struct predict_in *in, const struct gup_model *g)
{
	const struct class_bytes *cb = in->cb;

	if (!g->changed || g->changed < class_present(cb))
		return 0;
	/* The 4K zero page's pte is special: gup_fast stops before it pins anything (measured). */
	if (cb->bytes[PC_ZERO] > cb->huge_zero && cb->bytes[PC_ZERO] - cb->huge_zero == class_present(cb))
		return 0;
	return cb->huge_zero ? 512 * PAGE_4K : PAGE_4K;
}

static int iommufd_pins(const struct predict_in *in, struct predict_out *out, uint64_t *pinned)
{
	const struct class_bytes *cb = in->cb;
	uint64_t present = class_present(cb);
	struct gup_model g = { 0 };
	int rc;

	out->pins_exact = true;
	if (in->pfnmap) {
		out->rule = IOMMUFD_PFNMAP_WHY;
		return -EFAULT;
	}
	if (cb->bytes[PC_INVALID]) {
		out->rule = "a pfn without a struct page outside a PFNMAP vma: GUP cannot pin it";
		return -EFAULT;
	}
	rc = gup_vma_refuses(in, out);
	if (rc)
		return rc;
	out->unpopulated = in->size > present + cb->swapped ? in->size - present - cb->swapped : 0;
	out->uncertain = cb->bytes[PC_UNKNOWN];
	gup_classes(in, &g, out->unpopulated);
	out->rule = g.rule == NULL || !strcmp(g.rule, "charged per 4K page") ? "pinned per 4K page" : g.rule;
	/* iommufd has no is_invalid_reserved_pfn: what GUP pinned is counted and unpinned, reserved or not. */
	*pinned = g.pinned;
	pins_out(out, &g, 0, in->movable_bytes + iommufd_fast_retry(in, &g));
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
		out->pins_exact = false;
		return -ENOMEM;
	}
	have = (in->user_locked + PAGE_4K - 1) / PAGE_4K;
	if (have + n > limit_pages) {
		out->rule = "RLIMIT_MEMLOCK exceeded without CAP_IPC_LOCK (per-user: this process's own charges already exceed it)";
		out->pins_exact = false;
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
	/*
	 * MAP_DMA and IOAS_MAP are all-or-nothing: a refused map leaves nothing
	 * charged, nothing pinned, no pfn changed (a refusal by the limit may
	 * have pinned and released some: pins_exact is false then).
	 */
	if (out->err) {
		memset(out->charge, 0, sizeof(out->charge));
		out->pins_map = out->unpins_map = out->unpins_unmap = out->pins_leaked = 0;
		out->pfns_changed = 0;
		out->pfn_rule = "";
	}
	if (!out->pfn_rule)
		out->pfn_rule = "";
	/* The iommufd column of the taxonomy is read in source only: no Debian kernel has IOMMUFD. */
	out->verified = in->rule == RULE_TYPE1 || !taxonomy_case(in);
	return 0;
}
