/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The huge page pools: per NUMA node when sysfs has nodes, else the global ones. */
#ifndef VP_HOST_HUGEPAGES_H
#define VP_HOST_HUGEPAGES_H

#include <stddef.h>

#include "facts/memory.h"

/* *pools malloc()ed (or NULL), sorted by size then node; 0 or -ENOMEM. */
int hugepools_read(struct hugepool **pools, size_t *n);

#endif
