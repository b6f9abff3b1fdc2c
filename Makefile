# Developer and CI entry points (GNU make). `.ci/run` runs `make test`.
#
# External "oracle" tools (Terraform 1.0.3, openapi-spec-validator, swagger-cli,
# redocly; moto on request) are installed by scripts/install-tools.sh into the
# git-ignored .tools/ folder. Nothing installed by hand is used: recipes see
# .tools/bin first on PATH, and the tools target is cheap once cached.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c

TOOLS  := $(CURDIR)/.tools
PYTHON := $(TOOLS)/venv/bin/python

export CHECKPOINT_DISABLE := 1
export TF_CLI_CONFIG_FILE := $(TOOLS)/terraformrc
export PATH := $(TOOLS)/bin:$(PATH)

# Snapshot files holding generated specs: crates/*/tests/**/snapshots/*-{private,public}.snap
SPEC_SNAPSHOT_REGEX := crates/[^/]+/tests/(.*/)?snapshots/[^/]*-(private|public)\.snap

.PHONY: tools check-specs test lint fmt

## tools: install/refresh the oracle tools in .tools/ (terraform + validators)
tools:
	scripts/install-tools.sh

## check-specs: check every spec snapshot with the oracles, then self-test the checker
check-specs: tools
	@mapfile -t specs < <(find crates -regextype posix-extended -type f -regex '$(SPEC_SNAPSHOT_REGEX)' | sort); \
	if [ $${#specs[@]} -eq 0 ]; then \
	  echo "check-specs: note: no crates/*/tests/**/snapshots/*-{private,public}.snap yet; nothing to check"; \
	else \
	  echo "check-specs: $${#specs[@]} snapshot(s)"; \
	  "$(PYTHON)" scripts/check-specs.py --tools "$(TOOLS)" "$${specs[@]}"; \
	fi
	scripts/tests/run-selftest.sh --tools "$(TOOLS)"

## test: all Rust tests (unit, integration, doc), then the spec checks
test: tools
	cargo test --workspace --all-targets
	cargo test --workspace --doc
	$(MAKE) check-specs

## lint: formatting, clippy and rustdoc, all warnings as errors
lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps

## fmt: format the workspace
fmt:
	cargo fmt --all
