// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <ctype.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "host/sysroot.h"

static const char *root;

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
	return real_path(buf, size, logical);
}

int sr_open(const char *path, int flags)
{
	char p[4096];
	int fd, rc = real_path(p, sizeof(p), path);

	if (rc)
		return rc;
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
	return fopen(p, "re");
}

DIR *sr_opendir(const char *path)
{
	char p[4096];

	if (real_path(p, sizeof(p), path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return opendir(p);
}

int sr_stat(const char *path, struct stat *st)
{
	char p[4096];
	int rc = real_path(p, sizeof(p), path);

	if (rc)
		return rc;
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
	n = readlink(p, buf, size - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

int sr_read_text(const char *path, char **out, size_t *len)
{
	size_t cap = 4096, used = 0;
	char *buf, *nbuf;
	ssize_t n;
	int fd, rc = 0;

	fd = sr_open(path, O_RDONLY);
	if (fd < 0)
		return fd;
	buf = malloc(cap);
	if (!buf) {
		rc = -ENOMEM;
		goto out;
	}
	for (;;) {
		if (cap - used < 2) {
			nbuf = realloc(buf, cap * 2);
			if (!nbuf) {
				rc = -ENOMEM;
				goto out;
			}
			buf = nbuf;
			cap *= 2;
		}
		n = read(fd, buf + used, cap - used - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			goto out;
		}
		if (n == 0)
			break;
		used += n;
	}
	buf[used] = '\0';
	*out = buf;
	buf = NULL;
	if (len)
		*len = used;
out:
	free(buf);
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
