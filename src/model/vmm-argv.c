// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Argument vectors (a /proc/PID/cmdline buffer or one shell-quoted line) and the
 * value syntaxes QEMU options take: QemuOpts/keyval "a=b,c=d" and the flat JSON
 * objects libvirt passes to -object, -device and -blockdev.  Pure: buffers in,
 * strings out.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/error.h"
#include "model/vmm.h"

/* ---- argv ---- */

static int argv_index(struct vmm_argv *a, size_t nargs)
{
	a->argv = calloc(nargs + 1, sizeof(*a->argv));
	return a->argv ? 0 : -ENOMEM;
}

/* NUL-separated: every argument ends with a NUL; a last one without it is kept. */
static int split_nul(const char *buf, size_t len, struct vmm_argv *a)
{
	size_t i, n = 0, start = 0;
	int rc;

	a->store = malloc(len + 1);
	if (!a->store)
		return -ENOMEM;
	memcpy(a->store, buf, len);
	a->store[len] = '\0';
	for (i = 0; i < len; i++)
		n += buf[i] == '\0';
	if (len && buf[len - 1] != '\0')
		n++;
	rc = argv_index(a, n);
	if (rc)
		return rc;
	for (i = 0; i <= len && start < len; i++) {
		if (i < len && a->store[i])
			continue;
		a->argv[a->argc++] = a->store + start;
		start = i + 1;
	}
	return 0;
}

enum sh_state { SH_SPACE, SH_WORD, SH_SQ, SH_DQ };

/* One shell word step; returns the next state.  *o is the output cursor. */
static enum sh_state sh_step(enum sh_state st, const char *s, size_t *i, size_t len, char **o)
{
	char ch = s[*i];

	switch (st) {
	case SH_SQ:
		if (ch == '\'')
			return SH_WORD;
		*(*o)++ = ch;
		return SH_SQ;
	case SH_DQ:
		if (ch == '"')
			return SH_WORD;
		/* Inside "...", backslash escapes only $ ` " \ and newline (POSIX 2.2.3). */
		if (ch == '\\' && *i + 1 < len && strchr("$`\"\\\n", s[*i + 1])) {
			(*i)++;
			if (s[*i] != '\n')
				*(*o)++ = s[*i];
			return SH_DQ;
		}
		*(*o)++ = ch;
		return SH_DQ;
	default:
		break;
	}
	if (ch == '\'')
		return SH_SQ;
	if (ch == '"')
		return SH_DQ;
	if (ch == '\\' && *i + 1 < len) {
		(*i)++;
		if (s[*i] == '\n')     /* line continuation */
			return st;
		*(*o)++ = s[*i];
		return SH_WORD;
	}
	*(*o)++ = ch;
	return SH_WORD;
}

static int sh_finish(enum sh_state st)
{
	if (st == SH_SQ || st == SH_DQ) {
		err_set(VP_EXIT_SYSROOT, "command line ends inside a %s-quoted string: the line is truncated or its quotes are unbalanced",
			st == SH_SQ ? "single" : "double");
		return -EINVAL;
	}
	return 0;
}

static int split_shell(const char *s, size_t len, struct vmm_argv *a)
{
	enum sh_state st = SH_SPACE;
	size_t i, n = 0;
	char *o;
	int rc;

	/* Each word is at most as long as the text plus its NUL. */
	a->store = malloc(2 * len + 2);
	if (!a->store)
		return -ENOMEM;
	rc = argv_index(a, len / 2 + 1);
	if (rc)
		return rc;
	o = a->store;
	for (i = 0; i < len; i++) {
		if ((st == SH_SPACE || st == SH_WORD) && strchr(" \t\n\r", s[i])) {
			if (st == SH_WORD) {
				*o++ = '\0';
				st = SH_SPACE;
			}
			continue;
		}
		if (st == SH_SPACE && s[i] == '#') {
			while (i < len && s[i] != '\n')
				i++;
			continue;
		}
		if (st == SH_SPACE) {
			if (s[i] == '\\' && i + 1 < len && s[i + 1] == '\n') {
				i++;
				continue;
			}
			a->argv[n++] = o;
			st = SH_WORD;
		}
		st = sh_step(st, s, &i, len, &o);
	}
	*o = '\0';
	a->argc = (int)n;
	return sh_finish(st);
}

int vmm_argv_split(const char *buf, size_t len, struct vmm_argv *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	rc = memchr(buf, '\0', len) ? split_nul(buf, len, out) : split_shell(buf, len, out);
	if (rc == 0 && out->argc == 0) {
		err_set(VP_EXIT_SYSROOT, "the command line is empty: give a VMM's /proc/PID/cmdline or its command as one line");
		rc = -EINVAL;
	}
	if (rc == -ENOMEM)
		err_set(VP_EXIT_INTERNAL, "out of memory splitting a command line");
	if (rc)
		vmm_argv_free(out);
	return rc;
}

void vmm_argv_free(struct vmm_argv *a)
{
	free(a->argv);
	free(a->store);
	memset(a, 0, sizeof(*a));
}

/* ---- QEMU option values ---- */

static int kv_add(struct vmm_kv *kv, const char *k, const char *v, const char **why)
{
	if (kv->n >= VMM_KV_MAX) {
		*why = "more properties than vfio-pinctl reads (64)";
		return -EINVAL;
	}
	kv->key[kv->n] = k;
	kv->val[kv->n] = v;
	kv->n++;
	return 0;
}

/*
 * QemuOpts/keyval: elements split at ',' with ",," a literal comma (in keys and
 * values alike: util/qemu-option.c get_opt_value, util/keyval.c).
 */
static int kv_keyval(char *s, const char *implied, struct vmm_kv *kv, const char **why)
{
	char *r = s, *w = s, *elem, *eq;
	int first = 1, rc;

	while (*r) {
		elem = w;
		while (*r && !(*r == ',' && r[1] != ',')) {
			if (*r == ',')   /* ",," */
				r++;
			*w++ = *r++;
		}
		if (*r == ',')
			r++;
		*w++ = '\0';
		eq = strchr(elem, '=');
		if (eq) {
			*eq = '\0';
			rc = kv_add(kv, elem, eq + 1, why);
		} else if (first && implied) {
			rc = kv_add(kv, implied, elem, why);
		} else if (*elem) {
			rc = kv_add(kv, elem, "on", why);   /* QemuOpts: a bare flag is flag=on */
		} else {
			rc = 0;
		}
		if (rc)
			return rc;
		first = 0;
	}
	return 0;
}

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static int utf8_put(char **w, unsigned cp)
{
	char *o = *w;

	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xc0 | cp >> 6);
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (char)(0xe0 | cp >> 12);
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	}
	*w = o;
	return 0;
}

/* A JSON string at *pp (past its opening quote), unescaped in place into *w. */
static int json_string(char **pp, char **w, const char **why)
{
	char *p = *pp, *o = *w;
	unsigned cp;
	char hex[5];

	for (; *p && *p != '"'; p++) {
		if ((unsigned char)*p < 0x20) {
			*why = "a control character inside a JSON string";
			return -EINVAL;
		}
		if (*p != '\\') {
			*o++ = *p;
			continue;
		}
		p++;
		switch (*p) {
		case '"': case '\\': case '/': *o++ = *p; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u':
			if (strspn(p + 1, "0123456789abcdefABCDEF") < 4) {
				*why = "a bad \\u escape in a JSON string";
				return -EINVAL;
			}
			memcpy(hex, p + 1, 4);
			hex[4] = '\0';
			cp = (unsigned)strtoul(hex, NULL, 16);
			if (cp == 0) {
				*why = "a \\u0000 in a JSON string";
				return -EINVAL;
			}
			utf8_put(&o, cp);   /* surrogate halves kept as such: only compared, never printed raw */
			p += 4;
			break;
		default:
			*why = "a bad escape in a JSON string";
			return -EINVAL;
		}
	}
	if (*p != '"') {
		*why = "the JSON object ends inside a string (truncated?)";
		return -EINVAL;
	}
	*o++ = '\0';
	*pp = p + 1;
	*w = o;
	return 0;
}

/* Skip a nested array or object (depth-counted, strings respected). */
static int json_skip_nested(char **pp, const char **why)
{
	char *p = *pp, *scratch;
	int depth = 0;

	do {
		if (*p == '{' || *p == '[') {
			if (++depth > 32) {
				*why = "JSON nested deeper than 32 levels";
				return -EINVAL;
			}
		} else if (*p == '}' || *p == ']') {
			depth--;
		} else if (*p == '"') {
			p++;
			scratch = p;   /* unescape over itself: the text is ours */
			if (json_string(&p, &scratch, why))
				return -EINVAL;
			continue;
		} else if (!*p) {
			*why = "the JSON object ends early (truncated?)";
			return -EINVAL;
		}
		p++;
	} while (depth > 0);
	*pp = p;
	return 0;
}

/* A scalar value: a string, number, true/false/null.  *val NULL for null/nested. */
static int json_value(char **pp, char **w, const char **val, const char **why)
{
	char *p = *pp;
	size_t n;

	*val = NULL;
	if (*p == '"') {
		*val = *w;
		*pp = p + 1;
		return json_string(pp, w, why);
	}
	if (*p == '{' || *p == '[')
		return json_skip_nested(pp, why);
	if (!strncmp(p, "true", 4) || !strncmp(p, "false", 5) || !strncmp(p, "null", 4)) {
		*val = *p == 't' ? "on" : *p == 'f' ? "off" : NULL;
		*pp = p + (*p == 'f' ? 5 : 4);
		return 0;
	}
	n = strspn(p, "-+0123456789.eE");
	if (!n) {
		*why = "a JSON value that is not a string, number, true, false or null";
		return -EINVAL;
	}
	/* Copy the number out: its terminator lives in the output area, not the input. */
	*val = *w;
	memmove(*w, p, n);
	(*w)[n] = '\0';
	*w += n + 1;
	*pp = p + n;
	return 0;
}

static int kv_json(char *s, struct vmm_kv *kv, const char **why)
{
	char *p = (char *)skip_ws(s) + 1, *out, *key;
	const char *val;
	int rc;

	/* Output strings go to a second area: unescaping keys and values never
	 * overtakes the read cursor, but numbers need room for a NUL. */
	out = kv->store + strlen(s) + 1;
	p = (char *)skip_ws(p);
	if (*p == '}')
		return 0;
	for (;;) {
		if (*p != '"') {
			*why = "a JSON member name must be a string";
			return -EINVAL;
		}
		key = out;
		p++;
		if (json_string(&p, &out, why))
			return -EINVAL;
		p = (char *)skip_ws(p);
		if (*p != ':') {
			*why = "a JSON member without ':'";
			return -EINVAL;
		}
		p = (char *)skip_ws(p + 1);
		if (json_value(&p, &out, &val, why))
			return -EINVAL;
		if (val) {
			rc = kv_add(kv, key, val, why);
			if (rc)
				return rc;
		}
		p = (char *)skip_ws(p);
		if (*p == ',') {
			p = (char *)skip_ws(p + 1);
			continue;
		}
		if (*p == '}')
			break;
		*why = *p ? "a JSON object with ',' or '}' missing" : "the JSON object ends early (truncated?)";
		return -EINVAL;
	}
	if (*skip_ws(p + 1)) {
		*why = "text after the JSON object";
		return -EINVAL;
	}
	return 0;
}

int vmm_kv_parse(const char *text, const char *implied, struct vmm_kv *kv, const char **why)
{
	size_t n = strlen(text);
	int rc;

	memset(kv, 0, sizeof(*kv));
	*why = "";
	/* Room for the text, then a second copy's worth for JSON output. */
	kv->store = malloc(2 * n + 2);
	if (!kv->store) {
		*why = "out of memory";
		return -ENOMEM;
	}
	memcpy(kv->store, text, n + 1);
	if (*skip_ws(kv->store) == '{')
		rc = kv_json(kv->store, kv, why);
	else
		rc = kv_keyval(kv->store, implied, kv, why);
	if (rc)
		vmm_kv_free(kv);
	return rc;
}

/* '-' and '_' alike: QEMU 7.2 takes -machine default_bus_bypass_iommu= and
 * default-bus-bypass-iommu= both (checked with qom-get), and no property pair
 * differs only by them. */
static int key_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (*a != *b && !((*a == '-' || *a == '_') && (*b == '-' || *b == '_')))
			return 0;
	return *a == *b;
}

const char *vmm_kv_get(const struct vmm_kv *kv, const char *key)
{
	int i;

	/* The last setting wins, as QemuOpts and keyval merge repeated keys. */
	for (i = kv->n - 1; i >= 0; i--)
		if (key_eq(kv->key[i], key))
			return kv->val[i];
	return NULL;
}

void vmm_kv_free(struct vmm_kv *kv)
{
	free(kv->store);
	memset(kv, 0, sizeof(*kv));
}

int vmm_parse_bool(const char *s)
{
	static const char *const on[] = { "on", "yes", "true", "y" };
	static const char *const off[] = { "off", "no", "false", "n" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (!strcmp(s, on[i]))
			return 1;
		if (!strcmp(s, off[i]))
			return 0;
	}
	return -EINVAL;
}

static int suffix_shift(char c)
{
	static const char units[] = "BKMGTPE";
	const char *u = c ? strchr(units, toupper((unsigned char)c)) : NULL;

	return u ? 10 * (int)(u - units) : -1;
}

/* n * 2^shift + floor(frac/10^digits * 2^shift), checked for overflow. */
static int size_combine(uint64_t n, uint64_t frac, unsigned digits, int shift, uint64_t *out)
{
	unsigned __int128 v = (unsigned __int128)n << shift, f = (unsigned __int128)frac << shift;

	while (digits--)
		f /= 10;
	v += f;
	if (n > (UINT64_MAX >> shift) || v > UINT64_MAX)
		return -ERANGE;
	*out = (uint64_t)v;
	return 0;
}

int vmm_qemu_size(const char *s, char default_suffix, uint64_t *out)
{
	uint64_t n = 0, frac = 0;
	unsigned digits = 0;
	const char *p = s;
	char *end;
	int shift;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	if (!strncasecmp(s, "0x", 2)) {
		/* Hexadecimal, no fraction; QEMU 7.2 still takes a K/M/G/T/P suffix
		 * after it (with a deprecation warning), B and E being hex digits. */
		errno = 0;
		n = strtoull(s, &end, 16);
		if (errno || end == s + 2)
			return errno ? -ERANGE : -EINVAL;
		shift = suffix_shift(*end);
		if (shift > 0)
			end++;
		if (*end)
			return -EINVAL;
		return size_combine(n, 0, 0, shift > 0 ? shift : 0, out);
	}
	for (; isdigit((unsigned char)*p); p++) {
		if (n > (UINT64_MAX - 9) / 10)
			return -ERANGE;
		n = n * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++)
			if (digits < 18) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				digits++;
			}
	}
	shift = suffix_shift(*p);
	if (shift >= 0)
		p++;
	else
		shift = suffix_shift(default_suffix);
	if (*p || shift < 0)
		return -EINVAL;
	if (shift == 0 && frac)   /* "1.5" bytes: QEMU refuses a fraction of a byte */
		return -EINVAL;
	return size_combine(n, frac, digits, shift, out);
}

const char *vmm_printable(const char *s, char *buf, size_t size)
{
	size_t i;

	for (i = 0; s && s[i] && i + 1 < size; i++)
		buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	buf[i] = '\0';
	return buf;
}

int vmm_norm_bdf(const char *s, char *out, size_t size)
{
	unsigned dom = 0, bus, dev, fn;
	char tail;

	/* at most "dddd:bb:dd.f" with some leading zeros: sscanf %x must not overflow */
	if (strlen(s) > 16 || strspn(s, "0123456789abcdefABCDEF:.") != strlen(s))
		return -EINVAL;
	if (sscanf(s, "%x:%x:%x.%x%c", &dom, &bus, &dev, &fn, &tail) != 4) {
		dom = 0;
		if (sscanf(s, "%x:%x.%x%c", &bus, &dev, &fn, &tail) != 3)
			return -EINVAL;
	}
	if (dom > 0xffff || bus > 0xff || dev > 0x1f || fn > 7)
		return -EINVAL;
	snprintf(out, size, "%04x:%02x:%02x.%x", dom, bus, dev, fn);
	return 0;
}

/* ---- either kind of command line ---- */

static int is_qemu(const char *prog)
{
	const char *base = strrchr(prog, '/');

	base = base ? base + 1 : prog;
	/* qemu-system-x86_64, qemu-kvm (RHEL's /usr/libexec/qemu-kvm), kata's too */
	return !strncmp(base, "qemu", 4);
}

/*
 * A DPDK application: named so (dpdk-testpmd, testpmd, dpdk-*), or carrying an
 * option only EAL takes before "--".  Anything else is not a VMM we read.
 */
static int is_dpdk(int argc, char *const argv[])
{
	static const char *const eal[] = { "-l", "-c", "--lcores", "-a", "-w", "--allow",
		"--socket-mem", "--iova-mode", "--in-memory", "--no-huge", "--file-prefix",
		"--proc-type", "--huge-dir", "--legacy-mem", "--vfio-intr", "--base-virtaddr" };
	const char *base = strrchr(argv[0], '/');
	size_t k, n;
	int i;

	base = base ? base + 1 : argv[0];
	if (strstr(base, "dpdk") || strstr(base, "testpmd"))
		return 1;
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		for (k = 0; k < sizeof(eal) / sizeof(eal[0]); k++) {
			n = strlen(eal[k]);
			/* "-l 0", "-l0" (a digit: "ls -la" is no EAL), "--socket-mem=64" */
			if (strncmp(argv[i], eal[k], n))
				continue;
			/* a short one bare takes a number next ("-l 0-1"): "ls -l /tmp" is no EAL */
			if (!argv[i][n] && eal[k][1] != '-' && !strchr("aw", eal[k][1]) &&
			    (i + 1 >= argc || !isdigit((unsigned char)argv[i + 1][0])))
				continue;
			if (!argv[i][n] || argv[i][n] == '=' ||
			    (eal[k][1] != '-' && isdigit((unsigned char)argv[i][n])))
				return 1;
		}
	}
	return 0;
}

int vmm_cmdline_parse(const char *buf, size_t len, struct vmm_config *c)
{
	struct vmm_argv a;
	int rc;

	memset(c, 0, sizeof(*c));
	rc = vmm_argv_split(buf, len, &a);
	if (rc)
		return rc;
	if (is_qemu(a.argv[0])) {
		rc = vmm_qemu_parse(a.argc, a.argv, c);
	} else if (is_dpdk(a.argc, a.argv)) {
		rc = vmm_dpdk_parse(a.argc, a.argv, c);
	} else {
		char p[64];

		err_set(VP_EXIT_SYSROOT, "'%s' is not a VMM vfio-pinctl reads: neither a QEMU (qemu-system-*, qemu-kvm) nor a DPDK application (no EAL option)",
			vmm_printable(a.argv[0], p, sizeof(p)));
		rc = -ENOEXEC;
	}
	vmm_argv_free(&a);
	return rc;
}
