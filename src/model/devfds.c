// SPDX-License-Identifier: GPL-2.0-or-later
#include <string.h>

#include "lib/util.h"
#include "model/devfds.h"

static bool named(const struct vfio_fds *f, const char *bdf)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->v[i].bdf[0] && !strcmp(f->v[i].bdf, bdf))
			return true;
	return false;
}

/* The one BDF of list not named yet, or NULL (none, or two different ones). */
static const char *single(const struct vfio_fds *f, const char (*list)[16], size_t n)
{
	const char *one = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!list[i][0] || named(f, list[i]))
			continue;
		if (one && strcmp(one, list[i]))
			return NULL;
		one = list[i];
	}
	return one;
}

void devfds_name(struct vfio_fds *f, const char (*bar)[16], size_t nbar,
		 const char (*grp)[16], size_t ngrp)
{
	struct vfio_fd *left = NULL;
	const char *bdf;
	size_t i, unnamed = 0;

	for (i = 0; i < f->n; i++)
		if ((f->v[i].kind == VFD_DEVICE || f->v[i].kind == VFD_CDEV) && !f->v[i].bdf[0]) {
			left = &f->v[i];
			unnamed++;
		}
	if (unnamed != 1 || left->kind != VFD_DEVICE)
		return;
	if ((bdf = single(f, bar, nbar))) {
		str_copy(left->bdf, sizeof(left->bdf), bdf);
		left->bdf_source = "bar-mmap";
	} else if ((bdf = single(f, grp, ngrp))) {
		str_copy(left->bdf, sizeof(left->bdf), bdf);
		left->bdf_source = "group";
	}
}
