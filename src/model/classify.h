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

#endif
