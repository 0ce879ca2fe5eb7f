// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * QEMU command lines to facts: the argv forms (/proc/PID/cmdline, one shell
 * line), QEMU's option syntaxes (keyval, libvirt's JSON), its size rules, and
 * the lines our test guest and Kata/libvirt really run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "lib/error.h"
#include "model/vmm.h"

#define K (1ULL << 10)
#define M (1ULL << 20)
#define G (1ULL << 30)

static struct vmm_config c;

static int parse(const char *line)
{
	err_clear();
	return vmm_cmdline_parse(line, strlen(line), &c);
}

static void expect_error(const char *line, const char *needle)
{
	assert_int_equal(parse(line), -EINVAL);
	assert_true(err_isset());
	assert_int_equal(err_exit_code(), VP_EXIT_SYSROOT);
	if (!strstr(err_message(), needle))
		fail_msg("error '%s' does not name '%s'", err_message(), needle);
}

/* The QEMU Debian 12's qemu-system-x86 7.2 runs in our test guest (issue 9). */
static void debian_guest_line(void **state)
{
	struct vmm_contexts ctx;

	(void)state;
	assert_int_equal(parse("qemu-system-x86_64 -S -m 256 -machine q35 "
			       "-device vfio-pci,host=0000:00:03.0 -nographic"), 0);
	assert_int_equal(c.kind, VMM_KIND_QEMU);
	assert_int_equal(c.source, VMM_SRC_CMDLINE);
	assert_string_equal(c.program, "qemu-system-x86_64");
	assert_true(c.ram_set);
	assert_int_equal(c.ram_bytes, 256 * M);       /* -m without a suffix is MiB */
	assert_int_equal(c.ndevices, 1);
	assert_int_equal(c.devices[0].kind, VMM_DEV_VFIO_PCI);
	assert_string_equal(c.devices[0].bdf, "0000:00:03.0");
	assert_false(c.devices[0].behind_viommu);
	assert_int_equal(c.viommu, VMM_VIOMMU_NONE);
	assert_int_equal(c.mem_lock, VMM_UNSET);
	assert_string_equal(c.partial, "");
	assert_int_equal(c.manager, VMM_MGR_UNKNOWN);
	vmm_contexts(&c, &ctx);
	assert_int_equal(ctx.total, 1);
	assert_int_equal(ctx.type1, 1);
}

/* The same process read from /proc/PID/cmdline: NUL-separated, NUL-terminated. */
static void proc_cmdline_form(void **state)
{
	static const char buf[] = "qemu-system-x86_64\0-S\0-m\0" "256\0-machine\0q35\0"
				  "-device\0vfio-pci,host=00:03.0\0-nographic\0";
	static const char noterm[] = "qemu-system-x86_64\0-m\0" "512M";

	(void)state;
	err_clear();
	assert_int_equal(vmm_cmdline_parse(buf, sizeof(buf) - 1, &c), 0);
	assert_int_equal(c.ram_bytes, 256 * M);
	assert_string_equal(c.devices[0].bdf, "0000:00:03.0");   /* short form normalised */
	/* a last argument without its NUL (a process that rewrote its argv) is kept */
	assert_int_equal(vmm_cmdline_parse(noterm, sizeof(noterm) - 1, &c), 0);
	assert_int_equal(c.ram_bytes, 512 * M);
}

static void argv_shell_quoting(void **state)
{
	struct vmm_argv a;
	static const char line[] = "prog 'a b' \"c\\\"d\\$\" e\\ f \\\n g # comment -m 9\n  ''  \"x\\y\"";

	(void)state;
	err_clear();
	assert_int_equal(vmm_argv_split(line, sizeof(line) - 1, &a), 0);
	assert_int_equal(a.argc, 7);
	assert_string_equal(a.argv[0], "prog");
	assert_string_equal(a.argv[1], "a b");
	assert_string_equal(a.argv[2], "c\"d$");
	assert_string_equal(a.argv[3], "e f");
	assert_string_equal(a.argv[4], "g");      /* backslash-newline joins lines */
	assert_string_equal(a.argv[5], "");       /* '' is an empty argument */
	assert_string_equal(a.argv[6], "x\\y");   /* \y is literal inside "..." */
	assert_null(a.argv[7]);
	vmm_argv_free(&a);
	/* a multi-line command copied from a script */
	assert_int_equal(parse("qemu-system-x86_64 \\\n  -m 1G \\\n  -device vfio-pci,host=0000:01:00.0\n"), 0);
	assert_int_equal(c.ram_bytes, G);
	assert_int_equal(c.ndevices, 1);
}

static void sizes_follow_qemu(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(parse("qemu-system-x86_64 -m 4G"), 0);
	assert_int_equal(c.ram_bytes, 4 * G);
	assert_int_equal(parse("qemu-system-x86_64 -m size=1.5G"), 0);
	assert_int_equal(c.ram_bytes, 1536 * M);
	assert_int_equal(parse("qemu-system-x86_64 -m 1048576k"), 0);   /* libvirt's -m form */
	assert_int_equal(c.ram_bytes, G);
	/* rounded up to 8 KiB (hw/core/machine.c machine_set_mem) */
	assert_int_equal(parse("qemu-system-x86_64 -m 4097k"), 0);
	assert_int_equal(c.ram_bytes, 4104 * K);
	assert_int_equal(parse("qemu-system-x86_64 -m 1G,slots=4,maxmem=8G"), 0);
	assert_int_equal(c.slots, 4);
	assert_int_equal(c.maxmem, 8 * G);
	/* no -m, or -m 0: the machine's default, 128 MiB, and said to be a default */
	assert_int_equal(parse("qemu-system-x86_64 -nographic"), 0);
	assert_false(c.ram_set);
	assert_int_equal(c.ram_bytes, 128 * M);
	assert_int_equal(parse("qemu-system-x86_64 -m 0"), 0);
	assert_false(c.ram_set);
	/* QEMU 7.2 refuses these (checked: "Parameter 'size' expects a non-negative number") */
	assert_int_equal(parse("qemu-system-x86_64 -m 1.5"), -EINVAL);
	assert_int_equal(parse("qemu-system-x86_64 -m 1GiB"), -EINVAL);
	/* hex ending in a digit gets QEMU's MiB too ("0x10M", deprecated but taken) */
	assert_int_equal(parse("qemu-system-x86_64 -m 0x10"), 0);
	assert_int_equal(c.ram_bytes, 16 * M);
	err_clear();
	/* the size grammar itself */
	assert_int_equal(vmm_qemu_size("512", 'B', &v), 0);
	assert_int_equal(v, 512);
	assert_int_equal(vmm_qemu_size("2t", 'B', &v), 0);
	assert_int_equal(v, 2ULL << 40);
	assert_int_equal(vmm_qemu_size("0x1000", 'M', &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(vmm_qemu_size("0x1E", 'B', &v), 0);   /* E is a hex digit here */
	assert_int_equal(v, 30);
	assert_int_equal(vmm_qemu_size("0x2G", 'B', &v), 0);
	assert_int_equal(v, 2ULL << 30);
	assert_int_equal(vmm_qemu_size("1.5", 'B', &v), -EINVAL);   /* a fraction of a byte */
	assert_int_equal(vmm_qemu_size("1GiB", 'B', &v), -EINVAL);  /* QEMU takes one letter */
	assert_int_equal(vmm_qemu_size("16E", 'B', &v), -ERANGE);
	assert_int_equal(vmm_qemu_size("-1", 'B', &v), -EINVAL);
}

static void mem_path_and_prealloc(void **state)
{
	(void)state;
	assert_int_equal(parse("qemu-system-x86_64 -m 256 -mem-path /dev/hugepages -mem-prealloc "
			       "-device vfio-pci,host=0000:00:03.0"), 0);
	assert_string_equal(c.mem_path, "/dev/hugepages");
	assert_true(c.mem_prealloc);
	assert_int_equal(c.nbackends, 0);
}

static void shared_backend_file(void **state)
{
	(void)state;
	assert_int_equal(parse("qemu-system-x86_64 -object memory-backend-file,id=mem,size=256M,"
			       "mem-path=/dev/hugepages,share=on,prealloc=on -machine q35,memory-backend=mem"), 0);
	assert_int_equal(c.nbackends, 1);
	assert_string_equal(c.backends[0].id, "mem");
	assert_int_equal(c.backends[0].type, VMM_MEM_FILE);
	assert_int_equal(c.backends[0].size, 256 * M);
	assert_string_equal(c.backends[0].mem_path, "/dev/hugepages");
	assert_true(c.backends[0].share);
	assert_true(c.backends[0].prealloc);
	assert_true(c.backends[0].used);
	/* no -m: guest RAM is the backend's size (vl.c) */
	assert_true(c.ram_set);
	assert_int_equal(c.ram_bytes, 256 * M);
	/* the NUMA form, and ",," escaping a comma in a path */
	assert_int_equal(parse("qemu-system-x86_64 -m 1G -object memory-backend-file,id=m0,size=1G,"
			       "mem-path=/mnt/huge,,1G -numa node,nodeid=0,memdev=m0"), 0);
	assert_string_equal(c.backends[0].mem_path, "/mnt/huge,1G");
	assert_false(c.backends[0].share);              /* file defaults to share=off */
	assert_int_equal(c.nnuma, 1);
	assert_string_equal(c.numa[0].memdev, "m0");
	assert_true(c.backends[0].used);
}

static void memfd_defaults_to_shared(void **state)
{
	(void)state;
	assert_int_equal(parse("qemu-system-x86_64 -m 1G -object memory-backend-memfd,id=m,size=1G,"
			       "hugetlb=on,hugetlbsize=2M -object memory-backend-memfd,id=n,size=1G,share=off "
			       "-object memory-backend-ram,id=r,size=64M"), 0);
	assert_int_equal(c.nbackends, 3);
	assert_int_equal(c.backends[0].type, VMM_MEM_MEMFD);
	assert_true(c.backends[0].share);     /* hostmem-memfd.c: share defaults to on */
	assert_true(c.backends[0].hugetlb);
	assert_int_equal(c.backends[0].hugetlbsize, 2 * M);
	assert_false(c.backends[1].share);
	assert_int_equal(c.backends[2].type, VMM_MEM_RAM);
	assert_false(c.backends[2].share);
	assert_false(c.backends[2].used);
}

static void overcommit_mem_lock(void **state)
{
	(void)state;
	assert_int_equal(parse("qemu-system-x86_64 -m 256 -overcommit mem-lock=on"), 0);
	assert_int_equal(c.mem_lock, VMM_ON);
	assert_int_equal(parse("qemu-system-x86_64 -overcommit mem-lock=off,cpu-pm=on"), 0);
	assert_int_equal(c.mem_lock, VMM_OFF);
	assert_false(c.mem_lock_onfault);
	assert_int_equal(parse("qemu-system-x86_64 -overcommit mem-lock=on-fault"), 0);
	assert_int_equal(c.mem_lock, VMM_ON);
	assert_true(c.mem_lock_onfault);
	expect_error("qemu-system-x86_64 -overcommit mem-lock=maybe", "mem-lock");
}

static void viommu_with_two_devices(void **state)
{
	struct vmm_contexts ctx;

	(void)state;
	assert_int_equal(parse("qemu-system-x86_64 -machine q35,kernel-irqchip=split -m 256 "
			       "-device intel-iommu,intremap=on,caching-mode=on "
			       "-device vfio-pci,host=0000:00:03.0 -device vfio-pci,host=0000:00:04.0"), 0);
	assert_int_equal(c.viommu, VMM_VIOMMU_INTEL);
	assert_int_equal(c.ndevices, 2);
	assert_true(c.devices[0].behind_viommu);
	assert_true(c.devices[1].behind_viommu);
	vmm_contexts(&c, &ctx);
	assert_int_equal(ctx.total, 2);           /* one container per device: 2 x RAM */
	assert_int_equal(ctx.type1, 2);
	/* the vIOMMU may come after the devices on the line: same answer */
	assert_int_equal(parse("qemu-system-x86_64 -device vfio-pci,host=00:03.0 "
			       "-device vfio-pci,host=00:04.0 -device virtio-iommu-pci"), 0);
	assert_int_equal(c.viommu, VMM_VIOMMU_VIRTIO);
	vmm_contexts(&c, &ctx);
	assert_int_equal(ctx.total, 2);
	assert_int_equal(parse("qemu-system-aarch64 -machine virt,iommu=smmuv3 -device vfio-pci,host=0000:00:03.0"), 0);
	assert_int_equal(c.viommu, VMM_VIOMMU_SMMUV3);
	assert_true(c.devices[0].behind_viommu);
}

/* docs/bypass-iommu.txt: the main bus bypasses with default_bus_bypass_iommu, a pxb with its own. */
static void bypass_iommu_host_bridges(void **state)
{
	struct vmm_contexts ctx;

	(void)state;
	assert_int_equal(parse("qemu-system-x86_64 -machine q35,default_bus_bypass_iommu=true "
			       "-device pxb-pcie,bus_nr=0x10,id=pci.10,bus=pcie.0,addr=0x3 "
			       "-device pxb-pcie,bus_nr=0x20,id=pci.20,bus=pcie.0,addr=0x4,bypass_iommu=true "
			       "-device pcie-root-port,id=rp1,bus=pci.10,chassis=1 "
			       "-device pcie-root-port,id=rp2,bus=pci.20,chassis=2 "
			       "-device intel-iommu "
			       "-device vfio-pci,host=0000:01:00.0,bus=rp1 "
			       "-device vfio-pci,host=0000:02:00.0,bus=rp2 "
			       "-device vfio-pci,host=0000:03:00.0 "
			       "-device vfio-pci,host=0000:04:00.0,bus=pcie.0"), 0);
	assert_true(c.devices[0].behind_viommu);    /* pxb pci.10 goes through the vIOMMU */
	assert_false(c.devices[1].behind_viommu);   /* pxb pci.20 bypasses */
	assert_false(c.devices[2].behind_viommu);   /* main bus bypasses */
	assert_false(c.devices[3].behind_viommu);
	vmm_contexts(&c, &ctx);
	assert_int_equal(ctx.total, 2);             /* one of its own + one shared system container */
	/* QEMU 7.2's own spelling of the machine property (-machine q35,help) */
	assert_int_equal(parse("qemu-system-x86_64 -machine q35,default-bus-bypass-iommu=on "
			       "-device intel-iommu -device vfio-pci,host=0000:03:00.0"), 0);
	assert_false(c.devices[0].behind_viommu);
}

/* Behind a vIOMMU, devices under one conventional PCI bridge DMA as the bridge: one address space. */
static void pci_bridge_aliases_its_devices(void **state)
{
	struct vmm_contexts ctx;

	(void)state;
	assert_int_equal(parse("qemu-system-x86_64 -machine q35 -device intel-iommu "
			       "-device pcie-root-port,id=rp0,bus=pcie.0,chassis=1 "
			       "-device pcie-pci-bridge,id=br0,bus=rp0 "
			       "-device vfio-pci,host=0000:01:00.0,bus=br0,addr=0x1 "
			       "-device vfio-pci,host=0000:02:00.0,bus=br0,addr=0x2 "
			       "-device pcie-root-port,id=rp1,bus=pcie.0,chassis=2 "
			       "-device vfio-pci,host=0000:03:00.0,bus=rp1"), 0);
	assert_true(c.devices[0].behind_viommu);
	assert_int_equal(c.devices[0].as_alias, c.devices[1].as_alias);
	assert_int_not_equal(c.devices[0].as_alias, 0);
	assert_int_equal(c.devices[2].as_alias, 0);
	vmm_contexts(&c, &ctx);
	assert_int_equal(ctx.total, 2);     /* br0's shared one + rp1's own */
	/* i440fx with a pci-bridge chain: the topmost bridge is the alias */
	assert_int_equal(parse("qemu-system-x86_64 -machine pc -device intel-iommu "
			       "-device pci-bridge,id=b1,chassis_nr=1 -device pci-bridge,id=b2,bus=b1,chassis_nr=2 "
			       "-device vfio-pci,host=0000:01:00.0,bus=b2 -device vfio-pci,host=0000:02:00.0,bus=b1"), 0);
	assert_int_equal(c.devices[0].as_alias, c.devices[1].as_alias);
	vmm_contexts(&c, &ctx);
	assert_int_equal(ctx.total, 1);
}

static void kata_iommufd_per_device(void **state)
{
	struct vmm_contexts ctx;

	(void)state;
	assert_int_equal(parse("/opt/kata/bin/qemu-system-x86_64 -name sandbox-4f0c -m 2048M "
			       "-object iommufd,id=iommufdvfio-1 -device vfio-pci,host=0000:41:00.0,iommufd=iommufdvfio-1 "
			       "-object iommufd,id=iommufdvfio-2 -device vfio-pci,host=0000:42:00.0,iommufd=iommufdvfio-2"), 0);
	assert_int_equal(c.manager, VMM_MGR_KATA);
	assert_int_equal(c.niommufd, 2);
	assert_string_equal(c.iommufd[1], "iommufdvfio-2");
	assert_string_equal(c.devices[0].iommufd, "iommufdvfio-1");
	vmm_contexts(&c, &ctx);
	assert_int_equal(ctx.total, 2);
	assert_int_equal(ctx.iommufd, 2);
	assert_int_equal(ctx.type1, 0);
	/* one iommufd shared by both devices, no vIOMMU: one IOAS */
	assert_int_equal(parse("qemu-system-x86_64 -object iommufd,id=fd0 "
			       "-device vfio-pci,host=0000:41:00.0,iommufd=fd0 -device vfio-pci,host=0000:42:00.0,iommufd=fd0"), 0);
	vmm_contexts(&c, &ctx);
	assert_int_equal(ctx.total, 1);
	assert_int_equal(ctx.iommufd, 1);
}

/* What libvirt 9+ writes: JSON -object/-device/-blockdev, keyval -machine. */
static void libvirt_json_form(void **state)
{
	(void)state;
	assert_int_equal(parse("/usr/bin/qemu-system-x86_64 -name guest=vm1,debug-threads=on "
		"-machine pc-q35-7.2,usb=off,dump-guest-core=off,memory-backend=pc.ram,pflash0=libvirt-pflash0-format "
		"-m size=1048576k "
		"-object '{\"qom-type\":\"memory-backend-ram\",\"id\":\"pc.ram\",\"size\":1073741824,"
		"\"host-nodes\":[0],\"policy\":\"bind\",\"prealloc\":true}' "
		"-blockdev '{\"driver\":\"file\",\"filename\":\"/usr/share/OVMF/OVMF_CODE_4M.fd\","
		"\"node-name\":\"libvirt-pflash0-storage\",\"auto-read-only\":true,\"discard\":\"unmap\"}' "
		"-blockdev '{\"node-name\":\"libvirt-pflash0-format\",\"read-only\":true,\"driver\":\"raw\","
		"\"file\":\"libvirt-pflash0-storage\"}' "
		"-device '{\"driver\":\"vfio-pci\",\"host\":\"0000:06:12.5\",\"id\":\"hostdev0\",\"bus\":\"pci.1\","
		"\"addr\":\"0x0\",\"rombar\":0,\"romfile\":\"/usr/share/roms/\\u0061.rom\"}' "
		"-overcommit mem-lock=off"), 0);
	assert_int_equal(c.ram_bytes, G);
	assert_int_equal(c.manager, VMM_MGR_LIBVIRT);    /* -name guest=... */
	assert_int_equal(c.nbackends, 1);
	assert_string_equal(c.backends[0].id, "pc.ram");
	assert_int_equal(c.backends[0].size, G);
	assert_true(c.backends[0].prealloc);          /* JSON true */
	assert_true(c.backends[0].used);
	assert_int_equal(c.ndevices, 1);
	assert_string_equal(c.devices[0].bdf, "0000:06:12.5");
	assert_string_equal(c.devices[0].id, "hostdev0");
	assert_int_equal(c.devices[0].rombar, VMM_OFF);
	assert_string_equal(c.devices[0].romfile, "/usr/share/roms/a.rom");   /* \u escape */
	assert_int_equal(c.npflash, 1);
	assert_string_equal(c.pflash[0], "/usr/share/OVMF/OVMF_CODE_4M.fd");
	assert_int_equal(c.mem_lock, VMM_OFF);
}

static void firmware_paths(void **state)
{
	(void)state;
	assert_int_equal(parse("qemu-system-x86_64 -bios /usr/share/seabios/bios-256k.bin"), 0);
	assert_string_equal(c.bios, "/usr/share/seabios/bios-256k.bin");
	assert_int_equal(parse("qemu-system-x86_64 --drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE.fd "
			       "-drive if=pflash,format=raw,file=/var/lib/vm/VARS.fd -drive file=disk.img,if=virtio"), 0);
	assert_int_equal(c.npflash, 2);
	assert_string_equal(c.pflash[1], "/var/lib/vm/VARS.fd");
	assert_string_equal(c.bios, "");
}

static void nvme_vdpa_dimms(void **state)
{
	struct vmm_contexts ctx;

	(void)state;
	assert_int_equal(parse("qemu-system-x86_64 -m 1G,slots=2,maxmem=4G "
			       "-object memory-backend-ram,id=d0,size=512M -device pc-dimm,id=dimm0,memdev=d0 "
			       "-blockdev '{\"driver\":\"nvme\",\"device\":\"0000:01:00.0\",\"namespace\":1,\"node-name\":\"n1\"}' "
			       "-drive file=nvme://0000:02:00.0/1,if=none,id=d2 "
			       "-netdev vhost-vdpa,vhostdev=/dev/vhost-vdpa-0,id=vdpa0"), 0);
	assert_int_equal(c.dimm_bytes, 512 * M);
	assert_int_equal(vmm_guest_memory(&c), 1536 * M);
	assert_int_equal(c.ndevices, 3);
	assert_int_equal(c.devices[0].kind, VMM_DEV_NVME);
	assert_string_equal(c.devices[1].bdf, "0000:02:00.0");
	assert_int_equal(c.devices[2].kind, VMM_DEV_VDPA);
	assert_string_equal(c.devices[2].sysfsdev, "/dev/vhost-vdpa-0");
	vmm_contexts(&c, &ctx);
	assert_int_equal(ctx.other, 3);
	assert_int_equal(ctx.total, 3);
}

static void readconfig_is_partial(void **state)
{
	(void)state;
	assert_int_equal(parse("qemu-system-x86_64 -readconfig /etc/vm.cfg -m 1G"), 0);
	assert_non_null(strstr(c.partial, "-readconfig"));
}

static void bad_lines_get_one_error(void **state)
{
	static const char ctl[] = "qemu-system-x86_64\0-m\0" "1G\x01\0";

	(void)state;
	expect_error("qemu-system-x86_64 -S -m", "truncated");
	expect_error("qemu-system-x86_64 -device vfio-pci,host=0000:00:03.0 -object", "truncated");
	expect_error("qemu-system-x86_64 -m 12Q", "-m");
	expect_error("qemu-system-x86_64 -m size=", "-m");   /* found by fuzz-vmm: an empty size */
	assert_int_equal(parse("qemu-system-x86_64 -m ''"), 0);   /* QEMU 7.2: the default */
	assert_false(c.ram_set);
	expect_error("qemu-system-x86_64 -object memory-backend-ram,id=m0,size=lots", "size");
	expect_error("qemu-system-x86_64 -object memory-backend-ram,id=m0", "size=");
	expect_error("qemu-system-x86_64 -device vfio-pci,id=x", "host=");
	/* a device fd handed over by the manager is a device, address unknown */
	assert_int_equal(parse("qemu-system-x86_64 -device '{\"driver\":\"vfio-pci\",\"fd\":\"24\",\"id\":\"hostdev0\"}'"), 0);
	assert_int_equal(c.ndevices, 1);
	assert_string_equal(c.devices[0].bdf, "");
	expect_error("qemu-system-x86_64 -device vfio-pci,host=0000:00:20.0", "PCI address");
	expect_error("qemu-system-x86_64 -device vfio-pci,host=00000000000000000000:00:01.0", "PCI address");
	expect_error("qemu-system-x86_64 -device '{\"driver\":\"vfio-pci\",\"host\":\"0000:00:03.0\"'", "JSON");
	expect_error("qemu-system-x86_64 -device '{\"driver\":\"vfio-pci\" \"host\":1}'", "JSON");
	expect_error("qemu-system-x86_64 -m 'unbalanced", "quote");
	expect_error("qemu-system-x86_64 -machine memory-backend=nope", "nope");
	expect_error("qemu-system-x86_64 -device pc-dimm,memdev=ghost", "memdev");
	expect_error("", "empty");
	err_clear();
	assert_int_equal(vmm_cmdline_parse(ctl, sizeof(ctl) - 1, &c), -EINVAL);
	assert_non_null(strstr(err_message(), "control characters"));
	err_clear();
}

static void keyval_and_json_values(void **state)
{
	struct vmm_kv kv;
	const char *why;

	(void)state;
	assert_int_equal(vmm_kv_parse("vfio-pci,host=00:03.0,x-flag,,,id=a,,b", "driver", &kv, &why), 0);
	assert_string_equal(vmm_kv_get(&kv, "driver"), "vfio-pci");
	assert_string_equal(vmm_kv_get(&kv, "host"), "00:03.0");
	assert_string_equal(vmm_kv_get(&kv, "x-flag,"), "on");   /* ",," inside a key too */
	assert_string_equal(vmm_kv_get(&kv, "id"), "a,b");
	vmm_kv_free(&kv);
	assert_int_equal(vmm_kv_parse(" {\"a\":{\"b\":[1,{\"c\":\"}\"}]},\"n\":-12.5e3,\"s\":\"q\\\"\\n\",\"z\":null} ",
				      NULL, &kv, &why), 0);
	assert_null(vmm_kv_get(&kv, "a"));       /* nested values are skipped */
	assert_null(vmm_kv_get(&kv, "z"));
	assert_string_equal(vmm_kv_get(&kv, "n"), "-12.5e3");
	assert_string_equal(vmm_kv_get(&kv, "s"), "q\"\n");
	vmm_kv_free(&kv);
	assert_int_equal(vmm_kv_parse("{\"a\":1} x", NULL, &kv, &why), -EINVAL);
	assert_non_null(strstr(why, "after"));
	assert_int_equal(vmm_kv_parse("{\"a\":\"\\u0000\"}", NULL, &kv, &why), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(debian_guest_line),
		cmocka_unit_test(proc_cmdline_form),
		cmocka_unit_test(argv_shell_quoting),
		cmocka_unit_test(sizes_follow_qemu),
		cmocka_unit_test(mem_path_and_prealloc),
		cmocka_unit_test(shared_backend_file),
		cmocka_unit_test(memfd_defaults_to_shared),
		cmocka_unit_test(overcommit_mem_lock),
		cmocka_unit_test(viommu_with_two_devices),
		cmocka_unit_test(bypass_iommu_host_bridges),
		cmocka_unit_test(pci_bridge_aliases_its_devices),
		cmocka_unit_test(kata_iommufd_per_device),
		cmocka_unit_test(libvirt_json_form),
		cmocka_unit_test(firmware_paths),
		cmocka_unit_test(nvme_vdpa_dimms),
		cmocka_unit_test(readconfig_is_partial),
		cmocka_unit_test(bad_lines_get_one_error),
		cmocka_unit_test(keyval_and_json_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
