//! The AWS calls of `deploy --target http-api`: find the HTTP API, create it
//! (`create_api`) or reimport the rendered spec into it (`reimport_api`, which replaces
//! its routes and integrations), then make sure the stage exists with auto-deploy, which
//! puts the reimport live. Terraform's aws_apigatewayv2_api does the same create +
//! reimport; moto has no `import_api` either.

use std::collections::BTreeSet;

use aws_sdk_apigatewayv2::Client;
use serde_json::Value;

use super::aws::{Api, aws_error, block_on, one_named, print_stderr, print_stdout, sdk_config};
use super::{Plan, http_api_invoke_url, keep_spec};
use crate::Error;
use crate::cli::DeployArgs;

/// Runs the deployment (or the dry run) on a current-thread runtime.
pub(super) fn run(plan: Plan, args: &DeployArgs) -> Result<(), Error> {
    block_on(deploy(plan, args))
}

async fn deploy(mut plan: Plan, args: &DeployArgs) -> Result<(), Error> {
    let (config, region) = sdk_config(args).await?;
    let client = Client::new(&config);

    let existing = find(&client, args, &region).await?;
    if let (None, None, Some(api)) = (&args.title, &args.api_name, &existing) {
        plan.retitle(&api.name)?;
    }
    keep_spec(args.keep_spec.as_deref(), &plan.body)?;

    if args.dry_run {
        let wanted = route_keys(&plan.body);
        let (head, deployed) = match &existing {
            None => (
                format!(
                    "would create HTTP API {:?} in {region} with stage {:?} (auto-deploy)",
                    plan.title, args.stage
                ),
                BTreeSet::new(),
            ),
            Some(api) => (
                format!(
                    "would reimport HTTP API {:?} ({}) in {region} (its routes replaced) with stage {:?} (auto-deploy)",
                    api.name, api.id, args.stage
                ),
                deployed_route_keys(&client, &api.id).await?,
            ),
        };
        let mut text = format!("{head}\n");
        for key in wanted.difference(&deployed) {
            text.push_str(&format!("+ {key}\n"));
        }
        for key in deployed.difference(&wanted) {
            text.push_str(&format!("- {key}\n"));
        }
        text.push_str("dry run: nothing was written\n");
        return print_stdout(&text);
    }

    let (api, verb) = match existing {
        Some(api) => (api, "reimported"),
        None => {
            let created = client
                .create_api()
                .name(&plan.title)
                .protocol_type(aws_sdk_apigatewayv2::types::ProtocolType::Http)
                .send()
                .await
                .map_err(|e| aws_error("create_api", &e))?;
            let api = Api {
                id: created.api_id().unwrap_or_default().to_owned(),
                name: created.name().unwrap_or_default().to_owned(),
            };
            (api, "created")
        }
    };
    let imported = client
        .reimport_api()
        .api_id(&api.id)
        .body(&plan.body)
        .fail_on_warnings(false)
        .send()
        .await
        .map_err(|e| aws_error("reimport_api", &e))?;
    let mut log = String::new();
    for warning in imported.warnings() {
        log.push_str(&format!("warning: API Gateway: {warning}\n"));
    }
    log.push_str(&format!(
        "aws-spec: {verb} HTTP API {:?} ({})\n",
        api.name, api.id
    ));
    print_stderr(&log);

    // The stage: created when missing (a reimport may have dropped it: moto's does),
    // switched to auto-deploy when it is not, so the reimport goes live.
    let stage = client
        .get_stage()
        .api_id(&api.id)
        .stage_name(&args.stage)
        .send()
        .await;
    match stage {
        Ok(stage) if stage.auto_deploy() == Some(true) => {}
        Ok(_) => {
            client
                .update_stage()
                .api_id(&api.id)
                .stage_name(&args.stage)
                .auto_deploy(true)
                .send()
                .await
                .map_err(|e| aws_error("update_stage", &e))?;
        }
        Err(e)
            if e.as_service_error()
                .is_some_and(|e| e.is_not_found_exception()) =>
        {
            client
                .create_stage()
                .api_id(&api.id)
                .stage_name(&args.stage)
                .auto_deploy(true)
                .send()
                .await
                .map_err(|e| aws_error("create_stage", &e))?;
        }
        Err(e) => return Err(aws_error("get_stage", &e)),
    }
    print_stderr(&format!(
        "aws-spec: stage {:?} deploys automatically\n",
        args.stage
    ));
    print_stdout(&format!(
        "{}\n",
        http_api_invoke_url(&api.id, &region, &args.stage)
    ))
}

async fn find(client: &Client, args: &DeployArgs, region: &str) -> Result<Option<Api>, Error> {
    if let Some(id) = &args.rest_api_id {
        return match client.get_api().api_id(id).send().await {
            Ok(api) => Ok(Some(Api {
                id: id.clone(),
                name: api.name().unwrap_or_default().to_owned(),
            })),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_not_found_exception()) =>
            {
                Err(Error::Deploy(format!(
                    "no HTTP API with id {id:?} in {region}"
                )))
            }
            Err(e) => Err(aws_error("get_api", &e)),
        };
    }
    let name = args.api_name.as_deref().unwrap_or_default();
    let mut named = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let page = client
            .get_apis()
            .set_next_token(next.take())
            .send()
            .await
            .map_err(|e| aws_error("get_apis", &e))?;
        for api in page.items() {
            if api.name() == Some(name) && api.protocol_type().map(|p| p.as_str()) == Some("HTTP") {
                named.push(api.api_id().unwrap_or_default().to_owned());
            }
        }
        match page.next_token() {
            Some(token) if !token.is_empty() => next = Some(token.to_owned()),
            _ => break,
        }
    }
    one_named(&named, name, "HTTP API", region)
}

/// The route keys (`GET /widgets`, `ANY /files/{path+}`, `$default`) of the rendered spec.
fn route_keys(body: &str) -> BTreeSet<String> {
    let document: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let mut keys = BTreeSet::new();
    let Some(paths) = document.get("paths").and_then(Value::as_object) else {
        return keys;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, operation) in item {
            if operation.get("isDefaultRoute") == Some(&Value::Bool(true)) {
                keys.insert("$default".to_owned());
            } else if method == "x-amazon-apigateway-any-method" {
                keys.insert(format!("ANY {path}"));
            } else if operation.get("x-amazon-apigateway-integration").is_some() {
                keys.insert(format!("{} {path}", method.to_ascii_uppercase()));
            }
        }
    }
    keys
}

async fn deployed_route_keys(client: &Client, api_id: &str) -> Result<BTreeSet<String>, Error> {
    let mut keys = BTreeSet::new();
    let mut next: Option<String> = None;
    loop {
        let page = client
            .get_routes()
            .api_id(api_id)
            .set_next_token(next.take())
            .send()
            .await
            .map_err(|e| aws_error("get_routes", &e))?;
        keys.extend(
            page.items()
                .iter()
                .filter_map(|r| r.route_key())
                .map(str::to_owned),
        );
        match page.next_token() {
            Some(token) if !token.is_empty() => next = Some(token.to_owned()),
            _ => break,
        }
    }
    Ok(keys)
}
