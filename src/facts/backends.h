/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The DMA backends: what /dev/vfio/vfio is, and what the host offers. */
#ifndef VP_FACTS_BACKENDS_H
#define VP_FACTS_BACKENDS_H

#include <stdbool.h>
#include <stddef.h>

enum container_kind {
	CK_NONE,      /* no /dev/vfio/vfio */
	CK_TYPE1,     /* VFIO's container, vfio_iommu_type1 registered (TYPE1v2 extension) */
	CK_BARE,      /* VFIO's container without a type1 driver (vfio_iommu_type1 not loaded) */
	CK_COMPAT,    /* iommufd's compat container: an iommufd context answering IOMMU_OPTION */
};

/*
 * The DMA backend a VMM uses: the type1 container, native iommufd
 * (/dev/iommu + the device cdev), or iommufd's compat container, which is
 * what "type1" gets on a kernel whose /dev/vfio/vfio is iommufd's.
 */
enum check_backend { BE_AUTO, BE_TYPE1, BE_IOMMUFD, BE_IOMMUFD_COMPAT, BE_NR };

/* The nodes and the container as the host shows them (host/vfio-nodes.c). */
struct backend_host {
	bool container_node;       /* /dev/vfio/vfio exists */
	bool dev_iommu;            /* /dev/iommu exists */
	bool kind_known;           /* live and the node opened: kind is the kernel's answer */
	enum container_kind kind;
};

/* What the host offers (model/judge-backends.c). */
struct backend_offer {
	enum container_kind container;   /* what /dev/vfio/vfio is */
	bool dev_iommu;                  /* /dev/iommu */
	size_t nvfio, ncdev;             /* checked vfio devices, and those with a cdev */
	char cdevs[256];                 /* "0000:00:03.0 vfio0, ..." */
	char nocdev[128];                /* the first checked vfio device without one */
	bool offered[BE_NR];             /* BE_TYPE1, BE_IOMMUFD, BE_IOMMUFD_COMPAT */
	char why[200];                   /* how the backend in use was chosen */
};

#endif
