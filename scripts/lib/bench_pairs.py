"""Paired timings for scripts/bench.sh's kernel comparison: runs several commands in turn
(A B C, then B C A, ...), so that each round's wall-time ratios to the first command are
taken while the machine is in one state; their median stays meaningful on a shared
machine whose speed drifts. Each run goes through the C helper bench_rusage, as in
bench_measure.py (its comment says why). Leading NAME=VALUE words of a command go into
its environment. Writes, per command, the medians of wall time, CPU time and peak memory,
the median (with min and max) of its per-round wall-time ratio to the first command, and
the median of its CPU-time ratio (steadier than wall time when the machine is busy).

Usage: python3 bench_pairs.py RUSAGE_HELPER OUT.json RUNS WARMUP NAME 'COMMAND' [NAME 'COMMAND'...]
(each command is one string, split like a shell would; every run must exit 0)
"""
import json
import os
import shlex
import statistics
import subprocess
import sys

helper, out, runs, warmup = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
names, commands = sys.argv[5::2], []
for text in sys.argv[6::2]:
    words, env = shlex.split(text), dict(os.environ)
    while words and "=" in words[0] and not words[0].startswith("="):
        key, value = words.pop(0).split("=", 1)
        env[key] = value
    commands.append((words, env))


def run_once(index):
    words, env = commands[index]
    line = subprocess.run([helper] + words, env=env, check=True, capture_output=True, text=True).stdout.split()
    wall_us, user_us, sys_us, rss_kib, _, status = (int(x) for x in line)
    if status != 0:
        sys.exit(f"{names[index]}: {' '.join(words)} exited {status}")
    return {"wall_ms": wall_us / 1000, "user_ms": user_us / 1000, "sys_ms": sys_us / 1000,
            "cpu_ms": (user_us + sys_us) / 1000, "max_rss_mib": rss_kib / 1024}


count = len(commands)
for _ in range(warmup):
    for i in range(count):
        run_once(i)
samples = [[] for _ in commands]
for round_ in range(runs):
    for step in range(count):
        i = (round_ + step) % count
        samples[i].append(run_once(i))
rows = []
for i, name in enumerate(names):
    row = {"name": name, **{key: statistics.median(s[key] for s in samples[i]) for key in samples[i][0]}}
    ratios = [a["wall_ms"] / b["wall_ms"] for a, b in zip(samples[i], samples[0])]
    row.update(ratio=statistics.median(ratios), ratio_min=min(ratios), ratio_max=max(ratios),
               cpu_ratio=statistics.median(a["cpu_ms"] / b["cpu_ms"] for a, b in zip(samples[i], samples[0])))
    rows.append(row)
    print(f"  {name}: wall {row['wall_ms']:.1f} ms, {row['ratio']:.2f}× {names[0]} "
          f"({row['ratio_min']:.2f} to {row['ratio_max']:.2f}), cpu {row['cpu_ms']:.1f} ms, {row['cpu_ratio']:.2f}×",
          file=sys.stderr)
with open(out, "w") as handle:
    json.dump({"runs": runs, "commands": rows}, handle, indent=1)
