// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iommu_enabled and interrupt_remapping: is DMA remapping on, and can VFIO
 * isolate MSIs.  virt-host-validate looks at the ACPI table and the group
 * count only; we say which of firmware, kernel command line or driver is
 * missing, and read the default domain type.  Pure: the facts come from
 * host/platform.c.
 */
#include <stdio.h>
#include <string.h>

#include "model/cmdline.h"
#include "model/judge.h"
#include "lib/util.h"

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

static bool switched_off(const char *cmdline)
{
	char v[32];

	return (!cmdline_param(cmdline, "intel_iommu", v, sizeof(v)) && !strncmp(v, "off", 3)) ||
	       (!cmdline_param(cmdline, "amd_iommu", v, sizeof(v)) && !strncmp(v, "off", 3)) ||
	       (!cmdline_param(cmdline, "iommu", v, sizeof(v)) && !strcmp(v, "off"));
}

/* No group at all: say which of firmware, command line or driver is missing. */
static void judge_no_groups(const struct iommu_facts *f, const char *cmdline, const char *acpi,
			    const char *cl, struct check_result *r)
{
	if (switched_off(cmdline)) {
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

bool judge_iommu_enabled(const struct iommu_facts *f, const char *cmdline, struct check_result *r)
{
	const char *acpi = f->dmar ? "ACPI DMAR table" : f->ivrs ? "ACPI IVRS table" : "no ACPI DMAR/IVRS table";
	char cl[200];

	if (f->groups_rc) {
		check_set(r, ST_UNKNOWN, "cannot read /sys/kernel/iommu_groups: %s", strerror(-f->groups_rc));
		check_fix(r, "run as root, or capture /sys/kernel/iommu_groups");
		return false;
	}
	iommu_cmdline(cmdline, cl, sizeof(cl));
	if (f->ngroups > 0 && f->nunits > 0) {
		check_set(r, ST_PASS, "%s; IOMMU %s; %d groups; default domain %s; cmdline: %s",
			  acpi, f->units, f->ngroups, f->types[0] ? f->types : "not shown (before 5.11)", cl);
		return true;
	}
	if (f->ngroups > 0 && f->noiommu) {
		check_set(r, ST_FAIL, "no IOMMU: %d groups are VFIO no-IOMMU groups (enable_unsafe_noiommu_mode=Y): no DMA isolation, no DMA mapping; cmdline: %s",
			  f->ngroups, cl);
		check_fix(r, "enable the IOMMU (%s on the kernel command line, VT-d/AMD-Vi in firmware) and drop vfio.enable_unsafe_noiommu_mode",
			  vendor_param(f));
		return false;
	}
	if (f->ngroups > 0) {
		/* groups without a registered unit: another IOMMU driver (virtio-iommu, ARM SMMU) */
		check_set(r, ST_PASS, "%s; %d groups; default domain %s; cmdline: %s", acpi,
			  f->ngroups, f->types[0] ? f->types : "not shown", cl);
		return true;
	}
	judge_no_groups(f, cmdline, acpi, cl, r);
	return false;
}

static const char *intremap_fix(bool off_cmdline)
{
	return off_cmdline ? "remove nointremap/intremap=off from the kernel command line"
			   : "enable interrupt remapping (x2APIC/IR in firmware; QEMU: intel-iommu,intremap=on)";
}

/*
 * Interrupt remapping shows in /proc/interrupts as the "IR-" irq chips
 * (IR-IO-APIC, IR-PCI-MSI...).  Without it type1 refuses to attach a group
 * (VFIO_SET_IOMMU: EPERM, "No interrupt remapping support") unless
 * allow_unsafe_interrupts=1, which lets a device forge MSIs.
 */
void judge_intremap(const struct iommu_facts *f, const char *cmdline, bool iommu_on,
		    struct check_result *r)
{
	bool unsafe = f->unsafe_type1 == 1 || f->unsafe_iommufd == 1;
	const char *which = f->unsafe_type1 == 1 ? "vfio_iommu_type1" : "iommufd";
	bool off_cmdline;
	char v[32];

	if (!iommu_on) {
		check_set(r, ST_SKIP, "no IOMMU, so no interrupt remapping to check");
		return;
	}
	if (f->interrupts_rc) {
		check_set(r, ST_UNKNOWN, "cannot read /proc/interrupts: %s", strerror(-f->interrupts_rc));
		check_fix(r, "capture /proc/interrupts too (vfio-pinctl capture)");
		return;
	}
	off_cmdline = cmdline_flag(cmdline, "nointremap") ||
		      (!cmdline_param(cmdline, "intremap", v, sizeof(v)) && !strcmp(v, "off")) ||
		      (!cmdline_param(cmdline, "intel_iommu", v, sizeof(v)) && strstr(v, "nointremap"));
	if (f->ir && !unsafe) {
		check_set(r, ST_PASS, "interrupt remapping on (IR- irq chips in /proc/interrupts); allow_unsafe_interrupts=N");
	} else if (f->ir) {
		check_set(r, ST_WARN, "interrupt remapping is on, yet %s.allow_unsafe_interrupts=Y is set", which);
		check_fix(r, "drop %s.allow_unsafe_interrupts from the kernel command line or /etc/modprobe.d: it is not needed here",
			  which);
	} else if (unsafe) {
		check_set(r, ST_WARN, "no interrupt remapping%s; %s.allow_unsafe_interrupts=Y lets VFIO attach anyway: a device can forge MSIs to the host",
			  off_cmdline ? " (switched off on the command line)" : "", which);
		check_fix(r, "%s; then drop allow_unsafe_interrupts", intremap_fix(off_cmdline));
	} else {
		check_set(r, ST_FAIL, "no interrupt remapping%s and allow_unsafe_interrupts=N: type1 refuses to attach groups (VFIO_SET_IOMMU fails with EPERM)",
			  off_cmdline ? " (switched off on the command line)" : "");
		check_fix(r, "%s; only if the platform cannot, set vfio_iommu_type1.allow_unsafe_interrupts=1 (unsafe)",
			  intremap_fix(off_cmdline));
	}
}
