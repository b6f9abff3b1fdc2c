#!/usr/bin/env bash
# Make a local stand-in for the `rust:` base image when Docker Hub is unreachable:
# a Debian bookworm rootfs from debootstrap, gcc + libc6-dev from Debian's mirror, and
# the host's Rust toolchain copied in. Tags it localhost/rust-local:latest in buildah's
# storage under $BUILDAH_ROOT (default target/buildah), for
#   make docker RUST_IMAGE=localhost/rust-local:latest
#
#   scripts/buildah-local-rust.sh [TOOLCHAIN_DIR]   (default: rustup's active toolchain)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="${BUILDAH_ROOT:-$PWD/target/buildah}"
STORE=(--root "$ROOT/storage" --runroot "$ROOT/run" --storage-driver vfs)
TOOLCHAIN="${1:-$(rustc --print sysroot)}"
WORK="$ROOT/rust-local"
mkdir -p "$WORK"

if [[ ! -f "$WORK/rootfs.tar" ]]; then
  rm -rf "$WORK/rootfs"
  debootstrap --variant=minbase bookworm "$WORK/rootfs" http://deb.debian.org/debian >"$WORK/debootstrap.log"
  tar -C "$WORK/rootfs" -cf "$WORK/rootfs.tar" .
  rm -rf "$WORK/rootfs"
fi
rm -rf "$WORK/ctx" && mkdir -p "$WORK/ctx"
ln "$WORK/rootfs.tar" "$WORK/ctx/rootfs.tar"
cp -a "$TOOLCHAIN" "$WORK/ctx/toolchain"
# The host's CA bundle: ca-certificates' postinst cannot run under chroot isolation
# (/dev/null is read-only there), and cargo needs the bundle to reach crates.io.
cp /etc/ssl/certs/ca-certificates.crt "$WORK/ctx/ca-certificates.crt"
cat >"$WORK/ctx/Containerfile" <<'CONTAINERFILE'
FROM scratch
ADD rootfs.tar /
RUN ["/bin/sh", "-c", "apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev && rm -rf /var/lib/apt/lists/*"]
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY toolchain /usr/local/rust
ENV PATH=/usr/local/rust/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CONTAINERFILE
buildah "${STORE[@]}" bud --isolation chroot -f "$WORK/ctx/Containerfile" -t localhost/rust-local:latest "$WORK/ctx"
rm -rf "$WORK/ctx"
