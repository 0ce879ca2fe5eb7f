// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The files pam_limits reads, through the sysroot seam: limits.conf first
 * (the vendor copy /usr/etc/security/limits.conf only when /etc has none),
 * then every NAME.conf of limits.d sorted by file name, /etc shadowing the
 * vendor dir.  Each file is applied by the pure parser (model/limits-conf.c).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/limits-conf.h"
#include "host/sysroot.h"
#include "lib/util.h"

#define LIMITS_CONF        "/etc/security/limits.conf"
#define LIMITS_DIR         "/etc/security/limits.d"
#define VENDOR_LIMITS_CONF "/usr/etc/security/limits.conf"
#define VENDOR_LIMITS_DIR  "/usr/etc/security/limits.d"

static int apply_file(struct lc_limit *l, const struct lc_user *u, const char *path)
{
	char *text;
	int rc = sr_read_text(path, &text, NULL);

	if (rc)
		return rc == -ENOENT ? 0 : rc;
	rc = lc_apply_text(l, u, text, path);
	free(text);
	return rc;
}

struct conf_file {
	char name[256];
	const char *dir;
};

static int cmp_conf(const void *a, const void *b)
{
	return strcmp(((const struct conf_file *)a)->name, ((const struct conf_file *)b)->name);
}

static bool listed(const struct conf_file *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return true;
	return false;
}

/* Add DIR's NAME.conf (glob skips dot files) unless a file of that name is listed already. */
static int collect(struct conf_file **v, size_t *n, size_t *cap, const char *dir)
{
	struct dirent *de;
	DIR *d = sr_opendir(dir);
	size_t len;

	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	while ((de = readdir(d))) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 6 || strcmp(de->d_name + len - 5, ".conf") ||
		    len >= sizeof((*v)->name) || listed(*v, *n, de->d_name))
			continue;
		if (*n == *cap) {
			struct conf_file *nv = realloc(*v, (*cap ? *cap * 2 : 8) * sizeof(**v));

			if (!nv) {
				closedir(d);
				return -ENOMEM;
			}
			*v = nv;
			*cap = *cap ? *cap * 2 : 8;
		}
		str_copy((*v)[*n].name, sizeof((*v)[*n].name), de->d_name);
		(*v)[(*n)++].dir = dir;
	}
	closedir(d);
	return 0;
}

int lc_resolve(struct lc_limit *l, const struct lc_user *u)
{
	struct conf_file *v = NULL;
	size_t i, n = 0, cap = 0;
	char path[600];
	int rc;

	lc_init(l);
	rc = apply_file(l, u, sr_exists(LIMITS_CONF) ? LIMITS_CONF : VENDOR_LIMITS_CONF);
	if (rc)
		return rc < 0 ? rc : 0;
	rc = collect(&v, &n, &cap, LIMITS_DIR);
	if (!rc)
		rc = collect(&v, &n, &cap, VENDOR_LIMITS_DIR);
	if (rc)
		goto out;
	if (n)   /* qsort(NULL, 0) is undefined (UBSan) */
		qsort(v, n, sizeof(*v), cmp_conf);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", v[i].dir, v[i].name);
		rc = apply_file(l, u, path);
		if (rc)
			break;
	}
	if (rc > 0)
		rc = 0;
out:
	free(v);
	return rc;
}
