#!/bin/bash
# A real scrape: Debian's prometheus-node-exporter on a loopback port reads the directory
# `check --prometheus` writes (as the unit does); /metrics over HTTP carries every vfio_pinctl
# sample of the file with its value and node_textfile_scrape_error 0.  This host fails check
# (no IOMMU): that is a result like any other.  Then check rewrites the file while scrapes run:
# no scrape may ever see a part of it (atomic rename), and a non-atomic writer, as a control,
# is caught by the same scrapes.
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
. tests/host/scrape-lib.sh
for t in prometheus-node-exporter curl; do
	command -v $t >/dev/null || { echo "not ok - $t is missing (tests/install-deps.sh)"; exit 1; }
done
D=$HT_TMP/textfile && mkdir -p "$D"
F=$D/vfio-pinctl.prom
ne_start "$D"
"$BIN" check -q --prometheus "$F" >/dev/null
rc=$?
ht_ok "check wrote the metrics (exit $rc)" test -s "$F"
curl -sf "$NE_URL" >"$HT_TMP/scrape"
ht_eq "GET /metrics: ok" "$?" 0
ht_ok "node_textfile_scrape_error 0" grep -qx 'node_textfile_scrape_error 0' "$HT_TMP/scrape"
ht_ok "node_exporter saw the file (node_textfile_mtime_seconds)" grep -q '^node_textfile_mtime_seconds{file="[^"]*vfio-pinctl.prom"}' "$HT_TMP/scrape"
prom_norm vfio_pinctl_ <"$F" >"$HT_TMP/file.n"
prom_norm vfio_pinctl_ <"$HT_TMP/scrape" >"$HT_TMP/scrape.n"
ht_ok "the scrape has samples" test "$(wc -l <"$HT_TMP/scrape.n")" -ge 10
ht_ok "every vfio_pinctl sample of the file is scraped with its value, and no other" diff "$HT_TMP/file.n" "$HT_TMP/scrape.n"
ht_ok "exit code series = check's exit code ($rc)" grep -qx "vfio_pinctl_check_exit_code{} $rc" "$HT_TMP/scrape.n"
ht_ok "iommu_enabled fails on this host (2)" grep -qx 'vfio_pinctl_check_status{check="iommu_enabled"} 2' "$HT_TMP/scrape.n"
ht_ok "build_info carries the version" grep -qx "vfio_pinctl_build_info{version=\"$("$BIN" --version | awk '{print $2}')\"} 1" "$HT_TMP/scrape.n"
want=$(grep -c '^vfio_pinctl_' "$HT_TMP/scrape")

# scrapes_during CMD...: scrape while CMD rewrites the file (at most 150 scrapes or 15 s);
# prints "scrapes bad": a bad scrape has a textfile error or not all $want vfio_pinctl samples.
scrapes_during() {
	"$@" &
	local w=$! n=0 bad=0 t0=$SECONDS s
	# up to 150 scrapes in 15 s; on a loaded machine up to 60 s for the first 30
	while kill -0 "$w" 2>/dev/null && [ $n -lt 150 ] && [ $SECONDS -lt $((t0 + 60)) ] &&
	      { [ $n -lt 30 ] || [ $SECONDS -lt $((t0 + 15)) ]; }; do
		s=$(curl -sf "$NE_URL") || { bad=$((bad + 1)); n=$((n + 1)); continue; }
		if [[ $s != *$'\nnode_textfile_scrape_error 0\n'* ]] ||
		   [ "$(grep -c '^vfio_pinctl_' <<<"$s")" -ne "$want" ]; then
			bad=$((bad + 1))
		fi
		n=$((n + 1))
	done
	# stop the writer between two runs, so no run is cut between its dot-file and the rename
	touch "$HT_TMP/stop"; wait "$w" 2>/dev/null; rm -f "$HT_TMP/stop"
	echo "$n $bad"
}
writer() { local i; for i in $(seq 2000); do [ -e "$HT_TMP/stop" ] && break; "$BIN" check -q --prometheus "$F" >/dev/null; done; }
read -r n bad < <(scrapes_during writer)
echo "# $n scrapes while check rewrote the file: $bad bad"
ht_ok "at least 30 scrapes ran during the rewrites ($n)" test "$n" -ge 30
ht_eq "no scrape saw a partial file" "$bad" 0
ht_eq "no temporary file left" "$(ls -A "$D" | grep -vx vfio-pinctl.prom)" ""
# The control: the same file written in place, in two halves, is caught.
cp "$F" "$HT_TMP/whole"
half=$(( $(wc -c <"$HT_TMP/whole") / 2 ))
torn() { while [ ! -e "$HT_TMP/stop" ]; do head -c "$half" "$HT_TMP/whole" >"$F"; sleep 0.01; tail -c +"$((half + 1))" "$HT_TMP/whole" >>"$F"; sleep 0.002; done; }
read -r n bad < <(scrapes_during torn)
echo "# control: $n scrapes of a file written in place: $bad bad"
ht_ok "control: the scrapes do catch a torn file ($bad of $n)" test "$bad" -gt 0
# The README's alert example: valid, and firing on these series (promtool, Debian's prometheus).
ht_ok "examples/vfio-pinctl.rules.yml: promtool check rules" promtool check rules examples/vfio-pinctl.rules.yml
ht_ok "... and its alerts fire as tests/host/vfio-pinctl.rules.test.yml says" promtool test rules tests/host/vfio-pinctl.rules.test.yml
ht_done
