/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pure readers of a VMM's configuration (over buffers already in memory) and
 * the figures that follow from it.  Every parser returns 0, or -EINVAL with one
 * err_set() line naming what is wrong (exit code VP_EXIT_SYSROOT: malformed input).
 */
#ifndef VP_MODEL_VMM_H
#define VP_MODEL_VMM_H

#include <stddef.h>
#include <stdint.h>

#include "facts/kver.h"
#include "facts/vmm.h"

/* ---- model/vmm-argv.c: argument vectors and QEMU option values ---- */

struct vmm_argv {
	int argc;
	char **argv;       /* argv[argc] == NULL */
	char *store;       /* the strings */
};

/*
 * A buffer holding a NUL byte is NUL-separated, as /proc/PID/cmdline is (a final
 * argument without its NUL is kept); otherwise it is one shell-quoted line
 * (POSIX: '...', "..." with \\ \" \$ \` escapes, backslash outside quotes,
 * backslash-newline joins lines, # at a word start comments to the line end).
 */
int vmm_argv_split(const char *buf, size_t len, struct vmm_argv *out);
void vmm_argv_free(struct vmm_argv *a);

#define VMM_KV_MAX 64
/* One option value as key/value strings: QEMU keyval/QemuOpts or a flat JSON object. */
struct vmm_kv {
	int n;
	const char *key[VMM_KV_MAX];
	const char *val[VMM_KV_MAX];
	char *store;
};

/*
 * "a=b,c=d" (",," is a literal comma; a bare key means key=on; a first element
 * without '=' is the value of `implied`, as in -m 4G or -device vfio-pci,...),
 * or, when the text starts with '{', a JSON object as libvirt writes it (strings,
 * numbers, true/false become "on"/"off"; nested arrays/objects are skipped).
 * 0, or -EINVAL with *why set to a static reason.
 */
int vmm_kv_parse(const char *text, const char *implied, struct vmm_kv *kv, const char **why);
const char *vmm_kv_get(const struct vmm_kv *kv, const char *key);
void vmm_kv_free(struct vmm_kv *kv);
/* QEMU's bool spellings: on/yes/true/y, off/no/false/n.  1, 0, or -EINVAL. */
int vmm_parse_bool(const char *s);

/*
 * QEMU's size syntax (util/cutils.c do_strtosz): a decimal number, optionally
 * with a fraction, then an optional one-letter suffix B K M G T P E (any case,
 * powers of 1024); without a suffix `default_suffix` applies ('B' for sizes,
 * 'M' for the legacy -m and -numa mem=).  A fraction of bytes is refused.
 */
int vmm_qemu_size(const char *s, char default_suffix, uint64_t *out);
/* Input quoted in an error line: at most size-1 bytes, control characters as '?'. */
const char *vmm_printable(const char *s, char *buf, size_t size);
/* "0000:00:03.0" or "00:03.0" (domain 0) into "dddd:bb:dd.f".  0 or -EINVAL. */
int vmm_norm_bdf(const char *s, char *out, size_t size);

/* ---- model/vmm-qemu.c ---- */
/* argv[0] is the program.  Fills *c (zeroed first). */
int vmm_qemu_parse(int argc, char *const argv[], struct vmm_config *c);

/* ---- model/vmm-dpdk.c: EAL options, from argv[1] up to "--" ---- */
int vmm_dpdk_parse(int argc, char *const argv[], struct vmm_config *c);

/* ---- model/vmm-libvirt.c: a libvirt domain XML in memory (libxml2, no network,
 * no entities, no DTD) ---- */
int vmm_libvirt_parse(const char *buf, size_t len, struct vmm_config *c);

/* A command-line buffer (either form) to a config: QEMU when argv[0] names a QEMU
 * (qemu-system-*, qemu-kvm), DPDK when it is named so or has an EAL option;
 * anything else is -ENOEXEC ("not a VMM", one err_set line). */
int vmm_cmdline_parse(const char *buf, size_t len, struct vmm_config *c);

/* ---- model/vmm-limit.c ---- */

/* Guest memory every DMA context maps: initial RAM plus DIMM/virtio-mem devices. */
uint64_t vmm_guest_memory(const struct vmm_config *c);

struct vmm_contexts {
	int total;         /* DMA address spaces that each pin (and charge) guest RAM */
	int type1;         /* legacy VFIO containers */
	int iommufd;       /* iommufd IOAS */
	int other;         /* QEMU's NVMe block driver containers, vhost-vdpa devices */
	char how[256];
};
void vmm_contexts(const struct vmm_config *c, struct vmm_contexts *out);
/*
 * The guest address space device i DMAs in: -1 the system one (no vIOMMU in
 * front of it), else its own (i) or its conventional bridge's.  With its
 * iommufd object (devices[i].iommufd, "" = type1) it names its DMA context.
 */
int vmm_device_as(const struct vmm_config *c, int i);

enum vmm_ceiling_kind {
	VMM_CEIL_NO_CHANGE = 0,    /* the manager leaves the inherited limit alone */
	VMM_CEIL_BYTES,
	VMM_CEIL_UNLIMITED,
	VMM_CEIL_NOT_MODELLED,     /* e.g. libvirt's ppc64 rule */
};
struct vmm_ceiling {
	enum vmm_ceiling_kind kind;
	uint64_t bytes;
	unsigned factor;
	char rule[256];
};
/* libvirt's qemuDomainGetMemLockLimitBytes() for this configuration. */
void vmm_libvirt_ceiling(const struct vmm_config *c, struct vmm_ceiling *out);
/* KubeVirt (PR#17857): unlimited as soon as the VMI has a VFIO device. */
void vmm_kubevirt_ceiling(const struct vmm_config *c, struct vmm_ceiling *out);

/* ---- model/vmm-check.c: what `check` takes from a configuration ---- */

/* Guest RAM, devices, vIOMMU, iommufd objects, contexts, huge pages. */
void vmm_derive(const struct vmm_config *c, struct vmm_derived *d);

/* DPDK's hugepage memory: -m, else the sum of --socket-mem; 0 = on demand. */
uint64_t vmm_dpdk_memory(const struct vmm_dpdk *p);

/* The firmware QEMU loads when no -bios and no pflash is given (x86 pc, q35). */
#define VMM_DEFAULT_BIOS "/usr/share/seabios/bios-256k.bin"

/* Guest RAM bytes per context the ROM windows hide from the DMA map (x86: 256K). */
uint64_t vmm_ram_hidden(const struct vmm_config *c);

/* Which firmware files to size (bios_path; sizes set to -1 for the host to fill). */
/*
 * ROM bytes charged per context while the RAM is still mapped whole (the
 * realize-time peak: pc.bios where this kernel charges it); see its comment.
 */
uint64_t vmm_rom_charge_at_realize(const struct vmm_config *c, const struct vmm_firmware *fw,
				   bool kv_known, const struct kver *kv);
void vmm_firmware_paths(const struct vmm_config *c, struct vmm_firmware *fw);

/*
 * ROM bytes one DMA context of this VMM maps that this kernel charges; `how`
 * says what was counted.  The one rule (see its comment): a measured
 * correction is an edit here.
 */
uint64_t vmm_rom_charge(const struct vmm_config *c, const struct vmm_firmware *fw, bool kv_known,
			const struct kver *kv, char *how, size_t size);

/*
 * The ceiling the VMM's manager will set: libvirt's formula for a domain XML
 * or a QEMU libvirt started (-name guest=); NULL and VMM_CEIL_NO_CHANGE when
 * no manager is known.  Returns the manager's name.
 */
const char *vmm_manager_ceiling(const struct vmm_config *c, struct vmm_ceiling *out);

/* The `vmm` check line: what was read (PASS), or why nothing was (c NULL: SKIP, note says why). */
struct check_result;
void judge_vmm(const struct vmm_config *c, const struct vmm_derived *d, const char *where,
	       const char *rom_how, const char *note, struct check_result *r);

#endif
