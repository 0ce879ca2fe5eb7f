// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hugepages, memlock, dma_entries: host/hugepages.c reads the pools, the
 * need is model/need.c's, model/judge-memory.c judges.
 */
#include <errno.h>
#include <string.h>

#include "check/check.h"
#include "host/hugepages.h"
#include "host/vfio-contexts.h"
#include "host/vfiofds.h"
#include "lib/util.h"

/* check --pid of a running VMM: its own containers say what is left (host/vfio-contexts.c). */
static void dma_entries(struct check_ctx *c, struct check_result *r)
{
	struct check_facts *f = &c->f;
	struct vfio_contexts x = { 0 };
	struct vfio_fds fds;
	int fds_rc = 0;

	if (c->o->pid && !(fds_rc = vfio_fds_read(c->o->pid, &fds))) {
		if (vfio_contexts_read(c->o->pid, &fds, &x))
			memset(&x, 0, sizeof(x));
		vfio_fds_free(&fds);
	}
	if (!judge_dma_live(&x, r)) {
		judge_dma(&f->params, &f->need, f->backend, c->o, r);
		/* a pid that is gone is the target check's finding, not this one's */
		judge_dma_live_note(&x, fds_rc == -ENOENT || fds_rc == -ESRCH ? 0 : -fds_rc, r);
	}
	vfio_contexts_free(&x);
}

/*
 * DPDK maps each memseg on its own: one hugepage (--hugepages, else the
 * largest pool with pages reserved, as EAL takes the default size), 4K with
 * --no-huge.
 */
static uint64_t dpdk_memseg(const struct check_ctx *c)
{
	const struct check_facts *f = &c->f;
	uint64_t kb = 0;
	size_t i;

	if (f->vmm->dpdk.no_huge)
		return PAGE_4K;
	if (c->o->hugepage_size)
		return c->o->hugepage_size;
	for (i = 0; i < f->npools; i++)
		if (f->pools[i].total && f->pools[i].size_kb > kb)
			kb = f->pools[i].size_kb;
	return kb ? kb * 1024 : 2ULL << 20;
}

int check_memory(struct check_ctx *c)
{
	struct check_facts *f = &c->f;
	struct need_in base = { .kv_known = f->kv_known, .kv = f->kv, .rom_bytes = f->rom_bytes,
				.ram_hidden = f->ram_hidden, .rom_at_realize = f->rom_at_realize,
				.contexts = f->vmm_contexts };
	struct check_result *r;
	int rc = hugepools_read(&f->pools, &f->npools);

	if (rc)
		return rc;
	if (f->vmm && f->vmm->kind == VMM_KIND_DPDK)
		base.memseg_size = dpdk_memseg(c);
	check_needs(c->o, f->devs, f->ndevs, &base, f->needs);
	f->need = f->needs[f->backend];
	f->have_need = c->o->have_guest_mem;
	if (!(r = check_add(&c->l, "hugepages", NULL)))
		return -ENOMEM;
	judge_hugepages(f->pools, f->npools, c->o, &f->side, r);
	if (!(r = check_add(&c->l, "memlock", NULL)))
		return -ENOMEM;
	judge_memlock(&f->tgt, &f->need, f->backend, c->o, &f->side, r);
	if (!(r = check_add(&c->l, "dma_entries", NULL)))
		return -ENOMEM;
	dma_entries(c, r);
	return 0;
}
