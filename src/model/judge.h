/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The check judges: one pure function per check (facts in, the verdict's
 * status, finding and fix out).  No I/O: host/ gathers the facts, check/
 * calls the gatherer, the judge, and appends the verdict.
 */
#ifndef VP_MODEL_JUDGE_H
#define VP_MODEL_JUDGE_H

#include <stdbool.h>
#include <stddef.h>

#include "facts/pci.h"
#include "model/groups.h"
#include "facts/backends.h"
#include "facts/check.h"
#include "facts/contexts.h"
#include "facts/devices.h"
#include "facts/iommu.h"
#include "facts/memory.h"
#include "facts/modules.h"
#include "facts/probe.h"
#include "facts/target.h"
#include "model/need.h"
#include "model/vmm.h"
#include "model/predict.h"
#include "model/verdict.h"

/* judge-iommu.c: iommu_enabled (returns whether DMA remapping is in effect), interrupt_remapping. */
bool judge_iommu_enabled(const struct iommu_facts *f, const char *cmdline, struct check_result *r);
void judge_intremap(const struct iommu_facts *f, const char *cmdline, bool iommu_on,
		    struct check_result *r);

/* judge-modules.c */
const char *mod_state_name(enum mod_state s);
const char *mod_state_text(const struct mod_info *m);
bool mod_present(const struct mod_info *m);      /* loaded or built in */
/* module_vfio, module_vfio_pci: what the module is for, its modprobe name, its Kconfig symbol. */
void judge_module(const struct mod_info *m, const char *what, const char *modprobe_name,
		  const char *config, struct check_result *r);
void judge_module_backend(const struct mod_info *type1, const struct mod_info *iommufd, bool dev_iommu,
			  struct check_result *r);
void judge_module_params(const struct module_params *p, const struct mod_info *vfio,
			 const struct mod_info *type1, const struct mod_info *vfio_pci,
			 const char *cmdline, struct check_result *r);

/* judge-backends.c */
const char *check_backend_name(enum check_backend b);   /* "type1", "iommufd", "iommufd-compat" */
enum container_kind container_inferred(const struct backend_host *h, const struct mod_info *type1,
				       const struct mod_info *iommufd);
void backend_offer_build(enum container_kind container, bool dev_iommu, const struct pci_entry *devs,
			 size_t ndevs, struct backend_offer *o);
/* The backend the VMM uses (fills o->why). */
enum check_backend backend_resolve(enum check_backend asked, struct backend_offer *o);
void judge_backends(const struct backend_offer *o, enum check_backend b, struct check_result *r);

/* judge-devices.c */
void judge_device_list(int rc, struct check_result *r);   /* rc of listing, or 0: none bound */
void judge_bound(const struct pci_entry *e, struct check_result *r);
void judge_no_group(const struct pci_entry *e, struct check_result *r);
void judge_group_unreadable(int group, int rc, struct check_result *r);
void judge_group(const struct iommu_group *g, struct check_result *r);
bool can_open_rw(const struct dev_node *n, const struct target *t);
void judge_access(const struct group_access *a, const struct target *t, struct check_result *r);

/* judge-memory.c */

/* What the VMM's own configuration and process say about its memory (all zero: nothing read). */
struct vmm_side {
	bool known;                /* a VMM configuration was read */
	bool running;              /* --pid: it runs; its limit is in force, its pages are its own */
	bool hugetlb;              /* its guest RAM is on huge pages ... */
	bool hugetlb_inferred;     /* ... inferred from a mem-path */
	uint64_t hugetlb_held;     /* running: HugetlbPages of the process */
	const char *manager;       /* the manager whose rule sets the limit, NULL none known */
	struct vmm_ceiling ceil;   /* its ceiling (VMM_CEIL_NO_CHANGE: none) */
};

void judge_hugepages(const struct hugepool *pools, size_t npools, const struct check_opts *o,
		     const struct vmm_side *v, struct check_result *r);
/* The memlock need under each backend (BE_TYPE1 .. BE_IOMMUFD_COMPAT); base carries what
 * the options do not (contexts and ROMs read from the VMM, the kernel, DPDK's memseg size). */
void check_needs(const struct check_opts *o, const struct pci_entry *devs, size_t ndevs,
		 const struct need_in *base, struct need_out needs[BE_NR]);
/* The limit in force against the need, side by side with the manager's ceiling. */
void judge_memlock(const struct target *t, const struct need_out *need, enum check_backend b,
		   const struct check_opts *o, const struct vmm_side *v, struct check_result *r);
/* The limit the VMM maps under: the target's soft limit, raised by a manager that only ever
 * raises it when the VMM is not running yet.  UINT64_MAX: unlimited. */
uint64_t memlock_in_force(const struct target *t, const struct vmm_side *v);
void judge_dma(const struct module_params *p, const struct need_out *n, enum check_backend b,
	       const struct check_opts *o, struct check_result *r);
/*
 * judge-contexts.c: dma_entries of a running VMM from its live contexts
 * (facts/contexts.h).  false: no live answer to judge (the caller judges as
 * before, then judge_dma_live_note() says why the live ones were not read).
 */
bool judge_dma_live(const struct vfio_contexts *x, struct check_result *r);
/* fds_err: the errno reading /proc/PID/fd failed with (0: read). */
void judge_dma_live_note(const struct vfio_contexts *x, int fds_err, struct check_result *r);

/* judge-probe.c */
void judge_probe_none(bool live, struct check_result *r);
void judge_probe_unusable(const char *bdf, struct check_result *r);
void judge_probe_open(const char *bdf, const char *backend, int rc, const char *why, struct check_result *r);
void judge_probe_map_failed(const struct probe_run *p, int rc, struct check_result *r);
void judge_probe_unmap_failed(const struct probe_run *p, int rc, struct check_result *r);
void judge_probe(const struct probe_run *p, const struct predict_out *pred, struct check_result *r);

#endif
