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
	PC_NR,
};

struct class_bytes {
	uint64_t bytes[PC_NR];
	uint64_t pfnmap;   /* VM_PFNMAP/VM_IO: holes in pagemap, counted by vma size */
	uint64_t mapped;   /* vma sizes */
	uint64_t swapped;  /* not present: swapped out or migrating */
	uint64_t unscanned; /* not read page by page (see inspect: huge empty reservations, < 6.7) */
};

/* What one lookup of a present page told us. */
struct page_obs {
	bool pfn_visible;  /* pagemap gave a non-zero pfn */
	bool flags_known;  /* kpageflags could be read at all */
	bool has_entry;    /* kpageflags had an entry (false: read hit EOF) */
	uint64_t flags;
};

#endif
