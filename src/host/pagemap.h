/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/PID/pagemap: one u64 per virtual 4K page (Documentation/admin-guide/mm/pagemap.rst),
 * and the PAGEMAP_SCAN ioctl (6.7+) that returns only populated ranges.
 */
#ifndef VP_PAGEMAP_H
#define VP_PAGEMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/pagemap.h"

struct pagemap_reader {
	int fd;
	int scan;  /* PAGEMAP_SCAN: 1 works, 0 not tried, -1 unavailable or disabled */
};

int pm_open(struct pagemap_reader *r, const char *pid);
void pm_close(struct pagemap_reader *r);
/*
 * Read entries for n pages from vaddr.  Returns the count read; a short count
 * means the process's mm is gone (the kernel answers EOF then).
 */
long pm_read(struct pagemap_reader *r, uint64_t vaddr, size_t n, uint64_t *out);
/*
 * Regions of [start, end) that are present or swapped, with categories
 * PRESENT|SWAPPED|HUGE.  Returns the number of regions and sets *walk_end, or
 * -EOPNOTSUPP when the kernel (or a captured file) has no PAGEMAP_SCAN.
 */
long pm_scan(struct pagemap_reader *r, uint64_t start, uint64_t end,
	     struct pm_region *vec, size_t vec_len, uint64_t *walk_end);

#endif
