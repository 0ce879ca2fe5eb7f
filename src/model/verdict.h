/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A check's verdict: a stable id, an optional subject (a device, a group), a
 * status, a one-line finding and, when not PASS, the fix.  The judges
 * (model/judge-*.c) fill them; check/ appends them to the run's list.
 */
#ifndef VP_MODEL_VERDICT_H
#define VP_MODEL_VERDICT_H

#include <stdbool.h>
#include <stddef.h>

enum check_status {
	ST_PASS,
	ST_WARN,
	ST_FAIL,
	ST_SKIP,      /* not applicable or not asked for */
	ST_UNKNOWN,   /* could not check (an error, a missing file) */
};

struct check_result {
	char id[32];
	char subject[32];
	enum check_status status;
	char finding[1024];
	char fix[512];
};

struct check_list {
	struct check_result *v;
	size_t n, cap;
};

/* Append a result; NULL only when out of memory (then the run is UNKNOWN). */
struct check_result *check_add(struct check_list *l, const char *id, const char *subject);
void check_set(struct check_result *r, enum check_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void check_fix(struct check_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void check_list_free(struct check_list *l);

const char *check_status_name(enum check_status st);      /* "PASS" */
/* Prometheus value: 0 pass, 1 warn, 2 fail, 3 skip or unknown. */
int check_status_value(enum check_status st);
/* Monitoring-plugin exit code: 2 if any FAIL, else 3 if any UNKNOWN, else 1 if any WARN, else 0. */
int check_exit_code(const struct check_list *l);
const char *check_exit_name(int code);                     /* "OK" "WARNING" ... */

#endif
