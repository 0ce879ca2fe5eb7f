// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel modules through one libkmod context: live, libkmod's view of the
 * running kernel; under --sysroot, /sys/module of the tree decides what is
 * loaded or built in, and a context on the tree's /lib/modules/RELEASE (no
 * configuration: the tree's modprobe.d is read on its own) what is available.
 */
#include <dirent.h>
#include <errno.h>
#include <libkmod.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/kernel.h"
#include "host/modules.h"
#include "host/sysroot.h"
#include "lib/util.h"

static struct kmod_ctx *kmod_for(const char *release)
{
	static const char *const no_config[] = { NULL };
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
	return kmod_new(dir, no_config);
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

void modules_read(struct mod_info *const *mods, size_t n, const char *release)
{
	struct kmod_ctx *ctx = kmod_for(release);
	size_t i;

	for (i = 0; i < n; i++) {
		struct mod_info *m = mods[i];

		m->state = MOD_MISSING;
		m->path[0] = '\0';
		m->looked_up = false;
		if (sr_live() && ctx)
			state_live(ctx, m);
		else
			state_sysroot(ctx, m);
	}
	if (ctx)
		kmod_unref(ctx);
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

static void conf_ids(struct module_params *mp, const char *path)
{
	char *text, val[128];
	const char *p;
	size_t n;

	if (sr_read_text(path, &text, NULL))
		return;
	for (p = text; *p; p += n + (p[n] == '\n')) {
		struct modprobe_ids *e;

		n = strcspn(p, "\n");
		if (!options_ids(p, n, val, sizeof(val)) || mp->nids == ARRAY_SIZE(mp->ids))
			continue;
		e = &mp->ids[mp->nids++];
		str_copy(e->ids, sizeof(e->ids), val);
		str_copy(e->from, sizeof(e->from), path);
	}
	free(text);
}

/* "options vfio-pci ids=..." lines of modprobe.d, in directory order. */
static void modprobe_ids(struct module_params *mp)
{
	static const char *const dirs[] = {
		"/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d",
		"/lib/modprobe.d", "/usr/lib/modprobe.d",
	};
	char path[600];
	struct dirent *de;
	size_t i, len;
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
			conf_ids(mp, path);
		}
		closedir(d);
	}
}

void module_params_read(struct module_params *p)
{
	char buf[64];
	uint64_t v;

	memset(p, 0, sizeof(*p));
	p->disable_hugepages = module_param_bool("vfio_iommu_type1", "disable_hugepages");
	p->allow_unsafe_interrupts = module_param_bool("vfio_iommu_type1", "allow_unsafe_interrupts");
	p->noiommu = module_param_bool("vfio", "enable_unsafe_noiommu_mode");
	if (!module_param("vfio_iommu_type1", "dma_entry_limit", buf, sizeof(buf)) &&
	    !parse_u64(buf, &v)) {
		p->have_dma_limit = true;
		p->dma_entry_limit = v;
	}
	modprobe_ids(p);
}
