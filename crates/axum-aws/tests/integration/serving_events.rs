//! Real REST v1, HTTP API v2 and ALB events (tests/fixtures/events/) through the served
//! router: as `http::Request`s (lambda_http's `from_str`, then `oneshot`) and as the
//! Lambda function sees them (event JSON in, proxy response JSON out).

use axum::Json;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum_aws::integration::LambdaProxy;
use axum_aws::routing::{get, post};
use axum_aws::{AwsContext, AwsRouter, Cors, EventSource, Server};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

/// A 1x1 PNG.
pub(crate) const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

async fn user(Path(id): Path<u32>, context: AwsContext) -> Json<Value> {
    Json(json!({
        "id": id,
        "source": format!("{:?}", context.source),
        "stage": context.stage,
        "requestId": context.request_id,
        "sub": context.claims.get("sub"),
        "sourceIp": context.source_ip,
        "userAgent": context.user_agent,
        "apiKeyId": context.api_key_id,
        "principal": context.principal_id,
        "tenant": context.authorizer.get("tenant"),
        "rawPath": context.raw_path,
    }))
}

async fn create_user(
    Json(body): Json<Value>,
) -> (
    StatusCode,
    [(header::HeaderName, &'static str); 1],
    Json<Value>,
) {
    (
        StatusCode::CREATED,
        [(header::SET_COOKIE, "seen=1; Secure")],
        Json(body),
    )
}

async fn file(Path(path): Path<String>) -> String {
    format!("file {path}")
}

async fn pixel() -> ([(header::HeaderName, &'static str); 1], &'static [u8]) {
    ([(header::CONTENT_TYPE, "image/png")], PNG)
}

async fn boom() -> &'static str {
    panic!("handler bug")
}

/// The router the serving tests share: the same shape as `examples/serve.rs`.
pub(crate) fn router() -> AwsRouter {
    AwsRouter::new()
        .route("/users/{id}", get(user))
        .route("/users", post(create_user))
        .route("/files/{*path}", get(file))
        .route("/pixel.png", get(pixel))
        .route("/boom", get(boom))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
        .cors(Cors::new().allow_origin("https://app.example.com"))
}

/// The names of every event fixture, sorted: tests that claim "every fixture" read the
/// directory, so a new fixture is covered without editing a list.
pub(crate) fn fixture_names() -> Vec<String> {
    let dir = format!("{}/tests/fixtures/events", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{dir}: {error}"))
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".json"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no event fixtures in {dir}");
    names
}

/// A runtime for the tests that drive the Lambda handler from synchronous code
/// (proptest bodies).
pub(crate) static RUNTIME: std::sync::LazyLock<tokio::runtime::Runtime> =
    std::sync::LazyLock::new(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    });

pub(crate) fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/events/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// The fixture through lambda_http's conversion and the served router.
async fn serve(server: Server, name: &str) -> (StatusCode, http::HeaderMap, Vec<u8>) {
    let request = lambda_http::request::from_str(&fixture(name)).unwrap();
    let response = server.into_router().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes().to_vec();
    (parts.status, parts.headers, bytes)
}

/// The fixture as the Lambda function answers it: the proxy response JSON.
pub(crate) async fn invoke(server: Server, name: &str) -> Value {
    server
        .lambda_handler()
        .handle(fixture(name).as_bytes(), Default::default())
        .await
}

/// The response body, decoded from base64 when the response says so.
pub(crate) fn body(response: &Value) -> Vec<u8> {
    let body = response["body"].as_str().unwrap_or_default();
    if response["isBase64Encoded"] == true {
        STANDARD.decode(body).unwrap()
    } else {
        body.as_bytes().to_vec()
    }
}

fn body_json(response: &Value) -> Value {
    serde_json::from_slice(&body(response)).unwrap()
}

#[tokio::test]
async fn rest_stage_prefix_is_stripped_and_context_is_read() {
    // The trap: lambda_http puts the stage in front of the path.
    let request = lambda_http::request::from_str(&fixture("rest-v1-stage.json")).unwrap();
    assert_eq!(request.uri().path(), "/dev/users/42");
    let bare = router().into_router().oneshot(request).await.unwrap();
    assert_eq!(bare.status(), StatusCode::NOT_FOUND);

    let (status, headers, bytes) = serve(Server::new(router()), "rest-v1-stage.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(
        body,
        json!({
            "id": 42,
            "source": "RestApi",
            "stage": "dev",
            "requestId": "c6af9ac6-7b61-4e11-9a41-93e8deadbeef",
            "sub": "7d8e2f3a-1b4c-4d5e-8f90-a1b2c3d4e5f6",
            "sourceIp": "203.0.113.17",
            "userAgent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
            "apiKeyId": "x7k2m9p4q1",
            "principal": null,
            "tenant": null,
            "rawPath": "/users/42",
        })
    );
}

#[tokio::test]
async fn rest_proxy_response_is_what_lambda_returns() {
    let response = invoke(Server::new(router()), "rest-v1-stage.json").await;
    // lambda_http answers REST APIs with multiValueHeaders only (API Gateway would merge
    // both maps) and text bodies as they are.
    assert_eq!(response["statusCode"], 200);
    assert_eq!(response["isBase64Encoded"], false);
    assert_eq!(response["headers"], json!({}));
    assert_eq!(
        response["multiValueHeaders"]["content-type"],
        json!(["application/json"])
    );
    assert_eq!(body_json(&response)["id"], 42);
    let keys: Vec<&str> = response
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "body",
            "headers",
            "isBase64Encoded",
            "multiValueHeaders",
            "statusCode"
        ]
    );
}

#[tokio::test]
async fn lambda_authorizer_context_reaches_handlers() {
    let response = invoke(Server::new(router()), "rest-v1-lambda-authorizer.json").await;
    let body = body_json(&response);
    assert_eq!(body["principal"], "user|a1b2c3");
    assert_eq!(body["tenant"], "acme");
    assert_eq!(body["sub"], Value::Null);
}

#[tokio::test]
async fn rest_custom_domain_base_path_is_found_from_the_resource() {
    let (status, _, bytes) = serve(Server::new(router()), "rest-v1-custom-domain.json").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(
        (body["id"].clone(), body["stage"].clone()),
        (json!(42), json!("prod"))
    );
    assert_eq!(body["rawPath"], "/v1/users/42");
}

#[tokio::test]
async fn rest_greedy_proxy_behind_a_custom_domain_needs_the_base_path() {
    // `/{proxy+}` matches any depth, so the event cannot tell where the base path ends.
    let (status, _, _) = serve(Server::new(router()), "rest-v1-proxy-custom-domain.json").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let server = Server::new(router()).base_path("/v1");
    let (status, _, bytes) = serve(server, "rest-v1-proxy-custom-domain.json").await;
    assert_eq!(
        (status, bytes.as_slice()),
        (StatusCode::OK, &b"file a/b.txt"[..])
    );
}

#[tokio::test]
async fn rest_greedy_path() {
    let response = invoke(Server::new(router()), "rest-v1-greedy.json").await;
    assert_eq!(response["statusCode"], 200);
    assert_eq!(
        response["multiValueHeaders"]["content-type"],
        json!(["text/plain; charset=utf-8"])
    );
    assert_eq!(body(&response), b"file docs/2026/report.txt");
}

#[tokio::test]
async fn binary_response_is_base64_encoded() {
    let response = invoke(Server::new(router()), "rest-v1-binary.json").await;
    assert_eq!(response["statusCode"], 200);
    assert_eq!(response["isBase64Encoded"], true);
    assert_eq!(
        response["multiValueHeaders"]["content-type"],
        json!(["image/png"])
    );
    assert_eq!(response["body"], STANDARD.encode(PNG));
}

#[tokio::test]
async fn preflight_is_answered_by_the_route_cors_policy() {
    let response = invoke(Server::new(router()), "rest-v1-preflight.json").await;
    assert_eq!(response["statusCode"], 200);
    let headers = &response["multiValueHeaders"];
    assert_eq!(
        headers["access-control-allow-origin"],
        json!(["https://app.example.com"])
    );
    let methods = headers["access-control-allow-methods"][0].as_str().unwrap();
    assert!(methods.contains("GET"), "{methods}");
    assert_eq!(body(&response), b"");
}

#[tokio::test]
async fn handler_panic_is_a_500_json_body() {
    let response = invoke(Server::new(router()), "rest-v1-panic.json").await;
    assert_eq!(response["statusCode"], 500);
    assert_eq!(
        response["multiValueHeaders"]["content-type"],
        json!(["application/json"])
    );
    assert_eq!(
        body_json(&response),
        json!({"message": "Internal Server Error"})
    );
}

#[tokio::test]
async fn compressed_responses_go_back_as_binary() {
    // The fixture accepts gzip, deflate, br (what CloudFront forwards).
    let response = invoke(
        Server::new(router()).compression(true),
        "rest-v1-stage.json",
    )
    .await;
    assert_eq!(
        response["multiValueHeaders"]["content-encoding"],
        json!(["br"])
    );
    assert_eq!(response["isBase64Encoded"], true);
    let mut plain = Vec::new();
    brotli_decompress(&body(&response), &mut plain);
    assert_eq!(serde_json::from_slice::<Value>(&plain).unwrap()["id"], 42);
}

fn brotli_decompress(compressed: &[u8], out: &mut Vec<u8>) {
    use std::io::Read;
    brotli::Decompressor::new(compressed, 4096)
        .read_to_end(out)
        .unwrap();
}

#[tokio::test]
async fn http_api_named_stage_is_stripped_and_jwt_claims_are_read() {
    let request = lambda_http::request::from_str(&fixture("http-v2-named-stage.json")).unwrap();
    assert_eq!(request.uri().path(), "/prod/users/42");
    let response = invoke(Server::new(router()), "http-v2-named-stage.json").await;
    assert_eq!(response["statusCode"], 200);
    // HTTP APIs get plain headers and no multiValueHeaders.
    assert_eq!(response["headers"]["content-type"], "application/json");
    assert_eq!(response["multiValueHeaders"], json!({}));
    let body = body_json(&response);
    assert_eq!(body["source"], "HttpApi");
    assert_eq!(body["stage"], "prod");
    assert_eq!(body["sub"], "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
    assert_eq!(body["sourceIp"], "198.51.100.23");
    assert_eq!(body["requestId"], "JkZ1pgTcliAEJ2w=");
}

#[tokio::test]
async fn http_api_base64_request_body_cookies_and_cors() {
    let response = invoke(
        Server::new(router()),
        "http-v2-default-stage-base64-body.json",
    )
    .await;
    assert_eq!(response["statusCode"], 201);
    assert_eq!(
        body_json(&response),
        json!({"name": "Ana", "email": "ana@example.com"})
    );
    // Set-Cookie moves to the v2 `cookies` list.
    assert_eq!(response["cookies"], json!(["seen=1; Secure"]));
    assert_eq!(
        response["headers"]["access-control-allow-origin"],
        "https://app.example.com"
    );
}

#[tokio::test]
async fn http_api_custom_domain_mapping_is_stripped() {
    let response = invoke(Server::new(router()), "http-v2-custom-domain.json").await;
    assert_eq!(response["statusCode"], 200, "{response}");
    assert_eq!(body_json(&response)["id"], 42);
}

#[tokio::test]
async fn alb_event_with_greedy_path() {
    let (status, headers, bytes) = serve(Server::new(router()), "alb-greedy.json").await;
    assert_eq!(
        (status, bytes.as_slice()),
        (StatusCode::OK, &b"file docs/2026/report.txt"[..])
    );
    assert_eq!(headers[header::CONTENT_TYPE], "text/plain; charset=utf-8");
    let response = invoke(Server::new(router()), "alb-greedy.json").await;
    assert_eq!(response["statusCode"], 200);
    assert_eq!(response["statusDescription"], "200 OK");
    assert_eq!(response["isBase64Encoded"], false);
    assert_eq!(body(&response), b"file docs/2026/report.txt");
}

#[tokio::test]
async fn alb_context_has_the_client_address() {
    let request = lambda_http::request::from_str(&fixture("alb-greedy.json")).unwrap();
    let context = AwsContext::from_request(request.extensions(), request.headers());
    assert_eq!(context.source, EventSource::Alb);
    assert_eq!(context.source_ip.as_deref(), Some("192.0.2.44"));
    assert_eq!(context.user_agent.as_deref(), Some("curl/8.5.0"));
    assert_eq!(
        context.raw_path.as_deref(),
        Some("/files/docs/2026/report.txt")
    );
}

#[tokio::test]
async fn outside_lambda_the_context_is_empty() {
    let request = http::Request::get("/users/5")
        .body(axum::body::Body::empty())
        .unwrap();
    let response = Server::new(router())
        .into_router()
        .oneshot(request)
        .await
        .unwrap();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(body["source"], "Local");
    for key in [
        "stage",
        "requestId",
        "sub",
        "sourceIp",
        "userAgent",
        "apiKeyId",
        "rawPath",
    ] {
        assert_eq!(body[key], Value::Null, "{key}");
    }
}

#[tokio::test]
async fn malformed_events_get_a_400() {
    let handler = Server::new(router()).lambda_handler();
    for event in [&b"{}"[..], b"[]", b"{\"Records\": []}", b"not json", b""] {
        let response = handler.handle(event, Default::default()).await;
        assert_eq!(
            response["statusCode"],
            400,
            "{}",
            String::from_utf8_lossy(event)
        );
        assert_eq!(body_json(&response), json!({"message": "Bad Request"}));
    }
    // lambda_http panics on a Host header the URL parser rejects; it is a 400 here.
    let mut event: Value = serde_json::from_str(&fixture("rest-v1-stage.json")).unwrap();
    event["headers"]["Host"] = json!("exa mple.com");
    event["multiValueHeaders"]["Host"] = json!(["exa mple.com"]);
    let response = handler
        .handle(event.to_string().as_bytes(), Default::default())
        .await;
    assert_eq!(response["statusCode"], 400);
}

/// The AWS docs' payload 2.0 example (tests/fixtures/events/SOURCES.md) through a router
/// whose greedy route takes it: the path, JWT claims and scopes in `AwsContext`, the
/// request cookies as one `Cookie` header, the body.
#[tokio::test]
async fn http_api_aws_docs_event_greedy_path_claims_cookies() {
    async fn echo(
        Path(rest): Path<String>,
        context: AwsContext,
        headers: http::HeaderMap,
        body: String,
    ) -> Json<Value> {
        Json(json!({
            "rest": rest,
            "source": format!("{:?}", context.source),
            "claim1": context.claims.get("claim1"),
            "scopes": context.scopes,
            "cookie": headers.get(header::COOKIE).and_then(|v| v.to_str().ok()),
            "header1": headers.get("header1").and_then(|v| v.to_str().ok()),
            "body": body,
        }))
    }
    let router: AwsRouter = AwsRouter::new()
        .route("/my/{*rest}", get(echo))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"));
    let response = invoke(Server::new(router), "http-v2-aws-docs-jwt.json").await;
    assert_eq!(response["statusCode"], 200, "{response}");
    assert_eq!(
        body_json(&response),
        json!({
            "rest": "path",
            "source": "HttpApi",
            "claim1": "value1",
            "scopes": ["scope1", "scope2"],
            "cookie": "cookie1; cookie2",
            "header1": "value1",
            "body": "{\r\n\t\"a\": 1\r\n}",
        })
    );
}

/// A binary response to a v2 event goes back base64-encoded (the AWS docs event, its
/// path pointed at the PNG route).
#[tokio::test]
async fn http_api_binary_response_is_base64_encoded() {
    let mut event: Value = serde_json::from_str(&fixture("http-v2-aws-docs-jwt.json")).unwrap();
    event["rawPath"] = json!("/pixel.png");
    event["requestContext"]["http"]["path"] = json!("/pixel.png");
    let response = Server::new(router())
        .lambda_handler()
        .handle(event.to_string().as_bytes(), Default::default())
        .await;
    assert_eq!(response["statusCode"], 200, "{response}");
    assert_eq!(response["isBase64Encoded"], true);
    assert_eq!(body(&response), PNG);
}

#[test]
fn function_urls_are_told_from_http_apis() {
    for (name, source) in [
        ("function-url-lambda-http.json", EventSource::FunctionUrl),
        ("http-v2-proxy-lambda-http.json", EventSource::HttpApi),
        ("http-v2-custom-domain.json", EventSource::HttpApi),
    ] {
        let request = lambda_http::request::from_str(&fixture(name)).unwrap();
        let context = AwsContext::from_request(request.extensions(), request.headers());
        assert_eq!(context.source, source, "{name}");
    }
}
