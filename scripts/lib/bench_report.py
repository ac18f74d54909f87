"""Turns scripts/bench.sh's results into the budget table and the side-by-side table, and
(with --docs/--readme) writes docs/bench.md, docs/bench.png and README's Performance
section (between its bench markers). Without them it prints the tables only.

Usage: python bench_report.py RESULTS_DIR [--docs DIR] [--readme README.md]
"""
import argparse
import json
import os

parser = argparse.ArgumentParser()
parser.add_argument("results")
parser.add_argument("--docs")
parser.add_argument("--readme")
args = parser.parse_args()

BEGIN, END = "<!-- bench:begin (scripts/bench.sh writes this part) -->", "<!-- bench:end -->"


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


machine = load("machine.json")
groups = {name: group(name) for name in ("healthcheck", "check", "scan", "hung")}
hc, check, scan, hung = (groups[n] for n in ("healthcheck", "check", "scan", "hung"))


def ms(value):
    return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.1f} ms"


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
