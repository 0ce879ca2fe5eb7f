// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * groups output: a libsmartcols list (one line per device) or --tree (groups
 * with their devices); JSON through render/jsonw.c, the writer and dialect of
 * every other command's JSON.
 */
#include <errno.h>
#include <libsmartcols.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "model/group-holders.h"
#include "model/groups.h"
#include "render/columns.h"
#include "render/groups.h"
#include "render/jsonw.h"

enum {
	COL_GROUP, COL_DEVICE, COL_CLASS, COL_CLASSID, COL_VENDOR, COL_PRODUCT, COL_ID,
	COL_DRIVER, COL_ROLE, COL_VIABLE, COL_TYPE, COL_NODE, COL_HOLDER, COL_ADDRSPACE,
};

enum json_kind { J_STRING, J_NUMBER, J_BOOLEAN };

struct colinfo {
	const char *name;
	double whint;
	int flags;
	enum json_kind json;
	const char *help;
};

/* Columns are data: -o, --list-columns, the table and the JSON keys all come from here. */
static const struct colinfo columns[] = {
	[COL_GROUP]   = { "GROUP", 5, SCOLS_FL_RIGHT, J_NUMBER, "IOMMU group number" },
	[COL_DEVICE]  = { "DEVICE", 12, 0, J_STRING, "PCI address (BDF); in the --tree table also the group" },
	[COL_CLASS]   = { "CLASS", 20, SCOLS_FL_TRUNC, J_STRING, "device class name (pci.ids)" },
	[COL_CLASSID] = { "CLASSID", 6, 0, J_STRING, "class code, hex" },
	[COL_VENDOR]  = { "VENDOR", 20, SCOLS_FL_TRUNC, J_STRING, "vendor name (pci.ids; \"Vendor 1234\" without it)" },
	[COL_PRODUCT] = { "PRODUCT", 24, SCOLS_FL_TRUNC, J_STRING, "device name (pci.ids; \"Device 11e8\" without it)" },
	[COL_ID]      = { "ID", 9, 0, J_STRING, "vendor:device id, hex" },
	[COL_DRIVER]  = { "DRIVER", 10, 0, J_STRING, "bound driver, empty if none" },
	[COL_ROLE]    = { "ROLE", 7, 0, J_STRING, "vfio, stub, bridge, unbound, or host (blocks the group)" },
	[COL_VIABLE]  = { "VIABLE", 6, 0, J_BOOLEAN, "the group can be opened: no member on a host driver" },
	[COL_TYPE]    = { "TYPE", 8, 0, J_STRING, "the group's default domain type (DMA, DMA-FQ, identity)" },
	[COL_NODE]    = { "NODE", 12, 0, J_STRING, "the group's /dev/vfio node, if any" },
	[COL_HOLDER]  = { "HOLDER", 16, 0, J_STRING, "processes holding the group fd or a member's cdev: pid (comm); JSON holders[] adds their containers and iommufds" },
	[COL_ADDRSPACE] = { "ADDRSPACE", 7, 0, J_STRING, "every device of the group in one DMA address space: one, split (broken: see the note), unknown, or empty when unheld" },
};

static const int default_list[] = {
	COL_GROUP, COL_DEVICE, COL_CLASS, COL_VENDOR, COL_PRODUCT, COL_ID, COL_DRIVER, COL_ROLE,
	COL_VIABLE, COL_HOLDER,
};
static const int default_tree[] = {
	COL_DEVICE, COL_CLASS, COL_VENDOR, COL_PRODUCT, COL_DRIVER, COL_ROLE, COL_VIABLE, COL_TYPE,
	COL_HOLDER,
};

void groups_list_columns(FILE *out)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(columns); i++)
		fprintf(out, "%8s  %s\n", columns[i].name, columns[i].help);
}

int groups_columns_parse(struct groups_out *o)
{
	static const struct column_set list = COLUMN_SET(columns, default_list, "groups");
	static const struct column_set tree = COLUMN_SET(columns, default_tree, "groups");

	return columns_parse(o->tree ? &tree : &list, o->columns, o->cols, (int)ARRAY_SIZE(o->cols),
			     &o->ncols);
}

static bool is_group_column(int col)
{
	return col == COL_GROUP || col == COL_VIABLE || col == COL_TYPE || col == COL_NODE ||
	       col == COL_HOLDER || col == COL_ADDRSPACE;
}

/* "4242 (qemu-system-x86), 5001 (testpmd)": the processes that hold g, once each. */
static void holder_cell(const struct holders *h, const struct iommu_group *g, char *buf, size_t size)
{
	size_t i, used = 0, last = (size_t)-1;

	for (i = 0; h && i < h->n && used + 1 < size; i++) {
		const struct holder_proc *p = &h->procs[h->v[i].proc];

		if (!holds_group(g, &h->v[i]) || h->v[i].proc == last)
			continue;
		last = h->v[i].proc;
		used += (size_t)snprintf(buf + used, size - used, "%s%d (%s)", used ? ", " : "", p->pid, p->comm);
	}
}

/* A group's own cell; the tree table names the group in the DEVICE column. */
static void group_cell(const struct groups_out *o, int col, const struct iommu_group *g, bool tree,
		       char *buf, size_t size)
{
	struct as_rule r;

	buf[0] = '\0';
	switch (col) {
	case COL_HOLDER: holder_cell(o->holders, g, buf, size); break;
	case COL_ADDRSPACE:
		if (!o->holders)
			break;
		group_one_as(g, o->holders, &r);
		if (r.state != AS_UNHELD)
			snprintf(buf, size, "%s", as_state_name(r.state));
		break;
	case COL_GROUP: snprintf(buf, size, "%d", g->id); break;
	case COL_DEVICE: if (tree) snprintf(buf, size, "group %d", g->id); break;
	case COL_VIABLE: snprintf(buf, size, "%s", g->viable ? "yes" : "no"); break;
	case COL_TYPE: snprintf(buf, size, "%s", g->type); break;
	case COL_NODE: snprintf(buf, size, "%s", g->node); break;
	}
}

static void device_cell(const struct groups_out *o, int col, const struct iommu_group *g, const struct pci_entry *e, bool tree,
			bool json, char *buf, size_t size)
{
	const struct pci_dev_info *d = &e->info;

	buf[0] = '\0';
	if (!e->is_pci && col != COL_GROUP && col != COL_DEVICE && col != COL_DRIVER &&
	    col != COL_ROLE && col != COL_VIABLE)
		return;
	switch (col) {
	case COL_DEVICE: snprintf(buf, size, "%s", d->bdf); break;
	case COL_CLASS: snprintf(buf, size, "%s", d->class_name); break;
	case COL_CLASSID: snprintf(buf, size, "%04x", d->class_code >> 8); break;
	case COL_VENDOR: snprintf(buf, size, "%s", d->vendor_name); break;
	case COL_PRODUCT: snprintf(buf, size, "%s", d->device_name); break;
	case COL_ID: snprintf(buf, size, "%04x:%04x", d->vendor, d->device); break;
	case COL_DRIVER: snprintf(buf, size, "%s", d->driver); break;
	case COL_ROLE: snprintf(buf, size, "%s", role_name(e->role)); break;
	default:
		/* group properties repeat on every device line of the list view */
		if (!tree || (json && col == COL_VIABLE))   /* JSON booleans have no "empty" */
			group_cell(o, col, g, false, buf, size);
		else if (col == COL_GROUP)
			snprintf(buf, size, "%d", g->id);
	}
}

/* ---- table (libsmartcols) ---- */

static int set_line(struct libscols_line *ln, const struct groups_out *o, const struct iommu_group *g,
		    const struct pci_entry *e)
{
	char buf[256];
	int i;

	for (i = 0; i < o->ncols; i++) {
		if (e)
			device_cell(o, o->cols[i], g, e, o->tree, false, buf, sizeof(buf));
		else
			group_cell(o, o->cols[i], g, true, buf, sizeof(buf));
		if (scols_line_set_data(ln, i, buf))
			return -ENOMEM;
	}
	return 0;
}

/* Below the table: each group whose devices are not in one address space, and why. */
static void table_notes(const struct groups_out *o, const struct iommu_group *v, size_t n, FILE *out)
{
	struct as_rule r;
	size_t gi;

	if (!o->holders)
		return;
	for (gi = 0; gi < n; gi++) {
		group_one_as(&v[gi], o->holders, &r);
		if (r.state == AS_SPLIT || r.state == AS_UNKNOWN)
			fprintf(out, "%s: group %d: %s\n", r.state == AS_SPLIT ? "VIOLATION" : "note", v[gi].id, r.reason);
	}
	if (o->holders->unreadable)
		fprintf(out, "note: the fds of %zu processes could not be read (run as root): HOLDER may miss some\n",
			o->holders->unreadable);
}

static int render_table(const struct groups_out *o, const struct iommu_group *v, size_t n, FILE *out)
{
	struct libscols_table *tb = scols_new_table();
	size_t gi, di;
	int i, rc = 0;

	if (!tb)
		return -ENOMEM;
	scols_table_set_stream(tb, out);
	scols_table_enable_raw(tb, o->fmt == GF_RAW);
	scols_table_enable_export(tb, o->fmt == GF_PAIRS);
	scols_table_enable_noheadings(tb, o->noheadings);
	for (i = 0; i < o->ncols; i++) {
		const struct colinfo *ci = &columns[o->cols[i]];
		int flags = ci->flags;

		if (o->tree && i == 0)
			flags |= SCOLS_FL_TREE;
		if (!scols_table_new_column(tb, ci->name, ci->whint, flags)) {
			rc = -ENOMEM;
			goto out;
		}
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
	if (!rc && o->fmt == GF_TABLE)
		table_notes(o, v, n, out);
out:
	scols_unref_table(tb);
	return rc;
}

/* ---- JSON (render/jsonw.c) ---- */

/* One cell as JSON: keys are the column names in lower case, "" is null (as before). */
static void json_cell(struct jsonw *w, int col, const char *val)
{
	char key[16];
	size_t i;

	for (i = 0; columns[col].name[i] && i + 1 < sizeof(key); i++)
		key[i] = (char)(columns[col].name[i] | 0x20);
	key[i] = '\0';
	if (columns[col].json == J_BOOLEAN && val[0])
		jw_bool(w, key, !strcmp(val, "yes"));
	else if (columns[col].json == J_NUMBER && val[0])
		jw_i64(w, key, strtoll(val, NULL, 10));
	else
		jw_str(w, key, val[0] ? val : NULL);
}

/*
 * HOLDER and ADDRSPACE are objects in JSON: `holders` [{pid, comm, what, fd,
 * path}] (what: group, cdev, container, iommufd) and `address_space` {state,
 * reason}; null when holders were not scanned.  1 if col was one of them.
 */
static int json_group_object(struct jsonw *w, const struct groups_out *o, const struct iommu_group *g, int col)
{
	const struct holders *h = o->holders;
	struct as_rule r;
	char path[64];
	size_t i;

	if (col == COL_HOLDER) {
		if (!h) {
			jw_null(w, "holders");
			return 1;
		}
		jw_open_arr(w, "holders");
		for (i = 0; i < h->n; i++) {
			const struct holder *e = &h->v[i];

			if (!lists_as_holder(g, h, e))
				continue;
			holder_path(e, path, sizeof(path));
			jw_open_obj(w, NULL);
			jw_i64(w, "pid", h->procs[e->proc].pid);
			jw_str(w, "comm", h->procs[e->proc].comm);
			jw_str(w, "what", vfio_fd_kind_name(e->f.kind));
			jw_i64(w, "fd", e->f.fd);
			jw_str(w, "path", path);
			if (e->bdf[0])
				jw_str(w, "device", e->bdf);
			jw_close_obj(w);
		}
		jw_close_arr(w);
		return 1;
	}
	if (col != COL_ADDRSPACE)
		return 0;
	if (!h) {
		jw_null(w, "address_space");
		return 1;
	}
	group_one_as(g, h, &r);
	jw_open_obj(w, "address_space");
	jw_str(w, "state", as_state_name(r.state));
	jw_str(w, "reason", r.reason[0] ? r.reason : NULL);
	jw_close_obj(w);
	return 1;
}

static void json_device(struct jsonw *w, const struct groups_out *o, const struct iommu_group *g,
			const struct pci_entry *e)
{
	char buf[256];
	int i;

	jw_open_obj(w, NULL);
	for (i = 0; i < o->ncols; i++) {
		/* under --tree the group object carries them, once */
		if (o->tree && (o->cols[i] == COL_HOLDER || o->cols[i] == COL_ADDRSPACE))
			continue;
		if (json_group_object(w, o, g, o->cols[i]))
			continue;
		device_cell(o, o->cols[i], g, e, o->tree, true, buf, sizeof(buf));
		json_cell(w, o->cols[i], buf);
	}
	jw_close_obj(w);
}

/*
 * --tree: a group is an object of its own, {"group": N, the group columns
 * asked for, "children": [devices]}; it is never dressed as a device
 * ("device": "group 7" was how the table's tree came out as JSON).
 */
static void json_group(struct jsonw *w, const struct groups_out *o, const struct iommu_group *g)
{
	char buf[64];
	size_t di;
	int i;

	jw_open_obj(w, NULL);
	jw_i64(w, "group", g->id);
	for (i = 0; i < o->ncols; i++) {
		if (o->cols[i] == COL_GROUP || !is_group_column(o->cols[i]))
			continue;
		if (json_group_object(w, o, g, o->cols[i]))
			continue;
		group_cell(o, o->cols[i], g, true, buf, sizeof(buf));
		json_cell(w, o->cols[i], buf);
	}
	jw_open_arr(w, "children");
	for (di = 0; di < g->n; di++)
		json_device(w, o, g, &g->members[di]);
	jw_close_arr(w);
	jw_close_obj(w);
}

static int render_json(const struct groups_out *o, const struct iommu_group *v, size_t n, FILE *out)
{
	struct jsonw w;
	size_t gi, di;

	jw_init(&w, out);
	jw_open_obj(&w, NULL);
	jw_open_arr(&w, "groups");
	for (gi = 0; gi < n; gi++) {
		if (o->tree) {
			json_group(&w, o, &v[gi]);
			continue;
		}
		for (di = 0; di < v[gi].n; di++)
			json_device(&w, o, &v[gi], &v[gi].members[di]);
	}
	jw_close_arr(&w);
	jw_close_obj(&w);
	jw_end(&w);
	return ferror(out) ? -EIO : 0;
}

int render_groups(const struct groups_out *o, const struct iommu_group *v, size_t n, FILE *out)
{
	return o->fmt == GF_JSON ? render_json(o, v, n, out) : render_table(o, v, n, out);
}
