// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc/PID/status and /proc/PID/limits parsers; /proc/vmstat, /proc/zoneinfo and mountinfo lines. */
#include <stdlib.h>
#include <string.h>

#include "host/mounts.h"
#include "host/procstat.h"
#include "host/vmstat.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct proc_status st;
	struct proc_limit lim;
	struct pfn_ranges mov;
	uint64_t a, r;
	unsigned ma, mi;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	parse_status(text, &st);
	parse_limits_memlock(text, &lim);
	vmstat_parse_pins(text, &a, &r);
	zoneinfo_parse_movable(text, &mov);
	mountinfo_line_dax(text, &ma, &mi);
	free(text);
	return 0;
}
