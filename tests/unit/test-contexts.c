// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: model/contexts.c (the VFIO_IOMMU_GET_INFO capability chain, a
 * context's recorded answers, mappings in use, inference), model/devfds.c
 * (naming device fds) and the live dma_entries judge (model/judge-contexts.c).
 */
#include <errno.h>
#include <linux/vfio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/contexts.h"
#include "model/devfds.h"
#include "model/judge.h"

/*
 * A GET_INFO answer laid out as vfio_iommu_type1_get_info() writes it: the
 * header, then the IOVA-range cap (two ranges: the x86 MSI window cut out),
 * then the DMA-avail cap, each cap's next the offset of the following one.
 */
static size_t build_info(unsigned char *b, uint32_t avail, bool caps)
{
	struct vfio_iommu_type1_info h = { 0 };
	struct vfio_iommu_type1_info_cap_iova_range r = { 0 };
	struct vfio_iova_range rr[2] = { { 0, 0xfedfffff }, { 0xfef00000, 0x7fffffffffULL } };
	struct vfio_iommu_type1_info_dma_avail d = { 0 };
	size_t off = sizeof(h), roff, doff;

	roff = off;
	off += sizeof(r) + sizeof(rr);
	doff = off;
	off += sizeof(d);
	h.argsz = (uint32_t)off;
	h.flags = VFIO_IOMMU_INFO_PGSIZES | (caps ? VFIO_IOMMU_INFO_CAPS : 0);
	h.iova_pgsizes = 0x40201000ULL;   /* 4K, 2M, 1G */
	h.cap_offset = (uint32_t)roff;
	r.header.id = VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE;
	r.header.version = 1;
	r.header.next = (uint32_t)doff;
	r.nr_iovas = 2;
	d.header.id = VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL;
	d.header.version = 1;
	d.header.next = 0;
	d.avail = avail;
	memset(b, 0, off);
	memcpy(b, &h, sizeof(h));
	memcpy(b + roff, &r, sizeof(r));
	memcpy(b + roff + sizeof(r), rr, sizeof(rr));
	memcpy(b + doff, &d, sizeof(d));
	return off;
}

static void info_chain(void **state)
{
	unsigned char b[256];
	struct backend_info bi;
	size_t n = build_info(b, 65532, true);

	(void)state;
	assert_int_equal(vfio_info_parse(b, n, &bi), 0);
	assert_int_equal(bi.pgsizes, 0x40201000ULL);
	assert_true(bi.ranges_known);
	assert_int_equal(bi.nranges, 2);
	assert_int_equal(bi.ranges[0].end, 0xfedfffff);
	assert_int_equal(bi.ranges[1].start, 0xfef00000);
	assert_int_equal(bi.ranges[1].end, 0x7fffffffffULL);
	assert_true(bi.has_dma_avail);
	assert_int_equal(bi.dma_avail, 65532);
}

static void info_no_caps_flag(void **state)
{
	unsigned char b[256];
	struct backend_info bi;
	size_t n = build_info(b, 7, false);

	(void)state;
	/* Without VFIO_IOMMU_INFO_CAPS cap_offset means nothing (pre-5.4 kernels). */
	assert_int_equal(vfio_info_parse(b, n, &bi), 0);
	assert_int_equal(bi.pgsizes, 0x40201000ULL);
	assert_false(bi.ranges_known);
	assert_false(bi.has_dma_avail);
}

static void info_truncated_and_looping(void **state)
{
	unsigned char b[256];
	struct backend_info bi;
	struct vfio_iommu_type1_info h;
	size_t n = build_info(b, 9, true);

	(void)state;
	assert_int_equal(vfio_info_parse(b, 10, &bi), -EINVAL);
	/* Cut inside the DMA-avail cap: the ranges stay, the budget is not made up. */
	assert_int_equal(vfio_info_parse(b, n - 2, &bi), 0);
	assert_true(bi.ranges_known);
	assert_false(bi.has_dma_avail);
	/* argsz shorter than the buffer wins. */
	memcpy(&h, b, sizeof(h));
	h.argsz = (uint32_t)(n - 2);
	memcpy(b, &h, sizeof(h));
	assert_int_equal(vfio_info_parse(b, n, &bi), 0);
	assert_false(bi.has_dma_avail);
	/* A cap whose next points at itself ends the walk. */
	n = build_info(b, 9, true);
	memcpy(&h, b, sizeof(h));
	{
		struct vfio_info_cap_header ch;

		memcpy(&ch, b + h.cap_offset, sizeof(ch));
		ch.next = h.cap_offset;
		memcpy(b + h.cap_offset, &ch, sizeof(ch));
	}
	assert_int_equal(vfio_info_parse(b, n, &bi), 0);
	assert_true(bi.ranges_known);
	assert_int_equal(bi.nranges, BE_MAX_RANGES);   /* the same cap read again: capped, no overrun */
}

/*
 * The answer Linux 6.12 gave (tests/vm, our iommufd test kernel, recorded by a
 * capture of `map --hold` with three mappings): migration cap, DMA-avail cap,
 * IOVA-range cap last, in that order.
 */
static const char real_612[] =
	"# answers of fd 3 of pid 76, asked through a pidfd_getfd(2) duplicate\n"
	"pidfd_getfd 0\n"
	"VFIO_IOMMU_GET_INFO 0 780000000300000000102040000000001800000000000000020001003800000000000000"
	"00000000001000000000000000000010000000000300010048000000fcff00000000000001000100000000000200"
	"0000000000000000000000000000ffffdffe000000000000f0fe00000000ffffffff7f000000\n"
	"IOMMU_OPTION_RLIMIT_MODE 25\n";

static void record_real_kernel(void **state)
{
	struct vfio_context c = { .fd = 3, .container_fd = true };

	(void)state;
	assert_int_equal(ctx_record_parse(real_612, &c), 0);
	assert_int_equal(c.kind, CTX_TYPE1);          /* type1 refused IOMMU_OPTION: ENOTTY */
	assert_int_equal(c.option_err, 25);
	assert_int_equal(c.pgsizes, 0x40201000ULL);
	assert_true(c.has_dma_avail);
	assert_int_equal(c.dma_avail, 65532);
	assert_int_equal(c.nranges, 2);
	assert_int_equal(c.ranges[0].start, 0);
	assert_int_equal(c.ranges[0].end, 0xfedfffffULL);
	assert_int_equal(c.ranges[1].start, 0xfef00000ULL);
	assert_int_equal(c.ranges[1].end, 0x7fffffffffULL);
	ctx_derive(&c, true, 65535);
	assert_int_equal(c.mappings_in_use, 3);
}

/* And iommufd's compat container on our iommufd-compat test kernel: DMA-avail (U32_MAX), IOVA ranges; IOMMU_OPTION answered. */
static const char real_compat[] =
	"pidfd_getfd 0\n"
	"VFIO_IOMMU_GET_INFO 0 5800000003000000001020400000000018000000000000000300010028000000ffffffff"
	"00000000010001000000000002000000000000000000000000000000ffffdffe000000000000f0fe00000000ffffffff7f000000\n"
	"IOMMU_OPTION_RLIMIT_MODE 0 1\n";

static void record_real_compat(void **state)
{
	struct vfio_context c = { .fd = 3, .container_fd = true };

	(void)state;
	assert_int_equal(ctx_record_parse(real_compat, &c), 0);
	assert_int_equal(c.kind, CTX_IOMMUFD_COMPAT);
	assert_int_equal(c.rlimit_mode, CTX_RLIMIT_MM);
	assert_int_equal(c.dma_avail, UINT32_MAX);
	assert_int_equal(c.nranges, 2);
	ctx_derive(&c, false, 0);
	assert_false(c.has_in_use);
}

static char *record(const char *head, const unsigned char *b, size_t n, const char *tail)
{
	char *s = malloc(strlen(head) + 2 * n + strlen(tail) + 2), *p;
	size_t i;

	p = s + sprintf(s, "%s", head);
	for (i = 0; i < n; i++)
		p += sprintf(p, "%02x", b[i]);
	sprintf(p, "\n%s", tail);
	return s;
}

static void record_type1(void **state)
{
	unsigned char b[256];
	size_t n = build_info(b, 65532, true);
	char *s = record("# comment\npidfd_getfd 0\nVFIO_IOMMU_GET_INFO 0 ", b, n, "IOMMU_OPTION_RLIMIT_MODE 25\n");
	struct vfio_context c = { .fd = 3, .container_fd = true };

	(void)state;
	assert_int_equal(ctx_record_parse(s, &c), 0);
	assert_int_equal(c.kind, CTX_TYPE1);
	assert_int_equal(c.source, CTX_LIVE);
	assert_string_equal(c.reason, "");
	assert_int_equal(c.dma_avail, 65532);
	assert_int_equal(c.nranges, 2);
	assert_int_equal(c.rlimit_mode, CTX_RLIMIT_UNKNOWN);
	ctx_derive(&c, true, 65535);
	assert_true(c.has_in_use);
	assert_int_equal(c.mappings_in_use, 3);
	/* A limit lowered after the container was set up: no negative count. */
	ctx_derive(&c, true, 100);
	assert_false(c.has_in_use);
	ctx_derive(&c, false, 0);
	assert_false(c.has_in_use);
	free(s);
}

static void record_compat_and_iommufd(void **state)
{
	unsigned char b[256];
	size_t n = build_info(b, UINT32_MAX, true);
	char *s = record("pidfd_getfd 0\nVFIO_IOMMU_GET_INFO 0 ", b, n, "IOMMU_OPTION_RLIMIT_MODE 0 1\n");
	struct vfio_context c = { .container_fd = true }, d = { .container_fd = false };

	(void)state;
	assert_int_equal(ctx_record_parse(s, &c), 0);
	assert_int_equal(c.kind, CTX_IOMMUFD_COMPAT);
	assert_int_equal(c.rlimit_mode, CTX_RLIMIT_MM);
	ctx_derive(&c, true, 65535);
	assert_false(c.has_in_use);   /* iommufd counts no entries */
	assert_int_equal(ctx_record_parse("pidfd_getfd 0\nIOMMU_OPTION_RLIMIT_MODE 0 0\n", &d), 0);
	assert_int_equal(d.kind, CTX_IOMMUFD);
	assert_int_equal(d.rlimit_mode, CTX_RLIMIT_USER);
	assert_int_equal(d.info_err, -1);
	free(s);
}

static void record_refused_and_bad(void **state)
{
	struct vfio_context c = { .container_fd = true };

	(void)state;
	assert_int_equal(ctx_record_parse("pidfd_getfd 1\nreason pidfd_getfd refused: not root\n", &c), 0);
	assert_int_equal(c.source, CTX_INFERRED);
	assert_int_equal(c.getfd_err, EPERM);
	assert_string_equal(c.reason, "pidfd_getfd refused: not root");
	ctx_infer(&c, "vfio_iommu_type1");
	assert_int_equal(c.kind, CTX_TYPE1);
	assert_true(c.rlimit_inferred);
	assert_int_equal(c.rlimit_mode, CTX_RLIMIT_UNKNOWN);
	ctx_infer(&c, "iommufd");
	assert_int_equal(c.kind, CTX_IOMMUFD_COMPAT);
	assert_int_equal(c.rlimit_mode, CTX_RLIMIT_MM);
	/* A bare container: live, but nothing to say. */
	assert_int_equal(ctx_record_parse("pidfd_getfd 0\nVFIO_IOMMU_GET_INFO 22\nIOMMU_OPTION_RLIMIT_MODE 25\n", &c), 0);
	assert_int_equal(c.kind, CTX_UNKNOWN);
	assert_int_equal(c.source, CTX_LIVE);
	assert_non_null(strstr(c.reason, "no IOMMU set"));
	assert_int_equal(ctx_record_parse("VFIO_IOMMU_GET_INFO 22\n", &c), -EINVAL);
	assert_int_equal(ctx_record_parse("pidfd_getfd 0\nVFIO_IOMMU_GET_INFO 0 abc\n", &c), -EINVAL);
	assert_int_equal(ctx_record_parse("pidfd_getfd 0\nVFIO_IOMMU_GET_INFO 0 zz\n", &c), -EINVAL);
	assert_int_equal(ctx_record_parse("pidfd_getfd 0\nIOMMU_OPTION_RLIMIT_MODE 0 7\n", &c), -EINVAL);
	assert_int_equal(ctx_record_parse("pidfd_getfd x\n", &c), -EINVAL);
	assert_int_equal(ctx_record_parse("pidfd_getfd 0\nsomething else\n", &c), -EINVAL);
}

static struct vfio_context live_type1(int fd, uint32_t avail, uint64_t limit)
{
	struct vfio_context c = { .fd = fd, .container_fd = true, .kind = CTX_TYPE1, .source = CTX_LIVE,
				  .has_dma_avail = true, .dma_avail = avail };

	ctx_derive(&c, true, limit);
	return c;
}

static void judge_live(void **state)
{
	struct vfio_context v[2];
	struct vfio_contexts x = { .v = v, .n = 1, .live = 1, .have_limit = true, .dma_entry_limit = 65535 };
	struct check_result r = { 0 };

	(void)state;
	v[0] = live_type1(5, 65532, 65535);
	assert_true(judge_dma_live(&x, &r));
	assert_int_equal(r.status, ST_PASS);
	assert_string_equal(r.finding, "live: container fd 5 has 65532 of dma_entry_limit=65535 mappings left (3 in use)");
	assert_string_equal(r.fix, "");
	/* Two containers: the tightest is judged. */
	v[1] = live_type1(9, 6000, 65535);
	x.n = 2;
	memset(&r, 0, sizeof(r));
	assert_true(judge_dma_live(&x, &r));
	assert_int_equal(r.status, ST_WARN);
	assert_non_null(strstr(r.finding, "container fd 9 has 6000 of"));
	assert_non_null(strstr(r.finding, "tightest"));
	assert_non_null(strstr(r.fix, "restart the VMM"));
	v[1] = live_type1(9, 0, 65535);
	memset(&r, 0, sizeof(r));
	assert_true(judge_dma_live(&x, &r));
	assert_int_equal(r.status, ST_FAIL);
	assert_string_equal(r.finding, "live: container fd 9 uses all 65535 mappings of dma_entry_limit=65535: its next MAP_DMA fails with ENOSPC");
}

static void judge_live_iommufd_and_none(void **state)
{
	struct vfio_context v[1] = { { .fd = 3, .kind = CTX_IOMMUFD, .source = CTX_LIVE } };
	struct vfio_contexts x = { .v = v, .n = 1, .live = 1 };
	struct check_result r = { 0 };

	(void)state;
	assert_true(judge_dma_live(&x, &r));
	assert_int_equal(r.status, ST_SKIP);
	assert_non_null(strstr(r.finding, "no dma_entry_limit"));
	/* Refused: nothing live to judge; the note says why. */
	v[0] = (struct vfio_context){ .fd = 3, .container_fd = true, .kind = CTX_TYPE1, .source = CTX_INFERRED };
	snprintf(v[0].reason, sizeof(v[0].reason), "pidfd_getfd refused: not root");
	memset(&r, 0, sizeof(r));
	assert_false(judge_dma_live(&x, &r));
	snprintf(r.finding, sizeof(r.finding), "dma_entry_limit=65535 >= 2 mappings per container (x)");
	judge_dma_live_note(&x, 0, &r);
	assert_string_equal(r.finding, "dma_entry_limit=65535 >= 2 mappings per container (x); its live containers were not read (pidfd_getfd refused: not root): inferred");
	x.n = 0;
	assert_false(judge_dma_live(&x, &r));
	snprintf(r.finding, sizeof(r.finding), "dma_entry_limit=65535 >= 2 mappings per container (x)");
	judge_dma_live_note(&x, EACCES, &r);
	assert_string_equal(r.finding, "dma_entry_limit=65535 >= 2 mappings per container (x); its fds could not be read (Permission denied), so neither could its live containers: inferred");
}

static void devfds(void **state)
{
	struct vfio_fd v[3] = {
		{ .fd = 3, .kind = VFD_CONTAINER, .group = -1, .cdev = -1 },
		{ .fd = 4, .kind = VFD_GROUP, .group = 7, .cdev = -1 },
		{ .fd = 5, .kind = VFD_DEVICE, .group = -1, .cdev = -1 },
	};
	struct vfio_fds f = { .v = v, .n = 3, .devices = 1 };
	const char bar[2][16] = { "0000:00:03.0", "0000:00:03.0" };
	const char grp[2][16] = { "0000:00:03.0", "0000:00:04.0" };

	(void)state;
	devfds_name(&f, bar, 2, grp, 2);
	assert_string_equal(v[2].bdf, "0000:00:03.0");
	assert_string_equal(v[2].bdf_source, "bar-mmap");
	/* No BAR mmap: a group of two devices cannot say which. */
	memset(v[2].bdf, 0, sizeof(v[2].bdf));
	v[2].bdf_source = NULL;
	devfds_name(&f, bar, 0, grp, 2);
	assert_string_equal(v[2].bdf, "");
	assert_null(v[2].bdf_source);
	/* A group of one device can. */
	devfds_name(&f, bar, 0, grp, 1);
	assert_string_equal(v[2].bdf, "0000:00:03.0");
	assert_string_equal(v[2].bdf_source, "group");
}

static void devfds_two_unnamed(void **state)
{
	struct vfio_fd v[3] = {
		{ .fd = 5, .kind = VFD_DEVICE, .group = -1, .cdev = -1 },
		{ .fd = 6, .kind = VFD_DEVICE, .group = -1, .cdev = -1 },
		{ .fd = 7, .kind = VFD_DEVICE, .group = -1, .cdev = -1, .bdf = "0000:00:05.0", .bdf_source = "fdinfo" },
	};
	struct vfio_fds f = { .v = v, .n = 2, .devices = 2 };
	const char one[1][16] = { "0000:00:03.0" };
	const char two[2][16] = { "0000:00:05.0", "0000:00:03.0" };

	(void)state;
	/* Two anon device fds share one inode: a BAR mmap cannot tell whose it is. */
	devfds_name(&f, one, 1, one, 1);
	assert_string_equal(v[0].bdf, "");
	assert_string_equal(v[1].bdf, "");
	/* With the other one named by fdinfo, the one left is the other device. */
	f.v = v + 1;
	f.n = 2;
	devfds_name(&f, two, 2, two, 0);
	assert_string_equal(v[1].bdf, "0000:00:03.0");
	assert_string_equal(v[1].bdf_source, "bar-mmap");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(info_chain),
		cmocka_unit_test(info_no_caps_flag),
		cmocka_unit_test(info_truncated_and_looping),
		cmocka_unit_test(record_type1),
		cmocka_unit_test(record_real_kernel),
		cmocka_unit_test(record_real_compat),
		cmocka_unit_test(record_compat_and_iommufd),
		cmocka_unit_test(record_refused_and_bad),
		cmocka_unit_test(judge_live),
		cmocka_unit_test(judge_live_iommufd_and_none),
		cmocka_unit_test(devfds),
		cmocka_unit_test(devfds_two_unnamed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
