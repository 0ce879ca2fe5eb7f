/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A process as the memory checks see it, and this process's own figures. */
#ifndef VP_HOST_PROCESS_H
#define VP_HOST_PROCESS_H

#include "facts/probe.h"
#include "facts/target.h"

/* /proc/PID/status and /proc/PID/limits (pid: digits or "self"); errors in the *_rc fields. */
void process_read(const char *pid, struct proc_facts *p);
/* This process, live: euid, groups, getrlimit(RLIMIT_MEMLOCK), CapEff of /proc/self/status. */
void self_read(struct self_facts *s);
/* VmLck, VmPin and CAP_IPC_LOCK of this process now. */
int self_counters(struct probe_counters *n);
/* This process's soft RLIMIT_MEMLOCK; 0 or -errno. */
int self_memlock(bool *unlimited, uint64_t *bytes);

/* /proc/PID/NAME exists (through the seam). */
bool proc_has(const char *pid, const char *name);
/* Exited, or a zombie whose mm is gone (pagemap then reads as EOF); live only. */
bool proc_gone(const char *pid);
/*
 * Live, this kernel has procfs but no /proc/PID/pagemap
 * (CONFIG_PROC_PAGE_MONITOR off).  False when replaying.
 */
bool kernel_lacks_pagemap(void);

#endif
