// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <linux/vfio.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "model/contexts.h"

/* struct vfio_iommu_type1_info_dma_avail came with 5.10; Debian 12's headers (6.1) have it. */
static void parse_iova_cap(struct backend_info *bi, const char *base, uint32_t off, size_t len)
{
	struct vfio_iommu_type1_info_cap_iova_range c;
	size_t at = off + offsetof(struct vfio_iommu_type1_info_cap_iova_range, iova_ranges);
	uint32_t i;

	memcpy(&c, base + off, sizeof(c));
	for (i = 0; i < c.nr_iovas && bi->nranges < BE_MAX_RANGES; i++) {
		struct vfio_iova_range v;

		if (at + (i + 1) * sizeof(v) > len)
			break;
		memcpy(&v, base + at + i * sizeof(v), sizeof(v));
		bi->ranges[bi->nranges].start = v.start;
		bi->ranges[bi->nranges].end = v.end;
		bi->nranges++;
	}
	bi->ranges_known = true;
}

/*
 * Caps sit at 4-byte aligned offsets (6.1 puts the first at 0x44), so every
 * field is copied out, never read in place; a chain that loops or points
 * past the buffer ends the walk.
 */
int vfio_info_parse(const void *buf, size_t len, struct backend_info *bi)
{
	const char *base = buf;
	struct vfio_iommu_type1_info info;
	uint32_t off;
	int guard = 32;

	memset(bi, 0, sizeof(*bi));
	if (len < sizeof(info))
		return -EINVAL;
	memcpy(&info, buf, sizeof(info));
	bi->pgsizes = info.iova_pgsizes;
	if (info.argsz < len)
		len = info.argsz;
	off = (info.flags & VFIO_IOMMU_INFO_CAPS) ? info.cap_offset : 0;
	while (off && off >= sizeof(info) && off + sizeof(struct vfio_info_cap_header) <= len && guard--) {
		struct vfio_info_cap_header h;

		memcpy(&h, base + off, sizeof(h));
		if (h.id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE &&
		    off + sizeof(struct vfio_iommu_type1_info_cap_iova_range) <= len) {
			parse_iova_cap(bi, base, off, len);
		} else if (h.id == VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL &&
			   off + sizeof(struct vfio_iommu_type1_info_dma_avail) <= len) {
			struct vfio_iommu_type1_info_dma_avail c;

			memcpy(&c, base + off, sizeof(c));
			bi->has_dma_avail = true;
			bi->dma_avail = c.avail;
		}
		off = h.next;
	}
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The answer buffer, hex-encoded on one line; at most 64 KiB. */
static int parse_hex(const char *s, size_t n, unsigned char **out, size_t *len)
{
	unsigned char *b;
	size_t i;

	if (n % 2 || n / 2 > 65536)
		return -EINVAL;
	b = malloc(n / 2 + 1);
	if (!b)
		return -ENOMEM;
	for (i = 0; i < n / 2; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			free(b);
			return -EINVAL;
		}
		b[i] = (unsigned char)(hi << 4 | lo);
	}
	*out = b;
	*len = n / 2;
	return 0;
}

static int parse_errno(const char **p, int *err)
{
	char *end;
	long v = strtol(*p, &end, 10);

	if (end == *p || v < 0 || v > 4095)
		return -EINVAL;
	*err = (int)v;
	*p = end;
	while (**p == ' ')
		(*p)++;
	return 0;
}

static int parse_info_line(const char *p, size_t n, struct vfio_context *c)
{
	struct backend_info bi;
	unsigned char *buf;
	size_t len, i;
	const char *start = p;
	int rc;

	if (parse_errno(&p, &c->info_err))
		return -EINVAL;
	if (c->info_err)
		return 0;
	rc = parse_hex(p, n - (size_t)(p - start), &buf, &len);
	if (rc)
		return rc;
	rc = vfio_info_parse(buf, len, &bi);
	free(buf);
	if (rc)
		return rc;
	c->pgsizes = bi.pgsizes;
	c->ranges_known = bi.ranges_known;
	c->nranges = bi.nranges;
	for (i = 0; i < bi.nranges; i++)
		c->ranges[i] = bi.ranges[i];
	c->has_dma_avail = bi.has_dma_avail;
	c->dma_avail = bi.dma_avail;
	return 0;
}

static int parse_option_line(const char *p, struct vfio_context *c)
{
	uint64_t v;
	char num[24];

	if (parse_errno(&p, &c->option_err))
		return -EINVAL;
	if (c->option_err)
		return 0;
	str_copy(num, sizeof(num), p);
	num[strcspn(num, " \n")] = '\0';
	if (parse_u64(num, &v) || v > 1)
		return -EINVAL;
	c->rlimit_mode = v ? CTX_RLIMIT_MM : CTX_RLIMIT_USER;
	return 0;
}

static int parse_line(const char *l, size_t n, struct vfio_context *c, bool *getfd_seen)
{
	const char *p;

	if ((p = skip_prefix(l, "pidfd_getfd "))) {
		*getfd_seen = true;
		return parse_errno(&p, &c->getfd_err);
	}
	if ((p = skip_prefix(l, "VFIO_IOMMU_GET_INFO ")))
		return parse_info_line(p, n - (size_t)(p - l), c);
	if ((p = skip_prefix(l, "IOMMU_OPTION_RLIMIT_MODE ")))
		return parse_option_line(p, c);
	if ((p = skip_prefix(l, "reason "))) {
		size_t k = n - (size_t)(p - l);

		if (k >= sizeof(c->reason))
			k = sizeof(c->reason) - 1;
		memcpy(c->reason, p, k);
		c->reason[k] = '\0';
		return 0;
	}
	return n == 0 || l[0] == '#' ? 0 : -EINVAL;
}

/*
 * Which backend answered: iommufd's contexts (its compat container too) take
 * IOMMU_OPTION; vfio's own container hands an unknown ioctl to type1, which
 * refuses it.  A container that answered neither has no IOMMU set yet.
 */
static enum ctx_kind kind_of(const struct vfio_context *c)
{
	if (!c->container_fd)
		return CTX_IOMMUFD;
	if (c->option_err == 0)
		return CTX_IOMMUFD_COMPAT;
	if (c->info_err == 0)
		return CTX_TYPE1;
	return CTX_UNKNOWN;
}

int ctx_record_parse(const char *text, struct vfio_context *c)
{
	bool getfd_seen = false;
	const char *l = text;
	int rc;

	c->info_err = -1;
	c->option_err = -1;
	c->rlimit_mode = CTX_RLIMIT_UNKNOWN;
	c->reason[0] = '\0';
	while (l && *l) {
		size_t n = strcspn(l, "\n");

		rc = parse_line(l, n, c, &getfd_seen);
		if (rc)
			return rc;
		l += n;
		if (*l)
			l++;
	}
	if (!getfd_seen)
		return -EINVAL;
	c->source = c->getfd_err ? CTX_INFERRED : CTX_LIVE;
	c->kind = c->getfd_err ? CTX_UNKNOWN : kind_of(c);
	if (c->kind == CTX_UNKNOWN && c->source == CTX_LIVE && !c->reason[0])
		snprintf(c->reason, sizeof(c->reason),
			 "the container has no IOMMU set yet (VFIO_IOMMU_GET_INFO: errno %d): nothing mapped through it", c->info_err);
	return 0;
}

void ctx_derive(struct vfio_context *c, bool have_limit, uint64_t dma_entry_limit)
{
	c->has_in_use = false;
	/* type1 sets dma_avail = dma_entry_limit at VFIO_SET_IOMMU and counts down per vfio_dma. */
	if (c->kind != CTX_TYPE1 || !c->has_dma_avail || !have_limit || c->dma_avail > dma_entry_limit)
		return;
	c->has_in_use = true;
	c->mappings_in_use = dma_entry_limit - c->dma_avail;
}

void ctx_infer(struct vfio_context *c, const char *provider)
{
	if (c->source != CTX_INFERRED)
		return;
	if (!c->container_fd)
		c->kind = CTX_IOMMUFD;
	else
		c->kind = provider && !strcmp(provider, "iommufd") ? CTX_IOMMUFD_COMPAT : CTX_TYPE1;
	c->rlimit_inferred = true;
	/* iommufd's compat container always accounts per mm (iommufd_fops_open). */
	c->rlimit_mode = c->kind == CTX_IOMMUFD_COMPAT ? CTX_RLIMIT_MM : CTX_RLIMIT_UNKNOWN;
}
