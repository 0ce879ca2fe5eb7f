// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The legacy VFIO container: /dev/vfio/vfio + /dev/vfio/N, VFIO_TYPE1v2_IOMMU.
 * vfio_iommu_type1 pins per 4K page and charges mm->locked_vm (VmLck) of the
 * process that issues MAP_DMA, once per mapping.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/vfio.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "host/vfio-nodes.h"
#include "map/backend.h"
#include "lib/error.h"
#include "host/iommufd-uapi.h"
#include "host/iommu.h"
#include "host/pci.h"
#include "model/contexts.h"
#include "model/groups.h"
#include "host/sysroot.h"
#include "lib/util.h"

struct type1 {
	struct backend be;     /* first: the generic part */
	int container;
	int group_fd;
	int group;
};

/*
 * Who holds the group: its /dev/vfio/N, or (native iommufd, which makes the
 * group refuse the legacy open) one of its devices' cdevs.
 */
static void group_holders(int group, char *buf, size_t size)
{
	char paths[1 + 8][40];
	char (*bdfs)[BDF_LEN] = NULL;
	size_t i, n = 0, np = 1;
	int cdev;

	snprintf(paths[0], sizeof(paths[0]), "/dev/vfio/%d", group);
	if (!iommu_group_devices(group, &bdfs, &n))
		for (i = 0; i < n && np < 9; i++)
			if ((cdev = pci_vfio_cdev(bdfs[i])) >= 0)
				snprintf(paths[np++], sizeof(paths[0]), "/dev/vfio/devices/vfio%d", cdev);
	free(bdfs);
	fd_holders((const char (*)[40])paths, np, buf, size);
}

/*
 * The kernel said "not viable": name the culprits by the one rule
 * (model/groups.c), which spares variant drivers, pci-stub and bridges.
 */
static void not_viable(int group)
{
	struct iommu_group g;
	char line[1024];

	if (group_read(group, &g)) {
		err_set(VP_EXIT_DEVICE, "IOMMU group %d is not viable (its members cannot be read from /sys/kernel/iommu_groups/%d)",
			group, group);
		return;
	}
	group_not_viable_line(&g, line, sizeof(line));
	err_set(VP_EXIT_DEVICE, "%s", line);
	group_free(&g);
	pci_names_release();
}

static int open_container(struct type1 *t)
{
	int rc;

	t->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (t->container < 0) {
		rc = -errno;
		if (rc == -ENOENT)
			err_set(VP_EXIT_NOKERNEL, "no /dev/vfio/vfio: the vfio module is not loaded; load it with `modprobe vfio-pci`");
		else if (rc == -EACCES || rc == -EPERM)
			err_set(VP_EXIT_PERM, "cannot open /dev/vfio/vfio: %s; run as root (or give the user access to it)", strerror(-rc));
		else
			err_set(VP_EXIT_NOKERNEL, "cannot open /dev/vfio/vfio: %s", strerror(-rc));
		return rc;
	}
	/*
	 * With IOMMUFD_VFIO_CONTAINER the node is iommufd's: the same ioctls
	 * work, but pins are charged by iommufd's per-mm rule (VmPin, and
	 * VmLck without CAP_IPC_LOCK) and a PFNMAP BAR is refused.
	 */
	if (container_kind_fd(t->container) == CK_COMPAT) {
		t->be.name = "iommufd-compat";
		t->be.counter = CNT_VMPIN;
		t->be.rule = RULE_IOMMUFD_COMPAT;
		t->be.rlimit_mode = BE_RLIMIT_MM;
	}
	rc = backend_ioctl(t->container, VFIO_GET_API_VERSION, NULL);
	if (rc != VFIO_API_VERSION) {
		err_set(VP_EXIT_NOKERNEL, "/dev/vfio/vfio speaks VFIO API %d, not %d; this kernel's VFIO is not supported", rc, VFIO_API_VERSION);
		return -EPROTO;
	}
	/* The extension is there as soon as vfio_iommu_type1 is loaded (or iommufd's compat is). */
	rc = backend_ioctl(t->container, VFIO_CHECK_EXTENSION, (void *)(long)VFIO_TYPE1v2_IOMMU);
	if (rc <= 0) {
		err_set(VP_EXIT_NOKERNEL, "the VFIO container offers no type1v2 IOMMU: load it with `modprobe vfio_iommu_type1`");
		return -EOPNOTSUPP;
	}
	return 0;
}

static int open_group(struct type1 *t, const struct backend_target *tg)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	char path[32], who[512];
	int rc;

	t->group = tg->group;
	snprintf(path, sizeof(path), "/dev/vfio/%d", tg->group);
	t->group_fd = open(path, O_RDWR | O_CLOEXEC);
	if (t->group_fd < 0) {
		rc = -errno;
		if (rc == -EBUSY) {
			group_holders(tg->group, who, sizeof(who));
			err_set(VP_EXIT_DEVICE, "IOMMU group %d is busy: %s (a VMM or another vfio-pinctl map); stop it first",
				tg->group, who[0] ? who : "another process holds it open");
		} else if (rc == -ENOENT) {
			err_set(VP_EXIT_DEVICE, "no %s: no device of IOMMU group %d is bound to vfio-pci; bind %s to vfio-pci",
				path, tg->group, tg->device ? tg->device : "one");
		} else if (rc == -EACCES || rc == -EPERM) {
			err_set(VP_EXIT_PERM, "cannot open %s: %s; run as root or give the user access to the group", path, strerror(-rc));
		} else {
			err_set(VP_EXIT_DEVICE, "cannot open %s: %s", path, strerror(-rc));
		}
		return rc;
	}
	rc = backend_ioctl(t->group_fd, VFIO_GROUP_GET_STATUS, &st);
	if (rc) {
		err_set(VP_EXIT_DEVICE, "VFIO_GROUP_GET_STATUS on %s failed: %s", path, strerror(-rc));
		return rc;
	}
	if (!(st.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		not_viable(tg->group);
		return -EPERM;
	}
	rc = backend_ioctl(t->group_fd, VFIO_GROUP_SET_CONTAINER, &t->container);
	if (rc) {
		err_set(VP_EXIT_DEVICE, "cannot attach IOMMU group %d to the container: %s", tg->group, strerror(-rc));
		return rc;
	}
	rc = backend_ioctl(t->container, VFIO_SET_IOMMU, (void *)(long)VFIO_TYPE1v2_IOMMU);
	if (rc == -EPERM) {
		/* vfio_iommu_type1_attach_group refuses a group without isolated MSI. */
		err_set(VP_EXIT_NOKERNEL, "the IOMMU has no interrupt remapping, so type1 refuses group %d; enable it in firmware (or, unsafe: vfio_iommu_type1 allow_unsafe_interrupts=1)",
			tg->group);
		return rc;
	}
	if (rc) {
		err_set(VP_EXIT_NOKERNEL, "VFIO_SET_IOMMU(type1v2) failed for group %d: %s", tg->group, strerror(-rc));
		return rc;
	}
	return 0;
}

static int get_info(struct type1 *t)
{
	struct vfio_iommu_type1_info probe = { .argsz = sizeof(probe) };
	struct vfio_iommu_type1_info *info;
	int rc;

	rc = backend_ioctl(t->container, VFIO_IOMMU_GET_INFO, &probe);
	if (rc) {
		err_set(VP_EXIT_NOKERNEL, "VFIO_IOMMU_GET_INFO failed: %s", strerror(-rc));
		return rc;
	}
	t->be.info.pgsizes = probe.iova_pgsizes;
	if (!(probe.flags & VFIO_IOMMU_INFO_CAPS) || probe.argsz <= sizeof(probe))
		return 0;
	info = calloc(1, probe.argsz);
	if (!info)
		return -ENOMEM;
	info->argsz = probe.argsz;
	rc = backend_ioctl(t->container, VFIO_IOMMU_GET_INFO, info);
	/* The capability chain (5.4+: IOVA ranges, 5.10+: DMA budget): model/contexts.c. */
	if (!rc)
		vfio_info_parse(info, info->argsz, &t->be.info);
	free(info);
	return 0;
}

/*
 * iommufd's compat GET_INFO reports the whole 64-bit space, reserved regions
 * (the MSI window) included, and its IOAS learns the reserved regions only
 * when the device is attached, which the compat path does at
 * VFIO_GROUP_GET_DEVICE_FD (type1 does it at VFIO_SET_IOMMU).  So after the
 * device is open, the IOAS answers the usable ranges.  Measured on our 6.12
 * iommufd-compat kernel: before, IOMMU_IOAS_IOVA_RANGES says 0-~0 too.
 */
static void compat_ranges(struct type1 *t)
{
	struct iommu_vfio_ioas v = { .size = sizeof(v), .op = IOMMU_VFIO_IOAS_GET };
	struct iommu_iova_range r[BE_MAX_RANGES] = { { 0 } };
	struct iommu_ioas_iova_ranges q = {
		.size = sizeof(q), .num_iovas = BE_MAX_RANGES, .allowed_iovas = (uintptr_t)r,
	};
	struct backend_info *bi = &t->be.info;
	int rc;
	uint32_t i;

	if (backend_ioctl(t->container, IOMMU_VFIO_IOAS, &v))
		return;
	q.ioas_id = v.ioas_id;
	rc = backend_ioctl(t->container, IOMMU_IOAS_IOVA_RANGES, &q);
	if (rc && rc != -EMSGSIZE)
		return;
	for (i = 0; i < q.num_iovas && i < BE_MAX_RANGES; i++) {
		bi->ranges[i].start = r[i].start;
		bi->ranges[i].end = r[i].last;
	}
	bi->nranges = i;
	bi->ranges_known = true;
}

static int open_device(struct type1 *t, const char *bdf)
{
	int fd = ioctl(t->group_fd, VFIO_GROUP_GET_DEVICE_FD, bdf);
	int rc;

	if (fd >= 0) {
		t->be.device_fd = fd;
		return 0;
	}
	rc = -errno;
	if (rc == -EBUSY)
		err_set(VP_EXIT_DEVICE, "device %s is busy: it is already open (a VMM or another vfio-pinctl uses it); stop that first", bdf);
	else
		err_set(VP_EXIT_DEVICE, "cannot get a VFIO device fd for %s from group %d: %s; is it bound to vfio-pci?",
			bdf, t->group, strerror(-rc));
	return rc;
}

static void type1_close(struct backend *b)
{
	struct type1 *t = (struct type1 *)b;

	if (!t)
		return;
	if (t->be.device_fd >= 0)
		close(t->be.device_fd);
	/* Closing the container (last) releases any mapping left: unpinned and unaccounted. */
	if (t->group_fd >= 0)
		close(t->group_fd);
	if (t->container >= 0)
		close(t->container);
	free(t);
}

static int type1_open(const struct backend_target *tg, struct backend **out)
{
	struct type1 *t = calloc(1, sizeof(*t));
	int rc;

	if (!t)
		return -ENOMEM;
	t->be.ops = &backend_type1;
	t->be.name = "type1";
	t->be.counter = CNT_VMLCK;
	t->be.rule = RULE_TYPE1;
	t->be.device_fd = -1;
	t->group_fd = -1;
	rc = open_container(t);
	if (!rc)
		rc = open_group(t, tg);
	if (!rc)
		rc = get_info(t);
	if (!rc && tg->device)
		rc = open_device(t, tg->device);
	if (!rc && t->be.rule == RULE_IOMMUFD_COMPAT)
		compat_ranges(t);
	if (rc) {
		type1_close(&t->be);
		return rc;
	}
	*out = &t->be;
	return 0;
}

static int type1_map(struct backend *b, uint64_t vaddr, uint64_t iova, uint64_t size, unsigned flags)
{
	struct type1 *t = (struct type1 *)b;
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.vaddr = vaddr,
		.iova = iova,
		.size = size,
	};

	if (flags & BE_MAP_READ)
		m.flags |= VFIO_DMA_MAP_FLAG_READ;
	if (flags & BE_MAP_WRITE)
		m.flags |= VFIO_DMA_MAP_FLAG_WRITE;
	return backend_ioctl(t->container, VFIO_IOMMU_MAP_DMA, &m);
}

static int type1_unmap(struct backend *b, uint64_t iova, uint64_t size)
{
	struct type1 *t = (struct type1 *)b;
	struct vfio_iommu_type1_dma_unmap u = {
		.argsz = sizeof(u),
		.iova = iova,
		.size = size,
	};
	int rc = backend_ioctl(t->container, VFIO_IOMMU_UNMAP_DMA, &u);

	if (rc)
		return rc;
	/* type1v2 unmaps whole mappings only; a short answer means ours was not there. */
	return u.size == size ? 0 : -ENOENT;
}

const struct backend_ops backend_type1 = {
	.name = "type1",
	.open = type1_open,
	.map = type1_map,
	.unmap = type1_unmap,
	.bar = backend_device_bar,
	.close = type1_close,
};
