# Helpers for the node_exporter scrape tests (bash, sourced after lib.sh).

# ne_start DIR: Debian's prometheus-node-exporter on a free 127.0.0.1 port, textfile collector
# only, reading DIR; sets NE_URL.  Fails the test when it does not come up.
ne_start() {
	local dir=$1 port i
	for port in $(shuf -i 20000-60000 -n 20); do
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue   # taken
		prometheus-node-exporter --web.listen-address="127.0.0.1:$port" \
			--collector.disable-defaults --collector.textfile \
			--collector.textfile.directory="$dir" >"$HT_TMP/ne.log" 2>&1 &
		HT_PIDS+=("$!")
		NE_URL=http://127.0.0.1:$port/metrics
		for i in $(seq 50); do
			curl -sf -o /dev/null "$NE_URL" && return 0
			kill -0 "$!" 2>/dev/null || break
			sleep 0.1
		done
	done
	echo "not ok - prometheus-node-exporter did not come up: $(tail -2 "$HT_TMP/ne.log")"
	exit 1
}

# prom_norm: sample lines of FAMILY prefix from stdin as "name{labels sorted} value" with the
# value as a number (node_exporter re-encodes: sorted labels, 8388608 -> 8.388608e+06).
prom_norm() {
	awk -v pfx="$1" '
	index($0, pfx) == 1 {
		v = $NF; s = substr($0, 1, length($0) - length(v) - 1)
		n = s; l = ""
		if ((b = index(s, "{")) > 0) {
			n = substr(s, 1, b - 1); l = substr(s, b + 1, length(s) - b - 1)
			k = split(l, a, ","); for (i = 2; i <= k; i++) for (j = i; j > 1 && a[j] < a[j-1]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
			l = a[1]; for (i = 2; i <= k; i++) l = l "," a[i]
		}
		if (v != "+Inf" && v != "-Inf" && v != "NaN") v = sprintf("%.17g", v + 0)
		print n "{" l "} " v
	}' | sort
}
