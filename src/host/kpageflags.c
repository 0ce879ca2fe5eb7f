// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "host/kpageflags.h"
#include "host/sysroot.h"
#include "lib/util.h"

int kpf_open(struct kpf_reader *r)
{
	memset(r, 0, sizeof(*r));
	r->fd = sr_open("/proc/kpageflags", O_RDONLY);
	if (r->fd < 0) {
		r->err = r->fd;
		r->fd = -1;
	}
	return r->err;
}

void kpf_close(struct kpf_reader *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

long kpf_read(struct kpf_reader *r, uint64_t pfn, size_t n, uint64_t *out)
{
	if (r->fd < 0)
		return r->err ? r->err : -EBADF;
	return pread_u64s(r->fd, pfn, n, out);
}
