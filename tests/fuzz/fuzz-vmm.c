// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The VMM configuration readers: a command line (NUL-separated or one shell line,
 * QEMU or DPDK), a libvirt domain XML, and QEMU's option values (keyval, JSON).
 * Whatever they accept must give figures the limit model can use without
 * overflow; whatever they refuse must say so in one line.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "model/vmm.h"

static void figures(const struct vmm_config *c)
{
	struct vmm_contexts ctx;
	struct vmm_ceiling ceil;

	vmm_contexts(c, &ctx);
	if (ctx.total < 0 || ctx.total > 3 * VMM_MAX_DEVICES + 1)
		abort();
	vmm_libvirt_ceiling(c, &ceil);
	vmm_kubevirt_ceiling(c, &ceil);
	(void)vmm_guest_memory(c);
}

static void refused(int rc)
{
	/* a refusal carries its one line */
	if (rc && rc != -ENOMEM && (!err_isset() || strchr(err_message(), '\n')))
		abort();
	err_clear();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct vmm_config c;
	struct vmm_kv kv;
	const char *why;
	char *text;
	int rc;

	err_clear();
	rc = vmm_cmdline_parse((const char *)data, size, &c);
	if (!rc)
		figures(&c);
	refused(rc);
	rc = vmm_libvirt_parse((const char *)data, size, &c);
	if (!rc)
		figures(&c);
	refused(rc);
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (!vmm_kv_parse(text, "driver", &kv, &why)) {
		for (int i = 0; i < kv.n; i++)
			if (!kv.key[i] || !kv.val[i])
				abort();
		vmm_kv_free(&kv);
	}
	free(text);
	return 0;
}
