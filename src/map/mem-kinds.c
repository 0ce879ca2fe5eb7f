// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The rest of the pfn taxonomy as `map` memory types: the huge zero page,
 * device-dax, fs-dax, PFNMAPs of ordinary RAM (vgem, udmabuf, dma-heap) and
 * of reserved RAM (/dev/mem), KSM-merged pages, a MAP_PRIVATE memfd, a
 * writeback file, secretmem.  Each has a probe that names what a host lacks
 * (module, boot parameter, device, filesystem) and how to get it, and an
 * allocator that leaves the region populated the way its name says.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include <linux/dma-heap.h>
#include <linux/magic.h>
#include <linux/udmabuf.h>

#include "host/mounts.h"
#include "host/sysroot.h"
#include "lib/error.h"
#include "lib/util.h"
#include "map/drm-uapi.h"
#include "map/mem-kinds.h"

#ifndef SYS_memfd_secret
#define SYS_memfd_secret 447   /* x86_64 */
#endif
#ifndef STATX_ATTR_DAX
#define STATX_ATTR_DAX 0x00200000
#endif

#define SZ_2M (2ULL << 20)
#define KSM_DIR "/sys/kernel/mm/ksm"
#define THP_DIR "/sys/kernel/mm/transparent_hugepage"
#define DEVMEM_END 0x100000ULL   /* devmem_is_allowed(): the first 1 MiB, PG_reserved on x86 since 5.13 */

/* --- helpers ------------------------------------------------------------------- */

static void touch(void *addr, uint64_t size, bool write)
{
	volatile char *p = addr;
	uint64_t off;
	char sink = 0;

	for (off = 0; off < size; off += PAGE_4K) {
		if (write)
			p[off] = (char)0x5a;
		else
			sink ^= p[off];
	}
	(void)sink;
}

static void keep_fd(struct mem_region *r, int fd)
{
	if (r->nfds < 2)
		r->fds[r->nfds++] = fd;
	else
		close(fd);
}

static int map_fd(struct mem_region *r, int fd, uint64_t size, int prot, int flags, off_t off)
{
	void *p = mmap(NULL, size, prot, flags, fd, off);

	if (p == MAP_FAILED)
		return -errno;
	r->addr = r->map_base = p;
	r->map_len = size;
	return 0;
}

static const char *tmpdir(void)
{
	const char *d = getenv("TMPDIR");

	return d && *d ? d : "/tmp";
}

/* The first /dev entry NAME* in dir that opens, in r->what; its fd or -errno. */
static int open_first(const char *dir, const char *prefix, int flags, char *what, size_t size)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int fd = -ENOENT;

	if (!d)
		return -errno;
	while ((de = readdir(d)) && fd < 0) {
		if (strncmp(de->d_name, prefix, strlen(prefix)))
			continue;
		snprintf(what, size, "%s/%s", dir, de->d_name);
		fd = open(what, flags | O_CLOEXEC);
		if (fd < 0)
			fd = -errno;
	}
	closedir(d);
	return fd;
}

/* --- probes ---------------------------------------------------------------------- */

static int probe_thp(void)
{
	char line[128] = "";
	uint64_t zp = 1;

	if (sr_read_line(THP_DIR "/enabled", line, sizeof(line))) {
		err_set(VP_EXIT_RESOURCE, "hugezero needs transparent huge pages: this kernel has none (" THP_DIR " is missing; CONFIG_TRANSPARENT_HUGEPAGE)");
		return -ENOENT;
	}
	if (strstr(line, "[never]")) {
		err_set(VP_EXIT_RESOURCE, "hugezero needs transparent huge pages, which are off ([never]); echo madvise > " THP_DIR "/enabled");
		return -ENOENT;
	}
	if (!sr_read_u64(THP_DIR "/use_zero_page", &zp) && !zp) {
		err_set(VP_EXIT_RESOURCE, "hugezero needs the huge zero page, which is off; echo 1 > " THP_DIR "/use_zero_page");
		return -ENOENT;
	}
	return 0;
}

static int probe_devdax(void)
{
	char what[300];
	int fd = open_first("/dev", "dax", O_RDWR, what, sizeof(what));

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	err_set(VP_EXIT_RESOURCE, "no device-dax device (/dev/daxN.M): load the modules (modprobe dax_pmem device_dax) and make one on a pmem region (ndctl create-namespace -f -e namespace0.0 -m devdax -a 2M; a region comes from an NVDIMM or the memmap=SIZE!OFFSET boot parameter)");
	return -ENOENT;
}

/* Which dax mount holds $TMPDIR? 0 if one does, else one line. */
static int probe_fsdax(void)
{
	struct dax_mounts dm;
	struct stat st;
	const char *dir = tmpdir();

	if (stat(dir, &st)) {
		err_set(VP_EXIT_RESOURCE, "fsdax creates its file in TMPDIR=%s, which is not there: %s", dir, strerror(errno));
		return -ENOENT;
	}
	if (dax_mounts_read("self", &dm) || !dax_mounts_has(&dm, major(st.st_dev), minor(st.st_dev))) {
		err_set(VP_EXIT_RESOURCE, "fsdax creates its file in TMPDIR=%s, which is not on a dax mount; set TMPDIR to a filesystem mounted -o dax (ndctl create-namespace -m fsdax; mkfs.ext4 -b 4096 /dev/pmemN; mount -o dax /dev/pmemN DIR)", dir);
		return -ENOENT;
	}
	return 0;
}

static int probe_writeback(void)
{
	const char *dir = tmpdir();
	struct statfs sf;
	struct stat st;

	if (stat(dir, &st) || statfs(dir, &sf)) {
		err_set(VP_EXIT_RESOURCE, "writeback creates its file in TMPDIR=%s, which is not there: %s", dir, strerror(errno));
		return -ENOENT;
	}
	/* Block-device-backed: a real device number (tmpfs, overlayfs, nfs have major 0). */
	if (!major(st.st_dev) || (unsigned long)sf.f_type == TMPFS_MAGIC || (unsigned long)sf.f_type == RAMFS_MAGIC) {
		err_set(VP_EXIT_RESOURCE, "writeback creates its file in TMPDIR=%s, which is not on a block-device-backed filesystem; set TMPDIR to ext4/xfs on a disk (a ramdisk does: modprobe brd rd_nr=1 rd_size=65536; mkfs.ext4 /dev/ram0; mount /dev/ram0 DIR)", dir);
		return -ENOENT;
	}
	return 0;
}

static int drm_name(int fd, char *name, size_t size)
{
	struct vp_drm_version v;

	memset(&v, 0, sizeof(v));
	v.name = name;
	v.name_len = size - 1;
	if (ioctl(fd, VP_DRM_IOCTL_VERSION, &v))
		return -errno;
	name[v.name_len < size ? v.name_len : size - 1] = '\0';
	return 0;
}

/* An open /dev/dri/cardN driven by vgem, or -ENOENT. */
static int open_vgem(char *what, size_t size)
{
	char name[32];
	int i, fd;

	for (i = 0; i < 16; i++) {
		snprintf(what, size, "/dev/dri/card%d", i);
		fd = open(what, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (!drm_name(fd, name, sizeof(name)) && !strcmp(name, "vgem"))
			return fd;
		close(fd);
	}
	return -ENOENT;
}

static int probe_vgem(void)
{
	char what[64];
	int fd = open_vgem(what, sizeof(what));

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	err_set(VP_EXIT_RESOURCE, "no vgem device (/dev/dri/cardN driven by vgem): modprobe vgem (CONFIG_DRM_VGEM)");
	return -ENOENT;
}

static int probe_path(const char *path, int flags, const char *missing)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno == EACCES || errno == EPERM)
		err_set(VP_EXIT_PERM, "cannot open %s: %s; run as root", path, strerror(errno));
	else
		err_set(VP_EXIT_RESOURCE, "%s", missing);
	return -errno;
}

static int probe_ksm(void)
{
	uint64_t run = 0;

	if (sr_read_u64(KSM_DIR "/run", &run)) {
		err_set(VP_EXIT_RESOURCE, "ksm needs KSM, which this kernel lacks (" KSM_DIR " is missing; CONFIG_KSM)");
		return -ENOENT;
	}
	if (run != 1) {
		err_set(VP_EXIT_RESOURCE, "ksm needs KSM running: echo 1 > " KSM_DIR "/run (faster merging: echo 0 > " KSM_DIR "/sleep_millisecs)");
		return -ENOENT;
	}
	return 0;
}

static int probe_secretmem(void)
{
	int fd = (int)syscall(SYS_memfd_secret, 0);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	/* Built in, secretmem has /sys/module/secretmem (its enable parameter); built without it, nothing. */
	if (errno == ENOSYS && !sr_exists("/sys/module/secretmem"))
		err_set(VP_EXIT_RESOURCE, "memfd_secret(2) is missing (ENOSYS): this kernel is built without CONFIG_SECRETMEM; use one with it (Debian's 6.1 and 6.12 have it)");
	else if (errno == ENOSYS)
		err_set(VP_EXIT_RESOURCE, "memfd_secret(2) is off (ENOSYS): boot with secretmem.enable=1 (Debian's 6.1 has it off by default)");
	else
		err_set(VP_EXIT_RESOURCE, "memfd_secret(2) failed: %s", strerror(errno));
	return -errno;
}

int mem_kind_probe(const struct mem_spec *s)
{
	switch (s->type) {
	case MT_HUGEZERO: return probe_thp();
	case MT_DEVDAX: return probe_devdax();
	case MT_FSDAX: return probe_fsdax();
	case MT_VGEM: return probe_vgem();
	case MT_UDMABUF:
		return probe_path("/dev/udmabuf", O_RDWR,
				  "no /dev/udmabuf: modprobe udmabuf, or use a kernel built with CONFIG_UDMABUF (Debian's 6.1 lacks it, 6.12 has it built in)");
	case MT_DMAHEAP:
		return probe_path("/dev/dma_heap/system", O_RDONLY,
				  "no /dev/dma_heap/system: the kernel lacks the system dma-buf heap (CONFIG_DMABUF_HEAPS_SYSTEM; Debian's 6.1 lacks it, 6.12 has it)");
	case MT_DEVMEM:
		return probe_path("/dev/mem", O_RDONLY,
				  "no /dev/mem: create it (mknod /dev/mem c 1 1) or use a kernel with CONFIG_DEVMEM");
	case MT_KSM: return probe_ksm();
	case MT_WRITEBACK: return probe_writeback();
	case MT_SECRETMEM: return probe_secretmem();
	default: return 0;
	}
}

/* --- allocators ------------------------------------------------------------------- */

static int alloc_hugezero(struct mem_region *r, uint64_t size)
{
	uint64_t base;
	void *p;

	if (probe_thp())
		return -ENOENT;
	p = mmap(NULL, size + SZ_2M, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		err_set(VP_EXIT_RESOURCE, "cannot map %" PRIu64 " KiB: %s", size >> 10, strerror(errno));
		return -errno;
	}
	r->map_base = p;
	r->map_len = size + SZ_2M;
	/* The huge zero PMD needs a 2M-aligned range that a read fault maps whole. */
	base = ((uint64_t)(uintptr_t)p + SZ_2M - 1) & ~(SZ_2M - 1);
	r->addr = (void *)(uintptr_t)base;
	if (madvise(r->addr, size, MADV_HUGEPAGE)) {
		err_set(VP_EXIT_RESOURCE, "madvise(MADV_HUGEPAGE) failed: %s", strerror(errno));
		return -errno;
	}
	touch(r->addr, size, false);
	r->writable = false;
	r->cow = true;
	r->unpop_zero = true;
	return 0;
}

static int alloc_devdax(struct mem_region *r, uint64_t size)
{
	int fd = open_first("/dev", "dax", O_RDWR, r->what, sizeof(r->what)), rc;

	if (fd < 0)
		return probe_devdax();
	/* The dax driver aligns the address to the device's alignment (2M) itself. */
	rc = map_fd(r, fd, size, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	if (rc) {
		close(fd);
		err_set(VP_EXIT_RESOURCE, "cannot mmap %" PRIu64 " KiB of %s: %s (the size must be a multiple of the device's align, and fit in it)",
			size >> 10, r->what, strerror(-rc));
		return rc;
	}
	keep_fd(r, fd);
	touch(r->addr, size, true);
	r->zone_device = true;
	return 0;
}

int tmpfile_in(const char *dir, uint64_t size, const char *kind)
{
	char path[4096];
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600), rc;

	if (fd < 0) {
		snprintf(path, sizeof(path), "%s/vfio-pinctl-%s.XXXXXX", dir, kind);
		fd = mkostemp(path, O_CLOEXEC);
		if (fd < 0) {
			rc = -errno;
			err_set(VP_EXIT_RESOURCE, "cannot create a temp file in %s: %s; set TMPDIR to a writable directory", dir, strerror(-rc));
			return rc;
		}
		unlink(path);
	}
	if (ftruncate(fd, (off_t)size)) {
		rc = -errno;
		close(fd);
		err_set(VP_EXIT_RESOURCE, "cannot size a %" PRIu64 " KiB temp file in %s: %s", size >> 10, dir, strerror(-rc));
		return rc;
	}
	return fd;
}

static bool file_is_dax(int fd)
{
	struct statx sx;

	return !statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx) && (sx.stx_attributes & STATX_ATTR_DAX);
}

static int alloc_shared_file(struct mem_region *r, uint64_t size, bool dax)
{
	const char *dir = tmpdir();
	int fd, rc;

	rc = dax ? probe_fsdax() : probe_writeback();
	if (rc)
		return rc;
	fd = tmpfile_in(dir, size, dax ? "fsdax" : "writeback");
	if (fd < 0)
		return fd;
	str_copy(r->file_dir, sizeof(r->file_dir), dir);
	snprintf(r->what, sizeof(r->what), "%s", dir);
	/* dax=inode mounts decide per file: the file itself must be in the DAX state. */
	if (dax && !file_is_dax(fd)) {
		close(fd);
		err_set(VP_EXIT_RESOURCE, "the file fsdax made in TMPDIR=%s is not in the DAX state (statx STATX_ATTR_DAX); mount the filesystem with -o dax (dax=always)", dir);
		return -EOPNOTSUPP;
	}
	rc = map_fd(r, fd, size, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	close(fd);   /* the mapping keeps the unlinked file alive */
	if (rc) {
		err_set(VP_EXIT_RESOURCE, "cannot mmap a temp file in %s: %s", dir, strerror(-rc));
		return rc;
	}
	touch(r->addr, size, true);
	if (dax) {
		r->backing = MB_FSDAX;
		r->zone_device = true;
	}
	r->file_dirty_tracked = !dax;
	return 0;
}

static int alloc_vgem(struct mem_region *r, uint64_t size)
{
	struct vp_drm_mode_create_dumb cd = { .width = 1024, .bpp = 32 };
	struct vp_drm_mode_map_dumb md = { 0 };
	int fd = open_vgem(r->what, sizeof(r->what)), rc;

	if (fd < 0)
		return probe_vgem();
	/* 1024 x 32 bpp = one 4K page per line. */
	cd.height = (uint32_t)(size / PAGE_4K);
	if (ioctl(fd, VP_DRM_IOCTL_MODE_CREATE_DUMB, &cd) || (md.handle = cd.handle,
	    ioctl(fd, VP_DRM_IOCTL_MODE_MAP_DUMB, &md))) {
		rc = -errno;
		close(fd);
		err_set(VP_EXIT_RESOURCE, "cannot create a %" PRIu64 " KiB vgem dumb buffer on %s: %s", size >> 10, r->what, strerror(-rc));
		return rc;
	}
	rc = map_fd(r, fd, size, PROT_READ | PROT_WRITE, MAP_SHARED, (off_t)md.offset);
	if (rc) {
		close(fd);
		err_set(VP_EXIT_RESOURCE, "cannot mmap the vgem dumb buffer on %s: %s", r->what, strerror(-rc));
		return rc;
	}
	keep_fd(r, fd);
	touch(r->addr, size, true);
	/* drm_gem_shmem's mmap: VM_PFNMAP, vmf_insert_pfn() of shmem pages (both kernels). */
	r->pfnmap = true;
	r->backing = MB_PFNMAP_RAM;
	return 0;
}

static int memfd_of(uint64_t size, unsigned flags)
{
	int fd = memfd_create("vfio-pinctl-map", MFD_CLOEXEC | flags);

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size)) {
		close(fd);
		return -errno;
	}
	return fd;
}

static int alloc_udmabuf(struct mem_region *r, const struct kver *kv, uint64_t size)
{
	struct udmabuf_create c = { .flags = UDMABUF_FLAGS_CLOEXEC, .size = size };
	int dev, mfd, buf, rc;

	rc = mem_kind_probe(&(struct mem_spec){ .type = MT_UDMABUF });
	if (rc)
		return rc;
	mfd = memfd_of(size, MFD_ALLOW_SEALING);
	if (mfd < 0 || fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK)) {
		rc = mfd < 0 ? mfd : -errno;
		if (mfd >= 0)
			close(mfd);
		err_set(VP_EXIT_RESOURCE, "cannot make a sealed memfd for udmabuf: %s", strerror(-rc));
		return rc;
	}
	dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
	c.memfd = (uint32_t)mfd;
	buf = dev < 0 ? -1 : ioctl(dev, UDMABUF_CREATE, &c);
	rc = buf < 0 ? -errno : 0;
	if (dev >= 0)
		close(dev);
	close(mfd);   /* the dma-buf holds the memfd's pages */
	if (rc) {
		err_set(VP_EXIT_RESOURCE, "UDMABUF_CREATE of %" PRIu64 " KiB failed: %s (the limit is /sys/module/udmabuf/parameters/size_limit_mb)", size >> 10, strerror(-rc));
		return rc;
	}
	snprintf(r->what, sizeof(r->what), "/dev/udmabuf");
	rc = map_fd(r, buf, size, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	if (rc) {
		close(buf);
		err_set(VP_EXIT_RESOURCE, "cannot mmap the udmabuf: %s", strerror(-rc));
		return rc;
	}
	keep_fd(r, buf);
	touch(r->addr, size, true);
	/*
	 * udmabuf_vm_fault: vmf_insert_pfn() into a VM_PFNMAP vma since 6.11;
	 * before, vmf->page (ordinary shmem pages GUP can pin).
	 */
	if (kver_cmp(kv, 6, 11) >= 0) {
		r->pfnmap = true;
		r->backing = MB_PFNMAP_RAM;
	}
	return 0;
}

static int alloc_dmaheap(struct mem_region *r, uint64_t size)
{
	struct dma_heap_allocation_data a = { .len = size, .fd_flags = O_RDWR | O_CLOEXEC };
	int heap, rc;

	rc = mem_kind_probe(&(struct mem_spec){ .type = MT_DMAHEAP });
	if (rc)
		return rc;
	heap = open("/dev/dma_heap/system", O_RDONLY | O_CLOEXEC);
	rc = heap < 0 || ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &a) ? -errno : 0;
	if (heap >= 0)
		close(heap);
	if (rc) {
		err_set(VP_EXIT_RESOURCE, "DMA_HEAP_IOCTL_ALLOC of %" PRIu64 " KiB from /dev/dma_heap/system failed: %s", size >> 10, strerror(-rc));
		return rc;
	}
	snprintf(r->what, sizeof(r->what), "/dev/dma_heap/system");
	rc = map_fd(r, (int)a.fd, size, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	if (rc) {
		close((int)a.fd);
		err_set(VP_EXIT_RESOURCE, "cannot mmap the dma-heap buffer: %s", strerror(-rc));
		return rc;
	}
	keep_fd(r, (int)a.fd);
	touch(r->addr, size, true);
	/* system_heap_mmap: remap_pfn_range() of the buffer's pages: VM_PFNMAP. */
	r->pfnmap = true;
	r->backing = MB_PFNMAP_RAM;
	return 0;
}

static int alloc_devmem(struct mem_region *r, uint64_t size)
{
	int fd, rc;

	if (size > DEVMEM_END) {
		err_set(VP_EXIT_USAGE, "devmem maps /dev/mem below 1 MiB (devmem_is_allowed): at most 1M, got %" PRIu64 " KiB", size >> 10);
		return -EINVAL;
	}
	rc = mem_kind_probe(&(struct mem_spec){ .type = MT_DEVMEM });
	if (rc)
		return rc;
	fd = open("/dev/mem", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* The end of the first MiB: the BIOS area at 0xF0000 for the default 64K. */
	r->bar_phys = DEVMEM_END - size;
	snprintf(r->what, sizeof(r->what), "/dev/mem@0x%" PRIx64, r->bar_phys);
	rc = map_fd(r, fd, size, PROT_READ, MAP_SHARED, (off_t)r->bar_phys);
	close(fd);
	if (rc) {
		err_set(rc == -EPERM ? VP_EXIT_PERM : VP_EXIT_RESOURCE,
			"cannot mmap /dev/mem at 0x%" PRIx64 ": %s (kernel lockdown or CONFIG_STRICT_DEVMEM refuse it?)", r->bar_phys, strerror(-rc));
		return rc;
	}
	/* mmap_mem: remap_pfn_range() at mmap time, VM_IO | VM_PFNMAP. */
	r->writable = false;
	r->pfnmap = true;
	r->backing = MB_PFNMAP_RESERVED;
	return 0;
}

static uint64_t ksm_read(const char *file)
{
	char path[96];
	uint64_t v = 0;

	snprintf(path, sizeof(path), KSM_DIR "/%s", file);
	sr_read_u64(path, &v);
	return v;
}

static uint64_t merging_pages(void)
{
	char line[64] = "";
	uint64_t v = 0;

	/* /proc/PID/ksm_merging_pages (5.19+): this process's merged pages. */
	if (!sr_read_line("/proc/self/ksm_merging_pages", line, sizeof(line)))
		parse_u64(line, &v);
	return v;
}

static int alloc_ksm(struct mem_region *r, uint64_t size)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	uint64_t scans;
	void *p;
	int rc, i;

	rc = probe_ksm();
	if (rc)
		return rc;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		err_set(VP_EXIT_RESOURCE, "cannot allocate %" PRIu64 " KiB: %s", size >> 10, strerror(errno));
		return -errno;
	}
	r->addr = r->map_base = p;
	r->map_len = size;
	/* 4K pages, all alike (not zero: use_zero_pages would merge into the zero page instead). */
	madvise(p, size, MADV_NOHUGEPAGE);
	touch(p, size, true);
	if (madvise(p, size, MADV_MERGEABLE)) {
		err_set(VP_EXIT_RESOURCE, "madvise(MADV_MERGEABLE) failed: %s", strerror(errno));
		return -errno;
	}
	/* Merged once ksmd has scanned twice (unstable tree, then stable), or this process's count says so. */
	scans = ksm_read("full_scans");
	for (i = 0; i < 3000; i++) {
		if (merging_pages() * PAGE_4K >= size || ksm_read("full_scans") >= scans + 3)
			break;
		nanosleep(&ts, NULL);
	}
	r->cow = true;
	r->unpop_zero = true;
	return 0;
}

static int alloc_private(struct mem_region *r, uint64_t size)
{
	int fd = memfd_of(size, 0), rc;
	void *w;

	if (fd < 0) {
		err_set(VP_EXIT_RESOURCE, "memfd_create failed: %s", strerror(-fd));
		return fd;
	}
	/* Fill the page cache through a shared mapping, then map it privately. */
	w = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (w != MAP_FAILED) {
		touch(w, size, true);
		munmap(w, size);
	}
	rc = map_fd(r, fd, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	close(fd);
	if (rc) {
		err_set(VP_EXIT_RESOURCE, "cannot map a memfd privately: %s", strerror(-rc));
		return rc;
	}
	/* Read only: the ptes map the page-cache pages themselves (a write would COW now). */
	touch(r->addr, size, false);
	r->cow = true;
	return 0;
}

static int alloc_secretmem(struct mem_region *r, uint64_t size)
{
	int fd, rc;

	rc = probe_secretmem();
	if (rc)
		return rc;
	fd = (int)syscall(SYS_memfd_secret, 0);
	if (fd < 0 || ftruncate(fd, (off_t)size)) {
		rc = -errno;
		if (fd >= 0)
			close(fd);
		err_set(VP_EXIT_RESOURCE, "cannot size a %" PRIu64 " KiB secretmem fd: %s", size >> 10, strerror(-rc));
		return rc;
	}
	/* secretmem_mmap sets VM_LOCKED: RLIMIT_MEMLOCK bounds it and VmLck counts it now. */
	rc = map_fd(r, fd, size, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	close(fd);
	if (rc) {
		err_set(VP_EXIT_RESOURCE, "cannot mmap %" PRIu64 " KiB of secretmem: %s (it is mlocked: RLIMIT_MEMLOCK?)", size >> 10, strerror(-rc));
		return rc;
	}
	touch(r->addr, size, true);
	r->backing = MB_SECRETMEM;
	return 0;
}

int mem_kind_alloc(struct mem_region *r, const struct mem_spec *s, uint64_t size, const struct kver *kv)
{
	switch (s->type) {
	case MT_HUGEZERO: return alloc_hugezero(r, size);
	case MT_DEVDAX: return alloc_devdax(r, size);
	case MT_FSDAX: return alloc_shared_file(r, size, true);
	case MT_WRITEBACK: return alloc_shared_file(r, size, false);
	case MT_VGEM: return alloc_vgem(r, size);
	case MT_UDMABUF: return alloc_udmabuf(r, kv, size);
	case MT_DMAHEAP: return alloc_dmaheap(r, size);
	case MT_DEVMEM: return alloc_devmem(r, size);
	case MT_KSM: return alloc_ksm(r, size);
	case MT_PRIVATE: return alloc_private(r, size);
	case MT_SECRETMEM: return alloc_secretmem(r, size);
	default: return -EINVAL;
	}
}
