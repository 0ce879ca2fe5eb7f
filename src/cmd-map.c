// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * map: DMA-map memory of each kind a VMM uses through a real VFIO container
 * or iommufd IOAS, predict what the kernel charges (predict.c), measure what
 * it did (VmLck/VmPin around each map), and say whether they agree.  Every
 * exit path unmaps, frees and checks that the counters came back to their
 * baseline.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "host/kernel.h"
#include "lib/error.h"
#include "map/map.h"
#include "host/iommu.h"
#include "host/pci.h"
#include "host/scan.h"
#include "host/sysroot.h"
#include "host/vfio-nodes.h"
#include "lib/util.h"

struct map_opts {
	struct map_plan plan;
	const char *device;
	int group;
	const char *backend;
	unsigned rlimit_mode;     /* --rlimit-mode: BE_RLIMIT_USER or _MM, 0 not given */
	uint64_t size;
	bool size_set;
	struct map_out out;
};

static void usage(FILE *f)
{
	fputs("Usage: vfio-pinctl map [options] --type TYPE[:SIZE][:ro|:rw][@IOVA] [--type ...]\n"
	      "\nDMA-map memory through a real VFIO container or iommufd IOAS, predict what the\n"
	      "kernel charges (VmLck, VmPin, RLIMIT_MEMLOCK), measure what it did, and say\n"
	      "whether they agree.\n"
	      "\nTypes: anon (4K pages), thp, hugetlb (2M), hugetlb1g, zero (the shared zero page,\n"
	      "       mapped READ-only), file (shared file mapping), mlock (mlocked anon 4K),\n"
	      "       bar / bar0..bar5 (a device BAR mmapped through the device fd)\n"
	      "\nOptions:\n"
	      "  -d, --device BDF        the VFIO device (default: the only one bound to vfio-pci)\n"
	      "  -g, --group N           use IOMMU group N (its first vfio-pci device)\n"
	      "  -t, --type SPEC         a region to map (repeatable); SIZE in K/M/G, ro/rw the\n"
	      "                          device's access (default rw, zero: ro), @IOVA a fixed IOVA\n"
	      "  -s, --size SIZE         size of regions without :SIZE whose page size divides\n"
	      "                          it (default 4M; hugetlb one huge page, bar the BAR)\n"
	      "  -m, --memlock SIZE      map under this RLIMIT_MEMLOCK, without CAP_IPC_LOCK\n"
	      "  -u, --user USER         map in a child running as USER, without capabilities\n"
	      "  -r, --repeat N          map every region N times at distinct IOVAs\n"
	      "      --backend NAME      auto, type1 or iommufd (default auto: the type1 container,\n"
	      "                          else native iommufd, else iommufd's compat container)\n"
	      "      --rlimit-mode MODE  iommufd's accounting, user or mm (IOMMU_OPTION_RLIMIT_MODE;\n"
	      "                          needs root; default: the kernel's, per-user)\n"
	      "      --hold              keep everything mapped until SIGINT/SIGTERM\n"
	      "      --time              time every map and unmap, the pre-fault apart; rates\n"
	      "  -J, --json              one JSON report (see vfio-pinctl-map(8))\n"
	      "  -b, --bytes             sizes in bytes\n"
	      "  -h, --help              this help\n"
	      "\nExit: 0 agreed and released, 1 prediction and kernel disagree (or the baseline\n"
	      "was not restored), 2 usage, 4 permission, 5 no VFIO/IOMMU, 7 device unusable,\n"
	      "8 the kernel refused a map, 9 host resource missing, 10 interrupted.\n", f);
}

enum { OPT_BACKEND = 256, OPT_HOLD, OPT_RLIMIT_MODE, OPT_TIME };

static int parse_count(const char *s, const char *what, uint64_t max, uint64_t *out)
{
	if (parse_u64(s, out) || *out == 0 || *out > max) {
		err_set(VP_EXIT_USAGE, "%s wants a number from 1 to %" PRIu64 ", got '%s'", what, max, s);
		return -EINVAL;
	}
	return 0;
}

static int check_backend_args(const struct map_opts *o)
{
	if (strcmp(o->backend, "auto") && strcmp(o->backend, "type1") && strcmp(o->backend, "iommufd")) {
		err_set(VP_EXIT_USAGE, "unknown backend '%s'; choose auto, type1 or iommufd", o->backend);
		return -EINVAL;
	}
	if (o->rlimit_mode && !strcmp(o->backend, "type1")) {
		err_set(VP_EXIT_USAGE, "--rlimit-mode sets the accounting of iommufd's /dev/iommu; type1 has none (and iommufd's compat /dev/vfio/vfio is always per-mm): use --backend iommufd");
		return -EINVAL;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct map_opts *o)
{
	static const struct option longopts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "group", required_argument, NULL, 'g' },
		{ "type", required_argument, NULL, 't' },
		{ "size", required_argument, NULL, 's' },
		{ "memlock", required_argument, NULL, 'm' },
		{ "user", required_argument, NULL, 'u' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "backend", required_argument, NULL, OPT_BACKEND },
		{ "hold", no_argument, NULL, OPT_HOLD },
		{ "time", no_argument, NULL, OPT_TIME },
		{ "rlimit-mode", required_argument, NULL, OPT_RLIMIT_MODE },
		{ "json", no_argument, NULL, 'J' },
		{ "bytes", no_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct map_plan *p = &o->plan;
	uint64_t v;
	int c;

	o->group = -1;
	o->backend = "auto";
	p->repeat = 1;
	while ((c = getopt_long(argc, argv, "d:g:t:s:m:u:r:Jbh", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': o->device = optarg; break;
		case 'g':
			if (parse_u64(optarg, &v) || v > 1000000) {
				err_set(VP_EXIT_USAGE, "--group wants an IOMMU group number, got '%s'", optarg);
				return -EINVAL;
			}
			o->group = (int)v;
			break;
		case 't':
			if (p->nspecs == MAP_MAX_REGIONS) {
				err_set(VP_EXIT_USAGE, "at most %d --type regions", MAP_MAX_REGIONS);
				return -EINVAL;
			}
			if (mem_spec_parse(optarg, &p->specs[p->nspecs]))
				return -EINVAL;
			p->nspecs++;
			break;
		case 's':
			if (parse_size(optarg, &o->size) || !o->size) {
				err_set(VP_EXIT_USAGE, "--size wants a size such as 4M or 1G, got '%s'", optarg);
				return -EINVAL;
			}
			o->size_set = true;
			break;
		case 'm':
			if (parse_size(optarg, &p->memlock)) {
				err_set(VP_EXIT_USAGE, "--memlock wants a size such as 64M (0 is allowed), got '%s'", optarg);
				return -EINVAL;
			}
			p->memlock_set = true;
			break;
		case 'u': p->user = optarg; break;
		case 'r':
			if (parse_count(optarg, "--repeat", MAP_MAX_REPEAT, &v))
				return -EINVAL;
			p->repeat = (unsigned)v;
			break;
		case OPT_BACKEND: o->backend = optarg; break;
		case OPT_HOLD: p->hold = true; break;
		case OPT_TIME: p->time = true; break;
		case OPT_RLIMIT_MODE:
			if (!strcmp(optarg, "user")) {
				o->rlimit_mode = BE_RLIMIT_USER;
			} else if (!strcmp(optarg, "mm")) {
				o->rlimit_mode = BE_RLIMIT_MM;
			} else {
				err_set(VP_EXIT_USAGE, "--rlimit-mode is user or mm, not '%s'", optarg);
				return -EINVAL;
			}
			break;
		case 'J': o->out.json = true; break;
		case 'b': o->out.bytes = true; break;
		case 'h': usage(stdout); exit(VP_EXIT_OK);
		default:
			err_set(VP_EXIT_USAGE, "bad option; see `vfio-pinctl map --help`");
			return -EINVAL;
		}
	}
	if (optind != argc) {
		err_set(VP_EXIT_USAGE, "unexpected argument '%s'; see `vfio-pinctl map --help`", argv[optind]);
		return -EINVAL;
	}
	if (!p->nspecs) {
		err_set(VP_EXIT_USAGE, "nothing to map: give --type (anon, thp, hugetlb, hugetlb1g, zero, file, mlock, bar)");
		return -EINVAL;
	}
	if (o->device && o->group >= 0) {
		err_set(VP_EXIT_USAGE, "--device and --group exclude each other");
		return -EINVAL;
	}
	return check_backend_args(o);
}

/* Resolve every region's size and check it against its page size. */
static int resolve_sizes(struct map_opts *o)
{
	struct map_plan *p = &o->plan;
	int i;

	for (i = 0; i < p->nspecs; i++) {
		const struct mem_spec *s = &p->specs[i];
		uint64_t size = s->size, psz = mem_page_size(s->type);

		/* --size is the default where the type's page size divides it; a BAR defaults to all of it. */
		if (!size && s->type != MT_BAR)
			size = o->size_set && !(o->size % psz) ? o->size : mem_default_size(s->type);
		if (size % psz) {
			err_set(VP_EXIT_USAGE, "--type %s: the size must be a multiple of %" PRIu64 " KiB",
				s->text, psz >> 10);
			return -EINVAL;
		}
		p->sizes[i] = size;
	}
	return 0;
}

/* --- which device ------------------------------------------------------------ */

/*
 * Walk every PCI device (the one enumeration, host/pci.c) and keep the text
 * of those want() accepts.  Returns how many matched, first the first BDF.
 */
static int list_devices(bool (*want)(const struct pci_dev_info *), void (*word)(const struct pci_dev_info *, char *, size_t),
			char *list, size_t size, char *first, size_t fsize)
{
	char (*bdfs)[BDF_LEN] = NULL, item[256];
	struct pci_dev_info dev;
	size_t i, n = 0, used = 0;
	int rc, cnt = 0;

	list[0] = '\0';
	if (first)
		first[0] = '\0';
	rc = pci_enumerate(&bdfs, &n);
	if (rc)
		return rc;
	for (i = 0; i < n; i++) {
		if (pcidev_read(bdfs[i], &dev) || !want(&dev))
			continue;
		if (!cnt++ && first)
			str_copy(first, fsize, dev.bdf);
		word(&dev, item, sizeof(item));
		if (used + 1 < size)
			used += (size_t)snprintf(list + used, size - used, "%s%s", used ? ", " : "", item);
	}
	free(bdfs);
	return cnt;
}

static bool on_vfio_pci(const struct pci_dev_info *d)
{
	return !strcmp(d->driver, "vfio-pci");
}

static void word_bound(const struct pci_dev_info *d, char *buf, size_t size)
{
	snprintf(buf, size, "%s (%s, group %d)", d->bdf, d->name, d->group);
}

/* Devices that could be bound: endpoints in an IOMMU group (no bridges, class 0x06). */
static bool bind_candidate(const struct pci_dev_info *d)
{
	return d->group >= 0 && (d->class_code >> 16) != 0x06;
}

static void word_candidate(const struct pci_dev_info *d, char *buf, size_t size)
{
	snprintf(buf, size, "%s %s [%s]", d->bdf, d->name, d->driver[0] ? d->driver : "no driver");
}

/* Devices bound to vfio-pci, as "BDF (name, group N)" text and the first BDF. */
static int vfio_pci_bound(char *list, size_t size, char *first, size_t fsize)
{
	return list_devices(on_vfio_pci, word_bound, list, size, first, fsize);
}

static void bind_candidates(char *list, size_t size)
{
	list_devices(bind_candidate, word_candidate, list, size, NULL, 0);
}

static int check_platform(const struct map_opts *o)
{
	bool native = !strcmp(o->backend, "iommufd") || o->rlimit_mode;
	struct iommu_summary iommu;
	bool container, dev_iommu;

	if (iommu_summary_read(&iommu) || iommu.ngroups <= 0) {
		err_set(VP_EXIT_NOKERNEL, "no IOMMU: the kernel has no IOMMU groups (/sys/kernel/iommu_groups is empty); enable VT-d/AMD-Vi in the firmware and boot with intel_iommu=on (or amd_iommu=on)");
		return -ENODEV;
	}
	/* Native iommufd needs no container; its open names what it misses (/dev/iommu, the cdev). */
	vfio_nodes_present(&container, &dev_iommu);
	if (!native && !container && (!strcmp(o->backend, "type1") || !dev_iommu)) {
		err_set(VP_EXIT_NOKERNEL, "no /dev/vfio/vfio: the vfio module is not loaded; load it with `modprobe vfio-pci`");
		return -ENOENT;
	}
	if (!pci_driver_present("vfio-pci")) {
		err_set(VP_EXIT_NOKERNEL, "the vfio-pci driver is not loaded; load it with `modprobe vfio-pci`");
		return -ENOENT;
	}
	return 0;
}

static int pick_device(struct map_opts *o, struct pci_dev_info *dev)
{
	char list[1024], first[BDF_LEN], bdf[BDF_LEN];
	int n;

	if (o->group >= 0) {
		char (*bdfs)[BDF_LEN] = NULL;
		size_t i, cnt = 0;

		if (iommu_group_devices(o->group, &bdfs, &cnt)) {
			err_set(VP_EXIT_DEVICE, "no IOMMU group %d (ls /sys/kernel/iommu_groups lists them)", o->group);
			return -ENOENT;
		}
		for (i = 0; i < cnt; i++)
			if (!pcidev_read(bdfs[i], dev) && !strcmp(dev->driver, "vfio-pci"))
				break;
		free(bdfs);
		if (i == cnt) {
			err_set(VP_EXIT_DEVICE, "no device of IOMMU group %d is bound to vfio-pci; bind one (driverctl set-override BDF vfio-pci)", o->group);
			return -ENODEV;
		}
		return 0;
	}
	if (!o->device) {
		n = vfio_pci_bound(list, sizeof(list), first, sizeof(first));
		if (n == 0) {
			bind_candidates(list, sizeof(list));
			err_set(VP_EXIT_DEVICE, "no device is bound to vfio-pci; bind one (echo vfio-pci > /sys/bus/pci/devices/BDF/driver_override, unbind it, echo BDF > /sys/bus/pci/drivers_probe) and pass --device BDF%s%s",
				list[0] ? "; candidates: " : "", list);
			return -ENODEV;
		}
		if (n > 1) {
			err_set(VP_EXIT_USAGE, "%d devices are bound to vfio-pci: %s; choose one with --device BDF", n, list);
			return -EINVAL;
		}
		o->device = NULL;
		return pcidev_read(first, dev);
	}
	/* lspci's short form "00:03.0" too (lib/util.c bdf_parse()). */
	if (bdf_parse(o->device, bdf, sizeof(bdf)) || pcidev_read(bdf, dev)) {
		err_set(VP_EXIT_DEVICE, "no PCI device %s (`lspci -D` lists them)", o->device);
		return -ENODEV;
	}
	if (dev->group < 0) {
		err_set(VP_EXIT_NOKERNEL, "%s has no IOMMU group: the IOMMU is off or does not cover it; boot with intel_iommu=on (or amd_iommu=on)", dev->bdf);
		return -ENODEV;
	}
	if (strcmp(dev->driver, "vfio-pci")) {
		if (dev->driver[0])
			err_set(VP_EXIT_DEVICE, "%s (%s) is bound to %s, not vfio-pci; rebind it: echo vfio-pci > /sys/bus/pci/devices/%s/driver_override; echo %s > /sys/bus/pci/devices/%s/driver/unbind; echo %s > /sys/bus/pci/drivers_probe",
				dev->bdf, dev->name, dev->driver, dev->bdf, dev->bdf, dev->bdf, dev->bdf);
		else
			err_set(VP_EXIT_DEVICE, "%s (%s) is not bound to vfio-pci (no driver); bind it: echo vfio-pci > /sys/bus/pci/devices/%s/driver_override; echo %s > /sys/bus/pci/drivers_probe",
				dev->bdf, dev->name, dev->bdf, dev->bdf);
		return -ENODEV;
	}
	return 0;
}

/* --- the in-process session's hooks ----------------------------------------- */

struct local {
	struct scan_ctx sc;
	struct map_opts *o;
};

static int local_range(void *arg, uint64_t start, uint64_t end, struct class_bytes *out)
{
	return scan_range(&((struct local *)arg)->sc, start, end, out);
}

static int local_pfns(void *arg, uint64_t pfn, uint64_t npages, struct class_bytes *out)
{
	return map_classify_pfns(&((struct local *)arg)->sc.kpf, pfn, npages, out);
}

static void print_plan(const struct map_opts *o, const struct map_report *r)
{
	const struct map_state *st = &r->st;
	const struct map_row *row;
	char name[16], need[16];

	if (o->out.json || st->plan_fail_row < 0)
		return;
	row = &r->rows[st->plan_fail_row];
	map_row_type(row, name, sizeof(name));
	format_size(need, sizeof(need), st->need_bytes);
	printf("prediction: region #%d (%s, pass %d) will fail with %s (%s)%s%s%s; mapping anyway to show the kernel's answer\n",
	       row->region + 1, name, row->pass, errno_name(row->pred.err), row->pred.rule,
	       row->pred.err == -ENOMEM ? "; a limit of " : "", row->pred.err == -ENOMEM ? need : "",
	       row->pred.err == -ENOMEM ? " would suffice" : "");
	fflush(stdout);
}

static int front_event(void *arg, enum map_event ev, struct map_report *r, int row)
{
	struct map_opts *o = arg;

	(void)row;
	if (ev == ME_PLAN)
		print_plan(o, r);
	if (ev == ME_HOLD) {
		map_render_hold(&o->out, r);
		fprintf(stderr, "vfio-pinctl: holding %d mapping(s) in pid %d; inspect it with `vfio-pinctl inspect %d`; SIGINT or SIGTERM unmaps and exits\n",
			r->st.nrows, r->st.pid, r->st.pid);
		fflush(stderr);
	}
	return 0;
}

static int local_event(void *arg, enum map_event ev, struct map_report *r, int row)
{
	return front_event(((struct local *)arg)->o, ev, r, row);
}

static void on_signal(int sig)
{
	map_stop_signal = sig;
}

static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	/* No SA_RESTART: a blocking wait returns and the cleanup path runs. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* --- verdict ----------------------------------------------------------------- */

static void signed_size(char *buf, size_t size, int64_t v)
{
	char a[16];

	format_size(a, sizeof(a), v < 0 ? (uint64_t)-v : (uint64_t)v);
	snprintf(buf, size, "%s%s", v < 0 ? "-" : "+", a);
}

/* "+4M VmLck" (type1), "+4M VmPin, +0B VmLck" (iommufd), or the errno. */
static void describe(const struct map_state *st, const struct map_row *row, bool predicted,
		     char *buf, size_t size)
{
	int err = predicted ? row->pred.err : row->err;
	int64_t lck = predicted ? (int64_t)row->pred.charge[CNT_VMLCK] : row->measured[CNT_VMLCK];
	int64_t pin = predicted ? (int64_t)row->pred.charge[CNT_VMPIN] : row->measured[CNT_VMPIN];
	char a[24], b[24];

	if (err) {
		snprintf(buf, size, "%s", errno_name(err));
		return;
	}
	signed_size(a, sizeof(a), lck);
	signed_size(b, sizeof(b), pin);
	if (st->counter == CNT_VMPIN || pin)
		snprintf(buf, size, "%s VmPin, %s VmLck", b, a);
	else
		snprintf(buf, size, "%s VmLck", a);
}

/* The pins and pfn identity of a row, where they were observed: "" when they agree or are unknown. */
static void pins_text(const struct map_row *row, char *buf, size_t size)
{
	const struct predict_out *p = &row->pred;
	size_t n = 0;

	buf[0] = '\0';
	if (row->pins_known && p->pins_exact && (row->pin_acq != p->pins_map || row->pin_rel != p->unpins_map))
		n += (size_t)snprintf(buf, size, "; pins at map +%" PRIu64 " -%" PRIu64 ", predicted +%" PRIu64 " -%" PRIu64,
				      row->pin_acq, row->pin_rel, p->pins_map, p->unpins_map);
	if (n < size && row->pfns_known && !row->err && row->pfns_changed != p->pfns_changed)
		snprintf(buf + n, size - n, "; pfns changed %" PRIu64 " bytes, predicted %" PRIu64,
			 row->pfns_changed, p->pfns_changed);
}

static void verdict(const struct map_report *r)
{
	const struct map_state *st = &r->st;
	const struct map_row *bad = NULL, *failed = NULL;
	char name[16], p[64], m[64], a[16], b[16], msg[1024], pins[160];
	int i, nbad = 0;

	if (err_isset())
		return;   /* setup failed: that line says why */
	for (i = 0; i < st->nrows; i++) {
		const struct map_row *row = &r->rows[i];

		if (!row->attempted)
			continue;
		if (!row->agree && !nbad++)
			bad = row;
		if (row->err && !failed)
			failed = row;
	}
	if (bad) {
		map_row_type(bad, name, sizeof(name));
		describe(st, bad, true, p, sizeof(p));
		describe(st, bad, false, m, sizeof(m));
		pins_text(bad, pins, sizeof(pins));
		err_set(VP_EXIT_FINDING, "prediction and kernel disagree on %d mapping(s); first: region #%d (%s, pass %d, %s): predicted %s, kernel %s%s; %s",
			nbad, bad->region + 1, name, bad->pass, bad->pred.rule, p, m, pins,
			bad->pred.uncertain ? "its pfns are hidden from this user, so the prediction guessed: run map as root"
					    : "please report with `vfio-pinctl capture`");
		return;
	}
	if (st->counters_restored && st->pins_known && st->pins_leaked != st->pins_leaked_predicted) {
		err_set(VP_EXIT_FINDING, "%" PRIu64 " pin(s) of 4 KiB still held after every unmap, %" PRIu64 " predicted%s; please report with `vfio-pinctl capture`",
			st->pins_leaked, st->pins_leaked_predicted,
			st->pins_concurrent ? " (other processes pinned meanwhile: the system-wide counters are not exact)" : "");
		return;
	}
	/* A leak the kernel is known to make (device-dax under type1) was predicted: the release line says so. */
	if (!st->counters_restored) {
		format_size(a, sizeof(a), st->final_lck);
		format_size(b, sizeof(b), st->base_lck);
		err_set(VP_EXIT_FINDING, "the baseline was not restored after release: VmLck %s (was %s), %d unmap error(s), free huge pages 2M %ld->%ld, 1G %ld->%ld",
			a, b, st->unmap_errors, st->hp_before[0], st->hp_after[0], st->hp_before[1], st->hp_after[1]);
		return;
	}
	if (failed) {
		map_row_message(r, failed, msg, sizeof(msg));
		err_set(VP_EXIT_MAPFAIL, "%s", msg);
		return;
	}
	if (st->interrupted)
		err_set(VP_EXIT_INTERRUPTED, "interrupted by %s before every region was mapped; what was mapped is released (baseline restored)",
			map_stop_signal == SIGTERM ? "SIGTERM" : "SIGINT");
}

/* --- run ------------------------------------------------------------------------ */

/* Pick and open the backend for dev; the plan learns which and why. */
static int open_backend(struct map_opts *o, const struct pci_dev_info *dev, char *reason, size_t size,
			struct backend **be)
{
	struct backend_target tg = { .device = dev->bdf, .group = dev->group, .rlimit_mode = o->rlimit_mode };
	struct backend_choice ch;
	int rc = backend_choose(o->backend, dev->bdf, o->rlimit_mode != 0, &ch);

	if (rc)
		return rc;
	rc = ch.ops->open(&tg, be);
	if (rc)
		return rc;
	/* Only the open container can tell: the type1 ops serving iommufd's compat node. */
	if ((*be)->rule == RULE_IOMMUFD_COMPAT)
		snprintf(reason, size, "%.200s; %s (no vfio_iommu_type1): charged by iommufd's per-mm rule",
			 ch.reason, container_kind_text(CK_COMPAT));
	else
		snprintf(reason, size, "%s", ch.reason);
	return 0;
}

static int map_run(struct map_opts *o, struct map_report *r)
{
	struct pci_dev_info *dev;
	struct backend *be = NULL;
	struct local lo = { .o = o };
	struct map_hooks h = { local_range, local_pfns, local_event, &lo };
	struct map_hooks front = { NULL, NULL, front_event, o };
	char reason[400];
	int rc;

	r->st.group = -1;
	r->st.plan_fail_row = -1;
	r->st.pid = (int)getpid();
	r->st.uid = (unsigned)getuid();
	r->st.repeat = o->plan.repeat;
	r->st.memlock_set = o->plan.memlock_set;
	r->st.hp_before[0] = r->st.hp_before[1] = r->st.hp_after[0] = r->st.hp_after[1] = -1;
	snprintf(r->st.backend_requested, sizeof(r->st.backend_requested), "%s", o->backend);
	if (kver_read(&r->st.kv, r->st.release, sizeof(r->st.release)))
		r->st.release[0] = '\0';
	if (!sr_live()) {
		err_set(VP_EXIT_USAGE, "map works on the live system only; drop --sysroot");
		return -EINVAL;
	}
	rc = resolve_sizes(o);
	/* A memory kind this host cannot make is named before VFIO is even opened. */
	for (int i = 0; !rc && i < o->plan.nspecs; i++)
		rc = mem_probe(&o->plan.specs[i], o->plan.sizes[i]);
	if (!rc)
		rc = check_platform(o);
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	if (!rc)
		rc = pick_device(o, dev);
	if (rc)
		goto out;
	snprintf(r->st.device, sizeof(r->st.device), "%s", dev->bdf);
	snprintf(r->st.device_name, sizeof(r->st.device_name), "%s", dev->name);
	r->st.group = dev->group;
	o->plan.dev = dev;
	rc = open_backend(o, dev, reason, sizeof(reason), &be);
	if (rc)
		goto out;
	o->plan.backend_requested = o->backend;
	o->plan.backend_reason = reason;
	install_signals();
	if (o->plan.user) {
		rc = map_user_run(&o->plan, be, r, &front);
	} else {
		if (o->plan.memlock_set)
			rc = map_limit_self(o->plan.memlock);
		if (!rc) {
			rc = scan_open(&lo.sc, "self", NULL);
			if (rc)
				err_set(VP_EXIT_NOKERNEL, "cannot open /proc/self/pagemap: %s", strerror(-rc));
		}
		if (!rc) {
			rc = map_session(&o->plan, be, r, &h);
			scan_close(&lo.sc);
		}
	}
	/* The device name and group come from here, not from the session. */
	snprintf(r->st.device, sizeof(r->st.device), "%s", dev->bdf);
	snprintf(r->st.device_name, sizeof(r->st.device_name), "%s", dev->name);
	r->st.group = dev->group;
	/* A session that never started (a --user child that could not drop) leaves these. */
	if (!r->st.backend[0]) {
		snprintf(r->st.backend, sizeof(r->st.backend), "%s", be->name);
		snprintf(r->st.backend_reason, sizeof(r->st.backend_reason), "%.255s", reason);
		r->st.counter = be->counter;
		r->st.rule = be->rule;
		r->st.rlimit_mode = be->rlimit_mode;
	}
	snprintf(r->st.backend_requested, sizeof(r->st.backend_requested), "%s", o->backend);
out:
	if (be)
		be->ops->close(be);
	free(dev);
	pci_names_release();
	return rc;
}

int cmd_map(int argc, char **argv)
{
	struct map_opts o = { 0 };
	struct map_report r = { 0 };
	int rc = parse_args(argc, argv, &o), code;

	o.out.out = stdout;
	if (rc)
		return rc;
	rc = map_run(&o, &r);
	verdict(&r);
	code = err_isset() ? err_exit_code() : rc < 0 ? VP_EXIT_INTERNAL : VP_EXIT_OK;
	map_render_end(&o.out, &r, code, err_message());
	map_report_free(&r);
	return rc;
}
