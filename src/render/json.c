// SPDX-License-Identifier: GPL-2.0-or-later
#include "render/render.h"

void json_class_fields(struct jsonw *w, const struct class_bytes *cb)
{
	jw_u64(w, "unknown_bytes", cb->bytes[PC_UNKNOWN]);
	jw_u64(w, "invalid_bytes", cb->bytes[PC_INVALID]);
	jw_u64(w, "zero_bytes", cb->bytes[PC_ZERO]);
	jw_u64(w, "reserved_bytes", cb->bytes[PC_RESERVED]);
	jw_u64(w, "hugetlb_bytes", cb->bytes[PC_HUGETLB]);
	jw_u64(w, "thp_bytes", cb->bytes[PC_THP]);
	jw_u64(w, "anon_bytes", cb->bytes[PC_ANON]);
	jw_u64(w, "file_bytes", cb->bytes[PC_FILE]);
	jw_u64(w, "present_bytes", class_present(cb));
	jw_u64(w, "pfnmap_bytes", cb->pfnmap);
	jw_u64(w, "mapped_bytes", cb->mapped);
	jw_u64(w, "chargeable_bytes", class_chargeable(cb));
	jw_u64(w, "swapped_bytes", cb->swapped);
	jw_u64(w, "unscanned_bytes", cb->unscanned);
	/* ZONE_DEVICE memory (devdax, fsdax), told by the vma: PG_reserved, type1 never charges nor unpins it. */
	jw_u64(w, "device_bytes", cb->bytes[PC_DEVICE]);
	/* Of zero_bytes, the huge zero folio's: not reserved, so charged where a pin keeps it (< 6.2). */
	jw_u64(w, "huge_zero_bytes", cb->huge_zero);
}
