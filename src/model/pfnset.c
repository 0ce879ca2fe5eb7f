// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/pfnset.h"

void pfnset_init(struct pfnset *s)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < PFNSET_DUPS; i++)
		s->dups[i].pfn = PFNSET_EMPTY;
}

void pfnset_free(struct pfnset *s)
{
	size_t i;

	for (i = 0; i < s->nchunks; i++)
		free(s->chunks[i].bits);
	free(s->chunks);
	s->chunks = NULL;
	s->nchunks = s->cap = s->last = 0;
}

/* The chunk for idx, or where it would be inserted (*found false). */
static size_t find_chunk(const struct pfnset *s, uint64_t idx, bool *found)
{
	size_t lo = 0, hi = s->nchunks;

	if (s->last < s->nchunks && s->chunks[s->last].idx == idx) {
		*found = true;
		return s->last;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->chunks[mid].idx < idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < s->nchunks && s->chunks[lo].idx == idx;
	return lo;
}

static struct pfnset_chunk *chunk_of(struct pfnset *s, uint64_t idx)
{
	struct pfnset_chunk *nc;
	bool found;
	size_t at = find_chunk(s, idx, &found);
	uint64_t *bits;

	if (found) {
		s->last = at;
		return &s->chunks[at];
	}
	if (s->nchunks == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;

		nc = realloc(s->chunks, cap * sizeof(*nc));
		if (!nc)
			return NULL;
		s->chunks = nc;
		s->cap = cap;
	}
	bits = calloc(PFNSET_CHUNK_WORDS, sizeof(uint64_t));
	if (!bits)
		return NULL;
	memmove(s->chunks + at + 1, s->chunks + at, (s->nchunks - at) * sizeof(*s->chunks));
	/* Field by field: cppcheck 2.10 loses the ownership of bits in a compound literal. */
	s->chunks[at].idx = idx;
	s->chunks[at].bits = bits;
	s->chunks[at].lo = PFNSET_CHUNK_WORDS;
	s->chunks[at].hi = 0;
	s->nchunks++;
	s->last = at;
	return &s->chunks[at];
}

static int note_dup(struct pfnset *s, uint64_t pfn)
{
	size_t i = (size_t)((pfn * 0x9e3779b97f4a7c15ULL) >> 52) % PFNSET_DUPS;
	size_t probes;

	for (probes = 0; probes < PFNSET_DUPS; probes++, i = (i + 1) % PFNSET_DUPS) {
		if (s->dups[i].pfn == pfn) {
			s->dups[i].extra++;
			return 0;
		}
		if (s->dups[i].pfn == PFNSET_EMPTY) {
			if (s->ndups * 4 >= PFNSET_DUPS * 3)
				return -ENOSPC;
			s->dups[i].pfn = pfn;
			s->dups[i].extra = 1;
			s->ndups++;
			return 0;
		}
	}
	return -ENOSPC;
}

int pfnset_add(struct pfnset *s, uint64_t pfn)
{
	uint64_t off = pfn & ((1ULL << PFNSET_CHUNK_SHIFT) - 1), bit = 1ULL << (off % 64);
	struct pfnset_chunk *c = chunk_of(s, pfn >> PFNSET_CHUNK_SHIFT);
	uint32_t w = (uint32_t)(off / 64);

	if (!c)
		return -ENOMEM;
	if (c->bits[w] & bit)
		return note_dup(s, pfn);
	c->bits[w] |= bit;
	if (w < c->lo)
		c->lo = w;
	if (w >= c->hi)
		c->hi = w + 1;
	s->count++;
	return 0;
}

void pfnset_clear(struct pfnset *s)
{
	size_t i;

	for (i = 0; i < s->nchunks; i++) {
		struct pfnset_chunk *c = &s->chunks[i];

		if (c->lo < c->hi)
			memset(c->bits + c->lo, 0, (c->hi - c->lo) * sizeof(uint64_t));
		c->lo = PFNSET_CHUNK_WORDS;
		c->hi = 0;
	}
	if (s->ndups)
		for (i = 0; i < PFNSET_DUPS; i++)
			s->dups[i].pfn = PFNSET_EMPTY;
	s->ndups = 0;
	s->count = 0;
}

bool pfnset_has(const struct pfnset *s, uint64_t pfn)
{
	uint64_t off = pfn & ((1ULL << PFNSET_CHUNK_SHIFT) - 1);
	bool found;
	size_t at = find_chunk(s, pfn >> PFNSET_CHUNK_SHIFT, &found);

	return found && (s->chunks[at].bits[off / 64] >> (off % 64) & 1);
}

size_t pfnset_next_window(const struct pfnset *s, uint64_t *pfn, uint64_t gap, uint64_t max,
			  uint64_t *first, uint64_t *last, uint32_t *offs)
{
	return pfnset_next_window_to(s, pfn, UINT64_MAX, gap, max, first, last, offs);
}

size_t pfnset_next_window_to(const struct pfnset *s, uint64_t *pfn, uint64_t end, uint64_t gap,
			     uint64_t max, uint64_t *first, uint64_t *last, uint32_t *offs)
{
	const uint64_t mask = (1ULL << PFNSET_CHUNK_SHIFT) - 1;
	bool found;
	size_t at = find_chunk(s, *pfn >> PFNSET_CHUNK_SHIFT, &found), n = 0, wi;
	uint64_t start = found ? *pfn & mask : 0;

	if (*pfn == UINT64_MAX)
		return 0;
	/* Word by word: every set bit is visited once over all calls. */
	for (; at < s->nchunks; at++, start = 0) {
		const struct pfnset_chunk *c = &s->chunks[at];
		const uint64_t *w = c->bits;
		uint64_t base = c->idx << PFNSET_CHUNK_SHIFT;

		if (start / 64 < c->lo)
			start = (uint64_t)c->lo * 64;
		for (wi = start / 64; wi < c->hi; wi++) {
			uint64_t bits = w[wi];

			if (wi == start / 64)
				bits &= ~0ULL << (start % 64);
			while (bits) {
				uint64_t p = base + wi * 64 + (uint64_t)__builtin_ctzll(bits);

				bits &= bits - 1;
				if (p >= end) {
					*pfn = UINT64_MAX;
					return n;
				}
				if (n && (p - *last > gap || p - *first >= max)) {
					*pfn = p;
					return n;
				}
				if (!n)
					*first = p;
				*last = p;
				offs[n++] = (uint32_t)(p - *first);
			}
		}
	}
	*pfn = UINT64_MAX;
	return n;
}

uint64_t pfnset_median(const struct pfnset *s)
{
	size_t i, wi, seen = 0;

	for (i = 0; i < s->nchunks; i++) {
		const struct pfnset_chunk *c = &s->chunks[i];

		for (wi = c->lo; wi < c->hi; wi++) {
			seen += (size_t)__builtin_popcountll(c->bits[wi]);
			if (seen * 2 >= s->count)
				return (c->idx << PFNSET_CHUNK_SHIFT) + wi * 64 + 64;
		}
	}
	return 0;
}
