/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The system-wide FOLL_PIN counters of /proc/vmstat (nr_foll_pin_acquired,
 * nr_foll_pin_released; 5.7+), and ZONE_MOVABLE's pfn ranges from
 * /proc/zoneinfo.  The vmstat counters are per-cpu deltas folded in
 * lazily: exact only after a write to /proc/sys/vm/stat_refresh (root).
 */
#ifndef VP_VMSTAT_H
#define VP_VMSTAT_H

#include <stdbool.h>
#include <stdint.h>

#include "model/pins.h"

struct pin_counts {
	bool known;        /* both counters read */
	bool refreshed;    /* stat_refresh was written first: exact */
	uint64_t acquired, released;
};

/* Pure parser of /proc/vmstat text: 0, or -ENOENT without the pin counters. */
int vmstat_parse_pins(const char *text, uint64_t *acquired, uint64_t *released);
/* Refresh (when allowed) and read: 0 or -errno (pc->known false). */
int vmstat_pins_read(struct pin_counts *pc);

/* Pure parser of /proc/zoneinfo text: the Movable zones' [start_pfn, start_pfn + spanned). */
int zoneinfo_parse_movable(const char *text, struct pfn_ranges *out);
/* 0 (none when the file is missing), or -errno. */
int zoneinfo_movable_read(struct pfn_ranges *out);

#endif
