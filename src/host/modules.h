/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel modules: their state (one libkmod context), parameters, modprobe.d options. */
#ifndef VP_HOST_MODULES_H
#define VP_HOST_MODULES_H

#include <stddef.h>

#include "facts/modules.h"

/*
 * The state of each module (m[i]->name set by the caller).  Live, libkmod
 * answers loaded / built in / available; libkmod reads the live /sys/module,
 * so under --sysroot /sys/module of the tree decides and libkmod only looks
 * up the tree's /lib/modules/RELEASE (if captured).
 */
void modules_read(struct mod_info *const *m, size_t n, const char *release);
/* vfio_iommu_type1's and vfio's parameters, and the vfio-pci ids= of modprobe.d. */
void module_params_read(struct module_params *p);

#endif
