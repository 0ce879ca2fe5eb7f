/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Page classes: every present page falls in exactly one, first match wins.
 * The order mirrors what decides VFIO's charge: a pfn we cannot see is
 * unknown (never "invalid"), a pfn without struct page or with PG_reserved is
 * never pinned or charged by type1 (is_invalid_reserved_pfn()).
 * model/classify.c decides them; host/scan.c counts them.
 */
#ifndef VP_FACTS_CLASSES_H
#define VP_FACTS_CLASSES_H

#include <stdbool.h>
#include <stdint.h>

enum page_class {
	PC_UNKNOWN,   /* pfn hidden (reader lacks CAP_SYS_ADMIN) or flags unreadable */
	PC_INVALID,   /* no struct page: kpageflags EOF, KPF_NOPAGE, or no flags at all */
	PC_ZERO,      /* the shared zero page */
	PC_RESERVED,  /* PG_reserved */
	PC_HUGETLB,
	PC_THP,
	PC_ANON,
	PC_FILE,      /* the rest: page cache, shmem, shared anon */
	/*
	 * ZONE_DEVICE memory (device-dax, fs-dax): it has a struct page with
	 * PG_reserved, but kpageflags shows it as KPF_NOPAGE or EOF
	 * (pfn_to_online_page() is NULL for it, fs/proc/page.c).  Only the vma
	 * tells it from PC_INVALID: a /dev/daxN.M mapping or a file on a dax
	 * mount (class_mark_device()).  type1: reserved, never charged and never
	 * unpinned.  Appended last: the JSON and column order of the older
	 * classes stays.
	 */
	PC_DEVICE,
	PC_NR,
};

struct class_bytes {
	uint64_t bytes[PC_NR];
	uint64_t pfnmap;   /* VM_PFNMAP/VM_IO: holes in pagemap, counted by vma size */
	uint64_t mapped;   /* vma sizes */
	uint64_t swapped;  /* not present: swapped out or migrating */
	uint64_t unscanned; /* not read page by page (see inspect: huge empty reservations, < 6.7) */
	/*
	 * Of bytes[PC_ZERO], those of the huge zero folio (KPF_THP with
	 * KPF_ZERO_PAGE): unlike the 4K zero page it is not PG_reserved, so
	 * type1 charges it where it keeps it (< 6.2).  Measured: 6.1.
	 */
	uint64_t huge_zero;
};

/* What one lookup of a present page told us. */
struct page_obs {
	bool pfn_visible;  /* pagemap gave a non-zero pfn */
	bool flags_known;  /* kpageflags could be read at all */
	bool has_entry;    /* kpageflags had an entry (false: read hit EOF) */
	uint64_t flags;
};

#endif
