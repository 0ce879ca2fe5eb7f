// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * probe (--probe): a real DMA map and unmap of a small buffer through each
 * checked device, through the backend check resolved (type1, iommufd's
 * compat container or native iommufd), the counters read around it
 * (host/process.c) and judged against the kernel's rule (predict.c) by
 * model/judge-probe.c.  Live only: it acts through map/'s backends.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "map/backend.h"
#include "check/check.h"
#include "host/process.h"
#include "lib/error.h"
#include "model/predict.h"
#include "lib/util.h"

#define PROBE_SIZE (1ULL << 20)

/* The backend's error line (set by open), consumed so the run goes on. */
static void take_error(char *buf, size_t size, int rc)
{
	snprintf(buf, size, "%s", err_isset() ? err_message() : strerror(-rc));
	err_clear();
}

/* What the kernel will do with a populated anonymous 1M buffer, by b's rule. */
static void probe_predict(const struct check_ctx *c, const struct backend *b, const struct probe_counters *n,
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

	if (self_memlock(&in.limit_unlimited, &in.limit)) {
		in.limit_unlimited = false;
		in.limit = 0;
	}
	predict_map(&in, out);
}

static const struct backend_ops *probe_ops(const struct check_ctx *c)
{
	/* The compat container is driven by the type1 ops, as a VMM's type1 code does. */
	return c->f.backend == BE_IOMMUFD ? &backend_iommufd : &backend_type1;
}

/* Map, read the counters, unmap, read them again; the verdict into r. */
static void probe_buffer(struct check_ctx *c, const struct backend_ops *ops, struct backend *b,
			 struct probe_run *p, void *buf, struct check_result *r)
{
	struct class_bytes cb;
	struct predict_out pred;
	uint64_t cursor = 0;
	int rc;

	memset(&cb, 0, sizeof(cb));
	cb.bytes[PC_ANON] = cb.mapped = PROBE_SIZE;
	rc = iova_pick(&b->info, &cursor, PROBE_SIZE, PROBE_SIZE, &p->iova);
	if (!rc)
		rc = self_counters(&p->before);
	if (rc) {
		check_set(r, ST_UNKNOWN, "cannot set the probe up: %s", strerror(-rc));
		return;
	}
	probe_predict(c, b, &p->before, (uint64_t)(uintptr_t)buf, p->iova, &cb, &pred);
	rc = ops->map(b, (uint64_t)(uintptr_t)buf, p->iova, PROBE_SIZE, BE_MAP_READ | BE_MAP_WRITE);
	if (rc) {
		judge_probe_map_failed(p, rc, r);
		return;
	}
	self_counters(&p->mapped);
	rc = ops->unmap(b, p->iova, PROBE_SIZE);
	self_counters(&p->after);
	if (rc)
		judge_probe_unmap_failed(p, rc, r);
	else
		judge_probe(p, &pred, r);
}

static void probe_one(struct check_ctx *c, struct check_result *r, const struct pci_entry *e)
{
	const struct backend_ops *ops = probe_ops(c);
	struct backend_target t = { .device = e->info.bdf, .group = e->info.group };
	struct probe_run p = { .bdf = e->info.bdf };
	struct backend *b = NULL;
	char why[300];
	void *buf;
	int rc;

	rc = ops->open(&t, &b);
	if (rc) {
		take_error(why, sizeof(why), rc);
		judge_probe_open(e->info.bdf, ops->name, rc, why, r);
		return;
	}
	p.backend = b->name;
	p.counter = b->counter;
	if (b->info.has_dma_avail && b->rule == RULE_TYPE1)
		snprintf(p.avail, sizeof(p.avail), "; dma_avail %" PRIu32 " in a fresh container", b->info.dma_avail);
	buf = mmap(NULL, PROBE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (buf == MAP_FAILED) {
		check_set(r, ST_UNKNOWN, "cannot allocate the probe buffer: %s", strerror(errno));
	} else {
		memset(buf, 0x5a, PROBE_SIZE);
		probe_buffer(c, ops, b, &p, buf, r);
		munmap(buf, PROBE_SIZE);
	}
	ops->close(b);
}

int check_probe(struct check_ctx *c)
{
	struct check_facts *f = &c->f;
	struct check_result *r;
	size_t i;

	if (!c->o->probe)
		return 0;
	if (!f->live || !f->ndevs) {
		r = check_add(&c->l, "probe", NULL);
		if (!r)
			return -ENOMEM;
		judge_probe_none(f->live, r);
		return 0;
	}
	for (i = 0; i < f->ndevs; i++) {
		const struct pci_entry *e = &f->devs[i];

		r = check_add(&c->l, "probe", e->info.bdf);
		if (!r)
			return -ENOMEM;
		if (!e->is_pci || e->role != ROLE_VFIO || e->info.group < 0) {
			judge_probe_unusable(e->info.bdf, r);
			continue;
		}
		probe_one(c, r, e);
		f->probed++;
	}
	return 0;
}
