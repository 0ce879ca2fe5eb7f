// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * device_bound, group_viable, vfio_dev_access: per named device (default:
 * every device on a VFIO driver) and per IOMMU group of those devices.  The
 * devices and groups come from the PCI readers, the nodes from
 * host/vfio-nodes.c, the verdicts from model/judge-devices.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "host/iommu.h"
#include "host/pci.h"
#include "host/vfio-nodes.h"
#include "lib/util.h"

static int pick_devices_once(struct check_ctx *c);

/* The devices to check: the --device list, or every device on a VFIO driver. */
static int pick_devices(struct check_ctx *c)
{
	struct check_facts *f = &c->f;

	/* check_backends needs them first (the cdevs); picked once, the result kept. */
	if (f->devs_picked)
		return f->pick_rc;
	f->devs_picked = true;
	f->pick_rc = pick_devices_once(c);
	return f->pick_rc;
}

int check_pick_devices(struct check_ctx *c)
{
	return pick_devices(c) == -ENOMEM ? -ENOMEM : 0;
}

static int pick_devices_once(struct check_ctx *c)
{
	struct check_facts *f = &c->f;
	char (*bdfs)[16] = NULL, bdf[16];
	size_t i, n = 0;
	int rc;

	f->devs = calloc(c->o->ndevices ? c->o->ndevices : 1, sizeof(*f->devs));
	if (!f->devs)
		return -ENOMEM;
	if (c->o->ndevices) {
		for (i = 0; i < c->o->ndevices; i++) {
			struct pci_entry *e = &f->devs[f->ndevs++];

			bdf_normalize(c->o->devices[i], bdf, sizeof(bdf));
			if (pci_entry_read(bdf, e)) {
				memset(e, 0, sizeof(*e));
				str_copy(e->info.bdf, sizeof(e->info.bdf), bdf);
				e->info.group = -1;
			}
		}
		return 0;
	}
	f->devs_default = true;
	rc = pci_enumerate(&bdfs, &n);
	if (rc)
		return rc;
	for (i = 0; i < n; i++) {
		struct pci_entry e;
		struct pci_entry *nv;

		if (pci_entry_read(bdfs[i], &e) || e.role != ROLE_VFIO)
			continue;
		nv = realloc(f->devs, (f->ndevs + 1) * sizeof(*nv));
		if (!nv) {
			free(bdfs);
			return -ENOMEM;
		}
		f->devs = nv;
		f->devs[f->ndevs++] = e;
	}
	free(bdfs);
	return 0;
}

/* group_viable and vfio_dev_access of one group. */
static int check_group(struct check_ctx *c, const struct pci_entry *e)
{
	struct check_result *r;
	struct group_access a;
	struct iommu_group g;
	char subject[16];
	int rc = group_read(e->info.group, &g);

	if (rc) {
		r = check_add(&c->l, "group_viable", e->info.bdf);
		if (!r)
			return -ENOMEM;
		judge_group_unreadable(e->info.group, rc, r);
		return 0;
	}
	snprintf(subject, sizeof(subject), "%d", g.id);
	r = check_add(&c->l, "group_viable", subject);
	if (!r) {
		rc = -ENOMEM;
		goto out;
	}
	judge_group(&g, r);
	rc = group_access_read(&g, c->f.backend == BE_IOMMUFD, c->f.tgt.uid, &a);
	if (rc)
		goto out;
	r = check_add(&c->l, "vfio_dev_access", subject);
	if (r)
		judge_access(&a, &c->f.tgt, r);
	else
		rc = -ENOMEM;
	group_access_free(&a);
out:
	group_free(&g);
	return rc;
}

int check_devices(struct check_ctx *c)
{
	struct check_facts *f = &c->f;
	struct check_result *r;
	int *seen = NULL;
	size_t i, j, nseen = 0;
	int rc = pick_devices(c);

	if (rc || !f->ndevs) {
		r = check_add(&c->l, "device_bound", NULL);
		if (!r)
			return -ENOMEM;
		judge_device_list(rc, r);
		return rc == -ENOMEM ? rc : 0;
	}
	for (i = 0; i < f->ndevs; i++) {
		r = check_add(&c->l, "device_bound", f->devs[i].info.bdf);
		if (!r)
			return -ENOMEM;
		judge_bound(&f->devs[i], r);
	}
	seen = calloc(f->ndevs, sizeof(*seen));
	if (!seen)
		return -ENOMEM;
	for (i = 0; i < f->ndevs && !rc; i++) {
		const struct pci_entry *e = &f->devs[i];

		if (!e->is_pci)
			continue;
		if (e->info.group < 0) {
			r = check_add(&c->l, "group_viable", e->info.bdf);
			if (!r) {
				rc = -ENOMEM;
				break;
			}
			judge_no_group(e, r);
			continue;
		}
		for (j = 0; j < nseen && seen[j] != e->info.group; j++)
			;
		if (j < nseen)
			continue;
		seen[nseen++] = e->info.group;
		rc = check_group(c, e);
	}
	free(seen);
	return rc;
}
