/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Whose memlock limit and credentials the checks judge, and the raw facts
 * it is resolved from: a process's status and limits, an account, a unit's
 * properties.
 */
#ifndef VP_FACTS_TARGET_H
#define VP_FACTS_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/kver.h"
#include "facts/proc.h"

#define TARGET_MAX_GROUPS 64

enum target_kind { TGT_SELF, TGT_PID, TGT_USER, TGT_UNIT };

struct target {
	enum target_kind kind;
	char desc[128];            /* "process 123 (qemu-system-x86)", "user qemu", ... */
	bool known;                /* false: could not be resolved (see err) */
	char err[200];
	unsigned uid;
	unsigned gids[TARGET_MAX_GROUPS];
	size_t ngids;
	bool have_limit;
	bool soft_inf, hard_inf;
	uint64_t soft, hard;       /* RLIMIT_MEMLOCK bytes */
	char limit_from[200];      /* where the limit comes from */
	bool have_caps;
	bool cap_ipc_lock;
	char cap_from[160];
	bool have_vmlck;
	uint64_t vm_lck;           /* --pid: VmLck now */
	uint64_t hugetlb;          /* --pid: HugetlbPages, the huge pages it holds */
};

/* An account (host/users.c): NSS live, the tree's /etc/passwd and /etc/group otherwise. */
struct user_facts {
	char name[64];
	unsigned uid, gid;
	unsigned gids[TARGET_MAX_GROUPS];          /* every group, primary included */
	char gnames[TARGET_MAX_GROUPS][64];
	size_t ngroups;
};

/* A process (host/process.c): /proc/PID/status and limits, and the groups of status. */
struct proc_facts {
	int status_rc;             /* 0, or -errno reading /proc/PID/status */
	struct proc_status st;
	unsigned gids[TARGET_MAX_GROUPS];          /* Gid: effective, then Groups: */
	size_t ngids;
	int limits_rc;             /* 0, or -errno reading /proc/PID/limits */
	struct proc_limit lim;
};

/* This process, live (host/process.c). */
struct self_facts {
	unsigned euid;
	unsigned gids[TARGET_MAX_GROUPS];          /* egid, then getgroups() */
	size_t ngids;
	bool have_limit;
	bool soft_inf, hard_inf;
	uint64_t soft, hard;
	bool has_cap_eff;
	uint64_t cap_eff;
};

/* A systemd unit's properties (host/units.c): systemctl show live, the unit files otherwise. */
struct unit_props {
	char limit[64], limit_soft[64], user[64], ambient[512], exec[512], load[32];
	char limit_from[200];
};

/* A binary's file capabilities (host/caps.c). */
struct file_caps {
	const char *binary;        /* NULL: none named */
	int rc;                    /* 0, or -errno */
	bool ipc_lock;             /* cap_ipc_lock in the effective set */
};

/* What a login or a service starts with when nothing sets a limit. */
struct limit_default {
	bool kv_known;
	struct kver kv;
	char system_conf[64];      /* DefaultLimitMEMLOCK= of /etc/systemd/system.conf, "" if none */
};

#endif
