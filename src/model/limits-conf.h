/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pam_limits' memlock rule: one limits.conf-format file applied to a user.
 * Pure (host/limits-conf.c reads the files).
 */
#ifndef VP_MODEL_LIMITS_CONF_H
#define VP_MODEL_LIMITS_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lc_user {
	const char *name;
	unsigned uid, gid;             /* gid: the primary group */
	const unsigned *gids;          /* every group of the user, primary included */
	const char *const *groups;     /* their names, same order */
	size_t ngroups;
};

/* pam_limits' sources, most specific first: a lower one is never overridden by a higher. */
enum lc_source {
	LC_USER = 0, LC_GROUP = 1, LC_DEFAULT = 4, LC_NONE = 6,
};

struct lc_limit {
	int src_soft, src_hard;        /* enum lc_source */
	bool soft_inf, hard_inf;
	uint64_t soft, hard;           /* bytes */
	char soft_from[160], hard_from[160];  /* "FILE:LINE" of the line that set it */
	bool no_limits;                /* an applicable "<domain> -" line: PAM sets nothing */
	char no_limits_from[160];
};

void lc_init(struct lc_limit *l);
/* Apply one file.  Returns 1 when a "<domain> -" line stops all processing, else 0. */
int lc_apply_text(struct lc_limit *l, const struct lc_user *u, const char *text, const char *fname);
#endif
