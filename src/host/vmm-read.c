// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/smaps.h"
#include "host/sysroot.h"
#include "host/vmm-read.h"
#include "facts/vmm.h"
#include "lib/error.h"
#include "lib/util.h"
#include "model/roles.h"
#include "model/vmm.h"

#define VMM_FILE_MAX (64UL << 20)

int vmm_read_cmdline(pid_t pid, char **buf, size_t *len)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	return sr_read_text(path, buf, len);
}

int vmm_read_file(const char *path, char **buf, size_t *len)
{
	struct stat st;
	int fd, rc;

	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY) : 0;
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
	} else if (!S_ISREG(st.st_mode) && !(fd == 0 && (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)))) {
		rc = -EINVAL;
	} else {
		rc = sr_read_fd(fd, VMM_FILE_MAX, buf, len);
	}
	if (fd)
		close(fd);
	return rc;
}

/* QEMU's default data directory on Debian (-L): where a bare ROM name is found. */
#define QEMU_DATADIR "/usr/share/qemu"

static int64_t fw_file_size(const char *name)
{
	char path[VMM_PATH_MAX + 32];
	struct stat st;

	if (name[0] == '/')
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), QEMU_DATADIR "/%s", name);
	/*
	 * Only the size, by stat (which follows Debian's /usr/share/qemu/bios-256k.bin
	 * link into /usr/share/seabios): `capture` keeps a stat-only file as a hole
	 * of its size, so a replay sizes it the same.
	 */
	if (sr_stat(path, &st) || !S_ISREG(st.st_mode))
		return -1;
	return (int64_t)st.st_size;
}

void vmm_firmware_read(const struct vmm_config *c, struct vmm_firmware *fw)
{
	int i;

	if (fw->bios_path[0])
		fw->bios = fw_file_size(fw->bios_path);
	for (i = 0; i < c->npflash && i < VMM_MAX_PFLASH; i++)
		fw->pflash[i] = fw_file_size(c->pflash[i]);
	for (i = 0; i < c->ndevices && i < VMM_MAX_DEVICES; i++)
		if (c->devices[i].romfile[0])
			fw->romfile[i] = fw_file_size(c->devices[i].romfile);
}

/*
 * QEMU finds a firmware file named without a '/' in its data directories
 * (qemu_find_file(QEMU_FILE_TYPE_BIOS)), in order; Debian's QEMU 7.2 (`-L help`):
 * <bindir>/../share/qemu, ../share/seabios (bios-256k.bin), ../lib/ipxe/qemu
 * (the NICs' efi-*.rom).
 */
static const char *const qemu_datadirs[] = {
	"/usr/share/qemu", "/usr/share/seabios", "/usr/lib/ipxe/qemu",
};
/* The machine's default SeaBIOS image (hw/i386/x86.c, pc machines since 1.x). */
#define QEMU_DEFAULT_BIOS "bios-256k.bin"
/* pc.rom: the option-ROM area QEMU allocates on every pc/q35 machine (PC_ROM_SIZE). */
#define QEMU_PC_ROM_SIZE (128ULL << 10)

/*
 * Only the size: `capture` keeps a stat-only file as a hole of its size, so a
 * replay sizes it the same without the archive holding a guest's VARS file.
 */
static int file_size(const char *path, uint64_t *size)
{
	struct stat st;
	int rc = sr_stat(path, &st);

	if (rc)
		return rc;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	*size = (uint64_t)st.st_size;
	return 0;
}

static uint64_t pow2ceil(uint64_t v)
{
	uint64_t p = 1;

	while (p < v)
		p <<= 1;
	return v ? p : 0;
}

static void add_rom(struct vmm_view *vw, const char *name, const char *file, uint64_t fixed, bool pow2)
{
	struct vmm_rom *r;
	uint64_t size = fixed;
	int rc;

	if (vw->nroms >= VMM_MAX_ROMS)
		return;
	r = &vw->roms[vw->nroms++];
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->path[0] = '\0';
	if (file) {
		size_t d;

		snprintf(r->path, sizeof(r->path), "%s", file);
		rc = strchr(file, '/') ? file_size(r->path, &size) : -ENOENT;
		for (d = 0; rc && !strchr(file, '/') && d < ARRAY_SIZE(qemu_datadirs); d++) {
			snprintf(r->path, sizeof(r->path), "%s/%s", qemu_datadirs[d], file);
			rc = file_size(r->path, &size);
		}
		if (rc) {
			size = 0;
			if (!vw->why[0])
				snprintf(vw->why, sizeof(vw->why), "the size of %s (%s) is unknown: %s",
					 r->name, r->path, strerror(-rc));
		}
	}
	/* pci_add_option_rom() rounds an option ROM's block up to a power of two. */
	r->size = pow2 ? pow2ceil(size) : size;
}

static bool qemu_is_x86(const char *program)
{
	const char *base = strrchr(program, '/');

	base = base ? base + 1 : program;
	return !strncmp(base, "qemu-system-x86_64", 18) || !strncmp(base, "qemu-system-i386", 16) ||
	       !strcmp(base, "qemu-kvm");
}

static void qemu_roms(struct vmm_view *vw)
{
	const struct vmm_config *c = &vw->cfg;
	char name[VMM_ID_MAX + 8];
	int i;

	if (qemu_is_x86(c->program))
		add_rom(vw, "pc.rom", NULL, QEMU_PC_ROM_SIZE, false);
	/* pflash replaces the BIOS image (pc_system_firmware_init). */
	for (i = 0; i < c->npflash; i++) {
		snprintf(name, sizeof(name), "system.flash%d", i);
		add_rom(vw, name, c->pflash[i], 0, false);
	}
	if (!c->npflash && (c->bios[0] || qemu_is_x86(c->program)))
		add_rom(vw, "pc.bios", c->bios[0] ? c->bios : QEMU_DEFAULT_BIOS, 0, false);
	for (i = 0; i < c->ndevices; i++) {
		const struct vmm_device *d = &c->devices[i];

		if (!d->romfile[0] || d->rombar == VMM_OFF)
			continue;
		snprintf(name, sizeof(name), "%s.rom", d->id[0] ? d->id : d->bdf);
		add_rom(vw, name, d->romfile, 0, true);
	}
}

static int read_guards(const char *pid, struct vmm_view *vw)
{
	char path[64], *buf, *line, *save = NULL;
	size_t len, cap = 0;
	struct vma v;
	int rc;

	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	rc = sr_read_text(path, &buf, &len);
	if (rc)
		return rc;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		uint64_t *g;

		memset(&v, 0, sizeof(v));
		if (smaps_parse_header(line, &v) || !vma_is_guard(&v))
			continue;
		if (vw->nguards == cap) {
			cap = cap ? 2 * cap : 64;
			g = realloc(vw->guards, cap * sizeof(*g));
			if (!g) {
				rc = -ENOMEM;
				break;
			}
			vw->guards = g;
		}
		vw->guards[vw->nguards++] = v.start;
	}
	free(buf);
	return rc;
}

int vmm_view_read(const char *pid, struct vmm_view *vw)
{
	char path[64], *buf;
	size_t len;
	int rc;

	memset(vw, 0, sizeof(*vw));
	snprintf(path, sizeof(path), "/proc/%s/cmdline", pid);
	rc = sr_read_text(path, &buf, &len);
	if (rc) {
		snprintf(vw->why, sizeof(vw->why), "its command line cannot be read: %s", strerror(-rc));
		return 0;
	}
	if (!len) {
		snprintf(vw->why, sizeof(vw->why), "its command line is empty (a kernel thread, or a zombie)");
		free(buf);
		return 0;
	}
	/* Not a VMM (or a line the parsers refuse) is a fact about the process, not a failure. */
	rc = vmm_cmdline_parse(buf, len, &vw->cfg);
	free(buf);
	if (rc == -ENOMEM)
		return rc;
	if (rc) {
		snprintf(vw->why, sizeof(vw->why), "%s", err_isset() ? err_message() : strerror(-rc));
		err_clear();
		return 0;
	}
	vw->have = true;
	if (vw->cfg.kind == VMM_KIND_QEMU)
		qemu_roms(vw);
	rc = read_guards(pid, vw);
	return rc == -ENOMEM ? rc : 0;
}

void vmm_view_free(struct vmm_view *vw)
{
	free(vw->guards);
	vw->guards = NULL;
	vw->nguards = 0;
}
