#!/usr/bin/env bash
# `make bench`: install the peers and tools, build, run criterion and the side-by-side
# comparisons, write BENCHMARKS.md. See bench/README.md.
#
# `bench/bench.sh --quick [run.py flags]` (`make test` runs it): a smoke test of the
# harness, not a benchmark: no installs, no peers, no criterion, debug builds; every row's
# commands on our side (`run.py --quick`), failing when a step fails. Writes nothing
# outside the git-ignored bench/out/.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
if [ "${1-}" = --quick ]; then
  quick=true
  shift
fi

venv=bench/.venv
if $quick; then
  # The generators and run.py --quick use the standard library only.
  py=python3
else
  # GNU time (peak RSS), wrk (loopback load generator) and valgrind (instruction
  # counts) from Debian.
  missing=()
  [ -x /usr/bin/time ] || missing+=(time)
  command -v wrk >/dev/null || missing+=(wrk)
  command -v valgrind >/dev/null || missing+=(valgrind)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "bench: installing ${missing[*]} with apt-get"
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq "${missing[@]}"
    else sudo apt-get update -qq && sudo apt-get install -y -qq "${missing[@]}"; fi
  fi

  # The peers, pinned, in a git-ignored virtualenv (reinstalled when the pins change).
  if [ ! -x "$venv/bin/python" ] || ! cmp -s bench/requirements.txt "$venv/requirements.txt"; then
    echo "bench: installing the peers into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r bench/requirements.txt
    cp bench/requirements.txt "$venv/requirements.txt"
  fi
  py=$venv/bin/python
fi

# The route sets and events of the peers.
mkdir -p bench/out/peers bench/out/rust
"$py" bench/peers/events.py bench/out/events.json bench/out/events_v2.json
for n in 1000; do
  "$py" bench/peers/gen_fastapi.py "$n" "bench/out/peers/routes_$n.py"
done

if $quick; then
  # Our side in the dev profile, with make test's feature set (its build's dependencies).
  scripts/build-executables.sh
  exec "$py" bench/run.py --quick "$@"
fi

# Our side: aws-spec and the benchmark binaries in release mode.
cargo build --release -p aws-spec
cargo build --release -p bench-support --bins

echo "bench: load before criterion: $(cut -d' ' -f1-3 /proc/loadavg)"
cargo bench -p axum-aws --bench spec

echo "bench: load before the comparisons: $(cut -d' ' -f1-3 /proc/loadavg)"
"$venv/bin/python" bench/run.py --json bench/results.json "$@"
