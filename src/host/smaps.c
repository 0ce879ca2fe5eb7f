// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "host/smaps.h"
#include "host/sysroot.h"
#include "lib/util.h"

bool vma_flag(const struct vma *v, const char *mnemonic)
{
	return has_word(v->vmflags, mnemonic);
}

bool vma_is_pfnmap(const struct vma *v)
{
	/* walk_page_test() sends VM_PFNMAP vmas to pte_hole: pagemap shows nothing. */
	return vma_flag(v, "pf") || vma_flag(v, "io");
}

bool vma_is_hugetlb(const struct vma *v)
{
	return vma_flag(v, "ht");
}

bool vma_is_vfio_device(const struct vma *v)
{
	return !strcmp(v->path, "anon_inode:[vfio-device]") ||
	       !strncmp(v->path, "/dev/vfio/devices/vfio", 22);
}

uint64_t vma_size(const struct vma *v)
{
	return v->end - v->start;
}

static bool is_hex(char c)
{
	return isxdigit((unsigned char)c);
}

int smaps_parse_header(const char *line, struct vma *v)
{
	unsigned long long start, end, off, ino;
	unsigned maj, min;
	char perms[8];
	int pos = 0;
	const char *path;
	size_t n;

	if (!is_hex(line[0]))
		return -EINVAL;
	if (sscanf(line, "%llx-%llx %7s %llx %x:%x %llu%n", &start, &end, perms,
		   &off, &maj, &min, &ino, &pos) != 7 || pos == 0)
		return -EINVAL;
	if (end < start || strlen(perms) != 4)
		return -EINVAL;
	memset(v, 0, sizeof(*v));
	v->start = start;
	v->end = end;
	v->offset = off;
	memcpy(v->perms, perms, 5);
	v->dev_major = maj;
	v->dev_minor = min;
	v->inode = ino;
	path = line + pos;
	while (*path == ' ' || *path == '\t')
		path++;
	n = strcspn(path, "\n");
	if (n >= sizeof(v->path))
		n = sizeof(v->path) - 1;
	memcpy(v->path, path, n);
	v->path[n] = '\0';
	return 0;
}

/*
 * "Key:   1234 kB".  strtoull, not sscanf: a process with 100 000 vmas has
 * 2.5 million smaps lines, and sscanf was a tenth of inspect's time there.
 * The same numbers as sscanf's " %llu": leading blanks, a sign, digits.
 */
static int field_kb(const char *line, const char *key, uint64_t *out)
{
	const char *p = skip_prefix(line, key);
	unsigned long long kb;
	char *end;

	if (!p)
		return 0;
	errno = 0;
	kb = strtoull(p, &end, 10);
	if (end == p || (errno && errno != ERANGE))
		return 0;
	*out = kb;
	return 1;
}

/* A vma header starts "hex-hex " ; field lines start "Key:". */
static bool is_header(const char *line)
{
	const char *p = line;

	while (is_hex(*p))
		p++;
	if (p == line || *p != '-')
		return false;
	line = ++p;
	while (is_hex(*p))
		p++;
	return p != line && *p == ' ';
}

int smaps_parse_field(const char *line, struct vma *v)
{
	const char *p = skip_prefix(line, "VmFlags:");
	size_t n;

	if (p) {
		while (*p == ' ')
			p++;
		n = strcspn(p, "\n");
		while (n && p[n - 1] == ' ')
			n--;
		if (n >= sizeof(v->vmflags))
			n = sizeof(v->vmflags) - 1;
		memcpy(v->vmflags, p, n);
		v->vmflags[n] = '\0';
		v->has_vmflags = true;
		return 1;
	}
	/* By first letter: most of the ~25 lines a vma are none of these. */
	switch (line[0]) {
	case 'R': field_kb(line, "Rss:", &v->rss_kb); break;
	case 'L': field_kb(line, "Locked:", &v->locked_kb); break;
	case 'A': field_kb(line, "AnonHugePages:", &v->anon_huge_kb); break;
	case 'S': field_kb(line, "Swap:", &v->swap_kb); break;
	case 'K': field_kb(line, "KernelPageSize:", &v->kernel_page_kb); break;
	case 'M': field_kb(line, "MMUPageSize:", &v->mmu_page_kb); break;
	}
	return 0;
}

int smaps_open(struct smaps_reader *r, const char *pid)
{
	char path[64];

	memset(r, 0, sizeof(*r));
	snprintf(path, sizeof(path), "/proc/%s/smaps", pid);
	r->f = sr_fopen(path);
	return r->f ? 0 : -errno;
}

static int read_line(struct smaps_reader *r)
{
	ssize_t n;

	errno = 0;
	n = getline(&r->line, &r->cap, r->f);
	if (n < 0)
		return errno ? -errno : 0;
	r->lineno++;
	return 1;
}

int smaps_next(struct smaps_reader *r, struct vma *v)
{
	int rc;

	if (!r->have_header) {
		rc = read_line(r);
		if (rc <= 0)
			return rc;
	}
	r->have_header = false;
	if (smaps_parse_header(r->line, v))
		return -EBADMSG;
	for (;;) {
		rc = read_line(r);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return 1;  /* old kernels without VmFlags: end of file ends the vma */
		if (is_header(r->line)) {
			r->have_header = true;
			return 1;
		}
		if (smaps_parse_field(r->line, v) == 1)
			return 1;
	}
}

void smaps_close(struct smaps_reader *r)
{
	if (r->f)
		fclose(r->f);
	free(r->line);
	memset(r, 0, sizeof(*r));
}
