/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * capture --redact: what of a command line can leave the machine.  Pure
 * string functions (unit-tested), applied by host/capture.c to the copies it
 * stages.
 */
#ifndef VP_REDACT_H
#define VP_REDACT_H

#include <stdbool.h>
#include <stddef.h>

#define REDACTED "REDACTED"

/*
 * A process's argv as /proc/PID/cmdline holds it (NUL-separated) with every
 * value that carries a secret replaced by REDACTED, everything else kept, so
 * the argv still parses: QEMU `-object secret,...,data=`, `password=`/`passwd=`
 * in option lists (-spice, -iscsi; "on"/"off" and friends are booleans, not
 * secrets; `password-secret=`/`key-secret=` are references, kept), the same
 * keys in JSON (-object '{"qom-type":"secret",...}'), `key=` of an `rbd:` spec,
 * and the password of a URL (`iscsi://user%pass@`, `https://user:pass@`).
 * Returns a malloc()ed buffer of *outlen bytes, or NULL (out of memory).
 */
char *redact_argv(const char *in, size_t len, size_t *outlen);
/* One argument (NUL-terminated): the same rules.  malloc()ed, or NULL. */
char *redact_arg(const char *arg);
/*
 * The kernel command line with only the parameters that bear on passthrough
 * (IOMMU, VFIO, huge pages, KVM, PCI, module blacklists, isolcpus, mem=), one
 * line.  malloc()ed, or NULL.
 */
char *redact_kernel_cmdline(const char *text);
bool redact_related_param(const char *p, size_t n);

/*
 * Paths capture never copies, whoever read them: a process's environment and
 * memory, the shadow files, kernel memory, and the PCI attributes that are
 * device memory or config space (resourceN, resourceN_wc, rom, config).
 * /proc/PID/pagemap and /proc/kpageflags are copied only as sparse files of
 * the process's own pages (redact_path_pages).
 */
bool redact_path_denied(const char *path);
/* /proc/PID/pagemap (pid into pid[size]) or /proc/kpageflags (pid ""): copied sparse. */
bool redact_path_pages(const char *path, char *pid, size_t size);

#endif
