#!/usr/bin/env bash
# Container start latency: `run` of busybox `true`, berth-runtime beside runc, N runs each, alternating
# so that machine noise hits both alike. Prints each tool's median and p90 (ms) and the ratio of medians.
#
#   bench/runtime-start.sh [N]          (default N=30; root; build first: mvn -B -DskipTests package)
set -euo pipefail
n=${1:-30}
home=$(cd "$(dirname "$0")/.." && pwd -P)
berth=$home/bin/berth-runtime
runc=$(command -v runc || true)
work=$(mktemp -d /tmp/berth-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
"$home/bin/busybox-bundle" "$work/bundle" true >/dev/null

now() { date +%s%N; }
time_run() { # tool root id -> elapsed ms on stdout
  local t0 t1
  t0=$(now)
  "$1" --root "$2" run --bundle "$work/bundle" "$3" >/dev/null
  t1=$(now)
  echo $(( (t1 - t0) / 1000 ))
}
stats() { # microseconds on stdin -> "median p90" in ms
  sort -n | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; p=a[int(NR*0.9+0.5)]; printf "%.1f %.1f\n", m/1000, p/1000}'
}

: > "$work/berth.txt"; : > "$work/runc.txt"
for i in $(seq 1 3); do time_run "$berth" "$work/berth-root" "warm-$i" >/dev/null; done
for i in $(seq 1 "$n"); do
  time_run "$berth" "$work/berth-root" "b$i" >> "$work/berth.txt"
  [ -n "$runc" ] && time_run "$runc" "$work/runc-root" "r$i" >> "$work/runc.txt"
done
# The JVM's own floor: start-up and exit with nothing to do.
: > "$work/jvm.txt"
for i in $(seq 1 "$n"); do
  t0=$(now); "$berth" --version >/dev/null; t1=$(now); echo $(( (t1 - t0) / 1000 )) >> "$work/jvm.txt"
done

read -r bm bp < <(stats < "$work/berth.txt")
read -r jm jp < <(stats < "$work/jvm.txt")
printf '%-32s %10s %10s\n' "run busybox true (N=$n)" "median ms" "p90 ms"
printf '%-32s %10s %10s\n' "berth-runtime" "$bm" "$bp"
if [ -n "$runc" ]; then
  read -r rm rp < <(stats < "$work/runc.txt")
  printf '%-32s %10s %10s\n' "runc $(runc --version | head -1 | awk '{print $3}')" "$rm" "$rp"
  awk -v b="$bm" -v r="$rm" 'BEGIN { printf "%-32s %10.2fx\n", "ratio berth/runc (median)", b / r }'
fi
printf '%-32s %10s %10s\n' "berth-runtime --version (JVM)" "$jm" "$jp"
