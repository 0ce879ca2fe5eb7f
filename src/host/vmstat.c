// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/sysroot.h"
#include "host/vmstat.h"

static int field_u64(const char *text, const char *name, uint64_t *v)
{
	size_t n = strlen(name);
	const char *p = text;

	while ((p = strstr(p, name))) {
		if ((p == text || p[-1] == '\n') && p[n] == ' ')
			return sscanf(p + n, " %" SCNu64, v) == 1 ? 0 : -EINVAL;
		p += n;
	}
	return -ENOENT;
}

int vmstat_parse_pins(const char *text, uint64_t *acquired, uint64_t *released)
{
	int rc = field_u64(text, "nr_foll_pin_acquired", acquired);

	return rc ? rc : field_u64(text, "nr_foll_pin_released", released);
}

int vmstat_pins_read(struct pin_counts *pc)
{
	char *text = NULL;
	size_t len;
	int fd, rc;

	memset(pc, 0, sizeof(*pc));
	/* Any write folds the per-cpu deltas into the global counters (vmstat_refresh). */
	fd = sr_open("/proc/sys/vm/stat_refresh", O_WRONLY);
	if (fd >= 0) {
		pc->refreshed = write(fd, "1", 1) == 1;
		close(fd);
	}
	rc = sr_read_text("/proc/vmstat", &text, &len);
	if (rc)
		return rc;
	rc = vmstat_parse_pins(text, &pc->acquired, &pc->released);
	free(text);
	pc->known = rc == 0;
	return rc;
}

/*
 * "Node 0, zone  Movable\n ... spanned  262144 ... start_pfn: 786432":
 * a zone's block runs from its "Node" line to the next one.
 */
int zoneinfo_parse_movable(const char *text, struct pfn_ranges *out)
{
	const char *p = text, *next;
	uint64_t spanned, start;

	memset(out, 0, sizeof(*out));
	while ((p = strstr(p, "Node "))) {
		char zone[32] = "";
		size_t blen;
		char *block;

		next = strstr(p + 5, "\nNode ");
		blen = next ? (size_t)(next - p) : strlen(p);
		if (sscanf(p, "Node %*u, zone %31s", zone) == 1 && !strcmp(zone, "Movable")) {
			block = strndup(p, blen);
			if (!block)
				return -ENOMEM;
			const char *sp = strstr(block, "spanned"), *st = strstr(block, "start_pfn:");

			if (sp && st && sscanf(sp, "spanned %" SCNu64, &spanned) == 1 &&
			    sscanf(st, "start_pfn: %" SCNu64, &start) == 1 && spanned &&
			    out->n < PFN_RANGES_MAX) {
				out->r[out->n].start = start;
				out->r[out->n].end = start + spanned;
				out->n++;
			}
			free(block);
		}
		if (!next)
			break;
		p = next + 1;
	}
	return 0;
}

int zoneinfo_movable_read(struct pfn_ranges *out)
{
	char *text = NULL;
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = sr_read_text("/proc/zoneinfo", &text, &len);
	if (rc)
		return rc == -ENOENT ? 0 : rc;
	rc = zoneinfo_parse_movable(text, out);
	free(text);
	return rc;
}
