# PostgreSQL 15 for the integration tests (docs/protocols.md §9, §11): a throwaway
# cluster owned by the postgres user, scram-sha-256 for TCP and the unix socket, TLS on
# with a generated CA, a role with a password and a database of its own.
#
# start_postgres WORKDIR  starts it and exports ENVCHECK_TEST_PG_{HOST,PORT,USER,PASSWORD,
#                         DB,SOCKET_DIR,CA_FILE,WRONG_CA_FILE}, and the server's own
#                         certificate and key for other TLS servers of the same names
#                         (ENVCHECK_TEST_PG_SERVER_{CERT,KEY}_FILE: localhost, 127.0.0.1)
# stop_postgres           stops it (the caller removes WORKDIR)
# Sourced by scripts/test.sh after scripts/lib/setup.sh (log, free_port, wait_for_port).

ENVCHECK_PG_BIN=${ENVCHECK_PG_BIN:-/usr/lib/postgresql/15/bin}

_pg_as_postgres() { runuser -u postgres -- "$@"; }

# _pg_make_certs DIR: a CA, a server certificate it signs (localhost, 127.0.0.1), and an
# unrelated second CA for the wrong-CA test.
_pg_make_certs() {
  local dir=$1
  openssl req -x509 -newkey rsa:2048 -nodes -days 90 -subj "/CN=envcheck test CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
  openssl req -x509 -newkey rsa:2048 -nodes -days 90 -subj "/CN=envcheck wrong CA" \
    -keyout "$dir/wrong-ca.key" -out "$dir/wrong-ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
    -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
    -days 90 -extfile "$dir/server.ext" -out "$dir/server.crt" 2>/dev/null
  rm -f "$dir/server.csr" "$dir/ca.key" "$dir/wrong-ca.key" "$dir/ca.srl"
  chmod 0600 "$dir/server.key"
}

start_postgres() {
  local workdir=$1
  [ -x "$ENVCHECK_PG_BIN/initdb" ] || ensure_debian_packages postgresql
  command -v openssl >/dev/null || ensure_debian_packages openssl
  mkdir -p "$workdir"/{data,socket,tls}
  _pg_make_certs "$workdir/tls"
  chown -R postgres:postgres "$workdir"
  chmod 0700 "$workdir/data"
  chmod 0755 "$workdir" "$workdir/socket" "$workdir/tls"
  chmod 0644 "$workdir/tls/ca.crt" "$workdir/tls/wrong-ca.crt" "$workdir/tls/server.crt"

  local password superpass port
  password="pg-$(openssl rand -hex 12)"
  superpass="su-$(openssl rand -hex 12)"
  port=$(free_port)
  printf '%s\n' "$superpass" > "$workdir/superpass"
  chown postgres:postgres "$workdir/superpass"
  chmod 0600 "$workdir/superpass"

  _pg_as_postgres "$ENVCHECK_PG_BIN/initdb" -D "$workdir/data" -U postgres --pwfile="$workdir/superpass" \
    --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$workdir/initdb.log" 2>&1 \
    || { log "initdb failed:"; cat "$workdir/initdb.log" >&2; return 1; }
  cat > "$workdir/data/pg_hba.conf" <<'EOF'
local all all             scram-sha-256
host  all all 127.0.0.1/32 scram-sha-256
host  all all ::1/128      scram-sha-256
EOF
  cat >> "$workdir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$workdir/socket'
ssl = on
ssl_cert_file = '$workdir/tls/server.crt'
ssl_key_file = '$workdir/tls/server.key'
password_encryption = 'scram-sha-256'
max_connections = 40
fsync = off
EOF
  _pg_as_postgres "$ENVCHECK_PG_BIN/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w -t 30 start >/dev/null \
    || { log "PostgreSQL did not start:"; cat "$workdir/server.log" >&2; return 1; }
  ENVCHECK_PG_DATA="$workdir/data"

  _pg_as_postgres env PGPASSWORD="$superpass" "$ENVCHECK_PG_BIN/psql" -X -q \
    -h "$workdir/socket" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 >/dev/null <<EOF \
    || { log "could not create the test role and database"; return 1; }
CREATE ROLE envcheck_app LOGIN PASSWORD '$password';
CREATE DATABASE envcheck_app OWNER envcheck_app;
EOF

  export ENVCHECK_TEST_PG_HOST=127.0.0.1
  export ENVCHECK_TEST_PG_PORT=$port
  export ENVCHECK_TEST_PG_USER=envcheck_app
  export ENVCHECK_TEST_PG_PASSWORD=$password
  export ENVCHECK_TEST_PG_DB=envcheck_app
  export ENVCHECK_TEST_PG_SOCKET_DIR=$workdir/socket
  export ENVCHECK_TEST_PG_CA_FILE=$workdir/tls/ca.crt
  export ENVCHECK_TEST_PG_WRONG_CA_FILE=$workdir/tls/wrong-ca.crt
  export ENVCHECK_TEST_PG_SERVER_CERT_FILE=$workdir/tls/server.crt
  export ENVCHECK_TEST_PG_SERVER_KEY_FILE=$workdir/tls/server.key
  log "PostgreSQL 15 on 127.0.0.1:$port (socket $workdir/socket), TLS with a test CA"
}

stop_postgres() {
  [ -n "${ENVCHECK_PG_DATA:-}" ] || return 0
  _pg_as_postgres "$ENVCHECK_PG_BIN/pg_ctl" -D "$ENVCHECK_PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true
  ENVCHECK_PG_DATA=
}
