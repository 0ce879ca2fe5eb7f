/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Who holds VFIO open: every process's fds on a group (/dev/vfio/N), a device
 * cdev (/dev/vfio/devices/vfioX), a container (/dev/vfio/vfio) or an iommufd
 * (/dev/iommu), from one walk of /proc/[pid]/fd (host/holders.c), and the
 * configuration of each holder that is a VMM.  groups renders them; map names
 * them when a group or device is busy; model/groups.c judges the one-address-
 * space rule over them.
 */
#ifndef VP_FACTS_HOLDERS_H
#define VP_FACTS_HOLDERS_H

#include <stddef.h>

#include "facts/vfiofds.h"
#include "facts/vmm.h"

struct holder_proc {
	int pid;
	char comm[32];
	struct vmm_config *vmm;    /* its command line parsed, NULL when it is no VMM we read */
};

struct holder {
	size_t proc;               /* index in holders.procs */
	struct vfio_fd f;          /* fd number, kind, group or cdev */
	char bdf[16];              /* VFD_CDEV: the device behind the cdev (sysfs), else "" */
};

struct holders {
	struct holder *v;
	size_t n;
	struct holder_proc *procs;
	size_t nprocs;
	size_t unreadable;         /* processes whose fds could not be read (not root) */
};

#endif
