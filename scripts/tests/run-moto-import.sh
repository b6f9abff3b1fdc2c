#!/usr/bin/env bash
# Start moto, import every direct-AWS-service spec and read it back
# (scripts/tests/moto_import.py), stop moto — also when the check fails.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="${TOOLS_DIR:-$ROOT/.tools}"
ENDPOINT="$("$ROOT/scripts/moto-up.sh")"
trap '"$ROOT/scripts/moto-down.sh" >/dev/null' EXIT
timeout 120 "$TOOLS/venv/bin/python" "$ROOT/scripts/tests/moto_import.py" --endpoint "$ENDPOINT"
