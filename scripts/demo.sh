#!/usr/bin/env bash
# envcheck's main job against a working default: starts throwaway local PostgreSQL (TLS,
# scram-sha-256), Redis, an S3 server that verifies signatures (moto), an OpenRouter
# stand-in and a Next.js build; runs `envcheck check` against them (all pass), then stops
# PostgreSQL and shows the failure. Everything lives in a temporary directory and is
# removed at the end. Works on a fresh Debian 12 machine with Swift: it installs what is
# missing (Debian packages, and PyPI packages into .venv).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh
source scripts/lib/next_fixture.sh

ensure_debian_packages "${ENVCHECK_BUILD_PACKAGES[@]}" postgresql redis-server openssl ca-certificates
ensure_venv scripts/requirements-test.txt

log "building envcheck (release, static Swift standard library)"
swift build -c release --static-swift-stdlib --product envcheck >/dev/null
ENVCHECK="$(swift build -c release --static-swift-stdlib --show-bin-path)/envcheck"

WORKDIR=$(mktemp -d /tmp/envcheck-demo.XXXXXX)
chmod 755 "$WORKDIR"
PIDS=()
STOPS=()
cleanup() {
  local status=$?
  for stop in "${STOPS[@]}"; do "$stop" >/dev/null 2>&1 || true; done
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORKDIR"
  exit $status
}
trap cleanup EXIT INT TERM

source scripts/services/postgres.sh
source scripts/services/moto.sh
log "starting PostgreSQL"; mkdir -p "$WORKDIR/postgres"; STOPS+=(stop_postgres); start_postgres "$WORKDIR/postgres"
log "starting the S3 server"; mkdir -p "$WORKDIR/moto"; STOPS+=(stop_moto); start_moto "$WORKDIR/moto"

log "starting Redis"
REDIS_PORT=$(free_port)
REDIS_PASSWORD="demo-$(openssl rand -hex 8)"
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --requirepass "$REDIS_PASSWORD" --save '' --appendonly no \
  --dir "$WORKDIR" >"$WORKDIR/redis.log" 2>&1 &
PIDS+=($!)
wait_for_port "$REDIS_PORT" 20

log "starting the OpenRouter stand-in"
OPENROUTER_PORT=$(free_port)
OPENROUTER_KEY="sk-or-v1-demo$(openssl rand -hex 16)"
python3 scripts/lib/openrouter_stub.py "$OPENROUTER_PORT" "$OPENROUTER_KEY" &
PIDS+=($!)
wait_for_port "$OPENROUTER_PORT" 20

log "writing a Next.js build and the app's env file"
make_next_build "$WORKDIR/next" "https://api.demo.internal" "Envcheck Demo"
cat > "$WORKDIR/app.env" <<ENV
# The application's configuration, as a vault-agent would render it.
ENVIRONMENT=staging
DATABASE_URL="postgresql://$ENVCHECK_TEST_PG_USER:$ENVCHECK_TEST_PG_PASSWORD@localhost:$ENVCHECK_TEST_PG_PORT/$ENVCHECK_TEST_PG_DB?sslmode=verify-full&sslrootcert=$ENVCHECK_TEST_PG_CA_FILE"
S3_ENDPOINT=$ENVCHECK_TEST_S3_ENDPOINT
S3_ACCESS_KEY=$ENVCHECK_TEST_S3_ACCESS_KEY
S3_SECRET_KEY="$ENVCHECK_TEST_S3_SECRET_KEY"
S3_BUCKET=$ENVCHECK_TEST_S3_BUCKET
S3_REGION=$ENVCHECK_TEST_S3_REGION
REDIS_URL="redis://:$REDIS_PASSWORD@127.0.0.1:$REDIS_PORT/0"
OPENROUTER_API_KEY=$OPENROUTER_KEY
OPENROUTER_BASE_URL=http://127.0.0.1:$OPENROUTER_PORT/api/v1
NEXT_BUILD_DIR=$WORKDIR/next
NEXT_PUBLIC_API_URL=https://api.demo.internal
NEXT_PUBLIC_SITE_NAME="Envcheck Demo"
ENV

# envcheck sees only the env file: a clean environment, run from the work directory.
run() { (cd "$WORKDIR" && env -i PATH="$PATH" "$ENVCHECK" "$@" --env-file app.env); }
banner() { printf '\n\033[1m$ envcheck %s\033[0m\n' "$*"; }

banner "check  (every dependency up)"
run check || { log "expected every probe to pass"; exit 1; }
banner "config"
run config
banner "healthcheck"
run healthcheck

log "stopping PostgreSQL to show a failure"
stop_postgres
banner "check  (PostgreSQL stopped)"
if run check; then log "expected the postgres probe to fail"; exit 1; fi
banner "healthcheck  (PostgreSQL stopped)"
if run healthcheck; then log "expected the healthcheck to fail"; exit 1; fi
printf '\nThe demo ran as expected: all probes passed, then the stopped database was reported. Cleaning up.\n'
