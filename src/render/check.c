// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check output: text (a monitoring-plugin status line with perfdata, then
 * one line per check), one JSON report, or a node_exporter textfile.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check/check.h"
#include "lib/atomic.h"
#include "render/jsonw.h"
#include "lib/util.h"

struct counts {
	size_t st[ST_UNKNOWN + 1];
};

static void count(const struct check_list *l, struct counts *n)
{
	size_t i;

	memset(n, 0, sizeof(*n));
	for (i = 0; i < l->n; i++)
		n->st[l->v[i].status]++;
}

/* Nagios perfdata: 'label'=value[UOM];warn;crit;min;max */
static void perfdata(const struct check_ctx *c, FILE *out)
{
	const struct check_facts *f = &c->f;

	fputs(" |", out);
	if (f->tgt.known && f->tgt.have_limit && !f->tgt.soft_inf)
		fprintf(out, " memlock_limit=%" PRIu64 "B;;;0;", f->tgt.soft);
	if (f->have_need)
		fprintf(out, " memlock_need=%" PRIu64 "B;;;0;", f->need.total);
	if (f->have_dma_limit)
		fprintf(out, " dma_entry_limit=%" PRIu64 ";;;0; dma_entries_need=%" PRIu64 ";;;0;",
			f->dma_entry_limit, f->need.dma_entries);
	fprintf(out, " iommu_groups=%d;;;0;", f->ngroups < 0 ? 0 : f->ngroups);
}

static void status_line(const struct check_ctx *c, FILE *out)
{
	struct counts n;
	int code = check_exit_code(&c->l);
	size_t i, shown = 0;

	count(&c->l, &n);
	fprintf(out, "VFIO %s - %zu failed, %zu unknown, %zu warning, %zu passed, %zu skipped",
		check_exit_name(code), n.st[ST_FAIL], n.st[ST_UNKNOWN], n.st[ST_WARN],
		n.st[ST_PASS], n.st[ST_SKIP]);
	/* name the worst checks on the status line: monitoring UIs show only it */
	for (i = 0; i < c->l.n && shown < 4; i++) {
		const struct check_result *r = &c->l.v[i];

		if (r->status != ST_FAIL && !(code != 2 && r->status == (code == 3 ? ST_UNKNOWN : ST_WARN)))
			continue;
		fprintf(out, "%s%s%s%s", shown++ ? ", " : " (", r->id, r->subject[0] ? ":" : "", r->subject);
	}
	if (shown)
		fputc(')', out);
	perfdata(c, out);
	fputc('\n', out);
}

static void render_text(const struct check_ctx *c, FILE *out)
{
	size_t i;

	status_line(c, out);
	if (c->o->quiet)
		return;
	for (i = 0; i < c->l.n; i++) {
		const struct check_result *r = &c->l.v[i];

		fprintf(out, "%-7s %s%s%s%s: %s\n", check_status_name(r->status), r->id,
			r->subject[0] ? "[" : "", r->subject, r->subject[0] ? "]" : "", r->finding);
		if (r->status != ST_PASS && r->fix[0])
			fprintf(out, "        fix: %s\n", r->fix);
	}
}


static void json_target(struct jsonw *w, const struct target *t)
{
	static const char *const kinds[] = {
		[TGT_SELF] = "self", [TGT_PID] = "pid", [TGT_USER] = "user", [TGT_UNIT] = "unit",
	};

	jw_open_obj(w, "target");
	jw_str(w, "kind", kinds[t->kind]);
	jw_str(w, "description", t->desc);
	jw_bool(w, "resolved", t->known);
	if (!t->known)
		jw_str(w, "error", t->err);
	if (t->known) {
		jw_u64(w, "uid", t->uid);
		jw_u64_or_null(w, "memlock_soft_bytes", t->have_limit && !t->soft_inf, t->soft);
		jw_u64_or_null(w, "memlock_hard_bytes", t->have_limit && !t->hard_inf, t->hard);
		jw_bool(w, "memlock_unlimited", t->have_limit && t->soft_inf);
		jw_str(w, "memlock_from", t->limit_from);
		if (t->have_caps)
			jw_bool(w, "cap_ipc_lock", t->cap_ipc_lock);
		else
			jw_null(w, "cap_ipc_lock");
		if (t->have_vmlck)
			jw_u64(w, "vm_lck_bytes", t->vm_lck);
	}
	jw_close_obj(w);
}

/* No VMM read: what the options say, source "options" (kind "none"). */
static void json_vmm_options(struct jsonw *w, const struct check_ctx *c)
{
	const struct check_facts *f = &c->f;

	jw_open_obj(w, "vmm");
	jw_str(w, "kind", vmm_kind_name(VMM_KIND_NONE));
	jw_str(w, "source", vmm_source_name(VMM_SRC_OPTIONS));
	jw_u64_or_null(w, "guest_ram_bytes", c->o->have_guest_mem, c->o->guest_mem);
	jw_u64(w, "devices", f->ndevs);
	/* --viommu names no model */
	jw_str(w, "viommu", c->o->viommu ? "unspecified" : NULL);
	jw_u64(w, "iommufd_objects", 0);
	jw_u64(w, "contexts", f->need.contexts ? f->need.contexts : 1);
	jw_bool(w, "running", false);
	jw_str(w, "not_recognised", f->vmm_looked ? f->vmm_note : NULL);
	jw_close_obj(w);
}

/* vmm: what was read from the VMM, or (source "options") what the options say. */
static void json_vmm(struct jsonw *w, const struct check_ctx *c)
{
	const struct check_facts *f = &c->f;
	const struct vmm_derived *d = &f->vd;
	int i;

	if (!f->vmm) {
		json_vmm_options(w, c);
		return;
	}
	jw_open_obj(w, "vmm");
	jw_str(w, "kind", vmm_kind_name(f->vmm->kind));
	jw_str(w, "source", vmm_source_name(f->vmm->source));
	jw_u64_or_null(w, "guest_ram_bytes", d->guest_ram_known, d->guest_ram);
	jw_u64(w, "devices", (uint64_t)d->devices);
	jw_open_arr(w, "device_list");
	for (i = 0; i < d->devices; i++)
		jw_str(w, NULL, d->bdfs[i][0] ? d->bdfs[i] : NULL);
	jw_close_arr(w);
	jw_str(w, "viommu", d->viommu != VMM_VIOMMU_NONE ? vmm_viommu_name(d->viommu) : NULL);
	jw_u64(w, "iommufd_objects", (uint64_t)d->iommufd_objects);
	jw_u64(w, "contexts", (uint64_t)d->contexts);
	jw_str(w, "contexts_how", d->contexts_how);
	jw_bool(w, "running", f->side.running);
	jw_str(w, "manager", f->side.manager);
	jw_u64(w, "rom_bytes", f->rom_bytes);
	jw_u64(w, "ram_hidden_bytes", f->ram_hidden);
	jw_str(w, "rom_how", f->rom_how);
	jw_str(w, "overrides", f->vmm_note[0] ? f->vmm_note : NULL);
	jw_close_obj(w);
}

static void json_manager_limit(struct jsonw *w, const struct check_facts *f)
{
	jw_u64_or_null(w, "manager_limit_bytes", f->side.known && f->side.ceil.kind == VMM_CEIL_BYTES, f->side.ceil.bytes);
}

static const char *ceiling_kind(const struct vmm_side *v)
{
	if (!v->known)
		return "unknown";
	switch (v->ceil.kind) {
	case VMM_CEIL_BYTES: return "bytes";
	case VMM_CEIL_UNLIMITED: return "unlimited";
	case VMM_CEIL_NOT_MODELLED: return "not-modelled";
	default: return "no-change";
	}
}

/* memlock: the need, its parts, the limit in force and the manager's ceiling, side by side. */
static void json_memlock(struct jsonw *w, const struct check_ctx *c)
{
	const struct check_facts *f = &c->f;
	const struct target *t = &f->tgt;
	uint64_t force;

	if (!f->have_need) {
		jw_null(w, "memlock");
		return;
	}
	jw_open_obj(w, "memlock");
	jw_u64(w, "need_bytes", f->need.total);
	jw_open_obj(w, "need_detail");
	jw_u64(w, "ram", f->need.ram_charge);
	jw_u64(w, "contexts", f->need.contexts);
	jw_u64(w, "roms", f->need.rom_charge);
	jw_u64(w, "bars", f->need.bar_charge);
	if (f->need.realize_peak)   /* a QEMU: its charge at vfio-pci realize */
		jw_u64(w, "realize_peak", f->need.realize_peak);
	else
		jw_null(w, "realize_peak");
	jw_close_obj(w);
	jw_str(w, "how", f->need.how);
	if (t->known && t->have_limit) {
		force = memlock_in_force(t, &f->side);
		if (force == UINT64_MAX)
			jw_null(w, "limit_bytes");
		else
			jw_u64(w, "limit_bytes", force);
		jw_bool(w, "limit_unlimited", force == UINT64_MAX);
		jw_bool(w, "limit_applies", !(t->have_caps && t->cap_ipc_lock));
		jw_u64(w, "short_bytes", force < f->need.total ? f->need.total - force : 0);
	} else {
		jw_null(w, "limit_bytes");
	}
	jw_str(w, "manager", f->side.manager);
	jw_str(w, "manager_ceiling", ceiling_kind(&f->side));
	json_manager_limit(w, f);
	if (f->side.known && f->side.ceil.kind == VMM_CEIL_BYTES)
		jw_u64(w, "manager_short_bytes", f->side.ceil.bytes < f->need.total ?
		       f->need.total - f->side.ceil.bytes : 0);
	jw_str(w, "manager_rule", f->side.known ? f->side.ceil.rule : NULL);
	jw_close_obj(w);
}

static const char *container_name(enum container_kind k)
{
	switch (k) {
	case CK_TYPE1: return "type1";
	case CK_COMPAT: return "iommufd-compat";
	case CK_BARE: return "no-type1-driver";
	default: return "none";
	}
}

static void json_needs(struct jsonw *w, const struct check_ctx *c)
{
	const struct check_facts *f = &c->f;
	int b;

	if (!f->have_need) {
		jw_null(w, "memlock_need");
		return;
	}
	jw_open_arr(w, "memlock_need");
	for (b = BE_TYPE1; b < BE_NR; b++) {
		const struct need_out *n = &f->needs[b];

		jw_open_obj(w, NULL);
		jw_str(w, "backend", check_backend_name(b));
		jw_bool(w, "offered", f->offer.offered[b]);
		jw_u64(w, "need_bytes", n->total);
		jw_str(w, "limit_counter", n->counter);
		jw_u64(w, "vmpin_bytes", n->pin_total);
		jw_u64(w, "bar_charge_bytes", n->bar_charge);
		jw_u64(w, "bar_refused_bytes", n->bar_refused);
		jw_str(w, "how", n->how);
		jw_close_obj(w);
	}
	jw_close_arr(w);
}

/* What the host offers, and each backend's memlock need (with --guest-mem). */
static void json_backends(struct jsonw *w, const struct check_ctx *c)
{
	const struct check_facts *f = &c->f;
	const struct backend_offer *o = &f->offer;
	size_t i;

	jw_open_obj(w, "backends");
	jw_str(w, "in_use", check_backend_name(f->backend));
	jw_str(w, "why", o->why);
	jw_str(w, "container", container_name(o->container));
	jw_bool(w, "dev_iommu", o->dev_iommu);
	jw_open_obj(w, "offered");
	jw_bool(w, "type1", o->offered[BE_TYPE1]);
	jw_bool(w, "iommufd", o->offered[BE_IOMMUFD]);
	jw_bool(w, "iommufd_compat", o->offered[BE_IOMMUFD_COMPAT]);
	jw_close_obj(w);
	jw_open_arr(w, "cdevs");
	for (i = 0; i < f->ndevs; i++) {
		const struct pci_entry *e = &f->devs[i];
		char n[24];

		if (!e->is_pci || e->role != ROLE_VFIO)
			continue;
		jw_open_obj(w, NULL);
		jw_str(w, "device", e->info.bdf);
		snprintf(n, sizeof(n), "vfio%d", e->info.vfio_cdev);
		jw_str(w, "cdev", e->info.vfio_cdev >= 0 ? n : NULL);
		jw_close_obj(w);
	}
	jw_close_arr(w);
	json_needs(w, c);
	jw_close_obj(w);
}

static void json_figures(struct jsonw *w, const struct check_ctx *c)
{
	const struct check_facts *f = &c->f;
	size_t i;

	jw_open_obj(w, "figures");
	jw_str(w, "backend", check_backend_name(f->backend));
	json_backends(w, c);
	jw_i64(w, "iommu_groups", f->ngroups);
	if (f->have_need) {
		jw_u64(w, "guest_mem_bytes", c->o->guest_mem);
		jw_u64(w, "memlock_need_bytes", f->need.total);
		jw_u64(w, "memlock_contexts", f->need.contexts);
		jw_u64(w, "bar_charge_bytes", f->need.bar_charge);
		jw_str(w, "memlock_need_how", f->need.how);
	} else {
		jw_null(w, "memlock_need_bytes");
	}
	jw_u64_or_null(w, "dma_entry_limit", f->have_dma_limit, f->dma_entry_limit);
	jw_u64(w, "dma_entries_need", f->need.dma_entries);
	jw_bool(w, "dma_entries_worst_case", f->need.dma_worst_case);
	jw_open_arr(w, "hugepages");
	for (i = 0; i < f->npools; i++) {
		jw_open_obj(w, NULL);
		jw_u64(w, "size_kb", f->pools[i].size_kb);
		jw_u64_or_null(w, "node", f->pools[i].node >= 0, (uint64_t)f->pools[i].node);
		jw_u64(w, "total", f->pools[i].total);
		jw_u64(w, "free", f->pools[i].free);
		jw_close_obj(w);
	}
	jw_close_arr(w);
	jw_open_obj(w, "modules");
	jw_str(w, "vfio", mod_state_text(&f->vfio));
	jw_str(w, "vfio_iommu_type1", mod_state_text(&f->type1));
	jw_str(w, "iommufd", mod_state_text(&f->iommufd));
	jw_str(w, "vfio_pci", mod_state_text(&f->vfio_pci));
	jw_close_obj(w);
	jw_open_arr(w, "devices");
	for (i = 0; i < f->ndevs; i++)
		jw_str(w, NULL, f->devs[i].info.bdf);
	jw_close_arr(w);
	jw_close_obj(w);
}

static void render_json(const struct check_ctx *c, FILE *out)
{
	struct jsonw w;
	struct counts n;
	int code = check_exit_code(&c->l);
	size_t i;

	count(&c->l, &n);
	jw_init(&w, out);
	jw_open_obj(&w, NULL);
	jw_str(&w, "version", VERSION);
	jw_str(&w, "status", check_exit_name(code));
	jw_u64(&w, "exit_code", (uint64_t)code);
	jw_str(&w, "kernel", c->f.release[0] ? c->f.release : NULL);
	json_target(&w, &c->f.tgt);
	json_vmm(&w, c);
	json_memlock(&w, c);
	json_manager_limit(&w, &c->f);
	jw_open_arr(&w, "checks");
	for (i = 0; i < c->l.n; i++) {
		const struct check_result *r = &c->l.v[i];

		jw_open_obj(&w, NULL);
		jw_str(&w, "id", r->id);
		jw_str(&w, "subject", r->subject[0] ? r->subject : NULL);
		jw_str(&w, "status", check_status_name(r->status));
		jw_str(&w, "finding", r->finding);
		jw_str(&w, "fix", r->status != ST_PASS && r->fix[0] ? r->fix : NULL);
		jw_close_obj(&w);
	}
	jw_close_arr(&w);
	json_figures(&w, c);
	jw_close_obj(&w);
	jw_end(&w);
}

int render_check(const struct check_ctx *c, FILE *out)
{
	if (c->o->fmt == CF_JSON)
		render_json(c, out);
	else
		render_text(c, out);
	return ferror(out) ? -EIO : 0;
}

/* ---- Prometheus textfile ---------------------------------------------- */

/* A label value: backslash, double quote and newline escaped. */
static void label(FILE *out, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fputc('\\', out);
		if (*v == '\n') {
			fputs("\\n", out);
			continue;
		}
		fputc(*v, out);
	}
}

static void family(FILE *out, const char *name, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static void target_label(FILE *out, const struct check_ctx *c)
{
	const struct target *t = &c->f.tgt;

	fputs("{target=\"", out);
	switch (t->kind) {
	case TGT_PID: fputs("pid:", out); label(out, c->o->pid); break;
	case TGT_USER: fputs("user:", out); label(out, c->o->user); break;
	case TGT_UNIT: fputs("unit:", out); label(out, c->o->unit); break;
	case TGT_SELF: fputs("self", out); break;
	}
	fputs("\"}", out);
}

static void write_metrics(const struct check_ctx *c, FILE *out)
{
	const struct check_facts *f = &c->f;
	size_t i;

	family(out, "vfio_pinctl_check_status",
	       "Result of one vfio-pinctl check: 0 pass, 1 warn, 2 fail, 3 skipped or could not check.");
	for (i = 0; i < c->l.n; i++) {
		const struct check_result *r = &c->l.v[i];

		fputs("vfio_pinctl_check_status{check=\"", out);
		label(out, r->id);
		if (r->subject[0]) {
			fputs("\",subject=\"", out);
			label(out, r->subject);
		}
		fprintf(out, "\"} %d\n", check_status_value(r->status));
	}
	family(out, "vfio_pinctl_check_exit_code",
	       "Exit code of the whole check run: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.");
	fprintf(out, "vfio_pinctl_check_exit_code %d\n", check_exit_code(&c->l));
	if (f->tgt.known && f->tgt.have_limit) {
		family(out, "vfio_pinctl_memlock_limit_bytes",
		       "Soft RLIMIT_MEMLOCK of the process or user that maps guest memory (+Inf: unlimited).");
		fputs("vfio_pinctl_memlock_limit_bytes", out);
		target_label(out, c);
		if (f->tgt.soft_inf)
			fputs(" +Inf\n", out);
		else
			fprintf(out, " %" PRIu64 "\n", f->tgt.soft);
	}
	if (f->have_need) {
		family(out, "vfio_pinctl_memlock_need_bytes",
		       "Memory the kernel will charge against RLIMIT_MEMLOCK for the guest (--guest-mem).");
		fputs("vfio_pinctl_memlock_need_bytes", out);
		target_label(out, c);
		fprintf(out, " %" PRIu64 "\n", f->need.total);
	}
	if (f->npools) {
		family(out, "vfio_pinctl_hugepages_free", "Free huge pages per page size and NUMA node.");
		for (i = 0; i < f->npools; i++) {
			fprintf(out, "vfio_pinctl_hugepages_free{size=\"%ukB\",node=\"", f->pools[i].size_kb);
			if (f->pools[i].node >= 0)
				fprintf(out, "%d", f->pools[i].node);
			fprintf(out, "\"} %" PRIu64 "\n", f->pools[i].free);
		}
		family(out, "vfio_pinctl_hugepages_reserved", "Reserved huge pages per page size and NUMA node.");
		for (i = 0; i < f->npools; i++) {
			fprintf(out, "vfio_pinctl_hugepages_reserved{size=\"%ukB\",node=\"", f->pools[i].size_kb);
			if (f->pools[i].node >= 0)
				fprintf(out, "%d", f->pools[i].node);
			fprintf(out, "\"} %" PRIu64 "\n", f->pools[i].total);
		}
	}
	family(out, "vfio_pinctl_backend_offered",
	       "DMA backends the host offers (1) or not (0); in_use=\"1\" marks the one the checks judged.");
	for (i = BE_TYPE1; i < BE_NR; i++)
		fprintf(out, "vfio_pinctl_backend_offered{backend=\"%s\",in_use=\"%d\"} %d\n",
			check_backend_name(i), f->backend == (enum check_backend)i, f->offer.offered[i]);
	if (f->have_dma_limit) {
		family(out, "vfio_pinctl_dma_entry_limit",
		       "vfio_iommu_type1 dma_entry_limit: DMA mappings one container may hold.");
		fprintf(out, "vfio_pinctl_dma_entry_limit %" PRIu64 "\n", f->dma_entry_limit);
		family(out, "vfio_pinctl_dma_entries_need", "DMA mappings the guest needs per container (estimate).");
		fprintf(out, "vfio_pinctl_dma_entries_need %" PRIu64 "\n", f->need.dma_entries);
	}
	if (f->ngroups >= 0) {
		family(out, "vfio_pinctl_iommu_groups", "IOMMU groups on the host (0: the IOMMU is off).");
		fprintf(out, "vfio_pinctl_iommu_groups %d\n", f->ngroups);
	}
	family(out, "vfio_pinctl_build_info", "vfio-pinctl build information.");
	fprintf(out, "vfio_pinctl_build_info{version=\"%s\"} 1\n", VERSION);
	family(out, "vfio_pinctl_last_run_timestamp_seconds", "When vfio-pinctl check last ran (Unix time).");
	fprintf(out, "vfio_pinctl_last_run_timestamp_seconds %lld\n", (long long)time(NULL));
}

static void fill_metrics(void *arg, FILE *out)
{
	write_metrics(arg, out);
}

/* node_exporter may read the file at any moment: replace it atomically. */
int render_check_prometheus(const struct check_ctx *c, const char *path)
{
	return atomic_write(path, 0644, fill_metrics, (void *)c);
}
