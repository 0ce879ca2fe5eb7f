// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests: src/smaps.c — header and field parsers, the streaming reader, vma predicates. */
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

#include "host/smaps.h"
#include "host/sysroot.h"
#include "tmproot.h"

/* --- smaps_parse_header ------------------------------------------------------- */

static void test_header_anon(void **state)
{
	struct vma v;

	(void)state;
	memset(&v, 0x55, sizeof(v));
	/* an unnamed anon vma: the kernel prints "ino " and then the newline */
	assert_int_equal(smaps_parse_header("7f3b5c000000-7f3b5c021000 rw-p 00000000 00:00 0 \n", &v), 0);
	assert_int_equal(v.start, 0x7f3b5c000000ULL);
	assert_int_equal(v.end, 0x7f3b5c021000ULL);
	assert_int_equal(vma_size(&v), 0x21000);
	assert_string_equal(v.perms, "rw-p");
	assert_int_equal(v.offset, 0);
	assert_int_equal(v.dev_major, 0);
	assert_int_equal(v.dev_minor, 0);
	assert_int_equal(v.inode, 0);
	assert_string_equal(v.path, "");
	/* everything else starts from zero */
	assert_int_equal(v.rss_kb, 0);
	assert_int_equal(v.locked_kb, 0);
	assert_string_equal(v.vmflags, "");
	assert_false(v.has_vmflags);
}

static void test_header_file(void **state)
{
	struct vma v;

	(void)state;
	assert_int_equal(smaps_parse_header("5652af365000-5652af36b000 r-xp 00002000 fe:00 247498"
					    "                     /usr/bin/head\n", &v), 0);
	assert_int_equal(v.start, 0x5652af365000ULL);
	assert_int_equal(v.end, 0x5652af36b000ULL);
	assert_string_equal(v.perms, "r-xp");
	assert_int_equal(v.offset, 0x2000);
	assert_int_equal(v.dev_major, 0xfe);
	assert_int_equal(v.dev_minor, 0);
	assert_int_equal(v.inode, 247498);
	assert_string_equal(v.path, "/usr/bin/head");

	/* nvme: major 259 printed in hex */
	assert_int_equal(smaps_parse_header("7f1c2e5a0000-7f1c2e5a2000 r--s 00010000 103:02 1311234"
					    "                   /var/lib/x.db", &v), 0);
	assert_int_equal(v.dev_major, 259);
	assert_int_equal(v.dev_minor, 2);
	assert_int_equal(v.offset, 0x10000);
	assert_string_equal(v.perms, "r--s");
	assert_string_equal(v.path, "/var/lib/x.db");  /* no newline at all */
}

static void test_header_path_with_spaces(void **state)
{
	struct vma v;

	(void)state;
	assert_int_equal(smaps_parse_header("7f1c2e5a0000-7f1c2e5a2000 r--p 00000000 fe:01 1311234"
					    "                    /home/user/My Documents/lib foo.so\n", &v), 0);
	assert_string_equal(v.path, "/home/user/My Documents/lib foo.so");
	assert_int_equal(v.inode, 1311234);
	assert_int_equal(v.dev_minor, 1);
}

static void test_header_special_names(void **state)
{
	struct vma v;

	(void)state;
	assert_int_equal(smaps_parse_header("55d0c8a00000-55d0c8a21000 rw-p 00000000 00:00 0"
					    "                          [heap]\n", &v), 0);
	assert_string_equal(v.path, "[heap]");

	assert_int_equal(smaps_parse_header("7ffd4c5e5000-7ffd4c606000 rw-p 00000000 00:00 0"
					    "                          [stack]\n", &v), 0);
	assert_string_equal(v.path, "[stack]");

	assert_int_equal(smaps_parse_header("ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0"
					    "                  [vsyscall]\n", &v), 0);
	assert_int_equal(v.start, 0xffffffffff600000ULL);
	assert_string_equal(v.perms, "--xp");
	assert_string_equal(v.path, "[vsyscall]");
}

static void test_header_deleted(void **state)
{
	struct vma v;

	(void)state;
	/* QEMU guest RAM on a memfd, and a hugetlbfs backing file removed after mmap */
	assert_int_equal(smaps_parse_header("7f1c00000000-7f1c40000000 rw-s 00000000 00:01 2051"
					    "                       /memfd:pc.ram (deleted)\n", &v), 0);
	assert_string_equal(v.path, "/memfd:pc.ram (deleted)");
	assert_string_equal(v.perms, "rw-s");
	assert_int_equal(vma_size(&v), 1ULL << 30);

	assert_int_equal(smaps_parse_header("7f0a00000000-7f0a40000000 rw-s 00000000 00:11 43567"
					    "                      /dev/hugepages/qemu_back_mem.pc.ram.XyZ12 (deleted)\n",
					    &v), 0);
	assert_string_equal(v.path, "/dev/hugepages/qemu_back_mem.pc.ram.XyZ12 (deleted)");
	assert_int_equal(v.dev_minor, 0x11);
}

static void test_header_vfio_device(void **state)
{
	struct vma v;

	(void)state;
	/* a BAR2 mmap: vfio-pci puts the region index at offset bit 40 */
	assert_int_equal(smaps_parse_header("7f8a40000000-7f8a41000000 rw-s 20000000000 00:0f 1057"
					    "                       anon_inode:[vfio-device]\n", &v), 0);
	assert_int_equal(v.offset, 0x20000000000ULL);
	assert_int_equal(v.dev_minor, 0xf);
	assert_int_equal(v.inode, 1057);
	assert_string_equal(v.path, "anon_inode:[vfio-device]");
	assert_true(vma_is_vfio_device(&v));
}

static void test_header_long_path_truncated(void **state)
{
	char line[1200], path[800];
	struct vma v;

	(void)state;
	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	snprintf(line, sizeof(line), "7f0000000000-7f0000001000 r--p 00000000 fe:00 12 %s\n", path);
	assert_int_equal(smaps_parse_header(line, &v), 0);
	assert_int_equal(strlen(v.path), sizeof(v.path) - 1);
	assert_int_equal(memcmp(v.path, path, sizeof(v.path) - 1), 0);
}

static void test_header_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"\n",
		"garbage\n",
		"Rss:                   8 kB\n",
		"Anonymous:             0 kB\n",        /* starts with a hex digit */
		"VmFlags: rd wr mr mw me ac sd\n",
		" 7f3b5c000000-7f3b5c021000 rw-p 00000000 00:00 0 \n",
		"7f3b5c000000 rw-p 00000000 00:00 0 \n",
		"7f3b5c000000-7f3b5c021000\n",
		"7f3b5c000000-7f3b5c021000 rw-p 00000000 00:00\n",   /* no inode */
		"7f3b5c000000-7f3b5c021000 rw-p 00000000 0000 0\n",  /* no dev colon */
		"7f3b5c000000-7f3b5c021000 rw- 00000000 00:00 0\n",  /* 3 perm chars */
		"7f3b5c000000-7f3b5c021000 rw-pp 00000000 00:00 0\n",
		"7f3b5c021000-7f3b5c000000 rw-p 00000000 00:00 0 \n", /* end < start */
		"7f3b5c000000-zz rw-p 00000000 00:00 0\n",
	};
	struct vma v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&v, 0x55, sizeof(v));
		if (smaps_parse_header(bad[i], &v) != -EINVAL)
			fail_msg("accepted malformed header #%zu: \"%s\"", i, bad[i]);
		assert_int_equal(v.start, 0x5555555555555555ULL);  /* untouched */
	}
}

/* --- smaps_parse_field -------------------------------------------------------- */

static void test_field_sizes(void **state)
{
	struct vma v;

	(void)state;
	memset(&v, 0, sizeof(v));
	assert_int_equal(smaps_parse_field("Rss:                2048 kB\n", &v), 0);
	assert_int_equal(v.rss_kb, 2048);
	assert_int_equal(smaps_parse_field("Locked:             1024 kB\n", &v), 0);
	assert_int_equal(v.locked_kb, 1024);
	assert_int_equal(smaps_parse_field("AnonHugePages:      2048 kB\n", &v), 0);
	assert_int_equal(v.anon_huge_kb, 2048);
	assert_int_equal(smaps_parse_field("Swap:                 12 kB\n", &v), 0);
	assert_int_equal(v.swap_kb, 12);
	assert_int_equal(smaps_parse_field("KernelPageSize:     2048 kB\n", &v), 0);
	assert_int_equal(v.kernel_page_kb, 2048);
	assert_int_equal(smaps_parse_field("MMUPageSize:        2048 kB\n", &v), 0);
	assert_int_equal(v.mmu_page_kb, 2048);
	/* the big one: 1 TiB of guest RAM */
	assert_int_equal(smaps_parse_field("Rss:          1073741824 kB\n", &v), 0);
	assert_int_equal(v.rss_kb, 1073741824ULL);
}

static void test_field_lookalikes_ignored(void **state)
{
	struct vma v;

	(void)state;
	memset(&v, 0, sizeof(v));
	v.rss_kb = 8;
	v.swap_kb = 4;
	assert_int_equal(smaps_parse_field("SwapPss:               4 kB\n", &v), 0);
	assert_int_equal(smaps_parse_field("Pss:                 100 kB\n", &v), 0);
	assert_int_equal(smaps_parse_field("Pss_Dirty:           100 kB\n", &v), 0);
	assert_int_equal(smaps_parse_field("Shared_Hugetlb:     2048 kB\n", &v), 0);
	assert_int_equal(smaps_parse_field("THPeligible:           1\n", &v), 0);
	assert_int_equal(smaps_parse_field("ProtectionKey:         0\n", &v), 0);
	assert_int_equal(smaps_parse_field("Size:               4096 kB\n", &v), 0);
	assert_int_equal(v.rss_kb, 8);
	assert_int_equal(v.swap_kb, 4);
	assert_int_equal(v.locked_kb, 0);
	assert_false(v.has_vmflags);
}

static void test_field_vmflags(void **state)
{
	struct vma v;

	(void)state;
	memset(&v, 0, sizeof(v));
	/* as the kernel prints it: every mnemonic followed by a space */
	assert_int_equal(smaps_parse_field("VmFlags: rd wr mr mw me ac sd \n", &v), 1);
	assert_true(v.has_vmflags);
	assert_string_equal(v.vmflags, "rd wr mr mw me ac sd");
	assert_true(vma_flag(&v, "ac"));
	assert_true(vma_flag(&v, "rd"));
	assert_true(vma_flag(&v, "sd"));
	assert_false(vma_flag(&v, "lo"));

	memset(&v, 0, sizeof(v));
	assert_int_equal(smaps_parse_field("VmFlags: rd wr sh mr mw me ms pf io de dd sd \n", &v), 1);
	assert_string_equal(v.vmflags, "rd wr sh mr mw me ms pf io de dd sd");

	/* a vma with no flags at all still ends the vma */
	memset(&v, 0, sizeof(v));
	assert_int_equal(smaps_parse_field("VmFlags: \n", &v), 1);
	assert_true(v.has_vmflags);
	assert_string_equal(v.vmflags, "");
}

static void test_field_vmflags_truncated(void **state)
{
	char line[400];
	struct vma v;
	size_t n;

	(void)state;
	strcpy(line, "VmFlags:");
	while (strlen(line) < 300)
		strcat(line, " rd wr");
	strcat(line, " \n");
	memset(&v, 0, sizeof(v));
	assert_int_equal(smaps_parse_field(line, &v), 1);
	n = strlen(v.vmflags);
	assert_int_equal(n, sizeof(v.vmflags) - 1);
	assert_int_equal(strncmp(v.vmflags, "rd wr rd wr", 11), 0);
}

/* --- vma predicates ----------------------------------------------------------- */

static struct vma mkvma(const char *path, const char *vmflags)
{
	struct vma v;

	memset(&v, 0, sizeof(v));
	v.start = 0x7f8a40000000ULL;
	v.end = 0x7f8a41000000ULL;
	snprintf(v.path, sizeof(v.path), "%s", path);
	snprintf(v.vmflags, sizeof(v.vmflags), "%s", vmflags);
	v.has_vmflags = true;
	return v;
}

static void test_vma_predicates(void **state)
{
	struct vma bar = mkvma("anon_inode:[vfio-device]", "rd wr sh mr mw me ms pf io de dd sd");
	struct vma cdev = mkvma("/dev/vfio/devices/vfio3", "rd wr sh mr mw me ms pf io de dd sd");
	struct vma io = mkvma("/dev/mem", "rd wr sh mr mw me ms io de dd sd");
	struct vma pf = mkvma("/dev/dri/card0", "rd wr sh mr mw me ms pf dd sd");
	struct vma heap = mkvma("[heap]", "rd wr mr mw me ac sd");
	struct vma huge = mkvma("/dev/hugepages/x (deleted)", "rd wr sh mr mw me ms de ht sd");
	struct vma group = mkvma("/dev/vfio/7", "rd wr sh mr mw me ms pf io de dd sd");
	struct vma noflags = mkvma("anon_inode:[vfio-device]", "");
	struct vma odd = mkvma("anon_inode:[vfio-device]x", "");
	struct vma devs = mkvma("/dev/vfio/devices", "");

	(void)state;
	assert_true(vma_is_pfnmap(&bar));
	assert_true(vma_is_pfnmap(&io));
	assert_true(vma_is_pfnmap(&pf));
	assert_false(vma_is_pfnmap(&heap));
	assert_false(vma_is_pfnmap(&huge));
	assert_false(vma_is_pfnmap(&noflags));

	assert_true(vma_is_hugetlb(&huge));
	assert_false(vma_is_hugetlb(&heap));
	assert_false(vma_is_hugetlb(&bar));

	assert_true(vma_is_vfio_device(&bar));
	assert_true(vma_is_vfio_device(&cdev));
	assert_true(vma_is_vfio_device(&noflags));
	assert_false(vma_is_vfio_device(&group));
	assert_false(vma_is_vfio_device(&io));
	assert_false(vma_is_vfio_device(&heap));
	assert_false(vma_is_vfio_device(&odd));
	assert_false(vma_is_vfio_device(&devs));

	assert_int_equal(vma_size(&bar), 16ULL << 20);
}

/* --- the streaming reader ----------------------------------------------------- */


static int setup_root(void **state)
{
	static const char *const dirs[] = { "/proc", "/proc/1234", NULL };

	(void)state;
	return tmproot_make("smaps", dirs);
}

static int teardown_root(void **state)
{
	(void)state;
	return tmproot_remove();
}

static void write_smaps(const char *text)
{
	char p[128];
	FILE *f;

	snprintf(p, sizeof(p), "%s/proc/1234/smaps", root);
	f = fopen(p, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

#define FIELDS(size, rss, anonhuge, swap, locked, kps) \
	"Size:           " size " kB\n" \
	"KernelPageSize:        " kps " kB\n" \
	"MMUPageSize:           " kps " kB\n" \
	"Rss:            " rss " kB\n" \
	"Pss:            " rss " kB\n" \
	"Pss_Dirty:      " rss " kB\n" \
	"Shared_Clean:          0 kB\n" \
	"Shared_Dirty:          0 kB\n" \
	"Private_Clean:         0 kB\n" \
	"Private_Dirty:  " rss " kB\n" \
	"Referenced:     " rss " kB\n" \
	"Anonymous:      " rss " kB\n" \
	"KSM:                   0 kB\n" \
	"LazyFree:              0 kB\n" \
	"AnonHugePages:  " anonhuge " kB\n" \
	"ShmemPmdMapped:        0 kB\n" \
	"FilePmdMapped:         0 kB\n" \
	"Shared_Hugetlb:        0 kB\n" \
	"Private_Hugetlb:       0 kB\n" \
	"Swap:           " swap " kB\n" \
	"SwapPss:        " swap " kB\n" \
	"Locked:         " locked " kB\n" \
	"THPeligible:           1\n" \
	"ProtectionKey:         0\n"

static const char smaps_text[] =
	"55d0c8a00000-55d0c8a21000 rw-p 00000000 00:00 0                          [heap]\n"
	FIELDS("132", "   100", "     0", "    12", "     0", "4")
	"VmFlags: rd wr mr mw me ac sd \n"
	"7f1c00000000-7f1c40000000 rw-s 00000000 00:01 2051                       /memfd:pc.ram (deleted)\n"
	FIELDS("1048576", "1048576", "1046528", "     0", "1048576", "4")
	"VmFlags: rd wr sh mr mw me ms lo sd hg \n"
	"7f1c50000000-7f1c50002000 r--p 00000000 fe:01 1311234                    /home/user/My Documents/lib foo.so\n"
	FIELDS("8", "     8", "     0", "     0", "     0", "4")
	"VmFlags: rd mr mw me sd \n"
	"7f8a40000000-7f8a41000000 rw-s 20000000000 00:0f 1057                    anon_inode:[vfio-device]\n"
	FIELDS("16384", "     0", "     0", "     0", "     0", "4")
	"VmFlags: rd wr sh mr mw me ms pf io de dd sd \n"
	"7ffd4c5e5000-7ffd4c606000 rw-p 00000000 00:00 0                          [stack]\n"
	FIELDS("132", "    16", "     0", "     0", "     0", "4");
	/* no VmFlags: the file ends the last vma */

static void test_reader_several_vmas(void **state)
{
	struct smaps_reader r;
	struct vma v;

	(void)state;
	write_smaps(smaps_text);
	assert_int_equal(smaps_open(&r, "1234"), 0);

	assert_int_equal(smaps_next(&r, &v), 1);
	assert_int_equal(v.start, 0x55d0c8a00000ULL);
	assert_string_equal(v.path, "[heap]");
	assert_int_equal(v.rss_kb, 100);
	assert_int_equal(v.swap_kb, 12);
	assert_int_equal(v.locked_kb, 0);
	assert_int_equal(v.kernel_page_kb, 4);
	assert_true(v.has_vmflags);
	assert_string_equal(v.vmflags, "rd wr mr mw me ac sd");

	assert_int_equal(smaps_next(&r, &v), 1);
	assert_string_equal(v.path, "/memfd:pc.ram (deleted)");
	assert_int_equal(vma_size(&v), 1ULL << 30);
	assert_int_equal(v.rss_kb, 1048576);
	assert_int_equal(v.anon_huge_kb, 1046528);
	assert_int_equal(v.locked_kb, 1048576);
	assert_int_equal(v.swap_kb, 0);  /* not carried over from the heap */
	assert_true(vma_flag(&v, "lo"));
	assert_true(vma_flag(&v, "hg"));

	assert_int_equal(smaps_next(&r, &v), 1);
	assert_string_equal(v.path, "/home/user/My Documents/lib foo.so");
	assert_string_equal(v.perms, "r--p");
	assert_int_equal(v.rss_kb, 8);
	assert_false(vma_is_pfnmap(&v));

	assert_int_equal(smaps_next(&r, &v), 1);
	assert_true(vma_is_vfio_device(&v));
	assert_true(vma_is_pfnmap(&v));
	assert_int_equal(v.offset, 0x20000000000ULL);
	assert_int_equal(v.rss_kb, 0);

	assert_int_equal(smaps_next(&r, &v), 1);
	assert_string_equal(v.path, "[stack]");
	assert_int_equal(v.rss_kb, 16);
	assert_false(v.has_vmflags);
	assert_string_equal(v.vmflags, "");

	assert_int_equal(smaps_next(&r, &v), 0);
	assert_int_equal(smaps_next(&r, &v), 0);  /* stays at the end */
	assert_int_equal(r.lineno, 4 * 26 + 25);  /* every line read once */
	smaps_close(&r);
	assert_null(r.f);
	assert_null(r.line);
}

/* Before 3.8 there was no VmFlags line: each header ends the vma before it. */
static void test_reader_no_vmflags_anywhere(void **state)
{
	struct smaps_reader r;
	struct vma v;

	(void)state;
	write_smaps("00400000-0040b000 r-xp 00000000 08:01 1048602                            /bin/cat\n"
		    "Size:                 44 kB\n"
		    "Rss:                  20 kB\n"
		    "Locked:                0 kB\n"
		    "01d5b000-01d7c000 rw-p 00000000 00:00 0                                  [heap]\n"
		    "Size:                132 kB\n"
		    "Rss:                   8 kB\n"
		    "Locked:                4 kB\n");
	assert_int_equal(smaps_open(&r, "1234"), 0);
	assert_int_equal(smaps_next(&r, &v), 1);
	assert_string_equal(v.path, "/bin/cat");
	assert_int_equal(v.start, 0x400000);
	assert_int_equal(v.rss_kb, 20);
	assert_false(v.has_vmflags);
	assert_int_equal(smaps_next(&r, &v), 1);
	assert_string_equal(v.path, "[heap]");
	assert_int_equal(v.rss_kb, 8);
	assert_int_equal(v.locked_kb, 4);
	assert_int_equal(smaps_next(&r, &v), 0);
	smaps_close(&r);
}

static void test_reader_empty_and_missing(void **state)
{
	struct smaps_reader r;
	struct vma v;

	(void)state;
	assert_int_equal(smaps_open(&r, "1234"), -ENOENT);
	assert_int_equal(smaps_open(&r, "99999"), -ENOENT);
	write_smaps("");  /* a kernel thread has no vmas */
	assert_int_equal(smaps_open(&r, "1234"), 0);
	assert_int_equal(smaps_next(&r, &v), 0);
	smaps_close(&r);
}

static void test_reader_malformed(void **state)
{
	struct smaps_reader r;
	struct vma v;

	(void)state;
	write_smaps("55d0c8a00000-55d0c8a21000 rw-p 00000000 00:00 0                          [heap]\n"
		    "Rss:                   8 kB\n"
		    "VmFlags: rd wr mr mw me ac sd \n"
		    "this is not a header\n"
		    "Rss:                   8 kB\n");
	assert_int_equal(smaps_open(&r, "1234"), 0);
	assert_int_equal(smaps_next(&r, &v), 1);
	assert_int_equal(smaps_next(&r, &v), -EBADMSG);
	smaps_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_anon),
		cmocka_unit_test(test_header_file),
		cmocka_unit_test(test_header_path_with_spaces),
		cmocka_unit_test(test_header_special_names),
		cmocka_unit_test(test_header_deleted),
		cmocka_unit_test(test_header_vfio_device),
		cmocka_unit_test(test_header_long_path_truncated),
		cmocka_unit_test(test_header_malformed),
		cmocka_unit_test(test_field_sizes),
		cmocka_unit_test(test_field_lookalikes_ignored),
		cmocka_unit_test(test_field_vmflags),
		cmocka_unit_test(test_field_vmflags_truncated),
		cmocka_unit_test(test_vma_predicates),
		cmocka_unit_test_setup_teardown(test_reader_several_vmas, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_reader_no_vmflags_anywhere, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_reader_empty_and_missing, setup_root, teardown_root),
		cmocka_unit_test_setup_teardown(test_reader_malformed, setup_root, teardown_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
