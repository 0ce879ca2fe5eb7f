// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A live context's recorded answers as a capture keeps them (an untrusted
 * tree under --sysroot), and the VFIO_IOMMU_GET_INFO buffer inside them.
 */
#include <stdlib.h>
#include <string.h>

#include "model/contexts.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct vfio_context c = { .container_fd = size & 1 };
	struct backend_info bi;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (!ctx_record_parse(text, &c)) {
		ctx_derive(&c, true, 65535);
		ctx_infer(&c, "iommufd");
	}
	vfio_info_parse(data, size, &bi);
	free(text);
	return 0;
}
