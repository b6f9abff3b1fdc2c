//! A new user's first service (issue "no silent wrong output"): mistakes that exported
//! and linted clean are errors or warnings naming `METHOD /path`, and what the public
//! spec documents is what is sent.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use axum_aws::auth::LambdaAuthorizer;
use axum_aws::doc::{DocContext, OperationOutput};
use axum_aws::integration::LambdaProxy;
use axum_aws::routing::{delete, get, post};
use axum_aws::{ApiSpec, AwsRouter, Info};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
struct Order {
    id: String,
}

#[derive(Serialize, utoipa::ToSchema)]
struct ErrorBody {
    message: String,
}

enum OrdersError {
    Invalid,
}

impl axum::response::IntoResponse for OrdersError {
    fn into_response(self) -> axum::response::Response {
        match self {
            Self::Invalid => (
                StatusCode::BAD_REQUEST,
                Json(ErrorBody {
                    message: "invalid".into(),
                }),
            )
                .into_response(),
        }
    }
}

impl OperationOutput for OrdersError {
    fn operation_output(cx: &mut DocContext) {
        cx.add_json_response::<ErrorBody>(400, "Invalid order");
    }
}

async fn ok() -> &'static str {
    "ok"
}

fn spec(router: AwsRouter) -> ApiSpec {
    router
        .default_integration(LambdaProxy::new("${orders_invoke_arn}"))
        .spec(Info::new("orders", "1"))
}

/// `lint`'s errors (REST), as `METHOD /path: message`.
fn lint_errors(router: AwsRouter) -> Vec<String> {
    spec(router)
        .lint(axum_aws::Target::Rest)
        .errors
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn public(router: AwsRouter) -> Value {
    spec(router).render_public().unwrap().to_value()
}

#[test]
fn a_lambda_uri_that_is_neither_a_placeholder_nor_an_arn_is_an_error() {
    for bad in [
        "$orders_invoke_arn",
        "{orders_invoke_arn}",
        "orders_invoke_arn",
        "${orders_invoke_arn} ",
    ] {
        let router = AwsRouter::new().route("/orders", post(ok).integration(LambdaProxy::new(bad)));
        let errors = lint_errors(router);
        assert_eq!(errors.len(), 1, "{bad:?}: {errors:#?}");
        assert!(
            errors[0].starts_with(&format!(
                "POST /orders: Lambda proxy integration URI {bad:?} is neither a placeholder nor a Lambda invocation ARN"
            )),
            "{}",
            errors[0]
        );
        assert!(
            errors[0].ends_with(
                r#"write "${orders_invoke_arn}" for the Terraform variable orders_invoke_arn"#
            ),
            "{}",
            errors[0]
        );

        let admin = LambdaAuthorizer::token("admin", bad);
        let router = AwsRouter::new().route("/admin", get(ok).auth(admin));
        let errors = lint_errors(router);
        assert_eq!(errors.len(), 1, "{bad:?}: {errors:#?}");
        assert!(
            errors[0].starts_with(&format!(
                "GET /admin: Lambda authorizer URI {bad:?} is neither"
            )),
            "{}",
            errors[0]
        );
    }
    for good in [
        "${orders_invoke_arn}",
        "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:orders/invocations",
        "arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${orders_arn}/invocations",
    ] {
        let router =
            AwsRouter::new().route("/orders", post(ok).integration(LambdaProxy::new(good)));
        assert_eq!(lint_errors(router), Vec::<String>::new(), "{good:?}");
    }
}

#[test]
fn a_path_extractor_that_cannot_take_the_paths_parameters_is_an_error() {
    async fn note(Path(_id): Path<String>) -> &'static str {
        "note"
    }
    async fn both(Path((_id, _note)): Path<(String, String)>) -> &'static str {
        "note"
    }
    let router = AwsRouter::new()
        .route("/orders/{id}/notes/{noteId}", get(note))
        .route("/orders/{id}/notes/{noteId}", delete(both));
    assert_eq!(
        lint_errors(router),
        [
            r#"GET /orders/{id}/notes/{noteId}: the handler's `Path<String>` takes 1 path parameter, the path has 2 ("id", "noteId"): every request would fail with 500 "Wrong number of path arguments"; take a tuple of 2 (`Path<(String, String)>`) or a struct with the fields "id", "noteId""#
        ]
    );

    // Nested: the prefix's parameter is the extractor's too.
    let notes = AwsRouter::new().route("/notes/{noteId}", get(note));
    let router = AwsRouter::new().nest("/orders/{id}", notes);
    let errors = lint_errors(router);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0]
            .starts_with("GET /orders/{id}/notes/{noteId}: the handler's `Path<String>` takes 1")
    );

    #[derive(Deserialize, utoipa::IntoParams)]
    #[allow(dead_code)]
    struct NoteKey {
        id: String,
        note_id: String,
    }
    async fn named(Path(_key): Path<NoteKey>) -> &'static str {
        "note"
    }
    let router = AwsRouter::new().route("/orders/{id}/notes/{noteId}", get(named));
    assert_eq!(
        lint_errors(router),
        [
            r#"GET /orders/{id}/notes/{noteId}: documented path parameter "note_id" is not in the path (its parameters: "id", "noteId"); rename it to match the path"#
        ]
    );
}

#[test]
fn a_path_extractor_of_the_wrong_arity_fails_when_served() {
    // What the error above prevents: axum answers 500 on every request.
    use tower::ServiceExt as _;
    async fn note(Path(_id): Path<String>) -> &'static str {
        "note"
    }
    let router: AwsRouter = AwsRouter::new().route("/orders/{id}/notes/{noteId}", get(note));
    let request = axum::http::Request::get("/orders/1/notes/2")
        .body(axum::body::Body::empty())
        .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let response = runtime
        .block_on(router.into_router().oneshot(request))
        .unwrap();
    assert_eq!(response.status(), 500);
}

#[test]
fn a_status_the_return_type_picks_at_run_time_is_stated_or_warned_about() {
    async fn create(Json(order): Json<Order>) -> (StatusCode, Json<Order>) {
        (StatusCode::CREATED, Json(order))
    }
    async fn plain(Json(order): Json<Order>) -> Json<Order> {
        Json(order)
    }
    async fn remove() -> Result<StatusCode, OrdersError> {
        Ok(StatusCode::NO_CONTENT)
    }

    // `(StatusCode, Json<T>)` without `.status`: documented as 200, and lint says so.
    let spec_unstated = spec(AwsRouter::new().route("/orders", post(create)));
    let warnings = crate::rest_warnings(&spec_unstated);
    assert_eq!(
        warnings,
        [
            "POST /orders: the handler returns `(StatusCode, Json<Order>)`, whose status is picked at run time, and the route states none: documented as 200; state the status it answers with `.status(…)` (e.g. `.status(201)`, `.status(204)`)"
        ]
    );

    // `.status(201)` on a handler whose type has no status: an error, not ignored.
    assert_eq!(
        lint_errors(AwsRouter::new().route("/orders", post(plain).status(201))),
        [
            "POST /orders: `.status(201)` is not documented: the handler returns `Json<Order>`, which has no status of its own to set (axum sends 200); return `(StatusCode, Json<Order>)` to answer 201, or drop `.status(201)`"
        ]
    );

    // A bare `StatusCode` documents the route's status, or 200 with the same warning.
    let stated = public(AwsRouter::new().route("/orders/{id}", delete(remove).status(204)));
    let responses = &stated["paths"]["/orders/{id}"]["delete"]["responses"];
    assert_eq!(responses["204"]["description"], "No Content");
    assert!(responses.get("200").is_none());
    let unstated = spec(AwsRouter::new().route("/orders/{id}", delete(remove)));
    let public_unstated = unstated.render_public().unwrap().to_value();
    assert!(public_unstated["paths"]["/orders/{id}"]["delete"]["responses"]["200"].is_object());
    let warnings = unstated.lint(axum_aws::Target::Rest).warnings;
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let warning = warnings[0].to_string();
    assert!(
        warning.starts_with(
            "DELETE /orders/{id}: the handler returns `Result<StatusCode, OrdersError>`, whose status is picked at run time"
        ),
        "{warning}"
    );
}

#[test]
fn axums_own_rejections_are_documented_as_the_text_they_send() {
    async fn create(Json(order): Json<Order>) -> Result<Json<Order>, OrdersError> {
        if order.id.is_empty() {
            return Err(OrdersError::Invalid);
        }
        Ok(Json(order))
    }
    let document = public(AwsRouter::new().route("/orders", post(create)));
    let responses = &document["paths"]["/orders"]["post"]["responses"];
    // 400: the handler's ErrorBody, or axum's JSON rejection as text.
    let bad_request = &responses["400"]["content"];
    assert_eq!(
        bad_request["application/json"]["schema"]["$ref"],
        "#/components/schemas/ErrorBody"
    );
    assert_eq!(bad_request["text/plain"]["schema"]["type"], "string");
    // 415 and 422 are axum's alone.
    for status in ["415", "422"] {
        let content = responses[status]["content"].as_object().unwrap();
        assert_eq!(
            content.keys().collect::<Vec<_>>(),
            ["text/plain"],
            "{status}"
        );
    }

    // What axum sends for a body that is not JSON, served.
    use tower::ServiceExt as _;
    let router: AwsRouter = AwsRouter::new().route("/orders", post(create));
    let request = axum::http::Request::post("/orders")
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{not json"))
        .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let response = runtime
        .block_on(router.into_router().oneshot(request))
        .unwrap();
    assert_eq!(response.status(), 400);
    let content_type = response.headers()["content-type"].to_str().unwrap();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
}

#[test]
fn routes_behind_auth_document_what_the_gateway_refuses_them_with() {
    use axum_aws::auth::{Authorizer, CognitoAuthorizer, Grant, JwtAuthorizer};
    use axum_aws::{ApiSettings, GatewayResponse, PublicVersion, Target};

    let users = CognitoAuthorizer::new("users", ["${user_pool_arn}"]);
    let admin = LambdaAuthorizer::token("admin", "${admin_auth_arn}");
    let router = || {
        AwsRouter::new()
            .route("/orders", get(ok).auth(users.clone()))
            .route("/keys", get(ok).auth(Authorizer::api_key()))
            .route("/admin", get(ok).auth(admin.clone()))
            .route("/health", get(ok))
    };
    let document = public(router());
    let responses = |path: &str| document["paths"][path]["get"]["responses"].clone();
    let message = |response: &Value| {
        response["content"]["application/json"]["schema"]["properties"]["message"]["type"].clone()
    };
    // REST: Cognito 401 `{"message":"Unauthorized"}`; API key 403 `{"message":"Forbidden"}`;
    // a Lambda authorizer 401, and 403 when its policy denies.
    assert_eq!(message(&responses("/orders")["401"]), "string");
    assert!(responses("/orders").get("403").is_none());
    assert_eq!(message(&responses("/keys")["403"]), "string");
    assert!(responses("/keys").get("401").is_none());
    assert_eq!(message(&responses("/admin")["401"]), "string");
    assert_eq!(message(&responses("/admin")["403"]), "string");
    assert!(responses("/health").get("401").is_none());
    assert!(responses("/health").get("403").is_none());

    // The router's own gateway response wins: its status, its content type.
    let declared = router().settings(
        ApiSettings::new().gateway_response(
            "INVALID_API_KEY",
            GatewayResponse::new()
                .status(401)
                .template("application/json", r#"{"error": "no key"}"#),
        ),
    );
    let keys = public(declared)["paths"]["/keys"]["get"]["responses"].clone();
    assert!(keys.get("403").is_none(), "{keys}");
    assert!(
        keys["401"]["content"]["application/json"].is_object(),
        "{keys}"
    );
    assert!(
        keys["401"]["content"]["application/json"]
            .get("schema")
            .is_none()
    );

    // HTTP API: a JWT authorizer answers 401, and 403 for a missing scope.
    let jwt = JwtAuthorizer::new("users", "https://issuer.example.com/", ["${client_id}"]);
    let http: AwsRouter = AwsRouter::new()
        .route(
            "/orders",
            get(ok).auth(Grant::new(jwt.clone()).scopes(["orders/read"])),
        )
        .route("/profile", get(ok).auth(jwt));
    let spec = spec(http);
    let http = spec
        .check_for(&[Target::HttpApi, Target::OpenApi])
        .unwrap()
        .render_public_for(Target::HttpApi, PublicVersion::V30)
        .unwrap()
        .to_value();
    let orders = &http["paths"]["/orders"]["get"]["responses"];
    assert!(
        orders["401"].is_object() && orders["403"].is_object(),
        "{orders}"
    );
    let profile = &http["paths"]["/profile"]["get"]["responses"];
    assert!(
        profile["401"].is_object() && profile.get("403").is_none(),
        "{profile}"
    );

    // Kong: key-auth answers 401.
    let kong: AwsRouter = AwsRouter::new().route("/keys", get(ok).auth(Authorizer::api_key()));
    let spec = self::spec(kong);
    let kong = spec
        .check_for(&[Target::Kong, Target::OpenApi])
        .unwrap()
        .render_public_for(Target::Kong, PublicVersion::V30)
        .unwrap()
        .to_value();
    let keys = &kong["paths"]["/keys"]["get"]["responses"];
    assert!(
        keys["401"].is_object() && keys.get("403").is_none(),
        "{keys}"
    );
}
