#!/usr/bin/env bash
# Start LocalStack, call every direct-AWS-service spec through its API Gateway into the
# real (emulated) services (scripts/tests/e2e_services.py), stop LocalStack — also when
# the check fails. Needs scripts/localstack/install.sh (the Makefile runs it).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LS_HOME="${LS_HOME:-$ROOT/.tools/localstack}"
# A run state of our own, so a LocalStack someone else started is left alone.
export LS_RUN="${LS_RUN:-$LS_HOME/run-e2e-services}"
ENDPOINT="$("$ROOT/scripts/localstack/up.sh")"
trap '"$ROOT/scripts/localstack/down.sh" >/dev/null' EXIT
timeout 240 "$LS_HOME/venv/bin/python" "$ROOT/scripts/tests/e2e_services.py" --endpoint "$ENDPOINT"
