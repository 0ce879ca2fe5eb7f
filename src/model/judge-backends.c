// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * backends: which DMA backends the host offers and which one the VMM will
 * use.  Three can serve a device: the type1 container (/dev/vfio/vfio with
 * vfio_iommu_type1), iommufd's compat container (the same node, provided by
 * iommufd when the kernel has IOMMUFD_VFIO_CONTAINER and no type1), and
 * native iommufd (/dev/iommu plus the device's cdev, /dev/vfio/devices/vfioN).
 * Live, an ioctl on /dev/vfio/vfio tells the two containers apart
 * (host/vfio-nodes.c); in a captured tree the modules do (type1 present:
 * VFIO's; else iommufd: iommufd's).  Pure.
 */
#include <stdio.h>
#include <string.h>

#include "model/judge.h"
#include "lib/util.h"

const char *check_backend_name(enum check_backend b)
{
	switch (b) {
	case BE_IOMMUFD: return "iommufd";
	case BE_IOMMUFD_COMPAT: return "iommufd-compat";
	default: return "type1";
	}
}

/* A captured tree has the modules, not the node's owner. */
enum container_kind container_inferred(const struct backend_host *h, const struct mod_info *type1,
				       const struct mod_info *iommufd)
{
	if (h->kind_known)
		return h->kind;
	if (!h->container_node)
		return CK_NONE;
	if (mod_present(type1))
		return CK_TYPE1;
	if (mod_present(iommufd) || h->dev_iommu)
		return CK_COMPAT;
	return CK_BARE;
}

static void list_cdevs(struct backend_offer *o, const struct pci_entry *devs, size_t ndevs)
{
	size_t i, used = 0;

	for (i = 0; i < ndevs; i++) {
		const struct pci_entry *e = &devs[i];

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

void backend_offer_build(enum container_kind container, bool dev_iommu, const struct pci_entry *devs,
			 size_t ndevs, struct backend_offer *o)
{
	memset(o, 0, sizeof(*o));
	o->container = container;
	o->dev_iommu = dev_iommu;
	list_cdevs(o, devs, ndevs);
	o->offered[BE_TYPE1] = o->container == CK_TYPE1;
	o->offered[BE_IOMMUFD_COMPAT] = o->container == CK_COMPAT;
	o->offered[BE_IOMMUFD] = o->dev_iommu && o->ncdev;
}

/* The order map's auto follows: the type1 container, native iommufd, the compat container. */
enum check_backend backend_resolve(enum check_backend asked, struct backend_offer *o)
{
	enum check_backend b;

	switch (asked) {
	case BE_TYPE1:
		b = o->container == CK_COMPAT ? BE_IOMMUFD_COMPAT : BE_TYPE1;
		snprintf(o->why, sizeof(o->why), "--backend type1%s",
			 b == BE_IOMMUFD_COMPAT ? ": /dev/vfio/vfio is iommufd's compat container" : "");
		return b;
	case BE_IOMMUFD:
	case BE_IOMMUFD_COMPAT:
		snprintf(o->why, sizeof(o->why), "--backend %s", check_backend_name(asked));
		return asked;
	default:
		break;
	}
	if (o->offered[BE_TYPE1])
		b = BE_TYPE1;
	else if (o->offered[BE_IOMMUFD])
		b = BE_IOMMUFD;
	else if (o->offered[BE_IOMMUFD_COMPAT])
		b = BE_IOMMUFD_COMPAT;
	else
		b = BE_TYPE1;
	snprintf(o->why, sizeof(o->why), "auto: %s", b == BE_TYPE1 && !o->offered[BE_TYPE1]
		 ? "nothing is offered" : "first offered of type1, native iommufd, compat");
	return b;
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

static void fail_fix(const struct backend_offer *o, enum check_backend b, struct check_result *r)
{
	switch (b) {
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

void judge_backends(const struct backend_offer *o, enum check_backend b, struct check_result *r)
{
	char native[400];

	native_text(o, native, sizeof(native));
	check_set(r, o->offered[b] ? ST_PASS : ST_FAIL,
		  "type1 container: %s; iommufd compat container: %s; %s; the VMM's: %s (%s)",
		  o->offered[BE_TYPE1] ? "offered" : o->container == CK_BARE ? "no (vfio_iommu_type1 not loaded)"
		  : o->container == CK_NONE ? "no (no /dev/vfio/vfio)" : "no",
		  o->offered[BE_IOMMUFD_COMPAT] ? "offered (/dev/vfio/vfio is iommufd's)" : "no",
		  native, check_backend_name(b), o->why);
	if (!o->offered[b])
		fail_fix(o, b, r);
}
