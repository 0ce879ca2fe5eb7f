/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the page scanner (host/scan.c) reports: merged page runs and its own counters. */
#ifndef VP_FACTS_SCAN_H
#define VP_FACTS_SCAN_H

#include <stdbool.h>
#include <stdint.h>

#include "facts/classes.h"

/* A run of pages with consecutive vaddrs and pfns, one class and flag set. */
struct page_run {
	uint64_t vaddr, pfn, npages, flags;
	enum page_class cls;
	bool pfn_visible;
};

typedef int (*run_fn)(void *arg, const struct page_run *run);

struct scan_stats {
	uint64_t pm_entries_read, kpf_entries_read, kpf_reads, huge_blocks;
	uint64_t pm_scan_calls;
	uint64_t short_reads;  /* pagemap EOF inside a vma: mm gone, or above TASK_SIZE */
	bool pfn_hidden;   /* saw present pages without a pfn */
	bool used_pm_scan;
	bool kpf_threads_used;  /* a big set's flags were read by two threads */
};

#endif
