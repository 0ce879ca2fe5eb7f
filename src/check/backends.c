// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * backends: which DMA backends the host offers and which one the VMM will
 * use.  The nodes come from host/vfio-nodes.c (read with the modules), the
 * rule and the verdict from model/judge-backends.c.
 */
#include <errno.h>

#include "check/check.h"

int check_backends(struct check_ctx *c)
{
	struct check_facts *f = &c->f;
	struct check_result *r;
	enum container_kind k = container_inferred(&f->nodes, &f->type1, &f->iommufd);

	backend_offer_build(k, f->nodes.dev_iommu, f->devs, f->ndevs, &f->offer);
	f->backend = backend_resolve(c->o->backend, &f->offer);
	r = check_add(&c->l, "backends", NULL);
	if (!r)
		return -ENOMEM;
	judge_backends(&f->offer, f->backend, r);
	return 0;
}
