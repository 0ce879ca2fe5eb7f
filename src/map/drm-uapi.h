/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The few DRM ioctls `map --type vgem` needs (include/uapi/drm/drm.h,
 * drm_mode.h: a stable ABI).  Debian ships these headers only with
 * libdrm-dev, which the tool does not otherwise need.
 */
#ifndef VP_DRM_UAPI_H
#define VP_DRM_UAPI_H

#include <linux/ioctl.h>
#include <linux/types.h>
#include <stddef.h>

struct vp_drm_version {
	int version_major, version_minor, version_patchlevel;
	size_t name_len;
	char *name;
	size_t date_len;
	char *date;
	size_t desc_len;
	char *desc;
};

struct vp_drm_mode_create_dumb {
	__u32 height, width, bpp, flags;
	__u32 handle, pitch;
	__u64 size;
};

struct vp_drm_mode_map_dumb {
	__u32 handle, pad;
	__u64 offset;
};

#define VP_DRM_IOCTL_VERSION          _IOWR('d', 0x00, struct vp_drm_version)
#define VP_DRM_IOCTL_MODE_CREATE_DUMB _IOWR('d', 0xB2, struct vp_drm_mode_create_dumb)
#define VP_DRM_IOCTL_MODE_MAP_DUMB    _IOWR('d', 0xB3, struct vp_drm_mode_map_dumb)

#endif
