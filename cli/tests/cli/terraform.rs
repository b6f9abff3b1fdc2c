//! `aws-spec terraform`: the golden modules (the widget API as REST and HTTP API, and a
//! router with every direct integration, every authorizer kind and API keys, and a private
//! API with every API-wide setting the provider also reads from the body), the Lambda
//! permissions' source ARNs against invocation ARNs, and what the module refuses.
//!
//! `make terraform-oracles` checks the snapshots' modules with Terraform (fmt,
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
use axum_aws::{ApiKeySource, ApiSettings, AwsRouter, Info, Method, ResourcePolicy};

use crate::util::{ROUTER, assert_code, aws_spec_fixture, scratch, stderr, stdout};

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

/// A private REST API with every API-wide setting the provider also manages (binary media
/// types, minimum compression size, API key source, the endpoint and its VPC endpoints,
/// the default endpoint turned off, a resource policy): the module mirrors each from the
/// body, and `make terraform-oracles` evaluates the mirrors with Terraform against the
/// provider's documented mapping (scripts/tests/check-terraform-mirrored.py).
#[test]
fn api_settings_rest_module() {
    let policy = ResourcePolicy::from_json(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
            "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
            "Condition": {"StringEquals": {"aws:SourceVpce": "${vpc_endpoint_id}"}}}]}"#,
    )
    .unwrap();
    let settings = ApiSettings::new()
        .binary_media_types(["image/png", "application/octet-stream"])
        .minimum_compression_size(1024)
        .api_key_source(ApiKeySource::Header)
        .private_endpoint(["${vpc_endpoint_id}"])
        .disable_execute_api_endpoint()
        .policy(policy);
    let router: AwsRouter = AwsRouter::new()
        .route("/files/{name}", get(ok))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
        .settings(settings);
    let info = Info::new("Files", "1.0.0").description("Files behind a VPC endpoint");
    assert_module("api_settings_rest", &router.spec(info), ModuleTarget::Rest);
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
        .route(
            "/maintenance",
            post(ok).integration(Mock::new(503)).throttle(1, 1),
        )
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
        (authorizers, "/authorizers/abc123", true),
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

/// The HTTP API module's grants as Terraform computes them: its own permissions.tf
/// evaluated (hcl-rs's evaluator: the `permission_stage` local, the permission's
/// `for_each` list and its `source_arn` template) for a stage name, with the API's
/// execution ARN.
fn http_api_grants(router: &AwsRouter, api: &str, stage_name: &str) -> Vec<String> {
    use hcl::eval::{Context, Evaluate};
    use hcl::expr::Expression;

    let spec = router.spec(Info::new("T", "1"));
    let files = module(&spec, ModuleTarget::HttpApi).unwrap();
    let text = &files
        .iter()
        .find(|file| file.name == "permissions.tf")
        .unwrap()
        .content;
    let body = hcl::parse(text).unwrap();
    let local = body
        .blocks()
        .filter(|block| block.identifier() == "locals")
        .flat_map(|block| block.body().attributes())
        .find(|attribute| attribute.key() == "permission_stage")
        .unwrap();
    let permission = body
        .blocks()
        .find(|block| {
            block.identifier() == "resource"
                && block.labels()[0].as_str() == "aws_lambda_permission"
        })
        .unwrap();
    let argument = |name: &str| {
        permission
            .body()
            .attributes()
            .find(|attribute| attribute.key() == name)
            .unwrap()
            .expr()
            .clone()
    };
    let mut ctx = Context::new();
    ctx.declare_var("var", hcl::value!({ stage_name = stage_name }));
    let stage = local.expr().evaluate(&ctx).unwrap();
    ctx.declare_var("local", hcl::value!({ permission_stage = stage }));
    ctx.declare_var(
        "aws_apigatewayv2_api",
        hcl::value!({ this = { execution_arn = api } }),
    );
    // for_each = toset([...]): the list is the set.
    let Expression::FuncCall(call) = argument("for_each") else {
        panic!("for_each is not toset([...]): {text}");
    };
    let suffixes = call.args[0].evaluate(&ctx).unwrap();
    let source = argument("source_arn");
    suffixes
        .as_array()
        .unwrap()
        .iter()
        .map(|suffix| {
            ctx.declare_var("each", hcl::value!({ value = suffix }));
            source.evaluate(&ctx).unwrap().as_str().unwrap().to_owned()
        })
        .collect()
}

/// HTTP API grants against invocation ARNs written by hand (`API/STAGE/METHOD/PATH`, the
/// `$default` route `API/STAGE/$default`): with the `$default` stage, whose grants put
/// `*` in the stage segment (the reference's ARN table: "use stage `*` with
/// `$default`"), and with a named stage.
#[test]
fn http_api_permission_source_arns_with_the_default_stage_and_a_named_one() {
    const API: &str = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3";
    let router: AwsRouter = AwsRouter::new()
        .route("/widget/{widgetName}", get(ok))
        .route("/widget", put(ok))
        .default_route(any(ok))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"));
    // (stage name, invocation, matched by some grant)
    let table = [
        ("$default", "/$default/GET/widget/blue", true),
        ("$default", "/$default/PUT/widget", true),
        ("$default", "/$default/$default", true),
        ("$default", "/$default/PUT/widget/blue", false),
        ("$default", "/$default/GET/widget", false),
        ("$default", "/$default/DELETE/widget/blue", false),
        ("$default", "/$default/GET/gadget/blue", false),
        ("$default", "/authorizers/abc123", false),
        // `*` is every stage of this API, not only `$default`: the price of a stage
        // segment the grant does not spell (files.rs, `permissions`).
        ("$default", "/live/GET/widget/blue", true),
        ("live", "/live/GET/widget/blue", true),
        ("live", "/live/$default", true),
        ("live", "/prod/GET/widget/blue", false),
        ("live", "/$default/GET/widget/blue", false),
        ("live", "/live/PUT/widget/blue", false),
    ];
    let mut wrong = Vec::new();
    for stage_name in ["$default", "live"] {
        let grants = http_api_grants(&router, API, stage_name);
        assert_eq!(grants.len(), 3, "{grants:?}");
        if stage_name == "$default" {
            assert!(
                grants.contains(&format!("{API}/*/$default")),
                "the default route's grant: {grants:?}"
            );
        }
        for (_, invocation, expected) in table.iter().filter(|row| row.0 == stage_name) {
            let arn = format!("{API}{invocation}");
            let matched = grants.iter().any(|grant| arn_like(grant, &arn));
            if matched != *expected {
                wrong.push(format!(
                    "stage {stage_name}: {arn}: expected {expected}, grants {grants:?}"
                ));
            }
            let other = arn.replace("a1b2c3", "zzzzzz");
            if grants.iter().any(|grant| arn_like(grant, &other)) {
                wrong.push(format!(
                    "stage {stage_name}: another API's {other} matches {grants:?}"
                ));
            }
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

/// The iam.tf of a one-route router.
fn iam_of(router: &AwsRouter) -> String {
    let spec = router.spec(Info::new("T", "1"));
    let files = module(&spec, ModuleTarget::Rest).unwrap();
    files
        .into_iter()
        .find(|file| file.name == "iam.tf")
        .map(|file| file.content)
        .unwrap_or_default()
}

/// Each typed service action's IAM action and resource, as the role's policy states them.
#[test]
fn each_service_action_builder_maps_to_its_iam_action_and_resource() {
    const PARTITION: &str = "arn:${data.aws_partition.current.partition}";
    const AT: &str = "${local.spec_vars.region}:${data.aws_caller_identity.current.account_id}";
    let table = Table::new(
        "${region}",
        "${items_table}",
        Field::s("pk").from(Source::path("id")),
    );
    let role = "${role_arn}";
    let cases: Vec<(&str, AwsRouter, &str, String)> = vec![
        (
            "GetItem",
            AwsRouter::new().route(
                "/i/{id}",
                get(ok).integration(table.clone().get_item().credentials(role)),
            ),
            "dynamodb:GetItem",
            format!("\"{PARTITION}:dynamodb:{AT}:table/${{local.spec_vars.items_table}}\""),
        ),
        (
            "PutItem",
            AwsRouter::new().route(
                "/i/{id}",
                put(ok).integration(table.clone().put_item().credentials(role)),
            ),
            "dynamodb:PutItem",
            format!("\"{PARTITION}:dynamodb:{AT}:table/${{local.spec_vars.items_table}}\""),
        ),
        (
            "UpdateItem",
            AwsRouter::new().route(
                "/i/{id}",
                patch(ok).integration(table.clone().update_item().credentials(role)),
            ),
            "dynamodb:UpdateItem",
            format!("\"{PARTITION}:dynamodb:{AT}:table/${{local.spec_vars.items_table}}\""),
        ),
        (
            "DeleteItem",
            AwsRouter::new().route(
                "/i/{id}",
                delete(ok).integration(table.clone().delete_item().credentials(role)),
            ),
            "dynamodb:DeleteItem",
            format!("\"{PARTITION}:dynamodb:{AT}:table/${{local.spec_vars.items_table}}\""),
        ),
        (
            "Query",
            AwsRouter::new().route(
                "/i/{id}",
                get(ok).integration(table.query().credentials(role)),
            ),
            "dynamodb:Query",
            format!("\"{PARTITION}:dynamodb:{AT}:table/${{local.spec_vars.items_table}}\""),
        ),
        (
            "SendMessage",
            AwsRouter::new().route(
                "/q",
                post(ok).integration(
                    SqsSendMessage::new("${region}", Queue::new("${account_id}", "${queue_name}"))
                        .credentials(role),
                ),
            ),
            "sqs:SendMessage",
            format!(
                "\"{PARTITION}:sqs:${{local.spec_vars.region}}:${{local.spec_vars.account_id}}:${{local.spec_vars.queue_name}}\""
            ),
        ),
        (
            "Publish",
            AwsRouter::new().route(
                "/t",
                post(ok)
                    .integration(SnsPublish::new("${region}", "${topic_arn}").credentials(role)),
            ),
            "sns:Publish",
            "local.spec_vars.topic_arn".to_owned(),
        ),
        (
            "GetObject",
            AwsRouter::new().route(
                "/f/{*key}",
                get(ok).integration(
                    S3::get_object("${region}", "${bucket}", PathPart::param("key"))
                        .credentials(role),
                ),
            ),
            "s3:GetObject",
            format!("\"{PARTITION}:s3:::${{local.spec_vars.bucket}}/*\""),
        ),
        (
            "PutObject",
            AwsRouter::new().route(
                "/f/{*key}",
                put(ok).integration(
                    S3::put_object("${region}", "${bucket}", PathPart::param("key"))
                        .credentials(role),
                ),
            ),
            "s3:PutObject",
            format!("\"{PARTITION}:s3:::${{local.spec_vars.bucket}}/*\""),
        ),
        (
            "DeleteObject",
            AwsRouter::new().route(
                "/f/{*key}",
                delete(ok).integration(
                    S3::delete_object("${region}", "${bucket}", PathPart::param("key"))
                        .credentials(role),
                ),
            ),
            "s3:DeleteObject",
            format!("\"{PARTITION}:s3:::${{local.spec_vars.bucket}}/*\""),
        ),
        (
            "ListObjects",
            AwsRouter::new().route(
                "/f",
                get(ok).integration(S3::list_objects("${region}", "${bucket}").credentials(role)),
            ),
            "s3:ListBucket",
            format!("\"{PARTITION}:s3:::${{local.spec_vars.bucket}}\""),
        ),
        (
            "StartExecution",
            AwsRouter::new().route(
                "/s",
                post(ok).integration(
                    StepFunctions::start_execution("${region}", "${machine_arn}").credentials(role),
                ),
            ),
            "states:StartExecution",
            "local.spec_vars.machine_arn".to_owned(),
        ),
        (
            "StartSyncExecution",
            AwsRouter::new().route(
                "/s",
                post(ok).integration(
                    StepFunctions::start_sync_execution("${region}", "${machine_arn}")
                        .credentials(role),
                ),
            ),
            "states:StartSyncExecution",
            "local.spec_vars.machine_arn".to_owned(),
        ),
        (
            "PutEvents",
            AwsRouter::new().route(
                "/e",
                post(ok).integration(PutEvents::new("${region}", "src", "type").credentials(role)),
            ),
            "events:PutEvents",
            format!("\"{PARTITION}:events:{AT}:event-bus/default\""),
        ),
        (
            "Lambda",
            AwsRouter::new().route(
                "/l",
                get(ok).integration(Lambda::new("${fn_invoke_arn}").credentials(role)),
            ),
            "lambda:InvokeFunction",
            "local.functions.fn_invoke_arn".to_owned(),
        ),
    ];
    let mut wrong = Vec::new();
    for (name, router, action, resource) in cases {
        let iam = iam_of(&router);
        let statement = format!("actions   = [\"{action}\"]\n    resources = [{resource}]");
        if !iam.contains(&statement) {
            wrong.push(format!("{name}: expected\n{statement}\nin\n{iam}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

#[test]
fn a_route_removed_removes_its_statement() {
    let table = Table::new(
        "${region}",
        "${items_table}",
        Field::s("pk").from(Source::path("id")),
    );
    let both = AwsRouter::new()
        .route(
            "/i/{id}",
            get(ok).integration(table.clone().get_item().credentials("${role_arn}")),
        )
        .route(
            "/i/{id}",
            delete(ok).integration(table.delete_item().credentials("${role_arn}")),
        );
    let one = AwsRouter::new().route(
        "/i/{id}",
        get(ok).integration(table.get_item().credentials("${role_arn}")),
    );
    let (both, one) = (iam_of(&both), iam_of(&one));
    assert!(
        both.contains("dynamodb:DeleteItem") && both.contains("dynamodb:GetItem"),
        "{both}"
    );
    assert!(
        !one.contains("dynamodb:DeleteItem") && one.contains("dynamodb:GetItem"),
        "{one}"
    );
}

#[test]
fn a_placeholder_used_as_a_lambda_arn_and_a_table_name_is_an_error_naming_its_routes() {
    let table = Table::new(
        "${region}",
        "${thing}",
        Field::s("pk").from(Source::path("id")),
    );
    let router: AwsRouter = AwsRouter::new()
        .route("/a", get(ok).integration(LambdaProxy::new("${thing}")))
        .route(
            "/b/{id}",
            get(ok).integration(table.get_item().credentials("${role_arn}")),
        );
    let spec = router.spec(Info::new("T", "1"));
    let error = module(&spec, ModuleTarget::Rest).unwrap_err().to_string();
    assert!(
        error.contains("${thing}") && error.contains("GET /a") && error.contains("GET /b/{id}"),
        "{error}"
    );
    assert!(
        error.contains("lambda") && error.contains("table"),
        "{error}"
    );
}

#[test]
fn a_resource_the_module_cannot_name_leaves_the_role_to_the_user_with_a_warning() {
    let router: AwsRouter = AwsRouter::new().route(
        "/k",
        post(ok).integration(
            axum_aws::integration::AwsService::new(
                Method::Post,
                "arn:aws:apigateway:${region}:kinesis:action/PutRecord",
            )
            .credentials("${kinesis_role_arn}"),
        ),
    );
    let spec = router.spec(Info::new("T", "1"));
    let (files, warnings) = aws_spec::terraform::generate(&spec, ModuleTarget::Rest).unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("POST /k: the module cannot name")),
        "{warnings:?}"
    );
    let variables = &files
        .iter()
        .find(|f| f.name == "variables.tf")
        .unwrap()
        .content;
    let variable = variables
        .split("variable \"kinesis_role_arn\"")
        .nth(1)
        .unwrap();
    let variable = variable.split("\n}").next().unwrap();
    assert!(!variable.contains("default"), "required: {variable}");
    assert!(!files.iter().any(|f| {
        f.content
            .contains("resource \"aws_iam_role\" \"kinesis_role_arn\"")
    }));
}

#[test]
fn a_bucket_from_the_path_opens_every_bucket_and_warns() {
    let router: AwsRouter = AwsRouter::new().route(
        "/b/{bucket}/{*key}",
        get(ok).integration(
            S3::get_object(
                "${region}",
                PathPart::param("bucket"),
                PathPart::param("key"),
            )
            .credentials("${role_arn}"),
        ),
    );
    let spec = router.spec(Info::new("T", "1"));
    let (_, warnings) = aws_spec::terraform::generate(&spec, ModuleTarget::Rest).unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("GET /b/{bucket}/{key+}") || w.contains("every bucket")),
        "{warnings:?}"
    );
}

/// The real command on the fixture crate: the module written, `--check` clean, then a
/// stale file named with its diff and left as it was.
#[test]
fn the_command_writes_the_module_and_check_reports_a_stale_file() {
    let dir = scratch("terraform_check");
    let out = dir.join("api");
    let out_str = out.to_str().unwrap();
    let args = [
        "terraform",
        "--router",
        ROUTER,
        "--title",
        "Widgets",
        "--api-version",
        "1.2.0",
        "--out",
        out_str,
    ];
    assert_code(&aws_spec_fixture(&args), 0);
    for name in [
        "versions.tf",
        "variables.tf",
        "main.tf",
        "permissions.tf",
        "outputs.tf",
        "README.md",
        "spec/main.tf",
        "spec/spec.json",
    ] {
        assert!(out.join(name).is_file(), "{name} missing");
    }
    let mut check = args.to_vec();
    check.push("--check");
    assert_code(&aws_spec_fixture(&check), 0);

    let main = out.join("main.tf");
    std::fs::write(&main, "# edited\n").unwrap();
    let output = aws_spec_fixture(&check);
    assert_code(&output, 1);
    assert!(
        stderr(&output).contains("out of date") && stderr(&output).contains("main.tf"),
        "{}",
        stderr(&output)
    );
    assert!(stdout(&output).contains("-# edited"), "{}", stdout(&output));
    assert_eq!(std::fs::read_to_string(main).unwrap(), "# edited\n");
}

/// `lint` says where the generated module would open more than a route needs, naming
/// the route, among its own warnings and counted with them (REST and HTTP API; Kong has
/// no module); `aws-spec terraform` prints the same on stderr and still writes it.
#[test]
fn lint_warns_where_the_module_opens_wider_than_the_route() {
    let router = "fixture_service::routes::wide_grant";
    let says = "warning: terraform module: GET /files/{bucket}/{*key}: the bucket is the request's `{bucket}`, so the role may use every bucket of the account (`arn:aws:s3:::*`)";
    let lint = aws_spec_fixture(&["lint", "--router", router]);
    assert_code(&lint, 0);
    let report = stdout(&lint);
    let lines: Vec<&str> = report.lines().map(str::trim_end).collect();
    let line = lines
        .iter()
        .find(|line| line.starts_with("warning: terraform module: "))
        .unwrap_or_else(|| panic!("no module warning:\n{}", stdout(&lint)));
    assert!(line.starts_with(says), "{line}");
    let warnings = lines
        .iter()
        .filter(|line| line.starts_with("warning: "))
        .count();
    assert_eq!(
        lines.last().copied(),
        Some(
            format!(
                "0 errors, {warnings} warning{}",
                if warnings == 1 { "" } else { "s" }
            )
            .as_str()
        ),
        "{}",
        stdout(&lint)
    );

    let dir = scratch("terraform_wide_grant");
    let out = dir.join("api");
    let module = aws_spec_fixture(&[
        "terraform",
        "--router",
        router,
        "--title",
        "Files",
        "--api-version",
        "1",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_code(&module, 0);
    assert!(stderr(&module).contains(line), "{}", stderr(&module));
    assert!(out.join("iam.tf").is_file());

    // Kong has no module.
    let kong = aws_spec_fixture(&["lint", "--router", router, "--target", "kong"]);
    assert!(
        !stdout(&kong).contains("terraform module"),
        "{}",
        stdout(&kong)
    );
}
