// SPDX-License-Identifier: GPL-2.0-or-later
/* model/target.c: the memory checks' target resolved from facts (process, self, user, unit). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "model/limits-conf.h"
#include "model/target.h"
#include "verdict-assert.h"

#define M (1ULL << 20)

static const struct limit_default d612 = { .kv_known = true, .kv = { 6, 12, 0 } };

static void proc(void **state)
{
	struct proc_facts p = { .st = { .uid_eff = 107, .vm_lck_kb = 4, .has_cap_eff = true, .cap_eff = 1ULL << 14 },
				.gids = { 107, 36 }, .ngids = 2, .lim = { .soft = 64 * M, .hard = 64 * M } };
	struct target t = { 0 };

	(void)state;
	strcpy(p.st.name, "qemu-system-x86");
	target_from_proc(&t, "42", &p);
	assert_true(t.known);
	assert_string_equal(t.desc, "process 42 (qemu-system-x86)");
	assert_int_equal(t.ngids, 2);
	assert_int_equal(t.gids[1], 36);
	assert_int_equal(t.vm_lck, 4096);
	assert_string_equal(t.limit_from, "/proc/42/limits");
	/* CapEff bit 14 is CAP_IPC_LOCK (include/uapi/linux/capability.h) */
	assert_true(t.have_caps);
	assert_true(t.cap_ipc_lock);
	assert_string_equal(t.cap_from, "effective set of process 42");

	p.st.cap_eff = ~(1ULL << 14);
	memset(&t, 0, sizeof(t));
	target_from_proc(&t, "42", &p);
	assert_false(t.cap_ipc_lock);

	p.st.has_cap_eff = false;   /* a kernel without the line: unknown, not "no" */
	memset(&t, 0, sizeof(t));
	target_from_proc(&t, "42", &p);
	assert_false(t.have_caps);

	p.limits_rc = -EACCES;
	memset(&t, 0, sizeof(t));
	target_from_proc(&t, "42", &p);
	assert_false(t.known);
	assert_has(t.err, "cannot read /proc/42/limits: Permission denied");

	p.status_rc = -ENOENT;
	memset(&t, 0, sizeof(t));
	target_from_proc(&t, "42", &p);
	assert_false(t.known);
	assert_string_equal(t.err, "no process 42");
}

static void self(void **state)
{
	struct self_facts s = { .euid = 1000, .gids = { 1000, 27 }, .ngids = 2, .have_limit = true,
				.soft = 8 * M, .hard_inf = true, .has_cap_eff = true, .cap_eff = 0 };
	struct target t = { 0 };

	(void)state;
	target_from_self(&t, &s);
	assert_true(t.known);
	assert_string_equal(t.desc, "this process, uid 1000 (no --pid, --user or --unit)");
	assert_true(t.hard_inf);
	assert_true(t.have_caps);
	assert_false(t.cap_ipc_lock);
	assert_string_equal(t.cap_from, "effective set of this process");
}

static void defaults(void **state)
{
	struct limit_default d = { .kv_known = true, .kv = { 5, 15, 0 } };
	struct target t = { 0 };

	(void)state;
	/* Linux 5.16 raised the default from 64 KiB to 8 MiB */
	target_default_limit(&t, &d, "no memlock line in limits.conf");
	assert_int_equal(t.soft, 64 << 10);
	assert_has(t.limit_from, "inherited kernel default 64K (before 5.16)");
	target_default_limit(&t, &d612, "x");
	assert_int_equal(t.hard, 8 * M);
	strcpy(d.system_conf, "infinity");   /* not a size: the kernel default stands */
	target_default_limit(&t, &d, "x");
	assert_int_equal(t.soft, 64 << 10);
	strcpy(d.system_conf, "16M");
	target_default_limit(&t, &d, "x");
	assert_int_equal(t.soft, 16 * M);
	assert_string_equal(t.limit_from, "x: inherited DefaultLimitMEMLOCK=16M (/etc/systemd/system.conf)");
}

static void user(void **state)
{
	struct user_facts u = { .uid = 107, .gid = 107, .gids = { 107, 36 }, .ngroups = 2 };
	struct lc_limit l;
	struct target t = { 0 };

	(void)state;
	strcpy(u.name, "qemu");
	target_from_user(&t, "nobody2", -ENOENT, &u, 0, NULL, &d612);
	assert_false(t.known);
	assert_string_equal(t.err, "no user nobody2");

	lc_init(&l);
	memset(&t, 0, sizeof(t));
	target_from_user(&t, "qemu", 0, &u, -EACCES, &l, &d612);
	assert_false(t.known);
	assert_has(t.err, "cannot read limits.conf");
	assert_int_equal(t.ngids, 2);

	memset(&t, 0, sizeof(t));
	target_from_user(&t, "qemu", 0, &u, 0, &l, &d612);
	assert_true(t.known);
	assert_string_equal(t.desc, "user qemu at PAM login");
	assert_has(t.limit_from, "no memlock line in limits.conf: inherited default 8M");
	assert_false(t.have_caps);

	/* soft above hard: pam_limits caps soft at hard before setrlimit */
	assert_int_equal(lc_apply_text(&l, &(struct lc_user){ .name = "qemu", .uid = 107, .gid = 107 },
				       "qemu soft memlock unlimited\nqemu hard memlock 1024\n", "limits.conf"), 0);
	memset(&t, 0, sizeof(t));
	target_from_user(&t, "qemu", 0, &u, 0, &l, &d612);
	assert_false(t.soft_inf);
	assert_int_equal(t.soft, 1024 << 10);
	assert_int_equal(t.hard, 1024 << 10);
	assert_string_equal(t.limit_from, "limits.conf: soft from limits.conf:1, hard from limits.conf:2");

	/* only a hard line: soft is the inherited default */
	lc_init(&l);
	lc_apply_text(&l, &(struct lc_user){ .name = "qemu", .uid = 107, .gid = 107 },
		      "qemu hard memlock unlimited\n", "limits.conf");
	memset(&t, 0, sizeof(t));
	target_from_user(&t, "qemu", 0, &u, 0, &l, &d612);
	assert_int_equal(t.soft, 8 * M);
	assert_true(t.hard_inf);
	assert_has(t.limit_from, "soft from the inherited default");

	u.uid = 0;
	memset(&t, 0, sizeof(t));
	target_from_user(&t, "root", 0, &u, 0, &l, &d612);
	assert_true(t.cap_ipc_lock);
	assert_string_equal(t.cap_from, "root");
}

static void file_caps(void **state)
{
	struct file_caps fc = { .binary = "/usr/bin/qemu-system-x86_64", .ipc_lock = true };
	struct target t = { 0 };

	(void)state;
	target_file_caps(&t, &(struct file_caps){ 0 });
	assert_false(t.have_caps);
	target_file_caps(&t, &fc);
	assert_true(t.cap_ipc_lock);
	assert_string_equal(t.cap_from, "file capability cap_ipc_lock+ep on /usr/bin/qemu-system-x86_64");
	memset(&t, 0, sizeof(t));
	fc.ipc_lock = false;
	target_file_caps(&t, &fc);
	assert_true(t.have_caps);
	assert_false(t.cap_ipc_lock);
	assert_has(t.cap_from, "has no cap_ipc_lock file capability");
	fc.rc = -ENOENT;
	target_file_caps(&t, &fc);
	assert_has(t.cap_from, "cannot read file capabilities of /usr/bin/qemu-system-x86_64");
}

static void unit_lines(struct unit_props *p, const char *text, const char *from)
{
	char buf[1024], *l;

	snprintf(buf, sizeof(buf), "%s", text);
	for (l = buf; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		unit_prop_line(p, l, from);
}

static void unit(void **state)
{
	struct user_facts u = { .uid = 107, .gid = 107, .gids = { 107 }, .ngroups = 1 };
	struct unit_props p = { 0 };
	struct target t = { 0 };
	char bin[256];

	(void)state;
	assert_false(unit_name_ok("a.service; rm -rf /"));
	target_from_unit(&t, "a b.service", 0, &p, NULL, &d612);
	assert_string_equal(t.err, "'a b.service' is not a unit name");
	memset(&t, 0, sizeof(t));
	target_from_unit(&t, "vm.service", -ENOEXEC, &p, NULL, &d612);
	assert_has(t.err, "systemctl show vm.service failed (is systemd running?)");
	memset(&t, 0, sizeof(t));
	target_from_unit(&t, "vm.service", -ENOENT, &p, NULL, &d612);
	assert_string_equal(t.err, "no unit vm.service (No such file or directory)");
	strcpy(p.load, "not-found");
	memset(&t, 0, sizeof(t));
	target_from_unit(&t, "vm.service", 0, &p, NULL, &d612);
	assert_string_equal(t.err, "no unit vm.service (not-found)");

	/* a unit file, then a drop-in that overrides the limit */
	memset(&p, 0, sizeof(p));
	unit_lines(&p, "[Service]\nUser=qemu\nExecStart=-/usr/bin/qemu-system-x86_64 -m 4G\nLimitMEMLOCK=64M\n", "/etc/systemd/system/vm.service");
	unit_lines(&p, "[Service]\nLimitMEMLOCK=1G:infinity\nAmbientCapabilities=CAP_NET_ADMIN\n", "/etc/systemd/system/vm.service.d/mem.conf");
	memset(&t, 0, sizeof(t));
	target_from_unit(&t, "vm.service", 0, &p, &u, &d612);
	assert_true(t.known);
	assert_string_equal(t.desc, "unit vm.service as user qemu");
	assert_int_equal(t.uid, 107);
	assert_int_equal(t.soft, 1ULL << 30);
	assert_true(t.hard_inf);
	assert_string_equal(t.limit_from, "LimitMEMLOCK=1G:infinity (/etc/systemd/system/vm.service.d/mem.conf)");
	assert_false(t.have_caps);
	unit_exec_binary(&p, bin, sizeof(bin));
	assert_string_equal(bin, "/usr/bin/qemu-system-x86_64");

	/* systemctl show: LimitMEMLOCK is the hard limit, LimitMEMLOCKSoft the soft one */
	memset(&p, 0, sizeof(p));
	unit_lines(&p, "LoadState=loaded\nLimitMEMLOCK=infinity\nLimitMEMLOCKSoft=8388608\nUser=\nAmbientCapabilities=cap_ipc_lock\nExecStart={ path=/usr/bin/qemu-kvm ; argv[]=/usr/bin/qemu-kvm ; }\n", "systemctl show");
	memset(&t, 0, sizeof(t));
	target_from_unit(&t, "vm.service", 0, &p, NULL, &d612);
	assert_string_equal(t.desc, "unit vm.service as root");
	assert_int_equal(t.soft, 8 * M);
	assert_true(t.hard_inf);
	assert_true(t.cap_ipc_lock);
	assert_string_equal(t.cap_from, "AmbientCapabilities=CAP_IPC_LOCK");
	unit_exec_binary(&p, bin, sizeof(bin));
	assert_string_equal(bin, "/usr/bin/qemu-kvm");

	/* root without ambient capabilities still has CAP_IPC_LOCK */
	memset(&p, 0, sizeof(p));
	unit_lines(&p, "LoadState=loaded\n", "systemctl show");
	memset(&t, 0, sizeof(t));
	target_from_unit(&t, "vm.service", 0, &p, NULL, &d612);
	assert_string_equal(t.cap_from, "runs as root");
	assert_has(t.limit_from, "no LimitMEMLOCK= in the unit: inherited default 8M");

	strcpy(p.limit, "lots");
	memset(&t, 0, sizeof(t));
	target_from_unit(&t, "vm.service", 0, &p, NULL, &d612);
	assert_false(t.known);
	assert_string_equal(t.err, "cannot parse LimitMEMLOCK=lots of vm.service");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(proc),
		cmocka_unit_test(self),
		cmocka_unit_test(defaults),
		cmocka_unit_test(user),
		cmocka_unit_test(file_caps),
		cmocka_unit_test(unit),
	};

	return cmocka_run_group_tests_name("judge-target", tests, NULL, NULL);
}
