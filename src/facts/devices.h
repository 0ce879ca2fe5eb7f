/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A device node as stat(2) and the account databases show it (host/vfio-nodes.c). */
#ifndef VP_FACTS_DEVICES_H
#define VP_FACTS_DEVICES_H

#include <stdbool.h>

struct dev_node {
	char path[64];
	int rc;                    /* 0, or -errno of stat */
	unsigned uid, gid, mode;   /* mode: the permission bits (07777) */
	char owner[64], group[64]; /* names, or the numbers when unknown */
};

/*
 * What vfio_dev_access judges for one IOMMU group: the nodes the VMM opens
 * with the backend in use.  The container backends open /dev/vfio/N and
 * /dev/vfio/vfio; native iommufd each member's cdev and /dev/iommu, never
 * the group node (libvirt opens them itself and passes the fds to QEMU).
 */
struct group_access {
	int group;
	bool has_vfio;             /* a member is on a VFIO driver */
	bool native;               /* native iommufd and has_vfio: nodes[] below */
	struct dev_node group_node, container;
	struct dev_node *nodes;    /* native: the members' cdevs, then /dev/iommu (malloc()ed) */
	size_t nnodes;
	char uname[64];            /* the target's user name (for the fix), or its uid */
};

#endif
