#!/bin/bash
# make lint's layering rule (tests/lint-layers.sh): clean on this tree, and each kind of
# violation planted in a copy of src/ is caught with its file and line; comments, strings
# and the argument layer's questions to the seam are not violations.
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
L=tests/lint-layers.sh
ht_ok "this tree is clean" "$L"
plant() {  # plant NAME FILE TEXT: a fresh copy of src/ with TEXT appended to FILE
	rm -rf "$HT_TMP/src" && cp -r src "$HT_TMP/src" && printf '%s\n' "$3" >>"$HT_TMP/src/$2"
	"$L" "$HT_TMP/src" >"$HT_TMP/$1.out" 2>&1
	echo $?
}
n=$(($(wc -l <src/model/classify.c) + 1))
ht_eq "an open() in model/ fails lint" "$(plant open model/classify.c 'static int f(void) { return open("/proc/x", 0); }')" 1
ht_ok "... naming the file and line" grep -q "model/classify.c:$n: reads the machine outside host/" "$HT_TMP/open.out"
ht_eq "an sr_read_text() in render/ fails lint" "$(plant sr render/json.c 'static int g(char **t) { return sr_read_text("/proc/1/status", t, 0); }')" 1
ht_eq "an sr_live() branch in check/ fails lint" "$(plant live check/iommu.c 'static int h(void) { return sr_live(); }')" 1
ht_eq "a host/ header in model/ fails lint" "$(plant inc model/need.c '#include "host/sysroot.h"')" 1
ht_ok "... naming the include" grep -q 'model/need.c: includes a reader.s header (host/sysroot.h' "$HT_TMP/inc.out"
ht_eq "a host/ header reached through a map/ header in render/map.c fails lint" "$(plant deep map/mem.h '#include "host/sysroot.h"')" 1
ht_ok "... naming the header it came through" grep -q 'render/map.c: includes a reader.s header (host/sysroot.h, directly or through another)' "$HT_TMP/deep.out"
ht_eq "an ioctl() in cmd-*.c fails lint" "$(plant ioctl cmd-groups.c 'static int k(int fd) { return ioctl(fd, 0); }')" 1
ht_eq "a comment naming open() is fine" "$(plant comment model/need.c '/* callers open( the file
   and stat( it */')" 0
ht_eq "a string naming open() is fine" "$(plant string model/need.c 'static const char *s = "open(";')" 0
ht_eq "sr_live() in cmd-*.c (the argument layer) is fine" "$(plant seam cmd-groups.c 'static int m(void) { return sr_live(); }')" 0
ht_done
