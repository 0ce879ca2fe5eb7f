// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * capture by record: a command runs in a child with the seam's recorder set;
 * the child sends back, one line each, every path it read and how ("BITS
 * PATH\n"), and writes the output of commands it ran (sr_run) into the stage
 * itself.  A child, because the commands keep process state (getopt, error
 * state, library contexts) and may exit(); the capture outlives them.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host/capture.h"
#include "host/sysroot.h"
#include "lib/error.h"

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static struct rec_entry *slot(struct rec_set *s, const char *path)
{
	size_t i = (size_t)hash(path) & (s->cap - 1);

	while (s->v[i].path && strcmp(s->v[i].path, path))
		i = (i + 1) & (s->cap - 1);
	return &s->v[i];
}

static int grow(struct rec_set *s)
{
	struct rec_set n = { .cap = s->cap ? s->cap * 2 : 1024 };
	size_t i;

	n.v = calloc(n.cap, sizeof(*n.v));
	if (!n.v)
		return -ENOMEM;
	for (i = 0; i < s->cap; i++)
		if (s->v[i].path)
			*slot(&n, s->v[i].path) = s->v[i];
	n.n = s->n;
	free(s->v);
	*s = n;
	return 0;
}

int rec_set_add(struct rec_set *s, const char *path, unsigned access)
{
	struct rec_entry *e;

	if (strchr(path, '\n') || path[0] != '/')
		return 0;   /* not a path a reader builds; the line protocol could not carry it */
	if ((s->n + 1) * 2 > s->cap && grow(s))
		return -ENOMEM;
	e = slot(s, path);
	if (!e->path) {
		e->path = strdup(path);
		if (!e->path)
			return -ENOMEM;
		s->n++;
	}
	e->access |= access;
	return 0;
}

void rec_set_free(struct rec_set *s)
{
	size_t i;

	for (i = 0; i < s->cap; i++)
		free(s->v[i].path);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

struct child_rec {
	struct capture *c;
	struct rec_set set;
	int err;
};

static void child_recorder(void *arg, const char *path, unsigned access, const char *data, size_t len)
{
	struct child_rec *r = arg;
	int rc = rec_set_add(&r->set, path, access);

	if (!rc && (access & SR_RUN))
		rc = capture_stage_data(r->c, path, data, len);
	if (rc && !r->err)
		r->err = rc;
}

static int send_set(int fd, const struct rec_set *s)
{
	FILE *f = fdopen(fd, "w");
	size_t i;
	int rc = 0;

	if (!f)
		return -errno;
	for (i = 0; i < s->cap; i++)
		if (s->v[i].path)
			fprintf(f, "%u %s\n", s->v[i].access, s->v[i].path);
	if (fclose(f))
		rc = -errno;
	return rc;
}

static void __attribute__((noreturn)) child(struct capture *c, capture_cmd cmd, char **argv,
					   int pipe_fd, int out_fd, int err_fd)
{
	struct child_rec r = { .c = c };
	int argc = 0, code, rc, null = open("/dev/null", O_RDWR | O_CLOEXEC);

	while (argv[argc])
		argc++;
	if (null < 0 || dup2(out_fd >= 0 ? out_fd : null, STDOUT_FILENO) < 0 ||
	    dup2(err_fd, STDERR_FILENO) < 0 || dup2(null, STDIN_FILENO) < 0)
		_exit(127);
	sr_set_recorder(child_recorder, &r);
	optind = 0;   /* glibc: a full getopt reset for the command's own parsing */
	opterr = 1;
	err_clear();
	rc = cmd(argc, argv);
	/* As main() ends a command: its one error line, its exit code. */
	if (err_isset()) {
		fprintf(stderr, "vfio-pinctl: %s\n", err_message());
		code = err_exit_code();
	} else {
		code = rc > 0 ? rc : rc < 0 ? VP_EXIT_INTERNAL : VP_EXIT_OK;
	}
	fflush(stdout);
	fflush(stderr);
	sr_set_recorder(NULL, NULL);
	if (r.err || send_set(pipe_fd, &r.set))
		_exit(126);
	_exit(code & 0xff);
}

/* An unlinked temporary file in the stage's parent: a child's stdout or stderr. */
static int tmp_fd(const struct capture *c)
{
	char dir[256], *slash;
	int fd;

	snprintf(dir, sizeof(dir), "%s", c->stage);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	return fd < 0 ? -errno : fd;
}

static int slurp(int fd, char **out)
{
	FILE *f;
	char *buf = NULL;
	size_t len = 0;
	int rc = 0;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	f = fdopen(dup(fd), "r");
	if (!f)
		return -errno;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = strdup("");
		rc = buf ? 0 : -ENOMEM;
	}
	fclose(f);
	*out = buf;
	return rc;
}

static int read_set(int fd, struct rec_set *s)
{
	FILE *f = fdopen(fd, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;

	if (!f) {
		close(fd);
		return -errno;
	}
	while (!rc && (n = getline(&line, &cap, f)) > 0) {
		unsigned access;
		int pos = 0;

		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (sscanf(line, "%u %n", &access, &pos) == 1 && pos)
			rc = rec_set_add(s, line + pos, access);
	}
	free(line);
	fclose(f);
	return rc;
}

int capture_record(struct capture *c, capture_cmd cmd, char **argv, int *code,
		   char *err, size_t errsize, char **out)
{
	int pfd[2], efd, ofd = -1, status, rc;
	char *etext = NULL;
	pid_t pid;

	err[0] = '\0';
	efd = tmp_fd(c);
	if (efd < 0)
		return efd;
	if (out) {
		ofd = tmp_fd(c);
		if (ofd < 0) {
			close(efd);
			return ofd;
		}
	}
	if (pipe2(pfd, O_CLOEXEC)) {
		rc = -errno;
		goto out;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		close(pfd[0]);
		close(pfd[1]);
		goto out;
	}
	if (pid == 0) {
		close(pfd[0]);
		child(c, cmd, argv, pfd[1], ofd, efd);
	}
	close(pfd[1]);
	rc = read_set(pfd[0], &c->set);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			rc = -errno;
			goto out;
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 126 || WEXITSTATUS(status) == 127) {
		rc = rc ? rc : -ECHILD;   /* died, or could not send what it read */
		goto out;
	}
	*code = WEXITSTATUS(status);
	if (!slurp(efd, &etext)) {
		snprintf(err, errsize, "%.*s", (int)strcspn(etext, "\n"), etext);
		free(etext);
	}
	if (!rc && out)
		rc = slurp(ofd, out);
out:
	close(efd);
	if (ofd >= 0)
		close(ofd);
	return rc;
}
