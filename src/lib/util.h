/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VP_UTIL_H
#define VP_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PAGE_SHIFT_4K 12
#define PAGE_4K 4096ULL

/* "4M", "1G", "4096", "2MiB" (binary units). 0 or -EINVAL/-ERANGE. */
int parse_size(const char *s, uint64_t *out);
/* A plain unsigned integer (decimal or 0x); -EINVAL/-ERANGE. */
int parse_u64(const char *s, uint64_t *out);
/* "4.0M"-style, as lsblk prints sizes. */
void format_size(char *buf, size_t size, uint64_t bytes);
/* Copy with truncation; always NUL-terminates. Returns strlen(src). */
size_t str_copy(char *dst, size_t size, const char *src);
/*
 * Read n u64 entries of a file indexed by entry (pagemap, kpageflags) from
 * entry `index`.  Returns the count read: short at EOF, or where a captured
 * file ends in the middle of an entry; -errno on error.
 */
long pread_u64s(int fd, uint64_t index, size_t n, uint64_t *out);
/* Starts with prefix?  Returns pointer past it or NULL. */
const char *skip_prefix(const char *s, const char *prefix);
/* Does the NUL-terminated list of space separated words contain w? */
int has_word(const char *list, const char *w);

/*
 * A pid as given on a command line: decimal, 1 to INT_MAX, written as /proc
 * names it (no sign, no leading zero), or "self" when self_ok (*pid 0).
 * 0 or -EINVAL: "", "12ab", "-1", "007" are not pids.
 */
int parse_pid(const char *s, bool self_ok, int *pid);

static inline void freep(void *p) { free(*(void **)p); }
#define _cleanup_free_ __attribute__((cleanup(freep)))

#endif
