/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one seam between vfio-pinctl and the machine's procfs, sysfs and /dev.
 * Every read of such a path goes through here, so `--sysroot DIR` (a tree
 * captured on another machine, or a test fixture) replaces the live system.
 */
#ifndef VP_SYSROOT_H
#define VP_SYSROOT_H

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

void sr_set_root(const char *dir);
/* NULL when reading the live system. */
const char *sr_root(void);
static inline int sr_live(void) { return sr_root() == NULL; }

/* Build the real path of a logical one ("/proc/1/maps") into buf. */
int sr_path(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* All return a negative errno on failure. */
int sr_open(const char *path, int flags);
FILE *sr_fopen(const char *path);          /* NULL with errno set */
DIR *sr_opendir(const char *path);         /* NULL with errno set */
int sr_stat(const char *path, struct stat *st);
int sr_readlink(const char *path, char *buf, size_t size);
/* Whole text file, NUL-terminated, malloc()ed; *len may be NULL. */
int sr_read_text(const char *path, char **out, size_t *len);
/* All of an open fd (a pipe, stdin, a file), NUL-terminated, malloc()ed; -EFBIG past max bytes (0: no cap). */
int sr_read_fd(int fd, size_t max, char **out, size_t *len);
/* First line, trailing whitespace stripped. */
int sr_read_line(const char *path, char *buf, size_t size);
int sr_read_u64(const char *path, uint64_t *val);  /* decimal or 0x hex */
int sr_exists(const char *path);
/*
 * Replaying a tree that has no DIR ("/sys"): not a captured tree.  Like
 * sr_live(), a question about the seam itself, so the argument layer may ask.
 */
static inline int sr_tree_lacks(const char *dir) { return !sr_live() && !sr_exists(dir); }

/*
 * Recording, for `capture`: with a recorder set (live only), every call above
 * reports the logical path and how it was used, so the archive holds exactly
 * what the readers read.  One predictable branch per open, none per read.
 */
enum sr_access {
	SR_READ = 1,   /* contents (sr_open, sr_fopen, sr_read_*) */
	SR_LIST = 2,   /* directory entries (sr_opendir) */
	SR_STAT = 4,   /* existence, owner, mode (sr_stat, sr_exists, sr_path) */
	SR_LINK = 8,   /* the link itself (sr_readlink) */
	SR_RUN = 16,   /* a command's output, kept at a logical path (sr_run) */
	SR_GLOB = 32,  /* a pattern: every match, read (sr_note) */
};
typedef void (*sr_recorder)(void *arg, const char *path, unsigned access,
			    const char *data, size_t len);
void sr_set_recorder(sr_recorder fn, void *arg);
/*
 * A path a library reads on our behalf (libkmod, libudev, NSS), which the
 * seam cannot see: noted so capture packs it.  No-op unless recording.
 */
void sr_note(const char *path, unsigned access);
/*
 * A command's standard output (argv[0] found in PATH, no shell, stderr
 * discarded), NUL-terminated and malloc()ed.  Live it runs the command and a
 * recorder keeps the output at the logical path `as`; under --sysroot it
 * reads `as` from the tree, so a replay parses what the live run parsed.
 * -ENOEXEC: the command failed or is missing (kept as an empty `as`.failed, so a
 * replay fails the same way); -ENOENT (replay): the tree has no such output.
 */
int sr_run(const char *as, char *const argv[], char **out);
/*
 * A question only the live kernel answers (an ioctl on a descriptor), as
 * text: live, fn(arg, out, len) asks and writes the answer, and a recorder
 * keeps it at the logical path `as` as sr_run does; under --sysroot `as` is
 * read from the tree, so a replay parses the answer the live run got.
 */
typedef int (*sr_ask_fn)(void *arg, char **out, size_t *len);
int sr_ask(const char *as, sr_ask_fn fn, void *arg, char **out);

#endif
