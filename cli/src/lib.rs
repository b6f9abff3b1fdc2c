//! The library behind the `aws-spec` binary: load an axum-aws `AwsRouter` from a
//! crate, check it, and write its private (API Gateway) and public OpenAPI specs.
//!
//! Two ways in:
//! - the `aws-spec` binary ([`cli::Cli`] → [`execute`]) compiles a small loader crate
//!   that calls the user's `fn() -> AwsRouter<S>` ([`loader`]);
//! - a service's own binary that already holds its router calls [`run`] with the spec,
//!   and gets the same flags without cargo at export time.
//!
//! `deploy` (feature `deploy`, off by default: it compiles the AWS SDK) renders the
//! private spec with the variable values and updates the REST API itself ([`deploy`]).
//!
//! Exit codes: 0 ok, 1 spec errors / build errors / out-of-date files / AWS errors,
//! 2 usage errors (including a template variable without a value).

use std::ffi::OsString;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use std::collections::{BTreeMap, BTreeSet};

use axum_aws_spec::{ApiSpec, KongFormat, SpecErrors, Target};
use clap::{CommandFactory as _, FromArgMatches as _};

pub mod cli;
pub mod deploy;
pub mod loader;
pub mod output;
pub mod terraform;

use cli::{
    Command, EmbeddedCli, EmbeddedCommand, GatewayTarget, OutputArgs, refuse_old_version_flag,
};

/// Why a command failed. [`Error::exit_code`] maps it to the process exit code.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The spec has errors API Gateway would reject; each names its route.
    #[error("{0}")]
    Spec(SpecErrors),
    /// The user's crate does not compile; cargo's messages were already shown.
    #[error("crate `{0}` does not compile (cargo's messages above)")]
    Build(String),
    /// The router could not be loaded (missing function, wrong signature, panics…).
    #[error("{0}")]
    Load(String),
    /// An output file is out of date (`--check`).
    #[error("out of date: {}\nregenerate with: {regenerate}", files.join(", "))]
    OutOfDate {
        /// Unified diff of every stale file.
        diff: String,
        /// The stale files.
        files: Vec<String>,
        /// The command that regenerates them.
        regenerate: String,
    },
    /// A file could not be written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The flags do not make sense together, or a template variable has no value.
    #[error("{0}")]
    Usage(String),
    /// What the Terraform module cannot derive from the router, each naming its routes.
    #[error("{0}")]
    Module(terraform::ModuleErrors),
    /// An AWS call of `deploy` failed; the message is the service's.
    #[error("{0}")]
    Deploy(String),
}

impl Error {
    /// 2 for usage errors, 1 for everything else.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Usage(_) => ExitCode::from(2),
            _ => ExitCode::FAILURE,
        }
    }
}

/// Runs one `aws-spec` command.
///
/// # Errors
/// See [`Error`].
pub fn execute(command: Command) -> Result<(), Error> {
    match command {
        Command::Export(args) => {
            output::validate(&args.output)?;
            let spec = loader::load(&args.load)?;
            export(spec, &args.output, &regenerate_command(std::env::args_os()))
        }
        Command::Vars(args) => {
            let spec = loader::load(&args.load)?;
            vars(&spec, args.json, args.target)
        }
        Command::Lint(args) => lint(&loader::load(&args.load)?, args.target),
        Command::Deploy(args) => {
            deploy::check_available()?;
            let vars = deploy::read_vars(args.vars.as_deref(), &args.var)?;
            let spec = loader::load(&args.load)?;
            deploy::deploy(spec, &args, vars)
        }
        Command::Docs(args) => {
            let spec = loader::load(&args.load)?;
            docs(spec, &args.output, &regenerate_command(std::env::args_os()))
        }
        Command::Terraform(args) => {
            let spec = loader::load(&args.load)?;
            terraform_module(spec, &args, &regenerate_command(std::env::args_os()))
        }
    }
}

/// Prints where the Terraform module grants more than a route needs.
fn print_module_warnings(warnings: &[String]) {
    let mut stderr = std::io::stderr().lock();
    for warning in warnings {
        let _ = writeln!(stderr, "warning: terraform module: {warning}");
    }
}

/// Writes (or, with `--check`, compares) the Terraform module.
fn terraform_module(
    mut spec: ApiSpec,
    args: &cli::TerraformArgs,
    regenerate: &str,
) -> Result<(), Error> {
    let mut info = axum_aws_spec::Info::new(&args.title, &args.api_version);
    if let Some(description) = &args.description {
        info = info.description(description);
    }
    spec.info = info;
    let target = match args.target {
        cli::ModuleGateway::Rest => terraform::ModuleTarget::Rest,
        cli::ModuleGateway::HttpApi => terraform::ModuleTarget::HttpApi,
    };
    let (files, warnings) = terraform::generate(&spec, target)?;
    print_module_warnings(&warnings);
    let outputs: Vec<output::Output> = files
        .into_iter()
        .map(|file| output::Output {
            path: args.out.join(file.name),
            content: file.content,
        })
        .collect();
    if args.check {
        return output::check(&outputs, regenerate);
    }
    output::write(&outputs)
}

/// Writes (or, with `--check`, compares) the docs page and the public spec it shows.
fn docs(mut spec: ApiSpec, args: &cli::DocsOutputArgs, regenerate: &str) -> Result<(), Error> {
    let mut info = axum_aws_spec::Info::new(&args.title, &args.api_version);
    if let Some(description) = &args.description {
        info = info.description(description);
    }
    spec.info = info;
    let public = spec.render_public().map_err(Error::Spec)?;
    let outputs = [
        output::Output {
            path: args.out.join("index.html"),
            content: axum_aws_spec::DocsPage::new(&public).into_html(),
        },
        output::Output {
            path: args.out.join("openapi.json"),
            content: public.to_json(),
        },
    ];
    if args.check {
        return output::check(&outputs, regenerate);
    }
    output::write(&outputs)
}

/// The command that installs aws-spec from its repository (it is not on crates.io), with
/// `options` before the package name and `features` after it.
pub(crate) fn install_command(options: &str, features: &str) -> String {
    format!(
        "cargo install --git {} {options}aws-spec{features}",
        env!("CARGO_PKG_REPOSITORY")
    )
}

/// Prints the error (if any) on stderr and returns the exit code.
pub fn exit(result: Result<(), Error>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let mut stderr = std::io::stderr().lock();
            match &error {
                Error::OutOfDate { diff, .. } => {
                    let _ = std::io::stdout().lock().write_all(diff.as_bytes());
                    let _ = writeln!(stderr, "aws-spec: {error}");
                }
                // The problems as `lint` prints them, one line each, then what happened.
                Error::Spec(errors) => {
                    let count = errors.errors().len();
                    let _ = stderr.write_all(problem_lines(errors.errors(), &[]).as_bytes());
                    let _ = writeln!(
                        stderr,
                        "aws-spec: {count} error{} in the router; nothing written",
                        if count == 1 { "" } else { "s" }
                    );
                }
                Error::Module(errors) => {
                    for problem in &errors.problems {
                        let _ = writeln!(stderr, "error: {problem}");
                    }
                    let count = errors.problems.len();
                    let _ = writeln!(
                        stderr,
                        "aws-spec: {count} problem{} the Terraform module cannot derive; nothing written",
                        if count == 1 { "" } else { "s" }
                    );
                }
                _ => {
                    let _ = writeln!(stderr, "aws-spec: {error}");
                }
            }
            error.exit_code()
        }
    }
}

/// The service binary that calls [`run`]: its name and version, which `--version`
/// prints beside aws-spec's. [`service!`] takes both from the calling package's
/// Cargo.toml.
///
/// ```
/// let service = aws_spec::service!();
/// assert_eq!(service.version_line(), format!("aws-spec {0} (aws-spec {0})", env!("CARGO_PKG_VERSION")));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Service {
    /// The package's name.
    pub name: &'static str,
    /// The package's version.
    pub version: &'static str,
}

impl Service {
    /// A service named `name` at `version`; [`service!`] writes this call for you.
    ///
    /// ```
    /// let service = aws_spec::Service::new("orders", "1.4.0");
    /// assert!(service.version_line().starts_with("orders 1.4.0 (aws-spec "));
    /// ```
    #[must_use]
    pub const fn new(name: &'static str, version: &'static str) -> Self {
        Self { name, version }
    }

    /// What `--version` prints: `NAME VERSION (aws-spec VERSION)`.
    #[must_use]
    pub fn version_line(&self) -> String {
        format!("{} {}", self.name, self.versions())
    }

    /// The version clap prints after the name.
    fn versions(&self) -> String {
        format!("{} (aws-spec {})", self.version, env!("CARGO_PKG_VERSION"))
    }
}

/// The [`Service`] of the package this is written in: its Cargo.toml's name and version.
///
/// ```
/// assert_eq!(aws_spec::service!().name, env!("CARGO_PKG_NAME"));
/// ```
#[macro_export]
macro_rules! service {
    () => {
        $crate::Service::new(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"))
    };
}

/// Entry point for a service's own binary that holds its router: parses the export
/// flags (without `--router`/`--manifest-path`) from the process arguments, plus the
/// `vars`, `lint` and `docs` commands, and writes the specs. No cargo involved.
/// `--version` prints the service's version and aws-spec's.
///
/// ```no_run
/// // src/bin/spec.rs of a service:
/// //   my-service-spec --title T --api-version V --out-private … --out-public …
/// use axum_aws::{routing::get, AwsRouter, Info, integration::LambdaProxy};
///
/// fn main() -> std::process::ExitCode {
///     let router: AwsRouter = AwsRouter::new()
///         .route("/health", get(|| async { "ok" }))
///         .default_integration(LambdaProxy::new("${api_invoke_arn}"));
///     aws_spec::run(router.spec(Info::new("", "")), aws_spec::service!())
/// }
/// ```
pub fn run(spec: ApiSpec, service: Service) -> ExitCode {
    run_from(spec, service, std::env::args_os())
}

/// [`run`] with explicit arguments (the first is the program name).
pub fn run_from<I, T>(spec: ApiSpec, service: Service, args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let parsed = refuse_old_version_flag(&args)
        .map_err(|message| {
            embedded_command(service).error(clap::error::ErrorKind::UnknownArgument, message)
        })
        .and_then(|()| embedded_command(service).try_get_matches_from(&args))
        .and_then(|matches| EmbeddedCli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
        }
    };
    let result = match (cli.command, cli.output) {
        (None, None) => {
            let _ = embedded_command(service).print_help();
            return ExitCode::from(2);
        }
        (None, Some(output)) | (Some(EmbeddedCommand::Export(output)), _) => {
            output::validate(&output)
                .and_then(|()| export(spec, &output, &regenerate_command(args)))
        }
        (Some(EmbeddedCommand::Vars { json, target }), _) => vars(&spec, json, target),
        (Some(EmbeddedCommand::Lint { target }), _) => lint(&spec, target),
        (Some(EmbeddedCommand::Docs(output)), _) => docs(spec, &output, &regenerate_command(args)),
    };
    exit(result)
}

/// [`EmbeddedCli`]'s command, named and versioned as the service.
fn embedded_command(service: Service) -> clap::Command {
    // clap keeps `&'static str`s; this one string per command line lives as long as the
    // process anyway.
    let versions: &'static str = service.versions().leak();
    EmbeddedCli::command().name(service.name).version(versions)
}

/// Checks and renders the spec, then writes the outputs (or, with `--check`, compares them).
fn export(spec: ApiSpec, args: &OutputArgs, regenerate: &str) -> Result<(), Error> {
    let mut spec = match &args.backend_url {
        Some(url) => spec.with_backend(url.as_str()),
        None => spec,
    };
    // The size warning measures the private spec just rendered rather than rendering
    // it again (that second rendering was a third of a large export's time).
    let (outputs, warnings) = output::render(&mut spec, args)?;
    if !warnings.is_empty() {
        let _ = std::io::stderr()
            .lock()
            .write_all(problem_lines(&[], &warnings).as_bytes());
    }
    if args.check {
        output::check(&outputs, regenerate)
    } else {
        output::write(&outputs)
    }
}

/// Prints the placeholders (or, for Kong, the decK file's `DECK_` variables), one a line
/// with the routes that use them (or JSON).
fn vars(spec: &ApiSpec, json: bool, target: GatewayTarget) -> Result<(), Error> {
    let placeholders = placeholders(spec, target)?;
    let text = if json {
        let mut text = serde_json::to_string_pretty(&placeholders).unwrap_or_default();
        text.push('\n');
        text
    } else {
        let width = placeholders.keys().map(String::len).max().unwrap_or(0);
        placeholders
            .iter()
            .map(|(name, users)| {
                let users: Vec<&str> = users.iter().map(String::as_str).collect();
                format!("{name:<width$}  {}\n", users.join(", "))
            })
            .collect()
    };
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|source| Error::Io {
            path: "-".into(),
            source,
        })
}

/// The variables `target`'s private output needs, each with the routes (or `api settings`)
/// that use it: Terraform placeholders, or for Kong the decK file's `DECK_` variables.
pub(crate) fn placeholders(
    spec: &ApiSpec,
    target: GatewayTarget,
) -> Result<BTreeMap<String, BTreeSet<String>>, Error> {
    Ok(match target {
        GatewayTarget::Rest => spec.placeholders(),
        // The model's placeholders that the HTTP API document holds: a REST-only value
        // (e.g. a mapping template's) is not asked for.
        GatewayTarget::HttpApi => {
            let text = spec.render_http_api().map_err(Error::Spec)?.to_json();
            let mut all = spec.placeholders();
            all.retain(|name, _| holds_placeholder(&text, name));
            all
        }
        GatewayTarget::Kong => spec
            .check_for(&[Target::Kong])
            .and_then(|checked| checked.render_kong(KongFormat::Yaml))
            .map_err(Error::Spec)?
            .variables()
            .iter()
            .map(|(name, routes)| (name.clone(), routes.iter().cloned().collect()))
            .collect(),
    })
}

/// Whether `text` (a rendered template) holds the placeholder `${name}` unescaped.
fn holds_placeholder(text: &str, name: &str) -> bool {
    let needle = format!("${{{name}}}");
    text.match_indices(&needle)
        .any(|(at, _)| !text[..at].ends_with('$'))
}

/// Prints errors and warnings; fails if there are errors.
fn lint(spec: &ApiSpec, target: GatewayTarget) -> Result<(), Error> {
    // One check and one rendering: the size warning measures that rendering.
    let lint = spec.lint(target.target());
    let (errors, warnings) = (lint.errors, lint.warnings);
    // What the generated Terraform module would open wider than a route needs.
    let module_target = match target {
        GatewayTarget::Rest => Some(terraform::ModuleTarget::Rest),
        GatewayTarget::HttpApi => Some(terraform::ModuleTarget::HttpApi),
        GatewayTarget::Kong => None,
    };
    let module_warnings = match module_target {
        Some(module_target) if errors.is_empty() => {
            match terraform::generate(spec, module_target) {
                Ok((_, module_warnings)) => module_warnings,
                // What the module cannot derive: the export works, `aws-spec terraform`
                // would fail.
                Err(Error::Module(errors)) => errors
                    .problems
                    .into_iter()
                    .map(|problem| format!("{problem} (`aws-spec terraform` fails on this)"))
                    .collect(),
                Err(_) => Vec::new(),
            }
        }
        _ => Vec::new(),
    };
    report_lint(&errors, &warnings, &module_warnings)
}

/// Prints the lint's errors and warnings, the module's among them (counted with the
/// rest: each is something to fix in the router); fails if there are errors.
fn report_lint(
    errors: &[axum_aws_spec::SpecError],
    warnings: &[axum_aws_spec::Warning],
    module_warnings: &[String],
) -> Result<(), Error> {
    let mut out = problem_lines(errors, warnings);
    for warning in module_warnings {
        out.push_str(&format!("warning: terraform module: {warning}\n"));
    }
    let warning_count = warnings.len() + module_warnings.len();
    out.push_str(&format!(
        "{} error{}, {} warning{}\n",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" },
        warning_count,
        if warning_count == 1 { "" } else { "s" }
    ));
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Load(format!(
            "lint found {} error{}",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        )))
    }
}

/// The problems of a spec, one line each: `error: METHOD /path: …`, then
/// `warning: …`. `lint` and `export` print them so.
fn problem_lines(
    errors: &[axum_aws_spec::SpecError],
    warnings: &[axum_aws_spec::Warning],
) -> String {
    let errors = errors.iter().map(|error| format!("error: {error}\n"));
    let warnings = warnings
        .iter()
        .map(|warning| format!("warning: {warning}\n"));
    errors.chain(warnings).collect()
}

/// The command line that was run, without `--check`, quoted for a POSIX shell.
fn regenerate_command(args: impl IntoIterator<Item = OsString>) -> String {
    args.into_iter()
        .map(|arg| arg.to_string_lossy().into_owned())
        .filter(|arg| arg != "--check")
        .map(|arg| {
            let plain = !arg.is_empty()
                && arg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./:=,@+".contains(c));
            if plain {
                arg
            } else {
                format!("'{}'", arg.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_version_is_the_services_and_aws_spec_s() {
        let service = Service::new("orders", "1.4.0");
        for flag in ["--version", "-V"] {
            let shown = embedded_command(service)
                .try_get_matches_from(["orders-spec", flag])
                .unwrap_err();
            assert_eq!(shown.kind(), clap::error::ErrorKind::DisplayVersion);
            assert_eq!(
                shown.to_string(),
                format!("orders 1.4.0 (aws-spec {})\n", env!("CARGO_PKG_VERSION"))
            );
        }
    }
}
