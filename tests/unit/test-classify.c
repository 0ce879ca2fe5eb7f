// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests: src/classify.c — class precedence, ties, sums, names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "model/classify.h"
#include "host/kpageflags.h"

/* Flag sets as a 6.x kernel reports them for mapped pages (page-types -r). */
#define F_ANON   (KPF(ANON) | KPF(MMAP) | KPF(LRU) | KPF(UPTODATE) | KPF(SWAPBACKED) | \
		  KPF(ACTIVE) | KPF(REFERENCED))
#define F_FILE   (KPF(MMAP) | KPF(LRU) | KPF(UPTODATE) | KPF(REFERENCED) | KPF(MAPPEDTODISK))
#define F_SHMEM  (KPF(MMAP) | KPF(LRU) | KPF(UPTODATE) | KPF(SWAPBACKED))
#define F_THP_HEAD (KPF(THP) | KPF(COMPOUND_HEAD) | KPF(ANON) | KPF(MMAP) | KPF(LRU) | \
		    KPF(UPTODATE) | KPF(SWAPBACKED))
#define F_THP_TAIL (KPF(THP) | KPF(COMPOUND_TAIL) | KPF(ANON) | KPF(MMAP) | KPF(LRU) | \
		    KPF(UPTODATE) | KPF(SWAPBACKED))
#define F_HUGE_HEAD (KPF(HUGE) | KPF(COMPOUND_HEAD) | KPF(ANON) | KPF(MMAP) | KPF(UPTODATE))
#define F_HUGE_TAIL (KPF(HUGE) | KPF(COMPOUND_TAIL) | KPF(ANON) | KPF(MMAP) | KPF(UPTODATE))
#define F_ZERO   (KPF(ZERO_PAGE) | KPF(RESERVED))

/* --- classify_flags: every class --------------------------------------------- */

static void test_flags_every_class(void **state)
{
	(void)state;
	assert_int_equal(classify_flags(F_ANON), PC_ANON);
	assert_int_equal(classify_flags(F_ANON | KPF(KSM)), PC_ANON);
	assert_int_equal(classify_flags(F_FILE), PC_FILE);
	assert_int_equal(classify_flags(F_SHMEM), PC_FILE);
	assert_int_equal(classify_flags(KPF(MAPPEDTODISK)), PC_FILE);  /* any non-zero rest */
	assert_int_equal(classify_flags(F_THP_HEAD), PC_THP);
	assert_int_equal(classify_flags(F_THP_TAIL), PC_THP);
	assert_int_equal(classify_flags(F_HUGE_HEAD), PC_HUGETLB);
	assert_int_equal(classify_flags(F_HUGE_TAIL), PC_HUGETLB);
	assert_int_equal(classify_flags(F_ZERO), PC_ZERO);
	assert_int_equal(classify_flags(KPF(ZERO_PAGE)), PC_ZERO);
	assert_int_equal(classify_flags(KPF(RESERVED)), PC_RESERVED);
	assert_int_equal(classify_flags(KPF(RESERVED) | KPF(MMAP)), PC_RESERVED);
	assert_int_equal(classify_flags(KPF(NOPAGE)), PC_INVALID);
}

static void test_flags_zero_is_invalid(void **state)
{
	(void)state;
	/* 6.18's kpage_read() reports 0 for a pfn without memmap. */
	assert_int_equal(classify_flags(0), PC_INVALID);
	/* but a single bit already makes it a page */
	assert_int_equal(classify_flags(KPF(LOCKED)), PC_FILE);
}

/* --- classify_flags: ties, first match wins ----------------------------------- */

static void test_flags_nopage_beats_everything(void **state)
{
	static const uint64_t others[] = {
		F_ZERO, KPF(RESERVED), F_HUGE_HEAD, F_THP_HEAD, F_ANON, F_FILE,
		KPF(ZERO_PAGE) | KPF(THP) | KPF(COMPOUND_HEAD),
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		assert_int_equal(classify_flags(others[i] | KPF(NOPAGE)), PC_INVALID);
}

static void test_flags_zero_beats_reserved_and_thp(void **state)
{
	(void)state;
	/* x86's empty_zero_page is PG_reserved. */
	assert_int_equal(classify_flags(KPF(ZERO_PAGE) | KPF(RESERVED)), PC_ZERO);
	/* the huge zero page reports ZERO_PAGE|THP */
	assert_int_equal(classify_flags(KPF(ZERO_PAGE) | KPF(THP) | KPF(COMPOUND_HEAD)), PC_ZERO);
	assert_int_equal(classify_flags(KPF(ZERO_PAGE) | KPF(THP) | KPF(COMPOUND_TAIL)), PC_ZERO);
	assert_int_equal(classify_flags(KPF(ZERO_PAGE) | KPF(HUGE)), PC_ZERO);
	assert_int_equal(classify_flags(KPF(ZERO_PAGE) | KPF(ANON)), PC_ZERO);
}

static void test_flags_reserved_beats_huge_thp_anon(void **state)
{
	(void)state;
	assert_int_equal(classify_flags(KPF(RESERVED) | F_HUGE_HEAD), PC_RESERVED);
	assert_int_equal(classify_flags(KPF(RESERVED) | F_THP_HEAD), PC_RESERVED);
	assert_int_equal(classify_flags(KPF(RESERVED) | F_ANON), PC_RESERVED);
	assert_int_equal(classify_flags(KPF(RESERVED) | F_FILE), PC_RESERVED);
}

static void test_flags_hugetlb_beats_thp_anon(void **state)
{
	(void)state;
	assert_int_equal(classify_flags(KPF(HUGE) | KPF(THP)), PC_HUGETLB);
	assert_int_equal(classify_flags(F_HUGE_HEAD | KPF(ANON)), PC_HUGETLB);
	assert_int_equal(classify_flags(KPF(HUGE) | F_FILE), PC_HUGETLB);
}

static void test_flags_thp_beats_anon(void **state)
{
	(void)state;
	assert_int_equal(classify_flags(F_THP_HEAD), PC_THP);  /* has ANON too */
	/* a file THP (page cache, no ANON) is still thp */
	assert_int_equal(classify_flags(KPF(THP) | KPF(COMPOUND_HEAD) | F_FILE), PC_THP);
	/* a compound page with neither THP nor HUGE is classed by anon-ness */
	assert_int_equal(classify_flags(KPF(COMPOUND_HEAD) | F_ANON), PC_ANON);
	assert_int_equal(classify_flags(KPF(COMPOUND_TAIL) | F_FILE), PC_FILE);
}

/* --- classify_page: what we could observe ------------------------------------- */

static enum page_class obs(bool vis, bool known, bool entry, uint64_t flags)
{
	struct page_obs o = { .pfn_visible = vis, .flags_known = known,
			      .has_entry = entry, .flags = flags };

	return classify_page(&o);
}

static void test_page_hidden_pfn_is_unknown_never_invalid(void **state)
{
	(void)state;
	/* pagemap hid the pfn (no CAP_SYS_ADMIN): unknown, whatever else we think */
	assert_int_equal(obs(false, true, true, F_ANON), PC_UNKNOWN);
	assert_int_equal(obs(false, true, false, 0), PC_UNKNOWN);
	assert_int_equal(obs(false, true, true, KPF(NOPAGE)), PC_UNKNOWN);
	assert_int_equal(obs(false, true, true, 0), PC_UNKNOWN);
	assert_int_equal(obs(false, false, false, 0), PC_UNKNOWN);
}

static void test_page_flags_unreadable_is_unknown(void **state)
{
	(void)state;
	assert_int_equal(obs(true, false, false, 0), PC_UNKNOWN);
	assert_int_equal(obs(true, false, true, F_ANON), PC_UNKNOWN);
	assert_int_equal(obs(true, false, true, KPF(NOPAGE)), PC_UNKNOWN);
}

static void test_page_eof_is_invalid(void **state)
{
	(void)state;
	/* kpageflags ended before this pfn: no struct page (e.g. a BAR pfn) */
	assert_int_equal(obs(true, true, false, 0), PC_INVALID);
	/* stale flags are ignored when there was no entry */
	assert_int_equal(obs(true, true, false, F_ANON), PC_INVALID);
	assert_int_equal(obs(true, true, false, F_ZERO), PC_INVALID);
}

static void test_page_with_entry_uses_flags(void **state)
{
	(void)state;
	assert_int_equal(obs(true, true, true, F_ANON), PC_ANON);
	assert_int_equal(obs(true, true, true, F_FILE), PC_FILE);
	assert_int_equal(obs(true, true, true, F_THP_TAIL), PC_THP);
	assert_int_equal(obs(true, true, true, F_HUGE_HEAD), PC_HUGETLB);
	assert_int_equal(obs(true, true, true, F_ZERO), PC_ZERO);
	assert_int_equal(obs(true, true, true, KPF(RESERVED)), PC_RESERVED);
	assert_int_equal(obs(true, true, true, KPF(NOPAGE)), PC_INVALID);
	assert_int_equal(obs(true, true, true, 0), PC_INVALID);
}

/* --- sums --------------------------------------------------------------------- */

static void fill(struct class_bytes *cb, uint64_t base)
{
	int i;

	memset(cb, 0, sizeof(*cb));
	for (i = 0; i < PC_NR; i++)
		cb->bytes[i] = base << i;  /* distinct bits per class */
	cb->pfnmap = base * 1000;
	cb->mapped = base * 3000;
	cb->swapped = base * 5000;
}

static void test_class_present(void **state)
{
	struct class_bytes cb;

	(void)state;
	memset(&cb, 0, sizeof(cb));
	assert_int_equal(class_present(&cb), 0);
	fill(&cb, 4096);
	/* every class counts, pfnmap/mapped/swapped do not */
	assert_int_equal(class_present(&cb), 4096ULL * 0x1ff);
	cb.pfnmap = cb.mapped = cb.swapped = 0;
	assert_int_equal(class_present(&cb), 4096ULL * 0x1ff);
}

static void test_class_chargeable(void **state)
{
	struct class_bytes cb;

	(void)state;
	fill(&cb, 4096);
	/* hugetlb + thp + anon + file; never unknown, invalid, zero, reserved */
	assert_int_equal(class_chargeable(&cb),
			 4096ULL * ((1 << PC_HUGETLB) | (1 << PC_THP) | (1 << PC_ANON) | (1 << PC_FILE)));
	memset(&cb, 0, sizeof(cb));
	cb.bytes[PC_UNKNOWN] = 1 << 20;
	cb.bytes[PC_INVALID] = 2 << 20;
	cb.bytes[PC_ZERO] = 3 << 20;
	cb.bytes[PC_RESERVED] = 4 << 20;
	cb.pfnmap = 5 << 20;
	assert_int_equal(class_chargeable(&cb), 0);
	cb.bytes[PC_FILE] = 4096;
	assert_int_equal(class_chargeable(&cb), 4096);
}

static void test_class_add(void **state)
{
	struct class_bytes a, b;
	int i;

	(void)state;
	fill(&a, 4096);
	fill(&b, 1);
	class_add(&a, &b);
	for (i = 0; i < PC_NR; i++)
		assert_int_equal(a.bytes[i], (4096ULL << i) + (1ULL << i));
	assert_int_equal(a.pfnmap, 4096ULL * 1000 + 1000);
	assert_int_equal(a.mapped, 4096ULL * 3000 + 3000);
	assert_int_equal(a.swapped, 4096ULL * 5000 + 5000);
	/* src untouched */
	assert_int_equal(b.bytes[PC_FILE], 1ULL << PC_FILE);
	assert_int_equal(b.swapped, 5000);
}

/* --- names -------------------------------------------------------------------- */

static void test_class_names(void **state)
{
	static const char *const want[PC_NR] = {
		"unknown", "invalid", "zero", "reserved", "hugetlb", "thp", "anon", "file", "device",
	};
	int i;

	(void)state;
	for (i = 0; i < PC_NR; i++) {
		assert_string_equal(class_name((enum page_class)i), want[i]);
		assert_int_equal(class_from_name(want[i]), i);
		assert_int_equal(class_from_name(class_name((enum page_class)i)), i);
	}
	assert_string_equal(class_name(PC_NR), "?");
	assert_string_equal(class_name((enum page_class)-1), "?");
	assert_int_equal(class_from_name("?"), -1);
	assert_int_equal(class_from_name(""), -1);
	assert_int_equal(class_from_name("ANON"), -1);
	assert_int_equal(class_from_name("anon "), -1);
	assert_int_equal(class_from_name("huge"), -1);
}

/* --- ZONE_DEVICE and the huge zero page ----------------------------------------- */

static void test_device_needs_the_vma(void **state)
{
	struct class_bytes cb;

	(void)state;
	/* kpageflags alone: NOPAGE (legacy pmem below max_pfn) and EOF (NVDIMM above 4G) read invalid */
	assert_int_equal(classify_flags(KPF(NOPAGE)), PC_INVALID);
	memset(&cb, 0, sizeof(cb));
	cb.bytes[PC_INVALID] = 3 << 20;
	cb.bytes[PC_RESERVED] = 1 << 20;
	cb.bytes[PC_ANON] = 4096;
	class_mark_device(&cb);
	assert_int_equal(cb.bytes[PC_DEVICE], 4 << 20);
	assert_int_equal(cb.bytes[PC_INVALID], 0);
	assert_int_equal(cb.bytes[PC_RESERVED], 0);
	assert_int_equal(cb.bytes[PC_ANON], 4096);
	/* device memory is never chargeable by type1 (PG_reserved) */
	assert_int_equal(class_chargeable(&cb), 4096);
}

static void test_devdax_path(void **state)
{
	(void)state;
	assert_true(path_is_devdax("/dev/dax0.0"));
	assert_true(path_is_devdax("/dev/dax12.3"));
	assert_false(path_is_devdax("/dev/dax0"));
	assert_false(path_is_devdax("/dev/dax0.0 (deleted)"));
	assert_false(path_is_devdax("/dev/daxctl"));
	assert_false(path_is_devdax("/mnt/dev/dax0.0"));
	assert_false(path_is_devdax(""));
}

static void test_mount_opts_dax(void **state)
{
	(void)state;
	assert_true(mount_opts_dax("rw,relatime,dax"));
	assert_true(mount_opts_dax("dax"));
	assert_true(mount_opts_dax("rw,dax=always,noatime"));
	assert_false(mount_opts_dax("rw,dax=inode"));
	assert_false(mount_opts_dax("rw,dax=never"));
	assert_false(mount_opts_dax("rw,daxfoo,relatime"));
	assert_false(mount_opts_dax("rw,relatime"));
	assert_false(mount_opts_dax(""));
}

static void test_huge_zero(void **state)
{
	(void)state;
	/* measured on 6.1: COMPOUND_HEAD/TAIL, THP, ZERO_PAGE, no RESERVED */
	assert_true(page_is_huge_zero(KPF(ZERO_PAGE) | KPF(THP) | KPF(COMPOUND_TAIL)));
	assert_int_equal(classify_flags(KPF(ZERO_PAGE) | KPF(THP) | KPF(COMPOUND_HEAD)), PC_ZERO);
	assert_false(page_is_huge_zero(KPF(ZERO_PAGE) | KPF(RESERVED)));
	assert_false(page_is_huge_zero(KPF(THP) | KPF(ANON)));
}

static void test_ksm_flag_is_not_a_class(void **state)
{
	(void)state;
	/* 6.12 sets KPF_KSM on every anon page: it must not change the class */
	assert_int_equal(classify_flags(KPF(ANON) | KPF(KSM) | KPF(MMAP)), PC_ANON);
	assert_int_equal(classify_flags(KPF(ANON) | KPF(MMAP)), PC_ANON);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flags_every_class),
		cmocka_unit_test(test_flags_zero_is_invalid),
		cmocka_unit_test(test_flags_nopage_beats_everything),
		cmocka_unit_test(test_flags_zero_beats_reserved_and_thp),
		cmocka_unit_test(test_flags_reserved_beats_huge_thp_anon),
		cmocka_unit_test(test_flags_hugetlb_beats_thp_anon),
		cmocka_unit_test(test_flags_thp_beats_anon),
		cmocka_unit_test(test_page_hidden_pfn_is_unknown_never_invalid),
		cmocka_unit_test(test_page_flags_unreadable_is_unknown),
		cmocka_unit_test(test_page_eof_is_invalid),
		cmocka_unit_test(test_page_with_entry_uses_flags),
		cmocka_unit_test(test_class_present),
		cmocka_unit_test(test_class_chargeable),
		cmocka_unit_test(test_class_add),
		cmocka_unit_test(test_class_names),
		cmocka_unit_test(test_device_needs_the_vma),
		cmocka_unit_test(test_devdax_path),
		cmocka_unit_test(test_mount_opts_dax),
		cmocka_unit_test(test_huge_zero),
		cmocka_unit_test(test_ksm_flag_is_not_a_class),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
