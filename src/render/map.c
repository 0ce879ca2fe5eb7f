// SPDX-License-Identifier: GPL-2.0-or-later
/* map output: a summary, a libsmartcols table of mappings, or one JSON report. */
#include <errno.h>
#include <inttypes.h>
#include <libsmartcols.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "render/jsonw.h"
#include "map/map.h"
#include "render/render.h"
#include "lib/util.h"

static void fmt(const struct map_out *o, char *buf, size_t size, uint64_t v)
{
	if (o->bytes)
		snprintf(buf, size, "%" PRIu64, v);
	else
		format_size(buf, size, v);
}

static void fmt_signed(const struct map_out *o, char *buf, size_t size, int64_t v)
{
	buf[0] = v < 0 ? '-' : '+';
	fmt(o, buf + 1, size - 1, v < 0 ? (uint64_t)-v : (uint64_t)v);
}

static const char *prot_name(unsigned flags)
{
	switch (flags & (BE_MAP_READ | BE_MAP_WRITE)) {
	case BE_MAP_READ: return "ro";
	case BE_MAP_WRITE: return "wo";
	case BE_MAP_READ | BE_MAP_WRITE: return "rw";
	}
	return "-";
}

static uint64_t unpopulated(const struct class_bytes *cb)
{
	uint64_t have = class_present(cb) + cb->swapped;

	return cb->pfnmap || cb->mapped <= have ? 0 : cb->mapped - have;
}

/* "anon 4M", "zero 512K + anon 512K", "hole 4M" */
static void classes_text(const struct map_out *o, const struct class_bytes *cb, char *buf, size_t size)
{
	char v[32];
	size_t used = 0;
	int c;

	buf[0] = '\0';
	for (c = PC_NR - 1; c >= 0 && used + 1 < size; c--) {
		if (!cb->bytes[c])
			continue;
		fmt(o, v, sizeof(v), cb->bytes[c]);
		used += (size_t)snprintf(buf + used, size - used, "%s%s %s", used ? " + " : "",
					 class_name(c), v);
	}
	if (cb->swapped && used + 1 < size) {
		fmt(o, v, sizeof(v), cb->swapped);
		used += (size_t)snprintf(buf + used, size - used, "%sswapped %s", used ? " + " : "", v);
	}
	if (unpopulated(cb) && used + 1 < size) {
		fmt(o, v, sizeof(v), unpopulated(cb));
		used += (size_t)snprintf(buf + used, size - used, "%shole %s", used ? " + " : "", v);
	}
	if (!used)
		snprintf(buf, size, "-");
}

/* --- text -------------------------------------------------------------------- */

static void pgsizes_text(uint64_t bitmap, char *buf, size_t size)
{
	size_t used = 0;
	int b;

	buf[0] = '\0';
	/* iommufd (and its compat container) answers every power of two from its alignment. */
	if (bitmap && bitmap == ~((bitmap & -bitmap) - 1) && __builtin_popcountll(bitmap) > 8) {
		char v[16];

		format_size(v, sizeof(v), bitmap & -bitmap);
		snprintf(buf, size, "any power of two from %s", v);
		return;
	}
	for (b = 12; b < 64 && used + 1 < size; b++) {
		char v[16];

		if (!(bitmap >> b & 1))
			continue;
		format_size(v, sizeof(v), 1ULL << b);
		used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? " " : "", v);
	}
	if (!used)
		snprintf(buf, size, "?");
}

static const char *mode_text(const struct map_state *st)
{
	switch (st->rule) {
	case RULE_IOMMUFD_USER: return "per-user accounting: charges VmPin; without CAP_IPC_LOCK also the uid's locked memory, which no process shows";
	case RULE_IOMMUFD_MM: return "per-mm accounting: charges VmPin; without CAP_IPC_LOCK also VmLck";
	case RULE_IOMMUFD_COMPAT: return "iommufd's compat container, per-mm: charges VmPin; without CAP_IPC_LOCK also VmLck";
	default: return "charges VmLck";
	}
}

/* What CAP_IPC_LOCK (or its absence) means for this backend. */
static const char *cap_text(const struct map_state *st)
{
	if (st->rule == RULE_TYPE1)
		return st->cap_ipc_lock ? "CAP_IPC_LOCK: type1 does not enforce the limit (it still charges)"
					: "no CAP_IPC_LOCK: type1 enforces the limit";
	if (st->cap_ipc_lock)
		return "CAP_IPC_LOCK: iommufd charges no locked counter and enforces no limit (VmPin still grows)";
	return st->rule == RULE_IOMMUFD_USER ? "no CAP_IPC_LOCK: iommufd enforces the limit on the uid's locked memory"
					     : "no CAP_IPC_LOCK: iommufd enforces the limit on VmLck";
}

static void print_counters(const struct map_out *o, const struct map_report *r)
{
	const struct map_state *st = &r->st;
	char a[32], b[32], c[32], note[800];
	FILE *f = o->out;

	fmt(o, a, sizeof(a), st->base_lck);
	fmt(o, b, sizeof(b), st->alloc_lck);
	fmt(o, c, sizeof(c), st->need_bytes);
	if (st->rule == RULE_TYPE1) {
		fprintf(f, "VmLck:    baseline %s; %s once the memory is allocated (mlock counts); %s lets every map through\n\n",
			a, b, c);
		return;
	}
	fprintf(f, "VmLck:    baseline %s; %s once the memory is allocated (mlock counts)\n", a, b);
	fmt(o, a, sizeof(a), st->base_pin);
	fprintf(f, "VmPin:    baseline %s\n", a);
	fprintf(f, "limit:    %s lets every map through%s\n", c,
		st->rule == RULE_IOMMUFD_USER ? " (as far as this process's own charges go)" : "");
	map_budget_note(st, note, sizeof(note));
	if (note[0])
		fprintf(f, "budget:   %s\n", note);
	fputc('\n', f);
}

static void print_header(const struct map_out *o, const struct map_report *r)
{
	const struct map_state *st = &r->st;
	const struct backend_info *bi = &st->info;
	char a[32], pg[128];
	size_t i;
	FILE *f = o->out;

	fprintf(f, "device:   %s (%s), IOMMU group %d, backend %s (%s)\n", st->device,
		st->device_name, st->group, st->backend, mode_text(st));
	if (st->rule != RULE_TYPE1 || strcmp(st->backend_requested, "type1"))
		fprintf(f, "backend:  %s\n", st->backend_reason);
	fprintf(f, "kernel:   %s\n", st->release);
	if (st->limit_unlimited)
		snprintf(a, sizeof(a), "unlimited");
	else
		fmt(o, a, sizeof(a), st->limit);
	fprintf(f, "process:  pid %d (%s), RLIMIT_MEMLOCK %s%s, %s\n", st->pid, st->user, a,
		st->memlock_set ? " (--memlock)" : "", cap_text(st));
	pgsizes_text(bi->pgsizes, pg, sizeof(pg));
	fprintf(f, "iommu:    page sizes %s; IOVA ranges", pg);
	if (!bi->ranges_known)
		fprintf(f, " not reported");
	for (i = 0; i < bi->nranges; i++)
		fprintf(f, "%s 0x%" PRIx64 "-0x%" PRIx64, i ? "," : "", bi->ranges[i].start, bi->ranges[i].end);
	if (bi->has_dma_avail && st->rule == RULE_TYPE1)
		fprintf(f, "; %u mappings available", bi->dma_avail);
	fputc('\n', f);
	print_counters(o, r);
}

enum {
	C_NO, C_TYPE, C_SIZE, C_PROT, C_IOVA, C_VADDR, C_BEFORE, C_AFTER, C_PRED, C_MEAS,
	C_PRED_LCK, C_MEAS_LCK, C_AGREE, C_ERROR, C_FAULT, C_MAP, C_UNMAP, C_RATE,
};

static const struct { const char *name; double whint; int flags; } cols[] = {
	[C_NO] = { "#", 3, SCOLS_FL_RIGHT },
	[C_TYPE] = { "TYPE", 6, 0 },
	[C_SIZE] = { "SIZE", 6, SCOLS_FL_RIGHT },
	[C_PROT] = { "PROT", 3, 0 },
	[C_IOVA] = { "IOVA", 12, SCOLS_FL_RIGHT },
	[C_VADDR] = { "VADDR", 14, SCOLS_FL_RIGHT },
	[C_BEFORE] = { "BEFORE", 12, 0 },
	[C_AFTER] = { "AFTER", 12, 0 },
	[C_PRED] = { "PREDICTED", 8, SCOLS_FL_RIGHT },
	[C_MEAS] = { "MEASURED", 8, SCOLS_FL_RIGHT },
	[C_PRED_LCK] = { "PRED LCK", 8, SCOLS_FL_RIGHT },
	[C_MEAS_LCK] = { "MEAS LCK", 8, SCOLS_FL_RIGHT },
	[C_AGREE] = { "AGREE", 3, 0 },
	[C_ERROR] = { "ERROR", 10, 0 },
	/* --time */
	[C_FAULT] = { "FAULT", 7, SCOLS_FL_RIGHT },
	[C_MAP] = { "MAP", 7, SCOLS_FL_RIGHT },
	[C_UNMAP] = { "UNMAP", 7, SCOLS_FL_RIGHT },
	[C_RATE] = { "MAP RATE", 9, SCOLS_FL_RIGHT },
};

/* "850ns", "12.3us", "4.56ms", "1.23s" */
static void fmt_ns(char *buf, size_t size, uint64_t ns)
{
	if (ns < 1000)
		snprintf(buf, size, "%" PRIu64 "ns", ns);
	else if (ns < 1000000)
		snprintf(buf, size, "%.1fus", (double)ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, size, "%.2fms", (double)ns / 1e6);
	else
		snprintf(buf, size, "%.2fs", (double)ns / 1e9);
}

/* bytes and 4K pages a second; 0 when no time was measured */
static uint64_t per_s(uint64_t amount, uint64_t ns)
{
	return ns ? (uint64_t)((double)amount * 1e9 / (double)ns) : 0;
}

static void fmt_rate(const struct map_out *o, char *buf, size_t size, uint64_t bytes, uint64_t ns)
{
	size_t n;

	if (!ns) {
		snprintf(buf, size, "-");
		return;
	}
	fmt(o, buf, size, per_s(bytes, ns));
	n = strlen(buf);
	snprintf(buf + n, size - n, "/s");
}

static void cell(const struct map_out *o, const struct map_report *r, const struct map_row *row,
		 int col, char *buf, size_t size)
{
	enum charge_counter cnt = r->st.counter;

	switch (col) {
	case C_NO:
		if (r->st.repeat > 1)
			snprintf(buf, size, "%d.%d", row->region + 1, row->pass);
		else
			snprintf(buf, size, "%d", row->region + 1);
		break;
	case C_TYPE: map_row_type(row, buf, size); break;
	case C_SIZE: fmt(o, buf, size, row->size); break;
	case C_PROT: snprintf(buf, size, "%s", prot_name(row->flags)); break;
	case C_IOVA: snprintf(buf, size, "0x%" PRIx64, row->iova); break;
	case C_VADDR: snprintf(buf, size, "0x%" PRIx64, row->vaddr); break;
	case C_BEFORE: classes_text(o, &row->before, buf, size); break;
	case C_AFTER: classes_text(o, &row->after, buf, size); break;
	case C_PRED:
		if (row->pred.err)
			snprintf(buf, size, "%s", errno_name(row->pred.err));
		else
			fmt_signed(o, buf, size, (int64_t)row->pred.charge[cnt]);
		break;
	case C_MEAS:
		if (row->err)
			snprintf(buf, size, "%s", errno_name(row->err));
		else
			fmt_signed(o, buf, size, row->measured[cnt]);
		break;
	case C_PRED_LCK:
		if (row->pred.err)
			snprintf(buf, size, "%s", errno_name(row->pred.err));
		else
			fmt_signed(o, buf, size, (int64_t)row->pred.charge[CNT_VMLCK]);
		break;
	case C_MEAS_LCK:
		if (row->err)
			snprintf(buf, size, "%s", errno_name(row->err));
		else
			fmt_signed(o, buf, size, row->measured[CNT_VMLCK]);
		break;
	case C_AGREE: snprintf(buf, size, "%s", row->agree ? "yes" : "NO"); break;
	case C_ERROR:
		snprintf(buf, size, "%s", row->err ? errno_name(row->err) : row->unmap_err ? "unmap failed" : "-");
		break;
	case C_FAULT: fmt_ns(buf, size, row->fault_ns); break;
	case C_MAP: fmt_ns(buf, size, row->map_ns); break;
	case C_UNMAP:
		if (row->unmap_ns)
			fmt_ns(buf, size, row->unmap_ns);
		else
			snprintf(buf, size, "-");
		break;
	case C_RATE: fmt_rate(o, buf, size, row->err ? 0 : row->size, row->err ? 0 : row->map_ns); break;
	default: buf[0] = '\0';
	}
}

/*
 * type1 moves VmLck alone: one PREDICTED/MEASURED pair.  iommufd moves VmPin
 * always and VmLck in per-mm mode without CAP_IPC_LOCK: a pair for each.
 */
static bool col_shown(const struct map_state *st, size_t c)
{
	if (c >= C_FAULT)
		return st->timed;
	return st->rule != RULE_TYPE1 || (c != C_PRED_LCK && c != C_MEAS_LCK);
}

static const char *col_name(const struct map_state *st, size_t c)
{
	if (st->rule != RULE_TYPE1 && c == C_PRED)
		return "PRED PIN";
	if (st->rule != RULE_TYPE1 && c == C_MEAS)
		return "MEAS PIN";
	return cols[c].name;
}

static int print_table(const struct map_out *o, const struct map_report *r)
{
	struct libscols_table *tb = scols_new_table();
	char buf[256];
	size_t c, k;
	int i, rc = 0;

	if (!tb)
		return -ENOMEM;
	for (c = 0; c < ARRAY_SIZE(cols); c++)
		if (col_shown(&r->st, c) && !scols_table_new_column(tb, col_name(&r->st, c), cols[c].whint, cols[c].flags))
			rc = -ENOMEM;
	for (i = 0; i < r->st.nrows && !rc; i++) {
		const struct map_row *row = &r->rows[i];
		struct libscols_line *ln;

		if (!row->attempted)
			continue;
		ln = scols_table_new_line(tb, NULL);
		if (!ln) {
			rc = -ENOMEM;
			break;
		}
		for (c = 0, k = 0; c < ARRAY_SIZE(cols); c++) {
			if (!col_shown(&r->st, c))
				continue;
			cell(o, r, row, (int)c, buf, sizeof(buf));
			scols_line_set_data(ln, k++, buf);
		}
	}
	if (!rc)
		scols_print_table(tb);
	scols_unref_table(tb);
	return rc;
}

static void print_result(const struct map_out *o, const struct map_report *r)
{
	const struct map_state *st = &r->st;
	int i, attempted = 0, agreed = 0, failed = 0;

	for (i = 0; i < st->nrows; i++) {
		if (!r->rows[i].attempted)
			continue;
		attempted++;
		agreed += r->rows[i].agree;
		failed += r->rows[i].err != 0;
	}
	fprintf(o->out, "\nresult:   %d of %d mapping(s) attempted, %d refused by the kernel; prediction %s",
		attempted, st->nrows, failed, agreed == attempted ? "= kernel for all" : "and kernel DISAGREE on");
	if (agreed != attempted)
		fprintf(o->out, " %d", attempted - agreed);
	fputc('\n', o->out);
	for (i = 0; i < st->nrows; i++) {
		char msg[1024];

		if (!r->rows[i].attempted || !r->rows[i].err)
			continue;
		map_row_message(r, &r->rows[i], msg, sizeof(msg));
		fprintf(o->out, "          %s%s\n", msg,
			r->rows[i].pred.err == r->rows[i].err ? " (predicted)"
			: r->rows[i].shared_budget ? " (predicted as possible: the uid's other processes)"
			: " (NOT predicted)");
	}
}

/*
 * FOLL_PIN counters and pfn identity per region: one line each, after the
 * table (the system-wide counters, /proc/vmstat after stat_refresh).
 */
static void print_pins(const struct map_out *o, const struct map_report *r)
{
	const struct map_state *st = &r->st;
	char name[16], ch[16], pch[16];
	int i;

	if (!st->pins_refreshed) {
		fprintf(o->out, "pins:     not measured: /proc/sys/vm/stat_refresh cannot be written (root only), so /proc/vmstat's pin counters are not exact\n");
		return;
	}
	for (i = 0; i < st->nrows; i++) {
		const struct map_row *row = &r->rows[i];
		const struct predict_out *p = &row->pred;

		if (!row->attempted || row->err)
			continue;
		map_row_type(row, name, sizeof(name));
		fmt(o, pch, sizeof(pch), p->pfns_changed);
		fprintf(o->out, "pins:     #%d %s: map +%" PRIu64 " -%" PRIu64 " (predicted +%" PRIu64 " -%" PRIu64 "), unmap -%" PRIu64 " (predicted -%" PRIu64 ")",
			row->region + 1, name, row->pin_acq, row->pin_rel, p->pins_map, p->unpins_map,
			row->unpin_rel, p->unpins_unmap);
		if (row->pfns_known) {
			fmt(o, ch, sizeof(ch), row->pfns_changed);
			fprintf(o->out, "; pfns changed %s (predicted %s)", ch, pch);
		} else {
			fprintf(o->out, "; pfns not visible (PFNMAP or not root), predicted %s changed", pch);
		}
		if (p->pfn_rule && *p->pfn_rule)
			fprintf(o->out, ": %s", p->pfn_rule);
		if (!p->verified)
			fprintf(o->out, " [rule unverified: read in kernel source, never measured]");
		fputc('\n', o->out);
	}
}

/* A leak is a finding, predicted or not: the pins stay after munmap and close. */
static void print_pins_finding(const struct map_out *o, const struct map_report *r)
{
	const struct map_state *st = &r->st;

	if (st->pins_known && st->pins_leaked)
		fprintf(o->out, "finding:  %" PRIu64 " pin(s) of 4 KiB are still held after every unmap (%" PRIu64 " released by munmap and close)%s: %s\n",
			st->pins_leaked, st->pins_after_free,
			st->pins_concurrent ? "; other processes pinned meanwhile, so the system-wide count is not exact" : "",
			st->pins_leaked == st->pins_leaked_predicted
			? "predicted: type1 never unpins PG_reserved pages it pinned (put_pfn skips is_invalid_reserved_pfn pages), which every ZONE_DEVICE (device-dax) page is; they stay pinned until reboot"
			: "NOT predicted; please report with `vfio-pinctl capture`");
	else if (st->pins_known && st->pins_concurrent)
		fprintf(o->out, "note:     other processes pinned pages meanwhile: the pin counts above are system-wide and not exact\n");
}

/* The sums of --time over every attempted row. */
struct time_totals {
	uint64_t fault_ns, map_ns, unmap_ns, mapped_bytes, unmapped_bytes;
	int64_t pin_batches, walk_leaves, iommu_chunks;   /* -1: not known for some row */
};

static void sum_times(const struct map_report *r, struct time_totals *t)
{
	int i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < r->st.nrows; i++) {
		const struct map_row *row = &r->rows[i];

		if (!row->attempted)
			continue;
		t->fault_ns += row->fault_ns;
		t->map_ns += row->map_ns;
		t->unmap_ns += row->unmap_ns;
		if (!row->err)
			t->mapped_bytes += row->size;
		if (row->unmap_ns && !row->unmap_err)
			t->unmapped_bytes += row->size;
		t->pin_batches = row->pin_batches < 0 || t->pin_batches < 0 ? -1 : t->pin_batches + row->pin_batches;
		t->walk_leaves = row->walk_leaves < 0 || t->walk_leaves < 0 ? -1 : t->walk_leaves + row->walk_leaves;
		t->iommu_chunks = row->iommu_chunks < 0 || t->iommu_chunks < 0 ? -1 :
				  t->iommu_chunks + (row->err ? 0 : row->iommu_chunks);
	}
}

static void print_time(const struct map_out *o, const struct map_report *r)
{
	struct time_totals t;
	char a[32], b[32], c[32], d[32], e[32], sum[32];

	if (!r->st.timed)
		return;
	sum_times(r, &t);
	fmt_ns(a, sizeof(a), t.fault_ns);
	fmt_ns(b, sizeof(b), t.map_ns);
	fmt_ns(c, sizeof(c), t.unmap_ns);
	fmt_ns(sum, sizeof(sum), t.fault_ns + t.map_ns + t.unmap_ns);
	fmt_rate(o, d, sizeof(d), t.mapped_bytes, t.map_ns);
	fmt_rate(o, e, sizeof(e), t.unmapped_bytes, t.unmap_ns);
	fprintf(o->out, "time:     allocate+pre-fault %s, %s %s (%s, %" PRIu64 " pages/s), unmap %s (%s); total %s\n",
		a, map_ioctl_name(&r->st), b, d, per_s(t.mapped_bytes / 4096, t.map_ns), c, e, sum);
	fprintf(o->out, "          page-table leaves walked %" PRId64 " (derived from the page sizes)", t.walk_leaves);
	if (t.iommu_chunks >= 0)
		fprintf(o->out, ", contiguous pfn runs %" PRId64 " (pagemap%s)", t.iommu_chunks,
			r->st.rule == RULE_TYPE1 ? ": type1 issues one iommu_map each" : "");
	if (t.pin_batches >= 0)
		fprintf(o->out, ", pin batches %" PRId64 " (predicted: %s)", t.pin_batches,
			r->st.disable_hugepages ? "one page a batch, disable_hugepages=Y" :
			kver_cmp(&r->st.kv, 5, 13) < 0 ? "one page a call before 5.13" : "512 pages a batch, 5.13+");
	fputc('\n', o->out);
}

static void print_release(const struct map_out *o, const struct map_report *r)
{
	const struct map_state *st = &r->st;
	char a[32], b[32];

	fmt(o, a, sizeof(a), st->final_lck);
	fmt(o, b, sizeof(b), st->base_lck);
	fprintf(o->out, "release:  %sVmLck %s (baseline %s)", st->held ? "held until signalled; " : "", a, b);
	if (st->rule != RULE_TYPE1 || st->final_pin != st->base_pin) {
		fmt(o, a, sizeof(a), st->final_pin);
		fmt(o, b, sizeof(b), st->base_pin);
		fprintf(o->out, ", VmPin %s (baseline %s)", a, b);
	}
	if (st->hp_before[0] >= 0)
		fprintf(o->out, ", free 2M huge pages %ld (baseline %ld)", st->hp_after[0], st->hp_before[0]);
	if (st->hp_before[1] >= 0)
		fprintf(o->out, ", free 1G huge pages %ld (baseline %ld)", st->hp_after[1], st->hp_before[1]);
	if (st->pins_known)
		fprintf(o->out, ", pins leaked %" PRIu64 " (predicted %" PRIu64 ")", st->pins_leaked, st->pins_leaked_predicted);
	fprintf(o->out, "%s: %s\n", st->unmap_errors ? ", UNMAP ERRORS" : "",
		st->baseline_restored ? "baseline restored" : "baseline NOT restored");
	print_pins_finding(o, r);
}

/* --- JSON -------------------------------------------------------------------- */

/* The object render-inspect.c's json_classes() writes: the same names. */
static void json_classes(struct jsonw *w, const char *key, const struct class_bytes *cb)
{
	jw_open_obj(w, key);
	json_class_fields(w, cb);
	jw_u64(w, "unpopulated_bytes", unpopulated(cb));
	jw_close_obj(w);
}

static void json_err(struct jsonw *w, const char *key, int err)
{
	if (err)
		jw_str(w, key, errno_name(err));
	else
		jw_null(w, key);
}

static void json_opt_u64(struct jsonw *w, const char *key, bool known, uint64_t v)
{
	if (known)
		jw_u64(w, key, v);
	else
		jw_null(w, key);
}

/* FOLL_PIN counts (4K pages) and pfn identity of one row, predicted and measured. */
static void json_pins(struct jsonw *w, const struct map_row *row)
{
	const struct predict_out *p = &row->pred;

	jw_open_obj(w, "pins");
	jw_open_obj(w, "predicted");
	jw_u64(w, "taken_at_map", p->pins_map);
	jw_u64(w, "released_at_map", p->unpins_map);
	jw_u64(w, "released_at_unmap", p->unpins_unmap);
	jw_u64(w, "leaked", p->pins_leaked);
	jw_bool(w, "exact", p->pins_exact);
	jw_close_obj(w);
	jw_open_obj(w, "measured");
	json_opt_u64(w, "taken_at_map", row->pins_known, row->pin_acq);
	json_opt_u64(w, "released_at_map", row->pins_known, row->pin_rel);
	json_opt_u64(w, "taken_at_unmap", row->unpins_known, row->unpin_acq);
	json_opt_u64(w, "released_at_unmap", row->unpins_known, row->unpin_rel);
	jw_close_obj(w);
	jw_close_obj(w);
	json_opt_u64(w, "pfns_changed_bytes", row->pfns_known, row->pfns_changed);
	jw_u64(w, "predicted_pfns_changed_bytes", p->pfns_changed);
	jw_str(w, "pfn_rule", p->pfn_rule ? p->pfn_rule : "");
	jw_u64(w, "ksm_shared_bytes", row->shared_bytes);
	jw_u64(w, "movable_bytes", row->movable_bytes);
	/* false: the rule is read in kernel source only, never measured (the iommufd column). */
	jw_bool(w, "rule_verified", p->verified);
}

static void json_count(struct jsonw *w, const char *key, int64_t v)
{
	if (v < 0)
		jw_null(w, key);
	else
		jw_u64(w, key, (uint64_t)v);
}

/* --time: the names map_ns, unmap_ns, fault_ns are an interface (vfio-pinctl-map(8)). */
static void json_row_time(struct jsonw *w, const struct map_row *row)
{
	jw_u64(w, "fault_ns", row->fault_ns);
	jw_u64(w, "map_ns", row->map_ns);
	jw_u64(w, "unmap_ns", row->unmap_ns);
	jw_u64(w, "map_bytes_per_s", row->err ? 0 : per_s(row->size, row->map_ns));
	jw_u64(w, "map_pages_per_s", row->err ? 0 : per_s(row->size / 4096, row->map_ns));
	json_count(w, "pin_batches_predicted", row->pin_batches);
	json_count(w, "page_walk_leaves", row->walk_leaves);
	json_count(w, "iommu_map_chunks", row->iommu_chunks);
}

static void json_time(struct jsonw *w, const struct map_report *r)
{
	struct time_totals t;

	if (!r->st.timed)
		return;   /* --time only: the report without it stays as it was */
	sum_times(r, &t);
	jw_open_obj(w, "time");
	jw_u64(w, "fault_ns", t.fault_ns);
	jw_u64(w, "map_ns", t.map_ns);
	jw_u64(w, "unmap_ns", t.unmap_ns);
	jw_u64(w, "total_ns", t.fault_ns + t.map_ns + t.unmap_ns);
	jw_u64(w, "mapped_bytes", t.mapped_bytes);
	jw_u64(w, "map_bytes_per_s", per_s(t.mapped_bytes, t.map_ns));
	jw_u64(w, "map_pages_per_s", per_s(t.mapped_bytes / 4096, t.map_ns));
	jw_u64(w, "unmap_bytes_per_s", per_s(t.unmapped_bytes, t.unmap_ns));
	json_count(w, "pin_batches_predicted", t.pin_batches);
	jw_u64(w, "pin_batch_pages", r->st.disable_hugepages || kver_cmp(&r->st.kv, 5, 13) < 0 ? 1 : 512);
	json_count(w, "page_walk_leaves", t.walk_leaves);
	json_count(w, "iommu_map_chunks", t.iommu_chunks);
	jw_close_obj(w);
}

static void json_row(struct jsonw *w, const struct map_report *r, const struct map_row *row)
{
	enum charge_counter cnt = r->st.counter;
	char name[16], msg[1024];

	map_row_type(row, name, sizeof(name));
	jw_open_obj(w, NULL);
	jw_u64(w, "region", (uint64_t)row->region + 1);
	jw_u64(w, "pass", (uint64_t)row->pass);
	jw_str(w, "type", name);
	if (row->type == MT_BAR)
		jw_u64(w, "bar", (uint64_t)row->bar);
	jw_hex(w, "vaddr", row->vaddr);
	jw_hex(w, "iova", row->iova);
	jw_u64(w, "size_bytes", row->size);
	jw_str(w, "prot", prot_name(row->flags));
	json_classes(w, "classes", &row->after);
	json_classes(w, "classes_before", &row->before);
	jw_u64(w, "predicted_charge_bytes", row->pred.charge[cnt]);
	jw_open_obj(w, "predicted");
	jw_u64(w, "vmlck_bytes", row->pred.charge[CNT_VMLCK]);
	jw_u64(w, "vmpin_bytes", row->pred.charge[CNT_VMPIN]);
	jw_u64(w, "user_bytes", row->pred.charge[CNT_USER]);
	jw_u64(w, "needs_bytes", row->pred.needs);
	jw_u64(w, "limit_needed_bytes", row->pred.need_limit);
	json_err(w, "error", row->pred.err);
	json_err(w, "possible_error", row->pred.err_possible);
	jw_u64_or_null(w, "user_headroom_bytes", row->pred.err_possible, row->pred.user_headroom);
	jw_str(w, "rule", row->pred.rule);
	jw_close_obj(w);
	jw_i64(w, "measured_charge_bytes", row->measured[cnt]);
	jw_open_obj(w, "measured");
	jw_i64(w, "vmlck_bytes", row->measured[CNT_VMLCK]);
	jw_i64(w, "vmpin_bytes", row->measured[CNT_VMPIN]);
	/* The uid's locked memory is in no /proc file: not measured, never guessed. */
	jw_null(w, "user_bytes");
	jw_u64(w, "vmlck_before_bytes", row->locked_before);
	jw_u64(w, "vmpin_before_bytes", row->pinned_before);
	jw_close_obj(w);
	jw_bool(w, "agree", row->agree);
	jw_bool(w, "refused_by_shared_budget", row->shared_budget);
	json_pins(w, row);
	if (row->err) {
		map_row_message(r, row, msg, sizeof(msg));
		jw_open_obj(w, "error");
		jw_str(w, "errno", errno_name(row->err));
		jw_str(w, "message", msg);
		jw_close_obj(w);
	} else {
		jw_null(w, "error");
	}
	json_err(w, "unmap_error", row->unmap_err);
	if (r->st.timed)
		json_row_time(w, row);
	jw_close_obj(w);
}

static void json_hugepages(struct jsonw *w, const char *key, const long v[2])
{
	jw_open_obj(w, key);
	if (v[0] >= 0)
		jw_u64(w, "free_2m", (uint64_t)v[0]);
	else
		jw_null(w, "free_2m");
	if (v[1] >= 0)
		jw_u64(w, "free_1g", (uint64_t)v[1]);
	else
		jw_null(w, "free_1g");
	jw_close_obj(w);
}

/*
 * Which counter RLIMIT_MEMLOCK is checked against, and whether any process
 * can read it: VmLck (type1, iommufd per-mm and compat), or the uid's
 * locked memory (iommufd per-user), which none can.
 */
static void json_limit(struct jsonw *w, const struct map_state *st)
{
	enum charge_counter lc = rule_limit_counter(st->rule);

	jw_str(w, "limit_counter", counter_name(lc));
	jw_bool(w, "limit_counter_observable", lc != CNT_USER);
	/* type1 still charges with CAP_IPC_LOCK (and checks nothing); iommufd charges nothing then. */
	jw_bool(w, "limit_enforced", !st->cap_ipc_lock && !st->limit_unlimited);
	jw_u64(w, "baseline_pin_bytes", st->base_pin);
	jw_u64(w, "peak_pin_bytes", st->peak_pin);
	jw_u64_or_null(w, "user_charged_peak_bytes", lc == CNT_USER, st->peak_user);
}

static void json_notes(struct jsonw *w, const struct map_state *st)
{
	char note[800];

	jw_open_arr(w, "notes");
	map_budget_note(st, note, sizeof(note));
	if (note[0])
		jw_str(w, NULL, note);
	if (st->rule == RULE_IOMMUFD_COMPAT)
		jw_str(w, NULL, "/dev/vfio/vfio is iommufd's compat container: the type1 ioctls are charged by iommufd's per-mm rule (VmPin, and VmLck without CAP_IPC_LOCK), and a BAR is refused");
	jw_close_arr(w);
}

static void json_report(const struct map_out *o, const struct map_report *r, int code, const char *message)
{
	const struct map_state *st = &r->st;
	const struct backend_info *bi = &st->info;
	struct jsonw w;
	size_t i;
	int n;

	jw_init(&w, o->out);
	jw_open_obj(&w, NULL);
	jw_str(&w, "backend", st->backend[0] ? st->backend : NULL);
	jw_str(&w, "backend_requested", st->backend_requested[0] ? st->backend_requested : NULL);
	jw_str(&w, "backend_reason", st->backend_reason[0] ? st->backend_reason : NULL);
	jw_str(&w, "charge_rule", st->backend[0] ? rule_name(st->rule) : NULL);
	jw_str(&w, "rlimit_mode", st->rlimit_mode == BE_RLIMIT_MM ? "mm" : st->rlimit_mode == BE_RLIMIT_USER ? "user" : NULL);
	jw_str(&w, "counter", counter_name(st->counter));
	jw_str(&w, "device", st->device[0] ? st->device : NULL);
	if (st->group >= 0)
		jw_u64(&w, "group", (uint64_t)st->group);
	else
		jw_null(&w, "group");
	jw_str(&w, "kernel", st->release[0] ? st->release : NULL);
	jw_u64(&w, "pid", (uint64_t)st->pid);
	jw_str(&w, "user", st->user[0] ? st->user : NULL);
	jw_u64(&w, "uid", st->uid);
	jw_open_obj(&w, "memlock");
	if (st->limit_unlimited || !st->done)
		jw_null(&w, "limit_bytes");
	else
		jw_u64(&w, "limit_bytes", st->limit);
	jw_bool(&w, "cap_ipc_lock", st->cap_ipc_lock);
	jw_bool(&w, "limit_set", st->memlock_set);
	jw_u64(&w, "baseline_bytes", st->base_lck);
	jw_u64(&w, "allocated_bytes", st->alloc_lck);
	jw_u64(&w, "need_bytes", st->need_bytes);
	jw_u64(&w, "peak_bytes", st->peak_lck);
	json_limit(&w, st);
	jw_close_obj(&w);
	json_notes(&w, st);
	jw_open_obj(&w, "iommu");
	jw_hex(&w, "page_sizes", bi->pgsizes);
	jw_open_arr(&w, "iova_ranges");
	for (i = 0; i < bi->nranges; i++) {
		jw_open_obj(&w, NULL);
		jw_hex(&w, "start", bi->ranges[i].start);
		jw_hex(&w, "end", bi->ranges[i].end);
		jw_close_obj(&w);
	}
	jw_close_arr(&w);
	if (bi->has_dma_avail)
		jw_u64(&w, "dma_avail", bi->dma_avail);
	else
		jw_null(&w, "dma_avail");
	jw_close_obj(&w);
	jw_u64(&w, "repeat", st->repeat);
	jw_u64(&w, "planned", (uint64_t)st->nrows);
	jw_open_obj(&w, "plan");
	if (st->plan_fail_row >= 0) {
		jw_u64(&w, "first_failing_region", (uint64_t)r->rows[st->plan_fail_row].region + 1);
		jw_u64(&w, "first_failing_pass", (uint64_t)r->rows[st->plan_fail_row].pass);
		jw_str(&w, "error", errno_name(st->plan_fail_err));
	} else {
		jw_null(&w, "first_failing_region");
		jw_null(&w, "error");
	}
	jw_close_obj(&w);
	jw_open_arr(&w, "regions");
	for (n = 0; n < st->nrows; n++)
		if (r->rows[n].attempted)
			json_row(&w, r, &r->rows[n]);
	jw_close_arr(&w);
	json_time(&w, r);
	jw_bool(&w, "held", st->held);
	jw_bool(&w, "interrupted", st->interrupted);
	jw_open_obj(&w, "final");
	jw_u64(&w, "vmlck_bytes", st->final_lck);
	jw_u64(&w, "vmpin_bytes", st->final_pin);
	jw_u64(&w, "unmap_errors", (uint64_t)st->unmap_errors);
	json_hugepages(&w, "hugepages_before", st->hp_before);
	json_hugepages(&w, "hugepages_after", st->hp_after);
	/* 4K pins the maps took that no unmap gave back (device-dax under type1): never "restored". */
	json_opt_u64(&w, "pins_leaked", st->done && st->pins_known, st->pins_leaked);
	jw_u64(&w, "pins_leaked_predicted", st->pins_leaked_predicted);
	json_opt_u64(&w, "pins_released_after_free", st->done && st->pins_known, st->pins_after_free);
	/* udmabuf pins its memfd's pages when made and releases them at close: not VFIO's. */
	json_opt_u64(&w, "pins_taken_by_alloc", st->done && st->pins_known, st->pins_alloc);
	jw_bool(&w, "pins_exact", st->pins_refreshed && !st->pins_concurrent);
	jw_bool(&w, "pins_concurrent", st->pins_concurrent);
	jw_close_obj(&w);
	/* Nothing taken is nothing to restore: a setup error leaves the baseline alone. */
	jw_bool(&w, "baseline_restored", st->done ? st->baseline_restored : true);
	jw_u64(&w, "exit_code", (uint64_t)code);
	if (message) {
		jw_open_obj(&w, "error");
		jw_str(&w, "message", message);
		jw_close_obj(&w);
	} else {
		jw_null(&w, "error");
	}
	jw_close_obj(&w);
	jw_end(&w);
}

/* --- entry points --------------------------------------------------------------- */

void map_render_hold(const struct map_out *o, const struct map_report *r)
{
	if (o->json)
		return;   /* one JSON document, at the end */
	print_header(o, r);
	print_table(o, r);
	print_result(o, r);
	fflush(o->out);
}

void map_render_end(const struct map_out *o, const struct map_report *r, int code, const char *message)
{
	if (o->json) {
		json_report(o, r, code, message);
		return;
	}
	if (!r->st.done)
		return;   /* nothing was allocated: the error line says why */
	/* Stopped before any map (a resource, a signal): only show that nothing stayed. */
	if (!r->st.held && r->st.nrows) {
		print_header(o, r);
		print_table(o, r);
		print_result(o, r);
		print_pins(o, r);
	}
	print_time(o, r);
	print_release(o, r);
}
