//! `aws-spec terraform`: the golden modules (the widget API as REST and HTTP API, and a
//! router with every direct integration, every authorizer kind and API keys), the Lambda
//! permissions' source ARNs against invocation ARNs, and what the module refuses.
//!
//! `make terraform-module-oracles` checks the snapshots' modules with Terraform (fmt,
//! templatefile), the AWS provider's schema, parliament/policy_sentry and checkov.

use std::time::Duration;

use aws_spec::terraform::{ModuleTarget, module, permission_source_suffix};
use axum_aws::auth::{
    Authorizer, CognitoAuthorizer, IdentitySource, JwtAuthorizer, LambdaAuthorizer, Security,
};
use axum_aws::integration::{
    Field, Http, Lambda, LambdaProxy, Mock, PathPart, PutEvents, Queue, S3, SnsPublish, Source,
    SqsSendMessage, StepFunctions, Table,
};
use axum_aws::routing::{any, delete, get, patch, post, put};
use axum_aws::{AwsRouter, Info, Method};

async fn ok() -> &'static str {
    "ok"
}

/// The module's files as one snapshot each (its spec too, which must be the export's:
/// the oracles read the whole module from the snapshots).
fn assert_module(name: &str, spec: &axum_aws::ApiSpec, target: ModuleTarget) {
    let files = module(spec, target).unwrap_or_else(|error| panic!("{name}: {error}"));
    let expected_spec = match target {
        ModuleTarget::Rest => spec.render_private().unwrap().to_json(),
        _ => spec.render_http_api().unwrap().to_json(),
    };
    for file in files {
        if file.name == "spec/spec.json" {
            assert_eq!(
                file.content, expected_spec,
                "{name}: the module's spec is the export's"
            );
        }
        // `/` cannot be in a snapshot name: `+` stands for it.
        let file_name = file.name.replace('/', "+");
        insta::assert_snapshot!(format!("terraform_{name}__{file_name}"), file.content);
    }
}

fn widget_info() -> Info {
    Info::new("Widgets", "1.0.0")
        .description("Widget API, exported from widget_service::router() by aws-spec")
}

#[test]
fn widget_rest_module() {
    let spec = widget_service::router().spec(widget_info());
    assert_module("widget_rest", &spec, ModuleTarget::Rest);
}

#[test]
fn widget_http_api_module() {
    let spec = widget_service::http_api_router().spec(widget_info());
    assert_module("widget_http_api", &spec, ModuleTarget::HttpApi);
}

/// Every direct integration (each with its role), every authorizer kind a REST API has,
/// API keys, a Lambda custom integration invoked through a role, HTTP and mock.
pub(crate) fn every_integration() -> AwsRouter {
    let items = Table::new(
        "${region}",
        "${items_table}",
        Field::s("pk").json_name("id").from(Source::path("id")),
    )
    .field(Field::s("name"));
    let token = LambdaAuthorizer::token("tokenAuth", "${authorizer_invoke_arn}")
        .ttl(Duration::from_secs(300));
    let request = LambdaAuthorizer::request(
        "tenantAuth",
        "${tenant_authorizer_invoke_arn}",
        [IdentitySource::header("Authorization")],
    )
    .credentials("${authorizer_role_arn}");
    let users = CognitoAuthorizer::new("users", ["${user_pool_arn}"]);
    let ddb = "${apigw_dynamodb_role_arn}";
    AwsRouter::new()
        .route("/", get(ok).public())
        .route(
            "/items/{id}",
            get(ok).integration(items.clone().get_item().credentials(ddb)),
        )
        .route(
            "/items/{id}",
            put(ok).integration(items.clone().put_item().credentials(ddb)),
        )
        .route(
            "/items/{id}",
            patch(ok).integration(items.clone().update_item().credentials(ddb)),
        )
        .route(
            "/items/{id}",
            delete(ok).integration(items.clone().delete_item().credentials(ddb)),
        )
        .route(
            "/items",
            get(ok).integration(items.query().credentials(ddb)),
        )
        .route(
            "/files/{*key}",
            get(ok).integration(
                S3::get_object("${region}", "${bucket}", PathPart::param("key"))
                    .credentials("${apigw_s3_role_arn}"),
            ),
        )
        .route(
            "/files/{*key}",
            put(ok).integration(
                S3::put_object("${region}", "${bucket}", PathPart::param("key"))
                    .credentials("${apigw_s3_role_arn}"),
            ),
        )
        .route(
            "/files",
            get(ok).integration(
                S3::list_objects("${region}", "${bucket}").credentials("${apigw_s3_role_arn}"),
            ),
        )
        .route(
            "/alerts",
            post(ok).integration(
                SnsPublish::new("${region}", "${alerts_topic_arn}")
                    .credentials("${apigw_messaging_role_arn}"),
            ),
        )
        .route(
            "/jobs",
            post(ok)
                .integration(
                    SqsSendMessage::new(
                        "${region}",
                        Queue::new("${account_id}", "${jobs_queue_name}"),
                    )
                    .credentials("${apigw_messaging_role_arn}"),
                )
                .auth(Authorizer::api_key()),
        )
        .route(
            "/orders/{id}/fulfil",
            post(ok).integration(
                StepFunctions::start_execution("${region}", "${fulfil_workflow_arn}")
                    .input_field("orderId", Source::path("id"))
                    .credentials("${apigw_sfn_role_arn}"),
            ),
        )
        .route(
            "/quotes",
            post(ok).integration(
                StepFunctions::start_sync_execution("${region}", "${quote_workflow_arn}")
                    .credentials("${apigw_sfn_role_arn}"),
            ),
        )
        .route(
            "/events/{kind}",
            post(ok).integration(
                PutEvents::new("${region}", "shop.orders", "unused")
                    .detail_type(Source::path("kind"))
                    .bus("${event_bus_name}")
                    .credentials("${apigw_events_role_arn}"),
            ),
        )
        .route(
            "/reports",
            get(ok).integration(
                Lambda::new("${reports_invoke_arn}").credentials("${apigw_lambda_role_arn}"),
            ),
        )
        .route(
            "/legacy/{*rest}",
            any(ok).integration(Http::proxy(Method::Any, "https://${legacy_host}/{rest}")),
        )
        .route("/maintenance", post(ok).integration(Mock::new(503)).throttle(1, 1))
        .route("/me", get(ok).auth(token.clone()))
        .route("/tenants/{tenant}", get(ok).auth(request))
        .route("/profile", get(ok).auth(users))
        .route("/admin", post(ok).auth(Authorizer::iam()))
        .route(
            "/partner",
            post(ok).auth(Security::all([Authorizer::api_key(), token.into()])),
        )
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
        .default_throttle(100, 50)
}

#[test]
fn every_integration_rest_module() {
    let spec = every_integration().spec(Info::new("Everything", "1.0.0"));
    assert_module("every_integration_rest", &spec, ModuleTarget::Rest);
}

/// The HTTP API's counterpart: its service subtypes, JWT and Lambda authorizers.
pub(crate) fn every_integration_http_api() -> AwsRouter {
    let jwt = JwtAuthorizer::new("users", "https://${issuer_host}/", ["${audience}"]);
    let lambda = LambdaAuthorizer::request(
        "tenantAuth",
        "${authorizer_invoke_arn}",
        [IdentitySource::header("Authorization")],
    );
    AwsRouter::new()
        .route("/", get(ok))
        .route("/items/{id}", get(ok).auth(jwt).throttle(2.5, 5))
        .route("/files/{*key}", any(ok).auth(lambda))
        .route(
            "/jobs",
            post(ok).integration(
                SqsSendMessage::new("${region}", Queue::url("${jobs_queue_url}"))
                    .credentials("${apigw_role_arn}"),
            ),
        )
        .route(
            "/orders/{id}/fulfil",
            post(ok).integration(
                StepFunctions::start_execution("${region}", "${fulfil_workflow_arn}")
                    .credentials("${apigw_role_arn}"),
            ),
        )
        .route(
            "/events",
            post(ok).integration(
                PutEvents::new("${region}", "shop.orders", "created")
                    .bus("${event_bus_name}")
                    .credentials("${apigw_role_arn}"),
            ),
        )
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
}

#[test]
fn every_integration_http_api_module() {
    let spec = every_integration_http_api().spec(Info::new("Everything", "1.0.0"));
    assert_module("every_integration_http_api", &spec, ModuleTarget::HttpApi);
}

/// Whether an IAM `ArnLike` pattern (`*` any run of characters, `?` one) matches `arn`.
fn arn_like(pattern: &str, arn: &str) -> bool {
    fn go(p: &[u8], s: &[u8]) -> bool {
        match (p.first(), s.first()) {
            (None, None) => true,
            (Some(b'*'), _) => go(&p[1..], s) || (!s.is_empty() && go(p, &s[1..])),
            (Some(b'?'), Some(_)) => go(&p[1..], &s[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &s[1..]),
            _ => false,
        }
    }
    go(pattern.as_bytes(), arn.as_bytes())
}

/// The source ARNs of the permissions against invocation ARNs written by hand from the
/// ARN format (`arn:aws:execute-api:REGION:ACCOUNT:API/STAGE/METHOD/PATH`,
/// `…:API/authorizers/ID`): each route's grant matches its own invocations and no other
/// method, path, stage or API's.
#[test]
fn permission_source_arns_match_exactly_their_routes_invocations() {
    const API: &str = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3";
    let grant = |method, path| format!("{API}/live/{}", permission_source_suffix(method, path));
    let authorizers = format!("{API}/authorizers/*");
    // (grant, invocation ARN, matches)
    let table = [
        (
            grant(Method::Get, "/widget/{widgetName}"),
            "/live/GET/widget/blue",
            true,
        ),
        (
            grant(Method::Get, "/widget/{widgetName}"),
            "/live/GET/widget/{widgetName}",
            true,
        ),
        (
            grant(Method::Get, "/widget/{widgetName}"),
            "/live/PUT/widget/blue",
            false,
        ),
        (
            grant(Method::Get, "/widget/{widgetName}"),
            "/live/GET/widget",
            false,
        ),
        (
            grant(Method::Get, "/widget/{widgetName}"),
            "/prod/GET/widget/blue",
            false,
        ),
        (
            grant(Method::Get, "/widget/{widgetName}"),
            "/live/GET/gadget/blue",
            false,
        ),
        (grant(Method::Put, "/widget"), "/live/PUT/widget", true),
        (
            grant(Method::Put, "/widget"),
            "/live/PUT/widget/blue",
            false,
        ),
        (grant(Method::Put, "/widget"), "/live/PUT/widgets", false),
        (
            grant(Method::Get, "/files/{key+}"),
            "/live/GET/files/a/b/c.txt",
            true,
        ),
        (
            grant(Method::Get, "/files/{key+}"),
            "/live/GET/files",
            false,
        ),
        (
            grant(Method::Get, "/files/{key+}"),
            "/live/DELETE/files/a",
            false,
        ),
        (grant(Method::Get, "/"), "/live/GET/", true),
        (grant(Method::Get, "/"), "/live/GET/widget", false),
        (grant(Method::Get, "/"), "/live/POST/", false),
        (
            grant(Method::Any, "/legacy/{rest+}"),
            "/live/DELETE/legacy/x/y",
            true,
        ),
        (
            grant(Method::Any, "/legacy/{rest+}"),
            "/live/GET/legacy/x",
            true,
        ),
        (
            grant(Method::Any, "/legacy/{rest+}"),
            "/live/GET/other/x",
            false,
        ),
        (grant(Method::Get, "/a/{id}/b"), "/live/GET/a/1/b", true),
        (grant(Method::Get, "/a/{id}/b"), "/live/GET/a/1/c", false),
        (authorizers.clone(), "/authorizers/abc123", true),
        (
            grant(Method::Get, "/widget/{widgetName}"),
            "/authorizers/abc123",
            false,
        ),
    ];
    let mut wrong = Vec::new();
    for (pattern, invocation, expected) in &table {
        let arn = format!("{API}{invocation}");
        if arn_like(pattern, &arn) != *expected {
            wrong.push(format!("{pattern} vs {arn}: expected {expected}"));
        }
        // Another API never matches.
        let other = arn.replace("a1b2c3", "zzzzzz");
        if arn_like(pattern, &other) {
            wrong.push(format!("{pattern} matches another API's {other}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_lambda_uri_naming_no_function_is_an_error_naming_the_route() {
    let router: AwsRouter = AwsRouter::new().route(
        "/x",
        get(ok).integration(LambdaProxy::new(
            "arn:aws:apigateway:eu-west-1:s3:path/bucket",
        )),
    );
    let spec = router.spec(Info::new("T", "1"));
    let error = module(&spec, ModuleTarget::Rest).unwrap_err().to_string();
    assert!(error.contains("GET /x"), "{error}");
}

#[test]
fn the_module_is_deterministic() {
    let spec = every_integration().spec(Info::new("Everything", "1.0.0"));
    assert_eq!(
        module(&spec, ModuleTarget::Rest).unwrap(),
        module(&spec, ModuleTarget::Rest).unwrap()
    );
}

#[test]
fn a_zero_throttle_is_an_error_naming_the_route() {
    let router: AwsRouter = AwsRouter::new()
        .route("/x", get(ok).throttle(0, 5))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"));
    let spec = router.spec(Info::new("T", "1"));
    let error = module(&spec, ModuleTarget::Rest).unwrap_err().to_string();
    assert!(error.contains("GET /x"), "{error}");
}
