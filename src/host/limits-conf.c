// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Follows Linux-PAM's modules/pam_limits/pam_limits.c (1.5/1.6):
 *  - a line is "<domain> <type> <item> <value>"; '#' starts a comment;
 *    type and value are case-insensitive;
 *  - domain: a user name or a uid range "min:max", ":uid", "min:" (user
 *    entries); "@group", "@:gid" (any group of the user), "@min:max" (the
 *    primary gid) (group entries); "*" (default entry); "%..." only counts
 *    for maxlogins;
 *  - an entry replaces the value unless the value came from a more specific
 *    source (user < group < default), so among equals the later line wins;
 *    for "-" a blocked soft half also drops the hard half, as PAM does;
 *  - memlock values are KiB; "-1", "-", "unlimited", "infinity" = no limit;
 *  - "<domain> -" (two fields) applying to the user stops processing and
 *    PAM sets no limit at all;
 *  - limits.conf first (the vendor copy only when /etc has none), then every
 *    NAME.conf of limits.d sorted by file name, /etc shadowing the vendor dir.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/limits-conf.h"
#include "host/sysroot.h"
#include "lib/util.h"

#define LIMITS_CONF        "/etc/security/limits.conf"
#define LIMITS_DIR         "/etc/security/limits.d"
#define VENDOR_LIMITS_CONF "/usr/etc/security/limits.conf"
#define VENDOR_LIMITS_DIR  "/usr/etc/security/limits.d"

enum range { R_ERR = -1, R_NONE, R_ONE, R_MIN, R_MM };

void lc_init(struct lc_limit *l)
{
	memset(l, 0, sizeof(*l));
	l->src_soft = l->src_hard = LC_NONE;
}

static enum range parse_range(const char *domain, unsigned *min, unsigned *max)
{
	const char *r = domain, *pmax = strchr(domain, ':');
	enum range rv = R_MM;
	char *end;

	if (!pmax)
		return R_NONE;
	pmax++;
	if (*r == '@' || *r == '%')
		r++;
	if (*r == ':') {
		rv = R_ONE;
	} else {
		errno = 0;
		*min = (unsigned)strtoul(r, &end, 10);
		if (errno || end == r || *end != ':')
			return R_ERR;
	}
	if (!*pmax)
		return rv == R_ONE ? R_ERR : R_MIN;
	errno = 0;
	*max = (unsigned)strtoul(pmax, &end, 10);
	if (errno || end == pmax || *end)
		return R_ERR;
	if (rv == R_ONE)
		*min = *max;
	return rv;
}

static bool in_group_named(const struct lc_user *u, const char *name)
{
	size_t i;

	for (i = 0; i < u->ngroups; i++)
		if (u->groups[i] && !strcmp(u->groups[i], name))
			return true;
	return false;
}

static bool in_group_gid(const struct lc_user *u, unsigned gid)
{
	size_t i;

	for (i = 0; i < u->ngroups; i++)
		if (u->gids[i] == gid)
			return true;
	return u->gid == gid;
}

static bool in_range(enum range rt, unsigned v, unsigned min, unsigned max)
{
	switch (rt) {
	case R_ONE: return v == max;
	case R_MM: return v >= min && v <= max;
	case R_MIN: return v >= min;
	default: return false;
	}
}

/* The source this domain has for the user, or -1 when it does not apply. */
static int domain_source(const struct lc_user *u, const char *domain)
{
	unsigned min = 0, max = 0;
	enum range rt = parse_range(domain, &min, &max);

	if (rt == R_ERR)
		return -1;
	if (!strcmp(u->name, domain))
		return LC_USER;
	if (domain[0] == '@') {
		if (rt == R_NONE)
			return in_group_named(u, domain + 1) ? LC_GROUP : -1;
		if (rt == R_ONE)
			return in_group_gid(u, max) ? LC_GROUP : -1;
		return in_range(rt, u->gid, min, max) ? LC_GROUP : -1;
	}
	if (domain[0] == '%')
		return -1;   /* maxlogins only */
	if (rt == R_NONE)
		return !strcmp(domain, "*") ? LC_DEFAULT : -1;
	return in_range(rt, u->uid, min, max) ? LC_USER : -1;
}

static int parse_value(const char *v, bool *inf, uint64_t *bytes)
{
	unsigned long long kb;
	char *end;

	if (!strcmp(v, "-1") || !strcmp(v, "-") || !strcmp(v, "unlimited") ||
	    !strcmp(v, "infinity")) {
		*inf = true;
		*bytes = 0;
		return 0;
	}
	errno = 0;
	kb = strtoull(v, &end, 10);
	if (end == v)
		return -EINVAL;
	*inf = errno == ERANGE || kb >= UINT64_MAX / 1024;
	*bytes = *inf ? 0 : kb * 1024;
	return 0;
}

static void apply(struct lc_limit *l, int src, const char *type, const char *value,
		  const char *from)
{
	bool soft = !strcmp(type, "soft") || !strcmp(type, "-");
	bool hard = !strcmp(type, "hard") || !strcmp(type, "-");
	bool inf;
	uint64_t bytes;

	if ((!soft && !hard) || parse_value(value, &inf, &bytes))
		return;
	if (soft) {
		if (l->src_soft < src)
			return;
		l->src_soft = src;
		l->soft_inf = inf;
		l->soft = bytes;
		str_copy(l->soft_from, sizeof(l->soft_from), from);
	}
	if (hard) {
		if (l->src_hard < src)
			return;
		l->src_hard = src;
		l->hard_inf = inf;
		l->hard = bytes;
		str_copy(l->hard_from, sizeof(l->hard_from), from);
	}
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* One line, comment stripped; returns 1 for an applicable "<domain> -". */
static int apply_line(struct lc_limit *l, const struct lc_user *u, char *line, const char *from)
{
	char *save = NULL, *domain, *type, *item, *value, *e;
	int src;

	domain = strtok_r(line, " \t", &save);
	type = strtok_r(NULL, " \t", &save);
	item = strtok_r(NULL, " \t", &save);
	value = strtok_r(NULL, "", &save);
	if (!domain || !type)
		return 0;
	lower(type);
	if (!item) {
		if (type[0] != '-' || domain_source(u, domain) < 0)
			return 0;
		l->no_limits = true;
		str_copy(l->no_limits_from, sizeof(l->no_limits_from), from);
		return 1;
	}
	if (!value)
		return 0;
	while (*value == ' ' || *value == '\t')
		value++;
	for (e = value + strlen(value); e > value && (e[-1] == ' ' || e[-1] == '\t'); )
		*--e = '\0';
	lower(item);
	lower(value);
	if (strcmp(item, "memlock"))
		return 0;
	src = domain_source(u, domain);
	if (src >= 0)
		apply(l, src, type, value, from);
	return 0;
}

int lc_apply_text(struct lc_limit *l, const struct lc_user *u, const char *text, const char *fname)
{
	const char *p = text;
	char line[1024], from[160];
	unsigned lineno = 0;

	while (*p) {
		size_t n = strcspn(p, "\n");
		char *s, *hash;

		lineno++;
		snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) ? n : sizeof(line) - 1), p);
		p += n;
		if (*p == '\n')
			p++;
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		for (s = line; isspace((unsigned char)*s); s++)
			;
		if (!*s)
			continue;
		snprintf(from, sizeof(from), "%s:%u", fname, lineno);
		if (apply_line(l, u, s, from))
			return 1;
	}
	return 0;
}

static int apply_file(struct lc_limit *l, const struct lc_user *u, const char *path)
{
	char *text;
	int rc = sr_read_text(path, &text, NULL);

	if (rc)
		return rc == -ENOENT ? 0 : rc;
	rc = lc_apply_text(l, u, text, path);
	free(text);
	return rc;
}

struct conf_file {
	char name[256];
	const char *dir;
};

static int cmp_conf(const void *a, const void *b)
{
	return strcmp(((const struct conf_file *)a)->name, ((const struct conf_file *)b)->name);
}

static bool listed(const struct conf_file *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return true;
	return false;
}

/* Add DIR's NAME.conf (glob skips dot files) unless a file of that name is listed already. */
static int collect(struct conf_file **v, size_t *n, size_t *cap, const char *dir)
{
	struct dirent *de;
	DIR *d = sr_opendir(dir);
	size_t len;

	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	while ((de = readdir(d))) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 6 || strcmp(de->d_name + len - 5, ".conf") ||
		    len >= sizeof((*v)->name) || listed(*v, *n, de->d_name))
			continue;
		if (*n == *cap) {
			struct conf_file *nv = realloc(*v, (*cap ? *cap * 2 : 8) * sizeof(**v));

			if (!nv) {
				closedir(d);
				return -ENOMEM;
			}
			*v = nv;
			*cap = *cap ? *cap * 2 : 8;
		}
		str_copy((*v)[*n].name, sizeof((*v)[*n].name), de->d_name);
		(*v)[(*n)++].dir = dir;
	}
	closedir(d);
	return 0;
}

int lc_resolve(struct lc_limit *l, const struct lc_user *u)
{
	struct conf_file *v = NULL;
	size_t i, n = 0, cap = 0;
	char path[600];
	int rc;

	lc_init(l);
	rc = apply_file(l, u, sr_exists(LIMITS_CONF) ? LIMITS_CONF : VENDOR_LIMITS_CONF);
	if (rc)
		return rc < 0 ? rc : 0;
	rc = collect(&v, &n, &cap, LIMITS_DIR);
	if (!rc)
		rc = collect(&v, &n, &cap, VENDOR_LIMITS_DIR);
	if (rc)
		goto out;
	qsort(v, n, sizeof(*v), cmp_conf);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", v[i].dir, v[i].name);
		rc = apply_file(l, u, path);
		if (rc)
			break;
	}
	if (rc > 0)
		rc = 0;
out:
	free(v);
	return rc;
}
