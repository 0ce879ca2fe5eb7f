// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/iommu.h"
#include "host/pci.h"
#include "host/sysroot.h"
#include "lib/util.h"
#include "model/groups.h"

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* The one readdir of /sys/kernel/iommu_groups. */
int iommu_group_ids(int **out, size_t *nout)
{
	int *ids = NULL, *nids;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	*out = NULL;
	*nout = 0;
	d = sr_opendir("/sys/kernel/iommu_groups");
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char *end;
		long id = strtol(de->d_name, &end, 10);

		if (!isdigit((unsigned char)de->d_name[0]) || *end || id > 1 << 24)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			nids = realloc(ids, cap * sizeof(*ids));
			if (!nids) {
				rc = -ENOMEM;
				break;
			}
			ids = nids;
		}
		ids[n++] = (int)id;
	}
	closedir(d);
	if (rc) {
		free(ids);
		return rc;
	}
	if (n)
		qsort(ids, n, sizeof(*ids), cmp_int);
	*out = ids;
	*nout = n;
	return 0;
}

int iommu_group_devices(int group, char (**out)[BDF_LEN], size_t *n)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%d/devices", group);
	return device_dir_names(path, NULL, out, n);
}

/* A group member that is not a PCI device (rare on x86): name and driver only. */
static void read_other_member(int id, const char *name, struct pci_entry *e)
{
	char path[256], target[256], *slash;

	memset(e, 0, sizeof(*e));
	str_copy(e->info.bdf, sizeof(e->info.bdf), name);
	e->info.group = id;
	e->info.vfio_cdev = -1;
	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%d/devices/%s/driver", id, name);
	if (!sr_readlink(path, target, sizeof(target))) {
		slash = strrchr(target, '/');
		str_copy(e->info.driver, sizeof(e->info.driver), slash ? slash + 1 : target);
	}
	e->role = other_member_role(e->info.driver);
}

int group_read(int id, struct iommu_group *g)
{
	char (*names)[BDF_LEN] = NULL, path[96];
	size_t i, n = 0;
	int rc;

	memset(g, 0, sizeof(*g));
	g->id = id;
	rc = iommu_group_devices(id, &names, &n);
	if (rc)
		return rc;
	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%d/type", id);
	if (sr_read_line(path, g->type, sizeof(g->type)))
		g->type[0] = '\0';   /* before 5.11 groups had no `type` */
	snprintf(path, sizeof(path), "/dev/vfio/%d", id);
	if (sr_exists(path))
		str_copy(g->node, sizeof(g->node), path);
	g->members = calloc(n ? n : 1, sizeof(*g->members));
	if (!g->members) {
		free(names);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		if (pci_entry_read(names[i], &g->members[i]))
			read_other_member(id, names[i], &g->members[i]);
	g->n = n;
	free(names);
	group_judge(g);
	return 0;
}

void group_free(struct iommu_group *g)
{
	free(g->members);
	g->members = NULL;
	g->n = 0;
}

void groups_free(struct iommu_group *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		group_free(&v[i]);
	free(v);
}

int groups_read_all(struct iommu_group **out, size_t *nout)
{
	struct iommu_group *v;
	size_t n = 0, i, kept = 0;
	int *ids = NULL;
	int rc;

	*out = NULL;
	*nout = 0;
	rc = iommu_group_ids(&ids, &n);
	if (rc)
		return rc;
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v) {
		free(ids);
		return -ENOMEM;
	}
	for (i = 0; i < n && !rc; i++) {
		rc = group_read(ids[i], &v[kept]);
		if (!rc)
			kept++;
		else if (rc == -ENOENT)   /* vanished (hot unplug) between readdir and read */
			rc = 0;
	}
	free(ids);
	if (rc) {
		groups_free(v, kept);
		return rc;
	}
	*out = v;
	*nout = kept;
	return 0;
}

int iommu_summary_read(struct iommu_summary *s)
{
	struct { char name[24]; int n; } t[8];
	size_t nt = 0, i, n = 0;
	char path[64], type[24];
	int *ids = NULL;
	int rc;

	memset(s, 0, sizeof(*s));
	memset(t, 0, sizeof(t));
	rc = iommu_group_ids(&ids, &n);
	if (rc)
		return rc == -ENOENT ? 0 : rc;
	s->ngroups = (int)n;
	for (i = 0; i < n; i++) {
		size_t j;

		snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%d/type", ids[i]);
		if (sr_read_line(path, type, sizeof(type)))
			continue;   /* before 5.11 groups had no `type` */
		for (j = 0; j < nt && strcmp(t[j].name, type); j++)
			;
		if (j == nt && nt < ARRAY_SIZE(t))
			str_copy(t[nt++].name, sizeof(t[0].name), type);
		if (j < nt)
			t[j].n++;
	}
	free(ids);
	for (i = 0; i < nt; i++) {
		size_t len = strlen(s->types);

		snprintf(s->types + len, sizeof(s->types) - len, "%s%s x%d", i ? ", " : "",
			 t[i].name, t[i].n);
	}
	return 0;
}
