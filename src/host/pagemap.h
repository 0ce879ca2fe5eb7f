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

#define PM_PFN_MASK   ((1ULL << 55) - 1)  /* 0 for readers without CAP_SYS_ADMIN (4.2+) */
#define PM_SOFT_DIRTY (1ULL << 55)
#define PM_EXCLUSIVE  (1ULL << 56)
#define PM_UFFD_WP    (1ULL << 57)
#define PM_GUARD      (1ULL << 58)
#define PM_FILE       (1ULL << 61)
#define PM_SWAP       (1ULL << 62)
#define PM_PRESENT    (1ULL << 63)

static inline bool pme_present(uint64_t e) { return e & PM_PRESENT; }
static inline bool pme_swapped(uint64_t e) { return !(e & PM_PRESENT) && (e & PM_SWAP); }
static inline uint64_t pme_pfn(uint64_t e) { return (e & PM_PRESENT) ? (e & PM_PFN_MASK) : 0; }

/* PAGEMAP_SCAN categories (include/uapi/linux/fs.h, 6.7+). */
#define PAGE_IS_WPALLOWED (1ULL << 0)
#define PAGE_IS_WRITTEN   (1ULL << 1)
#define PAGE_IS_FILE      (1ULL << 2)
#define PAGE_IS_PRESENT   (1ULL << 3)
#define PAGE_IS_SWAPPED   (1ULL << 4)
#define PAGE_IS_PFNZERO   (1ULL << 5)
#define PAGE_IS_HUGE      (1ULL << 6)

struct pm_region {
	uint64_t start, end, categories;
};

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
