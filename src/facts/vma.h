/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One vma as /proc/PID/maps + smaps describe it (filled by host/smaps.c, host/vmawalk.c). */
#ifndef VP_FACTS_VMA_H
#define VP_FACTS_VMA_H

#include <stdbool.h>
#include <stdint.h>

struct vma {
	uint64_t start, end;
	uint64_t offset;          /* maps offset column (pgoff << PAGE_SHIFT) */
	char perms[5];
	unsigned dev_major, dev_minor;
	uint64_t inode;
	char path[512];
	char vmflags[160];        /* "rd wr mr mw me ac sd" */
	uint64_t rss_kb, locked_kb, anon_huge_kb, swap_kb, kernel_page_kb, mmu_page_kb;
	bool has_vmflags;
};

#endif
