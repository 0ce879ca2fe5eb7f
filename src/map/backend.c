// SPDX-License-Identifier: GPL-2.0-or-later
/* The table of DMA-mapping backends, and the IOVA allocator they share. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "host/pci.h"
#include "host/vfio-nodes.h"
#include "host/holders.h"
#include "map/backend.h"
#include "model/group-holders.h"
#include "lib/error.h"
#include "lib/util.h"
#include "host/iommufd-uapi.h"
#include "host/sysroot.h"

/* A backend adds one line here and its own backend-NAME.c. */
static const struct {
	const char *name;
	const struct backend_ops *ops;
} backends[] = {
	{ "type1", &backend_type1 },
	{ "iommufd", &backend_iommufd },
};

const struct backend_ops *backend_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (!strcmp(backends[i].name, name))
			return backends[i].ops;
	err_set(VP_EXIT_USAGE, "unknown backend '%s'; choose auto, type1 or iommufd", name);
	return NULL;
}

const char *container_kind_text(enum container_kind k)
{
	switch (k) {
	case CK_TYPE1: return "vfio_iommu_type1 serves /dev/vfio/vfio";
	case CK_BARE: return "/dev/vfio/vfio has no type1 driver (vfio_iommu_type1 not loaded)";
	case CK_COMPAT: return "/dev/vfio/vfio is iommufd's compat container";
	case CK_NONE: break;
	}
	return "no /dev/vfio/vfio";
}

static bool native_offered(const char *bdf, char *why, size_t size)
{
	int n;

	if (access("/dev/iommu", F_OK)) {
		snprintf(why, size, "no /dev/iommu");
		return false;
	}
	n = pci_vfio_cdev(bdf);   /* host/pci.c: the one cdev finder */
	if (n < 0) {
		snprintf(why, size, "%s has no device cdev", bdf);
		return false;
	}
	snprintf(why, size, "/dev/iommu and %s's cdev vfio%d are there", bdf, n);
	return true;
}

/* auto: what the host offers, in the order a VMM that knows both would pick. */
static void choose_auto(const char *bdf, struct backend_choice *out)
{
	enum container_kind k = CK_NONE;
	char native[160];
	int rc = container_kind(&k);

	if (!rc && k == CK_TYPE1) {
		out->ops = &backend_type1;
		snprintf(out->reason, sizeof(out->reason), "auto: %s", container_kind_text(k));
		return;
	}
	if (native_offered(bdf, native, sizeof(native))) {
		out->ops = &backend_iommufd;
		snprintf(out->reason, sizeof(out->reason), "auto: no type1 container (%s); %s",
			 rc ? strerror(-rc) : container_kind_text(k), native);
		return;
	}
	out->ops = &backend_type1;
	if (!rc && k == CK_COMPAT)
		snprintf(out->reason, sizeof(out->reason), "auto: no type1 container and no native iommufd (%s): %s",
			 native, container_kind_text(k));
	else
		snprintf(out->reason, sizeof(out->reason), "auto: no native iommufd (%s); type1 is what is left (%s)",
			 native, rc ? strerror(-rc) : container_kind_text(k));
}

int backend_choose(const char *name, const char *bdf, bool native, struct backend_choice *out)
{
	memset(out, 0, sizeof(*out));
	if (!strcmp(name, "auto") && native) {
		out->ops = &backend_iommufd;
		snprintf(out->reason, sizeof(out->reason), "auto: --rlimit-mode applies to native iommufd only");
		return 0;
	}
	if (!strcmp(name, "auto")) {
		choose_auto(bdf, out);
		return 0;
	}
	out->ops = backend_find(name);
	if (!out->ops)
		return -EINVAL;
	snprintf(out->reason, sizeof(out->reason), "--backend %s", name);
	return 0;
}

/* The processes holding any of paths open: host/holders.c's one walk of /proc, each process once. */
void fd_holders(const char (*paths)[40], size_t n, char *buf, size_t size)
{
	size_t i, j, used = 0, last = (size_t)-1;
	struct holders h;
	char path[64];

	buf[0] = '\0';
	if (holders_scan(&h, false))
		return;
	for (i = 0; i < h.n && used + 1 < size; i++) {
		const struct holder_proc *p = &h.procs[h.v[i].proc];

		if (h.v[i].proc == last)
			continue;
		holder_path(&h.v[i], path, sizeof(path));
		for (j = 0; j < n && strcmp(path, paths[j]); j++)
			;
		if (j == n)
			continue;
		last = h.v[i].proc;
		used += (size_t)snprintf(buf + used, size - used, "%spid %d (%s) holds %s open",
					 used ? ", " : "", p->pid, p->comm, paths[j]);
	}
	holders_free(&h);
}

/*
 * Without the IOVA range capability (kernels before 5.4) assume a 39-bit
 * IOMMU (the smallest common VT-d width) minus the x86 MSI window, which
 * every x86 IOMMU reserves.
 */
static const struct iova_range fallback[] = {
	{ 0, 0xfedfffffULL },
	{ 0xfef00000ULL, (1ULL << 39) - 1 },
};

static int pick_in(const struct iova_range *r, size_t n, uint64_t *cursor, uint64_t size,
		   uint64_t align, uint64_t *iova)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t start = r[i].start > *cursor ? r[i].start : *cursor;

		if (start > r[i].end)
			continue;
		start = (start + align - 1) & ~(align - 1);
		if (start < *cursor || start > r[i].end || r[i].end - start < size - 1)
			continue;
		*iova = start;
		*cursor = start + size;
		return 0;
	}
	return -ENOSPC;
}

int iova_pick(const struct backend_info *info, uint64_t *cursor, uint64_t size,
	      uint64_t align, uint64_t *iova)
{
	if (!size || !align || (align & (align - 1)))
		return -EINVAL;
	if (info->ranges_known)
		return pick_in(info->ranges, info->nranges, cursor, size, align, iova);
	return pick_in(fallback, sizeof(fallback) / sizeof(fallback[0]), cursor, size, align, iova);
}

bool iova_usable(const struct backend_info *info, uint64_t iova, uint64_t size)
{
	const struct iova_range *r = info->ranges_known ? info->ranges : fallback;
	size_t i, n = info->ranges_known ? info->nranges : sizeof(fallback) / sizeof(fallback[0]);

	if (!size || iova + size - 1 < iova)
		return false;
	for (i = 0; i < n; i++)
		if (iova >= r[i].start && iova + size - 1 <= r[i].end)
			return true;
	return false;
}

int backend_ioctl(int fd, unsigned long req, void *arg)
{
	int rc = ioctl(fd, req, arg);

	return rc < 0 ? -errno : rc;
}

int backend_device_bar(struct backend *b, int index, struct backend_bar *out)
{
	struct vfio_region_info ri = { .argsz = sizeof(ri), .index = VFIO_PCI_BAR0_REGION_INDEX + index };
	int rc;

	if (b->device_fd < 0 || index < 0 || index > VFIO_PCI_BAR5_REGION_INDEX)
		return -ENOENT;
	rc = backend_ioctl(b->device_fd, VFIO_DEVICE_GET_REGION_INFO, &ri);
	if (rc)
		return rc;
	if (!ri.size)
		return -ENOENT;
	out->index = index;
	out->size = ri.size;
	out->offset = ri.offset;
	out->mmap = ri.flags & VFIO_REGION_INFO_FLAG_MMAP;
	return 0;
}
