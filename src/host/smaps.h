/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/PID/smaps, read one vma at a time so memory does not grow with the target. */
#ifndef VP_SMAPS_H
#define VP_SMAPS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "facts/vma.h"


/* VmFlags tests (two-letter mnemonics from fs/proc/task_mmu.c). */
bool vma_flag(const struct vma *v, const char *mnemonic);
bool vma_is_pfnmap(const struct vma *v);   /* pf or io: holes in pagemap */
bool vma_is_hugetlb(const struct vma *v);
bool vma_is_vfio_device(const struct vma *v);
uint64_t vma_size(const struct vma *v);

/* Pure parsers (unit-tested and fuzzed). */
int smaps_parse_header(const char *line, struct vma *v);
/* Feeds one "Key: value" line; 1 if it was VmFlags (the vma is complete). */
int smaps_parse_field(const char *line, struct vma *v);

struct smaps_reader {
	FILE *f;
	char *line;
	size_t cap;
	bool have_header;  /* line holds the next vma's header */
	unsigned long lineno;
};

int smaps_open(struct smaps_reader *r, const char *pid);
/* 1: *v filled; 0: end; <0: -errno (-ESRCH when the process went away). */
int smaps_next(struct smaps_reader *r, struct vma *v);
void smaps_close(struct smaps_reader *r);

#endif
