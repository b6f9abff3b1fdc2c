use axum_aws::ApiSpec;

use crate::scenarios;

#[test]
fn spec_model_round_trips_through_json() {
    for (name, router) in scenarios::all() {
        let spec = router.spec(scenarios::info());
        let json = serde_json::to_string(&spec).unwrap();
        let back: ApiSpec = serde_json::from_str(&json).unwrap();
        assert_eq!(back, spec, "{name}");
        assert_eq!(
            back.render_private().unwrap().to_json(),
            spec.render_private().unwrap().to_json(),
            "{name}"
        );
    }
}

#[test]
fn placeholders_list_every_variable_with_its_routes() {
    let spec = scenarios::composition().spec(scenarios::info());
    let placeholders = spec.placeholders();
    let names: Vec<&str> = placeholders.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "api_invoke_arn",
            "apigw_role_arn",
            "export_state_machine_arn",
            "region",
            "user_pool_arn",
            "widgets_invoke_arn"
        ]
    );
    let users: Vec<&str> = placeholders["widgets_invoke_arn"]
        .iter()
        .map(String::as_str)
        .collect();
    assert_eq!(
        users,
        [
            "GET /v1/widgets",
            "GET /v1/widgets/{name}",
            "PUT /v1/widgets/{name}"
        ]
    );
    // Every placeholder the private document uses is listed, and nothing else.
    let private = spec.render_private().unwrap().to_json();
    let mut in_document: Vec<String> = private
        .match_indices("${")
        .filter(|(i, _)| *i == 0 || &private[i - 1..*i] != "$")
        .map(|(i, _)| private[i + 2..i + private[i..].find('}').unwrap()].to_owned())
        .collect();
    in_document.sort();
    in_document.dedup();
    assert_eq!(in_document, names);
}

/// Documents a widget, for [`every_field`]'s docs. Its path is not the route's: the
/// model keeps the mismatch (`declaredFor`) for the check to report.
#[utoipa::path(put, path = "/contract/elsewhere", params(("name" = String, Path, description = "Widget name"), ("dry_run" = Option<bool>, Query, deprecated)),
    request_body(content = scenarios::Widget, description = "The widget"),
    responses((status = 200, description = "Stored", body = scenarios::Widget, headers(("ETag" = String, description = "Version"))), (status = 422, description = "Invalid widget")))]
#[allow(dead_code)]
async fn documented() {}

/// An extractor that opts out of documenting itself (the model lists it as undocumented).
struct TraceId;

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for TraceId {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        _: &mut http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(TraceId)
    }
}

impl axum_aws::doc::OperationInput for TraceId {}

/// Inferred docs: a JSON body (with its rejections) and an undocumented extractor.
async fn inferred(
    _: TraceId,
    axum::Json(widget): axum::Json<scenarios::Widget>,
) -> axum::Json<scenarios::Widget> {
    axum::Json(widget)
}

/// A model that sets every field of the spec model and uses every variant, for the
/// contract's shape snapshot. A field or variant added to the model is added here in the
/// same commit (with the `FORMAT_VERSION` bump, see `axum_aws::exchange`).
fn every_field() -> axum_aws::exchange::ModelFile {
    use axum_aws::auth::{
        Authorizer, CognitoAuthorizer, Grant, IdentitySource, JwtAuthorizer, LambdaAuthorizer,
        Security,
    };
    use axum_aws::integration::{
        AwsService, ContentHandling, Field, Http, IntegrationResponse, KeyCondition, Lambda,
        LambdaProxy, Mock, Passthrough, PathPart, PayloadFormat, PutEvents, Queue, S3, SnsPublish,
        Source, SqsSendMessage, StepFunctions, Table,
    };
    use axum_aws::routing::{any, delete, get, head, options, patch, post, put};
    use axum_aws::{
        ApiKeySource, ApiSettings, AwsRouter, Cors, GatewayResponse, Info, Method,
        RequestValidator, ResourcePolicy,
    };
    use std::time::Duration;

    async fn ok() -> &'static str {
        "ok"
    }
    let table = || {
        Table::new(
            "${region}",
            "${table}",
            Field::s("pk").json_name("id").from(Source::path("id")),
        )
        .sort_key(Field::n("sk").from(Source::query("sk")))
        .field(Field::bool("flag").from(Source::header("X-Flag")))
        .field(Field::s("note").from(Source::whole_body()))
        .ttl("expires_at", Duration::from_secs(60))
    };
    let lambda_authorizer = LambdaAuthorizer::request(
        "requestAuth",
        "${authorizer_invoke_arn}",
        [
            IdentitySource::header("Authorization"),
            IdentitySource::query("tenant"),
            IdentitySource::context("identity.sourceIp"),
            IdentitySource::stage_variable("realm"),
        ],
    )
    .ttl(Duration::from_secs(60))
    .credentials("${authorizer_role_arn}")
    .payload_format(PayloadFormat::V2)
    .simple_responses();
    let token = LambdaAuthorizer::token("tokenAuth", "${authorizer_invoke_arn}")
        .header("X-Token")
        .validation_expression("^Bearer .+$");
    let security = Security::all([
        Grant::new(CognitoAuthorizer::new("users", ["${user_pool_arn}"]).header("X-Auth"))
            .scopes(["widgets/write"]),
        Authorizer::api_key().into(),
    ])
    .or(Grant::new(
        JwtAuthorizer::new("jwt", "${issuer}", ["${audience}"]).header("X-Jwt"),
    ))
    .or(Authorizer::from(lambda_authorizer))
    .or(Authorizer::from(token))
    .or(Authorizer::iam());
    let error_response = IntegrationResponse::new("4\\d{2}", 400)
        .header("X-Error", "'yes'")
        .template("application/json", r#"{"error": true}"#)
        .content_handling(ContentHandling::ConvertToText)
        .may_override_status(409);
    let router: AwsRouter = AwsRouter::new()
        .route(
            "/contract/{name}",
            put(ok)
                .doc::<__path_documented>()
                .integration(
                    LambdaProxy::new("${api_invoke_arn}")
                        .payload_format(PayloadFormat::V1)
                        .credentials("${invoke_role_arn}")
                        .timeout(Duration::from_secs(10))
                        .passthrough(Passthrough::WhenNoTemplates)
                        .content_handling(ContentHandling::ConvertToBinary)
                        .cache_key_parameter("method.request.path.name")
                        .cache_namespace("widgets")
                        .request_parameter(
                            "integration.request.header.X-Name",
                            "method.request.path.name",
                        )
                        .request_template("application/json", "$input.body")
                        .response(error_response)
                        .success_status(201),
                )
                .auth(security)
                .cors(
                    Cors::new()
                        .allow_origins(["https://app.example.com", "${partner_origin}"])
                        .allow_methods([Method::Put, Method::Get])
                        .allow_headers(["Content-Type"])
                        .expose_headers(["X-Request-Id"])
                        .max_age(Duration::from_secs(600))
                        .allow_credentials(true),
                )
                .tag("contract")
                .operation_id("putContract")
                .summary("Every field")
                .description("A route that sets everything")
                .deprecated()
                .request_validator("all")
                .throttle(12.5, 25)
                .schema::<scenarios::Color>(),
        )
        .route(
            "/contract/lambda",
            post(ok).integration(
                Lambda::function("${region}", "${fn_arn}")
                    .asynchronous()
                    .response(IntegrationResponse::default_status(202)),
            ),
        )
        .route(
            "/contract/http",
            get(ok).integration(
                Http::proxy(Method::Get, "https://${host}/{proxy}")
                    .vpc_link("${vpc_link_id}")
                    .insecure_skip_verification(),
            ),
        )
        .route(
            "/contract/http-custom",
            patch(ok).integration(Http::custom(Method::Post, "https://example.com/x")),
        )
        .route(
            "/contract/mock",
            head(ok).integration(
                Mock::new(200)
                    .header("X-Mock", "'1'")
                    .body("application/json", "{}"),
            ),
        )
        .route(
            "/contract/aws",
            delete(ok).integration(AwsService::action("${region}", "kinesis", "PutRecord")),
        )
        .route(
            "/contract/aws-path",
            options(ok).integration(AwsService::path(
                Method::Get,
                "${region}",
                "s3",
                "{bucket}/{key}",
            )),
        )
        .route(
            "/contract/sfn",
            post(ok).integration(
                StepFunctions::start_execution("${region}", "${sfn_arn}")
                    .input_field("id", Source::path("id"))
                    .execution_name(Source::context("requestId")),
            ),
        )
        .route(
            "/contract/sfn-sync",
            put(ok).integration(
                StepFunctions::start_sync_execution("${region}", "${sfn_arn}")
                    .failed_status(422)
                    .timed_out_status(504),
            ),
        )
        .route(
            "/contract/s3/{*key}",
            get(ok).integration(
                S3::get_object("${region}", "${bucket}", PathPart::param("key")).base64(),
            ),
        )
        .route(
            "/contract/s3-fixed",
            put(ok).integration(S3::put_object("${region}", "${bucket}", "${prefix}/object")),
        )
        .route(
            "/contract/s3-list",
            get(ok).integration(S3::list_objects("${region}", "${bucket}").key_prefix("reports/")),
        )
        .route(
            "/contract/s3-delete/{key}",
            delete(ok).integration(S3::delete_object(
                "${region}",
                "${bucket}",
                PathPart::param("key"),
            )),
        )
        .route(
            "/contract/sns",
            post(ok).integration(
                SnsPublish::new("${region}", "${topic_arn}")
                    .subject(Source::literal("${subject}"))
                    .message(Source::body("$.text"))
                    .attribute("level", Source::template("$input.params('level')")),
            ),
        )
        .route(
            "/contract/sqs",
            post(ok).integration(
                SqsSendMessage::new("${region}", Queue::new("${account_id}", "${queue_name}"))
                    .attribute("id", Source::context("requestId")),
            ),
        )
        .route(
            "/contract/sqs-fifo",
            put(ok).integration(
                SqsSendMessage::new("${region}", Queue::url("${queue_url}"))
                    .message(Source::body("$.event"))
                    .group_id(Source::path("tenant"))
                    .deduplication_id(Source::header("Idempotency-Key")),
            ),
        )
        .route(
            "/contract/items/{id}",
            put(ok).integration(table().put_item()),
        )
        .route(
            "/contract/items/{id}",
            get(ok).integration(table().get_item()),
        )
        .route(
            "/contract/items/{id}",
            patch(ok).integration(table().update_item()),
        )
        .route(
            "/contract/items/{id}",
            delete(ok).integration(table().delete_item()),
        )
        .route(
            "/contract/items",
            get(ok).integration(table().query().sort_condition(KeyCondition::between(
                Source::query("from"),
                Source::query("to"),
            ))),
        )
        .route(
            "/contract/items-eq",
            get(ok).integration(
                table()
                    .query()
                    .index("by-sk")
                    .key("sk", Source::query("sk"))
                    .sort_condition(KeyCondition::equals(Source::query("sk"))),
            ),
        )
        .route(
            "/contract/items-prefix",
            get(ok).integration(
                table()
                    .query()
                    .sort_condition(KeyCondition::begins_with(Source::query("prefix"))),
            ),
        )
        .route(
            "/contract/events",
            post(ok).integration(
                PutEvents::new("${region}", "shop", "order")
                    .detail_type(Source::path("kind"))
                    .source(Source::literal("shop.orders"))
                    .detail_path("$.detail")
                    .bus("${bus}")
                    .resource(Source::body("$.arn")),
            ),
        )
        .route("/contract/any", any(ok).public())
        .route(
            "/contract/inferred",
            post(inferred).status(201).responds_empty(409, "Exists"),
        )
        .default_route(any(ok))
        .default_throttle(100, 200)
        .settings(
            ApiSettings::new()
                .server_url("https://api.example.com")
                .binary_media_types(["image/png"])
                .minimum_compression_size(1024)
                .api_key_source(ApiKeySource::Authorizer)
                .private_endpoint(["${vpc_endpoint_id}"])
                .disable_execute_api_endpoint()
                .policy(
                    ResourcePolicy::from_json(r#"{"Version": "2012-10-17", "Statement": []}"#)
                        .unwrap(),
                )
                .request_validator("all", RequestValidator::all())
                .default_request_validator("all")
                .gateway_response(
                    "DEFAULT_4XX",
                    GatewayResponse::new()
                        .status(400)
                        .header("X-Error", "yes")
                        .template("application/json", "{}"),
                ),
        );
    axum_aws::exchange::ModelFile::new(
        "axum-aws 0.1.0",
        router.spec(Info::new("Contract", "1.0.0").description("Every field")),
    )
}

/// The loader contract's shape, pinned (as cargo-dist pins its manifest's schema): the
/// model file of a model that sets every field, as JSON. A change here is a change of
/// the model format: bump `FORMAT_VERSION` and update this snapshot in the same commit.
#[test]
fn the_model_file_shape_is_pinned() {
    let model = every_field();
    let json = serde_json::to_string_pretty(&model).unwrap();
    insta::assert_snapshot!(
        format!("model-file-format-{}", axum_aws::exchange::FORMAT_VERSION),
        json
    );
    let back: axum_aws::exchange::ModelFile = serde_json::from_str(&json).unwrap();
    assert_eq!(back, model, "the model file reads back equal");
}
