// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Whose memlock limit and credentials the checks judge: the process that
 * will map (--pid), a user at PAM login (--user, limits.conf), a systemd
 * service (--unit), or, by default, this process.  Live and under --sysroot
 * alike except where only the live system can answer: libcap on a pid,
 * `systemctl show` (which knows every drop-in and default), NSS for users.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check/check.h"
#include "host/limits-conf.h"
#include "host/procstat.h"
#include "host/sysroot.h"
#include "lib/util.h"

#define MAX_GROUPS 64

struct user_info {
	char name[64];
	unsigned uid, gid;
	unsigned gids[MAX_GROUPS];
	char gnames[MAX_GROUPS][64];
	size_t ngroups;
};

/* ---- users: NSS live, /etc/passwd + /etc/group of the tree otherwise ---- */

static int user_live(const char *name, struct user_info *u)
{
	struct passwd *pw = getpwnam(name);
	gid_t gids[MAX_GROUPS];
	int n = MAX_GROUPS, i;

	/* NSS reads these past the seam; a replay reads them with user_files(). */
	sr_note("/etc/passwd", SR_READ);
	sr_note("/etc/group", SR_READ);
	if (!pw)
		return -ENOENT;
	str_copy(u->name, sizeof(u->name), pw->pw_name);
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	if (getgrouplist(pw->pw_name, pw->pw_gid, gids, &n) < 0)
		n = MAX_GROUPS;
	for (i = 0; i < n; i++) {
		struct group *gr = getgrgid(gids[i]);

		u->gids[i] = gids[i];
		str_copy(u->gnames[i], sizeof(u->gnames[i]), gr ? gr->gr_name : "");
	}
	u->ngroups = (size_t)n;
	return 0;
}

/* A field of a colon-separated line into out. */
static void field(const char *line, int idx, char *out, size_t size)
{
	size_t n;

	while (idx-- > 0 && line) {
		line = strchr(line, ':');
		if (line)
			line++;
	}
	if (!line) {
		out[0] = '\0';
		return;
	}
	n = strcspn(line, ":\n");
	snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), line);
}

static int user_files(const char *name, struct user_info *u)
{
	char *text, *p, f[256];
	int rc = sr_read_text("/etc/passwd", &text, NULL);
	bool found = false;

	if (rc)
		return rc;
	for (p = text; p && *p && !found; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		field(p, 0, f, sizeof(f));
		if (strcmp(f, name))
			continue;
		found = true;
		str_copy(u->name, sizeof(u->name), name);
		field(p, 2, f, sizeof(f));
		u->uid = (unsigned)strtoul(f, NULL, 10);
		field(p, 3, f, sizeof(f));
		u->gid = (unsigned)strtoul(f, NULL, 10);
	}
	free(text);
	if (!found)
		return -ENOENT;
	if (sr_read_text("/etc/group", &text, NULL))
		return 0;
	for (p = text; p && *p && u->ngroups < MAX_GROUPS; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		char gname[64], gid[16];

		field(p, 0, gname, sizeof(gname));
		field(p, 2, gid, sizeof(gid));
		field(p, 3, f, sizeof(f));
		if ((unsigned)strtoul(gid, NULL, 10) != u->gid) {
			/* a member list "a,b,c": is the user in it? */
			char list[260];
			bool member = false;
			char *tok, *save = NULL;

			snprintf(list, sizeof(list), ",%s,", f);
			for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
				member |= !strcmp(tok, name);
			if (!member)
				continue;
		}
		u->gids[u->ngroups] = (unsigned)strtoul(gid, NULL, 10);
		str_copy(u->gnames[u->ngroups++], sizeof(u->gnames[0]), gname);
	}
	free(text);
	return 0;
}

static int user_lookup(const char *name, struct user_info *u)
{
	memset(u, 0, sizeof(*u));
	return sr_live() ? user_live(name, u) : user_files(name, u);
}

static void target_groups(struct target *t, const struct user_info *u)
{
	size_t i;

	t->uid = u->uid;
	t->ngids = 0;
	t->gids[t->ngids++] = u->gid;
	for (i = 0; i < u->ngroups && t->ngids < ARRAY_SIZE(t->gids); i++)
		if (u->gids[i] != u->gid)
			t->gids[t->ngids++] = u->gids[i];
}

/* ---- capabilities ---- */

/* File capabilities of a binary (live or in the tree): CAP_IPC_LOCK in the effective set. */
static int file_has_ipc_lock(const char *binary, bool *has)
{
	char path[1024];
	cap_flag_value_t v = CAP_CLEAR;
	cap_t caps;
	int rc = sr_path(path, sizeof(path), "%s", binary);

	if (rc)
		return rc;
	caps = cap_get_file(path);
	if (!caps) {
		/* ENODATA: a file without capabilities */
		if (errno == ENODATA) {
			*has = false;
			return 0;
		}
		return -errno;
	}
	cap_get_flag(caps, CAP_IPC_LOCK, CAP_EFFECTIVE, &v);
	cap_free(caps);
	*has = v == CAP_SET;
	return 0;
}

static void binary_caps(struct target *t, const char *binary)
{
	bool has = false;
	int rc;

	if (!binary)
		return;
	rc = file_has_ipc_lock(binary, &has);
	if (rc) {
		snprintf(t->cap_from, sizeof(t->cap_from), "cannot read file capabilities of %.100s: %s",
			 binary, strerror(-rc));
		return;
	}
	t->have_caps = true;
	if (has) {
		t->cap_ipc_lock = true;
		snprintf(t->cap_from, sizeof(t->cap_from), "file capability cap_ipc_lock+ep on %.100s", binary);
	} else if (!t->cap_ipc_lock) {
		snprintf(t->cap_from, sizeof(t->cap_from), "%.100s has no cap_ipc_lock file capability", binary);
	}
}

/* ---- the limit a login or a service starts with when nothing sets one ---- */

static void default_limit(struct check_ctx *c, struct target *t, const char *why)
{
	char v[64];
	uint64_t b;

	t->have_limit = true;
	{
		char *text, *p;

		if (!sr_read_text("/etc/systemd/system.conf", &text, NULL)) {
			p = strstr(text, "\nDefaultLimitMEMLOCK=");
			if (p && sscanf(p + 21, "%63s", v) == 1 && !parse_size(v, &b)) {
				t->soft = t->hard = b;
				snprintf(t->limit_from, sizeof(t->limit_from),
					 "%s: inherited DefaultLimitMEMLOCK=%s (/etc/systemd/system.conf)", why, v);
				free(text);
				return;
			}
			free(text);
		}
	}
	/* Linux 5.16 raised the default RLIMIT_MEMLOCK from 64 KiB to 8 MiB. */
	if (c->f.kv_known && kver_cmp(&c->f.kv, 5, 16) < 0) {
		t->soft = t->hard = 64 << 10;
		snprintf(t->limit_from, sizeof(t->limit_from), "%s: inherited kernel default 64K (before 5.16)", why);
	} else {
		t->soft = t->hard = 8 << 20;
		snprintf(t->limit_from, sizeof(t->limit_from), "%s: inherited default 8M (kernel 5.16+, systemd 253+)", why);
	}
}

/* ---- --pid ---- */

static void parse_gids(struct target *t, const char *status)
{
	const char *p = strstr(status, "\nGid:");
	unsigned g;
	int used;

	t->ngids = 0;
	if (p && sscanf(p + 5, " %*u %u", &g) == 1)
		t->gids[t->ngids++] = g;
	p = strstr(status, "\nGroups:");
	if (!p)
		return;
	p += 8;
	while (t->ngids < ARRAY_SIZE(t->gids) && sscanf(p, " %u%n", &g, &used) == 1) {
		t->gids[t->ngids++] = g;
		p += used;
	}
}

static void target_pid(struct check_ctx *c, struct target *t)
{
	const char *pid = c->o->pid;
	struct proc_status st;
	struct proc_limit lim;
	char path[64], *text;
	int rc;

	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	rc = sr_read_text(path, &text, NULL);
	if (!rc) {
		rc = parse_status(text, &st);
		if (!rc)
			parse_gids(t, text);
		free(text);
	}
	if (rc) {
		snprintf(t->err, sizeof(t->err), rc == -ENOENT ? "no process %s" : "cannot read /proc/%s/status: %s",
			 pid, strerror(-rc));
		return;
	}
	snprintf(t->desc, sizeof(t->desc), "process %s (%s)", pid, st.name);
	t->uid = st.uid_eff;
	t->have_vmlck = true;
	t->vm_lck = st.vm_lck_kb * 1024;
	rc = read_limits_memlock(pid, &lim);
	if (rc) {
		snprintf(t->err, sizeof(t->err), "cannot read /proc/%s/limits: %s", pid, strerror(-rc));
		return;
	}
	t->have_limit = true;
	t->soft_inf = lim.soft_unlimited;
	t->hard_inf = lim.hard_unlimited;
	t->soft = lim.soft;
	t->hard = lim.hard;
	snprintf(t->limit_from, sizeof(t->limit_from), "/proc/%s/limits", pid);
	t->known = true;
	if (sr_live()) {
		cap_t caps = cap_get_pid(atoi(pid));
		cap_flag_value_t v = CAP_CLEAR;

		if (caps) {
			cap_get_flag(caps, CAP_IPC_LOCK, CAP_EFFECTIVE, &v);
			cap_free(caps);
			t->have_caps = true;
			t->cap_ipc_lock = v == CAP_SET;
			snprintf(t->cap_from, sizeof(t->cap_from), "effective set of process %s", pid);
		}
	} else if (st.has_cap_eff) {
		t->have_caps = true;
		t->cap_ipc_lock = st.cap_eff >> CAP_IPC_LOCK_BIT & 1;
		/* The same set libcap reads live (CapEff): said the same way, so a replay matches. */
		snprintf(t->cap_from, sizeof(t->cap_from), "effective set of process %s", pid);
	}
}

/* ---- --user ---- */

static void target_user(struct check_ctx *c, struct target *t)
{
	const char *groups[MAX_GROUPS];
	struct user_info u;
	struct lc_user lu;
	struct lc_limit l;
	size_t i;
	int rc = user_lookup(c->o->user, &u);

	if (rc) {
		snprintf(t->err, sizeof(t->err), rc == -ENOENT ? "no user %s" : "cannot look up user %s: %s",
			 c->o->user, strerror(-rc));
		return;
	}
	snprintf(t->desc, sizeof(t->desc), "user %s at PAM login", u.name);
	target_groups(t, &u);
	for (i = 0; i < u.ngroups; i++)
		groups[i] = u.gnames[i];
	lu = (struct lc_user){ .name = u.name, .uid = u.uid, .gid = u.gid, .gids = u.gids,
			       .groups = groups, .ngroups = u.ngroups };
	rc = lc_resolve(&l, &lu);
	if (rc) {
		snprintf(t->err, sizeof(t->err), "cannot read limits.conf: %s", strerror(-rc));
		return;
	}
	t->known = true;
	if (l.no_limits || (l.src_soft == LC_NONE && l.src_hard == LC_NONE)) {
		default_limit(c, t, l.no_limits ? "a \"-\" line in limits.conf" : "no memlock line in limits.conf");
	} else {
		uint64_t dsoft, dhard;
		struct target d = { 0 };

		default_limit(c, &d, "");
		dsoft = d.soft;
		dhard = d.hard;
		t->have_limit = true;
		t->soft_inf = l.src_soft != LC_NONE ? l.soft_inf : false;
		t->soft = l.src_soft != LC_NONE ? l.soft : dsoft;
		t->hard_inf = l.src_hard != LC_NONE ? l.hard_inf : false;
		t->hard = l.src_hard != LC_NONE ? l.hard : dhard;
		snprintf(t->limit_from, sizeof(t->limit_from), "limits.conf: soft from %.80s, hard from %.80s",
			 l.src_soft != LC_NONE ? l.soft_from : "the inherited default",
			 l.src_hard != LC_NONE ? l.hard_from : "the inherited default");
		/* pam_limits caps soft at hard before setrlimit */
		if (!t->hard_inf && (t->soft_inf || t->soft > t->hard)) {
			t->soft_inf = false;
			t->soft = t->hard;
		}
	}
	if (u.uid == 0) {
		t->have_caps = true;
		t->cap_ipc_lock = true;
		snprintf(t->cap_from, sizeof(t->cap_from), "root");
	}
	binary_caps(t, c->o->binary);
}

/* ---- --unit ---- */

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

struct unit_props {
	char limit[64], limit_soft[64], user[64], ambient[512], exec[512], load[32];
	char limit_from[200];
};

static void prop_line(struct unit_props *p, const char *line, const char *from)
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

static bool unit_name_ok(const char *u)
{
	for (; *u; u++)
		if (!isalnum((unsigned char)*u) && !strchr("@._:-\\", *u))
			return false;
	return true;
}

/*
 * systemd knows the effective values (drop-ins, DefaultLimitMEMLOCK): ask it.
 * sr_run keeps its answer in a capture, so a replay parses the same text.
 */
static int unit_show(const char *unit, struct unit_props *p)
{
	char as[600], *text, *l;
	char *argv[] = { "systemctl", "show", "-p", "LoadState", "-p", "LimitMEMLOCK",
			 "-p", "LimitMEMLOCKSoft", "-p", "User", "-p", "AmbientCapabilities",
			 "-p", "ExecStart", "--", (char *)unit, NULL };
	int rc;

	snprintf(as, sizeof(as), "/run/vfio-pinctl/systemctl-show/%s", unit);
	rc = sr_run(as, argv, &text);
	if (rc)
		return rc;
	for (l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		prop_line(p, l, "systemctl show");
	free(text);
	return 0;
}

static int unit_dropins(const char *unit, const char *const *dirs, size_t ndirs, struct unit_props *p);

/* Under --sysroot: the unit file and its drop-ins, in systemd's search order. */
static int unit_files(const char *unit, struct unit_props *p)
{
	static const char *const dirs[] = {
		"/etc/systemd/system", "/run/systemd/system", "/usr/local/lib/systemd/system",
		"/usr/lib/systemd/system", "/lib/systemd/system",
	};
	char path[600], *text, *l;
	size_t i;
	bool found = false;

	for (i = 0; i < ARRAY_SIZE(dirs) && !found; i++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[i], unit);
		if (sr_read_text(path, &text, NULL))
			continue;
		found = true;
		for (l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
			prop_line(p, l, path);
		free(text);
	}
	if (!found)
		return -ENOENT;
	snprintf(p->load, sizeof(p->load), "loaded");
	/* drop-ins (UNIT.d/NAME.conf) apply after the unit file, sorted by name across directories */
	return unit_dropins(unit, dirs, ARRAY_SIZE(dirs), p);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(strrchr(*(char *const *)a, '/'), strrchr(*(char *const *)b, '/'));
}

static int unit_dropins(const char *unit, const char *const *dirs, size_t ndirs, struct unit_props *p)
{
	char *files[64] = { NULL }, dpath[600], *text, *l;
	size_t i, j, n = 0;
	struct dirent *de;
	DIR *d;

	for (i = 0; i < ndirs; i++) {
		snprintf(dpath, sizeof(dpath), "%s/%s.d", dirs[i], unit);
		d = sr_opendir(dpath);
		if (!d)
			continue;
		while ((de = readdir(d)) && n < ARRAY_SIZE(files)) {
			size_t len = strlen(de->d_name);
			bool dup = false;

			if (len < 6 || strcmp(de->d_name + len - 5, ".conf"))
				continue;
			for (j = 0; j < n; j++)
				dup |= !strcmp(strrchr(files[j], '/') + 1, de->d_name);
			if (dup)   /* an earlier directory shadows this one */
				continue;
			if (asprintf(&files[n], "%s/%s", dpath, de->d_name) < 0)
				break;
			n++;
		}
		closedir(d);
	}
	qsort(files, n, sizeof(files[0]), cmp_name);
	for (i = 0; i < n; i++) {
		if (!sr_read_text(files[i], &text, NULL)) {
			for (l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
				prop_line(p, l, files[i]);
			free(text);
		}
		free(files[i]);
	}
	return 0;
}

static void target_unit(struct check_ctx *c, struct target *t)
{
	const char *unit = c->o->unit;
	struct unit_props p = { 0 };
	struct user_info u;
	char bin[256] = "";
	int rc;

	if (!unit_name_ok(unit)) {
		snprintf(t->err, sizeof(t->err), "'%.100s' is not a unit name", unit);
		return;
	}
	/*
	 * Without an answer from systemd (not running: a container, an image; or a
	 * tree captured before sr_run kept it), the unit file and its drop-ins,
	 * read in systemd's order: live and replay alike.
	 */
	rc = unit_show(unit, &p);
	if (rc == -ENOEXEC || rc == -ENOENT) {
		memset(&p, 0, sizeof(p));
		rc = unit_files(unit, &p);
	}
	if (rc || (p.load[0] && strcmp(p.load, "loaded"))) {
		snprintf(t->err, sizeof(t->err), "no unit %.60s (%s)", unit, rc ? strerror(-rc) : p.load);
		return;
	}
	snprintf(t->desc, sizeof(t->desc), "unit %.60s%s%.40s", unit, p.user[0] ? " as user " : " as root",
		 p.user);
	t->known = true;
	if (p.user[0] && !user_lookup(p.user, &u)) {
		target_groups(t, &u);
	} else {
		t->uid = 0;
		t->gids[0] = 0;
		t->ngids = 1;
	}
	if (p.limit[0]) {
		/* systemctl show: LimitMEMLOCK is the hard limit, LimitMEMLOCKSoft the soft one */
		char v[140];

		if (p.limit_soft[0])
			snprintf(v, sizeof(v), "%s:%s", p.limit_soft, p.limit);
		else
			snprintf(v, sizeof(v), "%s", p.limit);
		if (parse_unit_limit(v, t)) {
			t->known = false;
			snprintf(t->err, sizeof(t->err), "cannot parse LimitMEMLOCK=%.60s of %.60s", v, unit);
			return;
		}
		t->have_limit = true;
		snprintf(t->limit_from, sizeof(t->limit_from), "LimitMEMLOCK=%.60s (%.100s)", v, p.limit_from);
	} else {
		default_limit(c, t, "no LimitMEMLOCK= in the unit");
	}
	if (has_word(p.ambient, "CAP_IPC_LOCK") || has_word(p.ambient, "cap_ipc_lock")) {
		t->have_caps = true;
		t->cap_ipc_lock = true;
		snprintf(t->cap_from, sizeof(t->cap_from), "AmbientCapabilities=CAP_IPC_LOCK");
	} else if (t->uid == 0) {
		t->have_caps = true;
		t->cap_ipc_lock = true;
		snprintf(t->cap_from, sizeof(t->cap_from), "runs as root");
	}
	/* ExecStart: "/usr/bin/x args" in a unit file, "{ path=/usr/bin/x ; ... }" from systemctl */
	{
		const char *e = strstr(p.exec, "path=");

		e = e ? e + 5 : p.exec;
		while (*e && strchr("-@:+!", *e))
			e++;
		snprintf(bin, sizeof(bin), "%.*s", (int)strcspn(e, " ;"), e);
	}
	binary_caps(t, c->o->binary ? c->o->binary : bin[0] ? bin : NULL);
}

/* ---- default: this process ---- */

static void target_self(struct check_ctx *c, struct target *t)
{
	if (!sr_live()) {
		/* a tree captured with /proc/self reflects the capturing shell */
		c->o->pid = "self";
		target_pid(c, t);
		c->o->pid = NULL;
		if (t->known)
			snprintf(t->desc, sizeof(t->desc), "the capturing process (no --pid, --user or --unit)");
		else
			snprintf(t->err, sizeof(t->err), "no --pid, --user or --unit given");
		return;
	}
	{
		struct rlimit rl;
		cap_t caps = cap_get_proc();
		cap_flag_value_t v = CAP_CLEAR;
		gid_t g[MAX_GROUPS];
		int n, i;

		snprintf(t->desc, sizeof(t->desc), "this process, uid %u (no --pid, --user or --unit)",
			 (unsigned)geteuid());
		t->uid = geteuid();
		t->ngids = 0;
		t->gids[t->ngids++] = getegid();
		n = getgroups(MAX_GROUPS, g);
		for (i = 0; i < n && t->ngids < ARRAY_SIZE(t->gids); i++)
			t->gids[t->ngids++] = g[i];
		if (!getrlimit(RLIMIT_MEMLOCK, &rl)) {
			t->have_limit = true;
			t->soft_inf = rl.rlim_cur == RLIM_INFINITY;
			t->hard_inf = rl.rlim_max == RLIM_INFINITY;
			t->soft = t->soft_inf ? 0 : rl.rlim_cur;
			t->hard = t->hard_inf ? 0 : rl.rlim_max;
			snprintf(t->limit_from, sizeof(t->limit_from), "getrlimit of this process");
		}
		if (caps) {
			cap_get_flag(caps, CAP_IPC_LOCK, CAP_EFFECTIVE, &v);
			cap_free(caps);
			t->have_caps = true;
			t->cap_ipc_lock = v == CAP_SET;
			snprintf(t->cap_from, sizeof(t->cap_from), "effective set of this process");
		}
		t->known = true;
		binary_caps(t, c->o->binary);
	}
}

int check_target(struct check_ctx *c)
{
	struct target *t = &c->f.tgt;

	memset(t, 0, sizeof(*t));
	if (c->o->pid) {
		t->kind = TGT_PID;
		snprintf(t->desc, sizeof(t->desc), "process %s", c->o->pid);
		target_pid(c, t);
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
