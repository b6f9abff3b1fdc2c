#!/usr/bin/env bash
# The checks of terraform-example/ that `make test` runs (target terraform-example-test;
# `make -C terraform-example test` checks spec drift first, then runs this):
#
#   1. main.tf calls the generated api-module/ (`make -C terraform-example check-module`
#      checks its drift first) passing every placeholder `aws-spec vars` reports; the
#      spec rendered through the module's own templatefile() (its spec/ submodule) with
#      main.tf's values by the real terraform, valid OpenAPI 3.0
#      (scripts/tests/terraform_example.py render)
#   2. terraform fmt -check on the folder and the modules in it
#   3. both committed specs through scripts/check-specs.py (three validators + terraform)
#   4. moto's server on loopback (scripts/moto-up.sh, a private state dir, stopped by PID):
#      the service's tests against its DynamoDB, then the rendered spec imported into its
#      API Gateway with every route's integration read back
#   5. checkov on the folder (main.tf and the module it calls), offline: no failed check
#      (each skip has its reason next to its resource, in main.tf or the module)
#
# Bounded by TF_EXAMPLE_TIMEOUT seconds (default 600).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="${TOOLS_DIR:-$ROOT/.tools}"
EXAMPLE="$ROOT/terraform-example"
PY="$TOOLS/venv/bin/python"

exec </dev/null  # nothing here reads input (and `rustc -` probes must not see a tty or a file)

if [[ -z "${TF_EXAMPLE_BOUNDED:-}" ]]; then
  TF_EXAMPLE_BOUNDED=1 exec timeout --kill-after=10 "${TF_EXAMPLE_TIMEOUT:-600}" "$0" "$@"
fi

start=$(date +%s.%N)
say() { echo "terraform-example: $*"; }
took() { awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "at %.1fs", b - a }'; }

"$ROOT/scripts/install-tools.sh" terraform validators moto checkov >/dev/null
export CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE="$TOOLS/terraformrc"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/terraform-example.XXXXXX")"
export MOTO_DIR="$WORK/moto"
cleanup() {
  local status=$?
  "$ROOT/scripts/moto-down.sh" >/dev/null 2>&1 || true
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT

# 1. placeholders and the terraform rendering
"$ROOT/scripts/build-executables.sh"
CARGO_TARGET_DIR="$ROOT/target" "$ROOT/target/debug/aws-spec" vars --json \
  --router widget_service::router --manifest-path "$EXAMPLE/service/Cargo.toml" --no-default-features \
  >"$WORK/vars.json" 2>"$WORK/vars.err" \
  || { cat "$WORK/vars.err"; exit 1; }
"$PY" "$ROOT/scripts/tests/terraform_example.py" render --vars "$WORK/vars.json" --out "$WORK/rendered.json"
say "($(took))"

# 2. formatting
"$TOOLS/bin/terraform" fmt -check -diff -recursive "$EXAMPLE"
say "ok   terraform fmt -check -recursive terraform-example/ ($(took))"

# 3. the committed specs through every validator
"$PY" "$ROOT/scripts/check-specs.py" --tools "$TOOLS" "$EXAMPLE/api_private.json" "$EXAMPLE/api_public.json" \
  | sed 's/^/terraform-example: check-specs: /'
say "($(took))"

# 4. moto: DynamoDB for the service's tests, API Gateway for the import
ENDPOINT="$("$ROOT/scripts/moto-up.sh")"
say "moto on $ENDPOINT ($(took))"
(
  cd "$ROOT"
  export AWS_ENDPOINT_URL_DYNAMODB="$ENDPOINT" AWS_REGION=us-east-1 \
    AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true \
    AWS_CONFIG_FILE="$WORK/none" AWS_SHARED_CREDENTIALS_FILE="$WORK/none"
  unset AWS_PROFILE AWS_SESSION_TOKEN
  # Ignored unless asked for (it needs DynamoDB): run by name, counted.
  # make test's test build of the workspace (widget-service/dynamodb is in WORKSPACE_FEATURES).
  source "$ROOT/scripts/workspace-features.sh"
  "$ROOT/scripts/tests/cargo-test-ignored.sh" --quiet --workspace --features "$WORKSPACE_FEATURES" --tests \
    -- --nocapture dynamodb_store >"$WORK/cargo.txt" 2>&1 \
    || { cat "$WORK/cargo.txt"; exit 1; }
)
# It names its endpoint: make sure it ran against this one.
grep -q "dynamodb_store: against $ENDPOINT" "$WORK/cargo.txt" \
  || { cat "$WORK/cargo.txt"; say "FAIL the DynamoDB test did not run against moto"; exit 1; }
say "ok   the service's tests against DynamoDB (moto) ($(took))"
"$PY" "$ROOT/scripts/tests/terraform_example.py" moto --endpoint "$ENDPOINT" --rendered "$WORK/rendered.json"
"$ROOT/scripts/moto-down.sh" >/dev/null
say "($(took))"

# 5. checkov, offline
if ! BC_SKIP_MAPPING=TRUE "$TOOLS/checkov/bin/checkov" -d "$EXAMPLE" --framework terraform \
  --quiet --compact --skip-download >"$WORK/checkov.txt" 2>&1; then
  cat "$WORK/checkov.txt"
  say "FAIL checkov: fix the check or skip it in main.tf with #checkov:skip=CKV_...: reason"
  exit 1
fi
summary="$(grep -m1 'Passed checks' "$WORK/checkov.txt")"
say "ok   checkov terraform-example/: $summary ($(took))"
say "all checks passed ($(took))"
