/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * capture by record: inspect, check and groups run in child processes with
 * the seam (host/sysroot.c) recording every path they read; the recorded set,
 * minus what must never leave the machine (model/redact.h), is copied into a
 * staging directory laid out like the root, and packed, so `--sysroot`
 * replays exactly what the live run read.  Files are read (procfs and sysfs
 * sizes are meaningless), links kept as links, owners and modes kept (device
 * node permissions matter to `check`).
 */
#ifndef VP_CAPTURE_H
#define VP_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rec_entry {
	char *path;
	unsigned access;   /* enum sr_access bits */
};

struct rec_set {
	struct rec_entry *v;
	size_t n, cap;     /* open addressing; cap a power of two */
};

struct capture {
	char stage[256];       /* the staging root */
	bool redact;           /* --redact: argv secrets and unrelated kernel parameters */
	struct rec_set set;    /* what the recorded commands read */
	unsigned files, links, skipped, denied;
	size_t bytes;
	/* capture_pages: called with the bytes of address space each pagemap chunk covered */
	void (*on_progress)(void *arg, uint64_t bytes);
	void *progress_arg;
};

typedef int (*capture_cmd)(int argc, char **argv);

int capture_init(struct capture *c, bool redact);
/*
 * The archive's file, opened for writing with mode 0600 even over an
 * existing file (it holds a root's view of another process).  fd or -errno.
 */
int capture_open_archive(const char *path);
void capture_remove(struct capture *c);

/* host/record.c: the set of recorded paths. */
int rec_set_add(struct rec_set *s, const char *path, unsigned access);
void rec_set_free(struct rec_set *s);
/* A command's output (sr_run) written into the stage as-is. */
int capture_stage_data(struct capture *c, const char *path, const char *data, size_t len);

/*
 * Run cmd(argv) in a child with the seam recording; what it read joins c->set.
 * Its exit code in *code; the first line it wrote to stderr in err (may be
 * "").  With out non-NULL, its stdout, malloc()ed; else it goes to /dev/null.
 */
int capture_record(struct capture *c, capture_cmd cmd, char **argv, int *code,
		   char *err, size_t errsize, char **out);
/* Copy every recorded path into the stage (pagemap and kpageflags sparse). */
int capture_stage(struct capture *c);
/* tar --sparse -czf - -C stage . into the descriptor out (opened 0600 by the caller). */
int capture_pack(struct capture *c, int out);

#endif
