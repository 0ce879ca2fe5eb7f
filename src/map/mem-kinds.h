/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The taxonomy's memory types (map/mem-kinds.c), behind mem_probe and mem_alloc. */
#ifndef VP_MAP_MEM_KINDS_H
#define VP_MAP_MEM_KINDS_H

#include "map/mem.h"
#include "model/account.h"

/* 0, or -errno with err_set() naming what the host lacks. */
int mem_kind_probe(const struct mem_spec *s);
/* Allocate one region of a taxonomy type (MT_HUGEZERO .. MT_SECRETMEM). */
int mem_kind_alloc(struct mem_region *r, const struct mem_spec *s, uint64_t size, const struct kver *kv);

/* An unlinked file of size bytes in dir (O_TMPFILE, else create + unlink), its fd or -errno with err_set. */
int tmpfile_in(const char *dir, uint64_t size, const char *kind);

#endif
