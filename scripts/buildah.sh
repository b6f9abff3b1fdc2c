#!/usr/bin/env bash
# buildah on this repository's own storage, $BUILDAH_ROOT (default .buildah, git-ignored).
# Every buildah call of the Makefile and scripts/ goes through here.
#
#   scripts/buildah.sh ARGS...   e.g. scripts/buildah.sh images
#
# Storage driver: overlay where this machine lets us mount one (layers are diffs: a warm
# rebuild and a container cost little), else vfs (every layer a full copy: works inside
# any container, at gigabytes per image). Probed once per storage root and recorded in
# $BUILDAH_ROOT/driver; BUILDAH_DRIVER=vfs|overlay overrides.
set -euo pipefail
root="${BUILDAH_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.buildah}"
if ! command -v buildah >/dev/null; then
  echo "buildah is not installed: run \`apt-get install buildah\` as root (Debian's package; no daemon)," \
    "or \`scripts/install-tools.sh buildah\`, which also installs debootstrap for the local base image" >&2
  exit 127
fi

# overlay_mounts: true when an overlay filesystem can be mounted here.
overlay_mounts() {
  local probe ok=1
  probe="$(mktemp -d)"
  mkdir "$probe/lower" "$probe/upper" "$probe/work" "$probe/merged"
  if mount -t overlay overlay -o "lowerdir=$probe/lower,upperdir=$probe/upper,workdir=$probe/work" \
    "$probe/merged" 2>/dev/null; then
    umount "$probe/merged"
    ok=0
  fi
  rm -rf "$probe"
  return $ok
}

driver="${BUILDAH_DRIVER:-}"
if [[ -z "$driver" ]]; then
  if [[ -f "$root/driver" ]]; then
    driver="$(cat "$root/driver")"
  else
    driver=vfs
    overlay_mounts && driver=overlay
    mkdir -p "$root"
    echo "$driver" >"$root/driver"
  fi
fi
exec buildah --root "$root/storage-$driver" --runroot "$root/run-$driver" --storage-driver "$driver" "$@"
