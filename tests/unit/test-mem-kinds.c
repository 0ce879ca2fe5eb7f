// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host test in cmocka form: src/map/mem-kinds.c on the real running kernel,
 * no VFIO needed.  For every taxonomy type, the test looks at the host
 * itself (device nodes, sysfs, TMPDIR's filesystem) and asserts: where the
 * kind exists, mem_alloc makes it and the mapping is what the name says
 * (smaps VmFlags, pagemap, the zero page's pfn repeated); where it does
 * not, the probe refuses with exit 9 and one line naming what is missing.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/error.h"
#include "map/mem.h"

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static bool file_has(const char *path, const char *word)
{
	char buf[256] = "";
	FILE *f = fopen(path, "r");
	bool yes;

	if (!f)
		return false;
	yes = fgets(buf, sizeof(buf), f) && strstr(buf, word);
	fclose(f);
	return yes;
}

/* The VmFlags line of the vma at addr in /proc/self/smaps. */
static void vmflags_of(const void *addr, char *out, size_t size)
{
	char line[512];
	unsigned long a = (unsigned long)addr, s, e;
	bool in = false;
	FILE *f = fopen("/proc/self/smaps", "r");

	out[0] = '\0';
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &s, &e) == 2 && strchr(line, '-') < strchr(line, ' '))
			in = a >= s && a < e;
		else if (in && !strncmp(line, "VmFlags:", 8)) {
			strncpy(out, line + 8, size - 1);
			out[size - 1] = 0;
			break;
		}
	}
	fclose(f);
}

static bool vmflag(const void *addr, const char *fl)
{
	char v[512], want[8];

	vmflags_of(addr, v, sizeof(v));
	snprintf(want, sizeof(want), " %s ", fl);
	return strstr(v, want) != NULL;
}

/* Present pages of the region, and distinct pfns (root sees pfns). */
static void census(const struct mem_region *r, size_t *present, size_t *distinct)
{
	size_t n = r->size / 4096, i, j;
	uint64_t *e = calloc(n, 8);
	int fd = open("/proc/self/pagemap", O_RDONLY);

	assert_non_null(e);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, e, n * 8, (off_t)((uintptr_t)r->addr / 4096 * 8)), (ssize_t)(n * 8));
	close(fd);
	*present = *distinct = 0;
	for (i = 0; i < n; i++) {
		if (!(e[i] >> 63))
			continue;
		(*present)++;
		for (j = 0; j < i; j++)
			if ((e[j] >> 63) && (e[j] & ((1ULL << 55) - 1)) == (e[i] & ((1ULL << 55) - 1)))
				break;
		*distinct += j == i;
	}
	free(e);
}

static int try_alloc(enum mem_type t, uint64_t size, struct mem_region *r)
{
	struct mem_spec s = { .type = t, .bar = -1 };
	int rc;

	snprintf(s.text, sizeof(s.text), "%s", mem_type_name(t));
	err_clear();
	rc = mem_probe(&s, size);
	if (rc)
		return rc;
	return mem_alloc(r, &s, size, NULL, NULL);
}

/* The kind is missing here: exit 9, one line that names it. */
static void assert_missing(enum mem_type t, const char *names)
{
	struct mem_region r;
	int rc = try_alloc(t, mem_default_size(t), &r);

	assert_true(rc < 0);
	assert_int_equal(err_exit_code(), VP_EXIT_RESOURCE);
	assert_non_null(strstr(err_message(), names));
	assert_null(strchr(err_message(), '\n'));
}

static void test_hugezero(void **state)
{
	struct mem_region r;
	size_t present, distinct;

	(void)state;
	if (file_has("/sys/kernel/mm/transparent_hugepage/enabled", "[never]") ||
	    !exists("/sys/kernel/mm/transparent_hugepage/enabled")) {
		assert_missing(MT_HUGEZERO, "transparent huge pages");
		return;
	}
	assert_int_equal(try_alloc(MT_HUGEZERO, 4 << 20, &r), 0);
	assert_false(r.writable);
	assert_int_equal((uintptr_t)r.addr & ((2 << 20) - 1), 0);
	census(&r, &present, &distinct);
	assert_int_equal(present, 1024);
	/* the huge zero folio: 512 pfns, the same for every 2M (as root; pfns hidden otherwise) */
	if (geteuid() == 0 && file_has("/sys/kernel/mm/transparent_hugepage/use_zero_page", "1"))
		assert_int_equal(distinct, 512);
	mem_free(&r);
}

static void test_private(void **state)
{
	struct mem_region r;
	size_t present, distinct;

	(void)state;
	assert_int_equal(try_alloc(MT_PRIVATE, 1 << 20, &r), 0);
	assert_true(r.cow);
	census(&r, &present, &distinct);
	assert_int_equal(present, 256);
	/* MAP_PRIVATE, and the ptes map the memfd's page cache (no COW happened: only read) */
	assert_false(vmflag(r.addr, "sh"));
	assert_int_equal(mem_default_flags(MT_PRIVATE), BE_MAP_READ);
	mem_free(&r);
}

static bool tmpdir_block_backed(void)
{
	const char *d = getenv("TMPDIR");
	struct statfs sf;
	struct stat st;

	if (!d || !*d)
		d = "/tmp";
	return !stat(d, &st) && !statfs(d, &sf) && major(st.st_dev) && sf.f_type != 0x01021994;
}

static void test_writeback(void **state)
{
	struct mem_region r;
	size_t present, distinct;

	(void)state;
	if (!tmpdir_block_backed()) {
		assert_missing(MT_WRITEBACK, "block-device-backed");
		return;
	}
	assert_int_equal(try_alloc(MT_WRITEBACK, 1 << 20, &r), 0);
	assert_true(r.file_dirty_tracked);
	assert_true(vmflag(r.addr, "sh"));
	census(&r, &present, &distinct);
	assert_int_equal(present, 256);
	mem_free(&r);
}

static void test_fsdax(void **state)
{
	(void)state;
	/* This test runs with TMPDIR wherever make check puts it: a dax mount only in the guests. */
	if (!exists("/dev/pmem0"))
		assert_missing(MT_FSDAX, "dax mount");
}

static void test_secretmem(void **state)
{
	struct mem_region r;
	size_t present, distinct;

	(void)state;
	if (file_has("/sys/module/secretmem/parameters/enable", "N")) {
		assert_missing(MT_SECRETMEM, "secretmem.enable=1");
		return;
	}
	assert_int_equal(try_alloc(MT_SECRETMEM, 1 << 20, &r), 0);
	assert_int_equal(r.backing, MB_SECRETMEM);
	census(&r, &present, &distinct);
	assert_int_equal(present, 256);
	mem_free(&r);
}

static void test_devices(void **state)
{
	struct mem_region r;

	(void)state;
	if (!exists("/dev/udmabuf"))
		assert_missing(MT_UDMABUF, "/dev/udmabuf");
	if (!exists("/dev/dma_heap/system"))
		assert_missing(MT_DMAHEAP, "/dev/dma_heap/system");
	if (!exists("/sys/module/vgem"))
		assert_missing(MT_VGEM, "modprobe vgem");
	if (!exists("/dev/dax0.0") && !exists("/sys/bus/dax/devices/dax0.0"))
		assert_missing(MT_DEVDAX, "device-dax");
	if (!exists("/dev/mem")) {
		assert_missing(MT_DEVMEM, "/dev/mem");
	} else if (geteuid() == 0 && try_alloc(MT_DEVMEM, 64 << 10, &r) == 0) {
		assert_true(vmflag(r.addr, "pf"));
		assert_int_equal(r.bar_phys, 0xF0000);
		mem_free(&r);
	}
	if (!file_has("/sys/kernel/mm/ksm/run", "1"))
		assert_missing(MT_KSM, "/sys/kernel/mm/ksm/run");
	if (exists("/dev/dma_heap/system") && try_alloc(MT_DMAHEAP, 1 << 20, &r) == 0) {
		assert_true(vmflag(r.addr, "pf"));
		mem_free(&r);
	}
}

static void test_devmem_size(void **state)
{
	struct mem_spec s = { .type = MT_DEVMEM, .bar = -1, .text = "devmem:2M" };

	(void)state;
	err_clear();
	assert_int_equal(mem_probe(&s, 2 << 20), -EINVAL);
	assert_int_equal(err_exit_code(), VP_EXIT_USAGE);
	assert_int_equal(mem_default_size(MT_DEVMEM), 64 << 10);
	assert_int_equal(mem_page_size(MT_DEVDAX), 2 << 20);
	assert_int_equal(mem_page_size(MT_HUGEZERO), 2 << 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hugezero),
		cmocka_unit_test(test_private),
		cmocka_unit_test(test_writeback),
		cmocka_unit_test(test_fsdax),
		cmocka_unit_test(test_secretmem),
		cmocka_unit_test(test_devices),
		cmocka_unit_test(test_devmem_size),
	};

	return cmocka_run_group_tests_name("mem-kinds", tests, NULL, NULL);
}
