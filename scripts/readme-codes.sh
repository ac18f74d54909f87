#!/usr/bin/env bash
# Regenerates README.md's codes table and environment rules from the probe kinds' own
# declarations: writes `envcheck list --codes --format markdown` between the
# <!-- codes:begin --> and <!-- codes:end --> markers, and `envcheck list --rules --format
# markdown` between <!-- rules:begin --> and <!-- rules:end -->.
# Tests/EnvCheckProbesTests/Registry/DeclaredCodesTests.swift fails when the README differs
# (docs/adding-a-probe.md).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh

ensure_debian_packages "${ENVCHECK_BUILD_PACKAGES[@]}"
swift build --product envcheck >/dev/null
ENVCHECK="$(swift build --show-bin-path)/envcheck"

# Writes `envcheck list $1 --format markdown` between the <!-- $2:begin --> and <!-- $2:end --> markers.
regenerate() {
  local flag=$1 marker=$2 table
  table=$(mktemp)
  "$ENVCHECK" list "$flag" --format markdown >"$table"
  grep -q "^<!-- $marker:begin -->\$" README.md && grep -q "^<!-- $marker:end -->\$" README.md \
    || { echo "README.md lacks the <!-- $marker:begin --> / <!-- $marker:end --> markers" >&2; rm -f "$table"; exit 1; }
  awk -v table="$table" -v begin="<!-- $marker:begin -->" -v end="<!-- $marker:end -->" '
    $0 == begin { print; while ((getline line < table) > 0) print line; skip = 1; next }
    $0 == end   { skip = 0 }
    !skip       { print }
  ' README.md >README.md.new
  mv README.md.new README.md
  log "README.md: $marker regenerated ($(wc -l <"$table") lines)"
  rm -f "$table"
}
trap 'rm -f README.md.new' EXIT
regenerate --codes codes
regenerate --rules rules
