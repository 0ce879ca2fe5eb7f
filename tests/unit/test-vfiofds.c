// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests: src/vfiofds.c — fd link targets, fdinfo syspath, reading a process's fds. */
#include <errno.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "host/sysroot.h"
#include "host/vfiofds.h"
#include "tmproot.h"

static enum vfio_fd_kind kind(const char *t, int *group, int *cdev)
{
	*group = 0x55;
	*cdev = 0x55;
	return vfio_fd_kind_of(t, group, cdev);
}

static void test_kind_fixed_names(void **state)
{
	int g, c;

	(void)state;
	assert_int_equal(kind("/dev/vfio/vfio", &g, &c), VFD_CONTAINER);
	assert_int_equal(g, -1);
	assert_int_equal(c, -1);
	assert_int_equal(kind("/dev/iommu", &g, &c), VFD_IOMMUFD);
	assert_int_equal(g, -1);
	assert_int_equal(c, -1);
	assert_int_equal(kind("anon_inode:[vfio-device]", &g, &c), VFD_DEVICE);
	assert_int_equal(g, -1);
	assert_int_equal(c, -1);
	assert_int_equal(kind("anon_inode:kvm-vfio", &g, &c), VFD_KVM_VFIO);
	assert_int_equal(g, -1);
	assert_int_equal(c, -1);
}

static void test_kind_groups(void **state)
{
	int g, c;

	(void)state;
	assert_int_equal(kind("/dev/vfio/12", &g, &c), VFD_GROUP);
	assert_int_equal(g, 12);
	assert_int_equal(c, -1);
	assert_int_equal(kind("/dev/vfio/0", &g, &c), VFD_GROUP);
	assert_int_equal(g, 0);
	assert_int_equal(kind("/dev/vfio/1023", &g, &c), VFD_GROUP);
	assert_int_equal(g, 1023);
	/* enable_unsafe_noiommu_mode groups */
	assert_int_equal(kind("/dev/vfio/noiommu-0", &g, &c), VFD_GROUP);
	assert_int_equal(g, 0);
	assert_int_equal(c, -1);
	assert_int_equal(kind("/dev/vfio/noiommu-7", &g, &c), VFD_GROUP);
	assert_int_equal(g, 7);
}

static void test_kind_cdevs(void **state)
{
	int g, c;

	(void)state;
	assert_int_equal(kind("/dev/vfio/devices/vfio3", &g, &c), VFD_CDEV);
	assert_int_equal(c, 3);
	assert_int_equal(g, -1);
	assert_int_equal(kind("/dev/vfio/devices/vfio0", &g, &c), VFD_CDEV);
	assert_int_equal(c, 0);
	assert_int_equal(kind("/dev/vfio/devices/vfio127", &g, &c), VFD_CDEV);
	assert_int_equal(c, 127);
}

static void test_kind_junk(void **state)
{
	static const char *const junk[] = {
		"/dev/vfio/abc", "/dev/vfio/", "/dev/vfio/12a", "/dev/vfio/-1",
		"/dev/vfio/99999999999", "/dev/vfio/vfio2", "/dev/vfio/vfio/",
		"/dev/vfio/devices/vfio", "/dev/vfio/devices/vfioX", "/dev/vfio/devices/vfio3a",
		"/dev/vfio/devices/", "/dev/vfio/devices/vfio-1",
		"/dev/vfio/noiommu-", "/dev/vfio/noiommu-x", "/dev/vfio/noiommu",
		"/dev/iommu0", "/dev/null", "/dev/kvm", "anon_inode:[eventfd]",
		"anon_inode:[vfio-device", "anon_inode:kvm-vcpu:0", "socket:[123456]",
		"pipe:[98765]", "/memfd:pc.ram (deleted)", "", "vfio",
	};
	size_t i;
	int g, c;

	(void)state;
	for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		if (kind(junk[i], &g, &c) != VFD_NONE)
			fail_msg("\"%s\" taken for a vfio fd", junk[i]);
		assert_int_equal(g, -1);
		assert_int_equal(c, -1);
	}
}

static void test_kind_names(void **state)
{
	(void)state;
	assert_string_equal(vfio_fd_kind_name(VFD_NONE), "none");
	assert_string_equal(vfio_fd_kind_name(VFD_CONTAINER), "container");
	assert_string_equal(vfio_fd_kind_name(VFD_GROUP), "group");
	assert_string_equal(vfio_fd_kind_name(VFD_DEVICE), "device");
	assert_string_equal(vfio_fd_kind_name(VFD_CDEV), "cdev");
	assert_string_equal(vfio_fd_kind_name(VFD_IOMMUFD), "iommufd");
	assert_string_equal(vfio_fd_kind_name(VFD_KVM_VFIO), "kvm-vfio");
	assert_string_equal(vfio_fd_kind_name((enum vfio_fd_kind)99), "none");
}

/* --- fdinfo ------------------------------------------------------------------- */

/* 6.18 adds the device's sysfs path to a vfio device fd's fdinfo. */
static const char fdinfo_6_18[] =
	"pos:\t0\n"
	"flags:\t02000002\n"
	"mnt_id:\t16\n"
	"ino:\t1057\n"
	"vfio-device-syspath: /sys/devices/pci0000:00/0000:00:04.0\n";
static const char fdinfo_6_1[] =
	"pos:\t0\n"
	"flags:\t02000002\n"
	"mnt_id:\t15\n"
	"ino:\t1057\n";

static void test_fdinfo_syspath(void **state)
{
	char out[256];

	(void)state;
	memset(out, 'x', sizeof(out));
	fdinfo_syspath(fdinfo_6_18, out, sizeof(out));
	assert_string_equal(out, "/sys/devices/pci0000:00/0000:00:04.0");

	memset(out, 'x', sizeof(out));
	fdinfo_syspath(fdinfo_6_1, out, sizeof(out));
	assert_string_equal(out, "");

	fdinfo_syspath("", out, sizeof(out));
	assert_string_equal(out, "");

	/* no trailing newline; behind a PCIe switch */
	fdinfo_syspath("pos:\t0\nvfio-device-syspath: /sys/devices/pci0000:00/0000:00:01.0/"
		       "0000:01:00.0/0000:02:08.0/0000:05:00.0", out, sizeof(out));
	assert_string_equal(out, "/sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0/0000:02:08.0/0000:05:00.0");

	/* first line, and a tab instead of a space */
	fdinfo_syspath("vfio-device-syspath:\t/sys/devices/platform/vfio-platform.0\npos:\t0\n",
		       out, sizeof(out));
	assert_string_equal(out, "/sys/devices/platform/vfio-platform.0");

	/* only at the start of a line */
	fdinfo_syspath("pos:\t0\nx-vfio-device-syspath: /sys/devices/foo\n", out, sizeof(out));
	assert_string_equal(out, "");
}

static void test_fdinfo_syspath_truncates(void **state)
{
	char out[32];

	(void)state;
	memset(out, 'x', sizeof(out));
	fdinfo_syspath(fdinfo_6_18, out, 16);
	assert_string_equal(out, "/sys/devices/pc");
	assert_int_equal(out[16], 'x');
}

/* --- backend ------------------------------------------------------------------ */

static void test_backend(void **state)
{
	struct vfio_fds f;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_string_equal(vfio_fds_backend(&f, "vfio_iommu_type1"), "none");
	f.containers = 1;
	f.groups = 2;
	f.devices = 2;
	assert_string_equal(vfio_fds_backend(&f, "vfio_iommu_type1"), "type1");
	memset(&f, 0, sizeof(f));
	f.groups = 1;   /* a group fd before VFIO_GROUP_SET_CONTAINER */
	assert_string_equal(vfio_fds_backend(&f, "vfio_iommu_type1"), "type1");
	memset(&f, 0, sizeof(f));
	f.cdevs = 1;
	assert_string_equal(vfio_fds_backend(&f, "vfio_iommu_type1"), "iommufd");
	f.iommufds = 1;
	assert_string_equal(vfio_fds_backend(&f, "vfio_iommu_type1"), "iommufd");
	memset(&f, 0, sizeof(f));
	f.iommufds = 1;
	f.containers = 1;   /* iommufd's compat container: iommufd wins */
	assert_string_equal(vfio_fds_backend(&f, "vfio_iommu_type1"), "iommufd");
	memset(&f, 0, sizeof(f));
	f.devices = 1;      /* a device fd alone (group fd closed) decides nothing */
	assert_string_equal(vfio_fds_backend(&f, "vfio_iommu_type1"), "none");
	/* A kernel whose /dev/vfio/vfio is iommufd's (IOMMUFD_VFIO_CONTAINER): no type1 there. */
	memset(&f, 0, sizeof(f));
	f.containers = 1;
	f.groups = 1;
	assert_string_equal(vfio_fds_backend(&f, "iommufd"), "iommufd");
	assert_string_equal(vfio_fds_backend(&f, NULL), "type1");
}

/* --- a process's fds through the sysroot --------------------------------------- */


static int setup_root(void **state)
{
	static const char *const dirs[] = { "/proc", "/proc/555", "/proc/555/fd", "/proc/555/fdinfo", NULL };

	(void)state;
	return tmproot_make("vfiofds", dirs);
}

static int teardown_root(void **state)
{
	(void)state;
	return tmproot_remove();
}

static void link_fd(int fd, const char *target)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/proc/555/fd/%d", root, fd);
	assert_int_equal(symlink(target, p), 0);
}

static void write_fdinfo(int fd, const char *text)
{
	char p[128];
	FILE *f;

	snprintf(p, sizeof(p), "%s/proc/555/fdinfo/%d", root, fd);
	f = fopen(p, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static const struct vfio_fd *find_fd(const struct vfio_fds *f, int fd)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->v[i].fd == fd)
			return &f->v[i];
	return NULL;
}

static void test_fds_read(void **state)
{
	struct vfio_fds f;
	const struct vfio_fd *e;

	(void)state;
	link_fd(0, "/dev/null");
	link_fd(1, "pipe:[98765]");
	link_fd(3, "anon_inode:[eventfd]");
	link_fd(20, "/dev/vfio/vfio");
	link_fd(21, "/dev/vfio/12");
	link_fd(22, "anon_inode:[vfio-device]");
	link_fd(23, "anon_inode:kvm-vfio");
	link_fd(30, "/dev/iommu");
	link_fd(31, "/dev/vfio/devices/vfio3");
	link_fd(32, "/dev/vfio/abc");
	write_fdinfo(22, fdinfo_6_1);
	write_fdinfo(31, fdinfo_6_18);

	assert_int_equal(vfio_fds_read("555", &f), 0);
	assert_int_equal(f.n, 6);
	assert_int_equal(f.containers, 1);
	assert_int_equal(f.groups, 1);
	assert_int_equal(f.devices, 1);
	assert_int_equal(f.cdevs, 1);
	assert_int_equal(f.iommufds, 1);

	e = find_fd(&f, 21);
	assert_non_null(e);
	assert_int_equal(e->kind, VFD_GROUP);
	assert_int_equal(e->group, 12);
	e = find_fd(&f, 22);
	assert_non_null(e);
	assert_int_equal(e->kind, VFD_DEVICE);
	assert_string_equal(e->syspath, "");
	e = find_fd(&f, 23);
	assert_non_null(e);
	assert_int_equal(e->kind, VFD_KVM_VFIO);
	e = find_fd(&f, 31);
	assert_non_null(e);
	assert_int_equal(e->kind, VFD_CDEV);
	assert_int_equal(e->cdev, 3);
	assert_string_equal(e->syspath, "/sys/devices/pci0000:00/0000:00:04.0");
	assert_null(find_fd(&f, 0));
	assert_null(find_fd(&f, 32));
	assert_string_equal(vfio_fds_backend(&f, "vfio_iommu_type1"), "iommufd");
	vfio_fds_free(&f);
	assert_null(f.v);
	assert_int_equal(f.n, 0);
}

static void test_fds_read_many(void **state)
{
	struct vfio_fds f;
	char t[32];
	int i;

	(void)state;
	/* more than the initial capacity: one group fd per device of a big box */
	link_fd(3, "/dev/vfio/vfio");
	for (i = 0; i < 40; i++) {
		snprintf(t, sizeof(t), "/dev/vfio/%d", 100 + i);
		link_fd(10 + i, t);
	}
	assert_int_equal(vfio_fds_read("555", &f), 0);
	assert_int_equal(f.n, 41);
	assert_int_equal(f.groups, 40);
	assert_int_equal(f.containers, 1);
	assert_int_equal(find_fd(&f, 49)->group, 139);
	assert_string_equal(vfio_fds_backend(&f, "vfio_iommu_type1"), "type1");
	vfio_fds_free(&f);
}

static void test_fds_read_missing(void **state)
{
	struct vfio_fds f;

	(void)state;
	assert_int_equal(vfio_fds_read("556", &f), -ENOENT);
	assert_int_equal(vfio_fds_read("555", &f), 0);  /* no fds at all */
	assert_int_equal(f.n, 0);
	assert_string_equal(vfio_fds_backend(&f, "vfio_iommu_type1"), "none");
	vfio_fds_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind_fixed_names),
		cmocka_unit_test(test_kind_groups),
		cmocka_unit_test(test_kind_cdevs),
		cmocka_unit_test(test_kind_junk),
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_fdinfo_syspath),
		cmocka_unit_test(test_fdinfo_syspath_truncates),
		cmocka_unit_test(test_backend),
		cmocka_unit_test_setup_teardown(test_fds_read, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_fds_read_many, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_fds_read_missing, setup_root, teardown_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
