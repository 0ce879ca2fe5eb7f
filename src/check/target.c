// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Whose memlock limit and credentials the checks judge: the process that
 * will map (--pid), a user at PAM login (--user, limits.conf), a systemd
 * service (--unit), or, by default, this process.  host/ gathers (process.c,
 * users.c, limits-conf.c, units.c, caps.c), model/target.c resolves.
 */
#include <string.h>

#include "check/check.h"
#include "host/caps.h"
#include "host/limits-conf.h"
#include "host/process.h"
#include "host/units.h"
#include "host/users.h"
#include "model/target.h"

static void limit_default_of(const struct check_facts *f, struct limit_default *d)
{
	memset(d, 0, sizeof(*d));
	d->kv_known = f->kv_known;
	d->kv = f->kv;
	units_default_memlock(d->system_conf, sizeof(d->system_conf));
}

static void binary_caps(struct target *t, const char *binary)
{
	struct file_caps fc;

	file_caps_read(&fc, binary);
	target_file_caps(t, &fc);
}

static void target_pid(struct target *t, const char *pid)
{
	struct proc_facts p;

	process_read(pid, &p);
	target_from_proc(t, pid, &p);
}

static void target_user(struct check_ctx *c, struct target *t)
{
	const char *groups[TARGET_MAX_GROUPS];
	struct limit_default d = { 0 };
	struct user_facts u;
	struct lc_user lu;
	struct lc_limit l = { 0 };
	int lc_rc = 0;
	size_t i;
	int rc = user_by_name(c->o->user, &u);

	if (!rc) {
		for (i = 0; i < u.ngroups; i++)
			groups[i] = u.gnames[i];
		lu = (struct lc_user){ .name = u.name, .uid = u.uid, .gid = u.gid, .gids = u.gids,
				       .groups = groups, .ngroups = u.ngroups };
		lc_rc = lc_resolve(&l, &lu);
		limit_default_of(&c->f, &d);
	}
	target_from_user(t, c->o->user, rc, &u, lc_rc, &l, &d);
	if (t->known)
		binary_caps(t, c->o->binary);
}

static void target_unit(struct check_ctx *c, struct target *t)
{
	const char *unit = c->o->unit;
	struct limit_default d = { 0 };
	struct unit_props p = { 0 };
	struct user_facts u;
	bool have_user = false;
	char bin[256];
	int rc = 0;

	if (unit_name_ok(unit)) {
		rc = unit_props_read(unit, &p);
		have_user = !rc && p.user[0] && !user_by_name(p.user, &u);
		limit_default_of(&c->f, &d);
	}
	target_from_unit(t, unit, rc, &p, have_user ? &u : NULL, &d);
	if (!t->known)
		return;
	unit_exec_binary(&p, bin, sizeof(bin));
	binary_caps(t, c->o->binary ? c->o->binary : bin[0] ? bin : NULL);
}

static void target_self(struct check_ctx *c, struct target *t)
{
	struct self_facts s;

	if (!c->f.live) {
		/* a tree captured with /proc/self reflects the capturing shell */
		target_pid(t, "self");
		if (t->known)
			snprintf(t->desc, sizeof(t->desc), "the capturing process (no --pid, --user or --unit)");
		else
			snprintf(t->err, sizeof(t->err), "no --pid, --user or --unit given");
		return;
	}
	self_read(&s);
	target_from_self(t, &s);
	binary_caps(t, c->o->binary);
}

int check_target(struct check_ctx *c)
{
	struct target *t = &c->f.tgt;

	memset(t, 0, sizeof(*t));
	if (c->o->pid) {
		t->kind = TGT_PID;
		snprintf(t->desc, sizeof(t->desc), "process %s", c->o->pid);
		target_pid(t, c->o->pid);
	} else if (c->o->user) {
		t->kind = TGT_USER;
		snprintf(t->desc, sizeof(t->desc), "user %s", c->o->user);
		target_user(c, t);
	} else if (c->o->unit) {
		t->kind = TGT_UNIT;
		snprintf(t->desc, sizeof(t->desc), "unit %s", c->o->unit);
		target_unit(c, t);
	} else {
		t->kind = TGT_SELF;
		target_self(c, t);
	}
	return 0;
}
