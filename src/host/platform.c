// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What iommu_enabled and interrupt_remapping judge: ACPI DMAR/IVRS, the
 * registered IOMMU units (/sys/class/iommu), the groups and their default
 * domain types, the CPU vendor, the IR- irq chips of /proc/interrupts, and
 * the module parameters that relax isolation.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/iommu.h"
#include "host/kernel.h"
#include "host/platform.h"
#include "host/sysroot.h"
#include "lib/util.h"

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
static int read_groups(struct iommu_facts *f)
{
	struct iommu_summary s;
	int rc = iommu_summary_read(&s);

	f->ngroups = 0;
	if (rc)
		return rc;
	f->ngroups = s.ngroups;
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

/* The IR- irq chips (IR-IO-APIC, IR-PCI-MSI...) are interrupt remapping at work. */
static void read_interrupts(struct iommu_facts *f)
{
	char *text;

	f->interrupts_rc = sr_read_text("/proc/interrupts", &text, NULL);
	if (f->interrupts_rc)
		return;
	f->ir = strstr(text, " IR-") != NULL;
	free(text);
}

void platform_read(struct iommu_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->dmar = sr_exists("/sys/firmware/acpi/tables/DMAR");
	f->ivrs = sr_exists("/sys/firmware/acpi/tables/IVRS");
	read_units(f);
	read_cpu_vendor(f);
	f->noiommu = module_param_bool("vfio", "enable_unsafe_noiommu_mode") == 1;
	f->groups_rc = read_groups(f);
	if (f->groups_rc)
		f->ngroups = -1;
	read_interrupts(f);
	f->unsafe_type1 = module_param_bool("vfio_iommu_type1", "allow_unsafe_interrupts");
	f->unsafe_iommufd = module_param_bool("iommufd", "allow_unsafe_interrupts");
}
