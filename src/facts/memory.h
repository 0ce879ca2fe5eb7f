/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The host's huge page pools (host/hugepages.c). */
#ifndef VP_FACTS_MEMORY_H
#define VP_FACTS_MEMORY_H

#include <stdint.h>

struct hugepool {
	unsigned size_kb;
	int node;                  /* -1: the global pool (no NUMA nodes in sysfs) */
	uint64_t total, free;
};

#endif
