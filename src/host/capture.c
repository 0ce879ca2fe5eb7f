// SPDX-License-Identifier: GPL-2.0-or-later
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host/capture.h"
#include "host/pagemap.h"
#include "model/pfnset.h"
#include "host/smaps.h"

#define CHUNK 65536   /* entries per pagemap/kpageflags read */

int capture_init(struct capture *c)
{
	memset(c, 0, sizeof(*c));
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

int capture_file_as(struct capture *c, const char *path, const char *text)
{
	char dst[4096];
	struct stat st;
	int fd, rc;

	rc = stage_parent(c, path, dst, sizeof(dst));
	if (rc)
		return rc;
	fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	rc = write_all(fd, text, strlen(text));
	close(fd);
	if (!rc && !stat(path, &st))
		keep_owner(dst, &st);
	c->files++;
	return rc;
}

int capture_file(struct capture *c, const char *path)
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

int capture_link(struct capture *c, const char *path)
{
	char dst[4096], target[4096];
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	int rc;

	if (n < 0) {
		c->skipped++;
		return 0;
	}
	target[n] = '\0';
	rc = stage_parent(c, path, dst, sizeof(dst));
	if (rc)
		return rc;
	unlink(dst);
	if (symlink(target, dst))
		return -errno;
	c->links++;
	return 0;
}

int capture_node(struct capture *c, const char *path)
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

static int capture_any(struct capture *c, const char *path, int depth,
		       bool (*keep)(const char *name))
{
	struct stat st;
	const char *base = strrchr(path, '/');

	if (lstat(path, &st)) {
		c->skipped++;
		return 0;
	}
	base = base ? base + 1 : path;
	if (S_ISLNK(st.st_mode))
		return capture_link(c, path);
	if (S_ISDIR(st.st_mode))
		return depth > 0 ? capture_dir(c, path, depth - 1, keep) : 0;
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
		return capture_node(c, path);
	if (keep && !keep(base))
		return 0;
	return capture_file(c, path);
}

int capture_dir(struct capture *c, const char *dir, int depth, bool (*keep)(const char *name))
{
	char p[4096], dst[4096];
	struct dirent *de;
	DIR *d = opendir(dir);
	int rc = 0;

	if (!d) {
		c->skipped++;
		return 0;
	}
	/* The directory itself, even when empty (an empty iommu_groups says something). */
	snprintf(p, sizeof(p), "%s/.", dir);
	rc = stage_parent(c, p, dst, sizeof(dst));
	while (!rc && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		rc = capture_any(c, p, depth, keep);
	}
	closedir(d);
	return rc;
}

int capture_glob(struct capture *c, const char *pattern)
{
	glob_t g;
	size_t i;
	int rc = 0;

	if (glob(pattern, 0, NULL, &g))
		return 0;
	for (i = 0; i < g.gl_pathc && !rc; i++)
		rc = capture_any(c, g.gl_pathv[i], 0, NULL);
	globfree(&g);
	return rc;
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

int capture_pages(struct capture *c, const char *pid)
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

int capture_pack(struct capture *c, const char *out)
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
		execlp("tar", "tar", "--sparse", "--numeric-owner", "-czf", out, "-C", c->stage, ".",
		       (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return WIFEXITED(status) && WEXITSTATUS(status) == 127 ? -ENOENT : -EIO;
	return 0;
}
