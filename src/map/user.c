// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Making the mapping process look like an unprivileged VMM.
 *
 * --user: as libvirt does for QEMU, the VFIO fds are opened here as root;
 * a child then drops to the user (groups, gid, uid), loses every capability,
 * takes --memlock as its RLIMIT_MEMLOCK and runs the map session itself -
 * type1 charges the mm of the process that calls MAP_DMA.  The parent stays
 * root to read the child's pagemap and /proc/kpageflags for it, and renders.
 * They talk over a SOCK_SEQPACKET pair, one fixed-size message per packet.
 */
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/error.h"
#include "map/map.h"
#include "host/scan.h"
#include "lib/util.h"

enum msg_type {
	MSG_SCAN = 1,   /* child -> parent: classify [a, b) of my memory */
	MSG_PFNS,       /* child -> parent: classify pfns [a, a + b) */
	MSG_CLASSES,    /* parent -> child: the answer (rc, cb) */
	MSG_ROW,        /* child -> parent: rows[row] */
	MSG_EVENT,      /* child -> parent: state + a map_event */
	MSG_DONE,       /* child -> parent: exit code and error line */
};

struct msg {
	uint32_t type;
	int32_t rc;
	uint64_t a, b;
	int32_t row;
	int32_t event;
	struct class_bytes cb;
	struct map_row r;
	struct map_state st;
	char text[1024];
};

/* --- dropping privileges ----------------------------------------------------- */

static int set_memlock(uint64_t bytes)
{
	struct rlimit rl = { .rlim_cur = bytes, .rlim_max = bytes };

	if (setrlimit(RLIMIT_MEMLOCK, &rl)) {
		err_set(VP_EXIT_PERM, "cannot set RLIMIT_MEMLOCK to %llu bytes: %s",
			(unsigned long long)bytes, strerror(errno));
		return -errno;
	}
	return 0;
}

int map_limit_self(uint64_t memlock)
{
	cap_value_t v = CAP_IPC_LOCK;
	cap_t c;
	int rc = set_memlock(memlock);

	if (rc)
		return rc;
	/* type1 checks capable(CAP_IPC_LOCK) at MAP_DMA: without it the limit holds. */
	c = cap_get_proc();
	if (!c)
		return -errno;
	if (cap_set_flag(c, CAP_EFFECTIVE, 1, &v, CAP_CLEAR) ||
	    cap_set_flag(c, CAP_PERMITTED, 1, &v, CAP_CLEAR) ||
	    cap_set_flag(c, CAP_INHERITABLE, 1, &v, CAP_CLEAR) || cap_set_proc(c)) {
		rc = -errno;
		err_set(VP_EXIT_PERM, "cannot drop CAP_IPC_LOCK: %s", strerror(errno));
	}
	cap_free(c);
	return rc;
}

struct user_id {
	uid_t uid;
	gid_t gid;
	char name[64];
	bool named;
};

static int resolve_user(const char *user, struct user_id *u)
{
	struct passwd *pw = getpwnam(user);
	uint64_t n;

	if (pw) {
		u->uid = pw->pw_uid;
		u->gid = pw->pw_gid;
		u->named = true;
		str_copy(u->name, sizeof(u->name), pw->pw_name);
		return 0;
	}
	if (!parse_u64(user, &n) && n < 0xffffffffULL) {
		u->uid = (uid_t)n;
		u->gid = (gid_t)n;
		snprintf(u->name, sizeof(u->name), "%s", user);
		return 0;
	}
	err_set(VP_EXIT_USAGE, "no user '%s' (not in the passwd database, not a number)", user);
	return -ENOENT;
}

/* In the child: become the user, as an exec'd unprivileged VMM would be. */
static int become_user(const struct map_plan *p, const struct user_id *u)
{
	cap_t none;
	int rc = 0;

	/* Set before setuid: raising the hard limit needs CAP_SYS_RESOURCE. */
	if (p->memlock_set && set_memlock(p->memlock))
		return -EPERM;
	if ((u->named ? initgroups(u->name, u->gid) : setgroups(0, NULL)) || setgid(u->gid) ||
	    setuid(u->uid)) {
		rc = -errno;
		err_set(VP_EXIT_PERM, "cannot become user %s: %s", u->name, strerror(errno));
		return rc;
	}
	none = cap_init();
	if (!none || cap_set_proc(none)) {
		rc = -errno;
		err_set(VP_EXIT_PERM, "cannot drop the capabilities of user %s: %s", u->name, strerror(errno));
	}
	if (none)
		cap_free(none);
	/* An exec'd process is dumpable; so its /proc files belong to the user. */
	prctl(PR_SET_DUMPABLE, 1);
	return rc;
}

/* --- the child ----------------------------------------------------------------- */

static int send_msg(int sock, const struct msg *m)
{
	ssize_t n;

	do
		n = send(sock, m, sizeof(*m), MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(*m) ? 0 : -EPIPE;
}

static int recv_msg(int sock, struct msg *m)
{
	ssize_t n;

	do
		n = recv(sock, m, sizeof(*m), 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == (ssize_t)sizeof(*m) ? 0 : -EPIPE;
}

static int child_classify(int sock, uint32_t type, uint64_t a, uint64_t b, struct class_bytes *out)
{
	static struct msg m;
	int rc;

	memset(&m, 0, sizeof(m));
	m.type = type;
	m.a = a;
	m.b = b;
	rc = send_msg(sock, &m);
	if (!rc)
		rc = recv_msg(sock, &m);
	if (rc)
		return rc;
	if (m.type != MSG_CLASSES)
		return -EPROTO;
	if (!m.rc)
		class_add(out, &m.cb);
	return m.rc;
}

static int child_range(void *arg, uint64_t start, uint64_t end, struct class_bytes *out)
{
	return child_classify(*(int *)arg, MSG_SCAN, start, end, out);
}

static int child_pfns(void *arg, uint64_t pfn, uint64_t npages, struct class_bytes *out)
{
	return child_classify(*(int *)arg, MSG_PFNS, pfn, npages, out);
}

static int send_row(int sock, const struct map_report *r, int row)
{
	static struct msg m;

	memset(&m, 0, sizeof(m));
	m.type = MSG_ROW;
	m.row = row;
	m.r = r->rows[row];
	return send_msg(sock, &m);
}

static int child_event(void *arg, enum map_event ev, struct map_report *r, int row)
{
	static struct msg m;
	int sock = *(int *)arg, i, rc = 0;

	if (ev == ME_ROW)
		return send_row(sock, r, row);
	/* The plan and the end touch every row. */
	if (ev == ME_PLAN || ev == ME_END)
		for (i = 0; i < r->st.nrows && !rc; i++)
			rc = send_row(sock, r, i);
	if (rc)
		return rc;
	memset(&m, 0, sizeof(m));
	m.type = MSG_EVENT;
	m.event = ev;
	m.st = r->st;
	return send_msg(sock, &m);
}

static void child_main(int sock, const struct map_plan *p, struct backend *be, const struct user_id *u,
		       pid_t parent)
{
	static struct msg m;
	struct map_report r = { 0 };
	struct map_hooks h = { child_range, child_pfns, child_event, &sock };
	int rc;

	rc = become_user(p, u);
	/* Setting credentials cleared it: set the parent-death signal now. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(VP_EXIT_INTERNAL);
	if (!rc)
		rc = map_session(p, be, &r, &h);
	memset(&m, 0, sizeof(m));
	m.type = MSG_DONE;
	m.rc = err_isset() ? err_exit_code() : rc ? VP_EXIT_INTERNAL : 0;
	snprintf(m.text, sizeof(m.text), "%s", err_message() ? err_message() : rc ? strerror(-rc) : "");
	send_msg(sock, &m);
	map_report_free(&r);
	_exit(0);
}

/* --- the parent ---------------------------------------------------------------- */

struct parent {
	int sock;
	pid_t child;
	struct scan_ctx sc;
	bool scan_ok;
	struct map_report *r;
	const struct map_hooks *front;
	bool done;
};

static int answer(struct parent *pa, const struct msg *q)
{
	static struct msg m;

	memset(&m, 0, sizeof(m));
	m.type = MSG_CLASSES;
	if (!pa->scan_ok)
		m.rc = -EIO;
	else if (q->type == MSG_SCAN)
		m.rc = scan_range(&pa->sc, q->a, q->b, &m.cb);
	else
		m.rc = map_classify_pfns(&pa->sc.kpf, q->a, q->b, &m.cb);
	return send_msg(pa->sock, &m);
}

static int handle(struct parent *pa, const struct msg *m)
{
	struct map_report *r = pa->r;
	int rc;

	switch (m->type) {
	case MSG_SCAN:
	case MSG_PFNS:
		return answer(pa, m);
	case MSG_ROW:
		if (m->row < 0 || m->row >= MAP_MAX_REGIONS * MAP_MAX_REPEAT)
			return -EPROTO;
		rc = map_report_grow(r, (size_t)m->row + 1);
		if (rc)
			return rc;
		r->rows[m->row] = m->r;
		return 0;
	case MSG_EVENT:
		r->st = m->st;
		return pa->front->event ? pa->front->event(pa->front->arg, m->event, r, -1) : 0;
	case MSG_DONE:
		pa->done = true;
		if (m->rc)
			err_set(m->rc, "%s", m->text);
		return 0;
	}
	return -EPROTO;
}

static int parent_loop(struct parent *pa)
{
	static struct msg m;
	sigset_t block, open_mask;
	struct pollfd pfd = { .fd = pa->sock, .events = POLLIN };
	int forwarded = 0, rc = 0;

	/* Signals arrive only inside ppoll, so none is missed between check and wait. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &open_mask);
	sigdelset(&open_mask, SIGINT);
	sigdelset(&open_mask, SIGTERM);
	while (!pa->done && !rc) {
		if (map_stop_signal && forwarded != map_stop_signal) {
			forwarded = map_stop_signal;
			kill(pa->child, forwarded);   /* the child holds the mappings: it unmaps */
		}
		if (ppoll(&pfd, 1, NULL, &open_mask) < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		rc = recv_msg(pa->sock, &m);
		if (rc)
			break;
		rc = handle(pa, &m);
	}
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	return rc;
}

int map_user_run(const struct map_plan *p, struct backend *be, struct map_report *r,
		 const struct map_hooks *front)
{
	struct parent pa = { .r = r, .front = front };
	struct user_id u = { 0 };
	char pid[24];
	int sv[2], rc, status = 0;
	pid_t parent = getpid();

	rc = resolve_user(p->user, &u);
	if (rc)
		return rc;
	if (geteuid() != 0) {
		err_set(VP_EXIT_PERM, "--user needs root: vfio-pinctl opens the VFIO fds as root, then drops to %s", u.name);
		return -EPERM;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return -errno;
	fflush(NULL);
	pa.child = fork();
	if (pa.child < 0) {
		rc = -errno;
		close(sv[0]);
		close(sv[1]);
		return rc;
	}
	if (pa.child == 0) {
		close(sv[0]);
		child_main(sv[1], p, be, &u, parent);
	}
	close(sv[1]);
	pa.sock = sv[0];
	snprintf(pid, sizeof(pid), "%d", (int)pa.child);
	/* Opened while the child is still root; the fd keeps reading its mm. */
	pa.scan_ok = scan_open(&pa.sc, pid, NULL) == 0;
	rc = parent_loop(&pa);
	close(pa.sock);
	while (waitpid(pa.child, &status, 0) < 0 && errno == EINTR)
		;
	if (pa.scan_ok)
		scan_close(&pa.sc);
	if (!pa.done && !err_isset()) {
		if (WIFSIGNALED(status))
			err_set(VP_EXIT_INTERNAL, "the --user child died from signal %d before it finished; its mappings died with it",
				WTERMSIG(status));
		else
			err_set(VP_EXIT_INTERNAL, "the --user child stopped talking (%s)", strerror(rc ? -rc : EPIPE));
		return rc ? rc : -EPIPE;
	}
	return rc;
}
