// SPDX-License-Identifier: GPL-2.0-or-later
/* check --nfd: the feature file's text from a check run's facts and results (pure). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "render/nfd.h"

#define NS NFD_NS "/"

struct run {
	struct check_opts o;
	struct check_ctx c;
	struct pci_entry devs[3];
	struct hugepool pools[3];
	char *text;
};

/* A healthy host: IOMMU with IR, type1 + iommufd, two vfio-pci devices in groups 5 and 6. */
static void healthy(struct run *r)
{
	struct check_result *res;

	memset(r, 0, sizeof(*r));
	r->c.o = &r->o;
	r->c.f.iommu_on = true;
	r->c.f.have_intremap = r->c.f.intremap = true;
	r->c.f.offer.offered[BE_TYPE1] = r->c.f.offer.offered[BE_IOMMUFD] = true;
	r->c.f.offer.nvfio = r->c.f.offer.ncdev = 2;
	r->devs[0] = (struct pci_entry){ .is_pci = true, .role = ROLE_VFIO };
	r->devs[0].info.group = 5;
	r->devs[1] = (struct pci_entry){ .is_pci = true, .role = ROLE_VFIO };
	r->devs[1].info.group = 6;
	r->c.f.devs = r->devs;
	r->c.f.ndevs = 2;
	r->pools[0] = (struct hugepool){ .size_kb = 2048, .node = 0, .total = 512, .free = 100 };
	/* not sorted by size: the labels must not depend on the pools' order */
	r->pools[1] = (struct hugepool){ .size_kb = 1048576, .node = 0, .total = 4, .free = 4 };
	r->pools[2] = (struct hugepool){ .size_kb = 2048, .node = 1, .total = 512, .free = 28 };
	r->c.f.pools = r->pools;
	r->c.f.npools = 3;
	r->c.f.backend = BE_TYPE1;
	r->c.f.needs[BE_TYPE1].contexts = 1;
	r->c.f.tgt = (struct target){ .kind = TGT_UNIT, .known = true, .have_limit = true,
				      .soft = 17ULL << 30, .hard = 17ULL << 30, .have_caps = true };
	res = check_add(&r->c.l, "group_viable", "5");
	assert_non_null(res);
	res->status = ST_PASS;
	res = check_add(&r->c.l, "group_viable", "6");
	assert_non_null(res);
	res->status = ST_PASS;
}

static void render(struct run *r, time_t now)
{
	size_t size;
	FILE *f = open_memstream(&r->text, &size);

	assert_non_null(f);
	nfd_render(&r->c, now, f);
	assert_int_equal(fclose(f), 0);
}

static void done(struct run *r)
{
	free(r->text);
	check_list_free(&r->c.l);
}

/* The value of one label, or NULL when the file lacks it. */
static const char *value(const struct run *r, const char *name, char *buf, size_t size)
{
	char key[160];
	const char *p;
	size_t n;

	snprintf(key, sizeof(key), "\n" NS "%s=", name);
	p = strstr(r->text, key);
	if (!p)
		return NULL;
	p += strlen(key);
	n = strcspn(p, "\n");
	snprintf(buf, size, "%.*s", (int)n, p);
	return buf;
}

#define assert_label(r, name, want) do { \
		char b_[80]; \
		const char *v_ = value(r, name, b_, sizeof(b_)); \
		assert_non_null(v_); \
		assert_string_equal(v_, want); \
	} while (0)

static void expiry_first(void **state)
{
	struct run r;

	(void)state;
	healthy(&r);
	render(&r, 1796114400);     /* 2026-12-01T08:40:00Z */
	/* nfd-worker: "# +expiry-time=RFC3339", applying to the lines after it */
	assert_memory_equal(r.text, "# +expiry-time=2026-12-01T09:40:00Z\n", 36);
	done(&r);
}

static void every_line_valid(void **state)
{
	struct run r;
	char *line, *save = NULL;
	int labels = 0;

	(void)state;
	healthy(&r);
	render(&r, 0);
	assert_true(strlen(r.text) < 65536);   /* nfd-worker ignores bigger files */
	for (line = strtok_r(r.text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		assert_true(nfd_label_valid(line));
		assert_memory_equal(line, NS, strlen(NS));
		labels++;
	}
	assert_int_equal(labels, 13);
	done(&r);
}

static void healthy_labels(void **state)
{
	struct run r;

	(void)state;
	healthy(&r);
	render(&r, 0);
	assert_label(&r, "status", "ok");
	assert_label(&r, "iommu", "true");
	assert_label(&r, "interrupt-remapping", "true");
	assert_label(&r, "backend.type1", "true");
	assert_label(&r, "backend.iommufd", "true");
	assert_label(&r, "backend.iommufd-compat", "false");
	assert_label(&r, "cdev", "true");
	assert_label(&r, "vfio-pci.devices", "2");
	assert_label(&r, "vfio-pci.viable", "2");
	/* per size, all nodes together, in Kubernetes' hugepages-<size> spelling */
	assert_label(&r, "hugepages-2Mi.free", "128");
	assert_label(&r, "hugepages-1Gi.free", "4");
	assert_label(&r, "memlock.max-guest-mem-bytes", "18253611008");
	assert_label(&r, "memlock.max-guest-mem-gib", "17");
	done(&r);
}

static void unhealthy_labels(void **state)
{
	struct run r;
	char b[80];

	(void)state;
	healthy(&r);
	r.c.l.v[1].status = ST_FAIL;                /* group 6 has a host driver */
	r.c.f.offer.ncdev = 1;                      /* one device without a cdev */
	r.c.f.have_intremap = false;                /* /proc/interrupts unreadable */
	r.c.f.tgt.known = false;
	render(&r, 0);
	assert_label(&r, "status", "critical");
	assert_label(&r, "vfio-pci.viable", "1");
	assert_label(&r, "vfio-pci.devices", "2");
	assert_label(&r, "cdev", "false");
	/* unknown is unknown: no label rather than a guess */
	assert_null(value(&r, "interrupt-remapping", b, sizeof(b)));
	assert_null(value(&r, "memlock.max-guest-mem-bytes", b, sizeof(b)));
	done(&r);
}

static void memlock_contexts(void **state)
{
	struct run r;

	(void)state;
	healthy(&r);
	/* --viommu with 2 devices: each context charges all guest RAM */
	r.c.f.needs[BE_TYPE1].contexts = 2;
	render(&r, 0);
	assert_label(&r, "memlock.max-guest-mem-gib", "8");
	done(&r);
	healthy(&r);
	r.c.f.tgt.cap_ipc_lock = true;      /* type1 does not enforce the limit */
	render(&r, 0);
	assert_label(&r, "memlock.max-guest-mem-bytes", "unlimited");
	done(&r);
	healthy(&r);
	r.c.f.tgt.soft_inf = true;
	render(&r, 0);
	assert_label(&r, "memlock.max-guest-mem-gib", "unlimited");
	done(&r);
}

static void label_syntax(void **state)
{
	(void)state;
	assert_true(nfd_label_valid("vendor.io/a=b"));
	assert_true(nfd_label_valid("vendor.io/a.b-c_d=X.1"));
	assert_true(nfd_label_valid("vendor.io/a="));           /* empty value */
	assert_false(nfd_label_valid("a=b"));                   /* no namespace */
	assert_false(nfd_label_valid("Vendor.io/a=b"));         /* prefix lower case */
	assert_false(nfd_label_valid("vendor.io/-a=b"));
	assert_false(nfd_label_valid("vendor.io/a=b-"));
	assert_false(nfd_label_valid("vendor.io/a=b c"));
	assert_false(nfd_label_valid("vendor.io/a"));
	assert_false(nfd_label_valid("vendor.io/a=0123456789012345678901234567890123456789012345678901234567890123"));
	assert_true(nfd_label_valid("vendor.io/a=012345678901234567890123456789012345678901234567890123456789012"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(expiry_first),
		cmocka_unit_test(every_line_valid),
		cmocka_unit_test(healthy_labels),
		cmocka_unit_test(unhealthy_labels),
		cmocka_unit_test(memlock_contexts),
		cmocka_unit_test(label_syntax),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
