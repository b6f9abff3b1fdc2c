//! The private spec for API Gateway REST APIs. This is the only module that writes
//! `x-amazon-apigateway-*` keys.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::{
    PrivateSpec, Schemas, by_gateway_path, components, info, method_key, operation, reason,
};
use crate::auth::{Authorizer, IdentitySource, LambdaIdentity, Security};
use crate::error::{ErrorKind, SpecError, SpecErrors};
use crate::integration::{Integration, IntegrationOptions, IntegrationResponse};
use crate::route::RouteMeta;
use crate::schema::{self, Dialect};
use crate::spec::{ApiSpec, url_params};
use crate::{Cors, Method, TemplateValue, path};

const INTEGRATION: &str = "x-amazon-apigateway-integration";
const ANY_METHOD: &str = "x-amazon-apigateway-any-method";
const AUTHORIZER: &str = "x-amazon-apigateway-authorizer";
const AUTHTYPE: &str = "x-amazon-apigateway-authtype";
const API_KEY_SOURCE: &str = "x-amazon-apigateway-api-key-source";
const BINARY_MEDIA_TYPES: &str = "x-amazon-apigateway-binary-media-types";
const MINIMUM_COMPRESSION_SIZE: &str = "x-amazon-apigateway-minimum-compression-size";
const POLICY: &str = "x-amazon-apigateway-policy";
const ENDPOINT_CONFIGURATION: &str = "x-amazon-apigateway-endpoint-configuration";
const GATEWAY_RESPONSES: &str = "x-amazon-apigateway-gateway-responses";
const REQUEST_VALIDATORS: &str = "x-amazon-apigateway-request-validators";
const REQUEST_VALIDATOR: &str = "x-amazon-apigateway-request-validator";

/// Renders the REST API private spec, after every check (neutral and REST) passed.
pub(crate) fn render(spec: &ApiSpec) -> Result<PrivateSpec, SpecErrors> {
    let mut errors = spec.problems();
    errors.extend(rest_problems(spec));
    SpecErrors::from_vec(errors)?;

    let routes: Vec<&RouteMeta> = spec.routes.iter().collect();
    let renames = schema::model_names(
        routes
            .iter()
            .flat_map(|r| r.schemas.keys().map(String::as_str)),
    )
    .unwrap_or_default();
    let schemas = Schemas::new(Some(Dialect::ApiGateway), &renames, &routes);

    let mut paths = Map::new();
    let mut security_schemes = Map::new();
    for (gateway_path, routes) in by_gateway_path(&spec.routes) {
        let mut item = Map::new();
        for route in &routes {
            let mut op = operation(route, &schemas, true);
            if let Some(security) = &route.security {
                op.insert("security".into(), security_requirements(security));
                for grant in security.grants() {
                    security_schemes
                        .entry(grant.authorizer.name().to_owned())
                        .or_insert_with(|| security_scheme(&grant.authorizer));
                }
            }
            if let Some(validator) = &route.request_validator {
                op.insert(REQUEST_VALIDATOR.into(), validator.clone().into());
            }
            if let Some(integration) = &route.integration {
                let cors = route.cors.as_ref();
                add_method_responses(&mut op, integration, cors);
                declare_mapped_parameters(&mut op, integration);
                op.insert(
                    INTEGRATION.into(),
                    integration_object(integration, route, cors),
                );
            }
            let key = if route.method == Method::Any {
                ANY_METHOD.to_owned()
            } else {
                method_key(route.method)
            };
            item.insert(key, Value::Object(op));
        }
        if let Some(cors) = routes.iter().find_map(|r| r.cors.as_ref()) {
            let declared: Vec<Method> = routes
                .iter()
                .filter(|r| r.cors.is_some())
                .map(|r| r.method)
                .collect();
            item.insert("options".into(), preflight(&gateway_path, cors, &declared));
        }
        paths.insert(gateway_path, Value::Object(item));
    }

    let mut document = Map::new();
    document.insert("openapi".into(), "3.0.1".into());
    document.insert("info".into(), info(spec));
    document.insert("paths".into(), Value::Object(paths));
    if let Some(components) = components(schemas.components(&routes), security_schemes) {
        document.insert("components".into(), components);
    }
    settings(spec, &mut document);
    Ok(PrivateSpec {
        document: Value::Object(document),
    })
}

/// What REST APIs cannot express, even though the model can.
fn rest_problems(spec: &ApiSpec) -> Vec<SpecError> {
    let mut errors = Vec::new();
    for route in &spec.routes {
        let Some(security) = &route.security else {
            continue;
        };
        if security.alternatives.len() > 1 {
            errors.push(SpecError::new(
                Some(route.label()),
                ErrorKind::Unsupported,
                format!(
                    "rest apis cannot express alternative authorizers ({}); require them together or pick one",
                    alternatives_text(security)
                ),
            ));
        }
        for requirement in &security.alternatives {
            let custom: Vec<&str> = requirement
                .all
                .iter()
                .map(|g| g.authorizer.name())
                .filter(|name| *name != Authorizer::API_KEY)
                .collect();
            if custom.len() > 1 {
                errors.push(SpecError::new(
                    Some(route.label()),
                    ErrorKind::Unsupported,
                    format!(
                        "rest apis run one authorizer per method (plus an api key), not {custom:?}"
                    ),
                ));
            }
        }
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

fn security_requirements(security: &Security) -> Value {
    security
        .alternatives
        .iter()
        .map(|requirement| {
            let map: Map<String, Value> = requirement
                .all
                .iter()
                .map(|grant| (grant.authorizer.name().to_owned(), json!(grant.scopes)))
                .collect();
            Value::Object(map)
        })
        .collect()
}

fn security_scheme(authorizer: &Authorizer) -> Value {
    match authorizer {
        Authorizer::ApiKey => json!({"type": "apiKey", "name": "x-api-key", "in": "header"}),
        Authorizer::Iam => {
            json!({"type": "apiKey", "name": "Authorization", "in": "header", AUTHTYPE: "awsSigv4"})
        }
        Authorizer::Cognito(cognito) => json!({
            "type": "apiKey",
            "name": cognito.header,
            "in": "header",
            AUTHTYPE: "cognito_user_pools",
            AUTHORIZER: {
                "type": "cognito_user_pools",
                "providerARNs": cognito.user_pools.iter().map(TemplateValue::marked).collect::<Vec<_>>(),
            },
        }),
        Authorizer::Lambda(lambda) => {
            let mut config = Map::new();
            config.insert("authorizerUri".into(), lambda.uri.marked().into());
            if let Some(role) = &lambda.credentials {
                config.insert("authorizerCredentials".into(), role.marked().into());
            }
            if let Some(ttl) = lambda.ttl_seconds {
                config.insert("authorizerResultTtlInSeconds".into(), ttl.into());
            }
            let header = match &lambda.identity {
                LambdaIdentity::Token {
                    header,
                    validation_expression,
                } => {
                    config.insert("type".into(), "token".into());
                    config.insert(
                        "identitySource".into(),
                        format!("method.request.header.{header}").into(),
                    );
                    if let Some(regex) = validation_expression {
                        config.insert("identityValidationExpression".into(), regex.clone().into());
                    }
                    header.clone()
                }
                LambdaIdentity::Request { sources, .. } => {
                    config.insert("type".into(), "request".into());
                    let sources: Vec<String> = sources.iter().map(identity_source).collect();
                    config.insert("identitySource".into(), sources.join(", ").into());
                    "Unused".to_owned()
                }
            };
            json!({"type": "apiKey", "name": header, "in": "header", AUTHTYPE: "custom", AUTHORIZER: config})
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
/// (a `${placeholder}` is a value too: Terraform fills in an origin or a name).
fn mapping_value(value: &TemplateValue) -> String {
    let text = value.as_str();
    let expression = [
        "'",
        "method.request.",
        "integration.response.",
        "stageVariables.",
        "context.",
        "$context.",
        "$stageVariables.",
    ]
    .iter()
    .any(|prefix| text.starts_with(prefix));
    if expression {
        value.marked()
    } else {
        format!("'{}'", value.marked())
    }
}

fn integration_object(integration: &Integration, route: &RouteMeta, cors: Option<&Cors>) -> Value {
    let mut object = Map::new();
    let options = integration.options();
    let mut request_parameters: BTreeMap<String, String> = BTreeMap::new();
    let path_params: Vec<String> = path::params(&route.path)
        .into_iter()
        .map(|p| p.name)
        .collect();
    let map_path_params = |names: &[String], into: &mut BTreeMap<String, String>| {
        for name in names {
            into.insert(
                format!("integration.request.path.{name}"),
                format!("method.request.path.{name}"),
            );
        }
    };
    match integration {
        Integration::LambdaProxy(lambda) => {
            object.insert("type".into(), "aws_proxy".into());
            object.insert("httpMethod".into(), "POST".into());
            object.insert("uri".into(), lambda.uri.marked().into());
            map_path_params(&path_params, &mut request_parameters);
        }
        Integration::Lambda(lambda) => {
            object.insert("type".into(), "aws".into());
            object.insert("httpMethod".into(), "POST".into());
            object.insert("uri".into(), lambda.uri.marked().into());
            if lambda.asynchronous {
                request_parameters.insert(
                    "integration.request.header.X-Amz-Invocation-Type".into(),
                    "'Event'".into(),
                );
            }
        }
        Integration::Http(http) => {
            object.insert(
                "type".into(),
                if http.proxy { "http_proxy" } else { "http" }.into(),
            );
            object.insert("httpMethod".into(), http.method.as_str().into());
            object.insert("uri".into(), http.url.marked().into());
            map_path_params(&url_params(http.url.as_str()), &mut request_parameters);
            if let Some(link) = &http.vpc_link {
                object.insert("connectionType".into(), "VPC_LINK".into());
                object.insert("connectionId".into(), link.marked().into());
            }
            if http.insecure_skip_verification {
                object.insert(
                    "tlsConfig".into(),
                    json!({"insecureSkipVerification": true}),
                );
            }
        }
        Integration::Mock(mock) => {
            object.insert("type".into(), "mock".into());
            object.insert(
                "requestTemplates".into(),
                json!({"application/json": format!("{{\"statusCode\": {}}}", mock.status)}),
            );
        }
        Integration::AwsService(aws) => {
            object.insert("type".into(), "aws".into());
            object.insert("httpMethod".into(), aws.method.as_str().into());
            object.insert("uri".into(), aws.uri.marked().into());
        }
    }
    for (target, source) in &options.request_parameters {
        request_parameters.insert(target.clone(), mapping_value(source));
    }
    if !request_parameters.is_empty() {
        object.insert("requestParameters".into(), json!(request_parameters));
    }
    common_options(&mut object, options);

    if !integration.is_proxy() {
        let responses = integration_responses(integration);
        let single_origin = cors.and_then(static_origin);
        let rendered: Map<String, Value> = responses
            .iter()
            .map(|response| {
                let mut value = Map::new();
                value.insert("statusCode".into(), response.status.to_string().into());
                let mut parameters: BTreeMap<String, String> = response
                    .headers
                    .iter()
                    .map(|(name, v)| (format!("method.response.header.{name}"), mapping_value(v)))
                    .collect();
                if let Some(origin) = &single_origin {
                    parameters
                        .entry("method.response.header.Access-Control-Allow-Origin".into())
                        .or_insert_with(|| format!("'{origin}'"));
                }
                if !parameters.is_empty() {
                    value.insert("responseParameters".into(), json!(parameters));
                }
                if let Some(templates) = marked(&response.templates) {
                    value.insert("responseTemplates".into(), templates);
                }
                if let Some(handling) = response.content_handling {
                    value.insert("contentHandling".into(), json!(handling));
                }
                (response.pattern.clone(), Value::Object(value))
            })
            .collect();
        object.insert("responses".into(), Value::Object(rendered));
    }
    Value::Object(object)
}

fn common_options(object: &mut Map<String, Value>, options: &IntegrationOptions) {
    if let Some(role) = &options.credentials {
        object.insert("credentials".into(), role.marked().into());
    }
    if let Some(timeout) = options.timeout_millis {
        object.insert("timeoutInMillis".into(), timeout.into());
    }
    if let Some(passthrough) = options.passthrough {
        object.insert("passthroughBehavior".into(), json!(passthrough));
    } else if object.get("type") == Some(&json!("mock")) {
        object.insert("passthroughBehavior".into(), "when_no_match".into());
    }
    if let Some(handling) = options.content_handling {
        object.insert("contentHandling".into(), json!(handling));
    }
    if let Some(namespace) = &options.cache_namespace {
        object.insert("cacheNamespace".into(), namespace.clone().into());
    }
    if !options.cache_key_parameters.is_empty() {
        object.insert(
            "cacheKeyParameters".into(),
            json!(options.cache_key_parameters),
        );
    }
    if !options.request_templates.is_empty() {
        let templates: BTreeMap<&String, String> = options
            .request_templates
            .iter()
            .map(|(k, v)| (k, v.marked()))
            .collect();
        let existing = object
            .entry("requestTemplates")
            .or_insert_with(|| json!({}));
        for (content_type, template) in templates {
            existing[content_type] = template.into();
        }
    }
}

/// The integration responses a non-proxy integration renders: the declared ones, a
/// mock's own response, or `default → 200`.
fn integration_responses(integration: &Integration) -> Vec<IntegrationResponse> {
    let declared = &integration.options().responses;
    if let Integration::Mock(mock) = integration {
        let mut response = IntegrationResponse::default_status(mock.status);
        for (name, value) in &mock.headers {
            response = response.header(name.clone(), value.as_str());
        }
        for (content_type, body) in &mock.bodies {
            response = response.template(content_type.clone(), body.clone());
        }
        let mut all = vec![response];
        all.extend(declared.iter().filter(|r| r.pattern != "default").cloned());
        return all;
    }
    if declared.is_empty() {
        vec![IntegrationResponse::default_status(200)]
    } else {
        declared.clone()
    }
}

/// Declares a method response for every status the integration can select, with the
/// headers its integration responses set (API Gateway requires both).
fn add_method_responses(
    op: &mut Map<String, Value>,
    integration: &Integration,
    cors: Option<&Cors>,
) {
    let responses = op
        .entry("responses")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .map(std::mem::take)
        .unwrap_or_default();
    let mut responses = responses;
    if integration.is_proxy() {
        if responses.is_empty() {
            responses.insert("200".into(), json!({"description": "OK"}));
        }
    } else {
        for response in integration_responses(integration) {
            let mut names: BTreeSet<&str> = response.headers.keys().map(String::as_str).collect();
            if cors.and_then(static_origin).is_some() {
                names.insert("Access-Control-Allow-Origin");
            }
            // Statuses a template selects through `$context.responseOverride.status` keep
            // the headers of the integration response that selected them.
            let statuses =
                std::iter::once(response.status).chain(response.override_statuses.iter().copied());
            for status in statuses {
                let entry = responses
                    .entry(status.to_string())
                    .or_insert_with(|| json!({"description": reason(status)}));
                for name in &names {
                    entry["headers"][*name] = json!({"schema": {"type": "string"}});
                }
            }
        }
    }
    op.insert("responses".into(), Value::Object(responses));
}

/// Declares the query-string and header parameters that integration request parameters
/// read (`method.request.header.X`): API Gateway rejects a mapping from an undeclared one.
fn declare_mapped_parameters(op: &mut Map<String, Value>, integration: &Integration) {
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
    let parameters = op
        .entry("parameters")
        .or_insert_with(|| json!([]))
        .as_array_mut();
    let Some(parameters) = parameters else {
        return;
    };
    for (location, name) in mapped {
        let declared = parameters.iter().any(|p| {
            p["in"] == location
                && p["name"]
                    .as_str()
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
        });
        if !declared {
            parameters.push(json!({"name": name, "in": location, "required": false, "schema": {"type": "string"}}));
        }
    }
}

/// The single origin a static header can carry, if the policy has one.
fn static_origin(cors: &Cors) -> Option<String> {
    match cors.allow_origins.as_slice() {
        [one] => Some(one.marked()),
        _ => None,
    }
}

/// The OPTIONS mock that answers CORS preflights for one path.
fn preflight(gateway_path: &str, cors: &Cors, declared: &[Method]) -> Value {
    let parameters: Vec<Value> = path::params(gateway_path)
        .into_iter()
        .map(|p| json!({"name": p.name, "in": "path", "required": true, "schema": {"type": "string"}}))
        .collect();
    let mut headers = BTreeMap::new();
    headers.insert(
        "Access-Control-Allow-Methods",
        format!("'{}'", cors.methods_header(declared)),
    );
    headers.insert(
        "Access-Control-Allow-Headers",
        format!("'{}'", cors.allow_headers.join(",")),
    );
    if let Some(origin) = static_origin(cors) {
        headers.insert("Access-Control-Allow-Origin", format!("'{origin}'"));
    } else {
        headers.insert("Vary", "'Origin'".to_owned());
    }
    if let Some(max_age) = cors.max_age_seconds {
        headers.insert("Access-Control-Max-Age", format!("'{max_age}'"));
    }
    if cors.allow_credentials {
        headers.insert("Access-Control-Allow-Credentials", "'true'".to_owned());
    }
    let mut declared_headers: BTreeSet<&str> = headers.keys().copied().collect();
    let mut template = "{}".to_owned();
    if cors.allow_origins.len() > 1 {
        // A static header holds one origin: echo the caller's origin when it is allowed.
        declared_headers.insert("Access-Control-Allow-Origin");
        let checks: Vec<String> = cors
            .allow_origins
            .iter()
            .map(|o| format!("$origin == \"{}\"", o.marked()))
            .collect();
        template = format!(
            "#set($origin = $input.params().header.get('Origin'))\n#if({})\n#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)\n#end\n{{}}",
            checks.join(" || ")
        );
    }
    let method_headers: Map<String, Value> = declared_headers
        .into_iter()
        .map(|name| (name.to_owned(), json!({"schema": {"type": "string"}})))
        .collect();
    let response_parameters: BTreeMap<String, String> = headers
        .into_iter()
        .map(|(name, value)| (format!("method.response.header.{name}"), value))
        .collect();
    let mut op = json!({
        "operationId": format!("cors_{}", super::default_operation_id(&RouteMeta::new(Method::Options, gateway_path))),
        "summary": "CORS preflight",
        "security": [],
        "responses": {"200": {"description": "CORS preflight", "headers": method_headers}},
        INTEGRATION: {
            "type": "mock",
            "requestTemplates": {"application/json": "{\"statusCode\": 200}"},
            "passthroughBehavior": "when_no_match",
            "responses": {"default": {
                "statusCode": "200",
                "responseParameters": response_parameters,
                "responseTemplates": {"application/json": template},
            }},
        },
    });
    if !parameters.is_empty() {
        op["parameters"] = parameters.into();
    }
    op
}

fn settings(spec: &ApiSpec, document: &mut Map<String, Value>) {
    let settings = &spec.settings;
    if let Some(source) = settings.api_key_source {
        document.insert(API_KEY_SOURCE.into(), json!(source));
    }
    if !settings.binary_media_types.is_empty() {
        document.insert(
            BINARY_MEDIA_TYPES.into(),
            json!(settings.binary_media_types),
        );
    }
    if let Some(size) = settings.minimum_compression_size {
        document.insert(MINIMUM_COMPRESSION_SIZE.into(), size.into());
    }
    if let Some(policy) = &settings.policy {
        document.insert(POLICY.into(), mark_strings(policy));
    }
    if let Some(endpoint) = &settings.endpoint {
        let mut configuration = Map::new();
        if !endpoint.vpc_endpoint_ids.is_empty() {
            let ids: Vec<String> = endpoint
                .vpc_endpoint_ids
                .iter()
                .map(TemplateValue::marked)
                .collect();
            configuration.insert("vpcEndpointIds".into(), ids.into());
        }
        if endpoint.disable_execute_api_endpoint {
            configuration.insert("disableExecuteApiEndpoint".into(), true.into());
        }
        if !configuration.is_empty() {
            // A server URL with a path would become a base path on import: none here.
            document.insert(
                "servers".into(),
                json!([{"url": "/", ENDPOINT_CONFIGURATION: configuration}]),
            );
        }
    }
    if !settings.request_validators.is_empty() {
        let validators: Map<String, Value> = settings
            .request_validators
            .iter()
            .map(|(name, v)| {
                (
                    name.clone(),
                    json!({"validateRequestBody": v.body, "validateRequestParameters": v.parameters}),
                )
            })
            .collect();
        document.insert(REQUEST_VALIDATORS.into(), Value::Object(validators));
    }
    if let Some(default) = &settings.default_request_validator {
        document.insert(REQUEST_VALIDATOR.into(), default.clone().into());
    }
    let responses = gateway_responses(spec);
    if !responses.is_empty() {
        document.insert(GATEWAY_RESPONSES.into(), Value::Object(responses));
    }
}

/// The declared gateway responses, plus CORS headers on `DEFAULT_4XX`/`DEFAULT_5XX`
/// when routes use CORS, so that errors API Gateway makes itself reach browsers too.
fn gateway_responses(spec: &ApiSpec) -> Map<String, Value> {
    let mut out = Map::new();
    let policies: Vec<&Cors> = spec.routes.iter().filter_map(|r| r.cors.as_ref()).collect();
    let origins: BTreeSet<String> = policies.iter().filter_map(|c| static_origin(c)).collect();
    let cors_headers: Option<BTreeMap<String, String>> = policies.first().map(|first| {
        let mut headers = BTreeMap::new();
        // One origin across all policies: safe to state it; several: a static header can't.
        if origins.len() == 1
            && policies.iter().all(|c| c.allow_origins.len() == 1)
            && let Some(origin) = origins.first()
        {
            headers.insert(
                "Access-Control-Allow-Origin".to_owned(),
                format!("'{origin}'"),
            );
        }
        headers.insert(
            "Access-Control-Allow-Headers".to_owned(),
            format!("'{}'", first.allow_headers.join(",")),
        );
        if first.allow_credentials {
            headers.insert(
                "Access-Control-Allow-Credentials".to_owned(),
                "'true'".to_owned(),
            );
        }
        headers
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
        let mut parameters: BTreeMap<String, String> = BTreeMap::new();
        if let (Some(headers), true) = (&cors_headers, kind.starts_with("DEFAULT_")) {
            for (name, value) in headers {
                parameters.insert(format!("gatewayresponse.header.{name}"), value.clone());
            }
        }
        let mut value = Map::new();
        if let Some(declared) = declared {
            for (name, v) in &declared.headers {
                parameters.insert(format!("gatewayresponse.header.{name}"), mapping_value(v));
            }
            if let Some(status) = declared.status {
                value.insert("statusCode".into(), status.to_string().into());
            }
            if let Some(templates) = marked(&declared.templates) {
                value.insert("responseTemplates".into(), templates);
            }
        }
        if !parameters.is_empty() {
            value.insert("responseParameters".into(), json!(parameters));
        }
        out.insert(kind.to_owned(), Value::Object(value));
    }
    out
}

/// Policy documents are JSON written by the user: placeholders in their strings count.
fn mark_strings(value: &Value) -> Value {
    match value {
        Value::String(s) => TemplateValue::from(s.as_str()).marked().into(),
        Value::Array(items) => items.iter().map(mark_strings).collect(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.clone(), mark_strings(v)))
            .collect(),
        other => other.clone(),
    }
}

/// Mapping templates with their placeholders marked, if there are any.
fn marked(templates: &BTreeMap<String, TemplateValue>) -> Option<Value> {
    let marked: Map<String, Value> = templates
        .iter()
        .map(|(k, v)| (k.clone(), v.marked().into()))
        .collect();
    (!marked.is_empty()).then_some(Value::Object(marked))
}
