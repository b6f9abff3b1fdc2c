//! `lint` on validated models: what the draft-4 conversion loses, from the converter's own
//! report (one list).

use axum_aws::doc::{MediaType, Operation, RequestBody, Schema};
use axum_aws::integration::LambdaProxy;
use axum_aws::{ApiSettings, ApiSpec, Info, Method, RequestValidator, RouteMeta};
use serde_json::{Value, json};

/// The warnings of one validated `POST /m` whose JSON body is the component `Model`.
fn warnings_for(model: &Value) -> Vec<String> {
    crate::rest_warnings(&spec_for(model))
}

/// One validated `POST /m` whose JSON body is the component `Model`.
fn spec_for(model: &Value) -> ApiSpec {
    let mut route = RouteMeta::new(Method::Post, "/m");
    route.integration = Some(LambdaProxy::new("${api_invoke_arn}").into());
    route.request_validator = Some("body".into());
    let mut operation = Operation::default();
    operation.request_body = Some(RequestBody::new(
        "application/json",
        MediaType::schema(Schema::reference("Model")),
    ));
    route.operation = Some(operation);
    route
        .schemas
        .insert("Model".into(), Schema::from_serialize(model).unwrap());
    let settings = ApiSettings::new().request_validator("body", RequestValidator::body_only());
    ApiSpec::new(Info::new("t", "1"), settings, vec![route])
}

#[test]
fn if_then_else_and_contains_warn() {
    let warnings = warnings_for(&json!({
        "type": "object",
        "properties": {
            "kind": {"type": "string"},
            "tags": {"type": "array", "contains": {"const": "x"}}
        },
        "if": {"properties": {"kind": {"const": "a"}}},
        "then": {"required": ["tags"]},
        "else": {"required": []}
    }));
    assert_eq!(
        warnings,
        [
            r#"POST /m: schema "Model" uses contains, else, if, then, which API Gateway models (JSON Schema draft 4) cannot express; the model accepts more than the schema says"#
        ]
    );
}

#[test]
fn const_does_not_warn() {
    // The converter rewrites `const` as a one-value `enum`: nothing is lost.
    let warnings = warnings_for(&json!({
        "type": "object",
        "properties": {"kind": {"const": "widget"}}
    }));
    assert_eq!(warnings, Vec::<String>::new());
}

#[test]
fn a_nullable_field_of_a_validated_body_is_an_error_not_a_warning() {
    let model = json!({
        "type": "object",
        "properties": {"value": {"type": ["string", "null"]}}
    });
    assert_eq!(warnings_for(&model), Vec::<String>::new());
    let errors = spec_for(&model).lint(axum_aws::Target::Rest).errors;
    let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        errors,
        [
            r#"POST /m: schema "Model" field "value" accepts null, which its validated API Gateway model (JSON Schema draft 4) cannot: the gateway would reject null where the handler accepts it; make the field non-nullable, or validate the body in the handler (no body validator)"#
        ]
    );
}

#[test]
fn a_credential_header_the_cors_policy_does_not_allow_warns_naming_route_and_header() {
    use axum_aws::auth::{Authorizer, LambdaAuthorizer, Security};
    use axum_aws::routing::{get, put};
    use axum_aws::{AwsRouter, Cors};

    let token = LambdaAuthorizer::token("gate", "${authorizer_invoke_arn}").header("X-Token");
    let router: AwsRouter = AwsRouter::new()
        .route(
            "/w",
            put(|| async {}).auth(Security::all([Authorizer::api_key(), token.into()])),
        )
        .route("/r", get(|| async { "ok" }).auth(Authorizer::api_key()))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
        .cors(
            Cors::new()
                .allow_origin("https://app.example.com")
                .allow_headers(["Content-Type", "X-Api-Key"]),
        );
    let warnings = crate::rest_warnings(&router.spec(Info::new("t", "1")));
    let cors: Vec<&String> = warnings
        .iter()
        .filter(|w| w.contains("CORS policy"))
        .collect();
    assert_eq!(
        cors,
        [
            r#"PUT /w: browsers send the "X-Token" header this route requires, which the CORS policy does not allow: preflights fail; add it with `allow_headers`"#
        ],
        "{warnings:?}"
    );
}
