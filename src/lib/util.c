// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lib/util.h"

int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!s || !*s || *s == '-' || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	/* Decimal, or hex with 0x: never octal ("010" is ten). */
	*out = strtoull(s, &end, strncasecmp(s, "0x", 2) ? 10 : 16);
	if (errno)
		return -ERANGE;
	return *end ? -EINVAL : 0;
}

int parse_size(const char *s, uint64_t *out)
{
	static const char units[] = "KMGTP";
	const char *u;
	char *end;
	uint64_t v;
	int shift = 0;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -ERANGE;
	if (*end) {
		u = strchr(units, toupper((unsigned char)*end));
		if (!u)
			return -EINVAL;
		shift = 10 * (int)(u - units + 1);
		end++;
		if (!strcasecmp(end, "iB") || !strcasecmp(end, "B"))
			end += strlen(end);
		if (*end)
			return -EINVAL;
	}
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = v << shift;
	return 0;
}

void format_size(char *buf, size_t size, uint64_t bytes)
{
	static const char units[] = "BKMGTPE";
	double v = (double)bytes;
	int i = 0;

	while (v >= 1024 && i < 6) {
		v /= 1024;
		i++;
	}
	if (i == 0)
		snprintf(buf, size, "%lluB", (unsigned long long)bytes);
	else if (v >= 100 || v == (uint64_t)v)
		snprintf(buf, size, "%.0f%c", v, units[i]);
	else
		snprintf(buf, size, "%.1f%c", v, units[i]);
}

/* v / 1024^unit with `digits` decimals, trailing zeros (and a bare point) dropped. */
static void size_in_unit(char *buf, size_t size, uint64_t bytes, int unit, int digits)
{
	static const char units[] = "BKMGTPE";
	double v = (double)bytes;
	char *e;
	int i;

	for (i = 0; i < unit; i++)
		v /= 1024;
	snprintf(buf, size, "%.*f", digits, v);
	if (strchr(buf, '.')) {
		for (e = buf + strlen(buf) - 1; *e == '0'; e--)
			*e = '\0';
		if (*e == '.')
			*e = '\0';
	}
	e = buf + strlen(buf);
	snprintf(e, size - (size_t)(e - buf), "%c", units[unit]);
}

/* Fewest decimals (0..3) that write bytes exactly in the unit, else -1. */
static int exact_digits(uint64_t bytes, int unit)
{
	uint64_t div = 1ULL << (10 * unit), frac = bytes % div;
	int d;

	for (d = 0; d <= 3; d++) {
		if (!frac)
			return d;
		/* frac / div has d decimals when frac * 10^d is a multiple of div */
		frac = (frac * 10) % div;
	}
	return -1;
}

/* In its own unit: exactly when 3 decimals do it (1.25G), else as format_size. */
static void format_size_nice(char *buf, size_t size, uint64_t bytes)
{
	int unit = 0, d;

	while (unit < 6 && bytes >= (1ULL << (10 * (unit + 1))))
		unit++;
	d = exact_digits(bytes, unit);
	if (d >= 0)
		size_in_unit(buf, size, bytes, unit, d);
	else
		format_size(buf, size, bytes);
}

void format_size_exact(char *buf, size_t size, uint64_t bytes)
{
	int unit = 0, d;

	while (unit < 6 && bytes >= (1ULL << (10 * (unit + 1))))
		unit++;
	/* the largest unit that writes it exactly: 256.25M, 4088M, else bytes */
	for (; unit > 0; unit--) {
		d = exact_digits(bytes, unit);
		if (d >= 0) {
			size_in_unit(buf, size, bytes, unit, d);
			return;
		}
	}
	snprintf(buf, size, "%lluB", (unsigned long long)bytes);
}

void format_size_pair(char *a, size_t asize, uint64_t x, char *b, size_t bsize, uint64_t y)
{
	uint64_t big = x > y ? x : y, small = x > y ? y : x;
	int unit = 0, d, dx, dy;

	/* a tenth apart or more: each in its own unit tells them apart ("8M" vs "4G") */
	if (small == 0 || big / 11 >= small / 10) {
		format_size_nice(a, asize, x);
		format_size_nice(b, bsize, y);
		if (x == y || strcmp(a, b))
			return;
	}
	while (unit < 6 && big >= (1ULL << (10 * (unit + 1))))
		unit++;
	/* Rounding is monotonic: once the two strings differ, their order is the figures'. */
	for (d = 0; d <= 6; d++) {
		size_in_unit(a, asize, x, unit, d);
		size_in_unit(b, bsize, y, unit, d);
		if (x == y || strcmp(a, b))
			break;
	}
	if (d > 6) {   /* closer than a millionth of the unit: bytes */
		snprintf(a, asize, "%lluB", (unsigned long long)x);
		snprintf(b, bsize, "%lluB", (unsigned long long)y);
		return;
	}
	dx = exact_digits(x, unit);
	dy = exact_digits(y, unit);
	size_in_unit(a, asize, x, unit, dx >= 0 && dx > d ? dx : d);
	size_in_unit(b, bsize, y, unit, dy >= 0 && dy > d ? dy : d);
}

const char *skip_prefix(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(s, prefix, n) ? NULL : s + n;
}

int has_word(const char *list, const char *w)
{
	size_t n = strlen(w);
	const char *p = list;

	if (!n)
		return 0;
	while ((p = strstr(p, w))) {
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0' || p[n] == '\n'))
			return 1;
		p += n;
	}
	return 0;
}

size_t str_copy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (size) {
		size_t m = n < size - 1 ? n : size - 1;

		memcpy(dst, src, m);
		dst[m] = '\0';
	}
	return n;
}

long pread_u64s(int fd, uint64_t index, size_t n, uint64_t *out)
{
	size_t done = 0;
	ssize_t got;

	while (done < n) {
		got = pread(fd, (char *)out + done * 8, (n - done) * 8,
			    (off_t)((index + done) * 8));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -errno;
		done += (size_t)got / 8;
		/*
		 * EOF (past the last pfn the kernel dumps, or a dead mm), or a
		 * captured file cut in the middle of an entry.
		 */
		if (got == 0 || got % 8)
			break;
	}
	return (long)done;
}

int parse_pid(const char *s, bool self_ok, int *pid)
{
	unsigned long long v = 0;
	const char *p;

	if (self_ok && !strcmp(s, "self")) {
		*pid = 0;
		return 0;
	}
	/* The kernel names /proc/PID without a sign or leading zeros (fs/proc/util.c name_to_int). */
	if (!*s || *s == '0')
		return -EINVAL;
	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		v = v * 10 + (unsigned)(*p - '0');
		if (v > INT_MAX)     /* pid_t is an int */
			return -EINVAL;
	}
	*pid = (int)v;
	return 0;
}

/* n hex digits exactly (lower or upper case), no sign, no prefix. */
static int hex_field(const char *s, size_t n, unsigned *out)
{
	size_t i;

	*out = 0;
	for (i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -EINVAL;
		*out = *out * 16 + (unsigned)(isdigit((unsigned char)s[i]) ? s[i] - '0' : tolower((unsigned char)s[i]) - 'a' + 10);
	}
	return 0;
}

int bdf_parse(const char *in, char *out, size_t size)
{
	const char *p = in, *colon;
	unsigned dom = 0, bus, dev, fn;
	size_t dlen;

	if (!in)
		return -EINVAL;
	colon = strchr(p, ':');
	if (colon && strchr(colon + 1, ':')) {
		/* a domain: four digits, more only for a domain above 0xffff, no leading zero then */
		dlen = (size_t)(colon - p);
		if (dlen < 4 || dlen > 6 || (dlen > 4 && p[0] == '0') || hex_field(p, dlen, &dom))
			return -EINVAL;
		p = colon + 1;
	}
	if (strlen(p) != 7 || p[2] != ':' || p[5] != '.' ||
	    hex_field(p, 2, &bus) || hex_field(p + 3, 2, &dev) || hex_field(p + 6, 1, &fn))
		return -EINVAL;
	if (dev > 0x1f || fn > 7)
		return -EINVAL;
	if (out)
		snprintf(out, size, "%04x:%02x:%02x.%x", dom, bus, dev, fn);
	return 0;
}
