//! Route docs from the handler's own types: one test per extractor and return type, each
//! on both the private and the public spec; `.doc::<P>()` checked against the route; a
//! router without `#[utoipa::path]` documents what the same router with them documents.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum_aws::doc::{DocContext, OperationOutput};
use axum_aws::integration::{LambdaProxy, Mock};
use axum_aws::routing::{delete, get, post, put};
use axum_aws::{AwsRouter, ErrorKind, Info};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::scenarios;

#[derive(Clone, Serialize, Deserialize, utoipa::ToSchema)]
struct Gadget {
    /// Its name.
    name: String,
    size: Option<u32>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct Problem {
    message: String,
}

/// Both documents of a router whose routes are Lambda proxy routes.
fn specs(router: AwsRouter) -> (Value, Value) {
    let spec = router
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
        .spec(Info::new("t", "1"));
    let private = spec.render_private().unwrap_or_else(|e| panic!("{e}"));
    let public = spec.render_public().unwrap_or_else(|e| panic!("{e}"));
    (private.to_value(), public.to_value())
}

/// The operation at `path`/`method` of both documents.
fn operations(router: AwsRouter, path: &str, method: &str) -> [Value; 2] {
    let (private, public) = specs(router);
    [&private, &public].map(|doc| doc["paths"][path][method].clone())
}

fn statuses(op: &Value) -> Vec<String> {
    op["responses"]
        .as_object()
        .map(|r| r.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn json_body_is_the_request_body_with_axums_rejections() {
    async fn create(Json(_): Json<Gadget>) {}
    let (private, public) = specs(AwsRouter::new().route("/g", post(create)));
    for doc in [&private, &public] {
        let op = &doc["paths"]["/g"]["post"];
        assert_eq!(
            op["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Gadget"
        );
        assert_eq!(op["requestBody"]["required"], true);
        assert_eq!(statuses(op), ["400", "415", "422"]);
        assert_eq!(doc["components"]["schemas"]["Gadget"]["type"], "object");
    }
}

#[test]
fn rejections_are_documented_only_where_the_service_answers() {
    async fn create(Json(_): Json<Gadget>) {}
    let spec = AwsRouter::<()>::new()
        .route("/g", post(create).integration(Mock::new(200)))
        .spec(Info::new("t", "1"));
    let private = spec.render_private().unwrap().to_value();
    let public = spec.render_public().unwrap().to_value();
    for doc in [&private, &public] {
        let op = &doc["paths"]["/g"]["post"];
        assert!(op["requestBody"].is_object());
        assert!(!statuses(op).contains(&"422".to_owned()), "{op}");
    }
}

#[test]
fn form_body_is_urlencoded() {
    async fn create(Form(_): Form<Gadget>) {}
    for op in operations(AwsRouter::new().route("/g", post(create)), "/g", "post") {
        assert_eq!(
            op["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]["$ref"],
            "#/components/schemas/Gadget"
        );
    }
}

#[test]
fn string_and_bytes_bodies_are_text_and_octets() {
    async fn text(_: String) {}
    async fn octets(_: Bytes) {}
    let router = AwsRouter::new()
        .route("/text", put(text))
        .route("/octets", put(octets));
    let (private, public) = specs(router);
    for doc in [&private, &public] {
        assert_eq!(
            doc["paths"]["/text"]["put"]["requestBody"]["content"]["text/plain"]["schema"],
            json!({"type": "string"})
        );
        assert_eq!(
            doc["paths"]["/octets"]["put"]["requestBody"]["content"]["application/octet-stream"]["schema"],
            json!({"type": "string", "format": "binary"})
        );
    }
}

#[test]
fn path_scalar_takes_the_routes_parameter_name() {
    async fn one(Path(_): Path<u32>) {}
    for op in operations(
        AwsRouter::new().route("/g/{id}", get(one)),
        "/g/{id}",
        "get",
    ) {
        assert_eq!(op["parameters"][0]["name"], "id");
        assert_eq!(op["parameters"][0]["in"], "path");
        assert_eq!(op["parameters"][0]["schema"]["type"], "integer");
        assert_eq!(statuses(&op), ["400"]);
    }
}

#[test]
fn path_tuple_names_come_from_the_path_in_order() {
    async fn pair(Path(_): Path<(String, u64)>) {}
    let router = AwsRouter::new().route("/u/{user}/posts/{post}", get(pair));
    for op in operations(router, "/u/{user}/posts/{post}", "get") {
        let params = op["parameters"].as_array().unwrap();
        assert_eq!(params[0]["name"], "user");
        assert_eq!(params[0]["schema"]["type"], "string");
        assert_eq!(params[1]["name"], "post");
        assert_eq!(params[1]["schema"]["type"], "integer");
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
struct GadgetPath {
    /// The gadget's name.
    name: String,
}

#[test]
fn path_struct_documents_its_fields() {
    async fn by_name(Path(path): Path<GadgetPath>) -> String {
        path.name
    }
    let router = AwsRouter::new().route("/g/{name}", get(by_name));
    for op in operations(router, "/g/{name}", "get") {
        assert_eq!(op["parameters"][0]["name"], "name");
        assert_eq!(op["parameters"][0]["description"], "The gadget's name.");
    }
}

#[test]
fn a_path_struct_field_the_path_lacks_is_an_error_naming_the_route() {
    async fn by_name(Path(path): Path<GadgetPath>) -> String {
        path.name
    }
    let errors = AwsRouter::<()>::new()
        .route("/g/{id}", get(by_name))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
        .spec(Info::new("t", "1"))
        .render_private()
        .unwrap_err();
    assert_eq!(errors.errors().len(), 1, "{errors}");
    assert_eq!(errors.errors()[0].kind(), ErrorKind::Doc);
    assert_eq!(
        errors.errors()[0].to_string(),
        r#"GET /g/{id}: documented path parameter "name" is not in the path (its parameters: "id"); rename it to match the path"#
    );
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Paging {
    /// Page size.
    limit: Option<u32>,
    cursor: String,
}

#[test]
fn query_struct_documents_query_parameters() {
    async fn list(Query(paging): Query<Paging>) -> String {
        format!("{:?} {}", paging.limit, paging.cursor)
    }
    async fn anything(Query(_): Query<HashMap<String, String>>) {}
    let router = AwsRouter::new()
        .route("/g", get(list))
        .route("/any", get(anything));
    let (private, public) = specs(router);
    for doc in [&private, &public] {
        let params = doc["paths"]["/g"]["get"]["parameters"].as_array().unwrap();
        let by_name = |name: &str| params.iter().find(|p| p["name"] == name).unwrap();
        assert_eq!(by_name("limit")["in"], "query");
        assert_eq!(by_name("limit")["required"], false);
        assert_eq!(by_name("cursor")["required"], true);
        assert!(doc["paths"]["/any"]["get"].get("parameters").is_none());
    }
}

#[derive(Clone)]
struct AppState;

#[cfg(feature = "serve")]
async fn plain(
    State(_): State<AppState>,
    Extension(_): Extension<u8>,
    _: axum_aws::AwsContext,
    _: HeaderMap,
) -> &'static str {
    "ok"
}

/// Without `serve` there is no `AwsContext`.
#[cfg(not(feature = "serve"))]
async fn plain(
    State(_): State<AppState>,
    Extension(_): Extension<u8>,
    _: HeaderMap,
) -> &'static str {
    "ok"
}

#[test]
fn typed_headers_are_string_header_parameters_named_by_the_header_trait() {
    use axum_extra::TypedHeader;
    use axum_extra::headers::{IfNoneMatch, UserAgent};
    async fn fetch(_: TypedHeader<UserAgent>, _: Option<TypedHeader<IfNoneMatch>>) {}
    for op in operations(AwsRouter::new().route("/g", get(fetch)), "/g", "get") {
        assert_eq!(
            op["parameters"],
            json!([
                {"name": "user-agent", "in": "header", "required": true, "schema": {"type": "string"}},
                {"name": "if-none-match", "in": "header", "required": false, "schema": {"type": "string"}},
            ]),
            "{op}"
        );
        // axum-extra's `TypedHeaderRejection`: missing or malformed.
        assert_eq!(statuses(&op), ["400"]);
    }
    // Behind a mock the service never answers its rejection.
    let spec = AwsRouter::<()>::new()
        .route("/g", get(fetch).integration(Mock::new(200)))
        .spec(Info::new("t", "1"));
    for doc in [
        spec.render_private().unwrap().to_value(),
        spec.render_public().unwrap().to_value(),
    ] {
        let op = &doc["paths"]["/g"]["get"];
        assert_eq!(op["parameters"][0]["name"], "user-agent");
        assert!(!statuses(op).contains(&"400".to_owned()), "{op}");
    }
}

#[test]
fn state_extension_context_and_headers_document_nothing() {
    let router: AwsRouter = AwsRouter::new()
        .route("/p", get(plain))
        .with_state(AppState);
    assert!(router.routes()[0].operation.is_none());
    for op in operations(router, "/p", "get") {
        assert!(op.get("parameters").is_none() && op.get("requestBody").is_none());
        // What every undocumented route gets.
        assert_eq!(op["responses"], json!({"200": {"description": "OK"}}));
    }
}

#[test]
fn json_output_is_the_200_response() {
    async fn one() -> Json<Gadget> {
        Json(Gadget {
            name: "a".into(),
            size: None,
        })
    }
    for op in operations(AwsRouter::new().route("/g", get(one)), "/g", "get") {
        assert_eq!(
            op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Gadget"
        );
        assert_eq!(op["responses"]["200"]["description"], "OK");
    }
}

#[test]
fn an_opaque_into_api_response_documents_its_hidden_type() {
    async fn one() -> impl axum_aws::doc::IntoApiResponse {
        Json(Gadget {
            name: "a".into(),
            size: None,
        })
    }
    for op in operations(AwsRouter::new().route("/g", get(one)), "/g", "get") {
        assert_eq!(
            op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Gadget"
        );
    }
}

#[test]
fn a_handler_picking_among_statuses_documents_its_body_under_each() {
    async fn upsert(Json(g): Json<Gadget>) -> (StatusCode, Json<Gadget>) {
        (StatusCode::CREATED, Json(g))
    }
    let route = put(upsert).status(200).status(201);
    for op in operations(AwsRouter::new().route("/g", route), "/g", "put") {
        for status in ["200", "201"] {
            assert_eq!(
                op["responses"][status]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/Gadget",
                "{status}"
            );
        }
    }
}

#[test]
fn status_and_json_output_takes_the_routes_status() {
    async fn create(Json(g): Json<Gadget>) -> (StatusCode, Json<Gadget>) {
        (StatusCode::CREATED, Json(g))
    }
    let router = AwsRouter::new().route("/g", post(create).status(201));
    for op in operations(router, "/g", "post") {
        assert_eq!(statuses(&op), ["201", "400", "415", "422"]);
        assert_eq!(
            op["responses"]["201"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Gadget"
        );
    }
}

enum GadgetError {
    Missing,
}

impl axum::response::IntoResponse for GadgetError {
    fn into_response(self) -> Response {
        match self {
            Self::Missing => StatusCode::NOT_FOUND.into_response(),
        }
    }
}

impl OperationOutput for GadgetError {
    fn operation_output(cx: &mut DocContext) {
        cx.add_json_response::<Problem>(404, "No such gadget");
    }
}

#[test]
fn result_output_documents_the_error_types_responses() {
    async fn one() -> Result<Json<Gadget>, GadgetError> {
        Err(GadgetError::Missing)
    }
    for op in operations(AwsRouter::new().route("/g", get(one)), "/g", "get") {
        assert_eq!(statuses(&op), ["200", "404"]);
        assert_eq!(op["responses"]["404"]["description"], "No such gadget");
        assert_eq!(
            op["responses"]["404"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Problem"
        );
    }
}

#[test]
fn responds_replaces_and_adds_responses() {
    async fn remove(Path(_): Path<String>) -> StatusCode {
        StatusCode::NO_CONTENT
    }
    let router = AwsRouter::new().route(
        "/g/{id}",
        delete(remove)
            .status(204)
            .responds_empty(204, "Deleted")
            .responds::<Problem>(400, "Not a gadget id"),
    );
    for op in operations(router, "/g/{id}", "delete") {
        assert_eq!(statuses(&op), ["204", "400"]);
        assert_eq!(op["responses"]["400"]["description"], "Not a gadget id");
    }
}

#[test]
fn an_opaque_response_documents_nothing_and_lint_says_so() {
    async fn raw() -> Response {
        Response::new(axum::body::Body::empty())
    }
    let router: AwsRouter = AwsRouter::new()
        .route("/raw", get(raw))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"));
    let spec = router.spec(Info::new("t", "1"));
    let public = spec.render_public().unwrap().to_value();
    let undocumented = json!({"200": {"description": "OK"}});
    assert_eq!(public["paths"]["/raw"]["get"]["responses"], undocumented);
    let private = spec.render_private().unwrap().to_value();
    assert_eq!(private["paths"]["/raw"]["get"]["responses"], undocumented);
    let warnings = crate::rest_warnings(&spec);
    assert!(
        warnings.iter().any(|w| w.starts_with("GET /raw: the handler's \"http::response::Response<axum_core::body::Body>\" is not documented")),
        "{warnings:?}"
    );
}

/// An extractor of the service's own that documents nothing (the one-line opt-in).
struct Tenant;

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Tenant {
    type Rejection = StatusCode;
    async fn from_request_parts(
        _: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Tenant)
    }
}

impl axum_aws::doc::OperationInput for Tenant {}

#[test]
fn an_undocumented_custom_extractor_is_named_by_lint_per_route() {
    async fn handler(_: Tenant, Json(_): Json<Gadget>) {}
    let spec = AwsRouter::<()>::new()
        .route("/g", post(handler))
        .route("/plain", get(|| async { "ok" }))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
        .spec(Info::new("t", "1"));
    let warnings = crate::rest_warnings(&spec);
    let about_tenant: Vec<&String> = warnings.iter().filter(|w| w.contains("Tenant")).collect();
    assert_eq!(about_tenant.len(), 1, "{warnings:?}");
    assert!(about_tenant[0].starts_with(
        "POST /g: the handler's \"integration::inference::Tenant\" is not documented"
    ));
    // The rest of the handler is documented all the same.
    let public = spec.render_public().unwrap().to_value();
    assert!(public["paths"]["/g"]["post"]["requestBody"].is_object());
}

#[test]
fn a_doc_item_for_another_method_or_path_is_an_error_naming_the_route() {
    let router: AwsRouter = AwsRouter::new()
        .route(
            "/widgets",
            post(scenarios::put_widget).doc::<scenarios::__path_put_widget>(),
        )
        .route(
            "/widget/{id}",
            get(scenarios::get_widget).doc::<scenarios::__path_get_widget>(),
        )
        .default_integration(LambdaProxy::new("${api_invoke_arn}"));
    let errors = router
        .spec(Info::new("t", "1"))
        .render_private()
        .unwrap_err();
    let messages: Vec<String> = errors.errors().iter().map(ToString::to_string).collect();
    assert!(errors.errors().iter().all(|e| e.kind() == ErrorKind::Doc));
    assert_eq!(
        messages,
        [
            r#"POST /widgets: the `.doc` item is written for PUT "/widget", not this route; make its method and path the route's (or leave them out of `#[utoipa::path]`)"#,
            r#"GET /widget/{id}: the `.doc` item is written for GET "/widget/{name}", not this route; make its method and path the route's (or leave them out of `#[utoipa::path]`)"#,
            r#"GET /widget/{id}: documented path parameter "name" is not in the path (its parameters: "id"); rename it to match the path"#,
        ]
    );
}

/// `schema` with every component reference replaced by the component (each schema once
/// per branch: a recursive one stays a reference).
fn resolved(schema: &Value, components: &Value, seen: &mut Vec<String>) -> Value {
    match schema {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
                && !seen.iter().any(|s| s == name)
            {
                seen.push(name.to_owned());
                let out = resolved(&components[name], components, seen);
                seen.pop();
                return out;
            }
            Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), resolved(v, components, seen)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| resolved(v, components, seen))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// What a client can rely on in a document, without the prose: each operation's
/// parameters, request body schemas and response statuses with their schemas, every
/// schema resolved (component names aside).
fn contract(doc: &Value) -> Value {
    let components = &doc["components"]["schemas"];
    let doc = &resolved(&doc["paths"], components, &mut Vec::new());
    let doc = &json!({"paths": doc});
    let mut out = serde_json::Map::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if method == "options" {
                continue;
            }
            let params: Vec<Value> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| json!([p["name"], p["in"], p["required"], p["schema"]]))
                .collect();
            let body = &op["requestBody"]["content"];
            let responses: serde_json::Map<String, Value> = op["responses"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(status, r)| (status.clone(), r["content"].clone()))
                .collect();
            out.insert(
                format!("{method} {path}"),
                json!({"parameters": params, "body": body, "responses": responses}),
            );
        }
    }
    json!({"operations": out})
}

#[test]
fn a_router_without_utoipa_path_documents_what_one_with_them_does() {
    let inferred = scenarios::schemas_inferred().spec(scenarios::info());
    let declared = scenarios::schemas().spec(scenarios::info());
    let both = |spec: &axum_aws::ApiSpec| {
        [
            contract(&spec.render_private().unwrap().to_value()),
            contract(&spec.render_public().unwrap().to_value()),
        ]
    };
    let [mut inferred_private, mut inferred_public] = both(&inferred);
    let [declared_private, declared_public] = both(&declared);
    // Inference adds axum's rejections (400/415/422, text/plain in the public spec,
    // bodyless in the private one) the items did not list.
    for (inferred, declared) in [
        (&mut inferred_private, &declared_private),
        (&mut inferred_public, &declared_public),
    ] {
        for (key, op) in inferred["operations"].as_object_mut().unwrap() {
            let responses = op["responses"].as_object_mut().unwrap();
            let listed = &declared["operations"][key]["responses"];
            let text = json!({"text/plain": {"schema": {"type": "string"}}});
            responses.retain(|status, content| {
                let extra = listed.get(status).is_none();
                if extra {
                    assert!(
                        ["400", "415", "422"].contains(&status.as_str()),
                        "{key}: {status}"
                    );
                    assert!(
                        content.is_null() || *content == text,
                        "{key}: {status}: {content}"
                    );
                } else if *content == text && listed[status].is_null() {
                    // The item lists axum's rejection bodyless; inference knows its text.
                    *content = Value::Null;
                }
                !extra
            });
        }
    }
    assert_eq!(inferred_private, declared_private);
    assert_eq!(inferred_public, declared_public);
}

#[test]
fn public_responses_follow_a_non_proxy_integration() {
    let spec = AwsRouter::<()>::new()
        .route(
            "/later",
            get(|| async { "soon" }).integration(Mock::new(501)),
        )
        .spec(Info::new("t", "1"));
    let public = spec.render_public().unwrap().to_value();
    assert_eq!(
        public["paths"]["/later"]["get"]["responses"],
        json!({"501": {"description": "Not Implemented"}})
    );
}

#[test]
fn a_documented_success_the_integration_never_sends_is_an_error() {
    async fn one() -> Json<Gadget> {
        Json(Gadget {
            name: "a".into(),
            size: None,
        })
    }
    let errors = AwsRouter::<()>::new()
        .route("/g", get(one).integration(Mock::new(501)))
        .spec(Info::new("t", "1"))
        .render_public()
        .unwrap_err();
    assert_eq!(errors.errors().len(), 1, "{errors}");
    assert_eq!(
        errors.errors()[0].to_string(),
        "GET /g: documented success status 200 is never sent: the integration answers 501; document one of those, or add an integration response for 200"
    );
}
