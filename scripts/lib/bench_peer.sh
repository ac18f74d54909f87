#!/usr/bin/env bash
# The shell peers of envcheck, for scripts/bench.sh:
#   check ENV_FILE         what `envcheck check` does, as the one-liners people reach for,
#                          one after another: pg_isready (reachability only: no login),
#                          redis-cli AUTH + PING, curl with curl's own SigV4 for S3
#                          ListObjectsV2, curl for OpenRouter's GET /key, and grep for each
#                          NEXT_PUBLIC_* value in the Next.js build
#   parallel ENV_FILE      psql -Atc 'select 1' & curl --aws-sigv4 (ListObjectsV2) & wait:
#                          the same two proofs as healthcheck, at once; both must succeed
#   sequential ENV_FILE    pg_isready && curl --aws-sigv4: reachability (no login), then S3
#   logins ENV_FILE N      N authenticated psql logins, at most 4 at once (xargs -P 4), as
#                          `check` with N postgres probes and --max-per-target 4 makes them
# The values come from the app's env file, as envcheck reads them.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: bench_peer.sh check|parallel|sequential|logins ENV_FILE [N]" >&2
  exit 2
fi
mode=$1
set -a
# shellcheck disable=SC1090
. "$2"
set +a
PG_BIN=${ENVCHECK_PG_BIN:-/usr/lib/postgresql/15/bin}

# curl 7.88 does not send x-amz-content-sha256, which S3 wants signed: add it (empty body).
s3() {
  curl -sSf -o /dev/null --max-time 5 --aws-sigv4 "aws:amz:$S3_REGION:s3" --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" \
    -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
    "$S3_ENDPOINT/$S3_BUCKET?list-type=2&max-keys=1"
}

case $mode in
  check)
    "$PG_BIN/pg_isready" -q -t 5 -d "$DATABASE_URL"
    [ "$(redis-cli --no-auth-warning -u "$REDIS_URL" ping)" = PONG ]
    s3
    curl -sSf -o /dev/null --max-time 5 -H "Authorization: Bearer $OPENROUTER_API_KEY" "${OPENROUTER_BASE_URL%/}/key"
    while IFS='=' read -r key _; do
      case $key in NEXT_PUBLIC_*) grep -rqF -- "${!key}" "$NEXT_BUILD_DIR/static" ;; esac
    done < <(env)
    echo "all 5 checks passed"
    ;;
  parallel)
    "$PG_BIN/psql" -XAtqc 'select 1' "$DATABASE_URL" >/dev/null &
    pg=$!
    s3 &
    s=$!
    # Both are waited for, so that a failed login leaves no curl behind.
    rc=0
    wait "$pg" || rc=$?
    wait "$s" || rc=$?
    exit "$rc"
    ;;
  sequential)
    "$PG_BIN/pg_isready" -q -t 5 -d "$DATABASE_URL" && s3
    ;;
  logins)
    seq "${3:?logins needs a count}" | xargs -P 4 -I{} "$PG_BIN/psql" -XAtqc 'select 1' "$DATABASE_URL" >/dev/null
    ;;
  *)
    echo "usage: bench_peer.sh check|parallel|sequential|logins ENV_FILE [N]" >&2
    exit 2
    ;;
esac
