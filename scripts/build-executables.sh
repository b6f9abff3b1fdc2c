#!/usr/bin/env bash
# Builds the workspace's binaries and examples (aws-spec, the example service, the
# benchmark binaries, axum-aws's examples) in the dev profile with make test's feature set
# (scripts/workspace-features.sh); the scripts of make test run them from target/debug.
# Selecting examples makes cargo resolve features as it does for the test build, so this
# reuses that build's dependencies: `-p aws-spec`, or `--bins` alone, resolves them
# differently and compiles them again.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/workspace-features.sh"
cd "$ROOT"
exec cargo build --quiet --workspace --features "$WORKSPACE_FEATURES" --bins --examples "$@"
