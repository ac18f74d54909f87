#!/usr/bin/env bash
# What `envcheck check` does, as the shell one-liners people reach for, one after another:
# pg_isready (reachability only: no login), redis-cli AUTH + PING, curl with curl's own
# SigV4 for S3 ListObjectsV2 and curl for OpenRouter's GET /key, and grep for each
# NEXT_PUBLIC_* value in the Next.js build. Usage: bench_check.sh ENV_FILE
set -euo pipefail
set -a
# shellcheck disable=SC1090
. "$1"
set +a
PG_BIN=${ENVCHECK_PG_BIN:-/usr/lib/postgresql/15/bin}

"$PG_BIN/pg_isready" -q -t 5 -d "$DATABASE_URL"
[ "$(redis-cli --no-auth-warning -u "$REDIS_URL" ping)" = PONG ]
# curl 7.88 does not send x-amz-content-sha256, which S3 wants signed: add it (empty body).
curl -sSf -o /dev/null --max-time 5 --aws-sigv4 "aws:amz:$S3_REGION:s3" --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" \
  -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
  "$S3_ENDPOINT/$S3_BUCKET?list-type=2&max-keys=1"
curl -sSf -o /dev/null --max-time 5 -H "Authorization: Bearer $OPENROUTER_API_KEY" "${OPENROUTER_BASE_URL%/}/key"
while IFS='=' read -r key _; do
  case $key in NEXT_PUBLIC_*) grep -rqF -- "${!key}" "$NEXT_BUILD_DIR/static" ;; esac
done < <(env)
echo "all 5 checks passed"
