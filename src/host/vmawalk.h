/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A process's vmas, in address order: the list from /proc/PID/maps (cheap),
 * the details (VmFlags, Locked, ...) from /proc/PID/smaps, read by a thread.
 * smaps walks every page table entry to count Rss, which costs as much as the
 * pagemap scan itself; on another core it costs no wall time.
 */
#ifndef VP_VMAWALK_H
#define VP_VMAWALK_H

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include "host/smaps.h"

#define VMAWALK_RING 64

struct vma_walk {
	FILE *maps;
	char *line;
	size_t cap;
	char pid[24];
	pthread_t thread;
	bool started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct vma ring[VMAWALK_RING];
	size_t head, count;
	bool done, stop;
	bool consumer_waits, producer_waits;  /* who sleeps on cv: wake-ups are batched */
	int rc;               /* the smaps reader's result once done */
};

int vma_walk_open(struct vma_walk *w, const char *pid);
/* Next vma from maps: 1, 0 at the end, or -errno.  No details yet. */
int vma_walk_next(struct vma_walk *w, struct vma *v);
/*
 * Fill v's details from smaps: 0, -ENOENT when smaps has no such vma (it
 * changed between the reads), -EAGAIN when !block and smaps is not there yet.
 */
int vma_walk_details(struct vma_walk *w, struct vma *v, bool block);
void vma_walk_close(struct vma_walk *w);

#endif
