#!/usr/bin/env bash
# `aws-spec deploy` against moto's API Gateway (cli/tests/cli/deploy.rs): build the tests
# first (the AWS SDK is a long compile, not to be paid while moto's clock runs), start
# moto on 127.0.0.1 and a free port, run the deploy tests with AWS_SPEC_MOTO_URL, stop
# moto by its PID — also when a test fails. A skipped moto test fails the run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="${TOOLS_DIR:-$ROOT/.tools}"
cd "$ROOT"
CARGO_TEST=(cargo test -p aws-spec --features deploy --test cli)
"${CARGO_TEST[@]}" --no-run

# Its own state directory: other suites may run their own moto at the same time.
export MOTO_DIR="$TOOLS/run/moto-deploy"
"$ROOT/scripts/moto-down.sh" >/dev/null # a previous run's, if it was left behind
log="$(mktemp)"
trap 'rm -f "$log"; "$ROOT/scripts/moto-down.sh" >/dev/null' EXIT
ENDPOINT="$(MOTO_TIMEOUT=900 "$ROOT/scripts/moto-up.sh")"
AWS_SPEC_MOTO_URL="$ENDPOINT" AWS_SPEC_PYTHON="$TOOLS/venv/bin/python" \
  timeout 600 "${CARGO_TEST[@]}" deploy:: 2>&1 | tee "$log"
if grep -q "deploy test skipped" "$log"; then
  echo "e2e-deploy: a moto test was skipped although moto runs at $ENDPOINT" >&2
  exit 1
fi
echo "e2e-deploy: deploy tests ran against moto at $ENDPOINT"
