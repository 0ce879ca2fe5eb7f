// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests: src/account.c — the memlock model, mlock's charge of a vma, kernel releases. */
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

#include "host/kernel.h"
#include "model/account.h"
#include "host/sysroot.h"
#include "tmproot.h"

#define K (1LL << 10)
#define M (1LL << 20)
#define G (1LL << 30)

/* --- memlock_explain ------------------------------------------------------------ */

static void test_explain_unlimited(void **state)
{
	struct memlock_view v = { .limit_unlimited = true, .limit = 8 * M, .vm_lck = 16 * G,
				  .containers = 1 };
	struct memlock_explain e;

	(void)state;
	memset(&e, 0x55, sizeof(e));
	memlock_explain(&v, &e);
	assert_false(e.has_headroom);
	assert_int_equal(e.headroom, 0);
	assert_false(e.over_limit);   /* nothing is over an unlimited limit */
	assert_int_equal(e.dma_locked, 16 * G);
	assert_false(e.multi_context);
	assert_false(e.pinned_elsewhere);
}

static void test_explain_headroom(void **state)
{
	/* libvirt's 1 GiB + guest RAM limit, a 16 GiB guest fully mapped, QEMU mlock'ed 64 MiB */
	struct memlock_view v = { .limit = 17 * G, .vm_lck = 16 * G + 64 * M, .mlock_vm = 64 * M,
				  .mlocked = 64 * M, .containers = 1 };
	struct memlock_explain e;

	(void)state;
	memlock_explain(&v, &e);
	assert_true(e.has_headroom);
	assert_int_equal(e.headroom, G - 64 * M);
	assert_false(e.over_limit);
	assert_int_equal(e.dma_locked, 16 * G);
	assert_false(e.multi_context);
}

static void test_explain_exactly_at_limit(void **state)
{
	struct memlock_view v = { .limit = 8 * M, .vm_lck = 8 * M, .containers = 1 };
	struct memlock_explain e;

	(void)state;
	memlock_explain(&v, &e);
	assert_true(e.has_headroom);
	assert_int_equal(e.headroom, 0);
	assert_false(e.over_limit);
	v.vm_lck += 4 * K;
	memlock_explain(&v, &e);
	assert_int_equal(e.headroom, -4 * K);
	assert_true(e.over_limit);
	assert_true(e.limit_applies);
}

static void test_explain_over_limit(void **state)
{
	/* root (CAP_IPC_LOCK) maps 16 GiB under the default 8 MiB limit */
	struct memlock_view v = { .limit = 8 * M, .vm_lck = 16 * G, .cap_ipc_lock = true,
				  .containers = 1 };
	struct memlock_explain e;

	(void)state;
	memlock_explain(&v, &e);
	assert_true(e.has_headroom);
	assert_int_equal(e.headroom, 8 * M - 16 * G);
	assert_true(e.headroom < 0);
	/* issue 9: the limit does not bind it, so it is not "over" it; the arithmetic stays */
	assert_false(e.limit_applies);
	assert_false(e.over_limit);
	assert_int_equal(e.dma_locked, 16 * G);
	v.cap_ipc_lock = false;    /* the same figures without the capability: over */
	memlock_explain(&v, &e);
	assert_true(e.limit_applies);
	assert_true(e.over_limit);
}

static void test_explain_multi_context(void **state)
{
	struct memlock_view v = { .limit = 64 * G, .vm_lck = 32 * G };
	struct memlock_explain e;

	(void)state;
	v.containers = 0;
	memlock_explain(&v, &e);
	assert_false(e.multi_context);
	v.containers = 1;
	memlock_explain(&v, &e);
	assert_false(e.multi_context);
	v.containers = 2;          /* one container per device with a vIOMMU */
	memlock_explain(&v, &e);
	assert_true(e.multi_context);
	v.containers = 1;
	v.iommufds = 1;            /* a type1 container and an iommufd */
	memlock_explain(&v, &e);
	assert_true(e.multi_context);
	v.containers = 0;
	v.iommufds = 1;
	memlock_explain(&v, &e);
	assert_false(e.multi_context);
	v.iommufds = 3;
	memlock_explain(&v, &e);
	assert_true(e.multi_context);
}

static void test_explain_vm_pin(void **state)
{
	/* iommufd charges pinned_vm: VmLck stays 0, VmPin holds the guest */
	struct memlock_view v = { .limit = 9 * G, .vm_lck = 0, .vm_pin = 8 * G, .iommufds = 1 };
	struct memlock_explain e;

	(void)state;
	memlock_explain(&v, &e);
	assert_true(e.pinned_elsewhere);
	assert_int_equal(e.dma_locked, 0);
	assert_int_equal(e.headroom, 9 * G);  /* judged by VmLck only */
	assert_false(e.over_limit);
	v.vm_pin = 0;
	memlock_explain(&v, &e);
	assert_false(e.pinned_elsewhere);
	v.vm_pin = 4 * K;
	memlock_explain(&v, &e);
	assert_true(e.pinned_elsewhere);
}

static void test_explain_mlock_exceeds_vm_lck(void **state)
{
	/* another locked_vm user gave back more than it took: the estimate goes negative */
	struct memlock_view v = { .limit = 64 * M, .vm_lck = 16 * M, .mlock_vm = 20 * M };
	struct memlock_explain e;

	(void)state;
	memlock_explain(&v, &e);
	assert_int_equal(e.dma_locked, -4 * M);
	assert_int_equal(e.headroom, 48 * M);
}

/* --- mlock_charge_of_vma ---------------------------------------------------------- */

static void test_mlock_charge(void **state)
{
	(void)state;
	/* VM_LOCKED: the whole vma, populated or not */
	assert_int_equal(mlock_charge_of_vma(16 * G, true, false, false), 16 * G);
	assert_int_equal(mlock_charge_of_vma(4 * K, true, false, false), 4 * K);
	/* not locked */
	assert_int_equal(mlock_charge_of_vma(16 * G, false, false, false), 0);
	/* hugetlb and VM_SPECIAL (pfnmap, io, dontexpand, mixedmap) are skipped by mlock */
	assert_int_equal(mlock_charge_of_vma(1 * G, true, true, false), 0);
	assert_int_equal(mlock_charge_of_vma(16 * M, true, false, true), 0);
	assert_int_equal(mlock_charge_of_vma(16 * M, true, true, true), 0);
	assert_int_equal(mlock_charge_of_vma(16 * M, false, true, true), 0);
	assert_int_equal(mlock_charge_of_vma(0, true, false, false), 0);
}

/* --- kernel releases -------------------------------------------------------------- */

static void expect_kver(const char *rel, int major, int minor, int patch)
{
	struct kver kv;

	memset(&kv, 0x55, sizeof(kv));
	if (kver_parse(rel, &kv))
		fail_msg("\"%s\" rejected", rel);
	assert_int_equal(kv.major, major);
	assert_int_equal(kv.minor, minor);
	assert_int_equal(kv.patch, patch);
}

static void test_kver_parse(void **state)
{
	(void)state;
	expect_kver("6.1.0-56-amd64", 6, 1, 0);             /* Debian 12 */
	expect_kver("6.12.117+deb12-amd64", 6, 12, 117);    /* Debian 12 backports */
	expect_kver("6.18.44-fc-v657", 6, 18, 44);
	expect_kver("5.4", 5, 4, 0);
	expect_kver("5.14.0-427.13.1.el9_4.x86_64", 5, 14, 0);  /* RHEL 9 */
	expect_kver("6.8.0-31-generic", 6, 8, 0);           /* Ubuntu 24.04 */
	expect_kver("6.10.0-rc7", 6, 10, 0);
	expect_kver("6.7-rc1", 6, 7, 0);
	expect_kver("4.19.0", 4, 19, 0);
}

static void test_kver_parse_junk(void **state)
{
	static const char *const junk[] = { "junk", "", "6", "6.", "6.x", "v6.1", "linux-6.1", " " };
	struct kver kv;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++)
		if (kver_parse(junk[i], &kv) != -EINVAL)
			fail_msg("\"%s\" accepted as a kernel release", junk[i]);
}

static void test_kver_cmp(void **state)
{
	struct kver kv;

	(void)state;
	assert_int_equal(kver_parse("6.1.0-56-amd64", &kv), 0);
	assert_int_equal(kver_cmp(&kv, 6, 1), 0);
	assert_int_equal(kver_cmp(&kv, 6, 7), -1);   /* before PAGEMAP_SCAN */
	assert_int_equal(kver_cmp(&kv, 6, 0), 1);
	assert_int_equal(kver_cmp(&kv, 5, 15), 1);
	assert_int_equal(kver_cmp(&kv, 7, 0), -1);
	assert_int_equal(kver_parse("6.12.117+deb12-amd64", &kv), 0);
	assert_int_equal(kver_cmp(&kv, 6, 7), 1);    /* 12 > 7, not "1" < "7" */
	assert_int_equal(kver_cmp(&kv, 6, 18), -1);
}

/* --- kver_read through the sysroot ----------------------------------------------- */


static int setup_root(void **state)
{
	static const char *const dirs[] = { "/proc", "/proc/sys", "/proc/sys/kernel", NULL };

	(void)state;
	return tmproot_make("account", dirs);
}

static int teardown_root(void **state)
{
	(void)state;
	return tmproot_remove();
}

static void test_kver_read(void **state)
{
	char p[128], rel[80];
	struct kver kv;
	FILE *f;

	(void)state;
	assert_int_equal(kver_read(&kv, rel, sizeof(rel)), -ENOENT);
	snprintf(p, sizeof(p), "%s/proc/sys/kernel/osrelease", root);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs("6.12.117+deb12-amd64\n", f);
	fclose(f);
	assert_int_equal(kver_read(&kv, rel, sizeof(rel)), 0);
	assert_string_equal(rel, "6.12.117+deb12-amd64");
	assert_int_equal(kv.major, 6);
	assert_int_equal(kv.minor, 12);
	assert_int_equal(kv.patch, 117);
	/* a release that does not fit the caller's buffer */
	assert_int_equal(kver_read(&kv, rel, 8), -ERANGE);
}

static void test_iommufd_accounting_inferred(void **state)
{
	struct memlock_view v = { .limit = 8 << 20, .vm_lck = 4 << 20, .vm_pin = 4 << 20, .iommufd = true };
	struct memlock_explain e;

	(void)state;
	/* compat container or per-mm mode: the same pages in VmLck and VmPin */
	memlock_explain(&v, &e);
	assert_true(e.double_charge);
	assert_string_equal(e.iommufd_accounting, "per-mm");
	/* per-user mode (or CAP_IPC_LOCK): VmPin only */
	v.vm_lck = 0;
	memlock_explain(&v, &e);
	assert_false(e.double_charge);
	assert_string_equal(e.iommufd_accounting, "per-user-or-cap-ipc-lock");
	/* VmLck all mlock: no DMA charge in it, so no double charge */
	v.vm_lck = 2 << 20;
	v.mlock_vm = 2 << 20;
	memlock_explain(&v, &e);
	assert_false(e.double_charge);
	/* type1 with VmPin from io_uring: not iommufd's */
	v.iommufd = false;
	v.mlock_vm = 0;
	memlock_explain(&v, &e);
	assert_false(e.double_charge);
	assert_null(e.iommufd_accounting);
	assert_true(e.pinned_elsewhere);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iommufd_accounting_inferred),
		cmocka_unit_test(test_explain_unlimited),
		cmocka_unit_test(test_explain_headroom),
		cmocka_unit_test(test_explain_exactly_at_limit),
		cmocka_unit_test(test_explain_over_limit),
		cmocka_unit_test(test_explain_multi_context),
		cmocka_unit_test(test_explain_vm_pin),
		cmocka_unit_test(test_explain_mlock_exceeds_vm_lck),
		cmocka_unit_test(test_mlock_charge),
		cmocka_unit_test(test_kver_parse),
		cmocka_unit_test(test_kver_parse_junk),
		cmocka_unit_test(test_kver_cmp),
		cmocka_unit_test_setup_teardown(test_kver_read, setup_root, teardown_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
