#!/usr/bin/env bash
# The checks of terraform-example/http-api/ that `make test` runs (`make -C
# terraform-example test` checks the HTTP API spec's drift first, then runs this):
#
#   1. main.tf calls the generated api-module/ passing every placeholder `aws-spec vars
#      --target http-api` reports and the spec holds; the module's cors_configuration
#      mirrors the body's CORS (scripts/tests/terraform_example_http.py)
#   2. terraform fmt -check on the folder
#   3. both committed specs through scripts/check-specs.py (three validators + terraform)
#   4. the private spec imported into moto's apigatewayv2 (create_api + reimport_api),
#      routes, integrations and CORS read back (scripts/tests/run-moto-http-api.sh)
#   5. checkov on the folder (main.tf and the module it calls), offline: no failed check
#
# Bounded by TF_EXAMPLE_TIMEOUT seconds (default 600).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="${TOOLS_DIR:-$ROOT/.tools}"
EXAMPLE="$ROOT/terraform-example/http-api"
PY="$TOOLS/venv/bin/python"

exec </dev/null
if [[ -z "${TF_EXAMPLE_BOUNDED:-}" ]]; then
  TF_EXAMPLE_BOUNDED=1 exec timeout --kill-after=10 "${TF_EXAMPLE_TIMEOUT:-600}" "$0" "$@"
fi
say() { echo "terraform-example/http-api: $*"; }

"$ROOT/scripts/install-tools.sh" terraform validators moto checkov >/dev/null
export CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE="$TOOLS/terraformrc"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/terraform-example-http.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# 1. placeholders and CORS
"$ROOT/scripts/build-executables.sh"
CARGO_TARGET_DIR="$ROOT/target" "$ROOT/target/debug/aws-spec" vars --json --target http-api \
  --router widget_service::http_api_router --manifest-path "$ROOT/terraform-example/service/Cargo.toml" --no-default-features \
  >"$WORK/vars.json" 2>"$WORK/vars.err" \
  || { cat "$WORK/vars.err"; exit 1; }
"$PY" "$ROOT/scripts/tests/terraform_example_http.py" --vars "$WORK/vars.json"

# 2. formatting
"$TOOLS/bin/terraform" fmt -check -diff -recursive "$EXAMPLE"
say "ok   terraform fmt -check -recursive terraform-example/http-api/"

# 3. the committed specs through every validator and templatefile()
"$PY" "$ROOT/scripts/check-specs.py" --tools "$TOOLS" "$EXAMPLE/api_http_private.json" "$EXAMPLE/api_http_public.json" \
  | sed 's/^/terraform-example\/http-api: check-specs: /'

# 4. moto's apigatewayv2 (its own state dir under $WORK)
MOTO_DIR="$WORK/moto" "$ROOT/scripts/tests/run-moto-http-api.sh" "$EXAMPLE/api_http_private.json" \
  | sed 's/^/terraform-example\/http-api: moto: /'

# 5. checkov, offline
if ! BC_SKIP_MAPPING=TRUE "$TOOLS/checkov/bin/checkov" -d "$EXAMPLE" --framework terraform \
  --quiet --compact --skip-download >"$WORK/checkov.txt" 2>&1; then
  cat "$WORK/checkov.txt"
  say "FAIL checkov: fix the check or skip it in main.tf with #checkov:skip=CKV_...: reason"
  exit 1
fi
say "ok   checkov: $(grep -m1 'Passed checks' "$WORK/checkov.txt")"
