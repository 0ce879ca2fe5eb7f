/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel: its release, its command line, module parameters (through the sysroot seam). */
#ifndef VP_HOST_KERNEL_H
#define VP_HOST_KERNEL_H

#include <stdbool.h>
#include <stddef.h>

#include "facts/kver.h"

/* The running (or captured) kernel's release, via /proc/sys/kernel/osrelease. */
int kver_read(struct kver *kv, char *release, size_t size);
/* /proc/cmdline; "" when unreadable. */
void kernel_cmdline(char *buf, size_t size);
/* /sys/module/MOD/parameters/PARAM as text; 0 or -errno. */
int module_param(const char *mod, const char *param, char *val, size_t size);
/* A bool parameter ("Y"/"N"/"1"/"0"): 1, 0, or -errno when unreadable. */
int module_param_bool(const char *mod, const char *param);
/* Reading the live system (no --sysroot): what only the live kernel can answer (--probe). */
bool host_is_live(void);

/* Under --sysroot: does the tree look captured (has sys/)?  0, or -ENOENT with err_set(exit_code). */
int host_tree_check(int exit_code);

#endif
