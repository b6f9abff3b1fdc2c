# Shared by the LocalStack suites (gateway.sh, enforcement.sh): sourced after they set
# E2E_NAME (the make target) and E2E_WHAT (what did not run when skipped).
# Defines ROOT (cwd), TOOLS, LSPY, `elapsed` and `skip`: a suite whose emulator cannot be
# installed or started is SKIPPED loudly (exit 0), or fails when E2E_REQUIRE=1.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
TOOLS="${TOOLS_DIR:-$ROOT/.tools}"
LSPY="$TOOLS/localstack/venv/bin/python"
t0=$(date +%s.%N)
elapsed() { awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1fs", b - a }'; }

skip() {
  {
    echo
    echo "################################################################################"
    echo "$E2E_NAME: SKIPPED — $*"
    echo "$E2E_NAME: $E2E_WHAT did NOT run; nothing was checked."
    echo "################################################################################"
    echo
  } >&2
  [[ "${E2E_REQUIRE:-0}" == 1 ]] && exit 1
  exit 0
}
