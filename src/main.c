// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio-pinctl: what VFIO pins, what it charges to RLIMIT_MEMLOCK, and whether
 * a host is ready for device passthrough.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "lib/error.h"
#include "host/sysroot.h"

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "inspect", cmd_inspect, "classify a live process's memory, VFIO fds and memlock charge" },
	{ "map", cmd_map, "DMA-map memory through VFIO; predict and measure the memlock charge" },
	{ "check", cmd_check, "is the host ready for passthrough: IOMMU, modules, devices, memory (0/1/2/3)" },
	{ "groups", cmd_groups, "every IOMMU group with its devices, drivers and viability" },
	{ "capture", cmd_capture, "pack what inspect, check and groups read, for --sysroot replay" },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "Usage: vfio-pinctl [--sysroot DIR] COMMAND [OPTIONS]\n\nCommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].help);
	fprintf(out, "\nOptions:\n"
		"      --sysroot DIR  read procfs and sysfs below DIR (a captured tree)\n"
		"  -h, --help         show this help\n"
		"  -V, --version      show the version\n"
		"\n`vfio-pinctl COMMAND --help` shows a command's options; see vfio-pinctl(8).\n");
}

int main(int argc, char **argv)
{
	int i;
	size_t c;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return VP_EXIT_OK;
		}
		if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version")) {
			printf("vfio-pinctl %s\n", VERSION);
			return VP_EXIT_OK;
		}
		if (!strcmp(argv[i], "--sysroot") && i + 1 < argc) {
			sr_set_root(argv[++i]);
			continue;
		}
		if (!strncmp(argv[i], "--sysroot=", 10)) {
			sr_set_root(argv[i] + 10);
			continue;
		}
		fprintf(stderr, "vfio-pinctl: unknown option '%s'; see vfio-pinctl --help\n", argv[i]);
		return VP_EXIT_USAGE;
	}
	if (i >= argc) {
		usage(stderr);
		return VP_EXIT_USAGE;
	}
	for (c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
		if (!strcmp(argv[i], commands[c].name))
			return commands[c].fn(argc - i, argv + i);
	fprintf(stderr, "vfio-pinctl: unknown command '%s'; commands: inspect, map, check, groups, capture\n",
		argv[i]);
	return VP_EXIT_USAGE;
}
