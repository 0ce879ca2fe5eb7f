// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hugepages, memlock, dma_entries: the guest's memory against the host's
 * huge page pools, the memlock limit of whoever maps, and type1's cap on
 * the number of DMA mappings per container.  Pure: pools from
 * host/hugepages.c, the target from model/target.c, the need from need.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "model/judge.h"
#include "lib/util.h"

/* Nodes named in a hugepages finding; the rest are counted. */
#define POOL_NODES_LISTED 16

static void pool_summary(const struct hugepool *pools, size_t npools, unsigned kb, char *buf, size_t size,
			 uint64_t *total, uint64_t *free_, uint64_t *best_node)
{
	size_t i, len, shown = 0, more = 0;

	buf[0] = '\0';
	*total = *free_ = *best_node = 0;
	for (i = 0; i < npools; i++) {
		const struct hugepool *p = &pools[i];

		if (p->size_kb != kb)
			continue;
		*total += p->total;
		*free_ += p->free;
		if (p->free > *best_node)
			*best_node = p->free;
		if (p->node < 0)
			continue;
		/* A finding is one line: a big host's 64 nodes are counted, not listed (the metrics list them). */
		if (shown == POOL_NODES_LISTED) {
			more++;
			continue;
		}
		len = strlen(buf);
		snprintf(buf + len, size - len, "%snode%d %" PRIu64 "/%" PRIu64, len ? ", " : "",
			 p->node, p->free, p->total);
		shown++;
	}
	if (more) {
		len = strlen(buf);
		snprintf(buf + len, size - len, " and %zu more node%s", more, more == 1 ? "" : "s");
	}
}

/* The guest uses the asked size, else the largest pool that has pages reserved; 0: none. */
static unsigned pool_size_kb(const struct hugepool *pools, size_t npools, uint64_t asked)
{
	unsigned kb = (unsigned)(asked >> 10);
	size_t i;

	if (kb)
		return kb;
	for (i = 0; i < npools; i++)
		if (pools[i].total && pools[i].size_kb > kb)
			kb = pools[i].size_kb;
	return kb;
}

/* A running VMM's huge pages are held, not needed free (HugetlbPages of its status). */
static uint64_t pages_held(const struct vmm_side *v, uint64_t need, unsigned kb, char *buf, size_t size)
{
	uint64_t held;
	char h[32];

	buf[0] = '\0';
	if (!v || !v->running || !v->hugetlb_held)
		return 0;
	held = v->hugetlb_held / ((uint64_t)kb * 1024);
	if (held > need)
		held = need;
	format_size(h, sizeof(h), v->hugetlb_held);
	snprintf(buf, size, "; the running VMM holds %s of huge pages already (HugetlbPages): %" PRIu64 " held, not needed free",
		 h, held);
	return held;
}

void judge_hugepages(const struct hugepool *pools, size_t npools, const struct check_opts *o,
		     const struct vmm_side *v, struct check_result *r)
{
	char nodes[300], gm[32], per[32], heldtxt[160];
	uint64_t total, free_, best, need, held;
	unsigned kb;
	size_t i, nnodes = 0;

	if (!npools) {
		check_set(r, o->hugepage_size ? ST_FAIL : ST_SKIP, "this kernel has no huge page pools (no /sys/kernel/mm/hugepages)");
		if (o->hugepage_size)
			check_fix(r, "boot a kernel with CONFIG_HUGETLBFS");
		return;
	}
	if (v && v->known && !v->hugetlb && !o->hugepage_size) {
		check_set(r, ST_SKIP, "the VMM's guest RAM is not on huge pages (its configuration names no hugetlb backing): no pool needed");
		return;
	}
	kb = pool_size_kb(pools, npools, o->hugepage_size);
	if (!kb) {
		check_set(r, ST_SKIP, "no huge pages reserved: guest RAM would be 4K or THP pages (--hugepages SIZE to require a pool)");
		return;
	}
	for (i = 0; i < npools; i++)
		if (pools[i].size_kb == kb)
			nnodes++;
	if (!nnodes) {
		check_set(r, ST_FAIL, "no %ukB huge page pool on this host", kb);
		check_fix(r, "boot with hugepagesz=%uK hugepages=N (the CPU must support the size)", kb);
		return;
	}
	pool_summary(pools, npools, kb, nodes, sizeof(nodes), &total, &free_, &best);
	snprintf(per, sizeof(per), "%ukB", kb);
	if (!o->have_guest_mem) {
		check_set(r, ST_PASS, "%s pool: %" PRIu64 " free of %" PRIu64 "%s%s%s (give --guest-mem to compare)",
			  per, free_, total, nodes[0] ? " (" : "", nodes, nodes[0] ? ")" : "");
		return;
	}
	need = (o->guest_mem + (uint64_t)kb * 1024 - 1) / ((uint64_t)kb * 1024);
	format_size(gm, sizeof(gm), o->guest_mem);
	held = pages_held(v, need, kb, heldtxt, sizeof(heldtxt));
	if (held) {
		need -= held;
		if (!need) {
			check_set(r, ST_PASS, "a %s guest needs %" PRIu64 " pages of %s%s; %" PRIu64 " free of %" PRIu64 "%s%s%s",
				  gm, held, per, heldtxt, free_, total, nodes[0] ? " (" : "", nodes, nodes[0] ? ")" : "");
			return;
		}
	}
	if (free_ < need) {
		check_set(r, ST_FAIL, "a %s guest needs %" PRIu64 " %spages of %s%s; %" PRIu64 " free of %" PRIu64 "%s%s%s",
			  gm, need, held ? "more " : "", per, heldtxt, free_, total, nodes[0] ? " (" : "", nodes, nodes[0] ? ")" : "");
		check_fix(r, "reserve more: echo %" PRIu64 " > /sys/kernel/mm/hugepages/hugepages-%ukB/nr_hugepages (persist: vm.nr_hugepages or hugepages= on the kernel command line; 1G pages are best reserved at boot)",
			  total + need - free_, kb);
	} else if (nnodes > 1 && best < need) {
		check_set(r, ST_WARN, "a %s guest needs %" PRIu64 " pages of %s: %" PRIu64 " free in all, but no single node has them (%s)",
			  gm, need, per, free_, nodes);
		check_fix(r, "reserve them on the guest's node: echo N > /sys/devices/system/node/nodeX/hugepages/hugepages-%ukB/nr_hugepages",
			  kb);
	} else {
		check_set(r, ST_PASS, "a %s guest needs %" PRIu64 " %spages of %s%s; %" PRIu64 " free of %" PRIu64 "%s%s%s",
			  gm, need, held ? "more " : "", per, heldtxt, free_, total, nodes[0] ? " (" : "", nodes, nodes[0] ? ")" : "");
	}
}

static enum need_backend need_backend_of(enum check_backend b)
{
	/*
	 * Native iommufd: per-user, /dev/iommu's default, unless the VMM's
	 * manager sets IOMMU_OPTION_RLIMIT_MODE (libvirt does); the compat
	 * container is always per-mm.
	 */
	switch (b) {
	case BE_IOMMUFD: return NEED_IOMMUFD_USER;
	case BE_IOMMUFD_COMPAT: return NEED_IOMMUFD;
	default: return NEED_TYPE1;
	}
}

void check_needs(const struct check_opts *o, const struct pci_entry *devs, size_t ndevs,
		 const struct need_in *base, struct need_out needs[BE_NR])
{
	struct need_in in = *base;
	size_t i;
	int b;

	in.guest_mem = o->have_guest_mem ? o->guest_mem : 0;
	in.ndevices = ndevs ? (unsigned)ndevs : 1;
	in.viommu = o->viommu;
	in.granularity = o->granularity;
	in.bar_bytes = 0;
	for (i = 0; i < ndevs; i++)
		for (b = 0; b < PCI_NUM_RESOURCES; b++)
			if (devs[i].info.bars[b].flags & IORESOURCE_MEM)
				in.bar_bytes += pci_bar_size(&devs[i].info.bars[b]);
	for (b = BE_TYPE1; b < BE_NR; b++) {
		in.backend = need_backend_of(b);
		need_compute(&in, &needs[b]);
	}
}

/* soft and hard as compared with the need: exactly enough to show which is larger. */
static void limit_text(const struct target *t, uint64_t need, char *buf, size_t size)
{
	char s[32], h[32], n[32];

	if (t->soft_inf)
		snprintf(s, sizeof(s), "unlimited");
	else
		format_size_pair(s, sizeof(s), t->soft, n, sizeof(n), need);
	if (t->hard_inf)
		snprintf(h, sizeof(h), "unlimited");
	else
		format_size_pair(h, sizeof(h), t->hard, n, sizeof(n), need);
	snprintf(buf, size, "soft %s, hard %s", s, h);
}

static void memlock_fix(const struct target *t, const struct check_opts *o, uint64_t need,
			struct check_result *r)
{
	unsigned long long kb = (need + 1023) / 1024;
	char sz[32];

	format_size_exact(sz, sizeof(sz), need);
	switch (t->kind) {
	case TGT_PID:
		check_fix(r, "prlimit --pid %s --memlock=%llu:%llu now (raising the hard limit needs CAP_SYS_RESOURCE), then fix whatever starts it (libvirt sets it from the domain XML: <memtune><hard_limit>)",
			  o->pid, (unsigned long long)need, (unsigned long long)need);
		break;
	case TGT_USER:
		check_fix(r, "echo '%s - memlock %llu' > /etc/security/limits.d/90-vfio.conf (applies at the next PAM login; not to systemd services)",
			  o->user, kb);
		break;
	case TGT_UNIT:
		check_fix(r, "systemctl edit %s: [Service] LimitMEMLOCK=%s (or infinity); then systemctl restart %s",
			  o->unit, sz, o->unit);
		break;
	case TGT_SELF:
		check_fix(r, "ulimit -l %llu in the shell that starts the VMM, or name the process that maps with --pid/--user/--unit",
			  kb);
		break;
	}
}

uint64_t memlock_in_force(const struct target *t, const struct vmm_side *v)
{
	uint64_t soft = t->soft_inf ? UINT64_MAX : t->soft;

	/* A running VMM's limit is its own: whatever its manager did is done. */
	if (!v || !v->known || v->running)
		return soft;
	/* libvirt only ever raises the limit (qemuDomainAdjustMaxMemLock); KubeVirt sets unlimited */
	if (v->ceil.kind == VMM_CEIL_UNLIMITED)
		return UINT64_MAX;
	if (v->ceil.kind == VMM_CEIL_BYTES && v->ceil.bytes > soft)
		return v->ceil.bytes;
	return soft;
}

/* "; libvirt sets 1.25G (rule)" or "; no manager known (...)": the ceiling side by side. */
static void manager_text(const struct vmm_side *v, uint64_t need, char *buf, size_t size, bool *short_)
{
	char c[32], n[32], d[32];

	*short_ = false;
	buf[0] = '\0';
	if (!v || !v->known)
		return;
	switch (v->ceil.kind) {
	case VMM_CEIL_BYTES:
		format_size_pair(c, sizeof(c), v->ceil.bytes, n, sizeof(n), need);
		*short_ = v->ceil.bytes < need;
		if (*short_)
			format_size_exact(d, sizeof(d), need - v->ceil.bytes);
		snprintf(buf, size, "; %s sets %s (%s)%s%s", v->manager ? v->manager : "the manager", c,
			 v->ceil.rule, *short_ ? ": short by " : ": covers it", *short_ ? d : "");
		break;
	case VMM_CEIL_UNLIMITED:
		snprintf(buf, size, "; %s sets it unlimited (%s)", v->manager ? v->manager : "the manager", v->ceil.rule);
		break;
	default:
		snprintf(buf, size, "; manager ceiling: %s", v->ceil.rule);
		break;
	}
}

void judge_memlock(const struct target *t, const struct need_out *need, enum check_backend b,
		   const struct check_opts *o, const struct vmm_side *v, struct check_result *r)
{
	char lim[80], now[64] = "", mgr[400], by[32], in[96] = "";
	bool iommufd = b != BE_TYPE1, mgr_short;
	uint64_t force;

	if (!t->known) {
		check_set(r, ST_UNKNOWN, "cannot tell the memlock limit of %s: %s", t->desc, t->err);
		check_fix(r, "give --pid of the process that will map, --user, or --unit");
		return;
	}
	if (!t->have_limit) {
		check_set(r, ST_UNKNOWN, "the memlock limit of %s is unknown", t->desc);
		return;
	}
	limit_text(t, need->total, lim, sizeof(lim));
	if (t->have_vmlck) {
		char vl[32], n[32];

		format_size_pair(vl, sizeof(vl), t->vm_lck, n, sizeof(n), need->total);
		snprintf(now, sizeof(now), "; VmLck now %s", vl);
	}
	if (!o->have_guest_mem) {
		check_set(r, ST_SKIP, "%s: memlock %s (%s)%s; give --guest-mem to compare with a guest's need",
			  t->desc, lim, t->limit_from, now);
		return;
	}
	manager_text(v, need->total, mgr, sizeof(mgr), &mgr_short);
	if (t->have_caps && t->cap_ipc_lock) {
		check_set(r, ST_PASS, "%s has CAP_IPC_LOCK (%s): the limit does not apply (%s); need %s%s%s",
			  t->desc, t->cap_from,
			  iommufd ? "iommufd charges nothing against it, VmPin still grows"
				  : "type1 does not enforce it, VmLck still grows",
			  need->how, mgr, now);
		return;
	}
	force = memlock_in_force(t, v);
	if (force != (t->soft_inf ? UINT64_MAX : t->soft)) {
		char f[32], n[32];

		if (force == UINT64_MAX)
			snprintf(f, sizeof(f), "unlimited");
		else
			format_size_pair(f, sizeof(f), force, n, sizeof(n), need->total);
		snprintf(in, sizeof(in), ", raised by %s to %s", v->manager ? v->manager : "its manager", f);
	}
	if (force >= need->total && !mgr_short) {
		check_set(r, ST_PASS, "%s: memlock %s (%s)%s covers the need %s%s%s", t->desc, lim,
			  t->limit_from, in, need->how, mgr, now);
		return;
	}
	if (force >= need->total) {
		/* the limit in force suffices, the manager's own rule would not: say which is short */
		check_set(r, ST_FAIL, "%s: memlock %s (%s)%s covers the need %s, but the manager's ceiling does not%s%s",
			  t->desc, lim, t->limit_from, in, need->how, mgr, now);
		check_fix(r, "set the limit in the domain XML: <memtune><hard_limit unit='KiB'>%llu</hard_limit></memtune> (libvirt then sets exactly it), or <memoryBacking><locked/></memoryBacking> (unlimited)",
			  (unsigned long long)((need->total + 1023) / 1024));
		return;
	}
	format_size_exact(by, sizeof(by), need->total - force);
	check_set(r, ST_FAIL, "%s: memlock %s (%s)%s is short by %s of the need %s%s%s%s; %s will fail with ENOMEM",
		  t->desc, lim, t->limit_from, in, by, need->how, mgr, now,
		  t->hard_inf || t->hard >= need->total ? "; the hard limit would allow raising the soft one" : "",
		  b == BE_IOMMUFD ? "IOMMU_IOAS_MAP" : "MAP_DMA");
	memlock_fix(t, o, need->total, r);
}

void judge_dma(const struct module_params *p, const struct need_out *n, enum check_backend b,
	       const struct check_opts *o, struct check_result *r)
{
	if (b != BE_TYPE1) {
		check_set(r, ST_SKIP, "iommufd has no dma_entry_limit (its compat container reports U32_MAX mappings)");
		return;
	}
	if (!p->have_dma_limit) {
		check_set(r, ST_SKIP, "vfio_iommu_type1 is not loaded: no dma_entry_limit to read");
		return;
	}
	if ((o->viommu || o->granularity || n->dma_by_memory) && !o->have_guest_mem) {
		check_set(r, ST_SKIP, "dma_entry_limit=%" PRIu64 "; give --guest-mem to count the mappings",
			  p->dma_entry_limit);
		return;
	}
	if (n->dma_entries <= p->dma_entry_limit) {
		check_set(r, ST_PASS, "dma_entry_limit=%" PRIu64 " >= %" PRIu64 " mappings per container (%s)",
			  p->dma_entry_limit, n->dma_entries, n->dma_how);
		return;
	}
	check_set(r, n->dma_worst_case ? ST_WARN : ST_FAIL,
		  "dma_entry_limit=%" PRIu64 " < %" PRIu64 " mappings per container (%s): MAP_DMA fails with ENOSPC once it is used up",
		  p->dma_entry_limit, n->dma_entries, n->dma_how);
	check_fix(r, "echo %" PRIu64 " > /sys/module/vfio_iommu_type1/parameters/dma_entry_limit (new containers); persist with vfio_iommu_type1.dma_entry_limit=%" PRIu64 " on the kernel command line or in /etc/modprobe.d",
		  n->dma_entries, n->dma_entries);
}
