// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check: is this host ready to pass devices to a guest of a given size?
 * Exit codes follow the monitoring-plugin convention: 0 OK, 1 WARNING,
 * 2 CRITICAL, 3 UNKNOWN (bad usage or could not check).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "host/pci.h"
#include "commands.h"
#include "lib/error.h"
#include "host/kernel.h"
#include "host/sysroot.h"
#include "render/nfd.h"
#include "lib/util.h"

#define EXIT_UNKNOWN 3

static void usage(FILE *f)
{
	fputs("Usage: vfio-pinctl check [options]\n"
	      "\nIs this host ready for VFIO device passthrough?  Each check prints PASS, WARN,\n"
	      "FAIL or SKIP (UNKNOWN: could not check), a finding and, if not PASS, the fix.\n"
	      "Exit: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (monitoring-plugin convention);\n"
	      "6: the --qemu-cmdline or --domain-xml input is not a VMM configuration.\n"
	      "\nWhat to check:\n"
	      "  -d, --device BDF       a device the guest gets (repeatable; default: every\n"
	      "                         device bound to vfio-pci)\n"
	      "  -m, --guest-mem SIZE   guest RAM (e.g. 16G): memlock need, huge pages, DMA mappings\n"
	      "      --hugepages SIZE   the guest's RAM is huge pages of SIZE (2M, 1G); default:\n"
	      "                         the largest pool with pages reserved\n"
	      "      --viommu           the guest has a vIOMMU: one DMA context per device\n"
	      "      --mapping-size SIZE  the VMM maps guest RAM in chunks of SIZE (virtio-mem\n"
	      "                         block, SPDK-style 2M), for the DMA mapping count\n"
	      "      --backend NAME     the DMA backend the VMM uses: type1 (the container; on a\n"
	      "                         kernel whose /dev/vfio/vfio is iommufd's, iommufd-compat),\n"
	      "                         iommufd (native: /dev/iommu + device cdev), iommufd-compat;\n"
	      "                         default auto: the type1 container, else native, else compat\n"
	      "\nThe VMM (read from it; the options above override, and the output says so):\n"
	      "      --qemu-cmdline FILE  a QEMU or DPDK command line not started yet: NUL-separated\n"
	      "                         as /proc/PID/cmdline, or one shell-quoted line; - stdin\n"
	      "      --domain-xml FILE  a libvirt domain XML (- stdin): libvirt's memlock rule too\n"
	      "                         (--pid of a QEMU or DPDK reads its /proc/PID/cmdline)\n"
	      "\nWhose limits (one of; default: this process):\n"
	      "  -p, --pid PID          the process that will map (e.g. a running QEMU)\n"
	      "  -u, --user USER        a user at PAM login (limits.conf, limits.d)\n"
	      "      --unit UNIT        a systemd service (LimitMEMLOCK=, AmbientCapabilities=)\n"
	      "      --binary PATH      the VMM binary, for file capabilities (cap_ipc_lock)\n"
	      "\n"
	      "      --probe            map and unmap a small buffer on each device (live only)\n"
	      "\nOutput:\n"
	      "  -J, --json             one JSON report with every check\n"
	      "      --prometheus FILE  also write node_exporter textfile metrics to FILE (atomic)\n"
	      "      --nfd FILE         also write a node-feature-discovery feature file (labels)\n"
	      "  -q, --quiet            print the status line only\n"
	      "      --sysroot DIR      read /proc, /sys, /dev and /etc below DIR (a captured tree)\n"
	      "  -h, --help             this help\n", f);
}

enum {
	OPT_HUGEPAGES = 256, OPT_VIOMMU, OPT_MAPPING_SIZE, OPT_BACKEND, OPT_UNIT, OPT_BINARY,
	OPT_PROBE, OPT_PROM, OPT_SYSROOT, OPT_NFD, OPT_QEMU_CMDLINE, OPT_DOMAIN_XML,
};

static int bad(const char *fmt, const char *arg)
{
	err_set(EXIT_UNKNOWN, fmt, arg);
	return -EINVAL;
}

static int size_arg(const char *opt, const char *arg, uint64_t *out)
{
	char msg[160];

	if (!parse_size(arg, out) && *out)
		return 0;
	snprintf(msg, sizeof(msg), "%s wants a size like 16G or 2M, not '%%s'", opt);
	err_set(EXIT_UNKNOWN, msg, arg);
	return -EINVAL;
}

static int parse_args(int argc, char **argv, struct check_opts *o)
{
	static const struct option longopts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "guest-mem", required_argument, NULL, 'm' },
		{ "hugepages", required_argument, NULL, OPT_HUGEPAGES },
		{ "viommu", no_argument, NULL, OPT_VIOMMU },
		{ "mapping-size", required_argument, NULL, OPT_MAPPING_SIZE },
		{ "backend", required_argument, NULL, OPT_BACKEND },
		{ "pid", required_argument, NULL, 'p' },
		{ "user", required_argument, NULL, 'u' },
		{ "unit", required_argument, NULL, OPT_UNIT },
		{ "binary", required_argument, NULL, OPT_BINARY },
		{ "probe", no_argument, NULL, OPT_PROBE },
		{ "qemu-cmdline", required_argument, NULL, OPT_QEMU_CMDLINE },
		{ "domain-xml", required_argument, NULL, OPT_DOMAIN_XML },
		{ "json", no_argument, NULL, 'J' },
		{ "prometheus", required_argument, NULL, OPT_PROM },
		{ "nfd", required_argument, NULL, OPT_NFD },
		{ "quiet", no_argument, NULL, 'q' },
		{ "sysroot", required_argument, NULL, OPT_SYSROOT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char bdf[16];
	int c, pid, targets = 0;

	while ((c = getopt_long(argc, argv, "d:m:p:u:Jqh", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (bdf_normalize(optarg, bdf, sizeof(bdf)))
				return bad("'%s' is not a PCI address (DDDD:BB:DD.F or BB:DD.F)", optarg);
			o->devices[o->ndevices++] = optarg;
			break;
		case 'm':
			if (size_arg("--guest-mem", optarg, &o->guest_mem))
				return -EINVAL;
			o->have_guest_mem = true;
			break;
		case OPT_HUGEPAGES:
			if (size_arg("--hugepages", optarg, &o->hugepage_size))
				return -EINVAL;
			break;
		case OPT_VIOMMU: o->viommu = true; break;
		case OPT_MAPPING_SIZE:
			if (size_arg("--mapping-size", optarg, &o->granularity))
				return -EINVAL;
			break;
		case OPT_BACKEND:
			if (!strcmp(optarg, "type1"))
				o->backend = BE_TYPE1;
			else if (!strcmp(optarg, "iommufd"))
				o->backend = BE_IOMMUFD;
			else if (!strcmp(optarg, "iommufd-compat"))
				o->backend = BE_IOMMUFD_COMPAT;
			else if (!strcmp(optarg, "auto"))
				o->backend = BE_AUTO;
			else
				return bad("--backend is auto, type1, iommufd or iommufd-compat, not '%s'", optarg);
			break;
		case 'p':
			if (parse_pid(optarg, false, &pid))
				return bad("'%s' is not a pid", optarg);
			o->pid = optarg;
			targets++;
			break;
		case 'u': o->user = optarg; targets++; break;
		case OPT_UNIT: o->unit = optarg; targets++; break;
		case OPT_BINARY: o->binary = optarg; break;
		case OPT_PROBE: o->probe = true; break;
		case OPT_QEMU_CMDLINE: o->qemu_cmdline = optarg; break;
		case OPT_DOMAIN_XML: o->domain_xml = optarg; break;
		case 'J': o->fmt = CF_JSON; break;
		case OPT_PROM: o->prom_file = optarg; break;
		case OPT_NFD: o->nfd_file = optarg; break;
		case 'q': o->quiet = true; break;
		case OPT_SYSROOT: sr_set_root(optarg); break;
		case 'h': usage(stdout); exit(0);
		default:
			return bad("bad option; see `vfio-pinctl check --help`%s", "");
		}
	}
	if (optind != argc)
		return bad("check takes no arguments ('%s'); see `vfio-pinctl check --help`", argv[optind]);
	if (targets > 1)
		return bad("give one of --pid, --user, --unit%s", "");
	if (o->qemu_cmdline && o->domain_xml)
		return bad("give one of --qemu-cmdline, --domain-xml%s", "");
	return 0;
}

static void gather_kernel(struct check_facts *f)
{
	f->live = host_is_live();
	f->kv_known = kver_read(&f->kv, f->release, sizeof(f->release)) == 0;
	kernel_cmdline(f->cmdline, sizeof(f->cmdline));
}

static int run(struct check_opts *o)
{
	struct check_ctx c = { .o = o };
	int rc, code;

	rc = host_tree_check(EXIT_UNKNOWN);
	if (rc)
		return rc;
	gather_kernel(&c.f);
	rc = check_iommu(&c);
	if (!rc)
		rc = check_modules(&c);
	if (!rc)
		rc = check_target(&c);
	if (!rc)
		rc = check_vmm(&c);
	if (!rc)
		rc = check_pick_devices(&c);
	if (!rc)
		rc = check_backends(&c);
	if (!rc)
		rc = check_devices(&c);
	if (!rc)
		rc = check_memory(&c);
	if (!rc)
		rc = check_probe(&c);
	if (rc) {
		err_set(EXIT_UNKNOWN, "check could not run: %s", strerror(-rc));
		goto out;
	}
	code = check_exit_code(&c.l);
	rc = render_check(&c, stdout);
	if (!rc && o->prom_file) {
		rc = render_check_prometheus(&c, o->prom_file);
		if (rc)
			err_set(EXIT_UNKNOWN, "cannot write %s: %s (the directory must be writable)",
				o->prom_file, strerror(-rc));
	}
	if (!rc && o->nfd_file) {
		rc = nfd_write(&c, o->nfd_file);
		if (rc)
			err_set(EXIT_UNKNOWN, "cannot write %s: %s (the directory must exist and be writable)",
				o->nfd_file, strerror(-rc));
	}
	if (!rc)
		rc = code;
out:
	free(c.f.devs);
	free(c.f.pools);
	free(c.f.vmm);
	free(c.f.vmm_devs);
	check_list_free(&c.l);
	pci_names_release();
	return rc;
}

int cmd_check(int argc, char **argv)
{
	struct check_opts o = { 0 };
	const char **devices;
	int rc;

	/* the VMM's own devices may replace the list (check/vmm.c): free this one */
	devices = o.devices = calloc((size_t)argc, sizeof(*o.devices));
	if (!o.devices)
		return EXIT_UNKNOWN;
	rc = parse_args(argc, argv, &o);
	if (!rc)
		rc = run(&o);
	free(devices);
	return rc;   /* main() prints the error line, if any */
}
