// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * probe (--probe): a real DMA map and unmap of a small buffer through each
 * checked device, through the backend check resolved (type1, iommufd's
 * compat container or native iommufd), with both counters verified against
 * the kernel's rule (predict.c): type1 charges VmLck per 4K page even with
 * CAP_IPC_LOCK, iommufd charges VmPin, and VmLck too in per-mm mode
 * without it.  Both must return to the baseline after the unmap.  Live only.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "map/backend.h"
#include "check/check.h"
#include "lib/error.h"
#include "model/predict.h"
#include "host/procstat.h"
#include "host/sysroot.h"
#include "lib/util.h"

#define PROBE_SIZE (1ULL << 20)

struct counters {
	uint64_t lck, pin;   /* KiB */
	bool cap;
};

static int counters_now(struct counters *n)
{
	struct proc_status st;
	int rc = read_status("self", &st);

	if (rc)
		return rc;
	n->lck = st.vm_lck_kb;
	n->pin = st.vm_pin_kb;
	n->cap = st.has_cap_eff && (st.cap_eff >> CAP_IPC_LOCK_BIT & 1);
	return 0;
}

/* The backend's error line (set by open), consumed so the run goes on. */
static void take_error(char *buf, size_t size, int rc)
{
	snprintf(buf, size, "%s", err_isset() ? err_message() : strerror(-rc));
	err_clear();
}

/* What the kernel will do with a populated anonymous 1M buffer, by b's rule. */
static void probe_predict(const struct check_ctx *c, const struct backend *b, const struct counters *n,
			  uint64_t vaddr, uint64_t iova, const struct class_bytes *cb, struct predict_out *out)
{
	struct predict_in in = {
		.rule = b->rule,
		.kv = c->f.kv,
		.flags = BE_MAP_READ | BE_MAP_WRITE,
		.cap_ipc_lock = n->cap,
		.locked_vm = n->lck << 10,
		.pinned_vm = n->pin << 10,
		.vaddr = vaddr,
		.iova = iova,
		.size = PROBE_SIZE,
		.cb = cb,
		.writable = true,
		.unpop_zero = true,
		.iova_usable = true,
		.dma_avail_known = b->info.has_dma_avail,
		.dma_avail = b->info.dma_avail,
	};
	struct rlimit rl;

	if (!getrlimit(RLIMIT_MEMLOCK, &rl)) {
		in.limit_unlimited = rl.rlim_cur == RLIM_INFINITY;
		in.limit = in.limit_unlimited ? 0 : rl.rlim_cur;
	}
	predict_map(&in, out);
}

static void judge(struct check_result *r, const struct pci_entry *e, const struct backend *b,
		  const struct predict_out *p, const struct counters *a, const struct counters *m,
		  const struct counters *z, uint64_t iova, const char *avail)
{
	int64_t dl = (int64_t)m->lck - (int64_t)a->lck, dp = (int64_t)m->pin - (int64_t)a->pin;

	if (dl != (int64_t)(p->charge[CNT_VMLCK] >> 10) || dp != (int64_t)(p->charge[CNT_VMPIN] >> 10) ||
	    z->lck != a->lck || z->pin != a->pin) {
		check_set(r, ST_WARN, "mapped and unmapped 1M through %s (%s), but VmLck went %" PRIu64 "K -> %" PRIu64 "K -> %" PRIu64 "K and VmPin %" PRIu64 "K -> %" PRIu64 "K -> %" PRIu64 "K, not %+" PRId64 "K and %+" PRId64 "K and back (%s)%s",
			  e->info.bdf, b->name, a->lck, m->lck, z->lck, a->pin, m->pin, z->pin,
			  (int64_t)(p->charge[CNT_VMLCK] >> 10), (int64_t)(p->charge[CNT_VMPIN] >> 10), p->rule, avail);
		check_fix(r, "another thread of this process locked or pinned memory meanwhile, or the kernel charges differently: report it with `vfio-pinctl capture`");
		return;
	}
	check_set(r, ST_PASS, "mapped 1M at IOVA 0x%" PRIx64 " through %s (%s): %s %+" PRId64 "K as charged%s, back to %" PRIu64 "K after the unmap%s",
		  iova, e->info.bdf, b->name, counter_name(b->counter), b->counter == CNT_VMPIN ? dp : dl,
		  b->counter == CNT_VMPIN && dl ? ", VmLck +1024K (per-mm, no CAP_IPC_LOCK)" : "",
		  b->counter == CNT_VMPIN ? z->pin : z->lck, avail);
}

static const struct backend_ops *probe_ops(const struct check_ctx *c)
{
	/* The compat container is driven by the type1 ops, as a VMM's type1 code does. */
	return c->f.backend == BE_IOMMUFD ? &backend_iommufd : &backend_type1;
}

static void probe_one(struct check_ctx *c, struct check_result *r, const struct pci_entry *e)
{
	const struct backend_ops *ops = probe_ops(c);
	struct backend_target t = { .device = e->info.bdf, .group = e->info.group };
	struct counters a, m, z;
	struct class_bytes cb;
	struct predict_out p;
	uint64_t iova = 0, cursor = 0;
	struct backend *b = NULL;
	char why[300], avail[64] = "";
	void *buf;
	int rc;

	rc = ops->open(&t, &b);
	if (rc) {
		take_error(why, sizeof(why), rc);
		/* a running VMM holds the group: nothing wrong with the host */
		check_set(r, rc == -EBUSY ? ST_SKIP : ST_FAIL, "cannot open %s through %s: %s",
			  e->info.bdf, ops->name, why);
		if (rc != -EBUSY)
			check_fix(r, "see the failing checks above; the kernel's reason is in dmesg (vfio)");
		return;
	}
	if (b->info.has_dma_avail && b->rule == RULE_TYPE1)
		snprintf(avail, sizeof(avail), "; dma_avail %" PRIu32 " in a fresh container", b->info.dma_avail);
	buf = mmap(NULL, PROBE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (buf == MAP_FAILED) {
		check_set(r, ST_UNKNOWN, "cannot allocate the probe buffer: %s", strerror(errno));
		goto out;
	}
	memset(buf, 0x5a, PROBE_SIZE);
	memset(&cb, 0, sizeof(cb));
	cb.bytes[PC_ANON] = cb.mapped = PROBE_SIZE;
	rc = iova_pick(&b->info, &cursor, PROBE_SIZE, PROBE_SIZE, &iova);
	if (!rc)
		rc = counters_now(&a);
	if (rc) {
		check_set(r, ST_UNKNOWN, "cannot set the probe up: %s", strerror(-rc));
		goto out_unmap;
	}
	probe_predict(c, b, &a, (uint64_t)(uintptr_t)buf, iova, &cb, &p);
	rc = ops->map(b, (uint64_t)(uintptr_t)buf, iova, PROBE_SIZE, BE_MAP_READ | BE_MAP_WRITE);
	if (rc) {
		check_set(r, ST_FAIL, "DMA map of 1M at IOVA 0x%" PRIx64 " through %s (%s) failed: %s (%s)",
			  iova, e->info.bdf, b->name, errno_name(rc), strerror(-rc));
		check_fix(r, "%s", rc == -ENOMEM ? "raise RLIMIT_MEMLOCK (see memlock) or run with CAP_IPC_LOCK"
				   : rc == -ENOSPC ? "raise vfio_iommu_type1.dma_entry_limit"
				   : "read dmesg for the kernel's reason");
		goto out_unmap;
	}
	counters_now(&m);
	rc = ops->unmap(b, iova, PROBE_SIZE);
	counters_now(&z);
	if (rc)
		check_set(r, ST_FAIL, "unmap through %s (%s) failed: %s", e->info.bdf, b->name, errno_name(rc));
	else
		judge(r, e, b, &p, &a, &m, &z, iova, avail);
out_unmap:
	munmap(buf, PROBE_SIZE);
out:
	ops->close(b);
}

int check_probe(struct check_ctx *c)
{
	struct check_facts *f = &c->f;
	struct check_result *r;
	size_t i;

	if (!c->o->probe)
		return 0;
	if (!sr_live() || !f->ndevs) {
		r = check_add(&c->l, "probe", NULL);
		if (!r)
			return -ENOMEM;
		check_set(r, ST_SKIP, !sr_live() ? "--probe maps through the live kernel, not a captured tree"
			  : "no device to probe");
		return 0;
	}
	for (i = 0; i < f->ndevs; i++) {
		const struct pci_entry *e = &f->devs[i];

		r = check_add(&c->l, "probe", e->info.bdf);
		if (!r)
			return -ENOMEM;
		if (!e->is_pci || e->role != ROLE_VFIO || e->info.group < 0) {
			check_set(r, ST_SKIP, "%s is not usable through VFIO (see device_bound)", e->info.bdf);
			continue;
		}
		probe_one(c, r, e);
		f->probed++;
	}
	return 0;
}
