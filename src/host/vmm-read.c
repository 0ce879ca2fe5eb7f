// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/sysroot.h"
#include "host/vmm-read.h"

#define VMM_FILE_MAX (64UL << 20)

int vmm_read_cmdline(pid_t pid, char **buf, size_t *len)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	return sr_read_text(path, buf, len);
}

static int read_fd(int fd, char **out, size_t *len)
{
	size_t cap = 65536, used = 0;
	char *buf = malloc(cap), *nbuf;
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (cap - used < 2) {
			if (cap > VMM_FILE_MAX) {
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
	*len = used;
	return 0;
}

int vmm_read_file(const char *path, char **buf, size_t *len)
{
	struct stat st;
	int fd, rc;

	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY) : 0;
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
	} else if (!S_ISREG(st.st_mode) && !(fd == 0 && (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)))) {
		rc = -EINVAL;
	} else {
		rc = read_fd(fd, buf, len);
	}
	if (fd)
		close(fd);
	return rc;
}
