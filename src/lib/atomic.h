/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Replace a file so that a reader (node_exporter's textfile collector,
 * nfd-worker's local source) sees the old contents or the new, never a part.
 */
#ifndef VP_ATOMIC_H
#define VP_ATOMIC_H

#include <stdio.h>
#include <sys/types.h>

/*
 * Write fill()'s output to a dot-file next to path (both readers skip dot
 * files), fsync it and rename it over path.  0 or -errno; on failure the
 * temporary file is gone and path is untouched.
 */
int atomic_write(const char *path, mode_t mode, void (*fill)(void *arg, FILE *out), void *arg);

#endif
