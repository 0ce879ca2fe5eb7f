/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/PID/status and /proc/PID/limits: the figures memlock accounting is judged by. */
#ifndef VP_PROCSTAT_H
#define VP_PROCSTAT_H

#include <stdbool.h>
#include <stdint.h>

#include "facts/proc.h"

int parse_status(const char *text, struct proc_status *st);
/* The "Max locked memory" line of /proc/PID/limits. */
int parse_limits_memlock(const char *text, struct proc_limit *lim);

int read_status(const char *pid, struct proc_status *st);
int read_limits_memlock(const char *pid, struct proc_limit *lim);

#endif
