// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * device_bound, group_viable, vfio_dev_access: per named device (default:
 * every device on a VFIO driver) and per IOMMU group of those devices.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check/check.h"
#include "host/sysroot.h"
#include "lib/util.h"

static int pick_devices_once(struct check_ctx *c);

/* The devices to check: the --device list, or every device on a VFIO driver. */
static int pick_devices(struct check_ctx *c)
{
	struct check_facts *f = &c->f;

	/* check_backends needs them first (the cdevs); picked once, the result kept. */
	if (f->devs_picked)
		return f->pick_rc;
	f->devs_picked = true;
	f->pick_rc = pick_devices_once(c);
	return f->pick_rc;
}

int check_pick_devices(struct check_ctx *c)
{
	return pick_devices(c) == -ENOMEM ? -ENOMEM : 0;
}

static int pick_devices_once(struct check_ctx *c)
{
	struct check_facts *f = &c->f;
	char (*bdfs)[16] = NULL, bdf[16];
	size_t i, n = 0;
	int rc;

	f->devs = calloc(c->o->ndevices ? c->o->ndevices : 1, sizeof(*f->devs));
	if (!f->devs)
		return -ENOMEM;
	if (c->o->ndevices) {
		for (i = 0; i < c->o->ndevices; i++) {
			struct pci_entry *e = &f->devs[f->ndevs++];

			bdf_normalize(c->o->devices[i], bdf, sizeof(bdf));
			if (pci_entry_read(bdf, e)) {
				memset(e, 0, sizeof(*e));
				str_copy(e->info.bdf, sizeof(e->info.bdf), bdf);
				e->info.group = -1;
			}
		}
		return 0;
	}
	f->devs_default = true;
	rc = pci_enumerate(&bdfs, &n);
	if (rc)
		return rc;
	for (i = 0; i < n; i++) {
		struct pci_entry e;
		struct pci_entry *nv;

		if (pci_entry_read(bdfs[i], &e) || e.role != ROLE_VFIO)
			continue;
		nv = realloc(f->devs, (f->ndevs + 1) * sizeof(*nv));
		if (!nv) {
			free(bdfs);
			return -ENOMEM;
		}
		f->devs = nv;
		f->devs[f->ndevs++] = e;
	}
	free(bdfs);
	return 0;
}

static int judge_bound(struct check_ctx *c, const struct pci_entry *e)
{
	struct check_result *r = check_add(&c->l, "device_bound", e->info.bdf);
	const char *bdf = e->info.bdf;

	if (!r)
		return -ENOMEM;
	if (!e->is_pci) {
		check_set(r, ST_FAIL, "no PCI device %s", bdf);
		check_fix(r, "name an existing device: `vfio-pinctl groups` or lspci -D lists them");
	} else if (e->role == ROLE_VFIO) {
		check_set(r, ST_PASS, "%s (%s) bound to %s", bdf, e->info.name, e->info.driver);
	} else {
		check_set(r, ST_FAIL, "%s (%s) is %s%s, not on vfio-pci", bdf, e->info.name,
			  e->info.driver[0] ? "bound to " : "not bound to any driver",
			  e->info.driver);
		if (e->info.driver[0])
			check_fix(r, "driverctl set-override %s vfio-pci (persistent), or: echo vfio-pci > /sys/bus/pci/devices/%s/driver_override; echo %s > /sys/bus/pci/devices/%s/driver/unbind; echo %s > /sys/bus/pci/drivers_probe",
				  bdf, bdf, bdf, bdf, bdf);
		else
			check_fix(r, "driverctl set-override %s vfio-pci (persistent), or: echo vfio-pci > /sys/bus/pci/devices/%s/driver_override; echo %s > /sys/bus/pci/drivers_probe",
				  bdf, bdf, bdf);
	}
	return 0;
}

/* The verdict and its words come from model/groups.c, the rule map uses too. */
static int judge_group(struct check_ctx *c, const struct iommu_group *g)
{
	char subject[16];
	struct check_result *r;
	struct group_why w;

	snprintf(subject, sizeof(subject), "%d", g->id);
	r = check_add(&c->l, "group_viable", subject);
	if (!r)
		return -ENOMEM;
	group_explain(g, &w);
	if (g->viable) {
		check_set(r, ST_PASS, "group %d viable: %s", g->id, w.roles);
		return 0;
	}
	check_set(r, ST_FAIL, "group %d not viable: %zu of %zu members on a host driver: %s",
		  g->id, g->noffenders, g->n, w.offenders);
	check_fix(r, "bind every member to vfio-pci (%s) or unbind it (echo BDF > /sys/bus/pci/devices/BDF/driver/unbind); pass all of them to the guest",
		  w.rebind);
	return 0;
}

static void uid_name(unsigned uid, char *buf, size_t size)
{
	char *text, *p;

	snprintf(buf, size, "%u", uid);
	if (sr_live()) {
		struct passwd *pw = getpwuid(uid);

		if (pw)
			str_copy(buf, size, pw->pw_name);
		return;
	}
	if (sr_read_text("/etc/passwd", &text, NULL))
		return;
	for (p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		char name[64];
		unsigned id;

		if (sscanf(p, "%63[^:]:%*[^:]:%u:", name, &id) == 2 && id == uid) {
			str_copy(buf, size, name);
			break;
		}
	}
	free(text);
}

static void gid_name(unsigned gid, char *buf, size_t size)
{
	char *text, *p;

	snprintf(buf, size, "%u", gid);
	if (sr_live()) {
		struct group *gr = getgrgid(gid);

		if (gr)
			str_copy(buf, size, gr->gr_name);
		return;
	}
	if (sr_read_text("/etc/group", &text, NULL))
		return;
	for (p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		char name[64];
		unsigned id;

		if (sscanf(p, "%63[^:]:%*[^:]:%u:", name, &id) == 2 && id == gid) {
			str_copy(buf, size, name);
			break;
		}
	}
	free(text);
}

/* The kernel's rule (no ACLs): owner bits for the owner, else group bits for a member, else other. */
static bool can_open_rw(const struct stat *st, const struct target *t)
{
	size_t i;

	if (t->uid == 0)
		return true;
	if (st->st_uid == t->uid)
		return (st->st_mode & 0600) == 0600;
	for (i = 0; i < t->ngids; i++)
		if (st->st_gid == t->gids[i])
			return (st->st_mode & 060) == 060;
	return (st->st_mode & 06) == 06;
}

static void describe_node(const char *path, const struct stat *st, char *buf, size_t size)
{
	char u[64], g[64];

	uid_name(st->st_uid, u, sizeof(u));
	gid_name(st->st_gid, g, sizeof(g));
	snprintf(buf, size, "%s %s:%s %04o", path, u, g, st->st_mode & 07777);
}

static bool group_has_vfio(const struct iommu_group *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (g->members[i].role == ROLE_VFIO)
			return true;
	return false;
}

/*
 * Native iommufd opens /dev/iommu and each device's cdev, never /dev/vfio/N
 * or the container (libvirt opens them itself and passes the fds to QEMU).
 */
static int judge_access_native(struct check_ctx *c, const struct iommu_group *g, struct check_result *r)
{
	const struct target *t = &c->f.tgt;
	char path[64], node[200], seen[400] = "";
	struct stat st;
	size_t i, used = 0;

	for (i = 0; i <= g->n; i++) {
		const struct pci_entry *e = i < g->n ? &g->members[i] : NULL;

		if (e && (e->role != ROLE_VFIO || e->info.vfio_cdev < 0))
			continue;
		if (e)
			snprintf(path, sizeof(path), "/dev/vfio/devices/vfio%d", e->info.vfio_cdev);
		else
			snprintf(path, sizeof(path), "/dev/iommu");
		if (sr_stat(path, &st)) {
			check_set(r, ST_FAIL, "%s is missing (native iommufd opens it)", path);
			check_fix(r, "mount devtmpfs on /dev; rebinding the device recreates its cdev");
			return 0;
		}
		describe_node(path, &st, node, sizeof(node));
		if (t->known && !can_open_rw(&st, t)) {
			check_set(r, ST_FAIL, "%s cannot open %s read-write (uid %u): %s", t->desc, path, t->uid, node);
			check_fix(r, "let the process that starts the VMM open it and pass the fd (libvirt does), or give uid %u access with a udev rule (%s)",
				  t->uid, e ? "SUBSYSTEM==\"vfio-dev\", KERNEL==\"vfio[0-9]*\"" : "KERNEL==\"iommu\", SUBSYSTEM==\"misc\"");
			return 0;
		}
		if (used + 1 < sizeof(seen))
			used += (size_t)snprintf(seen + used, sizeof(seen) - used, "%s%s", used ? " and " : "", node);
	}
	if (!t->known) {
		check_set(r, ST_UNKNOWN, "%s; cannot judge access: %s", seen, t->err);
		check_fix(r, "name the user that runs the VMM with --user, --pid or --unit");
		return 0;
	}
	check_set(r, ST_PASS, "native iommufd: %s: %s (uid %u) can open them read-write", seen, t->desc, t->uid);
	return 0;
}

static int judge_access(struct check_ctx *c, const struct iommu_group *g)
{
	const struct target *t = &c->f.tgt;
	char subject[16], path[64], node[200], cnode[200];
	struct stat st, cst;
	struct check_result *r;
	bool ok, cok;
	int rc;

	snprintf(subject, sizeof(subject), "%d", g->id);
	r = check_add(&c->l, "vfio_dev_access", subject);
	if (!r)
		return -ENOMEM;
	if (c->f.backend == BE_IOMMUFD && group_has_vfio(g))
		return judge_access_native(c, g, r);
	snprintf(path, sizeof(path), "/dev/vfio/%d", g->id);
	rc = sr_stat(path, &st);
	if (rc && !group_has_vfio(g)) {
		check_set(r, ST_SKIP, "no member of group %d is on vfio-pci, so there is no %s", g->id, path);
		return 0;
	}
	if (rc) {
		check_set(r, ST_FAIL, "%s is missing although group %d has a device on vfio-pci (%s)",
			  path, g->id, strerror(-rc));
		check_fix(r, "mount devtmpfs on /dev or check the udev rules for the vfio subsystem; rebinding the device recreates the node");
		return 0;
	}
	if (!t->known) {
		describe_node(path, &st, node, sizeof(node));
		check_set(r, ST_UNKNOWN, "%s; cannot judge access: %s", node, t->err);
		check_fix(r, "name the user that runs the VMM with --user, --pid or --unit");
		return 0;
	}
	describe_node(path, &st, node, sizeof(node));
	ok = can_open_rw(&st, t);
	cok = true;
	cnode[0] = '\0';
	if (!sr_stat("/dev/vfio/vfio", &cst)) {
		describe_node("/dev/vfio/vfio", &cst, cnode, sizeof(cnode));
		cok = can_open_rw(&cst, t);
	}
	if (ok && cok) {
		check_set(r, ST_PASS, "%s and %s: %s (uid %u) can open them read-write", node,
			  cnode[0] ? cnode : "no /dev/vfio/vfio", t->desc, t->uid);
		return 0;
	}
	check_set(r, ST_FAIL, "%s cannot open %s read-write (uid %u): %s", t->desc,
		  !ok ? path : "/dev/vfio/vfio", t->uid, !ok ? node : cnode);
	if (!ok) {
		char uname[64];

		uid_name(t->uid, uname, sizeof(uname));
		check_fix(r, "chown %s %s, and make it last with a udev rule: SUBSYSTEM==\"vfio\", KERNEL==\"%d\", OWNER=\"%s\" (libvirt does this itself for its guests)",
			  uname, path, g->id, uname);
	} else {
		check_fix(r, "chmod 0666 /dev/vfio/vfio (the container node is safe to share; the kernel default is 0666)");
	}
	return 0;
}

int check_devices(struct check_ctx *c)
{
	struct check_facts *f = &c->f;
	struct check_result *r;
	int *seen = NULL;
	size_t i, j, nseen = 0;
	int rc = pick_devices(c);

	if (rc) {
		r = check_add(&c->l, "device_bound", NULL);
		if (!r)
			return -ENOMEM;
		check_set(r, ST_UNKNOWN, "cannot list PCI devices: %s", strerror(-rc));
		return rc == -ENOMEM ? rc : 0;
	}
	if (!f->ndevs) {
		r = check_add(&c->l, "device_bound", NULL);
		if (!r)
			return -ENOMEM;
		check_set(r, ST_WARN, "no device is bound to vfio-pci: nothing to pass through");
		check_fix(r, "bind the device (driverctl set-override BDF vfio-pci) or name it with --device BDF");
		return 0;
	}
	for (i = 0; i < f->ndevs; i++) {
		rc = judge_bound(c, &f->devs[i]);
		if (rc)
			return rc;
	}
	seen = calloc(f->ndevs, sizeof(*seen));
	if (!seen)
		return -ENOMEM;
	for (i = 0; i < f->ndevs && !rc; i++) {
		const struct pci_entry *e = &f->devs[i];
		struct iommu_group g;

		if (!e->is_pci)
			continue;
		if (e->info.group < 0) {
			r = check_add(&c->l, "group_viable", e->info.bdf);
			if (!r) {
				rc = -ENOMEM;
				break;
			}
			check_set(r, ST_FAIL, "%s has no IOMMU group: the IOMMU is off or does not cover it",
				  e->info.bdf);
			check_fix(r, "enable the IOMMU (see iommu_enabled)");
			continue;
		}
		for (j = 0; j < nseen && seen[j] != e->info.group; j++)
			;
		if (j < nseen)
			continue;
		seen[nseen++] = e->info.group;
		rc = group_read(e->info.group, &g);
		if (rc) {
			r = check_add(&c->l, "group_viable", e->info.bdf);
			if (r)
				check_set(r, ST_UNKNOWN, "cannot read IOMMU group %d: %s", e->info.group,
					  strerror(-rc));
			rc = r ? 0 : -ENOMEM;
			continue;
		}
		rc = judge_group(c, &g);
		if (!rc)
			rc = judge_access(c, &g);
		group_free(&g);
	}
	free(seen);
	return rc;
}
