// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <pci/pci.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/pci.h"
#include "host/sysroot.h"
#include "lib/util.h"
#include "model/groups.h"

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

/* The program's one libpci context: names only (see pci_ctx()). */
static struct pci_access *pacc;

/* libpci reports a missing pci.ids as a warning: numeric names are the answer then. */
static void pci_quiet(char *msg __attribute__((unused)), ...)
{
}

/*
 * libpci's error callback must not return.  Without pci_init() only an
 * allocation failure inside libpci reaches it: report it like any internal
 * error (exit 70) rather than libpci's exit(1).
 */
static void __attribute__((noreturn)) pci_fatal(char *msg, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("vfio-pinctl: libpci: ", stderr);
	va_start(ap, msg);
	vfprintf(stderr, msg, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(70);
}

/*
 * Names only: pci_alloc() sets up the pci.ids path.  No pci_init(): with no
 * usable access method (a container, a replayed tree) it would exit the
 * program, and lookups need no bus access (sysfs gives the ids).
 */
static struct pci_access *pci_ctx(void)
{
	if (!pacc) {
		pacc = pci_alloc();
		if (pacc) {
			pacc->error = pci_fatal;
			pacc->warning = pci_quiet;
			pacc->debug = pci_quiet;
		}
	}
	return pacc;
}

void pci_names_release(void)
{
	if (pacc)
		pci_cleanup(pacc);
	pacc = NULL;
}

/*
 * Every name goes through here.  Without PCI_LOOKUP_NO_NUMBERS libpci words a
 * missing entry the way lspci prints it ("Vendor 1234", "Device 1234:11e8");
 * the callers' fallbacks say the same when there is no libpci context at all.
 */
static bool lookup(char *buf, size_t size, int what, unsigned a, unsigned b)
{
	what |= PCI_LOOKUP_NO_HWDB;
	if (!pci_ctx())
		return false;
	if (what & PCI_LOOKUP_DEVICE)
		return pci_lookup_name(pacc, buf, (int)size, what, (int)a, (int)b) != NULL;
	return pci_lookup_name(pacc, buf, (int)size, what, (int)a) != NULL;
}

void pci_name(unsigned vendor, unsigned device, char *buf, size_t size)
{
	if (!lookup(buf, size, PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE, vendor, device))
		snprintf(buf, size, "Device %04x:%04x", vendor, device);
}

void pci_names(struct pci_dev_info *d)
{
	pci_name(d->vendor, d->device, d->name, sizeof(d->name));
	if (!lookup(d->vendor_name, sizeof(d->vendor_name), PCI_LOOKUP_VENDOR, d->vendor, 0))
		snprintf(d->vendor_name, sizeof(d->vendor_name), "Vendor %04x", d->vendor);
	if (!lookup(d->device_name, sizeof(d->device_name), PCI_LOOKUP_DEVICE, d->vendor, d->device))
		snprintf(d->device_name, sizeof(d->device_name), "Device %04x", d->device);
	if (!lookup(d->class_name, sizeof(d->class_name), PCI_LOOKUP_CLASS, d->class_code >> 8, 0))
		snprintf(d->class_name, sizeof(d->class_name), "Class %04x", d->class_code >> 8);
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
 * The device's cdev, /dev/vfio/devices/vfioN (6.6+).  vfio-dev/vfioN exists
 * for every VFIO device, cdev or not: Debian's 6.12 has it without the cdev,
 * and only a `dev` attribute (major:minor) under it says the character device
 * exists (CONFIG_VFIO_DEVICE_CDEV).
 */
int pci_vfio_cdev(const char *bdf)
{
	char path[160];
	struct dirent *de;
	int n, found = -ENOENT;
	DIR *dir;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vfio-dev", bdf);
	dir = sr_opendir(path);
	if (!dir)
		return -ENOENT;
	while ((de = readdir(dir))) {
		if (sscanf(de->d_name, "vfio%d", &n) != 1)
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vfio-dev/vfio%d/dev", bdf, n);
		if (sr_exists(path))
			found = n;
		break;
	}
	closedir(dir);
	return found;
}

int pci_vfio_cdev_device(int cdev, char *bdf, size_t size)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/class/vfio-dev/vfio%d/device", cdev);
	return link_basename(path, bdf, size);
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
	rc = pci_vfio_cdev(bdf);
	d->vfio_cdev = rc >= 0 ? rc : -1;
	pci_names(d);
	return 0;
}

bool pci_driver_present(const char *driver)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s", driver);
	return sr_exists(path) > 0;
}

/* The viability rule of the kernel the tree comes from (live: this one). */
static enum group_rule host_group_rule(void)
{
	char release[128];

	if (sr_read_line("/proc/sys/kernel/osrelease", release, sizeof(release)))
		release[0] = '\0';
	return group_rule_for(release);
}

int pci_entry_read(const char *bdf, struct pci_entry *e)
{
	int rc = pcidev_read(bdf, &e->info);

	e->is_pci = rc == 0;
	if (rc)
		return rc;
	e->role = member_role(e->info.driver, e->info.class_code, host_group_rule());
	return 0;
}

static int cmp_bdf(const void *a, const void *b)
{
	return strcmp(a, b);
}

int device_dir_names(const char *dir, bool (*keep)(const char *), char (**out)[BDF_LEN], size_t *n)
{
	char (*v)[BDF_LEN] = NULL, (*nv)[BDF_LEN];
	size_t cnt = 0, cap = 0;
	DIR *d = sr_opendir(dir);
	struct dirent *de;
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= BDF_LEN || (keep && !keep(de->d_name)))
			continue;
		if (cnt == cap) {
			cap = cap ? cap * 2 : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				rc = -ENOMEM;
				break;
			}
			v = nv;
		}
		str_copy(v[cnt++], BDF_LEN, de->d_name);
	}
	closedir(d);
	if (rc) {
		free(v);
		return rc;
	}
	if (cnt)
		qsort(v, cnt, sizeof(*v), cmp_bdf);
	*out = v;
	*n = cnt;
	return 0;
}

static bool keep_bdf(const char *name)
{
	return is_bdf(name);
}

/*
 * /sys/bus/pci/devices, live and replayed alike (libudev's enumeration reads
 * the same directory, but cannot be re-rooted under --sysroot).
 */
int pci_enumerate(char (**bdfs)[BDF_LEN], size_t *n)
{
	return device_dir_names("/sys/bus/pci/devices", keep_bdf, bdfs, n);
}
