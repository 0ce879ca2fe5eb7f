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
/* First line, trailing whitespace stripped. */
int sr_read_line(const char *path, char *buf, size_t size);
int sr_read_u64(const char *path, uint64_t *val);  /* decimal or 0x hex */
int sr_exists(const char *path);

#endif
