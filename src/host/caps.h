/* SPDX-License-Identifier: GPL-2.0-or-later */
/* File capabilities of a binary (security.capability), live or in the tree. */
#ifndef VP_HOST_CAPS_H
#define VP_HOST_CAPS_H

#include "facts/target.h"

/* fc->binary: the path (NULL: nothing to read); fills rc and ipc_lock. */
void file_caps_read(struct file_caps *fc, const char *binary);

#endif
