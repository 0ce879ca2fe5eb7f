/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The bytes a VMM's configuration parsers (model/vmm.h) read: a live or captured
 * /proc/PID/cmdline, or a file the user names (--qemu-cmdline, --domain-xml). */
#ifndef VP_HOST_VMM_READ_H
#define VP_HOST_VMM_READ_H

#include <stddef.h>
#include <sys/types.h>

#include "facts/roles.h"

/* /proc/PID/cmdline through the sysroot seam; malloc()ed, NUL-terminated, *len bytes. */
int vmm_read_cmdline(pid_t pid, char **buf, size_t *len);
/* A regular file, or "-" for stdin (a pipe too); at most 64 MiB.  -EFBIG beyond,
 * -EINVAL for a directory or device. */
int vmm_read_file(const char *path, char **buf, size_t *len);

struct vmm_config;
struct vmm_firmware;
/* Sizes of the ROM files of fw (vmm_firmware_paths) and of c's romfile=s, through the
 * sysroot seam; a relative name is looked up in QEMU's data directory. */
void vmm_firmware_read(const struct vmm_config *c, struct vmm_firmware *fw);

/*
 * What inspect needs to tell a VMM's vmas apart: its /proc/PID/cmdline parsed
 * (a process that is no VMM leaves have false and why set: not an error), the
 * sizes of the firmware files it loads, and the guard-page vmas of its maps.
 * 0, or -errno for a read that failed (the caller decides what it means).
 */
int vmm_view_read(const char *pid, struct vmm_view *vw);
void vmm_view_free(struct vmm_view *vw);

#endif
