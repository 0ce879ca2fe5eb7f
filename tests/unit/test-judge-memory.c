// SPDX-License-Identifier: GPL-2.0-or-later
/* model/judge-memory.c: hugepages, memlock, dma_entries, every status each returns. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "model/judge.h"
#include "verdict-assert.h"

#define G (1ULL << 30)
#define M (1ULL << 20)

/* A 64-node host: the finding names 16 nodes and counts the rest, whole (it was cut mid-word). */
static void hugepages_many_nodes(void **state)
{
	struct hugepool pools[64];
	struct check_opts o = { .have_guest_mem = true, .guest_mem = 4 * G };
	struct check_result r;
	size_t len;
	int i;

	(void)state;
	for (i = 0; i < 64; i++)
		pools[i] = (struct hugepool){ .size_kb = 1048576, .node = i, .total = 2, .free = 2 };
	pools[0].total = pools[0].free = 16;   /* one node holds the whole guest: PASS */
	verdict_reset(&r);
	judge_hugepages(pools, 64, &o, &r);
	assert_int_equal(r.status, ST_PASS);
	assert_has(r.finding, "142 free of 142 (node0 16/16, node1 2/2, ");
	assert_has(r.finding, "node15 2/2 and 48 more nodes)");
	assert_null(strstr(r.finding, "node16"));
	len = strlen(r.finding);
	assert_true(len > 0 && r.finding[len - 1] == ')');
}

static void hugepages(void **state)
{
	struct hugepool pools[3] = {
		{ .size_kb = 2048, .node = 0, .total = 0, .free = 0 },
		{ .size_kb = 1048576, .node = 0, .total = 8, .free = 4 },
		{ .size_kb = 1048576, .node = 1, .total = 8, .free = 4 },
	};
	struct check_opts o = { 0 };
	struct check_result r;

	(void)state;
	verdict_reset(&r);
	judge_hugepages(NULL, 0, &o, &r);
	assert_int_equal(r.status, ST_SKIP);
	o.hugepage_size = 2 * M;
	verdict_reset(&r);
	judge_hugepages(NULL, 0, &o, &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.fix, "CONFIG_HUGETLBFS");

	/* no size asked: the largest pool with pages reserved (1G here) */
	o.hugepage_size = 0;
	verdict_reset(&r);
	judge_hugepages(pools, 3, &o, &r);
	assert_int_equal(r.status, ST_PASS);
	assert_string_equal(r.finding, "1048576kB pool: 8 free of 16 (node0 4/8, node1 4/8) (give --guest-mem to compare)");
	verdict_reset(&r);
	judge_hugepages(pools, 1, &o, &r);
	assert_int_equal(r.status, ST_SKIP);
	assert_has(r.finding, "no huge pages reserved");

	o.hugepage_size = 16 * 1024;   /* a size the host has no pool of */
	verdict_reset(&r);
	judge_hugepages(pools, 3, &o, &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "no 16kB huge page pool");

	o.hugepage_size = G;
	o.have_guest_mem = true;
	o.guest_mem = 6 * G;
	verdict_reset(&r);
	judge_hugepages(pools, 3, &o, &r);
	assert_int_equal(r.status, ST_WARN);
	assert_has(r.finding, "needs 6 pages of 1048576kB: 8 free in all, but no single node has them");
	o.guest_mem = 4 * G;
	verdict_reset(&r);
	judge_hugepages(pools, 3, &o, &r);
	assert_int_equal(r.status, ST_PASS);
	o.guest_mem = 10 * G;
	verdict_reset(&r);
	judge_hugepages(pools, 3, &o, &r);
	assert_int_equal(r.status, ST_FAIL);
	/* reserve what is missing on top of what exists: 16 + 10 - 8 */
	assert_has(r.fix, "echo 18 > /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages");
}

static struct target tgt(enum target_kind kind, uint64_t soft, uint64_t hard)
{
	struct target t = { .kind = kind, .known = true, .have_limit = true, .soft = soft, .hard = hard };

	strcpy(t.desc, "process 42 (qemu)");
	strcpy(t.limit_from, "/proc/42/limits");
	return t;
}

static void memlock(void **state)
{
	struct check_opts o = { .pid = "42", .user = "qemu", .unit = "vm.service" };
	struct target t = tgt(TGT_PID, 8 * M, 8 * M);
	struct need_out need = { .total = 4 * G };
	struct check_result r;

	(void)state;
	strcpy(need.how, "4G guest RAM x 1 container");
	verdict_reset(&r);
	judge_memlock(&t, &need, BE_TYPE1, &o, &r);
	assert_int_equal(r.status, ST_SKIP);
	assert_has(r.finding, "give --guest-mem");

	o.have_guest_mem = true;
	o.guest_mem = 4 * G;
	verdict_reset(&r);
	judge_memlock(&t, &need, BE_TYPE1, &o, &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "memlock soft 8M, hard 8M (/proc/42/limits) is below the need 4G guest RAM x 1 container; MAP_DMA will fail with ENOMEM");
	assert_has(r.fix, "prlimit --pid 42 --memlock=4294967296:4294967296");
	verdict_reset(&r);
	judge_memlock(&t, &need, BE_IOMMUFD, &o, &r);
	assert_has(r.finding, "IOMMU_IOAS_MAP will fail");

	t.hard_inf = true;
	t.have_vmlck = true;
	t.vm_lck = 2 * M;
	verdict_reset(&r);
	judge_memlock(&t, &need, BE_TYPE1, &o, &r);
	assert_has(r.finding, "; VmLck now 2M; the hard limit would allow raising the soft one");

	t.kind = TGT_USER;
	verdict_reset(&r);
	judge_memlock(&t, &need, BE_TYPE1, &o, &r);
	assert_has(r.fix, "echo 'qemu - memlock 4194304' > /etc/security/limits.d/90-vfio.conf");
	t.kind = TGT_UNIT;
	verdict_reset(&r);
	judge_memlock(&t, &need, BE_TYPE1, &o, &r);
	assert_has(r.fix, "systemctl edit vm.service: [Service] LimitMEMLOCK=4G");
	t.kind = TGT_SELF;
	verdict_reset(&r);
	judge_memlock(&t, &need, BE_TYPE1, &o, &r);
	assert_has(r.fix, "ulimit -l 4194304");

	t.soft_inf = true;
	verdict_reset(&r);
	judge_memlock(&t, &need, BE_TYPE1, &o, &r);
	assert_int_equal(r.status, ST_PASS);
	assert_has(r.finding, "covers the need");

	/* CAP_IPC_LOCK: type1 does not enforce the limit at all */
	t = tgt(TGT_PID, 0, 0);
	t.have_caps = t.cap_ipc_lock = true;
	strcpy(t.cap_from, "effective set of process 42");
	verdict_reset(&r);
	judge_memlock(&t, &need, BE_TYPE1, &o, &r);
	assert_int_equal(r.status, ST_PASS);
	assert_has(r.finding, "has CAP_IPC_LOCK (effective set of process 42): type1 does not enforce the limit");

	t.have_limit = false;
	verdict_reset(&r);
	judge_memlock(&t, &need, BE_TYPE1, &o, &r);
	assert_int_equal(r.status, ST_UNKNOWN);
	t.known = false;
	strcpy(t.err, "no process 42");
	verdict_reset(&r);
	judge_memlock(&t, &need, BE_TYPE1, &o, &r);
	assert_int_equal(r.status, ST_UNKNOWN);
	assert_has(r.finding, "cannot tell the memlock limit of process 42 (qemu): no process 42");
}

static void dma(void **state)
{
	struct module_params p = { .have_dma_limit = true, .dma_entry_limit = 65535 };
	struct need_out n = { .dma_entries = 100 };
	struct check_opts o = { 0 };
	struct check_result r;

	(void)state;
	strcpy(n.dma_how, "per RAM region");
	verdict_reset(&r);
	judge_dma(&p, &n, BE_IOMMUFD, &o, &r);
	assert_int_equal(r.status, ST_SKIP);
	verdict_reset(&r);
	judge_dma(&p, &n, BE_TYPE1, &o, &r);
	assert_int_equal(r.status, ST_PASS);
	assert_string_equal(r.finding, "dma_entry_limit=65535 >= 100 mappings per container (per RAM region)");
	o.viommu = true;
	verdict_reset(&r);
	judge_dma(&p, &n, BE_TYPE1, &o, &r);
	assert_int_equal(r.status, ST_SKIP);
	assert_has(r.finding, "give --guest-mem to count the mappings");
	o.have_guest_mem = true;
	n.dma_entries = 70000;
	verdict_reset(&r);
	judge_dma(&p, &n, BE_TYPE1, &o, &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.fix, "echo 70000 > /sys/module/vfio_iommu_type1/parameters/dma_entry_limit");
	n.dma_worst_case = true;     /* a vIOMMU's worst case is a warning, not a certainty */
	verdict_reset(&r);
	judge_dma(&p, &n, BE_TYPE1, &o, &r);
	assert_int_equal(r.status, ST_WARN);
	p.have_dma_limit = false;
	verdict_reset(&r);
	judge_dma(&p, &n, BE_TYPE1, &o, &r);
	assert_int_equal(r.status, ST_SKIP);
	assert_has(r.finding, "vfio_iommu_type1 is not loaded");
}

static void needs(void **state)
{
	struct pci_entry d[2] = { { .is_pci = true }, { .is_pci = true } };
	struct need_out n[BE_NR];
	struct check_opts o = { .have_guest_mem = true, .guest_mem = 4 * G, .viommu = true };

	(void)state;
	d[0].info.bars[0] = (struct pci_bar){ .start = 0xf0000000, .end = 0xf0ffffff, .flags = IORESOURCE_MEM };
	d[1].info.bars[2] = (struct pci_bar){ .start = 0xe000, .end = 0xe01f, .flags = IORESOURCE_IO };
	check_needs(&o, d, 2, n);
	/* a vIOMMU: one context per device, each charging the guest's RAM */
	assert_int_equal(n[BE_TYPE1].contexts, 2);
	assert_int_equal(n[BE_TYPE1].ram_charge, 8 * G);
	/* type1 maps the MMIO BAR without a charge; iommufd refuses it: I/O BARs are never counted */
	assert_int_equal(n[BE_IOMMUFD].bar_refused, 16 * M);
	assert_string_equal(n[BE_IOMMUFD].counter, "user");
	assert_string_equal(n[BE_IOMMUFD_COMPAT].counter, "VmLck");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hugepages),
		cmocka_unit_test(hugepages_many_nodes),
		cmocka_unit_test(memlock),
		cmocka_unit_test(dma),
		cmocka_unit_test(needs),
	};

	return cmocka_run_group_tests_name("judge-memory", tests, NULL, NULL);
}
