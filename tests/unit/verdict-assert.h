/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers for the judge tests: run a judge into a fresh verdict, look for words in it. */
#ifndef VP_TEST_VERDICT_ASSERT_H
#define VP_TEST_VERDICT_ASSERT_H

#include <stdio.h>
#include <string.h>

#include "model/verdict.h"

/* The text contains the words (a failure prints both). */
#define assert_has(text, words) do { \
	if (!strstr((text), (words))) { \
		print_error("'%s' lacks '%s'\n", (text), (words)); \
		fail(); \
	} \
} while (0)

#define assert_lacks(text, words) do { \
	if (strstr((text), (words))) { \
		print_error("'%s' has '%s'\n", (text), (words)); \
		fail(); \
	} \
} while (0)

static inline void verdict_reset(struct check_result *r)
{
	memset(r, 0, sizeof(*r));
	r->status = ST_UNKNOWN;
}

#endif
