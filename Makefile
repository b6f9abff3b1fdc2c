# Developer and CI entry points (GNU make). `.ci/run` runs `make test`.
# Fresh machine: `make demo` (needs only cargo), then `make test` (bootstraps the tools).
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

# The feature set of every cargo command make test and its scripts run on the workspace,
# the AWS SDK ones (`aws-spec deploy`, the example's DynamoDB store) included, so that each
# dependency compiles once: cargo resolves features for the packages a command selects, and
# `cargo test -p aws-spec --features deploy` alone would build tokio, hyper and the SDK again
# with other features (workspace-wide unification, `resolver.feature-unification`, is not
# stable yet). Lean builds are still tested: `-p axum-aws --no-default-features` below.
export WORKSPACE_FEATURES := aws-spec/deploy,widget-service/dynamodb
CARGO_WORKSPACE := --workspace --features $(WORKSPACE_FEATURES)

# Snapshot files holding generated specs: crates/*/tests/**/snapshots/*-{private,public}.snap
SPEC_SNAPSHOT_REGEX := crates/[^/]+/tests/(.*/)?snapshots/[^/]*-(private|public)\.snap

# `make demo`: the router to export: the terraform-example service (its own Terraform
# consumes the files, so the demo writes the committed specs, unchanged when current).
DEMO_ROUTER   ?= widget_service::router
DEMO_MANIFEST ?= terraform-example/service/Cargo.toml
DEMO_OUT      ?= terraform-example
# `make demo` also writes the service's docs page here (generated, not committed).
DEMO_DOCS     ?= target/demo-docs
include terraform-example/spec.mk
# Cargo flags of the export: the example's library needs no default feature (spec.mk);
# another DEMO_MANIFEST is built with its defaults unless DEMO_BUILD says otherwise.
ifeq ($(DEMO_MANIFEST),terraform-example/service/Cargo.toml)
DEMO_BUILD    ?= $(SPEC_BUILD)
endif
# The service is built in this workspace's target/, sharing its build cache.
AWS_SPEC      := CARGO_TARGET_DIR=$(CURDIR)/target $(CURDIR)/target/debug/aws-spec

# `make docker`: the image is built with buildah (no Docker engine needed), its storage
# and make docker-test's caches in the git-ignored .buildah/ (scripts/buildah.sh).
IMAGE        ?= aws-spec:dev
RUST_IMAGE   ?= docker.io/library/rust:1.95.0-slim-bookworm
# Extra `--build-arg`s of `make docker` (none: the image users build).
DOCKER_BUILD_ARGS ?=
# make docker-test's image: the Dockerfile's release build without optimisation (the
# export it tests is the same; on 2 cores the optimised build costs minutes more).
DOCKER_TEST_BUILD_ARGS ?= --build-arg CARGO_PROFILE_RELEASE_OPT_LEVEL=0 --build-arg CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256
export BUILDAH_ROOT ?= $(CURDIR)/.buildah
BUILDAH      := scripts/buildah.sh

.PHONY: tools check-specs check-kong test lint fmt demo docker docker-test bench hadolint e2e-lambda moto-import moto-http-api e2e-deploy vtl-services e2e-services e2e-gateway e2e-enforcement terraform-example-test docs-test

## tools: install/refresh the oracle tools in .tools/ (terraform + validators)
tools:
	scripts/install-tools.sh

## check-specs: check every spec snapshot with the oracles, then self-test the checker;
## a greedy route's public spec passes a plain validator, its private one after the README's sed;
## render_with against Terraform's templatefile() (the `#[ignore]`d tests that need terraform, counted)
check-specs: tools
	@mapfile -t specs < <(find crates -regextype posix-extended -type f -regex '$(SPEC_SNAPSHOT_REGEX)' | sort); \
	if [ $${#specs[@]} -eq 0 ]; then \
	  echo "check-specs: note: no crates/*/tests/**/snapshots/*-{private,public}.snap yet; nothing to check"; \
	else \
	  echo "check-specs: $${#specs[@]} snapshot(s)"; \
	  "$(PYTHON)" scripts/check-specs.py --tools "$(TOOLS)" "$${specs[@]}" && \
	  python3 scripts/check-statuses.py --self-test "$${specs[@]}"; \
	fi
	scripts/tests/run-selftest.sh --tools "$(TOOLS)"
	"$(PYTHON)" scripts/tests/greedy_spec.py
	scripts/tests/cargo-test-ignored.sh --self-test
	@# The workspace's test build (make test's): `-p axum-aws` alone would compile again.
	AWS_SPEC_TERRAFORM="$(TOOLS)/bin/terraform" scripts/tests/cargo-test-ignored.sh $(CARGO_WORKSPACE) --tests -- \
	  templatefile::render_with_is_terraform_templatefile templatefile::a_missing_variable_fails_like_terraform \
	  export::tf_variables_file_is_terraform_fmt_clean

# decK's JSON schema (Kong/go-database-reconciler pkg/file/kong_json_schema.json, Apache-2.0),
# a committed test fixture: its README names the source commit and how to refresh it.
KONG_SCHEMA ?= $(CURDIR)/scripts/tests/fixtures/kong/kong_json_schema.json

## check-kong: check every golden Kong file against decK's schema and Kong's plugin fields, then self-test the checker
check-kong: tools
	@mapfile -t files < <(find crates -type f -name '*-kong.snap' -o -type f -name '*-kong-json.snap' | sort); \
	if [ $${#files[@]} -eq 0 ]; then echo "check-kong: no *-kong.snap files found" >&2; exit 1; fi; \
	"$(PYTHON)" scripts/check-kong.py --schema "$(KONG_SCHEMA)" "$${files[@]}"
	"$(PYTHON)" scripts/check-kong.py --schema "$(KONG_SCHEMA)" --self-test

## test: lint (fmt, clippy, rustdoc: CI enforces them), all Rust tests (unit, integration, doc), the spec checks, hadolint, the image, the emulator suites
test: tools
	$(MAKE) lint
	scripts/check-cli-deps.sh
	cargo test $(CARGO_WORKSPACE) --all-targets
	cargo test $(CARGO_WORKSPACE) --doc
	cargo test -p axum-aws --no-default-features
	$(MAKE) check-specs
	$(MAKE) check-kong
	python3 bench/check_report.py
	bench/bench.sh --quick
	$(MAKE) hadolint
	$(MAKE) docker-test
	$(MAKE) e2e-lambda
	$(MAKE) moto-import moto-http-api vtl-services e2e-services
	$(MAKE) e2e-deploy
	@# make test never passes a suite that skipped: a missing emulator fails it.
	E2E_REQUIRE=1 $(MAKE) e2e-gateway
	E2E_REQUIRE=1 $(MAKE) e2e-enforcement
	$(MAKE) terraform-example-test
	$(MAKE) terraform-oracles
	scripts/tests/check-chromium-packages.sh
	$(MAKE) docs-test

## docs-test: the example's docs page in headless Chromium (aws-spec docs, and /docs of the
## running service): routes, PUT body model and enum, auth in words, filter, try-it; screenshots in target/docs-test/
docs-test:
	scripts/tests/run-docs-page.sh

## terraform-example-test: spec and module drift, main.tf's module call passes every placeholder,
## terraform render through the module + fmt, the service against moto's DynamoDB, the spec imported
## into moto, checkov
terraform-example-test:
	$(MAKE) -C terraform-example test

## terraform-oracles: terraform-example's .tf and the generated modules it calls against the AWS provider's
## schema (fixture), the API Gateway role policy of its module (with the example's table and key) against
## parliament and policy_sentry's ARN formats; each checker's self-test;
## the golden modules of `aws-spec terraform`: fmt, templatefile() in Terraform 1.0.3, schema, IAM, checkov
.PHONY: terraform-oracles
terraform-oracles:
	scripts/install-tools.sh tf-oracles >/dev/null
	"$(PYTHON)" scripts/check-terraform-schema.py terraform-example terraform-example/api-module \
	  terraform-example/http-api terraform-example/http-api/api-module
	"$(PYTHON)" scripts/check-terraform-schema.py --self-test terraform-example/api-module
	"$(PYTHON)" scripts/check-iam-policies.py --terraform terraform-example/api-module \
	  --samples scripts/tests/fixtures/iam/terraform-example-samples.json --document apigw_dynamodb_role_arn
	"$(PYTHON)" scripts/check-iam-policies.py --self-test
	scripts/tests/check-terraform-modules.sh

## moto-import: import each direct-AWS-service spec into moto, read every integration back
moto-import:
	scripts/install-tools.sh moto >/dev/null
	scripts/tests/run-moto-import.sh

## moto-http-api: import each golden HTTP API spec into moto's apigatewayv2 (create_api +
## reimport_api), read routes, integrations and CORS back; then a self-test on corrupted specs
moto-http-api:
	scripts/install-tools.sh moto >/dev/null
	scripts/tests/run-moto-http-api.sh

## e2e-deploy: aws-spec deploy (feature `deploy`) against moto's API Gateway on loopback: first deploy,
## overwrite, merge, dry run, missing variable, rejected spec — read back with boto3
e2e-deploy:
	scripts/install-tools.sh moto >/dev/null
	scripts/tests/run-e2e-deploy.sh

## vtl-services: render each service mapping template with LocalStack's VTL engine, parse the result
vtl-services:
	scripts/localstack/install.sh
	timeout 120 $(TOOLS)/localstack/venv/bin/python scripts/tests/vtl_services.py

## e2e-services: call each service integration through LocalStack's API Gateway (host mode, loopback)
e2e-services:
	scripts/localstack/install.sh
	scripts/tests/run-e2e-services.sh

## e2e-gateway: example routers behind LocalStack's API Gateway (requests, CORS, API keys, mocks,
## gateway responses; corrupted specs must fail), every golden private spec read back from LocalStack and moto
e2e-gateway:
	scripts/e2e/gateway.sh

## e2e-enforcement: the same requests through LocalStack's API Gateway and to the local enforcing server
## (API keys, validators, mocks, unknown routes, preflight, gateway responses); every difference must be
## in scripts/e2e/enforcement-allowlist.json with its reason and source, and every entry must still differ
e2e-enforcement:
	scripts/e2e/enforcement.sh

## e2e-lambda: the example router under a local Lambda emulator (cargo lambda watch), invoked with REST v1 events
e2e-lambda:
	scripts/e2e-lambda.sh

## hadolint: lint the Dockerfile (hadolint from .tools/, see scripts/install-tools.sh)
hadolint:
	scripts/install-tools.sh hadolint >/dev/null
	$(TOOLS)/venv/bin/hadolint Dockerfile
	@echo "hadolint: Dockerfile clean"

## demo: build aws-spec, export the example service's specs, list what Terraform must supply, write its docs page
demo:
	@echo "demo: building aws-spec (first run: about 1 min on 2 cores; later: seconds)…"
	cargo build -p aws-spec
	mkdir -p $(DEMO_OUT)
	@echo "demo: exporting $(DEMO_ROUTER): aws-spec builds the library of $(DEMO_MANIFEST) and a loader crate (first run: about 2 min)…"
	$(AWS_SPEC) --router $(DEMO_ROUTER) --manifest-path $(DEMO_MANIFEST) $(DEMO_BUILD) \
	  --title "$(SPEC_TITLE)" --api-version $(SPEC_VERSION) --description "$(SPEC_DESCRIPTION)" \
	  --out-private $(DEMO_OUT)/api_private.json --out-public $(DEMO_OUT)/api_public.json
	@echo
	@echo "demo: exported $(DEMO_ROUTER) ($(DEMO_MANIFEST)) into $(DEMO_OUT)/:"
	@echo "  $(DEMO_OUT)/api_private.json  for aws_api_gateway_rest_api.body = templatefile(...)"
	@echo "  $(DEMO_OUT)/api_public.json   for docs and client generators"
	@echo "  $(DEMO_OUT)/main.tf           supplies each placeholder to the module \"api\" (api-module/: make -C terraform-example module)"
	@echo "demo: placeholders Terraform must supply (name, routes using it):"
	@$(AWS_SPEC) vars --router $(DEMO_ROUTER) --manifest-path $(DEMO_MANIFEST) $(DEMO_BUILD) | sed 's/^/  /'
	@$(AWS_SPEC) docs --router $(DEMO_ROUTER) --manifest-path $(DEMO_MANIFEST) $(DEMO_BUILD) \
	  --title "$(SPEC_TITLE)" --api-version $(SPEC_VERSION) --description "$(SPEC_DESCRIPTION)" --out $(DEMO_DOCS)
	@echo "demo: the API docs page (the public spec for people; works offline):"
	@echo "  file://$(abspath $(DEMO_DOCS))/index.html"

## docker: build the aws-spec image with buildah (fails, saying what to install, without it;
## RUST_IMAGE=localhost/rust-local:latest after scripts/buildah-local-rust.sh where Docker Hub is unreachable)
docker:
	$(BUILDAH) bud --isolation chroot --layers --pull=missing --build-arg RUST_IMAGE=$(RUST_IMAGE) $(DOCKER_BUILD_ARGS) -t $(IMAGE) .
	@echo "docker: built $(IMAGE) from $(RUST_IMAGE) (buildah storage: $(BUILDAH_ROOT))"

## docker-test: the image as users build it (its release build unoptimised: DOCKER_TEST_BUILD_ARGS):
## the build context is the source tree and nothing git ignores; buildah builds the Dockerfile
## from RUST_IMAGE, else from a local base
## (debootstrap + this machine's toolchain); in the container, aws-spec --help and an export of
## the example (as the caller, source read-only) must equal the committed specs. Cached in .buildah/
docker-test:
	scripts/install-tools.sh buildah
	scripts/tests/check-docker-context.sh
	base="$$(scripts/buildah-base.sh $(RUST_IMAGE))"; $(MAKE) docker RUST_IMAGE="$$base" DOCKER_BUILD_ARGS="$(DOCKER_TEST_BUILD_ARGS)"
	scripts/tests/run-docker-image.sh $(IMAGE) $(SPEC_BUILD) $(SPEC_METADATA)

## bench: criterion benches + side-by-side runs against fastapi-aws and Powertools; writes BENCHMARKS.md (not part of test)
bench:
	bench/bench.sh $(BENCH_ARGS)

## lint: nothing points outside the repository, formatting, clippy and rustdoc, all warnings as errors
lint:
	scripts/check-standalone.sh
	scripts/check-standalone.sh --self-test
	cargo fmt --all -- --check
	cargo clippy $(CARGO_WORKSPACE) --all-targets -- -D warnings
	@# rustdoc reuses clippy's check build: the examples bring in the dev-dependencies, so
	@# features resolve as for clippy's --all-targets (the default lib+bins resolved without
	@# them and checked 63 crates again, the AWS SDK among them: 87 s of a cold run).
	RUSTDOCFLAGS="-D warnings" cargo doc $(CARGO_WORKSPACE) --no-deps --lib --examples

## fmt: format the workspace
fmt:
	cargo fmt --all
