// SPDX-License-Identifier: GPL-2.0-or-later
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sys/xattr.h>

#include "host/capture.h"
#include "host/pagemap.h"
#include "host/smaps.h"
#include "host/sysroot.h"
#include "model/pfnset.h"
#include "host/vfiofds.h"
#include "model/redact.h"

#define CHUNK 65536   /* entries per pagemap/kpageflags read */

int capture_init(struct capture *c, bool redact)
{
	memset(c, 0, sizeof(*c));
	c->redact = redact;
	snprintf(c->stage, sizeof(c->stage), "%s/vfio-pinctl-capture.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(c->stage) ? 0 : -errno;
}

static int remove_entry(const char *dir)
{
	struct dirent *de;
	char p[4096];
	struct stat st;
	DIR *d = opendir(dir);

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (!lstat(p, &st) && S_ISDIR(st.st_mode))
			remove_entry(p);
		else
			unlink(p);
	}
	closedir(d);
	return rmdir(dir) ? -errno : 0;
}

void capture_remove(struct capture *c)
{
	if (c->stage[0])
		remove_entry(c->stage);
	c->stage[0] = '\0';
	rec_set_free(&c->set);
}

/* mkdir -p of the staged parent of path. */
static int stage_parent(struct capture *c, const char *path, char *out, size_t size)
{
	char *p;

	if ((size_t)snprintf(out, size, "%s%s", c->stage, path) >= size)
		return -ENAMETOOLONG;
	for (p = out + strlen(c->stage) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(out, 0755) && errno != EEXIST) {
			*p = '/';
			return -errno;
		}
		*p = '/';
	}
	return 0;
}

static int write_all(int fd, const char *buf, size_t n)
{
	while (n) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

static void keep_owner(const char *dst, const struct stat *st)
{
	/* Best effort: an unprivileged capture cannot give files away. */
	if (lchown(dst, st->st_uid, st->st_gid))
		return;
	if (!S_ISLNK(st->st_mode))
		chmod(dst, st->st_mode & 07777);
}

/* data written as path's staged copy; its staged name in dst. */
static int stage_write(struct capture *c, const char *path, const char *data, size_t len,
		       char *dst, size_t size)
{
	int fd, rc = stage_parent(c, path, dst, size);

	if (rc)
		return rc;
	fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	rc = write_all(fd, data, len);
	close(fd);
	return rc;
}

int capture_stage_data(struct capture *c, const char *path, const char *data, size_t len)
{
	char dst[4096];

	return stage_write(c, path, data, len, dst, sizeof(dst));
}

/* path staged with other contents (redaction), its owner and mode kept. */
static int capture_file_as(struct capture *c, const char *path, const char *text, size_t len)
{
	char dst[4096];
	struct stat st;
	int rc = stage_write(c, path, text, len, dst, sizeof(dst));

	if (!rc && !stat(path, &st))
		keep_owner(dst, &st);
	c->files++;
	return rc;
}

/* A file's contents (a missing or unreadable one is skipped, not an error). */
static int capture_file(struct capture *c, const char *path)
{
	char dst[4096], buf[65536];
	struct stat st;
	int in, out = -1, rc = 0;
	ssize_t n;

	in = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (in < 0) {
		c->skipped++;
		return 0;
	}
	if (fstat(in, &st) || !S_ISREG(st.st_mode))
		goto skip;
	rc = stage_parent(c, path, dst, sizeof(dst));
	if (rc)
		goto out;
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		rc = -errno;
		goto out;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		rc = write_all(out, buf, (size_t)n);
		if (rc)
			goto out;
		c->bytes += (size_t)n;
	}
	if (n < 0) {
		/* Unreadable attribute (write-only, EIO): leave it out. */
		close(out);
		out = -1;
		unlink(dst);
		goto skip;
	}
	keep_owner(dst, &st);
	c->files++;
	goto out;
skip:
	c->skipped++;
out:
	if (out >= 0)
		close(out);
	close(in);
	return rc;
}

/*
 * groups reads the fd links of every process to find VFIO's holders: of
 * /proc/PID/fd only the links naming a VFIO or iommufd node are packed (what
 * any replay reads of them), not the files, sockets and pipes of every process.
 */
static bool fd_link_packed(const char *path, const char *target)
{
	const char *p = path;
	int group, cdev;

	if (strncmp(p, "/proc/", 6))
		return true;
	p += 6;
	p += strspn(p, "0123456789");
	if (p == path + 6 || strncmp(p, "/fd/", 4))
		return true;
	return vfio_fd_kind_of(target, &group, &cdev) != VFD_NONE;
}

static int capture_link(struct capture *c, const char *path)
{
	char dst[4096], target[4096];
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	int rc;

	if (n < 0) {
		c->skipped++;
		return 0;
	}
	target[n] = '\0';
	if (!fd_link_packed(path, target)) {
		c->denied++;
		return 0;
	}
	rc = stage_parent(c, path, dst, sizeof(dst));
	if (rc)
		return rc;
	unlink(dst);
	if (symlink(target, dst))
		return -errno;
	c->links++;
	return 0;
}

/* A char/block device node, as an empty regular file with the node's owner and mode. */
static int capture_node(struct capture *c, const char *path)
{
	char dst[4096];
	struct stat st;
	int fd, rc;

	if (stat(path, &st)) {
		c->skipped++;
		return 0;
	}
	rc = stage_parent(c, path, dst, sizeof(dst));
	if (rc)
		return rc;
	fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	close(fd);
	keep_owner(dst, &st);
	c->files++;
	return 0;
}

/* Write entries [i, j) of buf at their offset: runs of non-zero entries only, so the file stays sparse. */
static int write_runs(int fd, const uint64_t *buf, size_t n, uint64_t first_index)
{
	size_t i = 0, j;

	while (i < n) {
		if (!buf[i]) {
			i++;
			continue;
		}
		for (j = i; j < n && buf[j]; j++)
			;
		if (pwrite(fd, buf + i, (j - i) * 8, (off_t)((first_index + i) * 8)) < 0)
			return -errno;
		i = j;
	}
	return 0;
}

static int open_staged(struct capture *c, const char *path, int *fd)
{
	char dst[4096];
	int rc = stage_parent(c, path, dst, sizeof(dst));

	if (rc)
		return rc;
	*fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	return *fd < 0 ? -errno : 0;
}

/* Copy kpageflags for every pfn in the set, window by window. */
static int copy_kpageflags(struct capture *c, struct pfnset *set, uint64_t *buf)
{
	uint64_t pfn = 0, first, last;
	uint32_t *offs = malloc(CHUNK * sizeof(*offs));
	int in, out, rc;
	ssize_t n;

	if (!offs)
		return -ENOMEM;

	in = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		free(offs);
		return 0;  /* not root: the capture says so by lacking the file */
	}
	rc = open_staged(c, "/proc/kpageflags", &out);
	while (!rc && pfnset_next_window(set, &pfn, 64, CHUNK, &first, &last, offs)) {
		n = pread(in, buf, (last - first + 1) * 8, (off_t)(first * 8));
		if (n < 0)
			rc = -errno;
		else
			rc = write_runs(out, buf, (size_t)n / 8, first);
	}
	if (out >= 0)
		close(out);
	close(in);
	free(offs);
	return rc;
}

/* pagemap of a pid (present and swapped entries only) and kpageflags of its pfns, both sparse. */
static int capture_pages(struct capture *c, const char *pid)
{
	char path[64], *line = NULL;
	struct pfnset *set = NULL;
	uint64_t *buf = NULL;
	size_t cap = 0;
	FILE *maps = NULL;
	int in = -1, out = -1, rc;

	snprintf(path, sizeof(path), "/proc/%s/pagemap", pid);
	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	maps = fopen(path, "re");
	set = malloc(sizeof(*set));
	buf = malloc(CHUNK * 8);
	if (!maps || !set || !buf) {
		rc = maps ? -ENOMEM : -errno;
		goto out;
	}
	pfnset_init(set);
	snprintf(path, sizeof(path), "/proc/%s/pagemap", pid);
	rc = open_staged(c, path, &out);
	while (!rc && getline(&line, &cap, maps) > 0) {
		struct vma v;
		uint64_t va;

		if (smaps_parse_header(line, &v))
			continue;
		for (va = v.start; va < v.end && !rc; va += CHUNK * 4096) {
			size_t want = (v.end - va) / 4096 < CHUNK ? (v.end - va) / 4096 : CHUNK, i;
			ssize_t n = pread(in, buf, want * 8, (off_t)(va / 4096 * 8));

			if (n <= 0)
				break;
			for (i = 0; i < (size_t)n / 8 && !rc; i++)
				if (pme_pfn(buf[i]))
					rc = pfnset_add(set, pme_pfn(buf[i])) == -ENOMEM ? -ENOMEM : 0;
			if (!rc)
				rc = write_runs(out, buf, (size_t)n / 8, va / 4096);
			if (!rc && c->on_progress)
				c->on_progress(c->progress_arg, want * 4096);
		}
	}
	if (!rc)
		rc = copy_kpageflags(c, set, buf);
out:
	if (set) {
		pfnset_free(set);
		free(set);
	}
	free(buf);
	free(line);
	if (maps)
		fclose(maps);
	if (out >= 0)
		close(out);
	close(in);
	return rc;
}


/*
 * Stat-only paths (sr_stat, sr_exists, sr_path) and the entries of a listed
 * directory: an empty file with the owner and mode, and the file capability
 * (check reads cap_ipc_lock of a VMM binary).  Never over a copied file.
 */
static int capture_placeholder(struct capture *c, const char *path, const struct stat *st)
{
	char dst[4096], xa[256];
	ssize_t n;
	int fd, rc = stage_parent(c, path, dst, sizeof(dst));

	if (rc)
		return rc;
	fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return errno == EEXIST ? 0 : -errno;
	/*
	 * Outside the pseudo-filesystems a file's size is a fact a reader may
	 * stat (inspect sizes a VMM's firmware: QEMU allocates a ROM block of the
	 * file's size): a hole of that size, none of its contents (a pflash VARS
	 * file is the guest's).  Under /proc, /sys and /dev sizes mean nothing.
	 */
	if (S_ISREG(st->st_mode) && strncmp(path, "/proc/", 6) && strncmp(path, "/sys/", 5) &&
	    strncmp(path, "/dev/", 5) && ftruncate(fd, st->st_size))
		rc = -errno;
	close(fd);
	if (rc)
		return rc;
	keep_owner(dst, st);
	n = getxattr(path, "security.capability", xa, sizeof(xa));
	if (n > 0)
		setxattr(dst, "security.capability", xa, (size_t)n, 0);
	return 0;
}

static int stage_dir(struct capture *c, const char *path)
{
	char p[4200], dst[4096];

	if ((size_t)snprintf(p, sizeof(p), "%s/.", path) >= sizeof(p))
		return -ENAMETOOLONG;
	return stage_parent(c, p, dst, sizeof(dst));
}

/* A listed directory: its entries exist in the tree (the replay lists the same names). */
static int capture_listing(struct capture *c, const char *dir)
{
	char p[4200];
	struct dirent *de;
	struct stat st;
	DIR *d = opendir(dir);
	int rc = stage_dir(c, dir);

	if (!d) {
		c->skipped++;
		return rc;
	}
	while (!rc && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if ((size_t)snprintf(p, sizeof(p), "%s/%s", !strcmp(dir, "/") ? "" : dir, de->d_name) >= sizeof(p) ||
		    redact_path_denied(p) || lstat(p, &st))
			continue;
		if (S_ISLNK(st.st_mode))
			rc = capture_link(c, p);
		else if (S_ISDIR(st.st_mode))
			rc = stage_dir(c, p);
		else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
			rc = capture_node(c, p);
		else if (S_ISREG(st.st_mode))
			rc = capture_placeholder(c, p, &st);
	}
	closedir(d);
	return rc;
}

/* A regular file that was read: copied, or redacted, or (under /dev) only its inode. */
static int capture_read(struct capture *c, const char *path, const struct stat *st)
{
	char *text = NULL, *red = NULL;
	size_t len = 0;
	int rc;

	if (!strncmp(path, "/dev/", 5))
		return capture_placeholder(c, path, st);
	if (!c->redact)
		return capture_file(c, path);
	if (!strcmp(path, "/proc/cmdline")) {
		if (sr_read_text(path, &text, &len))
			return 0;
		red = redact_kernel_cmdline(text);
		len = red ? strlen(red) : 0;
	} else if (!strncmp(path, "/proc/", 6) && strlen(path) > 14 &&
		   !strcmp(path + strlen(path) - 8, "/cmdline")) {
		if (sr_read_text(path, &text, &len))
			return 0;
		red = redact_argv(text, len, &len);
	} else {
		return capture_file(c, path);
	}
	rc = red ? capture_file_as(c, path, red, len) : -ENOMEM;
	free(red);
	free(text);
	return rc;
}

/* What the last component of a resolved path was used for. */
static int capture_final(struct capture *c, const char *path, const struct stat *st, unsigned acc)
{
	if (S_ISDIR(st->st_mode))
		return acc & SR_LIST ? capture_listing(c, path) : stage_dir(c, path);
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
		return capture_node(c, path);
	if (!S_ISREG(st->st_mode))
		return 0;
	if (acc & (SR_READ | SR_GLOB))
		return capture_read(c, path, st);
	return capture_placeholder(c, path, st);
}

/*
 * Textual "." and ".." over a path whose prefix holds no symlinks (so ".." is
 * the real parent), into out.
 */
static int normalize(const char *in, char *out, size_t size)
{
	size_t used = 0;

	out[0] = '\0';
	while (*in) {
		size_t n;

		while (*in == '/')
			in++;
		n = strcspn(in, "/");
		if (!n)
			break;
		if (n == 1 && in[0] == '.') {
		} else if (n == 2 && in[0] == '.' && in[1] == '.') {
			char *slash = strrchr(out, '/');

			used = slash ? (size_t)(slash - out) : 0;
			out[used] = '\0';
		} else {
			if (used + n + 2 > size)
				return -ENAMETOOLONG;
			out[used++] = '/';
			memcpy(out + used, in, n);
			used += n;
			out[used] = '\0';
		}
		in += n;
	}
	if (!used)
		snprintf(out, size, "/");
	return 0;
}

/*
 * One recorded path: every symlink on the way (/sys/bus/pci/devices/X,
 * /proc/self, .../iommu_group) staged as a link and followed, so the replay
 * resolves the same way; then the last component by what was done with it.
 * A last component that is a link is followed unless only the link was read
 * (/proc/PID/fd/N names "/dev/vfio/5" or "anon_inode:[vfio-device]").
 */
static int stage_path(struct capture *c, const char *logical, unsigned acc)
{
	char path[PATH_MAX], cur[PATH_MAX], next[PATH_MAX], target[PATH_MAX], joined[PATH_MAX * 2];
	const char *rest;
	struct stat st;
	int hops = 0, rc;

	if (normalize(logical, path, sizeof(path)))
		return 0;
restart:
	if (redact_path_denied(path)) {
		c->denied++;
		return 0;
	}
	cur[0] = '\0';
	for (rest = path; *rest == '/'; rest++)
		;
	if (!*rest)
		return acc & SR_LIST ? capture_listing(c, "/") : 0;
	while (*rest) {
		size_t n = strcspn(rest, "/");
		bool last = !rest[n] || !rest[n + 1 + strspn(rest + n + 1, "/")];
		ssize_t len;

		if (snprintf(next, sizeof(next), "%s/%.*s", cur, (int)n, rest) >= (int)sizeof(next))
			return 0;
		rest += n;
		while (*rest == '/')
			rest++;
		if (lstat(next, &st)) {
			c->skipped++;
			return 0;
		}
		if (!S_ISLNK(st.st_mode)) {
			if (last)
				return capture_final(c, next, &st, acc);
			if (!S_ISDIR(st.st_mode))
				return 0;
			snprintf(cur, sizeof(cur), "%s", next);
			continue;
		}
		rc = capture_link(c, next);
		if (rc || (last && !(acc & ~SR_LINK)))
			return rc;
		len = readlink(next, target, sizeof(target) - 1);
		if (len < 0 || ++hops > 40)
			return 0;
		target[len] = '\0';
		if (target[0] == '/')
			snprintf(joined, sizeof(joined), "%s/%s", target, rest);
		else
			snprintf(joined, sizeof(joined), "%s/%s/%s", cur, target, rest);
		if (normalize(joined, path, sizeof(path)))
			return 0;
		goto restart;
	}
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct rec_entry *)a)->path, ((const struct rec_entry *)b)->path);
}

static int stage_glob(struct capture *c, const char *pattern)
{
	glob_t g;
	size_t i;
	int rc = 0;

	if (glob(pattern, 0, NULL, &g))
		return 0;
	for (i = 0; i < g.gl_pathc && !rc; i++)
		rc = stage_path(c, g.gl_pathv[i], SR_READ);
	globfree(&g);
	return rc;
}

int capture_stage(struct capture *c)
{
	struct rec_entry *v;
	size_t i, n = 0;
	char pid[24];
	int rc = 0;

	v = calloc(c->set.n + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < c->set.cap; i++)
		if (c->set.v[i].path)
			v[n++] = c->set.v[i];
	/* Sorted: parents before children, and the same archive for the same reads. */
	qsort(v, n, sizeof(*v), cmp_entry);
	for (i = 0; i < n && !rc; i++) {
		if (v[i].access & SR_RUN)   /* staged by the child that ran the command */
			continue;
		if (redact_path_pages(v[i].path, pid, sizeof(pid))) {
			if (pid[0])
				rc = capture_pages(c, pid);
			continue;
		}
		if (v[i].access & SR_GLOB)
			rc = stage_glob(c, v[i].path);
		else
			rc = stage_path(c, v[i].path, v[i].access);
	}
	free(v);
	return rc;
}

int capture_pack(struct capture *c, int out)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		/* Our one line says what failed; tar's own five would only repeat it. */
		if (null >= 0)
			dup2(null, STDERR_FILENO);
		/* To our descriptor: the archive keeps the mode we opened it with (0600). */
		if (dup2(out, STDOUT_FILENO) < 0)
			_exit(126);
		execlp("tar", "tar", "--sparse", "--numeric-owner", "-czf", "-", "-C", c->stage, ".",
		       (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return WIFEXITED(status) && WEXITSTATUS(status) == 127 ? -ENOENT : -EIO;
	return 0;
}

int capture_open_archive(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int rc;

	if (fd < 0)
		return -errno;
	if (fchmod(fd, 0600)) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}
