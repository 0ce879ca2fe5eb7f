/* SPDX-License-Identifier: GPL-2.0-or-later */
/* systemd units: the properties that bear on memlock and capabilities. */
#ifndef VP_HOST_UNITS_H
#define VP_HOST_UNITS_H

#include <stddef.h>

#include "facts/target.h"

/*
 * Live: `systemctl show` (spawned without a shell), which knows every
 * drop-in and default; -ENOEXEC when it cannot run or fails.  In a captured
 * tree: the unit file and its drop-ins in systemd's search order; -ENOENT
 * when there is no such unit.
 */
int unit_props_read(const char *unit, struct unit_props *p);
/* DefaultLimitMEMLOCK= of /etc/systemd/system.conf into val ("" when none). */
void units_default_memlock(char *val, size_t size);

#endif
