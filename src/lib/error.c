// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/error.h"

static char err_line[1024];
static int err_code = -1;

static void err_vset(int exit_code, const char *fmt, va_list ap)
{
	vsnprintf(err_line, sizeof(err_line), fmt, ap);
	err_code = exit_code;
}

void err_set(int exit_code, const char *fmt, ...)
{
	va_list ap;

	if (err_code >= 0)
		return;
	va_start(ap, fmt);
	err_vset(exit_code, fmt, ap);
	va_end(ap);
}

void err_replace(int exit_code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(exit_code, fmt, ap);
	va_end(ap);
}

int err_isset(void)
{
	return err_code >= 0;
}

void err_clear(void)
{
	err_code = -1;
	err_line[0] = '\0';
}

const char *err_message(void)
{
	return err_code >= 0 ? err_line : NULL;
}

int err_exit_code(void)
{
	return err_code;
}

const char *errno_name(int err)
{
	static __thread char buf[16];
	const char *name;

	if (err < 0)
		err = -err;
	/* glibc 2.32+: the symbolic name, or NULL for a number it does not know */
	name = err ? strerrorname_np(err) : NULL;   /* it names 0 "0"; we always said "E0" */
	if (name)
		return name;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}
