# Shared set-up for scripts/test.sh, scripts/demo.sh and scripts/bench.sh: installs what a
# fresh Debian 12 machine with Swift lacks. Source it; it defines functions only.

ENVCHECK_ROOT=${ENVCHECK_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
export ENVCHECK_ROOT
export ENVCHECK_VENV=${ENVCHECK_VENV:-$ENVCHECK_ROOT/.venv}

log() { printf '==> %s\n' "$*" >&2; }

# ensure_debian_packages PKG...: installs the packages that are not installed yet.
ensure_debian_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The system libraries envcheck builds against, and the servers and tools its tests use
# (the unit tests only the JUnit validators: xmllint and python3).
ENVCHECK_BUILD_PACKAGES=(pkg-config libpq-dev libhiredis-dev libcurl4-openssl-dev libssl-dev)
ENVCHECK_TEST_PACKAGES=(postgresql redis-server curl openssl libxml2-utils ca-certificates socat strace nginx prometheus man-db)
ENVCHECK_UNIT_TEST_PACKAGES=(libxml2-utils python3)

# ensure_venv REQUIREMENTS: a virtual environment at $ENVCHECK_VENV with the pinned packages.
ensure_venv() {
  local requirements=$1
  local stamp="$ENVCHECK_VENV/.requirements.sha256"
  local want
  want=$(sha256sum "$requirements" | cut -d' ' -f1)
  if [ -x "$ENVCHECK_VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then return 0; fi
  _make_venv
  "$ENVCHECK_VENV/bin/pip" install -q --disable-pip-version-check -r "$requirements"
  echo "$want" > "$stamp"
}

# ensure_venv_package REQUIREMENTS NAME: the virtual environment at $ENVCHECK_VENV holds NAME
# at the version REQUIREMENTS pins, and nothing else is installed for it (scripts/test.sh
# --unit needs jsonschema alone). A later ensure_venv REQUIREMENTS adds the rest.
ensure_venv_package() {
  local requirements=$1 name=$2 pin version
  pin=$(grep -E "^$name==" "$requirements") || { log "$requirements pins no $name"; return 1; }
  version=${pin#*==}
  if [ -x "$ENVCHECK_VENV/bin/python" ] && "$ENVCHECK_VENV/bin/python" -c \
    'import sys, importlib.metadata as m; sys.exit(m.version(sys.argv[1]) != sys.argv[2])' "$name" "$version" 2>/dev/null; then
    return 0
  fi
  [ -x "$ENVCHECK_VENV/bin/python" ] || _make_venv
  "$ENVCHECK_VENV/bin/pip" install -q --disable-pip-version-check "$pin"
}

_make_venv() {
  if ! python3 -m venv --help >/dev/null 2>&1; then ensure_debian_packages python3-venv; fi
  log "creating the Python virtual environment $ENVCHECK_VENV"
  python3 -m venv "$ENVCHECK_VENV" || { ensure_debian_packages python3-venv; python3 -m venv "$ENVCHECK_VENV"; }
}

# free_port: a TCP port nothing listens on right now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_for_port PORT SECONDS: until something accepts on 127.0.0.1:PORT.
wait_for_port() {
  local port=$1 deadline=$((SECONDS + ${2:-30}))
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { log "nothing listens on port $port after ${2:-30}s"; return 1; }
    sleep 0.1
  done
}
