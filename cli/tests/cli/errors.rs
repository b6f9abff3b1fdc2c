use crate::util::{assert_code, aws_spec, aws_spec_fixture, fixture_copy, scratch, stderr};

#[test]
fn compile_error_in_the_users_crate_is_shown_as_cargo_shows_it() {
    let manifest = fixture_copy("broken_service", |lib| {
        lib.replace("\"ok\"\n    }", "\"ok\"\n    } }")
    });
    let output = aws_spec(&[
        "vars",
        "--router",
        "fixture_service::routes::router",
        "--manifest-path",
        manifest.to_str().unwrap(),
    ]);
    assert_code(&output, 1);
    let err = stderr(&output);
    assert!(
        err.contains("error: unexpected closing delimiter: `}`"),
        "{err}"
    );
    assert!(err.contains("src/lib.rs:"), "cargo's location: {err}");
    assert!(
        err.contains("could not compile `fixture-service`"),
        "cargo's summary: {err}"
    );
    assert!(
        err.contains("aws-spec: crate `fixture_service` does not compile"),
        "{err}"
    );
}

#[test]
fn missing_function_is_one_line() {
    let output = aws_spec_fixture(&["vars", "--router", "fixture_service::routes::nope"]);
    assert_code(&output, 1);
    let err = stderr(&output);
    let line = err
        .lines()
        .find(|l| l.starts_with("aws-spec: "))
        .unwrap_or_default();
    assert!(
        line.starts_with(
            "aws-spec: fixture_service::routes::nope: no such function in crate fixture_service"
        ),
        "{err}"
    );
    assert!(
        !err.contains("error[E0425]"),
        "the compiler's diagnostic is replaced: {err}"
    );
}

#[test]
fn missing_crate_is_one_line() {
    let output = aws_spec_fixture(&["vars", "--router", "other_crate::router"]);
    assert_code(&output, 1);
    let err = stderr(&output);
    assert!(
        err.contains("aws-spec: other_crate::router: no library crate `other_crate`"),
        "{err}"
    );
    assert!(err.contains("(libraries: fixture_service)"), "{err}");
}

#[test]
fn wrong_signature_is_one_line() {
    let output = aws_spec_fixture(&["vars", "--router", "fixture_service::routes::with_argument"]);
    assert_code(&output, 1);
    let err = stderr(&output);
    assert!(
        err.contains("aws-spec: fixture_service::routes::with_argument: expected fn() -> AwsRouter<S>, found a different signature"),
        "{err}"
    );
}

#[test]
fn malformed_router_path_is_a_usage_error() {
    let output = aws_spec_fixture(&["vars", "--router", "fixture-service/router"]);
    assert_code(&output, 2);
}

#[test]
fn lint_error_fails_the_export_naming_the_route() {
    let dir = scratch("lint_error_fails_the_export");
    let private = dir.join("private.json");
    let output = aws_spec_fixture(&[
        "--router",
        "fixture_service::routes::bad_router",
        "--title",
        "T",
        "--api-version",
        "1",
        "--out-private",
        private.to_str().unwrap(),
        "--out-public",
        "-",
    ]);
    assert_code(&output, 1);
    let err = stderr(&output);
    assert!(
        err.contains("aws-spec: 1 problem in the router:\n  - GET /a/x-{id}: "),
        "{err}"
    );
    assert!(!private.exists(), "nothing written");
    assert!(output.stdout.is_empty(), "nothing written to stdout either");
}
