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

# groups
