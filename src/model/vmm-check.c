// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What `check` takes from a VMM's own configuration: the guest RAM every DMA
 * context maps, the devices, the contexts (model/vmm-limit.c), the ROM bytes
 * this kernel charges besides RAM, and the memlock ceiling its manager sets.
 * Pure: the configuration from the parsers, file sizes from host/vmm-read.c.
 */
#include <stdio.h>
#include <string.h>

#include "model/vmm.h"
#include "lib/util.h"
#include "model/verdict.h"

uint64_t vmm_dpdk_memory(const struct vmm_dpdk *p)
{
	uint64_t sum = 0;
	int i;

	if (p->mem_bytes)
		return p->mem_bytes;
	for (i = 0; i < p->nsockets; i++)
		sum += p->socket_mem[i];
	return sum;
}

static bool backend_hugetlb(const struct vmm_config *c, bool *inferred)
{
	int i;

	for (i = 0; i < c->nbackends; i++) {
		const struct vmm_backend *b = &c->backends[i];

		if (!b->used)
			continue;
		if (b->hugetlb)
			return true;
		/* memory-backend-file,mem-path=: hugetlbfs or not is the host's to say */
		if (b->type == VMM_MEM_FILE && b->mem_path[0] && strncmp(b->mem_path, "/dev/shm", 8)) {
			*inferred = true;
			return true;
		}
	}
	if (c->mem_path[0]) {
		*inferred = true;
		return true;
	}
	return false;
}

void vmm_derive(const struct vmm_config *c, struct vmm_derived *d)
{
	struct vmm_contexts ctx;
	int i;

	memset(d, 0, sizeof(*d));
	d->viommu = c->viommu;
	d->iommufd_objects = c->niommufd;
	for (i = 0; i < c->ndevices; i++) {
		const struct vmm_device *v = &c->devices[i];

		if (v->kind != VMM_DEV_VFIO_PCI && v->kind != VMM_DEV_MDEV && v->kind != VMM_DEV_DPDK)
			continue;
		str_copy(d->bdfs[d->devices++], sizeof(d->bdfs[0]), v->bdf);
		if (v->iommufd[0])
			d->iommufd = true;
	}
	vmm_contexts(c, &ctx);
	str_copy(d->contexts_how, sizeof(d->contexts_how), ctx.how);
	if (c->kind == VMM_KIND_DPDK) {
		/* EAL's one default container maps the hugepage memory once */
		d->guest_ram = vmm_dpdk_memory(&c->dpdk);
		d->guest_ram_known = d->guest_ram != 0;
		d->contexts = 1;
		d->hugetlb = !c->dpdk.no_huge;
		return;
	}
	d->guest_ram = vmm_guest_memory(c);
	d->guest_ram_known = true;
	/* a VMM with no VFIO device still counts as one context to judge against */
	d->contexts = ctx.total > 0 ? ctx.total : 1;
	if (c->kind == VMM_KIND_LIBVIRT)
		d->hugetlb = c->lv.hugepages;
	else
		d->hugetlb = backend_hugetlb(c, &d->hugetlb_inferred);
}

/* x86 QEMU: SeaBIOS unless -bios or pflash says otherwise (hw/i386/x86.c x86_bios_rom_init). */
static bool x86(const struct vmm_config *c)
{
	if (c->kind == VMM_KIND_LIBVIRT)
		return !c->lv.arch[0] || !strcmp(c->lv.arch, "x86_64") || !strcmp(c->lv.arch, "i686");
	return strstr(c->program, "x86_64") || strstr(c->program, "i386") || strstr(c->program, "qemu-kvm");
}

/*
 * The ROM rule, as measured (Debian's QEMU 7.2 nested in the test guest, -S,
 * -nodefaults, q35, one vfio-pci device; `info mtree -f` of the address space
 * VFIO maps): QEMU's VFIO listener (hw/vfio/common.c) maps every RAM section of
 * the guest address space into each context, its read-only ROMs too:
 *   pc.rom 128K (0xc0000), isa-bios 128K (0xe0000: an alias of pc.bios' top
 *   128K, the same host pages mapped again: charged again) and pc.bios itself
 *   (the -bios image, SeaBIOS bios-256k.bin by default) below 4G;
 * and those two ROM windows hide the 256K of guest RAM under them
 * (vmm_ram_hidden).  The ROM pages are still untouched when vfio-pci realize
 * maps them (the BIOS is copied in at the first reset, later), so what they
 * cost is the zero-page rule: since 6.2 (gup_must_unshare, "mm/gup: reliable
 * R/O long-term pinning in COW mappings") a FOLL_LONGTERM read-only pin of a
 * private page unshares it into a fresh, charged page; before 6.2 it pinned
 * the shared zero page (PG_reserved: never charged).  -overcommit mem-lock=on
 * populates them first (mlockall): charged on 6.1 too.
 * Measured VmLck, 256 MiB guest: 6.1 261888 kB (RAM - 256K), 6.12 262400 kB
 * (RAM - 256K + 512K = 256.25 MiB); per context (vIOMMU, 2 devices: x2).
 * Also counted: option ROMs loaded from a romfile= (pci_add_option_rom: a RAM
 * ROM BAR, mapped while the guest enables it) where rombar is not off.  Not
 * counted: pflash (a ROM device, memory_region_init_rom_device: not RAM, the
 * listener skips it), a vfio-pci device's own ROM (MMIO ops), fw_cfg blobs
 * (outside the address space).  Not measured: the legacy VGA window of a
 * default VGA (no -nodefaults), which hides 128K more RAM.
 */
#define PC_ROM_BYTES   (128ULL << 10)
#define ISA_BIOS_BYTES (128ULL << 10)

uint64_t vmm_ram_hidden(const struct vmm_config *c)
{
	/* 0xc0000-0xfffff: pc.rom and isa-bios in front of pc.ram */
	if ((c->kind != VMM_KIND_QEMU && c->kind != VMM_KIND_LIBVIRT) || !x86(c) ||
	    vmm_guest_memory(c) <= (1ULL << 20))
		return 0;
	return PC_ROM_BYTES + ISA_BIOS_BYTES;
}

/* Read-only maps of untouched pages are charged: 6.2+ (unshare), or populated first by mlockall. */
static bool roms_charged(const struct vmm_config *c, bool kv_known, const struct kver *kv)
{
	bool populated = c->mem_lock == VMM_ON && !c->mem_lock_onfault;

	return populated || !kv_known || kver_cmp(kv, 6, 2) >= 0;
}

/*
 * The peak, measured (QEMU 7.2 nested, 6.1 and 6.12): vfio-pci realize maps
 * pc.ram whole (0x0, size of RAM: "Region pc.ram: vfio_dma_map(..., 0x0,
 * 0x10000000)") and the pc.bios image below 4G, before the ROM windows split
 * the RAM; QEMU's listener removes the old sections before adding the new
 * (address_space_update_topology_pass), so the charge peaks at that first
 * map.  The limit must cover max(RAM + BIOS charged, the final charge): on
 * 6.1 a limit of the final VmLck (RAM - 256K) fails with ENOMEM, 256M runs.
 */
uint64_t vmm_rom_charge_at_realize(const struct vmm_config *c, const struct vmm_firmware *fw,
				   bool kv_known, const struct kver *kv)
{
	if ((c->kind != VMM_KIND_QEMU && c->kind != VMM_KIND_LIBVIRT) || !x86(c))
		return 0;
	if (!roms_charged(c, kv_known, kv) || fw->bios <= 0)
		return 0;
	return (uint64_t)fw->bios;
}

uint64_t vmm_rom_charge(const struct vmm_config *c, const struct vmm_firmware *fw, bool kv_known,
			const struct kver *kv, char *how, size_t size)
{
	uint64_t bios = 0, isa = 0, roms = 0, low = 0;
	bool populated = c->mem_lock == VMM_ON && !c->mem_lock_onfault;
	char b[32], r[32], t[32];
	int i, unknown = 0;

	how[0] = '\0';
	if (c->kind != VMM_KIND_QEMU && c->kind != VMM_KIND_LIBVIRT)
		return 0;
	if (!x86(c)) {
		snprintf(how, size, "ROMs of a non-x86 machine are not modelled");
		return 0;
	}
	if (fw->bios > 0)
		bios = (uint64_t)fw->bios;
	else if (fw->bios_path[0])
		unknown++;
	low = PC_ROM_BYTES;
	isa = bios < ISA_BIOS_BYTES ? bios : ISA_BIOS_BYTES;
	if (c->npflash)
		isa = ISA_BIOS_BYTES;   /* a RAM copy of the flash's top 128K (not measured) */
	for (i = 0; i < c->ndevices && i < VMM_MAX_DEVICES; i++) {
		const struct vmm_device *d = &c->devices[i];

		if (!d->romfile[0] || d->rombar == VMM_OFF)
			continue;
		if (fw->romfile[i] > 0)
			roms += (uint64_t)fw->romfile[i];
		else
			unknown++;
	}
	format_size_exact(t, sizeof(t), low + isa + bios + roms);
	format_size_exact(b, sizeof(b), bios);
	format_size_exact(r, sizeof(r), roms);
	if (!roms_charged(c, kv_known, kv)) {
		snprintf(how, size, "ROMs %s mapped read-only, not charged before 6.2 (untouched: the shared zero page)%s", t,
			 unknown ? "; a ROM file could not be read" : "");
		return 0;
	}
	snprintf(how, size, "ROMs %s charged%s: pc.rom 128K + isa-bios %s + BIOS %s (%s)%s%s%s",
		 t, populated ? " (-overcommit mem-lock=on populates them)" :
		 kv_known ? " since 6.2" : " (kernel unknown: taken as 6.2+)",
		 isa == ISA_BIOS_BYTES ? "128K" : b, b,
		 fw->bios_path[0] ? fw->bios_path : c->npflash ? "pflash: a ROM device, not mapped" : "none",
		 roms ? " + option ROMs " : "", roms ? r : "",
		 unknown ? "; a ROM file could not be read: not counted" : "");
	return low + isa + bios + roms;
}

void vmm_firmware_paths(const struct vmm_config *c, struct vmm_firmware *fw)
{
	int i;

	memset(fw, 0, sizeof(*fw));
	fw->bios = -1;
	for (i = 0; i < VMM_MAX_PFLASH; i++)
		fw->pflash[i] = -1;
	for (i = 0; i < VMM_MAX_DEVICES; i++)
		fw->romfile[i] = -1;
	if (c->kind != VMM_KIND_QEMU && c->kind != VMM_KIND_LIBVIRT)
		return;
	if (c->bios[0]) {
		str_copy(fw->bios_path, sizeof(fw->bios_path), c->bios);
	} else if (!c->npflash && x86(c)) {
		str_copy(fw->bios_path, sizeof(fw->bios_path), VMM_DEFAULT_BIOS);
		fw->bios_default = true;
	}
}

const char *vmm_manager_ceiling(const struct vmm_config *c, struct vmm_ceiling *out)
{
	memset(out, 0, sizeof(*out));
	if (c->kind == VMM_KIND_LIBVIRT || c->manager == VMM_MGR_LIBVIRT) {
		vmm_libvirt_ceiling(c, out);
		return "libvirt";
	}
	if (c->manager == VMM_MGR_KATA) {
		out->kind = VMM_CEIL_NOT_MODELLED;
		snprintf(out->rule, sizeof(out->rule), "Kata (inferred from -name sandbox-): no memlock rule of Kata's is known");
		return "kata";
	}
	out->kind = VMM_CEIL_NO_CHANGE;
	snprintf(out->rule, sizeof(out->rule), "no manager known: the limit is what started the VMM gave it");
	return NULL;
}

void judge_vmm(const struct vmm_config *c, const struct vmm_derived *d, const char *where,
	       const char *rom_how, const char *note, struct check_result *r)
{
	char ram[32], devs[160] = "";
	int i;

	if (!c) {
		check_set(r, ST_SKIP, "%s", note);
		return;
	}
	for (i = 0; i < d->devices && strlen(devs) + 20 < sizeof(devs); i++)
		snprintf(devs + strlen(devs), sizeof(devs) - strlen(devs), "%s%s", i ? " " : "",
			 d->bdfs[i][0] ? d->bdfs[i] : "mdev");
	if (d->guest_ram_known)
		format_size_exact(ram, sizeof(ram), d->guest_ram);
	else
		snprintf(ram, sizeof(ram), "on demand (no -m/--socket-mem)");
	check_set(r, ST_PASS, "%s from %s: %s %s, %d VFIO device%s%s%s%s, vIOMMU %s, %d iommufd object%s, %d DMA context%s (%s)%s%s%s%s%s%s",
		  vmm_kind_name(c->kind), where,
		  c->kind == VMM_KIND_DPDK ? "hugepage memory" : "guest RAM", ram,
		  d->devices, d->devices == 1 ? "" : "s", d->devices ? " (" : "", devs, d->devices ? ")" : "",
		  vmm_viommu_name(d->viommu), d->iommufd_objects, d->iommufd_objects == 1 ? "" : "s",
		  d->contexts, d->contexts == 1 ? "" : "s", d->contexts_how,
		  rom_how && rom_how[0] ? "; " : "", rom_how ? rom_how : "",
		  c->manager != VMM_MGR_UNKNOWN ? "; started by " : "",
		  c->manager != VMM_MGR_UNKNOWN ? vmm_manager_name(c->manager) : "",
		  c->manager != VMM_MGR_UNKNOWN && c->kind != VMM_KIND_LIBVIRT ? " (inferred from -name)" : "",
		  note && note[0] ? "; " : "");
	if (note && note[0]) {
		size_t n = strlen(r->finding);

		snprintf(r->finding + n, sizeof(r->finding) - n, "%s", note);
	}
	if (c->partial[0]) {
		size_t n = strlen(r->finding);

		snprintf(r->finding + n, sizeof(r->finding) - n, "; partial: %s", c->partial);
	}
}
