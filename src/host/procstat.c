// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/procstat.h"
#include "host/sysroot.h"
#include "lib/util.h"

static const char *line_value(const char *text, const char *key)
{
	const char *p = text;
	size_t n = strlen(key);

	while (p && *p) {
		if (!strncmp(p, key, n))
			return p + n;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

static int value_kb(const char *text, const char *key, uint64_t *out)
{
	const char *p = line_value(text, key);
	unsigned long long v;

	if (!p || sscanf(p, " %llu kB", &v) != 1)
		return -ENOENT;
	*out = v;
	return 0;
}

int parse_status(const char *text, struct proc_status *st)
{
	const char *p;
	unsigned long long cap;
	size_t n;

	memset(st, 0, sizeof(*st));
	p = line_value(text, "Name:");
	if (!p)
		return -EBADMSG;
	while (*p == ' ' || *p == '\t')
		p++;
	n = strcspn(p, "\n");
	if (n >= sizeof(st->name))
		n = sizeof(st->name) - 1;
	memcpy(st->name, p, n);
	st->name[n] = '\0';
	/* Kernel threads and zombies have no mm: no Vm* lines, all zero. */
	value_kb(text, "VmLck:", &st->vm_lck_kb);
	value_kb(text, "VmSize:", &st->vm_size_kb);
	value_kb(text, "HugetlbPages:", &st->hugetlb_kb);
	st->has_vm_pin = value_kb(text, "VmPin:", &st->vm_pin_kb) == 0;
	p = line_value(text, "Uid:");
	if (p && sscanf(p, " %u %u", &st->uid_real, &st->uid_eff) != 2)
		return -EBADMSG;
	p = line_value(text, "CapEff:");
	if (p && sscanf(p, " %llx", &cap) == 1) {
		st->cap_eff = cap;
		st->has_cap_eff = true;
	}
	return 0;
}

static int limit_value(const char *s, bool *unlimited, uint64_t *v, int *used)
{
	unsigned long long x;

	if (!strncmp(s, "unlimited", 9)) {
		*unlimited = true;
		*used = 9;
		return 0;
	}
	if (sscanf(s, "%llu%n", &x, used) != 1)
		return -EBADMSG;
	*v = x;
	return 0;
}

int parse_limits_memlock(const char *text, struct proc_limit *lim)
{
	const char *p = line_value(text, "Max locked memory");
	int used;

	memset(lim, 0, sizeof(*lim));
	if (!p)
		return -ENOENT;
	while (*p == ' ')
		p++;
	if (limit_value(p, &lim->soft_unlimited, &lim->soft, &used))
		return -EBADMSG;
	p += used;
	while (*p == ' ')
		p++;
	if (limit_value(p, &lim->hard_unlimited, &lim->hard, &used))
		return -EBADMSG;
	return 0;
}

static int read_and_parse(const char *pid, const char *file, void *out,
			  int (*parse)(const char *, void *))
{
	char path[64];
	char *text;
	int rc;

	snprintf(path, sizeof(path), "/proc/%s/%s", pid, file);
	rc = sr_read_text(path, &text, NULL);
	if (rc)
		return rc;
	rc = parse(text, out);
	free(text);
	return rc;
}

static int parse_status_v(const char *t, void *o) { return parse_status(t, o); }
static int parse_limits_v(const char *t, void *o) { return parse_limits_memlock(t, o); }

int read_status(const char *pid, struct proc_status *st)
{
	return read_and_parse(pid, "status", st, parse_status_v);
}

int read_limits_memlock(const char *pid, struct proc_limit *lim)
{
	return read_and_parse(pid, "limits", lim, parse_limits_v);
}
