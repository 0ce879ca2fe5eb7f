/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Live DMA contexts (facts/contexts.h): the capability chain of a
 * VFIO_IOMMU_GET_INFO answer, the recorded answers of one duplicated fd,
 * what follows from them, and what is inferred when the fd could not be
 * duplicated.  Pure: no I/O.
 */
#ifndef VP_MODEL_CONTEXTS_H
#define VP_MODEL_CONTEXTS_H

#include <stddef.h>

#include "facts/contexts.h"
#include "facts/dma.h"

/*
 * The VFIO_IOMMU_GET_INFO buffer (struct vfio_iommu_type1_info and the caps
 * after it), len bytes of it: page sizes, IOVA ranges (5.4+), DMA budget
 * (5.10+) into bi (zeroed first).  -EINVAL when shorter than the header.
 */
int vfio_info_parse(const void *buf, size_t len, struct backend_info *bi);

/*
 * One fd's recorded answers (host/vfio-contexts.c writes them, a capture keeps
 * them), one per line:
 *   pidfd_getfd ERRNO
 *   VFIO_IOMMU_GET_INFO ERRNO [HEX of the answer buffer]
 *   IOMMU_OPTION_RLIMIT_MODE ERRNO [VAL64]
 *   reason TEXT
 * into c (fd and container_fd set by the caller), kind and source decided.
 * -EINVAL when the text is not such a record.
 */
int ctx_record_parse(const char *text, struct vfio_context *c);

/* mappings_in_use = dma_entry_limit - dma_avail, for type1 contexts that told dma_avail. */
void ctx_derive(struct vfio_context *c, bool have_limit, uint64_t dma_entry_limit);

/*
 * An inferred context (the fd could not be asked): the container's kind from
 * who serves /dev/vfio/vfio (provider "iommufd", else type1), and the compat
 * container's rule (always per-mm).  A native iommufd's mode stays unknown
 * here: inspect's memlock.iommufd_accounting infers it from the counters.
 */
void ctx_infer(struct vfio_context *c, const char *provider);

#endif
