//! `--target kong`: export (YAML by default, `--format json`), vars, lint.

use crate::util::{ROUTER, assert_code, aws_spec_fixture, scratch, stderr, stdout};

/// `export --target kong` of the fixture to stdout, the public spec dropped.
fn export(extra: &[&str]) -> std::process::Output {
    export_to("-", "/dev/null", extra)
}

/// `export --target kong` of the fixture into `private` and `public`.
fn export_to(private: &str, public: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "export",
        "--target",
        "kong",
        "--router",
        ROUTER,
        "--title",
        "Widgets",
        "--api-version",
        "1.2.0",
        "--out-private",
        private,
        "--out-public",
        public,
    ];
    args.extend(extra);
    aws_spec_fixture(&args)
}

#[test]
fn export_writes_a_deck_file_in_yaml_by_default() {
    let output = export(&[]);
    assert_code(&output, 0);
    let text = stdout(&output);
    assert!(text.starts_with("_format_version: '3.0'\n"), "{text}");
    assert!(text.contains("'aws-spec-widgets'"), "{text}");
    assert!(
        text.contains(r#"function_name: '${{ env "DECK_WIDGETS_INVOKE_ARN" }}'"#),
        "{text}"
    );
    assert!(text.contains("name: 'cors'"), "{text}");
}

#[test]
fn export_json_uses_the_raw_string_substitution() {
    let output = export(&["--format", "json"]);
    assert_code(&output, 0);
    let text = stdout(&output);
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["_format_version"], "3.0");
    assert!(text.contains("${{ env `DECK_APP_ORIGIN` }}"), "{text}");
}

#[test]
fn export_writes_the_public_spec_too() {
    let dir = scratch("kong_export_files");
    let (kong, public) = (dir.join("kong.yaml"), dir.join("openapi.json"));
    let output = export_to(kong.to_str().unwrap(), public.to_str().unwrap(), &[]);
    assert_code(&output, 0);
    assert!(
        std::fs::read_to_string(&kong)
            .unwrap()
            .starts_with("_format_version")
    );
    let public: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&public).unwrap()).unwrap();
    assert!(public["paths"]["/widgets/{id}"].is_object(), "{public}");
}

#[test]
fn tf_variables_is_a_usage_error_for_kong() {
    let output = export(&["--tf-variables", "/dev/null"]);
    assert_code(&output, 2);
    assert!(
        stderr(&output).contains("aws-spec vars --target kong"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn vars_lists_the_deck_variables() {
    let output = aws_spec_fixture(&["vars", "--target", "kong", "--router", ROUTER]);
    assert_code(&output, 0);
    let text = stdout(&output);
    assert!(text.starts_with("DECK_API_INVOKE_ARN "), "{text}");
    assert!(text.contains("DECK_APP_ORIGIN "), "{text}");
    // The Cognito pool is not written into the Kong file (its keys go on consumers).
    assert!(!text.contains("DECK_USER_POOL_ARN"), "{text}");
}

#[test]
fn lint_lists_what_kong_cannot_express() {
    let output = aws_spec_fixture(&[
        "lint",
        "--target",
        "kong",
        "--router",
        "fixture_service::routes::deployable",
    ]);
    assert_code(&output, 1);
    let text = stdout(&output);
    assert!(text.contains("error: GET /legacy/{id}: value"), "{text}");
    assert!(
        text.contains("is an API Gateway expression, which Kong does not expand"),
        "{text}"
    );

    let output = aws_spec_fixture(&["lint", "--target", "kong", "--router", ROUTER]);
    assert_code(&output, 0);
    assert!(
        stdout(&output).ends_with("0 errors, 0 warnings\n"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn kong_ids_follow_the_namespace_flag() {
    let ids = |extra: &[&str]| -> Vec<String> {
        let output = export(&[&["--format", "json"], extra].concat());
        assert_code(&output, 0);
        let value: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
        value["routes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let default = ids(&[]);
    assert_eq!(default, ids(&[]), "the same export gives the same ids");
    let other = ids(&[
        "--kong-uuid-namespace",
        "6ba7b811-9dad-11d1-80b4-00c04fd430c8",
    ]);
    assert_eq!(default.len(), other.len());
    assert!(default.iter().all(|id| !other.contains(id)));
}

#[test]
fn kong_credential_placeholders_are_asked_for() {
    let plain = stdout(&export(&[]));
    assert!(!plain.contains("consumers:"), "{plain}");
    let output = export(&["--kong-credential-placeholders"]);
    assert_code(&output, 0);
    let text = stdout(&output);
    assert!(text.contains("jwt_secrets:"), "{text}");
    assert!(
        text.contains(r#"key: '${{ env "DECK_WIDGETS_USERS_ISSUER" }}'"#),
        "{text}"
    );
}

#[test]
fn kong_flags_need_the_kong_target() {
    let output = aws_spec_fixture(&[
        "export",
        "--router",
        ROUTER,
        "--title",
        "Widgets",
        "--api-version",
        "1",
        "--out-private",
        "-",
        "--out-public",
        "/dev/null",
        "--kong-credential-placeholders",
    ]);
    assert_code(&output, 2);
    assert!(
        stderr(&output).contains("use them with --target kong"),
        "{}",
        stderr(&output)
    );
}
