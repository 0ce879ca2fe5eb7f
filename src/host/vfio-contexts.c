// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pidfd_getfd(2) (5.6+) gives us our own descriptor for the VMM's open file:
 * the same container or iommufd context, not a new one.  Only ioctls that
 * read are issued on it: VFIO_IOMMU_GET_INFO (type1's vfio_iommu_type1_get_info
 * and iommufd's compat get_info only copy out) and IOMMU_OPTION with
 * IOMMU_OPTION_OP_GET.  Never MAP/UNMAP: a map through a duplicate would pin
 * and charge in our mm.  Closing the duplicate drops a file reference only;
 * the VMM's own fd keeps the context alive.
 */
#include <errno.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host/iommufd-uapi.h"
#include "host/sysroot.h"
#include "host/vfio-contexts.h"
#include "host/vfiofds.h"
#include "model/contexts.h"

/* Debian 12's glibc 2.36 has the numbers but no wrappers. */
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

struct ask {
	int pid;
	int fd;
	bool container;
};

static int dup_fd(int pid, int fd)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0), dup, err;

	if (pidfd < 0)
		return -errno;
	dup = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	err = errno;
	close(pidfd);
	return dup < 0 ? -err : dup;
}

/* Why the kernel refused: the rule that applied, so the reader knows what would help. */
static void refusal(FILE *f, int err)
{
	char scope[16] = "";

	if (err == ENOSYS) {
		fprintf(f, "reason pidfd_getfd is not in this kernel (5.6+); mappings and rlimit mode inferred\n");
		return;
	}
	if (err == ESRCH || err == EBADF) {
		fprintf(f, "reason the process or its fd went away while it was asked\n");
		return;
	}
	if (err != EPERM && err != EACCES) {
		fprintf(f, "reason pidfd_getfd failed: %s\n", strerror(err));
		return;
	}
	/* PTRACE_MODE_ATTACH_REALCREDS: root (CAP_SYS_PTRACE), and Yama's scope on top. */
	if (sr_read_line("/proc/sys/kernel/yama/ptrace_scope", scope, sizeof(scope)))
		scope[0] = '\0';
	if (!strcmp(scope, "3"))
		fprintf(f, "reason pidfd_getfd refused: yama ptrace_scope is 3 (no attach, even for root)\n");
	else if (geteuid() != 0)
		fprintf(f, "reason pidfd_getfd refused: not root (needs ptrace attach access%s%s); run as root\n",
			scope[0] ? ", yama ptrace_scope " : "", scope);
	else
		fprintf(f, "reason pidfd_getfd refused (%s) by a security module\n", strerror(err));
}

static void put_hex(FILE *f, const unsigned char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "%02x", b[i]);
}

/* The whole answer: a first call learns argsz (the header plus the capability chain). */
static void ask_info(FILE *f, int fd)
{
	struct vfio_iommu_type1_info probe = { .argsz = sizeof(probe) };
	struct vfio_iommu_type1_info *info;
	uint32_t size;

	if (ioctl(fd, VFIO_IOMMU_GET_INFO, &probe)) {
		fprintf(f, "VFIO_IOMMU_GET_INFO %d\n", errno);
		return;
	}
	size = probe.argsz > sizeof(probe) && probe.argsz <= 65536 ? probe.argsz : sizeof(probe);
	info = calloc(1, size);
	if (!info) {
		fprintf(f, "VFIO_IOMMU_GET_INFO %d\n", ENOMEM);
		return;
	}
	info->argsz = size;
	if (size == sizeof(probe))
		memcpy(info, &probe, sizeof(probe));
	else if (ioctl(fd, VFIO_IOMMU_GET_INFO, info)) {
		fprintf(f, "VFIO_IOMMU_GET_INFO %d\n", errno);
		free(info);
		return;
	}
	fprintf(f, "VFIO_IOMMU_GET_INFO 0 ");
	put_hex(f, (const unsigned char *)info, size);
	fputc('\n', f);
	free(info);
}

static void ask_option(FILE *f, int fd)
{
	struct iommu_option o = {
		.size = sizeof(o),
		.option_id = IOMMU_OPTION_RLIMIT_MODE,
		.op = IOMMU_OPTION_OP_GET,
		.object_id = 0,
	};

	if (ioctl(fd, IOMMU_OPTION, &o))
		fprintf(f, "IOMMU_OPTION_RLIMIT_MODE %d\n", errno);
	else
		fprintf(f, "IOMMU_OPTION_RLIMIT_MODE 0 %llu\n", (unsigned long long)o.val64);
}

static int ask_live(void *arg, char **out, size_t *len)
{
	const struct ask *a = arg;
	FILE *f = open_memstream(out, len);
	int dup;

	if (!f)
		return -errno;
	fprintf(f, "# answers of fd %d of pid %d, asked through a pidfd_getfd(2) duplicate\n", a->fd, a->pid);
	dup = dup_fd(a->pid, a->fd);
	fprintf(f, "pidfd_getfd %d\n", dup < 0 ? -dup : 0);
	if (dup < 0) {
		refusal(f, -dup);
	} else {
		/*
		 * VFIO ioctls on /dev/iommu go to iommufd's compat layer: not
		 * asked there, a native context has no compat IOAS to report.
		 * IOMMU_OPTION on type1's container reaches type1, which knows
		 * no such ioctl and refuses it: that tells the two apart.
		 */
		if (a->container)
			ask_info(f, dup);
		ask_option(f, dup);
		close(dup);
	}
	if (fclose(f))
		return -errno;
	return 0;
}

static void unreadable(struct vfio_context *c, int rc)
{
	c->source = CTX_INFERRED;
	c->getfd_err = -rc;
	snprintf(c->reason, sizeof(c->reason), "%s",
		 sr_live() ? "the answers could not be recorded" : "this capture has no recorded answers for the fd (older vfio-pinctl)");
	c->info_err = -1;
	c->option_err = -1;
	c->rlimit_mode = CTX_RLIMIT_UNKNOWN;
}

static void read_one(const char *pid, const struct vfio_fd *fd, struct vfio_context *c)
{
	struct ask a = { .pid = atoi(pid), .fd = fd->fd, .container = fd->kind == VFD_CONTAINER };
	char as[96], *text = NULL;
	int rc;

	memset(c, 0, sizeof(*c));
	c->fd = fd->fd;
	c->container_fd = a.container;
	snprintf(as, sizeof(as), "/run/vfio-pinctl/contexts/%s/%d", pid, fd->fd);
	rc = sr_ask(as, ask_live, &a, &text);
	if (!rc && ctx_record_parse(text, c))
		rc = -EBADMSG;
	if (rc)
		unreadable(c, rc);
	c->fd = fd->fd;
	c->container_fd = a.container;
	free(text);
}

int vfio_contexts_read(const char *pid, const struct vfio_fds *fds, struct vfio_contexts *out)
{
	char self[24];
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!strcmp(pid, "self") && sr_live()) {
		snprintf(self, sizeof(self), "%d", (int)getpid());
		pid = self;
	}
	out->v = calloc(fds->containers + fds->iommufds + 1, sizeof(*out->v));
	if (!out->v)
		return -ENOMEM;
	out->have_limit = !sr_read_u64("/sys/module/vfio_iommu_type1/parameters/dma_entry_limit",
				       &out->dma_entry_limit);
	for (i = 0; i < fds->n; i++) {
		struct vfio_context *c = &out->v[out->n];

		if (fds->v[i].kind != VFD_CONTAINER && fds->v[i].kind != VFD_IOMMUFD)
			continue;
		read_one(pid, &fds->v[i], c);
		ctx_infer(c, vfio_container_provider());
		ctx_derive(c, out->have_limit, out->dma_entry_limit);
		out->live += c->source == CTX_LIVE;
		out->n++;
	}
	return 0;
}

void vfio_contexts_free(struct vfio_contexts *c)
{
	free(c->v);
	memset(c, 0, sizeof(*c));
}
