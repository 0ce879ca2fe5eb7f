# bash completion for vfio-pinctl                          -*- shell-script -*-
# One function per command: _vfio_pinctl_<command> sets $opts (and may complete
# option arguments itself, returning 0).

_vfio_pinctl_pids() {
	COMPREPLY=($(compgen -W "self $(command ls /proc 2>/dev/null | grep '^[0-9]')" -- "$cur"))
}

_vfio_pinctl_inspect() {
	case $prev in
	-o|--output)
		local cols
		cols=$(vfio-pinctl inspect --list-columns 2>/dev/null | awk '{print $1}')
		local prefix=${cur%"${cur##*,}"}
		COMPREPLY=($(compgen -P "$prefix" -W "$cols" -- "${cur##*,}"))
		compopt -o nospace
		return 0 ;;
	--sysroot) _filedir -d; return 0 ;;
	esac
	opts="-o --output --list-columns -J --json -r --raw -P --pairs -n --noheadings
	      -b --bytes -s --summary --pages --exact --no-pagemap-scan --sysroot -h --help"
	if [[ $cur != -* ]]; then _vfio_pinctl_pids; return 0; fi
	return 1
}

_vfio_pinctl_map() {
	case $prev in
	-d|--device)
		COMPREPLY=($(compgen -W "$(command ls /sys/bus/pci/drivers/vfio-pci 2>/dev/null | grep ':')" -- "$cur"))
		return 0 ;;
	-g|--group) COMPREPLY=($(compgen -W "$(command ls /sys/kernel/iommu_groups 2>/dev/null)" -- "$cur")); return 0 ;;
	-t|--type)
		COMPREPLY=($(compgen -W "anon thp hugetlb hugetlb1g zero file mlock bar bar0 bar1 bar2 bar3 bar4 bar5 hugezero devdax fsdax vgem udmabuf dmaheap devmem ksm private writeback secretmem" -- "$cur"))
		return 0 ;;
	-u|--user) COMPREPLY=($(compgen -u -- "$cur")); return 0 ;;
	--backend) COMPREPLY=($(compgen -W "auto type1 iommufd" -- "$cur")); return 0 ;;
	--rlimit-mode) COMPREPLY=($(compgen -W "user mm" -- "$cur")); return 0 ;;
	-s|--size|-m|--memlock|-r|--repeat) return 0 ;;
	esac
	opts="-d --device -g --group -t --type -s --size -m --memlock -u --user -r --repeat
	      --backend --rlimit-mode --hold --time -J --json -b --bytes -h --help"
	return 1
}

_vfio_pinctl_bdfs() {
	COMPREPLY=($(compgen -W "$(command ls /sys/bus/pci/devices 2>/dev/null)" -- "$cur"))
}

_vfio_pinctl_check() {
	case $prev in
	-d|--device) _vfio_pinctl_bdfs; return 0 ;;
	-p|--pid) _vfio_pinctl_pids; return 0 ;;
	-u|--user) COMPREPLY=($(compgen -u -- "$cur")); return 0 ;;
	--unit)
		COMPREPLY=($(compgen -W "$(systemctl list-unit-files --type=service --no-legend 2>/dev/null | awk '{print $1}')" -- "$cur"))
		return 0 ;;
	--hugepages) COMPREPLY=($(compgen -W "2M 1G" -- "$cur")); return 0 ;;
	--backend) COMPREPLY=($(compgen -W "auto type1 iommufd iommufd-compat" -- "$cur")); return 0 ;;
	--binary|--prometheus|--nfd|--qemu-cmdline) _filedir; return 0 ;;
	--domain-xml) _filedir xml; return 0 ;;
	--sysroot) _filedir -d; return 0 ;;
	-m|--guest-mem|--mapping-size) return 0 ;;
	esac
	opts="-d --device -m --guest-mem --hugepages --viommu --mapping-size --backend
	      --qemu-cmdline --domain-xml -p --pid -u --user --unit --binary --probe -J --json --prometheus --nfd -q --quiet
	      --sysroot -h --help"
	return 1
}

_vfio_pinctl_groups() {
	case $prev in
	-o|--output)
		local cols
		cols=$(vfio-pinctl groups --list-columns 2>/dev/null | awk '{print $1}')
		local prefix=${cur%"${cur##*,}"}
		COMPREPLY=($(compgen -P "$prefix" -W "$cols" -- "${cur##*,}"))
		compopt -o nospace
		return 0 ;;
	-g|--group) COMPREPLY=($(compgen -W "$(command ls /sys/kernel/iommu_groups 2>/dev/null)" -- "$cur")); return 0 ;;
	--sysroot) _filedir -d; return 0 ;;
	esac
	opts="-g --group --not-viable -T --tree -o --output --list-columns -J --json -r --raw
	      -P --pairs -n --noheadings --sysroot -h --help"
	return 1
}

_vfio_pinctl_capture() {
	case $prev in
	-o|--output) _filedir 'tar.gz'; return 0 ;;
	-p|--pid) _vfio_pinctl_pids; return 0 ;;
	-u|--user) COMPREPLY=($(compgen -u -- "$cur")); return 0 ;;
	--unit) COMPREPLY=($(compgen -W "$(systemctl list-unit-files --type=service --no-legend 2>/dev/null | awk '{print $1}')" -- "$cur")); return 0 ;;
	esac
	opts="-o --output -p --pid -u --user --unit --redact -h --help"
	if [[ $cur != -* ]]; then _vfio_pinctl_pids; return 0; fi
	return 1
}

_vfio_pinctl() {
	local cur prev words cword opts cmd i
	_init_completion || return
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		--sysroot) ((i++)) ;;
		-*) ;;
		*) cmd=${words[i]}; break ;;
		esac
	done
	if [[ -z $cmd ]]; then
		case $prev in --sysroot) _filedir -d; return ;; esac
		COMPREPLY=($(compgen -W "inspect map check groups capture --sysroot --help --version" -- "$cur"))
		return
	fi
	if declare -F "_vfio_pinctl_${cmd}" >/dev/null; then
		"_vfio_pinctl_${cmd}" && return
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	fi
}
complete -F _vfio_pinctl vfio-pinctl
