// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Native iommufd (v6.6+ device cdev): /dev/iommu + /dev/vfio/devices/vfioN.
 * An IOAS is the address space; the device is bound to the iommufd and
 * attached to the IOAS, then IOMMU_IOAS_MAP pins user memory.
 *
 * Accounting differs from type1 (drivers/iommu/iommufd/pages.c): every pin is
 * added to mm->pinned_vm (VmPin).  Without CAP_IPC_LOCK it is also charged,
 * in the default per-user mode to the uid's user_struct->locked_vm (no
 * process shows it, and it spans all the uid's processes), in per-mm mode
 * (IOMMU_OPTION_RLIMIT_MODE=1) to mm->locked_vm (VmLck).  With CAP_IPC_LOCK
 * nothing but VmPin moves.  Pages are pinned only for an attached device's
 * domain, so a context without a device pins nothing: we insist on one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "map/backend.h"
#include "lib/error.h"
#include "host/iommufd-uapi.h"
#include "host/pci.h"
#include "host/sysroot.h"
#include "lib/util.h"

struct iommufd {
	struct backend be;     /* first: the generic part */
	int fd;                /* /dev/iommu */
	uint32_t ioas;
	int cdev;              /* N of /dev/vfio/devices/vfioN */
	int group;             /* its IOMMU group, to name who holds /dev/vfio/N */
	char bdf[16];
};

static int open_iommu(struct iommufd *f)
{
	int rc;

	f->fd = open("/dev/iommu", O_RDWR | O_CLOEXEC);
	if (f->fd >= 0)
		return 0;
	rc = -errno;
	if (rc == -ENOENT)
		err_set(VP_EXIT_NOKERNEL, "no /dev/iommu: this kernel is built without CONFIG_IOMMUFD (Debian's 6.1 and 6.12 are); use --backend type1");
	else if (rc == -EACCES || rc == -EPERM)
		err_set(VP_EXIT_PERM, "cannot open /dev/iommu: %s; run as root (or give the user access to it)", strerror(-rc));
	else
		err_set(VP_EXIT_NOKERNEL, "cannot open /dev/iommu: %s", strerror(-rc));
	return rc;
}

static int rlimit_option(int fd, uint16_t op, uint64_t *val)
{
	struct iommu_option o = {
		.size = sizeof(o),
		.option_id = IOMMU_OPTION_RLIMIT_MODE,
		.op = op,
		.val64 = *val,
	};
	int rc = backend_ioctl(fd, IOMMU_OPTION, &o);

	if (!rc)
		*val = o.val64;
	return rc;
}

/* Before the IOAS: the kernel refuses a mode change once the context holds objects. */
static int set_mode(struct iommufd *f, unsigned mode)
{
	uint64_t val = mode == BE_RLIMIT_MM;
	int rc;

	if (mode) {
		rc = rlimit_option(f->fd, IOMMU_OPTION_OP_SET, &val);
		if (rc == -EPERM) {
			err_set(VP_EXIT_PERM, "setting iommufd's rlimit mode to per-%s needs CAP_SYS_RESOURCE (run as root), the default is per-user",
				mode == BE_RLIMIT_MM ? "mm" : "user");
			return rc;
		}
		if (rc == -EBUSY) {
			err_set(VP_EXIT_INTERNAL, "iommufd's rlimit mode must be set before the IOAS exists (EBUSY)");
			return rc;
		}
		if (rc) {
			err_set(VP_EXIT_NOKERNEL, "IOMMU_OPTION(RLIMIT_MODE) failed: %s", strerror(-rc));
			return rc;
		}
	}
	val = 0;
	rc = rlimit_option(f->fd, IOMMU_OPTION_OP_GET, &val);
	if (rc) {
		err_set(VP_EXIT_NOKERNEL, "IOMMU_OPTION(RLIMIT_MODE) GET failed: %s", strerror(-rc));
		return rc;
	}
	f->be.rlimit_mode = val ? BE_RLIMIT_MM : BE_RLIMIT_USER;
	f->be.rule = val ? RULE_IOMMUFD_MM : RULE_IOMMUFD_USER;
	return 0;
}

static int alloc_ioas(struct iommufd *f)
{
	struct iommu_ioas_alloc a = { .size = sizeof(a) };
	int rc = backend_ioctl(f->fd, IOMMU_IOAS_ALLOC, &a);

	if (rc) {
		err_set(VP_EXIT_NOKERNEL, "IOMMU_IOAS_ALLOC failed: %s", strerror(-rc));
		return rc;
	}
	f->ioas = a.out_ioas_id;
	return 0;
}

/* N of /sys/bus/pci/devices/BDF/vfio-dev/vfioN, with the reason when there is none. */
static int find_cdev(struct iommufd *f, const char *bdf)
{
	struct pci_dev_info *d = calloc(1, sizeof(*d));
	int rc;

	if (!d)
		return -ENOMEM;
	rc = pcidev_read(bdf, d);
	if (rc) {
		err_set(VP_EXIT_DEVICE, "no PCI device %s: %s", bdf, strerror(-rc));
	} else if (strcmp(d->driver, "vfio-pci")) {
		err_set(VP_EXIT_DEVICE, "%s is bound to %s, not vfio-pci; bind it to vfio-pci (driverctl set-override %s vfio-pci)",
			bdf, d->driver[0] ? d->driver : "no driver", bdf);
		rc = -ENODEV;
	} else if (d->vfio_cdev < 0) {
		err_set(VP_EXIT_NOKERNEL, "%s has no VFIO device cdev (/dev/vfio/devices/vfioN): the kernel is built without CONFIG_VFIO_DEVICE_CDEV; use --backend type1",
			bdf);
		rc = -ENOENT;
	} else {
		f->cdev = d->vfio_cdev;
	}
	free(d);
	pci_names_release();
	return rc;
}

static int open_cdev(struct iommufd *f)
{
	char path[48];
	int rc;

	snprintf(path, sizeof(path), "/dev/vfio/devices/vfio%d", f->cdev);
	f->be.device_fd = open(path, O_RDWR | O_CLOEXEC);
	if (f->be.device_fd >= 0)
		return 0;
	rc = -errno;
	if (rc == -EACCES || rc == -EPERM)
		err_set(VP_EXIT_PERM, "cannot open %s: %s; run as root or give the user access to it", path, strerror(-rc));
	else if (rc == -ENOENT)
		err_set(VP_EXIT_NOKERNEL, "no %s although sysfs lists vfio%d: is devtmpfs mounted on /dev?", path, f->cdev);
	else
		err_set(VP_EXIT_DEVICE, "cannot open %s (%s): %s", path, f->bdf, strerror(-rc));
	return rc;
}

static void group_holders(const struct iommufd *f, char *buf, size_t size)
{
	char path[1][40];

	snprintf(path[0], sizeof(path[0]), "/dev/vfio/%d", f->group);
	fd_holders((const char (*)[40])path, 1, buf, size);
}

static void cdev_holders(const struct iommufd *f, char *buf, size_t size)
{
	char path[1][40];

	snprintf(path[0], sizeof(path[0]), "/dev/vfio/devices/vfio%d", f->cdev);
	fd_holders((const char (*)[40])path, 1, buf, size);
}

static int bind_attach(struct iommufd *f)
{
	char who[300];
	struct vfio_device_bind_iommufd b = { .argsz = sizeof(b), .iommufd = f->fd };
	struct vfio_device_attach_iommufd_pt a = { .argsz = sizeof(a), .pt_id = f->ioas };
	int rc = backend_ioctl(f->be.device_fd, VFIO_DEVICE_BIND_IOMMUFD, &b);

	if (rc == -EBUSY) {
		/* vfio_device_block_group: someone holds the legacy /dev/vfio/N open. */
		group_holders(f, who, sizeof(who));
		err_set(VP_EXIT_DEVICE, "%s is busy: %s (a VMM or a type1 user of its IOMMU group); stop that first",
			f->bdf, who[0] ? who : "its IOMMU group is open through /dev/vfio");
		return rc;
	}
	if (rc == -EINVAL) {
		/* vfio_df_open: a cdev binds once ("no secure way" to share it); we hold a fresh fd. */
		cdev_holders(f, who, sizeof(who));
		err_set(VP_EXIT_DEVICE, "%s is busy: %s, bound to an iommufd (a VMM or another vfio-pinctl map); stop it first",
			f->bdf, who[0] ? who : "another process holds its cdev");
		return -EBUSY;
	}
	if (rc == -EPERM) {
		/* iommufd_device_bind refuses a group without isolated MSI. */
		err_set(VP_EXIT_NOKERNEL, "iommufd refuses %s: the IOMMU has no interrupt remapping (or, unsafe: iommufd allow_unsafe_interrupts=1)", f->bdf);
		return rc;
	}
	if (rc) {
		err_set(VP_EXIT_DEVICE, "VFIO_DEVICE_BIND_IOMMUFD of %s failed: %s", f->bdf, strerror(-rc));
		return rc;
	}
	rc = backend_ioctl(f->be.device_fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &a);
	if (rc)
		err_set(VP_EXIT_DEVICE, "VFIO_DEVICE_ATTACH_IOMMUFD_PT of %s to IOAS %u failed: %s",
			f->bdf, f->ioas, strerror(-rc));
	return rc;
}

/* The usable IOVA ranges, after attach: the device's reserved regions (MSI) are out. */
static int get_ranges(struct iommufd *f)
{
	struct iommu_iova_range r[BE_MAX_RANGES] = { { 0 } };  /* the kernel fills it */
	struct iommu_ioas_iova_ranges q = {
		.size = sizeof(q),
		.ioas_id = f->ioas,
		.num_iovas = BE_MAX_RANGES,
		.allowed_iovas = (uintptr_t)r,
	};
	struct backend_info *bi = &f->be.info;
	uint32_t i;
	int rc = backend_ioctl(f->fd, IOMMU_IOAS_IOVA_RANGES, &q);

	/* EMSGSIZE: more ranges than we keep; the first BE_MAX_RANGES are filled. */
	if (rc && rc != -EMSGSIZE) {
		err_set(VP_EXIT_NOKERNEL, "IOMMU_IOAS_IOVA_RANGES failed: %s", strerror(-rc));
		return rc;
	}
	for (i = 0; i < q.num_iovas && i < BE_MAX_RANGES; i++) {
		bi->ranges[i].start = r[i].start;
		bi->ranges[i].end = r[i].last;
	}
	bi->nranges = i;
	bi->ranges_known = true;
	/* Like the compat container's GET_INFO: every size the alignment allows. */
	bi->pgsizes = q.out_iova_alignment ? ~(q.out_iova_alignment - 1) : ~(PAGE_4K - 1);
	/* iommufd has no dma_entry_limit. */
	bi->has_dma_avail = false;
	return 0;
}

static void iommufd_close(struct backend *b)
{
	struct iommufd *f = (struct iommufd *)b;

	if (!f)
		return;
	/* The device first (unbinds and detaches), then the context: unpins what is left. */
	if (f->be.device_fd >= 0)
		close(f->be.device_fd);
	if (f->fd >= 0)
		close(f->fd);
	free(f);
}

static int iommufd_open(const struct backend_target *tg, struct backend **out)
{
	struct iommufd *f;
	int rc;

	if (!tg->device) {
		err_set(VP_EXIT_USAGE, "iommufd pins memory only for an attached device: name one");
		return -EINVAL;
	}
	if (tg->rlimit_mode > BE_RLIMIT_MM) {
		err_set(VP_EXIT_INTERNAL, "unknown iommufd rlimit mode %u", tg->rlimit_mode);
		return -EINVAL;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->be.ops = &backend_iommufd;
	f->be.name = "iommufd";
	/* Every mode adds every pin to mm->pinned_vm (iopt_pages_update_pinned). */
	f->be.counter = CNT_VMPIN;
	f->be.rule = RULE_IOMMUFD_USER;
	f->be.device_fd = -1;
	f->fd = -1;
	f->cdev = -1;
	f->group = tg->group;
	str_copy(f->bdf, sizeof(f->bdf), tg->device);
	/* No /dev/iommu is the deeper cause when the cdev is missing too. */
	rc = open_iommu(f);
	if (!rc)
		rc = find_cdev(f, tg->device);
	if (!rc)
		rc = set_mode(f, tg->rlimit_mode);
	if (!rc)
		rc = alloc_ioas(f);
	if (!rc)
		rc = open_cdev(f);
	if (!rc)
		rc = bind_attach(f);
	if (!rc)
		rc = get_ranges(f);
	if (rc) {
		iommufd_close(&f->be);
		return rc;
	}
	*out = &f->be;
	return 0;
}

static int iommufd_map(struct backend *b, uint64_t vaddr, uint64_t iova, uint64_t size, unsigned flags)
{
	struct iommufd *f = (struct iommufd *)b;
	struct iommu_ioas_map m = {
		.size = sizeof(m),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA,
		.ioas_id = f->ioas,
		.user_va = vaddr,
		.length = size,
		.iova = iova,
	};

	if (flags & BE_MAP_READ)
		m.flags |= IOMMU_IOAS_MAP_READABLE;
	if (flags & BE_MAP_WRITE)
		m.flags |= IOMMU_IOAS_MAP_WRITEABLE;
	return backend_ioctl(f->fd, IOMMU_IOAS_MAP, &m);
}

static int iommufd_unmap(struct backend *b, uint64_t iova, uint64_t size)
{
	struct iommufd *f = (struct iommufd *)b;
	struct iommu_ioas_unmap u = {
		.size = sizeof(u),
		.ioas_id = f->ioas,
		.iova = iova,
		.length = size,
	};
	int rc = backend_ioctl(f->fd, IOMMU_IOAS_UNMAP, &u);

	if (rc)
		return rc;
	/* Like type1v2: only whole areas go; anything short means ours was not there. */
	return u.length == size ? 0 : -ENOENT;
}

const struct backend_ops backend_iommufd = {
	.name = "iommufd",
	.open = iommufd_open,
	.map = iommufd_map,
	.unmap = iommufd_unmap,
	.bar = backend_device_bar,
	.close = iommufd_close,
};
