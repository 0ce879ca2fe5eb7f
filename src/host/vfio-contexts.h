/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A process's live DMA contexts: its container and iommufd fds, duplicated
 * with pidfd_getfd(2) and asked read-only ioctls (facts/contexts.h).
 */
#ifndef VP_HOST_VFIO_CONTEXTS_H
#define VP_HOST_VFIO_CONTEXTS_H

#include "facts/contexts.h"
#include "facts/vfiofds.h"

/*
 * One context per VFIO_CONTAINER / VFIO_IOMMUFD fd of fds, in fd order.  Each
 * fd is duplicated, asked VFIO_IOMMU_GET_INFO (containers) and IOMMU_OPTION
 * GET RLIMIT_MODE, and closed at once; nothing is changed.  Where the
 * duplicate is refused the context says why and is left for ctx_infer().
 * The answers go through sr_ask(): a capture keeps them at
 * /run/vfio-pinctl/contexts/PID/FD, a replay reads them there.  0 or -ENOMEM
 * (a context whose record cannot be read or parsed is inferred, reason given).
 */
int vfio_contexts_read(const char *pid, const struct vfio_fds *fds, struct vfio_contexts *out);
void vfio_contexts_free(struct vfio_contexts *c);

#endif
