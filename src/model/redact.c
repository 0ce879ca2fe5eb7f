// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Secrets on a VMM's command line, by where QEMU and its block drivers take
 * them: docs/system/secrets (secret objects), the -spice/-vnc/-iscsi option
 * lists, block/rbd.c (the legacy "rbd:pool/img:key=..." filename) and URL
 * userinfo (block/iscsi.c parses "iscsi://user%password@host", curl URLs
 * "user:password@").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/redact.h"

struct sbuf {
	char *p;
	size_t n, cap;
	bool oom;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	char *np;

	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = (b->n + n + 1) * 2;

		np = realloc(b->p, cap);
		if (!np) {
			b->oom = true;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static char *sb_done(struct sbuf *b)
{
	if (b->oom || !b->p) {
		free(b->p);
		return b->oom ? NULL : strdup("");
	}
	return b->p;
}

/* Copy s, replacing [from, to) with REDACTED. */
static char *splice(const char *s, size_t from, size_t to)
{
	struct sbuf b = { 0 };

	sb_add(&b, s, from);
	sb_add(&b, REDACTED, strlen(REDACTED));
	sb_add(&b, s + to, strlen(s + to));
	return sb_done(&b);
}

/* Replaces *s by next (freed on failure); false when out of memory. */
static bool take(char **s, char *next)
{
	if (!next)
		return false;
	free(*s);
	*s = next;
	return true;
}

/* JSON: the string value of every "data", "password", "passwd", "key" member. */
static bool redact_json(char **s)
{
	static const char *const keys[] = { "\"data\"", "\"password\"", "\"passwd\"", "\"key\"", NULL };
	size_t at = 0;
	int i;

	if ((*s)[strspn(*s, " \t")] != '{')
		return true;
	for (i = 0; keys[i]; i++, at = 0) {
		const char *k;

		while ((k = strstr(*s + at, keys[i]))) {
			const char *v = k + strlen(keys[i]), *e;

			v += strspn(v, " \t");
			if (*v++ != ':') {
				at = (size_t)(k - *s) + 1;
				continue;
			}
			v += strspn(v, " \t");
			if (*v++ != '"') {
				at = (size_t)(k - *s) + 1;
				continue;
			}
			for (e = v; *e && *e != '"'; e++)
				if (*e == '\\' && e[1])
					e++;
			at = (size_t)(v - *s) + strlen(REDACTED) + 1;
			if (!take(s, splice(*s, (size_t)(v - *s), (size_t)(e - *s))))
				return false;
		}
	}
	return true;
}

/* scheme://user:pass@host and iscsi's user%pass@host: the password part. */
static bool redact_url(char **s)
{
	size_t at = 0;
	const char *u;

	while ((u = strstr(*s + at, "://"))) {
		const char *auth = u + 3, *end = auth + strcspn(auth, "/?#,"), *atsign = NULL, *p, *sep;

		for (p = auth; p < end; p++)
			if (*p == '@')
				atsign = p;
		at = (size_t)(end - *s);
		if (!atsign)
			continue;
		for (sep = auth; sep < atsign && *sep != ':' && *sep != '%'; sep++)
			;
		if (sep >= atsign)
			continue;
		at = (size_t)(sep + 1 - *s) + strlen(REDACTED);
		if (!take(s, splice(*s, (size_t)(sep + 1 - *s), (size_t)(atsign - *s))))
			return false;
	}
	return true;
}

/* rbd:pool/image[@snap][:opt=val[:opt=val...]]: ':' inside a value is escaped as '\:'. */
static bool redact_rbd(char **s)
{
	size_t at = 0;
	const char *r;

	while ((r = strstr(*s + at, "rbd:"))) {
		const char *p = r + 4, *end = p;

		while (*end && !(*end == ',' && end[1] != ',')) {
			if (*end == ',')   /* ",," is QEMU's escaped comma */
				end++;
			end++;
		}
		at = (size_t)(end - *s);
		for (; p < end; p++) {
			const char *v, *e;

			if (*p != ':' || strncmp(p + 1, "key=", 4))
				continue;
			v = p + 5;
			for (e = v; e < end && *e != ':'; e++)
				if (*e == '\\' && e + 1 < end)
					e++;
			at = (size_t)(v - *s) + strlen(REDACTED);
			if (!take(s, splice(*s, (size_t)(v - *s), (size_t)(e - *s))))
				return false;
			break;   /* one key per spec; the loop goes on after it */
		}
	}
	return true;
}

static bool is_boolean(const char *v, size_t n)
{
	static const char *const words[] = { "on", "off", "yes", "no", "true", "false", NULL };
	int i;

	for (i = 0; words[i]; i++)
		if (n == strlen(words[i]) && !strncmp(v, words[i], n))
			return true;
	return false;
}

/* End of the element of a QEMU option list that starts at p (",," is a literal comma). */
static const char *elem_end(const char *p)
{
	while (*p) {
		if (*p == ',' && p[1] == ',') {
			p += 2;
			continue;
		}
		if (*p == ',')
			break;
		p++;
	}
	return p;
}

static bool secret_object(const char *s)
{
	const char *p;

	if (!strncmp(s, "secret,", 7) || !strcmp(s, "secret"))
		return true;
	for (p = s; *p; p = *p ? p + 1 : p) {
		if (!strncmp(p, "qom-type=secret", 15) && (p[15] == ',' || !p[15]))
			return true;
		p = elem_end(p);
	}
	return false;
}

/* key=value lists: password=, passwd= (not booleans), and data= of a secret object. */
static bool redact_list(char **s)
{
	bool secret = secret_object(*s);
	size_t at = 0;

	while ((*s)[at]) {
		const char *p = *s + at, *e = elem_end(p), *eq = memchr(p, '=', (size_t)(e - p));
		size_t klen = eq ? (size_t)(eq - p) : 0;
		bool hide = false;

		if (eq) {
			hide = ((klen == 8 && !strncmp(p, "password", 8)) ||
				(klen == 6 && !strncmp(p, "passwd", 6))) &&
			       !is_boolean(eq + 1, (size_t)(e - eq - 1));
			hide |= secret && klen == 4 && !strncmp(p, "data", 4);
		}
		if (hide && e > eq + 1) {
			size_t v = (size_t)(eq + 1 - *s);

			if (!take(s, splice(*s, v, (size_t)(e - *s))))
				return false;
			e = *s + v + strlen(REDACTED);
		}
		at = (size_t)(e - *s) + (*e ? 1 : 0);
	}
	return true;
}

char *redact_arg(const char *arg)
{
	char *s = strdup(arg);

	if (!s)
		return NULL;
	if (!redact_json(&s) || !redact_url(&s) || !redact_rbd(&s) || !redact_list(&s)) {
		free(s);
		return NULL;
	}
	return s;
}

char *redact_argv(const char *in, size_t len, size_t *outlen)
{
	struct sbuf b = { 0 };
	size_t i = 0;

	while (i < len) {
		size_t n = strnlen(in + i, len - i);
		char *arg = strndup(in + i, n), *r = arg ? redact_arg(arg) : NULL;

		free(arg);
		if (!r) {
			free(b.p);
			return NULL;
		}
		sb_add(&b, r, strlen(r) + 1);
		free(r);
		i += n + 1;
	}
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	*outlen = b.n;
	return b.p ? b.p : calloc(1, 1);
}

bool redact_related_param(const char *p, size_t n)
{
	static const char *const prefixes[] = {
		"intel_iommu", "amd_iommu", "iommu", "vfio", "hugepage", "default_hugepagesz",
		"transparent_hugepage", "kvm", "pci=", "pcie_acs_override", "modprobe.blacklist",
		"module_blacklist", "isolcpus", "mem=", NULL,
	};
	int i;

	for (i = 0; prefixes[i]; i++)
		if (n >= strlen(prefixes[i]) && !strncmp(p, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

char *redact_kernel_cmdline(const char *text)
{
	struct sbuf b = { 0 };
	const char *p;

	for (p = text; *p;) {
		size_t n;

		while (*p == ' ' || *p == '\n')
			p++;
		n = strcspn(p, " \n");
		if (n && redact_related_param(p, n)) {
			if (b.n)
				sb_add(&b, " ", 1);
			sb_add(&b, p, n);
		}
		p += n;
	}
	if (b.n)
		sb_add(&b, "\n", 1);
	return sb_done(&b);
}

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

/* resourceN, resourceN_wc, resourceN_resize: the BAR itself (mmap/read of device memory). */
static bool pci_bar_file(const char *b)
{
	if (strncmp(b, "resource", 8) || b[8] < '0' || b[8] > '9')
		return false;
	return true;
}

bool redact_path_denied(const char *path)
{
	static const char *const etc[] = {
		"/etc/shadow", "/etc/shadow-", "/etc/gshadow", "/etc/gshadow-", "/etc/security/opasswd",
		NULL,
	};
	static const char *const kernel[] = {
		"/proc/kcore", "/proc/kmem", "/proc/kpagecount", "/proc/kpagecgroup", "/dev/mem",
		"/dev/kmem", "/dev/port", NULL,
	};
	const char *b = base_name(path);
	int i;

	for (i = 0; etc[i]; i++)
		if (!strcmp(path, etc[i]))
			return true;
	for (i = 0; kernel[i]; i++)
		if (!strcmp(path, kernel[i]))
			return true;
	if (!strncmp(path, "/proc/", 6) && (!strcmp(b, "environ") || !strcmp(b, "mem")))
		return true;
	if (!strncmp(path, "/sys/", 5) && (pci_bar_file(b) || !strcmp(b, "rom") || !strcmp(b, "config")))
		return true;
	return false;
}

bool redact_path_pages(const char *path, char *pid, size_t size)
{
	const char *p = path + 6;
	size_t n;

	if (!strcmp(path, "/proc/kpageflags")) {
		pid[0] = '\0';
		return true;
	}
	if (strncmp(path, "/proc/", 6))
		return false;
	n = strspn(p, "0123456789");
	if (!n || n >= size || strcmp(p + n, "/pagemap"))
		return false;
	memcpy(pid, p, n);
	pid[n] = '\0';
	return true;
}
