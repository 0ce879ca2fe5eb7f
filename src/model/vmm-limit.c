// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Figures that follow from a VMM's configuration alone: how many DMA contexts it
 * creates (each pins, and is charged for, all of guest RAM) and the memlock
 * ceiling its manager will set.
 *
 * DMA contexts (the rule, with where it comes from):
 * - legacy VFIO (type1): QEMU keeps one container per guest address space and
 *   puts every group of that address space in it (hw/vfio/common.c
 *   vfio_connect_container reuses a container of the same VFIOAddressSpace).
 *   Without a vIOMMU every device DMAs in the system address space: one
 *   container for all.  Behind a vIOMMU each device has an address space of
 *   its own (pci_device_iommu_address_space -> the vIOMMU's per-devfn AS):
 *   one container each, and each maps all of RAM while the guest has not
 *   enabled DMA remapping (kubevirt#18915: 2 GPUs + intel-iommu = 2 x RAM) --
 *   except devices behind one conventional PCI bridge, which share its
 *   requester ID and so one address space (vmm_device.as_alias).
 * - iommufd: one IOAS per (-object iommufd, address space) (hw/vfio/iommufd.c
 *   attaches a device to an existing container of the same backend and address
 *   space).  Kata gives each device its own -object iommufd: one each.
 * - QEMU's userspace NVMe driver (-blockdev driver=nvme, libvirt <disk
 *   type='nvme'>) opens a VFIO container per controller (util/vfio-helpers.c).
 * - vhost-vdpa: each device maps guest memory into its own IOTLB, pinning it
 *   (drivers/vhost/vdpa.c vhost_vdpa_pa_map; charged to mm->pinned_vm, where
 *   type1 charges locked_vm: two counters, each held against RLIMIT_MEMLOCK).
 * - DPDK: EAL puts every VFIO group in its one default container
 *   (lib/eal/linux/eal_vfio.c default_vfio_cfg).
 */
#include <stdio.h>
#include <string.h>

#include "model/vmm.h"

#define GIB (1ULL << 30)

uint64_t vmm_guest_memory(const struct vmm_config *c)
{
	if (c->kind == VMM_KIND_DPDK)
		return 0;
	return c->ram_bytes + c->dimm_bytes;
}

struct ctx_key {
	const char *backend;   /* "" = type1, else the iommufd object id */
	int as;                /* -1 = the system address space, else a device index,
	                        * or VMM_MAX_DEVICES + the bridge a device DMAs as */
};

static int add_key(struct ctx_key *keys, int n, const char *backend, int as)
{
	int i;

	for (i = 0; i < n; i++)
		if (keys[i].as == as && !strcmp(keys[i].backend, backend))
			return n;
	keys[n].backend = backend;
	keys[n].as = as;
	return n + 1;
}

int vmm_device_as(const struct vmm_config *c, int i)
{
	const struct vmm_device *d = &c->devices[i];

	if (!d->behind_viommu)
		return -1;
	return d->as_alias ? VMM_MAX_DEVICES + d->as_alias : i;
}

void vmm_contexts(const struct vmm_config *c, struct vmm_contexts *out)
{
	struct ctx_key keys[VMM_MAX_DEVICES];
	int i, n = 0, dpdk = 0, behind = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < c->ndevices; i++) {
		const struct vmm_device *d = &c->devices[i];

		switch (d->kind) {
		case VMM_DEV_VFIO_PCI:
		case VMM_DEV_MDEV:
			behind += d->behind_viommu;
			n = add_key(keys, n, d->iommufd, vmm_device_as(c, i));
			break;
		case VMM_DEV_NVME:
		case VMM_DEV_VDPA:
			out->other++;
			break;
		case VMM_DEV_DPDK:
			dpdk = 1;
			break;
		}
	}
	if (c->kind == VMM_KIND_DPDK && c->dpdk.allow_all)
		dpdk = 1;   /* it will probe whatever is bound to vfio-pci */
	for (i = 0; i < n; i++) {
		if (keys[i].backend[0])
			out->iommufd++;
		else
			out->type1++;
	}
	out->type1 += dpdk;
	out->total = out->type1 + out->iommufd + out->other;
	snprintf(out->how, sizeof(out->how),
		 "%d type1 container%s, %d iommufd IOAS, %d NVMe-driver/vDPA; %d of %d VFIO device%s behind %s%s",
		 out->type1, out->type1 == 1 ? "" : "s", out->iommufd, out->other, behind,
		 c->ndevices, c->ndevices == 1 ? "" : "s", vmm_viommu_name(c->viommu),
		 dpdk ? "; DPDK: one EAL default container" : "");
}

static void ceil_set(struct vmm_ceiling *o, enum vmm_ceiling_kind k, uint64_t bytes, const char *rule)
{
	o->kind = k;
	o->bytes = bytes;
	snprintf(o->rule, sizeof(o->rule), "%s", rule);
}

/*
 * libvirt qemuDomainGetMemLockLimitBytes() (src/qemu/qemu_domain.c):
 * <memtune><hard_limit> -> exactly it; <memoryBacking><locked/> -> unlimited;
 * ppc64 -> its own formula (not modelled here); else with nvfio = PCI + mdev
 * hostdevs, nnvme = NVMe disks, nvdpa = vDPA interfaces:
 * factor = nvdpa + nnvme + (nvfio ? (viommu ? nvfio : 1) : 0) and
 * limit = factor x total guest memory + 1 GiB; factor 0 -> no change.
 * (qemuDomainAdjustMaxMemLock then only ever raises the process's limit.)
 * Oracle: libvirt tests/qemumemlocktest.c.
 */
void vmm_libvirt_ceiling(const struct vmm_config *c, struct vmm_ceiling *o)
{
	unsigned nvfio = 0, nnvme = 0, nvdpa = 0, factor;
	uint64_t mem = vmm_guest_memory(c);
	bool viommu;
	int i;

	memset(o, 0, sizeof(*o));
	if (c->kind == VMM_KIND_LIBVIRT && c->lv.has_hard_limit) {
		ceil_set(o, VMM_CEIL_BYTES, c->lv.hard_limit, "<memtune><hard_limit>: exactly the hard limit");
		return;
	}
	/* libvirt writes -overcommit mem-lock=on for <locked/>; on-fault is not its */
	if (c->mem_lock == VMM_ON && !c->mem_lock_onfault) {
		ceil_set(o, VMM_CEIL_UNLIMITED, 0, "<memoryBacking><locked/> (-overcommit mem-lock=on): unlimited");
		return;
	}
	if (c->kind == VMM_KIND_LIBVIRT && !strncmp(c->lv.arch, "ppc64", 5)) {
		ceil_set(o, VMM_CEIL_NOT_MODELLED, 0, "ppc64: libvirt's pseries formula is not modelled");
		return;
	}
	if (c->kind == VMM_KIND_LIBVIRT) {
		/* libvirt counts its own elements: never <qemu:commandline> additions */
		nvfio = (unsigned)(c->lv.nhostdev_pci + c->lv.nhostdev_mdev);
		nnvme = (unsigned)c->lv.nnvme;
		nvdpa = (unsigned)c->lv.nvdpa;
		viommu = c->lv.iommu_model[0] != '\0';
	} else {
		for (i = 0; i < c->ndevices; i++) {
			nvfio += c->devices[i].kind == VMM_DEV_VFIO_PCI || c->devices[i].kind == VMM_DEV_MDEV;
			nnvme += c->devices[i].kind == VMM_DEV_NVME;
			nvdpa += c->devices[i].kind == VMM_DEV_VDPA;
		}
		viommu = c->viommu != VMM_VIOMMU_NONE;
	}
	factor = nvdpa + nnvme + (nvfio ? (viommu ? nvfio : 1) : 0);
	o->factor = factor;
	if (!factor) {
		ceil_set(o, VMM_CEIL_NO_CHANGE, 0, "no VFIO, NVMe or vDPA device: libvirt leaves the limit alone");
		return;
	}
	if (mem > (UINT64_MAX - GIB) / factor) {
		ceil_set(o, VMM_CEIL_UNLIMITED, 0, "factor x memory overflows: as good as unlimited");
		return;
	}
	o->kind = VMM_CEIL_BYTES;
	o->bytes = factor * mem + GIB;
	snprintf(o->rule, sizeof(o->rule),
		 "libvirt: %u x guest memory + 1 GiB (%u VFIO%s, %u NVMe, %u vDPA)%s", factor, nvfio,
		 viommu ? " behind a vIOMMU" : "", nnvme, nvdpa,
		 c->kind != VMM_KIND_LIBVIRT ? "; from a command line: a <memtune><hard_limit> would override" :
		 c->lv.cmdline_viommu ? "; the <qemu:commandline> vIOMMU is not counted by libvirt" : "");
}

/* KubeVirt pkg/hypervisor/kvm/runtime.go (PR#17857): a VMI with a VFIO device
 * (also realtime, SEV, locked memory: not visible in these facts) gets an
 * unlimited memlock; otherwise it is left alone. */
void vmm_kubevirt_ceiling(const struct vmm_config *c, struct vmm_ceiling *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < c->ndevices; i++) {
		if (c->devices[i].kind == VMM_DEV_VFIO_PCI || c->devices[i].kind == VMM_DEV_MDEV) {
			ceil_set(o, VMM_CEIL_UNLIMITED, 0, "KubeVirt: unlimited for a VMI with a VFIO device");
			return;
		}
	}
	ceil_set(o, VMM_CEIL_NO_CHANGE, 0, "KubeVirt: no VFIO device, the limit is left alone");
}
