// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * module_vfio, module_iommu_backend, module_vfio_pci, module_params:
 * host/modules.c gathers (one libkmod context), model/judge-modules.c judges.
 */
#include <errno.h>

#include "check/check.h"
#include "host/modules.h"
#include "host/vfio-nodes.h"
#include "lib/util.h"

int check_modules(struct check_ctx *c)
{
	struct check_facts *f = &c->f;
	struct mod_info *mods[] = { &f->vfio, &f->type1, &f->iommufd, &f->vfio_pci };
	struct check_result *r;

	f->vfio.name = "vfio";
	f->type1.name = "vfio_iommu_type1";
	f->iommufd.name = "iommufd";
	f->vfio_pci.name = "vfio_pci";
	modules_read(mods, ARRAY_SIZE(mods), f->release);
	module_params_read(&f->params);
	f->have_dma_limit = f->params.have_dma_limit;
	f->dma_entry_limit = f->params.dma_entry_limit;
	backend_host_read(&f->nodes);

	if (!(r = check_add(&c->l, "module_vfio", NULL)))
		return -ENOMEM;
	judge_module(&f->vfio, "the VFIO core", "vfio", "CONFIG_VFIO", r);
	if (!(r = check_add(&c->l, "module_iommu_backend", NULL)))
		return -ENOMEM;
	judge_module_backend(&f->type1, &f->iommufd, f->nodes.dev_iommu, r);
	if (!(r = check_add(&c->l, "module_vfio_pci", NULL)))
		return -ENOMEM;
	judge_module(&f->vfio_pci, "the vfio-pci driver", "vfio-pci", "CONFIG_VFIO_PCI", r);
	if (!(r = check_add(&c->l, "module_params", NULL)))
		return -ENOMEM;
	judge_module_params(&f->params, &f->vfio, &f->type1, &f->vfio_pci, f->cmdline, r);
	return 0;
}
