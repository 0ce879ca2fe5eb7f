/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The VFIO and iommufd device nodes: what exists, who owns it, what the container is. */
#ifndef VP_HOST_VFIO_NODES_H
#define VP_HOST_VFIO_NODES_H

#include <stdbool.h>

#include "facts/pci.h"
#include "facts/backends.h"
#include "facts/devices.h"

/*
 * What /dev/vfio/vfio is on this kernel (asked by ioctl, live only): open it
 * and tell; 0, or -errno when it exists but cannot be opened.
 */
int container_kind(enum container_kind *out);
/* The same for an open container fd. */
enum container_kind container_kind_fd(int fd);
/* /dev/vfio/vfio and /dev/iommu; live, the container's kind from the kernel (when it opens). */
void backend_host_read(struct backend_host *h);
/* Whether /dev/vfio/vfio and /dev/iommu exist (no open: map opens them itself). */
void vfio_nodes_present(bool *container, bool *iommu);
/* stat(2) of a node, with its owner's and group's names. */
void dev_node_read(const char *path, struct dev_node *n);
/*
 * The nodes of group g a VMM opens: native (native iommufd) its members'
 * cdevs and /dev/iommu, else /dev/vfio/N and the container.  uid: whose
 * name goes into the fix.  0 or -ENOMEM; group_access_free() after.
 */
int group_access_read(const struct iommu_group *g, bool native, unsigned uid, struct group_access *a);
void group_access_free(struct group_access *a);

#endif
