// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/mounts.h"
#include "host/sysroot.h"
#include "model/classify.h"

/*
 * "36 35 259:1 / /mnt rw,relatime shared:1 - ext4 /dev/pmem1 rw,dax":
 * ext4 and xfs show dax in the super options after " - " (dax or
 * dax=always); the per-mount options are checked too.
 */
int mountinfo_line_dax(const char *line, unsigned *major, unsigned *minor)
{
	char mopts[512], fstype[64], source[256], sopts[512];
	const char *sep;
	int n = 0;

	if (sscanf(line, "%*u %*u %u:%u %*s %*s %511s%n", major, minor, mopts, &n) != 3)
		return -EINVAL;
	sep = strstr(line + n, " - ");
	if (!sep)
		return -EINVAL;
	sopts[0] = '\0';
	if (sscanf(sep + 3, "%63s %255s %511s", fstype, source, sopts) < 2)
		return -EINVAL;
	return mount_opts_dax(mopts) || mount_opts_dax(sopts);
}

int dax_mounts_read(const char *pid, struct dax_mounts *out)
{
	char path[64], *line = NULL;
	size_t cap = 0;
	unsigned ma, mi;
	FILE *f;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	snprintf(path, sizeof(path), "/proc/%s/mountinfo", pid);
	f = sr_fopen(path);
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while (getline(&line, &cap, f) > 0) {
		if (mountinfo_line_dax(line, &ma, &mi) != 1 || out->n == DAX_MOUNTS_MAX)
			continue;
		out->dev[out->n].major = ma;
		out->dev[out->n].minor = mi;
		out->n++;
	}
	if (ferror(f))
		rc = -EIO;
	free(line);
	fclose(f);
	return rc;
}

bool dax_mounts_has(const struct dax_mounts *m, unsigned major, unsigned minor)
{
	unsigned i;

	for (i = 0; i < m->n; i++)
		if (m->dev[i].major == major && m->dev[i].minor == minor)
			return true;
	return false;
}
