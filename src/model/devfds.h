/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which device a VFIO device fd opens, where the kernel does not say it (pure). */
#ifndef VP_MODEL_DEVFDS_H
#define VP_MODEL_DEVFDS_H

#include <stddef.h>

#include "facts/vfiofds.h"

/*
 * Device fds already named (bdf set: cdev, fdinfo syspath) stay; a device
 * fd from VFIO_GROUP_GET_DEVICE_FD is anon_inode:[vfio-device], and every
 * such fd shares one inode, so a BAR mmap cannot be tied to its fd.  Only
 * when one device fd is left unnamed does a single candidate name it:
 * the one device its process's BAR mmaps match (bar, nbar: the BDFs matched,
 * repeats allowed), else the one device of the groups it holds (grp, ngrp).
 * Others stay unknown.
 */
void devfds_name(struct vfio_fds *f, const char (*bar)[16], size_t nbar,
		 const char (*grp)[16], size_t ngrp);

#endif
