//! The spec model: every exported route, resolved, plus API settings.
//!
//! Plain serde data, no axum types: the contract between the library (and the
//! user's crate) and the `aws-spec` CLI, and the input of every renderer. Checks
//! here are the target-neutral ones; each renderer adds what its gateway needs.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::auth::{Authorizer, LambdaIdentity};
use crate::error::{ErrorKind, SpecError, SpecErrors};
use std::borrow::Cow;

use crate::integration::{Integration, generic_integrations};
use crate::path::FastMap;
use crate::resolved::Resolved;
use crate::route::RouteMeta;
use crate::value_kind::Knob;
use crate::{ApiSettings, Info, Method, TemplateValue, Throttle, path};

/// An API: info, settings and every exported route with router defaults applied.
///
/// ```
/// use axum_aws::{integration::LambdaProxy, routing::get, ApiSpec, AwsRouter, Info};
///
/// let router: AwsRouter = AwsRouter::new()
///     .route("/health", get(|| async { "ok" }))
///     .default_integration(LambdaProxy::new("${api_invoke_arn}"));
/// let spec = router.spec(Info::new("demo", "1.0.0"));
///
/// // The model round-trips through JSON: this is what `aws-spec` receives.
/// let json = serde_json::to_string(&spec).unwrap();
/// let back: ApiSpec = serde_json::from_str(&json).unwrap();
/// assert_eq!(back, spec);
/// assert_eq!(spec.placeholders().keys().collect::<Vec<_>>(), ["api_invoke_arn"]);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiSpec {
    /// Title, version, description.
    pub info: Info,
    /// API-level settings.
    #[serde(default)]
    pub settings: ApiSettings,
    /// Exported routes, in declaration order.
    pub routes: Vec<RouteMeta>,
}

impl ApiSpec {
    /// A spec from parts (normally made by axum-aws's `AwsRouter::spec`).
    pub fn new(info: Info, settings: ApiSettings, routes: Vec<RouteMeta>) -> Self {
        Self {
            info,
            settings,
            routes,
        }
    }

    /// Every Terraform placeholder the private spec uses, with the routes (`METHOD /path`)
    /// or `api settings` that use it — the variables `templatefile()` must be given.
    pub fn placeholders(&self) -> BTreeMap<String, BTreeSet<String>> {
        let mut used: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (owner, value) in self.template_values() {
            if let Ok(names) = value.placeholders() {
                for name in names {
                    used.entry(name.to_owned())
                        .or_default()
                        .insert(owner.clone());
                }
            }
        }
        used
    }

    /// Every resource path API Gateway creates for these routes (the root included):
    /// the count that the 300-resources quota applies to.
    pub fn resources(&self) -> BTreeSet<String> {
        path::resources(self.routes.iter().filter_map(|r| r.path.gateway()))
    }

    /// Every template value with the route (or `api settings`) it belongs to.
    pub(crate) fn template_values(&self) -> Vec<(String, TemplateValue)> {
        let mut values = Vec::new();
        let integrations = generic_integrations(&self.routes);
        self.visit_template_values(&integrations, &mut |route, value| {
            let owner = route.map_or_else(|| "api settings".to_owned(), RouteMeta::label);
            values.push((owner, value.clone()));
        });
        values
    }

    /// Calls `visit` with every template value of the routes, their integrations being
    /// `integrations` (typed service actions lowered: [`generic_integrations`]), and the
    /// route it belongs to (`None`: the API settings), in route order, the settings last.
    fn visit_template_values(
        &self,
        integrations: &[Option<Cow<'_, Integration>>],
        visit: &mut dyn FnMut(Option<&RouteMeta>, &TemplateValue),
    ) {
        for (route, integration) in self.routes.iter().zip(integrations) {
            let mut push = |value: &TemplateValue| visit(Some(route), value);
            if let Some(integration) = integration {
                integration_values(integration, &mut push);
            }
            if let Some(security) = &route.security {
                for grant in security.grants() {
                    authorizer_values(&grant.authorizer, &mut push);
                }
            }
            if let Some(cors) = &route.cors {
                cors.allow_origins.iter().for_each(&mut push);
            }
        }
        let settings = &self.settings;
        let mut push = |value: &TemplateValue| visit(None, value);
        if let Some(endpoint) = &settings.endpoint {
            endpoint.vpc_endpoint_ids.iter().for_each(&mut push);
        }
        for response in settings.gateway_responses.values() {
            response
                .headers
                .values()
                .chain(response.templates.values())
                .for_each(&mut push);
        }
        if let Some(policy) = &settings.policy {
            let mut strings = Vec::new();
            collect_strings(policy.document(), &mut strings);
            for string in strings {
                push(&TemplateValue::from(string));
            }
        }
    }

    /// Calls `visit` with every template value of the model as declared (typed service
    /// actions as themselves), the route it belongs to (`None`: the API settings) and the
    /// [`Knob`] it is: the one enumeration of the model's template-valued fields that
    /// value kinds are checked on.
    pub(crate) fn visit_knobs(
        &self,
        visit: &mut dyn FnMut(Option<&RouteMeta>, Knob, &TemplateValue),
    ) {
        for route in &self.routes {
            // Every field named: a new one does not compile until it is classified.
            let RouteMeta {
                method: _,
                path: _,
                integration,
                security,
                cors,
                tags: _,
                operation_id: _,
                summary: _,
                description: _,
                deprecated: _,
                request_validator: _,
                operation: _,
                schemas: _,
                default_route: _,
                throttle: _,
            } = route;
            let mut here = |knob: Knob, value: &TemplateValue| visit(Some(route), knob, value);
            if let Some(integration) = integration {
                integration.visit_knobs(&mut here);
            }
            for grant in security.iter().flat_map(|s| s.grants()) {
                grant.authorizer.visit_knobs(&mut here);
            }
            for origin in cors.iter().flat_map(|c| &c.allow_origins) {
                here(Knob::CorsOrigin, origin);
            }
        }
        let ApiSettings {
            server_url: _,
            binary_media_types: _,
            minimum_compression_size: _,
            api_key_source: _,
            endpoint,
            policy,
            request_validators: _,
            default_request_validator: _,
            gateway_responses,
            default_throttle: _,
        } = &self.settings;
        for id in endpoint.iter().flat_map(|e| &e.vpc_endpoint_ids) {
            visit(None, Knob::VpcEndpointId, id);
        }
        for response in gateway_responses.values() {
            for header in response.headers.values() {
                visit(None, Knob::GatewayResponseHeader, header);
            }
            for template in response.templates.values() {
                visit(None, Knob::GatewayResponseTemplate, template);
            }
        }
        if let Some(policy) = policy {
            let mut strings = Vec::new();
            collect_strings(policy.document(), &mut strings);
            for string in strings {
                visit(None, Knob::PolicyString, &TemplateValue::from(string));
            }
        }
    }

    /// Target-neutral checks: paths, placeholders, integrations, authorizers, CORS,
    /// schemas, settings. Every problem is reported, each naming its route.
    ///
    /// # Errors
    /// All problems found.
    pub fn check(&self) -> Result<(), SpecErrors> {
        SpecErrors::from_vec(self.problems())
    }

    pub(crate) fn problems(&self) -> Vec<SpecError> {
        self.neutral_checks(&generic_integrations(&self.routes), &self.resolve())
            .0
    }

    /// [`problems`](Self::problems), the routes' integrations being `integrations`
    /// (typed service actions lowered once: [`generic_integrations`]), and each route's
    /// resource path (`None` where the path is invalid), for the targets. `resolved` is
    /// this spec's view: what each route's integration lets the gateway send.
    pub(crate) fn neutral_checks(
        &self,
        integrations: &[Option<Cow<'_, Integration>>],
        resolved: &Resolved<'_>,
    ) -> (Vec<SpecError>, Vec<Option<&str>>) {
        let mut errors = Vec::new();
        let mut add = |route: Option<String>, kind: ErrorKind, message: String| {
            errors.push(SpecError::new(route, kind, message));
        };

        // Placeholders, reported once per route and value.
        let mut seen = BTreeSet::new();
        self.visit_template_values(integrations, &mut |route, value| {
            if let Err(bad) = value.check() {
                let owner = route.map_or_else(|| "api settings".to_owned(), RouteMeta::label);
                if seen.insert((owner.clone(), bad.text.clone())) {
                    let route = route.is_some().then_some(owner);
                    add(route, ErrorKind::Placeholder, bad.to_string());
                }
            }
        });

        // Each value has the shape of what it stands for (an ARN, a URL, a name), once
        // per route and value.
        let mut seen_values = BTreeSet::new();
        self.visit_knobs(&mut |route, knob, value| {
            if let Some(problem) = knob.problem(value) {
                let owner = route.map(RouteMeta::label);
                if seen_values.insert((owner.clone(), knob, value.as_str().to_owned())) {
                    add(owner, knob.error_kind(), problem);
                }
            }
        });

        let gateway_paths = self.routes.iter().map(|r| r.path.gateway()).collect();
        let mut authorizers: BTreeMap<&str, (&Authorizer, &RouteMeta)> = BTreeMap::new();
        let mut operation_ids: FastMap<&str, &RouteMeta> = FastMap::default();
        let mut cors_by_path: FastMap<&str, (&crate::Cors, &RouteMeta)> = FastMap::default();
        // Policies are mostly one value shared by many paths: check each distinct one once.
        let mut checked_cors: Vec<(&crate::Cors, Vec<String>)> = Vec::new();
        for ((route, integration), resolved) in
            self.routes.iter().zip(integrations).zip(resolved.routes())
        {
            let here = || Some(route.label());
            if let Some(err) = route.path.error() {
                add(here(), ErrorKind::Path, err.to_string());
            }
            if let Some(operation) = &route.operation {
                let sent = resolved.integration_statuses();
                for problem in doc_problems(operation, route, sent) {
                    add(here(), ErrorKind::Doc, problem);
                }
            }
            match integration {
                None => add(
                    here(),
                    ErrorKind::MissingIntegration,
                    "no integration; set one on the route or a router default with `default_integration`".to_owned(),
                ),
                Some(integration) => {
                    for problem in integration_problems(integration, route) {
                        add(here(), ErrorKind::Integration, problem);
                    }
                }
            }
            if let Some(security) = &route.security {
                for grant in security.grants() {
                    let authorizer = &grant.authorizer;
                    for problem in authorizer_problems(authorizer) {
                        add(here(), ErrorKind::Authorizer, problem);
                    }
                    let name = authorizer.name();
                    match authorizers.get(name) {
                        Some((first, first_route)) if *first != authorizer => add(
                            here(),
                            ErrorKind::Authorizer,
                            format!(
                                "authorizer {name:?} is declared differently by {}; give each definition its own name",
                                first_route.label()
                            ),
                        ),
                        Some(_) => {}
                        None => {
                            authorizers.insert(name, (authorizer, route));
                        }
                    }
                }
            }
            if let Some(cors) = &route.cors {
                match cors_by_path.get(route.path.as_str()) {
                    Some((first, first_route)) if *first != cors => add(
                        here(),
                        ErrorKind::Cors,
                        format!(
                            "CORS policy differs from the one of {} on the same path; one path has one preflight answer",
                            first_route.label()
                        ),
                    ),
                    Some(_) => {}
                    None => {
                        let problems = match checked_cors.iter().find(|(c, _)| *c == cors) {
                            Some((_, problems)) => problems.clone(),
                            None => {
                                let problems = cors.problems();
                                checked_cors.push((cors, problems.clone()));
                                problems
                            }
                        };
                        for problem in problems {
                            add(here(), ErrorKind::Cors, problem);
                        }
                        cors_by_path.insert(&route.path, (cors, route));
                    }
                }
            }
            if let Some(problem) = route.throttle.as_ref().and_then(Throttle::problem) {
                add(here(), ErrorKind::Throttle, problem);
            }
            if let Some(id) = route.operation_id.as_deref()
                && let Some(first) = operation_ids.insert(id, route)
            {
                add(
                    here(),
                    ErrorKind::Setting,
                    format!("operation id {id:?} is already used by {}", first.label()),
                );
            }
        }
        if let Some(problem) = self
            .settings
            .default_throttle
            .as_ref()
            .and_then(Throttle::problem)
        {
            add(None, ErrorKind::Throttle, format!("default {problem}"));
        }
        for route in &self.routes {
            if route.method == Method::Options && cors_by_path.contains_key(route.path.as_str()) {
                add(
                    Some(route.label()),
                    ErrorKind::Cors,
                    "an options route and a CORS policy on the same path both answer preflights; drop one".to_owned(),
                );
            }
        }
        (errors, gateway_paths)
    }
}

fn collect_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| collect_strings(v, out)),
        _ => {}
    }
}

fn integration_values(integration: &Integration, push: &mut impl FnMut(&TemplateValue)) {
    match integration {
        Integration::LambdaProxy(lambda) => push(&lambda.uri),
        Integration::Lambda(lambda) => push(&lambda.uri),
        Integration::Http(http) => {
            push(&http.url);
            http.vpc_link.iter().for_each(&mut *push);
        }
        Integration::Mock(mock) => mock
            .bodies
            .values()
            .chain(mock.headers.values())
            .for_each(&mut *push),
        Integration::AwsService(aws) => push(&aws.uri),
        // Lowered by `generic_integrations` before this is called.
        _ => {}
    }
    let options = integration.options();
    options.credentials.iter().for_each(&mut *push);
    options.request_parameters.values().for_each(&mut *push);
    options.request_templates.values().for_each(&mut *push);
    for response in &options.responses {
        response
            .headers
            .values()
            .chain(response.templates.values())
            .for_each(&mut *push);
    }
}

fn authorizer_values(authorizer: &Authorizer, push: &mut impl FnMut(&TemplateValue)) {
    match authorizer {
        Authorizer::Lambda(lambda) => {
            push(&lambda.uri);
            lambda.credentials.iter().for_each(&mut *push);
        }
        Authorizer::Cognito(cognito) => cognito.user_pools.iter().for_each(push),
        Authorizer::Jwt(jwt) => {
            push(&jwt.issuer);
            jwt.audiences.iter().for_each(push);
        }
        Authorizer::ApiKey | Authorizer::Iam => {}
    }
}

fn authorizer_problems(authorizer: &Authorizer) -> Vec<String> {
    let mut problems = Vec::new();
    let name = authorizer.name();
    let valid_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if !valid_name {
        problems.push(format!(
            "authorizer name {name:?} must be letters, digits, '.', '_' or '-'"
        ));
    }
    match authorizer {
        Authorizer::Lambda(lambda) => {
            if matches!(name, Authorizer::API_KEY | Authorizer::IAM) {
                problems.push(format!(
                    "authorizer name {name:?} is reserved for the built-in API key and IAM schemes"
                ));
            }
            match &lambda.identity {
                LambdaIdentity::Request {
                    sources,
                    validation_expression,
                } => {
                    if validation_expression.is_some() {
                        problems.push(format!(
                            "authorizer {name:?} is a request authorizer; identity validation expressions apply to token authorizers only"
                        ));
                    }
                    if lambda.simple_responses
                        && lambda.payload_format != Some(crate::integration::PayloadFormat::V2)
                    {
                        problems.push(format!(
                            "authorizer {name:?} asks for simple responses with payload format 1.0; simple responses need payload 2.0 (call `.simple_responses()` last)"
                        ));
                    }
                    if sources.is_empty() && lambda.ttl_seconds != Some(0) {
                        problems.push(format!(
                            "request authorizer {name:?} has no identity source; add one, or disable caching with a ttl of 0"
                        ));
                    }
                }
                LambdaIdentity::Token { header, .. } => {
                    if header.is_empty() {
                        problems.push(format!(
                            "token authorizer {name:?} reads an empty header name"
                        ));
                    }
                }
            }
        }
        Authorizer::Cognito(cognito) => {
            if cognito.user_pools.is_empty() {
                problems.push(format!("Cognito authorizer {name:?} names no user pool"));
            }
        }
        Authorizer::Jwt(jwt) => {
            if jwt.audiences.is_empty() {
                problems.push(format!(
                    "JWT authorizer {name:?} names no audience; add the app client ids or api identifiers its tokens carry"
                ));
            }
            if jwt.header.is_empty() {
                problems.push(format!(
                    "JWT authorizer {name:?} reads an empty header name"
                ));
            }
        }
        Authorizer::ApiKey | Authorizer::Iam => {}
    }
    problems
}

/// Where a route's docs contradict the route: a separately declared operation for other
/// methods or another path, or path parameters the path does not have.
fn doc_problems(
    operation: &crate::doc::Operation,
    route: &RouteMeta,
    sent: Option<&[u16]>,
) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(declared) = &operation.declared_for {
        let methods: Vec<&str> = declared.methods.iter().map(|m| m.as_str()).collect();
        problems.push(format!(
            "the `.doc` item is written for {} {:?}, not this route; make its method and path the route's (or leave them out of `#[utoipa::path]`)",
            if methods.is_empty() { "no method".to_owned() } else { methods.join("|") },
            declared.path
        ));
    }
    for parameter in &operation.parameters {
        if parameter.location == crate::doc::ParameterIn::Path
            && !route.path.params().any(|(name, _)| name == parameter.name)
        {
            let names: Vec<String> = route.path.params().map(|(n, _)| format!("{n:?}")).collect();
            problems.push(format!(
                "documented path parameter {:?} is not in the path (its parameters: {}); rename it to match the path",
                parameter.name,
                if names.is_empty() { "none".to_owned() } else { names.join(", ") }
            ));
        }
    }
    if let Some(extractor) = &operation.path_extractor {
        problems.extend(path_extractor_problem(extractor, route));
    }
    if let Some(crate::doc::StatusMismatch::Ignored { statuses, returns }) =
        &operation.status_mismatch
    {
        let stated: Vec<String> = statuses.iter().map(|s| format!(".status({s})")).collect();
        problems.push(format!(
            "`{}` is not documented: the handler returns `{returns}`, which has no status of its own to set (axum sends 200); return `(StatusCode, {returns})` to answer {}, or drop `{}`",
            stated.join(""),
            statuses.iter().map(u16::to_string).collect::<Vec<_>>().join(" or "),
            stated.join("")
        ));
    }
    // API Gateway picks a non-proxy integration's status: a documented success it never
    // sends would be a contract the gateway breaks.
    if let Some(sent) = sent {
        for status in operation.responses.keys() {
            if let Ok(code) = status.parse::<u16>()
                && (200..300).contains(&code)
                && !sent.contains(&code)
            {
                let sent: Vec<String> = sent.iter().map(u16::to_string).collect();
                problems.push(format!(
                    "documented success status {code} is never sent: the integration answers {}; document one of those, or add an integration response for {code}",
                    sent.join(", ")
                ));
            }
        }
    }
    problems
}

/// Where the handler's `Path<T>` cannot take the route's path parameters (axum answers
/// 500 `Wrong number of path arguments` or a missing field on every request).
fn path_extractor_problem(
    extractor: &crate::doc::PathExtractor,
    route: &RouteMeta,
) -> Option<String> {
    let names: Vec<&str> = route.path.params().map(|(name, _)| name).collect();
    let listed = if names.is_empty() {
        "none".to_owned()
    } else {
        names
            .iter()
            .map(|n| format!("{n:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let extractor_type = &extractor.type_name;
    match &extractor.arity {
        crate::doc::PathArity::Count(count) if *count != names.len() => {
            let fix = match names.len() {
                0 => "drop the extractor, or add the parameter to the path".to_owned(),
                1 => "take one value (`Path<String>`)".to_owned(),
                n => format!(
                    "take a tuple of {n} (`Path<({})>`) or a struct with the fields {listed}",
                    vec!["String"; n].join(", ")
                ),
            };
            Some(format!(
                "the handler's `{extractor_type}` takes {count} path parameter{}, the path has {} ({listed}): every request would fail with 500 \"Wrong number of path arguments\"; {fix}",
                if *count == 1 { "" } else { "s" },
                names.len(),
            ))
        }
        // A struct's fields are documented path parameters: a field the path lacks is
        // the documented-parameter check's error (`doc_problems`), reported once.
        crate::doc::PathArity::Names(_) | crate::doc::PathArity::Count(_) => None,
    }
}

fn integration_problems(integration: &Integration, route: &RouteMeta) -> Vec<String> {
    let mut problems = Vec::new();
    let options = integration.options();
    // Service builders consume it when they are lowered; anywhere else it would be dropped.
    if let Some(status) = options.success_status {
        problems.push(format!(
            "success_status({status}) applies to the service builders (S3, SNS, SQS, DynamoDB, Step Functions, EventBridge) only; add `IntegrationResponse::default_status({status})` with its templates instead"
        ));
    }
    // The route's path parameters, read only when something refers to them.
    let needs_params = matches!(integration, Integration::Http(_))
        || options
            .request_parameters
            .values()
            .any(|source| source.as_str().starts_with("method.request.path."));
    let route_params: Vec<String> = if needs_params {
        route
            .path
            .params()
            .map(|(name, _)| name.to_owned())
            .collect()
    } else {
        Vec::new()
    };
    match integration {
        Integration::Http(http) => {
            // Its shape is the value kind's check (`Knob::HttpUrl`).
            let url = http.url.as_str();
            for name in url_params(url) {
                if !route_params.contains(&name) {
                    problems.push(format!(
                        "HTTP integration URL {url:?} uses {{{name}}}, which is not a path parameter of the route"
                    ));
                }
            }
        }
        Integration::AwsService(aws) => {
            if options.credentials.is_none() {
                problems.push(format!(
                    "AWS service integration {:?} needs an execution role: set `credentials` or a router `default_credentials`",
                    aws.uri.as_str()
                ));
            }
            let uri = aws.uri.as_str();
            for name in url_params(uri) {
                let target = format!("integration.request.path.{name}");
                if !options.request_parameters.contains_key(&target) {
                    problems.push(format!(
                        "AWS service uri {uri:?} uses {{{name}}}, which no request parameter {target:?} maps"
                    ));
                }
            }
        }
        Integration::Mock(mock) if !(100..=599).contains(&mock.status) => {
            problems.push(format!("mock status {} is not an HTTP status", mock.status));
        }
        // Typed service actions are lowered by `generic_integrations` first.
        _ => {}
    }
    problems
}

/// `{name}` segments of an integration URL (not `${…}` placeholders).
pub(crate) fn url_params(url: &str) -> Vec<String> {
    let mut names = Vec::new();
    let bytes = url.as_bytes();
    let mut i = 0;
    while let Some(offset) = url[i..].find('{') {
        let start = i + offset;
        let preceded_by_dollar = start > 0 && bytes[start - 1] == b'$';
        let Some(len) = url[start..].find('}') else {
            break;
        };
        if !preceded_by_dollar {
            names.push(url[start + 1..start + len].trim_end_matches('+').to_owned());
        }
        i = start + len + 1;
    }
    names
}
