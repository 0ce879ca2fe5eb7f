// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which vma of a VMM is what, from the VMM's configuration and the layout its
 * allocator leaves (pure).
 *
 * QEMU allocates every RAM block -- guest RAM, firmware, option ROMs, fw_cfg
 * blobs, video RAM -- with qemu_ram_mmap() (util/mmap-alloc.c, QEMU 7.2): it
 * reserves size + align bytes PROT_NONE, maps the block MAP_FIXED at the first
 * aligned address, unmaps the head and keeps exactly one host page of the
 * reservation after the block as a guard.  So in /proc/PID/maps a RAM block is
 * a vma of exactly its size followed by an anonymous ---p vma starting at its
 * end.  ram_block_add() (system/physmem.c) then madvises the whole block
 * MADV_DONTFORK (VmFlags "dc"), which little else does.  Measured: QEMU 7.2
 * (Debian 1:7.2+dfsg-7+deb12u18), -M pc -m 64 -nodefaults on x86-64: 64M
 * pc.ram, 256K pc.bios, 128K pc.rom, 2M/64K/4K /rom@etc/acpi/tables,
 * table-loader, rsdp: each "rd wr mr mw me dc ac hg mg", 2 MiB aligned
 * (QEMU_VMALLOC_ALIGN; arch-dependent, so not required here), one 4K ---p page
 * after it.
 *
 * Guest RAM: anonymous memory (memory-backend-ram, -m), the mem-path file
 * (memory-backend-file, -mem-path: QEMU creates qemu_back_mem.NAME.XXXXXX in a
 * directory and unlinks it), or a memfd named after the backend's type
 * (hostmem-memfd.c: qemu_memfd_create(TYPE_MEMORY_BACKEND_MEMFD, ...):
 * "/memfd:memory-backend-memfd (deleted)").
 *
 * DPDK 22.11 EAL: a hugetlbfs file per segment, HUGEFILE_FMT
 * "%s/%smap_%d" (huge dir, file prefix "rte" by default, file id), or with
 * --in-memory a memfd "seg_%i-%i" (list, segment) / "seg_%i" with
 * --single-file-segments (lib/eal/linux/eal_memalloc.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/roles.h"
#include "model/vmm.h"

#define DELETED " (deleted)"

bool vma_is_guard(const struct vma *v)
{
	return !strcmp(v->perms, "---p") && !v->inode && !v->path[0];
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

bool vmm_view_guarded(const struct vmm_view *vw, const struct vma *v)
{
	return vw && vw->nguards && bsearch(&v->end, vw->guards, vw->nguards, sizeof(uint64_t), cmp_u64);
}

void roles_begin(struct role_matcher *m, const struct vmm_view *vw)
{
	memset(m, 0, sizeof(*m));
	m->vw = vw && vw->have ? vw : NULL;
}

/* The path without the " (deleted)" the kernel appends to an unlinked file. */
static size_t path_len(const char *path)
{
	size_t n = strlen(path), d = strlen(DELETED);

	return n > d && !strcmp(path + n - d, DELETED) ? n - d : n;
}

/* path is mem_path (a file) or a file directly in it (a directory). */
static bool under(const char *path, const char *mem_path)
{
	size_t n = path_len(path), m = strlen(mem_path);

	while (m > 1 && mem_path[m - 1] == '/')
		m--;
	if (!m || n < m || strncmp(path, mem_path, m))
		return false;
	if (n == m)
		return true;
	return path[m] == '/' && !memchr(path + m + 1, '/', n - m - 1);
}

static bool is_anon(const struct vma *v)
{
	/* MAP_SHARED|MAP_ANONYMOUS (memory-backend-ram,share=on) shows as /dev/zero. */
	return !v->inode ? !v->path[0] : !strncmp(v->path, "/dev/zero", 9);
}

/* Anonymous memory is QEMU's only with the MADV_DONTFORK it puts on every RAM block. */
static bool qemu_anon(const struct vma *v, const struct vma_traits *t)
{
	return is_anon(v) && (t->dontcopy || !t->has_vmflags);
}

static bool backend_matches(const struct vmm_backend *b, const struct vma *v, const struct vma_traits *t)
{
	if (v->end - v->start != b->size)
		return false;
	switch (b->type) {
	case VMM_MEM_FILE:  return b->mem_path[0] && under(v->path, b->mem_path);
	case VMM_MEM_MEMFD: return !strncmp(v->path, "/memfd:memory-backend-memfd", 27);
	default:            return qemu_anon(v, t);
	}
}

static bool any_backend_used(const struct vmm_config *c)
{
	int i;

	for (i = 0; i < c->nbackends; i++)
		if (c->backends[i].used)
			return true;
	return false;
}

static bool guest_ram(struct role_matcher *m, const struct vma *v, const struct vma_traits *t)
{
	const struct vmm_config *c = &m->vw->cfg;
	int i;

	for (i = 0; i < c->nbackends; i++)
		if (!m->backend_used[i] && backend_matches(&c->backends[i], v, t)) {
			m->backend_used[i] = true;
			return true;
		}
	/* No backend holds the RAM: -m's block, on -mem-path or anonymous. */
	if (m->ram_used || any_backend_used(c) || v->end - v->start != c->ram_bytes)
		return false;
	if (c->mem_path[0] ? !under(v->path, c->mem_path) : !qemu_anon(v, t))
		return false;
	m->ram_used = true;
	return true;
}

static bool rom(struct role_matcher *m, const struct vma *v)
{
	const struct vmm_view *vw = m->vw;
	int i;

	if (!is_anon(v))
		return false;
	for (i = 0; i < vw->nroms; i++)
		if (!m->rom_used[i] && vw->roms[i].size && vw->roms[i].size == v->end - v->start) {
			m->rom_used[i] = true;
			return true;
		}
	return false;
}

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

static bool dpdk_memseg(const struct vma *v, const struct vma_traits *t)
{
	size_t n = path_len(v->path), k;
	const char *base, *p;

	if (!strncmp(v->path, "/memfd:seg_", 11)) {
		p = v->path + 11;
		k = strcspn(p, "-");
		if (k >= n - 11)
			return all_digits(p, n - 11);
		return all_digits(p, k) && all_digits(p + k + 1, n - 11 - k - 1);
	}
	if (!t->hugetlb || !(base = strrchr(v->path, '/')))
		return false;
	/* the last "map_": a --file-prefix may hold one too */
	for (p = NULL, base++; (base = strstr(base, "map_")); base++)
		p = base;
	return p && all_digits(p + 4, n - (size_t)(p + 4 - v->path));
}

enum vma_role role_of_vma(struct role_matcher *m, const struct vma *v, const struct vma_traits *t)
{
	bool guarded;

	if (t->vfio_device)
		return VR_BAR;
	if (!m->vw)
		return VR_NONE;
	if (m->vw->cfg.kind == VMM_KIND_DPDK)
		return dpdk_memseg(v, t) ? VR_DPDK_MEMSEG : VR_NONE;
	if (m->vw->cfg.kind != VMM_KIND_QEMU)
		return VR_NONE;
	guarded = vmm_view_guarded(m->vw, v);
	/* A file-backed block is named by its path; anonymous ones need the dc flag. */
	if (guarded && v->perms[0] == 'r' && guest_ram(m, v, t))
		return VR_GUEST_RAM;
	if (!guarded || v->perms[0] != 'r' || !qemu_anon(v, t))
		return VR_NONE;
	return rom(m, v) ? VR_ROM : VR_RAM_BLOCK;
}

void vmlck_explain(const struct vmm_config *c, uint64_t ram_hidden, uint64_t rom_charge,
		   int64_t figure, struct vmlck_explained *e)
{
	struct vmm_contexts ctx;
	uint64_t ram;

	memset(e, 0, sizeof(*e));
	vmm_contexts(c, &ctx);
	snprintf(e->how, sizeof(e->how), "%s", ctx.how);
	e->contexts = ctx.total;
	e->ram_bytes = vmm_guest_memory(c);
	e->ram_hidden_bytes = ram_hidden < e->ram_bytes ? ram_hidden : 0;
	e->rom_bytes = rom_charge;
	e->roms_charged = rom_charge > 0;
	e->figure_bytes = figure;
	/* Each context maps the whole guest address space: the RAM the ROM windows leave, and the ROMs. */
	ram = e->ram_bytes - e->ram_hidden_bytes;
	e->explained_bytes = (uint64_t)e->contexts * (ram + rom_charge);
	e->diff_bytes = figure - (int64_t)e->explained_bytes;
	e->exact = e->diff_bytes == 0;
}
