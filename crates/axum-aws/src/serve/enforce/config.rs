//! What the emulation is configured with: the builder's choices, else the environment.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use super::lambda_authorizer::AuthorizerFn;

/// Which gateway the served router answers as ([`Server::emulate`](crate::Server::emulate),
/// or `AXUM_AWS_EMULATE=rest|http-api|kong`). Their answers differ: a REST API answers an
/// unknown route `403 {"message":"Missing Authentication Token"}` and runs request
/// validators; an HTTP API answers `404 {"message":"Not Found"}` and has neither
/// validators nor API keys; Kong's plugins answer with their own bodies.
///
/// ```
/// use axum_aws::Gateway;
///
/// assert_eq!("http-api".parse::<Gateway>().unwrap(), Gateway::HttpApi);
/// assert_eq!(Gateway::default(), Gateway::Rest);
/// assert!("apigw".parse::<Gateway>().is_err());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Gateway {
    /// An API Gateway REST API (the default).
    #[default]
    Rest,
    /// An API Gateway HTTP API.
    HttpApi,
    /// Kong (the decK file `aws-spec` exports).
    Kong,
}

impl Gateway {
    /// The name `AXUM_AWS_EMULATE` takes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rest => "rest",
            Self::HttpApi => "http-api",
            Self::Kong => "kong",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Self::Rest => "API Gateway REST API",
            Self::HttpApi => "API Gateway HTTP API",
            Self::Kong => "Kong",
        }
    }
}

impl std::fmt::Display for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.title())
    }
}

/// A gateway name that is not `rest`, `http-api` or `kong`.
///
/// ```
/// let error = "apigw".parse::<axum_aws::Gateway>().unwrap_err();
/// assert_eq!(error.to_string(), r#"no gateway "apigw" to emulate: use rest, http-api or kong"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("no gateway {0:?} to emulate: use rest, http-api or kong")]
pub struct UnknownGateway(String);

impl std::str::FromStr for Gateway {
    type Err = UnknownGateway;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name.trim().to_ascii_lowercase().as_str() {
            "rest" | "rest-api" => Ok(Self::Rest),
            "http-api" | "http" | "httpapi" => Ok(Self::HttpApi),
            "kong" => Ok(Self::Kong),
            _ => Err(UnknownGateway(name.to_owned())),
        }
    }
}

/// The gateway to emulate.
pub(crate) const EMULATE_ENV: &str = "AXUM_AWS_EMULATE";
/// A gateway in front enforces the declaration: this process does not.
pub(crate) const TRUST_UPSTREAM_ENV: &str = "AXUM_AWS_TRUST_UPSTREAM";
/// API keys, comma-separated.
pub(crate) const API_KEYS_ENV: &str = "AXUM_AWS_API_KEYS";
/// A file of API keys, one a line (`#` starts a comment).
pub(crate) const API_KEYS_FILE_ENV: &str = "AXUM_AWS_API_KEYS_FILE";
/// The JWKS (a file path, an `http://` or an `https://` URL) of every Cognito / JWT authorizer without its own.
pub(crate) const JWKS_ENV: &str = "AXUM_AWS_JWKS";
/// Answer direct AWS service integrations with the route's handler (a local stand-in).
pub(crate) const SERVICE_HANDLERS_ENV: &str = "AXUM_AWS_SERVICE_HANDLERS";
/// Let IAM (SigV4) routes through unverified.
pub(crate) const ALLOW_IAM_ENV: &str = "AXUM_AWS_ALLOW_IAM";

/// The builder's choices ([`Server`](crate::Server)); unset ones come from the
/// environment when the server starts.
#[derive(Clone, Default)]
pub(crate) struct Emulation {
    pub(crate) gateway: Option<Gateway>,
    pub(crate) trust_upstream: Option<bool>,
    pub(crate) api_keys: Option<Vec<String>>,
    pub(crate) jwks: BTreeMap<String, String>,
    pub(crate) authorizers: BTreeMap<String, Arc<AuthorizerFn>>,
    pub(crate) allow_iam: Option<bool>,
    pub(crate) service_handlers: Option<bool>,
}

impl std::fmt::Debug for Emulation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulation")
            .field("gateway", &self.gateway)
            .field("trust_upstream", &self.trust_upstream)
            .field("api_keys", &self.api_keys.as_ref().map(Vec::len))
            .field("jwks", &self.jwks)
            .field("authorizers", &self.authorizers.keys().collect::<Vec<_>>())
            .field("allow_iam", &self.allow_iam)
            .finish()
    }
}

/// The configuration in force, and where each part came from (for the summary).
pub(crate) struct Resolved {
    pub(crate) gateway: Gateway,
    pub(crate) gateway_from: &'static str,
    pub(crate) trust_upstream: bool,
    pub(crate) trust_from: &'static str,
    pub(crate) api_keys: HashSet<String>,
    pub(crate) api_keys_from: Option<String>,
    /// JWKS location by authorizer name (`*` for every one without its own).
    pub(crate) jwks: BTreeMap<String, String>,
    pub(crate) authorizers: BTreeMap<String, Arc<AuthorizerFn>>,
    pub(crate) allow_iam: bool,
    pub(crate) service_handlers: bool,
    /// Configuration the environment got wrong (an unknown gateway, an unreadable file).
    pub(crate) problems: Vec<String>,
}

impl std::fmt::Debug for Resolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resolved")
            .field("gateway", &self.gateway)
            .field("trust_upstream", &self.trust_upstream)
            .field("api_keys", &self.api_keys.len())
            .field("jwks", &self.jwks)
            .field("authorizers", &self.authorizers.keys().collect::<Vec<_>>())
            .field("allow_iam", &self.allow_iam)
            .finish_non_exhaustive()
    }
}

impl Emulation {
    /// The builder's choices, the environment's for the rest.
    pub(crate) fn resolve(self) -> Resolved {
        Self::resolve_with(self, |name| std::env::var(name).ok())
    }

    pub(crate) fn resolve_with(self, env: impl Fn(&str) -> Option<String>) -> Resolved {
        let mut problems = Vec::new();
        let (gateway, gateway_from) = match (self.gateway, env(EMULATE_ENV)) {
            (Some(gateway), _) => (gateway, "Server::emulate"),
            (None, Some(name)) => match name.parse() {
                Ok(gateway) => (gateway, EMULATE_ENV),
                Err(error) => {
                    problems.push(format!("{EMULATE_ENV}: {error}; emulating a REST API"));
                    (Gateway::Rest, "the default")
                }
            },
            (None, None) => (Gateway::Rest, "the default"),
        };
        let (trust_upstream, trust_from) = match (self.trust_upstream, env(TRUST_UPSTREAM_ENV)) {
            (Some(trust), _) => (trust, "Server::trust_upstream"),
            (None, Some(value)) => (truthy(&value), TRUST_UPSTREAM_ENV),
            (None, None) => (false, "the default"),
        };
        let mut api_keys = HashSet::new();
        let mut sources = Vec::new();
        if let Some(keys) = self.api_keys {
            api_keys.extend(keys);
            sources.push("Server::api_keys".to_owned());
        } else {
            if let Some(keys) = env(API_KEYS_ENV) {
                api_keys.extend(
                    keys.split(',')
                        .map(str::trim)
                        .filter(|key| !key.is_empty())
                        .map(str::to_owned),
                );
                sources.push(API_KEYS_ENV.to_owned());
            }
            if let Some(path) = env(API_KEYS_FILE_ENV) {
                match std::fs::read_to_string(&path) {
                    Ok(text) => {
                        api_keys.extend(
                            text.lines()
                                .map(|line| line.split('#').next().unwrap_or("").trim())
                                .filter(|key| !key.is_empty())
                                .map(str::to_owned),
                        );
                        sources.push(format!("{API_KEYS_FILE_ENV} ({path})"));
                    }
                    Err(error) => problems.push(format!(
                        "{API_KEYS_FILE_ENV}: cannot read {path:?} ({error}); no keys from it"
                    )),
                }
            }
        }
        let mut jwks = self.jwks;
        if let Some(location) = env(JWKS_ENV) {
            jwks.entry("*".to_owned()).or_insert(location);
        }
        let allow_iam = self
            .allow_iam
            .or_else(|| env(ALLOW_IAM_ENV).map(|value| truthy(&value)))
            .unwrap_or(false);
        let service_handlers = self
            .service_handlers
            .or_else(|| env(SERVICE_HANDLERS_ENV).map(|value| truthy(&value)))
            .unwrap_or(false);
        Resolved {
            gateway,
            gateway_from,
            trust_upstream,
            trust_from,
            api_keys,
            api_keys_from: (!sources.is_empty()).then(|| sources.join(" and ")),
            jwks,
            authorizers: self.authorizers,
            allow_iam,
            service_handlers,
            problems,
        }
    }
}

impl Resolved {
    /// Where the JWKS of authorizer `name` is: the builder's, `AXUM_AWS_JWKS_<NAME>`,
    /// then `AXUM_AWS_JWKS`.
    pub(crate) fn jwks_for(&self, name: &str) -> Option<(String, String)> {
        if let Some(location) = self.jwks.get(name) {
            return Some((location.clone(), "Server::jwks".to_owned()));
        }
        let variable = jwks_env(name);
        if let Ok(location) = std::env::var(&variable) {
            return Some((location, variable));
        }
        self.jwks
            .get("*")
            .map(|location| (location.clone(), JWKS_ENV.to_owned()))
    }
}

/// `AXUM_AWS_JWKS_<NAME>`: the authorizer's name upper-cased, other characters `_`.
pub(crate) fn jwks_env(name: &str) -> String {
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("{JWKS_ENV}_{name}")
}

fn truthy(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "1" | "true" | "yes" | "on"
    )
}
