// SPDX-License-Identifier: GPL-2.0-or-later
/* The kernel command line: KEY=VALUE words and flags, as the kernel reads them. */
#include <errno.h>
#include <string.h>

#include "model/cmdline.h"
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
