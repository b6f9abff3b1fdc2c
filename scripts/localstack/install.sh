#!/usr/bin/env bash
# Install LocalStack community (localstack-core, host mode: no Docker) into
# .tools/localstack/venv (override the folder with LS_HOME=...).
#
#   scripts/localstack/install.sh
#
# LocalStack needs Python >= 3.12 (its code uses PEP 695 generics although its
# metadata says >= 3.10). The first of these that exists is used:
#   $LS_PYTHON, /root/.pyenv/versions/3.13.0/bin/python3.13, python3.13, python3.12
# (and python3 if it is >= 3.12). Without one the script stops and says so.
#
# The pins in constraints.txt were found by trial: without them the runtime
# starts with "No component plugins found" (see the comments in that file).
# Idempotent: a stamp records the versions; a second run takes well under 1 s.
set -euo pipefail

LOCALSTACK_REQ="localstack-core[runtime]==2026.3.0"
EXTRA_REQS=("cbor2<6" "pyopenssl<25" "cryptography<45" "service_identity")

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
LS_HOME="${LS_HOME:-$ROOT/.tools/localstack}"
VENV="$LS_HOME/venv"
STAMP="$LS_HOME/installed.stamp"
LOG="$LS_HOME/install.log"
export PIP_DISABLE_PIP_VERSION_CHECK=1

die() { echo "localstack/install: ERROR: $*" >&2; exit 1; }

version_ok() { # PYTHON: true if it runs and is >= 3.12
  "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null
}

find_python() {
  local candidates=()
  [[ -n "${LS_PYTHON:-}" ]] && candidates+=("$LS_PYTHON")
  candidates+=(/root/.pyenv/versions/3.13.0/bin/python3.13)
  local name
  for name in python3.13 python3.12 python3; do
    command -v "$name" >/dev/null 2>&1 && candidates+=("$(command -v "$name")")
  done
  local p
  for p in "${candidates[@]}"; do
    if [[ -x "$p" ]] && version_ok "$p"; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

mkdir -p "$LS_HOME"
exec 9>"$LS_HOME/.install.lock"
command -v flock >/dev/null && flock 9

PY="$(find_python)" || die "LocalStack needs Python >= 3.12 and none was found (tried \$LS_PYTHON, /root/.pyenv/versions/3.13.0/bin/python3.13, python3.13, python3.12, python3). Install one (e.g. pyenv install 3.13) or set LS_PYTHON=/path/to/python3.12+"
want="$LOCALSTACK_REQ ${EXTRA_REQS[*]} constraints=$(sha256sum "$HERE/constraints.txt" | cut -c1-16) python=$("$PY" -c 'import sys; print(sys.version.split()[0])')"

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$want" && -x "$VENV/bin/python" ]]; then
  echo "localstack: cached ($VENV)"
  exit 0
fi

t0=$(date +%s.%N)
rm -rf "$VENV"
: >"$LOG"
run() {
  if ! "$@" >>"$LOG" 2>&1; then
    echo "localstack/install: ERROR: $* failed; last lines of $LOG:" >&2
    tail -n 25 "$LOG" | sed 's/^/    | /' >&2
    exit 1
  fi
}
run "$PY" -m venv "$VENV"
run "$VENV/bin/python" -m pip install -c "$HERE/constraints.txt" "$LOCALSTACK_REQ" "${EXTRA_REQS[@]}"
# The runtime imports cleanly only with the pins above; check it here, not at start-up.
run "$VENV/bin/python" -c 'import localstack.runtime.main, localstack.services.apigateway.next_gen.execute_api.template_mapping'
printf '%s' "$want" >"$STAMP"
echo "localstack: installed with $PY in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1fs", b - a }') ($VENV)"
