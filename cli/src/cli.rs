//! All the clap stuff: the command line as types. Doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  # Write both specs (export is the default command)
  aws-spec --router my_service::routes::router --title Widgets --version 1.2.0 \\
      --out-private api/private.json --out-public docs/openapi.json

  # Fail in CI when the committed files are out of date
  aws-spec --router my_service::routes::router --title Widgets --version 1.2.0 \\
      --out-private api/private.json --out-public docs/openapi.json \\
      --tf-variables api/variables.tf --check

  # The placeholders Terraform's templatefile() must be given
  aws-spec vars --router my_service::routes::router

  # What API Gateway would reject (errors) or ignore (warnings)
  aws-spec lint --router my_service::routes::router

Exit status: 0 ok, 1 spec errors, build errors or out-of-date files, 2 usage errors.";

const EXPORT_EXAMPLES: &str = "\
Examples:
  aws-spec export --router my_service::routes::router --title Widgets --version 1.2.0 \\
      --out-private api/private.json --out-public docs/openapi.json
  aws-spec export --router my_service::routes::router --title Widgets --version 1.2.0 \\
      --out-private - --out-public /dev/null --format yaml";

/// Export the private (API Gateway) and public OpenAPI specs of an axum-aws router.
///
/// The router is a `fn() -> AwsRouter<S>` in a library crate; aws-spec compiles a small
/// loader crate next to your build cache that calls it. With no command, `export` runs.
#[derive(Debug, Parser)]
#[command(
    name = "aws-spec",
    version,
    // `--version` is the API version (as in fastapi-aws); aws-spec's own is in `--help`.
    disable_version_flag = true,
    after_help = EXAMPLES,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub struct Cli {
    /// What to do (default: export).
    #[command(subcommand)]
    pub command: Option<Command>,

    /// `export`'s router flags, accepted without the command name.
    #[command(flatten)]
    pub load: Option<LoadArgs>,

    /// `export`'s output flags, accepted without the command name.
    #[command(flatten)]
    pub output: Option<OutputArgs>,
}

impl Cli {
    /// The command to run, `export` when none was named.
    ///
    /// # Errors
    /// A usage error (exit status 2) when there is neither a command nor export flags.
    pub fn into_command(self) -> Result<Command, clap::Error> {
        match (self.command, self.load, self.output) {
            (Some(command), _, _) => Ok(command),
            (None, Some(load), Some(output)) => Ok(Command::Export(ExportArgs { load, output })),
            _ => Err(<Self as clap::CommandFactory>::command().error(
                clap::error::ErrorKind::MissingRequiredArgument,
                "give a command, or the export flags (--router, --title, --version, --out-private, --out-public)",
            )),
        }
    }
}

/// aws-spec's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the private and public specs (and optionally variables.tf).
    #[command(after_help = EXPORT_EXAMPLES)]
    Export(ExportArgs),
    /// Print the placeholders the private spec needs, with the routes that use them.
    Vars(VarsArgs),
    /// Report what API Gateway would reject (errors) or ignore (warnings).
    Lint(LoadArgs),
}

/// Where the router comes from.
#[derive(Debug, Clone, Args)]
pub struct LoadArgs {
    /// Path of the router function: `crate_name::module::function`, a `fn() -> AwsRouter<S>`
    /// in the library target of a package of the workspace.
    #[arg(long, value_name = "PATH")]
    pub router: String,

    /// Cargo.toml of the package or workspace (default: found from the current directory).
    #[arg(long, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,
}

/// `export`: load the router, write the outputs.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub load: LoadArgs,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub output: OutputArgs,
}

/// The export flags that do not depend on how the router is loaded: shared by the
/// `aws-spec` binary and [`crate::run`] in a service's own binary.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// API title (`info.title`; the API's name in API Gateway).
    #[arg(long)]
    pub title: String,

    /// API version (`info.version`).
    #[arg(long = "version", value_name = "VERSION")]
    pub api_version: String,

    /// API description (`info.description`).
    #[arg(long)]
    pub description: Option<String>,

    /// Where to write the private spec (for Terraform's templatefile()); `-` is stdout.
    #[arg(long, value_name = "FILE")]
    pub out_private: PathBuf,

    /// Where to write the public spec (for people and client generators); `-` is stdout.
    #[arg(long, value_name = "FILE")]
    pub out_public: PathBuf,

    /// Output format of both specs.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,

    /// OpenAPI version of the public spec.
    #[arg(long, value_enum, value_name = "VERSION", default_value_t = PublicOpenApi::V30)]
    pub public_openapi: PublicOpenApi,

    /// Also write a Terraform variables file: one string variable per placeholder.
    #[arg(long, value_name = "FILE")]
    pub tf_variables: Option<PathBuf>,

    /// Write nothing; exit 1 with a diff if any output file is out of date.
    #[arg(long)]
    pub check: bool,

    /// Test mode: send every Lambda route to URL (the router served locally, e.g.
    /// http://127.0.0.1:3000) as an http_proxy, so an API Gateway emulator runs it.
    #[arg(long, value_name = "URL")]
    pub backend_url: Option<String>,
}

/// `vars`: list the placeholders.
#[derive(Debug, Clone, Args)]
pub struct VarsArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub load: LoadArgs,

    /// Print a JSON object `{"name": ["GET /x", …]}` instead of lines.
    #[arg(long)]
    pub json: bool,
}

/// Output format of the specs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Pretty JSON, sorted keys.
    Json,
    /// YAML.
    Yaml,
}

/// OpenAPI version of the public spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PublicOpenApi {
    /// OpenAPI 3.0.3.
    #[value(name = "3.0")]
    V30,
    /// OpenAPI 3.1.0.
    #[value(name = "3.1")]
    V31,
}

/// The command line of [`crate::run`]: the export flags without `--router`, plus `vars`
/// and `lint`, for a service binary that already holds its router.
#[derive(Debug, Parser)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    disable_version_flag = true
)]
pub struct EmbeddedCli {
    /// What to do (default: export).
    #[command(subcommand)]
    pub command: Option<EmbeddedCommand>,

    /// The export flags.
    #[command(flatten)]
    pub output: Option<OutputArgs>,
}

/// [`EmbeddedCli`]'s commands.
#[derive(Debug, Subcommand)]
pub enum EmbeddedCommand {
    /// Write the private and public specs (and optionally variables.tf).
    Export(OutputArgs),
    /// Print the placeholders the private spec needs.
    Vars {
        /// Print a JSON object instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Report what API Gateway would reject (errors) or ignore (warnings).
    Lint,
}
