#!/usr/bin/env bash
# Run the aws-spec image as a CI pipeline would: `aws-spec --help`, then an export of the
# example service (terraform-example/service) inside the container, REST and HTTP API,
# whose files must equal the committed specs. The container runs as the caller's uid:gid
# with the source mounted read-only at /src; cargo's download cache (CARGO_HOME) and the
# export's build folder (CARGO_TARGET_DIR) are mounted from git-ignored folders under
# $BUILDAH_ROOT/docker-test, so a second run builds nothing and the host's target/ is
# neither used nor touched.
#
#   scripts/tests/run-docker-image.sh IMAGE EXPORT_FLAG...
#     EXPORT_FLAG: the example's build and metadata flags (terraform-example/spec.mk)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
BUILDAH=scripts/buildah.sh
image="${1:?usage: run-docker-image.sh IMAGE EXPORT_FLAG...}"
shift
cache="${BUILDAH_ROOT:-$PWD/.buildah}/docker-test"
mkdir -p "$cache/cargo-home" "$cache/cargo-target"
out="$(mktemp -d "$cache/out.XXXXXX")"

container="$("$BUILDAH" from --quiet "$image")"
trap '"$BUILDAH" rm "$container" >/dev/null 2>&1 || true; rm -rf "$out"' EXIT

help="$("$BUILDAH" run --isolation chroot --user "$(id -u):$(id -g)" "$container" -- aws-spec --help)"
for word in 'Usage: aws-spec' export vars docs; do
  grep -q -- "$word" <<<"$help" || { printf 'run-docker-image: `aws-spec --help` lacks %s:\n%s\n' "$word" "$help" >&2; exit 1; }
done
echo "run-docker-image: aws-spec --help in $image: ${help%%$'\n'*}"

# in_container ARGS...: aws-spec ARGS... in the container, as the caller, source read-only.
in_container() {
  "$BUILDAH" run --isolation chroot --user "$(id -u):$(id -g)" \
    --volume "$PWD:/src:ro" --volume "$cache/cargo-home:/tmp/cargo-home" \
    --volume "$cache/cargo-target:/tmp/cargo-target" --volume "$out:/out" \
    --env CARGO_HOME=/tmp/cargo-home --env CARGO_TARGET_DIR=/tmp/cargo-target \
    --workingdir /src "$container" -- aws-spec "$@"
}

start=$SECONDS
in_container export --router widget_service::router \
  --manifest-path terraform-example/service/Cargo.toml "$@" \
  --out-private /out/api_private.json --out-public /out/api_public.json
in_container export --target http-api --router widget_service::http_api_router \
  --manifest-path terraform-example/service/Cargo.toml "$@" \
  --out-private /out/api_http_private.json --out-public /out/api_http_public.json
echo "run-docker-image: exported in the container ($((SECONDS - start)) s)"

status=0
for pair in api_private.json:terraform-example/api_private.json \
  api_public.json:terraform-example/api_public.json \
  api_http_private.json:terraform-example/http-api/api_http_private.json \
  api_http_public.json:terraform-example/http-api/api_http_public.json; do
  exported="$out/${pair%%:*}" committed="${pair#*:}"
  if ! cmp -s "$exported" "$committed"; then
    echo "run-docker-image: the container's ${pair%%:*} differs from $committed:" >&2
    diff -u "$committed" "$exported" | head -n 40 >&2 || true
    status=1
  fi
done
[[ $status == 0 ]] || exit 1
echo "run-docker-image: the container's export equals the committed specs (terraform-example/, http-api/)"
