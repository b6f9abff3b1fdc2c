#!/usr/bin/env bash
# Make a local stand-in for the `rust:` base image when Docker Hub is unreachable:
# a Debian bookworm rootfs from debootstrap (with gcc, libc6-dev and ca-certificates,
# what rust:slim-bookworm adds for cargo) and the host's Rust toolchain copied in.
# Tags it localhost/rust-local:latest in buildah's storage under $BUILDAH_ROOT
# (default .buildah), for
#   make docker RUST_IMAGE=localhost/rust-local:latest
#
#   scripts/buildah-local-rust.sh [TOOLCHAIN_DIR]   (default: rustc's sysroot)
#
# Cached: the rootfs tarball ($BUILDAH_ROOT/rust-local/rootfs.tar) is made once; the
# image is rebuilt only when this script, the toolchain (`rustc -vV`) or the host's CA
# bundle changed — its label rust-local.key records them. A cached run takes about a second.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="${BUILDAH_ROOT:-$PWD/.buildah}"
BUILDAH=(env BUILDAH_ROOT="$ROOT" scripts/buildah.sh)
TOOLCHAIN="${1:-$(rustc --print sysroot)}"
IMAGE=localhost/rust-local:latest
WORK="$ROOT/rust-local"
mkdir -p "$WORK"

for tool in buildah debootstrap; do
  command -v "$tool" >/dev/null \
    || { echo "buildah-local-rust: $tool is not installed (apt-get install buildah debootstrap)" >&2; exit 1; }
done

key="$( { cat "${BASH_SOURCE[0]}" /etc/ssl/certs/ca-certificates.crt; "$TOOLCHAIN/bin/rustc" -vV; echo "$TOOLCHAIN"; } | sha256sum | cut -d' ' -f1)"
have="$("${BUILDAH[@]}" inspect --type image --format '{{index .Docker.Config.Labels "rust-local.key"}}' "$IMAGE" 2>/dev/null || true)"
if [[ "$have" == "$key" ]]; then
  echo "buildah-local-rust: $IMAGE cached ($("$TOOLCHAIN/bin/rustc" --version))"
  exit 0
fi

if [[ ! -f "$WORK/rootfs.tar" ]]; then
  echo "buildah-local-rust: debootstrap bookworm into $WORK/rootfs (first run: a few minutes)…"
  rm -rf "$WORK/rootfs"
  # Installed here, by debootstrap's own chroot, not by a RUN: package scripts such as
  # ca-certificates' cannot run under buildah's chroot isolation (/dev/null is read-only).
  debootstrap --variant=minbase --include=gcc,libc6-dev,ca-certificates \
    bookworm "$WORK/rootfs" http://deb.debian.org/debian >"$WORK/debootstrap.log" 2>&1 \
    || { tail -n 20 "$WORK/debootstrap.log" >&2; exit 1; }
  rm -rf "$WORK/rootfs/var/cache/apt/archives/"*.deb "$WORK/rootfs/var/lib/apt/lists/"*
  tar -C "$WORK/rootfs" -cf "$WORK/rootfs.tar.part" .
  mv "$WORK/rootfs.tar.part" "$WORK/rootfs.tar"
  rm -rf "$WORK/rootfs"
fi

# Two layers only (the vfs driver stores every layer as a full copy): the rootfs, then
# the toolchain without its documentation (share/doc is most of its size) and the CA bundle.
rm -rf "$WORK/ctx" && mkdir -p "$WORK/ctx/overlay/usr/local/rust"
ln "$WORK/rootfs.tar" "$WORK/ctx/rootfs.tar"
for part in "$TOOLCHAIN"/*; do
  [[ "$(basename "$part")" == share ]] || cp -a "$part" "$WORK/ctx/overlay/usr/local/rust/"
done
# The host's CA bundle over Debian's: where a TLS-inspecting proxy stands between this
# machine and crates.io, only the host's bundle holds its CA.
mkdir -p "$WORK/ctx/overlay/etc/ssl/certs"
cp /etc/ssl/certs/ca-certificates.crt "$WORK/ctx/overlay/etc/ssl/certs/ca-certificates.crt"
cat >"$WORK/ctx/Containerfile" <<'CONTAINERFILE'
FROM scratch
ADD rootfs.tar /
COPY overlay/ /
ENV PATH=/usr/local/rust/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CMD ["/bin/bash"]
CONTAINERFILE
old="$("${BUILDAH[@]}" images --quiet --noheading "$IMAGE" 2>/dev/null || true)"
"${BUILDAH[@]}" bud --isolation chroot --label "rust-local.key=$key" \
  -f "$WORK/ctx/Containerfile" -t "$IMAGE" "$WORK/ctx"
rm -rf "$WORK/ctx"
# The replaced image holds a gigabyte in vfs storage; it stays only while a built image uses it.
[[ -z "$old" ]] || "${BUILDAH[@]}" rmi "$old" >/dev/null 2>&1 || true
