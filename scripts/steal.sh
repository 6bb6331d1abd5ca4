# Sourced by the benchmark scripts: how much CPU time the hypervisor took from this VM while a case
# ran ("steal" in /proc/stat). On a shared 2-core VM it comes in bursts of 20-60%; a figure measured
# in one is not comparable with one measured in a quiet minute, so every case prints it.

# steal_start: remembers the counters.
steal_start() {
  read -r _steal_from _total_from < <(awk '/^cpu /{print $9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
}

# steal_report: prints the share of CPU time stolen since steal_start.
steal_report() {
  local steal total
  read -r steal total < <(awk '/^cpu /{print $9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
  awk -v s=$((steal - _steal_from)) -v t=$((total - _total_from)) \
    'BEGIN { printf "hypervisor steal during this case: %.1f%% of CPU time\n", (t > 0 ? 100 * s / t : 0) }'
}
