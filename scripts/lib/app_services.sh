# The throwaway services an application would depend on, for scripts/demo.sh and
# scripts/bench.sh: PostgreSQL (TLS, scram-sha-256), an S3 server that verifies SigV4
# (moto), Redis with a password, and the OpenRouter stand-in. Source it after
# scripts/lib/setup.sh, with ENVCHECK_VENV holding moto.
#
# make_workdir PREFIX          creates $WORKDIR and a trap that stops everything started
#                              (register with PIDS+=(pid) or STOPS+=(function)) and removes it
# start_app_services LABEL     starts the four; exports the ENVCHECK_TEST_PG_* and
#                              ENVCHECK_TEST_S3_* variables, REDIS_PORT, REDIS_PASSWORD,
#                              OPENROUTER_PORT and OPENROUTER_KEY

make_workdir() {
  WORKDIR=$(mktemp -d "/tmp/$1.XXXXXX")
  chmod 755 "$WORKDIR"
  PIDS=()
  STOPS=()
  trap _app_services_cleanup EXIT INT TERM
}

_app_services_cleanup() {
  local status=$?
  for stop in "${STOPS[@]}"; do "$stop" >/dev/null 2>&1 || true; done
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORKDIR"
  exit $status
}

start_app_services() {
  local label=$1
  source "$ENVCHECK_ROOT/scripts/services/postgres.sh"
  source "$ENVCHECK_ROOT/scripts/services/moto.sh"
  log "starting PostgreSQL"; mkdir -p "$WORKDIR/postgres"; STOPS+=(stop_postgres); start_postgres "$WORKDIR/postgres"
  log "starting the S3 server"; mkdir -p "$WORKDIR/moto"; STOPS+=(stop_moto); start_moto "$WORKDIR/moto"

  log "starting Redis"
  REDIS_PORT=$(free_port)
  REDIS_PASSWORD="$label-$(openssl rand -hex 8)"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --requirepass "$REDIS_PASSWORD" --save '' --appendonly no \
    --dir "$WORKDIR" >"$WORKDIR/redis.log" 2>&1 &
  PIDS+=($!)
  wait_for_port "$REDIS_PORT" 20

  log "starting the OpenRouter stand-in"
  OPENROUTER_PORT=$(free_port)
  OPENROUTER_KEY="sk-or-v1-$label$(openssl rand -hex 16)"
  python3 "$ENVCHECK_ROOT/scripts/lib/openrouter_stub.py" "$OPENROUTER_PORT" "$OPENROUTER_KEY" &
  PIDS+=($!)
  wait_for_port "$OPENROUTER_PORT" 20
  export REDIS_PORT REDIS_PASSWORD OPENROUTER_PORT OPENROUTER_KEY
}
