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

# prom_norm (plain sh, shared with tests/vm/t-fleet.sh)
. "$(dirname "${BASH_SOURCE[0]}")/prom-norm.sh"
