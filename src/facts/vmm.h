/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a VMM's own configuration says: a QEMU command line, a libvirt domain
 * XML, a DPDK application's EAL options.  Plain facts, filled by the pure
 * parsers in model/vmm-*.c (over a buffer someone else read) and consumed by
 * model/vmm-limit.c and, later, check and inspect.
 *
 * Only what the configuration itself states is recorded.  Anything that needs
 * the host to answer (is this mem-path on hugetlbfs? how big is that pflash
 * file? does the device have an option ROM?) is kept as a path for a caller
 * that may read the machine.
 */
#ifndef VP_FACTS_VMM_H
#define VP_FACTS_VMM_H

#include <stdbool.h>
#include <stdint.h>

#define VMM_ID_MAX       64
#define VMM_PATH_MAX     256
#define VMM_MAX_BACKENDS 32
#define VMM_MAX_DEVICES  32
#define VMM_MAX_IOMMUFD  32
#define VMM_MAX_NUMA     16
#define VMM_MAX_PFLASH   4
#define VMM_MAX_BRIDGES  32
#define VMM_MAX_DIMMS    16
#define VMM_MAX_SOCKETS  8

enum vmm_kind { VMM_KIND_NONE = 0, VMM_KIND_QEMU, VMM_KIND_LIBVIRT, VMM_KIND_DPDK };
/* Where the facts came from; JSON `vmm.source` ("cmdline", "domain-xml", "options"). */
enum vmm_source { VMM_SRC_NONE = 0, VMM_SRC_CMDLINE, VMM_SRC_DOMAIN_XML, VMM_SRC_OPTIONS };

/* Who started it, INFERRED from its own command line (label it so): libvirt
 * writes -name guest=NAME,... (src/qemu/qemu_command.c), Kata -name
 * sandbox-ID (virtcontainers/qemu.go).  KubeVirt runs libvirt: only the
 * process tree (virt-launcher) tells it apart, a host fact. */
enum vmm_manager { VMM_MGR_UNKNOWN = 0, VMM_MGR_LIBVIRT, VMM_MGR_KATA };

enum vmm_mem_type { VMM_MEM_RAM = 0, VMM_MEM_FILE, VMM_MEM_MEMFD };

enum vmm_viommu {
	VMM_VIOMMU_NONE = 0,
	VMM_VIOMMU_INTEL,   /* -device intel-iommu; libvirt <iommu model='intel'> */
	VMM_VIOMMU_VIRTIO,  /* -device virtio-iommu(-pci); model='virtio' */
	VMM_VIOMMU_AMD,     /* -device amd-iommu; model='amd' */
	VMM_VIOMMU_SMMUV3,  /* -machine virt,iommu=smmuv3; model='smmuv3' */
};

/* An unset option differs from one set off (QEMU and libvirt defaults apply later). */
enum vmm_tri { VMM_UNSET = 0, VMM_OFF, VMM_ON };

/* -object memory-backend-{ram,file,memfd} (or libvirt's <memoryBacking> source). */
struct vmm_backend {
	char id[VMM_ID_MAX];
	enum vmm_mem_type type;
	uint64_t size;                 /* bytes */
	char mem_path[VMM_PATH_MAX];   /* memory-backend-file: hugetlbfs or not is a host fact */
	bool hugetlb;                  /* memory-backend-memfd,hugetlb=on */
	uint64_t hugetlbsize;          /* memfd hugetlbsize=, 0 = the host's default */
	bool share;                    /* effective: memfd defaults to on, ram/file to off */
	bool prealloc;                 /* prealloc=on */
	bool used;                     /* -machine memory-backend=, -numa memdev= or a DIMM */
};

enum vmm_dev_kind { VMM_DEV_VFIO_PCI = 0, VMM_DEV_MDEV, VMM_DEV_NVME, VMM_DEV_VDPA, VMM_DEV_DPDK };

/* A device the VMM hands to VFIO (or, for libvirt, one its memlock rule counts). */
struct vmm_device {
	enum vmm_dev_kind kind;
	char bdf[16];                  /* host BDF, normalised "dddd:bb:dd.f"; "" if by sysfsdev */
	char sysfsdev[VMM_PATH_MAX];   /* vfio-pci sysfsdev= (mdev), vDPA /dev path */
	char id[VMM_ID_MAX];
	char bus[VMM_ID_MAX];          /* guest bus= (QEMU), to find its host bridge */
	char iommufd[VMM_ID_MAX];      /* iommufd= object id, "" = legacy container */
	enum vmm_tri rombar;
	char romfile[VMM_PATH_MAX];
	bool behind_viommu;            /* filled by the parser once the whole config is read */
	int as_alias;                  /* behind a vIOMMU: index+1 of the conventional-PCI
	                                * bridge whose requester ID it DMAs as, 0 = its own */
};

/* -device pxb/pxb-pcie/bridges/root ports: enough of the guest PCI tree to find a
 * device's host bridge and whether that bridge has bypass_iommu. */
struct vmm_bridge {
	char id[VMM_ID_MAX];
	char bus[VMM_ID_MAX];
	bool host_bridge;              /* pxb, pxb-pcie: a new root bus */
	bool conventional;             /* its bus is conventional PCI: devices behind it DMA as it */
	bool bypass_iommu;
};

struct vmm_numa {
	char memdev[VMM_ID_MAX];
	uint64_t mem;                  /* legacy -numa node,mem= (bytes) */
};

struct vmm_dpdk {
	uint64_t mem_bytes;            /* -m MB */
	uint64_t socket_mem[VMM_MAX_SOCKETS];  /* --socket-mem MB per socket, in bytes */
	int nsockets;
	enum vmm_tri iova_va;          /* --iova-mode=va (ON), pa (OFF), unset (EAL decides) */
	bool in_memory, no_huge, legacy_mem, no_pci;
	bool allow_all;                /* no -a/-w: EAL probes every device it may drive */
	int nblocked;                  /* -b */
};

struct vmm_libvirt {
	uint64_t memory;               /* <memory>, bytes (total guest memory, DIMMs included) */
	uint64_t current_memory;       /* <currentMemory> */
	uint64_t max_memory;           /* <maxMemory> */
	unsigned max_memory_slots;
	uint64_t dimm_bytes[VMM_MAX_DIMMS];    /* <devices><memory> targets */
	int ndimms;
	uint64_t numa_bytes;           /* sum of <cpu><numa><cell memory=> */
	int ncells;
	bool has_hard_limit;
	uint64_t hard_limit;           /* <memtune><hard_limit>, bytes */
	bool locked;                   /* <memoryBacking><locked/> */
	bool hugepages;                /* <memoryBacking><hugepages> */
	uint64_t hugepage_size;        /* its <page size=>, 0 = the host's default */
	bool shared;                   /* <access mode='shared'/> */
	bool prealloc;                 /* <allocation mode='immediate'/> */
	char source_type[16];          /* <source type='file|anonymous|memfd'/> */
	char arch[16];                 /* <os><type arch=> */
	char machine[64];
	int nhostdev_pci, nhostdev_mdev, nnvme, nvdpa;
	char iommu_model[16];          /* <iommu model=>, "" = none */
	/* <qemu:commandline> arguments, read as QEMU would: libvirt's own rule
	 * never sees them (a hook-injected -device intel-iommu: kubevirt#18915). */
	int ncmdline_args;
	bool cmdline_viommu;
	int cmdline_devices;
};

struct vmm_config {
	enum vmm_kind kind;
	enum vmm_source source;
	char program[VMM_PATH_MAX];    /* argv[0], libvirt domain name */
	enum vmm_manager manager;      /* inferred, see above; a domain XML is libvirt's */
	/* The configuration points elsewhere for part of itself (-readconfig, a
	 * table that overflowed): what is recorded is true but may not be all. */
	char partial[128];

	/* Guest RAM: initial size (QEMU -m, after its MiB default and 8 KiB
	 * rounding), hotplug ceiling and DIMM slots. */
	uint64_t ram_bytes;
	bool ram_set;                  /* -m given: else the machine default applies */
	uint64_t maxmem;
	unsigned slots;
	uint64_t dimm_bytes;           /* -device pc-dimm/nvdimm/virtio-mem memdev sizes */
	char machine_memdev[VMM_ID_MAX];       /* -machine memory-backend= */

	struct vmm_backend backends[VMM_MAX_BACKENDS];
	int nbackends;
	char mem_path[VMM_PATH_MAX];   /* -mem-path */
	bool mem_prealloc;             /* -mem-prealloc */
	struct vmm_numa numa[VMM_MAX_NUMA];
	int nnuma;

	struct vmm_device devices[VMM_MAX_DEVICES];
	int ndevices;
	struct vmm_bridge bridges[VMM_MAX_BRIDGES];
	int nbridges;
	bool default_bus_bypass_iommu; /* -machine default_bus_bypass_iommu=on */

	enum vmm_viommu viommu;
	char iommufd[VMM_MAX_IOMMUFD][VMM_ID_MAX];     /* -object iommufd ids */
	int niommufd;

	enum vmm_tri mem_lock;         /* -overcommit mem-lock= (on-fault counts as on) */
	bool mem_lock_onfault;         /* mem-lock=on-fault (QEMU 10.0+): locked as touched */

	char bios[VMM_PATH_MAX];       /* -bios; "" = the machine's default firmware */
	char pflash[VMM_MAX_PFLASH][VMM_PATH_MAX];     /* pflash drive files, in unit order */
	int npflash;

	struct vmm_libvirt lv;
	struct vmm_dpdk dpdk;
};

/*
 * Sizes of the files a QEMU loads as ROM (read by host/vmm-read.c, through the
 * sysroot seam like every host read): -1 when unknown (missing, unreadable).
 */
struct vmm_firmware {
	char bios_path[VMM_PATH_MAX];  /* -bios, else the machine default SeaBIOS */
	bool bios_default;             /* no -bios, no pflash: QEMU's default bios-256k.bin */
	int64_t bios;
	int64_t pflash[VMM_MAX_PFLASH];
	int64_t romfile[VMM_MAX_DEVICES];      /* per device, its romfile= */
};

/* What check takes from a VMM's configuration (model/vmm-check.c). */
struct vmm_derived {
	uint64_t guest_ram;            /* bytes every DMA context maps (DPDK: its hugepage memory) */
	bool guest_ram_known;          /* DPDK without -m/--socket-mem: allocated on demand */
	int devices;                   /* VFIO devices (vfio-pci, mdev) */
	char bdfs[VMM_MAX_DEVICES][16];        /* their host BDFs ("" for an mdev) */
	enum vmm_viommu viommu;
	int iommufd_objects;           /* -object iommufd */
	bool iommufd;                  /* the devices use iommufd= (native iommufd backend) */
	int contexts;                  /* DMA contexts that each charge all of guest RAM */
	char contexts_how[256];
	bool hugetlb;                  /* guest RAM on huge pages (a mem-path is taken as hugetlbfs) */
	bool hugetlb_inferred;         /* ... from a mem-path, not said outright */
};

static inline const char *vmm_kind_name(enum vmm_kind k)
{
	switch (k) {
	case VMM_KIND_QEMU:    return "qemu";
	case VMM_KIND_LIBVIRT: return "libvirt";
	case VMM_KIND_DPDK:    return "dpdk";
	default:               return "none";
	}
}

static inline const char *vmm_source_name(enum vmm_source s)
{
	switch (s) {
	case VMM_SRC_CMDLINE:    return "cmdline";
	case VMM_SRC_DOMAIN_XML: return "domain-xml";
	case VMM_SRC_OPTIONS:    return "options";
	default:                 return "none";
	}
}

static inline const char *vmm_manager_name(enum vmm_manager m)
{
	switch (m) {
	case VMM_MGR_LIBVIRT: return "libvirt";
	case VMM_MGR_KATA:    return "kata";
	default:              return "unknown";
	}
}

static inline const char *vmm_viommu_name(enum vmm_viommu v)
{
	switch (v) {
	case VMM_VIOMMU_INTEL:  return "intel-iommu";
	case VMM_VIOMMU_VIRTIO: return "virtio-iommu";
	case VMM_VIOMMU_AMD:    return "amd-iommu";
	case VMM_VIOMMU_SMMUV3: return "smmuv3";
	default:                return "none";
	}
}

#endif
