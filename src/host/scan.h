/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The page scanner: classifies every present page of a virtual range from
 * pagemap + kpageflags, in fixed-size batches so memory stays bounded.
 */
#ifndef VP_SCAN_H
#define VP_SCAN_H

#include <stdbool.h>
#include <stdint.h>

#include "facts/scan.h"
#include "model/classify.h"
#include "host/kpageflags.h"
#include "host/pagemap.h"
#include "model/pfnset.h"
#include "host/smaps.h"

struct scan_opts {
	bool exact;        /* read every page's flags, even inside huge blocks */
	bool no_pm_scan;   /* never use PAGEMAP_SCAN (tests the fallback path) */
	bool one_thread;   /* never read kpageflags from a second thread */
	run_fn on_run;     /* --pages: called with merged runs in virtual order */
	void *run_arg;
	/*
	 * Progress: called with the bytes of each finished 1 GiB-aligned piece
	 * of a range.  NULL (the default): ranges are scanned whole, no cost.
	 */
	void (*on_progress)(void *arg, uint64_t bytes);
	void *progress_arg;
};

struct scan_ctx {
	struct scan_opts opts;
	struct pagemap_reader pm;
	struct kpf_reader kpf;
	struct scan_stats stats;
	uint64_t *pme, *keys, *tmp, *flags, *kbuf;
	uint8_t *has;
	struct pfnset *set;  /* counting mode (no --pages): pfns read in physical order */
	uint32_t *offs;      /* a window's set pfns, as offsets */
	uint64_t *kbuf2;     /* the second reader's buffers, allocated on first use */
	uint32_t *offs2;
	struct page_run pending;
	bool have_pending;
};

/* Opens pagemap of pid and /proc/kpageflags (failure to read the latter just means "unknown"). */
int scan_open(struct scan_ctx *c, const char *pid, const struct scan_opts *opts);
void scan_close(struct scan_ctx *c);
/* Adds the classes of [start, end) to out; -ESRCH when the process went away. */
int scan_range(struct scan_ctx *c, uint64_t start, uint64_t end, struct class_bytes *out);
/* A whole vma: pfnmap vmas are counted by size, never read. */
int scan_vma(struct scan_ctx *c, const struct vma *v, struct class_bytes *out);
/* Flush the pending --pages run. */
int scan_flush(struct scan_ctx *c);

/* Exposed for unit tests. */
void radix_sort_u64(uint64_t *a, uint64_t *tmp, size_t n);

#endif
