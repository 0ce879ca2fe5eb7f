# fish completion for vfio-pinctl: one block per command.
set -l cmds inspect map check groups
complete -c vfio-pinctl -f
complete -c vfio-pinctl -n "not __fish_seen_subcommand_from $cmds" -a inspect -d "classify a process's memory and memlock charge"
complete -c vfio-pinctl -n "not __fish_seen_subcommand_from $cmds" -a map -d "DMA-map memory types, predicted vs measured charge"
complete -c vfio-pinctl -n "not __fish_seen_subcommand_from $cmds" -a check -d "health gate for passthrough hosts"
complete -c vfio-pinctl -n "not __fish_seen_subcommand_from $cmds" -a groups -d "IOMMU groups and their devices"
complete -c vfio-pinctl -l sysroot -r -F -d "read /proc and /sys below DIR"
complete -c vfio-pinctl -s h -l help -d "show help"
complete -c vfio-pinctl -n "not __fish_seen_subcommand_from $cmds" -s V -l version -d "show the version"

# inspect
complete -c vfio-pinctl -n "__fish_seen_subcommand_from inspect" -a "self (__fish_complete_pids)"
complete -c vfio-pinctl -n "__fish_seen_subcommand_from inspect" -s o -l output -x -a "(vfio-pinctl inspect --list-columns 2>/dev/null | string trim | string split -f1 ' ')" -d "columns of the vma table"
complete -c vfio-pinctl -n "__fish_seen_subcommand_from inspect" -l list-columns -d "list the columns"
complete -c vfio-pinctl -n "__fish_seen_subcommand_from inspect" -s J -l json -d "one JSON report"
complete -c vfio-pinctl -n "__fish_seen_subcommand_from inspect" -s r -l raw -d "raw table"
complete -c vfio-pinctl -n "__fish_seen_subcommand_from inspect" -s P -l pairs -d "KEY=value table"
complete -c vfio-pinctl -n "__fish_seen_subcommand_from inspect" -s n -l noheadings -d "no headings"
complete -c vfio-pinctl -n "__fish_seen_subcommand_from inspect" -s b -l bytes -d "sizes in bytes"
complete -c vfio-pinctl -n "__fish_seen_subcommand_from inspect" -s s -l summary -d "summary only"
complete -c vfio-pinctl -n "__fish_seen_subcommand_from inspect" -l pages -d "list merged pfn runs"
complete -c vfio-pinctl -n "__fish_seen_subcommand_from inspect" -l exact -d "read every page's flags"
complete -c vfio-pinctl -n "__fish_seen_subcommand_from inspect" -l no-pagemap-scan -d "do not use PAGEMAP_SCAN"

# map

# check
set -l c "__fish_seen_subcommand_from check"
complete -c vfio-pinctl -n $c -s d -l device -x -a "(command ls /sys/bus/pci/devices 2>/dev/null)" -d "a device the guest gets"
complete -c vfio-pinctl -n $c -s m -l guest-mem -x -d "guest RAM (16G)"
complete -c vfio-pinctl -n $c -l hugepages -x -a "2M 1G" -d "guest RAM is huge pages of SIZE"
complete -c vfio-pinctl -n $c -l viommu -d "the guest has a vIOMMU"
complete -c vfio-pinctl -n $c -l mapping-size -x -d "the VMM maps guest RAM in chunks of SIZE"
complete -c vfio-pinctl -n $c -l backend -x -a "type1 iommufd" -d "DMA backend"
complete -c vfio-pinctl -n $c -s p -l pid -x -a "(__fish_complete_pids)" -d "the process that will map"
complete -c vfio-pinctl -n $c -s u -l user -x -a "(__fish_complete_users)" -d "a user at PAM login"
complete -c vfio-pinctl -n $c -l unit -x -a "(systemctl list-unit-files --type=service --no-legend 2>/dev/null | string split -f1 ' ')" -d "a systemd service"
complete -c vfio-pinctl -n $c -l binary -r -F -d "the VMM binary (file capabilities)"
complete -c vfio-pinctl -n $c -l probe -d "map and unmap a small buffer on each device"
complete -c vfio-pinctl -n $c -s J -l json -d "one JSON report"
complete -c vfio-pinctl -n $c -l prometheus -r -F -d "write node_exporter textfile metrics"
complete -c vfio-pinctl -n $c -s q -l quiet -d "status line only"

# groups
set -l g "__fish_seen_subcommand_from groups"
complete -c vfio-pinctl -n $g -s g -l group -x -a "(command ls /sys/kernel/iommu_groups 2>/dev/null)" -d "only group N"
complete -c vfio-pinctl -n $g -l not-viable -d "only groups VFIO cannot open"
complete -c vfio-pinctl -n $g -s T -l tree -d "groups with their devices as a tree"
complete -c vfio-pinctl -n $g -s o -l output -x -a "(vfio-pinctl groups --list-columns 2>/dev/null | string trim | string split -f1 ' ')" -d "columns"
complete -c vfio-pinctl -n $g -l list-columns -d "list the columns"
complete -c vfio-pinctl -n $g -s J -l json -d "JSON"
complete -c vfio-pinctl -n $g -s r -l raw -d "raw output"
complete -c vfio-pinctl -n $g -s P -l pairs -d "KEY=value output"
complete -c vfio-pinctl -n $g -s n -l noheadings -d "no headings"
