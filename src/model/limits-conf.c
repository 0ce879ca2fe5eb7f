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
 *  - which files, in which order: host/limits-conf.c.
 * Pure.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "model/limits-conf.h"
#include "lib/util.h"

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
