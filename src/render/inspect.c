// SPDX-License-Identifier: GPL-2.0-or-later
/* inspect output: a libsmartcols vma table, a --pages run list, or one JSON report. */
#include <errno.h>
#include <inttypes.h>
#include <libsmartcols.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "lib/error.h"
#include "render/columns.h"
#include "render/inspect.h"
#include "render/render.h"
#include "lib/util.h"
#include "model/kpf.h"

enum {
	COL_START, COL_END, COL_PERMS, COL_SIZE, COL_PRESENT,
	COL_UNKNOWN, COL_INVALID, COL_ZERO, COL_RESERVED, COL_HUGETLB, COL_THP,
	COL_ANON, COL_FILE, COL_PFNMAP, COL_SWAP, COL_CHARGE, COL_LOCKED,
	COL_VMFLAGS, COL_DEVICE, COL_PATH, COL_ZONEDEV, COL_ROLE,
};

struct colinfo {
	const char *name;
	double whint;
	int flags;
	const char *help;
	int cls;       /* page class for class columns, else -1 */
};

/* Columns are data: -o, --list-columns and the table all come from here. */
static const struct colinfo columns[] = {
	[COL_START]    = { "START", 14, SCOLS_FL_RIGHT, "first address of the mapping", -1 },
	[COL_END]      = { "END", 14, SCOLS_FL_RIGHT, "end address (exclusive)", -1 },
	[COL_PERMS]    = { "PERMS", 4, 0, "r/w/x and p(rivate) or s(hared)", -1 },
	[COL_SIZE]     = { "SIZE", 6, SCOLS_FL_RIGHT, "size of the mapping", -1 },
	[COL_PRESENT]  = { "PRESENT", 6, SCOLS_FL_RIGHT, "present pages (sum of the class columns)", -1 },
	[COL_UNKNOWN]  = { "UNKNOWN", 6, SCOLS_FL_RIGHT, "present, pfn hidden from this reader (needs CAP_SYS_ADMIN)", PC_UNKNOWN },
	[COL_INVALID]  = { "INVALID", 6, SCOLS_FL_RIGHT, "present, pfn without struct page", PC_INVALID },
	[COL_ZERO]     = { "ZERO", 6, SCOLS_FL_RIGHT, "the shared zero page", PC_ZERO },
	[COL_RESERVED] = { "RESERVED", 6, SCOLS_FL_RIGHT, "PG_reserved pages", PC_RESERVED },
	[COL_HUGETLB]  = { "HUGETLB", 6, SCOLS_FL_RIGHT, "hugetlbfs pages", PC_HUGETLB },
	[COL_THP]      = { "THP", 6, SCOLS_FL_RIGHT, "transparent huge pages", PC_THP },
	[COL_ANON]     = { "ANON", 6, SCOLS_FL_RIGHT, "anonymous 4K pages", PC_ANON },
	[COL_FILE]     = { "FILE", 6, SCOLS_FL_RIGHT, "page cache, shmem and other pages", PC_FILE },
	[COL_PFNMAP]   = { "PFNMAP", 6, SCOLS_FL_RIGHT, "VM_PFNMAP/VM_IO mapping (device memory), by size", -1 },
	[COL_SWAP]     = { "SWAP", 6, SCOLS_FL_RIGHT, "swapped out", -1 },
	[COL_CHARGE]   = { "CHARGE", 6, SCOLS_FL_RIGHT, "what VFIO type1 would charge if all present pages were mapped once", -1 },
	[COL_LOCKED]   = { "LOCKED", 6, SCOLS_FL_RIGHT, "mlocked (smaps Locked)", -1 },
	[COL_VMFLAGS]  = { "VMFLAGS", 20, SCOLS_FL_WRAP, "smaps VmFlags", -1 },
	[COL_DEVICE]   = { "DEVICE", 14, 0, "VFIO device and BAR behind a device mmap", -1 },
	[COL_PATH]     = { "PATH", 20, SCOLS_FL_TRUNC, "what is mapped", -1 },
	[COL_ZONEDEV]  = { "ZONEDEV", 6, SCOLS_FL_RIGHT, "ZONE_DEVICE memory (device-dax, fs-dax; told by the vma): type1 never charges it and never unpins it", PC_DEVICE },
	[COL_ROLE]     = { "ROLE", 9, 0, "what the VMM uses it for, from its command line: guest-ram, rom, bar, dpdk-memseg, ram-block; - if nothing matches", -1 },
};

static const int default_cols[] = {
	COL_START, COL_SIZE, COL_PERMS, COL_PRESENT, COL_ANON, COL_THP, COL_HUGETLB,
	COL_FILE, COL_ZERO, COL_RESERVED, COL_INVALID, COL_UNKNOWN, COL_PFNMAP,
	COL_CHARGE, COL_ROLE, COL_DEVICE, COL_PATH,
};

void inspect_list_columns(FILE *out)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(columns); i++)
		fprintf(out, "%10s  %s\n", columns[i].name, columns[i].help);
}

int inspect_columns_parse(struct inspect_out *o)
{
	static const struct column_set set = COLUMN_SET(columns, default_cols, "inspect");

	return columns_parse(&set, o->columns, o->cols, (int)ARRAY_SIZE(o->cols), &o->ncols);
}

static void fmt_bytes(const struct inspect_out *o, char *buf, size_t size, uint64_t v)
{
	if (o->bytes)
		snprintf(buf, size, "%" PRIu64, v);
	else
		format_size(buf, size, v);
}

/* --- JSON ---------------------------------------------------------------- */

static void json_context(struct jsonw *w, const struct vfio_context *c)
{
	size_t i;
	int b;

	jw_open_obj(w, NULL);
	jw_str(w, "kind", ctx_kind_name(c->kind));
	jw_u64(w, "fd", (uint64_t)c->fd);
	jw_str(w, "source", c->source == CTX_LIVE ? "live" : "inferred");
	jw_str(w, "reason", c->reason[0] ? c->reason : NULL);
	jw_u64_or_null(w, "dma_avail", c->has_dma_avail, c->dma_avail);
	jw_u64_or_null(w, "mappings_in_use", c->has_in_use, c->mappings_in_use);
	if (c->ranges_known) {
		jw_open_arr(w, "iova_ranges");
		for (i = 0; i < c->nranges; i++) {
			jw_open_obj(w, NULL);
			jw_hex(w, "start", c->ranges[i].start);
			jw_hex(w, "end", c->ranges[i].end);
			jw_close_obj(w);
		}
		jw_close_arr(w);
	} else {
		jw_null(w, "iova_ranges");
	}
	if (c->pgsizes) {
		jw_open_arr(w, "page_sizes");
		for (b = 0; b < 64; b++)
			if (c->pgsizes & (1ULL << b))
				jw_u64(w, NULL, 1ULL << b);
		jw_close_arr(w);
	} else {
		jw_null(w, "page_sizes");
	}
	jw_str(w, "rlimit_mode", ctx_rlimit_name(c->rlimit_mode));
	jw_bool(w, "rlimit_mode_inferred", c->rlimit_inferred);
	jw_close_obj(w);
}

static void json_contexts(struct jsonw *w, const struct vfio_contexts *x)
{
	size_t i;

	jw_u64_or_null(w, "dma_entry_limit", x->have_limit, x->dma_entry_limit);
	jw_open_arr(w, "contexts");
	for (i = 0; i < x->n; i++)
		json_context(w, &x->v[i]);
	jw_close_arr(w);
}

static void json_vfio(struct jsonw *w, const struct inspect_report *r)
{
	size_t g, d, i;

	jw_open_obj(w, "vfio");
	jw_str(w, "backend", r->backend);
	jw_str(w, "container_provider", r->fds.containers ? r->container_provider : NULL);
	jw_u64(w, "containers", r->fds.containers);
	jw_u64(w, "iommufds", r->fds.iommufds);
	jw_u64(w, "device_fds", r->fds.devices + r->fds.cdevs);
	jw_open_arr(w, "groups");
	for (g = 0; g < r->ngroups; g++) {
		jw_open_obj(w, NULL);
		jw_u64(w, "group", (uint64_t)r->groups[g].group);
		jw_open_arr(w, "devices");
		for (d = 0; d < r->groups[g].ndevs; d++) {
			const struct pci_dev_info *dev = &r->groups[g].devs[d];

			jw_open_obj(w, NULL);
			jw_str(w, "bdf", dev->bdf);
			jw_str(w, "driver", dev->driver[0] ? dev->driver : NULL);
			jw_str(w, "name", dev->name);
			jw_close_obj(w);
		}
		jw_close_arr(w);
		jw_close_obj(w);
	}
	jw_close_arr(w);
	jw_open_arr(w, "fds");
	for (i = 0; i < r->fds.n; i++) {
		const struct vfio_fd *f = &r->fds.v[i];

		jw_open_obj(w, NULL);
		jw_u64(w, "fd", (uint64_t)f->fd);
		jw_str(w, "kind", vfio_fd_kind_name(f->kind));
		if (f->group >= 0)
			jw_u64(w, "group", (uint64_t)f->group);
		if (f->syspath[0])
			jw_str(w, "syspath", f->syspath);
		if (f->kind == VFD_DEVICE || f->kind == VFD_CDEV) {
			jw_str(w, "bdf", f->bdf[0] ? f->bdf : NULL);
			jw_str(w, "bdf_source", f->bdf_source ? f->bdf_source : "unknown");
		}
		jw_close_obj(w);
	}
	jw_close_arr(w);
	json_contexts(w, &r->ctx);
	jw_close_obj(w);
}

static void json_begin(struct inspect_out *o, const struct inspect_report *r)
{
	struct jsonw *w = &o->jw;

	jw_init(w, o->out);
	jw_open_obj(w, NULL);
	jw_u64(w, "pid", strtoull(r->pid, NULL, 10));
	jw_str(w, "comm", r->st.name);
	jw_str(w, "kernel", r->release);
	json_vfio(w, r);
	if (!o->summary_only)
		jw_open_arr(w, "vmas");
}

static void json_vmflags(struct jsonw *w, const char *flags)
{
	char buf[8];

	jw_open_arr(w, "vmflags");
	while (*flags) {
		size_t n = strcspn(flags, " ");

		if (n && n < sizeof(buf)) {
			memcpy(buf, flags, n);
			buf[n] = '\0';
			jw_str(w, NULL, buf);
		}
		flags += n;
		while (*flags == ' ')
			flags++;
	}
	jw_close_arr(w);
}

static void json_vma_head(struct jsonw *w, const struct vma *v)
{
	jw_open_obj(w, NULL);
	jw_hex(w, "start", v->start);
	jw_hex(w, "end", v->end);
	jw_str(w, "perms", v->perms);
	jw_str(w, "path", v->path);
}

/*
 * Without --pages a vma's object is written whole when its details are in
 * (rows are pipelined); with --pages its runs stream between head and tail.
 */
static void json_vma_begin(struct inspect_out *o, const struct inspect_row *row)
{
	if (!o->pages)
		return;
	json_vma_head(&o->jw, row->vma);
	jw_open_arr(&o->jw, "pages");
	o->in_pages = true;
}

static void json_vma_end(struct inspect_out *o, const struct inspect_row *row)
{
	struct jsonw *w = &o->jw;

	if (o->in_pages) {
		jw_close_arr(w);
		o->in_pages = false;
	} else {
		json_vma_head(w, row->vma);
	}
	json_vmflags(w, row->vma->vmflags);
	json_class_fields(w, &row->cb);
	jw_u64(w, "locked_bytes", row->vma->locked_kb * 1024);
	jw_bool(w, "zone_device", row->zone_device);
	jw_str(w, "role", vma_role_name(row->role));
	if (row->device && row->bar_ambiguous) {
		/* 6.12's region offset (measured) names the BAR, not which of several devices: never guess */
		jw_null(w, "device");
		jw_u64(w, "bar", (uint64_t)row->bar);
		jw_bool(w, "device_ambiguous", true);
	} else if (row->device) {
		jw_str(w, "device", row->device);
		jw_u64_or_null(w, "bar", row->bar >= 0, (uint64_t)row->bar);
	}
	jw_close_obj(w);
}

/* The DMA part of VmLck as contexts x (RAM + ROMs), from the VMM's configuration; null without one. */
static void json_vmlck_explained(struct jsonw *w, const struct inspect_report *r)
{
	const struct vmlck_explained *x = &r->vx;

	if (!r->have_vx) {
		jw_null(w, "vmlck_explained");
		return;
	}
	jw_open_obj(w, "vmlck_explained");
	jw_u64(w, "contexts", (uint64_t)x->contexts);
	jw_u64(w, "ram_bytes", x->ram_bytes);
	jw_u64(w, "ram_hidden_bytes", x->ram_hidden_bytes);
	jw_u64(w, "rom_bytes", x->rom_bytes);
	jw_bool(w, "roms_charged", x->roms_charged);
	jw_str(w, "roms_how", x->rom_how);
	jw_u64(w, "explained_bytes", x->explained_bytes);
	jw_str(w, "figure", x->figure_is_vmpin ? "vmpin" : "vmlck_not_mlock");
	jw_i64(w, "figure_bytes", x->figure_bytes);
	jw_i64(w, "diff_bytes", x->diff_bytes);
	jw_bool(w, "exact", x->exact);
	jw_str(w, "contexts_how", x->how);
	jw_close_obj(w);
}

static void json_memlock(struct jsonw *w, const struct inspect_report *r)
{
	const struct memlock_view *v = &r->mv;
	const struct memlock_explain *e = &r->me;

	jw_open_obj(w, "memlock");
	if (v->limit_unlimited || !r->have_limit)
		jw_null(w, "limit_bytes");
	else
		jw_u64(w, "limit_bytes", v->limit);
	jw_u64_or_null(w, "limit_hard_bytes", r->have_limit && !r->lim.hard_unlimited, r->lim.hard);
	jw_u64(w, "locked_bytes", v->vm_lck);
	jw_u64(w, "pinned_bytes", v->vm_pin);
	jw_u64(w, "mlocked_bytes", v->mlocked);
	jw_u64(w, "mlocked_smaps_locked_bytes", v->smaps_locked);
	jw_u64(w, "mlock_charged_bytes", v->mlock_vm);
	jw_i64(w, "dma_locked_estimate_bytes", e->dma_locked);
	if (e->has_headroom)
		jw_i64(w, "headroom_bytes", e->headroom);
	else
		jw_null(w, "headroom_bytes");
	jw_bool(w, "over_limit", e->over_limit);
	jw_bool(w, "limit_applies", e->limit_applies);
	jw_bool(w, "cap_ipc_lock", v->cap_ipc_lock);
	jw_bool(w, "multiple_contexts", e->multi_context);
	jw_bool(w, "double_charge", e->double_charge);
	jw_str(w, "iommufd_accounting", e->iommufd_accounting);
	json_vmlck_explained(w, r);
	jw_close_obj(w);
}

static void json_end(struct inspect_out *o, const struct inspect_report *r)
{
	struct jsonw *w = &o->jw;

	if (!o->summary_only)
		jw_close_arr(w);
	json_memlock(w, r);
	jw_open_obj(w, "totals");
	json_class_fields(w, &r->totals);
	jw_close_obj(w);
	jw_bool(w, "pfns_hidden", r->stats.pfn_hidden);
	jw_open_obj(w, "scan");
	jw_bool(w, "pagemap_scan", r->stats.used_pm_scan);
	jw_u64(w, "pagemap_entries_read", r->stats.pm_entries_read);
	jw_u64(w, "kpageflags_reads", r->stats.kpf_reads);
	jw_u64(w, "kpageflags_entries_read", r->stats.kpf_entries_read);
	jw_u64(w, "huge_blocks", r->stats.huge_blocks);
	jw_close_obj(w);
	jw_close_obj(w);
	jw_end(w);
}

/* --- table --------------------------------------------------------------- */

/*
 * libsmartcols keeps every line of a table until it prints it, and the text
 * summary (which needs the totals) comes before the table: a process with
 * 100 000 vmas would hold 100 000 lines.  So the first TABLE_PAGE rows stay
 * in the table; later rows are spooled to an unlinked temporary file and
 * printed in pages of TABLE_PAGE lines, each page a table of its own.  The
 * widths libsmartcols picks follow from the widest cell of each column, so
 * every page gets one extra line made of the widest cells of the whole table,
 * rendered to memory and cut out of the output: every page lines up as the
 * one big table did.  A table of one page prints exactly as before.
 */
#define TABLE_PAGE 1024

static int new_table(struct inspect_out *o, struct libscols_table **out, bool headings)
{
	struct libscols_table *tb = scols_new_table();
	int i;

	*out = tb;
	if (!tb)
		return -ENOMEM;
	scols_table_enable_raw(tb, o->fmt == FMT_RAW);
	scols_table_enable_export(tb, o->fmt == FMT_PAIRS);
	scols_table_enable_noheadings(tb, o->noheadings || !headings);
	for (i = 0; i < o->ncols; i++) {
		const struct colinfo *ci = &columns[o->cols[i]];

		if (!scols_table_new_column(tb, ci->name, ci->whint, ci->flags))
			return -ENOMEM;
	}
	return 0;
}

/* Display width of a cell, as libsmartcols counts it (wide characters, invalid bytes). */
static size_t text_width(const char *s)
{
	size_t n, bytes;
	wchar_t wbuf[600];
	int w;

	/* ASCII (every cell but an odd path): one column a byte, no conversion. */
	for (bytes = 0; s[bytes]; bytes++)
		if ((unsigned char)s[bytes] >= 0x80)
			break;
	if (!s[bytes])
		return bytes;
	bytes += strlen(s + bytes);
	n = mbstowcs(NULL, s, 0);
	if (n == (size_t)-1 || n >= ARRAY_SIZE(wbuf))
		return bytes;
	mbstowcs(wbuf, s, n + 1);
	w = wcswidth(wbuf, n);
	return w < 0 ? bytes : (size_t)w;
}

static int note_width(struct inspect_out *o, int i, const char *text)
{
	size_t w = text_width(text);
	char *copy;

	if (o->widest[i] && w <= o->width[i])
		return 0;
	copy = strdup(text);
	if (!copy)
		return -ENOMEM;
	free(o->widest[i]);
	o->widest[i] = copy;
	o->width[i] = w;
	return 0;
}

static int table_begin(struct inspect_out *o)
{
	return new_table(o, &o->tb, true);
}

/* An unlinked file in $TMPDIR (default /tmp): nothing is left behind, whatever happens. */
static int open_spool(struct inspect_out *o)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd, rc;

	if (!dir || !*dir)
		dir = "/tmp";
	snprintf(path, sizeof(path), "%s/vfio-pinctl-table.XXXXXX", dir);
	fd = mkstemp(path);
	if (fd >= 0) {
		unlink(path);
		o->spool = fdopen(fd, "w+");
		if (!o->spool)
			close(fd);
	}
	if (o->spool)
		return 0;
	rc = -errno;
	err_set(VP_EXIT_RESOURCE, "cannot create a temporary file in %s for a vma table of more than %d rows (%s); set TMPDIR to a writable directory, or use --json or --summary",
		dir, TABLE_PAGE, strerror(-rc));
	return rc;
}

/* A spooled row: each cell as a 16-bit length and its bytes. */
static int spool_cell(struct inspect_out *o, const char *text)
{
	size_t n = strlen(text);
	uint16_t len = (uint16_t)n;

	if (fwrite(&len, sizeof(len), 1, o->spool) != 1 || fwrite(text, 1, n, o->spool) != n)
		return -EIO;
	return 0;
}

static int unspool_cell(FILE *f, char *buf, size_t size)
{
	uint16_t len;

	if (fread(&len, sizeof(len), 1, f) != 1 || len >= size || fread(buf, 1, len, f) != len)
		return -EIO;
	buf[len] = '\0';
	return 0;
}

/*
 * A page of the table: the line of widest cells first (FMT_TABLE only: raw
 * and KEY="value" output pad nothing), then up to TABLE_PAGE rows.
 */
static int page_begin(struct inspect_out *o, struct libscols_table **tb, bool headings)
{
	struct libscols_line *ln;
	int i, rc = new_table(o, tb, headings);

	if (rc || o->fmt != FMT_TABLE)
		return rc;
	ln = scols_table_new_line(*tb, NULL);
	if (!ln)
		return -ENOMEM;
	for (i = 0; i < o->ncols; i++)
		if (scols_line_set_data(ln, (size_t)i, o->widest[i] ? o->widest[i] : ""))
			return -ENOMEM;
	return 0;
}

/* Print a page, cutting out the line of widest cells (after the heading, if any). */
static int page_print(struct inspect_out *o, struct libscols_table *tb, bool headings)
{
	size_t size = 0, skip = headings && !o->noheadings ? 1 : 0;
	char *text = NULL, *p, *cut;
	FILE *mem;
	int rc = 0;

	if (o->fmt != FMT_TABLE)
		return scols_table_set_stream(tb, o->out) || scols_print_table(tb) ? -EIO : 0;
	mem = open_memstream(&text, &size);
	if (!mem)
		return -ENOMEM;
	if (scols_table_set_stream(tb, mem) || scols_print_table(tb))
		rc = -EIO;
	if (fclose(mem))
		rc = -ENOMEM;
	if (!rc) {
		for (p = text; skip--; p++)
			p = strchr(p, '\n');
		cut = strchr(p, '\n');
		fwrite(text, 1, (size_t)(p - text), o->out);
		if (cut)
			fputs(cut + 1, o->out);
	}
	free(text);
	return rc;
}

/* Print the spooled rows, TABLE_PAGE lines a table. */
static int print_spool(struct inspect_out *o)
{
	struct libscols_table *tb;
	char buf[600];
	size_t row = 0, n;
	int i, rc = 0;

	if (fflush(o->spool) || fseek(o->spool, 0, SEEK_SET))
		return -EIO;
	for (;;) {
		rc = page_begin(o, &tb, false);
		for (n = 0; !rc && n < TABLE_PAGE && row < o->nrows - TABLE_PAGE; n++, row++) {
			struct libscols_line *ln = scols_table_new_line(tb, NULL);

			if (!ln)
				rc = -ENOMEM;
			for (i = 0; !rc && i < o->ncols; i++) {
				rc = unspool_cell(o->spool, buf, sizeof(buf));
				if (!rc && scols_line_set_data(ln, (size_t)i, buf))
					rc = -ENOMEM;
			}
		}
		if (!rc && n)
			rc = page_print(o, tb, false);
		if (tb)
			scols_unref_table(tb);
		if (rc || n < TABLE_PAGE)
			return rc;
	}
}

/* One page: as libsmartcols prints it; more: the first page, then the spool. */
static int print_table(struct inspect_out *o)
{
	struct libscols_table *first = o->tb;
	struct libscols_line *ln;
	struct libscols_iter *it;
	int rc, i;

	if (!o->spool) {
		scols_print_table(o->tb);
		return 0;
	}
	rc = page_begin(o, &o->tb, true);
	it = scols_new_iter(SCOLS_ITER_FORWARD);
	if (!it)
		rc = -ENOMEM;
	while (!rc && !scols_table_next_line(first, it, &ln)) {
		struct libscols_line *copy = scols_table_new_line(o->tb, NULL);

		if (!copy)
			rc = -ENOMEM;
		for (i = 0; !rc && i < o->ncols; i++) {
			struct libscols_cell *ce = scols_line_get_cell(ln, (size_t)i);
			const char *d = ce ? scols_cell_get_data(ce) : NULL;

			if (scols_line_set_data(copy, (size_t)i, d ? d : ""))
				rc = -ENOMEM;
		}
	}
	scols_free_iter(it);
	scols_unref_table(first);
	if (!rc)
		rc = page_print(o, o->tb, true);
	return rc ? rc : print_spool(o);
}

static void cell_text(const struct inspect_out *o, int col, const struct inspect_row *row,
		      char *buf, size_t size)
{
	const struct vma *v = row->vma;
	const struct class_bytes *cb = &row->cb;

	if (columns[col].cls >= 0) {
		fmt_bytes(o, buf, size, cb->bytes[columns[col].cls]);
		return;
	}
	switch (col) {
	case COL_START: snprintf(buf, size, "%" PRIx64, v->start); break;
	case COL_END: snprintf(buf, size, "%" PRIx64, v->end); break;
	case COL_PERMS: snprintf(buf, size, "%s", v->perms); break;
	case COL_SIZE: fmt_bytes(o, buf, size, cb->mapped); break;
	case COL_PRESENT: fmt_bytes(o, buf, size, class_present(cb)); break;
	case COL_PFNMAP: fmt_bytes(o, buf, size, cb->pfnmap); break;
	case COL_SWAP: fmt_bytes(o, buf, size, cb->swapped); break;
	case COL_CHARGE: fmt_bytes(o, buf, size, class_chargeable(cb)); break;
	case COL_LOCKED: fmt_bytes(o, buf, size, v->locked_kb * 1024); break;
	case COL_VMFLAGS: snprintf(buf, size, "%s", v->vmflags); break;
	case COL_DEVICE:
		if (!row->device)
			buf[0] = '\0';
		else if (row->bar_ambiguous)
			snprintf(buf, size, "? BAR%d", row->bar);   /* which device: unknown */
		else if (row->bar >= 0)
			snprintf(buf, size, "%s BAR%d", row->device, row->bar);
		else
			snprintf(buf, size, "%s", row->device);
		break;
	case COL_PATH: snprintf(buf, size, "%s", v->path); break;
	case COL_ROLE: snprintf(buf, size, "%s", vma_role_name(row->role) ? vma_role_name(row->role) : "-"); break;
	default: buf[0] = '\0';
	}
}

static int table_row(struct inspect_out *o, const struct inspect_row *row)
{
	struct libscols_line *ln = NULL;
	char buf[600];
	int i, rc = 0;

	if (o->nrows == TABLE_PAGE && !o->spool) {
		rc = open_spool(o);
		if (rc)
			return rc;
	}
	if (!o->spool) {
		ln = scols_table_new_line(o->tb, NULL);
		if (!ln)
			return -ENOMEM;
	}
	for (i = 0; i < o->ncols && !rc; i++) {
		cell_text(o, o->cols[i], row, buf, sizeof(buf));
		rc = note_width(o, i, buf);
		if (rc)
			break;
		if (o->spool)
			rc = spool_cell(o, buf);
		else if (scols_line_set_data(ln, i, buf))
			rc = -ENOMEM;
	}
	o->nrows++;
	return rc;
}

/* --- summary (text) ------------------------------------------------------ */

static void print_size(FILE *f, const struct inspect_out *o, const char *label, uint64_t v)
{
	char buf[32];

	fmt_bytes(o, buf, sizeof(buf), v);
	fprintf(f, " %s %s", label, buf);
}

static void summary_devfds(struct inspect_out *o, const struct inspect_report *r)
{
	size_t i;

	for (i = 0; i < r->fds.n; i++) {
		const struct vfio_fd *f = &r->fds.v[i];

		if (f->kind != VFD_DEVICE && f->kind != VFD_CDEV)
			continue;
		if (f->bdf[0])
			fprintf(o->out, "          device fd %d: %s (from the %s)\n", f->fd, f->bdf,
				!strcmp(f->bdf_source, "cdev") ? "cdev's sysfs link" :
				!strcmp(f->bdf_source, "fdinfo") ? "fdinfo syspath" :
				!strcmp(f->bdf_source, "bar-mmap") ? "BAR mmaps, inferred" : "one device of the groups held, inferred");
		else
			fprintf(o->out, "          device fd %d: device unknown (no fdinfo syspath before 6.18)\n", f->fd);
	}
}

static void summary_context(struct inspect_out *o, const struct vfio_contexts *x, const struct vfio_context *c)
{
	FILE *f = o->out;
	const char *mode = ctx_rlimit_name(c->rlimit_mode);

	fprintf(f, "          context fd %d: %s", c->fd, ctx_kind_name(c->kind));
	if (c->source == CTX_INFERRED) {
		fprintf(f, ", inferred: %s", c->reason);
		if (mode)
			fprintf(f, "; rlimit mode %s (the compat container's rule)", mode);
		fputc('\n', f);
		return;
	}
	if (c->has_in_use)
		fprintf(f, ", %" PRIu64 " mappings in use of dma_entry_limit %" PRIu64 ", %u left",
			c->mappings_in_use, x->dma_entry_limit, c->dma_avail);
	else if (c->has_dma_avail && c->kind == CTX_TYPE1)
		fprintf(f, ", %u mappings left", c->dma_avail);
	else if (c->has_dma_avail)
		fprintf(f, ", no mapping limit");
	if (mode)
		fprintf(f, ", rlimit mode %s", mode);
	if (c->ranges_known)
		fprintf(f, ", %zu IOVA range(s)", c->nranges);
	if (c->pgsizes)
		fprintf(f, ", smallest IOMMU page %" PRIu64, c->pgsizes & -c->pgsizes);
	fputc('\n', f);
}

static void summary_contexts(struct inspect_out *o, const struct inspect_report *r)
{
	size_t i;

	for (i = 0; i < r->ctx.n; i++)
		summary_context(o, &r->ctx, &r->ctx.v[i]);
}

/* Two figures that are compared: exactly enough to show which is larger (256.25M vs 256M). */
static void print_pair(FILE *f, const struct inspect_out *o, const char *la, uint64_t a, const char *lb, uint64_t b)
{
	char x[32], y[32];

	if (o->bytes) {
		fmt_bytes(o, x, sizeof(x), a);
		fmt_bytes(o, y, sizeof(y), b);
	} else {
		format_size_pair(x, sizeof(x), a, y, sizeof(y), b);
	}
	fprintf(f, " %s %s, %s %s", la, x, lb, y);
}

static void summary_vfio(struct inspect_out *o, const struct inspect_report *r)
{
	FILE *f = o->out;
	size_t g, d;

	fprintf(f, "vfio:     backend %s%s, %zu container(s), %zu iommufd(s), %zu group fd(s), %zu device fd(s)\n",
		r->backend,
		r->fds.containers && r->container_provider && !strcmp(r->container_provider, "iommufd") ?
			" (iommufd's compat container)" : "",
		r->fds.containers, r->fds.iommufds, r->fds.groups, r->fds.devices + r->fds.cdevs);
	for (g = 0; g < r->ngroups; g++)
		for (d = 0; d < r->groups[g].ndevs; d++) {
			const struct pci_dev_info *dev = &r->groups[g].devs[d];

			fprintf(f, "          group %d: %s %s [%s]\n", r->groups[g].group, dev->bdf,
				dev->name, dev->driver[0] ? dev->driver : "no driver");
		}
	summary_devfds(o, r);
	summary_contexts(o, r);
}

/* A figure exact to the byte when it is not a whole unit: two figures compared must show which is larger. */
static void print_exact(FILE *f, const struct inspect_out *o, uint64_t v)
{
	char buf[32];

	fmt_bytes(o, buf, sizeof(buf), v);
	fprintf(f, "%s", buf);
	if (!o->bytes && v % (1ULL << 20) && v >= (1ULL << 20))
		fprintf(f, " (%" PRIu64 " bytes)", v);
}

static void summary_vmlck_explained(struct inspect_out *o, const struct inspect_report *r)
{
	const struct vmlck_explained *x = &r->vx;
	FILE *f = o->out;

	if (!r->have_vx)
		return;
	if (!x->contexts) {
		fprintf(f, "          its command line names no VFIO device: no DMA context charges it\n");
		return;
	}
	fprintf(f, "          %s %s %d context%s x (", x->figure_is_vmpin ? "VmPin" : "that",
		x->exact ? "=" : "differs from", x->contexts, x->contexts == 1 ? "" : "s");
	print_exact(f, o, x->ram_bytes);
	fprintf(f, " RAM");
	if (x->ram_hidden_bytes) {
		fprintf(f, " - ");
		print_exact(f, o, x->ram_hidden_bytes);
		fprintf(f, " under the ROM windows");
	}
	if (x->roms_charged) {
		fprintf(f, " + ");
		print_exact(f, o, x->rom_bytes);
		fprintf(f, " ROMs");
	}
	fprintf(f, ") = ");
	print_exact(f, o, x->explained_bytes);
	if (x->exact) {
		fprintf(f, ", exactly");
		if (x->rom_how[0])
			fprintf(f, " (%s)", x->rom_how);
		fputc('\n', f);
		return;
	}
	fprintf(f, " by %s", x->diff_bytes < 0 ? "-" : "+");
	print_exact(f, o, (uint64_t)(x->diff_bytes < 0 ? -x->diff_bytes : x->diff_bytes));
	fprintf(f, "\n");
}

/* What the VMM's command line says and what the roles found of it. */
static void summary_vmm(struct inspect_out *o, const struct inspect_report *r)
{
	const struct vmm_view *vw = &r->vmm;
	FILE *f = o->out;
	int i;

	if (!vw->have) {
		fprintf(f, "vmm:      none known (%s)\n", vw->why);
		return;
	}
	fprintf(f, "vmm:      %s, from its command line:", vmm_kind_name(vw->cfg.kind));
	for (i = VR_NONE + 1; i <= VR_RAM_BLOCK; i++)
		if (r->role_bytes[i])
			print_size(f, o, vma_role_name((enum vma_role)i), r->role_bytes[i]);
	fputc('\n', f);
	if (vw->why[0])
		fprintf(f, "          note: %s\n", vw->why);
}

static void summary_memlock(struct inspect_out *o, const struct inspect_report *r)
{
	const struct memlock_view *v = &r->mv;
	const struct memlock_explain *e = &r->me;
	FILE *f = o->out;

	fprintf(f, "memlock: ");
	if (!r->have_limit || v->limit_unlimited) {
		fprintf(f, " limit unlimited,");
		print_size(f, o, "VmLck", v->vm_lck);
	} else {
		print_pair(f, o, "limit", v->limit, "VmLck", v->vm_lck);
	}
	fputc(',', f);
	print_size(f, o, "VmPin", v->vm_pin);
	fputc(',', f);
	print_size(f, o, "mlocked", v->mlocked);
	fprintf(f, "%s\n", v->cap_ipc_lock ? ", CAP_IPC_LOCK (limit not enforced by type1)" : "");
	fprintf(f, "          VmLck not explained by mlock (DMA pinning, estimate):");
	print_size(f, o, "", e->dma_locked > 0 ? (uint64_t)e->dma_locked : 0);
	fputc('\n', f);
	summary_vmlck_explained(o, r);
	if (e->has_headroom && !e->limit_applies) {
		/* CAP_IPC_LOCK: no limit binds, so nothing is "over" it; the arithmetic stays apart */
		char h[32];

		fmt_bytes(o, h, sizeof(h), (uint64_t)(e->headroom < 0 ? -e->headroom : e->headroom));
		fprintf(f, "          headroom: the limit does not apply (CAP_IPC_LOCK); arithmetic only: limit - VmLck = %s%s\n",
			e->headroom < 0 ? "-" : "", h);
	} else if (e->has_headroom) {
		fprintf(f, "          headroom:");
		if (e->headroom < 0) {
			print_size(f, o, "", (uint64_t)-e->headroom);
			fprintf(f, " OVER the limit\n");
		} else {
			print_size(f, o, "", (uint64_t)e->headroom);
			fputc('\n', f);
		}
	}
	if (e->multi_context)
		fprintf(f, "          warning: %u VFIO containers/iommufd contexts: each charges the same RAM again\n",
			v->containers + v->iommufds);
	if (e->double_charge)
		fprintf(f, "          iommufd per-process accounting (compat container or per-mm mode): the same pages count in VmLck and VmPin\n");
	else if (e->iommufd_accounting)
		fprintf(f, "          iommufd pins count in VmPin only: per-user mode (its budget is the user's, not visible per process) or CAP_IPC_LOCK\n");
	else if (e->pinned_elsewhere)
		fprintf(f, "          VmPin > 0: io_uring, RDMA or another pinned_vm user\n");
}

static void summary_totals(struct inspect_out *o, const struct inspect_report *r)
{
	const struct class_bytes *t = &r->totals;
	FILE *f = o->out;
	int c;

	fprintf(f, "pages:   ");
	print_size(f, o, "mapped", t->mapped);
	fputc(',', f);
	print_size(f, o, "present", class_present(t));
	fprintf(f, " =");
	for (c = PC_NR - 1; c >= 0; c--)
		if (t->bytes[c])
			print_size(f, o, class_name(c), t->bytes[c]);
	if (t->pfnmap)
		{ fputc(';', f); print_size(f, o, "pfnmap", t->pfnmap); }
	if (t->swapped)
		{ fputc(';', f); print_size(f, o, "swapped", t->swapped); }
	fputc('\n', f);
	fprintf(f, "         ");
	print_size(f, o, "chargeable if DMA-mapped once (type1):", class_chargeable(t));
	fputc('\n', f);
	if (t->unscanned) {
		fprintf(f, "note:    ");
		print_size(f, o, "", t->unscanned);
		fprintf(f, " of empty address-space reservations (no resident page in smaps) was not read page by page:\n"
			"          this kernel has no PAGEMAP_SCAN (6.7+); zero-page mappings there, if any, are not counted\n");
	}
	if (r->stats.pfn_hidden)
		fprintf(f, "note:     pfns are hidden from this reader (needs CAP_SYS_ADMIN): those pages are 'unknown', run as root\n");
}

static void print_summary(struct inspect_out *o, const struct inspect_report *r)
{
	fprintf(o->out, "process:  %s (%s), kernel %s\n", r->pid, r->st.name, r->release);
	summary_vfio(o, r);
	summary_vmm(o, r);
	summary_memlock(o, r);
	summary_totals(o, r);
}

/* --- --pages (streamed: a run list can be as long as memory is large) --- */

int inspect_out_run(void *arg, const struct page_run *run)
{
	struct inspect_out *o = arg;
	struct page_run dev;
	char flags[512];

	/* kpageflags says NOPAGE (or EOF) for ZONE_DEVICE pages: the vma says what they are. */
	if (o->vma_device && (run->cls == PC_INVALID || run->cls == PC_RESERVED)) {
		dev = *run;
		dev.cls = PC_DEVICE;
		run = &dev;
	}

	kpf_format(flags, sizeof(flags), run->flags);
	if (o->fmt == FMT_JSON) {
		struct jsonw *w = &o->jw;

		jw_open_obj(w, NULL);
		jw_hex(w, "vaddr", run->vaddr);
		if (run->pfn_visible)
			jw_hex(w, "pfn", run->pfn);
		else
			jw_null(w, "pfn");
		jw_u64(w, "pages", run->npages);
		jw_str(w, "class", class_name(run->cls));
		jw_str(w, "flags", flags);
		jw_close_obj(w);
		return 0;
	}
	if (run->pfn_visible)
		fprintf(o->out, o->fmt == FMT_RAW ? "%" PRIx64 " %" PRIx64 " %" PRIu64 " %s %s\n"
			: "%14" PRIx64 " %12" PRIx64 " %8" PRIu64 " %-8s %s\n",
			run->vaddr, run->pfn, run->npages, class_name(run->cls), flags);
	else
		fprintf(o->out, o->fmt == FMT_RAW ? "%" PRIx64 " %s %" PRIu64 " %s -\n"
			: "%14" PRIx64 " %12s %8" PRIu64 " %-8s -\n",
			run->vaddr, "-", run->npages, class_name(run->cls));
	return 0;
}

/* --- entry points -------------------------------------------------------- */

int inspect_out_begin(struct inspect_out *o, const struct inspect_report *r)
{
	if (o->fmt == FMT_JSON) {
		json_begin(o, r);
		return 0;
	}
	if (o->pages) {
		if (!o->noheadings)
			fprintf(o->out, o->fmt == FMT_RAW ? "VADDR PFN PAGES CLASS FLAGS\n"
				: "%14s %12s %8s %-8s %s\n", "VADDR", "PFN", "PAGES", "CLASS", "FLAGS");
		return 0;
	}
	return o->summary_only ? 0 : table_begin(o);
}

int inspect_out_vma_begin(struct inspect_out *o, const struct inspect_row *row)
{
	o->vma_device = row->zone_device;
	if (o->fmt == FMT_JSON && !o->summary_only)
		json_vma_begin(o, row);
	return 0;
}

int inspect_out_vma_end(struct inspect_out *o, const struct inspect_row *row)
{
	if (o->fmt == FMT_JSON) {
		if (!o->summary_only)
			json_vma_end(o, row);
		return 0;
	}
	if (o->pages || o->summary_only)
		return 0;
	return table_row(o, row);
}

int inspect_out_end(struct inspect_out *o, const struct inspect_report *r)
{
	if (o->fmt == FMT_JSON) {
		json_end(o, r);
		return 0;
	}
	if (o->pages)
		return 0;
	if (o->fmt == FMT_TABLE || o->summary_only)
		print_summary(o, r);
	if (o->summary_only)
		return 0;
	if (o->fmt == FMT_TABLE)
		fputc('\n', o->out);
	return print_table(o);
}

void inspect_out_free(struct inspect_out *o)
{
	int i;

	if (o->tb)
		scols_unref_table(o->tb);
	o->tb = NULL;
	if (o->spool)
		fclose(o->spool);
	o->spool = NULL;
	for (i = 0; i < (int)ARRAY_SIZE(o->widest); i++) {
		free(o->widest[i]);
		o->widest[i] = NULL;
	}
}
