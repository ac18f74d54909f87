#!/usr/bin/env bash
# The benchmark behind README's "Performance" section (docs/design.md "Performance budgets"):
# envcheck against the tools users would otherwise use, side by side, in one run.
#
#   1. healthcheck (Postgres login over TLS + a SigV4-signed S3 request) vs one
#      authenticated `psql -Atc 'select 1'`, `pg_isready`, and the shell peers
#      (`psql & curl --aws-sigv4 & wait`, `pg_isready && curl`: scripts/lib/bench_peer.sh)
#   2. the same over HTTPS: S3 and the OpenRouter stand-in behind nginx terminating TLS,
#      verified against the "system" store (below), vs the shell peers over HTTPS
#   3. check (all five probes) vs the same checks in shell (pg_isready, redis-cli, curl, grep;
#      bench_peer.sh check) and vs a Python script with psycopg, boto3, redis-py and requests
#   4. check with every network dependency hung and --timeout 2s: when does it return?
#   5. many secrets: the next_public scan vs `rg -F` for the same literals, at 1, 10, 100,
#      400 and 1000 secrets, over generated builds of 10 MiB, 100 MiB and 1 GiB
#   6. many probes: check with 1, 10, 50 and 200 postgres probes of one server with
#      max_connections = 40, vs as many psql logins 4 at a time (xargs -P 4)
#   7. the next_public scan with each prefilter kernel this CPU runs (ENVCHECK_SCAN_KERNEL),
#      at several needle counts, over a generated 100 MiB build (docs/bench.md
#      "next_public kernels"); the runs are interleaved (scripts/lib/bench_pairs.py)
#
# The "system" trust store of every command is a private copy of /etc/ssl/certs with the
# test CA added and rehashed (`openssl rehash`), given to envcheck and curl alike by
# SSL_CERT_DIR: curl still parses its default bundle file on every run, envcheck looks up
# only the issuer it needs.
#
# Wall time is hyperfine's median; CPU time (user + sys) and peak memory (max RSS) are the
# medians of the kernel's own accounting per run (scripts/lib/bench_measure.py). Writes
# docs/bench.md, docs/bench.png, docs/bench-curves.png and the numbers in README's
# Performance section.
#
# One command on a fresh Debian 12 machine with Swift: installs what is missing (Debian
# packages; PyPI packages into .venv-bench), builds the release binary, starts its own
# PostgreSQL, Redis, S3 server (moto) and OpenRouter stand-in in a temporary directory, and
# removes everything at the end. Knobs: BENCH_RUNS (fast commands, default 30),
# BENCH_CURVE_MB (scan sizes, default "10 100 1024"), BENCH_CURVE_SECRETS (default
# "1 10 100 400 1000"), BENCH_PROBES (default "1 10 50 200"),
# ENVCHECK_BIN (benchmark this binary instead of building),
# BENCH_NO_DOCS=1 (print the table only, write nothing in the repo), BENCH_ONLY=kernels
# (section 7 alone, no services: rewrites only that section of docs/bench.md),
# BENCH_KERNEL_MB (default 100), BENCH_KERNEL_NEEDLES (default "12 100 400 1000"),
# BENCH_KERNEL_RUNS (default 15), ENVCHECK_SCAN_KERNEL (sections 1 to 6 with that kernel).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh

RUNS=${BENCH_RUNS:-30}
CURVE_MB=${BENCH_CURVE_MB:-10 100 1024}
CURVE_SECRETS=${BENCH_CURVE_SECRETS:-1 10 100 400 1000}
PROBE_COUNTS=${BENCH_PROBES:-1 10 50 200}
PG_BIN=${ENVCHECK_PG_BIN:-/usr/lib/postgresql/15/bin}
ONLY=${BENCH_ONLY:-}
KERNEL_MB=${BENCH_KERNEL_MB:-100}
KERNEL_NEEDLES=${BENCH_KERNEL_NEEDLES:-12 100 400 1000}
KERNEL_RUNS=${BENCH_KERNEL_RUNS:-15}
# Each knob that lists sizes or counts is whole numbers above zero, separated by spaces.
for knob in BENCH_CURVE_MB:CURVE_MB BENCH_CURVE_SECRETS:CURVE_SECRETS BENCH_PROBES:PROBE_COUNTS BENCH_KERNEL_NEEDLES:KERNEL_NEEDLES; do
  var=${knob#*:}
  value=${!var}
  [[ $value =~ ^\ *[1-9][0-9]*(\ +[1-9][0-9]*)*\ *$ ]] \
    || { log "${knob%%:*}: '$value' is not a list of whole numbers above zero"; exit 2; }
done
[[ $RUNS =~ ^[1-9][0-9]*$ && $KERNEL_RUNS =~ ^[1-9][0-9]*$ && $KERNEL_MB =~ ^[1-9][0-9]*$ ]] \
  || { log "BENCH_RUNS, BENCH_KERNEL_RUNS and BENCH_KERNEL_MB are whole numbers above zero"; exit 2; }
# json_list LIST: the space-separated numbers as a JSON array's items.
json_list() { printf '%s\n' $1 | paste -sd, -; }

source scripts/lib/app_services.sh
make_workdir envcheck-bench
RESULTS=$WORKDIR/results
mkdir -p "$RESULTS"

if [ "$ONLY" = kernels ]; then
  ensure_debian_packages "${ENVCHECK_BUILD_PACKAGES[@]}"
  PYTHON=python3
else
  ensure_debian_packages "${ENVCHECK_BUILD_PACKAGES[@]}" postgresql redis-server redis-tools openssl ca-certificates \
    hyperfine ripgrep curl python3-venv nginx
  export ENVCHECK_VENV=${ENVCHECK_BENCH_VENV:-$ENVCHECK_ROOT/.venv-bench}
  cat scripts/requirements-test.txt scripts/requirements-bench.txt > "$WORKDIR/requirements.txt"
  ensure_venv "$WORKDIR/requirements.txt"
  PYTHON=$ENVCHECK_VENV/bin/python
fi

if [ -n "${ENVCHECK_BIN:-}" ]; then
  ENVCHECK=$ENVCHECK_BIN
else
  log "building envcheck (release, static Swift standard library)"
  swift build -c release --static-swift-stdlib --product envcheck >/dev/null
  ENVCHECK="$(swift build -c release --static-swift-stdlib --show-bin-path)/envcheck"
fi

# The NEXT_PUBLIC_* values of every env file here, inlined into the generated builds.
API_URL="https://api.bench-app.example.org/v2"
SITE_NAME="Envcheck Bench Store"
STRIPE_KEY="pk_live_51BenchEnvcheck7Qz"
public_values() {
  printf 'NEXT_PUBLIC_API_URL=%s\nNEXT_PUBLIC_SITE_NAME="%s"\nNEXT_PUBLIC_STRIPE_KEY=%s\n' "$API_URL" "$SITE_NAME" "$STRIPE_KEY"
}
# random_secrets SEED N: N env lines BENCH_SECRET_0000=... of random 32-character
# letters-and-digits secrets, the same for the same seed.
random_secrets() {
  python3 -c 'import random, string, sys
rng, chars = random.Random(int(sys.argv[1])), string.ascii_letters + string.digits
for i in range(int(sys.argv[2])): print(f"BENCH_SECRET_{i:04d}=" + "".join(rng.choice(chars) for _ in range(32)))' "$1" "$2"
}

RUSAGE=$WORKDIR/bench_rusage
"${CC:-$(command -v cc || command -v clang)}" -O2 -o "$RUSAGE" scripts/lib/bench_rusage.c
# Every command runs with an empty environment (only PATH, HOME, LANG, the private system
# store's SSL_CERT_DIR once it exists, and ENVCHECK_SCAN_KERNEL when set) from $WORKDIR, so
# nothing but the env files configures envcheck.
CERT_DIR=""
clean() {
  (cd "$WORKDIR" && env -i PATH="$PATH" HOME="$HOME" LANG=C.UTF-8 ${CERT_DIR:+SSL_CERT_DIR="$CERT_DIR"} \
    ${ENVCHECK_SCAN_KERNEL:+ENVCHECK_SCAN_KERNEL="$ENVCHECK_SCAN_KERNEL"} "$@")
}

# --- 7. next_public kernels (docs/bench.md "next_public kernels") -------------------------
# The scan of one build with each prefilter this CPU runs, the fastest first (the default);
# ratios are to it, round by round. Needle counts are of the client chunks' matcher: the 3
# values' 4 literal forms and the 6 shape literals, plus one random 32-character secret per
# needle beyond those 10 (absent from the build, so the scan reads every byte and passes).
bench_kernels() {
  local kernels=(anchors hash) n k
  grep -qw ssse3 /proc/cpuinfo && kernels=(ssse3 "${kernels[@]}")
  grep -qw avx2 /proc/cpuinfo && kernels=(avx2 "${kernels[@]}")
  log "writing a $KERNEL_MB MiB Next.js build for the kernel comparison"
  python3 scripts/lib/bench_tree.py "$WORKDIR/kernels/.next" "$KERNEL_MB" 2600 "$API_URL" "$SITE_NAME" "$STRIPE_KEY" >&2
  for n in $KERNEL_NEEDLES; do
    { echo "NEXT_BUILD_DIR=$WORKDIR/kernels/.next"; public_values; random_secrets 14 $((n > 10 ? n - 10 : 0)); } > "$WORKDIR/kernels-$n.env"
    clean "$ENVCHECK" check --only next_public --env-file "kernels-$n.env" >/dev/null \
      || { log "the next_public scan with $n needles does not pass"; exit 1; }
    local args=()
    for k in "${kernels[@]}"; do
      args+=("$k" "ENVCHECK_SCAN_KERNEL=$k $ENVCHECK check --only next_public --env-file kernels-$n.env")
    done
    log "benchmark: kernels, $n needles"
    clean "$PYTHON" "$ENVCHECK_ROOT/scripts/lib/bench_pairs.py" "$RUSAGE" "$RESULTS/kernels.$n.json" "$KERNEL_RUNS" 2 "${args[@]}"
  done
  cat > "$RESULTS/kernels.json" <<JSON
{"cpu": "$(lscpu | sed -n 's/^Model name: *//p' | head -1)", "cores": $(nproc), "date": "$(date -u +%Y-%m-%d)",
 "tree_mib": $(du -sm "$WORKDIR/kernels/.next" | cut -f1), "tree_files": $(find "$WORKDIR/kernels/.next" -type f | wc -l),
 "needles": [$(json_list "$KERNEL_NEEDLES")], "runs": $KERNEL_RUNS, "load": "$(cut -d' ' -f1-3 /proc/loadavg)"}
JSON
  rm -rf "$WORKDIR/kernels"
}
DOCS=(--docs docs --readme README.md)
[ -z "${BENCH_NO_DOCS:-}" ] || DOCS=()
if [ "$ONLY" = kernels ]; then
  bench_kernels
  "$PYTHON" scripts/lib/bench_report.py "$RESULTS" --kernels-only "${DOCS[@]:0:2}"
  exit 0
fi

# --- services -------------------------------------------------------------------------
start_app_services bench
S3_PORT=${ENVCHECK_TEST_S3_ENDPOINT##*:}

# HTTPS: nginx terminates TLS (the Postgres service's test certificate: localhost and
# 127.0.0.1, signed by its test CA) in front of the S3 server and the OpenRouter stand-in.
log "starting nginx, terminating TLS in front of S3 and OpenRouter"
S3_TLS_PORT=$(free_port)
OPENROUTER_TLS_PORT=$(free_port)
mkdir -p "$WORKDIR/nginx"
cat > "$WORKDIR/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORKDIR/nginx/nginx.pid;
error_log $WORKDIR/nginx/error.log;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path $WORKDIR/nginx/body;
  proxy_temp_path $WORKDIR/nginx/proxy;
  fastcgi_temp_path $WORKDIR/nginx/fastcgi;
  uwsgi_temp_path $WORKDIR/nginx/uwsgi;
  scgi_temp_path $WORKDIR/nginx/scgi;
  ssl_certificate $ENVCHECK_TEST_PG_SERVER_CERT_FILE;
  ssl_certificate_key $ENVCHECK_TEST_PG_SERVER_KEY_FILE;
  proxy_http_version 1.1;
  proxy_set_header Host \$http_host;
  server { listen 127.0.0.1:$S3_TLS_PORT ssl; location / { proxy_pass http://127.0.0.1:$S3_PORT; } }
  server { listen 127.0.0.1:$OPENROUTER_TLS_PORT ssl; location / { proxy_pass http://127.0.0.1:$OPENROUTER_PORT; } }
}
CONF
/usr/sbin/nginx -c "$WORKDIR/nginx/nginx.conf" -p "$WORKDIR/nginx" 2>"$WORKDIR/nginx/stderr.log" &
PIDS+=($!)
wait_for_port "$S3_TLS_PORT" 20 && wait_for_port "$OPENROUTER_TLS_PORT" 20 \
  || { log "nginx did not start:"; cat "$WORKDIR/nginx/stderr.log" "$WORKDIR/nginx/error.log" >&2 2>/dev/null; exit 1; }
# The system store every command trusts from here on: the machine's, plus the test CA.
log "making the private system trust store"
cp -a /etc/ssl/certs "$WORKDIR/system-certs"
cp "$ENVCHECK_TEST_PG_CA_FILE" "$WORKDIR/system-certs/envcheck-bench-ca.pem"
# (rehash warns about every file of the copy that is not one certificate: kept unless it fails)
openssl rehash "$WORKDIR/system-certs" 2>"$WORKDIR/rehash.log" || { log "openssl rehash failed:"; cat "$WORKDIR/rehash.log" >&2; exit 1; }
CERT_DIR=$WORKDIR/system-certs

log "starting the hung listeners"
python3 scripts/lib/bench_hung.py 4 "$WORKDIR/hung.ports" &
PIDS+=($!)
for _ in $(seq 100); do [ -s "$WORKDIR/hung.ports" ] && break; sleep 0.1; done
mapfile -t HUNG < "$WORKDIR/hung.ports"
[ ${#HUNG[@]} -eq 4 ] || { log "the hung listeners did not start"; exit 1; }

# --- Next.js builds: an app-sized one for the full check, one per scan size -------------
log "writing a 12 MiB Next.js build, and one of each of $CURVE_MB MiB"
python3 scripts/lib/bench_tree.py "$WORKDIR/app/.next" 12 120 "$API_URL" "$SITE_NAME" "$STRIPE_KEY" >/dev/null
for mb in $CURVE_MB; do
  python3 scripts/lib/bench_tree.py "$WORKDIR/scan-$mb/.next" "$mb" $(( mb < 100 ? 260 : 2600 )) "$API_URL" "$SITE_NAME" "$STRIPE_KEY" >&2
done

# pg_url PORT: the app's DATABASE_URL (TLS with certificate and host name verification).
pg_url() {
  echo "postgresql://$ENVCHECK_TEST_PG_USER:$ENVCHECK_TEST_PG_PASSWORD@127.0.0.1:$1/$ENVCHECK_TEST_PG_DB?sslmode=verify-full&sslrootcert=$ENVCHECK_TEST_PG_CA_FILE"
}
PG_URL=$(pg_url "$ENVCHECK_TEST_PG_PORT")
# What the many-probes section is measured against, as the server says it.
PG_MAX_CONNECTIONS=$("$PG_BIN/psql" -XAtqc 'show max_connections' "$PG_URL")
# app_env PG_PORT S3_PORT REDIS_PORT OPENROUTER_PORT NEXT_DIR [SCHEME]: the application's
# env file (SCHEME http, the default, or https for S3 and OpenRouter).
app_env() {
  local scheme=${6:-http}
  cat <<ENV
DATABASE_URL="$(pg_url "$1")"
S3_ENDPOINT=$scheme://127.0.0.1:$2
S3_ACCESS_KEY=$ENVCHECK_TEST_S3_ACCESS_KEY
S3_SECRET_KEY="$ENVCHECK_TEST_S3_SECRET_KEY"
S3_BUCKET=$ENVCHECK_TEST_S3_BUCKET
S3_REGION=$ENVCHECK_TEST_S3_REGION
REDIS_URL="redis://default:$REDIS_PASSWORD@127.0.0.1:$3/0"
OPENROUTER_API_KEY=$OPENROUTER_KEY
OPENROUTER_BASE_URL=$scheme://127.0.0.1:$4/api/v1
NEXT_BUILD_DIR=$5
ENV
  public_values
}
app_env "$ENVCHECK_TEST_PG_PORT" "$S3_PORT" "$REDIS_PORT" "$OPENROUTER_PORT" "$WORKDIR/app/.next" > "$WORKDIR/app.env"
app_env "$ENVCHECK_TEST_PG_PORT" "$S3_TLS_PORT" "$REDIS_PORT" "$OPENROUTER_TLS_PORT" "$WORKDIR/app/.next" https > "$WORKDIR/app-https.env"
app_env "${HUNG[0]}" "${HUNG[1]}" "${HUNG[2]}" "${HUNG[3]}" "$WORKDIR/app/.next" > "$WORKDIR/hung.env"

# The scan curve's env files (one per secret count: the three values and N random
# 32-character secrets, absent from the builds, so the scan reads every byte and passes),
# and rg's literal file for each: exactly what the next_public probe looks for in client
# chunks (each value raw and with `/` escaped as `\/`, the un-inlined-reference and
# credential-shape literals, each secret).
for n in $CURVE_SECRETS; do
  random_secrets 19 "$n" > "$WORKDIR/secrets-$n.env"
  { printf '%s\n' "$API_URL" "$SITE_NAME" "$STRIPE_KEY" "${API_URL//\//\\/}" \
      ".env.NEXT_PUBLIC_" "sk-or-" "AKIA" "postgres://" "postgresql://" "-----BEGIN "
    cut -d= -f2- "$WORKDIR/secrets-$n.env"; } > "$WORKDIR/needles-$n.txt"
  for mb in $CURVE_MB; do
    { echo "NEXT_BUILD_DIR=$WORKDIR/scan-$mb/.next"; public_values; cat "$WORKDIR/secrets-$n.env"; } > "$WORKDIR/scan-$mb-$n.env"
  done
done

# The many-probes manifests: N postgres probes of the one server.
for n in $PROBE_COUNTS; do
  { echo "version: 1"; echo "probes:"; for i in $(seq "$n"); do printf '  - id: db-%s\n    kind: postgres\n' "$i"; done; } \
    > "$WORKDIR/postgres-$n.yaml"
done

# --- measurements ---------------------------------------------------------------------
# bench GROUP RUNS WARMUP EXPECTED_EXIT NAME COMMAND [NAME COMMAND...]: hyperfine for wall
# time (results/GROUP.json), then CPU and peak memory per command (results/GROUP.N.json).
bench() {
  local group=$1 runs=$2 warmup=$3 expect=$4
  shift 4
  local args=() commands=()
  while [ $# -gt 0 ]; do args+=(-n "$1" "$2"); commands+=("$2"); shift 2; done
  log "benchmark: $group"
  local ignore=()
  [ "$expect" -eq 0 ] || ignore=(-i)
  clean hyperfine -N --style basic "${ignore[@]}" --warmup "$warmup" --runs "$runs" \
    --export-json "$RESULTS/$group.json" "${args[@]}" >&2
  local i
  for i in "${!commands[@]}"; do
    clean "$PYTHON" "$ENVCHECK_ROOT/scripts/lib/bench_measure.py" "$RUSAGE" "$RESULTS/$group.$i.json" \
      "$runs" "$warmup" "$expect" "${commands[$i]}"
  done
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
PEER=$ENVCHECK_ROOT/scripts/lib/bench_peer.sh
# Each command once, for its output: a failing probe would make every number meaningless.
clean "$ENVCHECK" check --env-file app.env >&2 || { log "envcheck check does not pass against the bench services"; exit 1; }
clean "$ENVCHECK" check --env-file app-https.env >&2 || { log "envcheck check does not pass over HTTPS"; exit 1; }
clean bash "$PEER" check app.env >&2
clean "$PYTHON" "$ENVCHECK_ROOT/scripts/lib/bench_check.py" app.env >&2
for env in app.env app-https.env; do
  for mode in parallel sequential; do clean bash "$PEER" "$mode" "$env" || { log "bench_peer.sh $mode $env fails"; exit 1; }; done
done

bench healthcheck "$RUNS" 5 0 \
  "envcheck healthcheck" "$ENVCHECK healthcheck --env-file app.env" \
  "psql -Atc 'select 1'" "$PG_BIN/psql -Atc 'select 1' '$PG_URL'" \
  "pg_isready" "$PG_BIN/pg_isready -q -d '$PG_URL'" \
  "shell: psql & curl --aws-sigv4 & wait" "bash $PEER parallel app.env" \
  "shell: pg_isready && curl --aws-sigv4" "bash $PEER sequential app.env"
bench healthcheck_https "$RUNS" 5 0 \
  "envcheck healthcheck (HTTPS S3)" "$ENVCHECK healthcheck --env-file app-https.env" \
  "shell: psql & curl --aws-sigv4 & wait (HTTPS)" "bash $PEER parallel app-https.env" \
  "shell: pg_isready && curl --aws-sigv4 (HTTPS)" "bash $PEER sequential app-https.env"
bench check "$(( RUNS / 2 > 5 ? RUNS / 2 : 5 ))" 2 0 \
  "envcheck check" "$ENVCHECK check --env-file app.env" \
  "shell: pg_isready, redis-cli, curl, grep" "bash $PEER check app.env" \
  "Python: psycopg, boto3, redis-py, requests" "$PYTHON $ENVCHECK_ROOT/scripts/lib/bench_check.py app.env"
bench hung 5 0 1 \
  "envcheck check --timeout 2s" "$ENVCHECK check --timeout 2s --env-file hung.env"
for mb in $CURVE_MB; do
  for n in $CURVE_SECRETS; do
    clean "$ENVCHECK" check --only next_public --env-file "scan-$mb-$n.env" >/dev/null \
      || { log "the next_public scan of $mb MiB with $n secrets does not pass"; exit 1; }
    bench "scan-$mb-$n" $(( mb < 100 ? 10 : 5 )) 1 0 \
      "envcheck check --only next_public" "$ENVCHECK check --only next_public --env-file scan-$mb-$n.env" \
      "rg -F" "rg -F -uu -l -f $WORKDIR/needles-$n.txt $WORKDIR/scan-$mb/.next"
  done
done
for n in $PROBE_COUNTS; do
  bench "probes-$n" $(( n < 50 ? 10 : 5 )) 1 0 \
    "envcheck check, $n postgres probes" "$ENVCHECK check --probes postgres-$n.yaml --env-file app.env" \
    "$n psql logins, 4 at a time" "bash $PEER logins app.env $n"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
bench_kernels

# --- report ---------------------------------------------------------------------------
cat > "$RESULTS/machine.json" <<JSON
{"cpu": "$(lscpu | sed -n 's/^Model name: *//p' | head -1)", "cores": $(nproc),
 "memory_gib": $(awk '/MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo),
 "os": "$(. /etc/os-release && echo "$PRETTY_NAME")", "kernel": "$(uname -r)",
 "swift": "$(swift --version 2>/dev/null | head -1 | sed 's/"//g')",
 "load_before": "$LOAD_BEFORE", "load_after": "$LOAD_AFTER",
 "curve_mb": [$(json_list "$CURVE_MB")], "curve_secrets": [$(json_list "$CURVE_SECRETS")], "probe_counts": [$(json_list "$PROBE_COUNTS")],
 "pg_max_connections": $PG_MAX_CONNECTIONS,
 "app_build_mib": $(du -sm "$WORKDIR/app/.next" | cut -f1),
 "binary_mib": $(du -m "$ENVCHECK" | cut -f1), "date": "$(date -u +%Y-%m-%d)"}
JSON
"$PYTHON" scripts/lib/bench_report.py "$RESULTS" "${DOCS[@]}"
