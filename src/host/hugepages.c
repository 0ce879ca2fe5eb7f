// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Huge page pools: /sys/devices/system/node/nodeN/hugepages/hugepages-SIZEkB
 * per node, /sys/kernel/mm/hugepages on a kernel without NUMA in sysfs.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/hugepages.h"
#include "host/sysroot.h"

struct pools {
	struct hugepool *v;
	size_t n;
};

static int add_pool(struct pools *ps, unsigned size_kb, int node, const char *dir)
{
	struct hugepool *nv, *p;
	char path[600];

	nv = realloc(ps->v, (ps->n + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	ps->v = nv;
	p = &ps->v[ps->n++];
	memset(p, 0, sizeof(*p));
	p->size_kb = size_kb;
	p->node = node;
	snprintf(path, sizeof(path), "%s/nr_hugepages", dir);
	sr_read_u64(path, &p->total);
	snprintf(path, sizeof(path), "%s/free_hugepages", dir);
	sr_read_u64(path, &p->free);
	return 0;
}

static int read_pools_in(struct pools *ps, const char *dir, int node)
{
	struct dirent *de;
	char sub[512];
	unsigned kb;
	DIR *d = sr_opendir(dir);
	int rc = 0;

	if (!d)
		return 0;
	while (!rc && (de = readdir(d))) {
		if (sscanf(de->d_name, "hugepages-%ukB", &kb) != 1)
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
		rc = add_pool(ps, kb, node, sub);
	}
	closedir(d);
	return rc;
}

static int cmp_pool(const void *a, const void *b)
{
	const struct hugepool *x = a, *y = b;

	if (x->size_kb != y->size_kb)
		return x->size_kb < y->size_kb ? -1 : 1;
	return (x->node > y->node) - (x->node < y->node);
}

int hugepools_read(struct hugepool **out, size_t *n)
{
	struct pools ps = { 0 };
	struct dirent *de;
	char dir[300];
	DIR *d = sr_opendir("/sys/devices/system/node");
	int node, rc = 0;

	if (d) {
		while (!rc && (de = readdir(d))) {
			if (sscanf(de->d_name, "node%d", &node) != 1)
				continue;
			snprintf(dir, sizeof(dir), "/sys/devices/system/node/%s/hugepages", de->d_name);
			rc = read_pools_in(&ps, dir, node);
		}
		closedir(d);
	}
	if (!rc && !ps.n)
		rc = read_pools_in(&ps, "/sys/kernel/mm/hugepages", -1);
	if (ps.n)
		qsort(ps.v, ps.n, sizeof(*ps.v), cmp_pool);
	*out = ps.v;
	*n = ps.n;
	return rc;
}
