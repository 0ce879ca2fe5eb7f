// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <libgen.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/atomic.h"

static int write_renamed(const char *path, mode_t mode, void (*fill)(void *arg, FILE *out),
			 void *arg)
{
	char tmp[4096], dir[2048], base[1024];
	FILE *out;
	int fd, rc = 0;

	/* POSIX dirname/basename may modify their argument: give each a copy */
	snprintf(dir, sizeof(dir), "%s", path);
	snprintf(base, sizeof(base), "%s", path);
	/* same directory, so rename(2) stays on one filesystem and is atomic */
	if (snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dirname(dir), basename(base)) >=
	    (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	/* mkstemp makes 0600; the reader runs as another user */
	if (fchmod(fd, mode) < 0)
		rc = -errno;
	out = rc ? NULL : fdopen(fd, "w");
	if (!out) {
		rc = rc ? rc : -errno;
		close(fd);
		unlink(tmp);
		return rc;
	}
	fill(arg, out);
	if (fflush(out) || ferror(out) || fsync(fileno(out)))
		rc = -(errno ? errno : EIO);
	if (fclose(out) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc)
		unlink(tmp);
	return rc;
}

/*
 * The timer's unit is stopped with SIGTERM: held off for the few
 * milliseconds between mkstemp and rename, it lands after the rename or the
 * unlink, so no dot-file is left behind in the reader's directory.
 */
int atomic_write(const char *path, mode_t mode, void (*fill)(void *arg, FILE *out), void *arg)
{
	sigset_t hold, old;
	int rc;

	sigemptyset(&hold);
	sigaddset(&hold, SIGTERM);
	sigaddset(&hold, SIGINT);
	sigaddset(&hold, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &hold, &old);
	rc = write_renamed(path, mode, fill, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}
