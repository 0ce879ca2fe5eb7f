// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * probe (--probe): a real DMA map and unmap of a small buffer through each
 * checked device, with the charge verified: type1 charges locked_vm (VmLck)
 * per 4K page even with CAP_IPC_LOCK, iommufd charges pinned_vm (VmPin);
 * both must return to the baseline after the unmap.  Live only.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>

#include "backend.h"
#include "check.h"
#include "error.h"
#include "procstat.h"
#include "sysroot.h"
#include "util.h"

#define PROBE_SIZE (1ULL << 20)

static int counter_kb(bool pinned, uint64_t *kb)
{
	struct proc_status st;
	int rc = read_status("self", &st);

	if (rc)
		return rc;
	*kb = pinned ? st.vm_pin_kb : st.vm_lck_kb;
	return 0;
}

/* The backend's error line (set by open), consumed so the run goes on. */
static void take_error(char *buf, size_t size, int rc)
{
	snprintf(buf, size, "%s", err_isset() ? err_message() : strerror(-rc));
	err_clear();
}

static void probe_one(struct check_ctx *c, struct check_result *r, const struct pci_entry *e)
{
	const struct backend_ops *ops = backend_find(c->f.backend == BE_IOMMUFD ? "iommufd" : "type1");
	struct backend_target t = { .device = e->info.bdf, .group = e->info.group };
	bool pinned = ops && ops->counter == CNT_VMPIN;
	const char *cnt = pinned ? "VmPin" : "VmLck";
	uint64_t before = 0, mapped = 0, after = 0, iova = 0, cursor = 0;
	struct backend *b = NULL;
	char why[300], avail[64] = "";
	void *buf;
	int rc;

	if (!ops) {
		take_error(why, sizeof(why), -ENOSYS);
		check_set(r, ST_UNKNOWN, "no DMA backend to probe with: %s", why);
		return;
	}
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
	if (b->info.has_dma_avail)
		snprintf(avail, sizeof(avail), "; dma_avail %" PRIu32 " in a fresh container", b->info.dma_avail);
	buf = mmap(NULL, PROBE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (buf == MAP_FAILED) {
		check_set(r, ST_UNKNOWN, "cannot allocate the probe buffer: %s", strerror(errno));
		goto out;
	}
	memset(buf, 0x5a, PROBE_SIZE);
	rc = iova_pick(&b->info, &cursor, PROBE_SIZE, PROBE_SIZE, &iova);
	if (!rc)
		rc = counter_kb(pinned, &before);
	if (rc) {
		check_set(r, ST_UNKNOWN, "cannot set the probe up: %s", strerror(-rc));
		goto out_unmap;
	}
	rc = ops->map(b, (uint64_t)(uintptr_t)buf, iova, PROBE_SIZE, BE_MAP_READ | BE_MAP_WRITE);
	if (rc) {
		check_set(r, ST_FAIL, "MAP_DMA of 1M at IOVA 0x%" PRIx64 " through %s failed: %s (%s)",
			  iova, e->info.bdf, errno_name(rc), strerror(-rc));
		check_fix(r, "%s", rc == -ENOMEM ? "raise RLIMIT_MEMLOCK (see memlock) or run with CAP_IPC_LOCK"
				   : rc == -ENOSPC ? "raise vfio_iommu_type1.dma_entry_limit"
				   : "read dmesg for the kernel's reason");
		goto out_unmap;
	}
	counter_kb(pinned, &mapped);
	rc = ops->unmap(b, iova, PROBE_SIZE);
	counter_kb(pinned, &after);
	if (rc) {
		check_set(r, ST_FAIL, "UNMAP_DMA through %s failed: %s", e->info.bdf, errno_name(rc));
	} else if (mapped - before != PROBE_SIZE >> 10 || after != before) {
		check_set(r, ST_WARN, "mapped and unmapped 1M through %s (%s), but %s went %" PRIu64 "K -> %" PRIu64 "K -> %" PRIu64 "K, not +1024K and back%s",
			  e->info.bdf, ops->name, cnt, before, mapped, after, avail);
		check_fix(r, "another thread of this process locked or pinned memory meanwhile, or the kernel charges differently: report it with `vfio-pinctl capture`");
	} else {
		check_set(r, ST_PASS, "mapped 1M at IOVA 0x%" PRIx64 " through %s (%s): %s +1024K as charged, back to %" PRIu64 "K after the unmap%s",
			  iova, e->info.bdf, ops->name, cnt, after, avail);
	}
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
