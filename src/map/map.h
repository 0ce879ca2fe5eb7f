/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * map: the report model shared by the session (map-run.c, in this process or
 * in a --user child, map-user.c), the command (cmd-map.c) and the renderers
 * (render-map.c).  Plain data: a --user child sends rows to its parent as is.
 */
#ifndef VP_MAP_H
#define VP_MAP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "model/account.h"
#include "map/backend.h"
#include "model/classify.h"
#include "map/mem.h"
#include "facts/pci.h"
#include "model/predict.h"

#define MAP_MAX_REGIONS 64
#define MAP_MAX_REPEAT  100000

/* What the user asked for. */
struct map_plan {
	struct mem_spec specs[MAP_MAX_REGIONS];
	uint64_t sizes[MAP_MAX_REGIONS];   /* resolved sizes (0: a whole BAR) */
	int nspecs;
	unsigned repeat;
	bool hold;
	bool time;                         /* --time: time every map and unmap */
	bool memlock_set;
	uint64_t memlock;
	const char *user;                  /* --user, or NULL */
	const struct pci_dev_info *dev;    /* the device (BARs) */
	const char *backend_requested;     /* --backend: auto, type1, iommufd */
	const char *backend_reason;        /* why the backend that serves the run was chosen */
};

/* One MAP_DMA: region `region`, pass `pass` (1..repeat). */
struct map_row {
	int index;               /* position in rows[] */
	int region;
	int pass;
	enum mem_type type;
	int bar;
	uint64_t vaddr, iova, size;
	unsigned flags;          /* BE_MAP_* */
	struct class_bytes before, after;
	struct predict_out pred;
	int64_t measured[CNT_NR];   /* VmLck/VmPin delta around the ioctl, bytes (CNT_USER: not observable, 0) */
	uint64_t locked_before;     /* VmLck before the ioctl */
	uint64_t pinned_before;     /* VmPin before the ioctl */
	uint64_t user_before;       /* per-user: this process's own charges to its uid before the ioctl */
	/*
	 * iommufd per-user: ENOMEM that this process's own charges do not
	 * explain, so other processes of the uid hold the budget (pred.err_possible).
	 */
	bool shared_budget;
	int err;                 /* the kernel's answer: 0 or -errno */
	int unmap_err;
	/*
	 * --time: wall times (ns) of the region's allocation and pre-fault (its
	 * first pass only; 0 on later passes), of the map ioctl and of the unmap
	 * ioctl (0 until unmapped); with what the pin walked.
	 */
	uint64_t fault_ns, map_ns, unmap_ns;
	/*
	 * type1 pins in batches: pin_user_pages_remote() for up to 512 pages a
	 * call (5.13+, vfio_batch; one page a call before, and with
	 * disable_hugepages=Y).  No interface shows the calls: predicted from
	 * that rule, -1 where it does not apply (BARs, iommufd).
	 */
	int64_t pin_batches;
	/*
	 * Page-table leaf entries the walk visits: one per 4K page, per THP or
	 * 2M hugetlb page, per 1G hugetlb page: from the classes seen before
	 * the map (derived, not counted); -1 for a BAR.
	 */
	int64_t walk_leaves;
	/*
	 * Physically contiguous runs of the pinned pfns (pagemap after the map):
	 * type1 issues one iommu_map() per run.  -1 when pfns are hidden
	 * (no CAP_SYS_ADMIN: --user) or for a BAR.
	 */
	int64_t iommu_chunks;
	bool attempted, mapped, agree;
	/*
	 * FOLL_PIN counters (/proc/vmstat, system-wide, 4K pages) around the
	 * ioctl, and pfn identity: what pagemap shows before and after.
	 */
	bool pins_known, unpins_known;
	uint64_t pin_acq, pin_rel;        /* during the map */
	uint64_t unpin_acq, unpin_rel;    /* during the unmap */
	bool pfns_known;                  /* pfns visible before and after (root), not a PFNMAP */
	uint64_t pfns_changed;            /* bytes whose pfn changed */
	uint64_t shared_bytes, movable_bytes;   /* measured before the map: KSM-merged, in ZONE_MOVABLE */
};

struct map_state {
	char backend[16];        /* "type1", "iommufd", "iommufd-compat"; "" until chosen */
	char backend_requested[16];
	char backend_reason[256];
	enum charge_counter counter;
	enum charge_rule rule;
	unsigned rlimit_mode;    /* BE_RLIMIT_USER or _MM under iommufd, 0 type1 */
	char device[16];
	char device_name[160];
	int group;
	char release[80];
	struct kver kv;
	int pid;                 /* the process that maps (this one, or the --user child) */
	unsigned uid;
	char user[64];
	struct backend_info info;
	unsigned repeat;
	/* RLIMIT_MEMLOCK and CAP_IPC_LOCK as the mapping process has them. */
	bool memlock_set;
	bool limit_unlimited;
	uint64_t limit;
	bool cap_ipc_lock;
	/* VmLck/VmPin (bytes) at the start, after allocating, at the end. */
	uint64_t base_lck, base_pin, alloc_lck, final_lck, final_pin, peak_lck, peak_pin;
	/* iommufd per-user: what this process has charged to its uid so far (predicted: no file shows it). */
	uint64_t user_charged, peak_user;
	long hp_before[2], hp_after[2];   /* free 2M / 1G huge pages */
	/* The plan: predictions for every row before the first ioctl. */
	uint64_t need_bytes;     /* RLIMIT_MEMLOCK that lets every map through */
	int plan_fail_row;       /* first row predicted to fail, -1 */
	int plan_fail_err;
	int nrows;               /* rows planned */
	bool held, interrupted, done;
	bool timed;              /* --time */
	bool disable_hugepages;  /* vfio_iommu_type1 disable_hugepages=Y: one page a pin batch */
	bool baseline_restored;
	int unmap_errors;
	/*
	 * Pins: leaked = taken by the maps and not given back by the unmaps
	 * (measured, 4K pages); predicted from the kernel's rule.  Exact only
	 * after stat_refresh, and only if nobody else pins meanwhile:
	 * pins_concurrent says the counters moved while this process pinned
	 * nothing.  pins_after_free: released by munmap/close after the unmaps.
	 */
	bool pins_known, pins_refreshed, pins_concurrent;
	bool counters_restored;  /* VmLck, VmPin, huge pages back (baseline_restored also needs no leaked pin) */
	uint64_t pins_leaked, pins_leaked_predicted, pins_after_free;
	uint64_t pins_alloc;     /* taken while allocating: udmabuf pins its memfd's pages itself (6.12) */
	bool pins_mark;          /* the counters after allocating, compared before the first map */
	uint64_t pins_mark_acq, pins_mark_rel;
};

struct map_report {
	struct map_state st;
	struct map_row *rows;
	size_t cap;
};

/* Events the session reports while it runs. */
enum map_event {
	ME_PLAN,     /* every row planned and predicted, nothing mapped */
	ME_ROW,      /* one row mapped (or refused) */
	ME_HOLD,     /* everything mapped; waiting for SIGINT/SIGTERM */
	ME_END,      /* everything released */
};

struct map_hooks {
	/* Classes of [start, end) of the mapping process (pagemap + kpageflags). */
	int (*classify_range)(void *arg, uint64_t start, uint64_t end, struct class_bytes *out);
	/* Classes of physical pfns (BARs, from the sysfs resource). */
	int (*classify_pfns)(void *arg, uint64_t pfn, uint64_t npages, struct class_bytes *out);
	int (*event)(void *arg, enum map_event ev, struct map_report *r, int row);
	void *arg;
};

/* The signal that asked us to stop (0: none).  Set by cmd-map.c's handler. */
extern volatile sig_atomic_t map_stop_signal;

int map_report_grow(struct map_report *r, size_t n);
void map_report_free(struct map_report *r);

/* Allocate, predict, map, measure, (hold), unmap, free.  Always releases what it took. */
int map_session(const struct map_plan *p, struct backend *be, struct map_report *r,
		const struct map_hooks *h);
/* Classes of pfns from /proc/kpageflags (a BAR's pfns are "invalid": no struct page). */
struct kpf_reader;
int map_classify_pfns(struct kpf_reader *kpf, uint64_t pfn, uint64_t npages, struct class_bytes *out);
/* "anon", "bar0", ... */
void map_row_type(const struct map_row *row, char *buf, size_t size);
/* One line naming the kernel's answer for a row, its cause and the fix. */
void map_row_message(const struct map_report *r, const struct map_row *row, char *buf, size_t size);
/* The ioctl that maps: "MAP_DMA" (type1 and the compat container) or "IOAS_MAP". */
const char *map_ioctl_name(const struct map_state *st);
/*
 * The per-user caveat (iommufd's default accounting without CAP_IPC_LOCK):
 * what the budget is, what map verifies and what it cannot.  "" otherwise.
 */
void map_budget_note(const struct map_state *st, char *buf, size_t size);

/* --user: run the session in a child as that user, without capabilities. */
int map_user_run(const struct map_plan *p, struct backend *be, struct map_report *r,
		 const struct map_hooks *front);
/* Make this process an unprivileged VMM: RLIMIT_MEMLOCK, no CAP_IPC_LOCK (in-process --memlock). */
int map_limit_self(uint64_t memlock);

/* render-map.c */
struct map_out {
	bool json, bytes;
	FILE *out;
};
void map_render_hold(const struct map_out *o, const struct map_report *r);
void map_render_end(const struct map_out *o, const struct map_report *r, int exit_code,
		    const char *message);

#endif
