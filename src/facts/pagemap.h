/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/PID/pagemap entries: one u64 per virtual 4K page
 * (Documentation/admin-guide/mm/pagemap.rst), and the PAGEMAP_SCAN (6.7+)
 * categories of a populated range.  The readers are in host/pagemap.c.
 */
#ifndef VP_FACTS_PAGEMAP_H
#define VP_FACTS_PAGEMAP_H

#include <stdbool.h>
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

#endif
