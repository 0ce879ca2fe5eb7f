/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The VFIO and iommufd file descriptors a process holds (/proc/PID/fd + fdinfo). */
#ifndef VP_VFIOFDS_H
#define VP_VFIOFDS_H

#include <stddef.h>

#include "facts/vfiofds.h"

/* Pure: what a /proc/PID/fd/N link target names. */
enum vfio_fd_kind vfio_fd_kind_of(const char *target, int *group, int *cdev);
/* Pure: the vfio-device-syspath value of an fdinfo text, or "" */
void fdinfo_syspath(const char *text, char *out, size_t size);

int vfio_fds_read(const char *pid, struct vfio_fds *out);
struct vma;
/*
 * The anon_inode:[vfio-device] mmaps of /proc/PID/maps (BARs mapped through
 * group-obtained device fds), malloc()ed; 0 or -errno.
 */
int vfio_device_vmas_read(const char *pid, struct vma **out, size_t *n);
void vfio_fds_free(struct vfio_fds *f);
/*
 * Who serves /dev/vfio/vfio: "vfio_iommu_type1", or "iommufd" when the kernel
 * was built with IOMMUFD_VFIO_CONTAINER (no type1 then), or NULL (no VFIO).
 */
const char *vfio_container_provider(void);
/* "type1", "iommufd" or "none": from the fds, and who serves the container. */
const char *vfio_fds_backend(const struct vfio_fds *f, const char *provider);

#endif
