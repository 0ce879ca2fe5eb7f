// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <dirent.h>
#include <stdarg.h>
#include <pci/pci.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/pcidev.h"
#include "host/sysroot.h"
#include "lib/util.h"

int parse_pci_resource(const char *text, struct pci_bar *bars, size_t nbars)
{
	const char *p = text;
	size_t i;

	memset(bars, 0, nbars * sizeof(*bars));
	for (i = 0; i < nbars && p && *p; i++) {
		unsigned long long s, e, f;

		if (sscanf(p, "%llx %llx %llx", &s, &e, &f) != 3)
			return -EBADMSG;
		bars[i] = (struct pci_bar){ s, e, f };
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return 0;
}

static struct pci_access *pacc;

/* libpci reports a missing pci.ids as a warning: numeric names are the answer then. */
static void pci_quiet(char *msg __attribute__((unused)), ...)
{
}

/* Only allocation failures reach here once pci_init() is out of the picture. */
static void __attribute__((noreturn)) pci_err(char *msg, ...)
{
	va_list ap;

	fputs("vfio-pinctl: libpci: ", stderr);
	va_start(ap, msg);
	vfprintf(stderr, msg, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(70);
}

void pci_name(unsigned vendor, unsigned device, char *buf, size_t size)
{
	char *n = NULL;

	/*
	 * Names only: pci_alloc() sets up the pci.ids path.  No pci_init(): with
	 * no usable access method (a container, a replayed tree) its error
	 * handler would exit the program, and lookups do not need bus access.
	 */
	if (!pacc) {
		pacc = pci_alloc();
		if (pacc) {
			pacc->error = pci_err;
			pacc->warning = pci_quiet;
			pacc->debug = pci_quiet;
		}
	}
	if (pacc)
		n = pci_lookup_name(pacc, buf, (int)size, PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE | PCI_LOOKUP_NO_HWDB,
				    vendor, device);
	if (!n)
		snprintf(buf, size, "%04x:%04x", vendor, device);
}

void pci_names_release(void)
{
	if (pacc)
		pci_cleanup(pacc);
	pacc = NULL;
}

static int link_basename(const char *path, char *out, size_t size)
{
	char target[512], *slash;
	int rc = sr_readlink(path, target, sizeof(target));

	if (rc)
		return rc;
	slash = strrchr(target, '/');
	str_copy(out, size, slash ? slash + 1 : target);
	return 0;
}

/*
 * The device's cdev, /dev/vfio/devices/vfioN (6.6+).  A vfio-dev/vfioN
 * directory is not enough: Debian's 6.12 has it without the cdev, and only a
 * `dev` attribute under it says the character device exists.
 */
static void read_cdev(const char *bdf, struct pci_dev_info *d)
{
	char path[160];
	struct dirent *de;
	DIR *dir;
	int n;

	d->vfio_cdev = -1;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vfio-dev", bdf);
	dir = sr_opendir(path);
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		if (sscanf(de->d_name, "vfio%d", &n) != 1)
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vfio-dev/vfio%d/dev", bdf, n);
		if (sr_exists(path))
			d->vfio_cdev = n;
		break;
	}
	closedir(dir);
}

int pcidev_read(const char *bdf, struct pci_dev_info *d)
{
	char path[128], buf[32], *text;
	uint64_t v;
	int rc;

	memset(d, 0, sizeof(*d));
	snprintf(d->bdf, sizeof(d->bdf), "%s", bdf);
	d->group = -1;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", bdf);
	rc = sr_read_u64(path, &v);
	if (rc)
		return rc;
	d->vendor = (unsigned)v;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device", bdf);
	if (!sr_read_u64(path, &v))
		d->device = (unsigned)v;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/class", bdf);
	if (!sr_read_u64(path, &v))
		d->class_code = (uint32_t)v;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
	link_basename(path, d->driver, sizeof(d->driver));
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	if (!link_basename(path, buf, sizeof(buf)))
		d->group = atoi(buf);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", bdf);
	if (!sr_read_text(path, &text, NULL)) {
		parse_pci_resource(text, d->bars, PCI_NUM_RESOURCES);
		free(text);
	}
	read_cdev(bdf, d);
	pci_name(d->vendor, d->device, d->name, sizeof(d->name));
	return 0;
}

static int cmp_bdf(const void *a, const void *b)
{
	return strcmp(a, b);
}

int iommu_group_devices(int group, char (**out)[16], size_t *n)
{
	char path[96];
	char (*v)[16] = NULL, (*nv)[16];
	size_t cap = 0, cnt = 0;
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%d/devices", group);
	d = sr_opendir(path);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= 16)
			continue;
		if (cnt == cap) {
			cap = cap ? cap * 2 : 4;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				closedir(d);
				return -ENOMEM;
			}
			v = nv;
		}
		snprintf(v[cnt++], 16, "%s", de->d_name);
	}
	closedir(d);
	if (cnt)
		qsort(v, cnt, sizeof(*v), cmp_bdf);
	*out = v;
	*n = cnt;
	return 0;
}
