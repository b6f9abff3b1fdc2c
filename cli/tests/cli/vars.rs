use std::process::ExitCode;

use axum_aws::integration::LambdaProxy;
use axum_aws::routing::get;
use axum_aws::{AwsRouter, Info};

use crate::util::{ROUTER, assert_code, aws_spec_fixture, scratch, stdout};

/// The service binary the embedded tests stand for.
const SERVICE: aws_spec::Service = aws_spec::Service::new("my-service", "1.4.0");

#[test]
fn vars_lists_placeholders_with_their_routes() {
    let output = aws_spec_fixture(&["vars", "--router", ROUTER]);
    assert_code(&output, 0);
    assert_eq!(
        stdout(&output),
        "api_invoke_arn      GET /health\n\
         app_origin          GET /health, GET /widgets, GET /widgets/{id}, POST /widgets\n\
         user_pool_arn       POST /widgets\n\
         widgets_invoke_arn  GET /widgets, GET /widgets/{id}, POST /widgets\n"
    );

    let output = aws_spec_fixture(&["vars", "--json", "--router", ROUTER]);
    assert_code(&output, 0);
    let value: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(value["user_pool_arn"], serde_json::json!(["POST /widgets"]));
}

#[test]
fn lint_reports_errors_and_exits_1() {
    let output = aws_spec_fixture(&["lint", "--router", "fixture_service::routes::bad_router"]);
    assert_code(&output, 1);
    assert!(
        stdout(&output).starts_with("error: GET /a/x-{id}: "),
        "{}",
        stdout(&output)
    );

    let output = aws_spec_fixture(&["lint", "--router", ROUTER]);
    assert_code(&output, 0);
    assert!(
        stdout(&output).ends_with("0 errors, 0 warnings\n"),
        "{}",
        stdout(&output)
    );
}

/// The entry point for a service's own binary, without cargo.
#[test]
fn embedded_run_takes_the_same_flags() {
    let router: AwsRouter = AwsRouter::new()
        .route("/health", get(|| async { "ok" }))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"));
    let spec = router.spec(Info::new("", ""));
    let dir = scratch("embedded_run");
    let (private, public) = (dir.join("private.json"), dir.join("public.json"));
    let args = [
        "my-service-spec",
        "--title",
        "Embedded",
        "--api-version",
        "0.1.0",
        "--out-private",
        private.to_str().unwrap(),
        "--out-public",
        public.to_str().unwrap(),
    ];
    assert_eq!(
        aws_spec::run_from(spec.clone(), SERVICE, args),
        ExitCode::SUCCESS
    );
    let text = std::fs::read_to_string(&private).unwrap();
    assert!(
        text.contains("\"title\": \"Embedded\"") && text.contains("${api_invoke_arn}"),
        "{text}"
    );
    assert!(public.exists());

    let mut check = args.to_vec();
    check.push("--check");
    assert_eq!(
        aws_spec::run_from(spec.clone(), SERVICE, check),
        ExitCode::SUCCESS
    );
    assert_eq!(
        aws_spec::run_from(spec.clone(), SERVICE, ["my-service-spec", "lint"]),
        ExitCode::SUCCESS
    );
    let site = dir.join("site");
    let docs = [
        "my-service-spec",
        "docs",
        "--title",
        "Embedded",
        "--api-version",
        "0.1.0",
        "--out",
        site.to_str().unwrap(),
    ];
    assert_eq!(
        aws_spec::run_from(spec.clone(), SERVICE, docs),
        ExitCode::SUCCESS
    );
    let page = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(page.contains("<title>Embedded 0.1.0</title>"), "{page}");
    assert_eq!(
        std::fs::read_to_string(site.join("openapi.json")).unwrap(),
        std::fs::read_to_string(&public).unwrap()
    );
    assert_eq!(
        aws_spec::run_from(spec, SERVICE, ["my-service-spec", "--title"]),
        ExitCode::from(2)
    );
}

/// A service's embedded CLI: `--version`/`-V` print the service's version and
/// aws-spec's; the API version's old flag names the new one.
#[test]
fn embedded_version_names_the_service_and_aws_spec() {
    assert_eq!(
        SERVICE.version_line(),
        format!("my-service 1.4.0 (aws-spec {})", env!("CARGO_PKG_VERSION"))
    );
    let router: AwsRouter = AwsRouter::new().route("/health", get(|| async { "ok" }));
    let spec = router.spec(Info::new("", ""));
    for flag in ["--version", "-V"] {
        let run = aws_spec::run_from(spec.clone(), SERVICE, ["my-service-spec", flag]);
        assert_eq!(run, ExitCode::SUCCESS, "{flag}");
    }
    let old = [
        "my-service-spec",
        "--title",
        "T",
        "--version",
        "1.0.0",
        "--out-private",
        "-",
        "--out-public",
        "-",
    ];
    assert_eq!(aws_spec::run_from(spec, SERVICE, old), ExitCode::from(2));
}
