// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc/PID/status and /proc/PID/limits parsers. */
#include <stdlib.h>
#include <string.h>

#include "host/procstat.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct proc_status st;
	struct proc_limit lim;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	parse_status(text, &st);
	parse_limits_memlock(text, &lim);
	free(text);
	return 0;
}
