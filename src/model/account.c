// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "model/account.h"

void memlock_explain(const struct memlock_view *v, struct memlock_explain *e)
{
	memset(e, 0, sizeof(*e));
	/*
	 * locked_vm = mlock + type1 + iommufd per-mm + others.  A page both
	 * mlocked and DMA-mapped is in there twice: type1 does not look at
	 * VM_LOCKED.  So this is an estimate, and may be negative only if a
	 * foreign locked_vm user unaccounted more than it charged.
	 */
	e->dma_locked = (int64_t)v->vm_lck - (int64_t)v->mlock_vm;
	/* vfio_pin_pages_remote / __account_locked_vm: !lock_cap && locked > limit -> ENOMEM */
	e->limit_applies = !v->limit_unlimited && !v->cap_ipc_lock;
	if (!v->limit_unlimited) {
		e->has_headroom = true;
		e->headroom = (int64_t)v->limit - (int64_t)v->vm_lck;
		e->over_limit = e->limit_applies && e->headroom < 0;
	}
	e->multi_context = v->containers + v->iommufds > 1;
	e->pinned_elsewhere = v->vm_pin > 0;
	if (v->iommufd && v->vm_pin) {
		e->double_charge = e->dma_locked > 0;
		e->iommufd_accounting = e->double_charge ? "per-mm" : "per-user-or-cap-ipc-lock";
	}
}

uint64_t mlock_charge_of_vma(uint64_t size, bool locked, bool hugetlb, bool special)
{
	return (locked && !hugetlb && !special) ? size : 0;
}

int kver_parse(const char *release, struct kver *kv)
{
	memset(kv, 0, sizeof(*kv));
	if (sscanf(release, "%d.%d.%d", &kv->major, &kv->minor, &kv->patch) < 2)
		return -EINVAL;
	return 0;
}
