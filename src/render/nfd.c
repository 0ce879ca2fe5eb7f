// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nfd-worker's local source reads /etc/kubernetes/node-feature-discovery/
 * features.d/ (every file in it): "ns/name=value" lines, '#' comments, "# +expiry-time=RFC3339"
 * (the lines after it are dropped once that time has passed), at most 64 kB,
 * dot files ignored.  Label values are Kubernetes label values: at most 63
 * characters of [A-Za-z0-9_.-], starting and ending alphanumeric.
 */
#include <ctype.h>
#include <inttypes.h>
#include <string.h>

#include "lib/atomic.h"
#include "render/nfd.h"

static void label(FILE *out, const char *name, const char *value)
{
	fprintf(out, "%s/%s=%s\n", NFD_NS, name, value);
}

static void label_bool(FILE *out, const char *name, bool v)
{
	label(out, name, v ? "true" : "false");
}

static void label_u64(FILE *out, const char *name, uint64_t v)
{
	fprintf(out, "%s/%s=%" PRIu64 "\n", NFD_NS, name, v);
}

/* "ok", "warning", "critical", "unknown": check's exit status. */
static void status_label(FILE *out, const struct check_ctx *c)
{
	char v[16];
	size_t i;

	snprintf(v, sizeof(v), "%s", check_exit_name(check_exit_code(&c->l)));
	for (i = 0; v[i]; i++)
		v[i] = (char)tolower((unsigned char)v[i]);
	label(out, "status", v);
}

static bool group_viable(const struct check_ctx *c, int group)
{
	char id[16];
	size_t i;

	snprintf(id, sizeof(id), "%d", group);
	for (i = 0; i < c->l.n; i++)
		if (!strcmp(c->l.v[i].id, "group_viable") && !strcmp(c->l.v[i].subject, id))
			return c->l.v[i].status == ST_PASS;
	return false;
}

static void device_labels(FILE *out, const struct check_ctx *c)
{
	const struct check_facts *f = &c->f;
	uint64_t bound = 0, viable = 0;
	size_t i;

	for (i = 0; i < f->ndevs; i++) {
		const struct pci_entry *e = &f->devs[i];

		if (!e->is_pci || e->role != ROLE_VFIO)
			continue;
		bound++;
		viable += e->info.group >= 0 && group_viable(c, e->info.group);
	}
	label_u64(out, "vfio-pci.devices", bound);
	label_u64(out, "vfio-pci.viable", viable);
	/* cdev: every checked vfio-pci device has its /dev/vfio/devices node (native iommufd) */
	label_bool(out, "cdev", f->offer.nvfio && f->offer.ncdev == f->offer.nvfio);
}

/* 2048 kB -> "2Mi", 1048576 kB -> "1Gi": Kubernetes' own hugepages-<size> spelling. */
static void size_name(unsigned kb, char *buf, size_t size)
{
	if (kb >= 1048576 && !(kb % 1048576))
		snprintf(buf, size, "%uGi", kb / 1048576);
	else if (kb >= 1024 && !(kb % 1024))
		snprintf(buf, size, "%uMi", kb / 1024);
	else
		snprintf(buf, size, "%uKi", kb);
}

/* Free pages per size, all NUMA nodes together, in the order the sizes first appear. */
static void hugepage_labels(FILE *out, const struct check_facts *f)
{
	char name[64], sz[24];
	uint64_t free_;
	size_t i, j;

	for (i = 0; i < f->npools; i++) {
		for (j = 0; j < i && f->pools[j].size_kb != f->pools[i].size_kb; j++)
			;
		if (j < i)
			continue;   /* this size was labelled already */
		for (free_ = 0, j = i; j < f->npools; j++)
			if (f->pools[j].size_kb == f->pools[i].size_kb)
				free_ += f->pools[j].free;
		size_name(f->pools[i].size_kb, sz, sizeof(sz));
		snprintf(name, sizeof(name), "hugepages-%s.free", sz);
		label_u64(out, name, free_);
	}
}

/*
 * The largest guest the target's memlock limit lets map: the kernel charges
 * guest RAM once per DMA context (need.c), so the limit over the contexts.
 * CAP_IPC_LOCK or an unlimited soft limit: no bound.  Unknown target: no label.
 */
static void memlock_labels(FILE *out, const struct check_ctx *c)
{
	const struct target *t = &c->f.tgt;
	unsigned ctx = c->f.needs[c->f.backend].contexts;
	uint64_t max;

	if (!t->known || !t->have_limit)
		return;
	if (t->soft_inf || (t->have_caps && t->cap_ipc_lock)) {
		label(out, "memlock.max-guest-mem-bytes", "unlimited");
		label(out, "memlock.max-guest-mem-gib", "unlimited");
		return;
	}
	max = t->soft / (ctx ? ctx : 1);
	label_u64(out, "memlock.max-guest-mem-bytes", max);
	label_u64(out, "memlock.max-guest-mem-gib", max >> 30);
}

void nfd_render(const struct check_ctx *c, time_t now, FILE *out)
{
	const struct check_facts *f = &c->f;
	time_t until = now + NFD_EXPIRY_SECONDS;
	struct tm tm;
	char when[32];

	gmtime_r(&until, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(out, "# +expiry-time=%s\n# vfio-pinctl %s check; labels: man vfio-pinctl-check\n",
		when, VERSION);
	status_label(out, c);
	label_bool(out, "iommu", f->iommu_on);
	if (f->have_intremap)
		label_bool(out, "interrupt-remapping", f->intremap);
	label_bool(out, "backend.type1", f->offer.offered[BE_TYPE1]);
	label_bool(out, "backend.iommufd", f->offer.offered[BE_IOMMUFD]);
	label_bool(out, "backend.iommufd-compat", f->offer.offered[BE_IOMMUFD_COMPAT]);
	device_labels(out, c);
	hugepage_labels(out, f);
	memlock_labels(out, c);
}

static bool alnum(char ch)
{
	return isalnum((unsigned char)ch);
}

/* A label name or value: [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?, at most 63. */
static bool name_valid(const char *s, size_t n, bool empty_ok)
{
	size_t i;

	if (!n)
		return empty_ok;
	if (n > 63 || !alnum(s[0]) || !alnum(s[n - 1]))
		return false;
	for (i = 0; i < n; i++)
		if (!alnum(s[i]) && !strchr("-_.", s[i]))
			return false;
	return true;
}

/* The prefix: a DNS subdomain, lower case, at most 253. */
static bool prefix_valid(const char *s, size_t n)
{
	size_t i;

	if (!n || n > 253 || !alnum(s[0]) || !alnum(s[n - 1]))
		return false;
	for (i = 0; i < n; i++)
		if (isupper((unsigned char)s[i]) || (!alnum(s[i]) && s[i] != '-' && s[i] != '.'))
			return false;
	return true;
}

bool nfd_label_valid(const char *line)
{
	const char *slash = strchr(line, '/'), *eq = strchr(line, '=');

	if (!slash || !eq || eq < slash)
		return false;
	return prefix_valid(line, (size_t)(slash - line)) &&
	       name_valid(slash + 1, (size_t)(eq - slash - 1), false) &&
	       name_valid(eq + 1, strlen(eq + 1), true);
}

static void fill(void *arg, FILE *out)
{
	nfd_render(arg, time(NULL), out);
}

int nfd_write(const struct check_ctx *c, const char *path)
{
	return atomic_write(path, 0644, fill, (void *)c);
}
