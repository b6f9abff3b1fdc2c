//! The Kong Gateway (OSS) target: a decK declarative file (`_format_version: "3.0"`).
//! This is the only module that writes Kong configuration.
//!
//! What each part of the model becomes:
//! - every route is one Kong route per path and method set, with `methods` set, a regex
//!   path anchored with `$` (`{id}` is `(?<id>[^/]+)`, `{*rest}` is `(?<rest>(?s:.+))`:
//!   Kong decodes `%0A` to a newline before matching, and `(?s:…)` lets the tail take it
//!   in PCRE and in Rust's `regex`), `strip_path: false`, and a `regex_priority` computed
//!   from the path alone, so that overlapping paths are ordered the way axum orders them
//!   (at the first segment where two paths differ, a literal beats a parameter, which
//!   beats a greedy tail): the kinds of the first six segments read as a base-3 number,
//!   at most 728, below the 1024 where Kong's priority arithmetic would mix it with the
//!   route's field count (see [`priority`]);
//! - the common methods a path does not declare get one more route answering 405 (with
//!   `request-termination`), so a method axum refuses never falls through to a
//!   lower-priority route; a `GET` route also takes `HEAD` (axum answers both) unless the
//!   path declares `HEAD`;
//! - every path also gets one route without `methods`: for the methods no route lists
//!   (`PROPFIND`, any extension method), it answers what axum answers, the path's `any`
//!   handler or 405. Kong ranks a route with methods above every route without (its
//!   field count comes first), and routes without methods among themselves by the same
//!   `regex_priority`, so the path axum picks still wins. `TRACE` and `CONNECT` never
//!   reach a route: nginx answers them itself (405), also on `any` routes;
//! - Lambda: the `aws-lambda` plugin (function and region from the invocation URI,
//!   `awsgateway_compatible` and `is_proxy_integration` for proxy routes, so the function
//!   gets an API Gateway v1 event the served router reads; `invocation_type: Event` for
//!   asynchronous ones);
//! - HTTP (also through a VPC link: Kong must reach that network itself): a service per
//!   backend origin with the timeouts, and `request-transformer`'s `replace.uri` with the
//!   URL's path (`{id}` is `$(uri_captures.id)`);
//! - with [`KongOptions::upstream_url`], Lambda proxy routes go to that URL (the router
//!   served over HTTP) through one service instead;
//! - mocks: `request-termination`;
//! - API keys: `key-auth` on `x-api-key`; Cognito without scopes: `jwt`. Consumers and
//!   their credentials are the deployer's and stay out of the file, unless
//!   [`KongOptions::credential_placeholders`] asks for consumers whose secrets are decK
//!   environment substitutions;
//! - CORS: the `cors` plugin, with `OPTIONS` among the path's methods, also on the 405
//!   routes: `cors` (priority 2000) runs before `request-termination` (priority 2) and
//!   adds its headers to the 405 answer in its `header_filter` phase, so a browser can
//!   read it;
//! - placeholders: decK environment substitutions, `${name}` is `DECK_NAME`;
//! - every entity has a stable name (`<api>_<method>_<path>`, the API's slug first), an
//!   `id` derived from that name (UUIDv5 in [`KongOptions::uuid_namespace`]), and the
//!   tag `_info.select_tags` names, so `deck gateway sync` reads, changes and deletes
//!   only this API's entities. The same router always gives the same file, and a route
//!   added changes only the entities of its own path.
//!
//! `_info` is decK's, not Kong's: a DB-less Kong reads the file `deck file render
//! --populate-env-vars kong.yaml -o kong.yml` writes from it (substitutions expanded,
//! `_info` gone).
//!
//! What Kong OSS cannot do is an error naming the route and the alternative. Settings
//! that have no meaning outside API Gateway (endpoint type, minimum compression size,
//! binary media types: Kong passes bytes through) are not written.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::auth::{Authorizer, Security};
use crate::error::{ErrorKind, SpecError};
use crate::gateway::Checked;
use crate::integration::{Http, Integration, IntegrationOptions, Lambda, LambdaProxy, Mock};
use crate::route::RouteMeta;
use crate::spec::ApiSpec;
use crate::template::{MARK_CLOSE, MARK_OPEN, Piece, scan};
use crate::{Cors, Method, PathSegment, TemplateValue};
use uuid::Uuid;

/// How long API Gateway waits for an integration by default; Kong's default is 60 s.
const DEFAULT_TIMEOUT_MILLIS: u32 = 29_000;

/// [`KongOptions::DEFAULT_NAMESPACE`]: UUIDv5(DNS namespace, `aws-spec.kong`).
const DEFAULT_NAMESPACE_U128: u128 = 0x93e7_3f53_b89b_5ba4_844e_837b_542d_81f7;

/// The longest capture-group name PCRE takes.
const MAX_CAPTURE_NAME: usize = 32;

/// The file format of a [`KongConfig`].
///
/// ```
/// use axum_aws_spec::KongFormat;
///
/// assert_eq!(KongFormat::default(), KongFormat::Yaml);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KongFormat {
    /// YAML (decK's usual format). Placeholders are `'${{ env "DECK_NAME" }}'`.
    #[default]
    Yaml,
    /// JSON, sorted keys, two-space indent. Placeholders are ``"${{ env `DECK_NAME` }}"``:
    /// decK expands `${{ … }}` as a Go template over the raw text, and a Go raw string
    /// needs no quotes that JSON would have to escape.
    Json,
}

/// How [`Checked::render_kong`] writes the decK file: the format, the namespace of the
/// entity ids, and whether consumers with placeholder credentials are written.
/// A [`KongFormat`] alone is the default options in that format.
///
/// ```
/// use axum_aws_spec::integration::LambdaProxy;
/// use axum_aws_spec::{ApiSettings, ApiSpec, Info, KongFormat, KongOptions, Method, RouteMeta, Target};
///
/// let mut route = RouteMeta::new(Method::Get, "/pets");
/// route.integration = Some(LambdaProxy::new("${pets_fn}").into());
/// let spec = ApiSpec::new(Info::new("Pets", "1"), ApiSettings::default(), vec![route]);
/// let checked = spec.check_for(&[Target::Kong])?;
///
/// let mine = uuid::Uuid::from_u128(0x6ba7b811_9dad_11d1_80b4_00c04fd430c8);
/// let options = KongOptions::new().format(KongFormat::Json).uuid_namespace(mine);
/// let ours = checked.render_kong(options)?;
/// let default = checked.render_kong(KongFormat::Json)?;
/// // The same names, other ids.
/// assert!(ours.text().contains(r#""name": "pets_get_pets""#));
/// assert_ne!(ours.text(), default.text());
/// # Ok::<(), axum_aws_spec::SpecErrors>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct KongOptions {
    /// YAML or JSON.
    pub format: KongFormat,
    /// The namespace of the UUIDv5 entity ids; [`KongOptions::DEFAULT_NAMESPACE`] unless set.
    pub uuid_namespace: Uuid,
    /// Whether to write a consumer per auth kind, its secrets decK substitutions.
    pub credential_placeholders: bool,
    /// Where Lambda proxy routes go instead of their function: the router served over
    /// HTTP, through one Kong service.
    pub upstream_url: Option<TemplateValue>,
}

impl Default for KongOptions {
    fn default() -> Self {
        Self {
            format: KongFormat::default(),
            uuid_namespace: Self::DEFAULT_NAMESPACE,
            credential_placeholders: false,
            upstream_url: None,
        }
    }
}

impl From<KongFormat> for KongOptions {
    fn from(format: KongFormat) -> Self {
        Self::new().format(format)
    }
}

impl KongOptions {
    /// The namespace of the entity ids unless [`KongOptions::uuid_namespace`] sets one:
    /// the UUIDv5 of `aws-spec.kong` in the DNS namespace.
    ///
    /// ```
    /// use axum_aws_spec::KongOptions;
    ///
    /// assert_eq!(
    ///     KongOptions::DEFAULT_NAMESPACE,
    ///     uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_DNS, b"aws-spec.kong")
    /// );
    /// ```
    pub const DEFAULT_NAMESPACE: Uuid = Uuid::from_u128(DEFAULT_NAMESPACE_U128);

    /// YAML, the default namespace, no consumers.
    ///
    /// ```
    /// use axum_aws_spec::{KongFormat, KongOptions};
    ///
    /// assert_eq!(KongOptions::new().format, KongFormat::Yaml);
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// The file format.
    ///
    /// ```
    /// use axum_aws_spec::{KongFormat, KongOptions};
    ///
    /// assert_eq!(KongOptions::new().format(KongFormat::Json).format, KongFormat::Json);
    /// ```
    #[must_use]
    pub fn format(mut self, format: KongFormat) -> Self {
        self.format = format;
        self
    }

    /// The namespace the entity ids are UUIDv5s in (decK and Kong key entities by id, so
    /// two exports into one Kong that must not share ids take different namespaces; like
    /// `deck file openapi2kong --uuid-base`). `aws-spec export --kong-uuid-namespace`.
    ///
    /// ```
    /// use axum_aws_spec::KongOptions;
    ///
    /// let namespace = uuid::Uuid::from_u128(1);
    /// assert_eq!(KongOptions::new().uuid_namespace(namespace).uuid_namespace, namespace);
    /// ```
    #[must_use]
    pub fn uuid_namespace(mut self, namespace: impl Into<Uuid>) -> Self {
        self.uuid_namespace = namespace.into();
        self
    }

    /// Writes one consumer per auth kind the routes use, with its credentials as decK
    /// substitutions (`key-auth`: the key; `jwt`: per Cognito authorizer, the issuer and
    /// the RS256 public key, PEM with its line breaks written `\n`): set the `DECK_`
    /// variables [`KongConfig::variables`] lists. Off by default: credentials do not
    /// belong in a generated file, and the deployer usually manages consumers apart.
    /// `aws-spec export --kong-credential-placeholders`.
    ///
    /// ```
    /// use axum_aws_spec::KongOptions;
    ///
    /// assert!(KongOptions::new().credential_placeholders(true).credential_placeholders);
    /// ```
    #[must_use]
    pub fn credential_placeholders(mut self, on: bool) -> Self {
        self.credential_placeholders = on;
        self
    }

    /// Sends every Lambda proxy route to `url` through one Kong service (`retries: 0`,
    /// the route's timeout) instead of invoking its function: the same router served as
    /// an HTTP server (`axum_aws::Server`, a container, a VM). Kong forwards the path as
    /// the client sent it (normalised; `strip_path` stays false, since on a regex route
    /// it would strip the whole match), after the URL's own path if it has one. `url` is
    /// an absolute `http(s)://` URL, or one placeholder (`${app_url}`, a `DECK_`
    /// variable). `aws-spec export --kong-upstream-url`.
    ///
    /// ```
    /// use axum_aws_spec::integration::LambdaProxy;
    /// use axum_aws_spec::{ApiSettings, ApiSpec, Info, KongOptions, Method, RouteMeta, Target};
    ///
    /// let mut route = RouteMeta::new(Method::Get, "/pets");
    /// route.integration = Some(LambdaProxy::new("${pets_fn}").into());
    /// let spec = ApiSpec::new(Info::new("Pets", "1"), ApiSettings::default(), vec![route]);
    /// let options = KongOptions::new().upstream_url("http://${pets_host}:3000");
    /// let kong = spec.check_for(&[Target::Kong])?.render_kong(options)?;
    /// assert!(kong.text().contains(r#"url: 'http://${{ env "DECK_PETS_HOST" }}:3000'"#));
    /// assert!(!kong.text().contains("aws-lambda"));
    /// # Ok::<(), axum_aws_spec::SpecErrors>(())
    /// ```
    #[must_use]
    pub fn upstream_url(mut self, url: impl Into<TemplateValue>) -> Self {
        self.upstream_url = Some(url.into());
        self
    }
}

/// What is wrong with `options`: an upstream URL Kong cannot take.
pub(crate) fn option_problems(options: &KongOptions) -> Vec<SpecError> {
    let Some(url) = &options.upstream_url else {
        return Vec::new();
    };
    let placeholders_ok = url.placeholders().is_ok();
    if placeholders_ok && origin_and_path(url.as_str()).is_some() {
        return Vec::new();
    }
    vec![SpecError::new(
        None,
        ErrorKind::Unsupported,
        format!(
            "Kong upstream URL {:?} is not an absolute http(s) URL (scheme://host/path) or one placeholder; Kong services need one",
            url.as_str()
        ),
    )]
}

/// A decK declarative file for Kong Gateway OSS, rendered by [`Checked::render_kong`].
///
/// ```
/// use axum_aws_spec::integration::LambdaProxy;
/// use axum_aws_spec::{ApiSettings, ApiSpec, Info, KongFormat, Method, RouteMeta, Target};
///
/// let mut route = RouteMeta::new(Method::Get, "/pets/{id}");
/// route.integration = Some(LambdaProxy::function("${region}", "${pets_fn}").into());
/// let spec = ApiSpec::new(Info::new("Pets", "1"), ApiSettings::default(), vec![route]);
///
/// let kong = spec.check_for(&[Target::Kong])?.render_kong(KongFormat::Yaml)?;
/// assert!(kong.text().starts_with("_format_version: '3.0'\n"));
/// assert!(kong.text().contains(r"'~/pets/(?<id>[^/]+)$'"));
/// assert!(kong.text().contains(r#"function_name: '${{ env "DECK_PETS_FN" }}'"#));
/// assert_eq!(kong.variables()["DECK_REGION"], ["GET /pets/{id}"]);
/// # Ok::<(), axum_aws_spec::SpecErrors>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KongConfig {
    text: String,
    variables: BTreeMap<String, Vec<String>>,
}

impl KongConfig {
    /// The file, as decK reads it.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The `DECK_` environment variables the file needs, each with the routes
    /// (`METHOD /path`) that use it: `deck` fails on any that is not set.
    pub fn variables(&self) -> &BTreeMap<String, Vec<String>> {
        &self.variables
    }

    /// The decK variable a placeholder becomes: `${fn_arn}` is `DECK_FN_ARN`.
    ///
    /// ```
    /// assert_eq!(axum_aws_spec::KongConfig::variable("fn_arn"), "DECK_FN_ARN");
    /// ```
    pub fn variable(placeholder: &str) -> String {
        format!("DECK_{}", placeholder.to_ascii_uppercase())
    }
}

/// A value of the document; maps are sorted by key when written.
#[derive(Clone, Debug)]
enum Doc {
    /// Text, written as it is.
    Str(String),
    /// Text the renderer made from checked template values, placeholders marked: the
    /// marks become decK substitutions. Only these: the same code points in any other
    /// text are written as they are, so no text forges a substitution.
    Marked(String),
    /// Marked text always written double-quoted, so that `\n` in a variable's value is a
    /// line break after decK substitutes it (a PEM key on one line).
    Escaped(String),
    Int(i64),
    Bool(bool),
    List(Vec<Doc>),
    Map(BTreeMap<String, Doc>),
}

impl Doc {
    fn str(text: impl Into<String>) -> Self {
        Self::Str(text.into())
    }

    fn strs<S: Into<String>>(items: impl IntoIterator<Item = S>) -> Self {
        Self::List(items.into_iter().map(|s| Self::Str(s.into())).collect())
    }

    fn map<const N: usize>(entries: [(&str, Doc); N]) -> Self {
        Self::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    }
}

/// A template value with its placeholders marked (written as decK substitutions).
fn value(value: &TemplateValue) -> Doc {
    Doc::Marked(value.marked())
}

// ---------------------------------------------------------------------------------------
// Checks

/// What Kong OSS cannot express in `spec`, every problem at once, each naming its route.
pub(crate) fn problems(spec: &ApiSpec) -> Vec<SpecError> {
    let mut errors = Vec::new();
    let unsupported = |route: Option<String>, message: String| {
        SpecError::new(route, ErrorKind::Unsupported, message)
    };
    if !spec.settings.gateway_responses.is_empty() {
        let kinds: Vec<&str> = spec
            .settings
            .gateway_responses
            .keys()
            .map(String::as_str)
            .collect();
        errors.push(unsupported(
            None,
            format!(
                "gateway responses ({}) have no per-api equivalent in Kong OSS (kong.conf's error_template_* files are global); remove them for the kong target, or use the rest target",
                quoted(&kinds)
            ),
        ));
    }
    if spec.settings.policy.is_some() {
        errors.push(unsupported(
            None,
            "a resource policy has no equivalent in Kong OSS; remove it for the kong target (restrict access with the ip-restriction or acl plugins yourself), or use the rest target".to_owned(),
        ));
    }
    let mut variables: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for route in &spec.routes {
        let label = route.label();
        let mut add = |message: String| errors.push(unsupported(Some(label.clone()), message));
        if route.default_route {
            add("the $default route (AwsRouter::default_route) exists only in HTTP APIs; declare ANY /{*path} for the kong target, or use the http-api target".to_owned());
        }
        if route.path.gateway().is_some() {
            for (name, _) in route.path.params() {
                if name.len() > MAX_CAPTURE_NAME
                    || !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                {
                    add(format!(
                        "path parameter {name:?} cannot be a Kong regex capture name (PCRE takes letters, digits and '_', not starting with a digit, at most {MAX_CAPTURE_NAME} characters); rename it"
                    ));
                }
            }
            for segment in route.path.segments() {
                if let PathSegment::Literal(text) = segment
                    && let Some(escape) = changed_by_kong(text)
                {
                    add(format!(
                        "path segment {text:?}: kong decodes {escape:?} before routing (it keeps only reserved characters escaped, in upper case), so this route would match other requests at kong than in axum; write the segment without that escape"
                    ));
                }
            }
        }
        if let Some(integration) = &route.integration {
            for problem in integration_problems(integration) {
                add(problem);
            }
        }
        if let Some(security) = &route.security {
            for problem in security_problems(security) {
                add(problem);
            }
        }
        let validator = route
            .request_validator
            .as_ref()
            .or(spec.settings.default_request_validator.as_ref());
        if let Some(validator) = validator {
            add(format!(
                "request validator {validator:?}: Kong OSS cannot validate requests against models (request-validator is enterprise only); validate in the handler, or use the rest target"
            ));
        }
        let mut values: Vec<&TemplateValue> = Vec::new();
        route_values(route, &mut values);
        for value in values {
            for piece in scan(value.as_str()) {
                match piece {
                    Ok(Piece::Placeholder(name)) => {
                        variables
                            .entry(KongConfig::variable(name))
                            .or_default()
                            .insert(name);
                    }
                    Ok(Piece::Text(text)) => {
                        if text.contains("${{") {
                            add(format!(
                                "value {:?} holds \"${{{{\", which decK reads as a template; Kong cannot get it from this file, so remove it",
                                value.as_str()
                            ));
                        } else if let Some(start) = text.find("${") {
                            let end = text[start..]
                                .find('}')
                                .map_or(text.len(), |e| start + e + 1);
                            add(format!(
                                "value {:?}: {:?} is an API Gateway expression, which Kong does not expand; use a placeholder (\"${{name}}\", a DECK_ variable) or a literal value",
                                value.as_str(),
                                &text[start..end]
                            ));
                        }
                    }
                    Err(_) => {} // the neutral checks report these
                }
            }
        }
    }
    errors.extend(priority_ties(spec));
    for (variable, names) in variables {
        if names.len() > 1 {
            let names: Vec<&str> = names.into_iter().collect();
            errors.push(unsupported(
                None,
                format!(
                    "placeholders {} all become decK variable {variable:?}; rename them so they differ in more than case",
                    quoted(&names)
                ),
            ));
        }
    }
    errors
}

/// Paths Kong would confuse: two that can match one request but differ only after the
/// segments [`priority`] ranks, so their routes tie and Kong picks by id, not as axum.
fn priority_ties(spec: &ApiSpec) -> Vec<SpecError> {
    let mut first_route: BTreeMap<&str, &RouteMeta> = BTreeMap::new();
    for route in &spec.routes {
        if route.path.gateway().is_some() {
            first_route.entry(route.path.as_str()).or_insert(route);
        }
    }
    let mut by_priority: BTreeMap<i64, Vec<(&RouteMeta, Vec<PathSegment<'_>>)>> = BTreeMap::new();
    for route in first_route.values() {
        by_priority
            .entry(priority(route))
            .or_default()
            .push((route, route.path.segments().collect()));
    }
    let mut errors = Vec::new();
    for group in by_priority.values() {
        for (i, (a, a_segments)) in group.iter().enumerate() {
            for (b, b_segments) in &group[i + 1..] {
                if overlap(a_segments, b_segments) {
                    errors.push(SpecError::new(
                        Some(a.label()),
                        ErrorKind::Unsupported,
                        format!(
                            "kong would confuse {} with {}: both match some requests and differ only after the first {PRIORITY_DEPTH} segments, which is all the kong target ranks; make them differ earlier",
                            a.path.as_str(),
                            b.path.as_str()
                        ),
                    ));
                }
            }
        }
    }
    errors
}

fn quoted(items: &[&str]) -> String {
    items
        .iter()
        .map(|item| format!("{item:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The template values the Kong file writes for `route`.
fn route_values<'a>(route: &'a RouteMeta, out: &mut Vec<&'a TemplateValue>) {
    match &route.integration {
        Some(Integration::LambdaProxy(LambdaProxy { uri, options, .. }))
        | Some(Integration::Lambda(Lambda { uri, options, .. })) => {
            out.push(uri);
            out.extend(options.credentials.as_ref());
        }
        Some(Integration::Http(http)) => out.push(&http.url),
        Some(Integration::Mock(mock)) => out.extend(mock.bodies.values()),
        _ => {}
    }
    if let Some(cors) = &route.cors {
        out.extend(cors.allow_origins.iter());
    }
}

const AWS_SERVICE: &str = "Kong OSS cannot call AWS services directly; put a Lambda function in front, or use the rest target";

fn integration_problems(integration: &Integration) -> Vec<String> {
    let mut problems = Vec::new();
    let options = match integration {
        Integration::LambdaProxy(lambda) => {
            if lambda.payload_format == Some(crate::integration::PayloadFormat::V2) {
                problems.push("Lambda payload format 2.0: Kong's aws-lambda plugin sends the 1.0 (REST API) event; drop `.payload_format(PayloadFormat::V2)`, or use the http-api target".to_owned());
            }
            &lambda.options
        }
        Integration::Lambda(lambda) => &lambda.options,
        Integration::Http(http) => &http.options,
        Integration::Mock(mock) => {
            if !mock.headers.is_empty() {
                let names: Vec<&str> = mock.headers.keys().map(String::as_str).collect();
                problems.push(format!(
                    "mock response headers ({}): Kong's request-termination cannot set headers; drop them, or answer from a Lambda function",
                    quoted(&names)
                ));
            }
            if mock.bodies.len() > 1 {
                let types: Vec<&str> = mock.bodies.keys().map(String::as_str).collect();
                problems.push(format!(
                    "mock bodies for several content types ({}): Kong's request-termination has one body; keep one",
                    quoted(&types)
                ));
            }
            for body in mock.bodies.values() {
                if is_template(body.as_str()) {
                    problems.push(format!(
                        "mock body {:?} is a mapping template; Kong's request-termination sends a static body, so write the body out",
                        body.as_str()
                    ));
                }
            }
            &mock.options
        }
        _ => {
            problems.push(AWS_SERVICE.to_owned());
            return problems;
        }
    };
    let lambda_custom = matches!(integration, Integration::Lambda(_));
    if !options.request_templates.is_empty() {
        problems.push(format!(
            "request mapping templates: Kong OSS has no mapping templates; {}",
            if lambda_custom {
                "use a Lambda proxy integration and read the request in the function, or use the rest target"
            } else {
                "drop them (request-transformer covers headers and query strings), or use the rest target"
            }
        ));
    }
    if !options.responses.is_empty() && !matches!(integration, Integration::Mock(_)) {
        problems.push("integration responses: Kong OSS cannot map a backend's answer to other responses; answer with the final status from the backend, or use the rest target".to_owned());
    }
    if !options.request_parameters.is_empty() {
        let names: Vec<&str> = options
            .request_parameters
            .keys()
            .map(String::as_str)
            .collect();
        problems.push(format!(
            "integration request parameters ({}): Kong cannot map them from this file; drop them, or use the rest target",
            quoted(&names)
        ));
    }
    if options.cache_namespace.is_some() || !options.cache_key_parameters.is_empty() {
        problems.push("stage-cache settings: Kong OSS has no stage cache (proxy-cache is a separate plugin you configure yourself); drop them for the kong target".to_owned());
    }
    if options.content_handling.is_some() {
        problems.push("content handling: Kong does not convert bodies between text and binary; drop it for the kong target".to_owned());
    }
    if options.credentials.is_some()
        && matches!(integration, Integration::Http(_) | Integration::Mock(_))
    {
        problems.push("integration credentials: Kong cannot sign HTTP requests with an IAM role; drop them, or use the rest target".to_owned());
    }
    if let Integration::Http(http) = integration
        && origin_and_path(http.url.as_str()).is_none()
    {
        problems.push(format!(
            "HTTP url {:?} is not an absolute http(s) url (scheme://host/path); Kong services need one",
            http.url.as_str()
        ));
    }
    problems
}

/// Whether a mock body uses API Gateway's template language.
fn is_template(body: &str) -> bool {
    [
        "$context",
        "$input",
        "$util",
        "$stageVariables",
        "#set",
        "#if",
        "#foreach",
    ]
    .iter()
    .any(|marker| body.contains(marker))
}

fn security_problems(security: &Security) -> Vec<String> {
    let mut problems = Vec::new();
    let required: Vec<_> = security
        .alternatives
        .iter()
        .filter(|r| !r.all.is_empty())
        .collect();
    if required.len() < security.alternatives.len() && !required.is_empty() {
        problems.push("security with a public alternative: Kong plugins cannot make auth optional per request without an anonymous consumer; declare the route public or authenticated".to_owned());
    }
    if required.len() > 1 {
        problems.push("alternative security requirements (one or another): Kong OSS runs every auth plugin a route has; declare one requirement".to_owned());
    }
    for grant in security.grants() {
        match &grant.authorizer {
            Authorizer::Iam => problems.push("IAM (SigV4) auth: Kong OSS cannot check SigV4 signatures; use an API key (key-auth) or a JWT (Cognito), or use the rest target".to_owned()),
            Authorizer::Lambda(lambda) => problems.push(format!(
                "Lambda authorizer {:?}: Kong OSS cannot run Lambda authorizers (token or request); use an API key (key-auth) or a JWT (Cognito without scopes), check in the handler, or use the rest target",
                lambda.name
            )),
            Authorizer::Cognito(cognito) if !grant.scopes.is_empty() => problems.push(format!(
                "Cognito authorizer {:?} with scopes {}: Kong OSS's JWT plugin cannot check scopes, only enterprise's openid-connect can; drop the scopes and check them in the handler, or use the rest target",
                cognito.name,
                quoted(&grant.scopes.iter().map(String::as_str).collect::<Vec<_>>())
            )),
            Authorizer::Jwt(jwt) => problems.push(format!(
                "JWT authorizer {:?}: the kong target expresses Cognito pools (CognitoAuthorizer) as its JWT plugin, not issuer and audience checks; use a CognitoAuthorizer, or the http-api target",
                jwt.name
            )),
            Authorizer::Cognito(_) | Authorizer::ApiKey => {}
        }
    }
    problems
}

/// `(origin, path)` of an absolute URL: `http://host:8080` and `/a/{id}` (`/` if none).
fn origin_and_path(url: &str) -> Option<(&str, &str)> {
    if url.starts_with("${") && !url.contains("://") {
        // A whole URL in one placeholder: the deployer's value holds the path.
        return Some((url, ""));
    }
    let after_scheme = url.find("://")? + 3;
    let scheme = &url[..after_scheme - 3];
    if scheme != "http" && scheme != "https" && !scheme.starts_with("${") {
        return None;
    }
    match url[after_scheme..].find('/') {
        Some(slash) => Some(url.split_at(after_scheme + slash)),
        None => Some((url, "")),
    }
}

// ---------------------------------------------------------------------------------------
// Rendering

/// The methods a route answers in Kong (concrete ones).
fn route_methods(route: &RouteMeta, declared: &BTreeSet<Method>) -> BTreeSet<Method> {
    match route.method {
        Method::Any => Method::CONCRETE
            .iter()
            .copied()
            .filter(|m| !declared.contains(m))
            .filter(|m| !(*m == Method::Head && declared.contains(&Method::Get)))
            .collect(),
        Method::Get if !declared.contains(&Method::Head) => [Method::Get, Method::Head].into(),
        method => [method].into(),
    }
}

/// How many leading segments [`priority`] ranks.
const PRIORITY_DEPTH: usize = 6;

/// The `regex_priority` of a path: the kinds of its first [`PRIORITY_DEPTH`] segments
/// (literal 2, parameter 1, greedy tail or none 0) read as a base-3 number, so that at
/// the first segment where two paths differ a literal beats a parameter, which beats a
/// greedy tail, as in axum. It depends on the path alone (a route added changes no other
/// route), and stays below 729: Kong's `get_priority` (kong/router/transform.lua at
/// Kong/kong@22246ef) shifts `regex_priority` by 19 and the route's field count by 29
/// in 32 bits (LuaJIT's `bit.lshift`), so from 1024 on it would reach the field count,
/// which must rank every route with methods above every route without. Two paths that
/// differ only after the sixth segment and can match one request get the same priority;
/// [`problems`] refuses them.
pub(crate) fn priority(route: &RouteMeta) -> i64 {
    let mut kinds = route.path.segments().map(|segment| match segment {
        PathSegment::Literal(_) => 2,
        PathSegment::Param(_) => 1,
        PathSegment::Greedy(_) => 0,
    });
    (0..PRIORITY_DEPTH).fold(0, |rank, _| rank * 3 + kinds.next().unwrap_or(0))
}

/// Whether one request path can match both paths (a greedy tail takes one or more
/// segments).
fn overlap(a: &[PathSegment<'_>], b: &[PathSegment<'_>]) -> bool {
    match (a.split_first(), b.split_first()) {
        (None, None)
        | (Some((PathSegment::Greedy(_), _)), Some(_))
        | (Some(_), Some((PathSegment::Greedy(_), _))) => true,
        (Some((x, a_rest)), Some((y, b_rest))) => {
            let compatible = match (x, y) {
                (PathSegment::Literal(x), PathSegment::Literal(y)) => x == y,
                _ => true,
            };
            compatible && overlap(a_rest, b_rest)
        }
        _ => false,
    }
}

/// The first `%XX` in a literal segment that Kong's path normalisation changes: it
/// decodes every escape but those of reserved characters, which it upper-cases
/// (kong/tools/uri.lua `normalize` at Kong/kong@22246ef).
fn changed_by_kong(segment: &str) -> Option<&str> {
    const RESERVED: &[u8] = b"!*'();:@&=+$,/?%#[]";
    let bytes = segment.as_bytes();
    (0..bytes.len()).find_map(|i| {
        let escape = segment.get(i..i + 3)?;
        let hex = escape.strip_prefix('%')?;
        let value = u8::from_str_radix(hex, 16).ok()?;
        let kept = RESERVED.contains(&value) && hex == hex.to_ascii_uppercase();
        (!kept).then_some(escape)
    })
}

/// The Kong regex path of a route: anchored, named captures.
pub(crate) fn regex_path(route: &RouteMeta) -> String {
    let mut out = String::from("~");
    let mut any = false;
    for segment in route.path.segments() {
        any = true;
        out.push('/');
        match segment {
            PathSegment::Literal(text) => {
                for c in text.chars() {
                    if "\\^$.|?*+()[]{}".contains(c) {
                        out.push('\\');
                    }
                    out.push(c);
                }
            }
            PathSegment::Param(name) => {
                let _ = write!(out, "(?<{name}>[^/]+)");
            }
            PathSegment::Greedy(name) => {
                let _ = write!(out, "(?<{name}>(?s:.+))");
            }
        }
    }
    if !any {
        out.push('/');
    }
    out.push('$');
    out
}

fn methods_doc(methods: &BTreeSet<Method>) -> Doc {
    Doc::strs(methods.iter().map(|m| m.as_str()))
}

fn plugin(name: &str, config: Doc) -> Doc {
    Doc::map([("name", Doc::str(name)), ("config", config)])
}

fn lambda_plugin(
    uri: &TemplateValue,
    options: &IntegrationOptions,
    proxy: bool,
    asynchronous: bool,
) -> Doc {
    let mut config = BTreeMap::new();
    let (region, function) = lambda_function(uri.as_str());
    config.insert(
        "function_name".to_owned(),
        Doc::Marked(TemplateValue::from(function).marked()),
    );
    if let Some(region) = region {
        config.insert(
            "aws_region".to_owned(),
            Doc::Marked(TemplateValue::from(region).marked()),
        );
    }
    if let Some(role) = &options.credentials {
        config.insert("aws_assume_role_arn".to_owned(), value(role));
    }
    config.insert("awsgateway_compatible".to_owned(), Doc::Bool(proxy));
    config.insert("is_proxy_integration".to_owned(), Doc::Bool(proxy));
    // Not a proxy: no forward_request_* flags, so Kong sends the query arguments merged
    // with the parsed body, which for a JSON body is the body API Gateway passes through.
    if asynchronous {
        config.insert("invocation_type".to_owned(), Doc::str("Event"));
    }
    config.insert("log_type".to_owned(), Doc::str("None"));
    config.insert("skip_large_bodies".to_owned(), Doc::Bool(false));
    config.insert(
        "timeout".to_owned(),
        Doc::Int(
            options
                .timeout_millis
                .unwrap_or(DEFAULT_TIMEOUT_MILLIS)
                .into(),
        ),
    );
    plugin("aws-lambda", Doc::Map(config))
}

/// `(region, function)` of an invocation URI
/// (`arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/FUNCTION/invocations`);
/// anything else is taken as the function's name or ARN, with the region from Kong's
/// environment.
fn lambda_function(uri: &str) -> (Option<&str>, &str) {
    let parsed = uri
        .strip_prefix("arn:aws:apigateway:")
        .and_then(|rest| rest.split_once(":lambda:path/2015-03-31/functions/"))
        .and_then(|(region, rest)| Some((region, rest.strip_suffix("/invocations")?)));
    match parsed {
        Some((region, function)) => (Some(region), function),
        None => (None, uri),
    }
}

fn mock_plugin(mock: &Mock) -> Doc {
    let mut config = BTreeMap::new();
    config.insert("status_code".to_owned(), Doc::Int(mock.status.into()));
    if let Some((content_type, body)) = mock.bodies.iter().next() {
        config.insert("content_type".to_owned(), Doc::str(content_type.clone()));
        config.insert("body".to_owned(), value(body));
    }
    plugin("request-termination", Doc::Map(config))
}

fn cors_plugin(cors: &Cors, methods: &BTreeSet<Method>) -> Doc {
    let methods: BTreeSet<Method> = match &cors.allow_methods {
        Some(allowed) => allowed
            .iter()
            .flat_map(|m| match m {
                Method::Any => Method::CONCRETE.to_vec(),
                m => vec![*m],
            })
            .chain([Method::Options])
            .collect(),
        None => methods.clone(),
    };
    let origins: Vec<Doc> = cors
        .allow_origins
        .iter()
        .map(|origin| {
            // Kong reads an origin with other characters as a regex: escape it so it is
            // still the literal origin.
            let text = origin.marked();
            let plain = text == "*"
                || text.chars().all(|c| {
                    c.is_ascii_alphanumeric()
                        || ".:/-".contains(c)
                        || c == MARK_OPEN
                        || c == MARK_CLOSE
                });
            if plain {
                Doc::Marked(text)
            } else {
                Doc::Marked(regex_escape_outside_marks(&text))
            }
        })
        .collect();
    let mut config = BTreeMap::new();
    config.insert("origins".to_owned(), Doc::List(origins));
    config.insert("methods".to_owned(), methods_doc(&methods));
    config.insert(
        "headers".to_owned(),
        Doc::strs(cors.allow_headers.iter().cloned()),
    );
    if !cors.expose_headers.is_empty() {
        config.insert(
            "exposed_headers".to_owned(),
            Doc::strs(cors.expose_headers.iter().cloned()),
        );
    }
    config.insert("credentials".to_owned(), Doc::Bool(cors.allow_credentials));
    if let Some(max_age) = cors.max_age_seconds {
        config.insert(
            "max_age".to_owned(),
            Doc::Int(i64::try_from(max_age).unwrap_or(i64::MAX)),
        );
    }
    plugin("cors", Doc::Map(config))
}

fn regex_escape_outside_marks(text: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in text.chars() {
        match c {
            MARK_OPEN => inside = true,
            MARK_CLOSE => inside = false,
            c if !inside && "\\^$.|?*+()[]{}".contains(c) => out.push('\\'),
            _ => {}
        }
        out.push(c);
    }
    out
}

fn auth_plugins(security: Option<&Security>, plugins: &mut Vec<Doc>) {
    let Some(security) = security else { return };
    let mut key_auth = false;
    let mut jwt_headers = BTreeSet::new();
    for grant in security.grants() {
        match &grant.authorizer {
            Authorizer::ApiKey => key_auth = true,
            Authorizer::Cognito(cognito) => {
                jwt_headers.insert(cognito.header.to_ascii_lowercase());
            }
            _ => {}
        }
    }
    if key_auth {
        plugins.push(plugin(
            "key-auth",
            Doc::map([
                ("key_names", Doc::strs(["x-api-key"])),
                ("key_in_query", Doc::Bool(false)),
                ("hide_credentials", Doc::Bool(true)),
            ]),
        ));
    }
    if !jwt_headers.is_empty() {
        plugins.push(plugin(
            "jwt",
            Doc::map([
                ("header_names", Doc::strs(jwt_headers)),
                ("uri_param_names", Doc::List(Vec::new())),
                ("key_claim_name", Doc::str("iss")),
                ("claims_to_verify", Doc::strs(["exp"])),
            ]),
        ));
    }
}

/// Stable entity names and ids, and the API's tag: what lets the file be synced into a
/// shared Kong and exported again without changing what did not change.
struct Entities {
    /// The API's slug, the first part of every name.
    base: String,
    namespace: Uuid,
    tag: String,
}

impl Entities {
    /// UUIDv5 of `kind:name` in the namespace.
    fn id(&self, kind: &str, name: &str) -> Doc {
        let id = Uuid::new_v5(&self.namespace, format!("{kind}:{name}").as_bytes());
        Doc::Str(id.hyphenated().to_string())
    }

    /// An entity of `kind` named `name`: its id, name and tag added.
    fn entity(&self, kind: &str, name: &str, mut entries: BTreeMap<String, Doc>) -> Doc {
        entries.insert("id".to_owned(), self.id(kind, name));
        entries.insert(
            if kind == "consumer" {
                "username"
            } else {
                "name"
            }
            .to_owned(),
            Doc::str(name),
        );
        entries.insert("tags".to_owned(), Doc::strs([self.tag.clone()]));
        Doc::Map(entries)
    }

    /// A route named `name`: its plugins get ids (`plugin:<route>:<plugin>`) and the tag.
    fn route(&self, name: &str, mut entries: BTreeMap<String, Doc>) -> Doc {
        if let Some(Doc::List(plugins)) = entries.get_mut("plugins") {
            for plugin in plugins {
                if let Doc::Map(fields) = plugin {
                    let plugin_name = match fields.get("name") {
                        Some(Doc::Str(plugin_name)) => plugin_name.clone(),
                        _ => String::new(),
                    };
                    fields.insert(
                        "id".to_owned(),
                        self.id("plugin", &format!("{name}:{plugin_name}")),
                    );
                    fields.insert("tags".to_owned(), Doc::strs([self.tag.clone()]));
                }
            }
        }
        self.entity("route", name, entries)
    }
}

/// The part of an entity name that spells a path, one `_`-led part per segment:
/// literals as they are, a parameter `~p<name>`, a greedy tail `~g<name>`; any character
/// but letters, digits, `.` and `-` is `~` and two upper-case hex digits per byte. Kong
/// names take letters, digits and `.-_~`, and the spelling is one to one, so two paths
/// never share a name and a name never depends on the other routes.
fn name_path(route: &RouteMeta) -> String {
    fn escaped(text: &str, out: &mut String) {
        for byte in text.bytes() {
            if byte.is_ascii_alphanumeric() || byte == b'.' || byte == b'-' {
                out.push(char::from(byte));
            } else {
                let _ = write!(out, "~{byte:02X}");
            }
        }
    }
    let mut out = String::new();
    for segment in route.path.segments() {
        out.push('_');
        match segment {
            PathSegment::Literal(text) => escaped(text, &mut out),
            PathSegment::Param(name) => {
                out.push_str("~p");
                escaped(name, &mut out);
            }
            PathSegment::Greedy(name) => {
                out.push_str("~g");
                escaped(name, &mut out);
            }
        }
    }
    out
}

/// The fields of a Kong route that carry what the route does: its plugins (CORS, auth,
/// integration) and, for an HTTP backend, its service.
fn route_behaviour(
    route: &RouteMeta,
    cors: Option<(&Cors, &BTreeSet<Method>)>,
    services: &mut Services<'_>,
    upstream: Option<&TemplateValue>,
) -> BTreeMap<String, Doc> {
    let mut entries = BTreeMap::new();
    let mut plugins = Vec::new();
    if let Some((cors, methods)) = cors {
        plugins.push(cors_plugin(cors, methods));
    }
    auth_plugins(route.security.as_ref(), &mut plugins);
    match (&route.integration, upstream) {
        (Some(Integration::LambdaProxy(lambda)), Some(url)) => {
            let timeout = lambda
                .options
                .timeout_millis
                .unwrap_or(DEFAULT_TIMEOUT_MILLIS);
            let service = services.of_origin(url.as_str(), timeout, false);
            entries.insert(
                "service".to_owned(),
                Doc::map([("name", Doc::Str(service))]),
            );
        }
        (Some(Integration::LambdaProxy(lambda)), None) => {
            plugins.push(lambda_plugin(&lambda.uri, &lambda.options, true, false));
        }
        (Some(Integration::Lambda(lambda)), _) => {
            plugins.push(lambda_plugin(
                &lambda.uri,
                &lambda.options,
                false,
                lambda.asynchronous,
            ));
        }
        (Some(Integration::Mock(mock)), _) => plugins.push(mock_plugin(mock)),
        (Some(Integration::Http(http)), _) => {
            let service = services.of(http);
            entries.insert(
                "service".to_owned(),
                Doc::map([("name", Doc::Str(service))]),
            );
            if let Some(transformer) = http_transformer(http, route.method) {
                plugins.push(transformer);
            }
        }
        _ => {}
    }
    if !plugins.is_empty() {
        entries.insert("plugins".to_owned(), Doc::List(plugins));
    }
    entries
}

/// The route answering 405, with the path's CORS policy so a browser can read it.
fn method_not_allowed(cors: Option<(&Cors, &BTreeSet<Method>)>) -> BTreeMap<String, Doc> {
    let mut plugins = Vec::new();
    if let Some((cors, methods)) = cors {
        plugins.push(cors_plugin(cors, methods));
    }
    plugins.push(plugin(
        "request-termination",
        Doc::map([
            ("status_code", Doc::Int(405)),
            ("message", Doc::str("Method Not Allowed")),
        ]),
    ));
    BTreeMap::from([("plugins".to_owned(), Doc::List(plugins))])
}

/// Renders the decK file of a spec whose checks (neutral and Kong) passed.
pub(crate) fn render(checked: &Checked<'_>, options: &KongOptions) -> KongConfig {
    let spec = checked.spec();
    let mut by_path: BTreeMap<&str, Vec<&RouteMeta>> = BTreeMap::new();
    for route in &spec.routes {
        by_path.entry(route.path.as_str()).or_default().push(route);
    }
    for group in by_path.values_mut() {
        group.sort_by_key(|route| route.method);
    }
    let entities = Entities {
        base: slug(&spec.info.title),
        namespace: options.uuid_namespace,
        tag: select_tag(&spec.info.title),
    };
    let mut services = Services {
        entities: &entities,
        names: BTreeMap::new(),
        docs: Vec::new(),
    };
    let mut kong_routes: Vec<Doc> = Vec::new();
    let mut variables: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();

    for group in by_path.values() {
        let first = group[0];
        let declared_here: BTreeSet<Method> = group.iter().map(|route| route.method).collect();
        let cors = checked.resolved().path(&first.path).and_then(|p| p.cors());
        let path_cors_methods = cors_methods(&declared_here);
        let path_cors = cors.map(|cors| (cors, &path_cors_methods));
        let any_route = group.iter().find(|route| route.method == Method::Any);
        let named = |method: &str| format!("{}_{method}{}", entities.base, name_path(first));
        let matching = |mut entries: BTreeMap<String, Doc>, methods: Option<&BTreeSet<Method>>| {
            if let Some(methods) = methods {
                entries.insert("methods".to_owned(), methods_doc(methods));
            }
            entries.insert("paths".to_owned(), Doc::strs([regex_path(first)]));
            entries.insert("strip_path".to_owned(), Doc::Bool(false));
            entries.insert("regex_priority".to_owned(), Doc::Int(priority(first)));
            entries
        };

        for route in group {
            let mut methods = route_methods(route, &declared_here);
            // One route per path answers preflights: the ANY route, else the first one.
            let preflight_here = cors.is_some()
                && !declared_here.contains(&Method::Options)
                && match any_route {
                    Some(any) => std::ptr::eq(*any, *route),
                    None => std::ptr::eq(first, *route),
                };
            if preflight_here {
                methods.insert(Method::Options);
            }
            let own_methods = cors_methods(&declared_here);
            let route_cors = route
                .cors
                .as_ref()
                .or(if preflight_here { cors } else { None })
                .map(|cors| (cors, &own_methods));
            let entries = route_behaviour(
                route,
                route_cors,
                &mut services,
                options.upstream_url.as_ref(),
            );
            let name = named(&route.method.as_str().to_ascii_lowercase());
            kong_routes.push(entities.route(&name, matching(entries, Some(&methods))));
            let mut values = Vec::new();
            route_values(route, &mut values);
            if let (Some(url), Some(Integration::LambdaProxy(_))) =
                (&options.upstream_url, &route.integration)
            {
                values.push(url);
            }
            for value in values {
                if let Ok(found) = value.placeholders() {
                    for placeholder in found {
                        variables
                            .entry(KongConfig::variable(placeholder))
                            .or_default()
                            .insert(route.label());
                    }
                }
            }
        }

        // The common methods nobody declared on this path: 405, as axum answers.
        if any_route.is_none() {
            let mut taken: BTreeSet<Method> = BTreeSet::new();
            for route in group {
                taken.extend(route_methods(route, &declared_here));
            }
            if cors.is_some() {
                taken.insert(Method::Options);
            }
            let rest: BTreeSet<Method> = Method::CONCRETE
                .iter()
                .copied()
                .filter(|m| !taken.contains(m))
                .collect();
            if !rest.is_empty() {
                let entries = matching(method_not_allowed(path_cors), Some(&rest));
                kong_routes.push(entities.route(&named("405"), entries));
            }
        }

        // Every other method (PROPFIND, extension methods): a route without methods,
        // ranked below every route with methods, answering what axum answers.
        let entries = match any_route {
            Some(any) => {
                let any_cors = any.cors.as_ref().or(cors).map(|c| (c, &path_cors_methods));
                route_behaviour(any, any_cors, &mut services, options.upstream_url.as_ref())
            }
            None => method_not_allowed(path_cors),
        };
        kong_routes.push(entities.route(&named("other"), matching(entries, None)));
    }

    let mut document = BTreeMap::new();
    document.insert("_format_version".to_owned(), Doc::str("3.0"));
    document.insert(
        "_info".to_owned(),
        Doc::map([("select_tags", Doc::strs([entities.tag.clone()]))]),
    );
    document.insert("routes".to_owned(), Doc::List(kong_routes));
    let service_docs = std::mem::take(&mut services.docs);
    if !service_docs.is_empty() {
        document.insert("services".to_owned(), Doc::List(service_docs));
    }
    if options.credential_placeholders {
        let consumers = consumers(spec, &entities, &mut variables);
        if !consumers.is_empty() {
            document.insert("consumers".to_owned(), Doc::List(consumers));
        }
    }
    let document = Doc::Map(document);
    let mut text = String::new();
    match options.format {
        KongFormat::Yaml => write_yaml_top(&document, &mut text),
        KongFormat::Json => {
            write_json(&document, 0, &mut text);
            text.push('\n');
        }
    }
    KongConfig {
        text,
        variables: variables
            .into_iter()
            .map(|(k, v)| (k, v.into_iter().collect()))
            .collect(),
    }
}

/// Consumers holding placeholder credentials, one per auth kind the routes use:
/// `<api>_api-key` with a `key-auth` key, and `<api>_<authorizer>` per Cognito
/// authorizer with a `jwt` secret (RS256: the issuer is the key, the public key PEM).
fn consumers(
    spec: &ApiSpec,
    entities: &Entities,
    variables: &mut BTreeMap<String, BTreeSet<String>>,
) -> Vec<Doc> {
    let mut api_key_routes: BTreeSet<String> = BTreeSet::new();
    let mut cognito: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for route in &spec.routes {
        let Some(security) = &route.security else {
            continue;
        };
        for grant in security.grants() {
            match &grant.authorizer {
                Authorizer::ApiKey => {
                    api_key_routes.insert(route.label());
                }
                Authorizer::Cognito(authorizer) => {
                    cognito
                        .entry(authorizer.name.as_str())
                        .or_default()
                        .insert(route.label());
                }
                _ => {}
            }
        }
    }
    let variable_base = entities.base.to_ascii_uppercase().replace(['-', '.'], "_");
    let mut need = |suffix: &str, routes: &BTreeSet<String>| -> String {
        let placeholder = format!("{variable_base}_{suffix}").to_ascii_lowercase();
        variables
            .entry(KongConfig::variable(&placeholder))
            .or_default()
            .extend(routes.iter().cloned());
        format!("{MARK_OPEN}{placeholder}{MARK_CLOSE}")
    };
    let mut out = Vec::new();
    if !api_key_routes.is_empty() {
        let name = format!("{}_api-key", entities.base);
        let key = need("api_key", &api_key_routes);
        let credential = Doc::Map(BTreeMap::from([
            ("id".to_owned(), entities.id("keyauth_credential", &name)),
            ("key".to_owned(), Doc::Marked(key)),
            ("tags".to_owned(), Doc::strs([entities.tag.clone()])),
        ]));
        out.push(entities.entity(
            "consumer",
            &name,
            BTreeMap::from([(
                "keyauth_credentials".to_owned(),
                Doc::List(vec![credential]),
            )]),
        ));
    }
    for (authorizer, routes) in cognito {
        let mut authorizer_part = String::new();
        for c in authorizer.chars() {
            authorizer_part.push(if c.is_ascii_alphanumeric() { c } else { '_' });
        }
        let name = format!("{}_{authorizer_part}", entities.base);
        let upper = authorizer_part.to_ascii_uppercase();
        let issuer = need(&format!("{upper}_ISSUER"), &routes);
        let public_key = need(&format!("{upper}_PUBLIC_KEY"), &routes);
        let credential = Doc::Map(BTreeMap::from([
            ("id".to_owned(), entities.id("jwt_secret", &name)),
            ("algorithm".to_owned(), Doc::str("RS256")),
            ("key".to_owned(), Doc::Marked(issuer)),
            ("rsa_public_key".to_owned(), Doc::Escaped(public_key)),
            // decK's schema requires a secret; RS256 checks the public key only.
            ("secret".to_owned(), Doc::str("unused-with-rs256")),
            ("tags".to_owned(), Doc::strs([entities.tag.clone()])),
        ]));
        out.push(entities.entity(
            "consumer",
            &name,
            BTreeMap::from([("jwt_secrets".to_owned(), Doc::List(vec![credential]))]),
        ));
    }
    out
}

/// The HTTP backends: one service per origin, timeout and TLS check, named after them.
struct Services<'a> {
    entities: &'a Entities,
    names: BTreeMap<(String, u32, bool), String>,
    docs: Vec<Doc>,
}

impl Services<'_> {
    fn of(&mut self, http: &Http) -> String {
        let (origin, _) = origin_and_path(http.url.as_str()).unwrap_or((http.url.as_str(), ""));
        let timeout = http
            .options
            .timeout_millis
            .unwrap_or(DEFAULT_TIMEOUT_MILLIS);
        self.of_origin(origin, timeout, http.insecure_skip_verification)
    }

    /// The service of `origin` (a URL, also with a path), written once.
    fn of_origin(&mut self, origin: &str, timeout: u32, insecure: bool) -> String {
        let key = (origin.to_owned(), timeout, insecure);
        if let Some(name) = self.names.get(&key) {
            return name.clone();
        }
        let mut name = format!("{}_service_", self.entities.base);
        for byte in origin.bytes() {
            if byte.is_ascii_alphanumeric() || byte == b'.' || byte == b'-' {
                name.push(char::from(byte));
            } else {
                let _ = write!(name, "~{byte:02X}");
            }
        }
        let _ = write!(name, "_{timeout}");
        if insecure {
            name.push_str("_insecure");
        }
        self.names.insert(key, name.clone());
        let mut entries = BTreeMap::new();
        entries.insert(
            "url".to_owned(),
            Doc::Marked(TemplateValue::from(origin).marked()),
        );
        for field in ["connect_timeout", "read_timeout", "write_timeout"] {
            entries.insert(field.to_owned(), Doc::Int(timeout.into()));
        }
        entries.insert("retries".to_owned(), Doc::Int(0));
        if insecure {
            entries.insert("tls_verify".to_owned(), Doc::Bool(false));
        }
        self.docs
            .push(self.entities.entity("service", &name, entries));
        name
    }
}

/// The methods a CORS policy allows by default on a path: those declared, and OPTIONS.
fn cors_methods(declared: &BTreeSet<Method>) -> BTreeSet<Method> {
    declared
        .iter()
        .flat_map(|m| match m {
            Method::Any => Method::CONCRETE.to_vec(),
            Method::Get => vec![Method::Get, Method::Head],
            m => vec![*m],
        })
        .chain([Method::Options])
        .collect()
}

/// The API's slug (`Widget Service (v2)` is `widget-service-v2`): the first part of
/// every entity name, so two APIs in one Kong never share a name.
fn slug(title: &str) -> String {
    let mut slug = String::new();
    let mut dash = false;
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            slug.push(c.to_ascii_lowercase());
            dash = false;
        } else {
            dash = true;
        }
    }
    if slug.is_empty() {
        slug.push_str("api");
    }
    slug
}

/// The tag decK's `select_tags` puts on everything in the file (and the file puts on
/// every entity itself), so `deck gateway sync` leaves what it does not hold
/// (consumers, other APIs) alone.
fn select_tag(title: &str) -> String {
    format!("aws-spec-{}", slug(title))
}

/// `request-transformer` giving the backend the URL's path (and method, when fixed).
fn http_transformer(http: &Http, route_method: Method) -> Option<Doc> {
    let (_, path) = origin_and_path(http.url.as_str())?;
    let mut config = BTreeMap::new();
    if !path.is_empty() {
        let mut uri = String::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            // `${name}` is a placeholder, not a path parameter.
            if rest[..open].ends_with('$') {
                uri.push_str(&rest[..open + close + 1]);
            } else {
                uri.push_str(&rest[..open]);
                let name = rest[open + 1..open + close].trim_end_matches('+');
                let _ = write!(uri, "$(uri_captures.{name})");
            }
            rest = &rest[open + close + 1..];
        }
        uri.push_str(rest);
        config.insert(
            "replace".to_owned(),
            Doc::map([("uri", Doc::Marked(TemplateValue::from(uri).marked()))]),
        );
    }
    if http.method != Method::Any && http.method != route_method {
        config.insert("http_method".to_owned(), Doc::str(http.method.as_str()));
    }
    (!config.is_empty()).then(|| plugin("request-transformer", Doc::Map(config)))
}

// ---------------------------------------------------------------------------------------
// Writers

/// Replaces placeholder marks with decK substitutions: `"NAME"` quoting for YAML's
/// single-quoted scalars, a Go raw string (backticks) inside JSON or double-quoted YAML.
fn substitute(text: &str, raw: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find(MARK_OPEN) {
        out.push_str(&rest[..open]);
        let after = &rest[open + MARK_OPEN.len_utf8()..];
        let close = after.find(MARK_CLOSE).unwrap_or(after.len());
        let variable = KongConfig::variable(&after[..close]);
        if raw {
            let _ = write!(out, "${{{{ env `{variable}` }}}}");
        } else {
            let _ = write!(out, "${{{{ env \"{variable}\" }}}}");
        }
        rest = after.get(close + MARK_CLOSE.len_utf8()..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

fn json_marked(text: &str) -> String {
    substitute(&json_string(text), true)
}

fn write_json(doc: &Doc, indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent + 1);
    let end = "  ".repeat(indent);
    match doc {
        Doc::Str(text) => out.push_str(&json_string(text)),
        Doc::Marked(text) | Doc::Escaped(text) => out.push_str(&json_marked(text)),
        Doc::Int(n) => {
            let _ = write!(out, "{n}");
        }
        Doc::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        Doc::List(items) if items.is_empty() => out.push_str("[]"),
        Doc::List(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad);
                write_json(item, indent + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&end);
            out.push(']');
        }
        Doc::Map(entries) if entries.is_empty() => out.push_str("{}"),
        Doc::Map(entries) => {
            out.push_str("{\n");
            for (i, (key, item)) in entries.iter().enumerate() {
                out.push_str(&pad);
                out.push_str(&json_string(key));
                out.push_str(": ");
                write_json(item, indent + 1, out);
                out.push_str(if i + 1 < entries.len() { ",\n" } else { "\n" });
            }
            out.push_str(&end);
            out.push('}');
        }
    }
}

/// A YAML scalar: single-quoted, or double-quoted with escapes when it holds control
/// characters (newlines), where the placeholders use the raw-string form.
fn yaml_scalar(doc: &Doc) -> Option<String> {
    match doc {
        Doc::Str(text) => Some(if text.chars().any(char::is_control) {
            json_string(text)
        } else {
            format!("'{}'", text.replace('\'', "''"))
        }),
        Doc::Marked(text) => Some(if text.chars().any(char::is_control) {
            json_marked(text)
        } else {
            format!("'{}'", substitute(&text.replace('\'', "''"), false))
        }),
        Doc::Escaped(text) => Some(json_marked(text)),
        Doc::Int(n) => Some(n.to_string()),
        Doc::Bool(b) => Some(b.to_string()),
        Doc::List(items) if items.is_empty() => Some("[]".to_owned()),
        Doc::Map(entries) if entries.is_empty() => Some("{}".to_owned()),
        _ => None,
    }
}

fn write_yaml_top(doc: &Doc, out: &mut String) {
    if let Doc::Map(entries) = doc {
        write_yaml_map(entries, 0, out, false);
    }
}

/// Writes map entries at `indent` columns; the first line's indent is already written
/// when `continued`.
fn write_yaml_map(
    entries: &BTreeMap<String, Doc>,
    indent: usize,
    out: &mut String,
    continued: bool,
) {
    for (i, (key, item)) in entries.iter().enumerate() {
        if i > 0 || !continued {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(key);
        out.push(':');
        write_yaml_value(item, indent, out);
    }
}

fn write_yaml_value(item: &Doc, indent: usize, out: &mut String) {
    if let Some(scalar) = yaml_scalar(item) {
        out.push(' ');
        out.push_str(&scalar);
        out.push('\n');
        return;
    }
    out.push('\n');
    match item {
        Doc::List(items) => {
            for item in items {
                out.push_str(&" ".repeat(indent + 2));
                out.push_str("- ");
                match (item, yaml_scalar(item)) {
                    (_, Some(scalar)) => {
                        out.push_str(&scalar);
                        out.push('\n');
                    }
                    (Doc::Map(entries), None) => write_yaml_map(entries, indent + 4, out, true),
                    (Doc::List(_), None) => {
                        // Lists of lists do not occur in a decK file.
                        out.push_str("[]\n");
                    }
                    _ => {}
                }
            }
        }
        Doc::Map(entries) => write_yaml_map(entries, indent + 2, out, false),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_deck_substitutions() {
        let text = format!("arn:{MARK_OPEN}fn_arn{MARK_CLOSE}:x");
        assert_eq!(
            substitute(&text, false),
            r#"arn:${{ env "DECK_FN_ARN" }}:x"#
        );
        assert_eq!(substitute(&text, true), "arn:${{ env `DECK_FN_ARN` }}:x");
    }

    #[test]
    fn invocation_uris_give_region_and_function() {
        assert_eq!(
            lambda_function(
                "arn:aws:apigateway:${r}:lambda:path/2015-03-31/functions/${f}/invocations"
            ),
            (Some("${r}"), "${f}")
        );
        assert_eq!(lambda_function("${invoke_arn}"), (None, "${invoke_arn}"));
    }

    #[test]
    fn urls_split_into_origin_and_path() {
        assert_eq!(
            origin_and_path("http://h:80/a/{id}"),
            Some(("http://h:80", "/a/{id}"))
        );
        assert_eq!(origin_and_path("https://h"), Some(("https://h", "")));
        assert_eq!(origin_and_path("${url}"), Some(("${url}", "")));
        assert_eq!(origin_and_path("ftp://h/x"), None);
    }

    #[test]
    fn select_tag_is_a_slug() {
        assert_eq!(slug("  "), "api");
        assert_eq!(
            select_tag("Widget Service (v2)"),
            "aws-spec-widget-service-v2"
        );
    }
}
