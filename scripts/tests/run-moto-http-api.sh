#!/usr/bin/env bash
# Start moto, import every golden HTTP API spec into its apigatewayv2 and read it back
# (scripts/tests/moto_http_api.py), stop moto — also when the check fails. moto's state
# lives in this checkout's target/ (MOTO_DIR), so parallel checkouts do not collide.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="${TOOLS_DIR:-$ROOT/.tools}"
export MOTO_DIR="${MOTO_DIR:-$ROOT/target/moto-http-api}"
ENDPOINT="$("$ROOT/scripts/moto-up.sh")"
trap '"$ROOT/scripts/moto-down.sh" >/dev/null' EXIT
timeout 120 "$TOOLS/venv/bin/python" "$ROOT/scripts/tests/moto_http_api.py" --endpoint "$ENDPOINT" "$@"
timeout 120 "$TOOLS/venv/bin/python" "$ROOT/scripts/tests/moto_http_api.py" --endpoint "$ENDPOINT" --self-test
