// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iommufd-probe BDF — measure what the kernel charges for DMA maps through
 * each backend the guest kernel offers, using vfio-pinctl's own backends:
 *   user    native iommufd (/dev/iommu + device cdev), default per-user mode
 *   mm      native iommufd with IOMMU_OPTION_RLIMIT_MODE = per-mm
 *   compat  the type1 ops on /dev/vfio/vfio when iommufd provides it
 *   type1   the type1 ops on the real type1 container (reference)
 * Per mode: 4 MiB anon (and the same buffer at a second IOVA), 1 MiB zero
 * page READ-only, 4 MiB hugetlb and the device's BAR0 mmap as root (with
 * CAP_IPC_LOCK); then as uid 65534 without capabilities, RLIMIT_MEMLOCK
 * 1 MiB: 4 MiB (over the limit) and 1 MiB, and a second uid-65534 process
 * mapping 512 KiB while the first holds its 1 MiB.  Then the
 * IOMMU_OPTION_RLIMIT_MODE errors.
 *
 * Prints one line per measurement for the guest script to assert:
 *   ROW <mode> <case> <who> <ok|ERRNO> <dVmLck KiB> <dVmPin KiB>
 *   OPT <what> <ok|ERRNO> [value]
 *   MSG <what> <vfio-pinctl's error line>
 *   INFO ...
 * and a table at the end.  Exit 0 when every case ran (the verdicts are the
 * script's), 1 when the probe itself could not run.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "map/backend.h"
#include "lib/error.h"
#include "host/iommufd-uapi.h"
#include "host/pci.h"

#define KiB 1024ULL
#define MiB (1024 * KiB)
#define NOBODY 65534
#define NSLOTS 8
#define SLOT (4 * MiB)

enum mode { M_USER, M_MM, M_COMPAT, M_TYPE1, M_NR };
static const char *const mode_name[M_NR] = { "user", "mm", "compat", "type1" };

struct ctx {
	enum mode mode;
	struct backend *be;
	const char *bdf;
	uint64_t iova[NSLOTS];   /* 4 MiB slots inside the usable ranges */
};

static char table[8192];
static size_t table_len;

/* ---- facts ------------------------------------------------------------------ */

/* VmLck / VmPin of this process, KiB; -1 when absent. */
static long status_kib(const char *field)
{
	char line[256];
	size_t n = strlen(field);
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, n) && line[n] == ':') {
			v = strtol(line + n + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

struct snap {
	long lck, pin;
};

static struct snap snap(void)
{
	return (struct snap){ status_kib("VmLck"), status_kib("VmPin") };
}

static const char *result(int rc)
{
	return rc ? errno_name(rc) : "ok";
}

/* One measurement: a ROW line now, a table line for the end. */
static void row_res(const struct ctx *c, const char *what, const char *who, const char *res,
		    struct snap a, struct snap b)
{
	printf("ROW %s %s %s %s %ld %ld\n", mode_name[c->mode], what, who, res,
	       b.lck - a.lck, b.pin - a.pin);
	fflush(stdout);
	if (table_len + 80 < sizeof(table)) {
		snprintf(table + table_len, sizeof(table) - table_len, "%-7s %-12s %-10s %-7s %+7ld %+7ld\n",
			 mode_name[c->mode], what, who, res, b.lck - a.lck, b.pin - a.pin);
		table_len = strlen(table);
	}
}

static void row(const struct ctx *c, const char *what, const char *who, int rc,
		struct snap a, struct snap b)
{
	row_res(c, what, who, result(rc), a, b);
}

/* ---- memory ---------------------------------------------------------------- */

/* Anonymous memory, 4K pages only (THP is `always` by default), written. */
static void *anon_rw(size_t size)
{
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t off;

	if (p == MAP_FAILED)
		return NULL;
	madvise(p, size, MADV_NOHUGEPAGE);
	for (off = 0; off < size; off += 4096)
		p[off] = 1;
	return p;
}

/* PROT_READ anon, only read: every pte maps the zero page. */
static void *zero_ro(size_t size)
{
	volatile char *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t off;
	char sum = 0;

	if (p == MAP_FAILED)
		return NULL;
	madvise((void *)p, size, MADV_NOHUGEPAGE);
	for (off = 0; off < size; off += 4096)
		sum += p[off];
	(void)sum;
	return (void *)p;
}

static void *huge_rw(size_t size)
{
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | (21 << MAP_HUGE_SHIFT), -1, 0);
	size_t off;

	if (p == MAP_FAILED)
		return NULL;
	for (off = 0; off < size; off += 2 * MiB)
		p[off] = 1;
	return p;
}

/* The device's BAR0 through its VFIO fd: a VM_IO|VM_PFNMAP vma. */
static void *bar_map(struct backend *be, uint64_t *size)
{
	struct backend_bar bar;
	void *p;

	if (be->ops->bar(be, 0, &bar) || !bar.mmap)
		return NULL;
	p = mmap(NULL, bar.size, PROT_READ | PROT_WRITE, MAP_SHARED, be->device_fd, (off_t)bar.offset);
	if (p == MAP_FAILED)
		return NULL;
	*size = bar.size;
	return p;
}

/* ---- one map --------------------------------------------------------------- */

/* Map, measure, row; unmap unless keep.  Returns the map's rc. */
static int measure(const struct ctx *c, const char *what, const char *who, void *p,
		   uint64_t size, uint64_t iova, unsigned flags, bool keep)
{
	struct snap a, b;
	int rc;

	if (!p) {
		/* Not the kernel's answer to a map: say so rather than pass for ENOMEM. */
		printf("INFO %s %s: mmap failed: %s\n", mode_name[c->mode], what, strerror(errno));
		row_res(c, what, who, "mmap-failed", snap(), snap());
		return -ENOMEM;
	}
	a = snap();
	rc = c->be->ops->map(c->be, (uintptr_t)p, iova, size, flags);
	b = snap();
	row(c, what, who, rc, a, b);
	if (!rc && !keep) {
		int u = c->be->ops->unmap(c->be, iova, size);

		if (u)
			printf("INFO %s %s: unmap failed: %s\n", mode_name[c->mode], what, errno_name(u));
	}
	return rc;
}

static void root_cases(const struct ctx *c)
{
	const unsigned rw = BE_MAP_READ | BE_MAP_WRITE;
	struct snap start = snap(), a, b;
	uint64_t bar_size = 0;
	void *p;

	p = anon_rw(4 * MiB);
	if (!measure(c, "anon4M", "root+cap", p, 4 * MiB, c->iova[0], rw, true)) {
		measure(c, "anon4M-2nd", "root+cap", p, 4 * MiB, c->iova[1], rw, false);
		c->be->ops->unmap(c->be, c->iova[0], 4 * MiB);
	}
	munmap(p, 4 * MiB);
	p = zero_ro(1 * MiB);
	measure(c, "zero1M-ro", "root+cap", p, 1 * MiB, c->iova[0], BE_MAP_READ, false);
	munmap(p, 1 * MiB);
	p = huge_rw(4 * MiB);
	measure(c, "huge4M", "root+cap", p, 4 * MiB, c->iova[0], rw, false);
	if (p)
		munmap(p, 4 * MiB);
	p = bar_map(c->be, &bar_size);
	measure(c, "bar0", "root+cap", p, bar_size, c->iova[0], rw, false);
	if (p)
		munmap(p, bar_size);
	/* Everything unmapped and freed: back where we started? */
	a = start;
	b = snap();
	row(c, "after-unmap", "root+cap", 0, a, b);
}

/* ---- uid 65534 without capabilities ----------------------------------------------- */

/* RLIMIT_MEMLOCK 1 MiB, then uid/gid 65534: a uid change from 0 clears every capability. */
static int become_nobody(void)
{
	struct rlimit rl = { 1 * MiB, 1 * MiB };
	gid_t g = NOBODY;

	if (setrlimit(RLIMIT_MEMLOCK, &rl) || setgroups(1, &g) ||
	    setresgid(NOBODY, NOBODY, NOBODY) || setresuid(NOBODY, NOBODY, NOBODY))
		return -errno;
	return 0;
}

static void wait_byte(int fd)
{
	char ch;

	while (read(fd, &ch, 1) < 0 && errno == EINTR)
		;
}

static void post_byte(int fd)
{
	if (write(fd, "x", 1) != 1)
		perror("iommufd-probe: pipe");
}

/* The first uid-65534 process: over the limit, at the limit, then hold until told. */
static void nobody_first(const struct ctx *c, int held, int go)
{
	const unsigned rw = BE_MAP_READ | BE_MAP_WRITE;
	void *big = anon_rw(4 * MiB), *one = anon_rw(1 * MiB);
	int rc;

	rc = become_nobody();
	if (rc) {
		printf("INFO cannot become uid %d: %s\n", NOBODY, strerror(-rc));
		_exit(1);
	}
	measure(c, "anon4M>lim", "65534", big, 4 * MiB, c->iova[2], rw, false);
	rc = measure(c, "anon1M=lim", "65534", one, 1 * MiB, c->iova[3], rw, true);
	post_byte(held);
	wait_byte(go);
	if (!rc)
		c->be->ops->unmap(c->be, c->iova[3], 1 * MiB);
	_exit(0);
}

/* The second one maps 512 KiB while the first holds 1 MiB: the per-user budget. */
static void nobody_second(const struct ctx *c)
{
	void *half = anon_rw(512 * KiB);

	if (become_nobody())
		_exit(1);
	measure(c, "2nd-proc512K", "65534", half, 512 * KiB, c->iova[4], BE_MAP_READ | BE_MAP_WRITE, false);
	_exit(0);
}

static int reap(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(st) && !WEXITSTATUS(st) ? 0 : -ECHILD;
}

static void nobody_cases(const struct ctx *c)
{
	int held[2], go[2];
	pid_t a, b;

	if (pipe(held) || pipe(go)) {
		perror("iommufd-probe: pipe");
		return;
	}
	fflush(stdout);
	a = fork();
	if (a == 0)
		nobody_first(c, held[1], go[0]);
	wait_byte(held[0]);
	b = fork();
	if (b == 0)
		nobody_second(c);
	if (b > 0 && reap(b))
		printf("INFO %s: the second uid-%d process failed\n", mode_name[c->mode], NOBODY);
	post_byte(go[1]);
	if (a > 0 && reap(a))
		printf("INFO %s: the first uid-%d process failed\n", mode_name[c->mode], NOBODY);
	close(held[0]);
	close(held[1]);
	close(go[0]);
	close(go[1]);
}

/* ---- modes ------------------------------------------------------------------ */

static int pick_slots(struct ctx *c)
{
	uint64_t cursor = 1ULL << 32;   /* above the low MMIO holes, plain and readable */
	int i, rc;

	for (i = 0; i < NSLOTS; i++) {
		rc = iova_pick(&c->be->info, &cursor, SLOT, 2 * MiB, &c->iova[i]);
		if (rc)
			return rc;
	}
	return 0;
}

static int run_mode(enum mode m, const char *bdf, int group)
{
	struct backend_target tg = { .device = bdf, .group = group };
	const struct backend_ops *ops = m == M_USER || m == M_MM ? &backend_iommufd : &backend_type1;
	struct ctx c = { .mode = m, .bdf = bdf };
	int rc;

	if (m == M_MM)
		tg.rlimit_mode = BE_RLIMIT_MM;
	err_clear();
	rc = ops->open(&tg, &c.be);
	if (rc) {
		printf("OPEN %s %s %s\n", mode_name[m], errno_name(rc), err_message() ? err_message() : "");
		return rc;
	}
	printf("OPEN %s ok rlimit_mode=%u pgsizes=0x%llx ranges=%zu\n", mode_name[m], c.be->rlimit_mode,
	       (unsigned long long)c.be->info.pgsizes, c.be->info.nranges);
	rc = pick_slots(&c);
	if (rc) {
		printf("INFO %s: no room for %d IOVA slots\n", mode_name[m], NSLOTS);
	} else {
		root_cases(&c);
		nobody_cases(&c);
	}
	c.be->ops->close(c.be);
	return rc;
}

/* ---- IOMMU_OPTION_RLIMIT_MODE ------------------------------------------------------ */

static int option(int fd, uint16_t op, uint64_t *val)
{
	struct iommu_option o = {
		.size = sizeof(o), .option_id = IOMMU_OPTION_RLIMIT_MODE, .op = op, .val64 = *val,
	};

	if (ioctl(fd, IOMMU_OPTION, &o))
		return -errno;
	*val = o.val64;
	return 0;
}

static void opt_line(const char *what, int rc, uint64_t val)
{
	printf("OPT %s %s %llu\n", what, result(rc), (unsigned long long)val);
}

/* One IOMMU_OPTION(RLIMIT_MODE) call and its OPT line (the value after the call). */
static void opt_do(const char *what, int fd, uint16_t op, uint64_t val)
{
	int rc = option(fd, op, &val);

	opt_line(what, rc, val);
}

/* EPERM for uid 65534 on a /dev/iommu root opened, raw and through the backend. */
static void option_eperm(const char *bdf, int group)
{
	int fd = open("/dev/iommu", O_RDWR | O_CLOEXEC);
	pid_t pid;

	if (fd < 0) {
		opt_line("set-mm-as-65534", -errno, 0);
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct backend_target tg = { .device = bdf, .group = group, .rlimit_mode = BE_RLIMIT_MM };
		struct backend *be = NULL;
		int rc;

		if (become_nobody())
			_exit(1);
		opt_do("set-mm-as-65534", fd, IOMMU_OPTION_OP_SET, 1);
		/* Needs /dev/iommu readable by 65534 (the script chmods it). */
		err_clear();
		rc = backend_iommufd.open(&tg, &be);
		printf("MSG backend-open-mm-as-65534 %s %s\n", result(rc), err_message() ? err_message() : "");
		if (!rc)
			be->ops->close(be);
		fflush(stdout);
		_exit(0);
	}
	reap(pid);
	close(fd);
}

static void option_cases(const char *bdf, int group)
{
	struct iommu_ioas_alloc a = { .size = sizeof(a) };
	int fd = open("/dev/iommu", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		opt_line("open-dev-iommu", -errno, 0);
		return;
	}
	opt_do("get-default", fd, IOMMU_OPTION_OP_GET, 0);
	opt_do("set-2", fd, IOMMU_OPTION_OP_SET, 2);
	opt_do("set-mm-before-ioas", fd, IOMMU_OPTION_OP_SET, 1);
	opt_do("get-after-set-mm", fd, IOMMU_OPTION_OP_GET, 0);
	if (ioctl(fd, IOMMU_IOAS_ALLOC, &a))
		opt_line("ioas-alloc", -errno, 0);
	opt_do("set-user-after-ioas", fd, IOMMU_OPTION_OP_SET, 0);
	close(fd);
	option_eperm(bdf, group);
}

/* ---- the host's container ---------------------------------------------------------- */

/*
 * Is /dev/vfio/vfio iommufd's compat container?  It is an iommufd fd then, so
 * IOMMU_OPTION answers (GET rlimit mode: 1, per-mm); type1's container refuses
 * ioctls of another type.  Returns M_COMPAT, M_TYPE1 or -errno.
 */
static int probe_container_kind(void)
{
	int fd = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	uint64_t v = 0;
	int rc;

	if (fd < 0)
		return -errno;
	rc = option(fd, IOMMU_OPTION_OP_GET, &v);
	close(fd);
	opt_line("container-get", rc, v);
	return rc ? M_TYPE1 : M_COMPAT;
}

int main(int argc, char **argv)
{
	struct pci_dev_info dev;
	int kind, rc = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: iommufd-probe BDF\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (pcidev_read(argv[1], &dev) || dev.group < 0) {
		fprintf(stderr, "iommufd-probe: %s: no such device or no IOMMU group\n", argv[1]);
		return 1;
	}
	printf("INFO device %s group %d driver %s cdev vfio%d\n", dev.bdf, dev.group, dev.driver, dev.vfio_cdev);
	kind = probe_container_kind();
	printf("INFO /dev/vfio/vfio: %s\n", kind < 0 ? strerror(-kind) : kind == M_COMPAT ? "iommufd compat" : "type1");
	rc |= run_mode(M_USER, dev.bdf, dev.group);
	rc |= run_mode(M_MM, dev.bdf, dev.group);
	if (kind >= 0)
		rc |= run_mode((enum mode)kind, dev.bdf, dev.group);
	option_cases(dev.bdf, dev.group);
	printf("\n%-7s %-12s %-10s %-7s %7s %7s\n%s", "mode", "case", "who", "map", "dVmLck", "dVmPin", table);
	return rc ? 1 : 0;
}
