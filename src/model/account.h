/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The memlock accounting model: what VmLck/VmPin are made of and what is left
 * under RLIMIT_MEMLOCK.  Pure functions over plain numbers.
 */
#ifndef VP_ACCOUNT_H
#define VP_ACCOUNT_H

#include <stdbool.h>
#include <stdint.h>

#include "facts/kver.h"

struct memlock_view {
	bool limit_unlimited;
	uint64_t limit;          /* soft RLIMIT_MEMLOCK, bytes */
	uint64_t vm_lck;         /* VmLck, bytes */
	uint64_t vm_pin;         /* VmPin, bytes */
	uint64_t mlocked;        /* resident bytes (smaps Rss) of VM_LOCKED vmas (VmFlags "lo") */
	uint64_t smaps_locked;   /* sum of smaps Locked: proportional (PSS-like), moves with other processes */
	uint64_t mlock_vm;       /* sizes of VM_LOCKED vmas mlock charged to locked_vm */
	bool cap_ipc_lock;
	unsigned containers;     /* /dev/vfio/vfio fds */
	unsigned iommufds;       /* /dev/iommu fds */
	bool iommufd;            /* the process maps through iommufd (native or compat container) */
};

struct memlock_explain {
	int64_t dma_locked;      /* estimate: VmLck not explained by mlock */
	bool has_headroom;       /* false when unlimited */
	int64_t headroom;        /* limit - VmLck; negative: over the limit */
	bool over_limit;         /* VmLck above an enforced limit (never with CAP_IPC_LOCK) */
	/*
	 * The limit binds this process: not unlimited and no CAP_IPC_LOCK (type1
	 * and iommufd skip the check for it).  When false, headroom is arithmetic
	 * only: VmLck beyond the limit is not "over" anything.
	 */
	bool limit_applies;
	bool multi_context;      /* >1 container/iommufd: the same RAM is charged per context */
	bool pinned_elsewhere;   /* VmPin > 0: iommufd or another pinned_vm user */
	/*
	 * iommufd, inferred from the counters (another process's IOMMU_OPTION
	 * cannot be read): per-mm mode and the compat container charge VmLck
	 * and VmPin for the same pages; per-user mode and CAP_IPC_LOCK only VmPin.
	 */
	bool double_charge;
	const char *iommufd_accounting;  /* "per-mm", "per-user-or-cap-ipc-lock", or NULL */
};

void memlock_explain(const struct memlock_view *v, struct memlock_explain *e);

/*
 * Bytes of a vma that mlock() put into locked_vm: the whole range of a
 * VM_LOCKED vma, populated or not (mm/mlock.c mlock_fixup), but never hugetlb
 * or VM_SPECIAL vmas, which mlock skips.
 */
uint64_t mlock_charge_of_vma(uint64_t size, bool locked, bool hugetlb, bool special);

/* "6.12.117+deb12-amd64" -> 6, 12, 117; -EINVAL when not a release. */
int kver_parse(const char *release, struct kver *kv);

#endif
