#!/usr/bin/env bash
# Stop the LocalStack started by scripts/localstack/up.sh: its process group, by the
# recorded PID (setsid made `timeout` the group leader), never by name. SIGTERM first;
# SIGKILL after ${GRACE:-8} s (host mode was once seen hanging at "Stopping all services").
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LS_HOME="${LS_HOME:-$HERE/../../.tools/localstack}"
LS_RUN="${LS_RUN:-$LS_HOME/run}"
PIDF="$LS_RUN/pid"
[[ -f "$PIDF" ]] || { echo "localstack/down: not running (no $PIDF)"; exit 0; }
PID="$(cat "$PIDF")"
kill -TERM -- "-$PID" 2>/dev/null || true
for _ in $(seq 1 $((${GRACE:-8} * 10))); do
  kill -0 -- "-$PID" 2>/dev/null || break
  sleep 0.1
done
if kill -0 -- "-$PID" 2>/dev/null; then
  echo "localstack/down: graceful shutdown hung; SIGKILL to group $PID"
  kill -KILL -- "-$PID" 2>/dev/null
fi
rm -f "$PIDF" "$LS_RUN/endpoint"
echo "localstack/down: stopped pid $PID"
