#!/usr/bin/env bash
# The image's build context, as buildah selects it with .dockerignore, must hold every
# tracked file (a source file left out breaks the image build: `**/target` once dropped
# the module crates/axum-aws-spec/src/target/) and nothing git ignores (bench/.venv,
# bench/out, .tools and target/ made it hundreds of megabytes). buildah copies the
# context into a scratch image, the way `COPY . .` in the Dockerfile receives it; the
# files found there are compared with git's view.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
BUILDAH=scripts/buildah.sh
IMAGE=localhost/aws-spec-context:check

work="$(mktemp -d)"
container=""
cleanup() {
  if [[ -n "$container" ]]; then
    "$BUILDAH" umount "$container" >/dev/null 2>&1 || true
    "$BUILDAH" rm "$container" >/dev/null 2>&1 || true
  fi
  "$BUILDAH" rmi "$IMAGE" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# The Containerfile lives outside the context, so the context's own .dockerignore is the
# one buildah applies, as for the Dockerfile.
printf 'FROM scratch\nCOPY . /context/\n' >"$work/Containerfile"
"$BUILDAH" bud --quiet --isolation chroot -f "$work/Containerfile" -t "$IMAGE" . >/dev/null
container="$("$BUILDAH" from "$IMAGE")"
mount="$("$BUILDAH" mount "$container")"
(cd "$mount/context" && find . \( -type f -o -type l \) -printf '%P\n') | sort >"$work/context"

# Tracked files present in the work tree (one deleted but not yet committed is no loss).
git ls-files -z | while IFS= read -r -d '' file; do
  [[ -e "$file" || -L "$file" ]] && printf '%s\n' "$file"
done | sort >"$work/tracked"

status=0
if comm -23 "$work/tracked" "$work/context" >"$work/missing" && [[ -s "$work/missing" ]]; then
  echo "check-docker-context: tracked files .dockerignore keeps out of the build context:" >&2
  sed 's/^/  /' "$work/missing" >&2
  status=1
fi
if git check-ignore --stdin <"$work/context" >"$work/ignored"; then
  echo "check-docker-context: git-ignored files in the build context (add them to .dockerignore):" >&2
  sed 's/^/  /' "$work/ignored" | head -n 20 >&2
  echo "  ($(wc -l <"$work/ignored") in all)" >&2
  status=1
fi
[[ $status == 0 ]] || exit 1
echo "check-docker-context: $(wc -l <"$work/context") files ($(du -sh "$mount/context" | cut -f1)) in the context," \
  "every tracked file ($(wc -l <"$work/tracked")), nothing git ignores"
