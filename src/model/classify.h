/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Page classes (facts/classes.h): the pure decision and its names. */
#ifndef VP_CLASSIFY_H
#define VP_CLASSIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "facts/classes.h"

enum page_class classify_page(const struct page_obs *o);
enum page_class classify_flags(uint64_t flags);  /* for a pfn whose flags were read */
const char *class_name(enum page_class c);       /* "anon", "thp", ... */
int class_from_name(const char *name);           /* -1 if unknown */

uint64_t class_present(const struct class_bytes *cb);
/* Bytes type1 would charge if every present page were DMA-mapped once. */
uint64_t class_chargeable(const struct class_bytes *cb);
void class_add(struct class_bytes *dst, const struct class_bytes *src);
/* A KPF_ZERO_PAGE page that belongs to the huge zero folio (KPF_THP too). */
bool page_is_huge_zero(uint64_t flags);
/*
 * The vma is ZONE_DEVICE memory (a /dev/daxN.M mapping, a file on a dax
 * mount): what kpageflags called invalid (NOPAGE, EOF) or reserved is
 * device memory.  Decided by the vma, never by the flags alone.
 */
void class_mark_device(struct class_bytes *cb);
/* "/dev/dax0.0" and the like: a device-dax character device. */
bool path_is_devdax(const char *path);
/* A mount option list (mountinfo's per-mount or super options) that turns fs-dax on. */
bool mount_opts_dax(const char *opts);

#endif
