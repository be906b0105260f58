#!/usr/bin/env python3
"""The berth daemon's own phases: JDK 25's method tracing (JFR jdk.MethodTrace events, started in the
running daemon with `jcmd PID JFR.start method-trace=FILTER`), per method.

    jfr print --json --events jdk.MethodTrace rec.jfr | phases.py SINCE UNTIL RUNS

SINCE and UNTIL (UTC, `date -u +%FT%T.%3N`) enclose the RUNS measured commands; calls that started
outside (warm-up, other commands) are left out. Prints, for each traced method called at least once per
run, the median of its durations and its calls per run (a method called k times per run: the median of
all k*RUNS calls).
"""
import json
import re
import statistics
import sys

DURATION = re.compile(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?")


def millis(iso):
    h, m, s = DURATION.fullmatch(iso).groups()
    return ((int(h or 0) * 60 + int(m or 0)) * 60 + float(s or 0)) * 1000


def main(since, until, runs):
    events = json.load(sys.stdin)["recording"]["events"]
    calls = {}
    for e in events:
        v = e["values"]
        if not since[:23] <= v["startTime"][:23] < until[:23]:
            continue
        method = v["method"]["type"]["name"].replace("/", ".").removeprefix("berth.") + "." + v["method"]["name"]
        calls.setdefault(method, []).append(millis(v["duration"]))
    rows = []
    for method, ms in calls.items():
        if len(ms) >= runs:
            rows.append((statistics.median(ms), len(ms) / runs, method))
    print(f"{'median ms':>10} {'calls/run':>10}  method")
    for med, per_run, method in sorted(rows, reverse=True):
        if med >= 0.1:
            print(f"{med:10.2f} {per_run:10.1f}  {method}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
