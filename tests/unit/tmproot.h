/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A temporary sysroot for unit tests that read through the seam: made under
 * /tmp with the directories a test needs, set with sr_set_root(), removed
 * whole afterwards.  Included by one test file each (static state).
 */
#ifndef VP_TEST_TMPROOT_H
#define VP_TEST_TMPROOT_H

#define _XOPEN_SOURCE_EXTENDED 1
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "host/sysroot.h"

static char root[64];  /* sr_set_root() keeps the pointer */

static int tmproot_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

/* /tmp/vp-unit-TAG.XXXXXX with dirs (NULL-terminated, made in order) inside. */
static int tmproot_make(const char *tag, const char *const *dirs)
{
	char p[128];

	snprintf(root, sizeof(root), "/tmp/vp-unit-%s.XXXXXX", tag);
	if (!mkdtemp(root))
		return -1;
	for (; dirs && *dirs; dirs++) {
		snprintf(p, sizeof(p), "%s%s", root, *dirs);
		if (mkdir(p, 0755))
			return -1;
	}
	sr_set_root(root);
	return 0;
}

static int tmproot_remove(void)
{
	sr_set_root(NULL);
	return nftw(root, tmproot_rm, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
