//! Direct AWS-service integrations: one router per action, snapshotted as private specs
//! (`services_<action>-private`). `make test` validates and Terraform-renders them,
//! imports them into moto (scripts/tests/moto_import.py), renders every request template
//! with LocalStack's VTL engine (scripts/tests/vtl_services.py) and calls them through
//! LocalStack's API Gateway (scripts/tests/e2e_services.py): those scripts rely on the
//! routes and placeholder names below.

use std::time::Duration;

use axum_aws::integration::{
    Field, IntegrationResponse, KeyCondition, PathPart, PutEvents, Queue, S3, SnsPublish, Source,
    SqsSendMessage, StepFunctions, Table,
};
use axum_aws::routing::{delete, get, patch, post, put};
use axum_aws::{AwsRouter, ErrorKind, Info};
use serde_json::Value;

async fn ok() -> &'static str {
    "ok"
}

fn info(name: &str) -> Info {
    Info::new(format!("services {name}"), "1.0.0").description("Direct AWS service integration")
}

/// The items table: partition key `pk` read from the path, typed fields, TTL.
fn items() -> Table {
    Table::new(
        "${region}",
        "${items_table}",
        Field::s("pk").json_name("id").from(Source::path("id")),
    )
    .field(Field::s("name"))
    .field(Field::n("price"))
    .field(Field::bool("in_stock").json_name("inStock"))
    .ttl("expires_at", Duration::from_secs(7 * 24 * 3600))
}

/// The orders table: customer partition key, order id sort key.
fn orders() -> Table {
    Table::new(
        "${region}",
        "${orders_table}",
        Field::s("customer").from(Source::path("customer")),
    )
    .sort_key(
        Field::s("order_id")
            .json_name("orderId")
            .from(Source::body("$.orderId")),
    )
    .field(Field::n("total"))
    .field(Field::s("note"))
}

/// Every service router, by action (the snapshot names).
pub(crate) fn all() -> Vec<(&'static str, AwsRouter)> {
    let sfn_role = "${apigw_sfn_role_arn}";
    let s3_role = "${apigw_s3_role_arn}";
    let ddb_role = "${apigw_dynamodb_role_arn}";
    let s3_object = |action: fn(&str, &str, PathPart) -> S3| {
        action("${region}", "${bucket}", PathPart::param("key")).credentials(s3_role)
    };
    vec![
        (
            "sfn_start_execution",
            AwsRouter::new().route(
                "/orders/{id}/fulfil",
                post(ok).integration(
                    StepFunctions::start_execution("${region}", "${fulfil_workflow_arn}")
                        .input_field("orderId", Source::path("id"))
                        .input_field("priority", Source::query("priority"))
                        .execution_name(Source::context("requestId"))
                        .credentials(sfn_role),
                ),
            ),
        ),
        (
            "sfn_start_sync_execution",
            AwsRouter::new().route(
                "/quotes",
                post(ok).integration(
                    StepFunctions::start_sync_execution("${region}", "${quote_workflow_arn}")
                        .failed_status(422)
                        .credentials(sfn_role),
                ),
            ),
        ),
        (
            "s3_get_object",
            AwsRouter::new().route(
                "/files/{*key}",
                get(ok).integration(s3_object(|r, b, k| S3::get_object(r, b, k))),
            ),
        ),
        (
            "s3_put_object",
            AwsRouter::new().route(
                "/files/{*key}",
                put(ok).integration(s3_object(|r, b, k| S3::put_object(r, b, k))),
            ),
        ),
        (
            "s3_delete_object",
            AwsRouter::new().route(
                "/files/{*key}",
                delete(ok).integration(s3_object(|r, b, k| S3::delete_object(r, b, k))),
            ),
        ),
        (
            "s3_list_objects",
            AwsRouter::new().route(
                "/files",
                get(ok)
                    .integration(S3::list_objects("${region}", "${bucket}").credentials(s3_role)),
            ),
        ),
        (
            "sns_publish",
            AwsRouter::new().route(
                "/alerts/{level}",
                post(ok).integration(
                    SnsPublish::new("${region}", "${alerts_topic_arn}")
                        .subject(Source::template(
                            "[$input.params('level')] $input.path('$.title')",
                        ))
                        .message(Source::body("$.text"))
                        .attribute("level", Source::path("level"))
                        .credentials("${apigw_sns_role_arn}"),
                ),
            ),
        ),
        (
            "sqs_send_message",
            AwsRouter::new().route(
                "/jobs",
                post(ok).integration(
                    SqsSendMessage::new(
                        "${region}",
                        Queue::new("${account_id}", "${jobs_queue_name}"),
                    )
                    .attribute("requestId", Source::context("requestId"))
                    .credentials("${apigw_sqs_role_arn}"),
                ),
            ),
        ),
        (
            "sqs_send_message_fifo",
            AwsRouter::new().route(
                "/tenants/{tenant}/events",
                post(ok).integration(
                    SqsSendMessage::new("${region}", Queue::url("${events_queue_url}"))
                        .message(Source::body("$.event"))
                        .group_id(Source::path("tenant"))
                        .deduplication_id(Source::header("Idempotency-Key"))
                        .credentials("${apigw_sqs_role_arn}"),
                ),
            ),
        ),
        (
            "dynamodb_put_item",
            AwsRouter::new().route(
                "/items/{id}",
                put(ok).integration(items().put_item().credentials(ddb_role)),
            ),
        ),
        (
            "dynamodb_get_item",
            AwsRouter::new().route(
                "/items/{id}",
                get(ok).integration(items().get_item().credentials(ddb_role)),
            ),
        ),
        (
            "dynamodb_update_item",
            AwsRouter::new().route(
                "/items/{id}",
                patch(ok).integration(items().update_item().credentials(ddb_role)),
            ),
        ),
        (
            "dynamodb_delete_item",
            AwsRouter::new().route(
                "/items/{id}",
                delete(ok).integration(items().delete_item().credentials(ddb_role)),
            ),
        ),
        (
            "dynamodb_query",
            AwsRouter::new()
                .route(
                    "/customers/{customer}/orders",
                    get(ok).integration(
                        orders()
                            .query()
                            .sort_condition(KeyCondition::begins_with(Source::query("prefix")))
                            .credentials(ddb_role),
                    ),
                )
                .route(
                    "/customers/{customer}/orders",
                    post(ok).integration(orders().put_item().credentials(ddb_role)),
                ),
        ),
        (
            "eventbridge_put_events",
            AwsRouter::new().route(
                "/events/{kind}",
                post(ok).integration(
                    PutEvents::new("${region}", "shop.orders", "unused")
                        .detail_type(Source::path("kind"))
                        .bus("${event_bus_name}")
                        .resource(Source::body("$.orderArn"))
                        .credentials("${apigw_events_role_arn}"),
                ),
            ),
        ),
    ]
}

#[test]
fn service_specs() {
    for (name, router) in all() {
        let spec = router.spec(info(name));
        let private = spec
            .render_private()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        insta::assert_snapshot!(format!("services_{name}-private"), private.to_json());
        // What the gateway sends, as clients read it (statuses from the integration
        // responses: scripts/check-specs.py compares them).
        let public = spec
            .render_public()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        insta::assert_snapshot!(format!("services_{name}-public"), public.to_json());
    }
}

/// Every status an integration response selects, directly or through
/// `$context.responseOverride.status`, is a declared method response.
#[test]
fn every_selected_status_is_a_method_response() {
    for (name, router) in all() {
        let private = router.spec(info(name)).render_private().unwrap().to_value();
        for (path, item) in private["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let integration = &op["x-amazon-apigateway-integration"];
                let declared = op["responses"].as_object().unwrap();
                for response in integration["responses"].as_object().unwrap().values() {
                    let status = response["statusCode"].as_str().unwrap();
                    assert!(
                        declared.contains_key(status),
                        "{name} {method} {path}: {status}"
                    );
                    let templates = response["responseTemplates"].as_object();
                    for template in templates.into_iter().flat_map(|t| t.values()) {
                        for overridden in override_statuses(template.as_str().unwrap()) {
                            assert!(
                                declared.contains_key(&overridden),
                                "{name} {method} {path}: override {overridden}"
                            );
                        }
                    }
                }
            }
        }
    }
}

fn override_statuses(template: &str) -> Vec<String> {
    template
        .split("responseOverride.status = ")
        .skip(1)
        .map(|rest| rest.chars().take_while(char::is_ascii_digit).collect())
        .collect()
}

/// No hard-coded region or `${region}`: a literal region is kept as given.
#[test]
fn region_is_the_callers() {
    let router: AwsRouter = AwsRouter::new().route(
        "/items/{id}",
        get(ok).integration(
            Table::new(
                "eu-central-1",
                "items",
                Field::s("id").from(Source::path("id")),
            )
            .get_item()
            .credentials("arn:aws:iam::123456789012:role/apigw"),
        ),
    );
    let spec = router.spec(info("region"));
    let private = spec.render_private().unwrap().to_value();
    let integration = &private["paths"]["/items/{id}"]["get"]["x-amazon-apigateway-integration"];
    assert_eq!(
        integration["uri"],
        "arn:aws:apigateway:eu-central-1:dynamodb:action/GetItem"
    );
    assert!(spec.placeholders().is_empty());
}

#[test]
fn service_integrations_need_an_execution_role() {
    let router: AwsRouter = AwsRouter::new().route(
        "/alerts",
        post(ok).integration(SnsPublish::new("${region}", "${topic_arn}")),
    );
    let errors = router.spec(info("role")).render_private().unwrap_err();
    assert_eq!(errors.errors().len(), 1, "{errors}");
    assert_eq!(errors.errors()[0].kind(), ErrorKind::Integration);
    assert!(
        errors.to_string().contains("needs an execution role"),
        "{errors}"
    );

    // A router default role is enough.
    let router = router.default_credentials("${role_arn}");
    router.spec(info("role")).render_private().unwrap();
}

#[test]
fn s3_key_parameter_must_be_a_route_parameter() {
    let router: AwsRouter = AwsRouter::new().route(
        "/files/{name}",
        get(ok).integration(
            S3::get_object("${region}", "${bucket}", PathPart::param("key")).credentials("${role}"),
        ),
    );
    let errors = router.spec(info("s3")).render_private().unwrap_err();
    assert_eq!(errors.errors().len(), 1, "{errors}");
    assert!(
        errors.to_string().contains(
            "reads \"method.request.path.key\", but the route has no path parameter {key}"
        ),
        "{errors}"
    );
}

/// The user's own knobs win over the generated ones, pattern by pattern.
#[test]
fn user_knobs_override_generated_ones() {
    let router: AwsRouter = AwsRouter::new().route(
        "/items/{id}",
        put(ok).integration(
            items()
                .put_item()
                .credentials("${role}")
                .response(
                    IntegrationResponse::default_status(201).template("application/json", "{}"),
                )
                .timeout(Duration::from_secs(5)),
        ),
    );
    let private = router
        .spec(info("knobs"))
        .render_private()
        .unwrap()
        .to_value();
    let op = &private["paths"]["/items/{id}"]["put"];
    let integration = &op["x-amazon-apigateway-integration"];
    assert_eq!(integration["responses"]["default"]["statusCode"], "201");
    assert_eq!(integration["timeoutInMillis"], 5000);
    assert!(op["responses"].get("201").is_some());
    // The generated error mappings stay.
    assert_eq!(integration["responses"]["4\\d{2}"]["statusCode"], "400");
}

/// Query-string and header values mapped through requestParameters are declared as
/// method request parameters (API Gateway rejects the mapping otherwise).
#[test]
fn mapped_request_parameters_are_declared() {
    let routers = all();
    let parameters = |name: &str, path: &str, method: &str| -> Vec<(String, String)> {
        let router = &routers.iter().find(|(n, _)| *n == name).unwrap().1;
        let private = router.spec(info(name)).render_private().unwrap().to_value();
        private["paths"][path][method]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p: &Value| {
                (
                    p["in"].as_str().unwrap().to_owned(),
                    p["name"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let list = parameters("s3_list_objects", "/files", "get");
    for name in ["prefix", "max-keys", "continuation-token", "start-after"] {
        assert!(list.contains(&("query".into(), name.into())), "{list:?}");
    }
    let put = parameters("s3_put_object", "/files/{key+}", "put");
    assert!(
        put.contains(&("header".into(), "Content-Type".into())),
        "{put:?}"
    );
    assert!(put.contains(&("path".into(), "key".into())), "{put:?}");
}

#[test]
#[should_panic(expected = "\"name\" is not a key of table \"${items_table}\"")]
fn a_key_source_for_an_attribute_that_is_not_a_key_panics_where_declared() {
    let _ = items().get_item().key("name", Source::path("name"));
}

/// Each typed builder stays itself in the model (the action, not its VTL), through the
/// JSON round trip the CLI reads, and renders the same private spec afterwards.
#[test]
fn typed_service_actions_keep_their_intent_in_the_model() {
    use axum_aws::ApiSpec;
    use axum_aws::integration::Integration;

    let kind = |integration: &Integration| match integration {
        Integration::StepFunctions(_) => "sfn",
        Integration::S3(_) => "s3",
        Integration::SnsPublish(_) => "sns",
        Integration::SqsSendMessage(_) => "sqs",
        Integration::DynamoDb(_) => "dynamodb",
        Integration::PutEvents(_) => "eventbridge",
        _ => "generic",
    };
    for (name, router) in all() {
        let spec = router.spec(info(name));
        for route in &spec.routes {
            let integration = route.integration.as_ref().unwrap();
            assert!(
                name.starts_with(kind(integration)),
                "{name}: {} is {integration:?}",
                route.label()
            );
            assert!(integration.to_aws_service().is_some(), "{name}");
        }
        let back: ApiSpec = serde_json::from_str(&serde_json::to_string(&spec).unwrap()).unwrap();
        assert_eq!(back, spec, "{name}");
        assert_eq!(
            back.render_private().unwrap().to_json(),
            spec.render_private().unwrap().to_json(),
            "{name}"
        );
    }
}
