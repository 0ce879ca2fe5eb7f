// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The map session: allocate every region, predict every MAP_DMA, issue them
 * one by one with VmLck/VmPin measured around each ioctl, optionally hold,
 * then release everything and check that the counters came back.  Runs in
 * the vfio-pinctl process, or in a --user child (map-user.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "host/kernel.h"
#include "lib/error.h"
#include "host/kpageflags.h"
#include "host/pagemap.h"
#include "host/sysroot.h"
#include "map/map.h"
#include "host/procstat.h"
#include "host/vmstat.h"
#include "lib/util.h"
#include "model/pins.h"

volatile sig_atomic_t map_stop_signal;

/*
 * The session's own view of its regions' pfns (pagemap of this process,
 * kpageflags for the zero page) and of ZONE_MOVABLE: pfn identity around
 * each map.  Opened by map_session, in the process that maps.
 */
static struct {
	struct pagemap_reader pm;
	struct kpf_reader kpf;
	struct pfn_ranges movable;
} ident = { .pm = { .fd = -1 }, .kpf = { .fd = -1 } };

static void ident_open(void)
{
	if (pm_open(&ident.pm, "self"))
		ident.pm.fd = -1;
	kpf_open(&ident.kpf);
	if (zoneinfo_movable_read(&ident.movable))
		memset(&ident.movable, 0, sizeof(ident.movable));
}

static void ident_close(void)
{
	pm_close(&ident.pm);
	kpf_close(&ident.kpf);
	ident.pm.fd = ident.kpf.fd = -1;
}

/*
 * The pfns of a region (0: not present).  false when pagemap cannot say:
 * PFNMAP vmas read as holes, pfns hidden without CAP_SYS_ADMIN (a --user
 * child).
 */
static bool region_pfns(const struct mem_region *m, uint64_t *pfns)
{
	size_t n = m->size / PAGE_4K, i, visible = 0;

	if (m->pfnmap || ident.pm.fd < 0 || pm_read(&ident.pm, (uint64_t)(uintptr_t)m->addr, n, pfns) != (long)n)
		return false;
	for (i = 0; i < n; i++) {
		pfns[i] = pme_pfn(pfns[i]);
		visible += pfns[i] != 0;
	}
	return visible > 0;
}

#define DUPS_MAX 4096

/*
 * KSM-merged and ZONE_MOVABLE bytes of a region from its pfns: only the
 * pfns it maps more than once need their flags read (a zero page repeats
 * too, and is not KSM).
 */
static int region_census(const uint64_t *pfns, size_t n, struct pfn_census *c)
{
	uint64_t *dups = malloc(DUPS_MAX * sizeof(*dups)), f;
	long nd = dups ? pfn_dups(pfns, n, dups, DUPS_MAX) : -ENOMEM;
	size_t i, nz = 0;
	int rc;

	if (nd < 0) {
		free(dups);
		return (int)nd;
	}
	/* Keep the zero pfns, in order (dups is sorted). */
	for (i = 0; i < (size_t)nd; i++)
		if (kpf_read(&ident.kpf, dups[i], 1, &f) == 1 && (f & KPF(ZERO_PAGE)))
			dups[nz++] = dups[i];
	rc = pfn_census(pfns, n, dups, nz, &ident.movable, c);
	free(dups);
	return rc;
}

/* Sample the FOLL_PIN counters; false when they cannot be read. */
static bool pins_now(struct map_state *st, struct pin_counts *pc)
{
	/* Without stat_refresh (not root) the per-cpu deltas are not folded in: no exact figure. */
	if (vmstat_pins_read(pc) || !pc->refreshed) {
		st->pins_refreshed = false;
		return false;
	}
	st->pins_refreshed = true;
	return true;
}

int map_report_grow(struct map_report *r, size_t n)
{
	struct map_row *nr;

	if (n <= r->cap)
		return 0;
	nr = realloc(r->rows, n * sizeof(*nr));
	if (!nr)
		return -ENOMEM;
	memset(nr + r->cap, 0, (n - r->cap) * sizeof(*nr));
	r->rows = nr;
	r->cap = n;
	return 0;
}

void map_report_free(struct map_report *r)
{
	free(r->rows);
	r->rows = NULL;
	r->cap = 0;
}

int map_classify_pfns(struct kpf_reader *kpf, uint64_t pfn, uint64_t npages, struct class_bytes *out)
{
	uint64_t buf[512];
	uint64_t done = 0;

	while (done < npages) {
		size_t n = npages - done < 512 ? (size_t)(npages - done) : 512, i;
		long got = 0;

		if (kpf->fd >= 0) {
			got = kpf_read(kpf, pfn + done, n, buf);
			if (got < 0)
				return (int)got;
		}
		for (i = 0; i < n; i++) {
			/* A BAR above the last RAM pfn reads EOF; one in a hole reads NOPAGE: both invalid. */
			struct page_obs o = {
				.pfn_visible = true,
				.flags_known = kpf->fd >= 0,
				.has_entry = (long)i < got,
				.flags = (long)i < got ? buf[i] : 0,
			};

			out->bytes[classify_page(&o)] += PAGE_4K;
		}
		done += n;
	}
	return 0;
}

/* VmLck/VmPin in bytes and CAP_IPC_LOCK, as the kernel sees this process now. */
static int counters_now(uint64_t *lck, uint64_t *pin, bool *cap)
{
	struct proc_status st;
	int rc = read_status("self", &st);

	if (rc) {
		err_set(VP_EXIT_INTERNAL, "cannot read /proc/self/status: %s", strerror(-rc));
		return rc;
	}
	*lck = st.vm_lck_kb * 1024;
	*pin = st.vm_pin_kb * 1024;
	if (cap)
		*cap = status_cap_ipc_lock(&st);
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

static bool type1_disable_hugepages(void)
{
	char v[8];

	return !sr_read_line("/sys/module/vfio_iommu_type1/parameters/disable_hugepages", v, sizeof(v)) &&
	       (v[0] == 'Y' || v[0] == 'y' || v[0] == '1');
}

/* vfio_batch (5.13+): one page of struct page pointers, 4096 / 8 = 512. */
#define PIN_BATCH_PAGES 512

static int64_t predict_pin_batches(const struct map_state *st, const struct map_row *row)
{
	uint64_t pages = row->size / 4096;

	if (row->type == MT_BAR || st->rule != RULE_TYPE1)
		return -1;
	if (st->disable_hugepages || kver_cmp(&st->kv, 5, 13) < 0)
		return (int64_t)pages;
	return (int64_t)((pages + PIN_BATCH_PAGES - 1) / PIN_BATCH_PAGES);
}

/* One leaf a base page, a THP, a 2M or a 1G hugetlb page, from the classes before the map. */
static int64_t walk_leaves(const struct map_row *row)
{
	const struct class_bytes *cb = &row->before;
	uint64_t huge = row->type == MT_HUGETLB1G ? 1ULL << 30 : 2ULL << 20;
	uint64_t small = row->size - cb->bytes[PC_THP] - cb->bytes[PC_HUGETLB];

	if (row->type == MT_BAR || cb->bytes[PC_THP] + cb->bytes[PC_HUGETLB] > row->size)
		return -1;
	return (int64_t)(cb->bytes[PC_THP] / (2ULL << 20) + cb->bytes[PC_HUGETLB] / huge +
			 small / 4096);
}

/* Runs of consecutive pfns of [vaddr, vaddr + size) in this process's pagemap. */
static int64_t pfn_runs(uint64_t vaddr, uint64_t size)
{
	struct pagemap_reader pm;
	uint64_t buf[4096], va, prev = 0;
	int64_t runs = 0;
	long i, n;

	if (pm_open(&pm, "self"))
		return -1;
	for (va = vaddr; va < vaddr + size; va += (uint64_t)n * 4096) {
		size_t want = (vaddr + size - va) / 4096;

		n = pm_read(&pm, va, want < 4096 ? want : 4096, buf);
		if (n <= 0)
			break;
		for (i = 0; i < n; i++) {
			uint64_t pfn = pme_pfn(buf[i]);

			if (!pfn) {
				runs = -1;   /* hidden (no CAP_SYS_ADMIN) or not present */
				goto out;
			}
			if (!runs || pfn != prev + 1)
				runs++;
			prev = pfn;
		}
	}
out:
	pm_close(&pm);
	return runs;
}

static void fill_identity(const struct map_plan *p, struct backend *be, struct map_report *r)
{
	struct map_state *st = &r->st;
	struct passwd *pw;
	struct rlimit rl;
	uint64_t l, q;

	st->pid = (int)getpid();
	st->uid = (unsigned)getuid();
	pw = getpwuid(getuid());
	snprintf(st->user, sizeof(st->user), "%s", pw ? pw->pw_name : "?");
	snprintf(st->backend, sizeof(st->backend), "%s", be->name);
	snprintf(st->backend_requested, sizeof(st->backend_requested), "%s",
		 p->backend_requested ? p->backend_requested : "");
	snprintf(st->backend_reason, sizeof(st->backend_reason), "%s", p->backend_reason ? p->backend_reason : "");
	st->counter = be->counter;
	st->rule = be->rule;
	st->rlimit_mode = be->rlimit_mode;
	st->info = be->info;
	st->repeat = p->repeat;
	st->memlock_set = p->memlock_set;
	if (kver_read(&st->kv, st->release, sizeof(st->release)))
		snprintf(st->release, sizeof(st->release), "unknown");
	getrlimit(RLIMIT_MEMLOCK, &rl);
	st->limit_unlimited = rl.rlim_cur == RLIM_INFINITY;
	st->limit = st->limit_unlimited ? 0 : rl.rlim_cur;
	counters_now(&l, &q, &st->cap_ipc_lock);
	st->plan_fail_row = -1;
	st->timed = p->time;
	st->disable_hugepages = type1_disable_hugepages();
}

static int classify_region(const struct map_hooks *h, const struct mem_region *m, struct class_bytes *cb)
{
	uint64_t start = (uint64_t)(uintptr_t)m->addr;
	int rc;

	memset(cb, 0, sizeof(*cb));
	if (m->pfnmap && (m->type == MT_BAR || m->type == MT_DEVMEM)) {
		/* pagemap shows VM_PFNMAP pages as holes: the BAR's pfns come from sysfs, /dev/mem's from its offset. */
		rc = h->classify_pfns(h->arg, m->bar_phys / PAGE_4K, m->size / PAGE_4K, cb);
		cb->pfnmap = m->size;
	} else if (m->pfnmap) {
		/* A PFNMAP of RAM (vgem, udmabuf, dma-heap): holes, and no file says which pfns. */
		rc = 0;
		cb->pfnmap = m->size;
	} else {
		rc = h->classify_range(h->arg, start, start + m->size, cb);
	}
	/* kpageflags calls ZONE_DEVICE pages NOPAGE (or has none): the vma says they are device memory. */
	if (!rc && m->zone_device)
		class_mark_device(cb);
	cb->mapped = m->size;
	if (rc)
		err_set(VP_EXIT_INTERNAL, "cannot classify the pages of a %s region: %s",
			mem_type_name(m->type), strerror(-rc));
	return rc;
}

static bool overlaps(const struct map_row *a, uint64_t iova, uint64_t size)
{
	return a->iova < iova + size && iova < a->iova + a->size;
}

/* Fill the predict input a row shares between plan and run. */
static void predict_input(const struct map_report *r, const struct map_row *row,
			  const struct mem_region *m, const struct class_bytes *cb,
			  struct predict_in *in)
{
	memset(in, 0, sizeof(*in));
	in->rule = r->st.rule;
	in->kv = r->st.kv;
	in->flags = row->flags;
	in->cap_ipc_lock = r->st.cap_ipc_lock;
	in->limit_unlimited = r->st.limit_unlimited;
	in->limit = r->st.limit;
	in->vaddr = row->vaddr;
	in->iova = row->iova;
	in->size = row->size;
	in->cb = cb;
	in->pfnmap = m->pfnmap;
	in->writable = m->writable;
	in->unpop_zero = m->unpop_zero;
	in->file_dirty_tracked = m->file_dirty_tracked;
	in->backing = m->backing;
	in->cow = m->cow;
	in->shared_bytes = row->shared_bytes;
	in->movable_bytes = row->movable_bytes;
	in->iova_usable = iova_usable(&r->st.info, row->iova, row->size);
	in->dma_avail_known = r->st.info.has_dma_avail;
}

static uint64_t align_for(uint64_t size)
{
	uint64_t a = PAGE_4K;

	/* Natural alignment (up to 1G) lets the IOMMU use large pages. */
	while (a < (1ULL << 30) && a * 2 <= size)
		a *= 2;
	return a;
}

/* Every row, with its IOVA and the prediction made before any map. */
static int plan_rows(const struct map_plan *p, struct backend *be, struct map_report *r,
		     const struct mem_region *mr, const struct map_hooks *h)
{
	struct class_bytes cb[MAP_MAX_REGIONS];
	/*
	 * Both start from what the allocations locked (mlock regions): one
	 * running, one the total.  Per-user, mlock is not in the budget: the
	 * uid's counter starts with nothing from this process.
	 */
	bool per_user = rule_limit_counter(r->st.rule) == CNT_USER;
	uint64_t cursor = 1ULL << 20, locked = r->st.alloc_lck, user = 0;
	uint64_t need = per_user ? 0 : locked;
	uint32_t avail = be->info.dma_avail;
	unsigned pass;
	int i, n = 0, rc;

	/* IOVA 0 stays unused: a stray DMA to 0 then faults instead of hitting a test buffer. */
	rc = map_report_grow(r, (size_t)p->nspecs * p->repeat);
	if (rc)
		return rc;
	for (i = 0; i < p->nspecs; i++) {
		rc = classify_region(h, &mr[i], &cb[i]);
		if (rc)
			return rc;
	}
	for (pass = 1; pass <= p->repeat; pass++) {
		for (i = 0; i < p->nspecs; i++, n++) {
			const struct mem_spec *s = &p->specs[i];
			struct map_row *row = &r->rows[n];
			struct predict_in in;
			int k;

			row->index = n;
			row->region = i;
			row->pass = (int)pass;
			row->type = s->type;
			row->bar = mr[i].bar;
			row->vaddr = (uint64_t)(uintptr_t)mr[i].addr;
			row->size = mr[i].size;
			row->flags = s->flags ? s->flags : mem_default_flags(s->type);
			if (s->iova_set) {
				row->iova = s->iova + (pass - 1) * ((row->size + align_for(row->size) - 1) & ~(align_for(row->size) - 1));
			} else if (iova_pick(&be->info, &cursor, row->size, align_for(row->size), &row->iova)) {
				err_set(VP_EXIT_RESOURCE, "no room left in the container's IOVA ranges for %" PRIu64 " KiB (row %d); map less",
					row->size >> 10, n + 1);
				return -ENOSPC;
			}
			row->before = cb[i];
			predict_input(r, row, &mr[i], &cb[i], &in);
			in.locked_vm = locked;
			in.user_locked = user;
			in.dma_avail = avail;
			for (k = 0; k < n; k++)
				if (overlaps(&r->rows[k], row->iova, row->size))
					in.iova_overlaps = true;
			predict_map(&in, &row->pred);
			if (row->pred.err && r->st.plan_fail_row < 0) {
				r->st.plan_fail_row = n;
				r->st.plan_fail_err = row->pred.err;
			}
			/* The limit can only fix ENOMEM; other refusals charge nothing. */
			if (!row->pred.err || row->pred.err == -ENOMEM) {
				if (per_user)
					user += row->pred.needs;
				else
					locked += row->pred.needs;
				need += row->pred.needs;
				if (avail)
					avail--;
			}
		}
	}
	r->st.nrows = n;
	r->st.need_bytes = need;
	return 0;
}

/*
 * Does the kernel's answer match the prediction?  Exactly, or, in iommufd's
 * per-user mode, an ENOMEM that only the uid's other processes can explain:
 * then nothing may have moved.
 */
static void judge_row(struct map_row *row)
{
	const struct predict_out *p = &row->pred;

	row->shared_budget = row->err && row->err != p->err && row->err == p->err_possible;
	if (row->shared_budget) {
		row->agree = !row->measured[CNT_VMLCK] && !row->measured[CNT_VMPIN];
		return;
	}
	row->agree = p->err == row->err &&
		     row->measured[CNT_VMLCK] == (int64_t)p->charge[CNT_VMLCK] &&
		     row->measured[CNT_VMPIN] == (int64_t)p->charge[CNT_VMPIN];
	/* Pins and pfn identity count too, where they were observed and the rule is exact. */
	if (row->pins_known && p->pins_exact)
		row->agree = row->agree && row->pin_acq == p->pins_map && row->pin_rel == p->unpins_map;
	if (row->pfns_known && !row->err)
		row->agree = row->agree && row->pfns_changed == p->pfns_changed;
}

/* At unmap: the pins given back, against the rule (type1 keeps PG_reserved pages pinned). */
static void judge_unmap(struct map_row *row)
{
	if (row->unpins_known && row->pins_known && row->pred.pins_exact && !row->err)
		row->agree = row->agree && row->unpin_rel == row->pred.unpins_unmap && row->unpin_acq == 0;
}

static int map_one(struct backend *be, struct map_report *r, struct map_row *row,
		   const struct mem_region *m, const struct map_hooks *h, uint32_t *avail)
{
	struct map_state *st = &r->st;
	uint64_t lck0, pin0, lck1, pin1, t0, *before = NULL, *after = NULL;
	struct pin_counts pc0, pc1;
	struct pfn_census census;
	size_t npages = m->size / PAGE_4K;
	bool have_before = false;
	struct predict_in in;
	int rc, k;

	rc = classify_region(h, m, &row->before);
	if (rc)
		return rc;
	/* pfn identity before: KSM-merged (shared) pages and ZONE_MOVABLE ones decide part of the rule. */
	before = calloc(npages ? npages : 1, sizeof(*before));
	after = calloc(npages ? npages : 1, sizeof(*after));
	if (before && after && region_pfns(m, before) && !region_census(before, npages, &census)) {
		have_before = true;
		row->shared_bytes = census.shared;
		row->movable_bytes = census.movable;
	}
	rc = counters_now(&lck0, &pin0, &st->cap_ipc_lock);
	if (rc)
		goto out;
	predict_input(r, row, m, &row->before, &in);
	in.locked_vm = lck0;
	in.pinned_vm = pin0;
	in.user_locked = st->user_charged;
	in.dma_avail = *avail;
	for (k = 0; k < row->index; k++)
		if (r->rows[k].mapped && overlaps(&r->rows[k], row->iova, row->size))
			in.iova_overlaps = true;
	predict_map(&in, &row->pred);
	row->locked_before = lck0;
	row->pinned_before = pin0;
	row->user_before = st->user_charged;
	row->attempted = true;
	row->fault_ns = row->pass == 1 ? m->fault_ns : 0;
	/* The pin counters are read outside the timed ioctl (stat_refresh costs). */
	row->pins_known = pins_now(st, &pc0);
	/*
	 * Between the allocation and the first map this process pins nothing
	 * (it plans and reads its pagemap): counters that moved there were moved
	 * by someone else, so the system-wide deltas are not exact.
	 */
	if (row->pins_known && st->pins_mark) {
		st->pins_concurrent |= pc0.acquired != st->pins_mark_acq || pc0.released != st->pins_mark_rel;
		st->pins_mark = false;
	}
	t0 = now_ns();
	row->err = be->ops->map(be, row->vaddr, row->iova, row->size, row->flags);
	row->map_ns = now_ns() - t0;
	row->mapped = row->err == 0;
	row->pins_known = row->pins_known && pins_now(st, &pc1);
	if (row->pins_known) {
		row->pin_acq = pc1.acquired - pc0.acquired;
		row->pin_rel = pc1.released - pc0.released;
	}
	row->pin_batches = predict_pin_batches(st, row);
	row->walk_leaves = walk_leaves(row);
	row->iommu_chunks = row->mapped && st->timed && row->type != MT_BAR ?
			    pfn_runs(row->vaddr, row->size) : -1;
	if (row->mapped && *avail)
		(*avail)--;
	rc = counters_now(&lck1, &pin1, NULL);
	if (rc)
		goto out;
	row->measured[CNT_VMLCK] = (int64_t)(lck1 - lck0);
	row->measured[CNT_VMPIN] = (int64_t)(pin1 - pin0);
	if (row->mapped)
		st->user_charged += row->pred.charge[CNT_USER];
	if (lck1 > st->peak_lck)
		st->peak_lck = lck1;
	if (pin1 > st->peak_pin)
		st->peak_pin = pin1;
	if (st->user_charged > st->peak_user)
		st->peak_user = st->user_charged;
	rc = classify_region(h, m, &row->after);
	if (rc)
		goto out;
	if (have_before && region_pfns(m, after)) {
		row->pfns_known = true;
		row->pfns_changed = pfns_changed(before, after, npages);
	}
	judge_row(row);
out:
	free(before);
	free(after);
	return rc;
}

static void wait_for_stop(void)
{
	sigset_t block, old;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	sigdelset(&old, SIGINT);
	sigdelset(&old, SIGTERM);
	while (!map_stop_signal)
		sigsuspend(&old);
	sigprocmask(SIG_UNBLOCK, &block, NULL);
}

/*
 * Fault injection for the tests (tests/vm/t-map-faults.sh):
 * VFIO_PINCTL_PAUSE=STAGE stops at STAGE (after-open, after-alloc, after-map1)
 * until SIGINT or SIGTERM, so that a signal lands exactly there.  Unset, it
 * costs one getenv() per stage.
 */
static void fault_pause(const char *stage)
{
	const char *want = getenv("VFIO_PINCTL_PAUSE");

	if (!want || strcmp(want, stage) || map_stop_signal)
		return;
	fprintf(stderr, "vfio-pinctl: paused %s in pid %d (VFIO_PINCTL_PAUSE); "
		"SIGINT or SIGTERM goes on\n", stage, (int)getpid());
	wait_for_stop();
}

/* Pins the maps took that the unmaps did not give back, measured and predicted (4K pages). */
static void pins_leak(struct map_state *st, const struct map_report *r)
{
	uint64_t taken = 0, given = 0;
	int i;

	st->pins_known = true;
	st->pins_leaked = st->pins_leaked_predicted = 0;
	for (i = 0; i < st->nrows; i++) {
		const struct map_row *row = &r->rows[i];

		if (!row->attempted)
			continue;
		if (!row->pins_known || (!row->err && !row->unpins_known)) {
			st->pins_known = false;
			continue;
		}
		taken += row->pin_acq + row->unpin_acq;
		given += row->pin_rel + row->unpin_rel;
		if (!row->err)
			st->pins_leaked_predicted += row->pred.pins_leaked;
	}
	if (st->pins_known)
		st->pins_leaked = taken > given ? taken - given : 0;
}

static void release(struct backend *be, struct map_report *r, struct mem_region *mr, int nr)
{
	struct map_state *st = &r->st;
	struct pin_counts pc0 = { 0 }, pc1 = { 0 };
	struct proc_status ps;
	bool ok;
	int i;

	for (i = st->nrows - 1; i >= 0; i--) {
		struct map_row *row = &r->rows[i];

		uint64_t t0;

		if (!row->mapped)
			continue;
		row->unpins_known = pins_now(st, &pc0);
		t0 = now_ns();
		row->unmap_err = be->ops->unmap(be, row->iova, row->size);
		row->unmap_ns = now_ns() - t0;
		row->unpins_known = row->unpins_known && pins_now(st, &pc1);
		if (row->unpins_known) {
			row->unpin_acq = pc1.acquired - pc0.acquired;
			row->unpin_rel = pc1.released - pc0.released;
		}
		if (row->unmap_err) {
			st->unmap_errors++;
			continue;
		}
		row->mapped = false;
		st->user_charged -= row->pred.charge[CNT_USER];
		judge_unmap(row);
	}
	pins_leak(st, r);
	if (st->pins_known)
		pins_now(st, &pc0);
	for (i = nr - 1; i >= 0; i--)
		mem_free(&mr[i]);
	/* What munmap and close gave back (udmabuf releases its memfd pins; device-dax nothing). */
	if (st->pins_known && pins_now(st, &pc1) && pc0.known)
		st->pins_after_free = pc1.released - pc0.released;
	/* Not counters_now(): a failure here must not replace the run's own error line. */
	ok = read_status("self", &ps) == 0;
	st->final_lck = ok ? ps.vm_lck_kb * 1024 : 0;
	st->final_pin = ok ? ps.vm_pin_kb * 1024 : 0;
	hugepages_free(st->hp_after);
	st->counters_restored = ok && !st->unmap_errors && st->final_lck == st->base_lck &&
				st->final_pin == st->base_pin &&
				st->hp_after[0] == st->hp_before[0] && st->hp_after[1] == st->hp_before[1];
	/* Leaked pins are never a restored baseline, predicted or not. */
	st->baseline_restored = st->counters_restored && !(st->pins_known && st->pins_leaked);
	st->done = true;
}

static int event(const struct map_hooks *h, enum map_event ev, struct map_report *r, int row)
{
	return h->event ? h->event(h->arg, ev, r, row) : 0;
}

int map_session(const struct map_plan *p, struct backend *be, struct map_report *r,
		const struct map_hooks *h)
{
	struct mem_region mr[MAP_MAX_REGIONS];
	struct map_state *st = &r->st;
	uint32_t avail = be->info.dma_avail;
	struct pin_counts pc, pc2;
	bool have_pc;
	uint64_t pin;
	int nr = 0, rc, i, attempted = 0;
	bool failed = false;

	fill_identity(p, be, r);
	rc = counters_now(&st->base_lck, &st->base_pin, NULL);
	if (rc)
		return rc;
	ident_open();
	hugepages_free(st->hp_before);
	fault_pause("after-open");
	have_pc = pins_now(st, &pc);
	for (i = 0; i < p->nspecs && !rc; i++) {
		if (map_stop_signal)
			break;
		rc = mem_alloc(&mr[i], &p->specs[i], p->sizes[i], be, p->dev);
		if (!rc)
			nr++;
	}
	/* Some memory is pinned by its own driver when made (udmabuf_create: memfd_pin_folios). */
	if (have_pc && pins_now(st, &pc2)) {
		st->pins_alloc = pc2.acquired - pc.acquired;
		st->pins_mark = true;
		st->pins_mark_acq = pc2.acquired;
		st->pins_mark_rel = pc2.released;
	}
	if (!rc)
		fault_pause("after-alloc");
	if (!rc && !map_stop_signal)
		rc = counters_now(&st->alloc_lck, &pin, NULL);
	if (!rc && !map_stop_signal)
		rc = plan_rows(p, be, r, mr, h);
	if (!rc && !map_stop_signal)
		rc = event(h, ME_PLAN, r, -1);
	for (i = 0; !rc && i < st->nrows; i++) {
		struct map_row *row = &r->rows[i];

		if (map_stop_signal)
			break;
		rc = map_one(be, r, row, &mr[row->region], h, &avail);
		attempted++;
		if (!rc)
			rc = event(h, ME_ROW, r, i);
		if (!rc && i == 0 && !row->err)
			fault_pause("after-map1");
		/* Like a VMM, stop at the first refusal; what was mapped is released below. */
		if (row->err) {
			failed = true;
			break;
		}
	}
	if (!rc && !failed && p->hold && !map_stop_signal) {
		rc = event(h, ME_HOLD, r, -1);
		if (!rc) {
			wait_for_stop();
			st->held = true;
		}
	}
	/* A signal after the work was done (or refused) interrupted nothing. */
	st->interrupted = map_stop_signal && !st->held && !failed &&
			  (st->nrows == 0 || attempted < st->nrows);
	release(be, r, mr, nr);
	ident_close();
	if (st->alloc_lck < st->base_lck)
		st->alloc_lck = st->base_lck;
	event(h, ME_END, r, -1);
	return rc;
}

/* --- messages --------------------------------------------------------------- */

void map_row_type(const struct map_row *row, char *buf, size_t size)
{
	if (row->type == MT_BAR && row->bar >= 0)
		snprintf(buf, size, "bar%d", row->bar);
	else
		snprintf(buf, size, "%s", mem_type_name(row->type));
}

static void sz(char *buf, size_t size, uint64_t v)
{
	format_size(buf, size, v);
}

static void ranges_text(const struct backend_info *bi, char *buf, size_t size)
{
	size_t i, used = 0;

	buf[0] = '\0';
	if (!bi->ranges_known) {
		snprintf(buf, size, "ranges unknown");
		return;
	}
	for (i = 0; i < bi->nranges && used + 1 < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s0x%" PRIx64 "-0x%" PRIx64,
					 i ? ", " : "", bi->ranges[i].start, bi->ranges[i].end);
}

const char *map_ioctl_name(const struct map_state *st)
{
	return st->rule == RULE_IOMMUFD_USER || st->rule == RULE_IOMMUFD_MM ? "IOAS_MAP" : "MAP_DMA";
}

static const char *ctx_name(const struct map_state *st)
{
	return !strcmp(map_ioctl_name(st), "IOAS_MAP") ? "IOAS" : "container";
}

void map_budget_note(const struct map_state *st, char *buf, size_t size)
{
	buf[0] = '\0';
	if (st->rule != RULE_IOMMUFD_USER)
		return;
	if (st->cap_ipc_lock) {
		snprintf(buf, size, "per-user accounting, but with CAP_IPC_LOCK iommufd charges nothing against RLIMIT_MEMLOCK: only VmPin moves");
		return;
	}
	snprintf(buf, size, "per-user accounting (iommufd's default): RLIMIT_MEMLOCK is checked against the locked memory of uid %u summed over all its processes, which no /proc file shows; verified here: VmPin and the kernel's answer for every map; not verifiable: what other processes of uid %u hold, so an ENOMEM this process's own charges do not explain is put down to them",
		 st->uid, st->uid);
}

static void enomem_message(const struct map_state *st, const struct map_row *row, const char *what,
			   char *buf, size_t size)
{
	uint64_t need = (st->need_bytes + 1023) >> 10, lim = st->limit >> 10;

	if (row->shared_budget) {
		snprintf(buf, size, "%s: uid %u's locked memory would exceed RLIMIT_MEMLOCK (limit %" PRIu64 " KiB), though this process charged only %" PRIu64 " KiB + %" PRIu64 " KiB: other processes of uid %u hold at least %" PRIu64 " KiB of the budget (iommufd's per-user accounting; no /proc file shows it); stop them, raise the limit, grant CAP_IPC_LOCK, or account per process (--rlimit-mode mm, as the compat container and type1 do)",
			 what, st->uid, lim, row->user_before >> 10, row->pred.needs >> 10, st->uid,
			 (uint64_t)((row->pred.user_headroom + PAGE_4K) >> 10));
		return;
	}
	if (rule_limit_counter(st->rule) == CNT_USER) {
		snprintf(buf, size, "%s: RLIMIT_MEMLOCK exceeded without CAP_IPC_LOCK (per-user: uid %u's locked memory, this process's share %" PRIu64 " KiB + %" PRIu64 " KiB > limit %" PRIu64 " KiB; other processes of the uid add to it unseen); a limit of %" PRIu64 " KiB would suffice for this process's regions (ulimit -l %" PRIu64 "), or grant CAP_IPC_LOCK",
			 what, st->uid, row->user_before >> 10, row->pred.needs >> 10, lim, need, need);
		return;
	}
	/* KiB, not rounded: the limit that fails is often one page short. */
	snprintf(buf, size, "%s: RLIMIT_MEMLOCK exceeded without CAP_IPC_LOCK (VmLck %" PRIu64 " KiB + %" PRIu64 " KiB > limit %" PRIu64 " KiB); a limit of %" PRIu64 " KiB would suffice for every region (ulimit -l %" PRIu64 "), or grant CAP_IPC_LOCK",
		 what, row->locked_before >> 10, row->pred.needs >> 10, lim, need, need);
}

static void efault_message(const struct map_state *st, const struct map_row *row, const char *what,
			   char *buf, size_t size)
{
	if (row->type == MT_BAR && st->rule != RULE_TYPE1)
		snprintf(buf, size, "%s: " IOMMUFD_PFNMAP_WHY "%s; leave BARs out of iommufd's maps (peer-to-peer DMA to them needs type1)",
			 what, st->rule == RULE_IOMMUFD_COMPAT ? "; this kernel's /dev/vfio/vfio is iommufd's" : "");
	else if ((row->flags & BE_MAP_WRITE) && row->type == MT_ZERO)
		snprintf(buf, size, "%s: the kernel cannot pin read-only memory for device writes; map it READ-only (zero:SIZE:ro)", what);
	else if (row->type == MT_VGEM || row->type == MT_UDMABUF || row->type == MT_DMAHEAP)
		snprintf(buf, size, "%s: a VM_PFNMAP mapping of ordinary RAM (%s): GUP refuses PFNMAPs and type1's follow_fault_pfn path refuses pfns with a normal struct page (is_invalid_reserved_pfn false); DMA-map the memory behind it (its memfd or shmem) instead of the dma-buf mmap",
			 what, mem_type_name(row->type));
	else if (row->type == MT_SECRETMEM)
		snprintf(buf, size, "%s: secretmem (memfd_secret) cannot be pinned by GUP, by design: no device may DMA to it; use ordinary memory", what);
	else if (row->type == MT_DEVMEM && st->rule != RULE_TYPE1)
		snprintf(buf, size, "%s: " IOMMUFD_PFNMAP_WHY "; /dev/mem is a PFNMAP too", what);
	else if ((row->flags & BE_MAP_WRITE) && (row->type == MT_FILE || row->type == MT_WRITEBACK))
		snprintf(buf, size, "%s: since 6.5 the kernel refuses long-term write pins of files on a filesystem with writeback (TMPDIR is on one?); back guest RAM with tmpfs or hugetlbfs (TMPDIR=/dev/shm), or map it READ-only (file:SIZE:ro)", what);
	else
		snprintf(buf, size, "%s: the kernel could not pin the range (not mapped, read-only for a write map, or a PFNMAP page with a struct page)", what);
}

void map_row_message(const struct map_report *r, const struct map_row *row, char *buf, size_t size)
{
	const struct map_state *st = &r->st;
	char what[160], name[16], a[16], ranges[400];
	int k;

	sz(a, sizeof(a), row->size);
	map_row_type(row, name, sizeof(name));
	snprintf(what, sizeof(what), "%s of region #%d (%s %s) at IOVA 0x%" PRIx64 " failed with %s",
		 map_ioctl_name(st), row->region + 1, name, a, row->iova, errno_name(row->err));
	switch (-row->err) {
	case ENOMEM:
		enomem_message(st, row, what, buf, size);
		return;
	case ENOSPC:
		snprintf(buf, size, "%s: the container's DMA mapping entries are used up (vfio_iommu_type1 dma_entry_limit; %u were free at open); raise it: echo 65535 > /sys/module/vfio_iommu_type1/parameters/dma_entry_limit",
			 what, st->info.dma_avail);
		return;
	case EFAULT:
		efault_message(st, row, what, buf, size);
		return;
	case EOPNOTSUPP:
		snprintf(buf, size, "%s: a file on a fs-dax mount cannot be pinned long-term (check_vma_flags: vma_is_fsdax; its pages are the device's, with no page cache); use device-dax (/dev/daxN.M) or a filesystem without -o dax", what);
		return;
	case EINVAL:
		if (!iova_usable(&st->info, row->iova, row->size)) {
			ranges_text(&st->info, ranges, sizeof(ranges));
			snprintf(buf, size, "%s: IOVA 0x%" PRIx64 "-0x%" PRIx64 " is outside the %s's usable IOVA ranges (%s; the MSI window 0xfee00000-0xfeefffff is reserved); pick an IOVA inside them",
				 what, row->iova, row->iova + row->size - 1, ctx_name(st), ranges);
		} else {
			snprintf(buf, size, "%s: the kernel refused the arguments (IOVA, vaddr and size must be 4K-aligned, READ and/or WRITE set)", what);
		}
		return;
	case EEXIST:
		for (k = 0; k < row->index; k++)
			if (r->rows[k].attempted && !r->rows[k].err && overlaps(&r->rows[k], row->iova, row->size))
				break;
		if (k < row->index)
			snprintf(buf, size, "%s: IOVA 0x%" PRIx64 "-0x%" PRIx64 " overlaps the mapping of region #%d at 0x%" PRIx64 "; give each region its own IOVA",
				 what, row->iova, row->iova + row->size - 1, r->rows[k].region + 1, r->rows[k].iova);
		else
			snprintf(buf, size, "%s: the IOVA range overlaps an existing mapping; give each region its own IOVA", what);
		return;
	}
	snprintf(buf, size, "%s: %s", what, strerror(-row->err));
}
