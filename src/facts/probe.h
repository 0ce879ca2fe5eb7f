/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What --probe observed around one DMA map and unmap (check/probe.c). */
#ifndef VP_FACTS_PROBE_H
#define VP_FACTS_PROBE_H

#include <stdbool.h>
#include <stdint.h>

/* This process's counters (host/self.c). */
struct probe_counters {
	uint64_t lck, pin;         /* VmLck, VmPin, KiB */
	bool cap;                  /* CAP_IPC_LOCK in the effective set */
};

struct probe_run {
	const char *bdf;
	const char *backend;       /* "type1", "iommufd", "iommufd-compat" */
	int counter;               /* enum charge_counter the backend moves */
	uint64_t iova;
	char avail[64];            /* "; dma_avail N in a fresh container" or "" */
	struct probe_counters before, mapped, after;
};

#endif
