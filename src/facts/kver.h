/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A kernel release as numbers: the rules that changed with a version compare against it. */
#ifndef VP_FACTS_KVER_H
#define VP_FACTS_KVER_H

/* Kernel release "6.12.117+deb12-amd64" -> 6, 12, 117. */
struct kver {
	int major, minor, patch;
};

static inline int kver_cmp(const struct kver *a, int major, int minor)
{
	if (a->major != major)
		return a->major < major ? -1 : 1;
	if (a->minor != minor)
		return a->minor < minor ? -1 : 1;
	return 0;
}

#endif
