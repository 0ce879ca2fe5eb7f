/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The filesystems of a process's mount namespace that have fs-dax on
 * (/proc/PID/mountinfo): a file mapped from one of them is ZONE_DEVICE
 * memory, which kpageflags shows as KPF_NOPAGE although it has a struct page.
 */
#ifndef VP_MOUNTS_H
#define VP_MOUNTS_H

#include <stdbool.h>

#define DAX_MOUNTS_MAX 32

struct dax_mounts {
	unsigned n;
	struct { unsigned major, minor; } dev[DAX_MOUNTS_MAX];
};

/*
 * 1 if the mountinfo line is a mount with fs-dax on (fills major:minor),
 * 0 if not, -EINVAL if the line does not parse.  Pure (unit-tested).
 */
int mountinfo_line_dax(const char *line, unsigned *major, unsigned *minor);
/* 0 (also when the file is missing: no dax mount known), or -errno. */
int dax_mounts_read(const char *pid, struct dax_mounts *out);
bool dax_mounts_has(const struct dax_mounts *m, unsigned major, unsigned minor);

#endif
