//! The docs page: served by `Server::docs` from the router's own public spec, off in
//! Lambda unless asked for, and no spec text can break out of its `<script>`.
//! (What a browser renders from it is checked in Chromium: `make docs-test`.)

use axum::body::Body;
use axum_aws::integration::LambdaProxy;
use axum_aws::routing::{get, put};
use axum_aws::{AwsRouter, DocsPage, Info, Server};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use crate::serving_events::{fixture, router};

/// Text a hostile (or careless) route author might write. (`make docs-test` opens the
/// page of [`spec_text_stays_text`] in Chromium: none of it may run or add an element.)
const HOSTILE: &str =
    r#"</script><script>window.pwned=1</script><img src=x onerror="window.pwned=2"> &amp; ' <!--"#;

fn info() -> Info {
    Info::new("Users", "2.0.0")
}

/// The JSON the page embeds, read back as a browser's `JSON.parse` would.
fn embedded_spec(html: &str) -> Value {
    let start = html
        .find(r#"<script type="application/json" id="openapi">"#)
        .unwrap();
    let json = &html[start..];
    let json = &json[json.find('>').unwrap() + 1..json.find("</script>").unwrap()];
    serde_json::from_str(json).unwrap()
}

async fn get_text(app: axum::Router, path: &str) -> (http::StatusCode, String, String) {
    let request = http::Request::get(path).body(Body::empty()).unwrap();
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        content_type,
        String::from_utf8(bytes.to_vec()).unwrap(),
    )
}

#[tokio::test]
async fn served_page_embeds_the_routers_public_spec() {
    let spec = router().spec(info());
    let page = spec.docs_page().unwrap();
    let app = Server::new(router())
        .base_path("/v1")
        .docs("docs", page.clone())
        .into_router();
    let (status, content_type, html) = get_text(app.clone(), "/docs").await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "text/html; charset=utf-8");
    assert_eq!(html, page.html());
    assert_eq!(
        embedded_spec(&html),
        spec.render_public().unwrap().to_value()
    );
    assert!(html.contains("<title>Users 2.0.0</title>"));
    // Behind a base path like every route, and the API's routes still answer.
    assert_eq!(get_text(app.clone(), "/v1/docs").await.0, 200);
    assert_eq!(get_text(app, "/users/7").await.0, 200);
}

#[tokio::test]
async fn no_docs_unless_asked_for() {
    // Not served, so the emulated REST API answers as it does for any unknown route.
    let (status, _, body) = get_text(Server::new(router()).into_router(), "/docs").await;
    assert_eq!(status, 403);
    assert_eq!(body, r#"{"message":"Missing Authentication Token"}"#);
}

/// A REST v1 event for `GET /dev/docs`.
fn docs_event() -> Vec<u8> {
    let mut event: Value = serde_json::from_str(&fixture("rest-v1-stage.json")).unwrap();
    event["path"] = "/dev/docs".into();
    event["resource"] = "/docs".into();
    event["pathParameters"] = Value::Null;
    event["requestContext"]["path"] = "/dev/docs".into();
    event["requestContext"]["resourcePath"] = "/docs".into();
    serde_json::to_vec(&event).unwrap()
}

#[tokio::test]
async fn lambda_serves_the_page_only_when_asked() {
    let page = router().spec(info()).docs_page().unwrap();
    let off = Server::new(router())
        .docs("/docs", page.clone())
        .lambda_handler()
        .handle(&docs_event(), Default::default())
        .await;
    assert_eq!(off["statusCode"], 404, "{off}");

    let on = Server::new(router())
        .docs("/docs", page.clone())
        .docs_in_lambda(true)
        .lambda_handler()
        .handle(&docs_event(), Default::default())
        .await;
    assert_eq!(on["statusCode"], 200, "{on}");
    assert_eq!(on["body"], page.html());
}

#[test]
fn spec_text_stays_text() {
    let router: AwsRouter = AwsRouter::new()
        .route(
            "/widget",
            put(|| async { "" })
                .summary(HOSTILE)
                .description(HOSTILE)
                .tag(HOSTILE),
        )
        .route(
            "/widget/{name}",
            get(|| async { "" }).operation_id("getWidget"),
        )
        .default_integration(LambdaProxy::new("${api_invoke_arn}"));
    let info = Info::new(HOSTILE, "1\"><b>").description(HOSTILE);
    let public = router.spec(info).render_public().unwrap();
    let html = DocsPage::new(&public).into_html();
    // The template's two scripts, nothing the spec said: no element opened or closed.
    assert_eq!(html.matches("</script").count(), 2, "{html}");
    assert_eq!(html.matches("<script").count(), 2);
    assert!(!html.contains("<img") && !html.contains("<!--") && !html.contains("<b>"));
    assert!(
        html.contains("<title>&lt;/script&gt;&lt;script&gt;window.pwned=1"),
        "{}",
        &html[..400]
    );
    // What the page's script reads is the spec, unchanged.
    let embedded = embedded_spec(&html);
    assert_eq!(embedded, public.to_value());
    assert_eq!(embedded["paths"]["/widget"]["put"]["summary"], HOSTILE);
    // For the browser check of `make docs-test` (scripts/tests/docs_page.py --hostile).
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("docs-page-hostile");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), &html).unwrap();
    std::fs::write(dir.join("hostile.txt"), HOSTILE).unwrap();
}

#[test]
fn cors_policy_is_public_without_its_placeholder() {
    let router: AwsRouter = AwsRouter::new()
        .route("/widgets", get(|| async { "[]" }))
        .route("/widgets", axum_aws::routing::post(|| async { "" }))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
        .cors(
            axum_aws::Cors::new()
                .allow_origins(["https://app.example.com", "${partner_origin}"])
                .expose_headers(["X-Request-Id"])
                .max_age(std::time::Duration::from_secs(600)),
        );
    let public = router.spec(info()).render_public().unwrap();
    assert!(!public.to_json().contains("${"), "{}", public.to_json());
    let cors = &public.to_value()["paths"]["/widgets"]["x-cors"];
    assert_eq!(
        cors["allowOrigins"],
        serde_json::json!(["https://app.example.com"])
    );
    assert_eq!(cors["originsSetAtDeployment"], true);
    assert_eq!(
        cors["allowMethods"],
        serde_json::json!(["GET", "OPTIONS", "POST"])
    );
    assert_eq!(cors["exposeHeaders"], serde_json::json!(["X-Request-Id"]));
    assert_eq!(cors["maxAge"], 600);
    assert_eq!(cors.get("allowCredentials"), None);
}

/// `Server::docs` at a path the router routes: the server is not built (it panics
/// when built, as documented, naming the path), and the router's own route is never
/// shadowed; at a free path the page and the route are both served.
#[tokio::test]
async fn a_docs_path_the_router_routes_is_refused_when_built() {
    let router = || -> AwsRouter {
        AwsRouter::new()
            .route("/docs", get(|| async { "mine" }))
            .default_integration(LambdaProxy::new("${api_invoke_arn}"))
    };
    let page = || router().spec(info()).docs_page().unwrap();
    // Choosing the path does not panic; building the server does.
    let server = Server::new(router()).docs("/docs", page());
    let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| server.into_router()));
    let panic = built.expect_err("a docs page over a route is refused");
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or_default();
    assert!(
        message.contains("/docs"),
        "the message names the path: {message}"
    );

    let app = Server::new(router())
        .docs("/api-docs", page())
        .into_router();
    let (status, content_type, _) = get_text(app.clone(), "/api-docs").await;
    assert_eq!(
        (status, content_type.as_str()),
        (http::StatusCode::OK, "text/html; charset=utf-8")
    );
    let (status, _, body) = get_text(app, "/docs").await;
    assert_eq!((status, body.as_str()), (http::StatusCode::OK, "mine"));
}
