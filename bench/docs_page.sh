#!/usr/bin/env bash
# How long headless Chromium takes to render (and filter) the docs page of 1000 routes.
#
#   bench/docs_page.sh [RUNS]
#
# Writes bench/out/docs-1000/ with `aws-spec docs --router bench_support::routes_1000`
# (the 1000-route router of the export benchmark: 20 tags, path and query parameters,
# models, three kinds of auth), then runs bench/docs_page.py on it (RUNS runs, default
# 5) with Debian's chromium from .tools/. A measurement, not a test: BENCHMARKS.md
# ("Docs page") records its output.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${TOOLS_DIR:-$ROOT/.tools}"
cd "$ROOT"
scripts/install-tools.sh chromium >/dev/null
cargo build --quiet -p aws-spec
CARGO_TARGET_DIR="$ROOT/target" target/debug/aws-spec docs --router bench_support::routes_1000 \
  --manifest-path bench/support/Cargo.toml --title "Bench 1000" --api-version 1.0.0 \
  --out bench/out/docs-1000
timeout 600 "$TOOLS/venv/bin/python" bench/docs_page.py --chromium "$TOOLS/bin/chromium" \
  --runs "${1:-5}" bench/out/docs-1000/index.html
