#!/usr/bin/env bash
# End-to-end test of the Lambda serving path under a real local Lambda emulator.
#
#   scripts/e2e-lambda.sh
#
# `cargo lambda watch --only-lambda-apis` (PyPI wheel cargo-lambda, installed by
# scripts/install-tools.sh cargo-lambda) emulates the Lambda Runtime API on a loopback
# port; the example crates/axum-aws/examples/serve.rs (built in the workspace target
# dir) polls it as a Lambda function would, and `cargo lambda invoke` sends real event
# files from crates/axum-aws/tests/fixtures/events/. Each proxy response is checked as
# the function returned it. Logs go to a temp dir outside the crate (a watcher would
# otherwise see them); both processes are stopped by PID; the whole run is bounded by
# E2E_TIMEOUT seconds (default 300, mostly the first build of the example).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${TOOLS_DIR:-$ROOT/.tools}"
EVENTS="$ROOT/crates/axum-aws/tests/fixtures/events"
TIMEOUT="${E2E_TIMEOUT:-300}"
PYTHON="${PYTHON:-python3}"

# Re-run ourselves under `timeout` once, so a hung step cannot hang `make test`.
if [[ -z "${E2E_LAMBDA_BOUNDED:-}" ]]; then
  E2E_LAMBDA_BOUNDED=1 exec timeout --kill-after=10 "$TIMEOUT" "$0" "$@"
fi

start=$(date +%s.%N)
elapsed() { awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1fs", b - a }'; }
say() { echo "e2e-lambda: $*"; }

"$ROOT/scripts/install-tools.sh" cargo-lambda >/dev/null
export PATH="$TOOLS/venv/bin:$PATH"
command -v cargo-lambda >/dev/null || { say "ERROR: cargo-lambda not installed in $TOOLS/venv"; exit 1; }

"$ROOT/scripts/build-executables.sh"
BIN="$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/debug/examples/serve"
[[ -x "$BIN" ]] || { say "ERROR: no example binary at $BIN"; exit 1; }
say "example built ($(elapsed))"

LOGS="$(mktemp -d "${TMPDIR:-/tmp}/e2e-lambda.XXXXXX")"
PORT="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
emulator_pid="" function_pid=""
cleanup() {
  local status=$?
  set +e
  for pid in $function_pid $emulator_pid; do
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  if [[ $status -ne 0 ]]; then
    for log in "$LOGS"/*.log; do
      echo "---- $log (last 30 lines)"
      tail -n 30 "$log"
    done
  fi
  rm -rf "$LOGS"
  exit "$status"
}
trap cleanup EXIT

# The emulator: Runtime API + invoke endpoint, no function of its own.
(cd "$ROOT" && exec cargo-lambda lambda watch --only-lambda-apis --invoke-address 127.0.0.1 --invoke-port "$PORT") \
  >"$LOGS/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 1 100); do
  grep -q 'starting Runtime server' "$LOGS/emulator.log" 2>/dev/null && break
  kill -0 "$emulator_pid" 2>/dev/null || { say "ERROR: the emulator exited"; exit 1; }
  sleep 0.1
done
grep -q 'starting Runtime server' "$LOGS/emulator.log" || { say "ERROR: the emulator did not start"; exit 1; }

# The function, with the environment the emulator asks for (see its log).
AWS_LAMBDA_FUNCTION_NAME=_ AWS_LAMBDA_FUNCTION_VERSION=1 AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128 \
  AWS_LAMBDA_RUNTIME_API="http://127.0.0.1:$PORT/.rt" RUST_BACKTRACE=0 \
  "$BIN" >"$LOGS/function.log" 2>&1 &
function_pid=$!
say "emulator on 127.0.0.1:$PORT, function pid $function_pid"

# invoke NAME ARGS...: the function's response payload in $LOGS/NAME.json.
invoke() {
  local name="$1"
  shift
  cargo lambda invoke _ --invoke-address 127.0.0.1 --invoke-port "$PORT" "$@" >"$LOGS/$name.json" 2>"$LOGS/$name.err"
}

failures=0
# check NAME PYTHON-EXPR: EXPR over `r` (the response JSON) and `body` (decoded) must hold.
check() {
  local name="$1" expr="$2"
  if "$PYTHON" - "$LOGS/$name.json" "$expr" <<'PY'
import base64, json, sys
r = json.load(open(sys.argv[1]))
raw = r.get("body") or ""
body = base64.b64decode(raw) if r.get("isBase64Encoded") else raw.encode()
headers = {k.lower(): v for k, v in (r.get("multiValueHeaders") or {}).items()}
ok = eval(sys.argv[2], {"r": r, "body": body, "headers": headers, "json": json})
if not ok:
    print(json.dumps(r, indent=2, sort_keys=True)[:2000])
sys.exit(0 if ok else 1)
PY
  then
    say "ok   $name: $expr"
  else
    say "FAIL $name: $expr"
    failures=$((failures + 1))
  fi
}

# The first invocation waits for the function to connect.
invoke rest-stage --data-file "$EVENTS/rest-v1-stage.json"
check rest-stage 'r["statusCode"] == 200 and r["isBase64Encoded"] is False'
check rest-stage 'headers["content-type"] == ["application/json"]'
check rest-stage 'json.loads(body) == {"id": 42, "stage": "dev", "requestId": "c6af9ac6-7b61-4e11-9a41-93e8deadbeef", "caller": "7d8e2f3a-1b4c-4d5e-8f90-a1b2c3d4e5f6"}'

invoke rest-greedy --data-file "$EVENTS/rest-v1-greedy.json"
check rest-greedy 'r["statusCode"] == 200 and body == b"file docs/2026/report.txt"'

invoke rest-preflight --data-file "$EVENTS/rest-v1-preflight.json"
check rest-preflight 'r["statusCode"] == 200 and headers["access-control-allow-origin"] == ["https://app.example.com"]'

invoke rest-binary --data-file "$EVENTS/rest-v1-binary.json"
check rest-binary 'r["isBase64Encoded"] is True and body.startswith(b"\x89PNG") and headers["content-type"] == ["image/png"]'

invoke rest-panic --data-file "$EVENTS/rest-v1-panic.json"
check rest-panic 'r["statusCode"] == 500 and json.loads(body) == {"message": "Internal Server Error"}'

invoke not-an-event --data-ascii '{"Records": []}'
check not-an-event 'r["statusCode"] == 400 and json.loads(body) == {"message": "Bad Request"}'

# Not JSON at all: lambda_runtime reports an invocation error; the function lives on.
if invoke not-json --data-ascii 'not json'; then
  say "FAIL not-json: the invocation succeeded"
  failures=$((failures + 1))
else
  say "ok   not-json: invocation error ($(grep -o 'failed to deserialize[^:]*' "$LOGS/not-json.err" | head -n 1))"
fi
invoke after-errors --data-file "$EVENTS/http-v2-named-stage.json"
check after-errors 'r["statusCode"] == 200 and json.loads(body)["stage"] == "prod"'
kill -0 "$function_pid" 2>/dev/null || { say "FAIL: the function exited"; failures=$((failures + 1)); }

grep -q 'a handler panicked' "$LOGS/function.log" || { say "FAIL: no log line for the panic"; failures=$((failures + 1)); }
grep -q 'rejected a malformed Lambda event' "$LOGS/function.log" || { say "FAIL: no log line for the malformed event"; failures=$((failures + 1)); }

if [[ $failures -ne 0 ]]; then
  say "$failures check(s) failed ($(elapsed))"
  exit 1
fi
say "all checks passed ($(elapsed))"
