// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A unit's LimitMEMLOCK=, User=, AmbientCapabilities=, ExecStart=.
 * systemd's own answer, `systemctl show -p ...` (kept by a capture); without
 * one, systemd's unit search path (systemd.unit(5)): the first
 * directory holding UNIT wins, then UNIT.d/NAME.conf drop-ins of every
 * directory, sorted by file name, an earlier directory shadowing a later
 * one's file of the same name.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host/sysroot.h"
#include "host/units.h"
#include "model/target.h"
#include "lib/util.h"

static const char *const unit_dirs[] = {
	"/etc/systemd/system", "/run/systemd/system", "/usr/local/lib/systemd/system",
	"/usr/lib/systemd/system", "/lib/systemd/system",
};

/*
 * systemd's own answer, through sr_run (posix_spawnp, no shell, so a unit
 * name is never shell syntax): a capture keeps the text, and a replay parses
 * what the live run parsed.
 */
static int unit_show(const char *unit, struct unit_props *p)
{
	char *const argv[] = {
		"systemctl", "show", "-p", "LoadState", "-p", "LimitMEMLOCK", "-p", "LimitMEMLOCKSoft",
		"-p", "User", "-p", "AmbientCapabilities", "-p", "ExecStart", "--", (char *)unit, NULL,
	};
	char as[600], *text, *l;
	int rc;

	snprintf(as, sizeof(as), "/run/vfio-pinctl/systemctl-show/%s", unit);
	rc = sr_run(as, argv, &text);
	if (rc)
		return rc;
	for (l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		unit_prop_line(p, l, "systemctl show");
	free(text);
	return 0;
}

static int read_file(const char *path, struct unit_props *p)
{
	char *text, *l;
	int rc = sr_read_text(path, &text, NULL);

	if (rc)
		return rc;
	for (l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		unit_prop_line(p, l, path);
	free(text);
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(strrchr(*(char *const *)a, '/'), strrchr(*(char *const *)b, '/'));
}

static bool shadowed(char *const *files, size_t n, const char *name)
{
	size_t j;

	for (j = 0; j < n; j++)
		if (!strcmp(strrchr(files[j], '/') + 1, name))
			return true;
	return false;
}

/* Drop-ins (UNIT.d/NAME.conf) apply after the unit file, sorted by name across directories. */
static void unit_dropins(const char *unit, struct unit_props *p)
{
	char *files[64] = { NULL }, dpath[600];
	size_t i, n = 0;
	struct dirent *de;
	DIR *d;

	for (i = 0; i < ARRAY_SIZE(unit_dirs); i++) {
		snprintf(dpath, sizeof(dpath), "%s/%s.d", unit_dirs[i], unit);
		d = sr_opendir(dpath);
		if (!d)
			continue;
		while ((de = readdir(d)) && n < ARRAY_SIZE(files)) {
			size_t len = strlen(de->d_name);

			if (len < 6 || strcmp(de->d_name + len - 5, ".conf"))
				continue;
			if (shadowed(files, n, de->d_name))   /* an earlier directory shadows this one */
				continue;
			if (asprintf(&files[n], "%s/%s", dpath, de->d_name) < 0)
				break;
			n++;
		}
		closedir(d);
	}
	qsort(files, n, sizeof(files[0]), cmp_name);
	for (i = 0; i < n; i++) {
		read_file(files[i], p);
		free(files[i]);
	}
}

static int unit_files(const char *unit, struct unit_props *p)
{
	char path[600];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(unit_dirs); i++) {
		snprintf(path, sizeof(path), "%s/%s", unit_dirs[i], unit);
		if (!read_file(path, p))
			break;
	}
	if (i == ARRAY_SIZE(unit_dirs))
		return -ENOENT;
	snprintf(p->load, sizeof(p->load), "loaded");
	unit_dropins(unit, p);
	return 0;
}

int unit_props_read(const char *unit, struct unit_props *p)
{
	int rc;

	memset(p, 0, sizeof(*p));
	rc = unit_show(unit, p);
	if (rc != -ENOENT || sr_live())
		return rc;   /* -ENOEXEC: systemctl failed, live or as the capture kept it */
	/* A tree captured without systemd's answer (older captures, fixtures): the files. */
	memset(p, 0, sizeof(*p));
	return unit_files(unit, p);
}

void units_default_memlock(char *val, size_t size)
{
	char *text, *p, v[64];

	val[0] = '\0';
	if (sr_read_text("/etc/systemd/system.conf", &text, NULL))
		return;
	p = strstr(text, "\nDefaultLimitMEMLOCK=");
	if (p && sscanf(p + 21, "%63s", v) == 1)
		snprintf(val, size, "%s", v);
	free(text);
}
