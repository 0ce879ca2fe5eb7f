/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The VFIO and iommufd file descriptors a process holds (filled by host/vfiofds.c). */
#ifndef VP_FACTS_VFIOFDS_H
#define VP_FACTS_VFIOFDS_H

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
	/*
	 * VFD_DEVICE/VFD_CDEV: the device, where something tells it: "cdev"
	 * (sysfs vfio-dev/vfioN), "fdinfo" (the syspath), "bar-mmap" (the only
	 * device fd, and its BAR mmaps match one device), "group" (the only
	 * device fd, and the groups held have one device); else "" and no source.
	 */
	char bdf[16];
	const char *bdf_source;
};

struct vfio_fds {
	struct vfio_fd *v;
	size_t n, cap;
	size_t containers, groups, devices, cdevs, iommufds;
};

/* The name the JSON "kind" field carries (an interface: add, never rename). */
static inline const char *vfio_fd_kind_name(enum vfio_fd_kind k)
{
	switch (k) {
	case VFD_CONTAINER: return "container";
	case VFD_GROUP: return "group";
	case VFD_DEVICE: return "device";
	case VFD_CDEV: return "cdev";
	case VFD_IOMMUFD: return "iommufd";
	case VFD_KVM_VFIO: return "kvm-vfio";
	default: return "none";
	}
}

#endif
