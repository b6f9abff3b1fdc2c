//! `aws-spec deploy`: render the private spec with the variable values (what Terraform's
//! `templatefile()` does, [`axum_aws_spec::PrivateSpec::render_with`]), then create or update
//! the REST API and deploy a stage. Everything up to the rendered body is here and needs
//! no AWS SDK; the calls are in `aws` (feature `deploy`).

use std::collections::BTreeMap;
use std::path::Path;

use axum_aws_spec::{ApiSpec, EndpointType, Info};
use serde_json::Value;

use crate::Error;
use crate::cli::{DeployArgs, DeployMode, GatewayTarget};

#[cfg(feature = "deploy")]
mod aws;
pub mod diff;
#[cfg(feature = "deploy")]
mod http_api;

/// Fails at once when this aws-spec was built without the `deploy` feature, before the
/// user's crate is compiled.
///
/// # Errors
/// [`Error::Usage`] without the feature.
pub fn check_available() -> Result<(), Error> {
    if cfg!(feature = "deploy") {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "this aws-spec was built without the `deploy` feature (it leaves out the AWS SDK); \
             install it with `{}` (or `cargo install --path cli --features deploy` in a checkout)",
            crate::install_command("", " --features deploy")
        )))
    }
}

/// The template variable values: `--vars FILE.json`, then each `--var NAME=VALUE`.
///
/// # Errors
/// [`Error::Usage`] for an unreadable or malformed file, a value that is not text, a
/// number or a boolean, or a `--var` without `=`.
pub fn read_vars(file: Option<&Path>, pairs: &[String]) -> Result<BTreeMap<String, String>, Error> {
    let mut vars = BTreeMap::new();
    if let Some(file) = file {
        let text = std::fs::read_to_string(file).map_err(|source| Error::Io {
            path: file.to_owned(),
            source,
        })?;
        let usage = |why: String| Error::Usage(format!("--vars {}: {why}", file.display()));
        let Value::Object(object) =
            serde_json::from_str(&text).map_err(|e| usage(format!("not JSON: {e}")))?
        else {
            return Err(usage(
                "not a JSON object {\"name\": \"value\", …}".to_owned(),
            ));
        };
        for (name, value) in object {
            let text = match value {
                Value::String(text) => text,
                Value::Number(number) => number.to_string(),
                Value::Bool(flag) => flag.to_string(),
                other => {
                    return Err(usage(format!(
                        "{name:?} is {other}; template variables here are text, numbers or booleans"
                    )));
                }
            };
            vars.insert(name, text);
        }
    }
    for pair in pairs {
        match pair.split_once('=') {
            Some((name, value)) if !name.is_empty() => {
                vars.insert(name.to_owned(), value.to_owned());
            }
            _ => {
                return Err(Error::Usage(format!("--var {pair:?} is not NAME=VALUE")));
            }
        }
    }
    Ok(vars)
}

/// What will be sent: the rendered body and what the calls need from the spec.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The gateway: `Rest` or `HttpApi` (Kong is refused by [`Plan::new`]).
    pub target: GatewayTarget,
    spec: ApiSpec,
    vars: BTreeMap<String, String>,
    /// The document API Gateway receives (pretty JSON).
    pub body: String,
    /// `info.title`: the API's name.
    pub title: String,
    /// `endpointConfigurationTypes` for `import_rest_api`, from the spec's endpoint setting.
    pub endpoint_type: Option<&'static str>,
}

impl Plan {
    /// Checks the spec and renders it with the variable values. `title` is `None` when
    /// it must come from the deployed API (`--rest-api-id` without `--title`): a
    /// placeholder is then rendered, and [`Plan::retitle`] puts the real one in.
    ///
    /// # Errors
    /// Spec errors ([`Error::Spec`]); template variables without a value ([`Error::Usage`],
    /// every one named).
    pub fn new(
        mut spec: ApiSpec,
        args: &DeployArgs,
        vars: BTreeMap<String, String>,
    ) -> Result<Self, Error> {
        match (args.target, args.mode) {
            (GatewayTarget::Kong, _) => {
                return Err(Error::Usage(
                    "deploy updates API Gateway; a Kong file is synced with `deck gateway sync` (export it with `aws-spec export --target kong`)".to_owned(),
                ));
            }
            (GatewayTarget::HttpApi, DeployMode::Merge) => {
                return Err(Error::Usage(
                    "--mode merge: an HTTP API's reimport replaces its routes and integrations, it cannot merge; drop --mode merge".to_owned(),
                ));
            }
            _ => {}
        }
        let title = match (&args.title, &args.api_name) {
            (Some(title), Some(name)) if title != name => {
                return Err(Error::Usage(format!(
                    "--title {title:?} differs from --api-name {name:?}: API Gateway names the API \
                     after the spec's title, so the next deploy would not find it"
                )));
            }
            (Some(title), _) | (None, Some(title)) => title.clone(),
            (None, None) => String::new(),
        };
        let mut info = Info::new(&title, &args.api_version);
        if let Some(description) = &args.description {
            info = info.description(description);
        }
        spec.info = info;
        let endpoint_type = spec
            .settings
            .endpoint
            .as_ref()
            .map(|endpoint| match endpoint.kind {
                EndpointType::Regional => "REGIONAL",
                EndpointType::Private => "PRIVATE",
                _ => "EDGE",
            });
        let mut plan = Self {
            target: args.target,
            spec,
            vars,
            body: String::new(),
            title,
            endpoint_type,
        };
        plan.render()?;
        Ok(plan)
    }

    /// Renders again with another title (the deployed API's name).
    ///
    /// # Errors
    /// As [`Plan::new`].
    pub fn retitle(&mut self, title: &str) -> Result<(), Error> {
        title.clone_into(&mut self.title);
        self.spec.info.title = title.to_owned();
        self.render()
    }

    fn render(&mut self) -> Result<(), Error> {
        let body = match self.target {
            GatewayTarget::HttpApi => self
                .spec
                .render_http_api()
                .map_err(Error::Spec)?
                .render_with(&self.vars),
            _ => self
                .spec
                .render_private()
                .map_err(Error::Spec)?
                .render_with(&self.vars),
        };
        self.body = body.map_err(|missing| {
            Error::Usage(format!(
                "{missing}: give {} with --vars FILE.json or --var NAME=VALUE (nothing was sent to AWS)",
                if missing.names.len() == 1 { "it" } else { "them" }
            ))
        })?;
        Ok(())
    }

    /// The routes of the rendered body.
    pub fn routes(&self) -> diff::Routes {
        let document: Value = serde_json::from_str(&self.body).unwrap_or(Value::Null);
        diff::Routes::from_spec(&document)
    }
}

/// Runs `aws-spec deploy` on a loaded spec.
///
/// # Errors
/// See [`Plan::new`]; the AWS calls' errors ([`Error::Deploy`], with the service's message).
pub fn deploy(
    spec: ApiSpec,
    args: &DeployArgs,
    vars: BTreeMap<String, String>,
) -> Result<(), Error> {
    let plan = Plan::new(spec, args, vars)?;
    #[cfg(feature = "deploy")]
    {
        match plan.target {
            GatewayTarget::HttpApi => http_api::run(plan, args),
            _ => aws::run(plan, args),
        }
    }
    #[cfg(not(feature = "deploy"))]
    {
        let _ = plan;
        check_available()
    }
}

/// Writes `--keep-spec`.
#[cfg(feature = "deploy")]
fn keep_spec(path: Option<&Path>, body: &str) -> Result<(), Error> {
    match path {
        Some(path) => std::fs::write(path, body).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        }),
        None => Ok(()),
    }
}

/// The invoke URL of an HTTP API stage: the root for `$default`, else the stage's prefix.
///
/// ```
/// use aws_spec::deploy::http_api_invoke_url;
///
/// assert_eq!(http_api_invoke_url("a1b2", "eu-west-1", "$default"), "https://a1b2.execute-api.eu-west-1.amazonaws.com/");
/// assert_eq!(http_api_invoke_url("a1b2", "eu-west-1", "prod"), "https://a1b2.execute-api.eu-west-1.amazonaws.com/prod");
/// ```
pub fn http_api_invoke_url(api_id: &str, region: &str, stage: &str) -> String {
    let prefix = if stage == "$default" { "" } else { stage };
    invoke_url(api_id, region, prefix)
}

/// The URL a stage is invoked at (`execute-api`, the partition's domain).
pub fn invoke_url(rest_api_id: &str, region: &str, stage: &str) -> String {
    let domain = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    format!("https://{rest_api_id}.execute-api.{region}.{domain}/{stage}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vars_from_file_and_flags() {
        let dir = std::env::temp_dir().join(format!("aws-spec-vars-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("vars.json");
        std::fs::write(&file, r#"{"a": "x", "n": 3, "b": true, "c": "old"}"#).unwrap();
        let vars = read_vars(Some(&file), &["c=new=er".to_owned(), "d=".to_owned()]).unwrap();
        let want: BTreeMap<String, String> = [
            ("a", "x"),
            ("n", "3"),
            ("b", "true"),
            ("c", "new=er"),
            ("d", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(vars, want);

        std::fs::write(&file, r#"{"a": ["x"]}"#).unwrap();
        let err = read_vars(Some(&file), &[]).unwrap_err().to_string();
        assert!(
            err.ends_with(r#""a" is ["x"]; template variables here are text, numbers or booleans"#),
            "{err}"
        );
        std::fs::write(&file, "[]").unwrap();
        assert!(read_vars(Some(&file), &[]).is_err());
        assert!(read_vars(None, &["novalue".to_owned()]).is_err());
        assert!(read_vars(None, &["=v".to_owned()]).is_err());
        let _ = std::fs::remove_dir_all(dir);
    }

    fn args(extra: &[&str]) -> DeployArgs {
        use clap::Parser as _;
        let mut argv = vec![
            "aws-spec",
            "deploy",
            "--router",
            "a::b",
            "--api-version",
            "2.0.0",
            "--stage",
            "dev",
        ];
        argv.extend(extra);
        match crate::cli::Cli::try_parse_from(argv)
            .unwrap()
            .into_command()
            .unwrap()
        {
            crate::cli::Command::Deploy(args) => args,
            other => panic!("{other:?}"),
        }
    }

    fn spec(settings: axum_aws_spec::ApiSettings) -> ApiSpec {
        use axum_aws::{AwsRouter, integration::LambdaProxy, routing::get};
        let router: AwsRouter = AwsRouter::new()
            .route("/", get(|| async { "ok" }))
            .default_integration(LambdaProxy::new("${fn_arn}"))
            .settings(settings);
        router.spec(Info::new("", ""))
    }

    fn fn_arn() -> BTreeMap<String, String> {
        BTreeMap::from([("fn_arn".to_owned(), "arn:x".to_owned())])
    }

    #[test]
    fn plan_renders_with_the_api_name_as_title() {
        let settings = axum_aws_spec::ApiSettings::new().endpoint(EndpointType::Regional);
        let plan = Plan::new(spec(settings), &args(&["--api-name", "Widgets"]), fn_arn()).unwrap();
        let body: Value = serde_json::from_str(&plan.body).unwrap();
        assert_eq!(body["info"]["title"], "Widgets");
        assert_eq!(body["info"]["version"], "2.0.0");
        assert_eq!(plan.endpoint_type, Some("REGIONAL"));
        let keys: Vec<String> = plan.routes().keys().map(ToString::to_string).collect();
        assert_eq!(keys, ["GET /"]);

        let plain = Plan::new(
            spec(axum_aws_spec::ApiSettings::new()),
            &args(&["--api-name", "W"]),
            fn_arn(),
        );
        assert_eq!(plain.unwrap().endpoint_type, None);
    }

    #[test]
    fn plan_by_id_takes_the_deployed_name() {
        let mut plan = Plan::new(
            spec(axum_aws_spec::ApiSettings::new()),
            &args(&["--rest-api-id", "abc"]),
            fn_arn(),
        )
        .unwrap();
        plan.retitle("Deployed").unwrap();
        let body: Value = serde_json::from_str(&plan.body).unwrap();
        assert_eq!(body["info"]["title"], "Deployed");
    }

    #[test]
    fn plan_errors() {
        let spec = || spec(axum_aws_spec::ApiSettings::new());
        let err = Plan::new(
            spec(),
            &args(&["--api-name", "A", "--title", "B"]),
            fn_arn(),
        )
        .unwrap_err();
        assert!(matches!(err, Error::Usage(_)), "{err}");
        let err = Plan::new(spec(), &args(&["--api-name", "A"]), BTreeMap::new()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no value for template variable \"fn_arn\": give it with --vars FILE.json or \
             --var NAME=VALUE (nothing was sent to AWS)"
        );
        assert_eq!(err.exit_code(), std::process::ExitCode::from(2));
    }

    #[test]
    fn invoke_urls() {
        assert_eq!(
            invoke_url("abc", "eu-west-1", "prod"),
            "https://abc.execute-api.eu-west-1.amazonaws.com/prod"
        );
        assert_eq!(
            invoke_url("abc", "cn-north-1", "dev"),
            "https://abc.execute-api.cn-north-1.amazonaws.com.cn/dev"
        );
    }
}
