#!/usr/bin/env bash
# The example service's docs page in headless Chromium (Debian's chromium package,
# installed by scripts/install-tools.sh chromium into .tools/).
#
#   scripts/tests/run-docs-page.sh
#
# 1. `aws-spec docs` writes the widget example's page (target/docs-test/example/);
#    Chromium loads index.html from disk and docs_page.py reads the rendered DOM: every
#    route's method and path, the PUT body's fields and color enum, the API-key and
#    authorizer requirements in words, the filter.
# 2. A page of 1000 routes (bench_support::routes_1000): every operation listed, the path
#    and tag filters show exactly the spec's operations for them.
# 3. The example service runs on a free loopback port (WIDGET_ADDR) and serves the
#    same page at /docs: the same checks, then the try-it form submits PUT /widget and
#    GET /widget/{name} with real clicks and the answers must show in the page.
# 0. A page whose spec texts are markup (`</script><script>…`, `<img onerror>`): shown as
#    text, nothing runs.
# Screenshots: target/docs-test/*.png (not committed), for a person to look at.
# The service and Chromium are stopped by PID; the run is bounded by DOCS_TIMEOUT
# seconds (default 600, mostly the first builds).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="${TOOLS_DIR:-$ROOT/.tools}"
TIMEOUT="${DOCS_TIMEOUT:-600}"

if [[ -z "${DOCS_PAGE_BOUNDED:-}" ]]; then
  DOCS_PAGE_BOUNDED=1 exec timeout --kill-after=10 "$TIMEOUT" "$0" "$@"
fi

say() { echo "docs-test: $*"; }

"$ROOT/scripts/install-tools.sh" chromium >/dev/null
PYTHON="$TOOLS/venv/bin/python"
CHROMIUM="$TOOLS/bin/chromium"
OUT="$ROOT/target/docs-test"
mkdir -p "$OUT"

cd "$ROOT"
say "building aws-spec and the example service"
scripts/build-executables.sh
# The title and version `make demo` exports with.
source <(sed -n 's/^\(SPEC_[A-Z]*\) *:= *\(.*\)$/\1="\2"/p' terraform-example/spec.mk)
CARGO_TARGET_DIR="$ROOT/target" target/debug/aws-spec docs --router widget_service::router \
  --manifest-path terraform-example/service/Cargo.toml $SPEC_BUILD \
  --title "$SPEC_TITLE" --api-version "$SPEC_VERSION" --description "$SPEC_DESCRIPTION" \
  --out "$OUT/example"

say "a page whose spec texts are markup (written by axum-aws's docs_page test)"
# make test's test build of the workspace: `-p axum-aws` alone would compile it again.
source "$ROOT/scripts/workspace-features.sh"
cargo test --quiet --workspace --features "$WORKSPACE_FEATURES" --tests docs_page::spec_text_stays_text >/dev/null
HOSTILE="$ROOT/target/tmp/docs-page-hostile"
(cd scripts/tests && "$PYTHON" docs_page.py --chromium "$CHROMIUM" --hostile "$HOSTILE/hostile.txt" \
  --url "file://$HOSTILE/index.html" --screenshot "$OUT/hostile.png")

say "the page aws-spec docs wrote"
(cd scripts/tests && "$PYTHON" docs_page.py --chromium "$CHROMIUM" --spec "$OUT/example/openapi.json" \
  --url "file://$OUT/example/index.html" --screenshot "$OUT/example.png")

say "a page of 1000 routes (bench_support::routes_1000): listed and filtered"
# Without bench-support's default features (its binaries'), as bench/bench.sh --quick
# exports it: the loader shares its build with that one and the example's.
CARGO_TARGET_DIR="$ROOT/target" target/debug/aws-spec docs --router bench_support::routes_1000 \
  --manifest-path bench/support/Cargo.toml --no-default-features --title "Bench 1000" --api-version 1.0.0 \
  --out "$OUT/large"
(cd scripts/tests && "$PYTHON" docs_page.py --chromium "$CHROMIUM" --spec "$OUT/large/openapi.json" \
  --url "file://$OUT/large/index.html" --screenshot "$OUT/large.png" --large)

PORT="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
service_pid=""
cleanup() {
  local status=$?
  set +e
  if [[ -n "$service_pid" ]]; then
    kill "$service_pid" 2>/dev/null
    wait "$service_pid" 2>/dev/null
  fi
  [[ $status -eq 0 ]] || { echo "---- service log"; tail -n 30 "$OUT/service.log"; }
  exit "$status"
}
trap cleanup EXIT
# The service enforces its declaration locally (the REST API's emulation): the try-it
# form's key and bearer token are configured, and the direct DynamoDB read is answered
# by its handler (the memory store) rather than 501.
WIDGET_ADDR="127.0.0.1:$PORT" AXUM_AWS_API_KEYS=docs-test-key AXUM_AWS_SERVICE_HANDLERS=1 \
  WRITE_TOKEN_SHA256="$(printf %s docs-test | sha256sum | cut -d' ' -f1)" \
  target/debug/widget-service >"$OUT/service.log" 2>&1 &
service_pid=$!
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  sleep 0.1
done

say "the page the running service serves at /docs (port $PORT), and its try-it form"
(cd scripts/tests && "$PYTHON" docs_page.py --chromium "$CHROMIUM" --spec "$OUT/example/openapi.json" \
  --url "http://127.0.0.1:$PORT/docs" --screenshot "$OUT/served.png" --try-it)
say "passed; screenshots in $OUT/"
