"""Turns scripts/bench.sh's results into the budget table and the side-by-side table, and
(with --docs/--readme) writes docs/bench.md, docs/bench.png and README's Performance
section (between its bench markers). Without them it prints the tables only. With
--kernels-only it reads the kernel comparison alone and rewrites only that part of
docs/bench.md (between its kernels markers).

Usage: python bench_report.py RESULTS_DIR [--kernels-only] [--docs DIR] [--readme README.md]
"""
import argparse
import json
import os

parser = argparse.ArgumentParser()
parser.add_argument("results")
parser.add_argument("--docs")
parser.add_argument("--readme")
parser.add_argument("--kernels-only", action="store_true")
args = parser.parse_args()

BEGIN, END = "<!-- bench:begin (scripts/bench.sh writes this part) -->", "<!-- bench:end -->"
KERNELS_BEGIN = "<!-- kernels:begin (scripts/bench.sh writes this part; BENCH_ONLY=kernels this part alone) -->"
KERNELS_END = "<!-- kernels:end -->"


def load(name):
    with open(os.path.join(args.results, name)) as handle:
        return json.load(handle)


def group(name):
    """Each command of a group: its name, hyperfine's wall-time median and the rusage medians."""
    rows = []
    for i, result in enumerate(load(f"{name}.json")["results"]):
        usage = load(f"{name}.{i}.json")
        rows.append({"name": result["command"], "wall_ms": result["median"] * 1000, **{k: usage[k] for k in
                     ("cpu_ms", "user_ms", "sys_ms", "max_rss_mib", "minor_faults")}})
    return rows


def ms(value):
    return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.1f} ms"


def kernels_part():
    """The kernel comparison: each needle count, each kernel (the default first)."""
    k = load("kernels.json")
    lines = [f"Measured {k['date']} on {k['cpu']} ({k['cores']} cores; load average {k['load']} at the end): "
             f"`envcheck check --only next_public` over a generated {k['tree_mib']} MiB build ({k['tree_files']} files), "
             f"the prefilter forced with `ENVCHECK_SCAN_KERNEL`, {k['runs']} interleaved rounds after 2 warm-up rounds. "
             "Wall and CPU are medians of whole-process runs; each ratio is the median of the rounds' ratios to the "
             "default kernel (for wall, min to max in brackets).", ""]
    for n in k["needles"]:
        rows = load(f"kernels.{n}.json")["commands"]
        if len(lines) == 2:
            lines += [f"| needles | kernel | wall | wall vs {rows[0]['name']} | CPU (user + sys) | CPU vs {rows[0]['name']} |",
                      "|---|---|---|---|---|---|"]
        for i, row in enumerate(rows):
            ratio = "1× (default)" if i == 0 else f"{row['ratio']:.2f}× ({row['ratio_min']:.2f} to {row['ratio_max']:.2f})"
            cpu_ratio = "1×" if i == 0 else f"{row['cpu_ratio']:.2f}×"
            lines.append(f"| {n if i == 0 else ''} | {row['name']} | {ms(row['wall_ms'])} | {ratio} | "
                         f"{ms(row['cpu_ms'])} ({row['user_ms']:.1f} + {row['sys_ms']:.1f}) | {cpu_ratio} |")
    lines += ["", "Reproduce: `BENCH_ONLY=kernels scripts/bench.sh` (no services; `BENCH_KERNEL_MB`, "
              "`BENCH_KERNEL_NEEDLES`, `BENCH_KERNEL_RUNS`), or one kernel by hand: "
              "`ENVCHECK_SCAN_KERNEL=ssse3 envcheck check --only next_public --env-file scan.env` "
              "(`anchors`, `ssse3` or `avx2`; a name the CPU cannot run means the default)."]
    return KERNELS_BEGIN + "\n" + "\n".join(lines) + "\n" + KERNELS_END


KERNELS_DECISION = """Decision, from these measurements (`Sources/CTeddy/teddy.c`,
`Sources/EnvCheckProbes/NextPublic/LiteralMatcher.swift`):

- AVX2 Teddy stays, the default where the CPU has it: the fastest at 12 and 100 needles.
- SSSE3 Teddy stays, the fallback on x86-64 CPUs without AVX2: slower than AVX2, but faster
  than the anchor scan at 12 needles and, narrowly, at 100.
- The anchor scan stays: the fallback without SSSE3 and on other architectures. At 400
  needles it beats both Teddy kernels, which tie there (the time goes to checking the
  candidates of 8 buckets of about 50 needles each, not to the SIMD stage); the matcher
  still takes Teddy there: choosing the engine by needle count is left open.
- The AVX-512 Teddy kernel is removed: no machine here runs AVX-512, so no measurement ever
  showed it faster than AVX2."""


if args.kernels_only:
    print(kernels_part())
    if args.docs:
        path = os.path.join(args.docs, "bench.md")
        with open(path) as handle:
            text = handle.read()
        if KERNELS_BEGIN in text and KERNELS_END in text:
            head, rest = text.split(KERNELS_BEGIN, 1)
            text = head + kernels_part() + rest.split(KERNELS_END, 1)[1]
        else:
            text = text.rstrip("\n") + "\n\n## next_public kernels\n\n" + kernels_part() + "\n\n" + KERNELS_DECISION + "\n"
        with open(path, "w") as handle:
            handle.write(text)
    raise SystemExit(0)

machine = load("machine.json")
groups = {name: group(name) for name in ("healthcheck", "check", "scan", "hung")}
hc, check, scan, hung = (groups[n] for n in ("healthcheck", "check", "scan", "hung"))


budgets = [
    ("`healthcheck` no slower than one authenticated `psql -Atc 'select 1'`",
     f"{ms(hc[0]['wall_ms'])} vs {ms(hc[1]['wall_ms'])} ({hc[0]['wall_ms'] / hc[1]['wall_ms']:.2f}× psql's time)",
     hc[0]["wall_ms"] <= hc[1]["wall_ms"]),
    ("`healthcheck` CPU time (user + sys) under 20 ms", ms(hc[0]["cpu_ms"]), hc[0]["cpu_ms"] < 20),
    ("`healthcheck` peak memory under 20 MiB", f"{hc[0]['max_rss_mib']:.1f} MiB", hc[0]["max_rss_mib"] < 20),
    ("`healthcheck` vs `pg_isready` (reported, no budget)",
     f"{ms(hc[0]['wall_ms'])} vs {ms(hc[2]['wall_ms'])} ({hc[0]['wall_ms'] / hc[2]['wall_ms']:.2f}× pg_isready's time)", None),
    ("`check` (5 probes) at least 20× faster than the Python script",
     f"{check[2]['wall_ms'] / check[0]['wall_ms']:.0f}× faster ({ms(check[0]['wall_ms'])} vs {ms(check[2]['wall_ms'])})",
     check[2]["wall_ms"] >= 20 * check[0]["wall_ms"]),
    (f"`next_public` scan ({machine['scan_mib']} MiB) at least as fast as `rg -F`",
     f"{ms(scan[0]['wall_ms'])} vs {ms(scan[1]['wall_ms'])} ({scan[0]['wall_ms'] / scan[1]['wall_ms']:.2f}× rg's time)",
     scan[0]["wall_ms"] <= scan[1]["wall_ms"]),
    ("every dependency hung, `--timeout 2s`: the run ends within 2.3 s", ms(hung[0]["wall_ms"]), hung[0]["wall_ms"] <= 2300),
]


def budget_table():
    lines = ["| budget (docs/design.md) | measured (medians) | |", "|---|---|---|"]
    for text, measured, met in budgets:
        lines.append(f"| {text} | {measured} | {'—' if met is None else ('met' if met else '**missed**')} |")
    return "\n".join(lines)


TITLES = {
    "healthcheck": "healthcheck: Postgres login (TLS, scram) + signed S3 request",
    "check": f"check: all 5 probes (Next.js build of {machine['app_build_mib']} MiB)",
    "scan": f"next_public scan of a {machine['scan_mib']} MiB build ({machine['scan_files']} files)",
    "hung": "every dependency hung, --timeout 2s",
}


def side_by_side():
    lines = ["| scenario | command | wall | vs envcheck | CPU (user + sys) | peak RSS |", "|---|---|---|---|---|---|"]
    for key, rows in groups.items():
        base = rows[0]["wall_ms"]
        for i, row in enumerate(rows):
            ratio = "1×" if i == 0 else f"{row['wall_ms'] / base:.2f}×"
            cpu = f"{ms(row['cpu_ms'])} ({row['user_ms']:.1f} + {row['sys_ms']:.1f})"
            lines.append(f"| {TITLES[key] if i == 0 else ''} | `{row['name']}` | {ms(row['wall_ms'])} | {ratio} | {cpu} | "
                         f"{row['max_rss_mib']:.1f} MiB |")
    return "\n".join(lines)


def machine_line():
    m = machine
    return (f"Measured {m['date']} on {m['cpu']} ({m['cores']} cores, {m['memory_gib']} GiB), {m['os']}, kernel "
            f"{m['kernel']}, {m['swift']}; release binary built with `--static-swift-stdlib` ({m['binary_mib']} MiB). "
            f"Load average (1/5/15 min) {m['load_before']} before the run, {m['load_after']} after: the machine is shared.")


def chart(path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    figure, axes = plt.subplots(4, 1, figsize=(9, 9.5), gridspec_kw={"height_ratios": [3, 3, 2, 1.4]})
    for axis, (key, rows) in zip(axes, groups.items()):
        names = [r["name"] for r in rows][::-1]
        values = [r["wall_ms"] for r in rows][::-1]
        colours = ["#2b6cb0" if n.startswith("envcheck") else "#a0aec0" for n in names]
        bars = axis.barh(names, values, color=colours)
        base = rows[0]["wall_ms"]
        for bar, value in zip(bars, values):
            label = ms(value) + ("" if value == base else f"  ({value / base:.1f}× envcheck)")
            axis.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, " " + label, va="center", fontsize=8)
        if key == "hung":
            axis.axvline(2300, color="#c53030", linestyle="--", linewidth=1)
            axis.text(2300, 0.45, " budget 2.3 s", color="#c53030", fontsize=8)
        axis.set_title(TITLES[key], fontsize=10, loc="left")
        axis.set_xlim(0, max(values + ([2300] if key == "hung" else [])) * 1.45)
        axis.tick_params(labelsize=8)
        axis.set_xlabel("median wall time, ms", fontsize=8)
    figure.suptitle("envcheck vs the tools it replaces (lower is better)", fontsize=11)
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def document():
    return f"""# Benchmark

Generated by `scripts/bench.sh`; do not edit by hand. {machine_line()}

## Budgets

{budget_table()}

## Side by side

{side_by_side()}

![median wall time per command](bench.png)

## How it is measured

- Local services started by the script in a temporary directory: PostgreSQL 15 (TLS with
  `sslmode=verify-full`, scram-sha-256), an S3 server that verifies SigV4 (moto, plain
  HTTP), Redis 7 with a password, and a local OpenRouter stand-in
  (`scripts/lib/openrouter_stub.py`). Every command runs with an empty environment from
  the same directory and reads the same values.
- Wall time: hyperfine's median (`-N`, no shell; warm-up runs first). CPU time and peak
  memory: the median of the kernel's per-process accounting (`wait4` rusage, µs
  resolution) over as many runs again (`scripts/lib/bench_measure.py`).
- `psql` and `pg_isready` are the binaries in `/usr/lib/postgresql/15/bin`, given the same
  URL; `pg_isready` checks far less (no TLS verification of a login, no authentication).
- The shell version (`scripts/lib/bench_check.sh`) does what the usual tools can:
  `pg_isready` (no login), `redis-cli` AUTH + PING, `curl --aws-sigv4` ListObjectsV2,
  `curl` GET /key, `grep -rF` per value. The Python version (`scripts/lib/bench_check.py`)
  uses psycopg, boto3, redis-py and requests (pinned in `scripts/requirements-bench.txt`),
  one check after another, as such scripts are written.
- The scan trees are generated (`scripts/lib/bench_tree.py`): minified-JS-like webpack
  chunks, some CSS and source maps, a few prerendered pages, with the three
  `NEXT_PUBLIC_*` values inlined in a few files. `rg -F -uu -l` is given exactly the
  literals the probe looks for: each value raw and `/`-escaped, `.env.NEXT_PUBLIC_`,
  `sk-or-`, `AKIA`, `postgres://`, `postgresql://`, `-----BEGIN `. Both read from the page
  cache (warm-up run first) with every core.
- The hung run points Postgres, S3, Redis and OpenRouter at local listeners that accept
  and never answer (`scripts/lib/bench_hung.py`).

## next_public kernels

{kernels_part()}

{KERNELS_DECISION}
"""


def readme_section():
    return f"""{BEGIN}
{machine_line()}

{budget_table()}

{side_by_side()}

![median wall time per command](docs/bench.png)

Method and details: [docs/bench.md](docs/bench.md).
{END}"""


print(budget_table())
print()
print(side_by_side())
print()
print(kernels_part())
print()
print(machine_line())
if args.docs:
    os.makedirs(args.docs, exist_ok=True)
    with open(os.path.join(args.docs, "bench.md"), "w") as handle:
        handle.write(document())
    chart(os.path.join(args.docs, "bench.png"))
if args.readme:
    with open(args.readme) as handle:
        text = handle.read()
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + readme_section() + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n## Performance\n\n" + readme_section() + "\n"
    with open(args.readme, "w") as handle:
        handle.write(text)
