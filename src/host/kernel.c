// SPDX-License-Identifier: GPL-2.0-or-later
/* Small readers the checks share: the kernel command line and module parameters. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check/check.h"
#include "host/sysroot.h"
#include "lib/util.h"

int cmdline_param(const char *cmdline, const char *key, char *val, size_t size)
{
	size_t klen = strlen(key);
	const char *p = cmdline;
	int rc = -ENOENT;

	while (*p) {
		size_t n;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		n = strcspn(p, " \t\n");
		if (n > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			size_t vn = n - klen - 1;

			if (vn >= size)
				vn = size - 1;
			memcpy(val, p + klen + 1, vn);
			val[vn] = '\0';
			rc = 0;
		}
		p += n;
	}
	return rc;
}

bool cmdline_flag(const char *cmdline, const char *word)
{
	return has_word(cmdline, word);
}

int module_param(const char *mod, const char *param, char *val, size_t size)
{
	char path[160];

	snprintf(path, sizeof(path), "/sys/module/%s/parameters/%s", mod, param);
	return sr_read_line(path, val, size);
}

int module_param_bool(const char *mod, const char *param)
{
	char v[16];
	int rc = module_param(mod, param, v, sizeof(v));

	if (rc)
		return rc;
	return v[0] == 'Y' || v[0] == 'y' || v[0] == '1';
}
