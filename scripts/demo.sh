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

source scripts/lib/app_services.sh
make_workdir envcheck-demo
start_app_services demo

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
