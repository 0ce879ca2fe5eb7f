// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pfnset.h"

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
		free(s->chunks[i]);
	free(s->chunks);
	s->chunks = NULL;
	s->nchunks = 0;
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
	size_t ci = (size_t)(pfn >> PFNSET_CHUNK_SHIFT);
	uint64_t off = pfn & ((1ULL << PFNSET_CHUNK_SHIFT) - 1), bit = 1ULL << (off % 64);
	uint64_t **nc;

	if (ci >= s->nchunks) {
		nc = realloc(s->chunks, (ci + 1) * sizeof(*nc));
		if (!nc)
			return -ENOMEM;
		memset(nc + s->nchunks, 0, (ci + 1 - s->nchunks) * sizeof(*nc));
		s->chunks = nc;
		s->nchunks = ci + 1;
	}
	if (!s->chunks[ci]) {
		s->chunks[ci] = calloc(PFNSET_CHUNK_WORDS, sizeof(uint64_t));
		if (!s->chunks[ci])
			return -ENOMEM;
	}
	if (s->chunks[ci][off / 64] & bit)
		return note_dup(s, pfn);
	s->chunks[ci][off / 64] |= bit;
	s->count++;
	return 0;
}

bool pfnset_has(const struct pfnset *s, uint64_t pfn)
{
	size_t ci = (size_t)(pfn >> PFNSET_CHUNK_SHIFT);
	uint64_t off = pfn & ((1ULL << PFNSET_CHUNK_SHIFT) - 1);

	return ci < s->nchunks && s->chunks[ci] &&
	       (s->chunks[ci][off / 64] >> (off % 64) & 1);
}

/* First set pfn at or after pfn, or UINT64_MAX. */
static uint64_t next_set(const struct pfnset *s, uint64_t pfn)
{
	size_t ci = (size_t)(pfn >> PFNSET_CHUNK_SHIFT);
	uint64_t off = pfn & ((1ULL << PFNSET_CHUNK_SHIFT) - 1);

	for (; ci < s->nchunks; ci++, off = 0) {
		const uint64_t *w = s->chunks[ci];
		size_t wi;

		if (!w)
			continue;
		for (wi = off / 64; wi < PFNSET_CHUNK_WORDS; wi++) {
			uint64_t bits = w[wi];

			if (wi == off / 64)
				bits &= ~0ULL << (off % 64);
			if (bits)
				return ((uint64_t)ci << PFNSET_CHUNK_SHIFT) + wi * 64 +
				       (uint64_t)__builtin_ctzll(bits);
		}
	}
	return UINT64_MAX;
}

bool pfnset_next_window(const struct pfnset *s, uint64_t *pfn, uint64_t gap,
			uint64_t max, uint64_t *first, uint64_t *last)
{
	uint64_t p = next_set(s, *pfn), n;

	if (p == UINT64_MAX)
		return false;
	*first = *last = p;
	for (;;) {
		n = next_set(s, *last + 1);
		if (n == UINT64_MAX || n - *last > gap || n - *first >= max)
			break;
		*last = n;
	}
	*pfn = *last + 1;
	return true;
}
