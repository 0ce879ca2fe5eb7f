/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Who holds an IOMMU group, and the VMM-side rule (pure): every device of one
 * group must be in one DMA address space.
 */
#ifndef VP_MODEL_GROUP_HOLDERS_H
#define VP_MODEL_GROUP_HOLDERS_H

#include <stdbool.h>
#include <stddef.h>

#include "facts/holders.h"
#include "facts/pci.h"

/* The link target a holder's fd names ("/dev/vfio/5", "/dev/iommu", ...). */
void holder_path(const struct holder *h, char *buf, size_t size);
/* A group fd of g, or a cdev of one of its members. */
bool holds_group(const struct iommu_group *g, const struct holder *e);
/*
 * The fds groups lists as g's holders: those above, and the containers and
 * iommufds of the processes that hold them (the address space the group is in).
 */
bool lists_as_holder(const struct iommu_group *g, const struct holders *h, const struct holder *e);

enum as_state {
	AS_UNHELD = 0,     /* nobody holds the group */
	AS_ONE,            /* one holder, one address space */
	AS_SPLIT,          /* the rule is broken: reason says how */
	AS_UNKNOWN,        /* one process, several iommufds, its cdevs' binding not visible */
};

struct as_rule {
	enum as_state state;
	char reason[512];
};

/* JSON `one_address_space.state` (an interface): "unheld", "one", "split", "unknown". */
const char *as_state_name(enum as_state s);

/*
 * Why one address space: a group is the unit of DMA isolation, so the kernel
 * gives it one DMA owner -- the group fd is exclusive (vfio_group_fops_open),
 * and binding one device's cdev claims the whole group for that iommufd
 * (iommu_device_claim_dma_owner) -- and QEMU refuses a group in two guest
 * address spaces ("group N used in multiple address spaces",
 * hw/vfio/common.c vfio_get_group).  So: holders in more than one process, or
 * one QEMU whose command line puts two members in different DMA contexts
 * (behind a vIOMMU, different iommufd objects), break it.
 */
void group_one_as(const struct iommu_group *g, const struct holders *h, struct as_rule *r);

#endif
