/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Names of /proc/kpageflags bits (facts/kpageflags.h), for --pages and JSON output. */
#ifndef VP_KPF_H
#define VP_KPF_H

#include <stddef.h>
#include <stdint.h>

#include "facts/kpageflags.h"

/* Name of a bit ("reserved"), or NULL for bits without one. */
const char *kpf_name(unsigned bit);
/* "anon,mmap,thp" (comma separated, lowest bit first). */
void kpf_format(char *buf, size_t size, uint64_t flags);

#endif
