/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Whose memlock limit and credentials the checks judge, resolved from the
 * facts host/ gathered: a process (--pid), a user at PAM login (--user,
 * pam_limits' answer), a systemd unit (--unit), or this process.  Pure.
 */
#ifndef VP_MODEL_TARGET_H
#define VP_MODEL_TARGET_H

#include <stddef.h>

#include "facts/target.h"

struct lc_limit;

/* From /proc/PID/status and limits (pid as given: "123" or "self"). */
void target_from_proc(struct target *t, const char *pid, const struct proc_facts *p);
/* This process, live: its credentials, getrlimit, its effective set. */
void target_from_self(struct target *t, const struct self_facts *s);
/* A user at PAM login: rc of the lookup, the account, pam_limits' memlock (lc_rc its read). */
void target_from_user(struct target *t, const char *name, int rc, const struct user_facts *u,
		      int lc_rc, const struct lc_limit *l, const struct limit_default *d);
/* A unit: rc of reading its properties (-ENOEXEC: systemctl failed), u its User= (NULL: root or unknown). */
void target_from_unit(struct target *t, const char *unit, int rc, const struct unit_props *p,
		      const struct user_facts *u, const struct limit_default *d);
/* A binary's file capabilities, on top of what the target has. */
void target_file_caps(struct target *t, const struct file_caps *fc);
/* The limit inherited when nothing sets one (why: what set nothing). */
void target_default_limit(struct target *t, const struct limit_default *d, const char *why);

/* The characters systemd allows in a unit name. */
bool unit_name_ok(const char *unit);
/* The binary of ExecStart: "/usr/bin/x args" in a unit file, "{ path=/usr/bin/x ; ... }" from systemctl. */
void unit_exec_binary(const struct unit_props *p, char *bin, size_t size);
/* One "Key=value" line of a unit file or of systemctl show into p (from: where it came from). */
void unit_prop_line(struct unit_props *p, const char *line, const char *from);

#endif
