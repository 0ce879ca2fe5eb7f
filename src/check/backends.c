// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * backends: which DMA backends the host offers and which one the VMM will
 * use.  Three can serve a device: the type1 container (/dev/vfio/vfio with
 * vfio_iommu_type1), iommufd's compat container (the same node, provided by
 * iommufd when the kernel has IOMMUFD_VFIO_CONTAINER and no type1), and
 * native iommufd (/dev/iommu plus the device's cdev, /dev/vfio/devices/vfioN).
 * Live, an ioctl on /dev/vfio/vfio tells the two containers apart; under
 * --sysroot the modules do (type1 present: VFIO's; else iommufd: iommufd's).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check/check.h"
#include "host/sysroot.h"
#include "lib/util.h"

const char *check_backend_name(enum check_backend b)
{
	switch (b) {
	case BE_IOMMUFD: return "iommufd";
	case BE_IOMMUFD_COMPAT: return "iommufd-compat";
	default: return "type1";
	}
}

static bool present(const struct mod_info *m)
{
	return m->state == MOD_LOADED || m->state == MOD_BUILTIN;
}

/* A captured tree has the modules, not the node's owner. */
static enum container_kind container_inferred(const struct check_facts *f)
{
	if (!sr_exists("/dev/vfio/vfio"))
		return CK_NONE;
	if (present(&f->type1))
		return CK_TYPE1;
	if (present(&f->iommufd) || sr_exists("/dev/iommu"))
		return CK_COMPAT;
	return CK_BARE;
}

static enum container_kind container_of_host(const struct check_facts *f)
{
	enum container_kind k;

	/* Not allowed to open the node (not root): what the modules say. */
	if (!sr_live() || container_kind(&k))
		return container_inferred(f);
	return k;
}

static void list_cdevs(struct check_facts *f)
{
	struct backend_offer *o = &f->offer;
	size_t i, used = 0;

	for (i = 0; i < f->ndevs; i++) {
		const struct pci_entry *e = &f->devs[i];

		if (!e->is_pci || e->role != ROLE_VFIO)
			continue;
		o->nvfio++;
		if (e->info.vfio_cdev < 0) {
			if (!o->nocdev[0])
				str_copy(o->nocdev, sizeof(o->nocdev), e->info.bdf);
			continue;
		}
		o->ncdev++;
		if (used + 1 < sizeof(o->cdevs))
			used += (size_t)snprintf(o->cdevs + used, sizeof(o->cdevs) - used, "%s%s vfio%d",
						 used ? ", " : "", e->info.bdf, e->info.vfio_cdev);
	}
}

/* The order map's auto follows: the type1 container, native iommufd, the compat container. */
static void resolve(struct check_ctx *c)
{
	struct check_facts *f = &c->f;
	struct backend_offer *o = &f->offer;

	switch (c->o->backend) {
	case BE_TYPE1:
		f->backend = o->container == CK_COMPAT ? BE_IOMMUFD_COMPAT : BE_TYPE1;
		snprintf(o->why, sizeof(o->why), "--backend type1%s",
			 f->backend == BE_IOMMUFD_COMPAT ? ": /dev/vfio/vfio is iommufd's compat container" : "");
		return;
	case BE_IOMMUFD:
	case BE_IOMMUFD_COMPAT:
		f->backend = c->o->backend;
		snprintf(o->why, sizeof(o->why), "--backend %s", check_backend_name(f->backend));
		return;
	default:
		break;
	}
	if (o->offered[BE_TYPE1])
		f->backend = BE_TYPE1;
	else if (o->offered[BE_IOMMUFD])
		f->backend = BE_IOMMUFD;
	else if (o->offered[BE_IOMMUFD_COMPAT])
		f->backend = BE_IOMMUFD_COMPAT;
	else
		f->backend = BE_TYPE1;
	snprintf(o->why, sizeof(o->why), "auto: %s", f->backend == BE_TYPE1 && !o->offered[BE_TYPE1]
		 ? "nothing is offered" : "first offered of type1, native iommufd, compat");
}

static void native_text(const struct backend_offer *o, char *buf, size_t size)
{
	if (!o->dev_iommu)
		snprintf(buf, size, "native iommufd: no (no /dev/iommu)");
	else if (o->ncdev)
		snprintf(buf, size, "native iommufd: offered (/dev/iommu; cdev %s)", o->cdevs);
	else if (o->nvfio)
		snprintf(buf, size, "native iommufd: no (/dev/iommu, but %s has no VFIO cdev: the kernel lacks VFIO_DEVICE_CDEV)",
			 o->nocdev);
	else
		snprintf(buf, size, "native iommufd: no device to tell (/dev/iommu; no vfio-pci device)");
}

static void fail_fix(struct check_ctx *c, struct check_result *r)
{
	const struct backend_offer *o = &c->f.offer;

	switch (c->f.backend) {
	case BE_IOMMUFD:
		if (!o->dev_iommu)
			check_fix(r, "modprobe iommufd (a kernel with CONFIG_IOMMUFD), or use the container (--backend type1)");
		else
			check_fix(r, "boot a kernel with CONFIG_VFIO_DEVICE_CDEV (6.6+), or use the container (--backend type1)");
		return;
	case BE_IOMMUFD_COMPAT:
		check_fix(r, "modprobe iommufd on a kernel with CONFIG_IOMMUFD_VFIO_CONTAINER");
		return;
	default:
		if (o->container == CK_NONE)
			check_fix(r, "modprobe vfio-pci (it loads vfio, which creates /dev/vfio/vfio)%s",
				  o->offered[BE_IOMMUFD] ? ", or use native iommufd (--backend iommufd)" : "");
		else
			check_fix(r, "modprobe vfio_iommu_type1%s",
				  o->offered[BE_IOMMUFD] ? ", or use native iommufd (--backend iommufd)" : "");
	}
}

static void judge(struct check_ctx *c, struct check_result *r)
{
	const struct backend_offer *o = &c->f.offer;
	enum check_backend b = c->f.backend;
	char native[400];

	native_text(o, native, sizeof(native));
	check_set(r, o->offered[b] ? ST_PASS : ST_FAIL,
		  "type1 container: %s; iommufd compat container: %s; %s; the VMM's: %s (%s)",
		  o->offered[BE_TYPE1] ? "offered" : o->container == CK_BARE ? "no (vfio_iommu_type1 not loaded)"
		  : o->container == CK_NONE ? "no (no /dev/vfio/vfio)" : "no",
		  o->offered[BE_IOMMUFD_COMPAT] ? "offered (/dev/vfio/vfio is iommufd's)" : "no",
		  native, check_backend_name(b), o->why);
	if (!o->offered[b])
		fail_fix(c, r);
}

int check_backends(struct check_ctx *c)
{
	struct check_facts *f = &c->f;
	struct backend_offer *o = &f->offer;
	struct check_result *r;

	memset(o, 0, sizeof(*o));
	o->container = container_of_host(f);
	o->dev_iommu = sr_exists("/dev/iommu");
	list_cdevs(f);
	o->offered[BE_TYPE1] = o->container == CK_TYPE1;
	o->offered[BE_IOMMUFD_COMPAT] = o->container == CK_COMPAT;
	o->offered[BE_IOMMUFD] = o->dev_iommu && o->ncdev;
	resolve(c);
	r = check_add(&c->l, "backends", NULL);
	if (!r)
		return -ENOMEM;
	judge(c, r);
	return 0;
}
