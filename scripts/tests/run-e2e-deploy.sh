#!/usr/bin/env bash
# `aws-spec deploy` against moto's API Gateway (cli/tests/cli/deploy.rs): build the tests
# first (the AWS SDK is a long compile, not to be paid while moto's clock runs), start
# moto on 127.0.0.1 and a free port, run the deploy tests with AWS_SPEC_MOTO_URL, stop
# moto by its PID — also when a test fails. The moto tests are `#[ignore]`d (libtest has
# no runtime skip): they run here by name, and fewer passing than named fails the run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="${TOOLS_DIR:-$ROOT/.tools}"
cd "$ROOT"
source "$ROOT/scripts/workspace-features.sh"
# make test's test build of the workspace (the deploy feature is in WORKSPACE_FEATURES).
CARGO_TEST=(cargo test --workspace --features "$WORKSPACE_FEATURES" --tests)
"${CARGO_TEST[@]}" --no-run
MOTO_TESTS=(
  deploy::moto::http_api_deploy_creates_then_reimports_with_an_auto_deploy_stage
  deploy::moto::first_deploy_creates_every_route_and_integration
  deploy::moto::overwrite_updates_the_api_and_dry_run_writes_nothing
  deploy::moto::merge_keeps_other_routes_and_moto_duplicates_resources
  deploy::moto::a_rejected_spec_surfaces_the_service_message
  deploy::moto::by_id_keeps_the_name_and_an_unknown_id_is_an_error
)

# Its own state directory: other suites may run their own moto at the same time.
export MOTO_DIR="$TOOLS/run/moto-deploy"
"$ROOT/scripts/moto-down.sh" >/dev/null # a previous run's, if it was left behind
trap '"$ROOT/scripts/moto-down.sh" >/dev/null' EXIT
ENDPOINT="$(MOTO_TIMEOUT=900 "$ROOT/scripts/moto-up.sh")"
export AWS_SPEC_MOTO_URL="$ENDPOINT" AWS_SPEC_PYTHON="$TOOLS/venv/bin/python"
# The deploy tests that need no moto, then the moto ones (ignored unless asked for), counted.
timeout 600 "${CARGO_TEST[@]}" deploy::
timeout 600 "$ROOT/scripts/tests/cargo-test-ignored.sh" "${CARGO_TEST[@]:2}" -- "${MOTO_TESTS[@]}"
echo "e2e-deploy: deploy tests ran against moto at $ENDPOINT"
