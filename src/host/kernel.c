// SPDX-License-Identifier: GPL-2.0-or-later
/* The kernel's release, command line and module parameters, read through the sysroot seam. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "host/kernel.h"
#include "lib/error.h"
#include "host/sysroot.h"
#include "model/account.h"
#include "lib/util.h"

int kver_read(struct kver *kv, char *release, size_t size)
{
	int rc = sr_read_line("/proc/sys/kernel/osrelease", release, size);

	if (rc)
		return rc;
	return kver_parse(release, kv);
}

void kernel_cmdline(char *buf, size_t size)
{
	if (sr_read_line("/proc/cmdline", buf, size))
		buf[0] = '\0';
}

int module_param(const char *mod, const char *param, char *val, size_t size)
{
	char path[160];

	snprintf(path, sizeof(path), "/sys/module/%s/parameters/%s", mod, param);
	return sr_read_line(path, val, size);
}

int module_param_bool(const char *mod, const char *param)
{
	char v[16];
	int rc = module_param(mod, param, v, sizeof(v));

	if (rc)
		return rc;
	return v[0] == 'Y' || v[0] == 'y' || v[0] == '1';
}

bool host_is_live(void)
{
	return sr_live();
}

int host_tree_check(int exit_code)
{
	if (sr_live() || sr_exists("/sys"))
		return 0;
	err_set(exit_code, "sysroot %s has no sys/ directory: not a captured tree", sr_root());
	return -ENOENT;
}
