//! The widget API of `terraform-example/`, declared once.
//!
//! [`router()`] is both the running service and the source of the OpenAPI specs that
//! Terraform deploys (`aws-spec export --router widget_service::router`):
//!
//! | Route | API Gateway integration | Auth |
//! |---|---|---|
//! | `PUT /widget` | Lambda proxy (`${widget_invoke_arn}`), body validated against the `Widget` model | API key **and** the `widgetAuth` Lambda TOKEN authorizer |
//! | `GET /widget/{widgetName}` | direct DynamoDB `GetItem` (no Lambda), role `${apigw_dynamodb_role_arn}` | public |
//! | `GET /reports/color?color=` | Lambda proxy | public |
//! | `GET /reports/filterpage?limit=&lastKey=&filter=` | Lambda proxy | public |
//!
//! Every route allows the browser front end at `${cors_origin}` (CORS). Errors are
//! `{"message": "…"}` with 404 (unknown widget), 400 (bad query: unknown color, bad
//! `limit` or `lastKey`), 422 (a body that is not a widget; API Gateway's own body
//! validation answers 422 too) and 415 (not JSON).
//!
//! The same handlers serve `GET /widget/{widgetName}` when the router runs locally;
//! in AWS, API Gateway reads DynamoDB itself and answers the same JSON.
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use std::sync::Arc;
//! use tower::ServiceExt as _;
//! use widget_service::store::MemoryStore;
//!
//! let app = widget_service::router_with(Arc::new(MemoryStore::default())).into_router();
//! let request = axum::http::Request::get("/widget/nope").body(axum::body::Body::empty()).unwrap();
//! let response = app.oneshot(request).await.unwrap();
//! assert_eq!(response.status(), 404);
//! # });
//! ```

pub mod authorizer;
pub mod model;
pub mod store;

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum_aws::auth::{Authorizer, LambdaAuthorizer, Security};
use axum_aws::integration::{Field, LambdaProxy, Source, Table};
use axum_aws::routing::{get, put};
use axum_aws::{
    ApiKeySource, ApiSettings, AwsRoute, AwsRouter, Cors, EndpointType, GatewayResponse,
    RequestValidator,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::model::{ApiError, Color, ErrorBody, Widget, valid_name};
use crate::store::{Cursor, PageRequest, Put, WidgetStore};

/// The state the handlers share: the widget store.
pub type SharedStore = Arc<dyn WidgetStore>;

/// Page size of `GET /reports/filterpage` when `limit` is not given.
pub const DEFAULT_PAGE_SIZE: usize = 10;
/// Largest `limit` accepted.
pub const MAX_PAGE_SIZE: usize = 100;

/// The service: the store from the environment (DynamoDB when `WIDGETS_TABLE` is set,
/// else in memory). Building it touches no network, so `aws-spec` can export it.
pub fn router() -> AwsRouter {
    router_with(store::from_env())
}

/// The service over `store`.
pub fn router_with(store: SharedStore) -> AwsRouter {
    api().with_state(store)
}

fn api() -> AwsRouter<SharedStore> {
    // The write route needs both: an API key on a usage plan (throttling, quota) and a
    // bearer token the authorizer function accepts.
    let writers = LambdaAuthorizer::token("widgetAuth", "${authorizer_invoke_arn}")
        .validation_expression("^Bearer [-0-9a-zA-Z._~+/]+=*$")
        .ttl(Duration::from_secs(300));
    let write_auth = Security::all([Authorizer::api_key(), writers.into()]);

    // GET /widget/{widgetName} never reaches the function in AWS: API Gateway calls
    // DynamoDB GetItem itself (404 when there is no item), as the handler does locally.
    let widgets = Table::new(
        "${region}",
        "${widgets_table}",
        Field::s("name").from(Source::path("widgetName")),
    )
    .field(Field::s("color"));
    let get_direct = widgets.get_item().credentials("${apigw_dynamodb_role_arn}");

    let cors = Cors::new()
        .allow_origin("${cors_origin}")
        .allow_headers(["Content-Type", "Authorization", "X-Api-Key"])
        .max_age(Duration::from_secs(600));

    // A body that fails the model is 422, as the function answers. Errors API Gateway
    // makes itself carry the CORS origin so the browser can read them: the renderer
    // adds it to DEFAULT_4XX/5XX; a customized type needs it stated (quoted: a static value).
    let settings = ApiSettings::new()
        .endpoint(EndpointType::Regional)
        .api_key_source(ApiKeySource::Header)
        .request_validator("body", RequestValidator::body_only())
        .request_validator("params", RequestValidator::parameters_only())
        .gateway_response(
            "BAD_REQUEST_BODY",
            GatewayResponse::new()
                .status(422)
                .header("Access-Control-Allow-Origin", "'${cors_origin}'")
                .template(
                    "application/json",
                    r#"{"message": $context.error.messageString}"#,
                ),
        );

    AwsRouter::new()
        .route(
            "/widget",
            put_route().auth(write_auth).request_validator("body"),
        )
        .route("/widget/{widgetName}", get_route().integration(get_direct))
        .route("/reports/color", color_route().request_validator("params"))
        .route("/reports/filterpage", filter_route())
        .default_integration(LambdaProxy::new("${widget_invoke_arn}"))
        .cors(cors)
        .settings(settings)
}

/// The service for Kong Gateway OSS (`aws-spec export --target kong --router
/// widget_service::kong_router`): the same handlers, without what Kong OSS cannot do.
///
/// [`router()`] itself cannot be exported for Kong, and `aws-spec lint --target kong`
/// says why: `GET /widget/{widgetName}` calls DynamoDB directly (Kong cannot sign AWS
/// requests), `PUT /widget` needs the `widgetAuth` Lambda TOKEN authorizer (Kong OSS
/// runs no Lambda authorizers), and the request validators and the `BAD_REQUEST_BODY`
/// gateway response have no Kong OSS equivalent. Here every route is the Lambda
/// function (whose handlers already read the store and answer 400/404/415/422 as API
/// Gateway would), and `PUT /widget` takes the API key alone (key-auth): the bearer
/// check is left out, so put it in the handler or a Kong plugin of your own if you need it.
///
/// ```
/// use widget_service::kong_router;
/// use axum_aws::{Info, KongFormat, Target};
///
/// let spec = kong_router().spec(Info::new("Widgets", "1.0.0"));
/// let kong = spec.check_for(&[Target::Kong])?.render_kong(KongFormat::Yaml)?;
/// assert!(kong.text().contains("name: 'key-auth'"));
/// assert!(widget_service::router().spec(Info::new("Widgets", "1.0.0")).check_for(&[Target::Kong]).is_err());
/// # Ok::<(), axum_aws::SpecErrors>(())
/// ```
pub fn kong_router() -> AwsRouter {
    let cors = Cors::new()
        .allow_origin("${cors_origin}")
        .allow_headers(["Content-Type", "Authorization", "X-Api-Key"])
        .max_age(Duration::from_secs(600));
    AwsRouter::new()
        .route("/widget", put_route().auth(Authorizer::api_key()))
        .route("/widget/{widgetName}", get_route())
        .route("/reports/color", color_route())
        .route("/reports/filterpage", filter_route())
        .default_integration(LambdaProxy::new("${widget_invoke_arn}"))
        .cors(cors)
        .with_state(store::from_env())
}

/// The service for an API Gateway HTTP API (`aws-spec export --target http-api --router
/// widget_service::http_api_router`, deployed by `terraform-example/http-api/`): the same
/// handlers, without what HTTP APIs cannot do.
///
/// A second function rather than a switch inside [`router()`]: the differences are
/// route declarations (the auth of `PUT /widget`, the integration of
/// `GET /widget/{widgetName}`) and API settings, and a switch would thread a target
/// through each of them. `aws-spec lint --target http-api` says why [`router()`] cannot
/// be exported as is: `GET /widget/{widgetName}` calls DynamoDB directly (HTTP APIs call
/// only SQS, EventBridge, Step Functions, Kinesis and AppConfig), `PUT /widget` needs an
/// API key (no usage plans) and a Lambda TOKEN authorizer (HTTP APIs have REQUEST ones),
/// and the request validators and the `BAD_REQUEST_BODY` gateway response do not exist
/// there. Here `GET /widget/{widgetName}` goes through the function, whose handler reads
/// the store and answers 404 as the direct route does, and `PUT /widget` takes a JWT of
/// the Cognito user pool (`${user_pool_id}`, app client `${app_client_id}`); the
/// function validates the body (422) itself.
///
/// ```
/// use widget_service::http_api_router;
/// use axum_aws::{Info, Target};
///
/// let spec = http_api_router().spec(Info::new("Widgets", "1.0.0"));
/// let http = spec.check_for(&[Target::HttpApi])?.render_http_api()?.to_json();
/// assert!(http.contains(r#""type": "jwt""#));
/// assert!(widget_service::router().spec(Info::new("Widgets", "1.0.0")).check_for(&[Target::HttpApi]).is_err());
/// # Ok::<(), axum_aws::SpecErrors>(())
/// ```
pub fn http_api_router() -> AwsRouter {
    let users = axum_aws::auth::JwtAuthorizer::cognito(
        "users",
        "${region}",
        "${user_pool_id}",
        ["${app_client_id}"],
    );
    let cors = Cors::new()
        .allow_origin("${cors_origin}")
        .allow_headers(["Content-Type", "Authorization"])
        .max_age(Duration::from_secs(600));
    AwsRouter::new()
        .route("/widget", put_route().auth(users))
        .route("/widget/{widgetName}", get_route())
        .route("/reports/color", color_route())
        .route("/reports/filterpage", filter_route())
        .default_integration(LambdaProxy::new("${widget_invoke_arn}"))
        .cors(cors)
        .with_state(store::from_env())
}

// The routes as both routers declare them. Their parameters, bodies and responses come
// from the handlers' types; a route states what a type cannot: the summary, the
// statuses a handler picks at run time, and which of ApiError's answers it gives.

fn put_route() -> AwsRoute<SharedStore> {
    put(put_widget)
        .summary("Adds a widget, or replaces the color of the widget of that name.")
        .status(200)
        .status(201)
        .describe_response(200, "The widget existed; its color is replaced")
        .describe_response(201, "A new widget")
        .responds::<ErrorBody>(422, "The body is not a widget")
        .operation_id("putWidget")
        .tag("widgets")
}

fn get_route() -> AwsRoute<SharedStore> {
    get(get_widget)
        .summary("One widget.")
        .describe_response(200, "The widget")
        .responds::<ErrorBody>(404, "No widget of that name")
        .operation_id("getWidget")
        .tag("widgets")
}

fn color_route() -> AwsRoute<SharedStore> {
    get(color_report)
        .summary("Every widget of one color.")
        .describe_response(200, "The widgets of that color")
        .responds::<ErrorBody>(400, "No color, or an unknown one")
        .operation_id("colorReport")
        .tag("reports")
}

fn filter_route() -> AwsRoute<SharedStore> {
    get(filter_page)
        .summary(
            "All widgets, a page at a time, optionally only those whose name contains `filter`.",
        )
        .describe_response(200, "One page")
        .responds::<ErrorBody>(400, "A bad limit or lastKey")
        .operation_id("filterPage")
        .tag("reports")
}

/// `PUT /widget`: adds a widget, or replaces the color of the widget of that name.
async fn put_widget(
    State(store): State<SharedStore>,
    body: Result<Json<Widget>, JsonRejection>,
) -> Result<(StatusCode, Json<Widget>), ApiError> {
    let Json(widget) = body.map_err(|rejection| match rejection {
        JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType,
        other => ApiError::InvalidBody(other.body_text()),
    })?;
    if !valid_name(&widget.name) {
        return Err(ApiError::InvalidBody(format!(
            "name {:?} does not match {}",
            widget.name,
            model::NAME_PATTERN
        )));
    }
    let status = match store.put(widget.clone()).await? {
        Put::Created => StatusCode::CREATED,
        Put::Updated => StatusCode::OK,
    };
    Ok((status, Json(widget)))
}

/// The path parameter of `GET /widget/{widgetName}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(names("widgetName"))]
struct WidgetName(
    /// The widget's name
    String,
);

/// `GET /widget/{widgetName}`: one widget.
async fn get_widget(
    State(store): State<SharedStore>,
    Path(WidgetName(name)): Path<WidgetName>,
) -> Result<Json<Widget>, ApiError> {
    store.get(&name).await?.map(Json).ok_or(ApiError::NotFound)
}

/// Query of `GET /reports/color`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ColorQuery {
    /// The color (red, orange, yellow, green, blue, purple, black, white).
    #[param(required = true, value_type = Color)]
    color: Option<String>,
}

/// Every widget of one color.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ColorReport {
    /// The color asked for.
    pub color: Color,
    /// Its widgets, by name.
    pub items: Vec<Widget>,
    /// How many there are.
    pub count: usize,
}

/// `GET /reports/color`: every widget of one color.
async fn color_report(
    State(store): State<SharedStore>,
    query: Result<Query<ColorQuery>, QueryRejection>,
) -> Result<Json<ColorReport>, ApiError> {
    let Query(query) = query.map_err(|r| ApiError::BadRequest(r.body_text()))?;
    let color: Color = query
        .color
        .ok_or_else(|| ApiError::BadRequest("missing query parameter \"color\"".into()))?
        .parse()?;
    let mut items = store.by_color(color).await?;
    items.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Json(ColorReport {
        color,
        count: items.len(),
        items,
    }))
}

/// Query of `GET /reports/filterpage`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
#[into_params(rename_all = "camelCase")]
struct PageQuery {
    /// Page size, 1 to 100 (default 10).
    limit: Option<String>,
    /// The `lastKey` of the previous page.
    last_key: Option<String>,
    /// Only widgets whose name contains this text.
    filter: Option<String>,
}

/// One page of widgets.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WidgetPage {
    /// The widgets of this page.
    pub items: Vec<Widget>,
    /// Pass it as `lastKey` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_key: Option<String>,
}

/// `GET /reports/filterpage`: all widgets, a page at a time, optionally only those whose
/// name contains `filter`.
async fn filter_page(
    State(store): State<SharedStore>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<WidgetPage>, ApiError> {
    let Query(query) = query.map_err(|r| ApiError::BadRequest(r.body_text()))?;
    let limit = match query.limit.as_deref() {
        None | Some("") => DEFAULT_PAGE_SIZE,
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
            .ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "invalid limit {text:?}: expected 1 to {MAX_PAGE_SIZE}"
                ))
            })?,
    };
    let after = match query.last_key.as_deref() {
        None | Some("") => None,
        Some(text) => Some(Cursor::decode(text).map_err(|e| ApiError::BadRequest(e.to_string()))?),
    };
    let filter = query.filter.filter(|f| !f.is_empty());
    let page = store
        .page(PageRequest {
            limit,
            after,
            filter,
        })
        .await?;
    Ok(Json(WidgetPage {
        items: page.items,
        last_key: page.next.as_ref().map(Cursor::encode),
    }))
}
