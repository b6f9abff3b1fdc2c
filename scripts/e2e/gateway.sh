#!/usr/bin/env bash
# Gateway fidelity suite (`make e2e-gateway`, part of `make test`): the example routers
# of crates/axum-aws/examples/fidelity.rs behind LocalStack's API Gateway, plus the
# round-trip of every golden private spec through LocalStack and moto. See
# scripts/e2e/gateway.py for what is checked.
#
# Emulators: installed by the project's scripts (pinned, cached in the git-ignored
# .tools/), started on 127.0.0.1 with their own run folders (so a LocalStack or moto
# someone else started is left alone), bounded by `timeout`, stopped by PID on any exit.
# When an emulator cannot be installed or started the suite is SKIPPED with a loud
# message (exit 0), unless E2E_REQUIRE=1 (then it fails).
set -euo pipefail
E2E_NAME=e2e-gateway
E2E_WHAT="the gateway fidelity suite"
# shellcheck source=scripts/e2e/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
export LS_RUN="${LS_RUN:-$TOOLS/localstack/run-e2e-gateway}"
export MOTO_DIR="${MOTO_DIR:-$TOOLS/run/moto-e2e-gateway}"
export LS_TIMEOUT="${LS_TIMEOUT:-600}" MOTO_TIMEOUT="${MOTO_TIMEOUT:-600}"
export SERVICES="${SERVICES:-apigateway,iam,sts}"

stop() {
  scripts/localstack/down.sh >/dev/null 2>&1 || true
  scripts/moto-down.sh >/dev/null 2>&1 || true
}
trap stop EXIT
trap 'exit 130' INT TERM

scripts/localstack/install.sh >&2 || skip "LocalStack could not be installed (scripts/localstack/install.sh)"
scripts/install-tools.sh moto >&2 || skip "moto could not be installed (scripts/install-tools.sh moto)"
scripts/build-executables.sh

# REST private specs only: HTTP API ones (*-http-private.snap) go to moto's apigatewayv2
# (make moto-http-api); LocalStack community has no apigatewayv2.
mapfile -t snapshots < <(find crates -path '*/tests/*/snapshots/*-private.snap' ! -name '*-http-private.snap' -type f | sort)

# Left over from an interrupted run: stop it first (by its recorded PID).
stop
LS_ENDPOINT="$(scripts/localstack/up.sh)" || skip "LocalStack did not start (log: $LS_RUN/log)"
MOTO_ENDPOINT="$(scripts/moto-up.sh)" || skip "moto did not start (log: $MOTO_DIR/log)"
echo "e2e-gateway: LocalStack $LS_ENDPOINT, moto $MOTO_ENDPOINT, up after $(elapsed)" >&2

timeout "${E2E_TIMEOUT:-300}" "$LSPY" scripts/e2e/gateway.py \
  --endpoint "$LS_ENDPOINT" --moto "$MOTO_ENDPOINT" \
  --fidelity "$ROOT/target/debug/examples/fidelity" --terraform "$TOOLS/bin/terraform" \
  --snapshots "${snapshots[@]}"
echo "e2e-gateway: done in $(elapsed)" >&2
