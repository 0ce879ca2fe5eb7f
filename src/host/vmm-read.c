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
#include "facts/vmm.h"

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

/* QEMU's default data directory on Debian (-L): where a bare ROM name is found. */
#define QEMU_DATADIR "/usr/share/qemu"

static int64_t file_size(const char *name)
{
	char path[VMM_PATH_MAX + 32];
	struct stat st;
	int64_t size;
	int fd;

	if (name[0] == '/')
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), QEMU_DATADIR "/%s", name);
	/*
	 * Opened, not only stat()ed: `capture` then keeps the file itself, so a
	 * replay sizes what the live run sized.  open follows links (Debian's
	 * /usr/share/qemu/bios-256k.bin points into /usr/share/seabios).
	 */
	fd = sr_open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	size = fstat(fd, &st) || !S_ISREG(st.st_mode) ? -1 : (int64_t)st.st_size;
	close(fd);
	return size;
}

void vmm_firmware_read(const struct vmm_config *c, struct vmm_firmware *fw)
{
	int i;

	if (fw->bios_path[0])
		fw->bios = file_size(fw->bios_path);
	for (i = 0; i < c->npflash && i < VMM_MAX_PFLASH; i++)
		fw->pflash[i] = file_size(c->pflash[i]);
	for (i = 0; i < c->ndevices && i < VMM_MAX_DEVICES; i++)
		if (c->devices[i].romfile[0])
			fw->romfile[i] = file_size(c->devices[i].romfile);
}
