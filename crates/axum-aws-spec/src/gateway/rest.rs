//! The private spec for API Gateway REST APIs. This is the only module that writes a
//! REST API's `x-amazon-apigateway-*` extensions (the names it shares with HTTP APIs are
//! spelled in `gateway::extensions`).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use std::rc::Rc;

use serde_json::{Value, json};

use crate::auth::{Authorizer, IdentitySource, LambdaIdentity, Security};
use crate::error::{ErrorKind, SpecError};
use crate::gateway::Checked;
use crate::integration::{Integration, IntegrationOptions, PayloadFormat};
use crate::render::json::{Entries, Mode, Node, entry, set};
use crate::render::{
    Schemas, Syntax, by_gateway_path, components, description, info, method_key, model_names,
    operation, push_operation_id, reason, security_requirements, security_schemes,
};
use crate::resolved::{Resolved, ResolvedPath};
use crate::route::RouteMeta;
use crate::schema::{self, Dialect};
use crate::settings::GATEWAY_RESPONSE_TYPES;
use crate::spec::{ApiSpec, url_params};
use crate::template::Pieces;
use crate::{Cors, Method, TemplateValue, path};

use super::extensions::{ANY_METHOD, AUTHORIZER, AUTHTYPE, INTEGRATION};

const API_KEY_SOURCE: &str = "x-amazon-apigateway-api-key-source";
const BINARY_MEDIA_TYPES: &str = "x-amazon-apigateway-binary-media-types";
const MINIMUM_COMPRESSION_SIZE: &str = "x-amazon-apigateway-minimum-compression-size";
const POLICY: &str = "x-amazon-apigateway-policy";
const ENDPOINT_CONFIGURATION: &str = "x-amazon-apigateway-endpoint-configuration";
const GATEWAY_RESPONSES: &str = "x-amazon-apigateway-gateway-responses";
const REQUEST_VALIDATORS: &str = "x-amazon-apigateway-request-validators";
const REQUEST_VALIDATOR: &str = "x-amazon-apigateway-request-validator";

/// Renders the REST API private spec of a spec whose checks (neutral and REST) passed.
pub(crate) fn render(checked: &Checked<'_>, syntax: Syntax) -> String {
    let spec = checked.spec();
    let renames = model_names(&spec.routes);
    let schemas = Schemas::new(Some(Dialect::ApiGateway), &renames, &spec.routes);

    let resolved = checked.resolved();
    let security_schemes = security_schemes(resolved, security_scheme);

    let mut document: Entries<'_> = vec![
        (Cow::Borrowed("openapi"), Node::str("3.0.1")),
        (Cow::Borrowed("info"), info(spec)),
    ];
    if let Some(components) = components(schemas.components(), security_schemes) {
        document.push((Cow::Borrowed("components"), components));
    }
    settings(spec, resolved, &mut document);

    let routes: Vec<(&RouteMeta, Option<&Integration>)> = spec
        .routes
        .iter()
        .zip(checked.generic_integrations())
        .map(|(route, integration)| (route, integration.as_deref()))
        .collect();
    let paths = by_gateway_path(&routes, checked.gateway_paths());
    let mut preflights = Preflights::default();
    let items = paths.iter().map(|(gateway_path, routes)| {
        let path = resolved.path(routes[0].0.path.as_str());
        let item = path_item(gateway_path, routes, path, &schemas, &mut preflights);
        (*gateway_path, Node::Object(item))
    });
    crate::render::document(
        syntax,
        Mode::Terraform,
        4096 + 3200 * spec.routes.len(),
        document,
        items,
    )
}

/// The operations of one path (each route with its integration as a REST API runs it),
/// and its CORS preflight.
fn path_item<'a>(
    gateway_path: &'a str,
    routes: &[&(&'a RouteMeta, Option<&'a Integration>)],
    path: Option<&ResolvedPath<'a>>,
    schemas: &Schemas<'a>,
    preflights: &mut Preflights<'a>,
) -> Entries<'a> {
    let mut item: Entries<'a> = Vec::with_capacity(routes.len() + 1);
    for &&(route, integration) in routes {
        let mut op = operation(route, schemas, true);
        if let Some(security) = &route.security {
            set(&mut op, "security", security_requirements(security, true));
        }
        if let Some(validator) = &route.request_validator {
            set(&mut op, REQUEST_VALIDATOR, Node::str(validator));
        }
        if let Some(integration) = integration {
            let cors = route.cors.as_ref();
            add_method_responses(&mut op, integration, cors);
            declare_mapped_parameters(&mut op, integration);
            set(
                &mut op,
                INTEGRATION,
                integration_object(integration, route, cors),
            );
        }
        let key = if route.method == Method::Any {
            ANY_METHOD
        } else {
            method_key(route.method)
        };
        set(&mut item, key, Node::Object(op));
    }
    if let Some(path) = path
        && let Some(cors) = path.cors()
    {
        let preflight = preflights.operation(gateway_path, cors, path.cors_methods());
        set(&mut item, "options", preflight);
    }
    item
}

/// What REST APIs cannot express or import, even though the model can: one method per
/// authorizer, the resource tree, model names, TTL and timeout limits, integration
/// responses and request parameters, validators, gateway responses and settings.
/// `integrations` are the routes' integrations with typed service actions lowered
/// (`generic_integrations`); `gateway` is each route's resource path, as the neutral
/// checks parsed it.
pub(crate) fn problems(
    spec: &ApiSpec,
    integrations: &[Option<Cow<'_, Integration>>],
    gateway: &[Option<&str>],
) -> Vec<SpecError> {
    let mut errors = Vec::new();
    let mut add = |route: Option<String>, kind: ErrorKind, message: String| {
        errors.push(SpecError::new(route, kind, message));
    };
    for (route, integration) in spec.routes.iter().zip(integrations) {
        let here = || Some(route.label());
        if route.default_route {
            add(
                here(),
                ErrorKind::Unsupported,
                "the $default route (AwsRouter::default_route) exists only in HTTP APIs; declare ANY /{*path} for the rest target, or use the http-api target".to_owned(),
            );
        }
        if let Some(integration) = integration {
            for problem in integration_problems(integration, route) {
                add(here(), ErrorKind::Integration, problem);
            }
        }
        if let Some(Integration::LambdaProxy(lambda)) = integration.as_deref()
            && lambda.payload_format == Some(PayloadFormat::V2)
        {
            add(
                here(),
                ErrorKind::Integration,
                "Lambda payload format 2.0: REST APIs send only the 1.0 proxy event; drop `.payload_format(PayloadFormat::V2)`, or use the http-api target".to_owned(),
            );
        }
        for grant in route.security.iter().flat_map(Security::grants) {
            let authorizer = &grant.authorizer;
            if let Authorizer::Jwt(jwt) = authorizer {
                add(
                    here(),
                    ErrorKind::Authorizer,
                    format!(
                        "JWT authorizer {:?}: REST APIs have no JWT authorizers; use a CognitoAuthorizer for a Cognito pool, a Lambda authorizer for another issuer, or the http-api target",
                        jwt.name
                    ),
                );
            }
            if let Authorizer::Lambda(lambda) = authorizer
                && (lambda.simple_responses || lambda.payload_format == Some(PayloadFormat::V2))
            {
                add(
                    here(),
                    ErrorKind::Authorizer,
                    format!(
                        "authorizer {:?} asks for payload 2.0{}: REST APIs call authorizers with payload 1.0 and expect an IAM policy; drop `.simple_responses()`/`.payload_format(..)`, or use the http-api target",
                        lambda.name,
                        if lambda.simple_responses {
                            " with simple responses"
                        } else {
                            ""
                        }
                    ),
                );
            }
            if let Authorizer::Lambda(lambda) = authorizer
                && let Some(ttl) = lambda.ttl_seconds.filter(|ttl| *ttl > 3600)
            {
                add(
                    here(),
                    ErrorKind::Authorizer,
                    format!(
                        "authorizer {:?} caches results for {ttl}s; API Gateway allows at most 3600",
                        authorizer.name()
                    ),
                );
            }
            if !grant.scopes.is_empty()
                && !matches!(authorizer, Authorizer::Cognito(_) | Authorizer::Jwt(_))
            {
                add(
                    here(),
                    ErrorKind::Authorizer,
                    format!(
                        "scopes {:?} given for {:?}; only Cognito authorizers check scopes",
                        grant.scopes,
                        authorizer.name()
                    ),
                );
            }
        }
        for problem in nullable_in_validated_body(spec, route) {
            add(here(), ErrorKind::Schema, problem);
        }
        if let Some(name) = &route.request_validator
            && !spec.settings.request_validators.contains_key(name)
        {
            add(
                here(),
                ErrorKind::Setting,
                format!(
                    "request validator {name:?} is not declared; add it with `ApiSettings::request_validator`"
                ),
            );
        }
    }
    for route in &spec.routes {
        let Some(security) = &route.security else {
            continue;
        };
        if security.alternatives.len() > 1 {
            add(
                Some(route.label()),
                ErrorKind::Unsupported,
                format!(
                    "REST APIs cannot express alternative authorizers ({}); require them together or pick one",
                    alternatives_text(security)
                ),
            );
        }
        for requirement in &security.alternatives {
            let custom: Vec<&str> = requirement
                .all
                .iter()
                .map(|g| g.authorizer.name())
                .filter(|name| *name != Authorizer::API_KEY)
                .collect();
            if custom.len() > 1 {
                add(
                    Some(route.label()),
                    ErrorKind::Unsupported,
                    format!(
                        "REST APIs run one authorizer per method (plus an API key), not {custom:?}"
                    ),
                );
            }
        }
    }
    for conflict in path::sibling_conflicts(gateway.iter().flatten().copied()) {
        let route = gateway
            .iter()
            .zip(&spec.routes)
            .find(|(path, _)| **path == Some(conflict.path.as_str()))
            .map(|(_, route)| route.label());
        add(route, ErrorKind::PathConflict, conflict.message());
    }

    let schema_names: BTreeSet<&str> = spec
        .routes
        .iter()
        .flat_map(|r| r.schemas.keys().map(String::as_str))
        .collect();
    if let Err(clashes) = schema::model_names(schema_names) {
        for clash in clashes {
            add(None, ErrorKind::Schema, clash.to_string());
        }
    }

    let settings = &spec.settings;
    if let Some(default) = &settings.default_request_validator
        && !settings.request_validators.contains_key(default)
    {
        add(
            None,
            ErrorKind::Setting,
            format!("default request validator {default:?} is not declared"),
        );
    }
    for kind in settings.gateway_responses.keys() {
        if !GATEWAY_RESPONSE_TYPES.contains(&kind.as_str()) {
            add(
                None,
                ErrorKind::Setting,
                format!(
                    "gateway response type {kind:?} does not exist (e.g. \"DEFAULT_4XX\", \"UNAUTHORIZED\")"
                ),
            );
        }
    }
    if settings
        .minimum_compression_size
        .is_some_and(|size| size > 10_485_760)
    {
        add(
            None,
            ErrorKind::Setting,
            "minimum compression size must be at most 10485760 bytes".to_owned(),
        );
    }
    errors
}

fn alternatives_text(security: &Security) -> String {
    security
        .alternatives
        .iter()
        .map(|r| {
            r.all
                .iter()
                .map(|g| g.authorizer.name())
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

fn security_scheme(authorizer: &Authorizer) -> Node<'_> {
    let s = Node::str;
    match authorizer {
        Authorizer::ApiKey => Node::object([
            ("type", s("apiKey")),
            ("name", s("x-api-key")),
            ("in", s("header")),
        ]),
        Authorizer::Iam => Node::object([
            ("type", s("apiKey")),
            ("name", s("Authorization")),
            ("in", s("header")),
            (AUTHTYPE, s("awsSigv4")),
        ]),
        // The rest checks reject jwt authorizers, so this is never rendered.
        Authorizer::Jwt(_) => Node::object([("type", s("http")), ("scheme", s("bearer"))]),
        Authorizer::Cognito(cognito) => Node::object([
            ("type", s("apiKey")),
            ("name", s(&cognito.header)),
            ("in", s("header")),
            (AUTHTYPE, s("cognito_user_pools")),
            (
                AUTHORIZER,
                Node::object([
                    ("type", s("cognito_user_pools")),
                    (
                        "providerARNs",
                        Node::Array(cognito.user_pools.iter().map(Node::Template).collect()),
                    ),
                ]),
            ),
        ]),
        Authorizer::Lambda(lambda) => {
            let mut config = vec![(Cow::Borrowed("authorizerUri"), Node::Template(&lambda.uri))];
            if let Some(role) = &lambda.credentials {
                config.push((Cow::Borrowed("authorizerCredentials"), Node::Template(role)));
            }
            if let Some(ttl) = lambda.ttl_seconds {
                config.push((
                    Cow::Borrowed("authorizerResultTtlInSeconds"),
                    Node::Number(ttl.into()),
                ));
            }
            let header = match &lambda.identity {
                LambdaIdentity::Token {
                    header,
                    validation_expression,
                } => {
                    config.push((Cow::Borrowed("type"), s("token")));
                    config.push((
                        Cow::Borrowed("identitySource"),
                        Node::string(format!("method.request.header.{header}")),
                    ));
                    if let Some(regex) = validation_expression {
                        config.push((Cow::Borrowed("identityValidationExpression"), s(regex)));
                    }
                    header.as_str()
                }
                LambdaIdentity::Request { sources, .. } => {
                    config.push((Cow::Borrowed("type"), s("request")));
                    let sources: Vec<String> = sources.iter().map(identity_source).collect();
                    config.push((
                        Cow::Borrowed("identitySource"),
                        Node::string(sources.join(", ")),
                    ));
                    "Unused"
                }
            };
            Node::object([
                ("type", s("apiKey")),
                ("name", s(header)),
                ("in", s("header")),
                (AUTHTYPE, s("custom")),
                (AUTHORIZER, Node::Object(config)),
            ])
        }
    }
}

fn identity_source(source: &IdentitySource) -> String {
    match source {
        IdentitySource::Header(name) => format!("method.request.header.{name}"),
        IdentitySource::Query(name) => format!("method.request.querystring.{name}"),
        IdentitySource::Context(name) => format!("context.{name}"),
        IdentitySource::StageVariable(name) => format!("stageVariables.{name}"),
    }
}

/// A mapping expression, or a plain value quoted as API Gateway's static `'value'`
/// (a `${placeholder}` is a value too: Terraform fills in an origin or a name), with
/// its placeholders kept: for values the renderer puts together itself.
fn mapping_value(value: &TemplateValue) -> Pieces {
    let pieces = Pieces::from(value);
    if value.is_mapping_expression() {
        pieces
    } else {
        Pieces::around("'", &pieces, "'")
    }
}

fn integration_object<'a>(
    integration: &'a Integration,
    route: &'a RouteMeta,
    cors: Option<&'a Cors>,
) -> Node<'a> {
    let s = Node::str;
    let mut object: Entries<'a> = Vec::with_capacity(8);
    let options = integration.options();
    let mut request_parameters: Entries<'a> = Vec::new();
    let map_path_params = |names: &mut dyn Iterator<Item = &str>, into: &mut Entries<'a>| {
        for name in names {
            set(
                into,
                format!("integration.request.path.{name}"),
                Node::string(format!("method.request.path.{name}")),
            );
        }
    };
    match integration {
        Integration::LambdaProxy(lambda) => {
            object.push((Cow::Borrowed("type"), s("aws_proxy")));
            object.push((Cow::Borrowed("httpMethod"), s("POST")));
            object.push((Cow::Borrowed("uri"), Node::Template(&lambda.uri)));
            let mut names = route.path.params().map(|(name, _)| name);
            map_path_params(&mut names, &mut request_parameters);
        }
        Integration::Lambda(lambda) => {
            object.push((Cow::Borrowed("type"), s("aws")));
            object.push((Cow::Borrowed("httpMethod"), s("POST")));
            object.push((Cow::Borrowed("uri"), Node::Template(&lambda.uri)));
            if lambda.asynchronous {
                request_parameters.push((
                    Cow::Borrowed("integration.request.header.X-Amz-Invocation-Type"),
                    s("'Event'"),
                ));
            }
        }
        Integration::Http(http) => {
            object.push((
                Cow::Borrowed("type"),
                s(if http.proxy { "http_proxy" } else { "http" }),
            ));
            object.push((Cow::Borrowed("httpMethod"), s(http.method.as_str())));
            object.push((Cow::Borrowed("uri"), Node::Template(&http.url)));
            let names = url_params(http.url.as_str());
            map_path_params(
                &mut names.iter().map(String::as_str),
                &mut request_parameters,
            );
            if let Some(link) = &http.vpc_link {
                object.push((Cow::Borrowed("connectionType"), s("VPC_LINK")));
                object.push((Cow::Borrowed("connectionId"), Node::Template(link)));
            }
            if http.insecure_skip_verification {
                object.push((
                    Cow::Borrowed("tlsConfig"),
                    Node::Object(vec![(
                        Cow::Borrowed("insecureSkipVerification"),
                        Node::Bool(true),
                    )]),
                ));
            }
        }
        Integration::Mock(mock) => {
            object.push((Cow::Borrowed("type"), s("mock")));
            object.push((
                Cow::Borrowed("requestTemplates"),
                Node::Object(vec![(
                    Cow::Borrowed("application/json"),
                    Node::string(format!("{{\"statusCode\": {}}}", mock.status)),
                )]),
            ));
        }
        Integration::AwsService(aws) => {
            object.push((Cow::Borrowed("type"), s("aws")));
            object.push((Cow::Borrowed("httpMethod"), s(aws.method.as_str())));
            object.push((Cow::Borrowed("uri"), Node::Template(&aws.uri)));
        }
        // `render` reads each route's integration with its typed service action
        // lowered to `AwsService` (`generic_integrations`).
        Integration::StepFunctions(_)
        | Integration::S3(_)
        | Integration::SnsPublish(_)
        | Integration::SqsSendMessage(_)
        | Integration::DynamoDb(_)
        | Integration::PutEvents(_) => {
            debug_assert!(false, "typed service action reached the rest renderer");
        }
    }
    for (target, source) in &options.request_parameters {
        set(
            &mut request_parameters,
            target.as_str(),
            Node::Mapping(source),
        );
    }
    if !request_parameters.is_empty() {
        object.push((
            Cow::Borrowed("requestParameters"),
            Node::Object(request_parameters),
        ));
    }
    common_options(
        &mut object,
        options,
        matches!(integration, Integration::Mock(_)),
    );

    if !integration.is_proxy() {
        let single_origin = cors.and_then(static_origin);
        let rendered: Entries<'a> = integration
            .responses()
            .iter()
            .map(|response| {
                let mut value: Entries<'a> = vec![(
                    Cow::Borrowed("statusCode"),
                    Node::string(response.status.to_string()),
                )];
                let mut parameters: Entries<'a> = response
                    .headers
                    .iter()
                    .map(|(name, v)| {
                        (
                            Cow::Owned(format!("method.response.header.{name}")),
                            Node::Pieces(mapping_value(v)),
                        )
                    })
                    .collect();
                if let Some(origin) = &single_origin {
                    let key = "method.response.header.Access-Control-Allow-Origin";
                    if !parameters.iter().any(|(k, _)| k == key) {
                        parameters.push((
                            Cow::Borrowed(key),
                            Node::Pieces(Pieces::around("'", origin, "'")),
                        ));
                    }
                }
                if !parameters.is_empty() {
                    value.push((
                        Cow::Borrowed("responseParameters"),
                        Node::Object(parameters),
                    ));
                }
                if let Some(templates) = templates(&response.templates) {
                    value.push((Cow::Borrowed("responseTemplates"), templates));
                }
                if let Some(handling) = response.content_handling {
                    value.push((Cow::Borrowed("contentHandling"), json_of(handling)));
                }
                (Cow::Owned(response.pattern.clone()), Node::Object(value))
            })
            .fold(Vec::new(), |mut all, (k, v)| {
                set(&mut all, k, v);
                all
            });
        object.push((Cow::Borrowed("responses"), Node::Object(rendered)));
    }
    Node::Object(object)
}

/// A serde value as a node (enums the model spells as strings).
fn json_of<'a>(value: impl serde::Serialize) -> Node<'a> {
    Node::Json(Cow::Owned(
        serde_json::to_value(value).unwrap_or(Value::Null),
    ))
}

fn common_options<'a>(object: &mut Entries<'a>, options: &'a IntegrationOptions, mock: bool) {
    if let Some(role) = &options.credentials {
        object.push((Cow::Borrowed("credentials"), Node::Template(role)));
    }
    if let Some(timeout) = options.timeout_millis {
        object.push((
            Cow::Borrowed("timeoutInMillis"),
            Node::Number(timeout.into()),
        ));
    }
    if let Some(passthrough) = options.passthrough {
        object.push((Cow::Borrowed("passthroughBehavior"), json_of(passthrough)));
    } else if mock {
        object.push((
            Cow::Borrowed("passthroughBehavior"),
            Node::str("when_no_match"),
        ));
    }
    if let Some(handling) = options.content_handling {
        object.push((Cow::Borrowed("contentHandling"), json_of(handling)));
    }
    if let Some(namespace) = &options.cache_namespace {
        object.push((Cow::Borrowed("cacheNamespace"), Node::str(namespace)));
    }
    if !options.cache_key_parameters.is_empty() {
        object.push((
            Cow::Borrowed("cacheKeyParameters"),
            Node::Array(
                options
                    .cache_key_parameters
                    .iter()
                    .map(|p| Node::str(p))
                    .collect(),
            ),
        ));
    }
    if !options.request_templates.is_empty() {
        let existing = entry(object, "requestTemplates", || Node::Object(Vec::new()));
        if let Node::Object(templates) = existing {
            for (content_type, template) in &options.request_templates {
                set(templates, content_type.as_str(), Node::Template(template));
            }
        }
    }
}

/// A validated request body whose model makes a field nullable: API Gateway's draft-4
/// model cannot say "or null" (the converter drops `nullable`), so the gateway would
/// reject a null the handler accepts. One problem per schema and field, naming both.
fn nullable_in_validated_body(spec: &ApiSpec, route: &RouteMeta) -> Vec<String> {
    let validates_body = route
        .request_validator
        .as_ref()
        .or(spec.settings.default_request_validator.as_ref())
        .and_then(|name| spec.settings.request_validators.get(name))
        .is_some_and(|v| v.body);
    let Some(body) = route
        .operation
        .as_ref()
        .and_then(|o| o.request_body.as_ref())
    else {
        return Vec::new();
    };
    if !validates_body {
        return Vec::new();
    }
    // The body's schemas and every component they reach.
    let mut pending: Vec<(String, &Value)> = body
        .content
        .values()
        .filter_map(|m| m.schema.as_ref())
        .map(|s| ("request body".to_owned(), s.value()))
        .collect();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut problems = Vec::new();
    while let Some((owner, schema)) = pending.pop() {
        let (_, dropped) = schema::convert(schema, Dialect::ApiGateway, &BTreeMap::new());
        for lost in dropped.iter().filter(|d| d.keyword == "nullable") {
            let field = lost
                .pointer
                .rsplit_once("/properties/")
                .map_or(lost.pointer.as_str(), |(_, field)| field);
            problems.push(format!(
                "{owner} field {:?} accepts null, which its validated API Gateway model (JSON Schema draft 4) cannot: the gateway would reject null where the handler accepts it; make the field non-nullable, or validate the body in the handler (no body validator)",
                field.replace("~1", "/").replace("~0", "~")
            ));
        }
        let mut refs = Vec::new();
        collect_refs(schema, &mut refs);
        for name in refs {
            if seen.insert(name)
                && let Some(component) = route.schemas.get(name)
            {
                pending.push((format!("schema {name:?}"), component.value()));
            }
        }
    }
    problems.sort();
    problems.dedup();
    problems
}

/// The component names a schema refers to.
fn collect_refs<'a>(schema: &'a Value, out: &mut Vec<&'a str>) {
    match schema {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                out.push(name);
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// Declares a method response for every status the integration can select, with the
/// headers its integration responses set (API Gateway requires both).
fn add_method_responses(op: &mut Entries<'_>, integration: &Integration, cors: Option<&Cors>) {
    let Node::Object(responses) = entry(op, "responses", || Node::Object(Vec::new())) else {
        return;
    };
    if integration.is_proxy() {
        if responses.is_empty() {
            responses.push((Cow::Borrowed("200"), Node::Static(&[("description", "OK")])));
        }
        return;
    }
    let allow_origin = cors.and_then(static_origin).is_some();
    for response in integration.responses().iter() {
        let mut names: BTreeSet<&str> = response.headers.keys().map(String::as_str).collect();
        if allow_origin {
            names.insert("Access-Control-Allow-Origin");
        }
        // Statuses a template selects through `$context.responseOverride.status` keep
        // the headers of the integration response that selected them.
        let statuses =
            std::iter::once(response.status).chain(response.override_statuses.iter().copied());
        for status in statuses {
            let entry = entry(responses, status.to_string(), || {
                description(reason(status))
            });
            for name in &names {
                let header = Node::object([("schema", Node::string_schema())]);
                set_path(entry, "headers", name, header);
            }
        }
    }
}

/// `node[outer][inner] = value`, making objects where needed (as `serde_json`'s
/// `IndexMut` does).
fn set_path<'a>(node: &mut Node<'a>, outer: &'static str, inner: &str, value: Node<'a>) {
    if !matches!(node, Node::Object(_)) {
        *node = json_object(node);
    }
    let Node::Object(entries) = node else {
        return;
    };
    let child = entry(entries, outer, || Node::Object(Vec::new()));
    if !matches!(child, Node::Object(_)) {
        *child = json_object(child);
    }
    if let Node::Object(children) = child {
        set(children, inner.to_owned(), value);
    }
}

/// An object node from a JSON node that holds an object (null becomes `{}`).
fn json_object<'a>(node: &Node<'a>) -> Node<'a> {
    match node {
        Node::Json(Cow::Borrowed(Value::Object(map))) => Node::Object(
            map.iter()
                .map(|(k, v)| (Cow::Borrowed(k.as_str()), Node::Json(Cow::Borrowed(v))))
                .collect(),
        ),
        Node::Json(Cow::Owned(Value::Object(map))) => Node::Object(
            map.iter()
                .map(|(k, v)| (Cow::Owned(k.clone()), Node::Json(Cow::Owned(v.clone()))))
                .collect(),
        ),
        Node::Static(entries) => Node::Object(
            entries
                .iter()
                .map(|(k, v)| (Cow::Borrowed(*k), Node::str(v)))
                .collect(),
        ),
        _ => Node::Object(Vec::new()),
    }
}

/// Declares the query-string and header parameters that integration request parameters
/// read (`method.request.header.X`): API Gateway rejects a mapping from an undeclared one.
fn declare_mapped_parameters<'a>(op: &mut Entries<'a>, integration: &'a Integration) {
    let mapped: BTreeSet<(&str, &str)> = integration
        .options()
        .request_parameters
        .values()
        .filter_map(|source| {
            let text = source.as_str();
            text.strip_prefix("method.request.querystring.")
                .map(|name| ("query", name))
                .or_else(|| {
                    text.strip_prefix("method.request.header.")
                        .map(|name| ("header", name))
                })
        })
        .collect();
    if mapped.is_empty() {
        return;
    }
    let Node::Array(parameters) = entry(op, "parameters", || Node::Array(Vec::new())) else {
        return;
    };
    for (location, name) in mapped {
        let declared = parameters.iter().any(|p| {
            p.get("in").and_then(Node::as_str) == Some(location)
                && p.get("name")
                    .and_then(Node::as_str)
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
        });
        if !declared {
            parameters.push(Node::object([
                ("name", Node::str(name)),
                ("in", Node::str(location)),
                ("required", Node::Bool(false)),
                ("schema", Node::string_schema()),
            ]));
        }
    }
}

/// The single origin a static header can carry, if the policy has one.
fn static_origin(cors: &Cors) -> Option<Pieces> {
    match cors.allow_origins.as_slice() {
        [one] => Some(Pieces::from(one)),
        _ => None,
    }
}

/// The OPTIONS mocks that answer CORS preflights. Most paths share one policy: what
/// depends on the policy (and the methods of a path) alone is made once and shared.
#[derive(Default)]
struct Preflights<'a> {
    policies: Vec<Policy<'a>>,
}

/// The preflight parts of one policy.
struct Policy<'a> {
    cors: &'a Cors,
    /// `responses` of the OPTIONS method.
    responses: Rc<Value>,
    /// The integration, by the declared methods of a path.
    integrations: Vec<(Vec<Method>, Rc<Node<'static>>)>,
}

impl<'a> Preflights<'a> {
    /// The OPTIONS operation of `gateway_path`, whose routes with a CORS policy declare
    /// `declared`.
    fn operation(
        &mut self,
        gateway_path: &'a str,
        cors: &'a Cors,
        declared: &[Method],
    ) -> Node<'a> {
        let index = match self.policies.iter().position(|p| *p.cors == *cors) {
            Some(index) => index,
            None => {
                self.policies.push(Policy {
                    cors,
                    responses: Rc::new(preflight_responses(cors)),
                    integrations: Vec::new(),
                });
                self.policies.len() - 1
            }
        };
        let policy = &mut self.policies[index];
        let integration = match policy.integrations.iter().find(|(m, _)| m == declared) {
            Some((_, integration)) => Rc::clone(integration),
            None => {
                let integration = Node::shared(preflight_integration(cors, declared));
                policy
                    .integrations
                    .push((declared.to_vec(), Rc::clone(&integration)));
                integration
            }
        };
        let mut operation_id = String::from("cors_");
        push_operation_id(&mut operation_id, Method::Options, gateway_path);
        let mut op = vec![
            (Cow::Borrowed("operationId"), Node::string(operation_id)),
            (Cow::Borrowed("summary"), Node::str("CORS preflight")),
            (Cow::Borrowed("security"), Node::Array(Vec::new())),
            (
                Cow::Borrowed("responses"),
                Node::Shared(Rc::clone(&policy.responses)),
            ),
            (Cow::Borrowed(INTEGRATION), Node::SharedPart(integration)),
        ];
        let parameters: Vec<Node<'a>> = path::param_names(gateway_path)
            .map(|(name, _)| {
                Node::object([
                    ("name", Node::str(name)),
                    ("in", Node::str("path")),
                    ("required", Node::Bool(true)),
                    ("schema", Node::string_schema()),
                ])
            })
            .collect();
        if !parameters.is_empty() {
            op.push((Cow::Borrowed("parameters"), Node::Array(parameters)));
        }
        Node::Object(op)
    }
}

/// The headers a preflight answers with (`Access-Control-Allow-Methods` from the
/// declared methods), as static header values.
fn preflight_headers(cors: &Cors, declared: &[Method]) -> BTreeMap<&'static str, Pieces> {
    let mut headers: BTreeMap<&str, Pieces> = BTreeMap::new();
    headers.insert(
        "Access-Control-Allow-Methods",
        Pieces::from(format!("'{}'", cors.methods_header(declared))),
    );
    headers.insert(
        "Access-Control-Allow-Headers",
        Pieces::from(format!("'{}'", cors.allow_headers.join(","))),
    );
    if let Some(origin) = static_origin(cors) {
        headers.insert(
            "Access-Control-Allow-Origin",
            Pieces::around("'", &origin, "'"),
        );
    } else {
        headers.insert("Vary", Pieces::from("'Origin'"));
    }
    if let Some(max_age) = cors.max_age_seconds {
        headers.insert(
            "Access-Control-Max-Age",
            Pieces::from(format!("'{max_age}'")),
        );
    }
    if cors.allow_credentials {
        headers.insert("Access-Control-Allow-Credentials", Pieces::from("'true'"));
    }
    headers
}

/// The preflight's method responses: the headers it sets, declared.
fn preflight_responses(cors: &Cors) -> Value {
    let mut declared_headers: BTreeSet<&str> = preflight_headers(cors, &[]).into_keys().collect();
    if cors.allow_origins.len() > 1 {
        declared_headers.insert("Access-Control-Allow-Origin");
    }
    let method_headers: serde_json::Map<String, Value> = declared_headers
        .into_iter()
        .map(|name| (name.to_owned(), json!({"schema": {"type": "string"}})))
        .collect();
    json!({"200": {"description": "CORS preflight", "headers": method_headers}})
}

/// The preflight's mock integration.
fn preflight_integration(cors: &Cors, declared: &[Method]) -> Node<'static> {
    let mut template = Pieces::from("{}");
    if cors.allow_origins.len() > 1 {
        // A static header holds one origin: echo the caller's origin when it is allowed.
        template = Pieces::from("#set($origin = $input.params().header.get('Origin'))\n#if(");
        for (i, origin) in cors.allow_origins.iter().enumerate() {
            if i > 0 {
                template.push_text(" || ");
            }
            template.push_text("$origin == \"");
            template.push_value(origin);
            template.push_text("\"");
        }
        template.push_text(
            ")\n#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)\n#end\n{}",
        );
    }
    let response_parameters: Entries<'static> = preflight_headers(cors, declared)
        .into_iter()
        .map(|(name, value)| {
            (
                Cow::Owned(format!("method.response.header.{name}")),
                Node::Pieces(value),
            )
        })
        .collect();
    Node::object([
        ("type", Node::str("mock")),
        (
            "requestTemplates",
            Node::Static(&[("application/json", "{\"statusCode\": 200}")]),
        ),
        ("passthroughBehavior", Node::str("when_no_match")),
        (
            "responses",
            Node::object([(
                "default",
                Node::object([
                    ("statusCode", Node::str("200")),
                    ("responseParameters", Node::Object(response_parameters)),
                    (
                        "responseTemplates",
                        Node::object([("application/json", Node::Pieces(template))]),
                    ),
                ]),
            )]),
        ),
    ])
}

fn settings<'a>(spec: &'a ApiSpec, resolved: &Resolved<'a>, document: &mut Entries<'a>) {
    let settings = &spec.settings;
    if let Some(source) = settings.api_key_source {
        document.push((Cow::Borrowed(API_KEY_SOURCE), json_of(source)));
    }
    if !settings.binary_media_types.is_empty() {
        document.push((
            Cow::Borrowed(BINARY_MEDIA_TYPES),
            Node::Array(
                settings
                    .binary_media_types
                    .iter()
                    .map(|t| Node::str(t))
                    .collect(),
            ),
        ));
    }
    if let Some(size) = settings.minimum_compression_size {
        document.push((
            Cow::Borrowed(MINIMUM_COMPRESSION_SIZE),
            Node::Number(size.into()),
        ));
    }
    if let Some(policy) = &settings.policy {
        document.push((Cow::Borrowed(POLICY), Node::TemplateJson(policy.document())));
    }
    if let Some(endpoint) = &settings.endpoint {
        let mut configuration: Entries<'a> = Vec::new();
        if !endpoint.vpc_endpoint_ids.is_empty() {
            configuration.push((
                Cow::Borrowed("vpcEndpointIds"),
                Node::Array(
                    endpoint
                        .vpc_endpoint_ids
                        .iter()
                        .map(Node::Template)
                        .collect(),
                ),
            ));
        }
        if endpoint.disable_execute_api_endpoint {
            configuration.push((Cow::Borrowed("disableExecuteApiEndpoint"), Node::Bool(true)));
        }
        if !configuration.is_empty() {
            // A server URL with a path would become a base path on import: none here.
            document.push((
                Cow::Borrowed("servers"),
                Node::Array(vec![Node::object([
                    ("url", Node::str("/")),
                    (ENDPOINT_CONFIGURATION, Node::Object(configuration)),
                ])]),
            ));
        }
    }
    if !settings.request_validators.is_empty() {
        let validators: Entries<'a> = settings
            .request_validators
            .iter()
            .map(|(name, v)| {
                (
                    Cow::Borrowed(name.as_str()),
                    Node::object([
                        ("validateRequestBody", Node::Bool(v.body)),
                        ("validateRequestParameters", Node::Bool(v.parameters)),
                    ]),
                )
            })
            .collect();
        document.push((Cow::Borrowed(REQUEST_VALIDATORS), Node::Object(validators)));
    }
    if let Some(default) = &settings.default_request_validator {
        document.push((Cow::Borrowed(REQUEST_VALIDATOR), Node::str(default)));
    }
    let responses = gateway_responses(spec, resolved);
    if !responses.is_empty() {
        document.push((Cow::Borrowed(GATEWAY_RESPONSES), Node::Object(responses)));
    }
}

/// The declared gateway responses, plus CORS headers on `DEFAULT_4XX`/`DEFAULT_5XX`
/// when routes use CORS, so that errors API Gateway makes itself reach browsers too.
fn gateway_responses<'a>(spec: &'a ApiSpec, resolved: &Resolved<'a>) -> Entries<'a> {
    let mut out = Vec::new();
    let cors_headers: Option<BTreeMap<String, Pieces>> = resolved.error_cors().map(|cors| {
        cors.headers()
            .iter()
            .map(|(name, value)| ((*name).to_owned(), Pieces::from(value)))
            .collect()
    });
    let mut kinds: BTreeSet<&str> = spec
        .settings
        .gateway_responses
        .keys()
        .map(String::as_str)
        .collect();
    if cors_headers.is_some() {
        kinds.extend(["DEFAULT_4XX", "DEFAULT_5XX"]);
    }
    for kind in kinds {
        let declared = spec.settings.gateway_responses.get(kind);
        let mut parameters: BTreeMap<String, Pieces> = BTreeMap::new();
        if let (Some(headers), true) = (&cors_headers, kind.starts_with("DEFAULT_")) {
            for (name, value) in headers {
                parameters.insert(format!("gatewayresponse.header.{name}"), value.clone());
            }
        }
        let mut value: Entries<'_> = Vec::new();
        if let Some(declared) = declared {
            for (name, v) in &declared.headers {
                parameters.insert(format!("gatewayresponse.header.{name}"), mapping_value(v));
            }
            if let Some(status) = declared.status {
                value.push((
                    Cow::Borrowed("statusCode"),
                    Node::string(status.to_string()),
                ));
            }
            if let Some(templates) = templates(&declared.templates) {
                value.push((Cow::Borrowed("responseTemplates"), templates));
            }
        }
        if !parameters.is_empty() {
            value.push((
                Cow::Borrowed("responseParameters"),
                Node::Object(
                    parameters
                        .into_iter()
                        .map(|(k, v)| (Cow::Owned(k), Node::Pieces(v)))
                        .collect(),
                ),
            ));
        }
        out.push((Cow::Owned(kind.to_owned()), Node::Object(value)));
    }
    out
}

/// Mapping templates, if there are any.
fn templates<'a>(templates: &BTreeMap<String, TemplateValue>) -> Option<Node<'a>> {
    let nodes: Entries<'a> = templates
        .iter()
        .map(|(k, v)| (Cow::Owned(k.clone()), Node::Pieces(Pieces::from(v))))
        .collect();
    (!nodes.is_empty()).then_some(Node::Object(nodes))
}

/// What API Gateway refuses in a (generic) integration's options: timeouts, integration
/// responses, request parameters that read path parameters the route lacks.
fn integration_problems(integration: &Integration, route: &RouteMeta) -> Vec<String> {
    let mut problems = Vec::new();
    let options = integration.options();
    if let Some(timeout) = options.timeout_millis
        && !(50..=300_000).contains(&timeout)
    {
        problems.push(format!(
                "integration timeout {timeout}ms is outside 50..=29000 (or up to 300000 with a quota increase)"
            ));
    }
    if integration.is_proxy() && !options.responses.is_empty() {
        problems.push(
            "proxy integrations pass responses through; integration responses would be ignored"
                .to_owned(),
        );
    }
    let mut patterns = BTreeSet::new();
    for response in &options.responses {
        if !(100..=599).contains(&response.status) {
            problems.push(format!(
                "integration response status {} is not an HTTP status",
                response.status
            ));
        }
        for status in &response.override_statuses {
            if !(100..=599).contains(status) {
                problems.push(format!(
                    "integration response override status {status} is not an HTTP status"
                ));
            }
        }
        if !patterns.insert(response.pattern.as_str()) {
            problems.push(format!(
                "integration response pattern {:?} is used twice",
                response.pattern
            ));
        }
    }
    let reads_path = |source: &TemplateValue| source.as_str().starts_with("method.request.path.");
    let route_params: Vec<&str> = if options.request_parameters.values().any(reads_path) {
        route.path.params().map(|(name, _)| name).collect()
    } else {
        Vec::new()
    };
    for (target, source) in &options.request_parameters {
        if let Some(name) = source.as_str().strip_prefix("method.request.path.")
            && !route_params.contains(&name)
        {
            problems.push(format!(
                "request parameter {target:?} reads {:?}, but the route has no path parameter {{{name}}}",
                source.as_str()
            ));
        }
    }
    problems
}
