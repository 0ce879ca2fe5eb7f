// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Configuration text check reads: limits.conf (as pam_limits applies it), the
 * kernel command line, a unit file or systemctl show output, a pid argument.
 */
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "host/limits-conf.h"
#include "lib/util.h"
#include "model/target.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const unsigned gids[] = { 0, 27 };
	static const char *const groups[] = { "root", "kvm" };
	const struct lc_user u = { .name = "qemu", .uid = 64055, .gid = 0,
				   .gids = gids, .groups = groups, .ngroups = 2 };
	struct lc_limit l;
	static const struct limit_default d = { .kv_known = true, .kv = { 6, 12, 0 } };
	char *text = malloc(size + 1), val[64], bin[256], *line;
	struct unit_props p = { 0 };
	struct target t = { 0 };
	int pid;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	lc_init(&l);
	lc_apply_text(&l, &u, text, "limits.conf");
	cmdline_param(text, "intel_iommu", val, sizeof(val));
	cmdline_flag(text, "iommu=pt");
	for (line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL)
		unit_prop_line(&p, line, "fuzz.service");
	target_from_unit(&t, "fuzz.service", 0, &p, NULL, &d);
	unit_exec_binary(&p, bin, sizeof(bin));
	parse_pid(text, true, &pid);
	free(text);
	return 0;
}
