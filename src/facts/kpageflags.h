/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/kpageflags bits: the kernel's uapi (include/uapi/linux/kernel-page-flags.h)
 * plus the "kernel hacking" bits from fs/proc/page.c.  The reader is host/kpageflags.c.
 */
#ifndef VP_FACTS_KPAGEFLAGS_H
#define VP_FACTS_KPAGEFLAGS_H

enum kpf_bit {
	KPF_LOCKED = 0, KPF_ERROR = 1, KPF_REFERENCED = 2, KPF_UPTODATE = 3,
	KPF_DIRTY = 4, KPF_LRU = 5, KPF_ACTIVE = 6, KPF_SLAB = 7,
	KPF_WRITEBACK = 8, KPF_RECLAIM = 9, KPF_BUDDY = 10, KPF_MMAP = 11,
	KPF_ANON = 12, KPF_SWAPCACHE = 13, KPF_SWAPBACKED = 14,
	KPF_COMPOUND_HEAD = 15, KPF_COMPOUND_TAIL = 16, KPF_HUGE = 17,
	KPF_UNEVICTABLE = 18, KPF_HWPOISON = 19, KPF_NOPAGE = 20, KPF_KSM = 21,
	KPF_THP = 22, KPF_OFFLINE = 23, KPF_ZERO_PAGE = 24, KPF_IDLE = 25,
	KPF_PGTABLE = 26,
	KPF_RESERVED = 32, KPF_MLOCKED = 33, KPF_MAPPEDTODISK = 34,
	KPF_PRIVATE = 35, KPF_PRIVATE_2 = 36, KPF_OWNER_PRIVATE = 37,
	KPF_ARCH = 38, KPF_UNCACHED = 39, KPF_SOFTDIRTY = 40, KPF_ARCH_2 = 41,
	KPF_NR_BITS = 64,
};

#define KPF(b) (1ULL << (KPF_##b))

#endif
