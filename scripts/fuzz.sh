#!/usr/bin/env bash
# Fuzzes every parser (env files in the three dialects, interpolation, the manifest reader,
# JSON, the snapshot reader, the three `keys` readers and the keys checker) with libFuzzer, under
# AddressSanitizer.
#
#   scripts/fuzz.sh [--seconds N] [--target NAME] [--optimize] [--bless]
#
# 1. Builds Tests/Fuzz/*.swift with the EnvCheckCore sources into one binary
#    (swiftc -sanitize=fuzzer,address; cached in .build/fuzz until a source changes).
# 2. Replays every seed of Tests/Fuzz/corpus/<target>/ once and compares its outcome with
#    <seed>.expect; a seed slower than 30 s fails too (every parser must be linear: the
#    slowest seed takes about 2 s, a quadratic one took minutes).
# 3. Fuzzes each target for its share of N seconds (default 30 in all) from a copy of its
#    seeds, with a per-input timeout and a memory cap, and fails on any crash, broken
#    invariant, timeout or out-of-memory, or when a target ran fewer than
#    ENVCHECK_FUZZ_MIN_RUNS inputs (default 300). Findings go to .build/fuzz/findings/.
#
# --bless writes each seed's .expect from its current outcome (review the diff).
# --optimize builds with -O: slower to build, about five times more inputs per second,
# for long runs. Swift has no UndefinedBehaviorSanitizer; debug builds trap on overflow
# and out-of-bounds access instead, which is why the default build is -Onone.
set -euo pipefail
cd "$(dirname "$0")/.."

TOTAL_SECONDS=30
ONLY=""
OPT=-Onone
BLESS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) TOTAL_SECONDS="$2"; shift 2 ;;
    --target) ONLY="$2"; shift 2 ;;
    --optimize) OPT=-O; shift ;;
    --bless) BLESS=1; shift ;;
    *) echo "usage: scripts/fuzz.sh [--seconds N] [--target NAME] [--optimize] [--bless]" >&2; exit 2 ;;
  esac
done
MIN_RUNS=${ENVCHECK_FUZZ_MIN_RUNS:-300}
CORPUS=Tests/Fuzz/corpus
OUT=.build/fuzz
BIN=$OUT/envcheck-fuzz$OPT
mkdir -p "$OUT"
log() { printf '==> %s\n' "$*" >&2; }

# A crash report from the Swift runtime's backtracer can wait on a terminal; libFuzzer's own is enough.
export SWIFT_BACKTRACE=enable=no

mapfile -t SOURCES < <(find Sources/EnvCheckCore Sources/EnvCheckKeys Tests/Fuzz -name '*.swift' | LC_ALL=C sort)
STAMP=$( (printf '%s\n' "$OPT" "$(swiftc --version 2>&1 | head -1)"; cat "${SOURCES[@]}") | sha256sum | cut -c1-16)
if [ "$(cat "$BIN.stamp" 2>/dev/null)" != "$STAMP" ]; then
  log "building the fuzz binary ($OPT, ${#SOURCES[@]} files)"
  start=$SECONDS
  # ld.gold warns about every ASan symbol it cannot export; those lines are noise.
  swiftc -j2 -swift-version 6 -parse-as-library -module-name EnvCheckCore -sanitize=fuzzer,address "$OPT" \
    "${SOURCES[@]}" -o "$BIN" 2> >(grep -v "Cannot export local symbol" >&2)
  echo "$STAMP" > "$BIN.stamp"
  log "built in $((SECONDS - start))s"
fi

SEEDS=$(find "$CORPUS" -mindepth 2 -type f ! -name '*.expect' | wc -l)
log "replaying $SEEDS seeds"
REPLAY=$(env ENVCHECK_FUZZ_REPLAY="$CORPUS" ${BLESS:+ENVCHECK_FUZZ_BLESS=1} "$BIN") || true
echo "$REPLAY"
# The replay must have run every seed: a vacuous replay (no seeds found) is a failure.
grep -q "^replayed $SEEDS seeds of .*: 0 failures$" <<< "$REPLAY" || { log "the replay did not run all $SEEDS seeds cleanly"; exit 1; }
[ -z "$BLESS" ] || { log "wrote the .expect files: review them with git diff"; exit 0; }

TARGETS=()
for dir in "$CORPUS"/*/; do
  name=$(basename "$dir")
  [ -z "$ONLY" ] || [ "$name" = "$ONLY" ] && TARGETS+=("$name")
done
[ ${#TARGETS[@]} -gt 0 ] || { log "no target named '$ONLY'"; exit 2; }
PER_TARGET=$(( TOTAL_SECONDS / ${#TARGETS[@]} ))
[ "$PER_TARGET" -ge 1 ] || PER_TARGET=1
WORK=$(mktemp -d /tmp/envcheck-fuzz.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
FINDINGS=$OUT/findings
mkdir -p "$FINDINGS"
failed=0
for name in "${TARGETS[@]}"; do
  # Fuzz from the seeds small enough to mutate quickly (libFuzzer first runs every one of
  # them, inside the time given); the replay covered the big ones.
  mkdir -p "$WORK/$name"
  find "$CORPUS/$name" -type f ! -name "*.expect" -size -16k -exec cp {} "$WORK/$name/" \;
  set +e
  ENVCHECK_FUZZ_TARGET=$name "$BIN" -max_total_time="$PER_TARGET" -timeout=10 -rss_limit_mb=2048 -max_len=131072 \
    -print_final_stats=1 -artifact_prefix="$FINDINGS/$name-" "$WORK/$name" > "$WORK/$name.log" 2>&1
  status=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/$name.log" | tail -1)
  if [ "$status" -ne 0 ]; then
    tail -40 "$WORK/$name.log" >&2
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$WORK/$name.log" | tail -1)
    log "$name: libFuzzer found a problem (exit $status)${artifact:+: reproduce with ENVCHECK_FUZZ_TARGET=$name $BIN $artifact}"
    failed=1
  elif [ -z "$runs" ] || [ "$runs" -lt "$MIN_RUNS" ]; then
    log "$name: only ${runs:-0} inputs in ${PER_TARGET}s (at least $MIN_RUNS expected)"
    failed=1
  else
    log "$name: $runs inputs in ${PER_TARGET}s, no findings"
  fi
done
exit $failed
