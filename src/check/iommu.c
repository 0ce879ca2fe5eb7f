// SPDX-License-Identifier: GPL-2.0-or-later
/* iommu_enabled and interrupt_remapping: host/platform.c gathers, model/judge-iommu.c judges. */
#include <errno.h>

#include "check/check.h"
#include "host/platform.h"

int check_iommu(struct check_ctx *c)
{
	struct iommu_facts f;
	struct check_result *r;

	platform_read(&f);
	c->f.ngroups = f.ngroups;
	r = check_add(&c->l, "iommu_enabled", NULL);
	if (!r)
		return -ENOMEM;
	c->f.iommu_on = judge_iommu_enabled(&f, c->f.cmdline, r);
	r = check_add(&c->l, "interrupt_remapping", NULL);
	if (!r)
		return -ENOMEM;
	judge_intremap(&f, c->f.cmdline, c->f.iommu_on, r);
	/* what --nfd labels: read only when an IOMMU is on, as the check does */
	c->f.have_intremap = c->f.iommu_on && !f.interrupts_rc;
	c->f.intremap = c->f.have_intremap && f.ir;
	return 0;
}
