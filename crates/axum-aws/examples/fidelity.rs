//! The example routers of the gateway-fidelity suite (`make e2e-gateway`,
//! `scripts/e2e/gateway.py`) and of the enforcement differential test
//! (`make e2e-enforcement`, `scripts/e2e/enforcement.py`): each is served on a loopback
//! port, and its private spec, with every Lambda integration swapped for an `http_proxy`
//! to that port ([`axum_aws::ApiSpec::with_backend`]), is imported into LocalStack's API Gateway.
//! Each is also served on a second port as the local server a client would call without
//! any gateway, so the differential test can send it the same requests.
//!
//! ```text
//! cargo run -p axum-aws --example fidelity -- list
//! cargo run -p axum-aws --example fidelity -- spec shop            # Terraform template, ${backend_url}
//! cargo run -p axum-aws --example fidelity -- serve --out DIR [--max-seconds 600]
//! ```
//!
//! `serve` binds `127.0.0.1:0` twice per router, writes `DIR/NAME.tpl.json` (the private
//! spec, a `templatefile()` template whose `${backend_url}` is the router's URL behind the
//! gateway) and `DIR/manifest.json` (`{"NAME": {"backend_url": …, "local_url": …,
//! "template": …}}`), prints `ready` and serves until stdin closes, SIGTERM, or
//! `--max-seconds` pass.
//!
//! The handlers echo what reached them (method, path, path parameters, query, some
//! headers, body) so the suite can check what API Gateway forwarded.

use std::collections::BTreeMap;
use std::error::Error;
use std::io::Write as _;
use std::time::Duration;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, Query};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum_aws::auth::{Authorizer, CognitoAuthorizer, LambdaAuthorizer};
use axum_aws::integration::{IntegrationResponse, Lambda, LambdaProxy, Mock};
use axum_aws::routing::{any, delete, get, post, put};
use axum_aws::{
    ApiKeySource, ApiSettings, AwsRouter, Cors, Gateway, GatewayResponse, Info, RequestValidator,
    Server,
};
use serde::Deserialize;
use serde_json::{Value, json};

type Params = Path<BTreeMap<String, String>>;
type Queries = Query<Vec<(String, String)>>;

/// What the gateway forwarded: the suite compares it with what it sent.
fn echo(
    uri: &Uri,
    params: &BTreeMap<String, String>,
    query: &[(String, String)],
    headers: &HeaderMap,
) -> Value {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    json!({
        "path": uri.path(),
        "rawQuery": uri.query(),
        "params": params,
        "query": query,
        "forwardedApiId": header("x-amzn-apigateway-api-id"),
        "xTrace": header("x-trace"),
    })
}

async fn user(
    OriginalUri(uri): OriginalUri,
    Path(params): Params,
    Query(query): Queries,
    headers: HeaderMap,
) -> Json<Value> {
    let mut out = echo(&uri, &params, &query, &headers);
    out["handler"] = "user".into();
    Json(out)
}

async fn delete_user(Path(id): Path<String>) -> (StatusCode, Json<Value>) {
    (StatusCode::ACCEPTED, Json(json!({"deleted": id})))
}

async fn post_of_user(
    OriginalUri(uri): OriginalUri,
    Path(params): Params,
    Query(query): Queries,
    headers: HeaderMap,
) -> Json<Value> {
    let mut out = echo(&uri, &params, &query, &headers);
    out["handler"] = "post_of_user".into();
    Json(out)
}

async fn file(
    OriginalUri(uri): OriginalUri,
    Path(params): Params,
    Query(query): Queries,
    headers: HeaderMap,
) -> Json<Value> {
    let mut out = echo(&uri, &params, &query, &headers);
    out["handler"] = "file".into();
    Json(out)
}

async fn files_index() -> Json<Value> {
    Json(json!({"handler": "files_index"}))
}

async fn search(
    OriginalUri(uri): OriginalUri,
    Query(query): Queries,
    headers: HeaderMap,
) -> Json<Value> {
    let mut out = echo(&uri, &BTreeMap::new(), &query, &headers);
    out["handler"] = "search".into();
    Json(out)
}

async fn create_order(
    Json(body): Json<Value>,
) -> (StatusCode, [(&'static str, String); 1], Json<Value>) {
    let total: f64 = body["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| i["price"].as_f64().unwrap_or(0.0) * i["qty"].as_f64().unwrap_or(0.0))
                .sum()
        })
        .unwrap_or(0.0);
    (
        StatusCode::CREATED,
        [("x-order-total", total.to_string())],
        Json(json!({"received": body, "total": total})),
    )
}

/// Binary in, binary out: the bytes reversed, with their length in a header.
async fn blob(headers: HeaderMap, body: Bytes) -> ([(header::HeaderName, String); 3], Vec<u8>) {
    let mut bytes = body.to_vec();
    bytes.reverse();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (
                header::HeaderName::from_static("x-received-length"),
                body.len().to_string(),
            ),
            (
                header::HeaderName::from_static("x-received-type"),
                content_type,
            ),
        ],
        bytes,
    )
}

/// A 1x1 PNG.
async fn pixel() -> ([(header::HeaderName, &'static str); 1], &'static [u8]) {
    const PNG: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
        0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00,
        0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49,
        0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];
    ([(header::CONTENT_TYPE, "image/png")], PNG)
}

async fn stats() -> Json<Value> {
    Json(json!({"handler": "stats", "users": 42}))
}

async fn report(Path(id): Path<String>) -> Json<Value> {
    Json(json!({"handler": "report", "id": id}))
}

async fn legacy(Path(id): Path<String>, Query(query): Queries) -> Json<Value> {
    Json(json!({"handler": "legacy", "id": id, "query": query}))
}

async fn catch_all(
    method: axum::http::Method,
    OriginalUri(uri): OriginalUri,
    Path(params): Params,
    body: Bytes,
) -> Json<Value> {
    Json(json!({
        "handler": "catch_all",
        "method": method.as_str(),
        "path": uri.path(),
        "params": params,
        "body": String::from_utf8_lossy(&body),
    }))
}

async fn root() -> Json<Value> {
    Json(json!({"handler": "root"}))
}

async fn never() -> &'static str {
    "the gateway answers this route itself"
}

/// A TOKEN authorizer: LocalStack community imports it but does not enforce it.
fn token_authorizer() -> LambdaAuthorizer {
    LambdaAuthorizer::token("tokenAuth", "${authorizer_invoke_arn}").ttl(Duration::from_secs(0))
}

/// Nested and merged routers with prefixes; path, greedy and query parameters; JSON and
/// binary bodies; CORS on `/v1/users/...`; an API key, a TOKEN authorizer, a Lambda custom
/// integration, mocks and gateway responses.
fn shop() -> AwsRouter {
    let users = AwsRouter::new()
        .route("/{id}", get(user))
        .route("/{id}", delete(delete_user))
        .route("/{id}/posts/{post_id}", get(post_of_user))
        .cors(
            Cors::new()
                .allow_origin("${app_origin}")
                .allow_headers(["Content-Type", "X-Api-Key", "X-Trace"])
                .max_age(Duration::from_secs(300)),
        );
    let files = AwsRouter::new()
        .route("/index", get(files_index))
        .route("/{*path}", get(file));
    let admin = AwsRouter::new()
        .route("/stats", get(stats).auth(Authorizer::api_key()))
        .route("/reports/{id}", get(report).auth(token_authorizer()))
        .route(
            "/legacy/{id}",
            get(legacy).integration(
                Lambda::new("${legacy_invoke_arn}")
                    .request_template("application/json", r#"{"id": "$input.params('id')"}"#)
                    .response(IntegrationResponse::default_status(200)),
            ),
        );
    let v1 = AwsRouter::new()
        .nest("/users", users)
        .nest("/files", files)
        .nest("/admin", admin)
        .route("/search", get(search))
        .route("/orders", post(create_order))
        .route("/blobs", put(blob))
        .route("/pixel.png", get(pixel));
    let ops = AwsRouter::new()
        .route(
            "/status",
            get(never).integration(Mock::new(200).body(
                "application/json",
                r#"{"status": "up", "stage": "$context.stage", "path": "$context.resourcePath"}"#,
            )),
        )
        .route(
            "/maintenance",
            post(never).integration(
                Mock::new(503)
                    .header("Retry-After", "120")
                    .body("application/json", r#"{"message": "back soon"}"#),
            ),
        );
    AwsRouter::new()
        .nest("/v1", v1)
        .merge(ops)
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
        .settings(
            ApiSettings::new()
                .api_key_source(ApiKeySource::Header)
                .binary_media_types(["application/octet-stream", "image/png"])
                .gateway_response(
                    "MISSING_AUTHENTICATION_TOKEN",
                    GatewayResponse::new()
                        .status(404)
                        .header("X-Gateway", "missing-route")
                        .template("application/json", r#"{"message": "no such route"}"#),
                )
                .gateway_response(
                    "INVALID_API_KEY",
                    GatewayResponse::new()
                        .status(403)
                        .header("X-Gateway", "invalid-key"),
                ),
        )
}

/// The whole app behind one Lambda: `ANY /` and `ANY /{proxy+}`, a static sibling of the
/// greedy path, CORS with several origins.
fn app() -> AwsRouter {
    AwsRouter::new()
        .route("/", get(root))
        .route("/{*proxy}", any(catch_all))
        .route(
            "/health",
            get(never).integration(Mock::new(200).body("application/json", r#"{"healthy": true}"#)),
        )
        .default_integration(LambdaProxy::new("${app_invoke_arn}"))
        .cors(Cors::new().allow_origins(["https://a.example.com", "https://b.example.com"]))
}

/// An order: both fields required, so the gateway's validator can reject a body.
#[derive(Deserialize, utoipa::ToSchema)]
struct NewOrder {
    /// Stock-keeping unit.
    sku: String,
    /// How many.
    qty: u32,
}

/// The query of `GET /search`: `q` is required, `limit` is not.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct SearchQuery {
    /// What to look for.
    q: String,
    /// Page size.
    limit: Option<u32>,
}

/// Every handler of [`gate`] names itself: the differential test tells the handler's
/// answer from the gateway's by it.
fn named(handler: &str) -> Json<Value> {
    Json(json!({"handler": handler}))
}

async fn gate_item(Path(id): Path<String>) -> Json<Value> {
    Json(json!({"handler": "item", "id": id}))
}

async fn gate_keyed() -> Json<Value> {
    named("keyed")
}

async fn gate_order(Json(order): Json<NewOrder>) -> (StatusCode, Json<Value>) {
    let body = json!({"handler": "order", "sku": order.sku, "qty": order.qty});
    (StatusCode::CREATED, Json(body))
}

async fn gate_restock(Json(order): Json<NewOrder>) -> Json<Value> {
    Json(json!({"handler": "restock", "sku": order.sku, "qty": order.qty}))
}

async fn gate_search(Query(query): Query<SearchQuery>) -> Json<Value> {
    Json(json!({"handler": "search", "q": query.q, "limit": query.limit}))
}

async fn gate_catalog() -> Json<Value> {
    named("catalog")
}

async fn gate_admin() -> Json<Value> {
    named("admin")
}

async fn gate_me() -> Json<Value> {
    named("me")
}

/// The differential test's router (`scripts/e2e/enforcement.py`): one route per check
/// the gateway makes before the handler — an API key, a TOKEN authorizer, a Cognito
/// pool, a body the validator rejects, a required query parameter, API key before
/// validation, a body validator without a model, static and templated mocks, CORS
/// preflight — and a declared gateway response (`BAD_REQUEST_BODY`).
fn gate() -> AwsRouter {
    // CORS on `/items/...` only: a preflight elsewhere is an unknown route.
    let items = AwsRouter::new().route("/{id}", get(gate_item)).cors(
        Cors::new()
            .allow_origin("${app_origin}")
            .allow_headers(["Content-Type", "X-Api-Key"])
            .max_age(Duration::from_secs(300)),
    );
    AwsRouter::new()
        .nest("/items", items)
        .route("/keyed", get(gate_keyed).auth(Authorizer::api_key()))
        .route("/orders", post(gate_order).request_validator("all"))
        .route(
            "/restock",
            post(gate_restock)
                .auth(Authorizer::api_key())
                .request_validator("all"),
        )
        .route("/search", get(gate_search).request_validator("params"))
        // A body validator on a route without a body model: nothing to validate.
        .route("/catalog", get(gate_catalog).request_validator("all"))
        .route("/admin", get(gate_admin).auth(token_authorizer()))
        .route(
            "/me",
            get(gate_me).auth(CognitoAuthorizer::new("users", ["${user_pool_arn}"])),
        )
        .route(
            "/status",
            get(never).integration(Mock::new(200).body(
                "application/json",
                r#"{"status": "up", "stage": "$context.stage"}"#,
            )),
        )
        .route(
            "/maintenance",
            post(never).integration(
                Mock::new(503)
                    .header("Retry-After", "120")
                    .body("application/json", r#"{"message": "back soon"}"#),
            ),
        )
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
        .settings(
            ApiSettings::new()
                .api_key_source(ApiKeySource::Header)
                .request_validator("all", RequestValidator::all())
                .request_validator("params", RequestValidator::parameters_only())
                .gateway_response(
                    "BAD_REQUEST_BODY",
                    GatewayResponse::new()
                        .status(422)
                        .header("X-Gateway", "bad-body")
                        .template(
                            "application/json",
                            r#"{"error": $context.error.messageString, "type": "$context.error.responseType"}"#,
                        ),
                ),
        )
}

fn routers() -> Vec<(&'static str, AwsRouter)> {
    vec![("shop", shop()), ("app", app()), ("gate", gate())]
}

fn info(name: &str) -> Info {
    Info::new(format!("fidelity-{name}"), "1.0.0").description("gateway fidelity suite")
}

/// The private spec of `router`, every Lambda integration sent to `${backend_url}`.
fn template(name: &str, router: &AwsRouter) -> Result<String, Box<dyn Error>> {
    let spec = router.spec(info(name)).with_backend("${backend_url}");
    Ok(spec.render_private()?.to_json())
}

/// Writes to stdout and flushes (the driver waits for `ready`).
fn say(text: &str) -> Result<(), Box<dyn Error>> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

fn usage() -> Box<dyn Error> {
    "usage: fidelity list | spec NAME | serve --out DIR [--max-seconds N]".into()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("list") => {
            let names: Vec<&str> = routers().into_iter().map(|(name, _)| name).collect();
            say(&format!("{}\n", names.join("\n")))
        }
        Some("spec") => {
            let wanted = args.get(1).ok_or_else(usage)?;
            let (name, router) = routers()
                .into_iter()
                .find(|(name, _)| name == wanted)
                .ok_or_else(|| format!("no router {wanted:?}"))?;
            say(&template(name, &router)?)
        }
        Some("serve") => {
            let mut out = None;
            let mut max_seconds = 900u64;
            let mut rest = args[1..].iter();
            while let Some(arg) = rest.next() {
                match arg.as_str() {
                    "--out" => out = rest.next().cloned(),
                    "--max-seconds" => {
                        max_seconds = rest.next().ok_or_else(usage)?.parse()?;
                    }
                    _ => return Err(usage()),
                }
            }
            serve(
                &std::path::PathBuf::from(out.ok_or_else(usage)?),
                max_seconds,
            )
            .await
        }
        _ => Err(usage()),
    }
}

async fn serve(out: &std::path::Path, max_seconds: u64) -> Result<(), Box<dyn Error>> {
    std::fs::create_dir_all(out)?;
    let mut manifest = serde_json::Map::new();
    let mut servers = Vec::new();
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    // Each router twice: behind the gateway (the spec's backend, trusting the gateway
    // to have enforced the declaration), and as the local server a client calls
    // directly, enforcing it as a REST API would (the differential test's other side;
    // its API keys come from AXUM_AWS_API_KEYS).
    let local_routers = routers().into_iter().map(|(_, router)| router);
    for ((name, router), local_router) in routers().into_iter().zip(local_routers) {
        let backend = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let local = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let backend_url = format!("http://{}", backend.local_addr()?);
        let local_url = format!("http://{}", local.local_addr()?);
        let path = out.join(format!("{name}.tpl.json"));
        std::fs::write(&path, template(name, &router)?)?;
        manifest.insert(
            name.to_owned(),
            json!({"backend_url": backend_url, "local_url": local_url, "template": path}),
        );
        let until_stopped = || {
            let mut stop = stop_rx.clone();
            async move {
                let _ = stop.wait_for(|stopped| *stopped).await;
            }
        };
        servers.push(tokio::spawn(
            Server::new(router)
                .trust_upstream()
                .serve_listener(backend, until_stopped()),
        ));
        servers.push(tokio::spawn(
            Server::new(local_router)
                .emulate(Gateway::Rest)
                .serve_listener(local, until_stopped()),
        ));
    }
    std::fs::write(
        out.join("manifest.json"),
        serde_json::to_string_pretty(&Value::Object(manifest))?,
    )?;
    say("ready\n")?;
    // Stop when stdin closes (the driver died or finished) or the time bound passes.
    let stdin_closed = tokio::task::spawn_blocking(|| {
        let mut sink = Vec::new();
        let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut sink);
    });
    tokio::select! {
        _ = stdin_closed => {}
        () = tokio::time::sleep(Duration::from_secs(max_seconds)) => {
            let _ = writeln!(std::io::stderr(), "fidelity: --max-seconds {max_seconds} passed; stopping");
        }
    }
    let _ = stop_tx.send(true);
    for server in servers {
        server.await??;
    }
    Ok(())
}
