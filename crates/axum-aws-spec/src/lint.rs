//! Warnings: what API Gateway accepts but limits, ignores or drops. Errors (what it
//! rejects) stay in [`ApiSpec::check`] and the renderers.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::auth::Authorizer;
use crate::{ApiSpec, Checked, Method, PrivateSpec, SpecError, Target, path};

/// API Gateway's default quota of resources per REST API (it can be raised).
const MAX_RESOURCES: usize = 300;
/// API Gateway's limit on an imported OpenAPI document.
const MAX_DOCUMENT_BYTES: usize = 6 * 1024 * 1024;
/// Authorizers an HTTP API holds by default (a quota increase raises it).
const MAX_HTTP_API_AUTHORIZERS: usize = 10;
/// Audiences of one JWT authorizer.
const MAX_JWT_AUDIENCES: usize = 50;
/// Integration timeout above which a quota increase is needed.
const DEFAULT_MAX_TIMEOUT_MILLIS: u32 = 29_000;
/// Something a gateway accepts but limits, ignores or drops; reported by
/// [`ApiSpec::lint`] and `aws-spec lint`, never fatal.
///
/// Displayed as `METHOD /path: message`, or just the message for API-wide warnings.
///
/// ```
/// use axum_aws::integration::{LambdaProxy, Mock};
/// use axum_aws::routing::{get, options};
/// use axum_aws::{AwsRouter, Info, Target};
///
/// let router: AwsRouter = AwsRouter::new()
///     .route("/items", get(|| async { "[]" }))
///     .route("/items", options(|| async { "" }).integration(Mock::new(204)))
///     .default_integration(LambdaProxy::new("${items_invoke_arn}"));
/// let warnings = router.spec(Info::new("items", "1")).lint(Target::Rest).warnings;
/// assert_eq!(warnings[0].route(), Some("OPTIONS /items"));
/// assert!(warnings[0].to_string().starts_with("OPTIONS /items: "));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Warning {
    route: Option<String>,
    message: String,
}

impl Warning {
    pub(crate) fn new(route: Option<String>, message: String) -> Self {
        Self { route, message }
    }

    /// `METHOD /path` of the route, if the warning belongs to one.
    pub fn route(&self) -> Option<&str> {
        self.route.as_deref()
    }

    /// Lowercase text that quotes the value concerned (without the route).
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// What [`ApiSpec::lint`] found for one target: the errors its checks report (the
/// export would fail) and the warnings (the export works, the gateway limits, ignores
/// or drops something).
///
/// ```
/// use axum_aws::{integration::LambdaProxy, routing::get, AwsRouter, Info, Target};
///
/// let router: AwsRouter = AwsRouter::new()
///     .route("/items", get(|| async { "[]" }))
///     .default_integration(LambdaProxy::new("${api_invoke_arn}"));
/// let lint = router.spec(Info::new("items", "1")).lint(Target::Kong);
/// assert!(lint.errors.is_empty() && lint.warnings.is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Lint {
    /// What the target's checks reject, each naming `METHOD /path`.
    pub errors: Vec<SpecError>,
    /// What the target accepts but limits, ignores or drops.
    pub warnings: Vec<Warning>,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.route {
            Some(route) => write!(f, "{route}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl ApiSpec {
    /// What `aws-spec lint` reports for `target`, from one check and at most one
    /// rendering: every error the target's checks find, and the warnings — what the
    /// target accepts but limits, ignores or drops.
    ///
    /// - REST: quotas (300 resources, 6 MB document, measured on the one rendering;
    ///   without a size when errors prevent it), integration timeouts above 29 s,
    ///   `OPTIONS` routes without a CORS policy, settings nothing uses, documentation and
    ///   schema keywords the import drops, throttles the document cannot carry
    ///   ([`throttle_warnings`](Self::throttle_warnings)).
    /// - HTTP API: the quotas an import would hit (300 routes, raisable; 300
    ///   integrations, fixed, one inline integration a route here; 10 authorizers,
    ///   raisable; 50 audiences a JWT authorizer), and the throttles.
    /// - Kong: what its `rate-limiting` plugin makes of the throttles.
    /// - The public OpenAPI document: its checks' errors.
    ///
    /// ```
    /// use axum_aws::{integration::LambdaProxy, routing::get, AwsRouter, Info, Target};
    ///
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/a/x-{id}", get(|| async { "" }))
    ///     .default_integration(LambdaProxy::new("${api_invoke_arn}"));
    /// let lint = router.spec(Info::new("t", "1")).lint(Target::Rest);
    /// assert!(lint.errors[0].to_string().starts_with("GET /a/x-{id}: "));
    /// assert!(lint.warnings.is_empty());
    ///
    /// let mut router: AwsRouter = AwsRouter::new();
    /// for i in 0..301 {
    ///     router = router.route(&format!("/items/{i}"), get(|| async { "[]" }));
    /// }
    /// let spec = router.default_integration(LambdaProxy::new("${api_invoke_arn}")).spec(Info::new("items", "1"));
    /// let lint = spec.lint(Target::HttpApi);
    /// assert!(lint.errors.is_empty());
    /// assert!(lint.warnings[0].message().starts_with("301 routes, each with its own integration"));
    /// ```
    pub fn lint(&self, target: Target) -> Lint {
        let (errors, warnings) = match target {
            Target::Rest => self.rest_lint(),
            Target::HttpApi => self.http_api_lint(),
            // API Gateway's warnings (quotas, ignored settings) do not apply to Kong; what
            // Kong makes of the throttles does.
            Target::Kong | Target::OpenApi => match self.check_for(&[target]) {
                Ok(_) => (Vec::new(), self.throttle_warnings(target)),
                Err(errors) => (errors.errors().to_vec(), Vec::new()),
            },
        };
        Lint { errors, warnings }
    }

    /// REST's lint: one check, at most one rendering (the size warning measures it).
    fn rest_lint(&self) -> (Vec<SpecError>, Vec<Warning>) {
        match self.check_for(&[Target::Rest]) {
            // The REST checks ran: rendering cannot fail.
            Ok(checked) => match checked.render_private() {
                Ok(private) => (Vec::new(), checked.warnings_for(&private)),
                Err(errors) => (errors.errors().to_vec(), Vec::new()),
            },
            Err(errors) => (
                errors.errors().to_vec(),
                self.warnings_of_size(None, self.resources().len()),
            ),
        }
    }

    /// The HTTP API's lint: its checks' errors and the quotas an import would hit.
    fn http_api_lint(&self) -> (Vec<SpecError>, Vec<Warning>) {
        let errors = match self.check_for(&[Target::HttpApi]) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.errors().to_vec(),
        };
        let mut warnings = Vec::new();
        let routes = self.routes.len();
        if routes > MAX_RESOURCES {
            warnings.push(Warning {
                route: None,
                message: format!(
                    "{routes} routes, each with its own integration: an HTTP API holds {MAX_RESOURCES} routes (a quota increase raises it) and {MAX_RESOURCES} integrations (fixed); split the api"
                ),
            });
        }
        let mut authorizers = BTreeSet::new();
        for grant in self
            .routes
            .iter()
            .filter_map(|r| r.security.as_ref())
            .flat_map(|s| s.grants())
        {
            if authorizers.insert(grant.authorizer.name())
                && let Authorizer::Jwt(jwt) = &grant.authorizer
                && jwt.audiences.len() > MAX_JWT_AUDIENCES
            {
                warnings.push(Warning {
                    route: None,
                    message: format!(
                        "JWT authorizer {:?} names {} audiences; an HTTP API allows {MAX_JWT_AUDIENCES}",
                        jwt.name,
                        jwt.audiences.len()
                    ),
                });
            }
        }
        authorizers.retain(|name| *name != Authorizer::IAM);
        if authorizers.len() > MAX_HTTP_API_AUTHORIZERS {
            warnings.push(Warning {
                route: None,
                message: format!(
                    "{} authorizers {authorizers:?}: an HTTP API holds {MAX_HTTP_API_AUTHORIZERS} (a quota increase raises it)",
                    authorizers.len()
                ),
            });
        }
        warnings.extend(self.throttle_warnings(Target::HttpApi));
        (errors, warnings)
    }

    /// `resources`: the number of resource paths ([`resources`](Self::resources)).
    fn warnings_of_size(&self, private_size: Option<usize>, resources: usize) -> Vec<Warning> {
        let mut warnings = Vec::new();
        let mut add =
            |route: Option<String>, message: String| warnings.push(Warning { route, message });

        if resources > MAX_RESOURCES {
            add(
                None,
                format!(
                    "{resources} resources; API Gateway allows {MAX_RESOURCES} per REST API unless the quota is raised"
                ),
            );
        }
        if let Some(size) = private_size.filter(|size| *size > MAX_DOCUMENT_BYTES) {
            add(
                None,
                format!(
                    "the private spec is {size} bytes; API Gateway imports at most {MAX_DOCUMENT_BYTES}"
                ),
            );
        }

        let mut used_validators = BTreeSet::new();
        let mut uses_api_key = false;
        for route in &self.routes {
            let here = || Some(route.label());
            let timeout = route
                .integration
                .as_ref()
                .and_then(|i| i.options().timeout_millis);
            if let Some(timeout) = timeout.filter(|t| *t > DEFAULT_MAX_TIMEOUT_MILLIS) {
                add(
                    here(),
                    format!(
                        "integration timeout {timeout}ms is above {DEFAULT_MAX_TIMEOUT_MILLIS}ms; it needs a quota increase (regional and private apis only)"
                    ),
                );
            }
            if route.method == Method::Options && route.cors.is_none() {
                add(
                    here(),
                    "options route without a CORS policy; preflights get whatever it answers, and gateway errors carry no CORS headers".to_owned(),
                );
            }
            if route.deprecated {
                add(
                    here(),
                    "`deprecated` is dropped by the API Gateway import".to_owned(),
                );
            }
            if let Some(name) = &route.request_validator {
                used_validators.insert(name.clone());
            }
            if let (Some(cors), Some(security)) = (&route.cors, &route.security) {
                for header in credential_headers(security) {
                    let allowed = cors
                        .allow_headers
                        .iter()
                        .any(|h| h == "*" || h.eq_ignore_ascii_case(header));
                    if !allowed {
                        add(
                            here(),
                            format!(
                                "browsers send the {header:?} header this route requires, which the CORS policy does not allow: preflights fail; add it with `allow_headers`"
                            ),
                        );
                    }
                }
            }
            if let Some(crate::doc::StatusMismatch::Unstated { returns }) = route
                .operation
                .as_ref()
                .and_then(|o| o.status_mismatch.as_ref())
            {
                add(
                    here(),
                    format!(
                        "the handler returns `{returns}`, whose status is picked at run time, and the route states none: documented as 200; state the status it answers with `.status(…)` (e.g. `.status(201)`, `.status(204)`)"
                    ),
                );
            }
            for what in route.operation.iter().flat_map(|o| &o.undocumented) {
                add(
                    here(),
                    format!(
                        "the handler's {what:?} is not documented; implement axum_aws::doc::OperationInput (an argument) or OperationOutput (a response) for it, or document the route with `.doc::<P>()`"
                    ),
                );
            }
            if let Some(security) = &route.security {
                uses_api_key |= security
                    .grants()
                    .any(|g| matches!(g.authorizer, Authorizer::ApiKey));
            }
            for (name, schema) in &route.schemas {
                if !name.chars().all(|c| c.is_ascii_alphanumeric()) {
                    add(
                        here(),
                        format!(
                            "model name {name:?} is not alphanumeric; API Gateway model names must be"
                        ),
                    );
                }
                // The converter's own report of what the draft-4 model loses: one list,
                // the one the private spec is written with.
                let (_, dropped) = crate::schema::convert(
                    schema.value(),
                    crate::schema::Dialect::ApiGateway,
                    &BTreeMap::new(),
                );
                let found: BTreeSet<&str> = dropped.iter().map(|d| d.keyword.as_str()).collect();
                // A nullable field of a validated body is an export error (REST checks).
                let lost: Vec<&str> = found.into_iter().filter(|k| *k != "nullable").collect();
                if !lost.is_empty() {
                    add(
                        here(),
                        format!(
                            "schema {name:?} uses {}, which API Gateway models (JSON Schema draft 4) cannot express; the model accepts more than the schema says",
                            lost.join(", ")
                        ),
                    );
                }
            }
        }
        if let Some(default) = &self.settings.default_request_validator {
            used_validators.insert(default.clone());
        }
        for name in self.settings.request_validators.keys() {
            if !used_validators.contains(name) {
                add(
                    None,
                    format!("request validator {name:?} is declared but no route uses it"),
                );
            }
        }
        if self.settings.api_key_source.is_some() && !uses_api_key {
            add(
                None,
                "an API key source is set but no route requires an API key".to_owned(),
            );
        }
        warnings.extend(self.throttle_warnings(Target::Rest));
        warnings
    }
}

/// The request headers a browser must send for `security`'s credentials (API key,
/// Cognito token, Lambda authorizer identity headers), once each.
fn credential_headers(security: &crate::auth::Security) -> Vec<&str> {
    use crate::auth::{IdentitySource, LambdaIdentity};
    let mut headers: Vec<&str> = Vec::new();
    for grant in security.grants() {
        match &grant.authorizer {
            Authorizer::ApiKey => headers.push("X-Api-Key"),
            Authorizer::Cognito(cognito) => headers.push(&cognito.header),
            Authorizer::Lambda(lambda) => match &lambda.identity {
                LambdaIdentity::Token { header, .. } => headers.push(header),
                LambdaIdentity::Request { sources, .. } => {
                    headers.extend(sources.iter().filter_map(|s| match s {
                        IdentitySource::Header(name) => Some(name.as_str()),
                        _ => None,
                    }));
                }
            },
            _ => {}
        }
    }
    let mut seen: Vec<&str> = Vec::new();
    headers.retain(|h| {
        let new = !seen.iter().any(|s| s.eq_ignore_ascii_case(h));
        seen.push(h);
        new
    });
    headers
}

impl Checked<'_> {
    /// The REST warnings of [`ApiSpec::lint`] for this spec, measuring the document size on `private`, the
    /// private spec as rendered from here, and counting resources on the paths the checks
    /// parsed: nothing is rendered or parsed again.
    ///
    /// ```
    /// use axum_aws::{integration::LambdaProxy, routing::get, AwsRouter, Info, Target};
    ///
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/items", get(|| async { "[]" }))
    ///     .default_integration(LambdaProxy::new("${api_invoke_arn}"));
    /// let spec = router.spec(Info::new("items", "1"));
    /// let checked = spec.check_for(&[Target::Rest, Target::OpenApi])?;
    /// let private = checked.render_private()?;
    /// assert_eq!(checked.warnings_for(&private), spec.lint(Target::Rest).warnings);
    /// # Ok::<(), axum_aws::SpecErrors>(())
    /// ```
    pub fn warnings_for(&self, private: &PrivateSpec) -> Vec<Warning> {
        let resources = path::resources(self.gateway_paths().iter().flatten().copied());
        self.spec()
            .warnings_of_size(Some(private.text.len()), resources.len())
    }
}
