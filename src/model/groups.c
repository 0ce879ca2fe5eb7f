// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model/groups.h"

enum group_rule group_rule_for(const char *release)
{
	unsigned major, minor;

	if (!release || sscanf(release, "%u.%u", &major, &minor) != 2)
		return GROUP_RULE_DMA_OWNER;
	return major < 5 || (major == 5 && minor < 19) ? GROUP_RULE_ALLOWLIST : GROUP_RULE_DMA_OWNER;
}

bool driver_is_vfio(const char *driver)
{
	size_t n = strlen(driver);

	/* vfio-pci, and variant drivers (mlx5_vfio_pci, nvgrace_gpu_vfio_pci, xe-vfio-pci, ...) */
	return !strcmp(driver, "vfio-pci") ||
	       (n > 9 && !strcmp(driver + n - 9, "_vfio_pci")) ||
	       (n > 9 && !strcmp(driver + n - 9, "-vfio-pci"));
}

/*
 * Class 0604 / 0609 (PCI-PCI, semi-transparent) and 0607 (CardBus) are the
 * bridge header types (1 and 2); a host or ISA bridge (0600, 0601) is a
 * normal function and counts like any other.  sysfs `class` stands in for
 * the header type byte, which needs config space.
 */
static bool is_bridge_class(uint32_t class_code)
{
	unsigned cls = class_code >> 8;

	return cls == 0x0604 || cls == 0x0609 || cls == 0x0607;
}

enum member_role member_role(const char *driver, uint32_t class_code, enum group_rule rule)
{
	if (driver_is_vfio(driver))
		return ROLE_VFIO;
	if (is_bridge_class(class_code)) {
		/* before 5.19 any driver; since, none or pcieport (driver_managed_dma) */
		if (rule == GROUP_RULE_ALLOWLIST || !driver[0] || !strcmp(driver, "pcieport"))
			return ROLE_BRIDGE;
		return ROLE_HOST;
	}
	if (!driver[0])
		return ROLE_UNBOUND;
	if (!strcmp(driver, "pci-stub"))
		return ROLE_STUB;
	/* pcieport also binds root complex event collectors (class 0807): driver_managed_dma too */
	if (rule == GROUP_RULE_DMA_OWNER && !strcmp(driver, "pcieport"))
		return ROLE_BRIDGE;
	return ROLE_HOST;
}

enum member_role other_member_role(const char *driver)
{
	/* vfio-platform, vfio-fsl-mc, vfio-amba: VFIO's own drivers for other buses */
	if (!driver[0])
		return ROLE_UNBOUND;
	return !strncmp(driver, "vfio", 4) ? ROLE_VFIO : ROLE_HOST;
}

const char *role_name(enum member_role r)
{
	static const char *const names[] = {
		[ROLE_VFIO] = "vfio", [ROLE_STUB] = "stub", [ROLE_BRIDGE] = "bridge",
		[ROLE_UNBOUND] = "unbound", [ROLE_HOST] = "host",
	};

	return names[r];
}

void group_judge(struct iommu_group *g)
{
	size_t i;

	g->noffenders = 0;
	for (i = 0; i < g->n; i++)
		if (g->members[i].role == ROLE_HOST)
			g->noffenders++;
	g->viable = g->noffenders == 0;
}

/* Append "sep fmt" to buf when there is room; a full buffer ends in "...". */
static void __attribute__((format(printf, 3, 4))) append(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;
	int n;

	if (len + 1 >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n >= size - len && size > 4)
		memcpy(buf + size - 4, "...", 4);
}

void group_explain(const struct iommu_group *g, struct group_why *w)
{
	size_t i;

	memset(w, 0, sizeof(*w));
	for (i = 0; i < g->n; i++) {
		const struct pci_entry *m = &g->members[i];
		const char *sep = i ? ", " : "";

		append(w->members, sizeof(w->members), "%s%s [%s]", sep, m->info.bdf,
		       m->info.driver[0] ? m->info.driver : "no driver");
		append(w->roles, sizeof(w->roles), "%s%s (%s)", sep, m->info.bdf, role_name(m->role));
		if (m->role != ROLE_HOST)
			continue;
		sep = w->noffenders ? ", " : "";
		if (m->is_pci)
			append(w->offenders, sizeof(w->offenders), "%s%s (%s) is bound to %s", sep,
			       m->info.bdf, m->info.name, m->info.driver);
		else
			append(w->offenders, sizeof(w->offenders), "%s%s is bound to %s", sep,
			       m->info.bdf, m->info.driver);
		append(w->rebind, sizeof(w->rebind), "%sdriverctl set-override %s vfio-pci",
		       w->noffenders ? "; " : "", m->info.bdf);
		if (!w->first)
			w->first = m;
		w->noffenders++;
	}
}

void group_not_viable_line(const struct iommu_group *g, char *buf, size_t size)
{
	struct group_why w;

	group_explain(g, &w);
	if (!w.first) {
		/* The kernel knows a driver claims DMA that the rule above does not name. */
		snprintf(buf, size, "IOMMU group %d is not viable, yet no member is on a driver that claims DMA by VFIO's rule (group: %s); a driver bound since, or one without driver_managed_dma, holds it: check dmesg and `vfio-pinctl groups -g %d`",
			 g->id, w.members, g->id);
		return;
	}
	snprintf(buf, size, "IOMMU group %d is not viable: %s; every member must be on a VFIO driver or pci-stub, unbound, or a bridge on pcieport (group: %s); unbind it: echo %s > /sys/bus/pci/devices/%s/driver/unbind",
		 g->id, w.offenders, w.members, w.first->info.bdf, w.first->info.bdf);
}
