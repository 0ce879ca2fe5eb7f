# vm-args: --mem 4G --append "hugepagesz=1G hugepages=1" --append no_timer_check
# vm-kernels: 6.1 6.12 iommufd
# map --time on the type1 container: one 1 GiB hugetlb page and 1 GiB of 4K
# anon pages, each pre-faulted, MAP_DMAed and unmapped.  Under TCG the times
# themselves mean little, so this asserts the fields, that the totals are
# their sums, the rates their quotients, and what holds on any machine: the
# 1G page is one page-table leaf and one contiguous pfn run, 1G of 4K pages
# is 262144 leaves; both take 512 pin batches of 512 pages (5.13+).
. /vmtest/lib.sh
VT_LOG_LINES=8

G1=1073741824
vt_eq "one free 1G huge page" "$(cat /sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages)" 1

vt_run timed vfio-pinctl map --json --time --type hugetlb1g --type anon:1G
vt_eq "timed: exit 0" "$VT_RC" 0
vt_jq "timed: two mappings, both agree" /tmp/timed.out \
	'(.regions | length) == 2 and ([.regions[] | .agree and .error == null] | all)'
vt_jq "timed: every region has fault_ns, map_ns, unmap_ns > 0" /tmp/timed.out \
	'[.regions[] | (.fault_ns | type) == "number" and .fault_ns > 0 and .map_ns > 0 and .unmap_ns > 0] | all'
vt_jq "timed: totals are the sums of the regions" /tmp/timed.out \
	'.time.map_ns == ([.regions[].map_ns] | add) and .time.unmap_ns == ([.regions[].unmap_ns] | add)
	 and .time.fault_ns == ([.regions[].fault_ns] | add)
	 and .time.total_ns == .time.fault_ns + .time.map_ns + .time.unmap_ns
	 and .time.mapped_bytes == 2 * 1073741824'
vt_jq "timed: rates are size / map time (bytes and 4K pages a second)" /tmp/timed.out \
	'([.regions[] | (.map_bytes_per_s - (.size_bytes * 1e9 / .map_ns | floor) | fabs) <= 1
	  and (.map_pages_per_s - (.size_bytes / 4096 * 1e9 / .map_ns | floor) | fabs) <= 1] | all)
	 and (.time.map_bytes_per_s - (.time.mapped_bytes * 1e9 / .time.map_ns | floor) | fabs) <= 1'
vt_jq "timed: 512 predicted pin batches of 512 pages each (vfio_batch, 5.13+)" /tmp/timed.out \
	'([.regions[].pin_batches_predicted == 512] | all) and .time.pin_batches_predicted == 1024 and .time.pin_batch_pages == 512'
vt_jq "timed: the 1G page is one page-table leaf, 1G of 4K pages 262144" /tmp/timed.out \
	'.regions[0].type == "hugetlb1g" and .regions[0].page_walk_leaves == 1
	 and .regions[1].type == "anon" and .regions[1].page_walk_leaves == 262144
	 and .time.page_walk_leaves == 262145'
vt_jq "timed: the 1G page is one contiguous pfn run (one iommu_map), 4K pages at least as many" \
	/tmp/timed.out '.regions[0].iommu_map_chunks == 1 and .regions[1].iommu_map_chunks >= 1
	 and .time.iommu_map_chunks == .regions[0].iommu_map_chunks + .regions[1].iommu_map_chunks'
jq -r '.regions[] | "\(.type): fault \(.fault_ns) ns, map \(.map_ns) ns, unmap \(.unmap_ns) ns, \(.map_pages_per_s) pages/s, \(.iommu_map_chunks) pfn runs"' \
	/tmp/timed.out | while read -r line; do vt_diag "$line"; done

# --repeat 2: the second pass maps memory already faulted in: fault_ns 0.
vt_run repeat vfio-pinctl map --json --time --type anon:4M --repeat 2
vt_eq "repeat: exit 0" "$VT_RC" 0
vt_jq "repeat: the pre-fault is counted once, on pass 1" /tmp/repeat.out \
	'.regions[0].pass == 1 and .regions[0].fault_ns > 0 and .regions[1].pass == 2 and .regions[1].fault_ns == 0'

# The text report: a time line, the table's time columns (shown whole in the log).
VT_LOG_LINES=20
vt_run text vfio-pinctl map --time --type anon:4M
vt_eq "text: exit 0" "$VT_RC" 0
vt_grep "text: a time line with the MAP_DMA rate" /tmp/text.out \
	'^time: +allocate\+pre-fault [0-9.]+(ns|us|ms|s), MAP_DMA [0-9.]+(ns|us|ms|s) \([0-9.]+[KMG]?i?B?/s, [0-9]+ pages/s\), unmap '
# total = pre-fault + map + unmap, each printed to 3-4 digits: within 2%.
vt_eq "text: the time line's total is the sum of its parts" "$(awk '
	function ns(v) { gsub(/[,;()]/, "", v); return v ~ /ns$/ ? v + 0 : v ~ /us$/ ? v * 1e3 : v ~ /ms$/ ? v * 1e6 : v * 1e9 }
	/^time:/ { f = ns($3); m = ns($5); u = ns($(NF - 3)); t = ns($NF)
		   d = t - (f + m + u); if (d < 0) d = -d; print (d <= 0.02 * t) ? "sum" : "got " t " for " f "+" m "+" u }' /tmp/text.out)" sum
vt_grep "text: pin batches predicted" /tmp/text.out 'pin batches 2 \(predicted: 512 pages a batch, 5\.13\+\)'
vt_grep "text: the table has FAULT, MAP, UNMAP and MAP RATE" /tmp/text.out 'FAULT +MAP +UNMAP +MAP RATE'

VT_LOG_LINES=8

# Without --time the report is what it was: no time fields at all.
vt_run plain vfio-pinctl map --json --type anon:4M
vt_eq "plain: exit 0" "$VT_RC" 0
vt_jq "plain: no time object, no per-region times" /tmp/plain.out \
	'(has("time") | not) and ([.regions[] | has("map_ns") or has("fault_ns")] | any | not)'
vt_run plain-text vfio-pinctl map --type anon:4M
vt_eq "plain text: exit 0" "$VT_RC" 0
vt_eq "plain text: no time line" "$(grep -c '^time:' /tmp/plain-text.out)" 0

vt_eq "the 1G page is free again" "$(cat /sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages)" 1
vt_done
