// SPDX-License-Identifier: GPL-2.0-or-later
/* Accounts: NSS live; the tree's /etc/passwd and /etc/group through fgetpwent/fgetgrent. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "host/sysroot.h"
#include "host/users.h"
#include "lib/util.h"

static int user_live(const char *name, struct user_facts *u)
{
	struct passwd *pw = getpwnam(name);
	gid_t gids[TARGET_MAX_GROUPS];
	int n = TARGET_MAX_GROUPS, i;

	/* NSS reads these past the seam; a replay reads them with user_files(). */
	sr_note("/etc/passwd", SR_READ);
	sr_note("/etc/group", SR_READ);
	if (!pw)
		return -ENOENT;
	str_copy(u->name, sizeof(u->name), pw->pw_name);
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	if (getgrouplist(pw->pw_name, pw->pw_gid, gids, &n) < 0)
		n = TARGET_MAX_GROUPS;
	for (i = 0; i < n; i++) {
		struct group *gr = getgrgid(gids[i]);

		u->gids[i] = gids[i];
		str_copy(u->gnames[i], sizeof(u->gnames[i]), gr ? gr->gr_name : "");
	}
	u->ngroups = (size_t)n;
	return 0;
}

static bool is_member(const struct group *gr, const char *name)
{
	char **m;

	for (m = gr->gr_mem; m && *m; m++)
		if (!strcmp(*m, name))
			return true;
	return false;
}

/* The tree's /etc/group: the primary group and every group listing the user. */
static void groups_files(struct user_facts *u)
{
	FILE *f = sr_fopen("/etc/group");
	struct group *gr;

	if (!f)
		return;
	while ((gr = fgetgrent(f)) && u->ngroups < TARGET_MAX_GROUPS) {
		if (gr->gr_gid != u->gid && !is_member(gr, u->name))
			continue;
		u->gids[u->ngroups] = gr->gr_gid;
		str_copy(u->gnames[u->ngroups++], sizeof(u->gnames[0]), gr->gr_name);
	}
	fclose(f);
}

static int user_files(const char *name, struct user_facts *u)
{
	FILE *f = sr_fopen("/etc/passwd");
	struct passwd *pw;
	bool found = false;

	if (!f)
		return -errno;
	while (!found && (pw = fgetpwent(f))) {
		if (strcmp(pw->pw_name, name))
			continue;
		found = true;
		str_copy(u->name, sizeof(u->name), pw->pw_name);
		u->uid = pw->pw_uid;
		u->gid = pw->pw_gid;
	}
	fclose(f);
	if (!found)
		return -ENOENT;
	groups_files(u);
	return 0;
}

int user_by_name(const char *name, struct user_facts *u)
{
	memset(u, 0, sizeof(*u));
	return sr_live() ? user_live(name, u) : user_files(name, u);
}

static void uid_name_files(unsigned uid, char *buf, size_t size)
{
	FILE *f = sr_fopen("/etc/passwd");
	struct passwd *pw;

	if (!f)
		return;
	while ((pw = fgetpwent(f)))
		if (pw->pw_uid == uid) {
			str_copy(buf, size, pw->pw_name);
			break;
		}
	fclose(f);
}

void uid_name(unsigned uid, char *buf, size_t size)
{
	struct passwd *pw;

	snprintf(buf, size, "%u", uid);
	if (!sr_live()) {
		uid_name_files(uid, buf, size);
		return;
	}
	sr_note("/etc/passwd", SR_READ);   /* NSS, past the seam: for capture */
	pw = getpwuid(uid);
	if (pw)
		str_copy(buf, size, pw->pw_name);
}

void gid_name(unsigned gid, char *buf, size_t size)
{
	struct group *gr = NULL;
	FILE *f;

	snprintf(buf, size, "%u", gid);
	if (sr_live()) {
		sr_note("/etc/group", SR_READ);   /* NSS, past the seam: for capture */
		gr = getgrgid(gid);
		if (gr)
			str_copy(buf, size, gr->gr_name);
		return;
	}
	f = sr_fopen("/etc/group");
	if (!f)
		return;
	while ((gr = fgetgrent(f)))
		if (gr->gr_gid == gid) {
			str_copy(buf, size, gr->gr_name);
			break;
		}
	fclose(f);
}
