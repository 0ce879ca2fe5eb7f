// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The target of the memory checks, resolved from gathered facts.  Live and
 * a captured tree take the same code: CAP_IPC_LOCK of a process is the CapEff
 * mask of its status (facts/caps.h), a user's groups come from host/users.c
 * either way, a unit's properties from systemctl show or the unit files.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "facts/caps.h"
#include "model/limits-conf.h"
#include "model/target.h"
#include "lib/util.h"

void target_default_limit(struct target *t, const struct limit_default *d, const char *why)
{
	uint64_t b;

	t->have_limit = true;
	if (d->system_conf[0] && !parse_size(d->system_conf, &b)) {
		t->soft = t->hard = b;
		snprintf(t->limit_from, sizeof(t->limit_from),
			 "%s: inherited DefaultLimitMEMLOCK=%s (/etc/systemd/system.conf)", why, d->system_conf);
		return;
	}
	/* Linux 5.16 raised the default RLIMIT_MEMLOCK from 64 KiB to 8 MiB. */
	if (d->kv_known && kver_cmp(&d->kv, 5, 16) < 0) {
		t->soft = t->hard = 64 << 10;
		snprintf(t->limit_from, sizeof(t->limit_from), "%s: inherited kernel default 64K (before 5.16)", why);
	} else {
		t->soft = t->hard = 8 << 20;
		snprintf(t->limit_from, sizeof(t->limit_from), "%s: inherited default 8M (kernel 5.16+, systemd 253+)", why);
	}
}

void target_from_proc(struct target *t, const char *pid, const struct proc_facts *p)
{
	size_t i;

	if (p->status_rc) {
		snprintf(t->err, sizeof(t->err), p->status_rc == -ENOENT ? "no process %s" : "cannot read /proc/%s/status: %s",
			 pid, strerror(-p->status_rc));
		return;
	}
	t->ngids = 0;
	for (i = 0; i < p->ngids && i < ARRAY_SIZE(t->gids); i++)
		t->gids[t->ngids++] = p->gids[i];
	snprintf(t->desc, sizeof(t->desc), "process %s (%s)", pid, p->st.name);
	t->uid = p->st.uid_eff;
	t->have_vmlck = true;
	t->vm_lck = p->st.vm_lck_kb * 1024;
	t->hugetlb = p->st.hugetlb_kb * 1024;
	if (p->limits_rc) {
		snprintf(t->err, sizeof(t->err), "cannot read /proc/%s/limits: %s", pid, strerror(-p->limits_rc));
		return;
	}
	t->have_limit = true;
	t->soft_inf = p->lim.soft_unlimited;
	t->hard_inf = p->lim.hard_unlimited;
	t->soft = p->lim.soft;
	t->hard = p->lim.hard;
	snprintf(t->limit_from, sizeof(t->limit_from), "/proc/%s/limits", pid);
	t->known = true;
	if (!p->st.has_cap_eff)
		return;
	/* The same set libcap would read live (capget), said the same way, so a replay matches. */
	t->have_caps = true;
	t->cap_ipc_lock = status_cap_ipc_lock(&p->st);
	snprintf(t->cap_from, sizeof(t->cap_from), "effective set of process %s", pid);
}

void target_from_self(struct target *t, const struct self_facts *s)
{
	size_t i;

	snprintf(t->desc, sizeof(t->desc), "this process, uid %u (no --pid, --user or --unit)", s->euid);
	t->uid = s->euid;
	t->ngids = 0;
	for (i = 0; i < s->ngids && i < ARRAY_SIZE(t->gids); i++)
		t->gids[t->ngids++] = s->gids[i];
	if (s->have_limit) {
		t->have_limit = true;
		t->soft_inf = s->soft_inf;
		t->hard_inf = s->hard_inf;
		t->soft = s->soft;
		t->hard = s->hard;
		snprintf(t->limit_from, sizeof(t->limit_from), "getrlimit of this process");
	}
	if (s->has_cap_eff) {
		t->have_caps = true;
		t->cap_ipc_lock = caps_have_ipc_lock(s->cap_eff);
		snprintf(t->cap_from, sizeof(t->cap_from), "effective set of this process");
	}
	t->known = true;
}

static void target_groups(struct target *t, const struct user_facts *u)
{
	size_t i;

	t->uid = u->uid;
	t->ngids = 0;
	t->gids[t->ngids++] = u->gid;
	for (i = 0; i < u->ngroups && t->ngids < ARRAY_SIZE(t->gids); i++)
		if (u->gids[i] != u->gid)
			t->gids[t->ngids++] = u->gids[i];
}

/* limits.conf set a soft or hard value: the other one is inherited. */
static void user_limit(struct target *t, const struct lc_limit *l, const struct limit_default *d)
{
	struct target dflt = { 0 };

	target_default_limit(&dflt, d, "");
	t->have_limit = true;
	t->soft_inf = l->src_soft != LC_NONE ? l->soft_inf : false;
	t->soft = l->src_soft != LC_NONE ? l->soft : dflt.soft;
	t->hard_inf = l->src_hard != LC_NONE ? l->hard_inf : false;
	t->hard = l->src_hard != LC_NONE ? l->hard : dflt.hard;
	snprintf(t->limit_from, sizeof(t->limit_from), "limits.conf: soft from %.80s, hard from %.80s",
		 l->src_soft != LC_NONE ? l->soft_from : "the inherited default",
		 l->src_hard != LC_NONE ? l->hard_from : "the inherited default");
	/* pam_limits caps soft at hard before setrlimit */
	if (!t->hard_inf && (t->soft_inf || t->soft > t->hard)) {
		t->soft_inf = false;
		t->soft = t->hard;
	}
}

void target_from_user(struct target *t, const char *name, int rc, const struct user_facts *u,
		      int lc_rc, const struct lc_limit *l, const struct limit_default *d)
{
	if (rc) {
		snprintf(t->err, sizeof(t->err), rc == -ENOENT ? "no user %s" : "cannot look up user %s: %s",
			 name, strerror(-rc));
		return;
	}
	snprintf(t->desc, sizeof(t->desc), "user %s at PAM login", u->name);
	target_groups(t, u);
	if (lc_rc) {
		snprintf(t->err, sizeof(t->err), "cannot read limits.conf: %s", strerror(-lc_rc));
		return;
	}
	t->known = true;
	if (l->no_limits || (l->src_soft == LC_NONE && l->src_hard == LC_NONE))
		target_default_limit(t, d, l->no_limits ? "a \"-\" line in limits.conf" : "no memlock line in limits.conf");
	else
		user_limit(t, l, d);
	if (u->uid == 0) {
		t->have_caps = true;
		t->cap_ipc_lock = true;
		snprintf(t->cap_from, sizeof(t->cap_from), "root");
	}
}

void target_file_caps(struct target *t, const struct file_caps *fc)
{
	if (!fc->binary)
		return;
	if (fc->rc) {
		snprintf(t->cap_from, sizeof(t->cap_from), "cannot read file capabilities of %.100s: %s",
			 fc->binary, strerror(-fc->rc));
		return;
	}
	t->have_caps = true;
	if (fc->ipc_lock) {
		t->cap_ipc_lock = true;
		snprintf(t->cap_from, sizeof(t->cap_from), "file capability cap_ipc_lock+ep on %.100s", fc->binary);
	} else if (!t->cap_ipc_lock) {
		snprintf(t->cap_from, sizeof(t->cap_from), "%.100s has no cap_ipc_lock file capability", fc->binary);
	}
}

/* ---- --unit ---- */

bool unit_name_ok(const char *u)
{
	for (; *u; u++)
		if (!isalnum((unsigned char)*u) && !strchr("@._:-\\", *u))
			return false;
	return true;
}

void unit_prop_line(struct unit_props *p, const char *line, const char *from)
{
	const char *v;

	if ((v = skip_prefix(line, "LimitMEMLOCK="))) {
		snprintf(p->limit, sizeof(p->limit), "%.*s", (int)strcspn(v, "\n"), v);
		snprintf(p->limit_from, sizeof(p->limit_from), "%s", from);
	} else if ((v = skip_prefix(line, "LimitMEMLOCKSoft="))) {
		snprintf(p->limit_soft, sizeof(p->limit_soft), "%.*s", (int)strcspn(v, "\n"), v);
	} else if ((v = skip_prefix(line, "User="))) {
		snprintf(p->user, sizeof(p->user), "%.*s", (int)strcspn(v, "\n"), v);
	} else if ((v = skip_prefix(line, "AmbientCapabilities="))) {
		size_t n = strlen(p->ambient);

		snprintf(p->ambient + n, sizeof(p->ambient) - n, " %.*s", (int)strcspn(v, "\n"), v);
	} else if ((v = skip_prefix(line, "ExecStart="))) {
		snprintf(p->exec, sizeof(p->exec), "%.*s", (int)strcspn(v, "\n"), v);
	} else if ((v = skip_prefix(line, "LoadState="))) {
		snprintf(p->load, sizeof(p->load), "%.*s", (int)strcspn(v, "\n"), v);
	}
}

static int parse_limit_value(const char *v, bool *inf, uint64_t *bytes)
{
	if (!strcmp(v, "infinity")) {
		*inf = true;
		*bytes = 0;
		return 0;
	}
	*inf = false;
	return parse_size(v, bytes);
}

/* "LimitMEMLOCK=soft:hard" or "=both" as a unit file spells it. */
static int parse_unit_limit(const char *v, struct target *t)
{
	char soft[160], *colon;

	snprintf(soft, sizeof(soft), "%s", v);
	colon = strchr(soft, ':');
	if (colon)
		*colon++ = '\0';
	if (parse_limit_value(soft, &t->soft_inf, &t->soft))
		return -EINVAL;
	if (parse_limit_value(colon ? colon : soft, &t->hard_inf, &t->hard))
		return -EINVAL;
	return 0;
}

void unit_exec_binary(const struct unit_props *p, char *bin, size_t size)
{
	const char *e = strstr(p->exec, "path=");

	e = e ? e + 5 : p->exec;
	while (*e && strchr("-@:+!", *e))
		e++;
	snprintf(bin, size, "%.*s", (int)strcspn(e, " ;"), e);
}

static int unit_limit(struct target *t, const char *unit, const struct unit_props *p)
{
	/* systemctl show: LimitMEMLOCK is the hard limit, LimitMEMLOCKSoft the soft one */
	char v[140];

	if (p->limit_soft[0])
		snprintf(v, sizeof(v), "%s:%s", p->limit_soft, p->limit);
	else
		snprintf(v, sizeof(v), "%s", p->limit);
	if (parse_unit_limit(v, t)) {
		t->known = false;
		snprintf(t->err, sizeof(t->err), "cannot parse LimitMEMLOCK=%.60s of %.60s", v, unit);
		return -EINVAL;
	}
	t->have_limit = true;
	snprintf(t->limit_from, sizeof(t->limit_from), "LimitMEMLOCK=%.60s (%.100s)", v, p->limit_from);
	return 0;
}

void target_from_unit(struct target *t, const char *unit, int rc, const struct unit_props *p,
		      const struct user_facts *u, const struct limit_default *d)
{
	if (!unit_name_ok(unit)) {
		snprintf(t->err, sizeof(t->err), "'%.100s' is not a unit name", unit);
		return;
	}
	if (rc || (p->load[0] && strcmp(p->load, "loaded"))) {
		snprintf(t->err, sizeof(t->err), rc == -ENOEXEC ? "systemctl show %.60s failed (is systemd running?)"
			 : "no unit %.60s (%s)", unit, rc ? strerror(-rc) : p->load);
		return;
	}
	snprintf(t->desc, sizeof(t->desc), "unit %.60s%s%.40s", unit, p->user[0] ? " as user " : " as root",
		 p->user);
	t->known = true;
	if (u) {
		target_groups(t, u);
	} else {
		t->uid = 0;
		t->gids[0] = 0;
		t->ngids = 1;
	}
	if (p->limit[0]) {
		if (unit_limit(t, unit, p))
			return;
	} else {
		target_default_limit(t, d, "no LimitMEMLOCK= in the unit");
	}
	if (has_word(p->ambient, "CAP_IPC_LOCK") || has_word(p->ambient, "cap_ipc_lock")) {
		t->have_caps = true;
		t->cap_ipc_lock = true;
		snprintf(t->cap_from, sizeof(t->cap_from), "AmbientCapabilities=CAP_IPC_LOCK");
	} else if (t->uid == 0) {
		t->have_caps = true;
		t->cap_ipc_lock = true;
		snprintf(t->cap_from, sizeof(t->cap_from), "runs as root");
	}
}
