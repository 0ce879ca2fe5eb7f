#!/bin/bash
# make install / uninstall into a DESTDIR: every file where the shells and man look, nothing left after.
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
D=$HT_TMP/dest
make -s install DESTDIR="$D" PREFIX=/usr >/dev/null
ht_eq "make install exits 0" "$?" 0
ht_ok "binary in bindir, executable" test -x "$D/usr/bin/vfio-pinctl"
ht_ok "installed binary runs" "$D/usr/bin/vfio-pinctl" --version
for m in man/*.8; do
	ht_ok "man page $(basename "$m")" test -f "$D/usr/share/man/man8/$(basename "$m")"
done
ht_ok "bash completion in bash-completion's completionsdir" test -f "$D/usr/share/bash-completion/completions/vfio-pinctl"
ht_ok "zsh completion in site-functions" test -f "$D/usr/share/zsh/site-functions/_vfio-pinctl"
ht_ok "fish completion in vendor_completions.d" test -f "$D/usr/share/fish/vendor_completions.d/vfio-pinctl.fish"
ht_ok "units in PREFIX/lib/systemd/system" test -f "$D/usr/lib/systemd/system/vfio-pinctl-check.service" -a -f "$D/usr/lib/systemd/system/vfio-pinctl-check.timer"
ht_ok "... the service runs the installed binary" grep -q '^ExecStart=/usr/bin/vfio-pinctl check ' "$D/usr/lib/systemd/system/vfio-pinctl-check.service"
make -s install DESTDIR="$HT_TMP/local" >/dev/null
ht_ok "default PREFIX is /usr/local" test -x "$HT_TMP/local/usr/local/bin/vfio-pinctl"
ht_ok "bindir can be set" make -s install DESTDIR="$HT_TMP/b" bindir=/opt/vp/bin
ht_ok "... and is honoured" test -x "$HT_TMP/b/opt/vp/bin/vfio-pinctl"
make -s uninstall DESTDIR="$D" PREFIX=/usr >/dev/null
ht_eq "make uninstall removes every file" "$(find "$D" -type f | wc -l)" 0
ht_done
