/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One walk of /proc/[pid]/fd for the VFIO and iommufd fds of every process (facts/holders.h). */
#ifndef VP_HOST_HOLDERS_H
#define VP_HOST_HOLDERS_H

#include <stdbool.h>

#include "facts/holders.h"

/*
 * Every process but this one, through the sysroot seam (a capture records
 * the fd links it read).  with_vmm: also parse the command line of each
 * process that holds a group or cdev.  0 or -errno (-ENOMEM; /proc unreadable).
 */
int holders_scan(struct holders *out, bool with_vmm);
void holders_free(struct holders *h);

#endif
