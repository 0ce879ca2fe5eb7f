/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * node-feature-discovery feature file: the check's figures as node labels
 * (an interface: label names are added, never renamed; man vfio-pinctl-check).
 */
#ifndef VP_NFD_H
#define VP_NFD_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "check/check.h"

/*
 * A subdomain of feature.node.kubernetes.io: nfd-master accepts it without
 * -extra-label-ns (it denies other kubernetes.io namespaces, allows this one).
 */
#define NFD_NS "vfio-pinctl.feature.node.kubernetes.io"
/* Labels vanish this long after the last run (the timer runs every 15 min). */
#define NFD_EXPIRY_SECONDS 3600

/* The feature file's text for a finished check run at time now.  Pure. */
void nfd_render(const struct check_ctx *c, time_t now, FILE *out);
/* One "ns/name=value" line (no newline) valid as a Kubernetes node label?  Pure. */
bool nfd_label_valid(const char *line);
/* Write path atomically (dot-file + rename, as nfd-worker asks); 0 or -errno. */
int nfd_write(const struct check_ctx *c, const char *path);

#endif
