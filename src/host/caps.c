// SPDX-License-Identifier: GPL-2.0-or-later
/* A binary's file capabilities through libcap: cap_ipc_lock in the effective set (+ep). */
#include <errno.h>
#include <string.h>
#include <sys/capability.h>

#include "host/caps.h"
#include "host/sysroot.h"

void file_caps_read(struct file_caps *fc, const char *binary)
{
	cap_flag_value_t v = CAP_CLEAR;
	char path[1024];
	cap_t caps;

	memset(fc, 0, sizeof(*fc));
	fc->binary = binary;
	if (!binary)
		return;
	fc->rc = sr_path(path, sizeof(path), "%s", binary);
	if (fc->rc)
		return;
	caps = cap_get_file(path);
	if (!caps) {
		/* ENODATA: a file without capabilities */
		fc->rc = errno == ENODATA ? 0 : -errno;
		return;
	}
	cap_get_flag(caps, CAP_IPC_LOCK, CAP_EFFECTIVE, &v);
	cap_free(caps);
	fc->ipc_lock = v == CAP_SET;
}
