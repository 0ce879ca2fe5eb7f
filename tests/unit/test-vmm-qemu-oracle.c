// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The QEMU reader against QEMU itself: Debian's qemu-system-x86_64 (installed
 * by tests/install-deps.sh) is started stopped (-S, TCG, no display) with a
 * command line, asked over QMP what guest RAM it made (query-memory-size-summary)
 * and how it set a backend (qom-get), and must agree with what model/vmm-qemu.c
 * read from the same line -- including which lines QEMU refuses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/error.h"
#include "model/vmm.h"

#define QEMU "qemu-system-x86_64"
#define BASE "qemu-system-x86_64 -S -display none -nodefaults -machine q35 -accel tcg -qmp stdio "

struct qemu_run {
	int status;          /* exit status */
	char out[65536];     /* QMP replies and stderr */
};

/* Run QEMU with the words of `line` (split as the reader splits it), feed it QMP. */
static void run_qemu(const char *line, const char *qmp, struct qemu_run *r)
{
	struct vmm_argv a;
	int in[2], out[2];
	size_t used = 0;
	ssize_t n;
	pid_t pid;

	assert_int_equal(vmm_argv_split(line, strlen(line), &a), 0);
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(out[1], 2);
		close(in[1]);
		close(out[0]);
		alarm(30);
		execvp(a.argv[0], a.argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	if (write(in[1], qmp, strlen(qmp)) < 0)
		fail_msg("cannot talk QMP to " QEMU);
	close(in[1]);
	while (used + 1 < sizeof(r->out) && (n = read(out[0], r->out + used, sizeof(r->out) - 1 - used)) > 0)
		used += (size_t)n;
	r->out[used] = '\0';
	close(out[0]);
	assert_int_equal(waitpid(pid, &r->status, 0), pid);
	vmm_argv_free(&a);
	if (WIFEXITED(r->status) && WEXITSTATUS(r->status) == 127)
		fail_msg(QEMU " is not installed: tests/install-deps.sh installs qemu-system-x86");
}

static unsigned long long qmp_number(const struct qemu_run *r, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\": ", key);
	p = strstr(r->out, pat);
	if (!p)
		fail_msg("QEMU did not answer %s: %.400s", key, r->out);
	return strtoull(p + strlen(pat), NULL, 10);
}

#define MEMQ "{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"query-memory-size-summary\"}\n"
#define QUIT "{\"execute\":\"quit\"}\n"

/* QEMU's base memory (and plugged DIMMs) for these options equals ours. */
static void ram_as_qemu_makes_it(void **state)
{
	static const char *const lines[] = {
		"-m 256", "-m 4097k", "-m size=1.5G", "-m 0", "", "-m ''", "-m 0x10", "-m 1G,slots=2,maxmem=4G",
		"-m size=1048576k",
		"-object '{\"qom-type\":\"memory-backend-ram\",\"id\":\"pc.ram\",\"size\":67108864}' "
		"-machine memory-backend=pc.ram",
		"-m 1G,slots=2,maxmem=4G -object memory-backend-ram,id=d0,size=512M -device pc-dimm,id=dimm0,memdev=d0",
	};
	static struct qemu_run r;
	static struct vmm_config c;
	char line[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		snprintf(line, sizeof(line), BASE "%s", lines[i]);
		err_clear();
		assert_int_equal(vmm_cmdline_parse(line, strlen(line), &c), 0);
		run_qemu(line, MEMQ QUIT, &r);
		if (qmp_number(&r, "base-memory") != c.ram_bytes)
			fail_msg("'%s': QEMU made %llu bytes of RAM, we read %llu", lines[i],
				 qmp_number(&r, "base-memory"), (unsigned long long)c.ram_bytes);
		if (c.dimm_bytes)
			assert_int_equal(qmp_number(&r, "plugged-memory"), c.dimm_bytes);
	}
}

/* The lines QEMU refuses, we refuse. */
static void refused_as_qemu_refuses(void **state)
{
	static const char *const lines[] = { "-m 1.5", "-m 1GiB", "-m 12Q", "-m size=", "-m 4G,maxmem=lots",
		"-object memory-backend-ram,id=m0" };
	static struct qemu_run r;
	static struct vmm_config c;
	char line[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		snprintf(line, sizeof(line), BASE "%s", lines[i]);
		run_qemu(line, QUIT, &r);
		if (!WIFEXITED(r.status) || WEXITSTATUS(r.status) == 0)
			fail_msg("'%s': QEMU accepted it (%.200s)", lines[i], r.out);
		err_clear();
		assert_int_equal(vmm_cmdline_parse(line, strlen(line), &c), -EINVAL);
	}
	err_clear();
}

/* memfd backends are shared unless told otherwise; file and ram backends are not. */
static void backend_share_as_qemu_sets_it(void **state)
{
	static const char *const types[] = { "memory-backend-memfd", "memory-backend-ram",
		"memory-backend-file,mem-path=/tmp" };
	static struct qemu_run r;
	static struct vmm_config c;
	char line[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		snprintf(line, sizeof(line), BASE "-object %s,id=m,size=64M -machine memory-backend=m", types[i]);
		err_clear();
		assert_int_equal(vmm_cmdline_parse(line, strlen(line), &c), 0);
		run_qemu(line, "{\"execute\":\"qmp_capabilities\"}\n"
			 "{\"execute\":\"qom-get\",\"arguments\":{\"path\":\"/objects/m\",\"property\":\"share\"}}\n" QUIT, &r);
		if (!strstr(r.out, c.backends[0].share ? "\"return\": true" : "\"return\": false"))
			fail_msg("%s: we read share=%d, QEMU says %.300s", types[i], c.backends[0].share, r.out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ram_as_qemu_makes_it),
		cmocka_unit_test(refused_as_qemu_refuses),
		cmocka_unit_test(backend_share_as_qemu_sets_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
