// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "lib/error.h"
#include "render/columns.h"

static const char *name_at(const struct column_set *set, size_t i)
{
	return *(const char *const *)((const char *)set->table + i * set->stride);
}

static int column_by_name(const struct column_set *set, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (strlen(name_at(set, i)) == len && !strncasecmp(name_at(set, i), name, len))
			return (int)i;
	return -1;
}

static void push(int *cols, int maxcols, int *ncols, int c)
{
	if (*ncols < maxcols)
		cols[(*ncols)++] = c;
}

int columns_parse(const struct column_set *set, const char *list, int *cols, int maxcols, int *ncols)
{
	const char *p = list;
	size_t i;

	*ncols = 0;
	if (!p || *p == '+') {
		for (i = 0; i < set->ndefaults; i++)
			push(cols, maxcols, ncols, set->defaults[i]);
		if (!p)
			return 0;
		p++;
	}
	while (*p) {
		size_t n = strcspn(p, ",");
		int c = column_by_name(set, p, n);

		if (c < 0) {
			err_set(VP_EXIT_USAGE, "unknown column '%.*s'; `vfio-pinctl %s --list-columns` lists them",
				(int)n, p, set->command);
			return -EINVAL;
		}
		push(cols, maxcols, ncols, c);
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}
