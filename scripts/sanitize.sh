#!/usr/bin/env bash
# The next_public matcher's tests under AddressSanitizer, with its C kernels (Sources/CTeddy,
# Sources/CHashScan) also under UndefinedBehaviorSanitizer (Swift has no UBSan; its debug builds trap on
# overflow and out-of-bounds access instead). They build in the small package
# Tests/Sanitized, whose sources are symlinks to the real ones, so CI does not rebuild the
# whole package a second time. The parsers get the same treatment in scripts/fuzz.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '==> %s\n' "$*" >&2; }
export SWIFT_BACKTRACE=enable=no
FLAGS=(--package-path Tests/Sanitized --scratch-path .build/sanitized --sanitize=address
       -Xcc -fsanitize=undefined -Xcc -fno-sanitize-recover=undefined)
start=$SECONDS
log "building the matcher tests under ASan and UBSan"
swift build --build-tests "${FLAGS[@]}" 2> >(grep -v "Cannot export local symbol" >&2)
# Not vacuous: the C kernels really are instrumented by both sanitizers.
for object in teddy.c.o hashscan.c.o; do
  KERNEL=$(find .build/sanitized -name "$object" | head -1)
  [ -n "$KERNEL" ] || { log "no $object under .build/sanitized: the C kernel was not built"; exit 1; }
  for symbol in __asan_report __ubsan_handle; do
    nm "$KERNEL" | grep -q "$symbol" || { log "$KERNEL has no $symbol calls: the sanitizer flags did not reach the C kernel"; exit 1; }
  done
done
log "running them"
OUTPUT=$(swift test --skip-build --disable-xctest "${FLAGS[@]}" 2>&1) || { echo "$OUTPUT"; exit 1; }
echo "$OUTPUT" | grep -E "^✘|Test run with" || true
# Not vacuous: every @Test of the matcher's test file ran.
EXPECTED=$(grep -c "@Test" Tests/Sanitized/MatcherTests/LiteralMatcherTests.swift)
RAN=$(echo "$OUTPUT" | sed -n 's/.*Test run with \([0-9]*\) tests.*passed.*/\1/p' | tail -1)
[ "${RAN:-0}" -ge "$EXPECTED" ] || { log "only ${RAN:-0} of $EXPECTED matcher tests ran"; exit 1; }
log "$RAN matcher tests passed under ASan and UBSan in $((SECONDS - start))s"
