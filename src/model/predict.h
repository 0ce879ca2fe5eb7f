/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's charge rule, as a pure function: given what a range holds
 * before MAP_DMA (page classes, unpopulated bytes), the map flags, the
 * caller's CAP_IPC_LOCK and RLIMIT_MEMLOCK and the kernel version, what will
 * the kernel charge to which counter, and which errno will it answer?
 * One rule per backend mode: type1, and iommufd per-user, per-mm and through
 * its compat container (which is per-mm).
 */
#ifndef VP_PREDICT_H
#define VP_PREDICT_H

#include <stdbool.h>
#include <stdint.h>

#include "model/account.h"
#include "facts/dma.h"
#include "model/classify.h"

/*
 * What the vma is, where its page classes do not say it all.  map knows it
 * from the memory type it made; inspect from the vma (path, mount).
 */
enum mem_backing {
	MB_PLAIN,            /* the page classes say it all */
	MB_FSDAX,            /* a file on a dax mount (ext4/xfs -o dax) */
	MB_PFNMAP_RAM,       /* VM_PFNMAP over RAM with a normal struct page: vgem, udmabuf (6.11+), dma_heap */
	MB_PFNMAP_RESERVED,  /* VM_PFNMAP over reserved RAM: /dev/mem below 1 MiB */
	MB_SECRETMEM,        /* memfd_secret(2) */
};

struct predict_in {
	enum charge_rule rule;
	struct kver kv;
	unsigned flags;            /* BE_MAP_READ | BE_MAP_WRITE */
	/* The caller at MAP_DMA time. */
	bool cap_ipc_lock;
	bool limit_unlimited;
	uint64_t limit;            /* soft RLIMIT_MEMLOCK, bytes */
	uint64_t locked_vm;        /* VmLck before the map, bytes */
	uint64_t pinned_vm;        /* VmPin before the map, bytes */
	/*
	 * iommufd per-user: what this process has charged to its uid's
	 * locked_vm so far.  The kernel checks the uid's total, which other
	 * processes of the uid add to and no /proc file shows.
	 */
	uint64_t user_locked;
	/* The range. */
	uint64_t vaddr, iova, size;
	const struct class_bytes *cb;  /* classes of the present pages before the map */
	bool pfnmap;               /* a VM_PFNMAP vma (device BAR): cb holds the BAR's pfn classes */
	bool writable;             /* the vma allows writes (PROT_WRITE) */
	bool unpop_zero;           /* unpopulated pages are private anon: a read fault finds the zero page */
	bool file_dirty_tracked;   /* a shared file mapping whose filesystem tracks dirty pages (not tmpfs/hugetlbfs) */
	enum mem_backing backing;
	bool cow;                  /* a MAP_PRIVATE vma: its non-anon pages (page cache, zero, reserved) are COW */
	/*
	 * Present anon pages whose pfn the range maps more than once and that are
	 * not the zero page: KSM-merged pages.  (6.12 sets KPF_KSM on every anon
	 * page, so the flag cannot say it.)
	 */
	uint64_t shared_bytes;
	uint64_t movable_bytes;    /* present pages in ZONE_MOVABLE (/proc/zoneinfo) */
	/* The container. */
	bool iova_usable;          /* inside the usable IOVA ranges (not reserved, e.g. MSI) */
	bool iova_overlaps;        /* overlaps an existing mapping of this container */
	bool dma_avail_known;
	uint32_t dma_avail;        /* mappings left (dma_entry_limit) */
};

struct predict_out {
	uint64_t charge[CNT_NR];   /* bytes charged per counter (0 when err: MAP_DMA is all-or-nothing) */
	/*
	 * Bytes the map charges against RLIMIT_MEMLOCK without CAP_IPC_LOCK if
	 * it gets through: type1's VmLck charge; iommufd's pinned bytes.
	 */
	uint64_t needs;
	int err;                   /* 0, or the -errno the kernel will answer */
	/*
	 * Another answer state we cannot see may bring: -ENOMEM in iommufd's
	 * per-user mode, when other processes of the uid hold more than
	 * user_headroom of the budget.  0 when the prediction is exact.
	 */
	int err_possible;
	uint64_t user_headroom;    /* per-user: limit - this process's charges - this map */
	uint64_t unpopulated;      /* bytes GUP will fault in */
	uint64_t uncertain;        /* bytes of unknown class, counted as charged */
	uint64_t need_limit;       /* smallest RLIMIT_MEMLOCK under which the map succeeds (per-user: as far as this process knows) */
	const char *rule;          /* the rule that decided, for the report */
	/*
	 * FOLL_PIN pins as /proc/vmstat counts them (nr_foll_pin_acquired and
	 * _released), in 4K pages.  pins_exact false: a refusal after some pins
	 * (ENOMEM) releases them all, how many is not modelled.
	 */
	uint64_t pins_map;         /* acquired during the map */
	uint64_t unpins_map;       /* released during the map (a migration drops its first pins) */
	uint64_t unpins_unmap;     /* released by the unmap */
	uint64_t pins_leaked;      /* never released: reserved pages type1 pinned (put_pfn skips them) */
	bool pins_exact;
	uint64_t pfns_changed;     /* bytes present before whose pfn after the map differs */
	const char *pfn_rule;      /* why they change ("" when none do) */
	/*
	 * false: the rule is read in kernel source only and was never measured
	 * (the iommufd column for the taxonomy's kinds): label it unverified.
	 */
	bool verified;
};

/* 0, or -EINVAL for an input it has no rule for (unknown backend rule). */
int predict_map(const struct predict_in *in, struct predict_out *out);

/* Are long-term write pins of dirty-tracked file mappings refused (6.5+)? */
bool kver_refuses_file_longterm_write(const struct kver *kv);
/* Does a READ-only long-term pin of the zero page get a fresh page (6.2+)? */
bool kver_ro_pin_unshares(const struct kver *kv);

/* The counter's name as /proc/PID/status spells it ("user" for the uid's hidden one). */
const char *counter_name(enum charge_counter c);
/* "type1", "iommufd-user", "iommufd-mm", "iommufd-compat". */
const char *rule_name(enum charge_rule r);
/* The counter RLIMIT_MEMLOCK is checked against without CAP_IPC_LOCK. */
enum charge_counter rule_limit_counter(enum charge_rule r);

/*
 * Why iommufd refuses a device BAR: the words of every EFAULT prediction
 * and message for a PFNMAP range under iommufd.
 */
#define IOMMUFD_PFNMAP_WHY "iommufd pins user memory with GUP and cannot map a VM_PFNMAP BAR (type1 maps it, uncharged)"

#endif
