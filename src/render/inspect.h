/* SPDX-License-Identifier: GPL-2.0-or-later */
/* inspect: the report model shared by the gatherer (cmd-inspect.c) and the renderers. */
#ifndef VP_INSPECT_H
#define VP_INSPECT_H

#include <stdbool.h>
#include <stdio.h>

#include "model/account.h"
#include "model/classify.h"
#include "render/jsonw.h"
#include "facts/contexts.h"
#include "facts/pci.h"
#include "facts/proc.h"
#include "facts/roles.h"
#include "facts/scan.h"
#include "facts/vfiofds.h"
#include "facts/vma.h"

struct inspect_group {
	int group;
	size_t ndevs;
	struct pci_dev_info *devs;
};

struct inspect_row {
	const struct vma *vma;
	struct class_bytes cb;
	const char *device;   /* BDF of the VFIO device whose BAR this vma maps, or NULL */
	int bar;              /* its BAR index, or -1 */
	bool bar_ambiguous;
	/* ZONE_DEVICE memory, told by the vma (a /dev/daxN.M mapping, a file on a dax mount) */
	bool zone_device;
	enum vma_role role;   /* what the VMM uses it for (model/roles.c), VR_NONE if unknown */
};

struct inspect_report {
	char pid[24];
	struct proc_status st;
	struct proc_limit lim;
	bool have_limit;
	struct vfio_fds fds;
	struct vfio_contexts ctx;        /* the live containers and iommufd contexts */
	const char *container_provider;  /* vfio_container_provider() */
	const char *backend;             /* vfio_fds_backend() */
	struct inspect_group *groups;
	size_t ngroups;
	char release[80];
	struct kver kv;
	bool kv_known;
	struct class_bytes totals;
	struct memlock_view mv;
	struct memlock_explain me;
	struct scan_stats stats;
	size_t nvmas;
	/* The VMM's own configuration and the roles of its vmas. */
	struct vmm_view vmm;
	uint64_t role_bytes[VR_RAM_BLOCK + 1];   /* vma sizes per role */
	bool have_vx;
	struct vmlck_explained vx;
};

enum inspect_format { FMT_TABLE, FMT_RAW, FMT_PAIRS, FMT_JSON };

struct inspect_out {
	enum inspect_format fmt;
	bool noheadings, bytes, summary_only, pages;
	const char *columns;   /* -o list, or NULL for the defaults */
	FILE *out;
	/* renderer state */
	struct libscols_table *tb;
	struct jsonw jw;
	int cols[32];
	int ncols;
	bool in_pages;
	bool vma_device;       /* the current vma is ZONE_DEVICE: its invalid/reserved runs are device */
	/* table rows past the first page, spooled (see table_row) */
	FILE *spool;
	size_t nrows;
	size_t width[32];      /* widest cell of each column so far */
	char *widest[32];      /* and its text */
};

int inspect_out_begin(struct inspect_out *o, const struct inspect_report *r);
int inspect_out_vma_begin(struct inspect_out *o, const struct inspect_row *row);
int inspect_out_run(void *o, const struct page_run *run);
int inspect_out_vma_end(struct inspect_out *o, const struct inspect_row *row);
int inspect_out_end(struct inspect_out *o, const struct inspect_report *r);
void inspect_out_free(struct inspect_out *o);
/* Validate -o; 0 or -EINVAL with the error line set. */
int inspect_columns_parse(struct inspect_out *o);
void inspect_list_columns(FILE *out);

#endif
