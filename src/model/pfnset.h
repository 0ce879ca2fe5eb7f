/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A set of pfns: bitmaps of one bit per physical page, allocated 1 GiB of
 * physical memory at a time and kept sorted plus a small table of pfns added more
 * than once (the zero page, KSM).  Lets the scanner read kpageflags in
 * physical order when a process's pages are scattered in physical memory.
 */
#ifndef VP_PFNSET_H
#define VP_PFNSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PFNSET_CHUNK_SHIFT 18            /* 2^18 pfns = 1 GiB of 4K pages */
#define PFNSET_CHUNK_WORDS ((1UL << PFNSET_CHUNK_SHIFT) / 64)
#define PFNSET_DUPS 4096                 /* distinct pfns seen more than once */

struct pfnset_dup {
	uint64_t pfn;    /* PFNSET_EMPTY when free */
	uint64_t extra;  /* times seen beyond the first */
};
#define PFNSET_EMPTY UINT64_MAX

struct pfnset_chunk {
	uint64_t idx;     /* pfn >> PFNSET_CHUNK_SHIFT */
	uint64_t *bits;
	/*
	 * Words [lo, hi) hold every set bit: a walk or a clear touches only
	 * those, so a process of many tiny vmas (one flush each) does not pay
	 * for 1 GiB of bitmap per vma.
	 */
	uint32_t lo, hi;
};

struct pfnset {
	struct pfnset_chunk *chunks;   /* sorted by idx: pfns can be anywhere in 2^55 */
	size_t nchunks, cap;
	size_t last;                   /* the chunk used last: pages come in runs */
	size_t count;                         /* distinct pfns */
	struct pfnset_dup dups[PFNSET_DUPS];
	size_t ndups;
};

void pfnset_init(struct pfnset *s);
void pfnset_free(struct pfnset *s);
/* Empty the set but keep its bitmaps for the next use (cost: the words used). */
void pfnset_clear(struct pfnset *s);
/* 0; -ENOMEM; -ENOSPC when the table of repeated pfns is full. */
int pfnset_add(struct pfnset *s, uint64_t pfn);
bool pfnset_has(const struct pfnset *s, uint64_t pfn);
/*
 * The next window of set pfns at or after *pfn, whose gaps are at most gap
 * and whose span is less than max: its first and last pfn, and in offs[]
 * (room for max) each set pfn's offset from first.  Returns how many (0: no
 * more) and moves *pfn past the window.
 */
size_t pfnset_next_window(const struct pfnset *s, uint64_t *pfn, uint64_t gap, uint64_t max,
			  uint64_t *first, uint64_t *last, uint32_t *offs);
/* The same, for set pfns below end only (two readers splitting the set at end). */
size_t pfnset_next_window_to(const struct pfnset *s, uint64_t *pfn, uint64_t end, uint64_t gap,
			     uint64_t max, uint64_t *first, uint64_t *last, uint32_t *offs);
/*
 * A pfn that splits the set into two halves of about equal count (every set
 * pfn below it in the first half), for a second reader; 0 when empty.
 */
uint64_t pfnset_median(const struct pfnset *s);

#endif
