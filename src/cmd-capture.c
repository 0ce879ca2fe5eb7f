// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * capture [PID] -o FILE.tar.gz: the procfs/sysfs subset inspect, check and
 * groups read, packed so `--sysroot` replays it on another machine.  Never
 * /proc/PID/environ, /etc/shadow or anything else secret; --redact drops the
 * process's arguments and the kernel command line's unrelated parameters.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "host/capture.h"
#include "host/procstat.h"
#include "render/progress.h"
#include "commands.h"
#include "lib/error.h"
#include "host/sysroot.h"
#include "host/vfiofds.h"

struct capture_opts {
	const char *pid;
	const char *out;
	bool redact;
};

static void usage(FILE *f)
{
	fputs("Usage: vfio-pinctl capture [options] [PID|self] -o FILE.tar.gz\n"
	      "\nPack what inspect, check and groups read from /proc, /sys, /dev and /etc\n"
	      "into FILE.tar.gz; `vfio-pinctl --sysroot DIR` replays it after tar -xzf.\n"
	      "\nOptions:\n"
	      "  -o, --output FILE  where to write the archive (required)\n"
	      "      --redact       drop the process's arguments and unrelated kernel parameters\n"
	      "  -h, --help         this help\n", f);
}

/* PCI device attributes read by inspect/check/groups: never resourceN, rom or config. */
static bool pci_attr(const char *name)
{
	static const char *const keep[] = {
		"vendor", "device", "class", "subsystem_vendor", "subsystem_device", "revision",
		"resource", "driver_override", "numa_node", "irq", "enable", NULL,
	};
	int i;

	for (i = 0; keep[i]; i++)
		if (!strcmp(name, keep[i]))
			return true;
	return false;
}

static bool any_file(const char *name)
{
	(void)name;
	return true;
}

static bool hugepage_attr(const char *name)
{
	return strstr(name, "hugepages") != NULL;
}

static int capture_pci(struct capture *c)
{
	char path[4200], real[4096];
	struct dirent *de;
	DIR *d = opendir("/sys/bus/pci/devices");
	int rc = 0;

	rc = capture_dir(c, "/sys/bus/pci/devices", 0, NULL);  /* the links */
	if (!d)
		return rc;
	while (!rc && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		/* The device directory itself, through its /sys/devices path. */
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/", de->d_name);
		if (!realpath(path, real))
			continue;
		rc = capture_dir(c, real, 0, pci_attr);
		if (!rc) {
			snprintf(path, sizeof(path), "%s/vfio-dev", real);
			rc = capture_dir(c, path, 1, any_file);
		}
	}
	closedir(d);
	if (!rc)
		rc = capture_dir(c, "/sys/bus/pci/drivers", 1, NULL);
	return rc;
}

static int capture_modules(struct capture *c)
{
	static const char *const mods[] = {
		"vfio", "vfio_iommu_type1", "vfio_pci", "vfio_pci_core", "vfio_virqfd",
		"iommufd", "kvm", "kvm_intel", "kvm_amd", "irqbypass", NULL,
	};
	char path[256];
	struct utsname u;
	int i, rc = 0;

	for (i = 0; mods[i] && !rc; i++) {
		snprintf(path, sizeof(path), "/sys/module/%s", mods[i]);
		rc = capture_dir(c, path, 1, any_file);
	}
	if (!rc && !uname(&u)) {
		snprintf(path, sizeof(path), "/lib/modules/%s/modules.*", u.release);
		rc = capture_glob(c, path);
	}
	return rc;
}

/* Parameters that bear on passthrough; the rest of the command line is not ours to ship. */
static bool related_param(const char *p, size_t n)
{
	static const char *const prefixes[] = {
		"intel_iommu", "amd_iommu", "iommu", "vfio", "hugepage", "default_hugepagesz",
		"transparent_hugepage", "kvm", "pci=", "pcie_acs_override", "modprobe.blacklist",
		"module_blacklist", "isolcpus", "mem=", NULL,
	};
	int i;

	for (i = 0; prefixes[i]; i++)
		if (n >= strlen(prefixes[i]) && !strncmp(p, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

static int capture_cmdline_redacted(struct capture *c)
{
	char *text = NULL, *out;
	size_t len = 0, used = 0;
	const char *p;
	int rc;

	rc = sr_read_text("/proc/cmdline", &text, &len);
	if (rc)
		return 0;
	out = calloc(1, len + 2);
	if (!out) {
		free(text);
		return -ENOMEM;
	}
	for (p = text; *p;) {
		size_t n;

		while (*p == ' ' || *p == '\n')
			p++;
		n = strcspn(p, " \n");
		if (n && related_param(p, n)) {
			memcpy(out + used, p, n);
			used += n;
			out[used++] = ' ';
		}
		p += n;
	}
	if (used)
		out[used - 1] = '\n';
	rc = capture_file_as(c, "/proc/cmdline", out);
	free(out);
	free(text);
	return rc;
}

/* The pagemap copy of a big process takes a while: on a terminal, say how far it is. */
static int pages_with_progress(struct capture *c, const char *pid)
{
	struct proc_status st = { 0 };
	struct progress p;
	int rc;

	/* unreadable status: total 0, no progress; capture_pages reports the error */
	read_status(pid, &st);
	progress_begin(&p, "captured", st.vm_size_kb * 1024, true);
	c->on_progress = p.on ? progress_add : NULL;
	/* cleared again below, before p goes out of scope */
	// cppcheck-suppress autoVariables
	c->progress_arg = &p;
	rc = capture_pages(c, pid);
	progress_end(&p);
	c->on_progress = NULL;
	c->progress_arg = NULL;
	return rc;
}

static int capture_process(struct capture *c, const char *pid, bool redact)
{
	static const char *const files[] = { "status", "limits", "maps", "smaps", "comm", NULL };
	struct vfio_fds fds;
	char path[128];
	size_t i;
	int rc = 0;

	for (i = 0; files[i] && !rc; i++) {
		snprintf(path, sizeof(path), "/proc/%s/%s", pid, files[i]);
		rc = capture_file(c, path);
	}
	snprintf(path, sizeof(path), "/proc/%s/cmdline", pid);
	if (!rc)
		rc = redact ? capture_file_as(c, path, "[redacted]") : capture_file(c, path);
	snprintf(path, sizeof(path), "/proc/%s/fd", pid);
	if (!rc)
		rc = capture_dir(c, path, 0, NULL);
	/* fdinfo of the VFIO fds only: the 6.18 device syspath is in there. */
	if (!rc && !vfio_fds_read(pid, &fds)) {
		for (i = 0; i < fds.n && !rc; i++) {
			snprintf(path, sizeof(path), "/proc/%s/fdinfo/%d", pid, fds.v[i].fd);
			rc = capture_file(c, path);
		}
		vfio_fds_free(&fds);
	}
	if (!rc)
		rc = pages_with_progress(c, pid);
	return rc;
}

static int capture_host(struct capture *c, bool redact)
{
	static const char *const files[] = {
		"/proc/cpuinfo", "/proc/interrupts", "/proc/meminfo", "/proc/sys/kernel/osrelease",
		"/etc/passwd", "/etc/group", "/etc/security/limits.conf", "/etc/systemd/system.conf",
		NULL,
	};
	static const char *const dirs[] = {
		"/sys/kernel/iommu_groups", "/sys/class/iommu", "/sys/class/vfio-dev",
		"/etc/security/limits.d", "/etc/modprobe.d", "/lib/modprobe.d", "/usr/lib/modprobe.d",
		"/run/modprobe.d", NULL,
	};
	int i, rc = 0;

	for (i = 0; files[i] && !rc; i++)
		rc = capture_file(c, files[i]);
	for (i = 0; dirs[i] && !rc; i++)
		rc = capture_dir(c, dirs[i], 3, any_file);
	if (!rc)
		rc = redact ? capture_cmdline_redacted(c) : capture_file(c, "/proc/cmdline");
	/* ACPI tables: presence is the fact (DMAR on Intel, IVRS on AMD). */
	if (!rc)
		rc = capture_glob(c, "/sys/firmware/acpi/tables/DMAR");
	if (!rc)
		rc = capture_glob(c, "/sys/firmware/acpi/tables/IVRS");
	if (!rc)
		rc = capture_dir(c, "/sys/kernel/mm/hugepages", 2, any_file);
	if (!rc)
		rc = capture_dir(c, "/sys/devices/system/node", 4, hugepage_attr);
	if (!rc)
		rc = capture_dir(c, "/dev/vfio", 2, any_file);
	if (!rc)
		rc = capture_glob(c, "/dev/iommu");
	if (!rc)
		rc = capture_pci(c);
	if (!rc)
		rc = capture_modules(c);
	return rc;
}

static int parse_args(int argc, char **argv, struct capture_opts *o)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "redact", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o->out = optarg; break;
		case 'R': o->redact = true; break;
		case 'h': usage(stdout); exit(VP_EXIT_OK);
		default:
			err_set(VP_EXIT_USAGE, "bad option '%s'; see `vfio-pinctl capture --help`",
				argv[optind - 1]);
			return -EINVAL;
		}
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
	if (o->pid && strcmp(o->pid, "self") && strspn(o->pid, "0123456789") != strlen(o->pid)) {
		err_set(VP_EXIT_USAGE, "'%s' is not a pid; give a number or 'self'", o->pid);
		return -EINVAL;
	}
	if (!sr_live()) {
		err_set(VP_EXIT_USAGE, "capture reads the live system; drop --sysroot");
		return -EINVAL;
	}
	return 0;
}

static int capture_run(struct capture_opts *o)
{
	char pid[24], path[64];
	struct capture c;
	int rc;

	if (o->pid && !strcmp(o->pid, "self"))
		snprintf(pid, sizeof(pid), "%d", (int)getpid());
	else if (o->pid)
		snprintf(pid, sizeof(pid), "%s", o->pid);
	if (o->pid) {
		snprintf(path, sizeof(path), "/proc/%s/status", pid);
		if (access(path, F_OK)) {
			err_set(VP_EXIT_NOPROC, "no process %s; check the pid with `ps -p %s`", pid, pid);
			return -ESRCH;
		}
	}
	/* Say now, not after the work, that the archive cannot be written. */
	rc = open(o->out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (rc < 0) {
		rc = -errno;
		err_set(rc == -EACCES || rc == -EPERM ? VP_EXIT_PERM : VP_EXIT_USAGE,
			"cannot write %s: %s; give -o a writable path", o->out, strerror(-rc));
		return rc;
	}
	close(rc);
	rc = capture_init(&c);
	if (rc) {
		err_set(VP_EXIT_RESOURCE, "cannot create a staging directory in %s: %s; set TMPDIR",
			getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", strerror(-rc));
		return rc;
	}
	rc = capture_host(&c, o->redact);
	if (!rc && o->pid) {
		rc = capture_process(&c, pid, o->redact);
		if (rc == -ESRCH || rc == -ENOENT)
			err_set(VP_EXIT_NOPROC, "process %s exited during the capture; nothing was written", pid);
		else if (rc == -EACCES || rc == -EPERM)
			err_set(VP_EXIT_PERM, "permission denied reading /proc/%s; run as root", pid);
	}
	if (!rc)
		rc = capture_pack(&c, o->out);
	if (rc == -ENOENT && !err_isset())
		err_set(VP_EXIT_RESOURCE, "tar is not installed; it packs the archive (apt-get install tar)");
	else if (rc == -EIO && !err_isset())
		err_set(VP_EXIT_PERM, "tar could not write %s; check the path and permissions", o->out);
	else if (!rc)
		fprintf(stderr, "vfio-pinctl: wrote %s: %u files, %u links, %zu bytes%s; replay with "
			"`mkdir DIR && tar -xzf %s -C DIR && vfio-pinctl --sysroot DIR …`\n",
			o->out, c.files, c.links, c.bytes,
			geteuid() ? " (not root: no pfns, no kpageflags)" : "", o->out);
	capture_remove(&c);
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
