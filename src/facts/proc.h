/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/PID/status and /proc/PID/limits figures that memlock accounting is
 * judged by (filled by host/procstat.c).
 */
#ifndef VP_FACTS_PROC_H
#define VP_FACTS_PROC_H

#include <stdbool.h>
#include <stdint.h>

#include "facts/caps.h"

struct proc_status {
	char name[64];
	uint64_t vm_lck_kb;   /* mm->locked_vm: mlock + type1 + iommufd per-mm mode */
	uint64_t vm_pin_kb;   /* mm->pinned_vm: iommufd (all modes), io_uring, RDMA */
	uint64_t vm_size_kb;  /* mm->total_vm: everything mapped (progress: how much to scan) */
	uint64_t hugetlb_kb;  /* HugetlbPages: hugetlb memory mapped (4.4+), held, not free */
	bool has_vm_pin;
	unsigned uid_real, uid_eff;
	uint64_t cap_eff;
	bool has_cap_eff;
};

/*
 * CAP_IPC_LOCK in the CapEff mask: the one test check, inspect and map
 * apply, live and in a captured tree alike (false when the line is absent).
 */
static inline bool status_cap_ipc_lock(const struct proc_status *st)
{
	return st->has_cap_eff && caps_have_ipc_lock(st->cap_eff);
}

struct proc_limit {
	bool soft_unlimited, hard_unlimited;
	uint64_t soft, hard;  /* bytes */
};

#endif
