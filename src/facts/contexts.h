/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A process's live DMA contexts: each VFIO container (/dev/vfio/vfio) and
 * iommufd (/dev/iommu) fd it holds, asked through a duplicate of the fd
 * (pidfd_getfd(2), 5.6+) with read-only ioctls.  Filled by
 * host/vfio-contexts.c, from the kernel or from a capture's recorded answers;
 * model/contexts.c parses and derives, render/ and the dma_entries judge read.
 */
#ifndef VP_FACTS_CONTEXTS_H
#define VP_FACTS_CONTEXTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/dma.h"

enum ctx_kind {
	CTX_UNKNOWN,         /* a container fd whose backend the kernel did not say */
	CTX_TYPE1,           /* /dev/vfio/vfio served by vfio_iommu_type1 */
	CTX_IOMMUFD_COMPAT,  /* /dev/vfio/vfio served by iommufd (IOMMUFD_VFIO_CONTAINER) */
	CTX_IOMMUFD,         /* /dev/iommu */
};

enum ctx_source {
	CTX_LIVE,            /* the kernel answered, through the duplicated fd */
	CTX_INFERRED,        /* pidfd_getfd refused or failed: what the counters suggest */
};

/* IOMMU_OPTION_RLIMIT_MODE's val64, or unknown. */
enum ctx_rlimit { CTX_RLIMIT_UNKNOWN = -1, CTX_RLIMIT_USER = 0, CTX_RLIMIT_MM = 1 };

struct vfio_context {
	int fd;                    /* the fd number in the target process */
	bool container_fd;         /* /dev/vfio/vfio (else /dev/iommu) */
	enum ctx_kind kind;
	enum ctx_source source;
	char reason[160];          /* why inferred (or a partial answer): "" when all was answered */
	int getfd_err;             /* pidfd_getfd's errno (0: duplicated) */
	/* VFIO_IOMMU_GET_INFO (containers) */
	int info_err;              /* its errno, 0 answered, -1 not asked */
	uint64_t pgsizes;          /* iova_pgsizes; 0 unknown */
	struct iova_range ranges[BE_MAX_RANGES];
	size_t nranges;
	bool ranges_known;
	bool has_dma_avail;        /* VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL (5.10+) */
	uint32_t dma_avail;
	/* derived: dma_entry_limit - dma_avail (type1 only; iommufd has no entry limit) */
	bool has_in_use;
	uint64_t mappings_in_use;
	/* IOMMU_OPTION GET RLIMIT_MODE (iommufd contexts, compat included) */
	int option_err;            /* its errno, 0 answered, -1 not asked */
	enum ctx_rlimit rlimit_mode;
	bool rlimit_inferred;      /* rlimit_mode guessed from VmLck/VmPin, not asked */
};

struct vfio_contexts {
	struct vfio_context *v;
	size_t n;
	size_t live;               /* how many the kernel answered */
	bool have_limit;           /* dma_entry_limit read (vfio_iommu_type1 loaded) */
	uint64_t dma_entry_limit;
};

static inline const char *ctx_kind_name(enum ctx_kind k)
{
	switch (k) {
	case CTX_TYPE1: return "type1";
	case CTX_IOMMUFD_COMPAT: return "iommufd-compat";
	case CTX_IOMMUFD: return "iommufd";
	default: return "unknown";
	}
}

static inline const char *ctx_rlimit_name(enum ctx_rlimit m)
{
	switch (m) {
	case CTX_RLIMIT_USER: return "per-user";
	case CTX_RLIMIT_MM: return "per-mm";
	default: return NULL;
	}
}

#endif
