//! Example routers, one per feature. The golden tests snapshot their specs; the
//! serving tests run their handlers.

use std::time::Duration;

use axum::Json;
use axum::extract::{Path, Query};
use axum_aws::auth::{
    Authorizer, CognitoAuthorizer, Grant, IdentitySource, LambdaAuthorizer, Security,
};
use axum_aws::integration::{
    AwsService, ContentHandling, Http, IntegrationResponse, Lambda, LambdaProxy, Mock, Passthrough,
};
use axum_aws::routing::{any, delete, get, patch, post, put};
use axum_aws::{
    ApiKeySource, ApiSettings, AwsRouter, Cors, GatewayResponse, Info, Method, RequestValidator,
    ResourcePolicy,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

pub(crate) fn info() -> Info {
    Info::new("Scenario API", "1.0.0").description("Golden scenario")
}

async fn ok() -> &'static str {
    "ok"
}

/// Every scenario, by name (the snapshot names).
pub(crate) fn all() -> Vec<(&'static str, AwsRouter)> {
    vec![
        ("lambda_proxy", lambda_proxy()),
        ("lambda_custom", lambda_custom()),
        ("http_backends", http_backends()),
        ("mock", mock()),
        ("lambda_authorizers", lambda_authorizers()),
        ("cognito_iam_api_key", cognito_iam_api_key()),
        ("cors", cors()),
        ("composition", composition()),
        ("schemas", schemas()),
        ("api_settings", api_settings()),
        ("escaping", escaping()),
        ("any_method", any_method()),
        ("aws_service", aws_service()),
    ]
}

/// Lambda proxy: path parameters, greedy path, root, several methods on one path.
pub(crate) fn lambda_proxy() -> AwsRouter {
    AwsRouter::new()
        .route("/", get(ok))
        .route("/users/{id}", get(ok).summary("Get a user"))
        .route("/users/{id}", delete(ok))
        .route("/users/{id}/posts/{post_id}", patch(ok))
        .route("/files/{*path}", get(ok))
        .default_integration(
            LambdaProxy::new("${users_invoke_arn}")
                .timeout(Duration::from_secs(10))
                .cache_key_parameter("method.request.path.id"),
        )
}

/// Lambda custom integration: templates, selection patterns, async invocation.
pub(crate) fn lambda_custom() -> AwsRouter {
    AwsRouter::new()
        .route(
            "/reports/{id}",
            get(ok).integration(
                Lambda::new("${reports_invoke_arn}")
                    .request_template(
                        "application/json",
                        r#"{"id": "$input.params('id')", "requestId": "$context.requestId"}"#,
                    )
                    .response(
                        IntegrationResponse::default_status(200)
                            .template("application/json", "$input.json('$.body')")
                            .header("Cache-Control", "max-age=60"),
                    )
                    .response(IntegrationResponse::new(".*not found.*", 404).template(
                        "application/json",
                        r#"{"message": "$input.path('$.errorMessage')"}"#,
                    ))
                    .response(IntegrationResponse::new(".*timeout.*", 504))
                    .passthrough(Passthrough::Never),
            ),
        )
        .route(
            "/reports",
            post(ok).integration(
                Lambda::function("${region}", "${reports_function_arn}")
                    .asynchronous()
                    .response(
                        IntegrationResponse::default_status(202)
                            .template("application/json", r#"{"queued": true}"#),
                    ),
            ),
        )
}

/// HTTP backends: internet proxy, custom HTTP with responses, VPC link.
pub(crate) fn http_backends() -> AwsRouter {
    AwsRouter::new()
        .route(
            "/legacy/{id}",
            get(ok).integration(
                Http::proxy(Method::Get, "https://${legacy_host}/items/{id}")
                    .timeout(Duration::from_millis(5000))
                    .request_parameter("integration.request.header.X-Source", "'api-gateway'"),
            ),
        )
        .route(
            "/quotes",
            post(ok).integration(
                Http::custom(Method::Post, "https://quotes.example.com/v2/quotes")
                    .request_template("application/json", r#"{"symbol": $input.json('$.symbol')}"#)
                    .response(IntegrationResponse::new("2\\d{2}", 201))
                    .response(IntegrationResponse::new("4\\d{2}", 400))
                    .response(IntegrationResponse::default_status(502))
                    .content_handling(ContentHandling::ConvertToText),
            ),
        )
        .route(
            "/internal/{*proxy}",
            any(ok).integration(
                Http::proxy(Method::Any, "http://${nlb_dns_name}/{proxy}")
                    .vpc_link("${stageVariables.vpcLinkId}")
                    .insecure_skip_verification(),
            ),
        )
}

/// Mock integrations with headers and bodies.
pub(crate) fn mock() -> AwsRouter {
    AwsRouter::new()
        .route(
            "/status",
            get(ok).integration(Mock::new(200).body(
                "application/json",
                r#"{"status": "ok", "stage": "$context.stage"}"#,
            )),
        )
        .route(
            "/maintenance",
            post(ok).integration(
                Mock::new(503)
                    .header("Retry-After", "120")
                    .body("application/json", r#"{"message": "back soon"}"#),
            ),
        )
}

fn token_authorizer() -> LambdaAuthorizer {
    LambdaAuthorizer::token("tokenAuth", "${authorizer_invoke_arn}")
        .validation_expression("^Bearer [-0-9a-zA-Z._~+/]+=*$")
        .ttl(Duration::from_secs(300))
        .credentials("${authorizer_role_arn}")
}

/// Lambda TOKEN and REQUEST authorizers.
pub(crate) fn lambda_authorizers() -> AwsRouter {
    let request = LambdaAuthorizer::request(
        "tenantAuth",
        "${authorizer_invoke_arn}",
        [
            IdentitySource::header("Authorization"),
            IdentitySource::query("tenant"),
            IdentitySource::context("identity.sourceIp"),
            IdentitySource::stage_variable("realm"),
        ],
    )
    .ttl(Duration::from_secs(60));
    AwsRouter::new()
        .route("/me", get(ok).auth(token_authorizer()))
        .route("/tenants/{tenant}", get(ok).auth(request))
        .route("/health", get(ok).public())
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
}

/// Cognito with scopes, IAM, API key (alone and AND-ed), router default + opt-out.
pub(crate) fn cognito_iam_api_key() -> AwsRouter {
    let users = CognitoAuthorizer::new("users", ["${user_pool_arn}"]);
    AwsRouter::new()
        .route("/profile", get(ok))
        .route(
            "/profile",
            put(ok).auth(Grant::new(users.clone()).scopes(["profile/write"])),
        )
        .route("/admin", post(ok).auth(Authorizer::iam()))
        .route(
            "/partner",
            post(ok).auth(Security::all([
                Authorizer::api_key(),
                token_authorizer().into(),
            ])),
        )
        .route("/usage", get(ok).auth(Authorizer::api_key()))
        .route("/ping", get(ok).public())
        .default_auth(users)
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
        .settings(ApiSettings::new().api_key_source(ApiKeySource::Header))
}

/// CORS: router default with a placeholder origin and per-path methods, a route
/// with several origins, a route opting for credentials, gateway responses.
pub(crate) fn cors() -> AwsRouter {
    AwsRouter::new()
        .route("/widgets", get(ok))
        .route("/widgets", post(ok))
        .route("/widgets/{name}", get(ok))
        .route("/widgets/{name}", delete(ok))
        .route(
            "/session",
            post(ok).cors(
                Cors::new()
                    .allow_origins(["https://app.example.com", "https://admin.example.com"])
                    .allow_headers(["Content-Type", "Authorization"])
                    .expose_headers(["X-Request-Id"])
                    .max_age(Duration::from_secs(600))
                    .allow_credentials(true),
            ),
        )
        .route(
            "/legacy-report",
            get(ok).integration(
                Lambda::new("${reports_invoke_arn}")
                    .response(IntegrationResponse::default_status(200)),
            ),
        )
        .cors(Cors::new().allow_origin("${app_origin}"))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
}

/// Nested and merged routers: prefixes, tags, defaults, inner overrides.
pub(crate) fn composition() -> AwsRouter {
    let users = CognitoAuthorizer::new("users", ["${user_pool_arn}"]);
    let widgets = AwsRouter::new()
        .route("/", get(ok))
        .route("/{name}", get(ok).public())
        .route("/{name}", put(ok))
        .tag("widgets")
        .default_integration(LambdaProxy::new("${widgets_invoke_arn}"));
    let reports = AwsRouter::new()
        .route("/color", get(ok))
        .route(
            "/export",
            post(ok).integration(
                AwsService::action("${region}", "states", "StartExecution")
                    .request_template("application/json", r#"{"stateMachineArn": "${export_state_machine_arn}", "input": "$util.escapeJavaScript($input.json('$'))"}"#),
            ),
        )
        .tag("reports")
        .default_credentials("${apigw_role_arn}");
    let v1 = AwsRouter::new()
        .nest("/widgets", widgets)
        .nest("/reports", reports);
    AwsRouter::new()
        .nest("/v1", v1)
        .merge(AwsRouter::new().route("/health", get(ok).public().tag("ops")))
        .route_local("/local-only", axum::routing::get(ok))
        .default_auth(users)
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
}

/// A widget, as the API stores it.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub(crate) struct Widget {
    /// Unique name.
    pub(crate) name: String,
    /// Color, when known.
    #[schema(example = "red")]
    pub(crate) color: Option<Color>,
    /// How many.
    #[schema(minimum = 1, maximum = 1000)]
    pub(crate) count: u32,
    /// Free-form labels.
    pub(crate) labels: Vec<String>,
    /// Weight in kg, if weighed.
    pub(crate) weight: Option<f64>,
}

/// Widget colors.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Color {
    /// Red.
    Red,
    /// Blue.
    Blue,
}

/// A page of results.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub(crate) struct Page<T> {
    /// The items.
    pub(crate) items: Vec<T>,
    /// Opaque key of the next page.
    pub(crate) last_key: Option<String>,
}

/// Query of the color report.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ColorQuery {
    /// The color.
    pub(crate) color: Color,
    /// Page size.
    pub(crate) limit: Option<u32>,
}

/// Stores a widget.
#[utoipa::path(put, path = "/widget", request_body = Widget,
    responses((status = 200, description = "Stored", body = Widget), (status = 422, description = "Invalid widget")))]
pub(crate) async fn put_widget(Json(widget): Json<Widget>) -> Json<Widget> {
    Json(widget)
}

/// Reads a widget.
#[utoipa::path(get, path = "/widget/{name}", params(("name" = String, Path, description = "Widget name")),
    responses((status = 200, body = Widget), (status = 404, description = "Unknown widget")))]
pub(crate) async fn get_widget(Path(name): Path<String>) -> Json<Widget> {
    Json(Widget {
        name,
        color: Some(Color::Red),
        count: 1,
        labels: Vec::new(),
        weight: None,
    })
}

/// Widgets of a color.
#[utoipa::path(get, path = "/reports/color", params(ColorQuery),
    responses((status = 200, description = "A page of widgets", body = Page<Widget>)))]
pub(crate) async fn color_report(Query(query): Query<ColorQuery>) -> Json<Page<Widget>> {
    let color = match query.color {
        Color::Red => "red",
        Color::Blue => "blue",
    };
    Json(Page {
        items: Vec::new(),
        last_key: query.limit.map(|limit| format!("{color}:{limit}")),
    })
}

/// utoipa-documented routes: bodies, parameters, nullable fields, generics.
pub(crate) fn schemas() -> AwsRouter {
    AwsRouter::new()
        // Not validated: Widget's nullable fields have no draft-4 model that accepts
        // their null (a validated body with them is an export error).
        .route("/widget", put(put_widget).doc::<__path_put_widget>())
        .route("/widget/{name}", get(get_widget).doc::<__path_get_widget>())
        .route(
            "/reports/color",
            get(color_report).doc::<__path_color_report>(),
        )
        .route("/plain", get(ok))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
}

/// [`schemas`] without `#[utoipa::path]`: the handlers' types document the routes,
/// the responses their types cannot name are stated on the route.
pub(crate) fn schemas_inferred() -> AwsRouter {
    AwsRouter::new()
        .route(
            "/widget",
            put(put_widget).responds_empty(422, "Invalid widget"),
        )
        .route(
            "/widget/{name}",
            get(get_widget).responds_empty(404, "Unknown widget"),
        )
        .route("/reports/color", get(color_report))
        .route("/plain", get(ok))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
}

/// API-level settings.
pub(crate) fn api_settings() -> AwsRouter {
    AwsRouter::new()
        .route("/images/{id}", get(ok).request_validator("params"))
        .route("/images", post(ok))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
        .settings(
            ApiSettings::new()
                .server_url("https://api.example.com")
                .binary_media_types(["image/png", "application/octet-stream"])
                .minimum_compression_size(1024)
                .api_key_source(ApiKeySource::Authorizer)
                .private_endpoint(["${vpc_endpoint_id}"])
                .policy(
                    ResourcePolicy::from_serialize(&json!({
                        "Version": "2012-10-17",
                        "Statement": [{
                            "Effect": "Allow",
                            "Principal": "*",
                            "Action": "execute-api:Invoke",
                            "Resource": ["execute-api:/*"],
                            "Condition": {"StringEquals": {"aws:SourceVpce": "${vpc_endpoint_id}"}}
                        }]
                    }))
                    .unwrap(),
                )
                .request_validator("all", RequestValidator::all())
                .request_validator("params", RequestValidator::parameters_only())
                .default_request_validator("all")
                .gateway_response(
                    "UNAUTHORIZED",
                    GatewayResponse::new()
                        .status(401)
                        .header("WWW-Authenticate", "Bearer")
                        .template(
                            "application/json",
                            r#"{"message": $context.error.messageString}"#,
                        ),
                )
                .gateway_response(
                    "THROTTLED",
                    GatewayResponse::new().header("Retry-After", "1"),
                ),
        )
}

/// Text that Terraform would misread: stage variables, AWS variables, `%{`, VTL.
pub(crate) fn escaping() -> AwsRouter {
    AwsRouter::new()
        .route(
            "/orders/{id}",
            get(ok).description("Reads %{ if } and 100% {braces} literally").integration(
                Lambda::new("arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${orders_function_arn}:${stageVariables.alias}/invocations")
                    .credentials("arn:aws:iam::${account_id}:role/${stageVariables.role}")
                    .request_template(
                        "application/json",
                        "#set($id = $input.params('id'))\n{\"id\": \"$id\", \"note\": \"%{literal}\", \"stage\": \"$stageVariables.name\"}",
                    ),
            ),
        )
}

/// The whole app in one Lambda: ANY on `/` and `/{proxy+}`.
pub(crate) fn any_method() -> AwsRouter {
    AwsRouter::new()
        .route("/", any(ok))
        .route("/{*proxy}", any(ok))
        .default_integration(LambdaProxy::new("${app_invoke_arn}"))
        .cors(Cors::new())
}

/// A direct AWS-service integration with the router's default execution role.
pub(crate) fn aws_service() -> AwsRouter {
    AwsRouter::new()
        .route(
            "/events",
            post(ok).integration(
                AwsService::action("${region}", "kinesis", "PutRecord")
                    .request_template(
                        "application/json",
                        r#"{"StreamName": "${stream_name}", "Data": "$util.base64Encode($input.body)", "PartitionKey": "$context.requestId"}"#,
                    )
                    .response(IntegrationResponse::default_status(200).template("application/json", r#"{"accepted": true}"#))
                    .response(IntegrationResponse::new("4\\d{2}", 400)),
            ),
        )
        .default_credentials("${apigw_kinesis_role_arn}")
}
