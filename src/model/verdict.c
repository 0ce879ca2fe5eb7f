// SPDX-License-Identifier: GPL-2.0-or-later
/* Check verdicts: the list, statuses, and the monitoring-plugin exit code.  Pure. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/verdict.h"
#include "lib/util.h"

struct check_result *check_add(struct check_list *l, const char *id, const char *subject)
{
	struct check_result *r;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct check_result *nv = realloc(l->v, cap * sizeof(*nv));

		if (!nv)
			return NULL;
		l->v = nv;
		l->cap = cap;
	}
	r = &l->v[l->n++];
	memset(r, 0, sizeof(*r));
	str_copy(r->id, sizeof(r->id), id);
	str_copy(r->subject, sizeof(r->subject), subject ? subject : "");
	r->status = ST_UNKNOWN;
	return r;
}

void check_set(struct check_result *r, enum check_status st, const char *fmt, ...)
{
	va_list ap;

	r->status = st;
	va_start(ap, fmt);
	vsnprintf(r->finding, sizeof(r->finding), fmt, ap);
	va_end(ap);
}

void check_fix(struct check_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->fix, sizeof(r->fix), fmt, ap);
	va_end(ap);
}

void check_list_free(struct check_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

const char *check_status_name(enum check_status st)
{
	static const char *const names[] = {
		[ST_PASS] = "PASS", [ST_WARN] = "WARN", [ST_FAIL] = "FAIL",
		[ST_SKIP] = "SKIP", [ST_UNKNOWN] = "UNKNOWN",
	};

	return names[st];
}

int check_status_value(enum check_status st)
{
	switch (st) {
	case ST_PASS: return 0;
	case ST_WARN: return 1;
	case ST_FAIL: return 2;
	default: return 3;
	}
}

int check_exit_code(const struct check_list *l)
{
	bool warn = false, unknown = false;
	size_t i;

	for (i = 0; i < l->n; i++) {
		switch (l->v[i].status) {
		case ST_FAIL: return 2;
		case ST_UNKNOWN: unknown = true; break;
		case ST_WARN: warn = true; break;
		default: break;
		}
	}
	/* A check that could not run may hide a failure: that outranks a warning. */
	return unknown ? 3 : warn ? 1 : 0;
}

const char *check_exit_name(int code)
{
	static const char *const names[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

	return code >= 0 && code <= 3 ? names[code] : "UNKNOWN";
}
