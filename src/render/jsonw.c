// SPDX-License-Identifier: GPL-2.0-or-later
#include <inttypes.h>

#include "render/jsonw.h"

void jw_init(struct jsonw *w, FILE *out)
{
	w->out = out;
	w->depth = 0;
	w->first[0] = true;
	w->after_key = false;
}

static void indent(struct jsonw *w)
{
	int i;

	fputc('\n', w->out);
	for (i = 0; i < w->depth; i++)
		fputs("  ", w->out);
}

static void put_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* Separator, indentation and key before any value. */
static void begin_value(struct jsonw *w, const char *key)
{
	if (w->depth > 0) {
		if (!w->first[w->depth])
			fputc(',', w->out);
		indent(w);
	}
	w->first[w->depth] = false;
	if (key) {
		put_string(w->out, key);
		fputs(": ", w->out);
	}
}

static void open_container(struct jsonw *w, const char *key, char c)
{
	begin_value(w, key);
	fputc(c, w->out);
	if (w->depth + 1 < JSONW_MAX_DEPTH)
		w->depth++;
	w->first[w->depth] = true;
}

static void close_container(struct jsonw *w, char c)
{
	bool empty = w->first[w->depth];

	if (w->depth > 0)
		w->depth--;
	if (!empty)
		indent(w);
	fputc(c, w->out);
}

void jw_open_obj(struct jsonw *w, const char *key) { open_container(w, key, '{'); }
void jw_close_obj(struct jsonw *w) { close_container(w, '}'); }
void jw_open_arr(struct jsonw *w, const char *key) { open_container(w, key, '['); }
void jw_close_arr(struct jsonw *w) { close_container(w, ']'); }

void jw_str(struct jsonw *w, const char *key, const char *val)
{
	begin_value(w, key);
	if (val)
		put_string(w->out, val);
	else
		fputs("null", w->out);
}

void jw_u64(struct jsonw *w, const char *key, uint64_t val)
{
	begin_value(w, key);
	fprintf(w->out, "%" PRIu64, val);
}

void jw_i64(struct jsonw *w, const char *key, int64_t val)
{
	begin_value(w, key);
	fprintf(w->out, "%" PRId64, val);
}

void jw_bool(struct jsonw *w, const char *key, bool val)
{
	begin_value(w, key);
	fputs(val ? "true" : "false", w->out);
}

void jw_null(struct jsonw *w, const char *key)
{
	begin_value(w, key);
	fputs("null", w->out);
}

void jw_u64_or_null(struct jsonw *w, const char *key, bool known, uint64_t val)
{
	if (known)
		jw_u64(w, key, val);
	else
		jw_null(w, key);
}

void jw_hex(struct jsonw *w, const char *key, uint64_t val)
{
	begin_value(w, key);
	fprintf(w->out, "\"0x%" PRIx64 "\"", val);
}

void jw_end(struct jsonw *w)
{
	fputc('\n', w->out);
	fflush(w->out);
}
