/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A streaming JSON writer for nested reports (libsmartcols covers flat tables;
 * the report objects of inspect/map/check nest).  Streams, so a long vma list
 * costs no memory.
 */
#ifndef VP_JSONW_H
#define VP_JSONW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSONW_MAX_DEPTH 16

struct jsonw {
	FILE *out;
	int depth;
	bool first[JSONW_MAX_DEPTH];
	bool after_key;
};

void jw_init(struct jsonw *w, FILE *out);
void jw_open_obj(struct jsonw *w, const char *key);   /* key NULL inside arrays/top */
void jw_close_obj(struct jsonw *w);
void jw_open_arr(struct jsonw *w, const char *key);
void jw_close_arr(struct jsonw *w);
void jw_str(struct jsonw *w, const char *key, const char *val);   /* NULL -> null */
void jw_u64(struct jsonw *w, const char *key, uint64_t val);
void jw_i64(struct jsonw *w, const char *key, int64_t val);
void jw_bool(struct jsonw *w, const char *key, bool val);
void jw_null(struct jsonw *w, const char *key);
/* A figure that may be unknown: val when known, else null (unknown is never 0). */
void jw_u64_or_null(struct jsonw *w, const char *key, bool known, uint64_t val);
void jw_hex(struct jsonw *w, const char *key, uint64_t val);      /* "0x1234" */
void jw_end(struct jsonw *w);                                     /* final newline */

#endif
