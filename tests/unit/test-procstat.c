// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests: src/procstat.c — /proc/PID/status and the memlock line of /proc/PID/limits. */
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

#include "host/procstat.h"
#include "host/sysroot.h"
#include "tmproot.h"

/* Debian 12 (6.1): QEMU run by libvirt, 16 GiB guest with a type1 container. */
static const char status_6_1[] =
	"Name:\tqemu-system-x86\n"
	"Umask:\t0007\n"
	"State:\tS (sleeping)\n"
	"Tgid:\t4012\n"
	"Ngid:\t0\n"
	"Pid:\t4012\n"
	"PPid:\t1\n"
	"TracerPid:\t0\n"
	"Uid:\t64055\t64055\t64055\t64055\n"
	"Gid:\t64055\t64055\t64055\t64055\n"
	"FDSize:\t128\n"
	"Groups:\t36 64055 \n"
	"NStgid:\t4012\n"
	"NSpid:\t4012\n"
	"NSpgid:\t4011\n"
	"NSsid:\t4011\n"
	"VmPeak:\t17604612 kB\n"
	"VmSize:\t17538052 kB\n"
	"VmLck:\t16777216 kB\n"
	"VmPin:\t       0 kB\n"
	"VmHWM:\t16869352 kB\n"
	"VmRSS:\t16869352 kB\n"
	"RssAnon:\t16842668 kB\n"
	"RssFile:\t   26684 kB\n"
	"RssShmem:\t       0 kB\n"
	"VmData:\t17203520 kB\n"
	"VmStk:\t     132 kB\n"
	"VmExe:\t    6880 kB\n"
	"VmLib:\t   30208 kB\n"
	"VmPTE:\t   33896 kB\n"
	"VmSwap:\t       0 kB\n"
	"HugetlbPages:\t       0 kB\n"
	"CoreDumping:\t0\n"
	"THP_enabled:\t1\n"
	"Threads:\t9\n"
	"SigQ:\t0/63476\n"
	"SigPnd:\t0000000000000000\n"
	"ShdPnd:\t0000000000000000\n"
	"SigBlk:\t0000000010002240\n"
	"SigIgn:\t0000000000001000\n"
	"SigCgt:\t0000000100004243\n"
	"CapInh:\t0000000000000000\n"
	"CapPrm:\t0000000000000000\n"
	"CapEff:\t0000000000000000\n"
	"CapBnd:\t0000000000000000\n"
	"CapAmb:\t0000000000000000\n"
	"NoNewPrivs:\t1\n"
	"Seccomp:\t2\n"
	"Seccomp_filters:\t1\n"
	"Speculation_Store_Bypass:\tthread force mitigated\n"
	"SpeculationIndirectBranch:\tconditional force disabled\n"
	"Cpus_allowed:\tff\n"
	"Cpus_allowed_list:\t0-7\n"
	"Mems_allowed:\t00000000,00000001\n"
	"Mems_allowed_list:\t0\n"
	"voluntary_ctxt_switches:\t10893\n"
	"nonvoluntary_ctxt_switches:\t37\n";

/* 6.18: a root VMM on iommufd (VmPin), with Kthread, untag_mask, x86_Thread_features. */
static const char status_6_18[] =
	"Name:\tcloud-hypervisor\n"
	"Umask:\t0022\n"
	"State:\tS (sleeping)\n"
	"Tgid:\t21283\n"
	"Ngid:\t0\n"
	"Pid:\t21283\n"
	"PPid:\t21274\n"
	"TracerPid:\t0\n"
	"Uid:\t0\t0\t0\t0\n"
	"Gid:\t0\t0\t0\t0\n"
	"FDSize:\t256\n"
	"Groups:\t \n"
	"NStgid:\t21283\n"
	"NSpid:\t21283\n"
	"NSpgid:\t21274\n"
	"NSsid:\t20157\n"
	"Kthread:\t0\n"
	"VmPeak:\t 8458416 kB\n"
	"VmSize:\t 8458416 kB\n"
	"VmLck:\t    2048 kB\n"
	"VmPin:\t 8388608 kB\n"
	"VmHWM:\t 8401012 kB\n"
	"VmRSS:\t 8401012 kB\n"
	"RssAnon:\t 8390348 kB\n"
	"RssFile:\t   10664 kB\n"
	"RssShmem:\t       0 kB\n"
	"VmData:\t 8401360 kB\n"
	"VmStk:\t     132 kB\n"
	"VmExe:\t    3960 kB\n"
	"VmLib:\t    1528 kB\n"
	"VmPTE:\t   16484 kB\n"
	"VmSwap:\t       0 kB\n"
	"HugetlbPages:\t       0 kB\n"
	"CoreDumping:\t0\n"
	"THP_enabled:\t1\n"
	"untag_mask:\t0xffffffffffffffff\n"
	"Threads:\t6\n"
	"SigQ:\t0/96365\n"
	"SigPnd:\t0000000000000000\n"
	"ShdPnd:\t0000000000000000\n"
	"SigBlk:\t0000000000000000\n"
	"SigIgn:\t0000000000001000\n"
	"SigCgt:\t0000000100000440\n"
	"CapInh:\t0000000000000000\n"
	"CapPrm:\t000001fffeffffff\n"
	"CapEff:\t000001fffeffffff\n"
	"CapBnd:\t000001fffeffffff\n"
	"CapAmb:\t0000000000000000\n"
	"NoNewPrivs:\t0\n"
	"Seccomp:\t0\n"
	"Seccomp_filters:\t0\n"
	"Speculation_Store_Bypass:\tvulnerable\n"
	"SpeculationIndirectBranch:\talways enabled\n"
	"Cpus_allowed:\t3\n"
	"Cpus_allowed_list:\t0-1\n"
	"Mems_allowed:\t00000000,00000001\n"
	"Mems_allowed_list:\t0\n"
	"x86_Thread_features:\t\n"
	"x86_Thread_features_locked:\t\n"
	"voluntary_ctxt_switches:\t2\n"
	"nonvoluntary_ctxt_switches:\t1\n";

/* kthreadd on 6.18: no mm, so no Vm* lines at all. */
static const char status_kthread[] =
	"Name:\tkthreadd\n"
	"Umask:\t0000\n"
	"State:\tS (sleeping)\n"
	"Tgid:\t2\n"
	"Ngid:\t0\n"
	"Pid:\t2\n"
	"PPid:\t0\n"
	"TracerPid:\t0\n"
	"Uid:\t0\t0\t0\t0\n"
	"Gid:\t0\t0\t0\t0\n"
	"FDSize:\t64\n"
	"Groups:\t \n"
	"NStgid:\t2\n"
	"NSpid:\t2\n"
	"NSpgid:\t0\n"
	"NSsid:\t0\n"
	"Kthread:\t1\n"
	"Threads:\t1\n"
	"SigQ:\t0/96365\n"
	"SigPnd:\t0000000000000000\n"
	"ShdPnd:\t0000000000000000\n"
	"SigBlk:\t0000000000000000\n"
	"SigIgn:\tffffffffffffffff\n"
	"SigCgt:\t0000000000000000\n"
	"CapInh:\t0000000000000000\n"
	"CapPrm:\t000001ffffffffff\n"
	"CapEff:\t000001ffffffffff\n"
	"CapBnd:\t000001ffffffffff\n"
	"CapAmb:\t0000000000000000\n"
	"NoNewPrivs:\t0\n"
	"Seccomp:\t0\n"
	"Seccomp_filters:\t0\n"
	"Speculation_Store_Bypass:\tvulnerable\n"
	"SpeculationIndirectBranch:\talways enabled\n"
	"Cpus_allowed:\t3\n"
	"Cpus_allowed_list:\t0-1\n"
	"Mems_allowed:\t00000000,00000001\n"
	"Mems_allowed_list:\t0\n"
	"voluntary_ctxt_switches:\t127\n"
	"nonvoluntary_ctxt_switches:\t0\n";

static void test_status_6_1(void **state)
{
	struct proc_status st;

	(void)state;
	assert_int_equal(parse_status(status_6_1, &st), 0);
	assert_string_equal(st.name, "qemu-system-x86");
	assert_int_equal(st.vm_lck_kb, 16777216);
	assert_true(st.has_vm_pin);
	assert_int_equal(st.vm_pin_kb, 0);
	assert_int_equal(st.uid_real, 64055);
	assert_int_equal(st.uid_eff, 64055);
	assert_true(st.has_cap_eff);
	assert_int_equal(st.cap_eff, 0);
}

static void test_status_6_18(void **state)
{
	struct proc_status st;

	(void)state;
	assert_int_equal(parse_status(status_6_18, &st), 0);
	assert_string_equal(st.name, "cloud-hypervisor");
	assert_int_equal(st.vm_lck_kb, 2048);
	assert_true(st.has_vm_pin);
	assert_int_equal(st.vm_pin_kb, 8388608);
	assert_int_equal(st.uid_real, 0);
	assert_int_equal(st.uid_eff, 0);
	assert_true(st.has_cap_eff);
	assert_int_equal(st.cap_eff, 0x000001fffeffffffULL);
	assert_int_equal((st.cap_eff >> 14) & 1, 1);  /* CAP_IPC_LOCK */
}

static void test_status_kernel_thread(void **state)
{
	struct proc_status st;

	(void)state;
	memset(&st, 0x55, sizeof(st));
	assert_int_equal(parse_status(status_kthread, &st), 0);
	assert_string_equal(st.name, "kthreadd");
	assert_int_equal(st.vm_lck_kb, 0);
	assert_false(st.has_vm_pin);
	assert_int_equal(st.vm_pin_kb, 0);
	assert_true(st.has_cap_eff);
	assert_int_equal(st.cap_eff, 0x000001ffffffffffULL);
}

static void test_status_setuid_and_names(void **state)
{
	struct proc_status st;
	char text[512];

	(void)state;
	/* real and effective uid differ (a setuid helper); a comm with a space */
	assert_int_equal(parse_status("Name:\tWeb Content\n"
				      "Uid:\t1000\t0\t0\t0\n"
				      "VmLck:\t       4 kB\n", &st), 0);
	assert_string_equal(st.name, "Web Content");
	assert_int_equal(st.uid_real, 1000);
	assert_int_equal(st.uid_eff, 0);
	assert_int_equal(st.vm_lck_kb, 4);
	assert_false(st.has_cap_eff);  /* no CapEff line */
	assert_false(st.has_vm_pin);

	/* a workqueue worker's long name is cut to the buffer */
	snprintf(text, sizeof(text), "Name:\t%s\nUid:\t0\t0\t0\t0\n",
		 "kworker/u8:3-events_unbound-and-a-much-longer-suffix-than-sixty-four-chars");
	assert_int_equal(parse_status(text, &st), 0);
	assert_int_equal(strlen(st.name), sizeof(st.name) - 1);
	assert_int_equal(strncmp(st.name, "kworker/u8:3-events_unbound-and-", 32), 0);

	/* Name need not be the first line */
	assert_int_equal(parse_status("Umask:\t0022\nName:\tcat\n", &st), 0);
	assert_string_equal(st.name, "cat");
}

static void test_status_missing_name(void **state)
{
	struct proc_status st;

	(void)state;
	assert_int_equal(parse_status(status_6_18 + strlen("Name:\tcloud-hypervisor\n"), &st), -EBADMSG);
	assert_int_equal(parse_status("", &st), -EBADMSG);
	/* "Name:" only counts at the start of a line */
	assert_int_equal(parse_status("Comm Name:\tfoo\nUid:\t0\t0\t0\t0\n", &st), -EBADMSG);
}

static void test_status_bad_uid(void **state)
{
	struct proc_status st;

	(void)state;
	assert_int_equal(parse_status("Name:\tcat\nUid:\tnobody\n", &st), -EBADMSG);
	assert_int_equal(parse_status("Name:\tcat\nUid:\t1000\n", &st), -EBADMSG);
}

/* --- limits ------------------------------------------------------------------- */

#define LIMITS_HEAD \
	"Limit                     Soft Limit           Hard Limit           Units     \n" \
	"Max cpu time              unlimited            unlimited            seconds   \n" \
	"Max file size             unlimited            unlimited            bytes     \n" \
	"Max data size             unlimited            unlimited            bytes     \n" \
	"Max stack size            8388608              unlimited            bytes     \n" \
	"Max core file size        0                    unlimited            bytes     \n" \
	"Max resident set          unlimited            unlimited            bytes     \n" \
	"Max processes             96365                96365                processes \n" \
	"Max open files            20000                20000                files     \n"
#define LIMITS_TAIL \
	"Max address space         unlimited            unlimited            bytes     \n" \
	"Max file locks            unlimited            unlimited            locks     \n" \
	"Max pending signals       96365                96365                signals   \n" \
	"Max msgqueue size         819200               819200               bytes     \n" \
	"Max nice priority         0                    0                    \n" \
	"Max realtime priority     0                    0                    \n" \
	"Max realtime timeout      unlimited            unlimited            us        \n"

static void test_limits_numbers(void **state)
{
	struct proc_limit lim;

	(void)state;
	assert_int_equal(parse_limits_memlock(LIMITS_HEAD
		"Max locked memory         8388608              8388608              bytes     \n"
		LIMITS_TAIL, &lim), 0);
	assert_false(lim.soft_unlimited);
	assert_false(lim.hard_unlimited);
	assert_int_equal(lim.soft, 8388608);
	assert_int_equal(lim.hard, 8388608);

	assert_int_equal(parse_limits_memlock(LIMITS_HEAD
		"Max locked memory         65536                17179869184          bytes     \n"
		LIMITS_TAIL, &lim), 0);
	assert_int_equal(lim.soft, 65536);
	assert_int_equal(lim.hard, 17179869184ULL);
}

static void test_limits_unlimited(void **state)
{
	struct proc_limit lim;

	(void)state;
	assert_int_equal(parse_limits_memlock(LIMITS_HEAD
		"Max locked memory         unlimited            unlimited            bytes     \n"
		LIMITS_TAIL, &lim), 0);
	assert_true(lim.soft_unlimited);
	assert_true(lim.hard_unlimited);
	assert_int_equal(lim.soft, 0);
	assert_int_equal(lim.hard, 0);

	/* soft limited, hard unlimited (libvirt raises only what it needs) */
	assert_int_equal(parse_limits_memlock(LIMITS_HEAD
		"Max locked memory         17448304640          unlimited            bytes     \n"
		LIMITS_TAIL, &lim), 0);
	assert_false(lim.soft_unlimited);
	assert_true(lim.hard_unlimited);
	assert_int_equal(lim.soft, 17448304640ULL);

	assert_int_equal(parse_limits_memlock(LIMITS_HEAD
		"Max locked memory         unlimited            67108864             bytes     \n"
		LIMITS_TAIL, &lim), 0);
	assert_true(lim.soft_unlimited);
	assert_false(lim.hard_unlimited);
	assert_int_equal(lim.hard, 67108864);
}

static void test_limits_missing_line(void **state)
{
	struct proc_limit lim;

	(void)state;
	memset(&lim, 0x55, sizeof(lim));
	assert_int_equal(parse_limits_memlock(LIMITS_HEAD LIMITS_TAIL, &lim), -ENOENT);
	assert_false(lim.soft_unlimited);
	assert_int_equal(lim.soft, 0);
	assert_int_equal(parse_limits_memlock("", &lim), -ENOENT);
}

static void test_limits_garbage(void **state)
{
	struct proc_limit lim;

	(void)state;
	assert_int_equal(parse_limits_memlock(LIMITS_HEAD
		"Max locked memory         lots                 lots                 bytes     \n"
		LIMITS_TAIL, &lim), -EBADMSG);
	assert_int_equal(parse_limits_memlock(LIMITS_HEAD
		"Max locked memory         65536                many                 bytes     \n"
		LIMITS_TAIL, &lim), -EBADMSG);
	assert_int_equal(parse_limits_memlock("Max locked memory\n", &lim), -EBADMSG);
	assert_int_equal(parse_limits_memlock("Max locked memory         65536\n", &lim), -EBADMSG);
}

/* --- through the sysroot ------------------------------------------------------ */

static void write_file(const char *rel, const char *text)
{
	char p[160];
	FILE *f;

	snprintf(p, sizeof(p), "%s%s", root, rel);
	f = fopen(p, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static int setup_root(void **state)
{
	static const char *const dirs[] = { "/proc", "/proc/4012", NULL };

	(void)state;
	return tmproot_make("procstat", dirs);
}

static int teardown_root(void **state)
{
	(void)state;
	return tmproot_remove();
}

static void test_read_through_sysroot(void **state)
{
	struct proc_status st;
	struct proc_limit lim;

	(void)state;
	assert_int_equal(read_status("4012", &st), -ENOENT);
	assert_int_equal(read_limits_memlock("4012", &lim), -ENOENT);
	write_file("/proc/4012/status", status_6_1);
	write_file("/proc/4012/limits", LIMITS_HEAD
		   "Max locked memory         17448304640          17448304640          bytes     \n"
		   LIMITS_TAIL);
	assert_int_equal(read_status("4012", &st), 0);
	assert_string_equal(st.name, "qemu-system-x86");
	assert_int_equal(st.vm_lck_kb, 16777216);
	assert_int_equal(read_limits_memlock("4012", &lim), 0);
	assert_int_equal(lim.soft, 17448304640ULL);
	assert_int_equal(lim.hard, 17448304640ULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_6_1),
		cmocka_unit_test(test_status_6_18),
		cmocka_unit_test(test_status_kernel_thread),
		cmocka_unit_test(test_status_setuid_and_names),
		cmocka_unit_test(test_status_missing_name),
		cmocka_unit_test(test_status_bad_uid),
		cmocka_unit_test(test_limits_numbers),
		cmocka_unit_test(test_limits_unlimited),
		cmocka_unit_test(test_limits_missing_line),
		cmocka_unit_test(test_limits_garbage),
		cmocka_unit_test_setup_teardown(test_read_through_sysroot, setup_root, teardown_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
