#!/bin/bash
# The layering of src/ (README "Hacking"), kept by a grep:
#  - only host/ reads the machine, and map/ (the one command that acts on it:
#    --sysroot never applies there).  Elsewhere: no sr_* read and no open,
#    fopen, opendir, stat, readlink, access, ioctl or popen of a path.  The
#    argument layer (cmd-*.c, main.c) may ask the seam about itself:
#    sr_set_root (--sysroot), sr_live, sr_root, sr_tree_lacks.
#  - model/, render/ and facts/ include no host/ header, directly or through
#    another: they see fact types (facts/) and each other.  No map/ header
#    either, but in render/map.c, which draws map's own report (map/map.h and
#    what it includes, itself free of host/).
# Usage: tests/lint-layers.sh [SRCDIR]   (default: this checkout's src/)
# One line per violation (file:line: what and the fix); exit 1 if any.
set -uo pipefail
src=${1:-$(dirname "$0")/../src}
[ -d "$src" ] || { echo "lint-layers: no source tree at $src" >&2; exit 2; }
cd "$src" || exit 2
bad=0
say() { echo "lint-layers: $1"; bad=1; }

# Comments and string literals blanked (line numbers kept): a comment naming open() is no read.
strip() {
	perl -0777 -pe 's{/\*.*?\*/}{ my $c = $&; $c =~ s/[^\n]//g; $c }gse; s{//[^\n]*}{}g; s{"(?:[^"\\\n]|\\.)*"}{""}g' "$1"
}
reads='(^|[^A-Za-z0-9_>.])(sr_[a-z_]+|open|openat|fopen|opendir|stat|lstat|fstatat|readlink|readlinkat|access|faccessat|ioctl|popen)[[:space:]]*\('
seam='(^|[^A-Za-z0-9_])(sr_set_root|sr_live|sr_root|sr_tree_lacks)[[:space:]]*\('
for f in model/*.[ch] render/*.[ch] facts/*.h check/*.[ch] lib/*.[ch] cmd-*.c main.c commands.h; do
	[ -e "$f" ] || continue
	case $f in cmd-*.c|main.c) allow=1 ;; *) allow= ;; esac
	while IFS=: read -r line text; do
		# a line is fine when every match on it is an allowed seam query
		rest=$text
		[ -n "$allow" ] && rest=$(sed -E "s/$seam/\\1/g" <<<"$text")
		grep -qE "$reads" <<<"$rest" || continue
		say "$f:$line: reads the machine outside host/: $(sed -E 's/^[[:space:]]+//' <<<"$text" | cut -c1-70); move the read into src/host/"
	done < <(strip "$f" | grep -nE "$reads")
done
# The headers a file includes, directly or through others (quoted includes, paths from src/).
includes() {
	local seen=" " todo=("$1") f h
	while [ ${#todo[@]} -gt 0 ]; do
		f=${todo[0]}; todo=("${todo[@]:1}")
		for h in $(sed -nE 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"([^"]+)".*/\1/p' "$f" 2>/dev/null); do
			[[ $seen == *" $h "* ]] && continue
			seen+="$h "; echo "$h"; [ -e "$h" ] && todo+=("$h")
		done
	done
}
for f in model/*.[ch] render/*.[ch] facts/*.h; do
	[ -e "$f" ] || continue
	for h in $(includes "$f"); do
		case $h in
		host/*) say "$f: includes a reader's header ($h, directly or through another); include its fact types from facts/ instead" ;;
		# render/map.c draws map's own report (map/map.h): the one renderer that may see map/'s types
		map/*) case $f in render/map.c) ;; *) say "$f: includes $h; model/, facts/ and render/ see facts/ only" ;; esac ;;
		esac
	done
done
[ $bad -eq 0 ]
