#!/usr/bin/env bash
# The man page, generated from the command definitions: swift-argument-parser's
# generate-manual reads the built binary's own description of its commands and options
# (`--experimental-dump-help`), so the page cannot drift from `--help`.
#
#   scripts/man.sh BINARY OUTPUT_DIRECTORY [debug|release]
#
# The Dockerfile installs the page this writes (envcheck.1); scripts/test.sh runs it the
# same way and Tests/EndToEndTests/DockerfileTests.swift checks the result.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=$1 out=$2 configuration=${3:-debug}
swift build -c "$configuration" --product generate-manual >/dev/null
tool="$(swift build -c "$configuration" --product generate-manual --show-bin-path)/generate-manual"
mkdir -p "$out"
"$tool" "$binary" --output-directory "$out" --authors "the envcheck authors" >/dev/null
test -s "$out/envcheck.1"
