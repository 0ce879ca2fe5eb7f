// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <libudev.h>
#include <pci/pci.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/groups.h"
#include "host/sysroot.h"
#include "lib/util.h"

bool driver_is_vfio(const char *driver)
{
	size_t n = strlen(driver);

	/* vfio-pci, and variant drivers (mlx5_vfio_pci, nvgrace_gpu_vfio_pci, ...) */
	return !strcmp(driver, "vfio-pci") ||
	       (n > 9 && !strcmp(driver + n - 9, "_vfio_pci")) ||
	       (n > 9 && !strcmp(driver + n - 9, "-vfio-pci"));
}

enum member_role member_role(const char *driver, uint32_t class_code)
{
	unsigned cls = class_code >> 8;

	if (driver_is_vfio(driver))
		return ROLE_VFIO;
	/*
	 * VFIO lets bridges stay on their driver (older kernels: any non-normal
	 * header type; 5.19+: pcieport claims no DMA ownership).  Class 0604 /
	 * 0609 (PCI-PCI) and 0607 (CardBus) are the bridge header types; a host
	 * or ISA bridge is a normal function and counts like any other.
	 */
	if (cls == 0x0604 || cls == 0x0609 || cls == 0x0607)
		return ROLE_BRIDGE;
	if (!driver[0])
		return ROLE_UNBOUND;
	if (!strcmp(driver, "pci-stub"))
		return ROLE_STUB;
	return ROLE_HOST;
}

const char *role_name(enum member_role r)
{
	static const char *const names[] = {
		[ROLE_VFIO] = "vfio", [ROLE_STUB] = "stub", [ROLE_BRIDGE] = "bridge",
		[ROLE_UNBOUND] = "unbound", [ROLE_HOST] = "host",
	};

	return names[r];
}

void group_judge(struct iommu_group *g)
{
	size_t i;

	g->noffenders = 0;
	for (i = 0; i < g->n; i++)
		if (g->members[i].role == ROLE_HOST)
			g->noffenders++;
	g->viable = g->noffenders == 0;
}

int bdf_normalize(const char *in, char *out, size_t size)
{
	unsigned dom = 0, bus, dev, fn;
	char canon[16], lower[16];
	size_t i, n = strlen(in);
	bool full = n == 12;

	if (n != 12 && n != 7)
		return -EINVAL;
	for (i = 0; i < n; i++)
		lower[i] = (char)tolower((unsigned char)in[i]);
	lower[n] = '\0';
	if (full ? sscanf(lower, "%4x:%2x:%2x.%1x", &dom, &bus, &dev, &fn) != 4
		 : sscanf(lower, "%2x:%2x.%1x", &bus, &dev, &fn) != 3)
		return -EINVAL;
	if (dev > 0x1f || fn > 7)
		return -EINVAL;
	/* scanf's %x takes signs and 0x prefixes: only the exact canonical text is a BDF */
	snprintf(canon, sizeof(canon), full ? "%04x:%02x:%02x.%x" : "%02x:%02x.%x", full ? dom : bus,
		 full ? bus : dev, full ? dev : fn, fn);
	if (strcmp(canon, lower))
		return -EINVAL;
	snprintf(out, size, "%04x:%02x:%02x.%x", dom, bus, dev, fn);
	return 0;
}

static int cmp_bdf(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int push_bdf(char (**v)[16], size_t *n, size_t *cap, const char *name)
{
	if (strlen(name) >= 16)
		return 0;
	if (*n == *cap) {
		char (*nv)[16] = realloc(*v, (*cap ? *cap * 2 : 32) * sizeof(**v));

		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = *cap ? *cap * 2 : 32;
	}
	snprintf((*v)[(*n)++], 16, "%s", name);
	return 0;
}

/* libudev cannot be re-rooted, so a captured tree is walked instead. */
static int enumerate_sysfs(char (**v)[16], size_t *n, size_t *cap)
{
	DIR *d = sr_opendir("/sys/bus/pci/devices");
	struct dirent *de;
	int rc = 0;

	if (!d)
		return -errno;
	while (!rc && (de = readdir(d)))
		if (de->d_name[0] != '.')
			rc = push_bdf(v, n, cap, de->d_name);
	closedir(d);
	return rc;
}

static int enumerate_udev(char (**v)[16], size_t *n, size_t *cap)
{
	struct udev *udev = udev_new();
	struct udev_enumerate *en = NULL;
	struct udev_list_entry *e;
	int rc = -ENOMEM;

	if (!udev)
		return rc;
	en = udev_enumerate_new(udev);
	if (!en)
		goto out;
	rc = udev_enumerate_add_match_subsystem(en, "pci");
	if (!rc)
		rc = udev_enumerate_scan_devices(en);
	if (rc)
		goto out;
	udev_list_entry_foreach(e, udev_enumerate_get_list_entry(en)) {
		const char *slash = strrchr(udev_list_entry_get_name(e), '/');

		rc = push_bdf(v, n, cap, slash ? slash + 1 : udev_list_entry_get_name(e));
		if (rc)
			break;
	}
out:
	udev_enumerate_unref(en);
	udev_unref(udev);
	return rc;
}

int pci_enumerate(char (**bdfs)[16], size_t *n)
{
	char (*v)[16] = NULL;
	size_t cnt = 0, cap = 0;
	int rc = sr_live() ? enumerate_udev(&v, &cnt, &cap) : enumerate_sysfs(&v, &cnt, &cap);

	if (rc) {
		free(v);
		return rc;
	}
	if (cnt)
		qsort(v, cnt, sizeof(*v), cmp_bdf);
	*bdfs = v;
	*n = cnt;
	return 0;
}

int pci_entry_read(const char *bdf, struct pci_entry *e)
{
	int rc = pcidev_read(bdf, &e->info);

	e->is_pci = rc == 0;
	if (rc)
		return rc;
	e->role = member_role(e->info.driver, e->info.class_code);
	return 0;
}

/* A group member that is not a PCI device (rare on x86): name and driver only. */
static void read_other_member(int id, const char *name, struct pci_entry *e)
{
	char path[256], target[256], *slash;

	memset(e, 0, sizeof(*e));
	str_copy(e->info.bdf, sizeof(e->info.bdf), name);
	e->info.group = id;
	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%d/devices/%s/driver", id, name);
	if (!sr_readlink(path, target, sizeof(target))) {
		slash = strrchr(target, '/');
		str_copy(e->info.driver, sizeof(e->info.driver), slash ? slash + 1 : target);
	}
	e->role = e->info.driver[0] ? ROLE_HOST : ROLE_UNBOUND;
}

int group_read(int id, struct iommu_group *g)
{
	char (*names)[16] = NULL, path[96];
	size_t i, n = 0;
	int rc;

	memset(g, 0, sizeof(*g));
	g->id = id;
	rc = iommu_group_devices(id, &names, &n);
	if (rc)
		return rc;
	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%d/type", id);
	if (sr_read_line(path, g->type, sizeof(g->type)))
		g->type[0] = '\0';
	g->members = calloc(n ? n : 1, sizeof(*g->members));
	if (!g->members) {
		free(names);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		if (pci_entry_read(names[i], &g->members[i]))
			read_other_member(id, names[i], &g->members[i]);
	g->n = n;
	free(names);
	group_judge(g);
	return 0;
}

void group_free(struct iommu_group *g)
{
	free(g->members);
	g->members = NULL;
	g->n = 0;
}

void groups_free(struct iommu_group *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		group_free(&v[i]);
	free(v);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int groups_read_all(struct iommu_group **out, size_t *nout)
{
	struct iommu_group *v = NULL;
	int *ids = NULL, *nids;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	*out = NULL;
	*nout = 0;
	d = sr_opendir("/sys/kernel/iommu_groups");
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char *end;
		long id = strtol(de->d_name, &end, 10);

		if (!isdigit((unsigned char)de->d_name[0]) || *end || id > 1 << 24)
			continue;
		if (n == cap) {
			nids = realloc(ids, (cap ? cap * 2 : 16) * sizeof(*ids));
			if (!nids) {
				rc = -ENOMEM;
				goto out;
			}
			ids = nids;
			cap = cap ? cap * 2 : 16;
		}
		ids[n++] = (int)id;
	}
	if (n)
		qsort(ids, n, sizeof(*ids), cmp_int);
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n && !rc; i++) {
		rc = group_read(ids[i], &v[i]);
		if (rc == -ENOENT)   /* vanished (hot unplug) between readdir and read */
			rc = 0;
	}
	if (rc) {
		groups_free(v, n);
		goto out;
	}
	*out = v;
	*nout = n;
out:
	closedir(d);
	free(ids);
	return rc;
}

static struct pci_access *class_pacc;

/* A missing pci.ids is a libpci warning: the numeric fallback is the answer then. */
static void pci_quiet(char *msg __attribute__((unused)), ...)
{
}

/* Only allocation failures reach here: pci_init() (bus access) is never called. */
static void __attribute__((noreturn)) pci_fatal(char *msg, ...)
{
	va_list ap;

	fputs("vfio-pinctl: libpci: ", stderr);
	va_start(ap, msg);
	vfprintf(stderr, msg, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(70);
}

/*
 * Names only.  pci_init() would pick a bus access method and exit the
 * program when there is none (a container, a replayed tree).
 */
static struct pci_access *names_pacc(void)
{
	if (!class_pacc) {
		class_pacc = pci_alloc();
		if (class_pacc) {
			class_pacc->error = pci_fatal;
			class_pacc->warning = pci_quiet;
			class_pacc->debug = pci_quiet;
		}
	}
	return class_pacc;
}

void pci_class_names_release(void)
{
	if (class_pacc)
		pci_cleanup(class_pacc);
	class_pacc = NULL;
}

void pci_vendor_name(unsigned vendor, char *buf, size_t size)
{
	if (!names_pacc() || !pci_lookup_name(class_pacc, buf, (int)size,
					      PCI_LOOKUP_VENDOR | PCI_LOOKUP_NO_NUMBERS | PCI_LOOKUP_NO_HWDB, vendor))
		buf[0] = '\0';
}

void pci_device_name(unsigned vendor, unsigned device, char *buf, size_t size)
{
	if (!names_pacc() || !pci_lookup_name(class_pacc, buf, (int)size,
					      PCI_LOOKUP_DEVICE | PCI_LOOKUP_NO_NUMBERS | PCI_LOOKUP_NO_HWDB, vendor, device))
		buf[0] = '\0';
}

void pci_class_name(uint32_t class_code, char *buf, size_t size)
{
	char *n = NULL;

	if (names_pacc())
		n = pci_lookup_name(class_pacc, buf, (int)size,
				    PCI_LOOKUP_CLASS | PCI_LOOKUP_NO_NUMBERS | PCI_LOOKUP_NO_HWDB,
				    (int)(class_code >> 8));
	if (!n)
		snprintf(buf, size, "%04x", class_code >> 8);
}
