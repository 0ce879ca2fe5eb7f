#!/bin/bash
# Build the kernel's tools/vm/page-types from Debian's linux-source-6.1 package,
# the yardstick bench/inspect compares vfio-pinctl against, and print its path.
#
# The binary is cached outside the repo, under
#   ${VFIO_PINCTL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vfio-pinctl}/page-types/
# and only the binary is kept: the ~140 MB .deb and the extracted source live
# in a temporary directory that is removed on exit. A second run only checks
# the cache and prints the path.
#
# On failure: one line on stderr, exit status non-zero.
set -euo pipefail

PKG=linux-source-6.1
TOP=linux-source-6.1
CACHE_ROOT=${VFIO_PINCTL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vfio-pinctl}
OUT_DIR=$CACHE_ROOT/page-types
OUT=$OUT_DIR/page-types

die() {
	echo "build-page-types: $*" >&2
	exit 1
}

# Cached and runnable: nothing to do. `-d 0` describes flag word 0 and exits,
# a cheap proof the binary is not truncated or for another architecture.
if [[ -x $OUT ]] && "$OUT" -d 0 >/dev/null 2>&1; then
	echo "$OUT"
	exit 0
fi

command -v gcc >/dev/null || die "gcc not found (apt-get install gcc)"
command -v apt-get >/dev/null || die "apt-get not found: needs a Debian host"
# Fail before the download, not after it, if the cache is not writable.
{ mkdir -p "$OUT_DIR" 2>/dev/null && [[ -w $OUT_DIR ]]; } ||
	die "cannot create or write the cache directory $OUT_DIR"

work=$(mktemp -d "${TMPDIR:-/tmp}/page-types-build.XXXXXX") ||
	die "cannot create a temporary directory"
trap 'rm -rf "$work"' EXIT
# apt drops privileges to _apt for downloads; let it write here so it does
# not warn about downloading unsandboxed.
chmod 755 "$work"
log=$work/log

# The package list may predate linux-source-6.1 on a fresh machine.
if ! apt-cache show "$PKG" >/dev/null 2>&1; then
	apt-get update -qq >"$log" 2>&1 ||
		die "apt-get update failed: $(tail -n1 "$log")"
fi
(cd "$work" && apt-get download -qq "$PKG") >"$log" 2>&1 ||
	die "apt-get download $PKG failed: $(grep -m1 '^E:' "$log" || tail -n1 "$log")"

deb=$(echo "$work"/"$PKG"_*.deb)
[[ -f $deb ]] || die "apt-get download left no $PKG .deb"

# Stream the inner tarball out of the .deb instead of writing its 140 MB to
# disk, and extract only page-types and the headers/helpers it compiles with.
# Newer trees moved tools/vm to tools/mm, so accept either.
src=$work/src
mkdir "$src"
dpkg-deb --fsys-tarfile "$deb" |
	tar -xO "./usr/src/$TOP.tar.xz" |
	tar -xJ -C "$src" --wildcards \
		"$TOP/tools/vm/page-types.c" "$TOP/tools/mm/page-types.c" \
		"$TOP/tools/lib/api/*" "$TOP/tools/lib/*.h" \
		"$TOP/tools/include/*" "$TOP/include/uapi/*" \
		>"$log" 2>&1 ||
	# tar complains about the pattern that matched nothing (vm or mm);
	# that's fine as long as one of them exists, checked below.
	true
rm -f "$deb"

tree=$src/$TOP
pt=
for f in "$tree/tools/vm/page-types.c" "$tree/tools/mm/page-types.c"; do
	[[ -f $f ]] && pt=$f
done
[[ -n $pt ]] || die "page-types.c not found in $PKG: $(tail -n1 "$log")"

# Build to a temporary name and rename, so an interrupted build never leaves
# a half-written binary that the cache check would accept.
gcc -O2 -g -D_GNU_SOURCE \
	-I"$tree/tools/include" -I"$tree/tools/lib" -I"$tree/tools/lib/api" \
	-o "$OUT.tmp" "$pt" "$tree/tools/lib/api/fs/fs.c" \
	"$tree/tools/lib/api/debug.c" >"$log" 2>&1 ||
	die "gcc failed to build page-types: $(grep -m1 'error' "$log" || tail -n1 "$log")"
mv -f "$OUT.tmp" "$OUT"

"$OUT" -d 0 >/dev/null 2>&1 || die "built $OUT but it does not run"
echo "$OUT"
