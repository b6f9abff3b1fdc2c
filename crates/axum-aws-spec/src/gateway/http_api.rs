//! The private spec for API Gateway HTTP APIs (v2): OpenAPI 3.0.1 with the HTTP API's
//! `x-amazon-apigateway-*` extensions, for `templatefile()` and `aws_apigatewayv2_api`'s
//! `body`. This is the only module that writes them for HTTP APIs (the names shared with
//! REST APIs are spelled in `gateway::extensions`).
//!
//! Operations, schemas, parameters and template values come from the shared renderer
//! (`render/`); what differs from REST is the integration object (proxy only, with
//! `payloadFormatVersion`, or an `integrationSubtype`), the authorizers (JWT, Lambda
//! REQUEST in payload 1.0 or 2.0, IAM), CORS (one API-wide `x-amazon-apigateway-cors`,
//! no OPTIONS mocks) and what cannot be expressed at all (see [`problems`]).
//!
//! Reference: [Working with OpenAPI definitions for HTTP APIs](https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html).

use std::borrow::Cow;

use crate::auth::{Authorizer, IdentitySource, LambdaIdentity, Security};
use crate::error::{ErrorKind, SpecError};
use crate::gateway::Checked;
use crate::integration::{Integration, IntegrationOptions, PayloadFormat};
use crate::render::json::{Entries, Mode, Node, set};
use crate::render::{
    Schemas, Syntax, by_gateway_path, components, description, info, method_key, model_names,
    operation, security_requirements, security_schemes,
};
use crate::resolved::ResolvedPath;
use crate::schema::Dialect;
use crate::settings::EndpointType;
use crate::spec::ApiSpec;
use crate::template::Pieces;
use crate::{Cors, Method};

use super::extensions::{ANY_METHOD, AUTHORIZER, AUTHTYPE, INTEGRATION};

const CORS: &str = "x-amazon-apigateway-cors";
const IMPORTEXPORT_VERSION: &str = "x-amazon-apigateway-importexport-version";
/// The path item of the `$default` route.
const DEFAULT_PATH: &str = "/$default";

/// HTTP APIs allow integration timeouts of 50 ms to 30 s.
const TIMEOUT_MILLIS: std::ops::RangeInclusive<u32> = 50..=30_000;
/// The authorizer cache TTL the model means when none is set (REST's default).
const DEFAULT_AUTHORIZER_TTL: u32 = 300;
/// Lambda authorizer result caching: 0 (off) to one hour.
const MAX_AUTHORIZER_TTL: u32 = 3600;
/// Headers an HTTP API parameter mapping may not set (AWS: "reserved headers").
const RESERVED_HEADERS: [&str; 15] = [
    "authorization",
    "connection",
    "content-encoding",
    "content-length",
    "content-location",
    "forwarded",
    "keep-alive",
    "origin",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "via",
];
const RESERVED_HEADER_PREFIXES: [&str; 5] = [
    "access-control-",
    "apigw-",
    "x-amz-",
    "x-amzn-",
    "x-forwarded-",
];

/// What an HTTP API cannot express, each naming its route (or the API) and the
/// alternative: mock, VTL and custom integrations, S3/SNS/DynamoDB and other direct
/// actions, API keys, validators, gateway responses, REST-only settings and endpoints,
/// authorizers HTTP APIs do not have, several security requirements, and CORS that is
/// not one policy for the whole API.
pub(crate) fn problems(spec: &ApiSpec) -> Vec<SpecError> {
    let mut errors = Vec::new();
    settings_problems(spec, &mut errors);
    for route in &spec.routes {
        let mut add = |kind: ErrorKind, message: String| {
            errors.push(SpecError::new(Some(route.label()), kind, message));
        };
        if let Some(integration) = &route.integration {
            for problem in integration_problems(integration) {
                add(ErrorKind::Unsupported, problem);
            }
        }
        if let Some(security) = &route.security {
            for problem in security_problems(security) {
                add(ErrorKind::Authorizer, problem);
            }
        }
        if let Some(validator) = &route.request_validator {
            add(
                ErrorKind::Unsupported,
                format!(
                    "request validator {validator:?}: HTTP APIs do not validate requests; validate with axum extractors in the handler, or use the rest target"
                ),
            );
        }
    }
    cors_problems(spec, &mut errors);
    // Two routers merged, each with a fallback route: one `$default` would be lost.
    if spec.routes.iter().filter(|r| r.default_route).count() > 1 {
        errors.push(SpecError::new(
            Some("$default".to_owned()),
            ErrorKind::Unsupported,
            "declared more than once (merged routers each with a default_route); an HTTP API has one $default route: keep one",
        ));
    }
    errors
}

fn settings_problems(spec: &ApiSpec, errors: &mut Vec<SpecError>) {
    let settings = &spec.settings;
    let mut add = |message: String| errors.push(SpecError::new(None, ErrorKind::Setting, message));
    if !settings.gateway_responses.is_empty() {
        let kinds: Vec<&str> = settings
            .gateway_responses
            .keys()
            .map(String::as_str)
            .collect();
        add(format!(
            "gateway responses {kinds:?}: HTTP APIs have no gateway responses; remove them for the http-api target, or use the rest target"
        ));
    }
    if !settings.binary_media_types.is_empty() {
        add(format!(
            "binary media types {:?}: HTTP APIs have no binary media types (Lambda answers base64 with isBase64Encoded); remove them for the http-api target",
            settings.binary_media_types
        ));
    }
    if settings.policy.is_some() {
        add("a resource policy: HTTP APIs have none; use IAM auth with caller policies, a Lambda authorizer, or the rest target".to_owned());
    }
    if !settings.request_validators.is_empty() || settings.default_request_validator.is_some() {
        let names: Vec<&str> = settings
            .request_validators
            .keys()
            .map(String::as_str)
            .collect();
        add(format!(
            "request validators {names:?}: HTTP APIs do not validate requests; validate with axum extractors in the handler, or use the rest target"
        ));
    }
    if let Some(source) = settings.api_key_source {
        add(format!(
            "API key source {source:?}: HTTP APIs have no API keys or usage plans; check keys in a Lambda authorizer, or use the rest target"
        ));
    }
    if let Some(size) = settings.minimum_compression_size {
        add(format!(
            "minimum compression size {size}: HTTP APIs do not compress responses; compress in the handler (tower-http's CompressionLayer), or use the rest target"
        ));
    }
    if let Some(endpoint) = &settings.endpoint {
        match endpoint.kind {
            EndpointType::Edge => add("an edge-optimized endpoint: HTTP APIs are regional only; put CloudFront in front, or use the rest target".to_owned()),
            EndpointType::Private => add("a private endpoint: HTTP APIs have no private endpoints (VPC links are for integrations); use the rest target".to_owned()),
            EndpointType::Regional => {}
        }
        if endpoint.disable_execute_api_endpoint {
            add("disable_execute_api_endpoint: an HTTP API takes it from Terraform, not the body; set `disable_execute_api_endpoint = true` on aws_apigatewayv2_api and remove it here".to_owned());
        }
    }
}

fn integration_problems(integration: &Integration) -> Vec<String> {
    let mut problems = Vec::new();
    let other_service = |service: &str| {
        format!(
            "{service} integration: HTTP APIs call only SQS, EventBridge, Step Functions, Kinesis and AppConfig directly; put a Lambda function in front of {service}, or use the rest target"
        )
    };
    match integration {
        Integration::Http(http) => {
            if !http.proxy {
                problems.push("HTTP integration with mapping templates (Http::custom): HTTP APIs only proxy (http_proxy); use Http::proxy and shape requests with parameter mapping, or use the rest target".to_owned());
            }
            if http.insecure_skip_verification {
                problems.push("insecure_skip_verification: HTTP APIs always verify backend certificates; give the backend a valid certificate".to_owned());
            }
            if http.vpc_link.is_some() && http.url.as_str().starts_with("http") {
                problems.push(format!(
                    "VPC link integration to the url {:?}: an HTTP API's VPC link integration takes an ALB/NLB listener arn or a cloud map service arn as its uri; pass that arn",
                    http.url.as_str()
                ));
            }
        }
        Integration::Mock(_) => problems.push("mock integration: HTTP APIs have no mock integrations; answer from a Lambda function (CORS preflights are answered by the api's CORS configuration), or use the rest target".to_owned()),
        Integration::Lambda(_) => problems.push("custom Lambda integration (mapping templates): HTTP APIs only proxy to Lambda; use LambdaProxy and shape the event in the handler, or use the rest target".to_owned()),
        Integration::S3(_) => problems.push(other_service("s3")),
        Integration::SnsPublish(_) => problems.push(other_service("sns")),
        Integration::DynamoDb(_) => problems.push(other_service("dynamodb")),
        Integration::AwsService(_) => problems.push(other_service("a generic AWS service")),
        // Lambda proxy, and the subtypes (checked below).
        _ => {}
    }
    if let Some(Err(subtype_problems)) = integration.http_api_subtype() {
        problems.extend(subtype_problems);
    }
    // A subtype without a role is reported by the neutral checks (every service action needs one).
    problems.extend(options_problems(integration.options()));
    problems
}

fn options_problems(options: &IntegrationOptions) -> Vec<String> {
    let mut problems = Vec::new();
    if !options.request_templates.is_empty() {
        let types: Vec<&str> = options
            .request_templates
            .keys()
            .map(String::as_str)
            .collect();
        problems.push(format!(
            "request mapping templates (VTL) for {types:?}: HTTP APIs have no mapping templates; use parameter mapping (`request_parameter`), shape the request in the handler, or use the rest target"
        ));
    }
    if !options.responses.is_empty() {
        problems.push("integration responses: HTTP APIs pass the backend's response through; set status and headers in the backend, or use the rest target".to_owned());
    }
    if options.passthrough.is_some() {
        problems.push("passthrough behavior: HTTP APIs have no mapping templates to pass through; remove it for the http-api target".to_owned());
    }
    if options.content_handling.is_some() {
        problems.push("content handling: HTTP APIs do not convert payloads (Lambda answers base64 with isBase64Encoded); remove it for the http-api target".to_owned());
    }
    if options.cache_namespace.is_some() || !options.cache_key_parameters.is_empty() {
        problems.push("stage cache keys: HTTP APIs have no cache; put CloudFront in front, or use the rest target".to_owned());
    }
    if let Some(timeout) = options.timeout_millis
        && !TIMEOUT_MILLIS.contains(&timeout)
    {
        problems.push(format!(
            "timeout {timeout} ms: HTTP API integrations time out after 50 to 30000 ms; choose a timeout in that range"
        ));
    }
    for (target, source) in &options.request_parameters {
        if let Err(problem) = mapped_parameter(target, source.as_str()) {
            problems.push(problem);
        }
    }
    problems
}

/// A request parameter in HTTP API syntax: REST's `integration.request.header.X` ←
/// `method.request.path.id` becomes `overwrite:header.X` ← `$request.path.id`; HTTP API
/// keys (`append:`, `overwrite:`, `remove:`) are taken as they are.
fn mapped_parameter(target: &str, source: &str) -> Result<(String, String), String> {
    let key = if let Some(rest) = target.strip_prefix("integration.request.") {
        match rest.split_once('.') {
            Some(("header", name)) => format!("overwrite:header.{name}"),
            Some(("querystring", name)) => format!("overwrite:querystring.{name}"),
            _ => {
                return Err(format!(
                    "request parameter {target:?}: HTTP API parameter mapping sets headers, query strings or the whole path (overwrite:path); map to a header or query string, or use the rest target"
                ));
            }
        }
    } else if ["append:", "overwrite:", "remove:"]
        .iter()
        .any(|prefix| target.starts_with(prefix))
    {
        target.to_owned()
    } else {
        return Err(format!(
            "request parameter {target:?} is neither rest's integration.request.* nor HTTP API's append:/overwrite:/remove: syntax; write one of them"
        ));
    };
    if let Some(header) = key
        .split_once(':')
        .and_then(|(_, k)| k.strip_prefix("header."))
    {
        let lower = header.to_ascii_lowercase();
        if RESERVED_HEADERS.contains(&lower.as_str())
            || RESERVED_HEADER_PREFIXES
                .iter()
                .any(|p| lower.starts_with(p))
        {
            return Err(format!(
                "request parameter {target:?}: HTTP APIs may not map the reserved header {header:?}; map another header"
            ));
        }
    }
    let value = if let Some(rest) = source.strip_prefix("method.request.") {
        match rest.split_once('.') {
            Some(("path" | "querystring" | "header" | "body", _)) => format!("$request.{rest}"),
            _ if rest == "body" => "$request.body".to_owned(),
            _ => {
                return Err(format!(
                    "request parameter {target:?} reads {source:?}; HTTP APIs read method.request.path|querystring|header.x or the body"
                ));
            }
        }
    } else if let Some(rest) = source.strip_prefix("context.") {
        format!("$context.{rest}")
    } else if let Some(rest) = source.strip_prefix("stageVariables.") {
        format!("$stageVariables.{rest}")
    } else if let Some(fixed) = source.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        fixed.to_owned()
    } else if source.starts_with('$') {
        source.to_owned()
    } else {
        return Err(format!(
            "request parameter {target:?} reads {source:?}; write a request value (method.request.…, context.…, stageVariables.…), a static 'value' in single quotes, or an HTTP API $request expression"
        ));
    };
    Ok((key, value))
}

fn security_problems(security: &Security) -> Vec<String> {
    let mut problems = Vec::new();
    let requirements: Vec<_> = security
        .alternatives
        .iter()
        .filter(|r| !r.all.is_empty())
        .collect();
    if requirements.len() < security.alternatives.len() && !requirements.is_empty() {
        problems.push("security with a public alternative: an HTTP API route is either public or authorized; declare it one or the other".to_owned());
    }
    if requirements.len() > 1 || requirements.iter().any(|r| r.all.len() > 1) {
        let names: Vec<&str> = security.grants().map(|g| g.authorizer.name()).collect();
        problems.push(format!(
            "several authorizers {names:?}: an HTTP API route has exactly one authorizer; keep one (a Lambda authorizer can check several credentials), or use the rest target"
        ));
    }
    for grant in security.grants() {
        let name = grant.authorizer.name();
        match &grant.authorizer {
            Authorizer::ApiKey => problems.push("API key requirement: HTTP APIs have no API keys or usage plans; check keys in a Lambda authorizer (simple responses), or use the rest target".to_owned()),
            Authorizer::Cognito(_) => problems.push(format!(
                "Cognito authorizer {name:?}: HTTP APIs check Cognito tokens with a JWT authorizer; use JwtAuthorizer::cognito(name, region, user_pool_id, app_client_ids)"
            )),
            Authorizer::Lambda(lambda) => {
                if matches!(lambda.identity, LambdaIdentity::Token { .. }) {
                    problems.push(format!(
                        "token authorizer {name:?}: HTTP APIs have only request authorizers; use LambdaAuthorizer::request with IdentitySource::header(..) (the function then reads the header from the request event)"
                    ));
                }
                if let Some(ttl) = lambda.ttl_seconds.filter(|ttl| *ttl > MAX_AUTHORIZER_TTL) {
                    problems.push(format!(
                        "authorizer {name:?} caches results for {ttl}s; HTTP APIs allow at most {MAX_AUTHORIZER_TTL}"
                    ));
                }
                if let LambdaIdentity::Request { sources, .. } = &lambda.identity
                    && sources.is_empty()
                    && lambda.ttl_seconds.is_some_and(|ttl| ttl > 0)
                {
                    problems.push(format!(
                        "authorizer {name:?} caches results but has no identity source; add one, or set a ttl of 0"
                    ));
                }
            }
            Authorizer::Jwt(_) | Authorizer::Iam => {}
        }
        if !grant.scopes.is_empty() && !matches!(grant.authorizer, Authorizer::Jwt(_)) {
            problems.push(format!(
                "scopes {:?} given for {name:?}; HTTP APIs check scopes only with JWT authorizers",
                grant.scopes
            ));
        }
    }
    problems
}

/// An HTTP API has one CORS configuration: every route with CORS must declare the
/// same, and a route without it would get it anyway.
fn cors_problems(spec: &ApiSpec, errors: &mut Vec<SpecError>) {
    let Some(first) = spec.routes.iter().find(|r| r.cors.is_some()) else {
        return;
    };
    let policy = first.cors.as_ref();
    for route in &spec.routes {
        if route.cors.as_ref() == policy {
            continue;
        }
        let message = if route.cors.is_none() {
            format!(
                "no CORS, while {} has it: an HTTP API applies one CORS configuration to every route; give this route the same CORS (e.g. the router's default_cors), or use the rest target",
                first.label()
            )
        } else {
            format!(
                "CORS differs from {}'s: an HTTP API has one CORS configuration for the whole api; give every route the same CORS, or use the rest target",
                first.label()
            )
        };
        errors.push(SpecError::new(
            Some(route.label()),
            ErrorKind::Cors,
            message,
        ));
    }
}

/// Renders the HTTP API private spec of a spec whose checks (neutral and HTTP API) passed.
pub(crate) fn render(checked: &Checked<'_>, syntax: Syntax) -> String {
    let spec = checked.spec();
    let renames = model_names(&spec.routes);
    let schemas = Schemas::new(Some(Dialect::ApiGateway), &renames, &spec.routes);
    let resolved = checked.resolved();
    let security_schemes = security_schemes(resolved, security_scheme);

    let mut document: Entries<'_> = vec![
        (Cow::Borrowed("openapi"), Node::str("3.0.1")),
        (Cow::Borrowed("info"), info(spec)),
        (Cow::Borrowed(IMPORTEXPORT_VERSION), Node::str("1.0")),
    ];
    if let Some(components) = components(schemas.components(), security_schemes) {
        document.push((Cow::Borrowed("components"), components));
    }
    // One policy for the whole API (the HTTP API checks make every route share it).
    if let Some(cors) = resolved.api_cors() {
        let methods = resolved.paths().iter().flat_map(ResolvedPath::methods);
        document.push((Cow::Borrowed(CORS), cors_object(cors, methods)));
    }

    // The `$default` route's path, as the AWS docs write it (SAM's `$default` key
    // without the slash fails OpenAPI validators).
    let gateway: Vec<Option<&str>> = spec
        .routes
        .iter()
        .zip(checked.gateway_paths())
        .map(|(route, path)| {
            if route.default_route {
                Some(DEFAULT_PATH)
            } else {
                *path
            }
        })
        .collect();
    let paths = by_gateway_path(&spec.routes, &gateway);
    let items = paths.iter().map(|(gateway_path, routes)| {
        let mut item: Entries<'_> = Vec::with_capacity(routes.len());
        for route in routes {
            let mut op = operation(route, &schemas, true);
            // The backend answers as it will (no method responses in HTTP APIs), but
            // OpenAPI needs at least one response.
            if let Some((_, Node::Object(responses))) =
                op.iter_mut().find(|(key, _)| key == "responses")
                && responses.is_empty()
            {
                responses.push((
                    Cow::Borrowed("default"),
                    description("Whatever the integration answers"),
                ));
            }
            if let Some(security) = &route.security {
                set(&mut op, "security", security_requirements(security, true));
            }
            if let Some(integration) = &route.integration {
                set(&mut op, INTEGRATION, integration_object(integration));
            }
            if route.default_route {
                set(&mut op, "isDefaultRoute", Node::Bool(true));
            }
            let key = if route.method == Method::Any {
                ANY_METHOD
            } else {
                method_key(route.method)
            };
            set(&mut item, key, Node::Object(op));
        }
        (*gateway_path, Node::Object(item))
    });
    crate::render::document(
        syntax,
        Mode::Terraform,
        4096 + 1600 * spec.routes.len(),
        document,
        items,
    )
}

/// `x-amazon-apigateway-integration` of one route (checked: proxy kinds and subtypes).
fn integration_object<'a>(integration: &'a Integration) -> Node<'a> {
    let options = integration.options();
    let mut object: Entries<'a> = Vec::with_capacity(8);
    let mut put = |key: &'static str, node: Node<'a>| object.push((Cow::Borrowed(key), node));
    match integration {
        Integration::LambdaProxy(lambda) => {
            let format = lambda.payload_format.unwrap_or(PayloadFormat::V2);
            put("type", Node::str("aws_proxy"));
            put("httpMethod", Node::str("POST"));
            put("uri", Node::Template(&lambda.uri));
            put("payloadFormatVersion", Node::str(format.as_str()));
            put("connectionType", Node::str("INTERNET"));
        }
        Integration::Http(http) => {
            put("type", Node::str("http_proxy"));
            put("httpMethod", Node::str(http.method.as_str()));
            put("uri", Node::Template(&http.url));
            put("payloadFormatVersion", Node::str("1.0"));
            match &http.vpc_link {
                Some(link) => {
                    put("connectionType", Node::str("VPC_LINK"));
                    put("connectionId", Node::Template(link));
                }
                None => put("connectionType", Node::str("INTERNET")),
            }
        }
        _ => {
            if let Some(Ok(subtype)) = integration.http_api_subtype() {
                put("type", Node::str("aws_proxy"));
                put("integrationSubtype", Node::str(subtype.name));
                put("payloadFormatVersion", Node::str("1.0"));
                put("connectionType", Node::str("INTERNET"));
                let parameters = subtype
                    .parameters
                    .into_iter()
                    .map(|(name, value)| (Cow::Borrowed(name), Node::Pieces(value)))
                    .collect();
                put("requestParameters", Node::Object(parameters));
            }
        }
    }
    if let Some(role) = &options.credentials {
        put("credentials", Node::Template(role));
    }
    if let Some(timeout) = options.timeout_millis {
        put("timeoutInMillis", Node::Number(timeout.into()));
    }
    if !options.request_parameters.is_empty() && integration.http_api_subtype().is_none() {
        let mapped: Entries<'_> = options
            .request_parameters
            .iter()
            .filter_map(|(target, source)| {
                let (key, value) = mapped_parameter(target, source.as_str()).ok()?;
                // The value may hold placeholders of the template value it came from.
                let value = Pieces::from(&crate::TemplateValue::from(value));
                Some((Cow::Owned(key), Node::Pieces(value)))
            })
            .collect();
        put("requestParameters", Node::Object(mapped));
    }
    Node::Object(object)
}

/// The security scheme of an authorizer the checks let through (JWT, Lambda REQUEST, IAM).
fn security_scheme(authorizer: &Authorizer) -> Node<'_> {
    let s = Node::str;
    match authorizer {
        Authorizer::Jwt(jwt) => Node::object([
            ("type", s("oauth2")),
            ("flows", Node::Object(Vec::new())),
            (
                AUTHORIZER,
                Node::object([
                    ("type", s("jwt")),
                    (
                        "identitySource",
                        Node::string(format!("$request.header.{}", jwt.header)),
                    ),
                    (
                        "jwtConfiguration",
                        Node::object([
                            ("issuer", Node::Template(&jwt.issuer)),
                            (
                                "audience",
                                Node::Array(jwt.audiences.iter().map(Node::Template).collect()),
                            ),
                        ]),
                    ),
                ]),
            ),
        ]),
        Authorizer::Lambda(lambda) => {
            let format = lambda.payload_format.unwrap_or(PayloadFormat::V1);
            let mut config: Entries<'_> = vec![
                (Cow::Borrowed("type"), s("request")),
                (Cow::Borrowed("authorizerUri"), Node::Template(&lambda.uri)),
                (
                    Cow::Borrowed("authorizerPayloadFormatVersion"),
                    s(format.as_str()),
                ),
            ];
            if format == PayloadFormat::V2 {
                config.push((
                    Cow::Borrowed("enableSimpleResponses"),
                    Node::Bool(lambda.simple_responses),
                ));
            }
            let mut has_sources = false;
            if let LambdaIdentity::Request { sources, .. } = &lambda.identity
                && !sources.is_empty()
            {
                has_sources = true;
                let sources: Vec<String> = sources.iter().map(identity_source).collect();
                config.push((
                    Cow::Borrowed("identitySource"),
                    Node::string(sources.join(",")),
                ));
            }
            // Unset, the model means REST's default of 300 s; an HTTP API's own default
            // is 0, so it is written out (a cache needs an identity source).
            let ttl = lambda
                .ttl_seconds
                .or(has_sources.then_some(DEFAULT_AUTHORIZER_TTL));
            if let Some(ttl) = ttl {
                config.push((
                    Cow::Borrowed("authorizerResultTtlInSeconds"),
                    Node::Number(ttl.into()),
                ));
            }
            if let Some(role) = &lambda.credentials {
                config.push((Cow::Borrowed("authorizerCredentials"), Node::Template(role)));
            }
            Node::object([
                ("type", s("apiKey")),
                ("name", s("Unused")),
                ("in", s("header")),
                (AUTHORIZER, Node::Object(config)),
            ])
        }
        // IAM; the checks reject the others (API keys, Cognito pools, TOKEN authorizers).
        _ => Node::object([
            ("type", s("apiKey")),
            ("name", s("Authorization")),
            ("in", s("header")),
            (AUTHTYPE, s("awsSigv4")),
        ]),
    }
}

fn identity_source(source: &IdentitySource) -> String {
    match source {
        IdentitySource::Header(name) => format!("$request.header.{name}"),
        IdentitySource::Query(name) => format!("$request.querystring.{name}"),
        IdentitySource::Context(name) => format!("$context.{name}"),
        IdentitySource::StageVariable(name) => format!("$stageVariables.{name}"),
    }
}

/// `x-amazon-apigateway-cors` from the one policy every route shares. Without explicit
/// methods it allows every method the routes declare (`*` if one is `ANY`).
fn cors_object<'a, 'm>(cors: &'a Cors, declared: impl Iterator<Item = &'m Method>) -> Node<'a> {
    let mut methods: Vec<Method> = match &cors.allow_methods {
        Some(methods) => methods.clone(),
        None => declared.copied().collect(),
    };
    let methods = if methods.contains(&Method::Any) {
        vec![Node::str("*")]
    } else {
        methods.push(Method::Options);
        methods.sort();
        methods.dedup();
        methods.iter().map(|m| Node::str(m.as_str())).collect()
    };
    let mut object: Entries<'a> = vec![
        (
            Cow::Borrowed("allowOrigins"),
            Node::Array(cors.allow_origins.iter().map(Node::Template).collect()),
        ),
        (Cow::Borrowed("allowMethods"), Node::Array(methods)),
        (
            Cow::Borrowed("allowHeaders"),
            Node::Array(cors.allow_headers.iter().map(|h| Node::str(h)).collect()),
        ),
    ];
    if !cors.expose_headers.is_empty() {
        object.push((
            Cow::Borrowed("exposeHeaders"),
            Node::Array(cors.expose_headers.iter().map(|h| Node::str(h)).collect()),
        ));
    }
    if let Some(max_age) = cors.max_age_seconds {
        object.push((Cow::Borrowed("maxAge"), Node::Number(max_age)));
    }
    if cors.allow_credentials {
        object.push((Cow::Borrowed("allowCredentials"), Node::Bool(true)));
    }
    Node::Object(object)
}
