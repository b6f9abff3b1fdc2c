//! `aws-spec deploy`. Without the `deploy` feature the command says how to get it. With
//! it, against moto's API Gateway at `$AWS_SPEC_MOTO_URL`: the moto tests are ignored
//! unless asked for and fail without that variable (`make e2e-deploy` starts moto on
//! loopback and runs them, counted). What was deployed is read back with boto3
//! (scripts/tests/moto_rest_api.py), not with the SDK under test.
//!
//! The routers are the fixture's `deployable` and `deployable_changed`: no CORS and no
//! mock integration, because moto's import crashes (HTTP 500) on a mock integration,
//! which every CORS preflight is. moto 5.2.5 also ignores `endpointConfigurationTypes`,
//! authorizers and validators, so these tests check routes and integrations.

use crate::util::{assert_code, aws_spec_fixture, stderr};

/// Arguments every deploy here passes (besides the router and the API).
const VERSION: [&str; 4] = ["--api-version", "1.0.0", "--stage", "dev"];

#[cfg(not(feature = "deploy"))]
#[test]
fn without_the_feature_deploy_says_how_to_get_it() {
    let output = aws_spec_fixture(&[
        "deploy",
        "--router",
        "fixture_service::routes::deployable",
        "--api-name",
        "x",
        "--api-version",
        "1",
        "--stage",
        "dev",
    ]);
    assert_code(&output, 2);
    assert!(
        stderr(&output).contains(&format!(
            "cargo install --git {} aws-spec --features deploy",
            env!("CARGO_PKG_REPOSITORY")
        )),
        "{}",
        stderr(&output)
    );
}

#[test]
fn title_must_be_the_api_name() {
    let mut args = vec![
        "deploy",
        "--router",
        "fixture_service::routes::deployable",
        "--api-name",
        "Widgets",
        "--title",
        "Other",
    ];
    args.extend(VERSION);
    let output = aws_spec_fixture(&args);
    assert_code(&output, 2);
    if cfg!(feature = "deploy") {
        assert!(
            stderr(&output).contains("--title \"Other\" differs from --api-name \"Widgets\""),
            "{}",
            stderr(&output)
        );
    }
}

#[test]
fn api_name_or_id_is_required() {
    let mut args = vec!["deploy", "--router", "fixture_service::routes::deployable"];
    args.extend(VERSION);
    let output = aws_spec_fixture(&args);
    assert_code(&output, 2);
    assert!(
        stderr(&output).contains("--api-name <NAME>|--rest-api-id <ID>"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn http_api_deploy_cannot_merge() {
    let mut args = vec![
        "deploy",
        "--router",
        "fixture_service::routes::deployable",
        "--api-name",
        "x",
        "--target",
        "http-api",
        "--mode",
        "merge",
    ];
    args.extend(VERSION);
    let output = aws_spec_fixture(&args);
    assert_code(&output, 2);
    if cfg!(feature = "deploy") {
        assert!(
            stderr(&output).contains("--mode merge: an HTTP API's reimport replaces its routes"),
            "{}",
            stderr(&output)
        );
    }
}

#[cfg(feature = "deploy")]
mod moto {
    use std::net::TcpListener;
    use std::path::Path;
    use std::process::{Command, Output};

    use serde_json::Value;

    use super::VERSION;
    use crate::util::{assert_code, fixture_manifest, scratch, stderr, stdout};

    const ACCOUNT: &str = "123456789012";

    fn api_invoke_arn(function: &str) -> String {
        format!(
            "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:{ACCOUNT}:function:{function}/invocations"
        )
    }

    fn role(account: &str) -> String {
        format!("arn:aws:iam::{account}:role/api-invoke")
    }

    /// moto's endpoint (the tests that need it are ignored unless asked for: `make
    /// e2e-deploy` starts moto and runs them, counted).
    fn moto() -> String {
        match std::env::var("AWS_SPEC_MOTO_URL") {
            Ok(url) if !url.is_empty() => url,
            _ => panic!("AWS_SPEC_MOTO_URL is not set: run `make e2e-deploy`"),
        }
    }

    /// A name no other test (or earlier run against the same moto) uses.
    fn unique(name: &str) -> String {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or_default();
        format!("{name}-{}-{nanos}", std::process::id())
    }

    /// `aws-spec deploy` with fake credentials from the environment only.
    fn deploy(endpoint: &str, args: &[&str]) -> Output {
        let mut all = vec![
            "deploy",
            "--region",
            "us-east-1",
            "--endpoint-url",
            endpoint,
            "--description",
            "deployed by the tests",
        ];
        all.extend(VERSION);
        all.extend(args);
        let manifest = fixture_manifest();
        all.extend(["--manifest-path", manifest.to_str().unwrap()]);
        Command::new(env!("CARGO_BIN_EXE_aws-spec"))
            .args(&all)
            .env(
                "CARGO_TARGET_DIR",
                Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-target"),
            )
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_CONFIG_FILE", "/nonexistent/aws-config")
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                "/nonexistent/aws-credentials",
            )
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_SESSION_TOKEN")
            .output()
            .unwrap()
    }

    /// The variables of `deployable` and `deployable_changed`, as `--var` flags.
    fn vars(role_account: &str) -> Vec<String> {
        vec![
            "--var".into(),
            format!("api_invoke_arn={}", api_invoke_arn("api")),
            "--var".into(),
            format!("reader_invoke_arn={}", api_invoke_arn("reader")),
            "--var".into(),
            format!("invoke_role_arn={}", role(role_account)),
        ]
    }

    fn deploy_router(endpoint: &str, router: &str, name: &str, extra: &[&str]) -> Output {
        let vars = vars(ACCOUNT);
        let mut args = vec!["--router", router, "--api-name", name];
        args.extend(vars.iter().map(String::as_str));
        args.extend(extra);
        deploy(endpoint, &args)
    }

    /// Every API named `name`, read back with boto3.
    fn read_back(endpoint: &str, name: &str) -> Vec<Value> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let python = std::env::var_os("AWS_SPEC_PYTHON")
            .map_or_else(|| root.join(".tools/venv/bin/python"), Into::into);
        let output = Command::new(python)
            .arg(root.join("scripts/tests/moto_rest_api.py"))
            .args(["--endpoint", endpoint, "--name", name])
            .output()
            .unwrap();
        assert!(output.status.success(), "read back: {output:?}");
        let document: Value = serde_json::from_slice(&output.stdout).unwrap();
        document["apis"].as_array().unwrap().clone()
    }

    /// The one API named `name`.
    fn read_one(endpoint: &str, name: &str) -> Value {
        let apis = read_back(endpoint, name);
        assert_eq!(apis.len(), 1, "one API named {name}: {apis:#?}");
        apis[0].clone()
    }

    /// `METHOD /path` → integration, over every resource.
    fn routes(api: &Value) -> Vec<(String, Value)> {
        let mut routes = Vec::new();
        for resource in api["resources"].as_array().unwrap() {
            let path = resource["path"].as_str().unwrap();
            for (method, integration) in resource["methods"].as_object().unwrap() {
                routes.push((format!("{method} {path}"), integration.clone()));
            }
        }
        routes.sort_by(|a, b| a.0.cmp(&b.0));
        routes
    }

    fn route_names(api: &Value) -> Vec<String> {
        routes(api).into_iter().map(|(name, _)| name).collect()
    }

    fn integration(api: &Value, route: &str) -> Value {
        routes(api)
            .into_iter()
            .find(|(name, _)| name == route)
            .unwrap_or_else(|| panic!("no {route}"))
            .1
    }

    /// The one HTTP API named `name`, read back with boto3's apigatewayv2.
    fn read_http_api(endpoint: &str, name: &str) -> Value {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let python = std::env::var_os("AWS_SPEC_PYTHON")
            .map_or_else(|| root.join(".tools/venv/bin/python"), Into::into);
        let output = Command::new(python)
            .arg(root.join("scripts/tests/moto_http_api_readback.py"))
            .args(["--endpoint", endpoint, "--name", name])
            .output()
            .unwrap();
        assert!(output.status.success(), "read back: {output:?}");
        let document: Value = serde_json::from_slice(&output.stdout).unwrap();
        let apis = document["apis"].as_array().unwrap();
        assert_eq!(apis.len(), 1, "one HTTP API named {name}: {apis:#?}");
        apis[0].clone()
    }

    /// `--target http-api`: create_api + reimport_api and an auto-deploy stage; a second
    /// deploy reimports (routes replaced) and keeps the stage; a dry run lists the
    /// route keys it would add and remove.
    #[test]
    #[ignore = "needs moto (make e2e-deploy runs it)"]
    fn http_api_deploy_creates_then_reimports_with_an_auto_deploy_stage() {
        let endpoint = moto();
        let name = unique("http");
        let http = ["--target", "http-api"];
        let output = deploy_router(
            &endpoint,
            "fixture_service::routes::deployable",
            &name,
            &http,
        );
        assert_code(&output, 0);
        let api = read_http_api(&endpoint, &name);
        assert!(
            stdout(&output).trim_end().ends_with(&format!(
                "{}.execute-api.us-east-1.amazonaws.com/dev",
                api["id"].as_str().unwrap()
            )),
            "{}",
            stdout(&output)
        );
        let mut keys: Vec<&String> = api["routes"].as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "GET /health",
                "GET /legacy/{id}",
                "GET /widgets",
                "GET /widgets/{id}",
                "POST /widgets"
            ]
        );
        let widgets = &api["routes"]["GET /widgets"];
        assert_eq!(widgets["IntegrationUri"], api_invoke_arn("api"));
        assert_eq!(widgets["PayloadFormatVersion"], "2.0");
        // API Gateway's own `${stageVariables.…}`, unescaped by the rendering.
        assert_eq!(
            api["routes"]["GET /legacy/{id}"]["IntegrationUri"],
            "https://${stageVariables.legacy_host}/widgets/{id}"
        );
        assert_eq!(api["version"], "1.0.0");
        assert_eq!(
            api["stages"],
            serde_json::json!([{"name": "dev", "autoDeploy": true}])
        );

        let changed = "fixture_service::routes::deployable_changed";
        let mut dry = http.to_vec();
        dry.push("--dry-run");
        let output = deploy_router(&endpoint, changed, &name, &dry);
        assert_code(&output, 0);
        let text = stdout(&output);
        assert!(
            text.contains("+ DELETE /widgets/{id}") && text.contains("- POST /widgets"),
            "{text}"
        );
        assert!(text.ends_with("dry run: nothing was written\n"), "{text}");
        assert!(
            read_http_api(&endpoint, &name)["routes"]
                .get("POST /widgets")
                .is_some()
        );

        let output = deploy_router(&endpoint, changed, &name, &http);
        assert_code(&output, 0);
        assert!(
            stderr(&output).contains("reimported HTTP API"),
            "{}",
            stderr(&output)
        );
        let api = read_http_api(&endpoint, &name);
        assert!(api["routes"].get("POST /widgets").is_none(), "{api:#}");
        assert!(
            api["routes"].get("DELETE /widgets/{id}").is_some(),
            "{api:#}"
        );
        assert_eq!(
            api["stages"],
            serde_json::json!([{"name": "dev", "autoDeploy": true}])
        );
    }

    #[test]
    #[ignore = "needs moto (make e2e-deploy runs it)"]
    fn first_deploy_creates_every_route_and_integration() {
        let endpoint = moto();
        let name = unique("create");
        let kept = scratch("deploy_create").join("sent.json");
        let output = deploy_router(
            &endpoint,
            "fixture_service::routes::deployable",
            &name,
            &["--keep-spec", kept.to_str().unwrap()],
        );
        assert_code(&output, 0);

        let api = read_one(&endpoint, &name);
        let id = api["id"].as_str().unwrap();
        assert_eq!(
            stdout(&output),
            format!("https://{id}.execute-api.us-east-1.amazonaws.com/dev\n")
        );
        assert!(
            stderr(&output).contains(&format!("aws-spec: created REST API {name:?} ({id})")),
            "{}",
            stderr(&output)
        );
        assert_eq!(api["description"], "deployed by the tests");
        assert_eq!(
            route_names(&api),
            [
                "GET /health",
                "GET /legacy/{id}",
                "GET /widgets",
                "GET /widgets/{id}",
                "POST /widgets"
            ]
        );
        for route in [
            "GET /health",
            "GET /widgets",
            "GET /widgets/{id}",
            "POST /widgets",
        ] {
            let integration = integration(&api, route);
            assert_eq!(integration["type"], "aws_proxy", "{route}");
            assert_eq!(integration["httpMethod"], "POST", "{route}");
            assert_eq!(integration["uri"], api_invoke_arn("api"), "{route}");
            assert_eq!(integration["credentials"], role(ACCOUNT), "{route}");
        }
        // `$${stageVariables…}` in the template reaches API Gateway as `${stageVariables…}`.
        let legacy = integration(&api, "GET /legacy/{id}");
        assert_eq!(legacy["type"], "http_proxy");
        assert_eq!(
            legacy["uri"],
            "https://${stageVariables.legacy_host}/widgets/{id}"
        );
        assert_eq!(
            legacy["requestParameters"]["integration.request.path.id"],
            "method.request.path.id"
        );
        assert_eq!(api["stages"][0]["stageName"], "dev");
        assert_eq!(api["deployments"], 1);

        // --keep-spec holds the document that was sent: rendered, nothing left to substitute.
        let sent = std::fs::read_to_string(&kept).unwrap();
        let sent: Value = serde_json::from_str(&sent).unwrap();
        assert_eq!(sent["info"]["title"], name.as_str());
        let text = sent.to_string();
        assert!(
            !text.contains("$${") && !text.contains("${api_invoke_arn}"),
            "{text}"
        );
    }

    #[test]
    #[ignore = "needs moto (make e2e-deploy runs it)"]
    fn overwrite_updates_the_api_and_dry_run_writes_nothing() {
        let endpoint = moto();
        let name = unique("overwrite");
        let first = deploy_router(&endpoint, "fixture_service::routes::deployable", &name, &[]);
        assert_code(&first, 0);
        let before = read_one(&endpoint, &name);

        // The dry run reports the change and writes nothing.
        let dry = deploy_router(
            &endpoint,
            "fixture_service::routes::deployable_changed",
            &name,
            &["--dry-run"],
        );
        assert_code(&dry, 0);
        let report = stdout(&dry);
        let id = before["id"].as_str().unwrap();
        assert!(
            report.starts_with(&format!(
                "would update REST API {name:?} ({id}) in us-east-1 (overwrite) and deploy stage \"dev\"\n"
            )),
            "{report}"
        );
        for line in [
            format!(
                "+ DELETE /widgets/{{id}}  AWS_PROXY {}\n",
                api_invoke_arn("api")
            ),
            "- POST /widgets\n".to_owned(),
            format!(
                "~ GET /widgets/{{id}}\n    uri: {:?} -> {:?}\n",
                api_invoke_arn("api"),
                api_invoke_arn("reader")
            ),
            "1 to add, 1 to remove, 1 to change, 3 unchanged\ndry run: nothing was written\n"
                .to_owned(),
        ] {
            assert!(report.contains(&line), "{line:?} in:\n{report}");
        }
        assert_eq!(read_one(&endpoint, &name), before, "the dry run wrote");

        // The update (overwrite by default) makes the change visible.
        let second = deploy_router(
            &endpoint,
            "fixture_service::routes::deployable_changed",
            &name,
            &[],
        );
        assert_code(&second, 0);
        assert!(
            stderr(&second).contains(&format!("updated (overwrite) REST API {name:?} ({id})")),
            "{}",
            stderr(&second)
        );
        let after = read_one(&endpoint, &name);
        assert_eq!(after["id"], before["id"]);
        assert_eq!(
            route_names(&after),
            [
                "DELETE /widgets/{id}",
                "GET /health",
                "GET /legacy/{id}",
                "GET /widgets",
                "GET /widgets/{id}"
            ]
        );
        assert_eq!(
            integration(&after, "GET /widgets/{id}")["uri"],
            api_invoke_arn("reader")
        );
        assert_eq!(after["deployments"], 2);

        // Now nothing differs.
        let again = deploy_router(
            &endpoint,
            "fixture_service::routes::deployable_changed",
            &name,
            &["--dry-run"],
        );
        assert_code(&again, 0);
        assert!(
            stdout(&again).contains("\n0 to add, 0 to remove, 0 to change, 5 unchanged\n"),
            "{}",
            stdout(&again)
        );
    }

    /// Real API Gateway merges the spec into the existing resources. moto 5.2.5 adds a
    /// second resource for every path that already exists (`/widgets/{id}` twice, one
    /// with the old GET, one with the new GET and DELETE): this test pins that, so a
    /// moto upgrade that fixes it shows up here.
    #[test]
    #[ignore = "needs moto (make e2e-deploy runs it)"]
    fn merge_keeps_other_routes_and_moto_duplicates_resources() {
        let endpoint = moto();
        let name = unique("merge");
        assert_code(
            &deploy_router(&endpoint, "fixture_service::routes::deployable", &name, &[]),
            0,
        );
        let dry = deploy_router(
            &endpoint,
            "fixture_service::routes::deployable_changed",
            &name,
            &["--mode", "merge", "--dry-run"],
        );
        assert_code(&dry, 0);
        let report = stdout(&dry);
        assert!(report.contains(" (merge) "), "{report}");
        assert!(
            report
                .contains("= POST /widgets  (kept: merge leaves routes the spec does not have)\n"),
            "{report}"
        );
        assert!(!report.contains("- POST /widgets"), "{report}");
        assert!(
            report.contains("1 to add, 0 to remove, 1 to change, 3 unchanged, 1 kept\n"),
            "{report}"
        );

        let merged = deploy_router(
            &endpoint,
            "fixture_service::routes::deployable_changed",
            &name,
            &["--mode", "merge"],
        );
        assert_code(&merged, 0);
        assert!(
            stderr(&merged).contains("updated (merge)"),
            "{}",
            stderr(&merged)
        );
        let api = read_one(&endpoint, &name);
        let names = route_names(&api);
        // Merge: the route the new spec leaves out is kept, the new one is added.
        assert!(names.contains(&"POST /widgets".to_owned()), "{names:?}");
        assert!(
            names.contains(&"DELETE /widgets/{id}".to_owned()),
            "{names:?}"
        );
        // moto: a second resource per existing path, so GET /widgets/{id} twice.
        let by_id: Vec<&Value> = api["resources"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["path"] == "/widgets/{id}")
            .collect();
        assert_eq!(
            by_id.len(),
            2,
            "moto's merge duplicates resources: {by_id:#?}"
        );
        let gets = names.iter().filter(|n| *n == "GET /widgets/{id}").count();
        assert_eq!(gets, 2, "{names:?}");

        // The dry run flags the duplicates.
        let dry = deploy_router(
            &endpoint,
            "fixture_service::routes::deployable_changed",
            &name,
            &["--mode", "merge", "--dry-run"],
        );
        assert!(
            stdout(&dry).contains("! /widgets/{id}: 2 deployed resources have this path\n"),
            "{}",
            stdout(&dry)
        );
    }

    /// No AWS call at all: `--endpoint-url` is a listener that must see no connection.
    #[test]
    fn a_missing_variable_fails_before_any_call() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let output = deploy(
            &endpoint,
            &[
                "--router",
                "fixture_service::routes::deployable_changed",
                "--api-name",
                "never-created",
                "--var",
                &format!("api_invoke_arn={}", api_invoke_arn("api")),
            ],
        );
        assert_code(&output, 2);
        assert_eq!(
            stderr(&output).lines().last().unwrap_or_default(),
            "aws-spec: no value for template variables \"invoke_role_arn\", \"reader_invoke_arn\": \
             give them with --vars FILE.json or --var NAME=VALUE (nothing was sent to AWS)"
        );
        assert!(
            listener.accept().is_err(),
            "aws-spec connected to the endpoint"
        );
    }

    #[test]
    #[ignore = "needs moto (make e2e-deploy runs it)"]
    fn a_rejected_spec_surfaces_the_service_message() {
        let endpoint = moto();
        // A role in another account: API Gateway (and moto) refuse to pass it.
        let foreign = vars("999999999999");
        let name = unique("rejected");
        let mut args = vec![
            "--router",
            "fixture_service::routes::deployable",
            "--api-name",
            &name,
        ];
        args.extend(foreign.iter().map(String::as_str));
        let created = deploy(&endpoint, &args);
        assert_code(&created, 1);
        assert_eq!(
            stderr(&created).lines().last().unwrap_or_default(),
            "aws-spec: import_rest_api: AccessDeniedException: Cross-account pass role is not allowed."
        );

        // The same on an update of an API that exists.
        let name = unique("rejected-update");
        assert_code(
            &deploy_router(&endpoint, "fixture_service::routes::deployable", &name, &[]),
            0,
        );
        let before = read_one(&endpoint, &name);
        let mut args = vec![
            "--router",
            "fixture_service::routes::deployable",
            "--api-name",
            &name,
        ];
        args.extend(foreign.iter().map(String::as_str));
        let updated = deploy(&endpoint, &args);
        assert_code(&updated, 1);
        assert_eq!(
            stderr(&updated).lines().last().unwrap_or_default(),
            "aws-spec: put_rest_api: AccessDeniedException: Cross-account pass role is not allowed."
        );
        assert_eq!(
            read_one(&endpoint, &name)["deployments"],
            before["deployments"],
            "no deployment after a rejected update"
        );
    }

    #[test]
    #[ignore = "needs moto (make e2e-deploy runs it)"]
    fn by_id_keeps_the_name_and_an_unknown_id_is_an_error() {
        let endpoint = moto();
        let name = unique("by-id");
        assert_code(
            &deploy_router(&endpoint, "fixture_service::routes::deployable", &name, &[]),
            0,
        );
        let id = read_one(&endpoint, &name)["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let vars = vars(ACCOUNT);
        let mut args = vec![
            "--router",
            "fixture_service::routes::deployable_changed",
            "--rest-api-id",
            &id,
        ];
        args.extend(vars.iter().map(String::as_str));
        let output = deploy(&endpoint, &args);
        assert_code(&output, 0);
        let api = read_one(&endpoint, &name);
        assert_eq!(api["id"], id.as_str());
        assert!(route_names(&api).contains(&"DELETE /widgets/{id}".to_owned()));

        let mut args = vec![
            "--router",
            "fixture_service::routes::deployable",
            "--rest-api-id",
            "nosuchapi0",
        ];
        args.extend(vars.iter().map(String::as_str));
        let output = deploy(&endpoint, &args);
        assert_code(&output, 1);
        assert!(
            stderr(&output).contains("aws-spec: no REST API with id \"nosuchapi0\" in us-east-1"),
            "{}",
            stderr(&output)
        );
    }
}
