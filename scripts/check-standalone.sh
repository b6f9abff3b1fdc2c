#!/usr/bin/env bash
# The repository stands alone: no tracked file may point at the `shared` folder this
# project's own machines keep beside the clone. CI has that folder, so a build reading
# it passes there and fails on every user's clone; only this guard notices.
#
#   scripts/check-standalone.sh              check the repository (make lint runs it)
#   scripts/check-standalone.sh --self-test  check that a planted reference is caught
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Spelt with [/] so that the pattern does not match this file itself.
PATTERN='\.\.[/]shared|/work[/]shared'

# scan DIR: print every match in DIR's tracked files; status 0 when there is none.
scan() {
  local hits
  if hits="$(git -C "$1" grep -n -I -E "$PATTERN")"; then
    printf '%s\n' "$hits"
    return 1
  fi
}

if [[ "${1:-}" == --self-test ]]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  git -C "$work" init -q
  printf 'clean\n' >"$work/clean.txt"
  git -C "$work" add clean.txt
  scan "$work" >/dev/null || { echo "check-standalone self-test: a clean tree is reported" >&2; exit 1; }
  printf 'KONG_SCHEMA ?= ../%s/reference/kong/kong_json_schema.json\n' shared >"$work/Makefile"
  git -C "$work" add Makefile
  if scan "$work" >/dev/null; then
    echo "check-standalone self-test: a reference to the folder beside the clone is not caught" >&2
    exit 1
  fi
  echo "check-standalone self-test: a planted reference is caught"
  exit 0
fi

if ! hits="$(scan .)"; then
  {
    echo "check-standalone: these lines point outside the repository (a user's clone has"
    echo "nothing beside it; commit what is needed, e.g. as a test fixture, and point there):"
    printf '%s\n' "$hits" | sed 's/^/  /'
  } >&2
  exit 1
fi
echo "check-standalone: no reference outside the repository"
