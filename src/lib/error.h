/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Errors: functions return 0 or a negative errno.  The layer that first knows
 * what a failure *means* records one line (problem and fix) and an exit code
 * with err_set(); main() prints it once (after checking that standard output
 * was written).  Nothing else prints errors.
 */
#ifndef VP_ERROR_H
#define VP_ERROR_H

#include <errno.h>

/* Exit codes of map, inspect, groups, capture (check uses 0/1/2/3, see man page). */
enum vp_exit {
	VP_EXIT_OK          = 0,
	VP_EXIT_FINDING     = 1,  /* ran, but prediction and measurement disagree */
	VP_EXIT_USAGE       = 2,  /* bad command line */
	VP_EXIT_NOPROC      = 3,  /* no such process, or it exited while scanned */
	VP_EXIT_PERM        = 4,  /* permission denied */
	VP_EXIT_NOKERNEL    = 5,  /* kernel lacks an interface (kpageflags, vfio, IOMMU) */
	VP_EXIT_SYSROOT     = 6,  /* --sysroot tree incomplete or malformed input */
	VP_EXIT_DEVICE      = 7,  /* device/group unusable: not bound, not viable, busy */
	VP_EXIT_MAPFAIL     = 8,  /* the kernel refused a DMA map (ENOMEM, ENOSPC, ...) */
	VP_EXIT_RESOURCE    = 9,  /* host resource missing: hugepages not reserved, ... */
	VP_EXIT_INTERRUPTED = 10, /* SIGINT/SIGTERM before the work was done (cleaned up) */
	VP_EXIT_OUTPUT      = 11, /* standard output could not be written (full, closed, I/O error) */
	VP_EXIT_INTERNAL    = 70, /* a bug in vfio-pinctl */
};

/* Record the error line; the first call wins (the deepest, most specific cause). */
void err_set(int exit_code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Overwrite whatever was recorded (a caller that knows better). */
void err_replace(int exit_code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int err_isset(void);
void err_clear(void);
const char *err_message(void);
int err_exit_code(void);

/* Name of an errno value ("ENOMEM"), or "E<n>". */
const char *errno_name(int err);

#endif
