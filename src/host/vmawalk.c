// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/sysroot.h"
#include "host/vmawalk.h"

static void *smaps_thread(void *arg)
{
	struct vma_walk *w = arg;
	struct smaps_reader r;
	struct vma v;
	int rc;

	rc = smaps_open(&r, w->pid);
	while (!rc && (rc = smaps_next(&r, &v)) > 0) {
		pthread_mutex_lock(&w->mu);
		while (w->count == VMAWALK_RING && !w->stop) {
			w->producer_waits = true;
			pthread_cond_wait(&w->cv, &w->mu);
		}
		w->producer_waits = false;
		if (w->stop) {
			pthread_mutex_unlock(&w->mu);
			break;
		}
		w->ring[(w->head + w->count) % VMAWALK_RING] = v;
		w->count++;
		/*
		 * Wake a waiting consumer only once half the ring is filled: one
		 * wake-up a vma is two context switches a vma, which for 100 000
		 * tiny vmas cost more than reading them.
		 */
		if (w->consumer_waits && w->count >= VMAWALK_RING / 2)
			pthread_cond_broadcast(&w->cv);
		pthread_mutex_unlock(&w->mu);
		rc = 0;
	}
	if (r.f)
		smaps_close(&r);
	pthread_mutex_lock(&w->mu);
	w->done = true;
	w->rc = rc < 0 ? rc : 0;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

int vma_walk_open(struct vma_walk *w, const char *pid)
{
	char path[64];
	int rc;

	memset(w, 0, sizeof(*w));
	snprintf(w->pid, sizeof(w->pid), "%s", pid);
	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	w->maps = sr_fopen(path);
	if (!w->maps)
		return -errno;
	/* smaps must be there too: fail here, with its own errno, not later. */
	snprintf(path, sizeof(path), "/proc/%s/smaps", pid);
	rc = sr_open(path, 0);
	if (rc < 0) {
		fclose(w->maps);
		w->maps = NULL;
		return rc;
	}
	close(rc);
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	rc = -pthread_create(&w->thread, NULL, smaps_thread, w);
	if (rc) {
		vma_walk_close(w);
		return rc;
	}
	w->started = true;
	return 0;
}

int vma_walk_next(struct vma_walk *w, struct vma *v)
{
	ssize_t n;

	errno = 0;
	n = getline(&w->line, &w->cap, w->maps);
	if (n < 0)
		return errno ? -errno : 0;
	return smaps_parse_header(w->line, v) ? -EBADMSG : 1;
}

int vma_walk_details(struct vma_walk *w, struct vma *v, bool block)
{
	int rc = -ENOENT;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->count && !w->done) {
			if (!block) {
				pthread_mutex_unlock(&w->mu);
				return -EAGAIN;
			}
			w->consumer_waits = true;
			pthread_cond_wait(&w->cv, &w->mu);
			w->consumer_waits = false;
		}
		if (!w->count) {
			rc = w->rc ? w->rc : -ENOENT;
			break;
		}
		struct vma *s = &w->ring[w->head];

		if (s->start > v->start)
			break;  /* smaps has no such vma: it changed between the two reads */
		if (s->start == v->start) {
			memcpy(v->vmflags, s->vmflags, sizeof(v->vmflags));
			v->has_vmflags = s->has_vmflags;
			v->rss_kb = s->rss_kb;
			v->locked_kb = s->locked_kb;
			v->anon_huge_kb = s->anon_huge_kb;
			v->swap_kb = s->swap_kb;
			v->kernel_page_kb = s->kernel_page_kb;
			v->mmu_page_kb = s->mmu_page_kb;
			rc = 0;
		}
		w->head = (w->head + 1) % VMAWALK_RING;
		w->count--;
		/* The same the other way: a full ring is refilled half at a time. */
		if (w->producer_waits && w->count <= VMAWALK_RING / 2)
			pthread_cond_broadcast(&w->cv);
		if (rc == 0)
			break;
	}
	pthread_mutex_unlock(&w->mu);
	return rc;
}

void vma_walk_close(struct vma_walk *w)
{
	if (w->started) {
		pthread_mutex_lock(&w->mu);
		w->stop = true;
		pthread_cond_broadcast(&w->cv);
		pthread_mutex_unlock(&w->mu);
		pthread_join(w->thread, NULL);
		w->started = false;
	}
	if (w->maps)
		fclose(w->maps);
	w->maps = NULL;
	free(w->line);
	w->line = NULL;
}
