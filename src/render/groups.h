/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `groups` output: a libsmartcols table, or JSON through render/jsonw.c. */
#ifndef VP_RENDER_GROUPS_H
#define VP_RENDER_GROUPS_H

#include <stdbool.h>
#include <stdio.h>

#include "facts/holders.h"
#include "facts/pci.h"

enum groups_format { GF_TABLE, GF_RAW, GF_PAIRS, GF_JSON };

struct groups_out {
	enum groups_format fmt;
	bool noheadings, tree;
	const char *columns;      /* -o list, or NULL for the defaults */
	int cols[16];
	int ncols;
	const struct holders *holders;   /* who holds VFIO (host/holders.c), NULL if not scanned */
};

/* 0, or -EINVAL with the bad column recorded by columns_parse() (render/columns.h). */
int groups_columns_parse(struct groups_out *o);
void groups_list_columns(FILE *out);
int render_groups(const struct groups_out *o, const struct iommu_group *v, size_t n, FILE *out);

#endif
