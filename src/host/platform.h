/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The platform's IOMMU: ACPI tables, IOMMU units, groups, CPU vendor, interrupt chips. */
#ifndef VP_HOST_PLATFORM_H
#define VP_HOST_PLATFORM_H

#include "facts/iommu.h"

/* Fill f; what cannot be read is left as "absent" or its -errno in the *_rc fields. */
void platform_read(struct iommu_facts *f);

#endif
