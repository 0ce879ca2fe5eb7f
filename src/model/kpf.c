// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>

#include "model/kpf.h"

static const char *const kpf_names[KPF_NR_BITS] = {
	[KPF_LOCKED] = "locked", [KPF_ERROR] = "error",
	[KPF_REFERENCED] = "referenced", [KPF_UPTODATE] = "uptodate",
	[KPF_DIRTY] = "dirty", [KPF_LRU] = "lru", [KPF_ACTIVE] = "active",
	[KPF_SLAB] = "slab", [KPF_WRITEBACK] = "writeback",
	[KPF_RECLAIM] = "reclaim", [KPF_BUDDY] = "buddy", [KPF_MMAP] = "mmap",
	[KPF_ANON] = "anon", [KPF_SWAPCACHE] = "swapcache",
	[KPF_SWAPBACKED] = "swapbacked", [KPF_COMPOUND_HEAD] = "compound_head",
	[KPF_COMPOUND_TAIL] = "compound_tail", [KPF_HUGE] = "huge",
	[KPF_UNEVICTABLE] = "unevictable", [KPF_HWPOISON] = "hwpoison",
	[KPF_NOPAGE] = "nopage", [KPF_KSM] = "ksm", [KPF_THP] = "thp",
	[KPF_OFFLINE] = "offline", [KPF_ZERO_PAGE] = "zero_page",
	[KPF_IDLE] = "idle", [KPF_PGTABLE] = "pgtable",
	[KPF_RESERVED] = "reserved", [KPF_MLOCKED] = "mlocked",
	[KPF_MAPPEDTODISK] = "mappedtodisk", [KPF_PRIVATE] = "private",
	[KPF_PRIVATE_2] = "private_2", [KPF_OWNER_PRIVATE] = "owner_private",
	[KPF_ARCH] = "arch", [KPF_UNCACHED] = "uncached",
	[KPF_SOFTDIRTY] = "softdirty", [KPF_ARCH_2] = "arch_2",
};

const char *kpf_name(unsigned bit)
{
	return bit < KPF_NR_BITS ? kpf_names[bit] : NULL;
}

void kpf_format(char *buf, size_t size, uint64_t flags)
{
	size_t used = 0;
	unsigned bit;
	int n;

	buf[0] = '\0';
	for (bit = 0; bit < KPF_NR_BITS && used < size; bit++) {
		if (!(flags & (1ULL << bit)))
			continue;
		if (kpf_names[bit])
			n = snprintf(buf + used, size - used, "%s%s", used ? "," : "", kpf_names[bit]);
		else
			n = snprintf(buf + used, size - used, "%sbit%u", used ? "," : "", bit);
		if (n < 0)
			return;
		used += (size_t)n;
	}
}
