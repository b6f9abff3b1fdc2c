//! The AWS calls of `deploy`: find the API, read its routes for a dry run, import or put
//! the rendered spec, create the deployment. Credentials and region come from the
//! standard chain (aws-config); `--endpoint-url` points the client at an emulator.

use std::collections::BTreeMap;
use std::io::Write as _;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_apigateway::Client;
use aws_sdk_apigateway::config::http::HttpResponse;
use aws_sdk_apigateway::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_apigateway::operation::get_integration::GetIntegrationOutput;
use aws_sdk_apigateway::primitives::Blob;
use aws_sdk_apigateway::types::PutMode;
use serde_json::{Map, Value};

use super::diff::{self, Diff, Routes};
use super::{Plan, invoke_url, keep_spec};
use crate::Error;
use crate::cli::{DeployArgs, DeployMode};

/// The API that will be updated.
#[derive(Debug)]
pub(super) struct Api {
    pub(super) id: String,
    pub(super) name: String,
}

/// Runs the deployment (or the dry run) on a current-thread runtime.
pub(super) fn run(plan: Plan, args: &DeployArgs) -> Result<(), Error> {
    block_on(deploy(plan, args))
}

/// Runs one deployment future on a current-thread runtime (both targets' `run`).
pub(super) fn block_on(deployment: impl Future<Output = Result<(), Error>>) -> Result<(), Error> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Deploy(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(deployment)
}

/// The SDK configuration from the standard chain, `--region` and `--endpoint-url`, and
/// its region (required: the invoke URL and the messages name it).
pub(super) async fn sdk_config(args: &DeployArgs) -> Result<(SdkConfig, String), Error> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(region) = &args.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(url) = &args.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let config = loader.load().await;
    let region = config.region().map(ToString::to_string).ok_or_else(|| {
        Error::Usage(
            "no AWS region: give --region, or set AWS_REGION or a region in the AWS profile"
                .to_owned(),
        )
    })?;
    Ok((config, region))
}

/// The one API of `ids` named `name` (`None`: none is, create it); several is an error
/// naming them. `kind` is "REST API" or "HTTP API".
pub(super) fn one_named(
    ids: &[String],
    name: &str,
    kind: &str,
    region: &str,
) -> Result<Option<Api>, Error> {
    match ids {
        [] => Ok(None),
        [id] => Ok(Some(Api {
            id: id.clone(),
            name: name.to_owned(),
        })),
        ids => Err(Error::Deploy(format!(
            "{} {kind}s in {region} are named {name:?} ({}): choose one with --rest-api-id",
            ids.len(),
            ids.join(", ")
        ))),
    }
}

async fn deploy(mut plan: Plan, args: &DeployArgs) -> Result<(), Error> {
    let (config, region) = sdk_config(args).await?;
    let client = Client::new(&config);

    let existing = find(&client, args, &region).await?;
    if let (None, None, Some(api)) = (&args.title, &args.api_name, &existing) {
        // --rest-api-id without --title: keep the API's name.
        plan.retitle(&api.name)?;
    }
    keep_spec(args.keep_spec.as_deref(), &plan.body)?;

    if args.dry_run {
        let deployed = match &existing {
            Some(api) => Some(read_routes(&client, &api.id).await?),
            None => None,
        };
        let diff = Diff::new(&plan.routes(), deployed.as_ref(), args.mode);
        let head = match &existing {
            None => format!(
                "would create REST API {:?} in {region} and deploy stage {:?}",
                plan.title, args.stage
            ),
            Some(api) => format!(
                "would update REST API {:?} ({}) in {region} ({}) and deploy stage {:?}",
                api.name,
                api.id,
                mode_name(args.mode),
                args.stage
            ),
        };
        return print_stdout(&format!("{head}\n{diff}\ndry run: nothing was written\n"));
    }

    let body = Blob::new(plan.body.as_bytes());
    let (api, warnings, verb) = match existing {
        None => {
            let mut call = client.import_rest_api().body(body).fail_on_warnings(false);
            if let Some(kind) = plan.endpoint_type {
                call = call.parameters("endpointConfigurationTypes", kind);
            }
            let created = call
                .send()
                .await
                .map_err(|e| aws_error("import_rest_api", &e))?;
            let api = Api {
                id: created.id().unwrap_or_default().to_owned(),
                name: created.name().unwrap_or_default().to_owned(),
            };
            (api, created.warnings().to_vec(), "created".to_owned())
        }
        Some(api) => {
            let mode = match args.mode {
                DeployMode::Overwrite => PutMode::Overwrite,
                DeployMode::Merge => PutMode::Merge,
            };
            let updated = client
                .put_rest_api()
                .rest_api_id(&api.id)
                .mode(mode)
                .fail_on_warnings(false)
                .body(body)
                .send()
                .await
                .map_err(|e| aws_error("put_rest_api", &e))?;
            let verb = format!("updated ({})", mode_name(args.mode));
            (api, updated.warnings().to_vec(), verb)
        }
    };
    let mut log = String::new();
    for warning in &warnings {
        log.push_str(&format!("warning: API Gateway: {warning}\n"));
    }
    log.push_str(&format!(
        "aws-spec: {verb} REST API {:?} ({})\n",
        api.name, api.id
    ));
    print_stderr(&log);

    let deployment = client
        .create_deployment()
        .rest_api_id(&api.id)
        .stage_name(&args.stage)
        .description("aws-spec deploy")
        .send()
        .await
        .map_err(|e| aws_error("create_deployment", &e))?;
    print_stderr(&format!(
        "aws-spec: deployed stage {:?} (deployment {})\n",
        args.stage,
        deployment.id().unwrap_or_default()
    ));
    print_stdout(&format!("{}\n", invoke_url(&api.id, &region, &args.stage)))
}

fn mode_name(mode: DeployMode) -> &'static str {
    match mode {
        DeployMode::Overwrite => "overwrite",
        DeployMode::Merge => "merge",
    }
}

/// The API with `--rest-api-id`, or the one named `--api-name` (`None`: create it).
async fn find(client: &Client, args: &DeployArgs, region: &str) -> Result<Option<Api>, Error> {
    if let Some(id) = &args.rest_api_id {
        return match client.get_rest_api().rest_api_id(id).send().await {
            Ok(api) => Ok(Some(Api {
                id: id.clone(),
                name: api.name().unwrap_or_default().to_owned(),
            })),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_not_found_exception()) =>
            {
                Err(Error::Deploy(format!(
                    "no REST API with id {id:?} in {region}"
                )))
            }
            Err(e) => Err(aws_error("get_rest_api", &e)),
        };
    }
    let name = args.api_name.as_deref().unwrap_or_default();
    let apis = client
        .get_rest_apis()
        .limit(500)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| aws_error("get_rest_apis", &e))?;
    let named: Vec<String> = apis
        .iter()
        .filter(|api| api.name() == Some(name))
        .filter_map(|api| api.id().map(str::to_owned))
        .collect();
    one_named(&named, name, "REST API", region)
}

/// The deployed routes: get_resources, then get_integration for each method.
async fn read_routes(client: &Client, rest_api_id: &str) -> Result<Routes, Error> {
    let resources = client
        .get_resources()
        .rest_api_id(rest_api_id)
        .embed("methods")
        .limit(500)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| aws_error("get_resources", &e))?;
    let mut routes = Routes::default();
    let mut per_path: BTreeMap<&str, usize> = BTreeMap::new();
    for resource in &resources {
        let (Some(path), Some(resource_id)) = (resource.path(), resource.id()) else {
            continue;
        };
        *per_path.entry(path).or_default() += 1;
        let mut methods: Vec<&String> = resource
            .resource_methods()
            .map(|methods| methods.keys().collect())
            .unwrap_or_default();
        methods.sort();
        for method in methods {
            let answer = client
                .get_integration()
                .rest_api_id(rest_api_id)
                .resource_id(resource_id)
                .http_method(method)
                .send()
                .await;
            let integration = match answer {
                Ok(integration) => integration_json(&integration),
                // A method without an integration.
                Err(e)
                    if e.as_service_error()
                        .is_some_and(|e| e.is_not_found_exception()) =>
                {
                    Value::Null
                }
                Err(e) => return Err(aws_error("get_integration", &e)),
            };
            routes.insert(path, method, diff::integration_from_json(&integration));
        }
    }
    for (path, count) in per_path {
        if count > 1 {
            routes.duplicate_path(path, count);
        }
    }
    Ok(routes)
}

/// get_integration's answer in REST API JSON form (the names the spec uses).
fn integration_json(integration: &GetIntegrationOutput) -> Value {
    let mut json = Map::new();
    let mut text = |field: &str, value: Option<&str>| {
        if let Some(value) = value {
            json.insert(field.to_owned(), value.into());
        }
    };
    text("type", integration.r#type().map(|t| t.as_str()));
    text("httpMethod", integration.http_method());
    text("uri", integration.uri());
    text("credentials", integration.credentials());
    text(
        "connectionType",
        integration.connection_type().map(|c| c.as_str()),
    );
    text("connectionId", integration.connection_id());
    text("passthroughBehavior", integration.passthrough_behavior());
    text(
        "contentHandling",
        integration.content_handling().map(|c| c.as_str()),
    );
    if integration.timeout_in_millis() != 0 {
        json.insert(
            "timeoutInMillis".to_owned(),
            integration.timeout_in_millis().into(),
        );
    }
    let sorted = |map: &std::collections::HashMap<String, String>| -> Value {
        let sorted: BTreeMap<&String, &String> = map.iter().collect();
        serde_json::to_value(sorted).unwrap_or(Value::Null)
    };
    if let Some(parameters) = integration.request_parameters() {
        json.insert("requestParameters".to_owned(), sorted(parameters));
    }
    if let Some(templates) = integration.request_templates() {
        json.insert("requestTemplates".to_owned(), sorted(templates));
    }
    if let Some(responses) = integration.integration_responses() {
        let responses: Map<String, Value> = responses
            .iter()
            .map(|(status, response)| {
                let mut entry = Map::new();
                entry.insert(
                    "statusCode".to_owned(),
                    response.status_code().unwrap_or(status).into(),
                );
                if let Some(pattern) = response.selection_pattern() {
                    entry.insert("selectionPattern".to_owned(), pattern.into());
                }
                (status.clone(), Value::Object(entry))
            })
            .collect();
        json.insert("integrationResponses".to_owned(), Value::Object(responses));
    }
    Value::Object(json)
}

/// `call: Code: message`, the service's own words; the HTTP status and the error chain
/// when the answer carries no error code (an emulator's crash, a network failure).
pub(super) fn aws_error<E>(call: &str, error: &SdkError<E, HttpResponse>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let text = match (error.code(), error.message()) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (None, Some(message)) => message.to_owned(),
        (Some(code), None) => code.to_owned(),
        (None, None) => match error.raw_response() {
            Some(response) => format!(
                "HTTP {} ({})",
                response.status().as_u16(),
                DisplayErrorContext(error)
            ),
            None => DisplayErrorContext(error).to_string(),
        },
    };
    Error::Deploy(format!("{call}: {text}"))
}

pub(super) fn print_stdout(text: &str) -> Result<(), Error> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|source| Error::Io {
            path: "-".into(),
            source,
        })
}

pub(super) fn print_stderr(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}
