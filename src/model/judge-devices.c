// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * device_bound, group_viable, vfio_dev_access: per named device (default:
 * every device on a VFIO driver) and per IOMMU group of those devices.
 * Pure: the devices and groups come from the PCI readers, the nodes from
 * host/vfio-nodes.c.
 */
#include <stdio.h>
#include <string.h>

#include "model/judge.h"
#include "lib/util.h"

void judge_device_list(int rc, struct check_result *r)
{
	if (rc) {
		check_set(r, ST_UNKNOWN, "cannot list PCI devices: %s", strerror(-rc));
		return;
	}
	check_set(r, ST_WARN, "no device is bound to vfio-pci: nothing to pass through");
	check_fix(r, "bind the device (driverctl set-override BDF vfio-pci) or name it with --device BDF");
}

void judge_bound(const struct pci_entry *e, struct check_result *r)
{
	const char *bdf = e->info.bdf;

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
}

void judge_no_group(const struct pci_entry *e, struct check_result *r)
{
	check_set(r, ST_FAIL, "%s has no IOMMU group: the IOMMU is off or does not cover it", e->info.bdf);
	check_fix(r, "enable the IOMMU (see iommu_enabled)");
}

void judge_group_unreadable(int group, int rc, struct check_result *r)
{
	check_set(r, ST_UNKNOWN, "cannot read IOMMU group %d: %s", group, strerror(-rc));
}

/* The verdict and its words come from model/groups.c, the rule map uses too. */
void judge_group(const struct iommu_group *g, struct check_result *r)
{
	struct group_why w;

	group_explain(g, &w);
	if (g->viable) {
		check_set(r, ST_PASS, "group %d viable: %s", g->id, w.roles);
		return;
	}
	check_set(r, ST_FAIL, "group %d not viable: %zu of %zu members on a host driver: %s",
		  g->id, g->noffenders, g->n, w.offenders);
	check_fix(r, "bind every member to vfio-pci (%s) or unbind it (echo BDF > /sys/bus/pci/devices/BDF/driver/unbind); pass all of them to the guest",
		  w.rebind);
}

/* The kernel's rule (no ACLs): owner bits for the owner, else group bits for a member, else other. */
bool can_open_rw(const struct dev_node *n, const struct target *t)
{
	size_t i;

	if (t->uid == 0)
		return true;
	if (n->uid == t->uid)
		return (n->mode & 0600) == 0600;
	for (i = 0; i < t->ngids; i++)
		if (n->gid == t->gids[i])
			return (n->mode & 060) == 060;
	return (n->mode & 06) == 06;
}

static void describe_node(const struct dev_node *n, char *buf, size_t size)
{
	snprintf(buf, size, "%s %s:%s %04o", n->path, n->owner, n->group, n->mode & 07777);
}

static void judge_access_native(const struct group_access *a, const struct target *t, struct check_result *r)
{
	char node[200], seen[400] = "";
	size_t i, used = 0;

	for (i = 0; i < a->nnodes; i++) {
		const struct dev_node *n = &a->nodes[i];
		bool cdev = i + 1 < a->nnodes;   /* the last one is /dev/iommu */

		if (n->rc) {
			check_set(r, ST_FAIL, "%s is missing (native iommufd opens it)", n->path);
			check_fix(r, "mount devtmpfs on /dev; rebinding the device recreates its cdev");
			return;
		}
		describe_node(n, node, sizeof(node));
		if (t->known && !can_open_rw(n, t)) {
			check_set(r, ST_FAIL, "%s cannot open %s read-write (uid %u): %s", t->desc, n->path, t->uid, node);
			check_fix(r, "let the process that starts the VMM open it and pass the fd (libvirt does), or give uid %u access with a udev rule (%s)",
				  t->uid, cdev ? "SUBSYSTEM==\"vfio-dev\", KERNEL==\"vfio[0-9]*\"" : "KERNEL==\"iommu\", SUBSYSTEM==\"misc\"");
			return;
		}
		if (used + 1 < sizeof(seen))
			used += (size_t)snprintf(seen + used, sizeof(seen) - used, "%s%s", used ? " and " : "", node);
	}
	if (!t->known) {
		check_set(r, ST_UNKNOWN, "%s; cannot judge access: %s", seen, t->err);
		check_fix(r, "name the user that runs the VMM with --user, --pid or --unit");
		return;
	}
	check_set(r, ST_PASS, "native iommufd: %s: %s (uid %u) can open them read-write", seen, t->desc, t->uid);
}

void judge_access(const struct group_access *a, const struct target *t, struct check_result *r)
{
	const struct dev_node *gn = &a->group_node, *cn = &a->container;
	char node[200], cnode[200] = "";
	bool ok, cok = true;

	if (a->native)
		return judge_access_native(a, t, r);
	if (gn->rc && !a->has_vfio) {
		check_set(r, ST_SKIP, "no member of group %d is on vfio-pci, so there is no %s", a->group, gn->path);
		return;
	}
	if (gn->rc) {
		check_set(r, ST_FAIL, "%s is missing although group %d has a device on vfio-pci (%s)",
			  gn->path, a->group, strerror(-gn->rc));
		check_fix(r, "mount devtmpfs on /dev or check the udev rules for the vfio subsystem; rebinding the device recreates the node");
		return;
	}
	describe_node(gn, node, sizeof(node));
	if (!t->known) {
		check_set(r, ST_UNKNOWN, "%s; cannot judge access: %s", node, t->err);
		check_fix(r, "name the user that runs the VMM with --user, --pid or --unit");
		return;
	}
	ok = can_open_rw(gn, t);
	if (!cn->rc) {
		describe_node(cn, cnode, sizeof(cnode));
		cok = can_open_rw(cn, t);
	}
	if (ok && cok) {
		check_set(r, ST_PASS, "%s and %s: %s (uid %u) can open them read-write", node,
			  cnode[0] ? cnode : "no /dev/vfio/vfio", t->desc, t->uid);
		return;
	}
	check_set(r, ST_FAIL, "%s cannot open %s read-write (uid %u): %s", t->desc,
		  !ok ? gn->path : cn->path, t->uid, !ok ? node : cnode);
	if (!ok)
		check_fix(r, "chown %s %s, and make it last with a udev rule: SUBSYSTEM==\"vfio\", KERNEL==\"%d\", OWNER=\"%s\" (libvirt does this itself for its guests)",
			  a->uname, gn->path, a->group, a->uname);
	else
		check_fix(r, "chmod 0666 /dev/vfio/vfio (the container node is safe to share; the kernel default is 0666)");
}
