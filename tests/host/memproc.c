// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * memproc - map memory of known kinds, say where, and wait.
 *
 * Host tests run `vfio-pinctl inspect <pid>` on this process and compare
 * the per-class byte counts with what was asked for here; bench/inspect uses
 * it as the benchmark target. So every region must really be what its option
 * says, page by page, and must be its own VMA.
 *
 * usage: memproc [--anon SIZE] [--thp SIZE] [--hugetlb SIZE]
 *                [--hugetlb1g SIZE] [--zero SIZE] [--file SIZE]
 *                [--shmem SIZE] [--mlock SIZE] [--sparse RESERVE:TOUCH[:CHUNK]]
 *                [--scatter SIZE] [--untouched SIZE] [--vmas COUNT] [--hold-stdin]
 *                [--mlockall]
 *
 * Each option is repeatable and makes one mapping, except --vmas, which makes
 * COUNT vmas of one written 4K anon page each (alternately read-write and
 * read-only, so that no two merge: a VMM with many memory regions, a DPDK
 * app; more than vm.max_map_count needs that sysctl raised first). SIZE takes K/M/G/T
 * (binary) suffixes. stdout gets one JSON object per region, in option
 * order, then "ready". Then memproc waits for SIGTERM/SIGINT (exit 0) or,
 * with --hold-stdin, for EOF on stdin. --mlockall: mlockall(MCL_CURRENT)
 * once the regions are made, so its libraries' pages (shared with every
 * other process) are locked too. Errors: one line on stderr, exit 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <unistd.h>

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25	/* Linux 6.1; older libc headers lack it */
#endif
#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB (21 << MAP_HUGE_SHIFT)
#endif
#ifndef MAP_HUGE_1GB
#define MAP_HUGE_1GB (30 << MAP_HUGE_SHIFT)
#endif

#define SZ_4K	(4096UL)
#define SZ_2M	(2UL << 20)
#define SZ_1G	(1UL << 30)

enum kind {
	K_ANON,
	K_THP,
	K_HUGETLB,
	K_HUGETLB1G,
	K_ZERO,
	K_FILE,
	K_SHMEM,
	K_MLOCK,
	K_SPARSE,
	K_SCATTER,
	K_UNTOUCHED,
	K_VMAS,
	NR_KINDS
};

/* Indexed by enum kind; also the option names and the JSON "type". */
static const char *const kind_name[NR_KINDS] = {
	[K_ANON] = "anon",		[K_THP] = "thp",
	[K_HUGETLB] = "hugetlb",	[K_HUGETLB1G] = "hugetlb1g",
	[K_ZERO] = "zero",		[K_FILE] = "file",
	[K_SHMEM] = "shmem",		[K_MLOCK] = "mlock",
	[K_SPARSE] = "sparse",		[K_SCATTER] = "scatter",
	[K_UNTOUCHED] = "untouched",	[K_VMAS] = "vmas",
};

/* Start alignment, and what SIZE must be a multiple of. */
static size_t kind_align(enum kind k)
{
	switch (k) {
	case K_THP:
	case K_HUGETLB:
		return SZ_2M;
	case K_HUGETLB1G:
		return SZ_1G;
	default:
		return SZ_4K;
	}
}

struct region {
	enum kind kind;
	size_t size;		/* bytes mapped */
	size_t touch;		/* --sparse: bytes written */
	size_t chunk;		/* --sparse: bytes written together (default 4K) */
	const char *arg;	/* as given, for messages */
	char *start;
};

static struct region *regions;
static size_t nr_regions;
static bool lock_all;		/* --mlockall */

/* Set before each populate pass so the SIGBUS handler can name the culprit. */
static char sigbus_msg[256];
static size_t sigbus_len;

static volatile uint64_t zero_sink;	/* keeps the zero-page reads alive */
static uint64_t stamp_seq;

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("memproc: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void usage_error(const char *what, const char *arg)
{
	die("%s '%s'; usage: memproc [--anon|--thp|--hugetlb|--hugetlb1g|--zero|"
	    "--file|--shmem|--mlock|--scatter|--untouched SIZE]... "
	    "[--sparse RESERVE:TOUCH[:CHUNK]]... [--vmas COUNT]... [--hold-stdin]", what, arg);
}

/* "64M" -> 67108864. Binary suffixes; the whole string must be used. */
static bool parse_size(const char *s, const char **rest, size_t *out)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return false;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	}
	if (shift && v > (SIZE_MAX >> shift))
		return false;
	*out = (size_t)v << shift;
	*rest = end;
	return true;
}

static size_t parse_one_size(enum kind k, const char *arg)
{
	const char *rest;
	size_t size;

	if (!parse_size(arg, &rest, &size) || *rest)
		die("--%s: bad SIZE '%s' (e.g. 4096, 64K, 16M, 1G)",
		    kind_name[k], arg);
	if (!size || size % kind_align(k))
		die("--%s %s: SIZE must be a non-zero multiple of %s",
		    kind_name[k], arg, k == K_HUGETLB1G ? "1G" :
					  k == K_THP || k == K_HUGETLB ? "2M" :
									 "4K");
	return size;
}

static void parse_sparse(const char *arg, struct region *r)
{
	const char *rest;

	r->chunk = SZ_4K;
	if (!parse_size(arg, &rest, &r->size) || *rest != ':' ||
	    !parse_size(rest + 1, &rest, &r->touch) ||
	    (*rest && (*rest != ':' || !parse_size(rest + 1, &rest, &r->chunk) || *rest)))
		die("--sparse: bad RESERVE:TOUCH[:CHUNK] '%s' (e.g. 64G:1G or 64G:1G:2M)", arg);
	if (!r->size || r->size % SZ_4K || r->touch % SZ_4K ||
	    r->touch > r->size || !r->chunk || r->chunk % SZ_4K || r->touch % r->chunk)
		die("--sparse %s: need 0 < RESERVE, TOUCH <= RESERVE, CHUNK dividing TOUCH, "
		    "all multiples of 4K", arg);
}

static void parse_vmas(const char *arg, struct region *r)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(arg, &end, 10);
	if (errno || *end || !n || n > (1UL << 24) || *arg < '0' || *arg > '9')
		die("--vmas: bad COUNT '%s' (a number of vmas, 1 to 16777216)", arg);
	r->size = n * SZ_4K;
}

static void add_region(enum kind k, const char *arg)
{
	struct region *r;

	regions = realloc(regions, (nr_regions + 1) * sizeof(*regions));
	if (!regions)
		die("out of memory");
	r = &regions[nr_regions++];
	memset(r, 0, sizeof(*r));
	r->kind = k;
	r->arg = arg;
	if (k == K_SPARSE)
		parse_sparse(arg, r);
	else if (k == K_VMAS)
		parse_vmas(arg, r);
	else
		r->size = parse_one_size(k, arg);
}

static bool parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "anon",	required_argument, NULL, K_ANON },
		{ "thp",	required_argument, NULL, K_THP },
		{ "hugetlb",	required_argument, NULL, K_HUGETLB },
		{ "hugetlb1g",	required_argument, NULL, K_HUGETLB1G },
		{ "zero",	required_argument, NULL, K_ZERO },
		{ "file",	required_argument, NULL, K_FILE },
		{ "shmem",	required_argument, NULL, K_SHMEM },
		{ "mlock",	required_argument, NULL, K_MLOCK },
		{ "sparse",	required_argument, NULL, K_SPARSE },
		{ "scatter",	required_argument, NULL, K_SCATTER },
		{ "untouched",	required_argument, NULL, K_UNTOUCHED },
		{ "vmas",	required_argument, NULL, K_VMAS },
		{ "hold-stdin",	no_argument,	   NULL, NR_KINDS },
		{ "mlockall",	no_argument,	   NULL, NR_KINDS + 1 },
		{ NULL, 0, NULL, 0 }
	};
	bool hold_stdin = false;
	int c;

	/* Leading ':' and opterr = 0: our own one-line messages, and ':'
	 * (not '?') for a missing argument. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == NR_KINDS)
			hold_stdin = true;
		else if (c == NR_KINDS + 1)
			lock_all = true;
		else if (c >= 0 && c < NR_KINDS)
			add_region(c, optarg);
		else if (c == ':')
			usage_error("missing argument to", argv[optind - 1]);
		else
			usage_error("unknown option", argv[optind - 1]);
	}
	if (optind < argc)
		usage_error("unexpected argument", argv[optind]);
	return hold_stdin;
}

/*
 * Reserve address space for a region: PROT_NONE costs no memory and no
 * commit charge. Keep one PROT_NONE guard page on each side so the region
 * never merges with a neighbouring VMA, and give back the slack that was
 * only there to reach the alignment.
 */
static char *reserve(size_t size, size_t align)
{
	size_t len = size + align + 2 * SZ_4K;
	char *base, *start, *lo, *hi;

	base = mmap(NULL, len, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return NULL;
	start = (char *)(((uintptr_t)base + SZ_4K + align - 1) & ~(align - 1));
	lo = start - SZ_4K;
	hi = start + size + SZ_4K;
	if (lo > base)
		munmap(base, lo - base);
	if (base + len > hi)
		munmap(hi, base + len - hi);
	return start;
}

/* A value no other page of this process holds, and never zero. */
static uint64_t next_stamp(void)
{
	return ((uint64_t)getpid() << 40) | ++stamp_seq;
}

static void write_page(char *p)
{
	*(volatile uint64_t *)p = next_stamp();
}

static void write_all(struct region *r)
{
	for (size_t off = 0; off < r->size; off += SZ_4K)
		write_page(r->start + off);
}

static void read_all(struct region *r)
{
	uint64_t sum = 0;

	for (size_t off = 0; off < r->size; off += SZ_4K)
		sum += *(volatile const uint8_t *)(r->start + off);
	zero_sink = sum;
}

/*
 * Spread TOUCH bytes evenly in CHUNK-sized runs: run i starts at chunk
 * i*(reserve/touch).  CHUNK 4K (the default) is the worst case for a scanner,
 * a page here and there; a guest touches its RAM in larger runs.
 */
static void write_sparse(struct region *r)
{
	size_t n = r->touch / r->chunk, total = r->size / r->chunk;

	for (size_t i = 0; i < n; i++) {
		size_t ck = (unsigned __int128)i * total / n;

		for (size_t off = 0; off < r->chunk; off += SZ_4K)
			write_page(r->start + ck * r->chunk + off);
	}
}

/* xorshift64*: a fixed seed gives the same permutation on every run. */
static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

/*
 * First-touch the pages in a random order. The page allocator hands out
 * frames in roughly ascending pfn order whatever address faults, so pfns end
 * up shuffled relative to virtual addresses, as in a guest that touched its
 * RAM in no particular order. The order array is mmap()ed and unmapped, not
 * malloc()ed, so it cannot stay behind as extra anon pages on the heap.
 */
static void write_scattered(struct region *r)
{
	size_t n = r->size / SZ_4K, bytes = n * sizeof(uint32_t);
	uint64_t seed = 0x9E3779B97F4A7C15ULL;
	uint32_t *order;

	if (n > UINT32_MAX)
		die("--scatter: at most 16T");
	order = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (order == MAP_FAILED)
		die("--scatter: no memory for the touch order: %m");
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = rng_next(&seed) % (i + 1);
		uint32_t t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (size_t i = 0; i < n; i++)
		write_page(r->start + (size_t)order[i] * SZ_4K);
	munmap(order, bytes);
}

/* AnonHugePages (bytes) of the VMA starting at @start, from smaps. */
static size_t smaps_anon_huge(const char *start)
{
	FILE *f = fopen("/proc/self/smaps", "re");
	bool in_vma = false;
	char line[512];
	size_t kb = 0;

	if (!f)
		die("--thp: cannot open /proc/self/smaps: %m");
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		/* A VMA header line, "7f..-7f.. rw-p ..."? */
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) {
			if (in_vma)
				break;
			in_vma = lo == (uintptr_t)start;
		} else if (in_vma &&
			   sscanf(line, "AnonHugePages: %zu kB", &kb) == 1) {
			break;
		}
	}
	fclose(f);
	return kb << 10;
}

/*
 * THP allocation at fault time can fall back to 4K pages when memory is
 * fragmented. Tests count THP bytes exactly, so insist on full backing:
 * try a synchronous collapse once, then give up loudly.
 */
static void check_thp(struct region *r)
{
	size_t huge = smaps_anon_huge(r->start);
	int err = 0;

	if (huge == r->size)
		return;
	if (madvise(r->start, r->size, MADV_COLLAPSE) == 0)
		huge = smaps_anon_huge(r->start);
	else
		err = errno;
	if (huge != r->size)
		die("--thp %s: only %zu of %zu KiB THP-backed, even after "
		    "MADV_COLLAPSE (%s): THP disabled, or memory fragmented "
		    "(try echo 1 > /proc/sys/vm/compact_memory)?",
		    r->arg, huge >> 10, r->size >> 10,
		    err ? strerror(err) : "which succeeded");
}

static const char *tmp_dir(void)
{
	const char *dir = getenv("TMPDIR");

	return dir && *dir ? dir : "/tmp";
}

static void sigbus_handler(int sig)
{
	(void)sig;
	/* write() and _exit() are async-signal-safe; stdio is not. */
	if (write(STDERR_FILENO, sigbus_msg, sigbus_len) < 0)
		_exit(1);
	_exit(1);
}

static void arm_sigbus(const struct region *r)
{
	char why_file[128];
	const char *why;

	switch (r->kind) {
	case K_HUGETLB:
		why = "no free 2 MiB huge pages: reserve them with "
		      "sysctl vm.nr_hugepages";
		break;
	case K_HUGETLB1G:
		why = "no free 1 GiB huge pages: reserve them in /sys/kernel/"
		      "mm/hugepages/hugepages-1048576kB/nr_hugepages "
		      "(vm.nr_hugepages is for 2 MiB)";
		break;
	case K_FILE:
		snprintf(why_file, sizeof(why_file), "is %s full?", tmp_dir());
		why = why_file;
		break;
	default:
		why = "out of memory?";
	}
	snprintf(sigbus_msg, sizeof(sigbus_msg),
		 "memproc: SIGBUS while populating --%s %s: %s\n",
		 kind_name[r->kind], r->arg, why);
	sigbus_len = strlen(sigbus_msg);
}

/* A regular file of @size in ${TMPDIR:-/tmp}, unlinked once mapped. */
static int make_file(size_t size, char *path, size_t pathlen)
{
	const char *dir = tmp_dir();
	int fd;

	snprintf(path, pathlen, "%s/memproc.XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0)
		die("--file: cannot create a file in %s: %m", dir);
	if (ftruncate(fd, size) < 0) {
		unlink(path);
		die("--file: cannot size %s to %zu bytes: %m", path, size);
	}
	return fd;
}

static void map_file(struct region *r)
{
	char path[4096];
	int fd = make_file(r->size, path, sizeof(path));
	void *p;

	p = mmap(r->start, r->size, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, fd, 0);
	unlink(path);
	close(fd);	/* the mapping keeps the file alive */
	if (p == MAP_FAILED)
		die("--file %s: mmap failed: %m", r->arg);
}

static void hugetlb_mmap_failed(const struct region *r)
{
	if (r->kind == K_HUGETLB)
		die("--hugetlb %s: mmap failed (%m): reserve 2 MiB huge "
		    "pages first, e.g. sysctl vm.nr_hugepages=%zu",
		    r->arg, r->size / SZ_2M);
	die("--hugetlb1g %s: mmap failed (%m): reserve 1 GiB huge pages "
	    "first in /sys/kernel/mm/hugepages/hugepages-1048576kB/"
	    "nr_hugepages (vm.nr_hugepages is for 2 MiB)", r->arg);
}

/* Replace the reservation at r->start with the real mapping. */
static void map_region(struct region *r)
{
	int prot = PROT_READ | PROT_WRITE;
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;
	void *p;

	switch (r->kind) {
	case K_FILE:
		map_file(r);
		return;
	case K_ZERO:
		prot = PROT_READ;
		break;
	case K_SHMEM:
		flags = MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED;
		break;
	case K_HUGETLB:
		flags |= MAP_HUGETLB | MAP_HUGE_2MB;
		break;
	case K_HUGETLB1G:
		flags |= MAP_HUGETLB | MAP_HUGE_1GB;
		break;
	case K_SPARSE:
		/* 64G reserved must not need 64G of commit. */
		flags |= MAP_NORESERVE;
		break;
	default:
		break;
	}
	p = mmap(r->start, r->size, prot, flags, -1, 0);
	if (p != MAP_FAILED)
		return;
	if (r->kind == K_HUGETLB || r->kind == K_HUGETLB1G)
		hugetlb_mmap_failed(r);
	die("--%s %s: mmap failed: %m", kind_name[r->kind], r->arg);
}

/*
 * THP policy must be set before the first fault: the fault decides the
 * page size. NOHUGEPAGE keeps "4K" regions 4K even if THP is "always".
 */
static void advise_region(struct region *r)
{
	int advice;

	switch (r->kind) {
	case K_THP:
		advice = MADV_HUGEPAGE;
		break;
	case K_ANON:
	case K_SHMEM:	/* shmem THP only if shmem_enabled allows, but be sure */
	case K_ZERO:
	case K_MLOCK:
	case K_SPARSE:
	case K_SCATTER:
	case K_UNTOUCHED:
	case K_VMAS:
		advice = MADV_NOHUGEPAGE;
		break;
	case K_FILE:
		/* ext4/xfs page caches use large folios (kpageflags THP)
		 * when faults read ahead; tests want exactly 4K file pages,
		 * and MADV_RANDOM turns fault readahead off. */
		advice = MADV_RANDOM;
		break;
	default:
		return;
	}
	if (madvise(r->start, r->size, advice) < 0)
		die("--%s: madvise(%d) failed: %m", kind_name[r->kind],
		    advice);
}

/* Every other page read-only: COUNT vmas that cannot merge. */
static void split_vmas(struct region *r)
{
	for (size_t off = SZ_4K; off < r->size; off += 2 * SZ_4K)
		if (mprotect(r->start + off, SZ_4K, PROT_READ) < 0)
			die("--vmas %s: mprotect failed after %zu vmas: %m (raise "
			    "vm.max_map_count: sysctl vm.max_map_count=%zu)", r->arg,
			    off / SZ_4K, r->size / SZ_4K + 65536);
}

static void populate_region(struct region *r)
{
	arm_sigbus(r);
	switch (r->kind) {
	case K_UNTOUCHED:
		break;
	case K_ZERO:
		read_all(r);
		break;
	case K_SPARSE:
		write_sparse(r);
		break;
	case K_SCATTER:
		write_scattered(r);
		break;
	case K_VMAS:
		write_all(r);
		split_vmas(r);
		break;
	case K_MLOCK:
		/* mlock populates (write-faults, as the mapping is private
		 * and writable); the writes then give distinct contents. */
		if (mlock(r->start, r->size) < 0)
			die("--mlock %s: mlock failed: %m (needs "
			    "CAP_IPC_LOCK or a larger ulimit -l)", r->arg);
		write_all(r);
		break;
	default:
		write_all(r);
		break;
	}
	if (r->kind == K_THP)
		check_thp(r);
}

static void create_region(struct region *r)
{
	r->start = reserve(r->size, kind_align(r->kind));
	if (!r->start)
		die("--%s %s: cannot reserve address space: %m",
		    kind_name[r->kind], r->arg);
	map_region(r);
	advise_region(r);
	populate_region(r);
}

static void print_region(const struct region *r)
{
	printf("{\"type\":\"%s\",\"start\":\"%#" PRIxPTR "\","
	       "\"end\":\"%#" PRIxPTR "\",\"size\":%zu",
	       kind_name[r->kind], (uintptr_t)r->start,
	       (uintptr_t)r->start + r->size, r->size);
	if (r->kind == K_SPARSE)
		printf(",\"touched\":%zu", r->touch);
	if (r->kind == K_VMAS)
		printf(",\"vmas\":%zu", r->size / SZ_4K);
	printf("}\n");
}

/* Returns when SIGTERM/SIGINT arrives or, if @hold_stdin, stdin hits EOF. */
static void wait_for_end(bool hold_stdin)
{
	struct pollfd pfd[2];
	sigset_t set;
	char buf[4096];

	/* A signalfd, not a handler: no race between a check and a sleep. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		die("sigprocmask: %m");
	pfd[0].fd = signalfd(-1, &set, SFD_CLOEXEC);
	if (pfd[0].fd < 0)
		die("signalfd: %m");
	pfd[0].events = POLLIN;
	pfd[1].fd = hold_stdin ? STDIN_FILENO : -1;	/* -1: poll ignores */
	pfd[1].events = POLLIN;

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll: %m");
		}
		if (pfd[0].revents)
			return;
		if (pfd[1].revents) {
			ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

			/* EOF, or stdin unusable: either way, done. */
			if (n == 0 || (n < 0 && errno != EINTR &&
					errno != EAGAIN))
				return;
		}
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = sigbus_handler };
	bool hold_stdin;

	/* Readers wait for "ready" line by line through a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	hold_stdin = parse_args(argc, argv);
	if (sigaction(SIGBUS, &sa, NULL) < 0)
		die("sigaction: %m");
	/*
	 * A non-interactive shell starts `memproc &` with SIGINT ignored,
	 * and ignored signals never reach a signalfd. We promise to end on
	 * SIGINT, so take the default back.
	 */
	sa.sa_handler = SIG_DFL;
	if (sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigaction(SIGTERM, &sa, NULL) < 0)
		die("sigaction: %m");

	for (size_t i = 0; i < nr_regions; i++)
		create_region(&regions[i]);
	for (size_t i = 0; i < nr_regions; i++)
		print_region(&regions[i]);
	if (lock_all && mlockall(MCL_CURRENT))
		die("mlockall: %m (RLIMIT_MEMLOCK?)");
	printf("ready\n");
	fflush(stdout);

	wait_for_end(hold_stdin);
	return 0;
}
