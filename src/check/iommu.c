// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iommu_enabled and interrupt_remapping: is DMA remapping on, and can VFIO
 * isolate MSIs.  virt-host-validate looks at the ACPI table and the group
 * count only; we say which of firmware, kernel command line or driver is
 * missing, and read the default domain type.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "host/sysroot.h"
#include "lib/util.h"

struct iommu_facts {
	bool dmar, ivrs;           /* ACPI tables */
	char units[160];           /* /sys/class/iommu entries: "dmar0 dmar1" */
	int nunits;
	char types[160];           /* "DMA-FQ x5, identity x1" */
	bool intel, amd;           /* CPU vendor */
	bool noiommu;              /* vfio enable_unsafe_noiommu_mode=Y */
};

static void read_units(struct iommu_facts *f)
{
	DIR *d = sr_opendir("/sys/class/iommu");
	struct dirent *de;
	size_t len;

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		len = strlen(f->units);
		snprintf(f->units + len, sizeof(f->units) - len, "%s%s", len ? " " : "", de->d_name);
		f->nunits++;
	}
	closedir(d);
}

/* Count groups and their default domain types (host/iommu.c: the one walk). */
static int read_groups(struct iommu_facts *f, int *ngroups)
{
	struct iommu_summary s;
	int rc = iommu_summary_read(&s);

	*ngroups = 0;
	if (rc)
		return rc;
	*ngroups = s.ngroups;
	str_copy(f->types, sizeof(f->types), s.types);
	return 0;
}

static void read_cpu_vendor(struct iommu_facts *f)
{
	char *text;

	if (sr_read_text("/proc/cpuinfo", &text, NULL))
		return;
	f->intel = strstr(text, "GenuineIntel") != NULL;
	f->amd = strstr(text, "AuthenticAMD") != NULL || strstr(text, "HygonGenuine") != NULL;
	free(text);
}

/* The command-line words that bear on the IOMMU, for the finding. */
static void iommu_cmdline(const char *cmdline, char *out, size_t size)
{
	static const char *const keys[] = {
		"intel_iommu", "amd_iommu", "iommu", "iommu.passthrough", "iommu.strict",
	};
	char v[64];
	size_t i, len;

	out[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		if (cmdline_param(cmdline, keys[i], v, sizeof(v)))
			continue;
		len = strlen(out);
		snprintf(out + len, size - len, "%s%s=%s", len ? " " : "", keys[i], v);
	}
	if (!out[0])
		snprintf(out, size, "none");
}

/*
 * Intel's driver stays off unless intel_iommu=on (most distribution kernels
 * leave CONFIG_INTEL_IOMMU_DEFAULT_ON unset); AMD's is on whenever the
 * firmware describes the IOMMU (IVRS), and has no "=on" switch at all.
 */
static bool amd_platform(const struct iommu_facts *f)
{
	return f->ivrs || (f->amd && !f->dmar);
}

static const char *vendor_param(const struct iommu_facts *f)
{
	return amd_platform(f) ? "nothing for AMD (on by default; drop amd_iommu=off)" : "intel_iommu=on";
}

static void judge_enabled(struct check_ctx *c, struct check_result *r, const struct iommu_facts *f)
{
	const char *acpi = f->dmar ? "ACPI DMAR table" : f->ivrs ? "ACPI IVRS table" : "no ACPI DMAR/IVRS table";
	char cl[200], v[32];

	iommu_cmdline(c->f.cmdline, cl, sizeof(cl));
	if (c->f.ngroups > 0 && f->nunits > 0) {
		c->f.iommu_on = true;
		check_set(r, ST_PASS, "%s; IOMMU %s; %d groups; default domain %s; cmdline: %s",
			  acpi, f->units, c->f.ngroups, f->types[0] ? f->types : "not shown (before 5.11)", cl);
		return;
	}
	if (c->f.ngroups > 0 && f->noiommu) {
		check_set(r, ST_FAIL, "no IOMMU: %d groups are VFIO no-IOMMU groups (enable_unsafe_noiommu_mode=Y): no DMA isolation, no DMA mapping; cmdline: %s",
			  c->f.ngroups, cl);
		check_fix(r, "enable the IOMMU (%s on the kernel command line, VT-d/AMD-Vi in firmware) and drop vfio.enable_unsafe_noiommu_mode",
			  vendor_param(f));
		return;
	}
	if (c->f.ngroups > 0) {
		/* groups without a registered unit: another IOMMU driver (virtio-iommu, ARM SMMU) */
		c->f.iommu_on = true;
		check_set(r, ST_PASS, "%s; %d groups; default domain %s; cmdline: %s", acpi,
			  c->f.ngroups, f->types[0] ? f->types : "not shown", cl);
		return;
	}
	if ((!cmdline_param(c->f.cmdline, "intel_iommu", v, sizeof(v)) && !strncmp(v, "off", 3)) ||
	    (!cmdline_param(c->f.cmdline, "amd_iommu", v, sizeof(v)) && !strncmp(v, "off", 3)) ||
	    (!cmdline_param(c->f.cmdline, "iommu", v, sizeof(v)) && !strcmp(v, "off"))) {
		check_set(r, ST_FAIL, "IOMMU switched off on the kernel command line (%s); %s; no IOMMU groups", cl, acpi);
		check_fix(r, "remove it from GRUB_CMDLINE_LINUX (/etc/default/grub) and add %s, run update-grub and reboot",
			  vendor_param(f));
		return;
	}
	if (f->ivrs) {
		check_set(r, ST_FAIL, "%s, but the kernel did not enable the IOMMU: no /sys/class/iommu unit, no IOMMU groups; cmdline: %s",
			  acpi, cl);
		check_fix(r, "the AMD IOMMU driver gave up: look for AMD-Vi in dmesg; check that the kernel has CONFIG_AMD_IOMMU and that nothing passes amd_iommu=off or iommu=off");
		return;
	}
	if (f->dmar) {
		check_set(r, ST_FAIL, "%s, but the kernel did not enable the IOMMU: no /sys/class/iommu unit, no IOMMU groups; cmdline: %s",
			  acpi, cl);
		check_fix(r, "add intel_iommu=on to GRUB_CMDLINE_LINUX (/etc/default/grub), run update-grub and reboot (CONFIG_INTEL_IOMMU_DEFAULT_ON is off in most distribution kernels)");
		return;
	}
	check_set(r, ST_FAIL, "no IOMMU: %s, no /sys/class/iommu unit, no IOMMU groups; cmdline: %s", acpi, cl);
	check_fix(r, "enable VT-d (Intel) or AMD-Vi/IOMMU (AMD) in the firmware setup; on Intel also boot with intel_iommu=on; a VM needs a virtual IOMMU (QEMU: -device intel-iommu,intremap=on)");
}

/*
 * Interrupt remapping shows in /proc/interrupts as the "IR-" irq chips
 * (IR-IO-APIC, IR-PCI-MSI...).  Without it type1 refuses to attach a group
 * (VFIO_SET_IOMMU: EPERM, "No interrupt remapping support") unless
 * allow_unsafe_interrupts=1, which lets a device forge MSIs.
 */
static void judge_intremap(struct check_ctx *c, struct check_result *r)
{
	int unsafe_t1 = module_param_bool("vfio_iommu_type1", "allow_unsafe_interrupts");
	int unsafe_fd = module_param_bool("iommufd", "allow_unsafe_interrupts");
	bool unsafe = unsafe_t1 == 1 || unsafe_fd == 1;
	const char *which = unsafe_t1 == 1 ? "vfio_iommu_type1" : "iommufd";
	bool ir, off_cmdline;
	char *text, v[32];
	int rc;

	if (!c->f.iommu_on) {
		check_set(r, ST_SKIP, "no IOMMU, so no interrupt remapping to check");
		return;
	}
	rc = sr_read_text("/proc/interrupts", &text, NULL);
	if (rc) {
		check_set(r, ST_UNKNOWN, "cannot read /proc/interrupts: %s", strerror(-rc));
		check_fix(r, "capture /proc/interrupts too (vfio-pinctl capture)");
		return;
	}
	ir = strstr(text, " IR-") != NULL;
	free(text);
	c->f.have_intremap = true;
	c->f.intremap = ir;
	off_cmdline = cmdline_flag(c->f.cmdline, "nointremap") ||
		      (!cmdline_param(c->f.cmdline, "intremap", v, sizeof(v)) && !strcmp(v, "off")) ||
		      (!cmdline_param(c->f.cmdline, "intel_iommu", v, sizeof(v)) && strstr(v, "nointremap"));
	if (ir && !unsafe) {
		check_set(r, ST_PASS, "interrupt remapping on (IR- irq chips in /proc/interrupts); allow_unsafe_interrupts=N");
	} else if (ir) {
		check_set(r, ST_WARN, "interrupt remapping is on, yet %s.allow_unsafe_interrupts=Y is set", which);
		check_fix(r, "drop %s.allow_unsafe_interrupts from the kernel command line or /etc/modprobe.d: it is not needed here",
			  which);
	} else if (unsafe) {
		check_set(r, ST_WARN, "no interrupt remapping%s; %s.allow_unsafe_interrupts=Y lets VFIO attach anyway: a device can forge MSIs to the host",
			  off_cmdline ? " (switched off on the command line)" : "", which);
		check_fix(r, "%s; then drop allow_unsafe_interrupts",
			  off_cmdline ? "remove nointremap/intremap=off from the kernel command line"
				      : "enable interrupt remapping (x2APIC/IR in firmware; QEMU: intel-iommu,intremap=on)");
	} else {
		check_set(r, ST_FAIL, "no interrupt remapping%s and allow_unsafe_interrupts=N: type1 refuses to attach groups (VFIO_SET_IOMMU fails with EPERM)",
			  off_cmdline ? " (switched off on the command line)" : "");
		check_fix(r, "%s; only if the platform cannot, set vfio_iommu_type1.allow_unsafe_interrupts=1 (unsafe)",
			  off_cmdline ? "remove nointremap/intremap=off from the kernel command line"
				      : "enable interrupt remapping (x2APIC/IR in firmware; QEMU: intel-iommu,intremap=on)");
	}
}

int check_iommu(struct check_ctx *c)
{
	struct iommu_facts f = { 0 };
	struct check_result *r;
	int rc;

	f.dmar = sr_exists("/sys/firmware/acpi/tables/DMAR");
	f.ivrs = sr_exists("/sys/firmware/acpi/tables/IVRS");
	read_units(&f);
	read_cpu_vendor(&f);
	f.noiommu = module_param_bool("vfio", "enable_unsafe_noiommu_mode") == 1;
	r = check_add(&c->l, "iommu_enabled", NULL);
	if (!r)
		return -ENOMEM;
	rc = read_groups(&f, &c->f.ngroups);
	if (rc) {
		c->f.ngroups = -1;
		check_set(r, ST_UNKNOWN, "cannot read /sys/kernel/iommu_groups: %s", strerror(-rc));
		check_fix(r, "run as root, or capture /sys/kernel/iommu_groups");
	} else {
		judge_enabled(c, r, &f);
	}
	r = check_add(&c->l, "interrupt_remapping", NULL);
	if (!r)
		return -ENOMEM;
	judge_intremap(c, r);
	return 0;
}
