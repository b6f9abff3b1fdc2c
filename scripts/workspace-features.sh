# Sourced by scripts that run cargo on the workspace: WORKSPACE_FEATURES, the feature set
# make test builds the workspace with (defined once, in the Makefile, which exports it),
# read from the Makefile when a script runs alone. Every cargo command of make test uses
# `--workspace --features "$WORKSPACE_FEATURES"`, so no step compiles a dependency again
# with another feature set. Needs ROOT (the repository).
: "${WORKSPACE_FEATURES:=$(sed -n 's/^export WORKSPACE_FEATURES := //p' "$ROOT/Makefile")}"
[[ -n "$WORKSPACE_FEATURES" ]] || { echo "no WORKSPACE_FEATURES in $ROOT/Makefile" >&2; exit 1; }
