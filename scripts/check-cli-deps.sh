#!/usr/bin/env bash
# `make test`: aws-spec (cli/) must not depend on the serving side. It reads the spec
# model through axum-aws-spec; axum, axum-aws and lambda_http (and what they pull in:
# tokio's runtime, hyper, the Lambda runtime) are for services, not for the exporter.
#
#   scripts/check-cli-deps.sh              check `cargo tree -p aws-spec -e normal`, with
#                                          the default features and with `deploy`
#   scripts/check-cli-deps.sh --self-test  only prove the check on crafted trees
#
# A crate is matched by its exact name (`axum`, not `axum-aws-spec` or `axum-core`).
# The self-test runs before every real check, so a check that matches nothing fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

FORBIDDEN=(axum axum-aws lambda_http)

# forbidden: the forbidden crates (`name version`) of a `cargo tree --prefix none` listing (stdin).
forbidden() {
  awk -v names="${FORBIDDEN[*]}" '
    BEGIN { n = split(names, list, " "); for (i = 1; i <= n; i++) bad[list[i]] = 1 }
    ($1 in bad) { print $1, $2 }' | sort -u
}

self_test() {
  local clean found
  clean=$'aws-spec v0.1.0 (/src/cli)\naxum-aws-spec v0.1.0 (/src/crates/axum-aws-spec)\naxum-core v0.5.6\nserde v1.0.229'
  found="$(forbidden <<<"$clean")"
  [[ -z "$found" ]] || { echo "check-cli-deps: self-test: flagged a clean tree: $found" >&2; exit 1; }
  for crate in "axum v0.8.9" "axum-aws v0.1.0 (/src/crates/axum-aws)" "lambda_http v1.3.2 (*)"; do
    found="$(forbidden <<<"$clean"$'\n'"$crate")"
    [[ "$found" == "$(cut -d' ' -f1-2 <<<"$crate")" ]] || {
      echo "check-cli-deps: self-test: did not notice '$crate' (found: '${found:-nothing}')" >&2
      exit 1
    }
  done
}

self_test
if [[ "${1-}" == --self-test ]]; then
  echo "check-cli-deps: self-test passed"
  exit 0
fi

for features in "" "--features deploy"; do
  # shellcheck disable=SC2086 # $features is zero or two words
  tree="$(cargo tree --quiet -p aws-spec -e normal --prefix none $features)"
  [[ "$tree" == "aws-spec v"* ]] || { echo "check-cli-deps: cargo tree -p aws-spec listed no aws-spec" >&2; exit 1; }
  found="$(forbidden <<<"$tree")"
  if [[ -n "$found" ]]; then
    echo "check-cli-deps: aws-spec${features:+ ($features)} depends on the serving side:" >&2
    sed 's/^/  /' <<<"$found" >&2
    echo "  (cargo tree -p aws-spec -e normal${features:+ $features} -i NAME shows through what)" >&2
    exit 1
  fi
  echo "check-cli-deps: aws-spec${features:+ ($features)}: $(wc -l <<<"$tree" | tr -d ' ') lines of cargo tree, none of: ${FORBIDDEN[*]}"
done
