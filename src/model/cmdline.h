/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel command line as the kernel parses it.  Pure. */
#ifndef VP_MODEL_CMDLINE_H
#define VP_MODEL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/* Value of KEY= on the kernel command line (last one wins, as the kernel does); 0 or -ENOENT. */
int cmdline_param(const char *cmdline, const char *key, char *val, size_t size);
/* Is the word (e.g. "nointremap") on the command line? */
bool cmdline_flag(const char *cmdline, const char *word);

#endif
