#!/usr/bin/env bash
# The Chromium installer's package list must not depend on what the machine has installed
# (it once came out empty, and the installer died, where Chromium was installed already).
# Computes the list twice: as this machine is, and as a machine with nothing installed
# would (APT_CONFIG pointing apt at an empty dpkg status), and fails unless both are the
# same. Also checks that the two machines really differ for apt, so the comparison is not
# vacuous, and that the list holds chromium and leaves the system's libc alone.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
: >"$work/status"
printf 'Dir::State::status "%s";\n' "$work/status" >"$work/apt.conf"

# What plain `apt-get -s install chromium` says on each machine: these must differ (libc6
# is installed on every Debian machine, and a fresh one lacks it).
plain() { apt-get -s install --no-install-recommends chromium 2>/dev/null | awk '/^Inst / { print $2 }' | sort; }
this_plain="$(plain)"
fresh_plain="$(APT_CONFIG="$work/apt.conf" plain)"
if [[ "$this_plain" == "$fresh_plain" ]]; then
  echo "check-chromium-packages: apt sees no difference between this machine and an empty one; the test would prove nothing" >&2
  exit 1
fi

scripts/install-tools.sh chromium-packages >"$work/this"
APT_CONFIG="$work/apt.conf" scripts/install-tools.sh chromium-packages >"$work/fresh"

if ! diff -u "$work/this" "$work/fresh" >"$work/diff"; then
  echo "check-chromium-packages: the installer's list depends on what is installed (this machine vs a fresh one):" >&2
  cat "$work/diff" >&2
  exit 1
fi
grep -qx chromium "$work/this" || { echo "check-chromium-packages: the list lacks chromium" >&2; exit 1; }
if grep -qx libc6 "$work/this"; then
  echo "check-chromium-packages: the list holds libc6 (a second libc beside the system's loader)" >&2
  exit 1
fi
echo "check-chromium-packages: $(wc -l <"$work/this") packages, the same on this machine" \
  "($(printf '%s\n' "$this_plain" | grep -c . || true) to install by plain apt) and on an empty one ($(printf '%s\n' "$fresh_plain" | grep -c .))"
