// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Holders of VFIO: one walk of /proc, each process's fds classified by the one
 * rule in host/vfiofds.c (vfio_fds_read).  The scan map used for its "busy"
 * messages and the one groups uses for HOLDER are this one.
 */
#include <errno.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/holders.h"
#include "host/pci.h"
#include "host/sysroot.h"
#include "host/vfiofds.h"
#include "host/vmm-read.h"
#include "lib/error.h"
#include "lib/util.h"
#include "model/vmm.h"

static void *grow(void *v, size_t n, size_t *cap, size_t elem)
{
	void *nv;

	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 16;
	nv = realloc(v, *cap * elem);
	if (!nv)
		free(v);
	return nv;
}

/* A process whose command line we read: a VMM config, or NULL (not one, or unreadable). */
static struct vmm_config *read_vmm(int pid)
{
	struct vmm_config *c;
	char *buf;
	size_t len;

	if (vmm_read_cmdline(pid, &buf, &len))
		return NULL;
	c = malloc(sizeof(*c));
	if (c && (!len || vmm_cmdline_parse(buf, len, c))) {
		free(c);
		c = NULL;
	}
	err_clear();   /* not a VMM is a fact about the holder, not our failure */
	free(buf);
	return c;
}

static int add_proc(struct holders *h, size_t *cap, int pid, const struct vfio_fds *f, bool with_vmm)
{
	struct holder_proc *p;
	char path[64];
	size_t i;
	bool device_holder = false;

	h->procs = grow(h->procs, h->nprocs, cap, sizeof(*h->procs));
	if (!h->procs)
		return -ENOMEM;
	p = &h->procs[h->nprocs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	if (sr_read_line(path, p->comm, sizeof(p->comm)))
		snprintf(p->comm, sizeof(p->comm), "?");
	for (i = 0; i < f->n; i++)
		device_holder |= f->v[i].kind == VFD_GROUP || f->v[i].kind == VFD_CDEV;
	if (with_vmm && device_holder)
		p->vmm = read_vmm(pid);
	return 0;
}

static int add_fds(struct holders *h, size_t *cap, const struct vfio_fds *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		struct holder *e;

		if (f->v[i].kind == VFD_NONE)
			continue;
		h->v = grow(h->v, h->n, cap, sizeof(*h->v));
		if (!h->v)
			return -ENOMEM;
		e = &h->v[h->n++];
		memset(e, 0, sizeof(*e));
		e->proc = h->nprocs - 1;
		e->f = f->v[i];
		if (e->f.kind == VFD_CDEV && pci_vfio_cdev_device(e->f.cdev, e->bdf, sizeof(e->bdf)))
			e->bdf[0] = '\0';
	}
	return 0;
}

static int cmp_pid(const void *a, const void *b)
{
	const int *x = a, *y = b;

	return (*x > *y) - (*x < *y);
}

/* The pids in /proc, ascending (readdir order is the filesystem's). */
static int list_pids(int **out, size_t *n)
{
	size_t cap = 0;
	struct dirent *de;
	DIR *d = sr_opendir("/proc");
	int *v = NULL, pid;

	*n = 0;
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (parse_pid(de->d_name, false, &pid) || (sr_live() && pid == getpid()))
			continue;
		v = grow(v, *n, &cap, sizeof(*v));
		if (!v) {
			closedir(d);
			return -ENOMEM;
		}
		v[(*n)++] = pid;
	}
	closedir(d);
	if (*n)
		qsort(v, *n, sizeof(*v), cmp_pid);
	*out = v;
	return 0;
}

int holders_scan(struct holders *out, bool with_vmm)
{
	size_t i, npids, pcap = 0, hcap = 0;
	char name[16];
	int *pids = NULL, rc;

	memset(out, 0, sizeof(*out));
	rc = list_pids(&pids, &npids);
	for (i = 0; !rc && i < npids; i++) {
		struct vfio_fds f;
		int r;

		snprintf(name, sizeof(name), "%d", pids[i]);
		r = vfio_fds_read(name, &f);
		if (r == -EACCES || r == -EPERM)
			out->unreadable++;
		if (r)
			continue;   /* gone meanwhile, or not ours to read */
		if (f.n)
			rc = add_proc(out, &pcap, pids[i], &f, with_vmm);
		if (!rc && f.n)
			rc = add_fds(out, &hcap, &f);
		vfio_fds_free(&f);
	}
	free(pids);
	if (rc)
		holders_free(out);
	return rc;
}

void holders_free(struct holders *h)
{
	size_t i;

	for (i = 0; i < h->nprocs; i++)
		free(h->procs[i].vmm);
	free(h->procs);
	free(h->v);
	memset(h, 0, sizeof(*h));
}
