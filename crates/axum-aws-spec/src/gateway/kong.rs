//! The Kong Gateway (OSS) target: a decK declarative file (`_format_version: "3.0"`).
//! This is the only module that writes Kong configuration.
//!
//! What each part of the model becomes:
//! - every route is one top-level Kong route named after its method and path, with
//!   `methods` always set, a regex path anchored with `$` (`{id}` is `(?<id>[^/]+)`,
//!   `{*rest}` is `(?<rest>.+)`), `strip_path: false`, and a `regex_priority` that orders
//!   overlapping paths the way axum does (at the first segment where two paths differ,
//!   a literal beats a parameter, which beats a greedy tail);
//! - the methods a path does not declare get one more route answering 405 (with
//!   `request-termination`), so a method axum refuses never falls through to a
//!   lower-priority route; a `GET` route also takes `HEAD` (axum answers both) unless the
//!   path declares `HEAD`;
//! - Lambda: the `aws-lambda` plugin (function and region from the invocation URI,
//!   `awsgateway_compatible` and `is_proxy_integration` for proxy routes, so the function
//!   gets an API Gateway v1 event the served router reads; `invocation_type: Event` for
//!   asynchronous ones);
//! - HTTP (also through a VPC link: Kong must reach that network itself): a service per
//!   backend origin with the timeouts, and `request-transformer`'s `replace.uri` with the
//!   URL's path (`{id}` is `$(uri_captures.id)`);
//! - mocks: `request-termination`;
//! - API keys: `key-auth` on `x-api-key` (consumers and their keys belong to the
//!   deployer); Cognito without scopes: `jwt` (the consumers hold the pool's keys);
//! - CORS: the `cors` plugin, with `OPTIONS` among the path's methods;
//! - placeholders: decK environment substitutions, `${name}` is `DECK_NAME`.
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

/// How long API Gateway waits for an integration by default; Kong's default is 60 s.
const DEFAULT_TIMEOUT_MILLIS: u32 = 29_000;

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
                "gateway responses ({}) have no per-api equivalent in kong oss (kong.conf's error_template_* files are global); remove them for the kong target, or use the rest target",
                quoted(&kinds)
            ),
        ));
    }
    if spec.settings.policy.is_some() {
        errors.push(unsupported(
            None,
            "a resource policy has no equivalent in kong oss; remove it for the kong target (restrict access with the ip-restriction or acl plugins yourself), or use the rest target".to_owned(),
        ));
    }
    let mut variables: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for route in &spec.routes {
        let label = route.label();
        let mut add = |message: String| errors.push(unsupported(Some(label.clone()), message));
        if route.default_route {
            add("the $default route (AwsRouter::default_route) exists only in http apis; declare ANY /{*path} for the kong target, or use the http-api target".to_owned());
        }
        if route.path.gateway().is_some() {
            for (name, _) in route.path.params() {
                if name.len() > MAX_CAPTURE_NAME
                    || !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                {
                    add(format!(
                        "path parameter {name:?} cannot be a kong regex capture name (pcre takes letters, digits and '_', not starting with a digit, at most {MAX_CAPTURE_NAME} characters); rename it"
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
                "request validator {validator:?}: kong oss cannot validate requests against models (request-validator is enterprise only); validate in the handler, or use the rest target"
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
                                "value {:?} holds \"${{{{\", which decK reads as a template; kong cannot get it from this file, so remove it",
                                value.as_str()
                            ));
                        } else if let Some(start) = text.find("${") {
                            let end = text[start..]
                                .find('}')
                                .map_or(text.len(), |e| start + e + 1);
                            add(format!(
                                "value {:?}: {:?} is an api gateway expression, which kong does not expand; use a placeholder (\"${{name}}\", a DECK_ variable) or a literal value",
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

const AWS_SERVICE: &str = "kong oss cannot call aws services directly; put a lambda function in front, or use the rest target";

fn integration_problems(integration: &Integration) -> Vec<String> {
    let mut problems = Vec::new();
    let options = match integration {
        Integration::LambdaProxy(lambda) => {
            if lambda.payload_format == Some(crate::integration::PayloadFormat::V2) {
                problems.push("lambda payload format 2.0: kong's aws-lambda plugin sends the 1.0 (rest api) event; drop `.payload_format(PayloadFormat::V2)`, or use the http-api target".to_owned());
            }
            &lambda.options
        }
        Integration::Lambda(lambda) => &lambda.options,
        Integration::Http(http) => &http.options,
        Integration::Mock(mock) => {
            if !mock.headers.is_empty() {
                let names: Vec<&str> = mock.headers.keys().map(String::as_str).collect();
                problems.push(format!(
                    "mock response headers ({}): kong's request-termination cannot set headers; drop them, or answer from a lambda function",
                    quoted(&names)
                ));
            }
            if mock.bodies.len() > 1 {
                let types: Vec<&str> = mock.bodies.keys().map(String::as_str).collect();
                problems.push(format!(
                    "mock bodies for several content types ({}): kong's request-termination has one body; keep one",
                    quoted(&types)
                ));
            }
            for body in mock.bodies.values() {
                if is_template(body.as_str()) {
                    problems.push(format!(
                        "mock body {:?} is a mapping template; kong's request-termination sends a static body, so write the body out",
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
            "request mapping templates: kong oss has no mapping templates; {}",
            if lambda_custom {
                "use a lambda proxy integration and read the request in the function, or use the rest target"
            } else {
                "drop them (request-transformer covers headers and query strings), or use the rest target"
            }
        ));
    }
    if !options.responses.is_empty() && !matches!(integration, Integration::Mock(_)) {
        problems.push("integration responses: kong oss cannot map a backend's answer to other responses; answer with the final status from the backend, or use the rest target".to_owned());
    }
    if !options.request_parameters.is_empty() {
        let names: Vec<&str> = options
            .request_parameters
            .keys()
            .map(String::as_str)
            .collect();
        problems.push(format!(
            "integration request parameters ({}): kong cannot map them from this file; drop them, or use the rest target",
            quoted(&names)
        ));
    }
    if options.cache_namespace.is_some() || !options.cache_key_parameters.is_empty() {
        problems.push("stage-cache settings: kong oss has no stage cache (proxy-cache is a separate plugin you configure yourself); drop them for the kong target".to_owned());
    }
    if options.content_handling.is_some() {
        problems.push("content handling: kong does not convert bodies between text and binary; drop it for the kong target".to_owned());
    }
    if options.credentials.is_some()
        && matches!(integration, Integration::Http(_) | Integration::Mock(_))
    {
        problems.push("integration credentials: kong cannot sign http requests with an iam role; drop them, or use the rest target".to_owned());
    }
    if let Integration::Http(http) = integration
        && origin_and_path(http.url.as_str()).is_none()
    {
        problems.push(format!(
            "http url {:?} is not an absolute http(s) url (scheme://host/path); kong services need one",
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
        problems.push("security with a public alternative: kong plugins cannot make auth optional per request without an anonymous consumer; declare the route public or authenticated".to_owned());
    }
    if required.len() > 1 {
        problems.push("alternative security requirements (one or another): kong oss runs every auth plugin a route has; declare one requirement".to_owned());
    }
    for grant in security.grants() {
        match &grant.authorizer {
            Authorizer::Iam => problems.push("iam (sigv4) auth: kong oss cannot check sigv4 signatures; use an api key (key-auth) or a jwt (cognito), or use the rest target".to_owned()),
            Authorizer::Lambda(lambda) => problems.push(format!(
                "lambda authorizer {:?}: kong oss cannot run lambda authorizers (token or request); use an api key (key-auth) or a jwt (cognito without scopes), check in the handler, or use the rest target",
                lambda.name
            )),
            Authorizer::Cognito(cognito) if !grant.scopes.is_empty() => problems.push(format!(
                "cognito authorizer {:?} with scopes {}: kong oss's jwt plugin cannot check scopes, only enterprise's openid-connect can; drop the scopes and check them in the handler, or use the rest target",
                cognito.name,
                quoted(&grant.scopes.iter().map(String::as_str).collect::<Vec<_>>())
            )),
            Authorizer::Jwt(jwt) => problems.push(format!(
                "jwt authorizer {:?}: the kong target expresses cognito pools (CognitoAuthorizer) as its jwt plugin, not issuer and audience checks; use a CognitoAuthorizer, or the http-api target",
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

/// A route's rank among overlapping paths: at the first segment where two paths
/// differ, a literal (2) beats a parameter (1), which beats a greedy tail (0).
fn kinds(route: &RouteMeta) -> Vec<u8> {
    route
        .path
        .segments()
        .map(|segment| match segment {
            PathSegment::Literal(_) => 2,
            PathSegment::Param(_) => 1,
            _ => 0,
        })
        .collect()
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
                let _ = write!(out, "(?<{name}>.+)");
            }
        }
    }
    if !any {
        out.push('/');
    }
    out.push('$');
    out
}

/// A Kong entity name for a route: `get-pets-id`.
fn route_name(route_method: &str, route: &RouteMeta) -> String {
    let mut name = route_method.to_ascii_lowercase();
    for segment in route.path.segments() {
        name.push('-');
        let text = match segment {
            PathSegment::Literal(text) => text,
            PathSegment::Param(name) | PathSegment::Greedy(name) => name,
        };
        name.extend(text.chars().map(|c| {
            if c.is_ascii_alphanumeric() || "._~-".contains(c) {
                c
            } else {
                '_'
            }
        }));
    }
    name
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

/// Renders the decK file of a spec whose checks (neutral and Kong) passed.
pub(crate) fn render(checked: &Checked<'_>, format: KongFormat) -> KongConfig {
    let spec = checked.spec();
    let mut routes: Vec<&RouteMeta> = spec.routes.iter().collect();
    routes.sort_by(|a, b| (a.path.as_str(), a.method).cmp(&(b.path.as_str(), b.method)));

    let mut declared: BTreeMap<&str, BTreeSet<Method>> = BTreeMap::new();
    let mut cors_of: BTreeMap<&str, &Cors> = BTreeMap::new();
    for route in &routes {
        declared
            .entry(route.path.as_str())
            .or_default()
            .insert(route.method);
        if let Some(cors) = &route.cors {
            cors_of.entry(route.path.as_str()).or_insert(cors);
        }
    }
    // Priorities: dense ranks of the segment-kind sequences, highest first.
    let all_kinds: BTreeSet<Vec<u8>> = routes.iter().map(|r| kinds(r)).collect();
    let priority = |route: &RouteMeta| -> i64 {
        let rank = all_kinds.range(..kinds(route)).count();
        i64::try_from(rank).unwrap_or(i64::MAX)
    };

    let mut services: BTreeMap<(String, u32, bool), String> = BTreeMap::new();
    let mut service_docs: Vec<Doc> = Vec::new();
    let mut kong_routes: Vec<Doc> = Vec::new();
    let mut names: BTreeSet<String> = BTreeSet::new();
    let mut unique = |base: String| {
        let mut name = base.clone();
        let mut n = 2;
        while !names.insert(name.clone()) {
            name = format!("{base}-{n}");
            n += 1;
        }
        name
    };
    let mut variables: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();

    let mut previous_path: Option<&str> = None;
    for route in &routes {
        let path = route.path.as_str();
        let declared_here = &declared[path];
        let mut methods = route_methods(route, declared_here);
        let cors = cors_of.get(path).copied();
        let first_of_path = previous_path != Some(path);
        previous_path = Some(path);
        // One route per path answers preflights: the ANY route, else the first one.
        let preflight_here = cors.is_some()
            && !declared_here.contains(&Method::Options)
            && if declared_here.contains(&Method::Any) {
                route.method == Method::Any
            } else {
                first_of_path
            };
        if preflight_here {
            methods.insert(Method::Options);
        }
        let mut entries = BTreeMap::new();
        let name = unique(route_name(route.method.as_str(), route));
        entries.insert("name".to_owned(), Doc::Str(name));
        entries.insert("methods".to_owned(), methods_doc(&methods));
        entries.insert("paths".to_owned(), Doc::strs([regex_path(route)]));
        entries.insert("strip_path".to_owned(), Doc::Bool(false));
        entries.insert("regex_priority".to_owned(), Doc::Int(priority(route)));

        let mut plugins = Vec::new();
        if let Some(cors) = route
            .cors
            .as_ref()
            .or(if preflight_here { cors } else { None })
        {
            plugins.push(cors_plugin(cors, &cors_methods(declared_here)));
        }
        auth_plugins(route.security.as_ref(), &mut plugins);
        match &route.integration {
            Some(Integration::LambdaProxy(lambda)) => {
                plugins.push(lambda_plugin(&lambda.uri, &lambda.options, true, false));
            }
            Some(Integration::Lambda(lambda)) => {
                plugins.push(lambda_plugin(
                    &lambda.uri,
                    &lambda.options,
                    false,
                    lambda.asynchronous,
                ));
            }
            Some(Integration::Mock(mock)) => plugins.push(mock_plugin(mock)),
            Some(Integration::Http(http)) => {
                let service = http_service(http, &mut services, &mut service_docs);
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
        let mut values = Vec::new();
        route_values(route, &mut values);
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
        kong_routes.push(Doc::Map(entries));

        // The methods nobody declared on this path: 405, as axum answers.
        let last_of_path = routes
            .iter()
            .rev()
            .find(|r| r.path.as_str() == path)
            .is_some_and(|last| std::ptr::eq(*last, *route));
        if last_of_path && !declared_here.contains(&Method::Any) {
            let mut taken: BTreeSet<Method> = BTreeSet::new();
            for other in routes.iter().filter(|r| r.path.as_str() == path) {
                taken.extend(route_methods(other, declared_here));
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
                let name = unique(route_name("405", route));
                kong_routes.push(Doc::map([
                    ("name", Doc::Str(name)),
                    ("methods", methods_doc(&rest)),
                    ("paths", Doc::strs([regex_path(route)])),
                    ("strip_path", Doc::Bool(false)),
                    ("regex_priority", Doc::Int(priority(route))),
                    (
                        "plugins",
                        Doc::List(vec![plugin(
                            "request-termination",
                            Doc::map([
                                ("status_code", Doc::Int(405)),
                                ("message", Doc::str("Method Not Allowed")),
                            ]),
                        )]),
                    ),
                ]));
            }
        }
    }

    let mut document = BTreeMap::new();
    document.insert("_format_version".to_owned(), Doc::str("3.0"));
    document.insert(
        "_info".to_owned(),
        Doc::map([("select_tags", Doc::strs([select_tag(&spec.info.title)]))]),
    );
    document.insert("routes".to_owned(), Doc::List(kong_routes));
    if !service_docs.is_empty() {
        document.insert("services".to_owned(), Doc::List(service_docs));
    }
    let document = Doc::Map(document);
    let mut text = String::new();
    match format {
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

/// The tag decK's `select_tags` puts on everything in the file, so `deck gateway sync`
/// leaves what it does not hold (consumers, other APIs) alone.
fn select_tag(title: &str) -> String {
    let mut tag = String::from("aws-spec");
    let mut dash = true;
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            if dash {
                tag.push('-');
            }
            tag.push(c.to_ascii_lowercase());
            dash = false;
        } else {
            dash = true;
        }
    }
    tag
}

fn http_service(
    http: &Http,
    services: &mut BTreeMap<(String, u32, bool), String>,
    docs: &mut Vec<Doc>,
) -> String {
    let (origin, _) = origin_and_path(http.url.as_str()).unwrap_or((http.url.as_str(), ""));
    let timeout = http
        .options
        .timeout_millis
        .unwrap_or(DEFAULT_TIMEOUT_MILLIS);
    let key = (origin.to_owned(), timeout, http.insecure_skip_verification);
    if let Some(name) = services.get(&key) {
        return name.clone();
    }
    let name = format!("backend-{}", services.len() + 1);
    services.insert(key, name.clone());
    let mut entries = BTreeMap::new();
    entries.insert("name".to_owned(), Doc::str(name.clone()));
    entries.insert(
        "url".to_owned(),
        Doc::Marked(TemplateValue::from(origin).marked()),
    );
    for field in ["connect_timeout", "read_timeout", "write_timeout"] {
        entries.insert(field.to_owned(), Doc::Int(timeout.into()));
    }
    entries.insert("retries".to_owned(), Doc::Int(0));
    if http.insecure_skip_verification {
        entries.insert("tls_verify".to_owned(), Doc::Bool(false));
    }
    docs.push(Doc::Map(entries));
    name
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
        Doc::Marked(text) => out.push_str(&json_marked(text)),
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
        assert_eq!(
            select_tag("Widget Service (v2)"),
            "aws-spec-widget-service-v2"
        );
    }
}
