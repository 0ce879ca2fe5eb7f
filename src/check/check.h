/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * check: the model shared by the gatherers (check-*.c), the command
 * (cmd-check.c) and the renderers (render-check.c).  Each check has a stable
 * id, an optional subject (a device, a group), a status, a one-line finding
 * and, when not PASS, the fix.
 */
#ifndef VP_CHECK_H
#define VP_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/account.h"
#include "map/backend.h"
#include "facts/pci.h"
#include "host/iommu.h"
#include "host/pci.h"
#include "model/groups.h"
#include "model/need.h"

enum check_status {
	ST_PASS,
	ST_WARN,
	ST_FAIL,
	ST_SKIP,      /* not applicable or not asked for */
	ST_UNKNOWN,   /* could not check (an error, a missing file) */
};

struct check_result {
	char id[32];
	char subject[32];
	enum check_status status;
	char finding[512];
	char fix[512];
};

struct check_list {
	struct check_result *v;
	size_t n, cap;
};

/* Append a result; NULL only when out of memory (then the run is UNKNOWN). */
struct check_result *check_add(struct check_list *l, const char *id, const char *subject);
void check_set(struct check_result *r, enum check_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void check_fix(struct check_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void check_list_free(struct check_list *l);

const char *check_status_name(enum check_status st);      /* "PASS" */
/* Prometheus value: 0 pass, 1 warn, 2 fail, 3 skip or unknown. */
int check_status_value(enum check_status st);
/* Monitoring-plugin exit code: 2 if any FAIL, else 3 if any UNKNOWN, else 1 if any WARN, else 0. */
int check_exit_code(const struct check_list *l);
const char *check_exit_name(int code);                     /* "OK" "WARNING" ... */

/*
 * The DMA backend a VMM uses: the type1 container, native iommufd
 * (/dev/iommu + the device cdev), or iommufd's compat container, which is
 * what "type1" gets on a kernel whose /dev/vfio/vfio is iommufd's.
 */
enum check_backend { BE_AUTO, BE_TYPE1, BE_IOMMUFD, BE_IOMMUFD_COMPAT, BE_NR };
enum check_format { CF_TEXT, CF_JSON };

struct check_opts {
	const char **devices;      /* --device, may be empty: every vfio-pci device */
	size_t ndevices;
	bool have_guest_mem;
	uint64_t guest_mem;
	uint64_t hugepage_size;    /* --hugepages SIZE, 0 = infer */
	uint64_t granularity;      /* --mapping-size SIZE, 0 = per RAM region */
	const char *user, *pid, *unit, *binary;
	bool viommu;
	enum check_backend backend;
	bool probe;
	enum check_format fmt;
	const char *prom_file;
	const char *nfd_file;      /* --nfd: node-feature-discovery feature file */
	bool quiet;
};

/* Where a kernel module stands. */
enum mod_state { MOD_MISSING, MOD_AVAILABLE, MOD_LOADED, MOD_BUILTIN, MOD_UNKNOWN };

struct mod_info {
	const char *name;          /* as /sys/module spells it: vfio_pci */
	enum mod_state state;
	char path[256];            /* .ko of an available module */
	bool looked_up;            /* the module tree was searched (false: a tree without /lib/modules) */
};

/* Whose limit and credentials the memory checks judge. */
enum target_kind { TGT_SELF, TGT_PID, TGT_USER, TGT_UNIT };

struct target {
	enum target_kind kind;
	char desc[128];            /* "process 123 (qemu-system-x86)", "user qemu", ... */
	bool known;                /* false: could not be resolved (see err) */
	char err[200];
	unsigned uid;
	unsigned gids[64];
	size_t ngids;
	bool have_limit;
	bool soft_inf, hard_inf;
	uint64_t soft, hard;       /* RLIMIT_MEMLOCK bytes */
	char limit_from[200];      /* where the limit comes from */
	bool have_caps;
	bool cap_ipc_lock;
	char cap_from[160];
	bool have_vmlck;
	uint64_t vm_lck;           /* --pid: VmLck now */
};

struct hugepool {
	unsigned size_kb;
	int node;                  /* -1: the global pool (no NUMA nodes in sysfs) */
	uint64_t total, free;
};

/* What the host offers (check-backends.c). */
struct backend_offer {
	enum container_kind container;   /* what /dev/vfio/vfio is */
	bool dev_iommu;                  /* /dev/iommu */
	size_t nvfio, ncdev;             /* checked vfio devices, and those with a cdev */
	char cdevs[256];                 /* "0000:00:03.0 vfio0, ..." */
	char nocdev[128];                /* the first checked vfio device without one */
	bool offered[BE_NR];             /* BE_TYPE1, BE_IOMMUFD, BE_IOMMUFD_COMPAT */
	char why[200];                   /* how the backend in use was chosen */
};

struct check_facts {
	char release[80];
	struct kver kv;
	bool kv_known;
	char cmdline[2048];
	int ngroups;               /* IOMMU groups, -1 unknown */
	bool iommu_on;             /* DMA remapping in effect */
	bool have_intremap;        /* /proc/interrupts was read (with an IOMMU on) */
	bool intremap;             /* IR- irq chips: interrupt remapping in effect */
	struct mod_info vfio, type1, iommufd, vfio_pci;
	enum check_backend backend;   /* resolved (check-backends.c) */
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
int check_memory(struct check_ctx *c);
int check_probe(struct check_ctx *c);

/* Modules: state of one, live through libkmod, under --sysroot from /sys/module. */
void module_state(struct mod_info *m, const char *release);
const char *mod_state_name(enum mod_state s);
const char *mod_state_text(const struct mod_info *m);

/* Small readers (check-sys.c). */
/* Value of KEY= on the kernel command line (last one wins, as the kernel does); 0 or -ENOENT. */
int cmdline_param(const char *cmdline, const char *key, char *val, size_t size);
/* Is the word (e.g. "nointremap") on the command line? */
bool cmdline_flag(const char *cmdline, const char *word);
/* /sys/module/MOD/parameters/PARAM as text; 0 or -errno. */
int module_param(const char *mod, const char *param, char *val, size_t size);
/* A bool parameter ("Y"/"N"/"1"/"0"): 1, 0, or -errno when unreadable. */
int module_param_bool(const char *mod, const char *param);

/* "type1", "iommufd", "iommufd-compat". */
const char *check_backend_name(enum check_backend b);

/* Render: text or JSON on out; Prometheus textfile (atomic). */
int render_check(const struct check_ctx *c, FILE *out);
int render_check_prometheus(const struct check_ctx *c, const char *path);

#endif
