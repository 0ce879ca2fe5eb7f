// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests: src/jsonw.c — exact text of nested documents, escaping, empty containers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "render/jsonw.h"

struct doc {
	FILE *f;
	char *buf;
	size_t len;
	struct jsonw w;
};

static void doc_begin(struct doc *d)
{
	d->buf = NULL;
	d->len = 0;
	d->f = open_memstream(&d->buf, &d->len);
	assert_non_null(d->f);
	jw_init(&d->w, d->f);
}

/* Finish and compare the whole text; frees the buffer. */
static void doc_expect(struct doc *d, const char *want)
{
	assert_int_equal(fclose(d->f), 0);
	assert_string_equal(d->buf, want);
	assert_int_equal(d->len, strlen(want));
	free(d->buf);
}

static void test_nested_report(void **state)
{
	struct doc d;
	struct jsonw *w = &d.w;

	(void)state;
	doc_begin(&d);
	jw_open_obj(w, NULL);
	jw_str(w, "pid", "4012");
	jw_u64(w, "vm_lck", 17179869184ULL);
	jw_i64(w, "headroom", -8589934592LL);
	jw_bool(w, "over_limit", true);
	jw_bool(w, "multi_context", false);
	jw_null(w, "syspath");
	jw_str(w, "driver", NULL);
	jw_hex(w, "pfn", 0x10000);
	jw_open_arr(w, "groups");
	jw_open_obj(w, NULL);
	jw_u64(w, "group", 42);
	jw_open_arr(w, "devices");
	jw_str(w, NULL, "0000:01:00.0");
	jw_str(w, NULL, "0000:01:00.1");
	jw_close_arr(w);
	jw_close_obj(w);
	jw_open_obj(w, NULL);
	jw_u64(w, "group", 43);
	jw_open_arr(w, "devices");
	jw_close_arr(w);
	jw_close_obj(w);
	jw_close_arr(w);
	jw_open_obj(w, "totals");
	jw_u64(w, "anon", 0);
	jw_hex(w, "max", UINT64_MAX);
	jw_close_obj(w);
	jw_close_obj(w);
	jw_end(w);
	doc_expect(&d,
		"{\n"
		"  \"pid\": \"4012\",\n"
		"  \"vm_lck\": 17179869184,\n"
		"  \"headroom\": -8589934592,\n"
		"  \"over_limit\": true,\n"
		"  \"multi_context\": false,\n"
		"  \"syspath\": null,\n"
		"  \"driver\": null,\n"
		"  \"pfn\": \"0x10000\",\n"
		"  \"groups\": [\n"
		"    {\n"
		"      \"group\": 42,\n"
		"      \"devices\": [\n"
		"        \"0000:01:00.0\",\n"
		"        \"0000:01:00.1\"\n"
		"      ]\n"
		"    },\n"
		"    {\n"
		"      \"group\": 43,\n"
		"      \"devices\": []\n"
		"    }\n"
		"  ],\n"
		"  \"totals\": {\n"
		"    \"anon\": 0,\n"
		"    \"max\": \"0xffffffffffffffff\"\n"
		"  }\n"
		"}\n");
}

static void test_number_limits(void **state)
{
	struct doc d;

	(void)state;
	doc_begin(&d);
	jw_open_arr(&d.w, NULL);
	jw_u64(&d.w, NULL, UINT64_MAX);
	jw_i64(&d.w, NULL, INT64_MIN);
	jw_i64(&d.w, NULL, INT64_MAX);
	jw_i64(&d.w, NULL, 0);
	jw_hex(&d.w, NULL, 0);
	jw_close_arr(&d.w);
	jw_end(&d.w);
	doc_expect(&d,
		"[\n"
		"  18446744073709551615,\n"
		"  -9223372036854775808,\n"
		"  9223372036854775807,\n"
		"  0,\n"
		"  \"0x0\"\n"
		"]\n");
}

static void test_empty_containers(void **state)
{
	struct doc d;

	(void)state;
	doc_begin(&d);
	jw_open_obj(&d.w, NULL);
	jw_close_obj(&d.w);
	jw_end(&d.w);
	doc_expect(&d, "{}\n");

	doc_begin(&d);
	jw_open_arr(&d.w, NULL);
	jw_close_arr(&d.w);
	jw_end(&d.w);
	doc_expect(&d, "[]\n");

	doc_begin(&d);
	jw_open_obj(&d.w, NULL);
	jw_open_arr(&d.w, "vmas");
	jw_close_arr(&d.w);
	jw_open_obj(&d.w, "limits");
	jw_close_obj(&d.w);
	jw_open_arr(&d.w, "nested");
	jw_open_arr(&d.w, NULL);
	jw_close_arr(&d.w);
	jw_open_obj(&d.w, NULL);
	jw_close_obj(&d.w);
	jw_close_arr(&d.w);
	jw_close_obj(&d.w);
	jw_end(&d.w);
	doc_expect(&d,
		"{\n"
		"  \"vmas\": [],\n"
		"  \"limits\": {},\n"
		"  \"nested\": [\n"
		"    [],\n"
		"    {}\n"
		"  ]\n"
		"}\n");
}

static void test_string_escaping(void **state)
{
	struct doc d;

	(void)state;
	doc_begin(&d);
	jw_open_arr(&d.w, NULL);
	jw_str(&d.w, NULL, "say \"hi\"");
	jw_str(&d.w, NULL, "C:\\dir\\");
	jw_str(&d.w, NULL, "line1\nline2\ttab");
	jw_str(&d.w, NULL, "\r\b\f\x01\x1f\x7f");
	jw_str(&d.w, NULL, "/memfd:pc.ram (deleted)");       /* '/' needs no escape */
	jw_str(&d.w, NULL, "Ger\xc3\xa4t \xe2\x9c\x93");     /* UTF-8 passes through */
	jw_str(&d.w, NULL, "");
	jw_close_arr(&d.w);
	jw_end(&d.w);
	doc_expect(&d,
		"[\n"
		"  \"say \\\"hi\\\"\",\n"
		"  \"C:\\\\dir\\\\\",\n"
		"  \"line1\\nline2\\ttab\",\n"
		"  \"\\u000d\\u0008\\u000c\\u0001\\u001f\\u007f\",\n"
		"  \"/memfd:pc.ram (deleted)\",\n"
		"  \"Ger\xc3\xa4t \xe2\x9c\x93\",\n"
		"  \"\"\n"
		"]\n");
}

static void test_key_escaping(void **state)
{
	struct doc d;

	(void)state;
	doc_begin(&d);
	jw_open_obj(&d.w, NULL);
	jw_u64(&d.w, "a\"b", 1);
	jw_bool(&d.w, "back\\slash", true);
	jw_null(&d.w, "new\nline");
	jw_close_obj(&d.w);
	jw_end(&d.w);
	doc_expect(&d,
		"{\n"
		"  \"a\\\"b\": 1,\n"
		"  \"back\\\\slash\": true,\n"
		"  \"new\\nline\": null\n"
		"}\n");
}

/* The deepest nesting the writer supports: JSONW_MAX_DEPTH - 1 containers. */
static void test_deep_nesting(void **state)
{
	char want[4096], *p = want;
	struct doc d;
	int i, j, levels = JSONW_MAX_DEPTH - 1;

	(void)state;
	doc_begin(&d);
	for (i = 0; i < levels; i++)
		jw_open_arr(&d.w, NULL);
	jw_u64(&d.w, NULL, 7);
	for (i = 0; i < levels; i++)
		jw_close_arr(&d.w);
	jw_end(&d.w);

	/* "[\n  [\n    [ ... 7 ... ]\n  ]\n]\n", written out by hand */
	for (i = 0; i < levels; i++) {
		for (j = 0; j < i; j++)
			p += sprintf(p, "  ");
		p += sprintf(p, "[\n");
	}
	for (j = 0; j < levels; j++)
		p += sprintf(p, "  ");
	p += sprintf(p, "7\n");
	for (i = levels - 1; i >= 0; i--) {
		for (j = 0; j < i; j++)
			p += sprintf(p, "  ");
		p += sprintf(p, "]\n");
	}
	doc_expect(&d, want);
}

static void test_end_flushes(void **state)
{
	struct jsonw w;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	jw_init(&w, f);
	jw_open_obj(&w, NULL);
	jw_u64(&w, "n", 1);
	jw_close_obj(&w);
	jw_end(&w);
	/* visible without fclose: jw_end flushes */
	assert_int_equal(len, strlen("{\n  \"n\": 1\n}\n"));
	assert_string_equal(buf, "{\n  \"n\": 1\n}\n");
	fclose(f);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nested_report),
		cmocka_unit_test(test_number_limits),
		cmocka_unit_test(test_empty_containers),
		cmocka_unit_test(test_string_escaping),
		cmocka_unit_test(test_key_escaping),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_end_flushes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
