// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests: src/host/pci.[ch] and host/iommu.c — the sysfs resource file, BAR sizes, a device and group read through the sysroot. */
#include <errno.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "host/iommu.h"
#include "host/pci.h"
#include "model/groups.h"
#include "host/sysroot.h"
#include "tmproot.h"

/*
 * A GPU's resource file (first 7 lines: BARs 0-5 and the ROM): BAR0 32-bit
 * memory, BAR1 a 64-bit prefetchable window above 4G (BAR2 is its upper
 * half), BAR3 64-bit, BAR5 I/O ports.  Flags: IORESOURCE_MEM 0x200,
 * IORESOURCE_IO 0x100, PREFETCH 0x2000, MEM_64 0x100000, SIZEALIGN 0x40000.
 */
static const char gpu_resource[] =
	"0x00000000fb000000 0x00000000fbffffff 0x0000000000040200\n"
	"0x0000006000000000 0x00000067ffffffff 0x000000000014220c\n"
	"0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
	"0x0000006800000000 0x0000006801ffffff 0x000000000014220c\n"
	"0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
	"0x000000000000f000 0x000000000000f07f 0x0000000000040101\n"
	"0x00000000fc000000 0x00000000fc07ffff 0x0000000000046200\n";

/* An e1000e NIC's full 13-line file: ROM and the (empty) bridge windows after the BARs. */
static const char nic_resource[] =
	"0x00000000fea00000 0x00000000fea1ffff 0x0000000000040200\n"
	"0x00000000fea20000 0x00000000fea3ffff 0x0000000000040200\n"
	"0x000000000000e000 0x000000000000e01f 0x0000000000040101\n"
	"0x00000000fea40000 0x00000000fea43fff 0x0000000000040200\n"
	"0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
	"0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
	"0x00000000fea80000 0x00000000feabffff 0x0000000000046200\n"
	"0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
	"0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
	"0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
	"0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
	"0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
	"0x0000000000000000 0x0000000000000000 0x0000000000000000\n";

static void test_resource_gpu(void **state)
{
	struct pci_bar b[PCI_NUM_RESOURCES];

	(void)state;
	memset(b, 0x55, sizeof(b));
	assert_int_equal(parse_pci_resource(gpu_resource, b, PCI_NUM_RESOURCES), 0);
	assert_int_equal(b[0].start, 0xfb000000ULL);
	assert_int_equal(b[0].end, 0xfbffffffULL);
	assert_int_equal(b[0].flags, 0x40200);
	assert_true(b[0].flags & IORESOURCE_MEM);
	assert_false(b[0].flags & IORESOURCE_IO);
	assert_int_equal(pci_bar_size(&b[0]), 16ULL << 20);

	assert_int_equal(b[1].start, 0x6000000000ULL);
	assert_int_equal(b[1].end, 0x67ffffffffULL);
	assert_int_equal(b[1].flags, 0x14220c);
	assert_int_equal(pci_bar_size(&b[1]), 32ULL << 30);

	assert_int_equal(b[2].start, 0);   /* upper half of BAR1 */
	assert_int_equal(b[2].flags, 0);
	assert_int_equal(pci_bar_size(&b[2]), 0);

	assert_int_equal(b[3].start, 0x6800000000ULL);
	assert_int_equal(pci_bar_size(&b[3]), 32ULL << 20);
	assert_int_equal(pci_bar_size(&b[4]), 0);

	assert_int_equal(b[5].start, 0xf000);
	assert_int_equal(b[5].end, 0xf07f);
	assert_true(b[5].flags & IORESOURCE_IO);
	assert_false(b[5].flags & IORESOURCE_MEM);
	assert_int_equal(pci_bar_size(&b[5]), 128);
}

static void test_resource_rom_needs_room(void **state)
{
	struct pci_bar b[8];

	(void)state;
	memset(b, 0x55, sizeof(b));
	/* 7 slots: the ROM is read as the seventh */
	assert_int_equal(parse_pci_resource(gpu_resource, b, 7), 0);
	assert_int_equal(b[6].start, 0xfc000000ULL);
	assert_int_equal(pci_bar_size(&b[6]), 512ULL << 10);
	assert_int_equal(b[7].start, 0x5555555555555555ULL);  /* never beyond nbars */

	/* 2 slots: stop after two lines */
	memset(b, 0x55, sizeof(b));
	assert_int_equal(parse_pci_resource(gpu_resource, b, 2), 0);
	assert_int_equal(pci_bar_size(&b[1]), 32ULL << 30);
	assert_int_equal(b[2].start, 0x5555555555555555ULL);
}

static void test_resource_nic_13_lines(void **state)
{
	struct pci_bar b[PCI_NUM_RESOURCES];

	(void)state;
	assert_int_equal(parse_pci_resource(nic_resource, b, PCI_NUM_RESOURCES), 0);
	assert_int_equal(pci_bar_size(&b[0]), 128 << 10);
	assert_int_equal(pci_bar_size(&b[1]), 128 << 10);
	assert_int_equal(pci_bar_size(&b[2]), 32);
	assert_true(b[2].flags & IORESOURCE_IO);
	assert_int_equal(pci_bar_size(&b[3]), 16 << 10);
	assert_int_equal(pci_bar_size(&b[4]), 0);
	assert_int_equal(pci_bar_size(&b[5]), 0);
}

static void test_resource_short_and_empty(void **state)
{
	struct pci_bar b[PCI_NUM_RESOURCES];

	(void)state;
	/* a virtual function with one BAR and no newline at the end */
	memset(b, 0x55, sizeof(b));
	assert_int_equal(parse_pci_resource("0x00000000fe000000 0x00000000fe0fffff 0x0000000000040200",
					    b, PCI_NUM_RESOURCES), 0);
	assert_int_equal(b[0].start, 0xfe000000ULL);
	assert_int_equal(pci_bar_size(&b[0]), 1 << 20);
	assert_int_equal(b[1].start, 0);   /* the rest cleared */
	assert_int_equal(b[5].flags, 0);

	memset(b, 0x55, sizeof(b));
	assert_int_equal(parse_pci_resource("", b, PCI_NUM_RESOURCES), 0);
	assert_int_equal(b[0].start, 0);
	assert_int_equal(b[5].end, 0);
}

static void test_resource_malformed(void **state)
{
	struct pci_bar b[PCI_NUM_RESOURCES];

	(void)state;
	assert_int_equal(parse_pci_resource("0x00000000fb000000 0x00000000fbffffff\n", b,
					    PCI_NUM_RESOURCES), -EBADMSG);
	assert_int_equal(parse_pci_resource("0x00000000fb000000 0x00000000fbffffff 0x40200\n"
					    "garbage\n", b, PCI_NUM_RESOURCES), -EBADMSG);
	assert_int_equal(parse_pci_resource("Region 0: Memory at fb000000\n", b,
					    PCI_NUM_RESOURCES), -EBADMSG);
}

static void test_bar_size(void **state)
{
	struct pci_bar none = { 0, 0, 0 };
	struct pci_bar page = { 0xfe000000, 0xfe000fff, IORESOURCE_MEM };
	struct pci_bar io = { 0xe000, 0xe007, IORESOURCE_IO };
	struct pci_bar huge = { 0x38000000000ULL, 0x3bfffffffffULL, IORESOURCE_MEM };
	struct pci_bar backwards = { 0xfe001000, 0xfe000fff, IORESOURCE_MEM };

	(void)state;
	assert_int_equal(pci_bar_size(&none), 0);
	assert_int_equal(pci_bar_size(&page), 4096);
	assert_int_equal(pci_bar_size(&io), 8);
	assert_int_equal(pci_bar_size(&huge), 256ULL << 30);
	assert_int_equal(pci_bar_size(&backwards), 0);
}

/* --- a device and its group through the sysroot --------------------------------- */


static void mkdirs(const char *rel)
{
	char p[256], *s;

	snprintf(p, sizeof(p), "%s%s", root, rel);
	for (s = p + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	assert_true(mkdir(p, 0755) == 0 || errno == EEXIST);
}

static void write_file(const char *rel, const char *text)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s%s", root, rel);
	f = fopen(p, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static void link_file(const char *rel, const char *target)
{
	char p[256];

	snprintf(p, sizeof(p), "%s%s", root, rel);
	assert_int_equal(symlink(target, p), 0);
}

#define DEV "/sys/bus/pci/devices/0000:01:00.0"
#define AUD "/sys/bus/pci/devices/0000:01:00.1"

static void unlink_path(const char *rel)
{
	char p[512];

	snprintf(p, sizeof(p), "%s%s", root, rel);
	unlink(p);
}

static int setup_root(void **state)
{
	(void)state;
	if (tmproot_make("pci", NULL))
		return -1;
	/* sysfs has these as symlinks into /sys/devices; plain dirs do as well here */
	mkdirs(DEV "/vfio-dev/vfio3");
	mkdirs(AUD);
	mkdirs("/sys/kernel/iommu_groups/42/devices");
	/* the cdev exists only where vfio-dev/vfioN has a dev attribute (major:minor) */
	write_file(DEV "/vfio-dev/vfio3/dev", "510:3\n");
	write_file(DEV "/vendor", "0x10de\n");
	write_file(DEV "/device", "0x1e07\n");
	write_file(DEV "/class", "0x030000\n");
	write_file(DEV "/resource", gpu_resource);
	link_file(DEV "/driver", "../../../bus/pci/drivers/vfio-pci");
	link_file(DEV "/iommu_group", "../../../kernel/iommu_groups/42");
	write_file(AUD "/vendor", "0x10de\n");
	write_file(AUD "/device", "0x10f7\n");
	write_file(AUD "/class", "0x040300\n");
	link_file(AUD "/iommu_group", "../../../kernel/iommu_groups/42");
	/* readdir order is the filesystem's: add them out of order */
	link_file("/sys/kernel/iommu_groups/42/devices/0000:01:00.1", "../../../../devices/pci0000:00/0000:00:01.0/0000:01:00.1");
	link_file("/sys/kernel/iommu_groups/42/devices/0000:00:01.0", "../../../../devices/pci0000:00/0000:00:01.0");
	link_file("/sys/kernel/iommu_groups/42/devices/0000:01:00.0", "../../../../devices/pci0000:00/0000:00:01.0/0000:01:00.0");
	return 0;
}

static int teardown_root(void **state)
{
	(void)state;
	pci_names_release();
	return tmproot_remove();
}

static void test_pcidev_read(void **state)
{
	struct pci_dev_info d;

	(void)state;
	assert_int_equal(pcidev_read("0000:01:00.0", &d), 0);
	assert_string_equal(d.bdf, "0000:01:00.0");
	assert_int_equal(d.vendor, 0x10de);
	assert_int_equal(d.device, 0x1e07);
	assert_int_equal(d.class_code, 0x030000);
	assert_string_equal(d.driver, "vfio-pci");
	assert_int_equal(d.group, 42);
	assert_int_equal(d.vfio_cdev, 3);
	assert_int_equal(pci_bar_size(&d.bars[1]), 32ULL << 30);
	assert_true(d.bars[5].flags & IORESOURCE_IO);
	assert_true(strlen(d.name) > 0);  /* from pci.ids, or "10de:1e07" without it */

	/* Debian 6.12: vfio-dev/vfioN without dev means no cdev */
	unlink_path(DEV "/vfio-dev/vfio3/dev");
	assert_int_equal(pcidev_read("0000:01:00.0", &d), 0);
	assert_int_equal(d.vfio_cdev, -1);
	write_file(DEV "/vfio-dev/vfio3/dev", "510:3\n");
	/* the audio function: no driver, no resource file, no vfio-dev */
	assert_int_equal(pcidev_read("0000:01:00.1", &d), 0);
	assert_int_equal(d.device, 0x10f7);
	assert_string_equal(d.driver, "");
	assert_int_equal(d.group, 42);
	assert_int_equal(d.vfio_cdev, -1);
	assert_int_equal(pci_bar_size(&d.bars[0]), 0);

	assert_int_equal(pcidev_read("0000:02:00.0", &d), -ENOENT);
}

static void test_iommu_group_devices(void **state)
{
	char (*v)[16] = NULL;
	size_t n = 0;

	(void)state;
	assert_int_equal(iommu_group_devices(42, &v, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(v[0], "0000:00:01.0");
	assert_string_equal(v[1], "0000:01:00.0");
	assert_string_equal(v[2], "0000:01:00.1");
	free(v);
	assert_int_equal(iommu_group_devices(43, &v, &n), -ENOENT);
}

#define RP "/sys/bus/pci/devices/0000:00:01.0"

/* The root port above them (class 0604, pcieport), a 6.1 kernel, and the group's `type`. */
static void add_root_port(void)
{
	mkdirs(RP);
	write_file(RP "/vendor", "0x8086\n");
	write_file(RP "/device", "0xa110\n");
	write_file(RP "/class", "0x060400\n");
	link_file(RP "/driver", "../../../bus/pci/drivers/pcieport");
	link_file(RP "/iommu_group", "../../../kernel/iommu_groups/42");
	mkdirs("/proc/sys/kernel");
	write_file("/proc/sys/kernel/osrelease", "6.1.0-56-amd64\n");
	write_file("/sys/kernel/iommu_groups/42/type", "DMA-FQ\n");
}

/*
 * host/iommu.c group_read(): the members with their roles by the kernel's
 * rule, the verdict, the node.  The root port on pcieport and the unbound
 * audio function never block; the audio function on snd_hda_intel does, and
 * it is the one the explanation names.
 */
static void test_group_read(void **state)
{
	struct iommu_group g;
	struct group_why w;

	(void)state;
	add_root_port();
	assert_int_equal(group_read(42, &g), 0);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.type, "DMA-FQ");
	assert_string_equal(g.node, "");
	assert_string_equal(g.members[0].info.bdf, "0000:00:01.0");
	assert_int_equal(g.members[0].role, ROLE_BRIDGE);
	assert_int_equal(g.members[1].role, ROLE_VFIO);
	assert_int_equal(g.members[2].role, ROLE_UNBOUND);
	assert_true(g.viable);
	group_free(&g);

	link_file(AUD "/driver", "../../../bus/pci/drivers/snd_hda_intel");
	mkdirs("/dev/vfio");
	write_file("/dev/vfio/42", "");
	assert_int_equal(group_read(42, &g), 0);
	assert_int_equal(g.members[2].role, ROLE_HOST);
	assert_false(g.viable);
	assert_int_equal(g.noffenders, 1);
	assert_string_equal(g.node, "/dev/vfio/42");
	group_explain(&g, &w);
	assert_ptr_equal(w.first, &g.members[2]);
	assert_non_null(strstr(w.offenders, "0000:01:00.1 ("));
	assert_non_null(strstr(w.offenders, ") is bound to snd_hda_intel"));
	assert_null(strstr(w.offenders, "pcieport"));
	group_free(&g);
	assert_int_equal(group_read(43, &g), -ENOENT);
}

/* Before 5.19 a bridge kept any driver; since, a bridge on shpchp blocks the group. */
static void test_group_rule_by_kernel(void **state)
{
	struct iommu_group g;

	(void)state;
	add_root_port();
	unlink_path(RP "/driver");
	link_file(RP "/driver", "../../../bus/pci/drivers/shpchp");
	assert_int_equal(group_read(42, &g), 0);
	assert_int_equal(g.members[0].role, ROLE_HOST);
	assert_false(g.viable);
	group_free(&g);
	write_file("/proc/sys/kernel/osrelease", "5.10.0-30-amd64\n");
	assert_int_equal(group_read(42, &g), 0);
	assert_int_equal(g.members[0].role, ROLE_BRIDGE);
	assert_true(g.viable);
	group_free(&g);
}

/* The one walk of /sys/kernel/iommu_groups: numbers only, sorted; the summary counts types. */
static void test_iommu_walk(void **state)
{
	struct iommu_group *v = NULL;
	struct iommu_summary s;
	int *ids = NULL;
	size_t n = 0;

	(void)state;
	add_root_port();
	mkdirs("/sys/kernel/iommu_groups/7/devices");
	mkdirs("/sys/kernel/iommu_groups/notagroup");
	write_file("/sys/kernel/iommu_groups/7/type", "identity\n");
	assert_int_equal(iommu_group_ids(&ids, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], 7);
	assert_int_equal(ids[1], 42);
	free(ids);
	assert_int_equal(iommu_summary_read(&s), 0);
	assert_int_equal(s.ngroups, 2);
	assert_string_equal(s.types, "identity x1, DMA-FQ x1");
	assert_int_equal(groups_read_all(&v, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].id, 7);
	assert_int_equal(v[0].n, 0);
	assert_true(v[0].viable);
	assert_int_equal(v[1].n, 3);
	groups_free(v, n);
}

/* No iommu_groups directory: -ENOENT for the walk, 0 groups for the summary. */
static void test_iommu_walk_absent(void **state)
{
	struct iommu_summary s;
	int *ids = NULL;
	size_t n = 0;

	(void)state;
	sr_set_root("/nonexistent-vp-root");
	assert_int_equal(iommu_group_ids(&ids, &n), -ENOENT);
	assert_int_equal(iommu_summary_read(&s), 0);
	assert_int_equal(s.ngroups, 0);
	sr_set_root(root);
}

/* The one PCI enumeration: BDF entries only, sorted, live and replayed alike. */
static void test_enumerate(void **state)
{
	char (*v)[BDF_LEN] = NULL;
	size_t n = 0;

	(void)state;
	add_root_port();
	mkdirs("/sys/bus/pci/devices/not-a-bdf");
	assert_int_equal(pci_enumerate(&v, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(v[0], "0000:00:01.0");
	assert_string_equal(v[1], "0000:01:00.0");
	assert_string_equal(v[2], "0000:01:00.1");
	free(v);
}

/* Both directions of the vfio cdev, and driver presence. */
static void test_cdev_and_driver(void **state)
{
	char bdf[BDF_LEN];

	(void)state;
	assert_int_equal(pci_vfio_cdev("0000:01:00.0"), 3);
	assert_int_equal(pci_vfio_cdev("0000:01:00.1"), -ENOENT);
	mkdirs("/sys/class/vfio-dev/vfio3");
	link_file("/sys/class/vfio-dev/vfio3/device", "../../../devices/pci0000:00/0000:00:01.0/0000:01:00.0");
	assert_int_equal(pci_vfio_cdev_device(3, bdf, sizeof(bdf)), 0);
	assert_string_equal(bdf, "0000:01:00.0");
	assert_true(pci_vfio_cdev_device(4, bdf, sizeof(bdf)) < 0);
	mkdirs("/sys/bus/pci/drivers/vfio-pci");
	assert_true(pci_driver_present("vfio-pci"));
	assert_false(pci_driver_present("pci-stub"));
}

/*
 * Names: what pci.ids lacks is the numeric id the way lspci words it, the
 * same in every field.  1234:11e8 (QEMU's edu) is in no pci.ids; the names
 * fixtures compare with rely on that as well.
 */
static void test_names_fallback(void **state)
{
	struct pci_dev_info d = { .vendor = 0x1234, .device = 0x11e8, .class_code = 0x00ff00 };

	(void)state;
	pci_names(&d);
	assert_string_equal(d.name, "Device 1234:11e8");
	assert_string_equal(d.vendor_name, "Vendor 1234");
	assert_string_equal(d.device_name, "Device 11e8");
	assert_true(strstr(d.class_name, "00ff") != NULL);   /* "Unclassified device [00ff]" or "Class 00ff" */
	pci_names_release();
	pci_names(&d);     /* a new context after the release */
	assert_string_equal(d.vendor_name, "Vendor 1234");
}

/*
 * Regression (was a bug, fixed): pci_name() kills the whole program on a machine where libpci
 * finds no access method (no /sys/bus/pci and no /proc/bus/pci: a --sysroot
 * replay in a minimal container, a box without PCI).  pcidev.c sets
 * pacc->error = NULL before pci_init(), but pci_init() then installs libpci's
 * generic handler, which prints "pcilib: Cannot find any working access
 * method." and calls exit(1).  Input: pcidev_read("0000:01:00.0") of the tree
 * above, with tmpfs mounted over /sys and /proc/bus in a private mount
 * namespace.  Expected: returns 0 with a name (at worst "10de:1e07");
 * actual: the process exits with status 1 inside pci_init().
 */
static int read_without_pci_access(void)
{
	struct pci_dev_info d;
	int fd;

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return 77;
	if (mount("none", "/sys", "tmpfs", 0, NULL))
		return 77;
	mount("none", "/proc/bus", "tmpfs", 0, NULL);  /* absent on some kernels: fine */
	fd = open("/dev/null", O_WRONLY);
	if (fd >= 0)
		dup2(fd, 2);
	pci_names_release();
	if (pcidev_read("0000:01:00.0", &d))
		return 2;
	return d.name[0] ? 0 : 3;
}

static void test_pci_name_without_pci_access(void **state)
{
	int status;
	pid_t pid;

	(void)state;
	pid = fork();
	if (pid == 0)
		_exit(read_without_pci_access());
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		skip();  /* no CAP_SYS_ADMIN for a private mount namespace */
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resource_gpu),
		cmocka_unit_test(test_resource_rom_needs_room),
		cmocka_unit_test(test_resource_nic_13_lines),
		cmocka_unit_test(test_resource_short_and_empty),
		cmocka_unit_test(test_resource_malformed),
		cmocka_unit_test(test_bar_size),
		cmocka_unit_test_setup_teardown(test_pcidev_read, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_iommu_group_devices, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_group_read, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_group_rule_by_kernel, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_iommu_walk, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_iommu_walk_absent, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_enumerate, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_cdev_and_driver, setup_root, teardown_root),
		cmocka_unit_test(test_names_fallback),
		cmocka_unit_test_setup_teardown(test_pci_name_without_pci_access,
						setup_root, teardown_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
