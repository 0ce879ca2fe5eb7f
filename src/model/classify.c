// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "model/classify.h"
#include "facts/kpageflags.h"

static const char *const names[PC_NR] = {
	[PC_UNKNOWN] = "unknown", [PC_INVALID] = "invalid", [PC_ZERO] = "zero",
	[PC_RESERVED] = "reserved", [PC_HUGETLB] = "hugetlb", [PC_THP] = "thp",
	[PC_ANON] = "anon", [PC_FILE] = "file", [PC_DEVICE] = "device",
};

const char *class_name(enum page_class c)
{
	return (unsigned)c < PC_NR ? names[c] : "?";
}

int class_from_name(const char *name)
{
	int i;

	for (i = 0; i < PC_NR; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

enum page_class classify_flags(uint64_t flags)
{
	/*
	 * Kernels up to ~6.17 report a pfn without memmap as KPF_NOPAGE; the
	 * kpage_read() rework reports 0 instead.  A mapped page always has at
	 * least KPF_MMAP, so 0 means "no struct page" on every version.
	 */
	if (flags == 0 || (flags & KPF(NOPAGE)))
		return PC_INVALID;
	/* x86's empty_zero_page is PG_reserved too: zero must come first. */
	if (flags & KPF(ZERO_PAGE))
		return PC_ZERO;
	if (flags & KPF(RESERVED))
		return PC_RESERVED;
	if (flags & KPF(HUGE))
		return PC_HUGETLB;
	if (flags & KPF(THP))
		return PC_THP;
	if (flags & KPF(ANON))
		return PC_ANON;
	return PC_FILE;
}

enum page_class classify_page(const struct page_obs *o)
{
	if (!o->pfn_visible || !o->flags_known)
		return PC_UNKNOWN;
	if (!o->has_entry)
		return PC_INVALID;
	return classify_flags(o->flags);
}

uint64_t class_present(const struct class_bytes *cb)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < PC_NR; i++)
		sum += cb->bytes[i];
	return sum;
}

uint64_t class_chargeable(const struct class_bytes *cb)
{
	return cb->bytes[PC_HUGETLB] + cb->bytes[PC_THP] + cb->bytes[PC_ANON] +
	       cb->bytes[PC_FILE];
}

void class_add(struct class_bytes *dst, const struct class_bytes *src)
{
	int i;

	for (i = 0; i < PC_NR; i++)
		dst->bytes[i] += src->bytes[i];
	dst->pfnmap += src->pfnmap;
	dst->mapped += src->mapped;
	dst->swapped += src->swapped;
	dst->unscanned += src->unscanned;
	dst->huge_zero += src->huge_zero;
}

bool page_is_huge_zero(uint64_t flags)
{
	return (flags & KPF(ZERO_PAGE)) && (flags & KPF(THP));
}

void class_mark_device(struct class_bytes *cb)
{
	cb->bytes[PC_DEVICE] += cb->bytes[PC_INVALID] + cb->bytes[PC_RESERVED];
	cb->bytes[PC_INVALID] = cb->bytes[PC_RESERVED] = 0;
}

bool path_is_devdax(const char *path)
{
	unsigned a, b;
	int n = 0;

	return sscanf(path, "/dev/dax%u.%u%n", &a, &b, &n) == 2 && path[n] == '\0';
}

bool mount_opts_dax(const char *opts)
{
	const char *p = opts;
	size_t n;

	/* ext4 and xfs show "dax" or "dax=always"; "dax=inode" decides per file, "dax=never" never. */
	while (*p) {
		n = strcspn(p, ",");
		if ((n == 3 && !strncmp(p, "dax", 3)) || (n == 10 && !strncmp(p, "dax=always", 10)))
			return true;
		p += n;
		if (*p == ',')
			p++;
	}
	return false;
}
