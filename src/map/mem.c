// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/magic.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "lib/error.h"
#include "map/mem.h"
#include "host/kernel.h"
#include "map/mem-kinds.h"
#include "host/sysroot.h"
#include "lib/util.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB (21 << MAP_HUGE_SHIFT)
#endif
#ifndef MAP_HUGE_1GB
#define MAP_HUGE_1GB (30 << MAP_HUGE_SHIFT)
#endif

#define SZ_2M (2ULL << 20)
#define SZ_1G (1ULL << 30)

static const char *const names[MT_NR] = {
	[MT_ANON] = "anon", [MT_THP] = "thp", [MT_HUGETLB] = "hugetlb",
	[MT_HUGETLB1G] = "hugetlb1g", [MT_ZERO] = "zero", [MT_FILE] = "file",
	[MT_MLOCK] = "mlock", [MT_BAR] = "bar",
	[MT_HUGEZERO] = "hugezero", [MT_DEVDAX] = "devdax", [MT_FSDAX] = "fsdax",
	[MT_VGEM] = "vgem", [MT_UDMABUF] = "udmabuf", [MT_DMAHEAP] = "dmaheap",
	[MT_DEVMEM] = "devmem", [MT_KSM] = "ksm", [MT_PRIVATE] = "private",
	[MT_WRITEBACK] = "writeback", [MT_SECRETMEM] = "secretmem",
};

const char *mem_type_name(enum mem_type t)
{
	return (unsigned)t < MT_NR ? names[t] : "?";
}

void mem_spec_name(const struct mem_spec *s, int bar, char *buf, size_t size)
{
	if (s->type == MT_BAR && bar >= 0)
		snprintf(buf, size, "bar%d", bar);
	else
		snprintf(buf, size, "%s", mem_type_name(s->type));
}

unsigned mem_default_flags(enum mem_type t)
{
	/*
	 * The zero page only stays the zero page under a READ-only map; a
	 * MAP_PRIVATE page-cache page only stays itself (on 6.1) under one;
	 * /dev/mem is mapped read-only.
	 */
	switch (t) {
	case MT_ZERO:
	case MT_HUGEZERO:
	case MT_PRIVATE:
	case MT_DEVMEM:
		return BE_MAP_READ;
	default:
		return BE_MAP_READ | BE_MAP_WRITE;
	}
}

uint64_t mem_page_size(enum mem_type t)
{
	/* hugezero is whole huge zero PMDs; device-dax faults in its 2M alignment (ndctl -a 2M). */
	if (t == MT_HUGETLB || t == MT_HUGEZERO || t == MT_DEVDAX)
		return SZ_2M;
	if (t == MT_HUGETLB1G)
		return SZ_1G;
	return PAGE_4K;
}

uint64_t mem_default_size(enum mem_type t)
{
	switch (t) {
	case MT_HUGETLB: return SZ_2M;      /* one huge page */
	case MT_HUGETLB1G: return SZ_1G;
	case MT_BAR: return 0;              /* the whole BAR */
	case MT_DEVMEM: return 64ULL << 10; /* the BIOS area 0xF0000-0xFFFFF */
	default: return 4ULL << 20;
	}
}

static int parse_type(const char *name, size_t n, struct mem_spec *s)
{
	int i;

	s->bar = -1;
	if (n > 3 && !strncmp(name, "bar", 3)) {
		if (n != 4 || name[3] < '0' || name[3] > '5')
			return -EINVAL;
		s->type = MT_BAR;
		s->bar = name[3] - '0';
		return 0;
	}
	for (i = 0; i < MT_NR; i++)
		if (strlen(names[i]) == n && !strncmp(names[i], name, n)) {
			s->type = i;
			return 0;
		}
	return -EINVAL;
}

int mem_spec_parse(const char *arg, struct mem_spec *s)
{
	char buf[64], *at, *p, *part;
	int field = 0;

	memset(s, 0, sizeof(*s));
	if (strlen(arg) >= sizeof(buf))
		goto bad;
	str_copy(s->text, sizeof(s->text), arg);
	str_copy(buf, sizeof(buf), arg);
	at = strchr(buf, '@');
	if (at) {
		*at++ = '\0';
		if (parse_u64(at, &s->iova))
			goto bad;
		s->iova_set = true;
	}
	for (p = buf; (part = strsep(&p, ":")); field++) {
		if (field == 0) {
			if (parse_type(part, strlen(part), s))
				goto bad_type;
		} else if (!strcmp(part, "ro")) {
			s->flags = BE_MAP_READ;
		} else if (!strcmp(part, "rw")) {
			s->flags = BE_MAP_READ | BE_MAP_WRITE;
		} else if (field == 1 && !parse_size(part, &s->size) && s->size) {
			continue;
		} else {
			goto bad;
		}
	}
	return 0;
bad_type:
	err_set(VP_EXIT_USAGE, "unknown memory type in '%s'; types: anon thp hugetlb hugetlb1g zero file mlock bar bar0..bar5 hugezero devdax fsdax vgem udmabuf dmaheap devmem ksm private writeback secretmem", arg);
	return -EINVAL;
bad:
	err_set(VP_EXIT_USAGE, "bad --type '%s'; the form is TYPE[:SIZE][:ro|:rw][@IOVA], e.g. anon:4M or zero:1M:ro", arg);
	return -EINVAL;
}

/* --- huge pages ----------------------------------------------------------- */

static const char *hp_dir(enum mem_type t)
{
	return t == MT_HUGETLB1G ? "/sys/kernel/mm/hugepages/hugepages-1048576kB"
				 : "/sys/kernel/mm/hugepages/hugepages-2048kB";
}

static long hp_read(enum mem_type t, const char *file)
{
	char path[128];
	uint64_t v;

	snprintf(path, sizeof(path), "%s/%s", hp_dir(t), file);
	return sr_read_u64(path, &v) ? -1 : (long)v;
}

void hugepages_free(long out[2])
{
	out[0] = hp_read(MT_HUGETLB, "free_hugepages");
	out[1] = hp_read(MT_HUGETLB1G, "free_hugepages");
}

/* MAP_HUGETLB reserves at mmap time: ENOMEM there means too few free huge pages. */
static int hugetlb_error(enum mem_type t, uint64_t size, int rc)
{
	uint64_t psz = mem_page_size(t);
	unsigned long need = (unsigned long)(size / psz);
	long nr = hp_read(t, "nr_hugepages"), fr = hp_read(t, "free_hugepages"),
	     rs = hp_read(t, "resv_hugepages"), avail, want;

	if (nr < 0) {
		err_set(VP_EXIT_RESOURCE, "this kernel/CPU offers no %s huge pages (%s is missing)",
			t == MT_HUGETLB1G ? "1G" : "2M", hp_dir(t));
		return rc;
	}
	if (rc != -ENOMEM) {
		err_set(VP_EXIT_RESOURCE, "cannot map %lu %s huge page(s): %s", need,
			t == MT_HUGETLB1G ? "1G" : "2M", strerror(-rc));
		return rc;
	}
	/* Free but reserved pages belong to other mappings already. */
	avail = fr - rs > 0 ? fr - rs : 0;
	want = nr + (long)need - avail;
	if (t == MT_HUGETLB1G)
		err_set(VP_EXIT_RESOURCE, "no hugepages reserved: need %lu free 1G huge page(s), have %ld (nr_hugepages %ld, reserved %ld); boot with hugepagesz=1G hugepages=%ld, or write %ld to %s/nr_hugepages",
			need, avail, nr, rs, want, want, hp_dir(t));
	else
		err_set(VP_EXIT_RESOURCE, "no hugepages reserved: need %lu free 2M huge page(s), have %ld (vm.nr_hugepages=%ld, reserved %ld); run `sysctl vm.nr_hugepages=%ld`",
			need, avail, nr, rs, want);
	return rc;
}

/* --- allocators ----------------------------------------------------------- */

static void touch_write(void *addr, uint64_t size)
{
	volatile char *p = addr;
	uint64_t off;

	for (off = 0; off < size; off += PAGE_4K)
		p[off] = 1;
}

static void touch_read(const void *addr, uint64_t size)
{
	const volatile char *p = addr;
	uint64_t off;
	char sink = 0;

	for (off = 0; off < size; off += PAGE_4K)
		sink ^= p[off];
	(void)sink;
}

static int anon_map(struct mem_region *r, uint64_t size, int prot, int extra_flags)
{
	void *p = mmap(NULL, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | extra_flags, -1, 0);

	if (p == MAP_FAILED)
		return -errno;
	r->addr = r->map_base = p;
	r->map_len = size;
	return 0;
}

static int alloc_anon(struct mem_region *r, uint64_t size, bool lock)
{
	struct rlimit rl;
	int rc = anon_map(r, size, PROT_READ | PROT_WRITE, 0);

	if (rc)
		goto fail;
	/* THP is "always" on Debian: keep this range at 4K pages. */
	madvise(r->addr, size, MADV_NOHUGEPAGE);
	touch_write(r->addr, size);
	/* The raw syscall: sanitizer runtimes turn mlock() into a no-op. */
	if (lock && syscall(SYS_mlock, r->addr, (size_t)size)) {
		rc = -errno;
		getrlimit(RLIMIT_MEMLOCK, &rl);
		if (rl.rlim_cur == RLIM_INFINITY)
			err_set(VP_EXIT_RESOURCE, "mlock of %" PRIu64 " bytes failed: %s", size, strerror(-rc));
		else
			err_set(VP_EXIT_RESOURCE, "mlock of %" PRIu64 " KiB failed (%s): RLIMIT_MEMLOCK is %llu KiB without CAP_IPC_LOCK; raise --memlock",
				size >> 10, errno_name(rc), (unsigned long long)rl.rlim_cur >> 10);
		return rc;
	}
	return 0;
fail:
	err_set(VP_EXIT_RESOURCE, "cannot allocate %" PRIu64 " KiB of anonymous memory: %s", size >> 10, strerror(-rc));
	return rc;
}

static int alloc_thp(struct mem_region *r, uint64_t size)
{
	uint64_t base;
	int rc = anon_map(r, size + SZ_2M, PROT_READ | PROT_WRITE, 0);

	if (rc) {
		err_set(VP_EXIT_RESOURCE, "cannot allocate %" PRIu64 " KiB for THP: %s", size >> 10, strerror(-rc));
		return rc;
	}
	/* A PMD-mapped THP needs a 2M-aligned virtual address. */
	base = ((uint64_t)(uintptr_t)r->map_base + SZ_2M - 1) & ~(SZ_2M - 1);
	r->addr = (void *)(uintptr_t)base;
	if (madvise(r->addr, size, MADV_HUGEPAGE)) {
		rc = -errno;
		err_set(VP_EXIT_RESOURCE, "madvise(MADV_HUGEPAGE) failed: %s; is CONFIG_TRANSPARENT_HUGEPAGE off?", strerror(-rc));
		return rc;
	}
	touch_write(r->addr, size);
	return 0;
}

static int alloc_hugetlb(struct mem_region *r, enum mem_type t, uint64_t size)
{
	int rc = anon_map(r, size, PROT_READ | PROT_WRITE,
			  MAP_HUGETLB | (t == MT_HUGETLB1G ? MAP_HUGE_1GB : MAP_HUGE_2MB));

	if (rc)
		return hugetlb_error(t, size, rc);
	touch_write(r->addr, size);
	return 0;
}

static int alloc_zero(struct mem_region *r, uint64_t size)
{
	int rc = anon_map(r, size, PROT_READ, 0);

	if (rc) {
		err_set(VP_EXIT_RESOURCE, "cannot map %" PRIu64 " KiB: %s", size >> 10, strerror(-rc));
		return rc;
	}
	/*
	 * 4K only: a THP-eligible range would read-fault to the huge zero folio,
	 * which is not PG_reserved and would be charged even before 6.2.
	 */
	madvise(r->addr, size, MADV_NOHUGEPAGE);
	touch_read(r->addr, size);
	return 0;
}

/* Filesystems without writeback: a long-term write pin of their pages is allowed on every kernel. */
static bool fs_dirty_tracked(int fd)
{
	struct statfs sf;

	if (fstatfs(fd, &sf))
		return true;
	return (unsigned long)sf.f_type != TMPFS_MAGIC && (unsigned long)sf.f_type != RAMFS_MAGIC &&
	       (unsigned long)sf.f_type != HUGETLBFS_MAGIC;
}

static int alloc_file(struct mem_region *r, uint64_t size)
{
	const char *dir = getenv("TMPDIR");
	void *p;
	int fd, rc;

	/* Like a VMM's memory-backend-file: shared memory on tmpfs, unless TMPDIR says otherwise. */
	if (!dir || !*dir)
		dir = access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm";
	str_copy(r->file_dir, sizeof(r->file_dir), dir);
	fd = tmpfile_in(dir, size, "map");
	if (fd < 0)
		return fd;
	r->file_dirty_tracked = fs_dirty_tracked(fd);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	rc = p == MAP_FAILED ? -errno : 0;
	close(fd);   /* the mapping keeps the unlinked file alive */
	if (rc) {
		err_set(VP_EXIT_RESOURCE, "cannot mmap a temp file in %s: %s", dir, strerror(-rc));
		return rc;
	}
	r->addr = r->map_base = p;
	r->map_len = size;
	touch_write(p, size);
	return 0;
}

static int pick_bar(struct backend *be, int want, struct backend_bar *bar, const char *bdf)
{
	int i, rc;

	if (want >= 0) {
		rc = be->ops->bar(be, want, bar);
		if (rc == -ENOENT)
			err_set(VP_EXIT_USAGE, "the device has no BAR %d; `lspci -v -s %s` lists its regions", want, bdf);
		else if (rc)
			err_set(VP_EXIT_DEVICE, "VFIO_DEVICE_GET_REGION_INFO for BAR %d failed: %s", want, strerror(-rc));
		else if (!bar->mmap)
			err_set(VP_EXIT_USAGE, "BAR %d cannot be mmapped (an I/O port BAR, or smaller than a page); pick another barN", want);
		return rc ? rc : bar->mmap ? 0 : -EINVAL;
	}
	/* Sub-page BARs are mmappable (vfio-pci reserves their page) but QEMU never DMA-maps them. */
	for (i = 0; i < PCI_NUM_RESOURCES; i++)
		if (!be->ops->bar(be, i, bar) && bar->mmap && bar->size >= PAGE_4K)
			return 0;
	err_set(VP_EXIT_USAGE, "%s has no mmappable BAR (only I/O port BARs, or none of a page or more)", bdf);
	return -ENOENT;
}

static int alloc_bar(struct mem_region *r, int want, uint64_t size, struct backend *be,
		     const struct pci_dev_info *dev)
{
	struct backend_bar bar;
	uint64_t page_len;
	void *p;
	int rc;

	if (!be || be->device_fd < 0) {
		err_set(VP_EXIT_USAGE, "a bar region needs a device: pass --device BDF");
		return -ENODEV;
	}
	rc = pick_bar(be, want, &bar, dev ? dev->bdf : "BDF");
	if (rc)
		return rc;
	/*
	 * The IOMMU maps whole pages: a sub-page BAR is mapped as the page
	 * vfio-pci reserved for it (mmap allows the page-aligned length).
	 */
	page_len = (bar.size + PAGE_4K - 1) & ~(PAGE_4K - 1);
	if (!size)
		size = page_len;
	if (size > page_len) {
		err_set(VP_EXIT_USAGE, "bar%d is %" PRIu64 " KiB, smaller than the %" PRIu64 " KiB asked", bar.index,
			page_len >> 10, size >> 10);
		return -EINVAL;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, be->device_fd, (off_t)bar.offset);
	if (p == MAP_FAILED) {
		rc = -errno;
		err_set(VP_EXIT_DEVICE, "cannot mmap bar%d of %s through the device fd: %s", bar.index,
			dev ? dev->bdf : "the device", strerror(-rc));
		return rc;
	}
	r->addr = r->map_base = p;
	r->map_len = size;
	r->size = size;
	r->bar = bar.index;
	r->pfnmap = true;
	r->bar_phys = dev ? dev->bars[bar.index].start : 0;
	return 0;
}

int mem_probe(const struct mem_spec *s, uint64_t size)
{
	/* devmem_is_allowed(): /dev/mem is readable below 1 MiB only. */
	if (s->type == MT_DEVMEM && size > (1ULL << 20)) {
		err_set(VP_EXIT_USAGE, "--type %s: devmem maps /dev/mem below 1 MiB: at most 1M", s->text);
		return -EINVAL;
	}
	return mem_kind_probe(s);
}

int mem_alloc(struct mem_region *r, const struct mem_spec *s, uint64_t size,
	      struct backend *be, const struct pci_dev_info *dev)
{
	struct kver kv;
	char rel[80];
	struct timespec t0, t1;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(r, 0, sizeof(*r));
	if (kver_read(&kv, rel, sizeof(rel)))
		memset(&kv, 0, sizeof(kv));
	r->type = s->type;
	r->bar = -1;
	r->size = size;
	r->writable = true;
	switch (s->type) {
	case MT_ANON: rc = alloc_anon(r, size, false); r->unpop_zero = true; break;
	case MT_MLOCK: rc = alloc_anon(r, size, true); r->unpop_zero = true; break;
	case MT_THP: rc = alloc_thp(r, size); r->unpop_zero = true; break;
	case MT_HUGETLB:
	case MT_HUGETLB1G: rc = alloc_hugetlb(r, s->type, size); break;
	case MT_ZERO: rc = alloc_zero(r, size); r->writable = false; r->unpop_zero = true; break;
	case MT_FILE: rc = alloc_file(r, size); break;
	case MT_BAR: rc = alloc_bar(r, s->bar, size, be, dev); break;
	default: rc = mem_kind_alloc(r, s, size, &kv);
	}
	if (rc) {
		mem_free(r);
		return rc;
	}
	/* The pre-fault a VMM does (or the kernel's GUP does for it) before MAP_DMA. */
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->fault_ns = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000ULL + (uint64_t)t1.tv_nsec -
		      (uint64_t)t0.tv_nsec;
	return 0;
}

void mem_free(struct mem_region *r)
{
	if (r->map_base && r->map_len)
		munmap(r->map_base, r->map_len);   /* also munlocks and drops hugetlb reservations */
	r->map_base = r->addr = NULL;
	r->map_len = 0;
	/* Closed after munmap: a device-dax leak must survive both (the test checks). */
	while (r->nfds > 0)
		close(r->fds[--r->nfds]);
}
