// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * probe (--probe): a real DMA map and unmap of a small buffer through each
 * checked device's group, with the charge verified in VmLck.  Waits for the
 * DMA backend (backend.h) to land.
 */
#include <errno.h>

#include "check.h"

int check_probe(struct check_ctx *c)
{
	struct check_result *r;

	if (!c->o->probe)
		return 0;
	r = check_add(&c->l, "probe", NULL);
	if (!r)
		return -ENOMEM;
	check_set(r, ST_UNKNOWN, "this build has no DMA-mapping backend: --probe cannot map");
	return 0;
}
