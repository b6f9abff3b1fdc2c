#!/usr/bin/env bash
# Stop the moto server started by scripts/moto-up.sh: its process group, by the recorded
# PID (setsid made it a group leader), TERM then KILL after 5 s. Never by name.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MOTO_DIR="${MOTO_DIR:-${TOOLS_DIR:-$ROOT/.tools}/run/moto}"
PIDF="$MOTO_DIR/pid"
[[ -f "$PIDF" ]] || { echo "moto-down: not running (no $PIDF)"; exit 0; }
PID="$(cat "$PIDF")"
kill -TERM -- "-$PID" 2>/dev/null || true
for _ in $(seq 1 50); do
  kill -0 "$PID" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$PID" 2>/dev/null && kill -KILL -- "-$PID" 2>/dev/null
rm -f "$PIDF" "$MOTO_DIR/endpoint"
echo "moto-down: stopped pid $PID"
