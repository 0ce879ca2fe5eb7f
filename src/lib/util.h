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
/*
 * Two figures that are compared ("VmLck 256.25M, need 256M"): both in the unit
 * of the larger, with as many decimals as it takes to tell them apart (a figure
 * exact in up to 3 decimals is printed exactly, "256.25M"), down to bytes.
 * Equal figures print alike; different ones never do, and keep their order.
 */
/* A figure that must not be "about": "256.25M" when that is exact (up to 3 decimals), else bytes. */
void format_size_exact(char *buf, size_t size, uint64_t bytes);
void format_size_pair(char *a, size_t asize, uint64_t x, char *b, size_t bsize, uint64_t y);
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

/*
 * The one BDF parser.  Takes what lspci -D and sysfs print, "dddd:bb:dd.f"
 * (the kernel's pci_name(): "%04x:%02x:%02x.%d"; Intel VMD domains start at
 * 0x10000, so up to six domain digits), and lspci's short "bb:dd.f" (domain
 * 0), in any case; writes the canonical lower-case form ("0000:00:03.0") into
 * out (size >= 16; out may be NULL to only test).  -EINVAL when not a BDF:
 * signs, 0x prefixes, spaces, device > 0x1f or function > 7.
 */
int bdf_parse(const char *in, char *out, size_t size);
static inline int is_bdf(const char *s) { return bdf_parse(s, NULL, 0) == 0; }
/* The same, under check's historic name. */
static inline int bdf_normalize(const char *in, char *out, size_t size) { return bdf_parse(in, out, size); }

static inline void freep(void *p) { free(*(void **)p); }
#define _cleanup_free_ __attribute__((cleanup(freep)))

#endif
