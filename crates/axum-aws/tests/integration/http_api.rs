//! The HTTP API (v2) target: golden private specs per feature (`*-http-private.snap`,
//! validated as OpenAPI 3.0 and rendered through Terraform by `make check-specs`, imported
//! into moto's apigatewayv2 by `make moto-http-api`), and one rejection test per feature
//! an HTTP API cannot express, each with its own message naming `METHOD /path`.

use std::time::Duration;

use axum_aws::auth::{
    Authorizer, CognitoAuthorizer, Grant, IdentitySource, JwtAuthorizer, LambdaAuthorizer, Security,
};
use axum_aws::integration::{
    AwsService, Field, Http, IntegrationResponse, Lambda, LambdaProxy, Mock, PayloadFormat,
    PutEvents, Queue, S3, SnsPublish, Source, SqsSendMessage, StepFunctions, Table,
};
use axum_aws::routing::{any, delete, get, post, put};
use axum_aws::{
    ApiSettings, AwsRouter, Cors, EndpointType, ErrorKind, GatewayResponse, Info, Method,
    RequestValidator, ResourcePolicy, Target,
};
use serde_json::Value;

async fn ok() -> &'static str {
    "ok"
}

fn lambda() -> LambdaProxy {
    LambdaProxy::new("${api_invoke_arn}")
}

fn info(name: &str) -> Info {
    Info::new(format!("http api {name}"), "1.0.0")
}

/// Lambda proxy (payload 2.0, and 1.0 on request), greedy paths, `ANY`, a timeout and a role.
fn lambda_proxy() -> AwsRouter {
    AwsRouter::new()
        .route("/", get(ok))
        .route("/pets", get(ok))
        .route("/pets", post(ok))
        .route("/pets/{id}", get(ok))
        .route("/pets/{id}", delete(ok))
        .route("/files/{*path}", any(ok))
        .route(
            "/legacy/{id}",
            get(ok).integration(
                LambdaProxy::new("${legacy_invoke_arn}")
                    .payload_format(PayloadFormat::V1)
                    .timeout(Duration::from_secs(10))
                    .credentials("${lambda_role_arn}"),
            ),
        )
        .default_integration(lambda())
}

/// HTTP proxies: a path parameter in the URL, a greedy proxy over a VPC link, parameter
/// mapping in REST syntax (translated) and in HTTP API syntax.
fn http_backends() -> AwsRouter {
    AwsRouter::new()
        .route(
            "/items/{id}",
            get(ok).integration(
                Http::proxy(Method::Get, "https://${backend_host}/items/{id}")
                    .timeout(Duration::from_millis(5000))
                    .request_parameter(
                        "integration.request.header.x-item-id",
                        "method.request.path.id",
                    )
                    .request_parameter("integration.request.querystring.source", "'gateway'")
                    .request_parameter("append:header.x-request-id", "$context.requestId"),
            ),
        )
        .route(
            "/internal/{*path}",
            any(ok).integration(
                Http::proxy(Method::Any, "${listener_arn}")
                    .vpc_link("${vpc_link_id}")
                    .request_parameter("overwrite:path", "$request.path"),
            ),
        )
}

/// AWS-service integrations as subtypes, from the same typed builders REST uses.
fn services() -> AwsRouter {
    AwsRouter::new()
        .route(
            "/orders",
            post(ok).integration(
                SqsSendMessage::new("${region}", Queue::new("${account_id}", "orders.fifo"))
                    .group_id(Source::body("$.customerId"))
                    .deduplication_id(Source::context("requestId"))
                    .attribute("tenant", Source::header("X-Tenant"))
                    .attribute("origin", Source::literal("${environment}")),
            ),
        )
        .route(
            "/jobs",
            post(ok).integration(
                SqsSendMessage::new("${region}", Queue::url("${jobs_queue_url}"))
                    .message(Source::body("$.payload"))
                    .timeout(Duration::from_secs(5)),
            ),
        )
        .route(
            "/events/{kind}",
            post(ok).integration(
                PutEvents::new("${region}", "shop.orders", "unused")
                    .detail_type(Source::path("kind"))
                    .bus("${event_bus_name}")
                    .detail_path("$.detail"),
            ),
        )
        .route(
            "/workflows",
            post(ok).integration(
                StepFunctions::start_execution("${region}", "${workflow_arn}")
                    .execution_name(Source::context("requestId")),
            ),
        )
        .route(
            "/quotes",
            post(ok).integration(StepFunctions::start_sync_execution(
                "${region}",
                "${quote_workflow_arn}",
            )),
        )
        .default_credentials("${apigw_service_role_arn}")
}

/// JWT (a Cognito pool, another issuer), Lambda REQUEST authorizers in payload 2.0 with
/// simple responses and a TTL and in payload 1.0, IAM, and a public route.
fn auth() -> AwsRouter {
    let users = JwtAuthorizer::cognito(
        "users",
        "${region}",
        "${user_pool_id}",
        ["${app_client_id}"],
    );
    let partners = JwtAuthorizer::new(
        "partners",
        "https://${partner_issuer_host}/",
        ["https://api.example.com", "${partner_audience}"],
    )
    .header("X-Partner-Token");
    let tenants = LambdaAuthorizer::request(
        "tenantAuth",
        "${authorizer_invoke_arn}",
        [
            IdentitySource::header("Authorization"),
            IdentitySource::context("routeKey"),
        ],
    )
    .simple_responses()
    .ttl(Duration::from_secs(300));
    let legacy = LambdaAuthorizer::request(
        "legacyAuth",
        "${authorizer_invoke_arn}",
        [IdentitySource::query("token")],
    )
    .credentials("${authorizer_role_arn}");
    AwsRouter::new()
        .route("/health", get(ok).public())
        .route(
            "/orders",
            get(ok).auth(Grant::new(users.clone()).scopes(["orders/read"])),
        )
        .route(
            "/orders",
            post(ok).auth(Grant::new(users).scopes(["orders/write", "orders/admin"])),
        )
        .route("/partners", get(ok).auth(partners))
        .route("/tenants/{id}", get(ok).auth(tenants))
        .route("/legacy", get(ok).auth(legacy))
        .route("/admin", put(ok).auth(Authorizer::iam()))
        .default_integration(lambda())
}

/// One CORS policy for the whole API (`x-amazon-apigateway-cors`).
fn cors() -> AwsRouter {
    AwsRouter::new()
        .route("/widgets", get(ok))
        .route("/widgets", post(ok))
        .route("/widgets/{id}", delete(ok))
        .cors(
            Cors::new()
                .allow_origin("${cors_origin}")
                .allow_headers(["authorization", "content-type"])
                .expose_headers(["x-request-id"])
                .max_age(Duration::from_secs(600))
                .allow_credentials(true),
        )
        .default_integration(lambda())
}

/// The router's fallback as the `$default` route, beside declared and greedy routes.
fn default_route() -> AwsRouter {
    AwsRouter::new()
        .route("/health", get(ok))
        .route("/files/{*path}", get(ok))
        .default_route(any(ok).summary("Everything no other route matches"))
        .default_integration(lambda())
}

/// Every golden HTTP API router, by snapshot name.
pub(crate) fn all() -> Vec<(&'static str, AwsRouter)> {
    vec![
        ("http_lambda_proxy", lambda_proxy()),
        ("http_backends", http_backends()),
        ("http_services", services()),
        ("http_auth", auth()),
        ("http_cors", cors()),
        ("http_default_route", default_route()),
    ]
}

fn render(router: &AwsRouter, name: &str) -> String {
    match router.spec(info(name)).render_http_api() {
        Ok(private) => private.to_json(),
        Err(errors) => panic!("{name}: {errors}"),
    }
}

/// The public spec as an HTTP API serves it.
fn public_http(router: &AwsRouter, name: &str) -> Value {
    let spec = router.spec(info(name));
    let checked = spec.check_for(&[Target::HttpApi, Target::OpenApi]).unwrap();
    checked
        .render_public_for(Target::HttpApi, axum_aws::PublicVersion::V30)
        .unwrap()
        .to_value()
}

/// Private specs, and public ones as an HTTP API serves them (`*-http-public.snap`,
/// checked against the private ones by `scripts/check-statuses.py`).
#[test]
fn golden_http_api_specs() {
    for (name, router) in all() {
        insta::assert_snapshot!(format!("{name}-http-private"), render(&router, name));
        let spec = router.spec(info(name));
        let checked = spec.check_for(&[Target::HttpApi, Target::OpenApi]).unwrap();
        let public = checked
            .render_public_for(Target::HttpApi, axum_aws::PublicVersion::V30)
            .unwrap();
        insta::assert_snapshot!(format!("{name}-http-public"), public.to_json());
    }
}

/// Where the gateways differ, so do the public specs: a REST API answers a service
/// action with its integration responses (the mapping templates' bodies), an HTTP API
/// passes the service's own answer through. Lambda proxy routes without auth read alike.
#[test]
fn public_spec_says_what_each_gateway_sends() {
    let rest = services()
        .spec(info("services"))
        .render_public()
        .unwrap()
        .to_value();
    let http = public_http(&services(), "services");
    for (path, method) in [
        ("/orders", "post"),
        ("/jobs", "post"),
        ("/workflows", "post"),
    ] {
        let rest_op = &rest["paths"][path][method]["responses"];
        let http_op = &http["paths"][path][method]["responses"];
        let statuses: Vec<&String> = http_op.as_object().unwrap().keys().collect();
        assert_eq!(statuses, ["200", "default"], "{path}");
        assert!(http_op["200"].get("content").is_none(), "{path}: {http_op}");
        assert!(
            http_op["200"]["description"]
                .as_str()
                .unwrap()
                .contains("passes it through"),
            "{path}"
        );
        assert_ne!(rest_op, http_op, "{path}");
    }
    // The SQS route: REST maps SQS's errors to its own 400 and 500 (mapping templates'
    // bodies); an HTTP API sends SQS's own status.
    let rest_sqs = &rest["paths"]["/jobs"]["post"]["responses"];
    assert!(
        rest_sqs["400"].is_object() && rest_sqs["500"].is_object(),
        "{rest_sqs}"
    );
    let http_sqs = &http["paths"]["/jobs"]["post"]["responses"];
    assert!(
        http_sqs.get("400").is_none() && http_sqs.get("500").is_none(),
        "{http_sqs}"
    );

    let rest = lambda_proxy()
        .spec(info("lambda"))
        .render_public()
        .unwrap()
        .to_json();
    assert_eq!(public_http(&lambda_proxy(), "lambda").to_string(), {
        let value: Value = serde_json::from_str(&rest).unwrap();
        value.to_string()
    });
}

fn value(router: &AwsRouter, name: &str) -> Value {
    router
        .spec(info(name))
        .render_http_api()
        .unwrap()
        .to_value()
}

#[test]
fn lambda_proxy_payload_formats_and_routes() {
    let doc = value(&lambda_proxy(), "lambda");
    assert_eq!(doc["openapi"], "3.0.1");
    assert_eq!(doc["x-amazon-apigateway-importexport-version"], "1.0");
    let pets = &doc["paths"]["/pets"]["get"]["x-amazon-apigateway-integration"];
    assert_eq!(pets["type"], "aws_proxy");
    assert_eq!(pets["payloadFormatVersion"], "2.0");
    assert_eq!(pets["uri"], "${api_invoke_arn}");
    let legacy = &doc["paths"]["/legacy/{id}"]["get"]["x-amazon-apigateway-integration"];
    assert_eq!(legacy["payloadFormatVersion"], "1.0");
    assert_eq!(legacy["timeoutInMillis"], 10000);
    assert_eq!(legacy["credentials"], "${lambda_role_arn}");
    // Greedy path and ANY; no OPTIONS mocks (HTTP APIs answer preflights themselves).
    assert!(doc["paths"]["/files/{path+}"]["x-amazon-apigateway-any-method"].is_object());
    assert!(!doc.to_string().contains("\"mock\""));
}

#[test]
fn http_proxy_vpc_link_and_parameter_mapping() {
    let doc = value(&http_backends(), "http");
    let items = &doc["paths"]["/items/{id}"]["get"]["x-amazon-apigateway-integration"];
    assert_eq!(items["type"], "http_proxy");
    assert_eq!(items["payloadFormatVersion"], "1.0");
    assert_eq!(
        items["requestParameters"]["overwrite:header.x-item-id"],
        "$request.path.id"
    );
    assert_eq!(
        items["requestParameters"]["overwrite:querystring.source"],
        "gateway"
    );
    assert_eq!(
        items["requestParameters"]["append:header.x-request-id"],
        "$context.requestId"
    );
    let internal = &doc["paths"]["/internal/{path+}"]["x-amazon-apigateway-any-method"]["x-amazon-apigateway-integration"];
    assert_eq!(internal["connectionType"], "VPC_LINK");
    assert_eq!(internal["connectionId"], "${vpc_link_id}");
    assert_eq!(internal["httpMethod"], "ANY");
}

#[test]
fn service_subtypes_from_the_typed_builders() {
    let doc = value(&services(), "services");
    let op = |path: &str| doc["paths"][path]["post"]["x-amazon-apigateway-integration"].clone();
    let orders = op("/orders");
    assert_eq!(orders["integrationSubtype"], "SQS-SendMessage");
    assert_eq!(orders["credentials"], "${apigw_service_role_arn}");
    let params = &orders["requestParameters"];
    assert_eq!(
        params["QueueUrl"],
        "https://sqs.${region}.amazonaws.com/${account_id}/orders.fifo"
    );
    assert_eq!(params["MessageBody"], "$request.body");
    assert_eq!(params["MessageGroupId"], "$request.body.customerId");
    assert_eq!(params["MessageDeduplicationId"], "$context.requestId");
    let attributes: Value =
        serde_json::from_str(params["MessageAttributes"].as_str().unwrap()).unwrap();
    // API Gateway's `${request.…}` selection, escaped for templatefile() (renders to `${`).
    assert_eq!(
        attributes["tenant"]["StringValue"],
        "$${request.header.X-Tenant}"
    );
    assert_eq!(attributes["origin"]["StringValue"], "${environment}");
    assert_eq!(
        op("/jobs")["requestParameters"]["MessageBody"],
        "$request.body.payload"
    );
    let events = &op("/events/{kind}")["requestParameters"];
    assert_eq!(events["DetailType"], "$request.path.kind");
    assert_eq!(events["Detail"], "$request.body.detail");
    assert_eq!(events["Source"], "shop.orders");
    assert_eq!(
        op("/workflows")["integrationSubtype"],
        "StepFunctions-StartExecution"
    );
    assert_eq!(
        op("/workflows")["requestParameters"]["Input"],
        "$request.body"
    );
    assert_eq!(
        op("/quotes")["integrationSubtype"],
        "StepFunctions-StartSyncExecution"
    );
    // A subtype has no uri or httpMethod.
    assert!(orders.get("uri").is_none() && orders.get("httpMethod").is_none());
}

#[test]
fn authorizers_and_scopes() {
    let doc = value(&auth(), "auth");
    let schemes = &doc["components"]["securitySchemes"];
    let users = &schemes["users"];
    assert_eq!(users["type"], "oauth2");
    assert_eq!(users["x-amazon-apigateway-authorizer"]["type"], "jwt");
    assert_eq!(
        users["x-amazon-apigateway-authorizer"]["jwtConfiguration"]["issuer"],
        "https://cognito-idp.${region}.amazonaws.com/${user_pool_id}"
    );
    assert_eq!(
        schemes["partners"]["x-amazon-apigateway-authorizer"]["identitySource"],
        "$request.header.X-Partner-Token"
    );
    let tenant = &schemes["tenantAuth"]["x-amazon-apigateway-authorizer"];
    assert_eq!(tenant["authorizerPayloadFormatVersion"], "2.0");
    assert_eq!(tenant["enableSimpleResponses"], true);
    assert_eq!(tenant["authorizerResultTtlInSeconds"], 300);
    assert_eq!(
        tenant["identitySource"],
        "$request.header.Authorization,$context.routeKey"
    );
    let legacy = &schemes["legacyAuth"]["x-amazon-apigateway-authorizer"];
    assert_eq!(legacy["authorizerPayloadFormatVersion"], "1.0");
    // No TTL set: the model's (REST's) 300 s, written out (an HTTP API's default is 0).
    assert_eq!(legacy["authorizerResultTtlInSeconds"], 300);
    assert!(legacy.get("enableSimpleResponses").is_none());
    assert_eq!(schemes["sigv4"]["x-amazon-apigateway-authtype"], "awsSigv4");
    assert_eq!(
        doc["paths"]["/orders"]["post"]["security"],
        serde_json::json!([{"users": ["orders/write", "orders/admin"]}])
    );
    assert_eq!(
        doc["paths"]["/health"]["get"]["security"],
        serde_json::json!([])
    );
}

#[test]
fn one_cors_configuration() {
    let doc = value(&cors(), "cors");
    assert_eq!(
        doc["x-amazon-apigateway-cors"],
        serde_json::json!({
            "allowOrigins": ["${cors_origin}"],
            "allowMethods": ["DELETE", "GET", "OPTIONS", "POST"],
            "allowHeaders": ["authorization", "content-type"],
            "exposeHeaders": ["x-request-id"],
            "maxAge": 600,
            "allowCredentials": true
        })
    );
    assert!(doc["paths"]["/widgets"].get("options").is_none());
}

#[test]
fn default_route_from_the_fallback() {
    let doc = value(&default_route(), "default");
    let default = &doc["paths"]["/$default"]["x-amazon-apigateway-any-method"];
    assert_eq!(default["isDefaultRoute"], true);
    assert_eq!(
        default["x-amazon-apigateway-integration"]["payloadFormatVersion"],
        "2.0"
    );
    assert_eq!(default["summary"], "Everything no other route matches");
    // It is served: axum's fallback answers what no route matches.
    let spec = default_route().spec(info("default"));
    let public = spec.render_public().unwrap().to_value();
    assert!(
        public["paths"].get("/").is_none(),
        "no public path item: {public}"
    );
    assert!(public["paths"]["/health"].is_object());
}

#[tokio::test]
async fn default_route_serves_unmatched_requests() {
    use tower::ServiceExt as _;
    let router: AwsRouter = AwsRouter::new()
        .route("/health", get(ok))
        .default_route(any(|| async { "fallback" }))
        .default_integration(lambda());
    let request = axum::http::Request::post("/no/such/path")
        .body(axum::body::Body::empty())
        .unwrap();
    let response = router.into_router().oneshot(request).await.unwrap();
    assert_eq!(response.status(), 200);
    let body = axum::body::to_bytes(response.into_body(), 1024)
        .await
        .unwrap();
    assert_eq!(&body[..], b"fallback");
}

#[test]
fn rejects_two_default_routes() {
    // axum refuses to merge two routers with fallbacks, but a model can hold two.
    let mut first = axum_aws::RouteMeta::default_route();
    first.integration = Some(lambda().into());
    let spec = axum_aws::ApiSpec::new(
        info("two"),
        ApiSettings::default(),
        vec![first.clone(), first],
    );
    let errors = spec.check_for(&[Target::HttpApi]).unwrap_err().to_string();
    assert!(
        errors.contains("$default: declared more than once (merged routers each with a default_route); an HTTP API has one $default route: keep one"),
        "{errors}"
    );
}

#[test]
fn rest_and_kong_reject_the_default_route() {
    let spec = default_route().spec(info("default"));
    let rest = spec.render_private().unwrap_err().to_string();
    assert!(rest.contains("$default: the $default route (AwsRouter::default_route) exists only in HTTP APIs; declare ANY /{*path} for the rest target"), "{rest}");
    let kong = spec.check_for(&[Target::Kong]).unwrap_err().to_string();
    assert!(kong.contains("$default: the $default route (AwsRouter::default_route) exists only in HTTP APIs; declare ANY /{*path} for the kong target"), "{kong}");
}

/// The HTTP API checks' problems as `(kind, "METHOD /path: message")`.
fn problems(router: &AwsRouter) -> Vec<(ErrorKind, String)> {
    match router.spec(info("rejected")).check_for(&[Target::HttpApi]) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .errors()
            .iter()
            .map(|e| (e.kind(), e.to_string()))
            .collect(),
    }
}

fn only(router: &AwsRouter) -> String {
    let mut found = problems(router);
    assert_eq!(found.len(), 1, "{found:#?}");
    found.remove(0).1
}

fn one_route(route: axum_aws::AwsRoute) -> AwsRouter {
    AwsRouter::new().route("/r", route)
}

#[test]
fn rejects_mock() {
    let message = only(&one_route(get(ok).integration(Mock::new(200))));
    assert!(message.starts_with("GET /r: mock integration: HTTP APIs have no mock integrations; answer from a Lambda function"), "{message}");
}

#[test]
fn rejects_custom_lambda() {
    let message = only(&one_route(get(ok).integration(Lambda::new("${fn_arn}"))));
    assert!(message.starts_with("GET /r: custom Lambda integration (mapping templates): HTTP APIs only proxy to Lambda; use LambdaProxy"), "{message}");
}

#[test]
fn rejects_http_custom() {
    let message = only(&one_route(
        get(ok).integration(Http::custom(Method::Get, "https://example.com/r")),
    ));
    assert!(message.starts_with("GET /r: HTTP integration with mapping templates (Http::custom): HTTP APIs only proxy (http_proxy); use Http::proxy"), "{message}");
}

#[test]
fn rejects_vtl_request_templates() {
    let message = only(&one_route(post(ok).integration(lambda().request_template(
        "application/json",
        "{\"id\": \"$input.params('id')\"}",
    ))));
    assert!(message.starts_with("POST /r: request mapping templates (VTL) for [\"application/json\"]: HTTP APIs have no mapping templates"), "{message}");
}

#[test]
fn rejects_vtl_source_in_a_service_action() {
    let message = only(&one_route(
        post(ok).integration(
            SqsSendMessage::new("${region}", Queue::url("${queue_url}"))
                .message(Source::template("order $input.path('$.id')"))
                .credentials("${role_arn}"),
        ),
    ));
    assert!(message.starts_with("POST /r: MessageBody: the value \"order $input.path('$.id')\" is a VTL template; HTTP APIs have no mapping templates"), "{message}");
}

#[test]
fn rejects_integration_responses() {
    let message = only(&one_route(
        get(ok).integration(
            Http::proxy(Method::Get, "https://example.com/r")
                .response(IntegrationResponse::default_status(200)),
        ),
    ));
    assert!(
        message.starts_with(
            "GET /r: integration responses: HTTP APIs pass the backend's response through"
        ),
        "{message}"
    );
}

#[test]
fn rejects_api_keys() {
    let message = only(&one_route(
        get(ok).integration(lambda()).auth(Authorizer::api_key()),
    ));
    assert!(message.starts_with("GET /r: API key requirement: HTTP APIs have no API keys or usage plans; check keys in a Lambda authorizer"), "{message}");
}

#[test]
fn rejects_api_key_source_setting() {
    let router = one_route(get(ok).integration(lambda()))
        .settings(ApiSettings::new().api_key_source(axum_aws::ApiKeySource::Header));
    assert!(
        only(&router)
            .starts_with("API key source Header: HTTP APIs have no API keys or usage plans")
    );
}

#[test]
fn rejects_cognito_authorizer_with_the_jwt_alternative() {
    let router = one_route(
        get(ok)
            .integration(lambda())
            .auth(CognitoAuthorizer::new("users", ["${pool_arn}"])),
    );
    assert_eq!(
        only(&router),
        "GET /r: Cognito authorizer \"users\": HTTP APIs check Cognito tokens with a JWT authorizer; use JwtAuthorizer::cognito(name, region, user_pool_id, app_client_ids)"
    );
}

#[test]
fn rejects_token_authorizer() {
    let router = one_route(
        get(ok)
            .integration(lambda())
            .auth(LambdaAuthorizer::token("tok", "${auth_arn}")),
    );
    assert!(only(&router).starts_with("GET /r: token authorizer \"tok\": HTTP APIs have only request authorizers; use LambdaAuthorizer::request"));
}

#[test]
fn rejects_two_authorizers() {
    let jwt = JwtAuthorizer::new("jwt", "https://issuer.example.com", ["aud"]);
    let router = one_route(
        get(ok)
            .integration(lambda())
            .auth(Security::from(Authorizer::iam()).or(jwt)),
    );
    assert!(only(&router).starts_with("GET /r: several authorizers [\"sigv4\", \"jwt\"]: an HTTP API route has exactly one authorizer"));
}

#[test]
fn rejects_scopes_on_a_lambda_authorizer() {
    let auth = LambdaAuthorizer::request("req", "${auth_arn}", [IdentitySource::header("X-Key")]);
    let router = one_route(
        get(ok)
            .integration(lambda())
            .auth(Grant::new(auth).scopes(["read"])),
    );
    assert!(only(&router).contains("HTTP APIs check scopes only with JWT authorizers"));
}

#[test]
fn rejects_route_request_validator() {
    let router = one_route(post(ok).integration(lambda()).request_validator("body"))
        .settings(ApiSettings::new().request_validator("body", RequestValidator::body_only()));
    let found = problems(&router);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0]
            .1
            .starts_with("request validators [\"body\"]: HTTP APIs do not validate requests")
    );
    assert!(found[1].1.starts_with("POST /r: request validator \"body\": HTTP APIs do not validate requests; validate with axum extractors"));
}

#[test]
fn rejects_gateway_responses() {
    let router = one_route(get(ok).integration(lambda())).settings(
        ApiSettings::new().gateway_response("DEFAULT_4XX", GatewayResponse::new().status(400)),
    );
    assert_eq!(
        only(&router),
        "gateway responses [\"DEFAULT_4XX\"]: HTTP APIs have no gateway responses; remove them for the http-api target, or use the rest target"
    );
}

#[test]
fn rejects_s3_direct() {
    let router = one_route(
        get(ok).integration(S3::get_object("${region}", "${bucket}", "key").credentials("${role}")),
    );
    assert!(only(&router).starts_with("GET /r: s3 integration: HTTP APIs call only SQS, EventBridge, Step Functions, Kinesis and AppConfig directly; put a Lambda function in front of s3"));
}

#[test]
fn rejects_sns_direct() {
    let router = one_route(
        post(ok).integration(SnsPublish::new("${region}", "${topic_arn}").credentials("${role}")),
    );
    assert!(only(&router).starts_with("POST /r: sns integration: HTTP APIs call only"));
}

#[test]
fn rejects_dynamodb_direct() {
    let table = Table::new(
        "${region}",
        "${table}",
        Field::s("pk").from(Source::path("id")),
    );
    let router = AwsRouter::new().route(
        "/r/{id}",
        get(ok).integration(table.get_item().credentials("${role}")),
    );
    assert!(only(&router).starts_with("GET /r/{id}: dynamodb integration: HTTP APIs call only"));
}

#[test]
fn rejects_generic_aws_service() {
    let router = one_route(
        post(ok).integration(
            AwsService::new(
                Method::Post,
                "arn:aws:apigateway:${region}:kinesis:action/PutRecord",
            )
            .credentials("${role}"),
        ),
    );
    assert!(
        only(&router)
            .starts_with("POST /r: a generic AWS service integration: HTTP APIs call only")
    );
}

#[test]
fn rejects_binary_media_types() {
    let router = one_route(get(ok).integration(lambda()))
        .settings(ApiSettings::new().binary_media_types(["image/png"]));
    assert!(
        only(&router).starts_with(
            "binary media types [\"image/png\"]: HTTP APIs have no binary media types"
        )
    );
}

#[test]
fn rejects_resource_policy() {
    let router = one_route(get(ok).integration(lambda())).settings(ApiSettings::new().policy(
        ResourcePolicy::from_json(r#"{"Version": "2012-10-17", "Statement": []}"#).unwrap(),
    ));
    assert!(only(&router).starts_with("a resource policy: HTTP APIs have none"));
}

#[test]
fn rejects_edge_endpoint() {
    let router = one_route(get(ok).integration(lambda()))
        .settings(ApiSettings::new().endpoint(EndpointType::Edge));
    assert!(only(&router).starts_with(
        "an edge-optimized endpoint: HTTP APIs are regional only; put CloudFront in front"
    ));
}

#[test]
fn rejects_private_endpoint() {
    let router = one_route(get(ok).integration(lambda()))
        .settings(ApiSettings::new().private_endpoint(["${vpce_id}"]));
    assert!(only(&router).starts_with("a private endpoint: HTTP APIs have no private endpoints"));
}

#[test]
fn rejects_timeout_over_30_seconds() {
    let router = one_route(get(ok).integration(lambda().timeout(Duration::from_secs(31))));
    assert_eq!(
        only(&router),
        "GET /r: timeout 31000 ms: HTTP API integrations time out after 50 to 30000 ms; choose a timeout in that range"
    );
}

#[test]
fn rejects_differing_cors() {
    let router = AwsRouter::new()
        .route(
            "/a",
            get(ok).cors(Cors::new().allow_origin("https://a.example.com")),
        )
        .route(
            "/b",
            get(ok).cors(Cors::new().allow_origin("https://b.example.com")),
        )
        .route("/c", get(ok))
        .default_integration(lambda());
    let found = problems(&router);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0].1.starts_with(
            "GET /b: CORS differs from GET /a's: an HTTP API has one CORS configuration"
        )
    );
    assert!(
        found[1]
            .1
            .starts_with("GET /c: no CORS, while GET /a has it")
    );
}

#[test]
fn rejects_service_action_without_a_role() {
    let router = one_route(
        post(ok).integration(SqsSendMessage::new("${region}", Queue::url("${queue_url}"))),
    );
    // The neutral checks report it, once, for every target.
    assert!(
        only(&router).contains(
            "needs an execution role: set `credentials` or a router `default_credentials`"
        )
    );
}

#[test]
fn rejects_step_functions_input_fields() {
    let router = one_route(
        post(ok).integration(
            StepFunctions::start_execution("${region}", "${sm_arn}")
                .input_field("id", Source::path("id"))
                .credentials("${role}"),
        ),
    );
    assert!(only(&router).starts_with(
        "POST /r: input fields [\"id\"] are merged into the body by a mapping template"
    ));
}

#[test]
fn rejects_unmappable_request_parameter() {
    let router = one_route(
        get(ok).integration(
            Http::proxy(Method::Get, "https://example.com/r")
                .request_parameter("integration.request.header.Authorization", "'x'"),
        ),
    );
    assert!(only(&router).starts_with("GET /r: request parameter \"integration.request.header.Authorization\": HTTP APIs may not map the reserved header \"Authorization\""));
}

/// Every problem of a router comes back at once, route problems naming their route.
#[test]
fn all_problems_at_once() {
    let router = AwsRouter::new()
        .route("/mock", get(ok).integration(Mock::new(200)))
        .route(
            "/keys",
            get(ok).integration(lambda()).auth(Authorizer::api_key()),
        )
        .route(
            "/slow",
            get(ok).integration(lambda().timeout(Duration::from_secs(60))),
        )
        .settings(ApiSettings::new().binary_media_types(["image/png"]));
    let found: Vec<String> = problems(&router).into_iter().map(|(_, m)| m).collect();
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(found.iter().any(|m| m.starts_with("GET /mock: ")));
    assert!(found.iter().any(|m| m.starts_with("GET /keys: ")));
    assert!(found.iter().any(|m| m.starts_with("GET /slow: ")));
    assert!(found.iter().any(|m| m.starts_with("binary media types")));
}

/// The REST target refuses what only HTTP APIs have, rather than dropping it.
#[test]
fn rest_rejects_http_api_only_declarations() {
    let jwt = JwtAuthorizer::new("jwt", "https://issuer.example.com", ["aud"]);
    let simple =
        LambdaAuthorizer::request("simple", "${auth_arn}", [IdentitySource::header("X-Key")])
            .simple_responses();
    let router: AwsRouter = AwsRouter::new()
        .route("/jwt", get(ok).auth(jwt))
        .route("/simple", get(ok).auth(simple))
        .route(
            "/v2",
            get(ok).integration(lambda().payload_format(PayloadFormat::V2)),
        )
        .default_integration(lambda());
    let errors = router
        .spec(info("rest"))
        .render_private()
        .unwrap_err()
        .to_string();
    assert!(
        errors.contains("GET /jwt: JWT authorizer \"jwt\": REST APIs have no JWT authorizers"),
        "{errors}"
    );
    assert!(errors.contains("GET /simple: authorizer \"simple\" asks for payload 2.0 with simple responses: REST APIs call authorizers with payload 1.0"), "{errors}");
    assert!(
        errors.contains(
            "GET /v2: Lambda payload format 2.0: REST APIs send only the 1.0 proxy event"
        ),
        "{errors}"
    );
}
