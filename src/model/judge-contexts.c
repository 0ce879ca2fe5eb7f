// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dma_entries of a running VMM, from its live containers: type1 counts one
 * entry per vfio_dma against dma_entry_limit, set per container at
 * VFIO_SET_IOMMU and reported left as dma_avail (5.10+).  What the VMM holds
 * is asked, not predicted (kata#11721: ENOSPC from too many mappings).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "model/judge.h"

/* The type1 context with the fewest entries left, or NULL. */
static const struct vfio_context *tightest(const struct vfio_contexts *x, size_t *ntype1)
{
	const struct vfio_context *t = NULL;
	size_t i;

	*ntype1 = 0;
	for (i = 0; i < x->n; i++) {
		const struct vfio_context *c = &x->v[i];

		if (c->source != CTX_LIVE || c->kind != CTX_TYPE1 || !c->has_dma_avail)
			continue;
		(*ntype1)++;
		if (!t || c->dma_avail < t->dma_avail)
			t = c;
	}
	return t;
}

static bool only_iommufd(const struct vfio_contexts *x)
{
	size_t i;

	for (i = 0; i < x->n; i++)
		if (x->v[i].source != CTX_LIVE ||
		    (x->v[i].kind != CTX_IOMMUFD && x->v[i].kind != CTX_IOMMUFD_COMPAT))
			return false;
	return x->n > 0;
}

bool judge_dma_live(const struct vfio_contexts *x, struct check_result *r)
{
	const struct vfio_context *t;
	size_t n;

	if (only_iommufd(x)) {
		check_set(r, ST_SKIP, "live: the process's %zu context(s) are iommufd's, which has no dma_entry_limit",
			  x->n);
		return true;
	}
	t = tightest(x, &n);
	if (!t)
		return false;
	if (!t->has_in_use) {
		check_set(r, t->dma_avail ? ST_PASS : ST_FAIL,
			  "live: container fd %d has %u DMA mappings left (dma_entry_limit unread)", t->fd, t->dma_avail);
	} else if (!t->dma_avail) {
		check_set(r, ST_FAIL, "live: container fd %d uses all %" PRIu64 " mappings of dma_entry_limit=%" PRIu64 ": its next MAP_DMA fails with ENOSPC",
			  t->fd, t->mappings_in_use, x->dma_entry_limit);
	} else {
		/* Under a tenth left: hotplug, virtio-mem or a vIOMMU's dynamic maps run out first. */
		check_set(r, (uint64_t)t->dma_avail * 10 < x->dma_entry_limit ? ST_WARN : ST_PASS,
			  "live: container fd %d has %u of dma_entry_limit=%" PRIu64 " mappings left (%" PRIu64 " in use)%s",
			  t->fd, t->dma_avail, x->dma_entry_limit, t->mappings_in_use,
			  n > 1 ? "; the tightest of its type1 containers" : "");
	}
	if (r->status != ST_PASS)
		check_fix(r, "raise vfio_iommu_type1.dma_entry_limit (/sys/module/vfio_iommu_type1/parameters/dma_entry_limit, or the kernel command line): it applies to containers set up afterwards, so restart the VMM");
	return true;
}

void judge_dma_live_note(const struct vfio_contexts *x, int fds_err, struct check_result *r)
{
	size_t i, len = strlen(r->finding);

	/* A skipped estimate (no type1, iommufd) has nothing a container could have changed. */
	if (r->status == ST_SKIP)
		return;
	if (fds_err) {
		snprintf(r->finding + len, sizeof(r->finding) - len,
			 "; its fds could not be read (%s), so neither could its live containers: inferred",
			 strerror(fds_err));
		return;
	}
	for (i = 0; i < x->n; i++)
		if (x->v[i].source == CTX_INFERRED) {
			snprintf(r->finding + len, sizeof(r->finding) - len,
				 "; its live containers were not read (%s): inferred", x->v[i].reason);
			return;
		}
}
