/* SPDX-License-Identifier: GPL-2.0-or-later */
/* -o LIST for every command with columns (inspect, groups): one parser, one error line. */
#ifndef VP_RENDER_COLUMNS_H
#define VP_RENDER_COLUMNS_H

#include <stddef.h>

struct column_set {
	const void *table;      /* the command's column array; each element starts with `const char *name` */
	size_t stride, n;       /* sizeof one element, number of elements */
	const int *defaults;
	size_t ndefaults;
	const char *command;    /* "inspect": names `vfio-pinctl inspect --list-columns` in the error */
};

#define COLUMN_SET(tbl, defs, cmd) \
	{ .table = (tbl), .stride = sizeof((tbl)[0]), .n = sizeof(tbl) / sizeof((tbl)[0]), \
	  .defaults = (defs), .ndefaults = sizeof(defs) / sizeof((defs)[0]), .command = (cmd) }

/*
 * NULL: the defaults; "A,B": those; "+A,B": the defaults and those.  Names
 * are case-insensitive.  0, or -EINVAL with the error line set (exit 2)
 * naming the unknown column and --list-columns.
 */
int columns_parse(const struct column_set *set, const char *list, int *cols, int maxcols, int *ncols);

#endif
