// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * probe (--probe): the counters around a real DMA map and unmap, against
 * the kernel's rule (predict.c): type1 charges VmLck per 4K page even with
 * CAP_IPC_LOCK, iommufd charges VmPin, and VmLck too in per-mm mode without
 * it.  Both must return to the baseline after the unmap.  Pure: check/probe.c
 * maps and reads the counters.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "model/judge.h"
#include "lib/error.h"

void judge_probe_none(bool live, struct check_result *r)
{
	check_set(r, ST_SKIP, !live ? "--probe maps through the live kernel, not a captured tree"
		  : "no device to probe");
}

void judge_probe_unusable(const char *bdf, struct check_result *r)
{
	check_set(r, ST_SKIP, "%s is not usable through VFIO (see device_bound)", bdf);
}

void judge_probe_open(const char *bdf, const char *backend, int rc, const char *why, struct check_result *r)
{
	/* a running VMM holds the group: nothing wrong with the host */
	check_set(r, rc == -EBUSY ? ST_SKIP : ST_FAIL, "cannot open %s through %s: %s", bdf, backend, why);
	if (rc != -EBUSY)
		check_fix(r, "see the failing checks above; the kernel's reason is in dmesg (vfio)");
}

void judge_probe_map_failed(const struct probe_run *p, int rc, struct check_result *r)
{
	check_set(r, ST_FAIL, "DMA map of 1M at IOVA 0x%" PRIx64 " through %s (%s) failed: %s (%s)",
		  p->iova, p->bdf, p->backend, errno_name(rc), strerror(-rc));
	check_fix(r, "%s", rc == -ENOMEM ? "raise RLIMIT_MEMLOCK (see memlock) or run with CAP_IPC_LOCK"
			   : rc == -ENOSPC ? "raise vfio_iommu_type1.dma_entry_limit"
			   : "read dmesg for the kernel's reason");
}

void judge_probe_unmap_failed(const struct probe_run *p, int rc, struct check_result *r)
{
	check_set(r, ST_FAIL, "unmap through %s (%s) failed: %s", p->bdf, p->backend, errno_name(rc));
}

void judge_probe(const struct probe_run *p, const struct predict_out *pred, struct check_result *r)
{
	const struct probe_counters *a = &p->before, *m = &p->mapped, *z = &p->after;
	int64_t dl = (int64_t)m->lck - (int64_t)a->lck, dp = (int64_t)m->pin - (int64_t)a->pin;
	int64_t wl = (int64_t)(pred->charge[CNT_VMLCK] >> 10), wp = (int64_t)(pred->charge[CNT_VMPIN] >> 10);
	bool pin = p->counter == CNT_VMPIN;

	if (dl != wl || dp != wp || z->lck != a->lck || z->pin != a->pin) {
		check_set(r, ST_WARN, "mapped and unmapped 1M through %s (%s), but VmLck went %" PRIu64 "K -> %" PRIu64 "K -> %" PRIu64 "K and VmPin %" PRIu64 "K -> %" PRIu64 "K -> %" PRIu64 "K, not %+" PRId64 "K and %+" PRId64 "K and back (%s)%s",
			  p->bdf, p->backend, a->lck, m->lck, z->lck, a->pin, m->pin, z->pin,
			  wl, wp, pred->rule, p->avail);
		check_fix(r, "another thread of this process locked or pinned memory meanwhile, or the kernel charges differently: report it with `vfio-pinctl capture`");
		return;
	}
	check_set(r, ST_PASS, "mapped 1M at IOVA 0x%" PRIx64 " through %s (%s): %s %+" PRId64 "K as charged%s, back to %" PRIu64 "K after the unmap%s",
		  p->iova, p->bdf, p->backend, counter_name((enum charge_counter)p->counter), pin ? dp : dl,
		  pin && dl ? ", VmLck +1024K (per-mm, no CAP_IPC_LOCK)" : "",
		  pin ? z->pin : z->lck, p->avail);
}
