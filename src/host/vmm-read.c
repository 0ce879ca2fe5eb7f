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
		rc = sr_read_fd(fd, VMM_FILE_MAX, buf, len);
	}
	if (fd)
		close(fd);
	return rc;
}
