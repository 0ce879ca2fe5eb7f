/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CAP_IPC_LOCK in a capability mask.  One test for every reader: the CapEff
 * line of /proc/PID/status is the effective set capget(2) returns, printed
 * by the kernel as a hex mask (fs/proc/array.c render_cap_t), so live and a
 * captured tree take the same code.
 */
#ifndef VP_FACTS_CAPS_H
#define VP_FACTS_CAPS_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/capability.h>

static inline bool caps_have_ipc_lock(uint64_t mask)
{
	return mask >> CAP_IPC_LOCK & 1;
}

#endif
