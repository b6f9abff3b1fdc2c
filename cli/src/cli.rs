//! All the clap stuff: the command line as types. Doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  # Write both specs (export is the default command)
  aws-spec --router my_service::routes::router --title Widgets --api-version 1.2.0 \\
      --out-private api/private.json --out-public docs/openapi.json

  # Fail in CI when the committed files are out of date
  aws-spec --router my_service::routes::router --title Widgets --api-version 1.2.0 \\
      --out-private api/private.json --out-public docs/openapi.json \\
      --tf-variables api/variables.tf --check

  # The placeholders Terraform's templatefile() must be given
  aws-spec vars --router my_service::routes::router

  # What API Gateway would reject (errors) or ignore (warnings)
  aws-spec lint --router my_service::routes::router

  # Kong Gateway OSS: a decK file (YAML) and the public spec; its DECK_ variables
  aws-spec export --target kong --router my_service::routes::router --title Widgets \\
      --api-version 1.2.0 --out-private kong.yaml --out-public docs/openapi.json
  aws-spec vars --target kong --router my_service::routes::router

  # An API docs page for people: DIR/index.html (self-contained) and DIR/openapi.json
  aws-spec docs --router my_service::routes::router --title Widgets --api-version 1.2.0 --out docs/

  # A Terraform module for the API: spec, stage, Lambda permissions, roles, usage plan
  aws-spec terraform --router my_service::routes::router --title Widgets --api-version 1.2.0 \\
      --out infra/api

  # Without Terraform: create or update the REST API and deploy a stage (feature `deploy`)
  aws-spec deploy --router my_service::routes::router --api-name Widgets --api-version 1.2.0 \\
      --stage prod --vars api-vars.json

Exit status: 0 ok, 1 spec errors, build errors, out-of-date files or AWS errors, 2 usage errors.";

const EXPORT_EXAMPLES: &str = "\
Examples:
  aws-spec export --router my_service::routes::router --title Widgets --api-version 1.2.0 \\
      --out-private api/private.json --out-public docs/openapi.json
  aws-spec export --router my_service::routes::router --title Widgets --api-version 1.2.0 \\
      --out-private - --out-public /dev/null --format yaml";

/// Export the private (API Gateway) and public OpenAPI specs of an axum-aws router.
///
/// The router is a `fn() -> AwsRouter<S>` in a library crate; aws-spec compiles a small
/// loader crate next to your build cache that calls it. With no command, `export` runs.
#[derive(Debug, Parser)]
#[command(
    name = "aws-spec",
    version,
    propagate_version = true,
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
                "give a command, or the export flags (--router, --title, --api-version, --out-private, --out-public)",
            )),
        }
    }
}

const DEPLOY_EXAMPLES: &str = "\
The private spec is rendered with the variable values as Terraform's templatefile() would
render it; a placeholder without a value is an error before any AWS call. The API is
found by name (created with import_rest_api when none has it) or by id, updated with
put_rest_api, then deployed to the stage; the invoke URL is printed on stdout.
Credentials and region come from the standard AWS chain (environment, profiles, SSO,
container and instance roles). Needs an aws-spec built with `--features deploy`.

Examples:
  aws-spec deploy --router my_service::routes::router --api-name Widgets --api-version 1.2.0 \\
      --stage prod --vars api-vars.json --keep-spec deployed.json
  aws-spec deploy --router my_service::routes::router --rest-api-id a1b2c3d4e5 --api-version 1.2.0 \\
      --stage dev --var api_invoke_arn=arn:aws:apigateway:… --dry-run";

/// aws-spec's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the private and public specs (and optionally variables.tf).
    #[command(after_help = EXPORT_EXAMPLES)]
    Export(ExportArgs),
    /// Print the placeholders the private spec needs, with the routes that use them.
    Vars(VarsArgs),
    /// Report what API Gateway (or, with --target kong, Kong) would reject (errors) or ignore (warnings).
    Lint(LintArgs),
    /// Create or update the REST API from the private spec and deploy a stage.
    #[command(after_help = DEPLOY_EXAMPLES)]
    Deploy(DeployArgs),
    /// Write an API docs page: DIR/index.html (the public spec rendered for people,
    /// self-contained, works offline) and the public spec beside it, DIR/openapi.json.
    Docs(DocsArgs),
    /// Write a Terraform module for the API into DIR: the private spec, the API, its
    /// stage, Lambda permissions, the integrations' roles, usage plan and API keys.
    #[command(after_help = TERRAFORM_EXAMPLES)]
    Terraform(TerraformArgs),
}

const TERRAFORM_EXAMPLES: &str = "\
The module reads its placeholders from variables (one per placeholder, described with the
routes that use it); the roles of credentials placeholders are created unless passed in.
See DIR/README.md for its inputs and outputs.

Examples:
  aws-spec terraform --router my_service::routes::router --title Widgets --api-version 1.2.0 \\
      --out infra/api
  aws-spec terraform --target http-api --router my_service::routes::router --title Widgets \\
      --api-version 1.2.0 --out infra/http-api --check";

/// `terraform`: load the router, write its Terraform module.
#[derive(Debug, Clone, Args)]
pub struct TerraformArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub load: LoadArgs,

    /// API title (`info.title`).
    #[arg(long)]
    pub title: String,

    /// API version (`info.version`).
    #[arg(long = "api-version", value_name = "VERSION")]
    pub api_version: String,

    /// API description (`info.description`).
    #[arg(long)]
    pub description: Option<String>,

    /// The gateway the module deploys.
    #[arg(long, value_enum, default_value_t = ModuleGateway::Rest)]
    pub target: ModuleGateway,

    /// The module's directory (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Write nothing; exit 1 with a diff if a file in DIR is out of date.
    #[arg(long)]
    pub check: bool,
}

/// The gateways a Terraform module is written for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ModuleGateway {
    /// API Gateway REST API.
    #[default]
    Rest,
    /// API Gateway HTTP API (v2).
    HttpApi,
}

/// `docs`: load the router, write its docs page and public spec.
#[derive(Debug, Clone, Args)]
pub struct DocsArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub load: LoadArgs,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub output: DocsOutputArgs,
}

/// The `docs` flags that do not depend on how the router is loaded: shared by the
/// `aws-spec` binary and [`crate::run`].
#[derive(Debug, Clone, Args)]
pub struct DocsOutputArgs {
    /// API title (`info.title`).
    #[arg(long)]
    pub title: String,

    /// API version (`info.version`).
    #[arg(long = "api-version", value_name = "VERSION")]
    pub api_version: String,

    /// API description (`info.description`).
    #[arg(long)]
    pub description: Option<String>,

    /// The directory to write index.html and openapi.json into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Write nothing; exit 1 with a diff if a file in DIR is out of date.
    #[arg(long)]
    pub check: bool,
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

    /// Build the loader with the release profile: reuses a `cargo build --release` of
    /// your crate, and builds big routers faster.
    #[arg(long, conflicts_with = "profile")]
    pub release: bool,

    /// Build the loader with this cargo profile (default: dev, which reuses a plain
    /// `cargo build` of your crate).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// Features of the router's package to enable (comma- or space-separated; repeatable).
    #[arg(long, short = 'F', value_name = "FEATURES")]
    pub features: Vec<String>,

    /// Enable every feature of the router's package.
    #[arg(long)]
    pub all_features: bool,

    /// Do not enable the `default` feature of the router's package.
    #[arg(long)]
    pub no_default_features: bool,
}

impl LoadArgs {
    /// The cargo profile the loader is built with.
    pub(crate) fn profile(&self) -> &str {
        match (&self.profile, self.release) {
            (Some(profile), _) => profile,
            (None, true) => "release",
            (None, false) => "dev",
        }
    }

    /// The feature names given with `--features`, split.
    pub(crate) fn feature_names(&self) -> impl Iterator<Item = &str> {
        self.features
            .iter()
            .flat_map(|list| list.split([',', ' ']))
            .filter(|name| !name.is_empty())
    }
}

/// The gateway the private output is for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum GatewayTarget {
    /// API Gateway REST API: the private spec (OpenAPI with x-amazon-apigateway-*).
    #[default]
    Rest,
    /// Kong Gateway OSS: a decK declarative file (YAML unless --format json).
    Kong,
    /// API Gateway HTTP API (v2): the private spec for aws_apigatewayv2_api's body.
    HttpApi,
}

impl GatewayTarget {
    /// The model's target.
    ///
    /// ```
    /// use aws_spec::cli::GatewayTarget;
    ///
    /// assert_eq!(GatewayTarget::Kong.target(), axum_aws_spec::Target::Kong);
    /// assert_eq!(GatewayTarget::HttpApi.target(), axum_aws_spec::Target::HttpApi);
    /// ```
    pub fn target(self) -> axum_aws_spec::Target {
        match self {
            Self::Rest => axum_aws_spec::Target::Rest,
            Self::Kong => axum_aws_spec::Target::Kong,
            Self::HttpApi => axum_aws_spec::Target::HttpApi,
        }
    }
}

/// `lint`: load the router, report what the target gateway cannot take.
#[derive(Debug, Clone, Args)]
pub struct LintArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub load: LoadArgs,

    /// The gateway to check for.
    #[arg(long, value_enum, default_value_t = GatewayTarget::Rest)]
    pub target: GatewayTarget,
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
    #[arg(long = "api-version", value_name = "VERSION")]
    pub api_version: String,

    /// API description (`info.description`).
    #[arg(long)]
    pub description: Option<String>,

    /// The gateway the private output is for: the REST API's spec, the HTTP API's spec,
    /// or Kong's decK file (the public spec is the same for all).
    #[arg(long, value_enum, default_value_t = GatewayTarget::Rest)]
    pub target: GatewayTarget,

    /// Where to write the private spec (for Terraform's templatefile()), or with
    /// --target kong the decK file; `-` is stdout.
    #[arg(long, value_name = "FILE")]
    pub out_private: PathBuf,

    /// Where to write the public spec (for people and client generators); `-` is stdout.
    #[arg(long, value_name = "FILE")]
    pub out_public: PathBuf,

    /// Output format of both outputs (default: json; with --target kong, yaml for the
    /// decK file and json for the public spec).
    #[arg(long, value_enum)]
    pub format: Option<Format>,

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

    /// With --target kong: the namespace of the decK file's UUIDv5 entity ids (like
    /// `deck file openapi2kong --uuid-base`); the same router and namespace always give
    /// the same ids.
    #[arg(long, value_name = "UUID")]
    pub kong_uuid_namespace: Option<uuid::Uuid>,

    /// With --target kong: also write a consumer per auth kind, its key or JWT issuer and
    /// public key as decK environment substitutions (`aws-spec vars` does not list them;
    /// the file's `${{ env "DECK_…" }}` do).
    #[arg(long)]
    pub kong_credential_placeholders: bool,

    /// With --target kong: send every Lambda proxy route to URL (the router served over
    /// HTTP, e.g. http://widgets:3000 or ${app_url}) through one Kong service instead of
    /// its function.
    #[arg(long, value_name = "URL")]
    pub kong_upstream_url: Option<String>,
}

/// `deploy`: render the private spec with the variable values, update the API, deploy a stage.
#[derive(Debug, Clone, Args)]
#[command(group(clap::ArgGroup::new("api").required(true).args(["api_name", "rest_api_id"])))]
pub struct DeployArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub load: LoadArgs,

    /// The REST API's name: the one API with this name is updated; with none, it is
    /// created (the spec's title is this name).
    #[arg(long, value_name = "NAME")]
    pub api_name: Option<String>,

    /// The API to update, by id (a REST API's, or with --target http-api an HTTP API's).
    #[arg(long, value_name = "ID")]
    pub rest_api_id: Option<String>,

    /// The gateway: a REST API (import/put_rest_api, then a deployment), or an HTTP API
    /// (create_api + reimport_api, then the stage with auto-deploy).
    #[arg(long, value_enum, default_value_t = GatewayTarget::Rest)]
    pub target: GatewayTarget,

    /// The stage to deploy to (created if it does not exist; `$default` for an HTTP API
    /// served at the root URL).
    #[arg(long)]
    pub stage: String,

    /// How an existing API is updated (put_rest_api's mode; Terraform uses overwrite).
    #[arg(long, value_enum, default_value_t = DeployMode::Overwrite)]
    pub mode: DeployMode,

    /// JSON object of template variable values, `{"name": "value", …}` (the map
    /// Terraform's templatefile() would get; numbers and booleans are written as text).
    #[arg(long, value_name = "FILE.json")]
    pub vars: Option<PathBuf>,

    /// One template variable value; repeatable, wins over --vars.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub var: Vec<String>,

    /// API title (`info.title`, the API's name); default: --api-name, or the name the
    /// API with --rest-api-id has.
    #[arg(long)]
    pub title: Option<String>,

    /// API version (`info.version`).
    #[arg(long = "api-version", value_name = "VERSION")]
    pub api_version: String,

    /// API description (`info.description`).
    #[arg(long)]
    pub description: Option<String>,

    /// AWS region (default: from the environment or profile).
    #[arg(long)]
    pub region: Option<String>,

    /// API Gateway endpoint, e.g. an emulator's http://127.0.0.1:5000.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// Also write the rendered spec, as sent to API Gateway, to FILE.
    #[arg(long, value_name = "FILE")]
    pub keep_spec: Option<PathBuf>,

    /// Print the routes the deployment would add, remove or change; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// How `deploy` updates an existing REST API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DeployMode {
    /// Replace the API's definition: routes the spec does not have are deleted.
    Overwrite,
    /// Merge the spec into the API: routes the spec does not have are kept.
    Merge,
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

    /// The gateway whose variables to list: Terraform placeholders (rest), or the
    /// `DECK_` environment variables of the decK file (kong).
    #[arg(long, value_enum, default_value_t = GatewayTarget::Rest)]
    pub target: GatewayTarget,
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

/// The command line of [`crate::run`]: the export flags without `--router`, plus `vars`,
/// `lint` and `docs`, for a service binary that already holds its router.
#[derive(Debug, Parser)]
#[command(
    version,
    propagate_version = true,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
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
        /// The gateway whose variables to list.
        #[arg(long, value_enum, default_value_t = GatewayTarget::Rest)]
        target: GatewayTarget,
    },
    /// Report what API Gateway (or, with --target kong, Kong) would reject (errors) or ignore (warnings).
    Lint {
        /// The gateway to check for.
        #[arg(long, value_enum, default_value_t = GatewayTarget::Rest)]
        target: GatewayTarget,
    },
    /// Write an API docs page: DIR/index.html and the public spec beside it, DIR/openapi.json.
    Docs(DocsOutputArgs),
}

/// Refuses the API version's old flag, `--version VALUE` (or `--version=VALUE`), with
/// its new name: `--version` alone prints the tool's version, so clap alone would print
/// it and exit 0 where the user meant to export.
///
/// ```
/// use aws_spec::cli::refuse_old_version_flag;
///
/// assert!(refuse_old_version_flag(["aws-spec", "--version"]).is_ok());
/// let error = refuse_old_version_flag(["aws-spec", "--title", "T", "--version", "1.2.0"]);
/// assert!(error.unwrap_err().contains("--api-version 1.2.0"));
/// ```
///
/// # Errors
/// The message, naming `--api-version` with the value given.
pub fn refuse_old_version_flag<I, T>(args: I) -> Result<(), String>
where
    I: IntoIterator<Item = T>,
    T: AsRef<std::ffi::OsStr>,
{
    let args: Vec<String> = args
        .into_iter()
        .skip(1)
        .map(|arg| arg.as_ref().to_string_lossy().into_owned())
        .take_while(|arg| arg != "--")
        .collect();
    let value = args.iter().enumerate().find_map(|(at, arg)| {
        if let Some(value) = arg.strip_prefix("--version=") {
            return Some(value.to_owned());
        }
        let next = args.get(at + 1).filter(|next| !next.starts_with('-'));
        (arg == "--version").then_some(next.cloned()).flatten()
    });
    match value {
        None => Ok(()),
        Some(value) => Err(format!(
            "`--version` takes no value: the API's version is now `--api-version {value}` \
             (`--version` alone prints the tool's version)"
        )),
    }
}
