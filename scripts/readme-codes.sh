#!/usr/bin/env bash
# Regenerates README.md's codes table from the probe kinds' own declarations: writes
# `envcheck list --codes --format markdown` between the <!-- codes:begin --> and
# <!-- codes:end --> markers. Tests/EnvCheckProbesTests/Registry/DeclaredCodesTests.swift
# fails when the README differs (docs/adding-a-probe.md).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh

ensure_debian_packages "${ENVCHECK_BUILD_PACKAGES[@]}"
swift build --product envcheck >/dev/null
ENVCHECK="$(swift build --show-bin-path)/envcheck"

table=$(mktemp)
trap 'rm -f "$table" README.md.new' EXIT
"$ENVCHECK" list --codes --format markdown >"$table"
grep -q '^<!-- codes:begin -->$' README.md && grep -q '^<!-- codes:end -->$' README.md \
  || { echo "README.md lacks the <!-- codes:begin --> / <!-- codes:end --> markers" >&2; exit 1; }
awk -v table="$table" '
  /^<!-- codes:begin -->$/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
  /^<!-- codes:end -->$/   { skip = 0 }
  !skip                    { print }
' README.md >README.md.new
mv README.md.new README.md
log "README.md: codes table regenerated ($(($(wc -l <"$table") - 2)) codes)"
