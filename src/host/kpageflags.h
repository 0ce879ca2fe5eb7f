/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/kpageflags: one u64 of flags per physical page frame (root only).
 * Bit numbers are the kernel's uapi (include/uapi/linux/kernel-page-flags.h)
 * plus the "kernel hacking" bits from fs/proc/page.c.
 */
#ifndef VP_KPAGEFLAGS_H
#define VP_KPAGEFLAGS_H

#include <stdint.h>
#include <stddef.h>

#include "facts/kpageflags.h"

#include "model/kpf.h"

struct kpf_reader {
	int fd;          /* -1 when unreadable */
	int err;         /* why it could not be opened (negative errno) or 0 */
	uint64_t *buf;   /* window buffer */
	size_t buf_len;  /* entries */
};

int kpf_open(struct kpf_reader *r);
void kpf_close(struct kpf_reader *r);
/*
 * Read flags of pfns [pfn, pfn + n) into out[].  Returns the number of entries
 * the kernel had (fewer than n at the end of the dump range: the rest have no
 * struct page), or a negative errno.
 */
long kpf_read(struct kpf_reader *r, uint64_t pfn, size_t n, uint64_t *out);

#endif
