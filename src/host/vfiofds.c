// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/smaps.h"
#include "host/sysroot.h"
#include "lib/util.h"
#include "host/vfiofds.h"

static int parse_int_tail(const char *s, int *out)
{
	char *end;
	long v;

	if (!*s)
		return -EINVAL;
	v = strtol(s, &end, 10);
	if (*end || v < 0 || v > 1 << 30)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

enum vfio_fd_kind vfio_fd_kind_of(const char *t, int *group, int *cdev)
{
	const char *p;

	*group = -1;
	*cdev = -1;
	if (!strcmp(t, "/dev/vfio/vfio"))
		return VFD_CONTAINER;
	if (!strcmp(t, "/dev/iommu"))
		return VFD_IOMMUFD;
	if (!strcmp(t, "anon_inode:[vfio-device]"))
		return VFD_DEVICE;
	if (!strcmp(t, "anon_inode:kvm-vfio"))
		return VFD_KVM_VFIO;
	if ((p = skip_prefix(t, "/dev/vfio/devices/vfio")))
		return parse_int_tail(p, cdev) ? VFD_NONE : VFD_CDEV;
	if ((p = skip_prefix(t, "/dev/vfio/noiommu-")))
		return parse_int_tail(p, group) ? VFD_NONE : VFD_GROUP;
	if ((p = skip_prefix(t, "/dev/vfio/")))
		return parse_int_tail(p, group) ? VFD_NONE : VFD_GROUP;
	return VFD_NONE;
}

void fdinfo_syspath(const char *text, char *out, size_t size)
{
	const char *p = text;
	size_t n;

	out[0] = '\0';
	while (p && *p) {
		const char *v = skip_prefix(p, "vfio-device-syspath:");

		if (v) {
			while (*v == ' ' || *v == '\t')
				v++;
			n = strcspn(v, "\n");
			if (n >= size)
				n = size - 1;
			memcpy(out, v, n);
			out[n] = '\0';
			return;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
}

static int add_fd(struct vfio_fds *f, const struct vfio_fd *e)
{
	struct vfio_fd *nv;

	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 8;
		nv = realloc(f->v, f->cap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		f->v = nv;
	}
	f->v[f->n++] = *e;
	switch (e->kind) {
	case VFD_CONTAINER: f->containers++; break;
	case VFD_GROUP: f->groups++; break;
	case VFD_DEVICE: f->devices++; break;
	case VFD_CDEV: f->cdevs++; break;
	case VFD_IOMMUFD: f->iommufds++; break;
	default: break;
	}
	return 0;
}

static void read_syspath(const char *pid, int fd, struct vfio_fd *e)
{
	char path[96], *text;

	snprintf(path, sizeof(path), "/proc/%s/fdinfo/%d", pid, fd);
	if (sr_read_text(path, &text, NULL))
		return;
	fdinfo_syspath(text, e->syspath, sizeof(e->syspath));
	free(text);
}

static int cmp_fd(const void *a, const void *b)
{
	const struct vfio_fd *x = a, *y = b;

	return (x->fd > y->fd) - (x->fd < y->fd);
}

int vfio_fds_read(const char *pid, struct vfio_fds *out)
{
	char dir[64], path[128], target[512];
	struct dirent *de;
	DIR *d;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	snprintf(dir, sizeof(dir), "/proc/%s/fd", pid);
	d = sr_opendir(dir);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		struct vfio_fd e = { 0 };
		int fd;

		if (de->d_name[0] == '.' || parse_int_tail(de->d_name, &fd))
			continue;
		if (snprintf(path, sizeof(path), "%s/%.20s", dir, de->d_name) < 0)
			continue;
		if (sr_readlink(path, target, sizeof(target)))
			continue;  /* closed meanwhile */
		e.fd = fd;
		e.kind = vfio_fd_kind_of(target, &e.group, &e.cdev);
		if (e.kind == VFD_NONE)
			continue;
		if (e.kind == VFD_DEVICE || e.kind == VFD_CDEV)
			read_syspath(pid, fd, &e);
		rc = add_fd(out, &e);
		if (rc)
			break;
	}
	closedir(d);
	/* readdir order depends on the filesystem: sort for stable output. */
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_fd);
	return rc;
}

int vfio_device_vmas_read(const char *pid, struct vma **out, size_t *n)
{
	char path[64], *line = NULL;
	size_t cap = 0, have = 0;
	struct vma v, *nv;
	FILE *f;
	int rc = 0;

	*out = NULL;
	*n = 0;
	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	f = sr_fopen(path);
	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		if (smaps_parse_header(line, &v) || strcmp(v.path, "anon_inode:[vfio-device]"))
			continue;
		if (*n == have) {
			have = have ? have * 2 : 4;
			nv = realloc(*out, have * sizeof(*nv));
			if (!nv) {
				rc = -ENOMEM;
				break;
			}
			*out = nv;
		}
		(*out)[(*n)++] = v;
	}
	free(line);
	fclose(f);
	return rc;
}

void vfio_fds_free(struct vfio_fds *f)
{
	free(f->v);
	memset(f, 0, sizeof(*f));
}

const char *vfio_container_provider(void)
{
	/*
	 * vfio_iommu_type1 has parameters, so it is in /sys/module even when
	 * built in; a kernel whose container is iommufd's has no type1 at all.
	 */
	if (sr_exists("/sys/module/vfio_iommu_type1"))
		return "vfio_iommu_type1";
	if (sr_exists("/sys/module/iommufd") && sr_exists("/sys/module/vfio"))
		return "iommufd";
	return NULL;
}

const char *vfio_fds_backend(const struct vfio_fds *f, const char *provider)
{
	if (f->iommufds || f->cdevs)
		return "iommufd";
	if (f->containers || f->groups)
		return provider && !strcmp(provider, "iommufd") ? "iommufd" : "type1";
	return "none";
}
