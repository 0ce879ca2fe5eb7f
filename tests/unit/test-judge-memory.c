// SPDX-License-Identifier: GPL-2.0-or-later
/* model/judge-memory.c: hugepages, memlock, dma_entries, every status each returns. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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
	judge_hugepages(pools, 64, &o, NULL, &r);
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
	judge_hugepages(NULL, 0, &o, NULL, &r);
	assert_int_equal(r.status, ST_SKIP);
	o.hugepage_size = 2 * M;
	verdict_reset(&r);
	judge_hugepages(NULL, 0, &o, NULL, &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.fix, "CONFIG_HUGETLBFS");

	/* no size asked: the largest pool with pages reserved (1G here) */
	o.hugepage_size = 0;
	verdict_reset(&r);
	judge_hugepages(pools, 3, &o, NULL, &r);
	assert_int_equal(r.status, ST_PASS);
	assert_string_equal(r.finding, "1048576kB pool: 8 free of 16 (node0 4/8, node1 4/8) (give --guest-mem to compare)");
	verdict_reset(&r);
	judge_hugepages(pools, 1, &o, NULL, &r);
	assert_int_equal(r.status, ST_SKIP);
	assert_has(r.finding, "no huge pages reserved");

	o.hugepage_size = 16 * 1024;   /* a size the host has no pool of */
	verdict_reset(&r);
	judge_hugepages(pools, 3, &o, NULL, &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "no 16kB huge page pool");

	o.hugepage_size = G;
	o.have_guest_mem = true;
	o.guest_mem = 6 * G;
	verdict_reset(&r);
	judge_hugepages(pools, 3, &o, NULL, &r);
	assert_int_equal(r.status, ST_WARN);
	assert_has(r.finding, "needs 6 pages of 1048576kB: 8 free in all, but no single node has them");
	o.guest_mem = 4 * G;
	verdict_reset(&r);
	judge_hugepages(pools, 3, &o, NULL, &r);
	assert_int_equal(r.status, ST_PASS);
	o.guest_mem = 10 * G;
	verdict_reset(&r);
	judge_hugepages(pools, 3, &o, NULL, &r);
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
	judge_memlock(&t, &need, BE_TYPE1, &o, NULL, &r);
	assert_int_equal(r.status, ST_SKIP);
	assert_has(r.finding, "give --guest-mem");

	o.have_guest_mem = true;
	o.guest_mem = 4 * G;
	verdict_reset(&r);
	judge_memlock(&t, &need, BE_TYPE1, &o, NULL, &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "memlock soft 8M, hard 8M (/proc/42/limits) is short by 4088M of the need 4G guest RAM x 1 container; MAP_DMA will fail with ENOMEM");
	assert_has(r.fix, "prlimit --pid 42 --memlock=4294967296:4294967296");
	verdict_reset(&r);
	judge_memlock(&t, &need, BE_IOMMUFD, &o, NULL, &r);
	assert_has(r.finding, "IOMMU_IOAS_MAP will fail");

	t.hard_inf = true;
	t.have_vmlck = true;
	t.vm_lck = 2 * M;
	verdict_reset(&r);
	judge_memlock(&t, &need, BE_TYPE1, &o, NULL, &r);
	assert_has(r.finding, "; VmLck now 2M; the hard limit would allow raising the soft one");

	t.kind = TGT_USER;
	verdict_reset(&r);
	judge_memlock(&t, &need, BE_TYPE1, &o, NULL, &r);
	assert_has(r.fix, "echo 'qemu - memlock 4194304' > /etc/security/limits.d/90-vfio.conf");
	t.kind = TGT_UNIT;
	verdict_reset(&r);
	judge_memlock(&t, &need, BE_TYPE1, &o, NULL, &r);
	assert_has(r.fix, "systemctl edit vm.service: [Service] LimitMEMLOCK=4G");
	t.kind = TGT_SELF;
	verdict_reset(&r);
	judge_memlock(&t, &need, BE_TYPE1, &o, NULL, &r);
	assert_has(r.fix, "ulimit -l 4194304");

	t.soft_inf = true;
	verdict_reset(&r);
	judge_memlock(&t, &need, BE_TYPE1, &o, NULL, &r);
	assert_int_equal(r.status, ST_PASS);
	assert_has(r.finding, "covers the need");

	/* CAP_IPC_LOCK: type1 does not enforce the limit at all */
	t = tgt(TGT_PID, 0, 0);
	t.have_caps = t.cap_ipc_lock = true;
	strcpy(t.cap_from, "effective set of process 42");
	verdict_reset(&r);
	judge_memlock(&t, &need, BE_TYPE1, &o, NULL, &r);
	assert_int_equal(r.status, ST_PASS);
	assert_has(r.finding, "has CAP_IPC_LOCK (effective set of process 42): the limit does not apply (type1 does not enforce it");

	t.have_limit = false;
	verdict_reset(&r);
	judge_memlock(&t, &need, BE_TYPE1, &o, NULL, &r);
	assert_int_equal(r.status, ST_UNKNOWN);
	t.known = false;
	strcpy(t.err, "no process 42");
	verdict_reset(&r);
	judge_memlock(&t, &need, BE_TYPE1, &o, NULL, &r);
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
	check_needs(&o, d, 2, &(struct need_in){ 0 }, n);
	/* a vIOMMU: one context per device, each charging the guest's RAM */
	assert_int_equal(n[BE_TYPE1].contexts, 2);
	assert_int_equal(n[BE_TYPE1].ram_charge, 8 * G);
	/* type1 maps the MMIO BAR without a charge; iommufd refuses it: I/O BARs are never counted */
	assert_int_equal(n[BE_IOMMUFD].bar_refused, 16 * M);
	assert_string_equal(n[BE_IOMMUFD].counter, "user");
	assert_string_equal(n[BE_IOMMUFD_COMPAT].counter, "VmLck");
}

/* Issue 9: a QEMU on 6.12 charges 256.25M for 256M of RAM; a limit of 256M is short by 256K. */
static void memlock_short_by_roms(void **state)
{
	struct check_opts o = { .pid = "42", .have_guest_mem = true, .guest_mem = 256 * M };
	struct target t = tgt(TGT_PID, 256 * M, 256 * M);
	/* measured: RAM - 256K under the ROM windows + pc.rom, isa-bios, pc.bios 512K */
	struct need_in in = { .guest_mem = 256 * M, .ndevices = 1, .rom_bytes = 512 << 10,
			      .ram_hidden = 256 << 10, .kv_known = true, .kv = { 6, 12, 0 } };
	struct vmm_side v = { .known = true, .running = true };
	struct need_out need;
	struct check_result r;

	(void)state;
	need_compute(&in, &need);
	assert_int_equal(need.total, 256 * M + (256 << 10));
	t.have_vmlck = true;
	t.vm_lck = 256 * M + (256 << 10);
	v.ceil.kind = VMM_CEIL_NO_CHANGE;
	strcpy(v.ceil.rule, "no manager known");
	verdict_reset(&r);
	judge_memlock(&t, &need, BE_TYPE1, &o, &v, &r);
	assert_int_equal(r.status, ST_FAIL);
	/* the two figures compared are printed so that the larger shows */
	assert_has(r.finding, "memlock soft 256M, hard 256M (/proc/42/limits) is short by 256K of the need 256.25M = guest RAM 256M x 1 context - 256K under the ROM windows x 1 + ROMs 512K x 1");
	assert_has(r.finding, "VmLck now 256.25M");
	assert_has(r.fix, "--memlock=268697600:268697600");
}

/* libvirt's ceiling side by side: 2 contexts (vIOMMU hook) against 1 x RAM + 1G (kubevirt#18915). */
static void memlock_manager_short(void **state)
{
	struct check_opts o = { .have_guest_mem = true, .guest_mem = 4 * G };
	struct target t = tgt(TGT_USER, 8 * M, 8 * M);
	struct need_in in = { .guest_mem = 4 * G, .contexts = 2, .kv_known = true, .kv = { 6, 1, 0 } };
	struct vmm_side v = { .known = true, .manager = "libvirt" };
	struct need_out need;
	struct check_result r;

	(void)state;
	o.user = "qemu";
	need_compute(&in, &need);
	assert_int_equal(need.total, 8 * G);
	v.ceil.kind = VMM_CEIL_BYTES;
	v.ceil.bytes = 5 * G;
	strcpy(v.ceil.rule, "libvirt: 1 x guest memory + 1 GiB");
	/* not running yet: libvirt raises 8M to 5G, which is what is in force, and short */
	assert_int_equal(memlock_in_force(&t, &v), 5 * G);
	verdict_reset(&r);
	judge_memlock(&t, &need, BE_TYPE1, &o, &v, &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, ", raised by libvirt to 5G is short by 3G of the need 8G");
	assert_has(r.finding, "; libvirt sets 5G (libvirt: 1 x guest memory + 1 GiB): short by 3G");

	/* the limit in force covers it (set by hand), the manager's rule would not: still FAIL, saying which */
	t.soft = t.hard = 16 * G;
	verdict_reset(&r);
	judge_memlock(&t, &need, BE_TYPE1, &o, &v, &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "covers the need 8G");
	assert_has(r.finding, "but the manager's ceiling does not; libvirt sets 5G");
	assert_has(r.fix, "<hard_limit unit='KiB'>8388608</hard_limit>");

	/* KubeVirt-style unlimited: in force, PASS */
	v.ceil.kind = VMM_CEIL_UNLIMITED;
	t.soft = t.hard = 8 * M;
	assert_int_equal(memlock_in_force(&t, &v), UINT64_MAX);
	verdict_reset(&r);
	judge_memlock(&t, &need, BE_TYPE1, &o, &v, &r);
	assert_int_equal(r.status, ST_PASS);
	/* a running VMM's own limit is in force: the manager acted already */
	v.running = true;
	assert_int_equal(memlock_in_force(&t, &v), 8 * M);
}

/* Issue 9: a QEMU holding its guest RAM in huge pages asks for none free. */
static void hugepages_held_by_running_vmm(void **state)
{
	struct hugepool pools[] = { { .size_kb = 2048, .node = 0, .total = 128, .free = 0 } };
	struct check_opts o = { .have_guest_mem = true, .guest_mem = 256 * M };
	struct vmm_side v = { .known = true, .running = true, .hugetlb = true, .hugetlb_held = 256 * M };
	struct check_result r;

	(void)state;
	verdict_reset(&r);
	judge_hugepages(pools, 1, &o, NULL, &r);
	assert_int_equal(r.status, ST_FAIL);           /* as before: nobody holds them */
	verdict_reset(&r);
	judge_hugepages(pools, 1, &o, &v, &r);
	assert_int_equal(r.status, ST_PASS);
	assert_has(r.finding, "the running VMM holds 256M of huge pages already (HugetlbPages): 128 held, not needed free");
	v.hugetlb_held = 128 * M;                     /* half held: the rest must be free */
	verdict_reset(&r);
	judge_hugepages(pools, 1, &o, &v, &r);
	assert_int_equal(r.status, ST_FAIL);
	assert_has(r.finding, "needs 64 more pages of 2048kB");
	/* a VMM on anonymous memory needs no pool */
	v = (struct vmm_side){ .known = true };
	verdict_reset(&r);
	judge_hugepages(pools, 1, &o, &v, &r);
	assert_int_equal(r.status, ST_SKIP);
	assert_has(r.finding, "not on huge pages");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hugepages),
		cmocka_unit_test(hugepages_many_nodes),
		cmocka_unit_test(memlock),
		cmocka_unit_test(memlock_short_by_roms),
		cmocka_unit_test(memlock_manager_short),
		cmocka_unit_test(hugepages_held_by_running_vmm),
		cmocka_unit_test(dma),
		cmocka_unit_test(needs),
	};

	return cmocka_run_group_tests_name("judge-memory", tests, NULL, NULL);
}
