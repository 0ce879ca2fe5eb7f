// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The target process's credentials, counters and memlock limit: its
 * /proc/PID/status and /proc/PID/limits through the sysroot seam, so live
 * and a captured tree read the same lines.  CAP_IPC_LOCK is the CapEff mask
 * of status for every reader, this process included: it is the effective
 * set capget(2) returns (fs/proc/array.c), so no libcap call is needed.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "facts/caps.h"
#include "host/process.h"
#include "host/procstat.h"
#include "host/sysroot.h"
#include "lib/util.h"

/* Gid: real effective saved fs, then Groups: the supplementary list. */
static void parse_gids(struct proc_facts *p, const char *status)
{
	const char *s = strstr(status, "\nGid:");
	unsigned g;
	int used;

	p->ngids = 0;
	if (s && sscanf(s + 5, " %*u %u", &g) == 1)
		p->gids[p->ngids++] = g;
	s = strstr(status, "\nGroups:");
	if (!s)
		return;
	s += 8;
	while (p->ngids < ARRAY_SIZE(p->gids) && sscanf(s, " %u%n", &g, &used) == 1) {
		p->gids[p->ngids++] = g;
		s += used;
	}
}

void process_read(const char *pid, struct proc_facts *p)
{
	char path[64], *text;
	int rc;

	memset(p, 0, sizeof(*p));
	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	rc = sr_read_text(path, &text, NULL);
	if (!rc) {
		rc = parse_status(text, &p->st);
		if (!rc)
			parse_gids(p, text);
		free(text);
	}
	p->status_rc = rc;
	if (!rc)
		p->limits_rc = read_limits_memlock(pid, &p->lim);
}

void self_read(struct self_facts *s)
{
	gid_t g[TARGET_MAX_GROUPS];
	struct proc_status st;
	struct rlimit rl;
	int n, i;

	memset(s, 0, sizeof(*s));
	s->euid = geteuid();
	s->gids[s->ngids++] = getegid();
	n = getgroups(TARGET_MAX_GROUPS, g);
	for (i = 0; i < n && s->ngids < ARRAY_SIZE(s->gids); i++)
		s->gids[s->ngids++] = g[i];
	if (!getrlimit(RLIMIT_MEMLOCK, &rl)) {
		s->have_limit = true;
		s->soft_inf = rl.rlim_cur == RLIM_INFINITY;
		s->hard_inf = rl.rlim_max == RLIM_INFINITY;
		s->soft = s->soft_inf ? 0 : rl.rlim_cur;
		s->hard = s->hard_inf ? 0 : rl.rlim_max;
	}
	if (!read_status("self", &st)) {
		s->has_cap_eff = st.has_cap_eff;
		s->cap_eff = st.cap_eff;
	}
}

int self_counters(struct probe_counters *n)
{
	struct proc_status st;
	int rc = read_status("self", &st);

	if (rc)
		return rc;
	n->lck = st.vm_lck_kb;
	n->pin = st.vm_pin_kb;
	n->cap = status_cap_ipc_lock(&st);
	return 0;
}

int self_memlock(bool *unlimited, uint64_t *bytes)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_MEMLOCK, &rl))
		return -errno;
	*unlimited = rl.rlim_cur == RLIM_INFINITY;
	*bytes = *unlimited ? 0 : rl.rlim_cur;
	return 0;
}

bool proc_has(const char *pid, const char *name)
{
	char path[96];

	snprintf(path, sizeof(path), "/proc/%s/%s", pid, name);
	return sr_exists(path);
}

bool proc_gone(const char *pid)
{
	char path[64], *text;
	bool gone;

	if (!sr_live())
		return false;
	if (kill(atoi(pid), 0) && errno == ESRCH)
		return true;
	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	if (sr_read_text(path, &text, NULL))
		return true;
	gone = strstr(text, "State:\tZ") || strstr(text, "State:\tX") || !strstr(text, "VmSize:");
	free(text);
	return gone;
}

bool kernel_lacks_pagemap(void)
{
	return sr_live() && sr_exists("/proc/self/status") && !sr_exists("/proc/self/pagemap");
}
