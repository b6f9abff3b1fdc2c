#!/usr/bin/env bash
# Start LocalStack community (host mode: a plain Python process, no Docker) on 127.0.0.1
# and a free port; print its endpoint (http://127.0.0.1:PORT) once it answers.
#
#   scripts/localstack/up.sh          then   scripts/localstack/down.sh
#
# Settings (environment):
#   LS_HOME      install + state folder (default .tools/localstack; install.sh fills it)
#   LS_RUN       run state: pid, endpoint, log, vol/ (default $LS_HOME/run)
#   LS_PORT      port (default: a free one)
#   LS_TIMEOUT   life bound in seconds, enforced by `timeout` (default 1800)
#   SERVICES     default apigateway,dynamodb,s3,sqs,sns,events,stepfunctions,iam,sts,logs
#   DEBUG        LocalStack debug logging (default 0)
# DynamoDB is served by moto (ls_plugins/ls_moto_dynamodb): LocalStack's own providers need
# DynamoDB Local (a Java download) that cannot be fetched here. Lambda does not run (it
# needs Docker) and custom authorizers are not enforced (a Pro feature).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
LS_HOME="${LS_HOME:-$ROOT/.tools/localstack}"
LS_RUN="${LS_RUN:-$LS_HOME/run}"
PY="$LS_HOME/venv/bin/python"
[[ -x "$PY" ]] || { echo "localstack/up: $PY missing; run scripts/localstack/install.sh" >&2; exit 2; }
mkdir -p "$LS_RUN/vol"
if [[ -f "$LS_RUN/pid" ]] && kill -0 "$(cat "$LS_RUN/pid")" 2>/dev/null; then
  echo "localstack/up: already running (pid $(cat "$LS_RUN/pid"), $(cat "$LS_RUN/endpoint" 2>/dev/null)); run scripts/localstack/down.sh first" >&2
  exit 1
fi
PORT="${LS_PORT:-$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"

export GATEWAY_LISTEN="127.0.0.1:$PORT"
# The default (twisted) server ignores the interface and binds 0.0.0.0; hypercorn does not.
export GATEWAY_SERVER=hypercorn
export LOCALSTACK_HOST="localhost.localstack.cloud:$PORT"
export SERVICES="${SERVICES:-apigateway,dynamodb,s3,sqs,sns,events,stepfunctions,iam,sts,logs}"
export EAGER_SERVICE_LOADING="${EAGER_SERVICE_LOADING:-0}"
# /.dockerenv exists on our machines: without this LocalStack believes it is its own
# container and writes to /var/lib/localstack, /etc/localstack, … and listens on 0.0.0.0.
export OVERRIDE_IN_DOCKER=0
export FILESYSTEM_ROOT="$LS_RUN/vol"
export DISABLE_EVENTS=1 SKIP_SSL_CERT_DOWNLOAD=1 DNS_ADDRESS=0
export DEBUG="${DEBUG:-0}"
export PYTHONPATH="$HERE/ls_plugins${PYTHONPATH:+:$PYTHONPATH}"
export PROVIDER_OVERRIDE_DYNAMODB="${PROVIDER_OVERRIDE_DYNAMODB:-moto}"
# S3 object bytes under $LS_RUN/vol instead of the hard-coded /tmp/localstack-s3-storage.
export PROVIDER_OVERRIDE_S3="${PROVIDER_OVERRIDE_S3:-host}"

start=$(date +%s.%N)
setsid timeout "${LS_TIMEOUT:-1800}" "$PY" -m localstack.runtime.main >"$LS_RUN/log" 2>&1 &
echo $! >"$LS_RUN/pid"
ENDPOINT="http://127.0.0.1:$PORT"
for _ in $(seq 1 300); do
  if curl -sf --max-time 2 -o /dev/null "$ENDPOINT/_localstack/health"; then
    echo "$ENDPOINT" >"$LS_RUN/endpoint"
    echo "localstack/up: $ENDPOINT after $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1fs", b - a }') (pid $(cat "$LS_RUN/pid"), log $LS_RUN/log)" >&2
    echo "$ENDPOINT"
    exit 0
  fi
  kill -0 "$(cat "$LS_RUN/pid")" 2>/dev/null || { echo "localstack/up: LocalStack exited; log:" >&2; tail -30 "$LS_RUN/log" >&2; rm -f "$LS_RUN/pid"; exit 1; }
  sleep 0.1
done
echo "localstack/up: no answer from $ENDPOINT after 30 s; log:" >&2
tail -30 "$LS_RUN/log" >&2
"$HERE/down.sh" >&2 || true
exit 1
