// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "host/pagemap.h"
#include "host/sysroot.h"
#include "lib/util.h"

/* uapi struct pm_scan_arg (6.7+); Debian 12's headers predate it. */
struct vp_pm_scan_arg {
	uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages;
	uint64_t category_inverted, category_mask, category_anyof_mask, return_mask;
};
#define VP_PAGEMAP_SCAN _IOWR('f', 16, struct vp_pm_scan_arg)

int pm_open(struct pagemap_reader *r, const char *pid)
{
	char path[64];

	memset(r, 0, sizeof(*r));
	snprintf(path, sizeof(path), "/proc/%s/pagemap", pid);
	r->fd = sr_open(path, O_RDONLY);
	if (r->fd < 0)
		return r->fd;
	/* A captured tree holds pagemap as a plain (sparse) file: no ioctl there. */
	if (!sr_live())
		r->scan = -1;
	return 0;
}

void pm_close(struct pagemap_reader *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

long pm_read(struct pagemap_reader *r, uint64_t vaddr, size_t n, uint64_t *out)
{
	return pread_u64s(r->fd, vaddr >> 12, n, out);
}

long pm_scan(struct pagemap_reader *r, uint64_t start, uint64_t end,
	     struct pm_region *vec, size_t vec_len, uint64_t *walk_end)
{
	struct vp_pm_scan_arg arg = {
		.size = sizeof(arg),
		.start = start,
		.end = end,
		.vec = (uintptr_t)vec,
		.vec_len = vec_len,
		/* Never PM_SCAN_WP_MATCHING: that would change the target's page tables. */
		.category_anyof_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED,
		.return_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED | PAGE_IS_HUGE,
	};
	long n;

	if (r->scan < 0)
		return -EOPNOTSUPP;
	n = ioctl(r->fd, VP_PAGEMAP_SCAN, &arg);
	if (n < 0) {
		if (errno == ENOTTY || errno == EINVAL || errno == EOPNOTSUPP) {
			r->scan = -1;  /* before 6.7: fall back to plain reads */
			return -EOPNOTSUPP;
		}
		return -errno;
	}
	r->scan = 1;
	*walk_end = arg.walk_end;
	return n;
}
