// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <ctype.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host/sysroot.h"

static const char *root;
static sr_recorder recorder;
static void *recorder_arg;

void sr_set_recorder(sr_recorder fn, void *arg)
{
	recorder = fn;
	recorder_arg = arg;
}

/* The only cost when not capturing: this test, once per open. */
static inline void record(const char *path, unsigned access)
{
	if (__builtin_expect(recorder != NULL, 0) && !root)
		recorder(recorder_arg, path, access, NULL, 0);
}

void sr_note(const char *path, unsigned access)
{
	record(path, access);
}

void sr_set_root(const char *dir)
{
	root = (dir && *dir && strcmp(dir, "/") != 0) ? dir : NULL;
}

const char *sr_root(void)
{
	return root;
}

static int real_path(char *buf, size_t size, const char *path)
{
	int n = root ? snprintf(buf, size, "%s%s", root, path)
		     : snprintf(buf, size, "%s", path);

	return (n < 0 || (size_t)n >= size) ? -ENAMETOOLONG : 0;
}

int sr_path(char *buf, size_t size, const char *fmt, ...)
{
	char logical[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(logical, sizeof(logical), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(logical))
		return -ENAMETOOLONG;
	/* The caller hands the path to a library (libcap, libkmod): at least its inode. */
	record(logical, SR_STAT);
	return real_path(buf, size, logical);
}

int sr_open(const char *path, int flags)
{
	char p[4096];
	int fd, rc = real_path(p, sizeof(p), path);

	if (rc)
		return rc;
	record(path, SR_READ);
	fd = open(p, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

FILE *sr_fopen(const char *path)
{
	char p[4096];

	if (real_path(p, sizeof(p), path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	record(path, SR_READ);
	return fopen(p, "re");
}

DIR *sr_opendir(const char *path)
{
	char p[4096];

	if (real_path(p, sizeof(p), path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	record(path, SR_LIST);
	return opendir(p);
}

int sr_stat(const char *path, struct stat *st)
{
	char p[4096];
	int rc = real_path(p, sizeof(p), path);

	if (rc)
		return rc;
	record(path, SR_STAT);
	return stat(p, st) ? -errno : 0;
}

int sr_exists(const char *path)
{
	struct stat st;

	return sr_stat(path, &st) == 0;
}

int sr_readlink(const char *path, char *buf, size_t size)
{
	char p[4096];
	ssize_t n;
	int rc = real_path(p, sizeof(p), path);

	if (rc)
		return rc;
	record(path, SR_LINK);
	n = readlink(p, buf, size - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

int sr_read_text(const char *path, char **out, size_t *len)
{
	int fd = sr_open(path, O_RDONLY), rc;

	if (fd < 0)
		return fd;
	rc = sr_read_fd(fd, 0, out, len);
	close(fd);
	return rc;
}

int sr_read_line(const char *path, char *buf, size_t size)
{
	char *text, *nl;
	size_t n;
	int rc = sr_read_text(path, &text, NULL);

	if (rc)
		return rc;
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	n = strlen(text);
	while (n && isspace((unsigned char)text[n - 1]))
		text[--n] = '\0';
	if (n >= size) {
		free(text);
		return -ERANGE;
	}
	memcpy(buf, text, n + 1);
	free(text);
	return 0;
}

int sr_read_u64(const char *path, uint64_t *val)
{
	char buf[64], *end;
	int rc = sr_read_line(path, buf, sizeof(buf));

	if (rc)
		return rc;
	errno = 0;
	/* sysfs prints decimal or 0x hex; a leading zero is not octal there. */
	*val = strtoull(buf, &end, strncasecmp(buf, "0x", 2) ? 10 : 16);
	if (errno || end == buf)
		return -EINVAL;
	return 0;
}

int sr_read_fd(int fd, size_t max, char **out, size_t *len)
{
	size_t cap = 4096, used = 0;
	char *buf = malloc(cap), *nbuf;
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (cap - used < 2) {
			if (max && cap >= max) {
				free(buf);
				return -EFBIG;
			}
			nbuf = realloc(buf, cap * 2);
			if (!nbuf) {
				free(buf);
				return -ENOMEM;
			}
			buf = nbuf;
			cap *= 2;
		}
		n = read(fd, buf + used, cap - used - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -errno;
			free(buf);
			return (int)n;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	buf[used] = '\0';
	*out = buf;
	if (len)
		*len = used;
	return 0;
}

static int run_live(char *const argv[], char **out, size_t *len)
{
	posix_spawn_file_actions_t fa;
	int pfd[2], status, rc;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC))
		return -errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	rc = -posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	if (rc) {
		close(pfd[0]);
		return rc == -ENOENT ? -ENOEXEC : rc;
	}
	rc = sr_read_fd(pfd[0], 0, out, len);
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (!rc && (!WIFEXITED(status) || WEXITSTATUS(status))) {
		free(*out);
		rc = -ENOEXEC;
	}
	return rc;
}

int sr_run(const char *as, char *const argv[], char **out)
{
	char failed[4096];
	size_t len = 0;
	int rc;

	/* A failed run is kept as AS.failed (empty): the replay fails the same way. */
	if ((size_t)snprintf(failed, sizeof(failed), "%s.failed", as) >= sizeof(failed))
		return -ENAMETOOLONG;
	if (root) {
		rc = sr_read_text(as, out, NULL);
		return rc == -ENOENT && sr_exists(failed) ? -ENOEXEC : rc;
	}
	rc = run_live(argv, out, &len);
	if (recorder && !rc)
		recorder(recorder_arg, as, SR_RUN, *out, len);
	else if (recorder && rc == -ENOEXEC)
		recorder(recorder_arg, failed, SR_RUN, "", 0);
	return rc;
}

int sr_ask(const char *as, sr_ask_fn fn, void *arg, char **out)
{
	size_t len = 0;
	int rc;

	if (root)
		return sr_read_text(as, out, NULL);
	rc = fn(arg, out, &len);
	if (recorder && !rc)
		recorder(recorder_arg, as, SR_RUN, *out, len);
	return rc;
}
