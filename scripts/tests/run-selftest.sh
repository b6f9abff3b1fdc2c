#!/usr/bin/env bash
# Self-test of scripts/check-specs.py: the good fixtures must pass together, and
# every bad fixture must fail on its own, for the expected reason(s) only: the
# checks named in [brackets] on its FAIL line must be exactly the expected set.
# That also proves each fixture is what it claims (e.g. the good private spec
# passes all three validators and Terraform; the type-array one trips all three
# validators but not Terraform).
#
#   scripts/tests/run-selftest.sh [--tools DIR]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
TOOLS="$ROOT/.tools"
if [[ "${1:-}" == "--tools" ]]; then TOOLS="$(cd "$2" && pwd)"; fi
PY="$TOOLS/venv/bin/python"
CHECK=("$PY" "$ROOT/scripts/check-specs.py" --tools "$TOOLS")
FIX="$HERE/fixtures"
[[ -x "$PY" ]] || { echo "run-selftest: $PY missing; run scripts/install-tools.sh first" >&2; exit 2; }

# Bad fixture -> the exact set of checks that must fail it (sorted, space-separated).
declare -A EXPECT=(
  [bad-type-array-private.json]="openapi-spec-validator redocly swagger-cli"
  [bad-stage-variable-private.json]="terraform"
  [bad-dash-placeholder-private.json]="terraform"
  [bad-directive-private.json]="terraform"
  [bad-version-private.json]="version"
  [bad-aws-extension-public.json]="public"
  [bad-arn-public.json]="public"
)
# ...and a phrase its failure message must contain.
declare -A PHRASE=(
  [bad-type-array-private.json]="type"
  [bad-stage-variable-private.json]='does not contain key "stageVariables"'
  [bad-dash-placeholder-private.json]='does not contain key "user-function-arn"'
  [bad-directive-private.json]="renders a different document"
  [bad-version-private.json]="must be 3.0.x"
  [bad-aws-extension-public.json]="x-amazon-apigateway-integration"
  [bad-arn-public.json]="arn:"
)

passed=0 failed=0
ok() { echo "ok    $1"; passed=$((passed + 1)); }
bad() { echo "WRONG $1"; failed=$((failed + 1)); }
indent() { sed 's/^/      /'; }

# All good fixtures in one call: must exit 0 and report them all passed.
mapfile -t good < <(find "$FIX" -maxdepth 1 -type f -name 'good-*' | sort)
[[ ${#good[@]} -gt 0 ]] || { echo "run-selftest: no good fixtures in $FIX" >&2; exit 2; }
set +e
out="$("${CHECK[@]}" "${good[@]}" 2>&1)"
rc=$?
set -e
if [[ $rc -eq 0 && "$(tail -n 1 <<<"$out")" == "${#good[@]} passed, 0 failed" ]]; then
  ok "good fixtures pass (${#good[@]} files)"
else
  bad "good fixtures should pass (exit $rc):"
  indent <<<"$out"
fi

# Each bad fixture alone: exit 1, FAIL line naming exactly the expected checks.
mapfile -t bads < <(find "$FIX" -maxdepth 1 -type f -name 'bad-*' | sort)
for f in "${bads[@]}"; do
  name="$(basename "$f")"
  if [[ -z "${EXPECT[$name]+x}" ]]; then
    bad "$name: no expectation in run-selftest.sh"
    continue
  fi
  set +e
  out="$("${CHECK[@]}" "$f" 2>&1)"
  rc=$?
  set -e
  failline="$(grep -m1 '^FAIL ' <<<"$out" || true)"
  got="$(grep -oE '\[(name|parse|version|openapi-spec-validator|swagger-cli|redocly|terraform|public)\]' <<<"$failline" \
    | tr -d '[]' | sort -u | xargs || true)"
  if [[ $rc -eq 1 && "$(tail -n 1 <<<"$out")" == "0 passed, 1 failed" && "$got" == "${EXPECT[$name]}" ]] \
    && grep -qF -- "${PHRASE[$name]}" <<<"$out"; then
    ok "$name fails: $got"
  else
    bad "$name: expected exit 1 from [${EXPECT[$name]}] mentioning '${PHRASE[$name]}', got exit $rc from [$got]:"
    indent <<<"$out"
  fi
done

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
