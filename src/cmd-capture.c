// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * capture [PID] -o FILE.tar.gz: run inspect, check and groups as a replay
 * would, with the seam recording what they read (host/record.c), and pack
 * exactly that (host/capture.c), so `--sysroot` replays them on another
 * machine.  Never /proc/PID/environ, /etc/shadow, BAR contents or anything
 * else model/redact.c denies; --redact blanks the secrets of the process's
 * argv and the kernel command line's unrelated parameters.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "host/capture.h"
#include "host/process.h"
#include "host/procstat.h"
#include "host/sysroot.h"
#include "lib/error.h"
#include "lib/util.h"
#include "render/progress.h"

struct capture_opts {
	const char *pid;
	const char *user;
	const char *unit;
	const char *out;
	bool redact;
	unsigned runs;   /* commands recorded */
};

static void usage(FILE *f)
{
	fputs("Usage: vfio-pinctl capture [options] [PID|self] -o FILE.tar.gz\n"
	      "\nRun inspect PID, check and groups with every path they read recorded, and pack\n"
	      "exactly those files into FILE.tar.gz (mode 0600); `vfio-pinctl --sysroot DIR`\n"
	      "replays them after tar -xzf.\n"
	      "\nOptions:\n"
	      "  -o, --output FILE  where to write the archive (required)\n"
	      "  -p, --pid PID      the process to inspect and check --pid (same as PID)\n"
	      "  -u, --user USER    also record check --user USER\n"
	      "      --unit UNIT    also record check --unit UNIT\n"
	      "      --redact       blank the secrets in the process's arguments, drop unrelated\n"
	      "                     kernel parameters\n"
	      "  -h, --help         this help\n", f);
}

enum { OPT_REDACT = 256, OPT_UNIT };

static int parse_args(int argc, char **argv, struct capture_opts *o)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "pid", required_argument, NULL, 'p' },
		{ "user", required_argument, NULL, 'u' },
		{ "unit", required_argument, NULL, OPT_UNIT },
		{ "redact", no_argument, NULL, OPT_REDACT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, pid;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:p:u:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o->out = optarg; break;
		case 'p': o->pid = optarg; break;
		case 'u': o->user = optarg; break;
		case OPT_UNIT: o->unit = optarg; break;
		case OPT_REDACT: o->redact = true; break;
		case 'h': usage(stdout); exit(VP_EXIT_OK);
		default:
			err_set(VP_EXIT_USAGE, "bad option '%s'; see `vfio-pinctl capture --help`",
				argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc && o->pid) {
		err_set(VP_EXIT_USAGE, "give the pid once (PID or --pid); see `vfio-pinctl capture --help`");
		return -EINVAL;
	}
	if (optind < argc)
		o->pid = argv[optind++];
	if (optind < argc) {
		err_set(VP_EXIT_USAGE, "capture takes at most one PID; see `vfio-pinctl capture --help`");
		return -EINVAL;
	}
	if (!o->out) {
		err_set(VP_EXIT_USAGE, "capture needs -o FILE.tar.gz: where to write the archive");
		return -EINVAL;
	}
	if (o->pid && parse_pid(o->pid, true, &pid)) {
		err_set(VP_EXIT_USAGE, "'%s' is not a pid; give a number or 'self'", o->pid);
		return -EINVAL;
	}
	if ((o->user && !*o->user) || (o->unit && !*o->unit)) {
		err_set(VP_EXIT_USAGE, "--%s needs a name; see `vfio-pinctl capture --help`",
			o->user && !*o->user ? "user" : "unit");
		return -EINVAL;
	}
	if (!sr_live()) {
		err_set(VP_EXIT_USAGE, "capture reads the live system; drop --sysroot");
		return -EINVAL;
	}
	return 0;
}

/* One recorded run; its exit code is its own business (a replay repeats it). */
static int record(struct capture *c, struct capture_opts *o, capture_cmd cmd, char **argv,
		  int *code, char **out)
{
	char err[256];
	int ignored, rc = capture_record(c, cmd, argv, code ? code : &ignored, err, sizeof(err), out);

	if (rc) {
		err_set(VP_EXIT_INTERNAL, "recording `%s` failed: %s; please report it", argv[0],
			strerror(-rc));
		return rc;
	}
	o->runs++;
	if (code && *code)
		err_set(*code, "%s", err[0] ? err + (strncmp(err, "vfio-pinctl: ", 13) ? 0 : 13) : "inspect failed");
	return 0;
}

static int record_inspect(struct capture *c, struct capture_opts *o, const char *pid)
{
	char *argv[] = { "inspect", "--json", (char *)pid, NULL };
	int code = 0, rc = record(c, o, cmd_inspect, argv, &code, NULL);

	if (rc)
		return rc;
	if (code == VP_EXIT_NOPROC)
		err_set(VP_EXIT_NOPROC, "process %s exited during the capture; nothing was written", pid);
	else if (code == VP_EXIT_PERM)
		err_set(VP_EXIT_PERM, "permission denied reading /proc/%s; run as root", pid);
	return code ? -EIO : 0;
}

/*
 * check once per target and backend, with and without a guest size: the
 * union of what any of --guest-mem, --viommu, --backend reads, so each of
 * them replays.  --hugepages, --mapping-size and --json/-q change no read.
 */
static int record_check(struct capture *c, struct capture_opts *o, const char *opt, const char *val)
{
	static const char *const backends[] = { "auto", "type1", "iommufd", "iommufd-compat", NULL };
	int i, rc;

	{
		char *argv[] = { "check", "--json", (char *)opt, (char *)val, NULL };

		rc = record(c, o, cmd_check, argv, NULL, NULL);
	}
	for (i = 0; backends[i] && !rc; i++) {
		char *argv[] = { "check", "--json", "--guest-mem", "1G", "--viommu", "--backend",
				 (char *)backends[i], (char *)opt, (char *)val, NULL };

		rc = record(c, o, cmd_check, argv, NULL, NULL);
	}
	return rc;
}

/* groups with every column it has (asked of groups itself), as a list and as a tree. */
static int record_groups(struct capture *c, struct capture_opts *o)
{
	char cols[1024] = "", *list = NULL, *line, *save = NULL;
	size_t used = 0;
	int rc;

	{
		char *argv[] = { "groups", "--list-columns", NULL };

		rc = record(c, o, cmd_groups, argv, NULL, &list);
	}
	if (rc)
		return rc;
	for (line = strtok_r(list, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t n;

		line += strspn(line, " ");
		n = strcspn(line, " ");
		if (n && used + n + 2 < sizeof(cols))
			used += (size_t)snprintf(cols + used, sizeof(cols) - used, "%s%.*s",
						 used ? "," : "", (int)n, line);
	}
	free(list);
	{
		/* argv without -o COLS when groups named none */
		char *argv[] = { "groups", "--json", "-o", cols, NULL };
		char *targv[] = { "groups", "--tree", "--json", "-o", cols, NULL };

		if (!used)
			argv[2] = targv[3] = NULL;
		rc = record(c, o, cmd_groups, argv, NULL, NULL);
		if (!rc)
			rc = record(c, o, cmd_groups, targv, NULL, NULL);
	}
	return rc;
}

static int record_all(struct capture *c, struct capture_opts *o, const char *pid)
{
	int rc = 0;

	if (pid)
		rc = record_inspect(c, o, pid);
	if (!rc && pid)
		rc = record_check(c, o, "--pid", pid);
	if (!rc && o->user)
		rc = record_check(c, o, "--user", o->user);
	if (!rc && o->unit)
		rc = record_check(c, o, "--unit", o->unit);
	if (!rc && !pid && !o->user && !o->unit)
		rc = record_check(c, o, NULL, NULL);
	if (!rc)
		rc = record_groups(c, o);
	if (!rc && pid) {
		/*
		 * The one path no command reads: the process's argv, for whoever reads
		 * the report (how the VMM was started); --redact blanks its secrets.
		 */
		char path[64];

		snprintf(path, sizeof(path), "/proc/%s/cmdline", pid);
		rc = rec_set_add(&c->set, path, SR_READ);
	}
	return rc;
}

/* The pagemap copy of a big process takes a while: on a terminal, say how far it is. */
static int stage_with_progress(struct capture *c, const char *pid)
{
	struct proc_status st = { 0 };
	struct progress p;
	int rc;

	/* unreadable status: total 0, no progress; the staging reports the error */
	if (pid)
		read_status(pid, &st);
	progress_begin(&p, "captured", st.vm_size_kb * 1024, pid != NULL);
	c->on_progress = p.on ? progress_add : NULL;
	/* cleared again below, before p goes out of scope */
	// cppcheck-suppress autoVariables
	c->progress_arg = &p;
	rc = capture_stage(c);
	progress_end(&p);
	c->on_progress = NULL;
	c->progress_arg = NULL;
	return rc;
}

static int capture_run(struct capture_opts *o)
{
	char pid[24];
	struct capture c;
	int fd, rc;

	if (o->pid && !strcmp(o->pid, "self"))
		snprintf(pid, sizeof(pid), "%d", (int)getpid());
	else if (o->pid)
		snprintf(pid, sizeof(pid), "%s", o->pid);
	if (o->pid) {
		if (!proc_has(pid, "status")) {
			err_set(VP_EXIT_NOPROC, "no process %s; check the pid with `ps -p %s`", pid, pid);
			return -ESRCH;
		}
	}
	/*
	 * Say now, not after the work, that the archive cannot be written.  It
	 * holds a root's view of another process (maps, argv, limits): 0600, even
	 * over an existing file.
	 */
	fd = capture_open_archive(o->out);
	if (fd < 0) {
		rc = fd;
		err_set(rc == -EACCES || rc == -EPERM ? VP_EXIT_PERM : VP_EXIT_USAGE,
			"cannot write %s: %s; give -o a writable path", o->out, strerror(-rc));
		return rc;
	}
	rc = capture_init(&c, o->redact);
	if (rc) {
		err_set(VP_EXIT_RESOURCE, "cannot create a staging directory in %s: %s; set TMPDIR",
			getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", strerror(-rc));
		goto fail;
	}
	rc = record_all(&c, o, o->pid ? pid : NULL);
	if (!rc) {
		rc = stage_with_progress(&c, o->pid ? pid : NULL);
		if (rc == -ESRCH || rc == -ENOENT)
			err_set(VP_EXIT_NOPROC, "process %s exited during the capture; nothing was written", pid);
		else if (rc == -EACCES || rc == -EPERM)
			err_set(VP_EXIT_PERM, "permission denied reading /proc/%s; run as root", pid);
	}
	if (!rc)
		rc = capture_pack(&c, fd);
	if (rc == -ENOENT && !err_isset())
		err_set(VP_EXIT_RESOURCE, "tar is not installed; it packs the archive (apt-get install tar)");
	else if (rc == -EIO && !err_isset())
		err_set(VP_EXIT_PERM, "tar could not write %s; check the path and permissions", o->out);
	else if (rc && !err_isset())
		err_set(VP_EXIT_INTERNAL, "capture failed: %s", strerror(-rc));
	else if (!rc)
		fprintf(stderr, "vfio-pinctl: wrote %s: %u files, %u links, %zu bytes from %u recorded "
			"commands%s; replay with `mkdir DIR && tar -xzf %s -C DIR && vfio-pinctl --sysroot DIR …`\n",
			o->out, c.files, c.links, c.bytes, o->runs,
			geteuid() ? " (not root: no pfns, no kpageflags)" : "", o->out);
	capture_remove(&c);
fail:
	close(fd);
	if (rc)
		unlink(o->out);   /* truncated above: nothing half-written stays */
	return rc;
}

int cmd_capture(int argc, char **argv)
{
	struct capture_opts o = { 0 };
	sigset_t block, old;
	int rc = parse_args(argc, argv, &o);

	if (rc)
		return rc;
	/* Signals wait until the staging directory is gone: nothing is left behind. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	rc = capture_run(&o);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}
