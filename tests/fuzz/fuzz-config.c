// SPDX-License-Identifier: GPL-2.0-or-later
/* Configuration text check reads: limits.conf (as pam_limits applies it) and the kernel command line. */
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "host/limits-conf.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const unsigned gids[] = { 0, 27 };
	static const char *const groups[] = { "root", "kvm" };
	const struct lc_user u = { .name = "qemu", .uid = 64055, .gid = 0,
				   .gids = gids, .groups = groups, .ngroups = 2 };
	struct lc_limit l;
	char *text = malloc(size + 1), val[64];

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	lc_init(&l);
	lc_apply_text(&l, &u, text, "limits.conf");
	cmdline_param(text, "intel_iommu", val, sizeof(val));
	cmdline_flag(text, "iommu=pt");
	free(text);
	return 0;
}
