// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * inspect PID: read-only.  Every present page of the process classified, its
 * VFIO fds and devices named, its locked/pinned memory set against its limit.
 */
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "host/kernel.h"
#include "host/iommu.h"
#include "host/pci.h"
#include "lib/error.h"
#include "render/inspect.h"
#include "render/progress.h"
#include "host/process.h"
#include "host/procstat.h"
#include "host/scan.h"
#include "host/sysroot.h"
#include "host/vfio-contexts.h"
#include "host/vfiofds.h"
#include "host/vmm-read.h"
#include "model/devfds.h"
#include "lib/util.h"
#include "model/roles.h"
#include "model/vmm.h"
#include "host/vmawalk.h"
#include "host/mounts.h"

struct inspect_opts {
	const char *pid;
	struct role_matcher roles;
	struct scan_opts scan;
	struct inspect_out out;
	struct progress prog;      /* on stderr, for a big process on a terminal */
};

static void usage(FILE *f)
{
	fputs("Usage: vfio-pinctl inspect [options] PID|self\n"
	      "\nClassify every page of a live process (read-only), name its VFIO devices,\n"
	      "and explain its locked and pinned memory against RLIMIT_MEMLOCK.\n"
	      "\nOptions:\n"
	      "  -o, --output LIST     columns of the vma table (+LIST adds to the defaults)\n"
	      "      --list-columns    list the columns\n"
	      "  -J, --json            one JSON report (see vfio-pinctl(8) for the fields)\n"
	      "  -r, --raw             raw table\n"
	      "  -P, --pairs           KEY=\"value\" table\n"
	      "  -n, --noheadings      no table headings\n"
	      "  -b, --bytes           sizes in bytes\n"
	      "  -s, --summary         the summary only, no vma table\n"
	      "      --pages           list merged pfn runs with their flags instead of vmas\n"
	      "      --exact           read the flags of every page, even inside huge pages\n"
	      "      --no-pagemap-scan do not use the PAGEMAP_SCAN ioctl (6.7+)\n"
	      "      --sysroot DIR     read /proc and /sys below DIR (a captured tree)\n"
	      "  -h, --help            this help\n", f);
}

enum { OPT_LIST_COLUMNS = 256, OPT_PAGES, OPT_EXACT, OPT_NO_PM_SCAN, OPT_SYSROOT };

static int parse_args(int argc, char **argv, struct inspect_opts *o)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "list-columns", no_argument, NULL, OPT_LIST_COLUMNS },
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "pairs", no_argument, NULL, 'P' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "bytes", no_argument, NULL, 'b' },
		{ "summary", no_argument, NULL, 's' },
		{ "pages", no_argument, NULL, OPT_PAGES },
		{ "exact", no_argument, NULL, OPT_EXACT },
		{ "no-pagemap-scan", no_argument, NULL, OPT_NO_PM_SCAN },
		{ "sysroot", required_argument, NULL, OPT_SYSROOT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, pid;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:JrPnbsh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o->out.columns = optarg; break;
		case OPT_LIST_COLUMNS: inspect_list_columns(stdout); exit(VP_EXIT_OK);
		case 'J': o->out.fmt = FMT_JSON; break;
		case 'r': o->out.fmt = FMT_RAW; break;
		case 'P': o->out.fmt = FMT_PAIRS; break;
		case 'n': o->out.noheadings = true; break;
		case 'b': o->out.bytes = true; break;
		case 's': o->out.summary_only = true; break;
		case OPT_PAGES: o->out.pages = true; break;
		case OPT_EXACT: o->scan.exact = true; break;
		case OPT_NO_PM_SCAN: o->scan.no_pm_scan = true; break;
		case OPT_SYSROOT: sr_set_root(optarg); break;
		case 'h': usage(stdout); exit(VP_EXIT_OK);
		default:
			err_set(VP_EXIT_USAGE, "bad option '%s'; see `vfio-pinctl inspect --help`",
				argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind + 1 != argc) {
		err_set(VP_EXIT_USAGE, "inspect takes one PID (or 'self'); see `vfio-pinctl inspect --help`");
		return -EINVAL;
	}
	o->pid = argv[optind];
	if (parse_pid(o->pid, true, &pid)) {
		err_set(VP_EXIT_USAGE, "'%s' is not a pid; give a number or 'self'", o->pid);
		return -EINVAL;
	}
	if (o->out.pages && o->out.summary_only) {
		err_set(VP_EXIT_USAGE, "--pages and --summary exclude each other");
		return -EINVAL;
	}
	return inspect_columns_parse(&o->out);
}

/* One line naming the problem and the fix, for a failure to read a /proc/PID file. */
static int proc_error(const char *pid, const char *what, int rc)
{
	if (!sr_live()) {
		err_set(VP_EXIT_SYSROOT, "sysroot %s lacks a readable proc/%s/%s (%s); recapture it with `vfio-pinctl capture %s`",
			sr_root(), pid, what, strerror(-rc), pid);
		return rc;
	}
	if (rc == -ENOENT || rc == -ESRCH)
		err_set(VP_EXIT_NOPROC, "no process %s (it may have exited); check the pid with `ps -p %s`", pid, pid);
	else if (rc == -EACCES || rc == -EPERM)
		err_set(VP_EXIT_PERM, "permission denied reading /proc/%s/%s; run as root or as the process's owner", pid, what);
	else
		err_set(VP_EXIT_NOPROC, "cannot read /proc/%s/%s: %s", pid, what, strerror(-rc));
	return rc;
}

static int add_group(struct inspect_report *r, int group)
{
	struct inspect_group *ng;
	char (*bdfs)[BDF_LEN] = NULL;
	size_t i, n = 0;
	int rc;

	for (i = 0; i < r->ngroups; i++)
		if (r->groups[i].group == group)
			return 0;
	ng = realloc(r->groups, (r->ngroups + 1) * sizeof(*ng));
	if (!ng)
		return -ENOMEM;
	r->groups = ng;
	ng = &r->groups[r->ngroups++];
	memset(ng, 0, sizeof(*ng));
	ng->group = group;
	rc = iommu_group_devices(group, &bdfs, &n);
	if (rc)
		return 0;  /* the group vanished (device unplugged): keep the fd, no devices */
	ng->devs = calloc(n ? n : 1, sizeof(*ng->devs));
	if (!ng->devs) {
		free(bdfs);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		if (!pcidev_read(bdfs[i], &ng->devs[ng->ndevs]))
			ng->ndevs++;
	free(bdfs);
	return 0;
}

/* The group of a device named by a cdev or an fdinfo syspath. */
static int group_of_bdf(const char *bdf)
{
	struct pci_dev_info d;

	return pcidev_read(bdf, &d) ? -1 : d.group;
}

static void free_report(struct inspect_report *r)
{
	size_t i;

	for (i = 0; i < r->ngroups; i++)
		free(r->groups[i].devs);
	free(r->groups);
	vfio_fds_free(&r->fds);
	vfio_contexts_free(&r->ctx);
	vmm_view_free(&r->vmm);
}

/*
 * Which BAR a vfio-device mmap maps.  The maps offset is the BAR's physical
 * address on 6.1 but VFIO's region offset (index << 40) on 6.12 (measured):
 * try the physical address first, then the region index.
 */
static void match_bar(const struct inspect_report *r, struct inspect_row *row)
{
	const struct vma *v = row->vma;
	uint64_t idx = v->offset >> 40, within = v->offset & ((1ULL << 40) - 1);
	size_t g, d;
	int b, hits = 0;

	row->device = NULL;
	row->bar = -1;
	if (!vma_is_vfio_device(v))
		return;
	for (g = 0; g < r->ngroups; g++)
		for (d = 0; d < r->groups[g].ndevs; d++) {
			const struct pci_dev_info *dev = &r->groups[g].devs[d];

			for (b = 0; b < PCI_NUM_RESOURCES; b++) {
				const struct pci_bar *bar = &dev->bars[b];

				if (!pci_bar_size(bar) || !(bar->flags & IORESOURCE_MEM))
					continue;
				if (v->offset >= bar->start && v->offset <= bar->end) {
					row->device = dev->bdf;
					row->bar = b;
					row->bar_ambiguous = false;
					return;
				}
				if ((int)idx == b && within < pci_bar_size(bar)) {
					if (!hits++) {
						row->device = dev->bdf;
						row->bar = b;
					}
				}
			}
		}
	row->bar_ambiguous = hits > 1;
}

/* The device of each device fd the kernel names: the cdev's sysfs link, the fdinfo syspath (6.18+). */
static int name_told(struct inspect_report *r)
{
	char bdf[BDF_LEN], *slash;
	size_t i;
	int rc = 0, g;

	for (i = 0; i < r->fds.n && !rc; i++) {
		struct vfio_fd *f = &r->fds.v[i];

		g = f->group;
		bdf[0] = '\0';
		if (f->kind == VFD_CDEV) {
			if (!pci_vfio_cdev_device(f->cdev, bdf, sizeof(bdf)))
				f->bdf_source = "cdev";
		} else if (f->syspath[0] && (slash = strrchr(f->syspath, '/')) && is_bdf(slash + 1)) {
			str_copy(bdf, sizeof(bdf), slash + 1);
			f->bdf_source = "fdinfo";
		}
		if (f->bdf_source) {
			str_copy(f->bdf, sizeof(f->bdf), bdf);
			g = group_of_bdf(bdf);
		}
		if (g >= 0)
			rc = add_group(r, g);
	}
	return rc;
}

/*
 * A device fd from a group is anon_inode:[vfio-device] with no name: the
 * BAR mmaps of the process and the groups it holds may still name it
 * (model/devfds.c says when).  The maps are read once more for this; an
 * unreadable maps leaves the fd unknown (the scan reports the error).
 */
static int name_inferred(struct inspect_report *r)
{
	char (*bar)[16] = NULL, (*grp)[16] = NULL;
	struct vma *v = NULL;
	size_t nv = 0, nbar = 0, ngrp = 0, i, d, total = 0;
	int rc = 0;

	if (!r->fds.devices)
		return 0;
	if (vfio_device_vmas_read(r->pid, &v, &nv))
		nv = 0;
	for (i = 0; i < r->ngroups; i++)
		total += r->groups[i].ndevs;
	bar = calloc(nv + 1, sizeof(*bar));
	grp = calloc(total + 1, sizeof(*grp));
	if (!bar || !grp) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < nv; i++) {
		struct inspect_row row = { .vma = &v[i] };

		match_bar(r, &row);
		if (row.device && !row.bar_ambiguous)
			str_copy(bar[nbar++], sizeof(*bar), row.device);
	}
	for (i = 0; i < r->ngroups; i++)
		for (d = 0; d < r->groups[i].ndevs; d++)
			str_copy(grp[ngrp++], sizeof(*grp), r->groups[i].devs[d].bdf);
	devfds_name(&r->fds, (const char (*)[16])bar, nbar, (const char (*)[16])grp, ngrp);
out:
	free(bar);
	free(grp);
	free(v);
	return rc;
}

static int gather_vfio(struct inspect_report *r)
{
	int rc;

	rc = vfio_fds_read(r->pid, &r->fds);
	if (rc)
		return proc_error(r->pid, "fd", rc);
	r->container_provider = vfio_container_provider();
	r->backend = vfio_fds_backend(&r->fds, r->container_provider);
	rc = name_told(r);
	if (!rc)
		rc = name_inferred(r);
	if (!rc)
		rc = vfio_contexts_read(r->pid, &r->fds, &r->ctx);
	return rc;
}

/*
 * A vma scanned, waiting for its smaps details.  smaps output for one vma is
 * produced together with the next vma's (one read() fills a page), so waiting
 * for each vma's details in turn would serialise the two walks again.
 */
struct pending_vma {
	struct vma v;
	struct inspect_row row;
	bool have_details;
};

/*
 * Without PAGEMAP_SCAN (before 6.7) an unpopulated range still costs one
 * pagemap entry per page: a sanitizer's shadow or a VMM's address-space
 * reservation is terabytes.  Such a vma with no resident or swapped page in
 * smaps is not read page by page; zero-page mappings (not in Rss) could hide
 * there, so it is reported as unscanned, never as empty.
 */
#define HUGE_RESERVATION (1ULL << 40)

static bool skip_unscanned(const struct scan_ctx *sc, const struct vma *v)
{
	return sc->pm.scan < 0 && vma_size(v) >= HUGE_RESERVATION && v->has_vmflags &&
	       !v->rss_kb && !v->swap_kb && !vma_is_pfnmap(v);
}

#define PENDING_MAX 64

/* The vma's role, once its VmFlags are in (QEMU's RAM blocks carry "dc"). */
static void set_role(struct inspect_opts *o, struct inspect_report *r, struct inspect_row *row)
{
	const struct vma *v = row->vma;
	struct vma_traits t = {
		.vfio_device = vma_is_vfio_device(v),
		.hugetlb = vma_is_hugetlb(v),
		.dontcopy = vma_flag(v, "dc"),
		.has_vmflags = v->has_vmflags,
	};

	row->role = role_of_vma(&o->roles, v, &t);
	r->role_bytes[row->role] += vma_size(v);
}

/* Attach details and emit pending vmas in order; block only when told to. */
static int drain(struct inspect_opts *o, struct inspect_report *r, struct vma_walk *w,
		 struct pending_vma *p, size_t *n, bool block)
{
	size_t done = 0;
	int rc = 0;

	while (done < *n) {
		struct pending_vma *pv = &p[done];
		struct vma *v = &pv->v;
		bool special;

		rc = pv->have_details ? 0 : vma_walk_details(w, v, block);
		if (rc == -EAGAIN) {
			rc = 0;
			break;
		}
		if (rc == -ENOENT)
			rc = 0;  /* unmapped between the two reads: no flags */
		if (rc)
			break;
		pv->row.vma = v;
		set_role(o, r, &pv->row);
		if (vma_is_pfnmap(v))
			pv->row.cb.pfnmap = vma_size(v);
		special = vma_is_pfnmap(v) || vma_flag(v, "de") || vma_flag(v, "mm");
		r->nvmas++;
		class_add(&r->totals, &pv->row.cb);
		/*
		 * smaps Locked is proportional (each page divided by its
		 * mapcount, as Pss), so it moves when other processes map the
		 * same file pages; Rss of the VM_LOCKED vmas does not.
		 */
		if (vma_flag(v, "lo"))
			r->mv.mlocked += v->rss_kb * 1024;
		r->mv.smaps_locked += v->locked_kb * 1024;
		r->mv.mlock_vm += mlock_charge_of_vma(vma_size(v), vma_flag(v, "lo"),
						      vma_is_hugetlb(v), special);
		rc = inspect_out_vma_end(&o->out, &pv->row);
		if (rc)
			break;
		done++;
	}
	memmove(p, p + done, (*n - done) * sizeof(*p));
	*n -= done;
	return rc;
}

/*
 * ZONE_DEVICE memory is told by the vma, not by kpageflags (NOPAGE or EOF
 * for it): a device-dax character device, or a file on a dax mount.
 */
static bool vma_zone_device(const struct vma *v, const struct dax_mounts *dax)
{
	if (path_is_devdax(v->path))
		return true;
	return v->inode && v->path[0] == '/' && dax_mounts_has(dax, v->dev_major, v->dev_minor);
}

static int scan_vmas(struct inspect_opts *o, struct inspect_report *r, struct scan_ctx *sc)
{
	struct pending_vma *p;
	struct dax_mounts dax;
	struct vma_walk w;
	size_t n = 0;
	int rc;

	/* Without mountinfo (an older capture) no file is known to be on a dax mount. */
	if (dax_mounts_read(r->pid, &dax))
		memset(&dax, 0, sizeof(dax));

	p = calloc(PENDING_MAX, sizeof(*p));
	if (!p)
		return -ENOMEM;
	rc = vma_walk_open(&w, r->pid);
	if (rc) {
		free(p);
		return proc_error(r->pid, proc_has(r->pid, "maps") ? "smaps" : "maps", rc);
	}
	for (;;) {
		struct pending_vma *pv;
		struct vma cur;
		bool details_first;

		rc = vma_walk_next(&w, &cur);
		if (rc <= 0)
			break;
		details_first = sc->pm.scan < 0 && vma_size(&cur) >= HUGE_RESERVATION;
		/* Its smaps record first, so every earlier row goes out before it. */
		if (details_first) {
			rc = drain(o, r, &w, p, &n, true);
			if (rc)
				break;
		}
		pv = &p[n];
		pv->v = cur;
		pv->have_details = false;
		memset(&pv->row, 0, sizeof(pv->row));
		pv->row.vma = &pv->v;
		pv->row.bar = -1;
		pv->row.zone_device = vma_zone_device(&pv->v, &dax);
		match_bar(r, &pv->row);
		rc = inspect_out_vma_begin(&o->out, &pv->row);
		if (rc)
			break;
		/* A VM_PFNMAP vma reads as holes: smaps says what it was. */
		pv->row.cb.mapped = vma_size(&pv->v);
		if (details_first) {
			rc = vma_walk_details(&w, &pv->v, true);
			if (rc == -ENOENT)
				rc = 0;
			if (rc)
				break;
			pv->have_details = true;
		}
		if (pv->have_details && skip_unscanned(sc, &pv->v)) {
			pv->row.cb.unscanned = vma_size(&pv->v);
			progress_add(&o->prog, vma_size(&pv->v));
		} else
			rc = scan_range(sc, pv->v.start, pv->v.end, &pv->row.cb);
		if (!rc)
			rc = scan_flush(sc);
		if (!rc && pv->row.zone_device)
			class_mark_device(&pv->row.cb);
		if (rc)
			break;
		n++;
		/* --pages streams each vma whole: its JSON object must close first. */
		rc = drain(o, r, &w, p, &n, o->out.pages || n == PENDING_MAX);
		if (rc)
			break;
	}
	if (!rc)
		rc = drain(o, r, &w, p, &n, true);
	vma_walk_close(&w);
	free(p);
	/* A process that died meanwhile leaves short reads and truncated smaps. */
	if (rc == 0 && proc_gone(r->pid))
		rc = -ESRCH;
	if (rc == -ESRCH)
		err_set(VP_EXIT_NOPROC, "process %s exited while it was being scanned; nothing was changed, run again", r->pid);
	else if (rc == -EBADMSG)
		err_set(VP_EXIT_SYSROOT, "cannot parse /proc/%s/maps or smaps of this kernel; please report with `vfio-pinctl capture %s`", r->pid, r->pid);
	return rc < 0 ? rc : 0;
}

static int gather_process(struct inspect_report *r)
{
	int rc;

	rc = read_status(r->pid, &r->st);
	if (rc)
		return proc_error(r->pid, "status", rc);
	rc = read_limits_memlock(r->pid, &r->lim);
	r->have_limit = rc == 0;
	if (rc && rc != -ENOENT)
		return proc_error(r->pid, "limits", rc);
	r->kv_known = !kver_read(&r->kv, r->release, sizeof(r->release));
	if (!r->kv_known)
		snprintf(r->release, sizeof(r->release), "unknown");
	r->mv.limit_unlimited = !r->have_limit || r->lim.soft_unlimited;
	r->mv.limit = r->lim.soft;
	r->mv.vm_lck = r->st.vm_lck_kb * 1024;
	r->mv.vm_pin = r->st.vm_pin_kb * 1024;
	r->mv.cap_ipc_lock = status_cap_ipc_lock(&r->st);
	return 0;
}

static int open_scan(struct inspect_opts *o, struct inspect_report *r, struct scan_ctx *sc)
{
	int rc = scan_open(sc, r->pid, &o->scan);

	if (rc == -ENOENT && kernel_lacks_pagemap()) {
		err_set(VP_EXIT_NOKERNEL, "this kernel has no /proc/PID/pagemap (CONFIG_PROC_PAGE_MONITOR is off); inspect cannot classify pages here");
		return rc;
	}
	if (rc)
		return proc_error(r->pid, "pagemap", rc);
	/* Root without kpageflags means the kernel lacks it; others just see "unknown". */
	if (sc->kpf.err == -ENOENT && sr_live() && geteuid() == 0) {
		err_set(VP_EXIT_NOKERNEL, "this kernel has no /proc/kpageflags (CONFIG_PROC_PAGE_MONITOR); pages cannot be classified");
		return sc->kpf.err;
	}
	return 0;
}

/*
 * Progress of a big scan on a terminal; never when the JSON goes to a
 * program (the one reading it has no use for a status line).  Off, the
 * scanner gets no callback and reads each range whole.
 */
static void start_progress(struct inspect_opts *o, const struct inspect_report *r)
{
	bool allowed = !(o->out.fmt == FMT_JSON && !isatty(STDOUT_FILENO));

	progress_begin(&o->prog, "scanned", r->st.vm_size_kb * 1024, allowed);
	if (!o->prog.on)
		return;
	o->scan.on_progress = progress_add;
	o->scan.progress_arg = &o->prog;
	/*
	 * Rows on the same terminal would land in the middle of the status
	 * line: hold them until progress_end has erased it (nothing has been
	 * written to stdout yet, so setvbuf may still change its buffering).
	 */
	if (isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, 4 << 20);
}

/*
 * The DMA part of the charge against what the QEMU's configuration says:
 * type1 (and iommufd's compat container, per-mm mode) charge VmLck, whose part
 * mlock does not explain is DMA; iommufd in per-user mode charges VmPin only.
 */
static void explain_vmlck(struct inspect_report *r)
{
	bool vmpin = r->mv.iommufd && r->mv.vm_pin && !r->me.double_charge;
	struct vmm_firmware fw;
	char how[256];
	uint64_t rom;

	if (!r->vmm.have || r->vmm.cfg.kind != VMM_KIND_QEMU)
		return;
	/* check's rule (model/vmm-check.c), with the firmware sized as check sizes it */
	vmm_firmware_paths(&r->vmm.cfg, &fw);
	vmm_firmware_read(&r->vmm.cfg, &fw);
	rom = vmm_rom_charge(&r->vmm.cfg, &fw, r->kv_known, &r->kv, how, sizeof(how));
	vmlck_explain(&r->vmm.cfg, vmm_ram_hidden(&r->vmm.cfg), rom,
		      vmpin ? (int64_t)r->mv.vm_pin : r->me.dma_locked, &r->vx);
	snprintf(r->vx.rom_how, sizeof(r->vx.rom_how), "%s", how);
	r->vx.figure_is_vmpin = vmpin;
	r->have_vx = true;
}

static int inspect_run(struct inspect_opts *o)
{
	struct inspect_report r = { 0 };
	struct scan_ctx sc = { .pm.fd = -1, .kpf.fd = -1 };
	int rc;

	if (!strcmp(o->pid, "self") && sr_live())
		snprintf(r.pid, sizeof(r.pid), "%d", (int)getpid());
	else
		snprintf(r.pid, sizeof(r.pid), "%s", o->pid);
	o->out.out = stdout;
	o->scan.on_run = o->out.pages ? inspect_out_run : NULL;
	o->scan.run_arg = &o->out;
	rc = gather_process(&r);
	if (!rc)
		start_progress(o, &r);
	if (!rc)
		rc = gather_vfio(&r);
	if (!rc)
		rc = vmm_view_read(r.pid, &r.vmm);
	roles_begin(&o->roles, &r.vmm);
	if (!rc)
		rc = open_scan(o, &r, &sc);
	if (!rc)
		rc = inspect_out_begin(&o->out, &r);
	if (!rc)
		rc = scan_vmas(o, &r, &sc);
	progress_end(&o->prog);
	if (!rc) {
		r.mv.containers = (unsigned)r.fds.containers;
		r.mv.iommufds = (unsigned)r.fds.iommufds;
		r.mv.iommufd = !strcmp(r.backend, "iommufd");
		r.stats = sc.stats;
		memlock_explain(&r.mv, &r.me);
		explain_vmlck(&r);
		rc = inspect_out_end(&o->out, &r);
	}
	scan_close(&sc);
	inspect_out_free(&o->out);
	free_report(&r);
	pci_names_release();
	return rc;
}

int cmd_inspect(int argc, char **argv)
{
	struct inspect_opts o = { 0 };
	int rc = parse_args(argc, argv, &o);

	return rc ? rc : inspect_run(&o);
}
