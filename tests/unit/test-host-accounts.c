// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * host/users.c and host/units.c on a captured tree: glibc's fgetpwent and
 * fgetgrent on the tree's /etc/passwd and /etc/group, and a unit file with
 * drop-ins in systemd's search order (real files through the seam).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "host/units.h"
#include "host/users.h"
#include "tmproot.h"

static void put(const char *path, const char *text)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s%s", root, path);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	static const char *const dirs[] = {
		"/etc", "/etc/systemd", "/etc/systemd/system", "/etc/systemd/system/vm.service.d",
		"/usr", "/usr/lib", "/usr/lib/systemd", "/usr/lib/systemd/system",
		"/usr/lib/systemd/system/vm.service.d", NULL,
	};

	(void)state;
	if (tmproot_make("accounts", dirs))
		return -1;
	put("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n"
			   "# a comment line\n"
			   "libvirt-qemu:x:64055:108:Libvirt Qemu,,,:/var/lib/libvirt:/usr/sbin/nologin\n"
			   "vmadmin:x:1001:1001::/home/vmadmin:/bin/bash\n");
	put("/etc/group", "root:x:0:\nkvm:x:108:\nlibvirt:x:110:vmadmin,other\nvmadmin:x:1001:\n"
			  "disk:x:6:libvirt-qemu\n");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return tmproot_remove();
}

static void users(void **state)
{
	struct user_facts u;
	char name[64];

	(void)state;
	assert_int_equal(user_by_name("libvirt-qemu", &u), 0);
	assert_int_equal(u.uid, 64055);
	assert_int_equal(u.gid, 108);
	/* the primary group by gid, others by their member lists */
	assert_int_equal(u.ngroups, 2);
	assert_string_equal(u.gnames[0], "kvm");
	assert_string_equal(u.gnames[1], "disk");
	assert_int_equal(user_by_name("vmadmin", &u), 0);
	assert_int_equal(u.ngroups, 2);
	assert_int_equal(u.gids[0], 110);
	assert_int_equal(u.gids[1], 1001);
	/* a prefix of a name is not the name, nor is a comment */
	assert_int_equal(user_by_name("vm", &u), -ENOENT);
	assert_int_equal(user_by_name("# a comment line", &u), -ENOENT);
	uid_name(64055, name, sizeof(name));
	assert_string_equal(name, "libvirt-qemu");
	uid_name(4242, name, sizeof(name));
	assert_string_equal(name, "4242");
	gid_name(110, name, sizeof(name));
	assert_string_equal(name, "libvirt");
	gid_name(4242, name, sizeof(name));
	assert_string_equal(name, "4242");
}

static void units(void **state)
{
	struct unit_props p;
	char v[64];

	(void)state;
	assert_int_equal(unit_props_read("vm.service", &p), -ENOENT);
	put("/usr/lib/systemd/system/vm.service", "[Service]\nUser=libvirt-qemu\nLimitMEMLOCK=64M\nExecStart=/usr/bin/qemu\n");
	/* drop-ins of all directories, sorted by name; /etc shadows the vendor file of the same name */
	put("/usr/lib/systemd/system/vm.service.d/10-mem.conf", "[Service]\nLimitMEMLOCK=1G\n");
	put("/usr/lib/systemd/system/vm.service.d/20-caps.conf", "[Service]\nAmbientCapabilities=CAP_SYS_NICE\n");
	put("/etc/systemd/system/vm.service.d/20-caps.conf", "[Service]\nAmbientCapabilities=CAP_IPC_LOCK\n");
	assert_int_equal(unit_props_read("vm.service", &p), 0);
	assert_string_equal(p.load, "loaded");
	assert_string_equal(p.user, "libvirt-qemu");
	assert_string_equal(p.limit, "1G");
	assert_non_null(strstr(p.limit_from, "/usr/lib/systemd/system/vm.service.d/10-mem.conf"));
	assert_string_equal(p.ambient, " CAP_IPC_LOCK");
	/* /etc's unit file wins over the vendor one */
	put("/etc/systemd/system/vm.service", "[Service]\nUser=vmadmin\n");
	assert_int_equal(unit_props_read("vm.service", &p), 0);
	assert_string_equal(p.user, "vmadmin");
	assert_string_equal(p.exec, "");

	units_default_memlock(v, sizeof(v));
	assert_string_equal(v, "");
	put("/etc/systemd/system.conf", "[Manager]\n#DefaultLimitMEMLOCK=1M\nDefaultLimitMEMLOCK=16M\n");
	units_default_memlock(v, sizeof(v));
	assert_string_equal(v, "16M");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(users, setup, teardown),
		cmocka_unit_test_setup_teardown(units, setup, teardown),
	};

	return cmocka_run_group_tests_name("host-accounts", tests, NULL, NULL);
}
