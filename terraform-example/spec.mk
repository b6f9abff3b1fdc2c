# The example's spec metadata, shared by terraform-example/Makefile (spec, check-spec)
# and the root Makefile (demo), so both write the same committed files.
SPEC_TITLE       := Widgets
SPEC_VERSION     := 1.0.0
SPEC_DESCRIPTION := Track widgets: add or update them, read one, report by color, page through all
# The spec needs only the service's library without its default feature `serve` (the
# binaries' lambda_http and compression): a first export builds about half the crates.
SPEC_BUILD       := --no-default-features
# The metadata flags of an export of the example, spelt once (make docker-test uses them).
# `=`, not `:=`: scripts/tests/run-docs-page.sh reads the `:=` lines above as shell.
SPEC_METADATA    = --title "$(SPEC_TITLE)" --api-version $(SPEC_VERSION) --description "$(SPEC_DESCRIPTION)"
