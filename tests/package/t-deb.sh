#!/bin/bash
# The Debian package: dpkg-buildpackage -us -uc -b from a clean copy of the tree, lintian clean
# (no E: or W:), every file where Debian policy puts it, then a real install, run and purge with
# the system's own dpkg inside a throw-away root: an overlay of / whose writes land in a
# temporary upper layer (dpkg --root on an empty root would have to force its dependencies and
# could not run the maintainer scripts; debootstrap would download a system each run).
# Its own layer in tests/run-all.sh: it builds from source, so the ASan pass would only repeat it.
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
ht_need_root
for t in dpkg-buildpackage dh lintian; do
	command -v $t >/dev/null || { echo "not ok - $t is missing (dpkg-dev, debhelper, lintian; tests/install-deps.sh)"; exit 1; }
done
S=$HT_TMP/build/vfio-pinctl
mkdir -p "$S"
# What git tracks or would track, without build products: a clean tree.
git ls-files -co --exclude-standard | tar -cf - -T - | tar -xf - -C "$S"
t0=$(date +%s)
(cd "$S" && dpkg-buildpackage -us -uc -b -j2) >"$HT_TMP/build.log" 2>&1
rc=$?
ht_eq "dpkg-buildpackage -us -uc -b: exit 0" "$rc" 0
[ "$rc" -eq 0 ] || { tail -30 "$HT_TMP/build.log"; ht_done; exit 1; }
echo "# package built in $(($(date +%s) - t0)) s"
ver=$(dpkg-parsechangelog -l debian/changelog -S Version)
DEB=$HT_TMP/build/vfio-pinctl_${ver}_$(dpkg --print-architecture).deb
ht_ok "vfio-pinctl_${ver}_*.deb built" test -f "$DEB"
ht_ok "the package build ran the unit tests" grep -q 'PASSED' "$HT_TMP/build.log"
ht_eq "version of the package = the binary's" "$ver" "$("$BIN" --version | awk '{print $2}')"

lintian --tag-display-limit 0 "$DEB" "${DEB%.deb}.changes" >"$HT_TMP/lintian" 2>&1
ht_eq "lintian: no error or warning" "$(grep -E '^(E|W):' "$HT_TMP/lintian")" ""

# Policy places: FHS binary, man8 compressed, the shells' vendor directories, bookworm's unit
# dir, docs and examples under /usr/share/doc/PACKAGE; nothing else.
dpkg-deb -c "$DEB" | awk '$1 !~ /^d/ {print $6}' | sort >"$HT_TMP/files"
sort >"$HT_TMP/want" <<'EOF2'
./lib/systemd/system/vfio-pinctl-check.service
./lib/systemd/system/vfio-pinctl-check.timer
./usr/bin/vfio-pinctl
./usr/share/bash-completion/completions/vfio-pinctl
./usr/share/doc/vfio-pinctl/README.md.gz
./usr/share/doc/vfio-pinctl/changelog.gz
./usr/share/doc/vfio-pinctl/copyright
./usr/share/doc/vfio-pinctl/examples/libvirt-hook-qemu
./usr/share/doc/vfio-pinctl/examples/vfio-pinctl.rules.yml
./usr/share/fish/vendor_completions.d/vfio-pinctl.fish
./usr/share/man/man8/vfio-pinctl-check.8.gz
./usr/share/man/man8/vfio-pinctl-groups.8.gz
./usr/share/man/man8/vfio-pinctl-map.8.gz
./usr/share/man/man8/vfio-pinctl.8.gz
./usr/share/zsh/vendor-completions/_vfio-pinctl
EOF2
ht_ok "every file where Debian policy puts it, and no other" diff "$HT_TMP/want" "$HT_TMP/files"
ht_ok "ExecStart= is /usr/bin/vfio-pinctl" bash -c "dpkg-deb --fsys-tarfile '$DEB' | tar -xOf - ./lib/systemd/system/vfio-pinctl-check.service | grep -q '^ExecStart=/usr/bin/vfio-pinctl check '"

# The throw-away root.
R=$HT_TMP/root U=$HT_TMP/upper W=$HT_TMP/work
mkdir -p "$R" "$U" "$W"
mount -t overlay overlay -o "lowerdir=/,upperdir=$U,workdir=$W" "$R" ||
	{ echo "not ok - cannot mount an overlay of / (overlayfs; needs root)"; exit 1; }
trap 'umount "$R" 2>/dev/null; ht_cleanup' EXIT
cp "$DEB" "$R/tmp/vfio-pinctl.deb"
chroot "$R" dpkg -i /tmp/vfio-pinctl.deb >"$HT_TMP/install.log" 2>&1
ht_eq "dpkg -i in the throw-away root: exit 0 (dependencies from the system, maintainer scripts run)" "$?" 0
ht_eq "dpkg: installed" "$(chroot "$R" dpkg-query -W -f='${Status}' vfio-pinctl)" "install ok installed"
ht_eq "vfio-pinctl --version runs from there" "$(chroot "$R" /usr/bin/vfio-pinctl --version)" "vfio-pinctl $ver"
ht_ok "the timer is not enabled (disabled by default)" test ! -e "$R/etc/systemd/system/timers.target.wants/vfio-pinctl-check.timer"
ht_ok "nor the service" bash -c "! ls '$R'/etc/systemd/system/*.wants/vfio-pinctl-check.service 2>/dev/null | grep -q ."
ht_ok "the installed hook is executable" test -x "$R/usr/share/doc/vfio-pinctl/examples/libvirt-hook-qemu"
# The packaged unit, verified where its binary and man page are installed; then its command run
# the way the unit runs it: root with no capability, the directories StateDirectory= and
# ConfigurationDirectory= would create.
out=$(chroot "$R" systemd-analyze verify /lib/systemd/system/vfio-pinctl-check.service /lib/systemd/system/vfio-pinctl-check.timer 2>&1)
ht_eq "packaged units: systemd-analyze verify exit 0" "$?" 0
ht_eq "packaged units: no warning" "$out" ""
cmd=$(sed -n 's/^ExecStart=//p' "$R/lib/systemd/system/vfio-pinctl-check.service" | sed 's/ \$CHECK_ARGS$//')
mkdir -p "$R/var/lib/prometheus/node-exporter" "$R/etc/kubernetes/node-feature-discovery/features.d"
# shellcheck disable=SC2086
chroot "$R" setpriv --bounding-set=-all --inh-caps=-all --no-new-privs $cmd >/dev/null
rc=$?
ht_ok "the unit's command, without capabilities: a result, not an error (exit $rc < 3)" test "$rc" -lt 3
ht_ok "... wrote the metrics" test -s "$R/var/lib/prometheus/node-exporter/vfio-pinctl.prom"
ht_ok "... and the feature file" test -s "$R/etc/kubernetes/node-feature-discovery/features.d/vfio-pinctl"
chroot "$R" dpkg -r vfio-pinctl >"$HT_TMP/remove.log" 2>&1
ht_eq "dpkg -r: exit 0" "$?" 0
ht_ok "remove took the timer's outputs too (no stale metrics)" test ! -e "$R/var/lib/prometheus/node-exporter/vfio-pinctl.prom" -a ! -e "$R/etc/kubernetes/node-feature-discovery/features.d/vfio-pinctl"
ht_eq "no file of the package left after remove" "$(dpkg-deb -c "$DEB" | awk '$1 !~ /^d/ {print substr($6, 2)}' | while read -r f; do [ -e "$R$f" ] && echo "$f"; done)" ""
chroot "$R" dpkg -P vfio-pinctl >>"$HT_TMP/remove.log" 2>&1
ht_eq "dpkg -P: exit 0" "$?" 0
ht_eq "purged: dpkg knows nothing of it" "$(chroot "$R" dpkg-query -W -f='${Status}' vfio-pinctl 2>/dev/null)" ""
rm -f "$R/tmp/vfio-pinctl.deb"
# (man-db's cat cache is filled by systemd-analyze looking up Documentation=man:..., not by dpkg)
ht_eq "nothing named vfio-pinctl left in the root's writes" "$(find "$U" -name '*vfio-pinctl*' ! -path "$U/var/cache/man/*" | sed "s|^$U||")" ""
umount "$R"
ht_done
