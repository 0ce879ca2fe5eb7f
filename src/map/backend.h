/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A DMA-mapping backend: one file per kernel interface (type1 container,
 * iommufd), all behind this small interface so `map` never knows which one it
 * drives.  A backend says which counter the kernel charges and by which rule,
 * so predict.c can tell what a map will cost before it is issued.
 */
#ifndef VP_BACKEND_H
#define VP_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/backends.h"
#include "facts/dma.h"

struct backend_target {
	const char *device;   /* BDF, or NULL: no device fd (no BARs) */
	int group;            /* the device's IOMMU group */
	unsigned rlimit_mode; /* iommufd: 0 keep the kernel's default (per-user), BE_RLIMIT_USER or _MM */
};

struct backend;

struct backend_ops {
	const char *name;                 /* "type1", "iommufd" */
	/* 0 or -errno with err_set() done: the message names cause and fix. */
	int (*open)(const struct backend_target *t, struct backend **out);
	/* Returns 0 or the kernel's -errno; never sets the error line (map decides). */
	int (*map)(struct backend *b, uint64_t vaddr, uint64_t iova, uint64_t size, unsigned flags);
	int (*unmap)(struct backend *b, uint64_t iova, uint64_t size);
	/* BAR index (0-5): 0, -ENOENT (no such region) or -errno. */
	int (*bar)(struct backend *b, int index, struct backend_bar *out);
	void (*close)(struct backend *b);
};

/* The common part every backend's context starts with. */
struct backend {
	const struct backend_ops *ops;
	/*
	 * What open found, which the ops alone cannot say: the type1 ops on
	 * iommufd's compat /dev/vfio/vfio are "iommufd-compat" and charge by
	 * iommufd's rule.  counter is the one every map moves (VmLck for type1,
	 * VmPin for iommufd); rule names which others move too.
	 */
	const char *name;     /* "type1", "iommufd", "iommufd-compat" */
	enum charge_counter counter;
	enum charge_rule rule;
	struct backend_info info;
	int device_fd;        /* -1 without a device */
	/*
	 * iommufd's accounting mode in effect once open (BE_RLIMIT_USER or _MM; the
	 * compat container is always _MM), 0 for type1.  Per-user: VmPin, plus the uid's hidden locked_vm without CAP_IPC_LOCK;
	 * per-mm (and the compat /dev/vfio/vfio): VmPin, plus VmLck without it.
	 */
	unsigned rlimit_mode;
};

/* "type1", "iommufd" -> ops; NULL with err_set() for an unknown one ("auto" needs backend_choose). */
const struct backend_ops *backend_find(const char *name);

/* What /dev/vfio/vfio is on this kernel: container_kind() in host/vfio-nodes.h. */
const char *container_kind_text(enum container_kind k);


/*
 * "pid 76 (qemu) holds /dev/vfio/3 open, ..." for every other process with
 * one of paths open (a busy group or cdev names who to stop).  Live only.
 */
void fd_holders(const char (*paths)[40], size_t n, char *buf, size_t size);

struct backend_choice {
	const struct backend_ops *ops;
	char reason[256];     /* why this one, for the report */
};
/*
 * --backend NAME for device bdf: "type1", "iommufd", or "auto" (the type1
 * container where vfio_iommu_type1 serves /dev/vfio/vfio, else native
 * iommufd where /dev/iommu and the device's cdev exist, else iommufd's
 * compat container, else type1, whose open then says what is missing).
 * native: an iommufd-only option was given, so auto means iommufd.
 * 0, or -EINVAL with err_set(USAGE) for an unknown name.
 */
int backend_choose(const char *name, const char *bdf, bool native, struct backend_choice *out);

extern const struct backend_ops backend_type1;

/* ioctl() returning 0/positive or -errno. */
int backend_ioctl(int fd, unsigned long req, void *arg);
/*
 * A BAR's region info from the device fd (a group's device fd or a bound
 * cdev answer alike): 0, -ENOENT (no such region, or no device) or -errno.
 */
int backend_device_bar(struct backend *b, int index, struct backend_bar *out);

/*
 * Pick an IOVA for size bytes at or after *cursor inside the usable ranges,
 * aligned to align (a power of two).  Pure, for unit tests.  0 or -ENOSPC.
 */
int iova_pick(const struct backend_info *info, uint64_t *cursor, uint64_t size,
	      uint64_t align, uint64_t *iova);
/* Is [iova, iova + size) inside one usable range?  (EINVAL from MAP_DMA when not.) */
bool iova_usable(const struct backend_info *info, uint64_t iova, uint64_t size);

/* backend_target.rlimit_mode: IOMMU_OPTION_RLIMIT_MODE, set before the IOAS (needs CAP_SYS_RESOURCE). */
#define BE_RLIMIT_USER 1
#define BE_RLIMIT_MM   2

extern const struct backend_ops backend_iommufd;

#endif
