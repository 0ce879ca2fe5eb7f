// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A QEMU command line to facts: guest RAM, memory backends, VFIO devices, the
 * vIOMMU and which devices sit behind it, iommufd objects, -overcommit mem-lock,
 * firmware paths.  Pure: argv in, struct vmm_config out.
 *
 * QEMU's own rules followed here (QEMU 7.2 unless said):
 * - options are -opt or --opt; every option takes one argument except the few
 *   without HAS_ARG in qemu-options.hx (no_arg[] below); no -opt=value form;
 * - -m: QemuOpts with implied "size"; a size ending in a digit is MiB (vl.c
 *   parse_memory_options "legacy suffix-less format"); -m 0 or no -m is the
 *   machine's default_ram_size (128 MiB, hw/core/machine.c machine_class_init);
 *   the size is rounded up to 8 KiB (machine_set_mem); maxmem= is in bytes
 *   unless suffixed;
 * - memory-backend-memfd defaults to share=on (backends/hostmem-memfd.c
 *   memfd_backend_instance_init), ram and file to off;
 * - a PCI device is behind the vIOMMU unless its root bus's host bridge has
 *   bypass_iommu (hw/pci/pci.c pci_device_iommu_address_space and
 *   pci_bus_bypass_iommu; docs/bypass-iommu.txt): pxb/pxb-pcie take
 *   bypass_iommu=, the main bus takes -machine default_bus_bypass_iommu=;
 * - behind a vIOMMU, a device under a conventional PCI bus (pci-bridge,
 *   pcie-pci-bridge, the dmi-to-pci i82801b11-bridge, a plain pxb) DMAs with the
 *   requester ID of the topmost such bridge, and so shares its address space
 *   with every device behind it (pci_device_iommu_address_space's alias walk,
 *   QEMU 5.0+: "pci: Use PCI aliases when determining device IOMMU address space").
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "lib/util.h"
#include "model/vmm.h"

#define QEMU_DEFAULT_RAM (128ULL << 20)

/* qemu-options.hx entries without HAS_ARG (7.2, plus later ones QEMU may print). */
static const char *const no_arg[] = {
	"h", "help", "version", "S", "s", "nographic", "no-user-config", "nodefaults",
	"nodefconfig", "enable-kvm", "no-kvm", "no-reboot", "no-shutdown", "daemonize",
	"snapshot", "mem-prealloc", "no-hpet", "no-acpi", "full-screen", "usb",
	"win2k-hack", "no-fd-bootchk", "only-migratable", "preconfig", "enable-sync-profile",
	"alt-grab", "ctrl-grab", "no-frame", "no-quit", "sdl", "curses", "portrait",
	"rtc-td-hack", "singlestep", "xen-attach", "xen-domid-restrict", "enable-fips",
	"old-param", "semihosting", "async-teardown", "perfmap", "jitdump", "audio-help",
	"no-kvm-irqchip", "no-kvm-pit", "no-kvm-pit-reinjection", "tdf", "show-cursor",
	"list-cpu", "no-graphic",
};

struct qctx {
	struct vmm_config *c;
	int argi;                 /* index of the option being read, for messages */
	const char *opt;
	const char *arg;
	/* -blockdev nodes, to follow -machine pflashN= to a file name */
	int nnodes;
	struct { char name[VMM_ID_MAX]; char file[VMM_ID_MAX]; char filename[VMM_PATH_MAX]; } node[16];
	char pflash_node[VMM_MAX_PFLASH][VMM_ID_MAX];
};

static int bad(struct qctx *q, const char *what)
{
	char o[40], a[80];

	err_set(VP_EXIT_SYSROOT, "QEMU command line, argument %d (-%s %s): %s", q->argi,
		vmm_printable(q->opt, o, sizeof(o)), vmm_printable(q->arg, a, sizeof(a)), what);
	return -EINVAL;
}

static void copy(char *dst, size_t size, const char *src)
{
	str_copy(dst, size, src ? src : "");
}

static void set_partial(struct vmm_config *c, const char *why)
{
	if (!c->partial[0])
		copy(c->partial, sizeof(c->partial), why);
}

static int get_bool(struct qctx *q, const struct vmm_kv *kv, const char *key, bool *out)
{
	const char *v = vmm_kv_get(kv, key);
	int b;

	if (!v)
		return 0;
	b = vmm_parse_bool(v);
	if (b < 0)
		return bad(q, "a property takes on or off");
	*out = b;
	return 0;
}

static int get_size(struct qctx *q, const struct vmm_kv *kv, const char *key, char def, uint64_t *out)
{
	const char *v = vmm_kv_get(kv, key);

	if (!v)
		return 0;
	if (vmm_qemu_size(v, def, out))
		return bad(q, "a size must be a number with an optional K, M, G, T, P or E suffix");
	return 0;
}

/* ---- -m ---- */

static int m_size(struct qctx *q, const char *size)
{
	uint64_t v;
	bool mib = *size && isdigit((unsigned char)size[strlen(size) - 1]);

	/* QEMU reads the size as bytes first (so "-m 1.5" is refused), then
	 * takes one ending in a digit as MiB (the legacy suffix-less format). */
	if (vmm_qemu_size(size, 'B', &v) || (mib && v > (UINT64_MAX >> 20)))
		return bad(q, "-m takes a size: 256 (MiB), 512M, 4G");
	if (mib)
		v <<= 20;
	if (v > UINT64_MAX - 8191)
		return bad(q, "-m is larger than QEMU can hold");
	if (v) {   /* -m 0 is the machine's default */
		q->c->ram_bytes = (v + 8191) & ~8191ULL;   /* machine_set_mem: QEMU_ALIGN_UP(size, 8192) */
		q->c->ram_set = true;
	}
	return 0;
}

static int opt_m(struct qctx *q, const struct vmm_kv *kv)
{
	const char *size = vmm_kv_get(kv, "size"), *slots = vmm_kv_get(kv, "slots");
	uint64_t n;
	int rc;

	rc = size ? m_size(q, size) : 0;
	if (!rc)
		rc = get_size(q, kv, "maxmem", 'B', &q->c->maxmem);
	if (rc || !slots)
		return rc;
	if (parse_u64(slots, &n) || n > 1024)
		return bad(q, "slots= takes a number of DIMM slots");
	q->c->slots = (unsigned)n;
	return 0;
}

/* ---- -object ---- */

static struct vmm_backend *find_backend(struct vmm_config *c, const char *id)
{
	int i;

	for (i = 0; id && i < c->nbackends; i++)
		if (!strcmp(c->backends[i].id, id))
			return &c->backends[i];
	return NULL;
}

static int object_backend(struct qctx *q, const struct vmm_kv *kv, enum vmm_mem_type type)
{
	struct vmm_config *c = q->c;
	struct vmm_backend *b;
	int rc;

	if (c->nbackends >= VMM_MAX_BACKENDS) {
		set_partial(c, "more memory backends than vfio-pinctl records (32)");
		return 0;
	}
	b = &c->backends[c->nbackends++];
	memset(b, 0, sizeof(*b));
	b->type = type;
	b->share = type == VMM_MEM_MEMFD;
	copy(b->id, sizeof(b->id), vmm_kv_get(kv, "id"));
	copy(b->mem_path, sizeof(b->mem_path), vmm_kv_get(kv, "mem-path"));
	rc = get_size(q, kv, "size", 'B', &b->size);
	if (!rc)
		rc = get_size(q, kv, "hugetlbsize", 'B', &b->hugetlbsize);
	if (!rc)
		rc = get_bool(q, kv, "share", &b->share);
	if (!rc)
		rc = get_bool(q, kv, "prealloc", &b->prealloc);
	if (!rc && type == VMM_MEM_MEMFD)
		rc = get_bool(q, kv, "hugetlb", &b->hugetlb);
	if (!rc && !b->size)
		rc = bad(q, "a memory backend needs size=");
	return rc;
}

static int object_iommufd(struct qctx *q, const char *id)
{
	struct vmm_config *c = q->c;

	if (!id)
		return bad(q, "an iommufd object needs id=");
	if (c->niommufd < VMM_MAX_IOMMUFD)
		copy(c->iommufd[c->niommufd++], VMM_ID_MAX, id);
	else
		set_partial(c, "more iommufd objects than vfio-pinctl records (32)");
	return 0;
}

static int opt_object(struct qctx *q, const struct vmm_kv *kv)
{
	const char *type = vmm_kv_get(kv, "qom-type");

	if (!type)
		return bad(q, "-object needs a type (qom-type)");
	if (!strcmp(type, "memory-backend-ram"))
		return object_backend(q, kv, VMM_MEM_RAM);
	if (!strcmp(type, "memory-backend-file"))
		return object_backend(q, kv, VMM_MEM_FILE);
	if (!strcmp(type, "memory-backend-memfd"))
		return object_backend(q, kv, VMM_MEM_MEMFD);
	if (!strcmp(type, "iommufd"))
		return object_iommufd(q, vmm_kv_get(kv, "id"));
	return 0;
}

/* ---- -machine ---- */

static int opt_machine(struct qctx *q, const struct vmm_kv *kv)
{
	struct vmm_config *c = q->c;
	const char *v;
	char key[8];
	int rc, i;

	v = vmm_kv_get(kv, "memory-backend");
	if (v)
		copy(c->machine_memdev, sizeof(c->machine_memdev), v);
	v = vmm_kv_get(kv, "iommu");   /* arm virt: iommu=smmuv3 */
	if (v && !strcmp(v, "smmuv3"))
		c->viommu = VMM_VIOMMU_SMMUV3;
	rc = get_bool(q, kv, "default_bus_bypass_iommu", &c->default_bus_bypass_iommu);
	for (i = 0; !rc && i < VMM_MAX_PFLASH; i++) {
		snprintf(key, sizeof(key), "pflash%d", i);
		v = vmm_kv_get(kv, key);
		if (v)
			copy(q->pflash_node[i], VMM_ID_MAX, v);
	}
	return rc;
}

/* ---- -numa ---- */

static int opt_numa(struct qctx *q, const struct vmm_kv *kv)
{
	struct vmm_config *c = q->c;
	const char *type = vmm_kv_get(kv, "type");
	struct vmm_numa *n;

	if (!type || strcmp(type, "node"))
		return 0;
	if (c->nnuma >= VMM_MAX_NUMA) {
		set_partial(c, "more NUMA nodes than vfio-pinctl records (16)");
		return 0;
	}
	n = &c->numa[c->nnuma++];
	memset(n, 0, sizeof(*n));
	copy(n->memdev, sizeof(n->memdev), vmm_kv_get(kv, "memdev"));
	/* mem= without a suffix is MiB, as -m (hw/core/numa.c parse_numa). */
	return get_size(q, kv, "mem", 'M', &n->mem);
}

/* ---- -device ---- */

static struct vmm_device *new_device(struct vmm_config *c, enum vmm_dev_kind kind)
{
	struct vmm_device *d;

	if (c->ndevices >= VMM_MAX_DEVICES) {
		set_partial(c, "more passed-through devices than vfio-pinctl records (32)");
		return NULL;
	}
	d = &c->devices[c->ndevices++];
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	return d;
}

static int device_vfio(struct qctx *q, const struct vmm_kv *kv)
{
	const char *host = vmm_kv_get(kv, "host"), *sysfsdev = vmm_kv_get(kv, "sysfsdev");
	const char *rombar = vmm_kv_get(kv, "rombar");
	struct vmm_device *d;
	uint64_t rb;

	if (!host && !sysfsdev && !vmm_kv_get(kv, "fd"))
		return bad(q, "vfio-pci needs host=, sysfsdev= or fd=");
	d = new_device(q->c, sysfsdev && strstr(sysfsdev, "/mdev/") ? VMM_DEV_MDEV : VMM_DEV_VFIO_PCI);
	if (!d)
		return 0;
	/* A device fd passed in (libvirt, QEMU 9+ fd=): the address is not on the
	 * line; the fd's fdinfo or the device's BARs tell it (a host fact). */
	if (host && vmm_norm_bdf(host, d->bdf, sizeof(d->bdf)))
		return bad(q, "host= takes a PCI address such as 0000:00:03.0");
	copy(d->sysfsdev, sizeof(d->sysfsdev), sysfsdev);
	copy(d->id, sizeof(d->id), vmm_kv_get(kv, "id"));
	copy(d->bus, sizeof(d->bus), vmm_kv_get(kv, "bus"));
	copy(d->iommufd, sizeof(d->iommufd), vmm_kv_get(kv, "iommufd"));
	copy(d->romfile, sizeof(d->romfile), vmm_kv_get(kv, "romfile"));
	if (rombar) {
		if (parse_u64(rombar, &rb))
			return bad(q, "rombar= takes 0 or 1");
		d->rombar = rb ? VMM_ON : VMM_OFF;
	}
	return 0;
}

static int device_bridge(struct qctx *q, const struct vmm_kv *kv, bool host_bridge, bool conventional)
{
	struct vmm_config *c = q->c;
	struct vmm_bridge *b;

	if (c->nbridges >= VMM_MAX_BRIDGES) {
		set_partial(c, "more PCI bridges than vfio-pinctl records (32)");
		return 0;
	}
	b = &c->bridges[c->nbridges++];
	memset(b, 0, sizeof(*b));
	b->host_bridge = host_bridge;
	b->conventional = conventional;
	copy(b->id, sizeof(b->id), vmm_kv_get(kv, "id"));
	copy(b->bus, sizeof(b->bus), vmm_kv_get(kv, "bus"));
	return get_bool(q, kv, "bypass_iommu", &b->bypass_iommu);
}

static int device_dimm(struct qctx *q, const struct vmm_kv *kv)
{
	struct vmm_backend *b = find_backend(q->c, vmm_kv_get(kv, "memdev"));

	/* Backends precede the devices that use them on any QEMU command line that
	 * starts (-object is created before -device). */
	if (!b)
		return bad(q, "a memory device names a memdev= no earlier -object defined");
	b->used = true;
	q->c->dimm_bytes += b->size;
	return 0;
}

static bool is_one_of(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

static int opt_device(struct qctx *q, const struct vmm_kv *kv)
{
	static const char *const vfio[] = { "vfio-pci", "vfio-pci-nohotplug" };
	static const char *const pxb[] = { "pxb-pcie", "pxb-cxl" };
	static const char *const bridge[] = { "pcie-root-port", "ioh3420", "x3130-upstream",
		"xio3130-downstream" };
	/* bridges whose secondary bus is conventional PCI */
	static const char *const pci_bridge[] = { "pci-bridge", "pcie-pci-bridge",
		"i82801b11-bridge", "pci-bridge-seat" };
	static const char *const dimm[] = { "pc-dimm", "nvdimm", "virtio-mem-pci", "virtio-mem" };
	const char *drv = vmm_kv_get(kv, "driver");
	struct vmm_config *c = q->c;

	if (!drv)
		return bad(q, "-device needs a driver name");
	if (is_one_of(drv, vfio, ARRAY_SIZE(vfio)))
		return device_vfio(q, kv);
	if (!strcmp(drv, "pxb"))
		return device_bridge(q, kv, true, true);
	if (is_one_of(drv, pxb, ARRAY_SIZE(pxb)))
		return device_bridge(q, kv, true, false);
	if (is_one_of(drv, bridge, ARRAY_SIZE(bridge)))
		return device_bridge(q, kv, false, false);
	if (is_one_of(drv, pci_bridge, ARRAY_SIZE(pci_bridge)))
		return device_bridge(q, kv, false, true);
	if (is_one_of(drv, dimm, ARRAY_SIZE(dimm)))
		return device_dimm(q, kv);
	if (!strcmp(drv, "intel-iommu"))
		c->viommu = VMM_VIOMMU_INTEL;
	else if (!strcmp(drv, "virtio-iommu") || !strcmp(drv, "virtio-iommu-pci"))
		c->viommu = VMM_VIOMMU_VIRTIO;
	else if (!strcmp(drv, "amd-iommu"))
		c->viommu = VMM_VIOMMU_AMD;
	return 0;
}

/* ---- block devices: pflash firmware and QEMU's own NVMe driver ---- */

/* QEMU's userspace NVMe driver (block/nvme.c) opens the controller through VFIO
 * with a container of its own. */
static int add_nvme(struct qctx *q, const char *bdf)
{
	struct vmm_device *d;

	d = new_device(q->c, VMM_DEV_NVME);
	if (!d)
		return 0;
	if (vmm_norm_bdf(bdf, d->bdf, sizeof(d->bdf)))
		return bad(q, "the nvme driver takes a PCI address such as 0000:01:00.0");
	return 0;
}

static int drive_nvme_file(struct qctx *q, const char *file)
{
	char bdf[32];
	const char *p = file + strlen("nvme://");
	size_t n = strcspn(p, "/");

	if (n >= sizeof(bdf))
		return bad(q, "nvme://ADDRESS/NAMESPACE has a bad address");
	memcpy(bdf, p, n);
	bdf[n] = '\0';
	return add_nvme(q, bdf);
}

static int opt_drive(struct qctx *q, const struct vmm_kv *kv)
{
	const char *itf = vmm_kv_get(kv, "if"), *file = vmm_kv_get(kv, "file");
	struct vmm_config *c = q->c;

	if (itf && !strcmp(itf, "pflash") && file) {
		if (c->npflash < VMM_MAX_PFLASH)
			copy(c->pflash[c->npflash++], VMM_PATH_MAX, file);
		return 0;
	}
	if (file && !strncmp(file, "nvme://", 7))
		return drive_nvme_file(q, file);
	return 0;
}

static int opt_blockdev(struct qctx *q, const struct vmm_kv *kv)
{
	const char *drv = vmm_kv_get(kv, "driver"), *name = vmm_kv_get(kv, "node-name");

	if (drv && !strcmp(drv, "nvme") && vmm_kv_get(kv, "device"))
		return add_nvme(q, vmm_kv_get(kv, "device"));
	if (name && q->nnodes < (int)ARRAY_SIZE(q->node)) {
		copy(q->node[q->nnodes].name, VMM_ID_MAX, name);
		copy(q->node[q->nnodes].file, VMM_ID_MAX, vmm_kv_get(kv, "file"));
		copy(q->node[q->nnodes].filename, VMM_PATH_MAX, vmm_kv_get(kv, "filename"));
		q->nnodes++;
	}
	return 0;
}

static int opt_netdev(struct qctx *q, const struct vmm_kv *kv)
{
	const char *type = vmm_kv_get(kv, "type");
	struct vmm_device *d;

	if (!type || strcmp(type, "vhost-vdpa"))
		return 0;
	d = new_device(q->c, VMM_DEV_VDPA);
	if (d) {
		copy(d->sysfsdev, sizeof(d->sysfsdev), vmm_kv_get(kv, "vhostdev"));
		copy(d->id, sizeof(d->id), vmm_kv_get(kv, "id"));
	}
	return 0;
}

static int opt_overcommit(struct qctx *q, const struct vmm_kv *kv)
{
	const char *v = vmm_kv_get(kv, "mem-lock");
	int b;

	if (!v)
		return 0;
	/* on-fault (QEMU 10.0+): mlockall(MCL_ONFAULT), locked as it is touched */
	q->c->mem_lock_onfault = !strcmp(v, "on-fault");
	b = q->c->mem_lock_onfault ? 1 : vmm_parse_bool(v);
	if (b < 0)
		return bad(q, "mem-lock= takes on, off or on-fault");
	q->c->mem_lock = b ? VMM_ON : VMM_OFF;
	return 0;
}

static int opt_mem_path(struct qctx *q, const struct vmm_kv *kv)
{
	(void)kv;
	copy(q->c->mem_path, sizeof(q->c->mem_path), q->arg);
	return 0;
}

static int opt_bios(struct qctx *q, const struct vmm_kv *kv)
{
	(void)kv;
	copy(q->c->bios, sizeof(q->c->bios), q->arg);
	return 0;
}

static int opt_name(struct qctx *q, const struct vmm_kv *kv)
{
	(void)kv;
	if (!strncmp(q->arg, "guest=", 6))
		q->c->manager = VMM_MGR_LIBVIRT;
	else if (!strncmp(q->arg, "sandbox-", 8))
		q->c->manager = VMM_MGR_KATA;
	return 0;
}

static int opt_readconfig(struct qctx *q, const struct vmm_kv *kv)
{
	(void)kv;
	set_partial(q->c, "-readconfig: options in that file are not read");
	return 0;
}

/* Each option's handler, and the implied key of its value (NULL: a plain string). */
static const struct {
	const char *name;
	const char *implied;
	bool kv;
	int (*fn)(struct qctx *q, const struct vmm_kv *kv);
} handlers[] = {
	{ "m", "size", true, opt_m }, { "object", "qom-type", true, opt_object },
	{ "machine", "type", true, opt_machine }, { "M", "type", true, opt_machine },
	{ "numa", "type", true, opt_numa }, { "device", "driver", true, opt_device },
	{ "drive", NULL, true, opt_drive }, { "blockdev", NULL, true, opt_blockdev },
	{ "netdev", "type", true, opt_netdev }, { "overcommit", NULL, true, opt_overcommit },
	{ "mem-path", NULL, false, opt_mem_path }, { "bios", NULL, false, opt_bios },
	{ "readconfig", NULL, false, opt_readconfig }, { "name", NULL, false, opt_name },
};

static int run_handler(struct qctx *q, size_t k)
{
	struct vmm_kv kv;
	const char *why;
	int rc;

	if (!handlers[k].kv)
		return handlers[k].fn(q, NULL);
	if (vmm_kv_parse(q->arg, handlers[k].implied, &kv, &why))
		return bad(q, why);
	rc = handlers[k].fn(q, &kv);
	vmm_kv_free(&kv);
	return rc;
}

/* ---- after the whole line: what depends on more than one option ---- */

static const char *node_filename(const struct qctx *q, const char *name, int depth)
{
	int i;

	for (i = 0; depth < 4 && i < q->nnodes; i++) {
		if (strcmp(q->node[i].name, name))
			continue;
		if (q->node[i].filename[0])
			return q->node[i].filename;
		return q->node[i].file[0] ? node_filename(q, q->node[i].file, depth + 1) : NULL;
	}
	return NULL;
}

static void resolve_pflash(struct qctx *q)
{
	struct vmm_config *c = q->c;
	const char *f;
	int i;

	for (i = 0; i < VMM_MAX_PFLASH; i++) {
		if (!q->pflash_node[i][0])
			continue;
		f = node_filename(q, q->pflash_node[i], 0);
		if (f && c->npflash < VMM_MAX_PFLASH)
			copy(c->pflash[c->npflash++], VMM_PATH_MAX, f);
		else if (!f)
			set_partial(c, "a -machine pflash node has no file name on this command line");
	}
}

static const struct vmm_bridge *find_bridge(const struct vmm_config *c, const char *id)
{
	int i;

	for (i = 0; id[0] && i < c->nbridges; i++)
		if (!strcmp(c->bridges[i].id, id))
			return &c->bridges[i];
	return NULL;
}

/*
 * Walk bus= up to a host bridge: a pxb's own bypass_iommu, else the main bus's.
 * On the way, note the topmost bridge with a conventional bus below it.
 */
static bool bus_bypasses(const struct vmm_config *c, const char *bus, int *alias)
{
	const struct vmm_bridge *b;
	int hops;

	*alias = 0;
	for (hops = 0; hops < VMM_MAX_BRIDGES; hops++) {
		b = find_bridge(c, bus);
		if (!b)
			return c->default_bus_bypass_iommu;   /* pcie.0 / pci.0, or unnamed */
		if (b->conventional)
			*alias = (int)(b - c->bridges) + 1;
		if (b->host_bridge)
			return b->bypass_iommu;
		bus = b->bus;
	}
	return c->default_bus_bypass_iommu;
}

static void resolve_viommu(struct vmm_config *c)
{
	int i, alias;

	for (i = 0; i < c->ndevices; i++) {
		struct vmm_device *d = &c->devices[i];

		/* QEMU's NVMe driver and vhost-vdpa map host memory, not guest DMA
		 * through the vIOMMU: only guest PCI devices can sit behind it. */
		if (d->kind != VMM_DEV_VFIO_PCI && d->kind != VMM_DEV_MDEV)
			continue;
		d->behind_viommu = c->viommu != VMM_VIOMMU_NONE && !bus_bypasses(c, d->bus, &alias);
		d->as_alias = d->behind_viommu ? alias : 0;
	}
}

static int resolve_ram(struct vmm_config *c)
{
	struct vmm_backend *b;
	int i;

	b = find_backend(c, c->machine_memdev[0] ? c->machine_memdev : NULL);
	if (c->machine_memdev[0] && !b) {
		char id[VMM_ID_MAX];

		err_set(VP_EXIT_SYSROOT, "QEMU command line: -machine memory-backend=%s names no -object on the line",
			vmm_printable(c->machine_memdev, id, sizeof(id)));
		return -EINVAL;
	}
	if (b) {
		b->used = true;
		if (!c->ram_set) {    /* vl.c: without -m, RAM is the backend's size */
			c->ram_bytes = b->size;
			c->ram_set = true;
		}
	}
	for (i = 0; i < c->nnuma; i++) {
		b = find_backend(c, c->numa[i].memdev[0] ? c->numa[i].memdev : NULL);
		if (b)
			b->used = true;
	}
	if (!c->ram_set)
		c->ram_bytes = QEMU_DEFAULT_RAM;
	return 0;
}

/* ---- the line ---- */

static int arg_is_text(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n')
			return 0;
	return 1;
}

static int one_option(struct qctx *q, int argc, char *const argv[], int *i)
{
	const char *name = argv[*i] + 1;
	size_t k;

	if (*name == '-')
		name++;
	q->argi = *i;
	q->opt = name;
	q->arg = NULL;
	for (k = 0; k < ARRAY_SIZE(no_arg); k++) {
		if (strcmp(name, no_arg[k]))
			continue;
		if (!strcmp(name, "mem-prealloc"))
			q->c->mem_prealloc = true;
		return 0;
	}
	if (*i + 1 >= argc) {
		char o[40];

		err_set(VP_EXIT_SYSROOT, "QEMU command line ends at '%s', which takes a value: the argv is truncated (a /proc/PID/cmdline read whole never is)",
			vmm_printable(argv[*i], o, sizeof(o)));
		return -EINVAL;
	}
	q->arg = argv[++*i];
	if (!arg_is_text(q->arg))
		return bad(q, "the value holds control characters: not a command line");
	for (k = 0; k < ARRAY_SIZE(handlers); k++)
		if (!strcmp(name, handlers[k].name))
			return run_handler(q, k);
	return 0;   /* an option whose value says nothing about memory or DMA */
}

int vmm_qemu_parse(int argc, char *const argv[], struct vmm_config *c)
{
	struct qctx *q;
	int i, rc = 0;

	memset(c, 0, sizeof(*c));
	c->kind = VMM_KIND_QEMU;
	c->source = VMM_SRC_CMDLINE;
	if (argc < 1 || !argv[0][0]) {
		err_set(VP_EXIT_SYSROOT, "the QEMU command line is empty");
		return -EINVAL;
	}
	copy(c->program, sizeof(c->program), argv[0]);
	q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	q->c = c;
	for (i = 1; i < argc && !rc; i++) {
		if (!arg_is_text(argv[i])) {
			err_set(VP_EXIT_SYSROOT, "QEMU command line, argument %d holds control characters: not a command line", i);
			rc = -EINVAL;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			rc = one_option(q, argc, argv, &i);
		}
		/* else a bare argument: QEMU takes it as the first disk image */
	}
	if (!rc) {
		resolve_pflash(q);
		resolve_viommu(c);
		rc = resolve_ram(c);
	}
	free(q);
	return rc;
}
