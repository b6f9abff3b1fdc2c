#!/usr/bin/env bash
# Runs `#[ignore = "needs …"]` tests, the ones that need a tool `make test` starts
# (Terraform, moto), by their exact names, and fails unless every named test passed:
# libtest has no runtime skip, so a test that cannot run is ignored, and this counts
# libtest's "N passed" against the names given (a renamed or deleted test fails here).
#
#   scripts/tests/cargo-test-ignored.sh CARGO_TEST_ARGS... -- [--nocapture] TEST_NAME...
#   scripts/tests/cargo-test-ignored.sh --self-test
#
# e.g. `cargo-test-ignored.sh -p axum-aws --test integration -- templatefile::a_missing_variable_fails_like_terraform`
# runs `cargo test -p axum-aws --test integration -- --ignored --exact templatefile::…`.
# Libtest options (words starting with `--`) after the `--` are passed on, not counted.
set -euo pipefail

# The sum of "N passed" over the "test result:" lines of libtest output on stdin.
passed() {
  sed -n 's/^test result: [a-zA-Z]*\. \([0-9][0-9]*\) passed;.*/\1/p' | awk '{ n += $1 } END { print n + 0 }'
}

# Fails (status 1, with a message) unless the output on stdin reports exactly $1 passed.
expect_passed() {
  local want="$1" got
  got="$(passed)"
  if [[ "$got" != "$want" ]]; then
    echo "cargo-test-ignored: $got of the $want named test(s) passed; every one must run and pass" >&2
    return 1
  fi
}

if [[ "${1:-}" == "--self-test" ]]; then
  ok="test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 9 filtered out; finished in 0.10s"
  one="test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 10 filtered out; finished in 0.10s"
  none="test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 11 filtered out; finished in 0.00s"
  expect_passed 2 <<<"$ok" || { echo "self-test: 2 of 2 rejected" >&2; exit 1; }
  expect_passed 2 <<<"$one"$'\n'"$one" || { echo "self-test: lines not summed" >&2; exit 1; }
  if expect_passed 2 <<<"$one" 2>/dev/null; then echo "self-test: a missing test passed" >&2; exit 1; fi
  if expect_passed 2 <<<"$none" 2>/dev/null; then echo "self-test: no test passed" >&2; exit 1; fi
  if expect_passed 1 </dev/null 2>/dev/null; then echo "self-test: no libtest output passed" >&2; exit 1; fi
  echo "cargo-test-ignored: self-test ok"
  exit 0
fi

cargo_args=()
while [[ $# -gt 0 && "$1" != "--" ]]; do cargo_args+=("$1"); shift; done
[[ $# -gt 0 ]] || { echo "usage: $0 CARGO_TEST_ARGS... -- TEST_NAME..." >&2; exit 2; }
shift
libtest_args=()
names=()
for word in "$@"; do
  if [[ "$word" == --* ]]; then libtest_args+=("$word"); else names+=("$word"); fi
done
[[ ${#names[@]} -gt 0 ]] || { echo "cargo-test-ignored: no test named" >&2; exit 2; }

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
cargo test "${cargo_args[@]}" -- --ignored --exact "${libtest_args[@]}" "${names[@]}" 2>&1 | tee "$log" || status=$?
expect_passed "${#names[@]}" <"$log" || exit 1
[[ $status -eq 0 ]] || exit "$status"
echo "cargo-test-ignored: all ${#names[@]} named test(s) ran and passed"
