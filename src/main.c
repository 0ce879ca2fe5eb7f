// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio-pinctl: what VFIO pins, what it charges to RLIMIT_MEMLOCK, and whether
 * a host is ready for device passthrough.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "lib/error.h"
#include "host/sysroot.h"

/*
 * A command returns 0, its own exit code (check: 0-3), or a negative errno
 * with the error line recorded by err_set(); main() prints that line, once.
 */
static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
	const char *prog;       /* prefix of the error line */
	int internal_code;      /* an error nobody worded: a bug */
	int output_code;        /* standard output could not be written */
	int own_codes;          /* a return >= 0 is the exit code (check); else it means success */
} commands[] = {
	{ "inspect", cmd_inspect, "classify a live process's memory, VFIO fds and memlock charge",
	  "vfio-pinctl", VP_EXIT_INTERNAL, VP_EXIT_OUTPUT, 0 },
	{ "map", cmd_map, "DMA-map memory through VFIO; predict and measure the memlock charge",
	  "vfio-pinctl", VP_EXIT_INTERNAL, VP_EXIT_OUTPUT, 0 },
	/* check speaks the monitoring-plugin codes: a report nobody got is UNKNOWN (3) */
	{ "check", cmd_check, "is the host ready for passthrough: IOMMU, modules, devices, memory (0/1/2/3)",
	  "vfio-pinctl check", 3, 3, 1 },
	{ "groups", cmd_groups, "every IOMMU group with its devices, drivers and viability",
	  "vfio-pinctl", VP_EXIT_INTERNAL, VP_EXIT_OUTPUT, 0 },
	{ "capture", cmd_capture, "pack what inspect, check and groups read, for --sysroot replay",
	  "vfio-pinctl", VP_EXIT_INTERNAL, VP_EXIT_OUTPUT, 0 },
};

/* Set once the command is known: what a write error on stdout exits with. */
static int output_code = VP_EXIT_OUTPUT;
static int stdout_closed;

/*
 * util-linux's close_stdout(): output is only done once it reached the file,
 * so a full disk or a closed pipe reader is an error, not exit 0.  Returns 0
 * or a negative errno (-EIO when the failed write left no errno).  EPIPE is
 * no error: the reader (`| head`) chose to stop.
 */
static int close_stdout(void)
{
	int pending = __fpending(stdout) != 0, failed = ferror(stdout) != 0, rc;

	if (stdout_closed)
		return 0;
	stdout_closed = 1;
	errno = 0;
	rc = fclose(stdout);
	if (!failed && (!rc || (!pending && errno == EBADF)))
		return 0;
	if (errno == EPIPE)
		return 0;
	return rc && errno ? -errno : -EIO;
}

static void report_output_error(const char *prog, int rc)
{
	if (rc == -EIO)
		fprintf(stderr, "%s: cannot write the output (standard output: an earlier write failed)\n", prog);
	else
		fprintf(stderr, "%s: cannot write the output: %s\n", prog, strerror(-rc));
}

/* --help, --version, --list-columns end in exit(): their output is checked here. */
static void close_stdout_at_exit(void)
{
	int rc = close_stdout();

	if (rc) {
		report_output_error("vfio-pinctl", rc);
		_exit(output_code);
	}
}

static int finish(const struct command *c, int rc)
{
	int out = close_stdout();

	if (out && !err_isset()) {
		report_output_error(c->prog, out);
		return c->output_code;
	}
	if (err_isset()) {
		fprintf(stderr, "%s: %s\n", c->prog, err_message());
		return err_exit_code();
	}
	if (rc >= 0)
		return c->own_codes ? rc : VP_EXIT_OK;
	fprintf(stderr, "%s: internal error: %s (please report with `vfio-pinctl capture`)\n",
		c->prog, strerror(-rc));
	return c->internal_code;
}

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

	atexit(close_stdout_at_exit);
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
		if (!strcmp(argv[i], commands[c].name)) {
			output_code = commands[c].output_code;
			return finish(&commands[c], commands[c].fn(argc - i, argv + i));
		}
	fprintf(stderr, "vfio-pinctl: unknown command '%s'; commands: inspect, map, check, groups, capture\n",
		argv[i]);
	return VP_EXIT_USAGE;
}
