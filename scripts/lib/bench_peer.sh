#!/usr/bin/env bash
# The shell peers of `envcheck healthcheck` and of many Postgres probes, for scripts/bench.sh:
#   parallel ENV_FILE      psql -Atc 'select 1' & curl --aws-sigv4 (ListObjectsV2) & wait:
#                          the same two proofs as healthcheck, at once; both must succeed
#   sequential ENV_FILE    pg_isready && curl --aws-sigv4: reachability (no login), then S3
#   logins ENV_FILE N      N authenticated psql logins, at most 4 at once (xargs -P 4), as
#                          `check` with N postgres probes and --max-per-target 4 makes them
# The values come from the app's env file, as envcheck reads them.
set -euo pipefail
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
  parallel)
    "$PG_BIN/psql" -XAtqc 'select 1' "$DATABASE_URL" >/dev/null &
    pg=$!
    s3 &
    s=$!
    wait "$pg"
    wait "$s"
    ;;
  sequential)
    "$PG_BIN/pg_isready" -q -t 5 -d "$DATABASE_URL" && s3
    ;;
  logins)
    seq "$3" | xargs -P 4 -I{} "$PG_BIN/psql" -XAtqc 'select 1' "$DATABASE_URL" >/dev/null
    ;;
  *)
    echo "usage: bench_peer.sh parallel|sequential|logins ENV_FILE [N]" >&2
    exit 2
    ;;
esac
