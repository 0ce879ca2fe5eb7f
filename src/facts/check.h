/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What `check` is asked: the command line, as plain data the judges read. */
#ifndef VP_FACTS_CHECK_H
#define VP_FACTS_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/backends.h"

enum check_format { CF_TEXT, CF_JSON };

struct check_opts {
	const char **devices;      /* --device, may be empty: every vfio-pci device */
	size_t ndevices;
	bool have_guest_mem;
	uint64_t guest_mem;
	uint64_t hugepage_size;    /* --hugepages SIZE, 0 = infer */
	uint64_t granularity;      /* --mapping-size SIZE, 0 = per RAM region */
	const char *user, *pid, *unit, *binary;
	bool viommu;
	enum check_backend backend;
	bool probe;
	enum check_format fmt;
	const char *prom_file;
	const char *nfd_file;      /* --nfd: node-feature-discovery feature file */
	bool quiet;
	const char *qemu_cmdline;  /* --qemu-cmdline FILE ("-": stdin) */
	const char *domain_xml;    /* --domain-xml FILE ("-": stdin) */
};

#endif
