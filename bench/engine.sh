#!/usr/bin/env bash
# The engine against Docker's, each driven by the same docker CLI (/usr/bin/docker, the one CI installs), so
# that only the engine differs: berth's daemon (engine/target/classes of this checkout) and a private dockerd
# (Debian's docker.io, with the containerd it starts itself and runc), each with its own socket and root
# under a temp dir. Both run busybox with --network none: dockerd is started with --bridge none
# --iptables=false, and berth then makes no bridge either. Runs alternate between the engines so that
# machine noise hits both alike.
#
#   bench/engine.sh [N]      (default N=30; root; build first: mvn -B -o -q -pl engine -DskipTests package)
#
# BERTH_JAVA_OPTS adds JVM flags to berth's daemon (e.g. "-XX:+UseSerialGC -Xmx64m" to see what the heap
# settings do to its RSS).
#
#   (1) `run --rm busybox true`: median and p90 over N runs, after warm-up runs (berth's daemon is a JVM:
#       its first runs after start are slower, and a daemon runs warm); the first run after start apart
#   (2) `exec CTR true`: median and p90 over N runs
#   (3) BENCH_CONCURRENT (20) concurrent `run --rm busybox true`: wall time, median of BENCH_ROUNDS (3)
#   (4) per idle container (BENCH_IDLE (20) × `run -d busybox sleep 3600`): what the engine adds on the
#       host besides the container's own processes: berth's monitor, Docker's containerd-shim (RSS and
#       PSS from /proc/PID/smaps_rollup), and the daemons' RSS growth (berth's JVM; dockerd + containerd),
#       for the first BENCH_IDLE containers and, once those are removed, for BENCH_IDLE more: the second
#       figure is what running containers hold once the daemon has grown to the load (berth's JVM gets a
#       full GC before each reading there)
#   (5) the daemons' idle RSS, just started and after all of the above
#   (6) where `run --rm` and `exec` spend their time: each API call the CLI makes, timed by a proxy on
#       the socket (bench/apitrace.py), for both engines; then berth's daemon phases of both, from JDK 25
#       method tracing (jcmd JFR.start method-trace=...; bench/phases.py); BENCH_TRACED (10) runs each
#
# Everything is removed afterwards, also on failure or Ctrl-C: containers, both daemons, their roots.
set -euo pipefail
n=${1:-30}
concurrent=${BENCH_CONCURRENT:-20}
rounds=${BENCH_ROUNDS:-3}
idle=${BENCH_IDLE:-20}
traced=${BENCH_TRACED:-10}
warmup=${BENCH_WARMUP:-10}
home=$(cd "$(dirname "$0")/.." && pwd -P)
jdk=/usr/lib/jvm/temurin-25-jdk-amd64/bin
docker=/usr/bin/docker

die() { echo "bench: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root"
for tool in "$docker" dockerd containerd runc /bin/busybox python3 curl "$jdk/java" "$jdk/jcmd" "$jdk/jfr" mvn; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
[ -d "$home/engine/target/classes/berth/engine" ] || die "engine is not built: run 'mvn -B -o -q -pl engine -DskipTests package' in $home"

work=$(mktemp -d /tmp/berth-engine-bench.XXXXXX)
export DOCKER_CONFIG=$work/cli-config
berth_pid= dockerd_pid= berth_proxy= docker_proxy=
berth_sock=$work/berth.sock docker_sock=$work/docker.sock
b() { "$docker" -H "unix://$berth_sock" "$@"; }
d() { "$docker" -H "unix://$docker_sock" "$@"; }

stop_pid() { # pid: SIGTERM, then SIGKILL after 30 s
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  echo "bench: $pid did not stop on SIGTERM: SIGKILL" >&2
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  local status=$? ids m
  set +e
  if [ "$status" != 0 ]; then
    echo "bench: failed; the daemons' logs follow" >&2
    tail -n 30 "$work/berth.log" "$work/dockerd.log" >&2 2>/dev/null
  fi
  ids=$(b ps -aq 2>/dev/null); [ -n "$ids" ] && b rm -f $ids >/dev/null 2>&1
  ids=$(d ps -aq 2>/dev/null); [ -n "$ids" ] && d rm -f $ids >/dev/null 2>&1
  [ -n "$berth_proxy" ] && stop_pid "$berth_proxy"
  [ -n "$docker_proxy" ] && stop_pid "$docker_proxy"
  [ -n "$berth_pid" ] && stop_pid "$berth_pid"
  [ -n "$dockerd_pid" ] && stop_pid "$dockerd_pid"   # it stops the containerd it started
  "$home/bin/berth-drop-networks" "$work/berth-root"   # berth's networks outlive its daemon
  for m in $(awk -v w="$work/" 'index($2, w) == 1 {print $2}' /proc/self/mounts | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m"
  done
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ the image: a static busybox rootfs
mkdir -p "$work/rootfs/bin" "$work/rootfs/etc" "$work/tmp" "$DOCKER_CONFIG"
cp /bin/busybox "$work/rootfs/bin/busybox"
for applet in $(/bin/busybox --list); do
  [ "$applet" = busybox ] || ln -s busybox "$work/rootfs/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$work/rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$work/rootfs/etc/group"
tar -C "$work/rootfs" -cf "$work/busybox.tar" .

# ------------------------------------------------------------------ the daemons
(cd "$home" && mvn -B -o -q -pl engine dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >"$work/mvn.log" 2>&1) \
  || die "could not resolve the engine's classpath offline (mvn dependency:build-classpath): $(tail -n 5 "$work/mvn.log")"
executor=()
[ -x "$home/executor/target/classes/berth/executor/berth-executor" ] \
  && executor=("-Dberth.executor=$home/executor/target/classes/berth/executor/berth-executor")
await_ping() { # socket name
  local i
  for i in $(seq 1 300); do curl -sf --unix-socket "$1" http://engine/_ping >/dev/null 2>&1 && return; sleep 0.1; done
  die "$2 did not answer on $1"
}
# shellcheck disable=SC2086 # BERTH_JAVA_OPTS: extra JVM flags for berth's daemon, split on spaces
setsid "$jdk/java" --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED "-Djava.io.tmpdir=$work/tmp" \
  ${BERTH_JAVA_OPTS:-} "${executor[@]}" -cp "$home/engine/target/classes:$(cat "$work/cp.txt")" berth.engine.Daemon \
  --host "unix://$berth_sock" --root "$work/berth-root" 2>"$work/berth.log" >&2 &
berth_pid=$!
setsid dockerd --host "unix://$docker_sock" --data-root "$work/docker-root" --exec-root "$work/docker-exec" \
  --pidfile "$work/docker.pid" --bridge none --iptables=false --ip6tables=false \
  --containerd-namespace "berth-bench-$$" --containerd-plugins-namespace "berth-bench-plugins-$$" \
  >"$work/dockerd.log" 2>&1 &
dockerd_pid=$!
await_ping "$berth_sock" "berth's daemon"
await_ping "$docker_sock" dockerd
containerd_pid=$(cat "$work/docker-exec/containerd/containerd.pid")

kib() { awk -v k="$2" '$1 == k ":" {print $2}' "/proc/$1/${3:-status}"; } # pid field [file] -> kB
rss() { kib "$1" VmRSS; }
pss() { kib "$1" Pss smaps_rollup; }
sleep 2
berth_rss_fresh=$(rss "$berth_pid")
dockerd_rss_fresh=$(rss "$dockerd_pid") containerd_rss_fresh=$(rss "$containerd_pid")

b import -c 'CMD ["sh"]' "$work/busybox.tar" busybox:latest >/dev/null
d import -c 'CMD ["sh"]' "$work/busybox.tar" busybox:latest >/dev/null

# ------------------------------------------------------------------ helpers
timed() { # file command... : appends the command's wall time in µs to file; the command must succeed
  local out=$1 t0 t1
  shift
  t0=${EPOCHREALTIME/./}
  "$@" >/dev/null || die "failed: $*"
  t1=${EPOCHREALTIME/./}
  echo $((t1 - t0)) >> "$out"
}
stats() { # µs on stdin -> "median p90" in ms
  sort -n | awk '{a[NR] = $1} END {printf "%.1f %.1f\n", a[int((NR + 1) / 2)] / 1000, a[int(NR * 0.9 + 0.5)] / 1000}'
}
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
row() { # label berth docker: one line of the table with the ratio
  awk -v l="$1" -v b="$2" -v d="$3" 'BEGIN {r = d + 0 > 0 ? sprintf("%.2fx", b / d) : "-"; printf "%-46s %10s %10s %8s\n", l, b, d, r}'
}
header() { printf '\n%-46s %10s %10s %8s\n' "$1" berth docker ratio; }

run_rm() { "$1" run --rm --network none busybox true; }

# ------------------------------------------------------------------ (1) run --rm latency
timed "$work/first-b.txt" run_rm b
timed "$work/first-d.txt" run_rm d
for _ in $(seq 1 "$warmup"); do run_rm b >/dev/null; run_rm d >/dev/null; done
for _ in $(seq 1 "$n"); do
  timed "$work/run-b.txt" run_rm b
  timed "$work/run-d.txt" run_rm d
done

# ------------------------------------------------------------------ (2) exec latency
exec_ctr=bench-exec-$$
b run -d --network none --name "$exec_ctr" busybox sleep 3600 >/dev/null
d run -d --network none --name "$exec_ctr" busybox sleep 3600 >/dev/null
for _ in 1 2 3; do b exec "$exec_ctr" true; d exec "$exec_ctr" true; done
for _ in $(seq 1 "$n"); do
  timed "$work/exec-b.txt" b exec "$exec_ctr" true
  timed "$work/exec-d.txt" d exec "$exec_ctr" true
done
b rm -f "$exec_ctr" >/dev/null
d rm -f "$exec_ctr" >/dev/null

# ------------------------------------------------------------------ (3) concurrent runs
concurrent_round() { # engine -> wall µs on stdout; fails when any run failed
  local t0 t1 pids=() pid failed=0
  t0=${EPOCHREALTIME/./}
  for _ in $(seq 1 "$concurrent"); do run_rm "$1" >/dev/null 2>>"$work/concurrent-errors.txt" & pids+=($!); done
  for pid in "${pids[@]}"; do wait "$pid" || failed=$((failed + 1)); done
  t1=${EPOCHREALTIME/./}
  [ "$failed" = 0 ] || die "$failed of $concurrent concurrent runs failed on $1 ($(sort -u "$work/concurrent-errors.txt" | head -3))"
  echo $((t1 - t0))
}
for _ in $(seq 1 "$rounds"); do
  concurrent_round b >> "$work/conc-b.txt"
  concurrent_round d >> "$work/conc-d.txt"
done

# ------------------------------------------------------------------ (4) idle containers
full_gc() { "$jdk/jcmd" "$berth_pid" GC.run >/dev/null; sleep 1; }
daemons_sum() { # field pid...: the field of /proc/PID/status added up over the daemons
  local field=$1 p sum=0
  shift
  for p in "$@"; do sum=$((sum + $(kib "$p" "$field"))); done
  echo "$sum"
}
daemons_rss() { daemons_sum VmRSS "$@"; }
start_idle() { # engine -> ids in $idle_ids
  idle_ids=()
  for _ in $(seq 1 "$idle"); do idle_ids+=("$($1 run -d --network none busybox sleep 3600)"); done
  sleep 3
}
idle_containers() { # engine tag gc daemon-pid... : two rounds of $idle sleepers; records what they cost
  local engine=$1 tag=$2 gc=$3 id pid monitor before threads
  shift 3
  # round 1: what the first containers cost the daemons, garbage and heap growth included
  sleep 2
  before=$(daemons_rss "$@")
  start_idle "$engine"
  echo $(($(daemons_rss "$@") - before)) > "$work/daemon-growth-first-$tag.txt"
  $engine rm -f "${idle_ids[@]}" >/dev/null
  # round 2, with the daemons grown to this load once: what the running containers themselves hold
  sleep 2
  [ "$gc" = gc ] && full_gc
  before=$(daemons_rss "$@") threads=$(daemons_sum Threads "$@")
  start_idle "$engine"
  echo $(($(daemons_sum Threads "$@") - threads)) > "$work/daemon-threads-$tag.txt"
  : > "$work/monitor-rss-$tag.txt"; : > "$work/monitor-pss-$tag.txt"; : > "$work/monitor-comm-$tag.txt"
  for id in "${idle_ids[@]}"; do
    pid=$($engine inspect -f '{{.State.Pid}}' "$id")
    monitor=$(awk '{print $4}' "/proc/$pid/stat")
    cat "/proc/$monitor/comm" >> "$work/monitor-comm-$tag.txt"
    rss "$monitor" >> "$work/monitor-rss-$tag.txt"
    pss "$monitor" >> "$work/monitor-pss-$tag.txt"
  done
  [ "$gc" = gc ] && full_gc
  echo $(($(daemons_rss "$@") - before)) > "$work/daemon-growth-$tag.txt"
  $engine rm -f "${idle_ids[@]}" >/dev/null
}
# berth's daemon is a JVM: garbage it has not collected yet would count as container cost in round 2, so
# there it gets a full GC (jcmd GC.run) before each reading.
idle_containers b b gc "$berth_pid"
idle_containers d d no-gc "$dockerd_pid" "$containerd_pid"

# ------------------------------------------------------------------ (5) idle daemons
sleep 2
berth_rss_idle=$(rss "$berth_pid")
dockerd_rss_idle=$(rss "$dockerd_pid") containerd_rss_idle=$(rss "$containerd_pid")
full_gc
berth_rss_idle_gc=$(rss "$berth_pid")

# ------------------------------------------------------------------ (6a) the API calls of run --rm
python3 "$home/bench/apitrace.py" proxy "$work/berth-proxy.sock" "$berth_sock" "$work/trace-b.log" 2>"$work/proxy-b.log" & berth_proxy=$!
python3 "$home/bench/apitrace.py" proxy "$work/docker-proxy.sock" "$docker_sock" "$work/trace-d.log" 2>"$work/proxy-d.log" & docker_proxy=$!
for _ in $(seq 1 50); do [ -S "$work/berth-proxy.sock" ] && [ -S "$work/docker-proxy.sock" ] && break; sleep 0.1; done
mkdir -p "$work/traces"
proxied() { # tag docker-args...: the CLI through that engine's proxy
  local tag=$1
  shift
  "$docker" -H "unix://$work/$( [ "$tag" = b ] && echo berth || echo docker )-proxy.sock" "$@"
}
traced() { # tag what i docker-args...: one command through the proxy; its log kept, its wall time recorded
  local tag=$1 what=$2 i=$3
  shift 3
  : > "$work/trace-$tag.log"
  timed "$work/traced-wall-$what-$tag.txt" proxied "$tag" "$@"
  cp "$work/trace-$tag.log" "$work/traces/$what-$tag-$i.log"
}
for i in $(seq 1 "$traced"); do
  traced b run "$i" run --rm --network none busybox true
  traced d run "$i" run --rm --network none busybox true
done
proxied b run -d --network none --name "$exec_ctr" busybox sleep 3600 >/dev/null
proxied d run -d --network none --name "$exec_ctr" busybox sleep 3600 >/dev/null
for i in $(seq 1 "$traced"); do
  traced b exec "$i" exec "$exec_ctr" true
  traced d exec "$i" exec "$exec_ctr" true
done
b rm -f "$exec_ctr" >/dev/null
d rm -f "$exec_ctr" >/dev/null
for what in run exec; do
  for tag in b d; do python3 "$home/bench/apitrace.py" summary "$work/traces/$what-$tag"-*.log > "$work/api-$what-$tag.txt"; done
done

# ------------------------------------------------------------------ (6b) berth's daemon phases
traced_methods='berth.engine.api.ContainerRoutes;berth.engine.ContainerSetup;berth.engine.Containers;berth.engine.RootFs'
traced_methods+=';berth.engine.ContainerNetworking;berth.engine.ContainerIo::prepare;berth.engine.ContainerIo::follow'
traced_methods+=';berth.engine.ContainerStore;berth.engine.spec.OciSpecBuilder::build;berth.image.snapshot.Tree::delete'
traced_methods+=';berth.runtime.ContainerRuntime;berth.runtime.Launcher;berth.runtime.plan.PlanCompiler'
traced_methods+=';berth.runtime.seccomp.SeccompCompiler::compile;berth.network.Networks::bringUpLoopback'
traced_methods+=';berth.sys.LinuxSyscalls::newNetworkNamespace;berth.sys.LinuxSyscalls::inNetworkNamespace'
traced_methods+=';berth.cgroups.V1Manager;berth.cgroups.V2Manager;berth.cgroups.Cgroups'
traced_methods+=';berth.engine.api.ExecRoutes;berth.engine.Execs'
utc_now() { date -u +%FT%T.%3N; }
"$jdk/jcmd" "$berth_pid" JFR.start name=bench-phases "method-trace=$traced_methods" >/dev/null
b run -d --network none --name "$exec_ctr" busybox sleep 3600 >/dev/null
for _ in $(seq 1 5); do run_rm b >/dev/null; b exec "$exec_ctr" true; done   # instrumented methods compile again
run_since=$(utc_now)
for _ in $(seq 1 "$traced"); do run_rm b >/dev/null; done
exec_since=$(utc_now)
for _ in $(seq 1 "$traced"); do b exec "$exec_ctr" true; done
exec_until=$(utc_now)
b rm -f "$exec_ctr" >/dev/null
"$jdk/jcmd" "$berth_pid" JFR.dump name=bench-phases filename="$work/phases.jfr" >/dev/null
"$jdk/jcmd" "$berth_pid" JFR.stop name=bench-phases >/dev/null
"$jdk/jfr" print --json --events jdk.MethodTrace "$work/phases.jfr" > "$work/phases.json"
python3 "$home/bench/phases.py" "$run_since" "$exec_since" "$traced" < "$work/phases.json" > "$work/phases-run.txt"
python3 "$home/bench/phases.py" "$exec_since" "$exec_until" "$traced" < "$work/phases.json" > "$work/phases-exec.txt"

# ------------------------------------------------------------------ report
mb() { awk -v k="$1" 'BEGIN {printf "%.2f", k / 1024}'; }
echo "berth engine vs Docker $(dockerd --version | awk '{print $3}' | tr -d ,) (dockerd + containerd + runc), both driven by $docker" \
  "$("$docker" --version | awk '{print $3}' | tr -d ,); --network none for both; N=$n after $warmup warm-up runs each"
header "(1) docker run --rm busybox true"
read -r bm bp < <(stats < "$work/run-b.txt"); read -r dm dp < <(stats < "$work/run-d.txt")
row "median ms" "$bm" "$dm"; row "p90 ms" "$bp" "$dp"
row "first run after the daemon started, ms" "$(stats < "$work/first-b.txt" | cut -d' ' -f1)" "$(stats < "$work/first-d.txt" | cut -d' ' -f1)"
header "(2) docker exec CTR true"
read -r bm bp < <(stats < "$work/exec-b.txt"); read -r dm dp < <(stats < "$work/exec-d.txt")
row "median ms" "$bm" "$dm"; row "p90 ms" "$bp" "$dp"
header "(3) $concurrent concurrent run --rm (wall)"
row "median ms of $rounds rounds" "$(median < "$work/conc-b.txt" | awk '{printf "%.0f", $1 / 1000}')" \
  "$(median < "$work/conc-d.txt" | awk '{printf "%.0f", $1 / 1000}')"
header "(4) per idle container ($idle × run -d sleep), MB"
row "monitor / shim: RSS, median" \
  "$(mb "$(median < "$work/monitor-rss-b.txt")")" "$(mb "$(median < "$work/monitor-rss-d.txt")")"
row "  PSS, median" "$(mb "$(median < "$work/monitor-pss-b.txt")")" "$(mb "$(median < "$work/monitor-pss-d.txt")")"
bg=$(cat "$work/daemon-growth-b.txt") dg=$(cat "$work/daemon-growth-d.txt")
row "daemon RSS growth / container, first $idle" "$(mb $(($(cat "$work/daemon-growth-first-b.txt") / idle)))" \
  "$(mb $(($(cat "$work/daemon-growth-first-d.txt") / idle)))"
row "  the next $idle (berth: GC'd)" "$(mb $((bg / idle)))" "$(mb $((dg / idle)))"
row "daemon threads / container" "$(awk -v t="$(cat "$work/daemon-threads-b.txt")" -v n="$idle" 'BEGIN {print t / n}')" \
  "$(awk -v t="$(cat "$work/daemon-threads-d.txt")" -v n="$idle" 'BEGIN {print t / n}')"
row "total: monitor PSS + daemon growth (next $idle)" "$(mb $(($(median < "$work/monitor-pss-b.txt") + bg / idle)))" \
  "$(mb $(($(median < "$work/monitor-pss-d.txt") + dg / idle)))"
echo "    the container's parent: berth $(sort -u "$work/monitor-comm-b.txt" | paste -sd,), docker $(sort -u "$work/monitor-comm-d.txt" | paste -sd,)"
header "(5) daemon RSS, MB (docker: dockerd + containerd)"
row "just started" "$(mb "$berth_rss_fresh")" "$(mb $((dockerd_rss_fresh + containerd_rss_fresh)))"
row "idle after the runs" "$(mb "$berth_rss_idle")" "$(mb $((dockerd_rss_idle + containerd_rss_idle)))"
row "  berth's after a full GC" "$(mb "$berth_rss_idle_gc")" "$(mb $((dockerd_rss_idle + containerd_rss_idle)))"
echo "    docker's idle split: dockerd $(mb "$dockerd_rss_idle"), containerd $(mb "$containerd_rss_idle")"
api_table() { # what title
  header "$2"
  awk -F'\t' 'NR == FNR {d[$1] = $2; next} {print $1 "\t" $2 "\t" ($1 in d ? d[$1] : "-")}' \
    "$work/api-$1-d.txt" "$work/api-$1-b.txt" | while IFS=$'\t' read -r call bv dv; do row "$call" "$bv" "$dv"; done
  row "the command's wall time (CLI start-up included)" "$(stats < "$work/traced-wall-$1-b.txt" | cut -d' ' -f1)" \
    "$(stats < "$work/traced-wall-$1-d.txt" | cut -d' ' -f1)"
}
api_table run "(6a) run --rm, per API call, median ms of $traced"
api_table exec "(6a) exec CTR true, per API call, median ms of $traced"
echo
echo "(6b) berth's daemon phases (JFR method tracing, $traced runs each; a caller's time includes its callees')"
echo "run --rm:"
head -n 30 "$work/phases-run.txt"
echo "exec:"
head -n 15 "$work/phases-exec.txt"
