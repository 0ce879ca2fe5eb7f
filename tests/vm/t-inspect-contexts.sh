#!/bin/sh
# vm-kernels: 6.1 6.12 iommufd iommufd-compat
# vm-args: --file /usr/bin/tar:/usr/sbin/tar --append vmtest_hugepages=8 --timeout 240
# inspect and check --pid read a holder's live DMA contexts through pidfd_getfd
# duplicates: type1's dma_avail (mappings in use = dma_entry_limit - avail, equal
# to the MAP_DMAs the holder made, as its own JSON lists them), its IOVA ranges,
# iommufd's rlimit mode (per-user, per-mm as set); asking changes nothing for the
# holder (maps, VmLck, its mappings, its device); a refused duplicate (an
# unprivileged inspect under yama ptrace_scope 2) says so and is labelled
# inferred; a capture replays the same contexts.  On the iommufd-compat kernel the
# container is iommufd's: it answers GET_INFO (no entry limit) and IOMMU_OPTION (per-mm).
. /vmtest/lib.sh
VT_LOG_LINES=15
EDU=0000:00:03.0
LIMIT=/sys/module/vfio_iommu_type1/parameters/dma_entry_limit
compat=0
case $(uname -r) in *-iommufd-compat) compat=1 ;; esac

# --- type1: three MAP_DMAs (anon, hugetlb, the edu BAR) --------------------------
# (iommufd cannot map a BAR before 6.19: on the compat container, anon and hugetlb)
bar="--type bar" src=bar-mmap
[ $compat = 1 ] && { bar= src=group; }
vfio-pinctl map --json --backend type1 --type anon:2M --type hugetlb $bar --hold >/tmp/h1.json 2>/tmp/h1.err &
bg=$!
pid=$(vt_wait_hold /tmp/h1.err)
vt_ne "type1 holder is holding" "$pid" ""
cp /proc/"$pid"/maps /tmp/maps.before
lck0=$(vt_vmlck "$pid")
vt_run i1 vfio-pinctl inspect --json "$pid"
vt_eq "inspect exits 0" "$VT_RC" 0
vt_diag "live: $(jq -c '.vfio.contexts' /tmp/i1.out)"
vt_jq "its fd is the holder's container fd" /tmp/i1.out \
	'(.vfio.contexts | length) == 1 and .vfio.contexts[0].fd == ([.vfio.fds[] | select(.kind == "container")][0].fd)'
vt_jq "the device fd (anon_inode, no fdinfo syspath before 6.18) is named by its $src" /tmp/i1.out \
	"[.vfio.fds[] | select(.kind == \"device\")][0] | .bdf == \"$EDU\" and .bdf_source == \"$src\""
vt_jq "page sizes: 4K first" /tmp/i1.out '.vfio.contexts[0].page_sizes[0] == 4096'
vfio-pinctl inspect --summary "$pid" >/tmp/i1.txt
vt_run c1 vfio-pinctl check --pid "$pid" --json
if [ $compat = 0 ]; then
	lim=$(cat $LIMIT)
	vt_diag "dma_entry_limit $lim"
	vt_jq "one context: the type1 container, asked live" /tmp/i1.out \
		'.vfio.contexts[0].kind == "type1" and .vfio.contexts[0].source == "live" and .vfio.contexts[0].reason == null'
	vt_jq "dma_entry_limit read from sysfs" /tmp/i1.out ".vfio.dma_entry_limit == $lim"
	vt_jq "type1 has no rlimit mode" /tmp/i1.out '.vfio.contexts[0].rlimit_mode == null'
	vt_grep "the text names the context" /tmp/i1.txt "context fd [0-9]+: type1, 3 mappings in use of dma_entry_limit $lim"
	vt_jq "check --pid: dma_entries PASS from the live container" /tmp/c1.out \
		'[.checks[] | select(.id == "dma_entries")][0] | .status == "PASS" and (.finding | startswith("live: container fd ") and contains($want))' \
		--arg want "has $((lim - 3)) of dma_entry_limit=$lim mappings left (3 in use)"
else
	vt_jq "one context: iommufd's compat container, asked live, per-mm (its rule, now asked)" /tmp/i1.out \
		'.vfio.contexts[0] | .kind == "iommufd-compat" and .source == "live" and .rlimit_mode == "per-mm" and (.rlimit_mode_inferred | not)'
	vt_jq "compat: no entry limit (U32_MAX left), no count" /tmp/i1.out \
		'.vfio.dma_entry_limit == null and .vfio.contexts[0].dma_avail == 4294967295 and .vfio.contexts[0].mappings_in_use == null'
	vt_grep "the text names the context" /tmp/i1.txt "context fd [0-9]+: iommufd-compat, no mapping limit, rlimit mode per-mm"
	vt_jq "check --pid: dma_entries SKIP, live: iommufd has no limit" /tmp/c1.out \
		'[.checks[] | select(.id == "dma_entries")][0] | .status == "SKIP" and (.finding | test("^live: "))'
fi

# capture + replay: the recorded answers give the same contexts
vt_run cap env PATH=/usr/sbin:$PATH vfio-pinctl capture "$pid" -o /tmp/cap.tar.gz
vt_eq "capture exits 0" "$VT_RC" 0
mkdir -p /tmp/tree && /usr/sbin/tar -xzf /tmp/cap.tar.gz -C /tmp/tree
rec=/tmp/tree/run/vfio-pinctl/contexts/$pid/$(jq '.vfio.contexts[0].fd' /tmp/i1.out)
vt_ok "the capture keeps the answers" test -s "$rec"
vt_diag "recorded: $(grep -v '^#' "$rec" | tr '\n' '|')"
vfio-pinctl --sysroot /tmp/tree inspect --json --summary "$pid" | jq -S '.vfio' >/tmp/r1.json
vfio-pinctl inspect --json --summary "$pid" | jq -S '.vfio' >/tmp/l1.json
vt_ok "replay: vfio (contexts, fds) == live" diff /tmp/l1.json /tmp/r1.json

# the holder is unchanged by being asked (three inspects, a check, a capture so far)
vt_ok "the holder's maps are unchanged" cmp /proc/"$pid"/maps /tmp/maps.before
vt_eq "the holder's VmLck is unchanged" "$(vt_vmlck "$pid")" "$lck0"
vt_run i1b vfio-pinctl inspect --json "$pid"
vt_jq "asked again: the same dma_avail" /tmp/i1b.out ".vfio.contexts[0].dma_avail == $(jq '.vfio.contexts[0].dma_avail' /tmp/i1.out)"
kill -INT "$bg"; wait "$bg"
vt_eq "the holder ends normally" "$?" 0
if [ $compat = 0 ]; then
	vt_jq "mappings_in_use == the holder's MAP_DMAs (its JSON)" /tmp/i1.out \
		".vfio.contexts[0].mappings_in_use == $(jq '.regions | length' /tmp/h1.json)"
	vt_jq "dma_avail == what the holder saw at open minus its mappings" /tmp/i1.out \
		".vfio.contexts[0].dma_avail == $(jq '.iommu.dma_avail - (.regions | length)' /tmp/h1.json)"
else
	vt_jq "compat: dma_avail == what the holder saw at open (iommufd counts nothing down)" /tmp/i1.out \
		".vfio.contexts[0].dma_avail == $(jq '.iommu.dma_avail' /tmp/h1.json)"
fi
vt_jq "IOVA ranges == the holder's" /tmp/i1.out ".vfio.contexts[0].iova_ranges == $(jq -c '.iommu.iova_ranges' /tmp/h1.json)"
vt_jq "the holder's mappings agreed and it restored its baseline" /tmp/h1.json \
	'([.regions[].agree] | all) and .baseline_restored'

# --- unprivileged: nobody asks nobody's process ------------------------------------
# pidfd_getfd needs PTRACE_MODE_ATTACH_REALCREDS: the same uid and a dumpable target
# pass the kernel's own rule; Yama's ptrace_scope 2 then refuses all but CAP_SYS_PTRACE.
scope=/proc/sys/kernel/yama/ptrace_scope
su -s /bin/sh nobody -c 'exec 7<>/dev/vfio/vfio; exec sleep 300' &
sp=$!
sleep 1
old=
[ -e $scope ] && { old=$(cat $scope); echo 0 >$scope; }
su -s /bin/sh nobody -c "vfio-pinctl inspect --json --summary $sp" >/tmp/u0.json 2>/tmp/u0.err
vt_eq "nobody inspects nobody's process: exit 0" "$?" 0
if [ $compat = 0 ]; then
	vt_jq "the same uid, ptrace_scope 0 or no Yama: the kernel lets it duplicate (live)" /tmp/u0.json \
		'.vfio.contexts[0].source == "live" and (.vfio.contexts[0].reason | test("no IOMMU set"))'
else
	vt_jq "the same uid, no Yama: live; a bare compat container is still an iommufd context (per-mm)" /tmp/u0.json \
		'.vfio.contexts[0] | .source == "live" and .kind == "iommufd-compat" and .rlimit_mode == "per-mm"'
fi
if [ -n "$old" ]; then
	echo 2 >$scope
	su -s /bin/sh nobody -c "vfio-pinctl inspect --json --summary $sp" >/tmp/u.json 2>/tmp/u.err
	vt_eq "unprivileged inspect under ptrace_scope 2 exits 0" "$?" 0
	vt_diag "refused: $(jq -c '.vfio.contexts' /tmp/u.json)"
	vt_jq "refused: labelled inferred, the reason says why" /tmp/u.json \
		'.vfio.contexts[0].source == "inferred" and (.vfio.contexts[0].reason | test("refused: not root .*ptrace_scope 2"))'
	vt_jq "inferred: no figure made up" /tmp/u.json \
		'.vfio.contexts[0].dma_avail == null and .vfio.contexts[0].mappings_in_use == null and .vfio.contexts[0].rlimit_mode_inferred'
	vt_jq "inferred kind from who serves the container" /tmp/u.json '.vfio.contexts[0].kind == "type1"'
	su -s /bin/sh nobody -c "vfio-pinctl inspect --summary $sp" >/tmp/u.txt 2>&1
	vt_grep "the text says inferred and why" /tmp/u.txt 'context fd 7: type1, inferred: pidfd_getfd refused'
	su -s /bin/sh nobody -c "vfio-pinctl check --pid $sp --json" >/tmp/uc.json 2>/tmp/uc.err
	vt_jq "check --pid refused: the estimate is judged, and the finding says the live container was not read" /tmp/uc.json \
		'[.checks[] | select(.id == "dma_entries")][0].finding | (startswith("live:") | not) and contains("its live containers were not read (pidfd_getfd refused: not root") and endswith(": inferred")'
	vt_run r2 vfio-pinctl inspect --json --summary "$sp"
	vt_jq "root (CAP_SYS_PTRACE) is let in under scope 2: live" /tmp/r2.out \
		'.vfio.contexts[0].source == "live" and .vfio.contexts[0].kind == "unknown" and (.vfio.contexts[0].reason | test("no IOMMU set"))'
	echo "$old" >$scope
else
	vt_diag "$(uname -r) has no Yama: the refusal (ptrace_scope 2) is proven on Debian's 6.1 and 6.12"
fi
kill "$sp"; wait "$sp" 2>/dev/null

# --- iommufd: /dev/iommu answers IOMMU_OPTION GET RLIMIT_MODE -----------------------
if [ -e /dev/iommu ]; then
	for mode in user mm; do
		vfio-pinctl map --json --backend iommufd --rlimit-mode $mode --type anon:2M --hold >/tmp/h2.json 2>/tmp/h2.err &
		bg=$!
		pid=$(vt_wait_hold /tmp/h2.err)
		vt_ne "iommufd holder ($mode) is holding" "$pid" ""
		lck0=$(vt_vmlck "$pid"); pin0=$(vt_vmpin "$pid")
		vt_run i2 vfio-pinctl inspect --json "$pid"
		vt_jq "iommufd ($mode): one live iommufd context, rlimit_mode per-$mode, asked" /tmp/i2.out \
			"((.vfio.contexts | length) == 1) and (.vfio.contexts[0] | .kind == \"iommufd\" and .source == \"live\" and .rlimit_mode == \"per-$mode\" and (.rlimit_mode_inferred | not))"
		vt_diag "live ($mode): $(jq -c '.vfio.contexts' /tmp/i2.out)"
		vt_jq "iommufd ($mode): no entry limit, no mapping count" /tmp/i2.out \
			'.vfio.contexts[0].mappings_in_use == null'
		vt_jq "iommufd ($mode): the cdev names its device" /tmp/i2.out \
			"[.vfio.fds[] | select(.kind == \"cdev\")][0] | .bdf == \"$EDU\" and .bdf_source == \"cdev\""
		vt_run c2 vfio-pinctl check --pid "$pid" --json
		vt_jq "check --pid: dma_entries SKIP, live: iommufd has no limit" /tmp/c2.out \
			'[.checks[] | select(.id == "dma_entries")][0] | .status == "SKIP" and (.finding | test("^live: "))'
		vt_eq "iommufd ($mode): VmLck unchanged" "$(vt_vmlck "$pid")" "$lck0"
		vt_eq "iommufd ($mode): VmPin unchanged" "$(vt_vmpin "$pid")" "$pin0"
		kill -INT "$bg"; wait "$bg"
		vt_eq "iommufd holder ($mode) ends normally" "$?" 0
		vt_jq "iommufd ($mode): the holder's mapping agreed" /tmp/h2.json '[.regions[].agree] | all'
	done
else
	case $(uname -r) in
	*iommufd*) vt_fail "the iommufd kernel has no /dev/iommu" ;;
	*) vt_diag "no /dev/iommu on $(uname -r) (Debian's kernels have no IOMMUFD): the iommufd part runs on the iommufd kernel" ;;
	esac
fi
vt_done
