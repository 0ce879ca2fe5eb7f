// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * module_vfio, module_iommu_backend, module_vfio_pci, module_params.
 * Live, libkmod answers loaded / built in / available.  libkmod reads the
 * live /sys/module, so under --sysroot /sys/module of the tree decides and
 * libkmod only looks up the tree's /lib/modules/RELEASE (if captured).
 */
#include <dirent.h>
#include <errno.h>
#include <libkmod.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check/check.h"
#include "host/sysroot.h"
#include "lib/util.h"

const char *mod_state_name(enum mod_state s)
{
	static const char *const names[] = {
		[MOD_MISSING] = "missing", [MOD_AVAILABLE] = "not loaded",
		[MOD_LOADED] = "loaded", [MOD_BUILTIN] = "built in", [MOD_UNKNOWN] = "unknown",
	};

	return names[s];
}

static struct kmod_ctx *kmod_for(const char *release)
{
	char dir[512];

	/* No module tree (live or in a tree): nothing to search, the same answer both ways. */
	if (!release[0] || sr_path(dir, sizeof(dir), "/lib/modules/%s", release) ||
	    access(dir, R_OK))
		return NULL;
	if (sr_live()) {
		/* libkmod reads the indexes itself, past the seam: noted for capture. */
		snprintf(dir, sizeof(dir), "/lib/modules/%s/modules.*", release);
		sr_note(dir, SR_GLOB);
		return kmod_new(NULL, NULL);
	}
	{
		static const char *const no_config[] = { NULL };

		return kmod_new(dir, no_config);
	}
}

/* Is the module's file in the module tree (or in modules.builtin)? */
static void lookup_available(struct kmod_ctx *ctx, struct mod_info *m)
{
	struct kmod_module *mod = NULL;
	const char *path;

	if (kmod_module_new_from_name(ctx, m->name, &mod))
		return;
	m->looked_up = true;
	path = kmod_module_get_path(mod);
	if (path) {
		m->state = MOD_AVAILABLE;
		str_copy(m->path, sizeof(m->path), path);
	} else if (!sr_live() && kmod_module_get_initstate(mod) == KMOD_MODULE_BUILTIN) {
		m->state = MOD_BUILTIN;
	}
	kmod_module_unref(mod);
}

static void state_live(struct kmod_ctx *ctx, struct mod_info *m)
{
	struct kmod_module *mod = NULL;
	char path[128];
	int st;

	if (kmod_module_new_from_name(ctx, m->name, &mod)) {
		m->state = MOD_UNKNOWN;
		return;
	}
	/* What libkmod looks at, which a replay's state_sysroot() asks of the tree. */
	snprintf(path, sizeof(path), "/sys/module/%s/initstate", m->name);
	sr_note(path, SR_STAT);
	snprintf(path, sizeof(path), "/sys/module/%s", m->name);
	sr_note(path, SR_STAT);
	st = kmod_module_get_initstate(mod);
	kmod_module_unref(mod);
	if (st == KMOD_MODULE_BUILTIN)
		m->state = MOD_BUILTIN;
	else if (st >= 0)
		m->state = MOD_LOADED;   /* live, coming or going */
	else
		lookup_available(ctx, m);
}

/* /sys/module/NAME has initstate for a loaded module, none for a built-in one. */
static void state_sysroot(struct kmod_ctx *ctx, struct mod_info *m)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/%s/initstate", m->name);
	if (sr_exists(path)) {
		m->state = MOD_LOADED;
		return;
	}
	snprintf(path, sizeof(path), "/sys/module/%s", m->name);
	if (sr_exists(path)) {
		m->state = MOD_BUILTIN;
		return;
	}
	if (ctx)
		lookup_available(ctx, m);
}

void module_state(struct mod_info *m, const char *release)
{
	struct kmod_ctx *ctx = kmod_for(release);

	m->state = MOD_MISSING;
	m->path[0] = '\0';
	m->looked_up = false;
	if (sr_live() && ctx)
		state_live(ctx, m);
	else
		state_sysroot(ctx, m);
	if (ctx)
		kmod_unref(ctx);
}

/* "missing" only when the module tree was searched; else all we know is "not loaded". */
const char *mod_state_text(const struct mod_info *m)
{
	return m->state == MOD_MISSING && !m->looked_up ? "not loaded" : mod_state_name(m->state);
}

static bool present(const struct mod_info *m)
{
	return m->state == MOD_LOADED || m->state == MOD_BUILTIN;
}

static void judge_module(struct check_result *r, const struct mod_info *m, const char *what,
			 const char *modprobe_name, const char *config)
{
	if (present(m)) {
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
		check_set(r, ST_FAIL, "%s is not loaded (%s; no /lib/modules tree to tell whether it exists)",
			  m->name, what);
	else
		check_set(r, ST_FAIL, "%s is not loaded and this kernel has no such module (%s)", m->name, what);
	check_fix(r, "modprobe %s; if it is not found, boot a kernel built with %s", modprobe_name, config);
}

static void judge_backend(struct check_ctx *c, struct check_result *r)
{
	struct check_facts *f = &c->f;
	bool dev_iommu = sr_exists("/dev/iommu");

	if (present(&f->type1) && present(&f->iommufd))
		check_set(r, ST_PASS, "vfio_iommu_type1 %s (type1 container on /dev/vfio/vfio); iommufd %s%s",
			  mod_state_text(&f->type1), mod_state_text(&f->iommufd),
			  dev_iommu ? " (/dev/iommu)" : "");
	else if (present(&f->type1))
		check_set(r, ST_PASS, "vfio_iommu_type1 %s (type1 container on /dev/vfio/vfio); no iommufd",
			  mod_state_text(&f->type1));
	else if (present(&f->iommufd))
		check_set(r, ST_PASS, "iommufd %s%s; no vfio_iommu_type1 (/dev/vfio/vfio, if present, is iommufd's compat container)",
			  mod_state_text(&f->iommufd), dev_iommu ? " (/dev/iommu)" : "");
	else if (f->type1.state == MOD_AVAILABLE) {
		check_set(r, ST_FAIL, "no DMA-mapping backend: vfio_iommu_type1 is not loaded (available: %s), iommufd %s",
			  f->type1.path, mod_state_text(&f->iommufd));
		check_fix(r, "modprobe vfio_iommu_type1; to load it at boot: echo vfio_iommu_type1 > /etc/modules-load.d/vfio.conf");
	} else {
		check_set(r, ST_FAIL, "no DMA-mapping backend: vfio_iommu_type1 %s, iommufd %s",
			  mod_state_text(&f->type1), mod_state_text(&f->iommufd));
		check_fix(r, "modprobe vfio_iommu_type1 (or iommufd); if neither exists, boot a kernel with CONFIG_VFIO_IOMMU_TYPE1 or CONFIG_IOMMUFD");
	}
}

/* The ids= of an "options vfio-pci ..." line, or NULL. */
static const char *options_ids(const char *line, size_t n, char *val, size_t size)
{
	char mod[32];
	const char *ids;

	if (sscanf(line, "options %31s", mod) != 1 || (strcmp(mod, "vfio-pci") && strcmp(mod, "vfio_pci")))
		return NULL;
	ids = strstr(line, " ids=");
	if (!ids || ids >= line + n)
		return NULL;
	ids += 5;
	n = strcspn(ids, " \t\n");
	snprintf(val, size, "%.*s", (int)(n < size ? n : size - 1), ids);
	return val;
}

/* "options vfio-pci ids=..." lines of modprobe.d, appended to out. */
static void modprobe_ids(char *out, size_t size)
{
	static const char *const dirs[] = {
		"/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d",
		"/lib/modprobe.d", "/usr/lib/modprobe.d",
	};
	char path[600], *text, val[128];
	const char *p;
	struct dirent *de;
	size_t i, len, n;
	DIR *d;

	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		d = sr_opendir(dirs[i]);
		if (!d)
			continue;
		while ((de = readdir(d))) {
			len = strlen(de->d_name);
			if (len < 6 || strcmp(de->d_name + len - 5, ".conf"))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dirs[i], de->d_name);
			if (sr_read_text(path, &text, NULL))
				continue;
			for (p = text; *p; p += n + (p[n] == '\n')) {
				n = strcspn(p, "\n");
				if (!options_ids(p, n, val, sizeof(val)))
					continue;
				len = strlen(out);
				snprintf(out + len, size - len, "%sids=%.100s (%.150s)", len ? ", " : "",
					 val, path);
			}
			free(text);
		}
		closedir(d);
	}
}

static void judge_params(struct check_ctx *c, struct check_result *r)
{
	struct check_facts *f = &c->f;
	char buf[64], ids[400] = "", warn[200] = "", fix[300] = "";
	int hp = module_param_bool("vfio_iommu_type1", "disable_hugepages");
	int unsafe = module_param_bool("vfio_iommu_type1", "allow_unsafe_interrupts");
	int noiommu = module_param_bool("vfio", "enable_unsafe_noiommu_mode");
	uint64_t v;

	if (!module_param("vfio_iommu_type1", "dma_entry_limit", buf, sizeof(buf)) &&
	    !parse_u64(buf, &v)) {
		f->have_dma_limit = true;
		f->dma_entry_limit = v;
	}
	if (!cmdline_param(f->cmdline, "vfio-pci.ids", buf, sizeof(buf)) ||
	    !cmdline_param(f->cmdline, "vfio_pci.ids", buf, sizeof(buf)))
		snprintf(ids, sizeof(ids), "ids=%s (kernel command line)", buf);
	modprobe_ids(ids, sizeof(ids));
	if (hp == 1) {
		snprintf(warn, sizeof(warn), "disable_hugepages=Y maps every 4K page on its own (more IOMMU entries, IOTLB misses)");
		snprintf(fix, sizeof(fix), "drop vfio_iommu_type1.disable_hugepages");
	}
	if (noiommu == 1) {
		size_t n = strlen(warn);

		snprintf(warn + n, sizeof(warn) - n, "%senable_unsafe_noiommu_mode=Y: devices without IOMMU isolation can be opened",
			 n ? "; " : "");
		n = strlen(fix);
		snprintf(fix + n, sizeof(fix) - n, "%sdrop vfio.enable_unsafe_noiommu_mode", n ? "; " : "");
	}
	if (!present(&f->type1) && !present(&f->vfio) && !present(&f->vfio_pci)) {
		check_set(r, ST_SKIP, "no VFIO module is loaded: no parameters to read");
		return;
	}
	{
		char lim[32];

		if (f->have_dma_limit)
			snprintf(lim, sizeof(lim), "%llu", (unsigned long long)f->dma_entry_limit);
		else
			snprintf(lim, sizeof(lim), "n/a");
		check_set(r, warn[0] ? ST_WARN : ST_PASS,
			  "vfio_iommu_type1 dma_entry_limit=%s disable_hugepages=%s allow_unsafe_interrupts=%s; vfio enable_unsafe_noiommu_mode=%s; vfio-pci %s%s%s",
			  lim, hp < 0 ? "n/a" : hp ? "Y" : "N", unsafe < 0 ? "n/a" : unsafe ? "Y" : "N",
			  noiommu < 0 ? "n/a" : noiommu ? "Y" : "N", ids[0] ? ids : "no ids=",
			  warn[0] ? "; " : "", warn);
	}
	if (fix[0])
		check_fix(r, "%s (kernel command line or /etc/modprobe.d), then reload the module or reboot", fix);
}

int check_modules(struct check_ctx *c)
{
	struct check_facts *f = &c->f;
	struct check_result *r;

	f->vfio.name = "vfio";
	f->type1.name = "vfio_iommu_type1";
	f->iommufd.name = "iommufd";
	f->vfio_pci.name = "vfio_pci";
	module_state(&f->vfio, f->release);
	module_state(&f->type1, f->release);
	module_state(&f->iommufd, f->release);
	module_state(&f->vfio_pci, f->release);

	if (!(r = check_add(&c->l, "module_vfio", NULL)))
		return -ENOMEM;
	judge_module(r, &f->vfio, "the VFIO core", "vfio", "CONFIG_VFIO");
	if (!(r = check_add(&c->l, "module_iommu_backend", NULL)))
		return -ENOMEM;
	judge_backend(c, r);
	if (!(r = check_add(&c->l, "module_vfio_pci", NULL)))
		return -ENOMEM;
	judge_module(r, &f->vfio_pci, "the vfio-pci driver", "vfio-pci", "CONFIG_VFIO_PCI");
	if (!(r = check_add(&c->l, "module_params", NULL)))
		return -ENOMEM;
	judge_params(c, r);
	return 0;
}
