"""CPU time and peak memory of a command, per run, from the kernel's own accounting
(wait4's rusage: microsecond CPU times, ru_maxrss), which /usr/bin/time rounds to 10 ms.
Runs the command WARMUP times unmeasured, then RUNS times; writes the medians as JSON.
Output goes to /dev/null; a run that exits with another status than EXPECT is an error.

Usage: python3 bench_measure.py OUT.json RUNS WARMUP EXPECT 'COMMAND ARG...'
(the command is one string, split like a shell would, as `hyperfine -N` does)
"""
import json
import os
import shlex
import statistics
import subprocess
import sys
import time

out, runs, warmup, expect = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
command = shlex.split(sys.argv[5])


def run_once():
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != expect:
        sys.exit(f"{' '.join(command)} exited {child.returncode}, expected {expect}")
    return {"wall_ms": wall * 1000, "user_ms": usage.ru_utime * 1000, "sys_ms": usage.ru_stime * 1000,
            "cpu_ms": (usage.ru_utime + usage.ru_stime) * 1000, "max_rss_mib": usage.ru_maxrss / 1024,
            "minor_faults": usage.ru_minflt}


for _ in range(warmup):
    run_once()
samples = [run_once() for _ in range(runs)]
result = {key: statistics.median(s[key] for s in samples) for key in samples[0]}
result["max_rss_mib_max"] = max(s["max_rss_mib"] for s in samples)
result["runs"] = runs
with open(out, "w") as handle:
    json.dump(result, handle, indent=1)
print(f"  cpu {result['cpu_ms']:.1f} ms (user {result['user_ms']:.1f} + sys {result['sys_ms']:.1f}), "
      f"peak {result['max_rss_mib']:.1f} MiB, wall {result['wall_ms']:.1f} ms  [{' '.join(command)[:70]}]", file=sys.stderr)
