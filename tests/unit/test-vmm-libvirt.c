// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libvirt domain XMLs to facts, and libvirt's memlock ceiling with its own
 * test figures as the oracle (tests/qemumemlocktest.c: pc-kvm 0, pc-hostdev
 * 2147483648, pc-hostdev-nvme 3221225472, pc-hardlimit 2147483648, pc-locked
 * unlimited, and the combinations).  The XMLs are ours, written to match.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/error.h"
#include "model/vmm.h"

#define K (1ULL << 10)
#define M (1ULL << 20)
#define G (1ULL << 30)

static struct vmm_config c;

#define HOSTDEV "<hostdev mode='subsystem' type='pci' managed='yes'>" \
	"<source><address domain='0x0000' bus='0x06' slot='0x12' function='0x5'/></source></hostdev>"
#define NVME "<disk type='nvme' device='disk'><driver name='qemu' type='raw'/>" \
	"<source type='pci' managed='yes' namespace='1'>" \
	"<address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></source>" \
	"<target dev='vda' bus='virtio'/></disk>"
#define HARDLIMIT "<memtune><hard_limit unit='KiB'>2097152</hard_limit></memtune>"
#define LOCKED "<memoryBacking><locked/></memoryBacking>"

/* A 1 GiB x86_64 pc KVM guest, as qemumemlock-pc-kvm.xml describes one. */
static int parse_pc(const char *top, const char *devices)
{
	char xml[4096];

	snprintf(xml, sizeof(xml),
		 "<domain type='kvm'>\n  <name>guest</name>\n  <uuid>9aa4b45c-b9dd-45ef-91fe-862b27b4231f</uuid>\n"
		 "  <memory unit='KiB'>1048576</memory>\n  <vcpu placement='static'>1</vcpu>\n%s\n"
		 "  <os><type arch='x86_64' machine='pc'>hvm</type></os>\n"
		 "  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>%s</devices>\n</domain>\n",
		 top, devices);
	err_clear();
	return vmm_libvirt_parse(xml, strlen(xml), &c);
}

static void ceiling_of(const char *top, const char *devices, struct vmm_ceiling *ceil)
{
	assert_int_equal(parse_pc(top, devices), 0);
	vmm_libvirt_ceiling(&c, ceil);
}

static void memlock_oracle_pc_kvm(void **state)
{
	struct vmm_ceiling ceil;

	(void)state;
	ceiling_of("", "", &ceil);
	assert_int_equal(c.kind, VMM_KIND_LIBVIRT);
	assert_int_equal(c.source, VMM_SRC_DOMAIN_XML);
	assert_string_equal(c.program, "guest");
	assert_int_equal(c.manager, VMM_MGR_LIBVIRT);
	assert_int_equal(c.lv.memory, G);
	assert_int_equal(vmm_guest_memory(&c), G);
	assert_int_equal(ceil.kind, VMM_CEIL_NO_CHANGE);   /* libvirt: 0, no change */
	assert_int_equal(ceil.factor, 0);
}

static void memlock_oracle_pc_hostdev(void **state)
{
	struct vmm_ceiling ceil;

	(void)state;
	ceiling_of("", HOSTDEV, &ceil);
	assert_int_equal(c.lv.nhostdev_pci, 1);
	assert_string_equal(c.devices[0].bdf, "0000:06:12.5");
	assert_int_equal(ceil.kind, VMM_CEIL_BYTES);
	assert_int_equal(ceil.bytes, 2147483648ULL);
	assert_int_equal(ceil.factor, 1);
}

static void memlock_oracle_pc_hostdev_nvme(void **state)
{
	struct vmm_ceiling ceil;

	(void)state;
	ceiling_of("", HOSTDEV NVME, &ceil);
	assert_int_equal(c.lv.nnvme, 1);
	assert_string_equal(c.devices[1].bdf, "0000:01:00.0");
	assert_int_equal(ceil.kind, VMM_CEIL_BYTES);
	assert_int_equal(ceil.bytes, 3221225472ULL);
	assert_int_equal(ceil.factor, 2);
}

static void memlock_oracle_hardlimit_and_locked(void **state)
{
	struct vmm_ceiling ceil;

	(void)state;
	ceiling_of(HARDLIMIT, "", &ceil);          /* pc-hardlimit */
	assert_int_equal(ceil.kind, VMM_CEIL_BYTES);
	assert_int_equal(ceil.bytes, 2147483648ULL);
	ceiling_of(LOCKED, "", &ceil);             /* pc-locked */
	assert_true(c.lv.locked);
	assert_int_equal(ceil.kind, VMM_CEIL_UNLIMITED);
	ceiling_of(HARDLIMIT LOCKED, "", &ceil);   /* pc-hardlimit+locked */
	assert_int_equal(ceil.kind, VMM_CEIL_BYTES);
	assert_int_equal(ceil.bytes, 2147483648ULL);
	ceiling_of(HARDLIMIT, HOSTDEV, &ceil);     /* pc-hardlimit+hostdev */
	assert_int_equal(ceil.bytes, 2147483648ULL);
	ceiling_of(HARDLIMIT LOCKED, HOSTDEV, &ceil);
	assert_int_equal(ceil.kind, VMM_CEIL_BYTES);
	assert_int_equal(ceil.bytes, 2147483648ULL);
	ceiling_of(LOCKED, HOSTDEV, &ceil);        /* pc-locked+hostdev */
	assert_int_equal(ceil.kind, VMM_CEIL_UNLIMITED);
}

/* kubevirt#18915's shape: 2 hostdevs behind an intel vIOMMU -> factor 2. */
static void viommu_multiplies_hostdevs(void **state)
{
	struct vmm_ceiling ceil;
	struct vmm_contexts ctx;

	(void)state;
	ceiling_of("", HOSTDEV "<hostdev mode='subsystem' type='pci'><source>"
		   "<address domain='0x0000' bus='0x07' slot='0x00' function='0x0'/></source></hostdev>"
		   "<iommu model='intel'><driver intremap='on' caching_mode='on'/></iommu>", &ceil);
	assert_int_equal(c.viommu, VMM_VIOMMU_INTEL);
	assert_true(c.devices[0].behind_viommu);
	assert_true(c.devices[1].behind_viommu);
	assert_int_equal(ceil.bytes, 2 * G + G);
	vmm_contexts(&c, &ctx);
	assert_int_equal(ctx.total, 2);
	/* vDPA and mdev count too */
	ceiling_of("", "<interface type='vdpa'><source dev='/dev/vhost-vdpa-0'/></interface>"
		   "<hostdev mode='subsystem' type='mdev' model='vfio-pci'><source>"
		   "<address uuid='c2177883-f1bb-47f0-914d-32a22e3a8804'/></source></hostdev>", &ceil);
	assert_int_equal(c.lv.nvdpa, 1);
	assert_int_equal(c.lv.nhostdev_mdev, 1);
	assert_string_equal(c.devices[1].sysfsdev, "/sys/bus/mdev/devices/c2177883-f1bb-47f0-914d-32a22e3a8804");
	assert_int_equal(ceil.factor, 2);
	assert_int_equal(ceil.bytes, 3 * G);
}

/*
 * kubevirt#18915: a hook adds -device intel-iommu through <qemu:commandline>.
 * libvirt's rule does not see it (factor 1: RAM + 1 GiB) while QEMU makes a
 * container per device (2 contexts: 2 x RAM).
 */
static void qemu_commandline_viommu_is_real_but_unseen(void **state)
{
	static const char xml[] =
		"<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>"
		"<name>vmi</name><memory unit='GiB'>4</memory><devices>" HOSTDEV
		"<hostdev mode='subsystem' type='pci'><source><address domain='0x0000' bus='0x07' slot='0x00' function='0x0'/>"
		"</source></hostdev></devices>"
		"<qemu:commandline><qemu:arg value='-device'/><qemu:arg value='intel-iommu,intremap=on,caching-mode=on'/>"
		"</qemu:commandline></domain>";
	static const char other_ns[] =
		"<domain xmlns:q='urn:not-qemu'><memory>1048576</memory><q:commandline><q:arg value='-device'/>"
		"<q:arg value='intel-iommu'/></q:commandline></domain>";
	static const char bad_args[] =
		"<domain xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'><memory>1048576</memory>"
		"<qemu:commandline><qemu:arg value='-m'/></qemu:commandline></domain>";
	struct vmm_ceiling ceil;
	struct vmm_contexts ctx;

	(void)state;
	err_clear();
	assert_int_equal(vmm_libvirt_parse(xml, sizeof(xml) - 1, &c), 0);
	assert_int_equal(c.lv.ncmdline_args, 2);
	assert_true(c.lv.cmdline_viommu);
	assert_int_equal(c.viommu, VMM_VIOMMU_INTEL);
	assert_string_equal(c.lv.iommu_model, "");
	vmm_libvirt_ceiling(&c, &ceil);
	assert_int_equal(ceil.factor, 1);
	assert_int_equal(ceil.bytes, 5 * G);              /* 4 GiB + 1 GiB */
	assert_non_null(strstr(ceil.rule, "not counted by libvirt"));
	vmm_contexts(&c, &ctx);
	assert_int_equal(ctx.total, 2);                    /* 2 x 4 GiB pinned: over the ceiling */
	/* only libvirt's qemu namespace is QEMU's */
	assert_int_equal(vmm_libvirt_parse(other_ns, sizeof(other_ns) - 1, &c), 0);
	assert_int_equal(c.viommu, VMM_VIOMMU_NONE);
	assert_int_equal(vmm_libvirt_parse(bad_args, sizeof(bad_args) - 1, &c), -EINVAL);
	assert_non_null(strstr(err_message(), "<qemu:commandline>"));
	assert_non_null(strstr(err_message(), "truncated"));
	err_clear();
}

static void units_follow_libvirt(void **state)
{
	static const char *const units[][2] = {
		{ "<memory unit='GiB'>1</memory>", "1073741824" },
		{ "<memory unit='G'>1</memory>", "1073741824" },
		{ "<memory unit='MB'>1000</memory>", "1000000512" },   /* 10^9 B, rounded up to KiB */
		{ "<memory unit='b'>1048577</memory>", "1049600" },
		{ "<memory unit='bytes'>4096</memory>", "4096" },
		{ "<memory>2048</memory>", "2097152" },                /* KiB when no unit */
		{ "<memory unit='mib'>3</memory>", "3145728" },
		{ "<memory unit='TiB'>1</memory>", "1099511627776" },
	};
	char xml[512], want[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		snprintf(xml, sizeof(xml), "<domain type='kvm'><name>u</name>%s</domain>", units[i][0]);
		err_clear();
		assert_int_equal(vmm_libvirt_parse(xml, strlen(xml), &c), 0);
		snprintf(want, sizeof(want), "%llu", (unsigned long long)c.lv.memory);
		assert_string_equal(want, units[i][1]);
	}
	snprintf(xml, sizeof(xml), "<domain><memory unit='furlongs'>1</memory></domain>");
	err_clear();
	assert_int_equal(vmm_libvirt_parse(xml, strlen(xml), &c), -EINVAL);
	assert_non_null(strstr(err_message(), "<memory>"));
}

static void dimms_numa_backing_firmware(void **state)
{
	static const char xml[] =
		"<domain type='kvm'><name>big</name>"
		"<maxMemory slots='16' unit='KiB'>8388608</maxMemory>"
		"<memory unit='GiB'>3</memory><currentMemory unit='GiB'>3</currentMemory>"
		"<memoryBacking><hugepages><page size='2048' unit='KiB'/></hugepages>"
		"<source type='memfd'/><access mode='shared'/><allocation mode='immediate'/></memoryBacking>"
		"<os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type>"
		"<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>"
		"<nvram>/var/lib/libvirt/qemu/nvram/big_VARS.fd</nvram></os>"
		"<cpu><numa><cell id='0' cpus='0' memory='2' unit='GiB'/></numa></cpu>"
		"<devices><memory model='dimm'><target><size unit='GiB'>1</size><node>0</node></target></memory>"
		"<hostdev mode='subsystem' type='pci'><source><address bus='0x41' slot='0x00' function='0x1'/></source>"
		"<rom bar='off'/><alias name='hostdev0'/></hostdev></devices></domain>";

	(void)state;
	err_clear();
	assert_int_equal(vmm_libvirt_parse(xml, sizeof(xml) - 1, &c), 0);
	assert_int_equal(c.lv.memory, 3 * G);
	assert_int_equal(c.lv.ndimms, 1);
	assert_int_equal(c.dimm_bytes, G);
	assert_int_equal(c.ram_bytes, 2 * G);           /* initial = total - DIMMs */
	assert_int_equal(vmm_guest_memory(&c), 3 * G);
	assert_int_equal(c.maxmem, 8 * G);
	assert_int_equal(c.slots, 16);
	assert_int_equal(c.lv.ncells, 1);
	assert_int_equal(c.lv.numa_bytes, 2 * G);
	assert_true(c.lv.hugepages);
	assert_int_equal(c.lv.hugepage_size, 2 * M);
	assert_string_equal(c.lv.source_type, "memfd");
	assert_true(c.lv.shared);
	assert_true(c.lv.prealloc);
	assert_string_equal(c.lv.machine, "pc-q35-7.2");
	assert_int_equal(c.npflash, 2);
	assert_string_equal(c.pflash[0], "/usr/share/OVMF/OVMF_CODE_4M.fd");
	assert_string_equal(c.pflash[1], "/var/lib/libvirt/qemu/nvram/big_VARS.fd");
	assert_string_equal(c.devices[0].bdf, "0000:41:00.1");   /* domain defaults to 0 */
	assert_int_equal(c.devices[0].rombar, VMM_OFF);
	assert_string_equal(c.devices[0].id, "hostdev0");
}

/* No <memory>: libvirt sums the NUMA cells and memory devices. */
static void memory_from_numa_cells(void **state)
{
	static const char xml[] = "<domain type='kvm'><cpu><numa>"
		"<cell id='0' cpus='0' memory='512' unit='MiB'/><cell id='1' cpus='1' memory='524288'/>"
		"</numa></cpu></domain>";

	(void)state;
	err_clear();
	assert_int_equal(vmm_libvirt_parse(xml, sizeof(xml) - 1, &c), 0);
	assert_int_equal(c.lv.memory, G);
}

static void ppc64_is_not_modelled(void **state)
{
	static const char xml[] = "<domain type='kvm'><memory>1048576</memory>"
		"<os><type arch='ppc64' machine='pseries'>hvm</type></os><devices>" HOSTDEV "</devices></domain>";
	struct vmm_ceiling ceil;

	(void)state;
	err_clear();
	assert_int_equal(vmm_libvirt_parse(xml, sizeof(xml) - 1, &c), 0);
	vmm_libvirt_ceiling(&c, &ceil);
	assert_int_equal(ceil.kind, VMM_CEIL_NOT_MODELLED);   /* libvirt says 4320133120: its own rule */
}

static void not_a_domain(void **state)
{
	static const char *const bad[][2] = {
		{ "<network><name>default</name></network>", "not <domain>" },
		{ "qemu-system-x86_64 -m 1G", "not well-formed" },
		{ "<domain><memory>1048576</memory>", "not well-formed" },
		{ "<?xml version='1.0'?><!DOCTYPE domain [<!ENTITY a 'aaaa'><!ENTITY b '&a;&a;&a;&a;'>]>"
		  "<domain><name>&b;</name><memory>1</memory></domain>", "DOCTYPE" },
		{ "<!DOCTYPE domain SYSTEM 'http://example.invalid/x.dtd'><domain/>", "DOCTYPE" },
		{ "<domain type='kvm'><name>x</name></domain>", "no <memory>" },
		{ "<domain><memory>1048576</memory><devices><memory model='dimm'><target>"
		  "<size unit='GiB'>2</size></target></memory></devices></domain>", "more than <memory>" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err_clear();
		assert_int_equal(vmm_libvirt_parse(bad[i][0], strlen(bad[i][0]), &c), -EINVAL);
		assert_int_equal(err_exit_code(), VP_EXIT_SYSROOT);
		if (!strstr(err_message(), bad[i][1]))
			fail_msg("'%s': error '%s' lacks '%s'", bad[i][0], err_message(), bad[i][1]);
		assert_null(strchr(err_message(), '\n'));   /* one line */
	}
	err_clear();
	assert_int_equal(vmm_libvirt_parse("", 0, &c), -EINVAL);
	err_clear();
}

/* libxml2 prints encoding errors itself, past XML_PARSE_NOERROR: none may reach stderr. */
static void libxml2_stays_quiet(void **state)
{
	static const char bad_enc[] = "<?xml version='1.0' encoding='ISO-2022-JP'?><domain>\x1b$B\xff\xff</domain>";
	FILE *cap = tmpfile();
	int saved;

	(void)state;
	assert_non_null(cap);
	fflush(stderr);
	saved = dup(2);
	assert_true(saved >= 0);
	assert_int_equal(dup2(fileno(cap), 2), 2);
	err_clear();
	assert_int_equal(vmm_libvirt_parse(bad_enc, sizeof(bad_enc) - 1, &c), -EINVAL);
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	assert_int_equal(ftell(cap), 0);
	fclose(cap);
	assert_non_null(strstr(err_message(), "not well-formed"));
	err_clear();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(memlock_oracle_pc_kvm),
		cmocka_unit_test(memlock_oracle_pc_hostdev),
		cmocka_unit_test(memlock_oracle_pc_hostdev_nvme),
		cmocka_unit_test(memlock_oracle_hardlimit_and_locked),
		cmocka_unit_test(viommu_multiplies_hostdevs),
		cmocka_unit_test(qemu_commandline_viommu_is_real_but_unseen),
		cmocka_unit_test(units_follow_libvirt),
		cmocka_unit_test(dimms_numa_backing_firmware),
		cmocka_unit_test(memory_from_numa_cells),
		cmocka_unit_test(ppc64_is_not_modelled),
		cmocka_unit_test(not_a_domain),
		cmocka_unit_test(libxml2_stays_quiet),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
