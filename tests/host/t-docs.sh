#!/bin/bash
# Every long option a command's --help lists is documented in a man page and offered by
# the bash, zsh and fish completions; every inspect column is in the man page.
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
for cmd in inspect map check groups capture; do
	help=$("$BIN" "$cmd" --help 2>/dev/null) || continue
	opts=$(grep -oE -- '--[a-z][a-z0-9-]+' <<<"$help" | sort -u)
	for o in $opts; do
		[ "$o" = --help ] && continue
		esc=${o//-/\\\\-}
		ht_ok "$cmd $o in a man page" grep -qE -- "$esc|$o" man/vfio-pinctl*.8
		ht_ok "$cmd $o in bash completion" grep -qF -- "$o" completions/vfio-pinctl.bash
		ht_ok "$cmd $o in zsh completion" grep -qF -- "$o" completions/_vfio-pinctl
		ht_ok "$cmd $o in fish completion" grep -qF -- "-l ${o#--}" completions/vfio-pinctl.fish
	done
done
for col in $("$BIN" inspect --list-columns | awk '{print $1}'); do
	ht_ok "column $col in vfio-pinctl(8)" grep -qw "$col" man/vfio-pinctl.8
done
ht_ok "man pages pass mandoc -Tlint (warnings)" sh -c 'mandoc -Tlint -Wwarning man/*.8'
# The bash completion really completes: options and columns.
comp() {  # comp WORDS... -> COMPREPLY
	bash -c '. /usr/share/bash-completion/bash_completion; . completions/vfio-pinctl.bash
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_vfio_pinctl vfio-pinctl "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]}"; printf "%s\n" "${COMPREPLY[@]}"' _ "$@" 2>/dev/null
}
PATH=$PWD:$PATH
ht_ok "bash completes commands" grep -qx inspect <(comp vfio-pinctl ins)
ht_ok "bash completes inspect options" grep -qx -- --pages <(comp vfio-pinctl inspect --pa)
ht_ok "bash completes inspect columns" grep -qx HUGETLB <(comp vfio-pinctl inspect -o HUGE)
ht_done
