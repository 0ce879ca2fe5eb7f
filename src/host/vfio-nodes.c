// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The nodes vfio_dev_access and backends judge: /dev/vfio/N, /dev/vfio/vfio,
 * /dev/vfio/devices/vfioN, /dev/iommu, with their owners as the account
 * databases name them.  Live, the container's kind is asked of the kernel
 * (map/backend.c opens the node); not allowed to (not root) or in a captured
 * tree, model/judge-backends.c infers it from the modules.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/sysroot.h"
#include "host/users.h"
#include "host/vfio-nodes.h"
#include "host/iommufd-uapi.h"
#include "lib/util.h"

enum container_kind container_kind_fd(int fd)
{
	struct iommu_option o = {
		.size = sizeof(o),
		.option_id = IOMMU_OPTION_RLIMIT_MODE,
		.op = IOMMU_OPTION_OP_GET,
	};

	/*
	 * iommufd's compat container is an iommufd context: IOMMU_OPTION
	 * answers (GET rlimit mode: 1, per-mm).  VFIO's container passes an
	 * unknown ioctl to its IOMMU driver, and has none yet: EINVAL.
	 */
	if (!ioctl(fd, IOMMU_OPTION, &o))
		return CK_COMPAT;
	return ioctl(fd, VFIO_CHECK_EXTENSION, (void *)(long)VFIO_TYPE1v2_IOMMU) > 0 ? CK_TYPE1 : CK_BARE;
}

int container_kind(enum container_kind *out)
{
	int fd = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);

	*out = CK_NONE;
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	*out = container_kind_fd(fd);
	close(fd);
	return 0;
}

void backend_host_read(struct backend_host *h)
{
	enum container_kind k;

	memset(h, 0, sizeof(*h));
	h->container_node = sr_exists("/dev/vfio/vfio");
	h->dev_iommu = sr_exists("/dev/iommu");
	if (sr_live() && !container_kind(&k)) {
		h->kind_known = true;
		h->kind = k;
	}
}

void dev_node_read(const char *path, struct dev_node *n)
{
	struct stat st;

	memset(n, 0, sizeof(*n));
	str_copy(n->path, sizeof(n->path), path);
	n->rc = sr_stat(path, &st);
	if (n->rc)
		return;
	n->uid = st.st_uid;
	n->gid = st.st_gid;
	n->mode = st.st_mode & 07777;
	uid_name(n->uid, n->owner, sizeof(n->owner));
	gid_name(n->gid, n->group, sizeof(n->group));
}

static bool group_has_vfio(const struct iommu_group *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (g->members[i].role == ROLE_VFIO)
			return true;
	return false;
}

static int native_nodes(const struct iommu_group *g, struct group_access *a)
{
	char path[64];
	size_t i;

	a->nodes = calloc(g->n + 1, sizeof(*a->nodes));
	if (!a->nodes)
		return -ENOMEM;
	for (i = 0; i < g->n; i++) {
		const struct pci_entry *e = &g->members[i];

		if (e->role != ROLE_VFIO || e->info.vfio_cdev < 0)
			continue;
		snprintf(path, sizeof(path), "/dev/vfio/devices/vfio%d", e->info.vfio_cdev);
		dev_node_read(path, &a->nodes[a->nnodes++]);
	}
	dev_node_read("/dev/iommu", &a->nodes[a->nnodes++]);
	return 0;
}

int group_access_read(const struct iommu_group *g, bool native, unsigned uid, struct group_access *a)
{
	char path[64];

	memset(a, 0, sizeof(*a));
	a->group = g->id;
	a->has_vfio = group_has_vfio(g);
	uid_name(uid, a->uname, sizeof(a->uname));
	if (native && a->has_vfio) {
		a->native = true;
		return native_nodes(g, a);
	}
	snprintf(path, sizeof(path), "/dev/vfio/%d", g->id);
	dev_node_read(path, &a->group_node);
	dev_node_read("/dev/vfio/vfio", &a->container);
	return 0;
}

void group_access_free(struct group_access *a)
{
	free(a->nodes);
	a->nodes = NULL;
	a->nnodes = 0;
}

void vfio_nodes_present(bool *container, bool *iommu)
{
	*container = sr_exists("/dev/vfio/vfio");
	*iommu = sr_exists("/dev/iommu");
}
