//! Local gateway emulation: the served router enforces what its routes declare (API
//! keys, request validators, mocks, unknown routes, authorizers) and answers as the
//! emulated gateway would; behind API Gateway (REST / HTTP API events) it does not
//! check again. Expected answers are sourced per case in the comments (AWS docs,
//! LocalStack's AWS-recorded snapshots, Kong's plugins) and, for authorizers, in
//! `tests/fixtures/authorizer-cases.json`.

use axum::Json;
use axum::body::Body;
use axum::extract::Query;
use axum_aws::auth::Authorizer;
use axum_aws::integration::{LambdaProxy, Mock, S3};
use axum_aws::routing::{get, post, put};
use axum_aws::{ApiSettings, AwsRouter, Gateway, GatewayResponse, RequestValidator, Server};
use http::StatusCode;
use http_body_util::BodyExt;
use serde::Deserialize;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::serving_events::fixture;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Paging {
    /// Where the page starts.
    cursor: String,
}

/// A widget to create.
#[derive(Deserialize, serde::Serialize, utoipa::ToSchema)]
struct NewWidget {
    name: String,
    size: u32,
}

async fn list(Query(paging): Query<Paging>) -> String {
    format!("page at {}", paging.cursor)
}

async fn create(Json(widget): Json<NewWidget>) -> (StatusCode, Json<NewWidget>) {
    (StatusCode::CREATED, Json(widget))
}

/// The router of these tests: a public route, an API-key route, a validated route, a
/// mock, a direct S3 integration, an IAM route.
pub(crate) fn router() -> AwsRouter {
    AwsRouter::new()
        .route("/health", get(|| async { "ok" }))
        .route("/widgets", get(list).auth(Authorizer::api_key()))
        .route("/widgets", post(create).request_validator("all"))
        .route(
            "/maintenance",
            get(|| async { "the handler must not run" })
                .integration(Mock::new(503).body("application/json", r#"{"message":"back soon"}"#)),
        )
        .route(
            "/files",
            put(|| async { "the handler must not run" }).integration(S3::put_object(
                "${region}",
                "${bucket}",
                "f",
            )),
        )
        .route(
            "/internal",
            get(|| async { "signed" }).auth(Authorizer::iam()),
        )
        .route_local("/healthz", axum::routing::get(|| async { "local" }))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
        .settings(ApiSettings::new().request_validator("all", RequestValidator::all()))
}

pub(crate) async fn send(
    app: &axum::Router,
    request: http::Request<Body>,
) -> (StatusCode, http::HeaderMap, String) {
    let response = app.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    (
        parts.status,
        parts.headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

/// The status of `request`'s answer.
async fn status(app: &axum::Router, request: http::Request<Body>) -> StatusCode {
    send(app, request).await.0
}

fn get_req(uri: &str) -> http::Request<Body> {
    http::Request::get(uri).body(Body::empty()).unwrap()
}

fn rest() -> axum::Router {
    Server::new(router()).api_keys(["good-key"]).into_router()
}

#[tokio::test]
async fn rest_unknown_route_and_wrong_method_are_missing_authentication_token() {
    // [gw-types], LocalStack test_routing_not_found (AWS-recorded): 403, the body and
    // x-amzn-ErrorType.
    let app = rest();
    for request in [
        get_req("/nothing"),
        http::Request::delete("/health")
            .body(Body::empty())
            .unwrap(),
        // axum answers HEAD with the GET handler; API Gateway knows no HEAD method here.
        http::Request::head("/widgets?cursor=a")
            .body(Body::empty())
            .unwrap(),
    ] {
        let (status, headers, body) = send(&app, request).await;
        assert_eq!(status, 403);
        assert_eq!(body, r#"{"message":"Missing Authentication Token"}"#);
        assert_eq!(
            headers["x-amzn-errortype"],
            "MissingAuthenticationTokenException"
        );
        assert_eq!(headers["content-type"], "application/json");
    }
    // Served but not declared: still answered (a container's health check).
    let (status, _, body) = send(&app, get_req("/healthz")).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "local"));
    let (status, _, body) = send(&app, get_req("/health")).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok"));
}

#[tokio::test]
async fn http_api_and_kong_answer_unknown_routes_their_way() {
    let http = Server::new(router())
        .emulate(Gateway::HttpApi)
        .into_router();
    let (status, _, body) = send(&http, get_req("/nothing")).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::NOT_FOUND, r#"{"message":"Not Found"}"#)
    );
    let kong = Server::new(router()).emulate(Gateway::Kong).into_router();
    let (status, _, body) = send(&kong, get_req("/nothing")).await;
    assert_eq!(status, 404);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["message"], "no Route matched with those values");
    assert_eq!(body["request_id"].as_str().unwrap().len(), 32);
}

#[tokio::test]
async fn rest_api_keys_from_configuration() {
    // [LS:api_key], serverless-offline: a missing or unknown key is 403 Forbidden.
    let app = rest();
    for request in [
        get_req("/widgets?cursor=a"),
        http::Request::get("/widgets?cursor=a")
            .header("x-api-key", "bad")
            .body(Body::empty())
            .unwrap(),
    ] {
        let (status, headers, body) = send(&app, request).await;
        assert_eq!(
            (status, body.as_str()),
            (StatusCode::FORBIDDEN, r#"{"message":"Forbidden"}"#)
        );
        assert_eq!(headers["x-amzn-errortype"], "ForbiddenException");
    }
    let request = http::Request::get("/widgets?cursor=a")
        .header("x-api-key", "good-key")
        .body(Body::empty())
        .unwrap();
    let (status, _, body) = send(&app, request).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "page at a"));
    // No keys configured: every request to the route is refused, none crashes.
    let unconfigured = Server::new(router())
        .api_keys(Vec::<String>::new())
        .into_router();
    let request = http::Request::get("/widgets?cursor=a")
        .header("x-api-key", "good-key")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&unconfigured, request).await.0, 403);
}

#[tokio::test]
async fn kong_key_auth_answers_as_its_plugin() {
    // Kong 3.10 key-auth: 401 with `WWW-Authenticate: Key` and kong.response.error bodies.
    let app = Server::new(router())
        .emulate(Gateway::Kong)
        .api_keys(["good-key"])
        .into_router();
    let (status, headers, body) = send(&app, get_req("/widgets?cursor=a")).await;
    assert_eq!(status, 401);
    assert_eq!(headers["www-authenticate"], "Key");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["message"],
        "No API key found in request"
    );
    let request = http::Request::get("/widgets?cursor=a")
        .header("x-api-key", "bad")
        .body(Body::empty())
        .unwrap();
    let (status, _, body) = send(&app, request).await;
    assert_eq!(status, 401);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["message"],
        "Unauthorized"
    );
}

#[tokio::test]
async fn rest_validators_check_parameters_then_the_body() {
    // [val-test], LocalStack test_api_gateway_request_validator (AWS-recorded).
    let app = rest();
    let post_body = |uri: &str, body: &str| {
        http::Request::post(uri)
            .header("content-type", "application/json")
            .body(Body::from(body.to_owned()))
            .unwrap()
    };
    let (status, headers, body) = send(&app, post_body("/widgets", r#"{"name":"w"}"#)).await;
    assert_eq!(
        (status, body.as_str()),
        (
            StatusCode::BAD_REQUEST,
            r#"{"message":"Invalid request body"}"#
        )
    );
    assert_eq!(headers["x-amzn-errortype"], "BadRequestException");
    let (status, _, body) = send(&app, post_body("/widgets", "not json")).await;
    assert_eq!(
        (status, body.as_str()),
        (
            StatusCode::BAD_REQUEST,
            r#"{"message":"Invalid request body"}"#
        )
    );
    let (status, _, body) = send(&app, post_body("/widgets", "")).await;
    assert_eq!(
        (status, body.as_str()),
        (
            StatusCode::BAD_REQUEST,
            r#"{"message":"Invalid request body"}"#
        )
    );
    let (status, _, body) = send(&app, post_body("/widgets", r#"{"name":"w","size":3}"#)).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::CREATED, r#"{"name":"w","size":3}"#)
    );
}

#[tokio::test]
async fn rest_validator_reports_missing_required_parameters() {
    let validated: AwsRouter = AwsRouter::new()
        .route("/pages", get(list).request_validator("params"))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
        .settings(
            ApiSettings::new().request_validator("params", RequestValidator::parameters_only()),
        );
    let app = Server::new(validated).into_router();
    for uri in ["/pages", "/pages?cursor="] {
        let (status, _, body) = send(&app, get_req(uri)).await;
        assert_eq!(
            (status, body.as_str()),
            (
                StatusCode::BAD_REQUEST,
                r#"{"message":"Missing required request parameters: [cursor]"}"#
            ),
            "{uri}"
        );
    }
    assert_eq!(send(&app, get_req("/pages?cursor=x")).await.0, 200);
}

#[tokio::test]
async fn a_mock_is_answered_from_its_declaration_and_a_service_integration_is_501() {
    let app = rest();
    let (status, headers, body) = send(&app, get_req("/maintenance")).await;
    assert_eq!(
        (status, body.as_str()),
        (
            StatusCode::SERVICE_UNAVAILABLE,
            r#"{"message":"back soon"}"#
        )
    );
    assert_eq!(headers["content-type"], "application/json");
    let request = http::Request::put("/files").body(Body::empty()).unwrap();
    let (status, _, body) = send(&app, request).await;
    assert_eq!(status, 501);
    assert!(
        body.contains("PUT /files: the integration calls AWS directly (s3:PutObject)"),
        "{body}"
    );
}

#[tokio::test]
async fn iam_routes_are_refused_unless_let_through() {
    // [kb403]: no SigV4 signature is 403 Missing Authentication Token.
    let (status, _, body) = send(&rest(), get_req("/internal")).await;
    assert_eq!(
        (status, body.as_str()),
        (
            StatusCode::FORBIDDEN,
            r#"{"message":"Missing Authentication Token"}"#
        )
    );
    let open = Server::new(router()).allow_unverified_iam().into_router();
    assert_eq!(send(&open, get_req("/internal")).await.0, 200);
}

#[tokio::test]
async fn declared_gateway_responses_replace_the_defaults() {
    // [gw-def]: the exact type, else DEFAULT_4XX; status, literal headers and template.
    let custom = router().settings(
        ApiSettings::new()
            .gateway_response(
                "MISSING_AUTHENTICATION_TOKEN",
                GatewayResponse::new().status(404).template(
                    "application/json",
                    r#"{"error":$context.error.messageString}"#,
                ),
            )
            .gateway_response(
                "DEFAULT_4XX",
                GatewayResponse::new().header("Access-Control-Allow-Origin", "'*'"),
            ),
    );
    let app = Server::new(custom).api_keys(["k"]).into_router();
    let (status, _, body) = send(&app, get_req("/nothing")).await;
    assert_eq!(
        (status, body.as_str()),
        (
            StatusCode::NOT_FOUND,
            r#"{"error":"Missing Authentication Token"}"#
        )
    );
    let (status, headers, body) = send(&app, get_req("/widgets?cursor=a")).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::FORBIDDEN, r#"{"message":"Forbidden"}"#)
    );
    assert_eq!(headers["access-control-allow-origin"], "*");
}

#[tokio::test]
async fn trusting_upstream_enforces_nothing() {
    let app = Server::new(router()).trust_upstream().into_router();
    let (status, _, body) = send(&app, get_req("/widgets?cursor=a")).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "page at a"));
    assert_eq!(
        send(&app, get_req("/maintenance")).await.2,
        "the handler must not run"
    );
}

/// The router for the Lambda event fixtures: each fixture's path, declaring an API key.
fn keyed_fixture_router() -> AwsRouter {
    AwsRouter::new()
        .route(
            "/my/path",
            get(|| async { "open" }).auth(Authorizer::api_key()),
        )
        .route(
            "/files/{*path}",
            get(|| async { "open" }).auth(Authorizer::api_key()),
        )
        .route(
            "/users/{id}",
            get(|| async { "open" }).auth(axum_aws::auth::LambdaAuthorizer::token(
                "admin",
                "${admin_invoke_arn}",
            )),
        )
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
}

#[tokio::test]
async fn function_url_and_alb_events_are_enforced() {
    // No gateway stands in front of a Function URL (AuthType NONE) or an ALB.
    for name in ["function-url-lambda-http.json", "alb-greedy.json"] {
        let handler = Server::new(keyed_fixture_router())
            .api_keys(["k"])
            .lambda_handler();
        let response = handler
            .handle(fixture(name).as_bytes(), Default::default())
            .await;
        assert_eq!(response["statusCode"], 403, "{name}: {response}");
        assert_eq!(response["body"], r#"{"message":"Forbidden"}"#, "{name}");
    }
    // With the key, the route answers.
    let mut event: Value = serde_json::from_str(&fixture("function-url-lambda-http.json")).unwrap();
    event["headers"]["x-api-key"] = json!("k");
    let handler = Server::new(keyed_fixture_router())
        .api_keys(["k"])
        .lambda_handler();
    let response = handler
        .handle(event.to_string().as_bytes(), Default::default())
        .await;
    assert_eq!(response["statusCode"], 200, "{response}");
}

#[tokio::test]
async fn behind_api_gateway_nothing_is_checked_twice_but_a_missing_authorizer_context_is_refused() {
    // The REST event carries the Lambda authorizer's context: the gateway authorized it.
    let handler = Server::new(keyed_fixture_router()).lambda_handler();
    let response = handler
        .handle(
            fixture("rest-v1-lambda-authorizer.json").as_bytes(),
            Default::default(),
        )
        .await;
    assert_eq!(response["statusCode"], 200, "{response}");
    // The same event without it: the gateway in front is not the declared one.
    let mut event: Value =
        serde_json::from_str(&fixture("rest-v1-lambda-authorizer.json")).unwrap();
    event["requestContext"]["authorizer"] = Value::Null;
    let handler = Server::new(keyed_fixture_router()).lambda_handler();
    let response = handler
        .handle(event.to_string().as_bytes(), Default::default())
        .await;
    assert_eq!(response["statusCode"], 401, "{response}");
    // An API key route behind the REST API: the gateway checked the key.
    let handler = Server::new(keyed_fixture_router()).lambda_handler();
    let mut event: Value =
        serde_json::from_str(&fixture("rest-v1-lambda-authorizer.json")).unwrap();
    event["path"] = json!("/files/a");
    event["resource"] = json!("/files/{path+}");
    event["requestContext"]["resourcePath"] = json!("/files/{path+}");
    event["requestContext"]["path"] = json!("/files/a");
    event["pathParameters"] = json!({"path": "a"});
    let response = handler
        .handle(event.to_string().as_bytes(), Default::default())
        .await;
    assert_eq!(response["statusCode"], 200, "{response}");
}

// ---- Cognito and JWT authorizers against a JWKS (RS256 test keys in fixtures/jwt) ----

pub(crate) mod jwt {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    use axum::body::Body;
    use axum_aws::auth::{CognitoAuthorizer, Grant, JwtAuthorizer};
    use axum_aws::integration::LambdaProxy;
    use axum_aws::routing::get;
    use axum_aws::{AwsContext, AwsRouter, Gateway, Server};
    use http::StatusCode;
    use jsonwebtoken::{Algorithm, EncodingKey, Header};
    use serde_json::{Value, json};

    use super::{send, status};

    pub(crate) const ISSUER: &str = "https://issuer.example.com";
    pub(crate) const POOL_ARN: &str =
        "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Test";
    pub(crate) const POOL_ISSUER: &str =
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Test";

    pub(crate) fn fixture(name: &str) -> String {
        let path = format!("{}/tests/fixtures/jwt/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
    }

    pub(crate) fn now() -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64
    }

    /// An RS256 token signed by `key` (`key1.pem` / `key2.pem`) with `kid`.
    pub(crate) fn token(key: &str, kid: &str, claims: &Value) -> String {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(kid.to_owned());
        let key = EncodingKey::from_rsa_pem(fixture(key).as_bytes()).unwrap();
        jsonwebtoken::encode(&header, claims, &key).unwrap()
    }

    fn claims(extra: Value) -> Value {
        let mut claims = json!({"iss": ISSUER, "sub": "user-1", "aud": "client-a", "exp": now() + 600, "iat": now()});
        if let Value::Object(extra) = extra {
            claims.as_object_mut().unwrap().extend(extra);
        }
        claims
    }

    async fn whoami(context: AwsContext) -> String {
        format!(
            "{} {}",
            context.principal_id.unwrap_or_default(),
            context
                .claims
                .get("sub")
                .map(ToString::to_string)
                .unwrap_or_default()
        )
    }

    /// A JWKS served over HTTP on a loopback port, whose content a test can rotate;
    /// counts the fetches.
    pub(crate) struct JwksServer {
        pub(crate) url: String,
        pub(crate) body: Arc<Mutex<String>>,
        pub(crate) fetches: Arc<AtomicUsize>,
    }

    pub(crate) async fn jwks_server() -> JwksServer {
        let body = Arc::new(Mutex::new(fixture("jwks-1.json")));
        let fetches = Arc::new(AtomicUsize::new(0));
        let (served, counted) = (Arc::clone(&body), Arc::clone(&fetches));
        let app = axum::Router::new().route(
            "/.well-known/jwks.json",
            axum::routing::get(move || {
                counted.fetch_add(1, Ordering::SeqCst);
                let body = served.lock().unwrap().clone();
                async move { body }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!(
            "http://{}/.well-known/jwks.json",
            listener.local_addr().unwrap()
        );
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        JwksServer { url, body, fetches }
    }

    fn http_api_router() -> AwsRouter {
        let users = JwtAuthorizer::new("users", ISSUER, ["client-a"]);
        AwsRouter::new()
            .route("/me", get(whoami).auth(users.clone()))
            .route(
                "/admin",
                get(whoami).auth(Grant::new(users).scopes(["admin"])),
            )
            .default_integration(LambdaProxy::new("${api_invoke_arn}"))
    }

    fn bearer(uri: &str, token: &str) -> http::Request<Body> {
        http::Request::get(uri)
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_unknown_kid_fetches_the_jwks_once_more() {
        let jwks = jwks_server().await;
        let app = Server::new(http_api_router())
            .emulate(Gateway::HttpApi)
            .jwks("users", &jwks.url)
            .into_router();
        let me = |pem: &str, kid: &str| bearer("/me", &token(pem, kid, &claims(json!({}))));
        assert_eq!(status(&app, me("key1.pem", "key-1")).await, 200);
        assert_eq!(status(&app, me("key1.pem", "key-1")).await, 200);
        assert_eq!(
            jwks.fetches.load(Ordering::SeqCst),
            1,
            "fetched once, then cached"
        );
        // The issuer rotates: key-2 appears in its JWKS.
        *jwks.body.lock().unwrap() = fixture("jwks-rotated.json");
        assert_eq!(status(&app, me("key2.pem", "key-2")).await, 200);
        assert_eq!(jwks.fetches.load(Ordering::SeqCst), 2);
        // A kid the refetched set lacks: one more fetch, then 401.
        assert_eq!(status(&app, me("key2.pem", "key-3")).await, 401);
        assert_eq!(jwks.fetches.load(Ordering::SeqCst), 3);
        // The same unknown kid again: refused without another fetch for a while.
        assert_eq!(status(&app, me("key2.pem", "key-3")).await, 401);
        assert_eq!(jwks.fetches.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn rest_cognito_refuses_an_id_token_where_the_method_lists_scopes() {
        // [cog]: with scopes on the method, only an access token carrying one passes
        // (the documented cases, `documented_cases`, cover the rest of Cognito).
        let pool = CognitoAuthorizer::new("pool", [POOL_ARN]);
        let router: AwsRouter = AwsRouter::new()
            .route(
                "/admin",
                get(whoami).auth(Grant::new(pool).scopes(["widgets/admin"])),
            )
            .default_integration(LambdaProxy::new("${api_invoke_arn}"));
        let jwks = format!(
            "{}/tests/fixtures/jwt/jwks-1.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let app = Server::new(router).jwks("pool", jwks).into_router();
        let id = json!({"iss": POOL_ISSUER, "sub": "u", "aud": "app", "token_use": "id", "scope": "widgets/admin", "exp": now() + 600});
        let request = http::Request::get("/admin")
            .header("authorization", token("key1.pem", "key-1", &id))
            .body(Body::empty())
            .unwrap();
        let (status, _, body) = send(&app, request).await;
        assert_eq!(
            (status, body.as_str()),
            (StatusCode::UNAUTHORIZED, r#"{"message":"Unauthorized"}"#)
        );
    }

    #[tokio::test]
    async fn without_a_jwks_the_routes_refuse_and_the_server_still_serves() {
        let placeholder = CognitoAuthorizer::new("pool", ["${user_pool_arn}"]);
        let router: AwsRouter = AwsRouter::new()
            .route("/me", get(whoami).auth(placeholder))
            .route("/health", get(|| async { "ok" }))
            .default_integration(LambdaProxy::new("${api_invoke_arn}"));
        let app = Server::new(router).into_router();
        let token = token("key1.pem", "key-1", &claims(json!({})));
        assert_eq!(send(&app, bearer("/me", &token)).await.0, 401);
        assert_eq!(
            send(
                &app,
                http::Request::get("/health").body(Body::empty()).unwrap()
            )
            .await
            .0,
            200
        );
    }
}

// ---- Lambda authorizers (the documented cases, `documented_cases`, run them registered
// in process) ----

mod lambda_authorizer {
    use axum::body::Body;
    use axum_aws::auth::LambdaAuthorizer;
    use axum_aws::integration::LambdaProxy;
    use axum_aws::routing::get;
    use axum_aws::{AwsRouter, Server};

    use super::send;

    #[tokio::test]
    async fn an_unregistered_authorizer_refuses_every_request() {
        let admin = LambdaAuthorizer::token("admin", "${admin_invoke_arn}");
        let router: AwsRouter = AwsRouter::new()
            .route(
                "/admin",
                get(|| async { "the handler must not run" }).auth(admin),
            )
            .default_integration(LambdaProxy::new("${api_invoke_arn}"));
        let app = Server::new(router).into_router();
        let request = http::Request::get("/admin")
            .header("authorization", "Bearer allow")
            .body(Body::empty())
            .unwrap();
        let (status, _, body) = send(&app, request).await;
        assert_eq!(
            (status.as_u16(), body.as_str()),
            (401, r#"{"message":"Unauthorized"}"#)
        );
    }
}

// ---- CORS on the gateway's own answers ----

mod cors {
    use axum::body::Body;
    use axum_aws::auth::{Authorizer, JwtAuthorizer, LambdaAuthorizer};
    use axum_aws::integration::{LambdaProxy, Mock};
    use axum_aws::routing::{get, post};
    use axum_aws::{ApiSettings, AwsRouter, Cors, Gateway, GatewayResponse, Server, Target};
    use serde_json::Value;

    use super::send;
    use crate::scenarios::info;

    const ORIGIN: &str = "https://app.example.com";

    /// CORS on every route: a public route, an API key, a TOKEN authorizer, a mock.
    fn router() -> AwsRouter {
        AwsRouter::new()
            .route("/items", get(|| async { "items" }))
            .route(
                "/keyed",
                get(|| async { "keyed" }).auth(Authorizer::api_key()),
            )
            .route(
                "/admin",
                get(|| async { "admin" }).auth(LambdaAuthorizer::token("admin", "${admin_arn}")),
            )
            .route(
                "/maintenance",
                post(|| async { "the handler must not run" })
                    .integration(Mock::new(503).body("application/json", r#"{"message":"soon"}"#)),
            )
            .default_integration(LambdaProxy::new("${api_invoke_arn}"))
            .cors(
                Cors::new()
                    .allow_origin(ORIGIN)
                    .allow_headers(["Content-Type", "X-Api-Key"])
                    .allow_credentials(true),
            )
    }

    fn request(method: &str, uri: &str, origin: Option<&str>) -> http::Request<Body> {
        let mut builder = http::Request::builder()
            .method(method)
            .uri(uri)
            .header("authorization", "Bearer t");
        if let Some(origin) = origin {
            builder = builder.header("origin", origin);
        }
        builder.body(Body::empty()).unwrap()
    }

    /// The headers the exported REST API's gateway response `kind` sets, unquoted.
    fn declared_headers(router: &AwsRouter, kind: &str) -> Vec<(String, String)> {
        let spec = router.spec(info());
        let private = spec
            .check_for(&[Target::Rest])
            .unwrap_or_else(|e| panic!("{e}"))
            .render_private()
            .unwrap()
            .to_json();
        let private: Value = serde_json::from_str(&private).unwrap();
        let parameters =
            &private["x-amazon-apigateway-gateway-responses"][kind]["responseParameters"];
        parameters
            .as_object()
            .map(|parameters| {
                parameters
                    .iter()
                    .map(|(key, value)| {
                        let name = key.strip_prefix("gatewayresponse.header.").unwrap();
                        let value = value.as_str().unwrap().trim_matches('\'');
                        (name.to_owned(), value.to_owned())
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    #[tokio::test]
    async fn rest_own_answers_carry_what_the_export_declares_on_default_4xx_and_5xx() {
        // [gw-def], [gw-params]: a REST API's own errors are its gateway responses; the
        // export adds the CORS headers to DEFAULT_4XX / DEFAULT_5XX when routes use CORS.
        let app = Server::new(router())
            .api_keys(["k"])
            .authorizer("admin", |_: Value| async {
                Err::<Value, _>("the authorizer fails".to_owned())
            })
            .into_router();
        for (kind, method, uri, status) in [
            ("DEFAULT_4XX", "GET", "/nowhere", 403),
            ("DEFAULT_4XX", "DELETE", "/items", 403),
            ("DEFAULT_4XX", "GET", "/keyed", 403),
            ("DEFAULT_5XX", "GET", "/admin", 500),
        ] {
            let declared = declared_headers(&router(), kind);
            assert!(
                declared
                    .iter()
                    .any(|(name, value)| name == "Access-Control-Allow-Origin" && value == ORIGIN),
                "{kind}: {declared:?}"
            );
            // Static headers: with or without an Origin in the request.
            for origin in [Some(ORIGIN), None] {
                let (answered, headers, body) = send(&app, request(method, uri, origin)).await;
                assert_eq!(answered, status, "{method} {uri}: {body}");
                for (name, value) in &declared {
                    assert_eq!(
                        headers.get(name.as_str()).map(|v| v.to_str().unwrap()),
                        Some(value.as_str()),
                        "{method} {uri} ({origin:?}): {name}"
                    );
                }
            }
        }
        // A mock answers with its path's CORS, as the handlers do.
        let (status, headers, _) = send(&app, request("POST", "/maintenance", Some(ORIGIN))).await;
        assert_eq!(status, 503);
        assert_eq!(headers["access-control-allow-origin"], ORIGIN);
        assert_eq!(headers["access-control-allow-credentials"], "true");
    }

    #[tokio::test]
    async fn rest_a_declared_response_type_replaces_default_4xx_and_its_cors() {
        // [gw-def]: the response of the exact type applies, not DEFAULT_4XX; a header the
        // router declares on DEFAULT_4XX wins over the derived one, as in the export.
        let declared = router().settings(
            ApiSettings::new()
                .gateway_response("INVALID_API_KEY", GatewayResponse::new().status(401))
                .gateway_response(
                    "DEFAULT_4XX",
                    GatewayResponse::new().header("Access-Control-Allow-Origin", "'*'"),
                ),
        );
        assert!(declared_headers(&declared, "INVALID_API_KEY").is_empty());
        let default_4xx = declared_headers(&declared, "DEFAULT_4XX");
        assert!(default_4xx.contains(&("Access-Control-Allow-Origin".to_owned(), "*".to_owned())));
        let app = Server::new(declared).api_keys(["k"]).into_router();
        let (status, headers, _) = send(&app, request("GET", "/keyed", Some(ORIGIN))).await;
        assert_eq!(status, 401);
        assert!(
            headers.get("access-control-allow-origin").is_none(),
            "{headers:?}"
        );
        let (status, headers, _) = send(&app, request("GET", "/nowhere", Some(ORIGIN))).await;
        assert_eq!(status, 403);
        assert_eq!(headers["access-control-allow-origin"], "*");
        assert_eq!(
            headers["access-control-allow-headers"],
            "Content-Type,X-Api-Key"
        );
    }

    #[tokio::test]
    async fn http_api_applies_its_cors_configuration_to_its_own_answers() {
        // [h-cors]: an HTTP API's CORS configuration applies to every answer, its own
        // 401 and 404 included, for an allowed Origin.
        let router: AwsRouter = AwsRouter::new()
            .route("/items", get(|| async { "items" }))
            .route(
                "/me",
                get(|| async { "me" }).auth(JwtAuthorizer::new(
                    "users",
                    "https://issuer.example.com",
                    ["client-a"],
                )),
            )
            .default_integration(LambdaProxy::new("${api_invoke_arn}"))
            .cors(Cors::new().allow_origin(ORIGIN).expose_headers(["X-Trace"]));
        let spec = router.spec(info());
        let exported: Value = serde_json::from_str(
            &spec
                .check_for(&[Target::HttpApi])
                .unwrap_or_else(|e| panic!("{e}"))
                .render_http_api()
                .unwrap()
                .to_json(),
        )
        .unwrap();
        assert_eq!(
            exported["x-amazon-apigateway-cors"]["allowOrigins"],
            serde_json::json!([ORIGIN])
        );
        let app = Server::new(router).emulate(Gateway::HttpApi).into_router();
        for (uri, status) in [("/me", 401), ("/nowhere", 404)] {
            let (answered, headers, _) = send(&app, request("GET", uri, Some(ORIGIN))).await;
            assert_eq!(answered, status, "{uri}");
            assert_eq!(headers["access-control-allow-origin"], ORIGIN, "{uri}");
            assert_eq!(headers["access-control-expose-headers"], "x-trace", "{uri}");
            // Another origin, or none: no CORS headers.
            for origin in [Some("https://other.example.com"), None] {
                let (answered, headers, _) = send(&app, request("GET", uri, origin)).await;
                assert_eq!(answered, status, "{uri}");
                assert!(
                    headers.get("access-control-allow-origin").is_none(),
                    "{uri} {origin:?}: {headers:?}"
                );
            }
        }
    }

    #[tokio::test]
    async fn kong_cors_plugin_adds_its_headers_to_the_auth_plugins_refusals() {
        // Kong 3.10: `cors` (priority 2000) runs before key-auth (1250); its header
        // filter adds the route's CORS headers to key-auth's 401. No route, no plugin.
        let router = || {
            AwsRouter::new()
                .route(
                    "/keyed",
                    get(|| async { "keyed" }).auth(Authorizer::api_key()),
                )
                .default_integration(LambdaProxy::new("${api_invoke_arn}"))
                .cors(Cors::new().allow_origin(ORIGIN))
        };
        let kong = router()
            .spec(info())
            .check_for(&[Target::Kong])
            .unwrap_or_else(|e| panic!("{e}"))
            .render_kong(axum_aws::KongFormat::Json)
            .unwrap()
            .text()
            .to_owned();
        let kong: Value = serde_json::from_str(&kong).unwrap();
        let keyed = kong["routes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|route| route["paths"].to_string().contains("/keyed"))
            .unwrap();
        let plugins: Vec<&str> = keyed["plugins"]
            .as_array()
            .unwrap()
            .iter()
            .map(|plugin| plugin["name"].as_str().unwrap())
            .collect();
        assert!(
            plugins.contains(&"cors") && plugins.contains(&"key-auth"),
            "{plugins:?}"
        );
        let app = Server::new(router())
            .emulate(Gateway::Kong)
            .api_keys(["k"])
            .into_router();
        let (status, headers, _) = send(&app, request("GET", "/keyed", Some(ORIGIN))).await;
        assert_eq!(status, 401);
        assert_eq!(headers["access-control-allow-origin"], ORIGIN);
        assert_eq!(headers["www-authenticate"], "Key");
        let (status, headers, _) = send(&app, request("GET", "/nowhere", Some(ORIGIN))).await;
        assert_eq!(status, 404);
        assert!(headers.get("access-control-allow-origin").is_none());
    }
}
