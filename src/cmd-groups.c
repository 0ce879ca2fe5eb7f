// SPDX-License-Identifier: GPL-2.0-or-later
/* groups: every IOMMU group with its devices, drivers and VFIO viability. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "host/holders.h"
#include "host/iommu.h"
#include "host/pci.h"
#include "host/sysroot.h"
#include "lib/error.h"
#include "lib/util.h"
#include "render/groups.h"

struct groups_opts {
	struct groups_out out;
	int only_group;          /* -g N, -1 = all */
	bool only_not_viable;
};

static void usage(FILE *f)
{
	fputs("Usage: vfio-pinctl groups [options]\n"
	      "\nList every IOMMU group with its devices, their drivers, who holds it, and whether VFIO can\n"
	      "open the group (every member on a VFIO driver or pci-stub, unbound, or a bridge\n"
	      "on pcieport; before Linux 5.19 a bridge on any driver).\n"
	      "\nOptions:\n"
	      "  -g, --group N         only group N\n"
	      "      --not-viable      only groups VFIO cannot open\n"
	      "  -T, --tree            groups with their devices as a tree\n"
	      "  -o, --output LIST     columns (+LIST adds to the defaults)\n"
	      "      --list-columns    list the columns\n"
	      "  -J, --json            JSON (nested with --tree)\n"
	      "  -r, --raw             raw output\n"
	      "  -P, --pairs           KEY=\"value\" output\n"
	      "  -n, --noheadings      no headings\n"
	      "      --sysroot DIR     read /sys, /dev and /proc below DIR (a captured tree)\n"
	      "  -h, --help            this help\n"
	      "\nThe default columns may change; scripts should name them with -o or use -J.\n", f);
}

enum { OPT_LIST_COLUMNS = 256, OPT_NOT_VIABLE, OPT_SYSROOT };

static int parse_args(int argc, char **argv, struct groups_opts *o)
{
	static const struct option longopts[] = {
		{ "group", required_argument, NULL, 'g' },
		{ "not-viable", no_argument, NULL, OPT_NOT_VIABLE },
		{ "tree", no_argument, NULL, 'T' },
		{ "output", required_argument, NULL, 'o' },
		{ "list-columns", no_argument, NULL, OPT_LIST_COLUMNS },
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "pairs", no_argument, NULL, 'P' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "sysroot", required_argument, NULL, OPT_SYSROOT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t g;
	int c;

	o->only_group = -1;
	while ((c = getopt_long(argc, argv, "g:To:JrPnh", longopts, NULL)) != -1) {
		switch (c) {
		case 'g':
			if (parse_u64(optarg, &g) || g > 1 << 24) {
				err_set(VP_EXIT_USAGE, "'%s' is not a group number", optarg);
				return -EINVAL;
			}
			o->only_group = (int)g;
			break;
		case OPT_NOT_VIABLE: o->only_not_viable = true; break;
		case 'T': o->out.tree = true; break;
		case 'o': o->out.columns = optarg; break;
		case OPT_LIST_COLUMNS: groups_list_columns(stdout); exit(VP_EXIT_OK);
		case 'J': o->out.fmt = GF_JSON; break;
		case 'r': o->out.fmt = GF_RAW; break;
		case 'P': o->out.fmt = GF_PAIRS; break;
		case 'n': o->out.noheadings = true; break;
		case OPT_SYSROOT: sr_set_root(optarg); break;
		case 'h': usage(stdout); exit(VP_EXIT_OK);
		default:
			err_set(VP_EXIT_USAGE, "bad option; see `vfio-pinctl groups --help`");
			return -EINVAL;
		}
	}
	if (optind != argc) {
		err_set(VP_EXIT_USAGE, "groups takes no arguments ('%s'); see `vfio-pinctl groups --help`",
			argv[optind]);
		return -EINVAL;
	}
	return groups_columns_parse(&o->out);
}

/* Keep the groups the filters ask for; the rest are freed. */
static size_t filter(struct groups_opts *o, struct iommu_group *v, size_t n)
{
	size_t i, kept = 0;

	for (i = 0; i < n; i++) {
		bool keep = (o->only_group < 0 || v[i].id == o->only_group) &&
			    (!o->only_not_viable || !v[i].viable);

		if (keep)
			v[kept++] = v[i];
		else
			group_free(&v[i]);
	}
	return kept;
}

static int run(struct groups_opts *o)
{
	struct iommu_group *v = NULL;
	struct holders h;
	size_t n = 0, total;
	int rc;

	if (sr_tree_lacks("/sys")) {
		err_set(VP_EXIT_SYSROOT, "sysroot %s has no sys/ directory: not a captured tree", sr_root());
		return -ENOENT;
	}
	rc = groups_read_all(&v, &n);
	if (rc == -ENOENT || (!rc && n == 0)) {
		err_set(VP_EXIT_NOKERNEL, "no IOMMU groups: the IOMMU is off; `vfio-pinctl check` says why and how to enable it");
		groups_free(v, n);
		return -ENOENT;
	}
	if (rc) {
		if (rc == -EACCES || rc == -EPERM)
			err_set(VP_EXIT_PERM, "permission denied reading /sys/kernel/iommu_groups");
		return rc;
	}
	total = n;
	n = filter(o, v, n);
	if (o->only_group >= 0 && !n) {
		err_set(VP_EXIT_DEVICE, "no IOMMU group %d (there are %zu groups)", o->only_group, total);
		rc = -ENOENT;
	} else {
		/* Who holds them: one walk of /proc; without a readable /proc, not known (null). */
		rc = holders_scan(&h, true);
		if (rc == -ENOMEM) {
			groups_free(v, n);
			return rc;
		}
		o->out.holders = rc ? NULL : &h;
		rc = render_groups(&o->out, v, n, stdout);
		if (o->out.holders)
			holders_free(&h);
	}
	groups_free(v, n);
	pci_names_release();
	return rc;
}

int cmd_groups(int argc, char **argv)
{
	struct groups_opts o = { 0 };
	int rc = parse_args(argc, argv, &o);

	return rc ? rc : run(&o);
}
