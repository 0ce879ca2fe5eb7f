// SPDX-License-Identifier: GPL-2.0-or-later
/* capture --redact: secrets of a VMM's argv blanked, the argv still parseable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/redact.h"

static void arg_is(const char *in, const char *want)
{
	char *got = redact_arg(in);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void secret_object_data(void **state)
{
	(void)state;
	arg_is("secret,id=sec0,data=letmein,format=raw", "secret,id=sec0,data=REDACTED,format=raw");
	arg_is("secret,id=sec0,data=bGV0bWVpbg==", "secret,id=sec0,data=REDACTED");
	/* qom-type spelled out, and a value with an escaped comma */
	arg_is("qom-type=secret,id=s1,data=a,,b,format=raw", "qom-type=secret,id=s1,data=REDACTED,format=raw");
	/* the file= form is a path, not the secret */
	arg_is("secret,id=sec0,file=/run/qemu/pw", "secret,id=sec0,file=/run/qemu/pw");
	/* data= of anything but a secret object is not ours to touch */
	arg_is("memory-backend-file,id=m0,data=x", "memory-backend-file,id=m0,data=x");
}

static void secret_object_json(void **state)
{
	(void)state;
	arg_is("{\"qom-type\":\"secret\",\"id\":\"s0\",\"data\":\"pa\\\"ss\",\"format\":\"raw\"}",
	       "{\"qom-type\":\"secret\",\"id\":\"s0\",\"data\":\"REDACTED\",\"format\":\"raw\"}");
	arg_is("{\"driver\":\"rbd\", \"key\" : \"AQBx==\"}", "{\"driver\":\"rbd\", \"key\" : \"REDACTED\"}");
}

static void passwords_in_option_lists(void **state)
{
	(void)state;
	arg_is("port=5900,password=hunter2,disable-ticketing=off",
	       "port=5900,password=REDACTED,disable-ticketing=off");
	arg_is("password=hunter2", "password=REDACTED");
	arg_is("user=iqn.user,passwd=hunter2", "user=iqn.user,passwd=REDACTED");
	/* VNC's password=on is a switch, and the *-secret options name a secret object */
	arg_is(":1,password=on", ":1,password=on");
	arg_is("driver=iscsi,user=u,password-secret=sec0", "driver=iscsi,user=u,password-secret=sec0");
	arg_is("file=rbd:pool/img,key-secret=sec0", "file=rbd:pool/img,key-secret=sec0");
	/* an empty value stays empty */
	arg_is("password=,x=1", "password=,x=1");
}

static void rbd_key(void **state)
{
	(void)state;
	arg_is("file=rbd:rbd/vm1:id=admin:key=AQBzXV5j\\:x==:auth_supported=cephx,format=raw",
	       "file=rbd:rbd/vm1:id=admin:key=REDACTED:auth_supported=cephx,format=raw");
	arg_is("file=rbd:rbd/vm1:key=AQB==", "file=rbd:rbd/vm1:key=REDACTED");
	arg_is("file=rbd:rbd/vm1:id=admin,if=virtio", "file=rbd:rbd/vm1:id=admin,if=virtio");
}

static void url_passwords(void **state)
{
	(void)state;
	arg_is("file=iscsi://alice%s3cret@10.0.0.1/iqn.2001-04.com.example/1,if=none",
	       "file=iscsi://alice%REDACTED@10.0.0.1/iqn.2001-04.com.example/1,if=none");
	arg_is("https://bob:pw@images.example/disk.qcow2", "https://bob:REDACTED@images.example/disk.qcow2");
	arg_is("https://images.example/disk.qcow2", "https://images.example/disk.qcow2");
	arg_is("iscsi://alice@10.0.0.1/iqn/1", "iscsi://alice@10.0.0.1/iqn/1");
}

static void plain_args_unchanged(void **state)
{
	(void)state;
	arg_is("/usr/bin/qemu-system-x86_64", "/usr/bin/qemu-system-x86_64");
	arg_is("-m", "-m");
	arg_is("size=4G,share=on", "size=4G,share=on");
	arg_is("", "");
}

static void whole_argv(void **state)
{
	static const char in[] = "qemu\0-object\0secret,id=s,data=pw\0-spice\0port=1,password=x\0-m\0" "4G";
	static const char want[] = "qemu\0-object\0secret,id=s,data=REDACTED\0-spice\0port=1,password=REDACTED\0-m\0" "4G";
	size_t n = 0;
	char *out;

	(void)state;
	out = redact_argv(in, sizeof(in), &n);
	assert_non_null(out);
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
	free(out);
	/* an argv whose last argument lacks its NUL keeps the count of arguments */
	out = redact_argv("a\0b", 3, &n);
	assert_non_null(out);
	assert_int_equal(n, 4);
	assert_memory_equal(out, "a\0b", 4);
	free(out);
	out = redact_argv("", 0, &n);
	assert_non_null(out);
	assert_int_equal(n, 0);
	free(out);
}

static void kernel_cmdline(void **state)
{
	char *out;

	(void)state;
	out = redact_kernel_cmdline("BOOT_IMAGE=/vmlinuz root=UUID=1 intel_iommu=on iommu=pt "
				    "console=ttyS0 vfio-pci.ids=10de:1 hugepagesz=1G quiet\n");
	assert_non_null(out);
	assert_string_equal(out, "intel_iommu=on iommu=pt vfio-pci.ids=10de:1 hugepagesz=1G\n");
	free(out);
	out = redact_kernel_cmdline("root=/dev/sda1 quiet\n");
	assert_non_null(out);
	assert_string_equal(out, "");
	free(out);
}

static void paths_never_copied(void **state)
{
	char pid[24];

	(void)state;
	assert_true(redact_path_denied("/proc/1234/environ"));
	assert_true(redact_path_denied("/proc/1234/task/1235/environ"));
	assert_true(redact_path_denied("/proc/1234/mem"));
	assert_true(redact_path_denied("/etc/shadow"));
	assert_true(redact_path_denied("/etc/gshadow"));
	assert_true(redact_path_denied("/proc/kcore"));
	assert_true(redact_path_denied("/sys/devices/pci0000:00/0000:00:03.0/resource0"));
	assert_true(redact_path_denied("/sys/devices/pci0000:00/0000:00:03.0/resource2_wc"));
	assert_true(redact_path_denied("/sys/devices/pci0000:00/0000:00:03.0/rom"));
	assert_true(redact_path_denied("/sys/devices/pci0000:00/0000:00:03.0/config"));
	assert_true(redact_path_denied("/sys/bus/pci/devices/0000:00:03.0/resource1"));
	/* what the readers need */
	assert_false(redact_path_denied("/sys/devices/pci0000:00/0000:00:03.0/resource"));
	assert_false(redact_path_denied("/sys/devices/pci0000:00/0000:00:03.0/vendor"));
	assert_false(redact_path_denied("/proc/1234/status"));
	assert_false(redact_path_denied("/proc/1234/cmdline"));
	assert_false(redact_path_denied("/etc/passwd"));
	assert_false(redact_path_denied("/etc/systemd/system/qemu.service"));
	assert_false(redact_path_denied("/usr/etc/security/limits.conf"));
	/* pages: copied sparse, by their own rule */
	assert_true(redact_path_pages("/proc/1234/pagemap", pid, sizeof(pid)));
	assert_string_equal(pid, "1234");
	assert_true(redact_path_pages("/proc/kpageflags", pid, sizeof(pid)));
	assert_string_equal(pid, "");
	assert_false(redact_path_pages("/proc/self/pagemap", pid, sizeof(pid)));
	assert_false(redact_path_pages("/proc/1234/pagemapx", pid, sizeof(pid)));
	assert_false(redact_path_pages("/proc/1234/maps", pid, sizeof(pid)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(secret_object_data),
		cmocka_unit_test(secret_object_json),
		cmocka_unit_test(passwords_in_option_lists),
		cmocka_unit_test(rbd_key),
		cmocka_unit_test(url_passwords),
		cmocka_unit_test(plain_args_unchanged),
		cmocka_unit_test(whole_argv),
		cmocka_unit_test(kernel_cmdline),
		cmocka_unit_test(paths_never_copied),
	};

	return cmocka_run_group_tests_name("redact", tests, NULL, NULL);
}
