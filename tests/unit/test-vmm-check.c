// SPDX-License-Identifier: GPL-2.0-or-later
/* model/vmm-check.c: what check takes from a VMM's configuration, the ROM rule, the manager. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lib/error.h"
#include "model/verdict.h"
#include "model/vmm.h"
#include "verdict-assert.h"

#define G (1ULL << 30)
#define M (1ULL << 20)
#define K (1ULL << 10)

static struct vmm_config c;
static struct vmm_derived d;

static void parse(const char *line)
{
	err_clear();
	assert_int_equal(vmm_cmdline_parse(line, strlen(line), &c), 0);
	vmm_derive(&c, &d);
}

static void qemu_plain(void **state)
{
	(void)state;
	parse("qemu-system-x86_64 -m 256M -device vfio-pci,host=00:03.0 -S");
	assert_int_equal(d.guest_ram, 256 * M);
	assert_true(d.guest_ram_known);
	assert_int_equal(d.devices, 1);
	assert_string_equal(d.bdfs[0], "0000:00:03.0");
	assert_int_equal(d.viommu, VMM_VIOMMU_NONE);
	assert_int_equal(d.contexts, 1);
	assert_false(d.iommufd);
	assert_false(d.hugetlb);
}

/* kubevirt#18915: two GPUs behind a hook-injected intel-iommu: 2 contexts. */
static void viommu_two_devices(void **state)
{
	(void)state;
	parse("qemu-system-x86_64 -machine q35 -m 4G -device intel-iommu "
	      "-device vfio-pci,host=01:00.0 -device vfio-pci,host=02:00.0");
	assert_int_equal(d.viommu, VMM_VIOMMU_INTEL);
	assert_int_equal(d.devices, 2);
	assert_int_equal(d.contexts, 2);
}

/* Kata: an -object iommufd per device, each its own context. */
static void iommufd_per_device(void **state)
{
	(void)state;
	parse("qemu-system-x86_64 -m 2G -object iommufd,id=iommufd0 -object iommufd,id=iommufd1 "
	      "-device vfio-pci,host=01:00.0,iommufd=iommufd0 -device vfio-pci,host=02:00.0,iommufd=iommufd1");
	assert_int_equal(d.iommufd_objects, 2);
	assert_true(d.iommufd);
	assert_int_equal(d.contexts, 2);
	/* one shared object, no vIOMMU: one */
	parse("qemu-system-x86_64 -m 2G -object iommufd,id=fd "
	      "-device vfio-pci,host=01:00.0,iommufd=fd -device vfio-pci,host=02:00.0,iommufd=fd");
	assert_int_equal(d.iommufd_objects, 1);
	assert_int_equal(d.contexts, 1);
}

static void hugetlb_backing(void **state)
{
	(void)state;
	parse("qemu-system-x86_64 -m 1G -mem-path /dev/hugepages -device vfio-pci,host=00:03.0");
	assert_true(d.hugetlb);
	assert_true(d.hugetlb_inferred);     /* a mem-path: hugetlbfs is the host's to say */
	parse("qemu-system-x86_64 -m 1G -object memory-backend-memfd,id=m,size=1G,hugetlb=on "
	      "-machine memory-backend=m -device vfio-pci,host=00:03.0");
	assert_true(d.hugetlb);
	assert_false(d.hugetlb_inferred);
	parse("qemu-system-x86_64 -m 1G -object memory-backend-memfd,id=m,size=1G -machine memory-backend=m");
	assert_false(d.hugetlb);
}

static void dpdk_memory(void **state)
{
	static const char ls[] = "ls -l /tmp";

	(void)state;
	/* "-l" bare is EAL's only before a number */
	err_clear();
	assert_int_equal(vmm_cmdline_parse(ls, sizeof(ls) - 1, &c), -ENOEXEC);
	parse("./app -l 0-1 -- -i");
	assert_int_equal(c.kind, VMM_KIND_DPDK);
	parse("dpdk-testpmd -l 0-1 -a 0000:00:04.0 -m 512 -- -i");
	assert_int_equal(d.guest_ram, 512 * M);
	assert_int_equal(d.contexts, 1);
	assert_true(d.hugetlb);
	parse("dpdk-testpmd -l 0 --socket-mem 256,128 -- -i");
	assert_int_equal(d.guest_ram, 384 * M);
	parse("dpdk-testpmd -l 0 -- -i");
	assert_false(d.guest_ram_known);     /* dynamic memory: allocated on demand */
	parse("dpdk-testpmd -l 0 --no-huge -m 64 -- -i");
	assert_false(d.hugetlb);
}

static struct vmm_firmware fw;

static uint64_t roms(const char *line, int major, int minor, int64_t bios, char *how, size_t size)
{
	struct kver kv = { major, minor, 0 };

	parse(line);
	vmm_firmware_paths(&c, &fw);
	fw.bios = bios;
	return vmm_rom_charge(&c, &fw, true, &kv, how, size);
}

static void rom_rule(void **state)
{
	char how[256];

	(void)state;
	/*
	 * Measured (figures.md, Debian's QEMU 7.2, default SeaBIOS): 256 MiB guest,
	 * 6.12 VmLck 262400 kB = RAM - 256K under the ROM windows + pc.rom 128K +
	 * isa-bios 128K + pc.bios 256K; 6.1 261888 kB = RAM - 256K.
	 */
	assert_int_equal(roms("qemu-system-x86_64 -m 256M -device vfio-pci,host=00:03.0", 6, 12, 262144,
			      how, sizeof(how)), 512 * K);
	assert_int_equal(vmm_ram_hidden(&c), 256 * K);
	assert_int_equal(256 * M - vmm_ram_hidden(&c) + 512 * K, 262400 * K);
	assert_string_equal(fw.bios_path, VMM_DEFAULT_BIOS);
	assert_true(fw.bios_default);
	assert_non_null(strstr(how, "ROMs 512K charged since 6.2: pc.rom 128K + isa-bios 128K + BIOS 256K (/usr/share/seabios/bios-256k.bin)"));
	/* before 6.2 the read-only maps pin the zero page: nothing */
	assert_int_equal(roms("qemu-system-x86_64 -m 256M", 6, 1, 262144, how, sizeof(how)), 0);
	assert_int_equal(256 * M - vmm_ram_hidden(&c), 261888 * K);
	assert_non_null(strstr(how, "not charged before 6.2"));
	/* ... unless mlockall populated them first: measured 262400 kB of DMA on 6.1 too */
	assert_int_equal(roms("qemu-system-x86_64 -m 256M -overcommit mem-lock=on", 6, 1, 262144, how, sizeof(how)),
			 512 * K);
	assert_non_null(strstr(how, "mem-lock=on populates them"));
	/* -bios FILE is what is sized */
	roms("qemu-system-x86_64 -m 256M -bios /opt/fw.bin", 6, 12, 131072, how, sizeof(how));
	assert_string_equal(fw.bios_path, "/opt/fw.bin");
	assert_false(fw.bios_default);
	/* pflash is a ROM device: not RAM, not mapped, not charged (pc.rom and the isa-bios copy are) */
	assert_int_equal(roms("qemu-system-x86_64 -m 1G -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE.fd",
			      6, 12, -1, how, sizeof(how)), 256 * K);
	assert_string_equal(fw.bios_path, "");
	assert_non_null(strstr(how, "pflash: a ROM device, not mapped"));
	/* an unreadable BIOS is said, not guessed */
	assert_int_equal(roms("qemu-system-x86_64 -m 1G", 6, 12, -1, how, sizeof(how)), 128 * K);
	assert_non_null(strstr(how, "could not be read"));
	/* a romfile= option ROM counts unless rombar=0 */
	parse("qemu-system-x86_64 -m 1G -device vfio-pci,host=00:03.0,romfile=/opt/x.rom");
	vmm_firmware_paths(&c, &fw);
	fw.bios = 262144;
	fw.romfile[0] = 65536;
	assert_int_equal(vmm_rom_charge(&c, &fw, true, &(struct kver){ 6, 12, 0 }, how, sizeof(how)),
			 512 * K + 64 * K);
	parse("qemu-system-x86_64 -m 1G -device vfio-pci,host=00:03.0,romfile=/opt/x.rom,rombar=0");
	assert_int_equal(vmm_rom_charge(&c, &fw, true, &(struct kver){ 6, 12, 0 }, how, sizeof(how)), 512 * K);
	/* non-x86: no SeaBIOS default, no ROM windows; not modelled, and said so */
	parse("qemu-system-aarch64 -m 1G");
	vmm_firmware_paths(&c, &fw);
	assert_string_equal(fw.bios_path, "");
	assert_int_equal(vmm_ram_hidden(&c), 0);
	assert_int_equal(vmm_rom_charge(&c, &fw, true, &(struct kver){ 6, 12, 0 }, how, sizeof(how)), 0);
	assert_non_null(strstr(how, "not modelled"));
}

static void manager(void **state)
{
	struct vmm_ceiling ceil;

	(void)state;
	parse("qemu-system-x86_64 -m 1024 -device vfio-pci,host=01:00.0");
	assert_null(vmm_manager_ceiling(&c, &ceil));
	assert_int_equal(ceil.kind, VMM_CEIL_NO_CHANGE);
	assert_non_null(strstr(ceil.rule, "no manager known"));
	/* libvirt writes -name guest=NAME: its formula, 1 GiB + 1 hostdev -> 2147483648 */
	parse("qemu-system-x86_64 -name guest=vm1,debug-threads=on -m 1024 -device vfio-pci,host=01:00.0");
	assert_string_equal(vmm_manager_ceiling(&c, &ceil), "libvirt");
	assert_int_equal(ceil.kind, VMM_CEIL_BYTES);
	assert_int_equal(ceil.bytes, 2147483648ULL);
}

static void vmm_line(void **state)
{
	struct check_result r;

	(void)state;
	parse("qemu-system-x86_64 -m 256M -device vfio-pci,host=00:03.0");
	verdict_reset(&r);
	judge_vmm(&c, &d, "/proc/42/cmdline", "ROMs charged since 6.2: BIOS 256K", "--guest-mem 512M overrides the VMM's 256M", &r);
	assert_int_equal(r.status, ST_PASS);
	assert_has(r.finding, "qemu from /proc/42/cmdline: guest RAM 256M, 1 VFIO device (0000:00:03.0), vIOMMU none, 0 iommufd objects, 1 DMA context");
	assert_has(r.finding, "; ROMs charged since 6.2: BIOS 256K");
	assert_has(r.finding, "; --guest-mem 512M overrides the VMM's 256M");
	verdict_reset(&r);
	judge_vmm(NULL, NULL, NULL, NULL, "VMM not recognised ('bash' is not a VMM)", &r);
	assert_int_equal(r.status, ST_SKIP);
	assert_has(r.finding, "VMM not recognised");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(qemu_plain),
		cmocka_unit_test(viommu_two_devices),
		cmocka_unit_test(iommufd_per_device),
		cmocka_unit_test(hugetlb_backing),
		cmocka_unit_test(dpdk_memory),
		cmocka_unit_test(rom_rule),
		cmocka_unit_test(manager),
		cmocka_unit_test(vmm_line),
	};

	return cmocka_run_group_tests_name("vmm-check", tests, NULL, NULL);
}
