//! aws-spec's integration tests, one binary: the real `aws-spec` run against the fixture
//! crate in `tests/fixtures/service`, plus the help text and the embedded entry point.

mod arguments; // flags refused before anything builds
mod deploy; // deploy: flags; with feature `deploy`, against moto ($AWS_SPEC_MOTO_URL)
mod docs; // docs: the page and its public spec, --check
mod errors; // compile errors, missing functions, wrong signatures, lint errors
mod export; // files, stdout, yaml, variables.tf, --check
mod help; // --help snapshots, clap's debug_assert
mod http_api; // --target http-api: export, --check, --tf-variables, vars, lint
mod install; // README and messages install from the repository, not crates.io
mod kong; // --target kong: export (yaml, json), vars, lint
mod loader; // the loader's contract: prints, panics, model format versions, crate types, build targets
mod terraform; // aws-spec terraform: golden modules, permissions' source ARNs, errors
mod util; // running the binary against the fixture
mod vars; // vars, lint, the embedded `run`
