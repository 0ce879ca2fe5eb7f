// SPDX-License-Identifier: GPL-2.0-or-later
/* groups output: a libsmartcols list (one line per device) or --tree (groups with their devices). */
#include <errno.h>
#include <libsmartcols.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "check/groups.h"
#include "host/sysroot.h"
#include "lib/util.h"

enum {
	COL_GROUP, COL_DEVICE, COL_CLASS, COL_CLASSID, COL_VENDOR, COL_PRODUCT, COL_ID,
	COL_DRIVER, COL_ROLE, COL_VIABLE, COL_TYPE, COL_NODE,
};

struct colinfo {
	const char *name;
	double whint;
	int flags;
	int json;
	const char *help;
};

/* Columns are data: -o, --list-columns and the table all come from here. */
static const struct colinfo columns[] = {
	[COL_GROUP]   = { "GROUP", 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, "IOMMU group number" },
	[COL_DEVICE]  = { "DEVICE", 12, 0, SCOLS_JSON_STRING, "PCI address (BDF); in --tree also the group" },
	[COL_CLASS]   = { "CLASS", 20, SCOLS_FL_TRUNC, SCOLS_JSON_STRING, "device class name (pci.ids)" },
	[COL_CLASSID] = { "CLASSID", 6, 0, SCOLS_JSON_STRING, "class code, hex" },
	[COL_VENDOR]  = { "VENDOR", 20, SCOLS_FL_TRUNC, SCOLS_JSON_STRING, "vendor name (pci.ids)" },
	[COL_PRODUCT] = { "PRODUCT", 24, SCOLS_FL_TRUNC, SCOLS_JSON_STRING, "device name (pci.ids)" },
	[COL_ID]      = { "ID", 9, 0, SCOLS_JSON_STRING, "vendor:device id, hex" },
	[COL_DRIVER]  = { "DRIVER", 10, 0, SCOLS_JSON_STRING, "bound driver, empty if none" },
	[COL_ROLE]    = { "ROLE", 7, 0, SCOLS_JSON_STRING, "vfio, stub, bridge, unbound, or host (blocks the group)" },
	[COL_VIABLE]  = { "VIABLE", 6, 0, SCOLS_JSON_BOOLEAN, "the group can be opened: no member on a host driver" },
	[COL_TYPE]    = { "TYPE", 8, 0, SCOLS_JSON_STRING, "the group's default domain type (DMA, DMA-FQ, identity)" },
	[COL_NODE]    = { "NODE", 12, 0, SCOLS_JSON_STRING, "the group's /dev/vfio node, if any" },
};

static const int default_list[] = {
	COL_GROUP, COL_DEVICE, COL_CLASS, COL_VENDOR, COL_PRODUCT, COL_ID, COL_DRIVER, COL_ROLE,
	COL_VIABLE,
};
static const int default_tree[] = {
	COL_DEVICE, COL_CLASS, COL_VENDOR, COL_PRODUCT, COL_DRIVER, COL_ROLE, COL_VIABLE, COL_TYPE,
};

void groups_list_columns(FILE *out)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(columns); i++)
		fprintf(out, "%8s  %s\n", columns[i].name, columns[i].help);
}

static int column_by_name(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(columns); i++)
		if (strlen(columns[i].name) == len && !strncasecmp(columns[i].name, name, len))
			return (int)i;
	return -1;
}

int groups_columns_parse(struct groups_out *o)
{
	const int *def = o->tree ? default_tree : default_list;
	size_t ndef = o->tree ? ARRAY_SIZE(default_tree) : ARRAY_SIZE(default_list), i;
	const char *p = o->columns;

	o->ncols = 0;
	if (!p || *p == '+') {
		for (i = 0; i < ndef; i++)
			o->cols[o->ncols++] = def[i];
		if (!p)
			return 0;
		p++;
	}
	while (p && *p) {
		size_t n = strcspn(p, ",");
		int c = column_by_name(p, n);

		if (c < 0)
			return -(int)(p - o->columns) - 1;   /* caller names the bad column */
		if (o->ncols < (int)ARRAY_SIZE(o->cols))
			o->cols[o->ncols++] = c;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

static void node_of(int group, char *buf, size_t size)
{
	char path[64];

	snprintf(path, sizeof(path), "/dev/vfio/%d", group);
	if (sr_exists(path))
		str_copy(buf, size, path);
	else
		buf[0] = '\0';
}

static void group_cell(int col, const struct iommu_group *g, bool tree, char *buf, size_t size)
{
	buf[0] = '\0';
	switch (col) {
	case COL_GROUP: snprintf(buf, size, "%d", g->id); break;
	case COL_DEVICE: if (tree) snprintf(buf, size, "group %d", g->id); break;
	case COL_VIABLE: snprintf(buf, size, "%s", g->viable ? "yes" : "no"); break;
	case COL_TYPE: snprintf(buf, size, "%s", g->type); break;
	case COL_NODE: node_of(g->id, buf, size); break;
	}
}

static void device_cell(int col, const struct iommu_group *g, const struct pci_entry *e, bool tree,
			bool json, char *buf, size_t size)
{
	const struct pci_dev_info *d = &e->info;

	buf[0] = '\0';
	if (!e->is_pci && col != COL_GROUP && col != COL_DEVICE && col != COL_DRIVER &&
	    col != COL_ROLE && col != COL_VIABLE)
		return;
	switch (col) {
	case COL_DEVICE: snprintf(buf, size, "%s", d->bdf); break;
	case COL_CLASS: pci_class_name(d->class_code, buf, size); break;
	case COL_CLASSID: snprintf(buf, size, "%04x", d->class_code >> 8); break;
	case COL_VENDOR: pci_vendor_name(d->vendor, buf, size); break;
	case COL_PRODUCT: pci_device_name(d->vendor, d->device, buf, size); break;
	case COL_ID: snprintf(buf, size, "%04x:%04x", d->vendor, d->device); break;
	case COL_DRIVER: snprintf(buf, size, "%s", d->driver); break;
	case COL_ROLE: snprintf(buf, size, "%s", role_name(e->role)); break;
	default:
		/* group properties repeat on every device line of the list view */
		if (!tree || (json && col == COL_VIABLE))   /* JSON booleans have no "empty" */
			group_cell(col, g, false, buf, size);
		else if (col == COL_GROUP)
			snprintf(buf, size, "%d", g->id);
	}
}

static int set_line(struct libscols_line *ln, const struct groups_out *o, const struct iommu_group *g,
		    const struct pci_entry *e)
{
	char buf[256];
	int i;

	for (i = 0; i < o->ncols; i++) {
		if (e)
			device_cell(o->cols[i], g, e, o->tree, o->fmt == GF_JSON, buf, sizeof(buf));
		else
			group_cell(o->cols[i], g, true, buf, sizeof(buf));
		if (scols_line_set_data(ln, i, buf))
			return -ENOMEM;
	}
	return 0;
}

int render_groups(const struct groups_out *o, const struct iommu_group *v, size_t n, FILE *out)
{
	struct libscols_table *tb = scols_new_table();
	size_t gi, di;
	int i, rc = 0;

	if (!tb)
		return -ENOMEM;
	scols_table_set_stream(tb, out);
	scols_table_enable_raw(tb, o->fmt == GF_RAW);
	scols_table_enable_export(tb, o->fmt == GF_PAIRS);
	scols_table_enable_json(tb, o->fmt == GF_JSON);
	scols_table_set_name(tb, "groups");
	scols_table_enable_noheadings(tb, o->noheadings);
	for (i = 0; i < o->ncols; i++) {
		const struct colinfo *ci = &columns[o->cols[i]];
		int flags = ci->flags;
		struct libscols_column *cl;

		if (o->tree && i == 0)
			flags |= SCOLS_FL_TREE;
		cl = scols_table_new_column(tb, ci->name, ci->whint, flags);
		if (!cl) {
			rc = -ENOMEM;
			goto out;
		}
		scols_column_set_json_type(cl, ci->json);
	}
	for (gi = 0; gi < n && !rc; gi++) {
		const struct iommu_group *g = &v[gi];
		struct libscols_line *parent = NULL;

		if (o->tree) {
			parent = scols_table_new_line(tb, NULL);
			rc = parent ? set_line(parent, o, g, NULL) : -ENOMEM;
		}
		for (di = 0; di < g->n && !rc; di++) {
			struct libscols_line *ln = scols_table_new_line(tb, parent);

			rc = ln ? set_line(ln, o, g, &g->members[di]) : -ENOMEM;
		}
	}
	if (!rc)
		rc = scols_print_table(tb) ? -EIO : 0;
out:
	scols_unref_table(tb);
	return rc;
}
