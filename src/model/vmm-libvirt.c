// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A libvirt domain XML (from memory) to facts, with libxml2.  The document is
 * parsed with no network access (XML_PARSE_NONET), no entity substitution
 * (XML_PARSE_NOENT left off) and is refused when it carries a DTD: a libvirt
 * domain XML never has one, and that closes the door on entity expansion.
 *
 * Sizes follow libvirt's rules: a scaled integer whose unit= attribute
 * (virScaleInteger, src/util/virutil.c) is b/byte/bytes, k/KiB (1024), KB
 * (1000), M/MiB, MB, G/GiB, GB, T/TiB, TB, P/PiB, PB, E/EiB, EB, case-insensitive,
 * KiB when absent; libvirt keeps memory in KiB, rounding bytes up.
 * The total guest memory is <memory>, or, when <memory> is absent, the NUMA
 * cells plus the memory devices (virDomainDefPostParseMemory).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/globals.h>
#include <libxml/tree.h>

#include "lib/error.h"
#include "lib/util.h"
#include "model/vmm.h"

static int xml_bad(const char *what, const char *detail)
{
	char d[96] = "";

	/* libxml2's messages end in a newline: one line is printed, so cut it. */
	if (detail) {
		str_copy(d, sizeof(d), detail);
		d[strcspn(d, "\n")] = '\0';
		vmm_printable(d, d, sizeof(d));
	}
	err_set(VP_EXIT_SYSROOT, "domain XML: %s%s%s", what, d[0] ? ": " : "", d);
	return -EINVAL;
}

static bool is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static xmlNode *child(const xmlNode *n, const char *name)
{
	xmlNode *k;

	for (k = n ? n->children : NULL; k; k = k->next)
		if (is(k, name))
			return k;
	return NULL;
}

/* An attribute's value into buf ("" when absent); only literal text, never entities. */
static const char *attr(const xmlNode *n, const char *name, char *buf, size_t size)
{
	xmlAttr *a;
	xmlNode *t;

	buf[0] = '\0';
	for (a = n ? n->properties : NULL; a; a = a->next) {
		if (strcmp((const char *)a->name, name))
			continue;
		for (t = a->children; t; t = t->next)
			if (t->type == XML_TEXT_NODE && t->content)
				str_copy(buf, size, (const char *)t->content);
		break;
	}
	return buf;
}

/* An element's own text (its direct text children), trimmed. */
static const char *text(const xmlNode *n, char *buf, size_t size)
{
	xmlNode *t;
	size_t len = 0, l;
	char *s = buf;

	buf[0] = '\0';
	for (t = n ? n->children : NULL; t; t = t->next) {
		if (t->type != XML_TEXT_NODE || !t->content)
			continue;
		l = str_copy(buf + len, size - len, (const char *)t->content);
		len = l >= size - len ? size - 1 : len + l;
	}
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	memmove(buf, s, strlen(s) + 1);
	len = strlen(buf);
	while (len && strchr(" \t\n\r", buf[len - 1]))
		buf[--len] = '\0';
	return buf;
}

/* virScaleInteger's units; 0 or -EINVAL. */
static int unit_scale(const char *u, uint64_t *scale)
{
	static const char order[] = "kmgtpe";
	const char *p;
	uint64_t base, s = 1;

	if (!*u) {
		*scale = 1024;   /* libvirt's memory elements default to KiB */
		return 0;
	}
	if (!strcasecmp(u, "b") || !strcasecmp(u, "byte") || !strcasecmp(u, "bytes")) {
		*scale = 1;
		return 0;
	}
	if (!u[1] || !strcasecmp(u + 1, "iB"))
		base = 1024;
	else if ((u[1] == 'b' || u[1] == 'B') && !u[2])
		base = 1000;
	else
		return -EINVAL;
	p = strchr(order, u[0] | 0x20);
	if (!p)
		return -EINVAL;
	for (; p >= order; p--)
		s *= base;
	*scale = s;
	return 0;
}

/* A scaled value in bytes, rounded up to whole KiB as libvirt stores memory. */
static int scaled(const char *what, const char *num, const char *unit, uint64_t *out)
{
	uint64_t v, scale, kib;

	if (parse_u64(num, &v) || unit_scale(unit, &scale))
		return xml_bad(what, "not a size (a number with unit= b, KiB, MiB, GiB...)");
	if (v > UINT64_MAX / scale)
		return xml_bad(what, "the size overflows");
	v *= scale;
	kib = v / 1024 + (v % 1024 != 0);
	*out = kib * 1024;
	return 0;
}

static int elem_size(const xmlNode *n, const char *what, uint64_t *out)
{
	char num[64], unit[16];

	return scaled(what, text(n, num, sizeof(num)), attr(n, "unit", unit, sizeof(unit)), out);
}

static int read_memory(const xmlNode *dom, struct vmm_libvirt *lv)
{
	char buf[32];
	const xmlNode *n;
	uint64_t slots;
	int rc = 0;

	n = child(dom, "memory");
	if (n)
		rc = elem_size(n, "<memory>", &lv->memory);
	n = child(dom, "currentMemory");
	if (!rc && n)
		rc = elem_size(n, "<currentMemory>", &lv->current_memory);
	n = child(dom, "maxMemory");
	if (!rc && n) {
		rc = elem_size(n, "<maxMemory>", &lv->max_memory);
		if (!rc && attr(n, "slots", buf, sizeof(buf))[0] && !parse_u64(buf, &slots) && slots < 1024)
			lv->max_memory_slots = (unsigned)slots;
	}
	n = child(child(dom, "memtune"), "hard_limit");
	if (!rc && n) {
		rc = elem_size(n, "<memtune><hard_limit>", &lv->hard_limit);
		lv->has_hard_limit = true;
	}
	return rc;
}

static int read_backing(const xmlNode *dom, struct vmm_libvirt *lv)
{
	const xmlNode *mb = child(dom, "memoryBacking"), *n;
	char buf[32], unit[16];

	if (!mb)
		return 0;
	lv->locked = child(mb, "locked") != NULL;
	n = child(mb, "hugepages");
	lv->hugepages = n != NULL;
	n = child(n, "page");
	if (n && attr(n, "size", buf, sizeof(buf))[0] &&
	    scaled("<hugepages><page size=>", buf, attr(n, "unit", unit, sizeof(unit)), &lv->hugepage_size))
		return -EINVAL;
	attr(child(mb, "source"), "type", lv->source_type, sizeof(lv->source_type));
	lv->shared = !strcmp(attr(child(mb, "access"), "mode", buf, sizeof(buf)), "shared");
	lv->prealloc = !strcmp(attr(child(mb, "allocation"), "mode", buf, sizeof(buf)), "immediate");
	return 0;
}

static int read_numa(const xmlNode *dom, struct vmm_libvirt *lv)
{
	const xmlNode *cell;
	char num[32], unit[16];
	uint64_t v;

	for (cell = child(child(child(dom, "cpu"), "numa"), "cell"); cell; cell = cell->next) {
		if (!is(cell, "cell"))
			continue;
		if (scaled("<numa><cell memory=>", attr(cell, "memory", num, sizeof(num)),
			   attr(cell, "unit", unit, sizeof(unit)), &v))
			return -EINVAL;
		lv->numa_bytes += v;
		lv->ncells++;
	}
	return 0;
}

static void read_os(const xmlNode *dom, struct vmm_config *c)
{
	const xmlNode *os = child(dom, "os"), *t = child(os, "type"), *loader = child(os, "loader");
	char buf[VMM_PATH_MAX], type[16];

	attr(t, "arch", c->lv.arch, sizeof(c->lv.arch));
	attr(t, "machine", c->lv.machine, sizeof(c->lv.machine));
	if (!loader || !text(loader, buf, sizeof(buf))[0])
		return;
	/* <loader type='pflash'> is a flash drive, type='rom' (the default) is -bios. */
	if (!strcmp(attr(loader, "type", type, sizeof(type)), "pflash")) {
		str_copy(c->pflash[c->npflash++], VMM_PATH_MAX, buf);
		if (text(child(os, "nvram"), buf, sizeof(buf))[0])
			str_copy(c->pflash[c->npflash++], VMM_PATH_MAX, buf);
	} else {
		str_copy(c->bios, sizeof(c->bios), buf);
	}
}

static struct vmm_device *add_dev(struct vmm_config *c, enum vmm_dev_kind kind)
{
	struct vmm_device *d;

	if (c->ndevices >= VMM_MAX_DEVICES) {
		str_copy(c->partial, sizeof(c->partial), "more devices than vfio-pinctl records (32)");
		return NULL;
	}
	d = &c->devices[c->ndevices++];
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	return d;
}

/* "0x06" -> "06"; absent -> def. */
static const char *hex_attr(const xmlNode *a, const char *name, char *buf, size_t size, const char *def)
{
	attr(a, name, buf, size);
	if (!buf[0])
		return def;
	return (buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) ? buf + 2 : buf;
}

/* <address domain='0x0000' bus='0x06' slot='0x12' function='0x5'/> */
static void pci_address(const xmlNode *a, char *out, size_t size)
{
	char dom[16], bus[16], slot[16], fn[16], s[80];

	out[0] = '\0';
	if (!a)
		return;
	snprintf(s, sizeof(s), "%s:%s:%s.%s", hex_attr(a, "domain", dom, sizeof(dom), "0"),
		 hex_attr(a, "bus", bus, sizeof(bus), "x"), hex_attr(a, "slot", slot, sizeof(slot), "x"),
		 hex_attr(a, "function", fn, sizeof(fn), "0"));
	if (vmm_norm_bdf(s, out, size))
		out[0] = '\0';
}

static void read_hostdev(const xmlNode *h, struct vmm_config *c)
{
	char mode[16], type[16], buf[VMM_PATH_MAX];
	const xmlNode *src = child(h, "source"), *rom = child(h, "rom");
	struct vmm_device *d;

	attr(h, "mode", mode, sizeof(mode));
	attr(h, "type", type, sizeof(type));
	if (strcmp(mode, "subsystem") && mode[0])
		return;
	if (!strcmp(type, "pci")) {
		c->lv.nhostdev_pci++;
		d = add_dev(c, VMM_DEV_VFIO_PCI);
		if (d)
			pci_address(child(src, "address"), d->bdf, sizeof(d->bdf));
	} else if (!strcmp(type, "mdev")) {
		c->lv.nhostdev_mdev++;
		d = add_dev(c, VMM_DEV_MDEV);
		if (d && attr(child(src, "address"), "uuid", buf, sizeof(buf))[0])
			snprintf(d->sysfsdev, sizeof(d->sysfsdev), "/sys/bus/mdev/devices/%.40s", buf);
	} else {
		return;   /* USB, SCSI hostdevs: not VFIO */
	}
	if (!d)
		return;
	attr(child(h, "alias"), "name", d->id, sizeof(d->id));
	if (rom) {
		if (attr(rom, "bar", buf, sizeof(buf))[0])
			d->rombar = strcmp(buf, "off") ? VMM_ON : VMM_OFF;
		attr(rom, "file", d->romfile, sizeof(d->romfile));
	}
}

static void read_devices(const xmlNode *devs, struct vmm_config *c)
{
	const xmlNode *n;
	struct vmm_device *d;
	char type[16];

	for (n = devs ? devs->children : NULL; n; n = n->next) {
		if (is(n, "hostdev")) {
			read_hostdev(n, c);
		} else if (is(n, "disk") && !strcmp(attr(n, "type", type, sizeof(type)), "nvme")) {
			c->lv.nnvme++;
			d = add_dev(c, VMM_DEV_NVME);
			if (d)
				pci_address(child(child(n, "source"), "address"), d->bdf, sizeof(d->bdf));
		} else if (is(n, "interface") && !strcmp(attr(n, "type", type, sizeof(type)), "vdpa")) {
			c->lv.nvdpa++;
			d = add_dev(c, VMM_DEV_VDPA);
			if (d)
				attr(child(n, "source"), "dev", d->sysfsdev, sizeof(d->sysfsdev));
		} else if (is(n, "iommu")) {
			attr(n, "model", c->lv.iommu_model, sizeof(c->lv.iommu_model));
		}
	}
}

static int read_dimms(const xmlNode *devs, struct vmm_libvirt *lv)
{
	const xmlNode *n, *size;

	for (n = devs ? devs->children : NULL; n; n = n->next) {
		if (!is(n, "memory"))
			continue;
		size = child(child(n, "target"), "size");
		if (!size)
			continue;
		if (lv->ndimms >= VMM_MAX_DIMMS)
			return xml_bad("more memory devices than vfio-pinctl records", "16");
		if (elem_size(size, "<memory><target><size>", &lv->dimm_bytes[lv->ndimms]))
			return -EINVAL;
		lv->ndimms++;
	}
	return 0;
}

#define QEMU_NS "http://libvirt.org/schemas/domain/qemu/1.0"

/*
 * <qemu:commandline><qemu:arg value='-device'/><qemu:arg value='intel-iommu'/>:
 * arguments libvirt appends to QEMU's verbatim.  Read them as QEMU does; what
 * they add is real for the DMA contexts, invisible to libvirt's memlock rule.
 */
static int read_qemu_args(const xmlNode *dom, struct vmm_config *c)
{
	struct vmm_config *extra;
	const xmlNode *cl, *a;
	char *argv[128], inner[256];
	char (*vals)[VMM_PATH_MAX];
	int argc = 1, i, rc;

	for (cl = dom->children; cl; cl = cl->next)
		if (is(cl, "commandline") && cl->ns && cl->ns->href &&
		    !strcmp((const char *)cl->ns->href, QEMU_NS))
			break;
	if (!cl)
		return 0;
	vals = calloc(128, VMM_PATH_MAX);
	extra = calloc(1, sizeof(*extra));   /* large: not on the stack */
	if (!vals || !extra) {
		free(vals);
		free(extra);
		return -ENOMEM;
	}
	argv[0] = "qemu-system";
	for (a = cl->children; a && argc < 127; a = a->next) {
		if (!is(a, "arg"))
			continue;
		attr(a, "value", vals[argc], VMM_PATH_MAX);
		argv[argc] = vals[argc];
		argc++;
	}
	argv[argc] = NULL;
	c->lv.ncmdline_args = argc - 1;
	rc = vmm_qemu_parse(argc, argv, extra);
	if (rc) {
		str_copy(inner, sizeof(inner), err_message());   /* err_replace overwrites it */
		err_replace(VP_EXIT_SYSROOT, "domain XML <qemu:commandline>: %s", inner);
		goto out;
	}
	if (extra->viommu != VMM_VIOMMU_NONE) {
		c->viommu = extra->viommu;
		c->lv.cmdline_viommu = true;
	}
	for (i = 0; i < extra->ndevices && c->ndevices < VMM_MAX_DEVICES; i++) {
		c->devices[c->ndevices++] = extra->devices[i];
		c->lv.cmdline_devices++;
	}
out:
	free(vals);
	free(extra);
	return rc;
}

static enum vmm_viommu viommu_of(const char *model)
{
	if (!strcmp(model, "intel"))
		return VMM_VIOMMU_INTEL;
	if (!strcmp(model, "virtio"))
		return VMM_VIOMMU_VIRTIO;
	if (!strcmp(model, "amd"))
		return VMM_VIOMMU_AMD;
	if (!strcmp(model, "smmuv3"))
		return VMM_VIOMMU_SMMUV3;
	return model[0] ? VMM_VIOMMU_INTEL : VMM_VIOMMU_NONE;   /* unknown model: still a vIOMMU */
}

/* Guest RAM as libvirt reckons it, and the devices behind the vIOMMU. */
static int finish(struct vmm_config *c)
{
	struct vmm_libvirt *lv = &c->lv;
	uint64_t dimms = 0;
	int i;

	for (i = 0; i < lv->ndimms; i++)
		dimms += lv->dimm_bytes[i];
	if (!lv->memory)
		lv->memory = lv->numa_bytes + dimms;
	if (!lv->memory)
		return xml_bad("no <memory> (nor NUMA cells): the guest's size is unknown", NULL);
	if (dimms > lv->memory)
		return xml_bad("the memory devices add up to more than <memory>", NULL);
	c->dimm_bytes = dimms;
	c->ram_bytes = lv->memory - dimms;   /* libvirt's initial memory */
	c->ram_set = true;
	c->maxmem = lv->max_memory;
	c->slots = lv->max_memory_slots;
	if (c->viommu == VMM_VIOMMU_NONE)   /* a <qemu:commandline> one may be set already */
		c->viommu = viommu_of(lv->iommu_model);
	if (lv->locked)
		c->mem_lock = VMM_ON;
	/* libvirt has no bypass_iommu knob: with an <iommu>, every hostdev is behind it. */
	for (i = 0; i < c->ndevices; i++)
		c->devices[i].behind_viommu = c->viommu != VMM_VIOMMU_NONE &&
			(c->devices[i].kind == VMM_DEV_VFIO_PCI || c->devices[i].kind == VMM_DEV_MDEV);
	return 0;
}

static int read_domain(const xmlNode *dom, struct vmm_config *c)
{
	const xmlNode *devs = child(dom, "devices");
	int rc;

	text(child(dom, "name"), c->program, sizeof(c->program));
	rc = read_memory(dom, &c->lv);
	if (!rc)
		rc = read_backing(dom, &c->lv);
	if (!rc)
		rc = read_numa(dom, &c->lv);
	if (!rc)
		rc = read_dimms(devs, &c->lv);
	if (rc)
		return rc;
	read_os(dom, c);
	read_devices(devs, c);
	rc = read_qemu_args(dom, c);
	return rc ? rc : finish(c);
}

/* libxml2 reports some errors (encoding conversion) through its generic error
 * function even with XML_PARSE_NOERROR: silence it, our one line says it. */
static void xml_quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static xmlDoc *xml_read(const char *buf, size_t len)
{
	xmlGenericErrorFunc old = xmlGenericError;
	void *old_ctx = xmlGenericErrorContext;
	xmlDoc *doc;

	xmlSetGenericErrorFunc(NULL, xml_quiet);
	doc = xmlReadMemory(buf, (int)len, "domain.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlSetGenericErrorFunc(old_ctx, old);
	return doc;
}

int vmm_libvirt_parse(const char *buf, size_t len, struct vmm_config *c)
{
	const xmlError *e;
	xmlDoc *doc;
	xmlNode *root;
	int rc;

	memset(c, 0, sizeof(*c));
	c->kind = VMM_KIND_LIBVIRT;
	c->source = VMM_SRC_DOMAIN_XML;
	c->manager = VMM_MGR_LIBVIRT;
	if (len > (size_t)1 << 26 || len == 0)
		return xml_bad(len ? "larger than 64 MiB: not a domain XML" : "the input is empty", NULL);
	doc = xml_read(buf, len);
	if (!doc) {
		e = xmlGetLastError();
		return xml_bad("not well-formed XML", e && e->message ? e->message : NULL);
	}
	root = xmlDocGetRootElement(doc);
	if (doc->intSubset || doc->extSubset)
		rc = xml_bad("has a <!DOCTYPE>; a libvirt domain XML (virsh dumpxml) has none", NULL);
	else if (!is(root, "domain"))
		rc = xml_bad("the root element is not <domain>", root ? (const char *)root->name : NULL);
	else
		rc = read_domain(root, c);
	xmlFreeDoc(doc);
	return rc;
}
