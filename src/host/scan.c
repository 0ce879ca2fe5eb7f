// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Cost model (measured, see bench/): a pagemap entry costs ~15 ns in 512 KiB
 * batches; a kpageflags entry ~170 ns as its own pread but ~30-50 ns inside a
 * batched read.  So: batch pagemap, read kpageflags by windows of nearby pfns
 * (sorting the batch by pfn when memory is scattered), skip unpopulated space
 * with PAGEMAP_SCAN, and classify a 2 MiB huge block from two entries.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "model/pfnset.h"
#include "host/scan.h"
#include "lib/util.h"

#define BATCH     65536UL   /* pagemap entries per read: 512 KiB */
#define WIN_GAP   8         /* join pfns this close into one kpageflags read */
#define HUGE_PAGES 512UL    /* 4K pages in a 2 MiB block */
#define HUGE_SIZE (HUGE_PAGES * PAGE_4K)
#define NREGIONS  512
#define JOIN_GAP  64        /* pages: read through holes this small rather than seek */

static const uint64_t run_mask = ~(KPF(COMPOUND_HEAD) | KPF(COMPOUND_TAIL));

int scan_open(struct scan_ctx *c, const char *pid, const struct scan_opts *opts)
{
	int rc;

	memset(c, 0, sizeof(*c));
	c->pm.fd = -1;
	c->kpf.fd = -1;
	if (opts)
		c->opts = *opts;
	c->pme = malloc(BATCH * 8);
	c->keys = malloc(BATCH * 8);
	c->tmp = malloc(BATCH * 8);
	c->flags = malloc(BATCH * 8);
	c->kbuf = malloc(BATCH * 8);
	c->has = malloc(BATCH);
	if (!c->opts.on_run) {
		c->offs = malloc(BATCH * sizeof(*c->offs));
		c->set = malloc(sizeof(*c->set));
		if (c->set)
			pfnset_init(c->set);
	}
	if (!c->pme || !c->keys || !c->tmp || !c->flags || !c->kbuf || !c->has ||
	    (!c->opts.on_run && (!c->set || !c->offs))) {
		scan_close(c);
		return -ENOMEM;
	}
	rc = pm_open(&c->pm, pid);
	if (rc) {
		scan_close(c);
		return rc;
	}
	if (c->opts.no_pm_scan)
		c->pm.scan = -1;
	kpf_open(&c->kpf);
	return 0;
}

void scan_close(struct scan_ctx *c)
{
	pm_close(&c->pm);
	kpf_close(&c->kpf);
	free(c->pme);
	free(c->keys);
	free(c->tmp);
	free(c->flags);
	free(c->kbuf);
	free(c->has);
	if (c->set)
		pfnset_free(c->set);
	free(c->set);
	c->set = NULL;
	free(c->offs);
	c->offs = NULL;
	free(c->kbuf2);
	free(c->offs2);
	c->kbuf2 = NULL;
	c->offs2 = NULL;
	c->pme = c->keys = c->tmp = c->flags = c->kbuf = NULL;
	c->has = NULL;
}

void radix_sort_u64(uint64_t *a, uint64_t *tmp, size_t n)
{
	uint64_t max = 0, *src = a, *dst = tmp, *t;
	size_t i, count[256];
	unsigned shift;

	for (i = 0; i < n; i++)
		if (a[i] > max)
			max = a[i];
	for (shift = 0; shift < 64 && (max >> shift); shift += 8) {
		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[(src[i] >> shift) & 0xff]++;
		for (i = 1; i < 256; i++)
			count[i] += count[i - 1];
		for (i = n; i-- > 0;)
			dst[--count[(src[i] >> shift) & 0xff]] = src[i];
		t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * 8);
}

/* --- --pages: merge runs in virtual order ------------------------------- */

static bool run_joins(const struct page_run *a, const struct page_run *b)
{
	if (a->cls != b->cls || a->pfn_visible != b->pfn_visible ||
	    a->vaddr + a->npages * PAGE_4K != b->vaddr)
		return false;
	if (!a->pfn_visible)
		return true;
	if (a->flags != (b->flags & run_mask))
		return false;
	/* Every page of a zero run is the one shared zero pfn. */
	if (a->cls == PC_ZERO && a->pfn == b->pfn)
		return true;
	return a->pfn + a->npages == b->pfn;
}

int scan_flush(struct scan_ctx *c)
{
	int rc = 0;

	if (c->have_pending && c->opts.on_run)
		rc = c->opts.on_run(c->opts.run_arg, &c->pending);
	c->have_pending = false;
	return rc;
}

static int emit(struct scan_ctx *c, const struct page_run *r)
{
	int rc;

	if (!c->opts.on_run)
		return 0;
	if (c->have_pending && run_joins(&c->pending, r)) {
		c->pending.npages += r->npages;
		return 0;
	}
	rc = scan_flush(c);
	c->pending = *r;
	c->pending.flags &= run_mask;
	c->have_pending = true;
	return rc;
}

/* --- kpageflags by windows ---------------------------------------------- */

#define KEY_PFN(k) ((k) >> 16)
#define KEY_IDX(k) ((k) & 0xffff)

static size_t count_windows(const uint64_t *keys, size_t n)
{
	size_t i, w = n ? 1 : 0;

	for (i = 1; i < n; i++) {
		uint64_t a = KEY_PFN(keys[i - 1]), b = KEY_PFN(keys[i]);

		if (b < a || b - a > WIN_GAP)
			w++;
	}
	return w;
}

/*
 * Fill c->flags[idx] / c->has[idx] for every key.  Windows cover pfns that
 * lie within WIN_GAP of each other, so one pread serves many pages.
 */
static int read_flags(struct scan_ctx *c, uint64_t *keys, size_t n)
{
	size_t i = 0, j, k;
	uint64_t first, last;
	long got;

	while (i < n) {
		first = last = KEY_PFN(keys[i]);
		for (j = i + 1; j < n; j++) {
			uint64_t p = KEY_PFN(keys[j]);

			if (p < last || p - last > WIN_GAP || p - first >= BATCH)
				break;
			last = p;
		}
		got = kpf_read(&c->kpf, first, last - first + 1, c->kbuf);
		if (got < 0)
			return (int)got;
		c->stats.kpf_reads++;
		c->stats.kpf_entries_read += (uint64_t)got;
		for (k = i; k < j; k++) {
			uint64_t off = KEY_PFN(keys[k]) - first;
			size_t idx = KEY_IDX(keys[k]);

			c->has[idx] = off < (uint64_t)got;
			c->flags[idx] = c->has[idx] ? c->kbuf[off] : 0;
		}
		i = j;
	}
	return 0;
}

static void count_page(struct class_bytes *out, enum page_class cls, uint64_t npages)
{
	out->bytes[cls] += npages * PAGE_4K;
}

/* A page whose flags were read: its class, and whether it is the huge zero folio. */
static void count_flags(struct class_bytes *out, uint64_t flags, uint64_t npages)
{
	enum page_class cls = classify_flags(flags);

	count_page(out, cls, npages);
	if (cls == PC_ZERO && page_is_huge_zero(flags))
		out->huge_zero += npages * PAGE_4K;
}

/* One reader's share of a set: the windows of pfns in [from, to). */
struct set_part {
	const struct pfnset *set;
	struct kpf_reader *kpf;
	uint64_t from, to;
	uint64_t *kbuf;
	uint32_t *offs;
	struct class_bytes out;
	uint64_t reads, entries;
	int rc;
};

static void *read_part(void *arg)
{
	struct set_part *p = arg;
	uint64_t pfn = p->from, first, last;
	size_t k, n;
	long got;

	while ((n = pfnset_next_window_to(p->set, &pfn, p->to, WIN_GAP, BATCH, &first, &last,
					  p->offs))) {
		got = kpf_read(p->kpf, first, last - first + 1, p->kbuf);
		if (got < 0) {
			p->rc = (int)got;
			break;
		}
		p->reads++;
		p->entries += (uint64_t)got;
		for (k = 0; k < n; k++)
			count_flags(&p->out, p->offs[k] < (uint64_t)got ? p->kbuf[p->offs[k]] : 0, 1);
	}
	return NULL;
}

/*
 * Each pfn's flags cost ~100-200 ns inside the kernel however they are
 * batched (stable_page_flags(), 6.18's snapshot_page()): the one cost that
 * grows with dense 4K memory.  A big set is split at its median pfn and the
 * upper half read by a second thread, on the second core.
 */
#define SPLIT_MIN 65536

static int read_set(struct scan_ctx *c, struct class_bytes *out)
{
	struct set_part part[2] = {
		{ .set = c->set, .kpf = &c->kpf, .from = 0, .to = UINT64_MAX,
		  .kbuf = c->kbuf, .offs = c->offs },
		{ .set = c->set, .kpf = &c->kpf, .to = UINT64_MAX },
	};
	pthread_t tid;
	bool split = false;
	int i;

	if (c->set->count >= SPLIT_MIN && !c->opts.one_thread) {
		if (!c->kbuf2)
			c->kbuf2 = malloc(BATCH * 8);
		if (!c->offs2)
			c->offs2 = malloc(BATCH * sizeof(*c->offs2));
		part[1].kbuf = c->kbuf2;
		part[1].offs = c->offs2;
		part[1].from = part[0].to = pfnset_median(c->set);
		/* No memory or no thread: one reader does it all, just slower. */
		split = c->kbuf2 && c->offs2 &&
			!pthread_create(&tid, NULL, read_part, &part[1]);
		if (!split)
			part[0].to = UINT64_MAX;
	}
	read_part(&part[0]);
	if (split) {
		pthread_join(tid, NULL);
		c->stats.kpf_threads_used = true;
	}
	for (i = 0; i < (split ? 2 : 1); i++) {
		class_add(out, &part[i].out);
		c->stats.kpf_reads += part[i].reads;
		c->stats.kpf_entries_read += part[i].entries;
	}
	return part[0].rc ? part[0].rc : split ? part[1].rc : 0;
}

/*
 * Counting mode: the pfns of a range go into a set and kpageflags is read once
 * per window of the set, in physical order, where neighbours share reads.
 * Guests touch RAM in no particular order; this is what makes scattered 4K
 * memory cheap.  Flushed at the end of each range (and when the table of
 * repeated pfns fills), so counts stay per vma.
 */
static int set_flush(struct scan_ctx *c, struct class_bytes *out)
{
	struct pfnset *set = c->set;
	size_t i;
	long got;
	int rc;

	if (!set || !set->count)
		return 0;
	rc = read_set(c, out);
	if (rc)
		return rc;
	for (i = 0; set->ndups && i < PFNSET_DUPS; i++) {
		const struct pfnset_dup *d = &set->dups[i];

		if (d->pfn == PFNSET_EMPTY)
			continue;
		got = kpf_read(&c->kpf, d->pfn, 1, c->kbuf);
		if (got < 0)
			return (int)got;
		count_flags(out, got ? c->kbuf[0] : 0, d->extra);
	}
	pfnset_clear(set);
	return 0;
}

static int set_add(struct scan_ctx *c, uint64_t pfn, struct class_bytes *out)
{
	int rc = pfnset_add(c->set, pfn);

	if (rc != -ENOSPC)
		return rc;
	rc = set_flush(c, out);
	return rc ? rc : pfnset_add(c->set, pfn);
}

static int count_batch(struct scan_ctx *c, size_t from, size_t to, struct class_bytes *out)
{
	size_t i;
	int rc;

	for (i = from; i < to; i++) {
		uint64_t e = c->pme[i];

		if (pme_swapped(e)) {
			out->swapped += PAGE_4K;
		} else if (pme_present(e) && !pme_pfn(e)) {
			c->stats.pfn_hidden = true;
			count_page(out, PC_UNKNOWN, 1);
		} else if (pme_present(e)) {
			rc = set_add(c, pme_pfn(e), out);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* Classify pme[from, to); pme[0] is the entry of vaddr. */
static int classify_batch_at(struct scan_ctx *c, uint64_t vaddr, size_t from,
			     size_t to, struct class_bytes *out)
{
	bool flags_known = c->kpf.fd >= 0;
	size_t i, nkeys = 0;
	int rc;

	if (c->set && flags_known)
		return count_batch(c, from, to, out);
	for (i = from; i < to; i++) {
		uint64_t e = c->pme[i];

		if (!pme_present(e)) {
			if (pme_swapped(e))
				out->swapped += PAGE_4K;
			continue;
		}
		if (!pme_pfn(e))
			c->stats.pfn_hidden = true;
		else if (flags_known)
			c->keys[nkeys++] = (pme_pfn(e) << 16) | i;
	}
	if (nkeys && count_windows(c->keys, nkeys) * 4 > nkeys)
		radix_sort_u64(c->keys, c->tmp, nkeys);  /* scattered: read in pfn order */
	if (nkeys) {
		rc = read_flags(c, c->keys, nkeys);
		if (rc)
			return rc;
	}
	for (i = from; i < to; i++) {
		uint64_t e = c->pme[i];
		struct page_obs o;
		struct page_run r;

		if (!pme_present(e))
			continue;
		o.pfn_visible = pme_pfn(e) != 0;
		o.flags_known = flags_known;
		o.has_entry = o.pfn_visible && flags_known ? c->has[i] : false;
		o.flags = o.has_entry ? c->flags[i] : 0;
		r.cls = classify_page(&o);
		if (o.has_entry)
			count_flags(out, o.flags, 1);
		else
			count_page(out, r.cls, 1);
		if (!c->opts.on_run)
			continue;
		r.vaddr = vaddr + i * PAGE_4K;
		r.pfn = pme_pfn(e);
		r.npages = 1;
		r.flags = o.flags;
		r.pfn_visible = o.pfn_visible;
		rc = emit(c, &r);
		if (rc)
			return rc;
	}
	return 0;
}

/*
 * A 2 MiB block mapped by one huge page (PMD THP, hugetlb, huge zero page):
 * its tails share the head's class, so the flags of the first and last pfn
 * decide it.  Returns 1 when the block was counted, 0 to read it page by page.
 */
static int try_huge_block(struct scan_ctx *c, uint64_t vaddr, uint64_t e,
			  struct class_bytes *out)
{
	uint64_t pfn = pme_pfn(e), f[2];
	enum page_class a, b;
	struct page_run r;
	long got;

	if (c->opts.exact || !pme_present(e) || (vaddr & (HUGE_SIZE - 1)))
		return 0;
	if (!pfn || c->kpf.fd < 0) {
		/* Nothing to read: every page of the block is unknown alike. */
		c->stats.pfn_hidden |= !pfn;
		count_page(out, PC_UNKNOWN, HUGE_PAGES);
		r = (struct page_run){ .vaddr = vaddr, .pfn = pfn, .npages = HUGE_PAGES,
				       .cls = PC_UNKNOWN, .pfn_visible = pfn != 0 };
		return emit(c, &r) ?: 1;
	}
	if (pfn & (HUGE_PAGES - 1))
		return 0;
	got = kpf_read(&c->kpf, pfn, 1, &f[0]);
	if (got == 1)
		got = kpf_read(&c->kpf, pfn + HUGE_PAGES - 1, 1, &f[1]);
	c->stats.kpf_reads += 2;
	if (got != 1)
		return got < 0 ? (int)got : 0;
	a = classify_flags(f[0]);
	b = classify_flags(f[1]);
	if (a != b || (a != PC_HUGETLB && a != PC_THP && a != PC_ZERO))
		return 0;
	if (!(f[0] & KPF(COMPOUND_HEAD)) && !(f[0] & KPF(COMPOUND_TAIL)))
		return 0;
	c->stats.huge_blocks++;
	count_flags(out, f[0], HUGE_PAGES);
	r = (struct page_run){ .vaddr = vaddr, .pfn = pfn, .npages = HUGE_PAGES,
			       .flags = f[0], .cls = a, .pfn_visible = true };
	return emit(c, &r) ?: 1;
}

/*
 * Every entry of the block present at consecutive pfns: a THP partly zapped
 * by MADV_DONTNEED (a balloon's free page reporting) keeps its head and tail
 * but not the pages between, and must be read page by page.
 */
static bool block_whole(const uint64_t *pme, uint64_t p0)
{
	size_t i;

	for (i = 0; i < HUGE_PAGES; i++)
		if (!pme_present(pme[i]) || pme_pfn(pme[i]) != p0 + i)
			return false;
	return true;
}

/* Read [start, end) entry by entry (in batches), taking huge blocks whole. */
static int scan_dense(struct scan_ctx *c, uint64_t start, uint64_t end,
		      struct class_bytes *out)
{
	uint64_t va = start;
	size_t n, want, i, done;
	long got;
	int rc;

	while (va < end) {
		want = (end - va) / PAGE_4K;
		if (want > BATCH)
			want = BATCH;
		got = pm_read(&c->pm, va, want, c->pme);
		if (got < 0)
			return (int)got;
		if ((size_t)got < want) {
			/*
			 * EOF: the mm is gone, or the range lies above the task's
			 * address space ([vsyscall]).  The caller tells which.
			 */
			memset(c->pme + got, 0, (want - (size_t)got) * 8);
			c->stats.short_reads++;
		}
		c->stats.pm_entries_read += (uint64_t)got;
		n = want;

		/* Peel off aligned 2 MiB blocks that look like one huge page. */
		done = 0;
		for (i = 0; i + HUGE_PAGES <= n; i += HUGE_PAGES) {
			uint64_t bva = va + i * PAGE_4K;
			uint64_t p0 = pme_pfn(c->pme[i]), pl = pme_pfn(c->pme[i + HUGE_PAGES - 1]);

			if ((bva & (HUGE_SIZE - 1)) || !pme_present(c->pme[i]) ||
			    !pme_present(c->pme[i + HUGE_PAGES - 1]) || pl != p0 + HUGE_PAGES - 1 ||
			    !block_whole(c->pme + i, p0))
				continue;
			if (i > done) {
				rc = classify_batch_at(c, va, done, i, out);
				if (rc)
					return rc;
			}
			rc = try_huge_block(c, bva, c->pme[i], out);
			if (rc < 0)
				return rc;
			if (rc == 0) {
				rc = classify_batch_at(c, va, i, i + HUGE_PAGES, out);
				if (rc)
					return rc;
			}
			done = i + HUGE_PAGES;
		}
		if (done < n) {
			rc = classify_batch_at(c, va, done, n, out);
			if (rc)
				return rc;
		}
		va += n * PAGE_4K;
	}
	return 0;
}

/* With PAGEMAP_SCAN: only populated regions are read; huge ones by block. */
static int scan_regions(struct scan_ctx *c, uint64_t start, uint64_t end,
			struct class_bytes *out)
{
	struct pm_region vec[NREGIONS];
	uint64_t walk_end, va, e, span_start = 0, span_end = 0;
	long n, i;
	int rc;

	while (start < end) {
		n = pm_scan(&c->pm, start, end, vec, NREGIONS, &walk_end);
		if (n < 0)
			return (int)n;
		c->stats.pm_scan_calls++;
		c->stats.used_pm_scan = true;
		for (i = 0; i < n; i++) {
			const struct pm_region *r = &vec[i];
			bool huge = (r->categories & PAGE_IS_HUGE) && !c->opts.exact &&
				    (r->categories & PAGE_IS_PRESENT) &&
				    !((r->start | r->end) & (HUGE_SIZE - 1));

			/*
			 * Small regions close together (sparse memory) share one
			 * pagemap read: a hole costs less to read than a syscall.
			 */
			if (!huge && span_end && r->start - span_end <= JOIN_GAP * PAGE_4K &&
			    r->end - span_start <= BATCH * PAGE_4K) {
				span_end = r->end;
				continue;
			}
			if (span_end) {
				rc = scan_dense(c, span_start, span_end, out);
				if (rc)
					return rc;
				span_end = 0;
			}
			if (!huge) {
				span_start = r->start;
				span_end = r->end;
				continue;
			}
			for (va = r->start; va < r->end; va += HUGE_SIZE) {
				if (pm_read(&c->pm, va, 1, &e) != 1) {
					c->stats.short_reads++;
					return 0;
				}
				c->stats.pm_entries_read++;
				rc = try_huge_block(c, va, e, out);
				if (rc < 0)
					return rc;
				if (rc == 0) {
					rc = scan_dense(c, va, va + HUGE_SIZE, out);
					if (rc)
						return rc;
				}
			}
		}
		if (walk_end <= start)
			return -EIO;
		/*
		 * A full vector of tiny regions: memory touched a page here and
		 * there, page tables populated.  The scan walks every pte just as
		 * a plain read would, so read the rest plainly: one walk, not two.
		 */
		if (n == NREGIONS && walk_end < end &&
		    (walk_end - start) / n < 2 * JOIN_GAP * PAGE_4K) {
			if (span_end) {
				rc = scan_dense(c, span_start, span_end, out);
				if (rc)
					return rc;
			}
			return scan_dense(c, walk_end, end, out);
		}
		start = walk_end;
	}
	return span_end ? scan_dense(c, span_start, span_end, out) : 0;
}

static int scan_range_pages(struct scan_ctx *c, uint64_t start, uint64_t end,
			    struct class_bytes *out)
{
	int rc;

	if (c->pm.scan >= 0) {
		rc = scan_regions(c, start, end, out);
		/* EFAULT: a range PAGEMAP_SCAN refuses ([vsyscall], above TASK_SIZE). */
		if (rc != -EOPNOTSUPP && rc != -EFAULT)
			return rc;
	}
	return scan_dense(c, start, end, out);
}

/*
 * For a progress display: the range in 1 GiB-aligned pieces, so a guest's
 * one big RAM vma reports as it goes.  Aligned cuts never split a 2M or 1G
 * page, and the pending run and pfn set carry across, so the counts are
 * those of one whole read.
 */
#define PROGRESS_PIECE (1ULL << 30)

static int scan_range_pieces(struct scan_ctx *c, uint64_t start, uint64_t end,
			     struct class_bytes *out)
{
	uint64_t a, b;
	int rc = 0;

	for (a = start; a < end && !rc; a = b) {
		b = (a | (PROGRESS_PIECE - 1)) + 1;
		if (b > end || b < a)
			b = end;
		rc = scan_range_pages(c, a, b, out);
		if (!rc)
			c->opts.on_progress(c->opts.progress_arg, b - a);
	}
	return rc;
}

int scan_range(struct scan_ctx *c, uint64_t start, uint64_t end, struct class_bytes *out)
{
	int rc;

	/* Whole pages: a range given in bytes covers the pages it touches. */
	start &= ~(PAGE_4K - 1);
	end = (end + PAGE_4K - 1) & ~(PAGE_4K - 1);
	if (c->opts.on_progress)
		rc = scan_range_pieces(c, start, end, out);
	else
		rc = scan_range_pages(c, start, end, out);

	return rc ? rc : set_flush(c, out);
}

int scan_vma(struct scan_ctx *c, const struct vma *v, struct class_bytes *out)
{
	out->mapped += vma_size(v);
	if (vma_is_pfnmap(v)) {
		out->pfnmap += vma_size(v);
		return 0;
	}
	return scan_range(c, v->start, v->end, out);
}
