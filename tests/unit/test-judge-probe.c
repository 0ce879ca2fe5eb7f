// SPDX-License-Identifier: GPL-2.0-or-later
/* model/judge-probe.c: the --probe verdicts, every status they return. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "model/judge.h"
#include "verdict-assert.h"

static void not_probed(void **state)
{
	struct check_result r;

	(void)state;
	verdict_reset(&r);
	judge_probe_none(false, &r);
	assert_int_equal(r.status, ST_SKIP);
	assert_has(r.finding, "not a captured tree");
	verdict_reset(&r);
	judge_probe_none(true, &r);
	assert_string_equal(r.finding, "no device to probe");
	verdict_reset(&r);
	judge_probe_unusable("0000:00:03.0", &r);
	assert_int_equal(r.status, ST_SKIP);
	/* a running VMM holds the group: nothing wrong with the host */
	verdict_reset(&r);
	judge_probe_open("0000:00:03.0", "type1", -EBUSY, "group 7 is in use", &r);
	assert_int_equal(r.status, ST_SKIP);
	assert_string_equal(r.fix, "");
	verdict_reset(&r);
	judge_probe_open("0000:00:03.0", "type1", -EPERM, "VFIO_SET_IOMMU: EPERM", &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.fix, "dmesg");
}

static void map_errors(void **state)
{
	struct probe_run p = { .bdf = "0000:00:03.0", .backend = "type1", .counter = CNT_VMLCK, .iova = 0x100000 };
	struct check_result r;

	(void)state;
	verdict_reset(&r);
	judge_probe_map_failed(&p, -ENOMEM, &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "DMA map of 1M at IOVA 0x100000 through 0000:00:03.0 (type1) failed: ENOMEM");
	assert_has(r.fix, "raise RLIMIT_MEMLOCK");
	verdict_reset(&r);
	judge_probe_map_failed(&p, -ENOSPC, &r);
	assert_has(r.fix, "dma_entry_limit");
	verdict_reset(&r);
	judge_probe_unmap_failed(&p, -EINVAL, &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_string_equal(r.finding, "unmap through 0000:00:03.0 (type1) failed: EINVAL");
}

static void counters(void **state)
{
	struct probe_run p = { .bdf = "0000:00:03.0", .backend = "type1", .counter = CNT_VMLCK, .iova = 0x100000,
			       .before = { .lck = 64 }, .mapped = { .lck = 64 + 1024 }, .after = { .lck = 64 } };
	struct predict_out pred = { .rule = "type1" };
	struct check_result r;

	(void)state;
	pred.charge[CNT_VMLCK] = 1 << 20;
	verdict_reset(&r);
	judge_probe(&p, &pred, &r);
	assert_int_equal(r.status, ST_PASS);
	assert_string_equal(r.finding, "mapped 1M at IOVA 0x100000 through 0000:00:03.0 (type1): VmLck +1024K as charged, back to 64K after the unmap");

	/* iommufd per-mm without CAP_IPC_LOCK: VmPin and VmLck both */
	p.backend = "iommufd-compat";
	p.counter = CNT_VMPIN;
	p.mapped.pin = 1024;
	pred.charge[CNT_VMPIN] = 1 << 20;
	verdict_reset(&r);
	judge_probe(&p, &pred, &r);
	assert_int_equal(r.status, ST_PASS);
	assert_has(r.finding, "VmPin +1024K as charged, VmLck +1024K (per-mm, no CAP_IPC_LOCK), back to 0K");

	/* not back to the baseline: a leak or another thread */
	p.after.pin = 4;
	verdict_reset(&r);
	judge_probe(&p, &pred, &r);
	assert_int_equal(r.status, ST_WARN);
	assert_has(r.finding, "VmPin 0K -> 1024K -> 4K, not +1024K and +1024K and back (type1)");
	assert_has(r.fix, "vfio-pinctl capture");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(not_probed),
		cmocka_unit_test(map_errors),
		cmocka_unit_test(counters),
	};

	return cmocka_run_group_tests_name("judge-probe", tests, NULL, NULL);
}
