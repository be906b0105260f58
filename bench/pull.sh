#!/usr/bin/env bash
# Pull throughput: a ~280 MB, 3-layer image (a debootstrap minbase rootfs, then two layers of 40 MB of
# random data) from a registry on loopback, into an empty store each time. berth beside `docker pull`
# (its own dockerd, own data root and socket) when dockerd is installed; runs alternate so machine
# noise hits both alike. Prints every run, each tool's median, and the ratio of medians.
#
#   bench/pull.sh [N]        (default N=5; root; build first: mvn -B -DskipTests package)
#
# berth's pulls go through its daemon (a fresh one per run, started untimed, as dockerd is). After the
# command-line runs, the same pull in one warm JVM (bench/PullWarm.java).
#
# The image is built once with umoci and cached in $BENCH_CACHE (default /var/tmp/berth-bench); the
# minbase rootfs comes from debootstrap and Debian's archive the first time.
set -euo pipefail
n=${1:-5}
home=$(cd "$(dirname "$0")/.." && pwd -P)
cache=${BENCH_CACHE:-/var/tmp/berth-bench}
work=$(mktemp -d /tmp/berth-pull-bench.XXXXXX)
mkdir -p "$cache"
registry_pid=; dockerd_pid=; berthd_pid=
cleanup() {
  [ -n "$dockerd_pid" ] && kill "$dockerd_pid" 2>/dev/null && wait "$dockerd_pid" 2>/dev/null || true
  [ -n "$berthd_pid" ] && kill "$berthd_pid" 2>/dev/null && wait "$berthd_pid" 2>/dev/null || true
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null || true
  for d in "$work"/docker-[0-9]*; do umount -R "$d" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

layout=$cache/layout
if [ ! -f "$layout/index.json" ]; then
  if [ ! -x "$cache/minbase/bin/bash" ]; then
    echo "bench: debootstrap --variant=minbase bookworm (once, a few minutes)" >&2
    debootstrap --variant=minbase bookworm "$cache/minbase" http://deb.debian.org/debian >"$cache/debootstrap.log" 2>&1
  fi
  echo "bench: building the 3-layer image with umoci (once)" >&2
  rm -rf "$layout" "$cache/bundle"
  umoci init --layout "$layout"
  umoci new --image "$layout:big"
  umoci unpack --image "$layout:big" "$cache/bundle"
  cp -a "$cache/minbase/." "$cache/bundle/rootfs/"
  umoci repack --refresh-bundle --image "$layout:big" "$cache/bundle"
  for i in 1 2; do
    head -c $((40 << 20)) /dev/urandom > "$cache/bundle/rootfs/random-$i.bin"
    umoci repack --refresh-bundle --image "$layout:big" "$cache/bundle"
  done
  umoci config --image "$layout:big" --config.cmd=/bin/bash
  umoci gc --layout "$layout"
  rm -rf "$cache/bundle"
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/registry.yml" <<YML
version: 0.1
storage:
  filesystem:
    rootdirectory: $work/registry
http:
  addr: 127.0.0.1:$port
YML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
ref=127.0.0.1:$port/bench/big:1
skopeo --insecure-policy copy --dest-tls-verify=false "oci:$layout:big" "docker://$ref" >/dev/null
size=$(du -sb "$work/registry" | cut -f1)
echo "image: $ref, $((size / 1000000)) MB in the registry (3 layers, gzip)"

# Every timed pull goes into a new, empty store, and nothing is deleted until the end: deleting thousands
# of files just before a pull makes ext4 skip their recently freed inodes one by one when the next pull
# creates files (measured here: most of the kernel time of a pull that followed an rm -rf), which is a cost
# of the benchmark loop, not of pulling. dockerd gets a new data root (and a restart) per run for the same
# reason; its start is not timed.
have_docker=
command -v dockerd >/dev/null && command -v docker >/dev/null && have_docker=1
start_dockerd() { # data root -> socket in $docker_sock
  docker_sock=$work/docker-$1.sock
  dockerd --data-root "$work/docker-$1" --exec-root "$work/docker-exec-$1" --pidfile "$work/docker-$1.pid" \
    --host "unix://$docker_sock" --bridge none --iptables=false --ip6tables=false \
    --containerd-namespace "berth-bench-$$" --containerd-plugins-namespace "berth-bench-plugins-$$" \
    >"$work/dockerd-$1.log" 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 1 100); do docker -H "unix://$docker_sock" version >/dev/null 2>&1 && return; sleep 0.1; done
  echo "bench: dockerd did not start (see $work/dockerd-$1.log)" >&2; exit 1
}
stop_dockerd() {
  kill "$dockerd_pid"; wait "$dockerd_pid" 2>/dev/null || true; dockerd_pid=
}

start_berthd() { # bin/berth is a client: berth's daemon gets a new data root per run, like dockerd
  berth_sock=$work/berth-$1.sock
  "$home/bin/berth" daemon --host "unix://$berth_sock" --root "$work/berth-root-$1" >"$work/berthd-$1.log" 2>&1 &
  berthd_pid=$!
  for _ in $(seq 1 100); do "$home/bin/berth" -H "unix://$berth_sock" version >/dev/null 2>&1 && return; sleep 0.1; done
  echo "bench: berth daemon did not start (see $work/berthd-$1.log)" >&2; exit 1
}
stop_berthd() {
  kill "$berthd_pid"; wait "$berthd_pid" 2>/dev/null || true; berthd_pid=
}

now() { date +%s%N; }
: > "$work/berth.txt"; : > "$work/docker.txt"
for i in $(seq 1 "$n"); do
  start_berthd "$i"
  sync; sleep 2
  t0=$(now); "$home/bin/berth" -H "unix://$berth_sock" pull -q "$ref" >/dev/null; t1=$(now)
  echo $(( (t1 - t0) / 1000000 )) >> "$work/berth.txt"
  stop_berthd
  if [ -n "$have_docker" ]; then
    start_dockerd "$i"
    sync; sleep 2
    t0=$(now); docker -H "unix://$docker_sock" pull -q "$ref" >/dev/null; t1=$(now)
    echo $(( (t1 - t0) / 1000000 )) >> "$work/docker.txt"
    stop_dockerd
  fi
  echo "run $i: berth $(tail -1 "$work/berth.txt") ms${have_docker:+, docker $(tail -1 "$work/docker.txt") ms}"
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
bm=$(median < "$work/berth.txt")
echo "berth pull:  median $bm ms over $n runs"
if [ -n "$have_docker" ]; then
  dm=$(median < "$work/docker.txt")
  echo "docker pull: median $dm ms over $n runs (dockerd $(dockerd --version | awk '{print $3}' | tr -d ,))"
  awk -v b="$bm" -v d="$dm" 'BEGIN {printf "berth/docker: %.2fx\n", b / d}'
fi
/usr/lib/jvm/temurin-25-jdk-amd64/bin/java --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC \
  -cp "$home/cli/target/lib/*" "$home/bench/PullWarm.java" "$ref" "$work" "$n" | grep -v '^warm-up' | tee "$work/warm.txt"
if [ -n "$have_docker" ]; then
  wm=$(awk '/median/ {print $(NF-4)}' "$work/warm.txt")
  awk -v b="$wm" -v d="$dm" 'BEGIN {printf "berth (warm JVM)/docker: %.2fx\n", b / d}'
fi
