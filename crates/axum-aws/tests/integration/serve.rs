//! The router that exports the spec also serves the requests: handlers run, and CORS
//! preflights answer what the private spec's OPTIONS mocks answer.

use axum::body::Body;
use axum::extract::Path;
use axum::http::{Request, StatusCode, header};
use axum_aws::integration::LambdaProxy;
use axum_aws::routing::{delete, get, post};
use axum_aws::{AwsRouter, Cors, Info};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

async fn list() -> &'static str {
    "[]"
}

async fn create() -> (StatusCode, &'static str) {
    (StatusCode::CREATED, "{}")
}

async fn read(Path(name): Path<String>) -> String {
    format!("widget {name}")
}

fn router() -> AwsRouter {
    let widgets = AwsRouter::new()
        .route("/", get(list))
        .route("/", post(create))
        .route("/{name}", get(read))
        .route("/{name}", delete(create));
    AwsRouter::new()
        .nest("/v1/widgets", widgets)
        .route("/v1/open", get(list).cors(Cors::new()))
        .route("/v1/plain", get(list))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
        .cors(
            Cors::new()
                .allow_origin("https://app.example.com")
                .allow_headers(["Content-Type", "Authorization"])
                .max_age(std::time::Duration::from_secs(600)),
        )
}

async fn send(
    app: &axum::Router,
    request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

fn preflight(uri: &str, method: &str) -> Request<Body> {
    Request::builder()
        .method("OPTIONS")
        .uri(uri)
        .header(header::ORIGIN, "https://app.example.com")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, method)
        .body(Body::empty())
        .unwrap()
}

/// The mock's static `responseParameters` for a path's OPTIONS method, without quotes.
fn mock_headers(private: &Value, path: &str) -> Vec<(String, String)> {
    let parameters = &private["paths"][path]["options"]["x-amazon-apigateway-integration"]["responses"]
        ["default"]["responseParameters"];
    parameters
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            let name = k
                .trim_start_matches("method.response.header.")
                .to_ascii_lowercase();
            (name, v.as_str().unwrap().trim_matches('\'').to_owned())
        })
        .collect()
}

#[tokio::test]
async fn handlers_run_through_nested_routes() {
    let app = router().into_router();
    let (status, _, body) = send(
        &app,
        Request::get("/v1/widgets/blue")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "widget blue"));
    let (status, _, _) = send(
        &app,
        Request::post("/v1/widgets").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _, _) = send(&app, Request::get("/nowhere").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn preflights_answer_what_the_private_spec_declares() {
    let aws_router = router();
    let private = aws_router
        .spec(Info::new("t", "1"))
        .render_private()
        .unwrap()
        .to_value();
    let app = aws_router.into_router();
    for (served, declared, method) in [
        ("/v1/widgets", "/v1/widgets", "POST"),
        ("/v1/widgets/blue", "/v1/widgets/{name}", "DELETE"),
        ("/v1/open", "/v1/open", "GET"),
    ] {
        let (status, headers, _) = send(&app, preflight(served, method)).await;
        assert!(status.is_success(), "{served}: {status}");
        for (name, value) in mock_headers(&private, declared) {
            let served_value = headers
                .get(&name)
                .unwrap_or_else(|| panic!("{served}: no {name} header"))
                .to_str()
                .unwrap()
                .replace(' ', "");
            assert_eq!(
                served_value.to_ascii_uppercase(),
                value.replace(' ', "").to_ascii_uppercase(),
                "{served}: {name}"
            );
        }
    }
    // Methods are computed per path, not hard-coded.
    let item = mock_headers(&private, "/v1/widgets/{name}");
    assert!(
        item.contains(&(
            "access-control-allow-methods".into(),
            "DELETE,GET,OPTIONS".into()
        )),
        "{item:?}"
    );
}

#[tokio::test]
async fn actual_responses_carry_cors_headers_and_other_origins_get_none() {
    let app = router().into_router();
    let request = Request::get("/v1/widgets")
        .header(header::ORIGIN, "https://app.example.com")
        .body(Body::empty())
        .unwrap();
    let (_, headers, _) = send(&app, request).await;
    assert_eq!(
        headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "https://app.example.com"
    );
    let request = Request::get("/v1/widgets")
        .header(header::ORIGIN, "https://evil.example.com")
        .body(Body::empty())
        .unwrap();
    let (_, headers, _) = send(&app, request).await;
    assert!(headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
}

#[tokio::test]
async fn paths_without_cors_do_not_answer_preflights() {
    let app = AwsRouter::new()
        .route("/plain", get(list))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
        .into_router();
    let (status, headers, _) = send(&app, preflight("/plain", "GET")).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
}
