// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The VMM's own configuration, for the memory checks: a running QEMU's or
 * DPDK application's /proc/PID/cmdline (live or in a captured tree: the same
 * read through the sysroot seam), or a VMM not started yet (--qemu-cmdline,
 * --domain-xml).  host/vmm-read.c reads, model/vmm-*.c parse and derive;
 * here the options the user gave are kept (they override, and the finding
 * says so) and the rest is filled from the VMM.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "host/vmm-read.h"
#include "lib/error.h"
#include "lib/util.h"

static void note(struct check_facts *f, const char *fmt, const char *a, const char *b)
{
	size_t n = strlen(f->vmm_note);

	snprintf(f->vmm_note + n, sizeof(f->vmm_note) - n, n ? "; " : "");
	n = strlen(f->vmm_note);
	snprintf(f->vmm_note + n, sizeof(f->vmm_note) - n, fmt, a, b);
}

static void take_guest_mem(struct check_ctx *c)
{
	struct check_facts *f = &c->f;
	char a[32], b[32];

	if (!f->vd.guest_ram_known)
		return;
	if (!c->o->have_guest_mem) {
		c->o->guest_mem = f->vd.guest_ram;
		c->o->have_guest_mem = true;
		return;
	}
	if (c->o->guest_mem == f->vd.guest_ram)
		return;
	format_size_pair(a, sizeof(a), c->o->guest_mem, b, sizeof(b), f->vd.guest_ram);
	note(f, "--guest-mem %s overrides the VMM's %s", a, b);
}

static void take_viommu(struct check_ctx *c)
{
	struct check_facts *f = &c->f;

	if (c->o->viommu && f->vd.viommu == VMM_VIOMMU_NONE) {
		/* the option's rule: one context per device */
		note(f, "--viommu overrides the VMM's configuration (no vIOMMU%s%s)", "", "");
		return;
	}
	c->o->viommu = f->vd.viommu != VMM_VIOMMU_NONE;
	f->vmm_contexts = (unsigned)f->vd.contexts;
}

static int take_devices(struct check_ctx *c)
{
	struct check_facts *f = &c->f;
	char n[16];
	int i;

	if (c->o->ndevices) {
		if (f->vd.devices) {
			snprintf(n, sizeof(n), "%d", f->vd.devices);
			note(f, "--device overrides the VMM's %s device%s", n, f->vd.devices == 1 ? "" : "s");
		}
		return 0;
	}
	f->vmm_devs = calloc((size_t)f->vd.devices + 1, sizeof(*f->vmm_devs));
	if (!f->vmm_devs)
		return -ENOMEM;
	for (i = 0; i < f->vd.devices; i++)
		if (f->vd.bdfs[i][0])   /* an mdev names no PCI function to check */
			f->vmm_devs[c->o->ndevices++] = f->vd.bdfs[i];
	if (c->o->ndevices)
		c->o->devices = f->vmm_devs;
	return 0;
}

static void take_backend(struct check_ctx *c)
{
	struct check_facts *f = &c->f;

	if (c->o->backend == BE_AUTO) {
		if (f->vd.iommufd)
			c->o->backend = BE_IOMMUFD;
		return;
	}
	if ((c->o->backend == BE_IOMMUFD) != f->vd.iommufd)
		note(f, "--backend %s overrides the VMM's %s", check_backend_name(c->o->backend),
		     f->vd.iommufd ? "iommufd= devices" : "VFIO container");
}

static int take(struct check_ctx *c)
{
	struct check_facts *f = &c->f;

	vmm_derive(f->vmm, &f->vd);
	vmm_firmware_paths(f->vmm, &f->fw);
	vmm_firmware_read(f->vmm, &f->fw);
	f->ram_hidden = vmm_ram_hidden(f->vmm);
	f->rom_at_realize = vmm_rom_charge_at_realize(f->vmm, &f->fw, f->kv_known, &f->kv);
	f->rom_bytes = vmm_rom_charge(f->vmm, &f->fw, f->kv_known, &f->kv, f->rom_how, sizeof(f->rom_how));
	f->side.known = true;
	f->side.hugetlb = f->vd.hugetlb;
	f->side.hugetlb_inferred = f->vd.hugetlb_inferred;
	f->side.hugetlb_held = f->side.running ? f->tgt.hugetlb : 0;
	f->side.manager = vmm_manager_ceiling(f->vmm, &f->side.ceil);
	take_guest_mem(c);
	take_viommu(c);
	take_backend(c);
	return take_devices(c);
}

static int read_named(struct check_ctx *c)
{
	const char *opt = c->o->qemu_cmdline ? "--qemu-cmdline" : "--domain-xml";
	const char *path = c->o->qemu_cmdline ? c->o->qemu_cmdline : c->o->domain_xml;
	struct check_facts *f = &c->f;
	char *buf;
	size_t len;
	int rc = vmm_read_file(path, &buf, &len);

	if (rc) {
		err_set(VP_EXIT_SYSROOT, "cannot read %s %s: %s (a file, or - for standard input)", opt,
			strcmp(path, "-") ? path : "(stdin)", strerror(-rc));
		return -EINVAL;
	}
	rc = c->o->qemu_cmdline ? vmm_cmdline_parse(buf, len, f->vmm) : vmm_libvirt_parse(buf, len, f->vmm);
	free(buf);
	if (rc == -ENOMEM)
		return rc;
	if (rc) {
		/* the parser said what is wrong; add what the option wants (exit 6) */
		char msg[400];

		snprintf(msg, sizeof(msg), "%s", err_message());
		err_replace(VP_EXIT_SYSROOT, "%s %s: %s (%s)", opt, strcmp(path, "-") ? path : "(stdin)", msg,
			    c->o->qemu_cmdline ? "give a QEMU or DPDK command line: a copy of /proc/PID/cmdline, or the command as one line"
					       : "give a libvirt domain XML, as `virsh dumpxml NAME` prints it");
		return -EINVAL;
	}
	return 0;
}

/* A pid that is not a VMM keeps the options' judgement: the parser's line becomes a note. */
static int read_pid(struct check_ctx *c)
{
	struct check_facts *f = &c->f;
	char *buf;
	size_t len;
	int pid, rc;

	f->vmm_looked = true;
	parse_pid(c->o->pid, false, &pid);
	rc = vmm_read_cmdline(pid, &buf, &len);
	if (rc) {
		note(f, "VMM not recognised: cannot read /proc/%s/cmdline (%s)", c->o->pid, strerror(-rc));
		return 1;
	}
	rc = vmm_cmdline_parse(buf, len, f->vmm);
	free(buf);
	if (rc == -ENOMEM)
		return rc;
	if (rc) {
		note(f, "VMM not recognised (%s%s): judged from the options alone", err_message(), "");
		err_clear();
		return 1;
	}
	f->side.running = true;
	return 0;
}

int check_vmm(struct check_ctx *c)
{
	struct check_facts *f = &c->f;
	struct check_result *r;
	const char *from;
	int rc;

	if (!c->o->qemu_cmdline && !c->o->domain_xml && !c->o->pid)
		return 0;
	f->vmm = calloc(1, sizeof(*f->vmm));
	if (!f->vmm)
		return -ENOMEM;
	from = c->o->qemu_cmdline ? c->o->qemu_cmdline : c->o->domain_xml;
	rc = from ? read_named(c) : read_pid(c);
	if (rc < 0)
		return rc;
	if (!(r = check_add(&c->l, "vmm", NULL)))
		return -ENOMEM;
	if (rc) {
		free(f->vmm);
		f->vmm = NULL;
		judge_vmm(NULL, NULL, NULL, NULL, f->vmm_note, r);
		return 0;
	}
	rc = take(c);
	if (!rc) {
		char where[300];

		if (from)
			snprintf(where, sizeof(where), "%s", strcmp(from, "-") ? from : "standard input");
		else
			snprintf(where, sizeof(where), "/proc/%s/cmdline", c->o->pid);
		judge_vmm(f->vmm, &f->vd, where, f->rom_how, f->vmm_note, r);
	}
	return rc;
}
