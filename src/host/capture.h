/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Copying a subset of the live /proc, /sys, /dev and /etc into a staging
 * directory laid out like the root, so --sysroot replays it.  Files are read
 * (procfs and sysfs sizes are meaningless), links kept as links, owners and
 * modes kept (device node permissions matter to `check`).
 */
#ifndef VP_CAPTURE_H
#define VP_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct capture {
	char stage[256];       /* the staging root */
	unsigned files, links, skipped;
	size_t bytes;
	/* capture_pages: called with the bytes of address space each pagemap chunk covered */
	void (*on_progress)(void *arg, uint64_t bytes);
	void *progress_arg;
};

int capture_init(struct capture *c);
void capture_remove(struct capture *c);

/* A file's contents (a missing or unreadable one is skipped, not an error). */
int capture_file(struct capture *c, const char *path);
/* The same, with other contents (redaction). */
int capture_file_as(struct capture *c, const char *path, const char *text);
int capture_link(struct capture *c, const char *path);
/* A char/block device node, as an empty regular file with the node's owner and mode. */
int capture_node(struct capture *c, const char *path);
/*
 * A directory: links as links, and the regular files whose names pass keep()
 * (NULL: all), down to depth levels.  Sysfs attributes are only read from a
 * whitelist: a BAR's resourceN file is device memory.
 */
int capture_dir(struct capture *c, const char *dir, int depth, bool (*keep)(const char *name));
/* Every path matching a glob pattern, with capture_file/link. */
int capture_glob(struct capture *c, const char *pattern);
/* pagemap of a pid (present and swapped entries only) and kpageflags of its pfns, both sparse. */
int capture_pages(struct capture *c, const char *pid);
/* tar --sparse -czf out -C stage . */
int capture_pack(struct capture *c, const char *out);

#endif
