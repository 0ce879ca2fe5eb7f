/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * check: the run shared by the topics (the files of check/), the command (cmd-check.c)
 * and the renderers (render/check.c).  Each topic calls its host/ gatherer,
 * the pure judge of model/judge-*.c, and appends the verdict (model/verdict.h).
 */
#ifndef VP_CHECK_H
#define VP_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "facts/backends.h"
#include "facts/check.h"
#include "facts/iommu.h"
#include "facts/kver.h"
#include "facts/memory.h"
#include "facts/modules.h"
#include "facts/pci.h"
#include "facts/target.h"
#include "model/account.h"
#include "model/cmdline.h"
#include "model/groups.h"
#include "model/judge.h"
#include "model/need.h"
#include "model/verdict.h"
#include "model/vmm.h"

struct check_facts {
	bool live;                 /* the live system, not a captured tree (--probe needs it) */
	char release[80];
	struct kver kv;
	bool kv_known;
	char cmdline[2048];
	int ngroups;               /* IOMMU groups, -1 unknown */
	bool iommu_on;             /* DMA remapping in effect */
	bool have_intremap;        /* /proc/interrupts was read (with an IOMMU on) */
	bool intremap;             /* IR- irq chips: interrupt remapping in effect */
	struct mod_info vfio, type1, iommufd, vfio_pci;
	struct module_params params;
	struct backend_host nodes;    /* /dev/vfio/vfio, /dev/iommu (read by check_modules) */
	enum check_backend backend;   /* resolved (check/backends.c) */
	struct backend_offer offer;
	bool have_dma_limit;
	uint64_t dma_entry_limit;
	struct pci_entry *devs;    /* the devices checked */
	size_t ndevs;
	bool devs_default;         /* no --device: every vfio-pci device */
	bool devs_picked;          /* devs is final (check_pick_devices ran) */
	int pick_rc;
	struct target tgt;
	bool have_need;
	struct need_out need;             /* of the backend in use */
	struct need_out needs[BE_NR];     /* of each backend (BE_TYPE1 .. BE_IOMMUFD_COMPAT) */
	struct hugepool *pools;
	size_t npools;
	int probed;                /* devices probed */
	/* The VMM's own configuration (check/vmm.c): --pid's /proc/PID/cmdline,
	 * --qemu-cmdline, --domain-xml.  vmm NULL: none read. */
	struct vmm_config *vmm;
	bool vmm_looked;           /* --pid: its command line was read for a VMM */
	char vmm_note[400];        /* not recognised, or which options override it */
	struct vmm_derived vd;
	struct vmm_firmware fw;
	uint64_t rom_bytes;        /* ROM bytes per context this kernel charges */
	uint64_t ram_hidden;       /* guest RAM per context under the ROM windows, not mapped */
	uint64_t rom_at_realize;   /* ROM bytes per context charged while RAM is mapped whole (the peak) */
	char rom_how[256];
	struct vmm_side side;      /* for the memory judges */
	const char **vmm_devs;     /* the VMM's BDFs as o->devices, when no --device */
	unsigned vmm_contexts;     /* the VMM's contexts for the need, 0: from the options */
};

struct check_ctx {
	struct check_opts *o;
	struct check_facts f;
	struct check_list l;
};

/* The topics, in report order.  Each appends its results; returns 0 or -ENOMEM. */
int check_iommu(struct check_ctx *c);
int check_modules(struct check_ctx *c);
int check_pick_devices(struct check_ctx *c);  /* devs: the --device list or every vfio-pci device; adds no result */
int check_backends(struct check_ctx *c);  /* resolves c->f.backend; needs the devices */
int check_devices(struct check_ctx *c);
int check_target(struct check_ctx *c);    /* resolves c->f.tgt; adds no result */
/* Reads the VMM's configuration; fills what the options leave unset.  Adds no result;
 * -EINVAL with err_set (exit 6) for a --qemu-cmdline/--domain-xml that is no VMM's. */
int check_vmm(struct check_ctx *c);
int check_memory(struct check_ctx *c);
int check_probe(struct check_ctx *c);

/* Render: text or JSON on out; Prometheus textfile (atomic). */
int render_check(const struct check_ctx *c, FILE *out);
int render_check_prometheus(const struct check_ctx *c, const char *path);

#endif
