#!/bin/bash
# check --nfd on the host: the feature file is replaced atomically (a dot-file renamed over it,
# as nfd-worker asks): a reader looping while check rewrites it only ever sees a whole file, and
# the same reader catches a file written in place (the control).  Mode 0644 for nfd-worker; an
# unwritable directory is one line, exit 3, and the old file stays as it was.
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
D=$HT_TMP/features.d && mkdir -p "$D"
F=$D/vfio-pinctl
"$BIN" check -q --nfd "$F" >/dev/null
ht_ok "check --nfd wrote the file" test -s "$F"
ht_eq "mode 0644" "$(stat -c %a "$F")" 644
ht_ok "the file passes nfdcheck (expiry, label syntax, no dot-file left)" tests/fixtures/nfdcheck.sh "$F"
ht_ok "iommu=false on this host (no IOMMU)" grep -qx 'vfio-pinctl.feature.node.kubernetes.io/iommu=false' "$F"
want=$(grep -c '^vfio-pinctl\.feature\.node\.kubernetes\.io/' "$F")
ht_ok "labels: at least 10 ($want)" test "$want" -ge 10

# reads_during CMD...: read the file while CMD rewrites it (6 s and at least 100 reads, at most 5000 reads or 60 s), with
# bash builtins only so reads are many; prints "reads bad": a bad read lacks the expiry line,
# a label or the last newline.
P=$'\nvfio-pinctl.feature.node.kubernetes.io/'
reads_during() {
	"$@" &
	local w=$! n=0 bad=0 t0=$SECONDS s rest
	# 6 s of rewrites and at least 100 reads; on a loaded machine up to 60 s for the 100
	while kill -0 "$w" 2>/dev/null && [ $n -lt 5000 ] && [ $SECONDS -lt $((t0 + 60)) ] &&
	      { [ $n -lt 100 ] || [ $SECONDS -lt $((t0 + 6)) ]; }; do
		s=
		IFS= read -r -d '' s <"$F" 2>/dev/null
		rest=${s//"$P"/}
		if [[ $s != "# +expiry-time="* ]] || [[ $s != *$'\n' ]] ||
		   [ $(( (${#s} - ${#rest}) / ${#P} )) -ne "$want" ]; then
			bad=$((bad + 1))
		fi
		n=$((n + 1))
	done
	# stop the writer between two runs, so no run is cut between its dot-file and the rename
	touch "$HT_TMP/stop"; wait "$w" 2>/dev/null; rm -f "$HT_TMP/stop"
	echo "$n $bad"
}
writer() { local i; for i in $(seq 5000); do [ -e "$HT_TMP/stop" ] && break; "$BIN" check -q --nfd "$F" >/dev/null; done; }
read -r n bad < <(reads_during writer)
echo "# $n reads while check rewrote the file: $bad bad"
ht_ok "at least 100 reads ran during the rewrites ($n)" test "$n" -ge 100
ht_eq "no read saw a partial file" "$bad" 0
ht_eq "no dot-file left behind" "$(ls -A "$D")" "vfio-pinctl"
cp "$F" "$HT_TMP/whole"
half=$(( $(wc -c <"$HT_TMP/whole") / 2 ))
torn() { while [ ! -e "$HT_TMP/stop" ]; do head -c "$half" "$HT_TMP/whole" >"$F"; sleep 0.005; tail -c +"$((half + 1))" "$HT_TMP/whole" >>"$F"; sleep 0.001; done; }
read -r n bad < <(reads_during torn)
echo "# control: $n reads of a file written in place: $bad bad"
ht_ok "control: the reader does catch a torn file ($bad of $n)" test "$bad" -gt 0

# SIGTERM (how systemd stops the unit) at random moments of 150 runs writing both files: no
# dot-file may stay behind (before the signals were held across the rename, 22 of 300 did).
K=$HT_TMP/killed && mkdir "$K"
for i in $(seq 150); do
	# timeout(1) sends the signal: a background job killed from here could die before its exec
	timeout -s TERM "0.0$((RANDOM % 50 + 10))" "$BIN" check -q --nfd "$K/v" --prometheus "$K/v.prom" >/dev/null 2>&1
done
ht_eq "150 runs killed with SIGTERM: no dot-file left" "$(ls -A "$K" | grep -c '^\.')" 0

cp "$HT_TMP/whole" "$F"
chmod 0555 "$D"
if [ "$(id -u)" -eq 0 ]; then RUN=(setpriv --reuid=65534 --regid=65534 --clear-groups); else RUN=(); fi
"${RUN[@]}" "$BIN" check -q --nfd "$F" >/dev/null 2>"$HT_TMP/err"
ht_eq "unwritable directory: exit 3" "$?" 3
ht_eq "... one line naming the file" "$(grep -c "cannot write $F" "$HT_TMP/err"):$(wc -l <"$HT_TMP/err")" "1:1"
ht_ok "... and the old file is untouched" cmp "$HT_TMP/whole" "$F"
ht_eq "... and no dot-file left" "$(ls -A "$D")" "vfio-pinctl"
chmod 0755 "$D"
ht_done
