#!/usr/bin/env bash
# Print the base image make docker-test builds from: IMAGE when buildah's storage has it
# or can pull it, else the local stand-in scripts/buildah-local-rust.sh makes (and caches)
# from debootstrap and this machine's Rust toolchain. Progress goes to stderr.
#
#   scripts/buildah-base.sh IMAGE
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
image="${1:?usage: scripts/buildah-base.sh IMAGE}"
if scripts/buildah.sh inspect --type image "$image" >/dev/null 2>&1; then
  echo "buildah-base: $image (in storage)" >&2
elif scripts/buildah.sh pull --quiet "$image" >/dev/null 2>"${TMPDIR:-/tmp}/buildah-base.$$"; then
  echo "buildah-base: $image (pulled)" >&2
else
  echo "buildah-base: $image cannot be pulled ($(tail -n 1 "${TMPDIR:-/tmp}/buildah-base.$$")); using the local base" >&2
  scripts/buildah-local-rust.sh >&2
  image=localhost/rust-local:latest
fi
rm -f "${TMPDIR:-/tmp}/buildah-base.$$"
echo "$image"
