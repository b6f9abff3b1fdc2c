#!/usr/bin/env bash
# Start moto's server (the AWS mock; we use its API Gateway import) on 127.0.0.1 and a
# free port, in its own process group, bounded by `timeout`.
#
#   scripts/moto-up.sh            prints the endpoint, e.g. http://127.0.0.1:40123
#   scripts/moto-down.sh          stops it (by the PID recorded here)
#
# State: $MOTO_DIR (default .tools/run/moto): pid, endpoint, log. Needs
# `scripts/install-tools.sh moto`. MOTO_TIMEOUT (default 900 s) bounds its life.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${TOOLS_DIR:-$ROOT/.tools}"
MOTO_DIR="${MOTO_DIR:-$TOOLS/run/moto}"
BIN="$TOOLS/venv/bin/moto_server"
[[ -x "$BIN" ]] || { echo "moto-up: $BIN missing; run scripts/install-tools.sh moto" >&2; exit 2; }
mkdir -p "$MOTO_DIR"
if [[ -f "$MOTO_DIR/pid" ]] && kill -0 "$(cat "$MOTO_DIR/pid")" 2>/dev/null; then
  echo "moto-up: already running (pid $(cat "$MOTO_DIR/pid")); run scripts/moto-down.sh first" >&2
  exit 1
fi
PORT="${MOTO_PORT:-$("$TOOLS/venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
setsid timeout "${MOTO_TIMEOUT:-900}" "$BIN" -H 127.0.0.1 -p "$PORT" >"$MOTO_DIR/log" 2>&1 &
echo $! >"$MOTO_DIR/pid"
ENDPOINT="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do
  if curl -sf --max-time 2 -o /dev/null "$ENDPOINT/moto-api/data.json"; then
    echo "$ENDPOINT" >"$MOTO_DIR/endpoint"
    echo "$ENDPOINT"
    exit 0
  fi
  kill -0 "$(cat "$MOTO_DIR/pid")" 2>/dev/null || { echo "moto-up: moto exited; log:" >&2; tail -20 "$MOTO_DIR/log" >&2; exit 1; }
  sleep 0.1
done
echo "moto-up: no answer from $ENDPOINT after 10 s; log:" >&2
tail -20 "$MOTO_DIR/log" >&2
"$ROOT/scripts/moto-down.sh" >/dev/null || true
exit 1
