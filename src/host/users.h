/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Accounts: live through NSS (getpwnam, getgrouplist), in a captured tree
 * from its /etc/passwd and /etc/group, parsed by glibc's fgetpwent/fgetgrent
 * (the files a tree holds are what NSS "files" reads on that host).
 */
#ifndef VP_HOST_USERS_H
#define VP_HOST_USERS_H

#include <stddef.h>

#include "facts/target.h"

/* 0, -ENOENT (no such user), or -errno reading the tree's /etc/passwd. */
int user_by_name(const char *name, struct user_facts *u);
/* The user or group name of an id; the number when there is none. */
void uid_name(unsigned uid, char *buf, size_t size);
void gid_name(unsigned gid, char *buf, size_t size);

#endif
