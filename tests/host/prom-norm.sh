# prom_norm for the scrape tests: POSIX sh + awk (the guest runs it under busybox too).

# prom_norm: sample lines of FAMILY prefix from stdin as "name{labels sorted} value" with the
# value as a number (node_exporter re-encodes: sorted labels, 8388608 -> 8.388608e+06, and
# label="" added where a family's samples differ in label names: an empty label is no label).
prom_norm() {
	awk -v pfx="$1" '
	index($0, pfx) == 1 {
		v = $NF; s = substr($0, 1, length($0) - length(v) - 1)
		n = s; l = ""
		if ((b = index(s, "{")) > 0) {
			n = substr(s, 1, b - 1); l = substr(s, b + 1, length(s) - b - 1)
			k = split(l, a, ","); for (i = 2; i <= k; i++) for (j = i; j > 1 && a[j] < a[j-1]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
			l = ""; for (i = 1; i <= k; i++) if (a[i] !~ /=""$/) l = l (l == "" ? "" : ",") a[i]
		}
		if (v != "+Inf" && v != "-Inf" && v != "NaN") v = sprintf("%.17g", v + 0)
		print n "{" l "} " v
	}' | sort
}
