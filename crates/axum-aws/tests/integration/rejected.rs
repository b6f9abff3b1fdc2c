//! Every class of rejected input: the message names the route, is lowercase and
//! quotes the bad value; all problems of a router come back at once.

use axum_aws::auth::{
    Authorizer, CognitoAuthorizer, Grant, IdentitySource, LambdaAuthorizer, Security,
};
use axum_aws::integration::{AwsService, IntegrationResponse, LambdaProxy};
use axum_aws::routing::{get, options, post};
use axum_aws::{
    ApiSettings, ApiSpec, AwsRouter, Cors, ErrorKind, GatewayResponse, Info, Method,
    ResourcePolicy, RouteMeta,
};

async fn ok() -> &'static str {
    "ok"
}

fn lambda() -> LambdaProxy {
    LambdaProxy::new("${api_invoke_arn}")
}

/// The private render's problems as `(kind, "METHOD /path: message")`.
fn problems(router: &AwsRouter) -> Vec<(ErrorKind, String)> {
    let spec = router.spec(Info::new("t", "1"));
    match spec.render_private() {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .errors()
            .iter()
            .map(|e| (e.kind(), e.to_string()))
            .collect(),
    }
}

fn only(router: &AwsRouter) -> (ErrorKind, String) {
    let mut found = problems(router);
    assert_eq!(found.len(), 1, "{found:#?}");
    found.remove(0)
}

#[test]
fn partial_segment_parameter() {
    let router = AwsRouter::new().route("/a/x-{id}", get(ok).integration(lambda()));
    assert_eq!(
        only(&router),
        (
            ErrorKind::Path,
            r#"GET /a/x-{id}: path segment "x-{id}" mixes text and a parameter; API Gateway needs whole-segment parameters like "{id}""#.to_owned()
        )
    );
}

#[test]
fn character_outside_api_gateway_set() {
    let router = AwsRouter::new().route("/a/b~c", get(ok).integration(lambda()));
    assert_eq!(
        only(&router).1,
        r#"GET /a/b~c: path segment "b~c" contains '~'; API Gateway allows only ascii letters, digits and ". _ - , :" in literal segments"#
    );
}

#[test]
fn greedy_parameter_not_last() {
    // axum itself panics on this path, so it can only arrive through a spec model.
    let mut route = RouteMeta::new(Method::Get, "/a/{*rest}/b");
    route.integration = Some(lambda().into());
    let spec = ApiSpec::new(Info::new("t", "1"), ApiSettings::new(), vec![route]);
    let errors = spec.render_private().unwrap_err();
    assert_eq!(
        errors.errors()[0].to_string(),
        r#"GET /a/{*rest}/b: greedy parameter "{*rest}" in "/a/{*rest}/b" must be the last segment"#
    );
}

#[test]
fn two_variable_names_under_one_parent() {
    let router = AwsRouter::new()
        .route("/users/{id}", get(ok))
        .route("/users/{user_id}/posts", get(ok))
        .default_integration(lambda());
    assert_eq!(
        only(&router),
        (
            ErrorKind::PathConflict,
            r#"GET /users/{user_id}/posts: parameter "{user_id}" in "/users/{user_id}/posts" clashes with "{id}" in "/users/{id}" under "/users"; API Gateway allows only one variable path part per parent resource"#.to_owned()
        )
    );
}

#[test]
fn placeholder_that_is_not_an_identifier() {
    let router =
        AwsRouter::new().route("/a", get(ok).integration(LambdaProxy::new("${lambda-arn}")));
    assert_eq!(
        only(&router),
        (
            ErrorKind::Placeholder,
            r#"GET /a: placeholder "${lambda-arn}" is not a Terraform identifier (letters, digits and '_', starting with a letter)"#.to_owned()
        )
    );
}

#[test]
fn placeholder_in_the_resource_policy_is_checked() {
    let policy = ResourcePolicy::from_json(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Condition": {"StringEquals": {"aws:SourceVpce": "${vpce-id}"}}}]}"#,
    )
    .unwrap();
    let router = AwsRouter::new()
        .route("/a", get(ok).integration(lambda()))
        .settings(ApiSettings::new().policy(policy));
    let (kind, message) = only(&router);
    assert_eq!(kind, ErrorKind::Placeholder);
    assert!(
        message.contains(r#"placeholder "${vpce-id}" is not a Terraform identifier"#),
        "{message}"
    );
}

/// The model (the loader's exchange format) carries the policy as the document itself,
/// and reading one that is not an object fails saying so.
#[test]
fn resource_policy_is_a_json_object_in_the_model() {
    let settings: ApiSettings =
        serde_json::from_str(r#"{"policy": {"Version": "2012-10-17", "Statement": []}}"#).unwrap();
    let policy = settings.policy.as_ref().unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&policy.to_json()).unwrap(),
        serde_json::json!({"Version": "2012-10-17", "Statement": []})
    );
    assert_eq!(
        serde_json::to_value(&settings).unwrap()["policy"],
        serde_json::json!({"Version": "2012-10-17", "Statement": []})
    );
    let error = serde_json::from_str::<ApiSettings>(r#"{"policy": "Allow"}"#).unwrap_err();
    assert!(
        error.to_string().starts_with(
            r#"a resource policy is an IAM policy document, a JSON object, not `"Allow"`"#
        ),
        "{error}"
    );
    assert!(ResourcePolicy::from_serialize(&[1, 2]).is_err());
    assert!(ResourcePolicy::from_json("{").is_err());
}

#[test]
fn placeholder_escaped_by_hand() {
    let router = AwsRouter::new().route(
        "/a",
        get(ok).integration(LambdaProxy::new("arn:$${stageVariables.fn}")),
    );
    assert_eq!(
        only(&router).1,
        r#"GET /a: "$${stageVariables.fn}" is already terraform-escaped; write it as API Gateway spells it ("${…}"), the private spec escapes it"#
    );
}

#[test]
fn unterminated_placeholder() {
    let router =
        AwsRouter::new().route("/a", get(ok).integration(LambdaProxy::new("arn:${fn_arn")));
    assert_eq!(
        only(&router).1,
        r#"GET /a: placeholder "${fn_arn" is not a Terraform identifier (letters, digits and '_', starting with a letter)"#
    );
}

#[test]
fn cors_any_origin_with_credentials() {
    let router = AwsRouter::new()
        .route("/a", get(ok))
        .default_integration(lambda())
        .cors(Cors::new().allow_credentials(true));
    assert_eq!(
        only(&router),
        (
            ErrorKind::Cors,
            r#"GET /a: CORS allows credentials with origin "*"; browsers reject that: list the allowed origins"#.to_owned()
        )
    );
}

#[test]
fn cors_origin_that_is_not_an_origin() {
    let router = AwsRouter::new()
        .route("/a", get(ok))
        .default_integration(lambda())
        .cors(Cors::new().allow_origin("https://app.example.com/"));
    assert_eq!(
        only(&router).1,
        r#"GET /a: CORS origin "https://app.example.com/" is not "*", a placeholder or a scheme://host[:port] origin"#
    );
}

#[test]
fn two_cors_policies_on_one_path() {
    let router = AwsRouter::new()
        .route(
            "/a",
            get(ok).cors(Cors::new().allow_origin("https://a.example.com")),
        )
        .route(
            "/a",
            post(ok).cors(Cors::new().allow_origin("https://b.example.com")),
        )
        .default_integration(lambda());
    assert_eq!(
        only(&router).1,
        "POST /a: CORS policy differs from the one of GET /a on the same path; one path has one preflight answer"
    );
}

#[test]
fn options_route_and_cors_on_one_path() {
    let router = AwsRouter::new()
        .route("/a", get(ok))
        .route("/a", options(ok))
        .default_integration(lambda())
        .cors(Cors::new());
    assert_eq!(
        only(&router).1,
        "OPTIONS /a: an options route and a CORS policy on the same path both answer preflights; drop one"
    );
}

#[test]
fn route_without_integration() {
    let router = AwsRouter::new().route("/a", get(ok));
    assert_eq!(
        only(&router),
        (
            ErrorKind::MissingIntegration,
            "GET /a: no integration; set one on the route or a router default with `default_integration`".to_owned()
        )
    );
}

#[test]
#[should_panic(expected = "GET /a is declared twice; declare each method of a path once")]
fn same_method_twice_panics_like_axum() {
    let _router: AwsRouter = AwsRouter::new().route("/a", get(ok)).route("/a", get(ok));
}

#[test]
fn one_authorizer_name_two_definitions() {
    let router = AwsRouter::new()
        .route(
            "/a",
            get(ok).auth(LambdaAuthorizer::token("auth", "${one_arn}")),
        )
        .route(
            "/b",
            get(ok).auth(LambdaAuthorizer::token("auth", "${other_arn}")),
        )
        .default_integration(lambda());
    assert_eq!(
        only(&router),
        (
            ErrorKind::Authorizer,
            r#"GET /b: authorizer "auth" is declared differently by GET /a; give each definition its own name"#.to_owned()
        )
    );
}

#[test]
fn validation_expression_on_request_authorizer() {
    let auth = LambdaAuthorizer::request("req", "${auth_arn}", [IdentitySource::header("X-Key")])
        .validation_expression("^k$");
    let router = AwsRouter::new()
        .route("/a", get(ok).auth(auth))
        .default_integration(lambda());
    assert_eq!(
        only(&router).1,
        r#"GET /a: authorizer "req" is a request authorizer; identity validation expressions apply to token authorizers only"#
    );
}

#[test]
fn scopes_on_an_authorizer_without_scopes() {
    let router = AwsRouter::new()
        .route(
            "/a",
            get(ok).auth(Grant::new(Authorizer::iam()).scopes(["read"])),
        )
        .default_integration(lambda());
    assert_eq!(
        only(&router).1,
        r#"GET /a: scopes ["read"] given for "sigv4"; only Cognito authorizers check scopes"#
    );
}

#[test]
fn alternative_authorizers_on_a_rest_api() {
    let users = CognitoAuthorizer::new("users", ["${pool_arn}"]);
    let router = AwsRouter::new()
        .route(
            "/a",
            get(ok).auth(Security::from(Authorizer::iam()).or(users)),
        )
        .default_integration(lambda());
    assert_eq!(
        only(&router),
        (
            ErrorKind::Unsupported,
            "GET /a: REST APIs cannot express alternative authorizers (sigv4 or users); require them together or pick one".to_owned()
        )
    );
    // The same model renders in the public spec, where alternatives are standard OpenAPI.
    let router: AwsRouter = AwsRouter::new()
        .route(
            "/a",
            get(ok).auth(Security::from(Authorizer::iam()).or(Authorizer::api_key())),
        )
        .default_integration(lambda());
    let public = router
        .spec(Info::new("t", "1"))
        .render_public()
        .unwrap()
        .to_value();
    assert_eq!(
        public["paths"]["/a"]["get"]["security"],
        serde_json::json!([{"sigv4": []}, {"api_key": []}])
    );
}

#[test]
fn two_custom_authorizers_together() {
    let users = CognitoAuthorizer::new("users", ["${pool_arn}"]);
    let router = AwsRouter::new()
        .route(
            "/a",
            get(ok).auth(Security::all([Authorizer::from(users), Authorizer::iam()])),
        )
        .default_integration(lambda());
    assert_eq!(
        only(&router).1,
        r#"GET /a: REST APIs run one authorizer per method (plus an API key), not ["users", "sigv4"]"#
    );
}

#[test]
fn undeclared_request_validator() {
    let router = AwsRouter::new()
        .route("/a", get(ok).request_validator("strict"))
        .default_integration(lambda());
    assert_eq!(
        only(&router),
        (
            ErrorKind::Setting,
            r#"GET /a: request validator "strict" is not declared; add it with `ApiSettings::request_validator`"#.to_owned()
        )
    );
}

#[test]
fn unknown_gateway_response_type() {
    let router = AwsRouter::new()
        .route("/a", get(ok))
        .default_integration(lambda())
        .settings(
            ApiSettings::new().gateway_response("NOT_FOUND", GatewayResponse::new().status(404)),
        );
    assert_eq!(
        only(&router),
        (
            ErrorKind::Setting,
            r#"gateway response type "NOT_FOUND" does not exist (e.g. "DEFAULT_4XX", "UNAUTHORIZED")"#.to_owned()
        )
    );
}

#[test]
fn aws_service_without_execution_role() {
    let router = AwsRouter::new().route(
        "/a",
        post(ok).integration(AwsService::action("${region}", "sqs", "SendMessage")),
    );
    assert_eq!(
        only(&router),
        (
            ErrorKind::Integration,
            r#"POST /a: AWS service integration "arn:aws:apigateway:${region}:sqs:action/SendMessage" needs an execution role: set `credentials` or a router `default_credentials`"#.to_owned()
        )
    );
}

#[test]
fn integration_responses_on_a_proxy() {
    let router = AwsRouter::new().route(
        "/a",
        get(ok).integration(lambda().response(IntegrationResponse::default_status(200))),
    );
    assert_eq!(
        only(&router).1,
        "GET /a: proxy integrations pass responses through; integration responses would be ignored"
    );
}

#[test]
fn timeout_out_of_range() {
    let router = AwsRouter::new().route(
        "/a",
        get(ok).integration(lambda().timeout(std::time::Duration::from_millis(10))),
    );
    assert_eq!(
        only(&router).1,
        "GET /a: integration timeout 10ms is outside 50..=29000 (or up to 300000 with a quota increase)"
    );
}

#[test]
fn duplicate_operation_id() {
    let router = AwsRouter::new()
        .route("/a", get(ok).operation_id("read"))
        .route("/b", get(ok).operation_id("read"))
        .default_integration(lambda());
    assert_eq!(
        only(&router).1,
        r#"GET /b: operation id "read" is already used by GET /a"#
    );
}

#[test]
fn model_names_that_collide_once_made_alphanumeric() {
    let mut first = RouteMeta::new(Method::Get, "/a");
    first.integration = Some(lambda().into());
    first.schemas.insert("Page_Item".into(), object_schema());
    let mut second = first.clone();
    second.path = "/b".into();
    second.schemas.clear();
    second.schemas.insert("PageItem".into(), object_schema());
    let spec = ApiSpec::new(Info::new("t", "1"), ApiSettings::new(), vec![first, second]);
    let errors = spec.render_private().unwrap_err();
    assert_eq!(errors.errors().len(), 1, "{errors}");
    assert_eq!(errors.errors()[0].kind(), ErrorKind::Schema);
    let message = errors.errors()[0].to_string();
    assert!(
        message.contains("\"Page_Item\"") && message.contains("\"PageItem\""),
        "{message}"
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let router: AwsRouter = AwsRouter::new()
        .route("/a/x-{id}", get(ok))
        .route("/b", get(ok).integration(LambdaProxy::new("${bad-name}")))
        .route("/c", get(ok).cors(Cors::new().allow_credentials(true)))
        .route("/d", post(ok));
    let spec = router.spec(Info::new("t", "1"));
    let errors = spec.render_private().unwrap_err();
    let text = errors.to_string();
    assert!(text.starts_with("6 problems in the router:"), "{text}");
    for expected in [
        "GET /a/x-{id}: path segment",
        "GET /a/x-{id}: no integration",
        "GET /b: placeholder \"${bad-name}\"",
        "GET /c: no integration",
        "GET /c: CORS allows credentials",
        "POST /d: no integration",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
}

/// What only a REST API refuses is the REST target's check: the public spec of the same
/// router renders, and `check_for` reports the REST problems only when asked for REST.
#[test]
fn rest_only_rules_belong_to_the_rest_target() {
    use axum_aws::{PublicVersion, Target};

    let router: AwsRouter = AwsRouter::new()
        .route(
            "/users/{id}",
            get(ok).integration(lambda().timeout(std::time::Duration::from_secs(600))),
        )
        .route("/users/{name}/x", get(ok).integration(lambda()))
        .settings(ApiSettings::new().gateway_response("BOGUS", GatewayResponse::new()));
    let spec = router.spec(Info::new("t", "1"));

    let checked = spec.check_for(&[Target::OpenApi]).unwrap();
    assert!(checked.render_public(PublicVersion::V30).is_ok());
    let rest = checked.render_private().unwrap_err();
    let kinds: Vec<ErrorKind> = rest.errors().iter().map(|e| e.kind()).collect();
    assert_eq!(
        kinds,
        [
            ErrorKind::Integration,
            ErrorKind::PathConflict,
            ErrorKind::Setting
        ],
        "{rest}"
    );
    assert_eq!(
        spec.check_for(&[Target::Rest, Target::OpenApi])
            .unwrap_err()
            .errors(),
        rest.errors()
    );
}

fn object_schema() -> axum_aws::doc::Schema {
    axum_aws::doc::Schema::from_serialize(&serde_json::json!({"type": "object"})).unwrap()
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
struct Entry {
    key: String,
    value: Option<String>,
}

/// `{"key": "a", "value": null}` is an `Entry` to the handler; a draft-4 model of it
/// would reject the null, so a validated body of it fails the export naming the field.
#[test]
fn a_validated_body_with_a_nullable_field_fails_naming_route_and_field() {
    async fn put_entry(axum::Json(entry): axum::Json<Entry>) -> String {
        format!("{} {:?}", entry.key, entry.value)
    }
    let router: AwsRouter = AwsRouter::new()
        .route(
            "/entry",
            axum_aws::routing::put(put_entry).request_validator("body"),
        )
        .default_integration(lambda())
        .settings(
            ApiSettings::new().request_validator("body", axum_aws::RequestValidator::body_only()),
        );
    let (kind, message) = only(&router);
    assert_eq!(kind, ErrorKind::Schema);
    assert_eq!(
        message,
        r#"PUT /entry: schema "Entry" field "value" accepts null, which its validated API Gateway model (JSON Schema draft 4) cannot: the gateway would reject null where the handler accepts it; make the field non-nullable, or validate the body in the handler (no body validator)"#
    );
    // Without the body validator the same route exports (the handler validates).
    let unvalidated: AwsRouter = AwsRouter::new()
        .route("/entry", axum_aws::routing::put(put_entry))
        .default_integration(lambda());
    assert!(
        unvalidated
            .spec(Info::new("t", "1"))
            .render_private()
            .is_ok()
    );
}

#[test]
fn success_status_outside_a_service_builder_is_an_error() {
    let router: AwsRouter = AwsRouter::new().route(
        "/later",
        get(ok).integration(axum_aws::integration::Mock::new(200).success_status(202)),
    );
    assert_eq!(
        only(&router),
        (
            ErrorKind::Integration,
            "GET /later: success_status(202) applies to the service builders (S3, SNS, SQS, DynamoDB, Step Functions, EventBridge) only; add `IntegrationResponse::default_status(202)` with its templates instead".to_owned()
        )
    );
}
