// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A DPDK application's EAL options (after the program name, up to "--"; what
 * follows belongs to the application).  EAL parses them with getopt_long
 * (lib/eal/common/eal_common_options.c): short options take "-l0" or "-l 0",
 * long ones "--socket-mem=64" or "--socket-mem 64".  -m and --socket-mem are in
 * MiB (eal_common_options.c: memory = atoi(optarg) * 1024 * 1024).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "lib/util.h"
#include "model/vmm.h"

/* Short options that take a value (EAL_SHORT_OPTIONS: a b c d l L m n r s S w). */
static const char short_arg[] = "abcdlLmnrsSw";
static const char short_flag[] = "hv";

/* Long options that take a value (required_argument in eal_long_options[]). */
static const char *const long_arg[] = {
	"socket-mem", "socket-limit", "file-prefix", "huge-dir", "iova-mode", "proc-type",
	"vdev", "lcores", "log-level", "base-virtaddr", "vfio-intr", "vfio-vf-token",
	"master-lcore", "main-lcore", "mbuf-pool-ops-name", "allow", "block",
	"pci-whitelist", "pci-blacklist", "service-corelist", "service-coremask",
	"trace", "trace-dir", "trace-bufsz", "trace-mode", "force-max-simd-bitwidth",
	"coremask", "corelist", "memory-size", "memory-channels", "memory-ranks",
	"uio-dev", "mem-alloc-mode",
};
static const char *const long_flag[] = {
	"in-memory", "no-huge", "no-pci", "no-hpet", "no-shconf", "no-telemetry", "telemetry",
	"legacy-mem", "single-file-segments", "match-allocations", "create-uio-dev",
	"huge-unlink", "help", "version", "syslog", "huge-worker-stack", "no-vmbus",
};

struct dctx {
	struct vmm_config *c;
	int argi;
	const char *opt;      /* the option as written */
	const char *sep;      /* its value when given as the next argument */
};

static int bad(const struct dctx *d, const char *what)
{
	char o[40], v[60];

	err_set(VP_EXIT_SYSROOT, "DPDK EAL options, argument %d (%s%s%s): %s", d->argi,
		vmm_printable(d->opt, o, sizeof(o)), d->sep ? " " : "", vmm_printable(d->sep, v, sizeof(v)), what);
	return -EINVAL;
}

static int truncated(const struct dctx *d)
{
	char o[40];

	err_set(VP_EXIT_SYSROOT, "DPDK EAL options end at '%s', which takes a value: the argv is truncated",
		vmm_printable(d->opt, o, sizeof(o)));
	return -EINVAL;
}

static int mib(const struct dctx *d, const char *s, uint64_t *out)
{
	uint64_t v;

	if (parse_u64(s, &v) || v > (UINT64_MAX >> 20))
		return bad(d, "a memory amount is a whole number of MiB");
	*out = v << 20;
	return 0;
}

static int socket_mem(const struct dctx *d, const char *s)
{
	struct vmm_dpdk *p = &d->c->dpdk;
	char buf[256], *tok, *save = NULL;

	if (strlen(s) >= sizeof(buf))
		return bad(d, "--socket-mem is a comma-separated list of MiB per NUMA socket");
	strcpy(buf, s);
	p->nsockets = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (p->nsockets >= VMM_MAX_SOCKETS)
			return bad(d, "more sockets than vfio-pinctl records (8)");
		if (mib(d, tok, &p->socket_mem[p->nsockets]))
			return -EINVAL;
		p->nsockets++;
	}
	return p->nsockets ? 0 : bad(d, "--socket-mem lists no amount");
}

/* -a/-w BDF[,devargs]: a device EAL will probe (and, bound to vfio-pci, map). */
static int allow(const struct dctx *d, const char *s)
{
	struct vmm_config *c = d->c;
	struct vmm_device *dev;
	char addr[32];
	size_t n = strcspn(s, ",");

	c->dpdk.allow_all = false;
	if (n >= sizeof(addr))
		return 0;   /* not a PCI address: a bus-specific name (auxiliary:, vdev) */
	memcpy(addr, s, n);
	addr[n] = '\0';
	if (c->ndevices >= VMM_MAX_DEVICES) {
		str_copy(c->partial, sizeof(c->partial), "more allowed devices than vfio-pinctl records (32)");
		return 0;
	}
	dev = &c->devices[c->ndevices];
	memset(dev, 0, sizeof(*dev));
	dev->kind = VMM_DEV_DPDK;
	if (vmm_norm_bdf(addr, dev->bdf, sizeof(dev->bdf)))
		return 0;   /* likewise not PCI */
	c->ndevices++;
	return 0;
}

static int apply(const struct dctx *d, const char *name, const char *val)
{
	struct vmm_dpdk *p = &d->c->dpdk;

	if (!strcmp(name, "m") || !strcmp(name, "memory-size"))
		return mib(d, val, &p->mem_bytes);
	if (!strcmp(name, "socket-mem"))
		return socket_mem(d, val);
	if (!strcmp(name, "a") || !strcmp(name, "w") || !strcmp(name, "allow") ||
	    !strcmp(name, "pci-whitelist"))
		return allow(d, val);
	if (!strcmp(name, "b") || !strcmp(name, "block") || !strcmp(name, "pci-blacklist")) {
		p->nblocked++;
		return 0;
	}
	if (!strcmp(name, "iova-mode")) {
		if (strcmp(val, "va") && strcmp(val, "pa"))
			return bad(d, "--iova-mode takes pa or va");
		p->iova_va = !strcmp(val, "va") ? VMM_ON : VMM_OFF;
		return 0;
	}
	return 0;
}

static void flag(struct vmm_dpdk *p, const char *name)
{
	if (!strcmp(name, "in-memory"))
		p->in_memory = true;
	else if (!strcmp(name, "no-huge"))
		p->no_huge = true;
	else if (!strcmp(name, "legacy-mem"))
		p->legacy_mem = true;
	else if (!strcmp(name, "no-pci"))
		p->no_pci = true;
}

static bool in_list(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

static int long_opt(struct dctx *d, int argc, char *const argv[], int *i)
{
	char name[64];
	const char *s = argv[*i] + 2, *eq = strchr(s, '=');
	size_t n = eq ? (size_t)(eq - s) : strlen(s);

	if (n >= sizeof(name))
		return bad(d, "not an EAL option");
	memcpy(name, s, n);
	name[n] = '\0';
	if (in_list(name, long_flag, ARRAY_SIZE(long_flag))) {
		flag(&d->c->dpdk, name);
		return 0;
	}
	if (!in_list(name, long_arg, ARRAY_SIZE(long_arg))) {
		/* EAL itself refuses it; say what was not read rather than guess. */
		str_copy(d->c->partial, sizeof(d->c->partial), "an option vfio-pinctl does not know precedes --");
		return 0;
	}
	if (eq)
		return apply(d, name, eq + 1);
	if (*i + 1 >= argc)
		return truncated(d);
	d->sep = argv[++*i];
	return apply(d, name, d->sep);
}

static int short_opt(struct dctx *d, int argc, char *const argv[], int *i)
{
	char name[2] = { argv[*i][1], '\0' };

	if (strchr(short_flag, name[0]) && !argv[*i][2])
		return 0;
	if (!strchr(short_arg, name[0])) {
		str_copy(d->c->partial, sizeof(d->c->partial), "an option vfio-pinctl does not know precedes --");
		return 0;
	}
	if (argv[*i][2])
		return apply(d, name, argv[*i] + 2);
	if (*i + 1 >= argc)
		return truncated(d);
	d->sep = argv[++*i];
	return apply(d, name, d->sep);
}

int vmm_dpdk_parse(int argc, char *const argv[], struct vmm_config *c)
{
	struct dctx d = { .c = c };
	int i, rc = 0;

	memset(c, 0, sizeof(*c));
	c->kind = VMM_KIND_DPDK;
	c->source = VMM_SRC_CMDLINE;
	c->dpdk.allow_all = true;
	if (argc < 1 || !argv[0][0]) {
		err_set(VP_EXIT_SYSROOT, "the DPDK command line is empty");
		return -EINVAL;
	}
	str_copy(c->program, sizeof(c->program), argv[0]);
	for (i = 1; i < argc && !rc; i++) {
		d.argi = i;
		d.opt = argv[i];
		d.sep = NULL;
		if (!strcmp(argv[i], "--"))
			break;
		if (argv[i][0] != '-' || !argv[i][1])
			continue;   /* getopt permutes non-options past the EAL ones */
		rc = argv[i][1] == '-' ? long_opt(&d, argc, argv, &i) : short_opt(&d, argc, argv, &i);
	}
	/* --no-pci: EAL probes no PCI device at all. */
	if (c->dpdk.no_pci)
		c->dpdk.allow_all = false;
	return rc;
}
