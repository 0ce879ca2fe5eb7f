// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model/group-holders.h"
#include "model/vmm.h"

void holder_path(const struct holder *h, char *buf, size_t size)
{
	switch (h->f.kind) {
	case VFD_CONTAINER: snprintf(buf, size, "/dev/vfio/vfio"); break;
	case VFD_IOMMUFD:   snprintf(buf, size, "/dev/iommu"); break;
	case VFD_GROUP:     snprintf(buf, size, "/dev/vfio/%d", h->f.group); break;
	case VFD_CDEV:      snprintf(buf, size, "/dev/vfio/devices/vfio%d", h->f.cdev); break;
	case VFD_DEVICE:    snprintf(buf, size, "anon_inode:[vfio-device]"); break;
	case VFD_KVM_VFIO:  snprintf(buf, size, "anon_inode:kvm-vfio"); break;
	default:            snprintf(buf, size, "?"); break;
	}
}

static bool is_member(const struct iommu_group *g, const char *bdf)
{
	size_t i;

	for (i = 0; bdf[0] && i < g->n; i++)
		if (!strcmp(g->members[i].info.bdf, bdf))
			return true;
	return false;
}

bool holds_group(const struct iommu_group *g, const struct holder *e)
{
	if (e->f.kind == VFD_GROUP)
		return e->f.group == g->id;
	return e->f.kind == VFD_CDEV && is_member(g, e->bdf);
}

static bool proc_holds_group(const struct iommu_group *g, const struct holders *h, size_t proc)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (h->v[i].proc == proc && holds_group(g, &h->v[i]))
			return true;
	return false;
}

bool lists_as_holder(const struct iommu_group *g, const struct holders *h, const struct holder *e)
{
	if (holds_group(g, e))
		return true;
	return (e->f.kind == VFD_CONTAINER || e->f.kind == VFD_IOMMUFD) && proc_holds_group(g, h, e->proc);
}

const char *as_state_name(enum as_state s)
{
	switch (s) {
	case AS_ONE:     return "one";
	case AS_SPLIT:   return "split";
	case AS_UNKNOWN: return "unknown";
	default:         return "unheld";
	}
}

static void say(struct as_rule *r, enum as_state s, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void say(struct as_rule *r, enum as_state s, const char *fmt, ...)
{
	va_list ap;

	r->state = s;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
}

/* Two members of g that one QEMU puts in different DMA contexts: 0, or 1 with i, j set. */
static int split_in_config(const struct iommu_group *g, const struct vmm_config *c, int *a, int *b)
{
	int i, j;

	for (i = 0; i < c->ndevices; i++) {
		if (!is_member(g, c->devices[i].bdf))
			continue;
		for (j = i + 1; j < c->ndevices; j++) {
			if (!is_member(g, c->devices[j].bdf))
				continue;
			if (vmm_device_as(c, i) != vmm_device_as(c, j) ||
			    strcmp(c->devices[i].iommufd, c->devices[j].iommufd)) {
				*a = i;
				*b = j;
				return 1;
			}
		}
	}
	return 0;
}

static void config_split(const struct iommu_group *g, const struct holder_proc *p, struct as_rule *r,
			 int i, int j)
{
	const struct vmm_device *x = &p->vmm->devices[i], *y = &p->vmm->devices[j];

	if (strcmp(x->iommufd, y->iommufd))
		say(r, AS_SPLIT, "pid %d (%s) puts %s and %s of group %d in different DMA contexts (%s, %s): QEMU refuses a group in two address spaces",
		    p->pid, p->comm, x->bdf, y->bdf, g->id, x->iommufd[0] ? x->iommufd : "a type1 container",
		    y->iommufd[0] ? y->iommufd : "a type1 container");
	else
		say(r, AS_SPLIT, "pid %d (%s) puts %s and %s of group %d behind %s, each in its own guest address space: QEMU refuses a group in two address spaces (put them behind one conventional PCI bridge, or give the group one device)",
		    p->pid, p->comm, x->bdf, y->bdf, g->id, vmm_viommu_name(p->vmm->viommu));
}

void group_one_as(const struct iommu_group *g, const struct holders *h, struct as_rule *r)
{
	size_t i, first = (size_t)-1, cdevs = 0, iommufds = 0;
	const struct holder_proc *p;
	int a, b;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < h->n; i++) {
		const struct holder *e = &h->v[i];

		if (!holds_group(g, e))
			continue;
		if (first == (size_t)-1) {
			first = e->proc;
		} else if (e->proc != first) {
			say(r, AS_SPLIT, "held by pid %d (%s) and pid %d (%s): a group is one DMA address space with one owner, so only one of them can use it",
			    h->procs[first].pid, h->procs[first].comm, h->procs[e->proc].pid,
			    h->procs[e->proc].comm);
			return;
		}
		cdevs += e->f.kind == VFD_CDEV;
	}
	if (first == (size_t)-1)
		return;
	p = &h->procs[first];
	if (p->vmm && split_in_config(g, p->vmm, &a, &b)) {
		config_split(g, p, r, a, b);
		return;
	}
	for (i = 0; i < h->n; i++)
		iommufds += h->v[i].proc == first && h->v[i].f.kind == VFD_IOMMUFD;
	if (!p->vmm && cdevs > 1 && iommufds > 1) {
		say(r, AS_UNKNOWN, "pid %d (%s) holds %zu cdevs of group %d and %zu iommufds: which iommufd each cdev is bound to is not visible in /proc",
		    p->pid, p->comm, cdevs, g->id, iommufds);
		return;
	}
	say(r, AS_ONE, "held by pid %d (%s) only%s", p->pid, p->comm,
	    p->vmm ? ", its command line puts the group's devices in one address space" : "");
}
