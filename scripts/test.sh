#!/usr/bin/env bash
# The full test suite, on a fresh Debian 12 machine with Swift: installs the missing
# Debian and PyPI packages, starts every shared server (scripts/services/*.sh) in a
# temporary directory, runs `swift test`, and stops them whatever happens.
#
# scripts/test.sh --unit runs the unit targets alone (EnvCheckCoreTests, EnvCheckKeysTests,
# EnvCheckProbesTests, TestSupportTests): no servers, no release build, and of the venv
# only jsonschema. Other arguments go to `swift test`.
#
# Nothing may be skipped here. A test that needs a server, program or venv this run lacks
# fails instead of skipping (ENVCHECK_REQUIRE_ALL: Tests/TestSupport/Requirements.swift),
# and a run whose Swift Testing report lists any skipped test, whatever the cause, fails.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh

UNIT=false
if [ "${1:-}" = "--unit" ]; then UNIT=true; shift; fi

export ENVCHECK_REQUIRE_ALL=1

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

# run_tests NAME ARGS...: one serial `swift test` run; fails if it failed or skipped a test.
run_tests() {
  local name=$1
  shift
  swift test --skip-build --no-parallel --xunit-output "$WORKDIR/$name.xml" "$@"
  local report="$WORKDIR/$name-swift-testing.xml" skipped
  [ -s "$report" ] || { log "no Swift Testing report at $report: cannot tell whether tests were skipped"; return 1; }
  skipped=$(grep -o '<testsuite [^>]*' "$report" | sed -n 's/.* skipped="\([0-9]*\)".*/\1/p' | awk '{ n += $1 } END { print n + 0 }')
  if [ "$skipped" -ne 0 ]; then
    log "$name: $skipped test(s) skipped, and this script runs everything:"
    grep -B1 '<skipped' "$report" | sed -n 's/.*classname="\([^"]*\)" name="\([^"]*\)".*/  \1.\2/p' >&2
    return 1
  fi
}

# The layout check: .swift-format is the one style (lineLength 160); `swift format -i -r
# Sources Tests Package.swift` fixes what this reports.
lint_sources() {
  log "checking the layout (swift format lint --strict)"
  swift format lint --strict --parallel -r Sources Tests Package.swift
}

if $UNIT; then
  ensure_debian_packages "${ENVCHECK_BUILD_PACKAGES[@]}" "${ENVCHECK_UNIT_TEST_PACKAGES[@]}"
  ensure_venv_package scripts/requirements-test.txt jsonschema
  lint_sources
  log "building"
  swift build --build-tests
  log "running the unit tests"
  run_tests unit --filter '^(EnvCheckCoreTests|EnvCheckKeysTests|EnvCheckProbesTests|TestSupportTests)\.' "$@"
  exit 0
fi

ensure_debian_packages "${ENVCHECK_BUILD_PACKAGES[@]}" "${ENVCHECK_TEST_PACKAGES[@]}"
ensure_venv scripts/requirements-test.txt
export PATH="$ENVCHECK_VENV/bin:$PATH"

for service in scripts/services/*.sh; do
  [ -e "$service" ] || continue
  name=$(basename "$service" .sh)
  source "$service"
  log "starting $name"
  mkdir -p "$WORKDIR/$name"
  SERVICES+=("$name")
  "start_$name" "$WORKDIR/$name"
done

lint_sources
log "building"
swift build --build-tests
# The release binaries exactly as the Dockerfile builds them, for the image's library check.
swift build -c release --static-swift-stdlib --product envcheck
swift build -c release --static-swift-stdlib --product envcheck-serve
export ENVCHECK_RELEASE_BIN="$(swift build -c release --static-swift-stdlib --show-bin-path)/envcheck"
# The man page, generated as the Dockerfile generates it, for DockerfileTests.
scripts/man.sh "$(swift build --show-bin-path)/envcheck" "$WORKDIR/man"
export ENVCHECK_MAN_PAGE="$WORKDIR/man/envcheck.1"
# Tests run one at a time: many of them give real probes deadlines of a second or two
# against real servers, and on a 2-core machine a parallel run lets one test's servers and
# subprocesses starve another's deadline. (Serially the suite takes well under a minute.)
# Timing tests (the runner's concurrency, deadlines and backoff; suites named *TimingTests)
# run first, on a quiet machine.
TIMING_TESTS='EnvCheckCoreTests.RunnerTests|TimingTests'
log "running the timing tests"
run_tests timing --filter "$TIMING_TESTS" "$@"
log "running the test suite"
run_tests suite --skip "$TIMING_TESTS" "$@"
# Memory safety and fuzzing (README, "Fuzzing and sanitizers"): part of the full run only,
# not of a focused one (`scripts/test.sh --filter ...`).
if [ $# -eq 0 ]; then
  log "the matcher tests under ASan and UBSan"
  scripts/sanitize.sh
  log "the parsers' fuzz corpus and a bounded fuzz run under ASan"
  scripts/fuzz.sh --seconds 30
fi
