/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The memory `map` DMA-maps: one allocator per kind of guest RAM a VMM uses
 * (anon 4K, THP, hugetlb 2M/1G, the shared zero page, a shared file, mlocked
 * anon) and a device BAR mmapped through the VFIO device fd.
 */
#ifndef VP_MAP_MEM_H
#define VP_MAP_MEM_H

#include <stdbool.h>
#include <stdint.h>

#include "map/backend.h"
#include "facts/pci.h"
#include "model/predict.h"

enum mem_type {
	MT_ANON,        /* private anon, 4K pages (MADV_NOHUGEPAGE) */
	MT_THP,         /* private anon, MADV_HUGEPAGE, 2M aligned */
	MT_HUGETLB,     /* MAP_HUGETLB 2M */
	MT_HUGETLB1G,   /* MAP_HUGETLB | MAP_HUGE_1GB */
	MT_ZERO,        /* PROT_READ private anon, only read: the shared zero page */
	MT_FILE,        /* MAP_SHARED of an unlinked temp file */
	MT_MLOCK,       /* private anon 4K, mlock()ed: charged by mlock and again by the pin */
	MT_BAR,         /* a device BAR: VM_IO | VM_PFNMAP */
	/* The rest of the pfn taxonomy (map/mem-kinds.c). */
	MT_HUGEZERO,    /* PROT_READ private anon, MADV_HUGEPAGE, 2M aligned, only read: the huge zero folio */
	MT_DEVDAX,      /* MAP_SHARED of /dev/daxN.M: ZONE_DEVICE, PG_reserved */
	MT_FSDAX,       /* MAP_SHARED of a file on a dax mount ($TMPDIR) */
	MT_VGEM,        /* a vgem dumb buffer (/dev/dri/cardN): VM_PFNMAP of ordinary RAM */
	MT_UDMABUF,     /* /dev/udmabuf over a memfd: VM_PFNMAP of ordinary RAM since 6.11 */
	MT_DMAHEAP,     /* /dev/dma_heap/system: remap_pfn_range of ordinary RAM */
	MT_DEVMEM,      /* /dev/mem below 1 MiB, read-only: VM_PFNMAP of reserved RAM */
	MT_KSM,         /* private anon, identical pages, MADV_MERGEABLE, merged before the map */
	MT_PRIVATE,     /* MAP_PRIVATE of a memfd, only read: page-cache pages in a COW mapping */
	MT_WRITEBACK,   /* MAP_SHARED file on a block-device-backed filesystem ($TMPDIR) */
	MT_SECRETMEM,   /* memfd_secret(2) */
	MT_NR,
};

/* One --type argument: TYPE[:SIZE][:ro|:rw][@IOVA]. */
struct mem_spec {
	enum mem_type type;
	int bar;                /* MT_BAR: BAR index, -1 = the first mmappable one */
	uint64_t size;          /* 0: the type's default */
	unsigned flags;         /* BE_MAP_*; 0: the type's default */
	bool iova_set;
	uint64_t iova;
	char text[64];          /* as given, for messages */
};

struct mem_region {
	enum mem_type type;
	int bar;                /* MT_BAR: the BAR used */
	void *addr;
	uint64_t size;
	void *map_base;         /* what munmap undoes (THP over-allocates to align) */
	uint64_t map_len;
	bool writable;          /* PROT_WRITE */
	bool unpop_zero;        /* a read fault on a hole maps the zero page */
	bool file_dirty_tracked; /* MT_FILE on a filesystem with writeback (not tmpfs/hugetlbfs/ramfs) */
	char file_dir[256];     /* MT_FILE: where the temp file lives */
	bool pfnmap;
	uint64_t bar_phys;      /* MT_BAR, MT_DEVMEM: the physical address (its pfns are classified from kpageflags) */
	uint64_t fault_ns;      /* wall time of allocating and pre-faulting it (map --time) */
	enum mem_backing backing; /* what the page classes cannot say (fs-dax, PFNMAP of RAM, secretmem) */
	bool cow;               /* MAP_PRIVATE: non-anon pages are COWed/unshared by a long-term pin */
	bool zone_device;       /* device-dax, fs-dax: kpageflags' invalid/reserved is device memory */
	int fds[2];             /* kept open until mem_free */
	int nfds;
	char what[96];          /* the device or file behind it: "/dev/dax0.0", "/dev/dri/card0" */
};

const char *mem_type_name(enum mem_type t);
/* "barN" names need the index too: "bar0". */
void mem_spec_name(const struct mem_spec *s, int bar, char *buf, size_t size);
/* 0, or -EINVAL with err_set(USAGE). */
int mem_spec_parse(const char *arg, struct mem_spec *s);
unsigned mem_default_flags(enum mem_type t);
/* The type's page size: sizes must be multiples of it. */
uint64_t mem_page_size(enum mem_type t);
/* Default size when neither :SIZE nor --size is given (0 for a BAR: the whole BAR). */
uint64_t mem_default_size(enum mem_type t);

/*
 * Allocate and populate one region.  BARs come from be (the device fd) and
 * dev (the physical address).  0 or -errno with err_set(): no hugepages names
 * vm.nr_hugepages and the number needed.
 */
int mem_alloc(struct mem_region *r, const struct mem_spec *s, uint64_t size,
	      struct backend *be, const struct pci_dev_info *dev);
void mem_free(struct mem_region *r);

/*
 * Can this host make memory of the type at all?  0, or -errno with
 * err_set(VP_EXIT_RESOURCE, ...) naming what is missing (module, boot
 * parameter, device, filesystem) and how to get it.  Called before VFIO is
 * opened, and again by mem_alloc.
 */
int mem_probe(const struct mem_spec *s, uint64_t size);

/* Free huge pages of 2M (index 0) and 1G (index 1), for the baseline check; -1 when absent. */
void hugepages_free(long out[2]);

#endif
