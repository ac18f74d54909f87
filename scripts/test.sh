#!/usr/bin/env bash
# The full test suite, on a fresh Debian 12 machine with Swift: installs the missing
# Debian and PyPI packages, starts every shared server (scripts/services/*.sh) in a
# temporary directory, runs `swift test`, and stops them whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh

ensure_debian_packages "${ENVCHECK_BUILD_PACKAGES[@]}" "${ENVCHECK_TEST_PACKAGES[@]}"
ensure_venv scripts/requirements-test.txt
export PATH="$ENVCHECK_VENV/bin:$PATH"

WORKDIR=$(mktemp -d /tmp/envcheck-test.XXXXXX)
chmod 755 "$WORKDIR"
export ENVCHECK_TEST_WORKDIR=$WORKDIR
SERVICES=()
cleanup() {
  local status=$?
  for ((i=${#SERVICES[@]}-1; i>=0; i--)); do "stop_${SERVICES[i]}" || true; done
  rm -rf "$WORKDIR"
  exit $status
}
trap cleanup EXIT INT TERM

for service in scripts/services/*.sh; do
  [ -e "$service" ] || continue
  name=$(basename "$service" .sh)
  source "$service"
  log "starting $name"
  mkdir -p "$WORKDIR/$name"
  SERVICES+=("$name")
  "start_$name" "$WORKDIR/$name"
done

log "building"
swift build --build-tests
# The release binary exactly as the Dockerfile builds it, for the image's library check.
swift build -c release --static-swift-stdlib --product envcheck
export ENVCHECK_RELEASE_BIN="$(swift build -c release --static-swift-stdlib --show-bin-path)/envcheck"
# Timing tests (the runner's concurrency, deadlines and backoff; suites named *TimingTests)
# run first and alone, so the CPU other suites use (subprocesses, real servers) cannot blur
# what they measure.
TIMING_TESTS='EnvCheckCoreTests.RunnerTests|TimingTests'
log "running the timing tests"
swift test --skip-build --filter "$TIMING_TESTS" "$@"
log "running the test suite"
swift test --skip-build --skip "$TIMING_TESTS" "$@"
