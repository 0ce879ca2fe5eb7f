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

int check_memory(struct check_ctx *c)
{
	struct check_facts *f = &c->f;
	struct check_result *r;
	int rc = hugepools_read(&f->pools, &f->npools);

	if (rc)
		return rc;
	check_needs(c->o, f->devs, f->ndevs, f->needs);
	f->need = f->needs[f->backend];
	f->have_need = c->o->have_guest_mem;
	if (!(r = check_add(&c->l, "hugepages", NULL)))
		return -ENOMEM;
	judge_hugepages(f->pools, f->npools, c->o, r);
	if (!(r = check_add(&c->l, "memlock", NULL)))
		return -ENOMEM;
	judge_memlock(&f->tgt, &f->need, f->backend, c->o, r);
	if (!(r = check_add(&c->l, "dma_entries", NULL)))
		return -ENOMEM;
	dma_entries(c, r);
	return 0;
}
