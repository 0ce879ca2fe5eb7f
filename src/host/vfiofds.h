/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The VFIO and iommufd file descriptors a process holds (/proc/PID/fd + fdinfo). */
#ifndef VP_VFIOFDS_H
#define VP_VFIOFDS_H

#include <stddef.h>

enum vfio_fd_kind {
	VFD_NONE,
	VFD_CONTAINER,   /* /dev/vfio/vfio (type1, or iommufd's compat container) */
	VFD_GROUP,       /* /dev/vfio/N */
	VFD_DEVICE,      /* anon_inode:[vfio-device] from VFIO_GROUP_GET_DEVICE_FD */
	VFD_CDEV,        /* /dev/vfio/devices/vfioN (6.6+) */
	VFD_IOMMUFD,     /* /dev/iommu */
	VFD_KVM_VFIO,    /* anon_inode:kvm-vfio */
};

struct vfio_fd {
	int fd;
	enum vfio_fd_kind kind;
	int group;            /* VFD_GROUP: N; -1 otherwise */
	int cdev;             /* VFD_CDEV: N of vfioN; -1 otherwise */
	char syspath[256];    /* fdinfo "vfio-device-syspath:" (6.18+), else "" */
};

struct vfio_fds {
	struct vfio_fd *v;
	size_t n, cap;
	size_t containers, groups, devices, cdevs, iommufds;
};

/* Pure: what a /proc/PID/fd/N link target names. */
enum vfio_fd_kind vfio_fd_kind_of(const char *target, int *group, int *cdev);
/* Pure: the vfio-device-syspath value of an fdinfo text, or "" */
void fdinfo_syspath(const char *text, char *out, size_t size);
const char *vfio_fd_kind_name(enum vfio_fd_kind k);

int vfio_fds_read(const char *pid, struct vfio_fds *out);
void vfio_fds_free(struct vfio_fds *f);
/*
 * Who serves /dev/vfio/vfio: "vfio_iommu_type1", or "iommufd" when the kernel
 * was built with IOMMUFD_VFIO_CONTAINER (no type1 then), or NULL (no VFIO).
 */
const char *vfio_container_provider(void);
/* "type1", "iommufd" or "none": from the fds, and who serves the container. */
const char *vfio_fds_backend(const struct vfio_fds *f, const char *provider);

#endif
