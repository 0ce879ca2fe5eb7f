// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc/PID/smaps and maps text: the header and field parsers and the streaming reader. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/smaps.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct smaps_reader r = { 0 };
	struct vma v;
	char *line;
	int n = 0;

	line = malloc(size + 1);
	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	if (!smaps_parse_header(line, &v)) {
		(void)vma_is_pfnmap(&v);
		(void)vma_size(&v);
	}
	smaps_parse_field(line, &v);
	free(line);

	r.f = fmemopen((void *)data, size, "r");
	if (!r.f)
		return 0;
	while (smaps_next(&r, &v) > 0 && n++ < 100000)
		(void)vma_is_vfio_device(&v);
	smaps_close(&r);
	return 0;
}
