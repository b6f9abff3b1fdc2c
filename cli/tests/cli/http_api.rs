//! `--target http-api`: export (JSON, `--check`, `--tf-variables`), vars and lint.

use crate::util::{ROUTER, assert_code, aws_spec_fixture, scratch, stdout};

/// The fixture's router without CORS mocks or a Cognito pool: one an HTTP API can take.
const DEPLOYABLE: &str = "fixture_service::routes::deployable";

fn export_args<'a>(router: &'a str, private: &'a str, public: &'a str) -> Vec<&'a str> {
    vec![
        "export",
        "--target",
        "http-api",
        "--router",
        router,
        "--title",
        "Widgets",
        "--api-version",
        "1.2.0",
        "--out-private",
        private,
        "--out-public",
        public,
    ]
}

#[test]
fn export_writes_the_http_api_spec_and_the_same_public_spec() {
    let dir = scratch("http_api_export");
    let (private, public, tf) = (
        dir.join("http.json"),
        dir.join("public.json"),
        dir.join("variables.tf"),
    );
    let mut args = export_args(
        DEPLOYABLE,
        private.to_str().unwrap(),
        public.to_str().unwrap(),
    );
    args.extend(["--tf-variables", tf.to_str().unwrap()]);
    assert_code(&aws_spec_fixture(&args), 0);
    let text = std::fs::read_to_string(&private).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["x-amazon-apigateway-importexport-version"], "1.0");
    let integration = &value["paths"]["/widgets"]["get"]["x-amazon-apigateway-integration"];
    assert_eq!(integration["payloadFormatVersion"], "2.0");
    assert_eq!(integration["credentials"], "${invoke_role_arn}");
    // API Gateway's own `${stageVariables.…}` is escaped for templatefile().
    assert!(
        text.contains("https://$${stageVariables.legacy_host}/widgets/{id}"),
        "{text}"
    );
    let variables = std::fs::read_to_string(&tf).unwrap();
    for name in ["api_invoke_arn", "invoke_role_arn"] {
        assert!(
            variables.contains(&format!("variable \"{name}\"")),
            "{variables}"
        );
    }

    // Without service actions or auth (where the gateways answer differently), the
    // public spec is the REST export's.
    let rest_public = dir.join("rest-public.json");
    let mut rest = export_args(DEPLOYABLE, "/dev/null", rest_public.to_str().unwrap());
    rest.drain(1..3);
    assert_code(&aws_spec_fixture(&rest), 0);
    assert_eq!(
        std::fs::read_to_string(&public).unwrap(),
        std::fs::read_to_string(&rest_public).unwrap()
    );

    // --check: current passes, drift fails.
    args.push("--check");
    assert_code(&aws_spec_fixture(&args), 0);
    std::fs::write(&private, text.replace("\"2.0\"", "\"1.0\"")).unwrap();
    assert_code(&aws_spec_fixture(&args), 1);
}

#[test]
fn vars_lists_the_http_api_placeholders() {
    let output = aws_spec_fixture(&[
        "vars", "--json", "--target", "http-api", "--router", DEPLOYABLE,
    ]);
    assert_code(&output, 0);
    let vars: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let names: Vec<&str> = vars
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(names, ["api_invoke_arn", "invoke_role_arn"]);
}

#[test]
fn lint_names_what_an_http_api_cannot_take() {
    // The service router has a Cognito pool authorizer (REST's) on POST /widgets.
    let output = aws_spec_fixture(&["lint", "--target", "http-api", "--router", ROUTER]);
    assert_code(&output, 1);
    let out = stdout(&output);
    assert!(
        out.contains("error: POST /widgets: Cognito authorizer \"users\": HTTP APIs check Cognito tokens with a JWT authorizer; use JwtAuthorizer::cognito("),
        "{out}"
    );
}
