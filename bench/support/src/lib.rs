//! Route sets for the benchmarks (`make bench`, `bench/README.md`).
//!
//! - [`router`]: a generated router of `n` routes with the mix of the fastapi-aws
//!   performance anchor (`bench/peers/gen_fastapi.py` writes the equivalent FastAPI
//!   app): groups of [`GROUP`] routes nested under `/g{k}`, methods cycling
//!   GET POST PUT DELETE GET, a path parameter on 2/3 of the routes and a second one
//!   on 1/9, Lambda proxy on most routes and a Lambda custom (non-proxy) integration
//!   when `i % 7 == 3`, a REQUEST Lambda authorizer (2 headers, TTL 60 s) when
//!   `i % 4 == 0` and a Cognito authorizer when `i % 4 == 1`, CORS on every path, tags,
//!   summary and description everywhere, an optional query parameter on GETs, and one
//!   5-field schema per 10 routes (request body of POST/PUT, response of GET when
//!   `i % 10 == 0`). The criterion benches (`crates/axum-aws/benches/spec.rs`) and the
//!   `aws-spec` export benchmark ([`routes_1000`], [`routes_10000`]) use it.
//! - [`http_router`]: the same mix exportable as an HTTP API (`--target http-api`,
//!   [`http_routes_1000`]): what an HTTP API rejects is replaced by its HTTP API
//!   equivalent — the Cognito authorizer by a [`JwtAuthorizer`] of the same pool, and
//!   the Lambda custom integration (mapping templates, integration responses) by, in
//!   turn, an SQS `SendMessage`, an EventBridge `PutEvents`, a Step Functions
//!   `StartExecution` and an HTTP proxy. Lambda proxy routes use payload 2.0 (the
//!   HTTP API default).
//! - [`service`] / [`service_plain`]: the three routes of the Powertools anchor
//!   (`GET /hello`, `GET /users/{user_id}`, `POST /items`), on an [`AwsRouter`] and on
//!   a plain `axum::Router` with the same handlers.
//!
//! The schemas are not 1000 Rust types: [`router`] builds each operation and schema at
//! run time with utoipa's builders (what `#[derive(ToSchema)]` and `#[utoipa::path]`
//! expand to) and hands them to [`AwsRoute::doc`](axum_aws::AwsRoute::doc) through one
//! `utoipa::Path` type that reads them from a thread-local, so every route goes through
//! the same public API a hand-written service uses.

use std::cell::RefCell;

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use axum_aws::auth::{CognitoAuthorizer, IdentitySource, JwtAuthorizer, LambdaAuthorizer};
use axum_aws::integration::{
    Http, IntegrationResponse, Lambda, LambdaProxy, PutEvents, Queue, Source, SqsSendMessage,
    StepFunctions,
};
use axum_aws::routing::{delete, get, post, put};
use axum_aws::{AwsRoute, AwsRouter, Cors, Method};
use serde_json::{Value, json};
use utoipa::openapi::path::{
    HttpMethod, Operation, OperationBuilder, ParameterBuilder, ParameterIn,
};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Required, ResponseBuilder};

/// Routes per nested router in [`router`].
pub const GROUP: usize = 50;

/// The generated router with `n` routes (see the crate docs for the mix).
///
/// ```
/// let spec = bench_support::router(20).spec(axum_aws::Info::new("bench", "1.0.0"));
/// assert_eq!(spec.routes.len(), 20);
/// assert!(spec.render_private().is_ok());
/// ```
pub fn router(n: usize) -> AwsRouter {
    generated(n, Flavor::Rest)
}

/// [`router`]'s mix as an HTTP API can express it (see the crate docs).
///
/// ```
/// // 30 routes: each of the four stand-ins for the Lambda custom integration once.
/// let spec = bench_support::http_router(30).spec(axum_aws::Info::new("bench", "1.0.0"));
/// assert_eq!(spec.routes.len(), 30);
/// let private = spec.render_http_api().unwrap().to_json();
/// for subtype in ["SQS-SendMessage", "EventBridge-PutEvents", "StepFunctions-StartExecution"] {
///     assert!(private.contains(subtype), "{subtype}");
/// }
/// assert!(private.contains(r#""type": "http_proxy""#));
/// ```
pub fn http_router(n: usize) -> AwsRouter {
    generated(n, Flavor::HttpApi)
}

/// Which gateway the generated router is written for.
#[derive(Clone, Copy, PartialEq)]
enum Flavor {
    Rest,
    HttpApi,
}

fn generated(n: usize, flavor: Flavor) -> AwsRouter {
    let mut root = AwsRouter::new();
    for group in 0..n.div_ceil(GROUP) {
        let mut inner = AwsRouter::new().tag(format!("group{group}"));
        for i in group * GROUP..n.min((group + 1) * GROUP) {
            inner = inner.route(&route_path(i), route(i, flavor));
        }
        root = root.nest(&format!("/g{group}"), inner);
    }
    root.default_integration(LambdaProxy::new("${api_invoke_arn}"))
        .default_credentials("${api_role_arn}")
        .cors(Cors::new().allow_origin("${app_origin}"))
}

/// [`router`] with 10 routes, for `aws-spec --router bench_support::routes_10`.
pub fn routes_10() -> AwsRouter {
    router(10)
}

/// [`router`] with 1000 routes, for `aws-spec --router bench_support::routes_1000`.
pub fn routes_1000() -> AwsRouter {
    router(1000)
}

/// [`http_router`] with 1000 routes, for
/// `aws-spec --target http-api --router bench_support::http_routes_1000`.
pub fn http_routes_1000() -> AwsRouter {
    http_router(1000)
}

/// [`router`] with 10 000 routes, for `aws-spec --router bench_support::routes_10000`.
pub fn routes_10000() -> AwsRouter {
    router(10_000)
}

/// Path of route `i` inside its group (see [`router`]).
///
/// ```
/// assert_eq!(bench_support::route_path(0), "/r0");
/// assert_eq!(bench_support::route_path(1), "/r1/{item_id}/s/{sub_id}");
/// ```
pub fn route_path(i: usize) -> String {
    let mut path = format!("/r{i}");
    if !i.is_multiple_of(3) {
        path.push_str("/{item_id}");
    }
    if i % 9 == 1 {
        path.push_str("/s/{sub_id}");
    }
    path
}

async fn ok() -> &'static str {
    "{}"
}

fn route(i: usize, flavor: Flavor) -> AwsRoute {
    let (route, method) = match i % 5 {
        1 => (post(ok), HttpMethod::Post),
        2 => (put(ok), HttpMethod::Put),
        3 => (delete(ok), HttpMethod::Delete),
        _ => (get(ok), HttpMethod::Get),
    };
    let mut route = route
        .tag("generated")
        .operation_id(format!("op{i}"))
        .summary(format!("Operation {i}"))
        .description(format!(
            "Generated route {i} of the benchmark router: a realistic mix of integrations, authorizers and schemas."
        ));
    if i % 7 == 3 {
        route = match flavor {
            Flavor::Rest => route.integration(
                Lambda::new("${direct_invoke_arn}")
                    .request_template("application/json", r#"{"id": "$input.params('item_id')"}"#)
                    .response(IntegrationResponse::default_status(200)),
            ),
            Flavor::HttpApi => http_api_service(route, i),
        };
    }
    route = match i % 4 {
        0 => route.auth(
            LambdaAuthorizer::request(
                "lambdaAuth",
                "${authorizer_invoke_arn}",
                [
                    IdentitySource::header("X-Api-Token"),
                    IdentitySource::header("X-Tenant"),
                ],
            )
            .ttl(std::time::Duration::from_secs(60)),
        ),
        1 if flavor == Flavor::Rest => {
            route.auth(CognitoAuthorizer::new("cognito", ["${user_pool_arn}"]))
        }
        1 => route.auth(JwtAuthorizer::cognito(
            "cognito",
            "${region}",
            "${user_pool_id}",
            ["${app_client_id}"],
        )),
        _ => route,
    };
    DOC.with(|doc| *doc.borrow_mut() = Some(document(i, &method)));
    route.doc::<GeneratedDoc>()
}

/// The HTTP API stand-ins for the REST router's Lambda custom integration, in turn: the
/// integration subtypes an HTTP API calls directly, and an HTTP proxy.
fn http_api_service(route: AwsRoute, i: usize) -> AwsRoute {
    match (i / 7) % 4 {
        0 => route.integration(
            SqsSendMessage::new("${region}", Queue::url("${queue_url}"))
                .deduplication_id(Source::context("requestId")),
        ),
        1 => route.integration(
            PutEvents::new("${region}", "bench.generated", format!("route{i}"))
                .bus("${event_bus_name}"),
        ),
        2 => route.integration(
            StepFunctions::start_execution("${region}", "${workflow_arn}")
                .execution_name(Source::context("requestId")),
        ),
        _ => route.integration(Http::proxy(
            Method::Any,
            format!("https://${{backend_host}}/r{i}"),
        )),
    }
}

/// Name of the schema route `i` uses (one per 10 routes).
fn model_name(i: usize) -> String {
    format!("Model{}", i / 10)
}

/// A 5-field object, what `#[derive(ToSchema)]` makes of
/// `struct ModelK { id: i64, name: String, tags: Vec<String>, price: f64, note: Option<String> }`.
fn model_schema() -> RefOr<Schema> {
    ObjectBuilder::new()
        .property(
            "id",
            ObjectBuilder::new().schema_type(Type::Integer).format(Some(
                utoipa::openapi::SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::Int64),
            )),
        )
        .required("id")
        .property("name", ObjectBuilder::new().schema_type(Type::String))
        .required("name")
        .property(
            "tags",
            ArrayBuilder::new().items(ObjectBuilder::new().schema_type(Type::String)),
        )
        .required("tags")
        .property(
            "price",
            ObjectBuilder::new().schema_type(Type::Number).format(Some(
                utoipa::openapi::SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::Double),
            )),
        )
        .required("price")
        .property(
            "note",
            ObjectBuilder::new().schema_type(utoipa::openapi::schema::SchemaType::from_iter([
                Type::String,
                Type::Null,
            ])),
        )
        .into()
}

/// The operation and schemas of route `i`, as `#[utoipa::path]` would declare them.
fn document(i: usize, method: &HttpMethod) -> Document {
    let mut operation = OperationBuilder::new();
    let string = || ObjectBuilder::new().schema_type(Type::String);
    if !i.is_multiple_of(3) {
        operation = operation.parameter(
            ParameterBuilder::new()
                .name("item_id")
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .schema(Some(string())),
        );
    }
    if i % 9 == 1 {
        operation = operation.parameter(
            ParameterBuilder::new()
                .name("sub_id")
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .schema(Some(string())),
        );
    }
    let model = model_name(i);
    let model_ref = || Ref::from_schema_name(model.clone());
    let mut uses_model = false;
    let mut ok_response = ResponseBuilder::new().description("Successful Response");
    match method {
        HttpMethod::Get => {
            operation = operation.parameter(
                ParameterBuilder::new()
                    .name("q")
                    .parameter_in(ParameterIn::Query)
                    .required(Required::False)
                    .schema(Some(string())),
            );
            if i.is_multiple_of(10) {
                ok_response = ok_response.content(
                    "application/json",
                    ContentBuilder::new().schema(Some(model_ref())).build(),
                );
                uses_model = true;
            }
        }
        HttpMethod::Post | HttpMethod::Put => {
            operation = operation.request_body(Some(
                RequestBodyBuilder::new()
                    .content(
                        "application/json",
                        ContentBuilder::new().schema(Some(model_ref())).build(),
                    )
                    .required(Some(Required::True))
                    .build(),
            ));
            uses_model = true;
        }
        _ => {}
    }
    let operation = operation.response("200", ok_response).build();
    let schemas = if uses_model {
        vec![(model, model_schema())]
    } else {
        Vec::new()
    };
    Document { operation, schemas }
}

struct Document {
    operation: Operation,
    schemas: Vec<(String, RefOr<Schema>)>,
}

thread_local! {
    /// The document [`GeneratedDoc`] hands to the route being declared.
    static DOC: RefCell<Option<Document>> = const { RefCell::new(None) };
}

/// A `utoipa::Path` whose operation and schemas are chosen at run time (from [`DOC`]).
struct GeneratedDoc;

impl utoipa::Path for GeneratedDoc {
    fn methods() -> Vec<HttpMethod> {
        Vec::new()
    }

    fn path() -> String {
        String::new()
    }

    fn operation() -> Operation {
        DOC.with(|doc| {
            doc.borrow()
                .as_ref()
                .map(|d| d.operation.clone())
                .unwrap_or_default()
        })
    }
}

impl utoipa::__dev::SchemaReferences for GeneratedDoc {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        DOC.with(|doc| {
            if let Some(doc) = doc.borrow().as_ref() {
                schemas.extend(doc.schemas.iter().cloned());
            }
        });
    }
}

async fn hello() -> Json<Value> {
    Json(json!({"message": "hello"}))
}

async fn user(Path(user_id): Path<String>) -> Json<Value> {
    Json(json!({"id": user_id}))
}

async fn create_item(Json(body): Json<Value>) -> (StatusCode, Json<Value>) {
    (StatusCode::CREATED, Json(json!({"created": body})))
}

/// [`service`] plus `GET /me`, behind the JWT authorizer `users` (issuer
/// [`JWT_ISSUER`], audience `bench`): the enforcing server's JWT row.
pub fn service_with_jwt() -> AwsRouter {
    service().route(
        "/me",
        get(hello).auth(JwtAuthorizer::new("users", JWT_ISSUER, ["bench"])),
    )
}

/// The issuer of [`service_with_jwt`]'s tokens.
pub const JWT_ISSUER: &str = "https://issuer.bench.invalid";

/// The Powertools anchor's three routes on an [`AwsRouter`]: `GET /hello`,
/// `GET /users/{user_id}`, `POST /items` (201 with the JSON body echoed).
pub fn service() -> AwsRouter {
    AwsRouter::new()
        .route("/hello", get(hello))
        .route("/users/{user_id}", get(user))
        .route("/items", post(create_item))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
}

/// The same handlers as [`service`] on a plain `axum::Router`.
pub fn service_plain() -> axum::Router {
    axum::Router::new()
        .route("/hello", axum::routing::get(hello))
        .route("/users/{user_id}", axum::routing::get(user))
        .route("/items", axum::routing::post(create_item))
}
