#!/usr/bin/env bash
# Enforcement differential test (`make e2e-enforcement`, part of `make test`): the `gate`
# router of crates/axum-aws/examples/fidelity.rs behind LocalStack's API Gateway, and the
# same router served locally enforcing what it declares, sent the same requests; every
# difference must be in scripts/e2e/enforcement-allowlist.json. See
# scripts/e2e/enforcement.py for what is compared.
#
# LocalStack: installed and started by the fidelity suite's scripts (scripts/localstack/),
# on 127.0.0.1 with its own run folder, bounded by `timeout`, stopped by PID on any exit.
# When it cannot be installed or started the test is SKIPPED with a loud message (exit 0),
# unless E2E_REQUIRE=1 (then it fails). E2E_RECORD=FILE writes both sides' answers there.
set -euo pipefail
E2E_NAME=e2e-enforcement
E2E_WHAT="the enforcement differential test"
# shellcheck source=scripts/e2e/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
export LS_RUN="${LS_RUN:-$TOOLS/localstack/run-e2e-enforcement}"
export LS_TIMEOUT="${LS_TIMEOUT:-300}"
export SERVICES="${SERVICES:-apigateway,iam,sts}"

stop() { scripts/localstack/down.sh >/dev/null 2>&1 || true; }
trap stop EXIT
trap 'exit 130' INT TERM

scripts/localstack/install.sh >&2 || skip "LocalStack could not be installed (scripts/localstack/install.sh)"
scripts/install-tools.sh terraform >&2 || skip "Terraform could not be installed (scripts/install-tools.sh terraform)"
scripts/build-executables.sh

# Left over from an interrupted run: stop it first (by its recorded PID).
stop
LS_ENDPOINT="$(scripts/localstack/up.sh)" || skip "LocalStack did not start (log: $LS_RUN/log)"
echo "e2e-enforcement: LocalStack $LS_ENDPOINT, up after $(elapsed)" >&2

timeout "${E2E_TIMEOUT:-180}" "$LSPY" scripts/e2e/enforcement.py \
  --endpoint "$LS_ENDPOINT" --fidelity "$ROOT/target/debug/examples/fidelity" \
  --terraform "$TOOLS/bin/terraform" --allowlist scripts/e2e/enforcement-allowlist.json \
  ${E2E_RECORD:+--record "$E2E_RECORD"}
echo "e2e-enforcement: done in $(elapsed)" >&2
