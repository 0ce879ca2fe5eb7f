// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * module_vfio, module_iommu_backend, module_vfio_pci, module_params: the
 * modules VFIO needs and the parameters that weaken it.  Pure: the facts come
 * from host/modules.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "model/cmdline.h"
#include "model/judge.h"
#include "lib/util.h"

const char *mod_state_name(enum mod_state s)
{
	static const char *const names[] = {
		[MOD_MISSING] = "missing", [MOD_AVAILABLE] = "not loaded",
		[MOD_LOADED] = "loaded", [MOD_BUILTIN] = "built in", [MOD_UNKNOWN] = "unknown",
	};

	return names[s];
}

/* "missing" only when the module tree was searched; else all we know is "not loaded". */
const char *mod_state_text(const struct mod_info *m)
{
	return m->state == MOD_MISSING && !m->looked_up ? "not loaded" : mod_state_name(m->state);
}

bool mod_present(const struct mod_info *m)
{
	return m->state == MOD_LOADED || m->state == MOD_BUILTIN;
}

void judge_module(const struct mod_info *m, const char *what, const char *modprobe_name,
		  const char *config, struct check_result *r)
{
	if (mod_present(m)) {
		check_set(r, ST_PASS, "%s %s (%s)", m->name, mod_state_name(m->state), what);
		return;
	}
	if (m->state == MOD_AVAILABLE) {
		check_set(r, ST_FAIL, "%s is not loaded (%s is available: %s)", m->name, what, m->path);
		check_fix(r, "modprobe %s; to load it at boot: echo %s > /etc/modules-load.d/vfio.conf",
			  modprobe_name, modprobe_name);
		return;
	}
	if (m->state == MOD_UNKNOWN) {
		check_set(r, ST_UNKNOWN, "cannot tell whether %s is loaded (libkmod failed)", m->name);
		return;
	}
	if (!m->looked_up)
		check_set(r, ST_FAIL, "%s is not loaded (%s; the tree has no /lib/modules to tell whether it exists)",
			  m->name, what);
	else
		check_set(r, ST_FAIL, "%s is not loaded and this kernel has no such module (%s)", m->name, what);
	check_fix(r, "modprobe %s; if it is not found, boot a kernel built with %s", modprobe_name, config);
}

void judge_module_backend(const struct mod_info *type1, const struct mod_info *iommufd, bool dev_iommu,
			  struct check_result *r)
{
	if (mod_present(type1) && mod_present(iommufd))
		check_set(r, ST_PASS, "vfio_iommu_type1 %s (type1 container on /dev/vfio/vfio); iommufd %s%s",
			  mod_state_text(type1), mod_state_text(iommufd), dev_iommu ? " (/dev/iommu)" : "");
	else if (mod_present(type1))
		check_set(r, ST_PASS, "vfio_iommu_type1 %s (type1 container on /dev/vfio/vfio); no iommufd",
			  mod_state_text(type1));
	else if (mod_present(iommufd))
		check_set(r, ST_PASS, "iommufd %s%s; no vfio_iommu_type1 (/dev/vfio/vfio, if present, is iommufd's compat container)",
			  mod_state_text(iommufd), dev_iommu ? " (/dev/iommu)" : "");
	else if (type1->state == MOD_AVAILABLE) {
		check_set(r, ST_FAIL, "no DMA-mapping backend: vfio_iommu_type1 is not loaded (available: %s), iommufd %s",
			  type1->path, mod_state_text(iommufd));
		check_fix(r, "modprobe vfio_iommu_type1; to load it at boot: echo vfio_iommu_type1 > /etc/modules-load.d/vfio.conf");
	} else {
		check_set(r, ST_FAIL, "no DMA-mapping backend: vfio_iommu_type1 %s, iommufd %s",
			  mod_state_text(type1), mod_state_text(iommufd));
		check_fix(r, "modprobe vfio_iommu_type1 (or iommufd); if neither exists, boot a kernel with CONFIG_VFIO_IOMMU_TYPE1 or CONFIG_IOMMUFD");
	}
}

/* vfio-pci ids= from the kernel command line, then modprobe.d. */
static void ids_text(const struct module_params *p, const char *cmdline, char *out, size_t size)
{
	char buf[64];
	size_t i, len;

	out[0] = '\0';
	if (!cmdline_param(cmdline, "vfio-pci.ids", buf, sizeof(buf)) ||
	    !cmdline_param(cmdline, "vfio_pci.ids", buf, sizeof(buf)))
		snprintf(out, size, "ids=%s (kernel command line)", buf);
	for (i = 0; i < p->nids; i++) {
		len = strlen(out);
		snprintf(out + len, size - len, "%sids=%.100s (%.150s)", len ? ", " : "",
			 p->ids[i].ids, p->ids[i].from);
	}
}

static const char *yes_no(int v)
{
	return v < 0 ? "n/a" : v ? "Y" : "N";
}

void judge_module_params(const struct module_params *p, const struct mod_info *vfio,
			 const struct mod_info *type1, const struct mod_info *vfio_pci,
			 const char *cmdline, struct check_result *r)
{
	char ids[400], warn[200] = "", fix[300] = "", lim[32];

	ids_text(p, cmdline, ids, sizeof(ids));
	if (p->disable_hugepages == 1) {
		snprintf(warn, sizeof(warn), "disable_hugepages=Y maps every 4K page on its own (more IOMMU entries, IOTLB misses)");
		snprintf(fix, sizeof(fix), "drop vfio_iommu_type1.disable_hugepages");
	}
	if (p->noiommu == 1) {
		size_t n = strlen(warn);

		snprintf(warn + n, sizeof(warn) - n, "%senable_unsafe_noiommu_mode=Y: devices without IOMMU isolation can be opened",
			 n ? "; " : "");
		n = strlen(fix);
		snprintf(fix + n, sizeof(fix) - n, "%sdrop vfio.enable_unsafe_noiommu_mode", n ? "; " : "");
	}
	if (!mod_present(type1) && !mod_present(vfio) && !mod_present(vfio_pci)) {
		check_set(r, ST_SKIP, "no VFIO module is loaded: no parameters to read");
		return;
	}
	if (p->have_dma_limit)
		snprintf(lim, sizeof(lim), "%" PRIu64, p->dma_entry_limit);
	else
		snprintf(lim, sizeof(lim), "n/a");
	check_set(r, warn[0] ? ST_WARN : ST_PASS,
		  "vfio_iommu_type1 dma_entry_limit=%s disable_hugepages=%s allow_unsafe_interrupts=%s; vfio enable_unsafe_noiommu_mode=%s; vfio-pci %s%s%s",
		  lim, yes_no(p->disable_hugepages), yes_no(p->allow_unsafe_interrupts), yes_no(p->noiommu),
		  ids[0] ? ids : "no ids=", warn[0] ? "; " : "", warn);
	if (fix[0])
		check_fix(r, "%s (kernel command line or /etc/modprobe.d), then reload the module or reboot", fix);
}
