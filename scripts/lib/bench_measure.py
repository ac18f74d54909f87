"""CPU time and peak memory of a command, per run, from the kernel's own accounting
(wait4's rusage: microsecond CPU times, ru_maxrss), which /usr/bin/time rounds to 10 ms.
Each run goes through the small C helper bench_rusage (its comment says why: a child
started from Python would report Python's own RSS as its peak). Runs the command WARMUP
times unmeasured, then RUNS times; writes the medians as JSON. A run that exits with
another status than EXPECT is an error.

Usage: python3 bench_measure.py RUSAGE_HELPER OUT.json RUNS WARMUP EXPECT 'COMMAND ARG...'
(the command is one string, split like a shell would, as `hyperfine -N` does)
"""
import json
import shlex
import statistics
import subprocess
import sys

helper, out, runs, warmup, expect = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
command = shlex.split(sys.argv[6])


def run_once():
    line = subprocess.run([helper] + command, check=True, capture_output=True, text=True).stdout.split()
    wall_us, user_us, sys_us, rss_kib, faults, status = (int(x) for x in line)
    if status != expect:
        sys.exit(f"{' '.join(command)} exited {status}, expected {expect}")
    return {"wall_ms": wall_us / 1000, "user_ms": user_us / 1000, "sys_ms": sys_us / 1000,
            "cpu_ms": (user_us + sys_us) / 1000, "max_rss_mib": rss_kib / 1024, "minor_faults": faults}


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
