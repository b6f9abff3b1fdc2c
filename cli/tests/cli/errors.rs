use crate::util::{assert_code, aws_spec, aws_spec_fixture, fixture_copy, scratch, stderr, stdout};

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
    assert!(err.contains("\nerror: GET /a/x-{id}: "), "{err}");
    assert!(
        err.ends_with("aws-spec: 1 error in the router; nothing written\n"),
        "{err}"
    );
    assert!(!private.exists(), "nothing written");
    assert!(output.stdout.is_empty(), "nothing written to stdout either");
}

/// `lint` and `export` print the problems of one router in one style: the same
/// `error: METHOD /path: …` lines (lint on stdout, export on stderr), each message's
/// proper nouns capitalised.
#[test]
fn lint_and_export_print_problems_alike() {
    let router = ["--router", "fixture_service::routes::bad_router"];
    let lint = aws_spec_fixture(&[&["lint"][..], &router[..]].concat());
    assert_code(&lint, 1);
    let export = aws_spec_fixture(
        &[
            &router[..],
            &[
                "--title",
                "T",
                "--api-version",
                "1",
                "--out-private",
                "/dev/null",
                "--out-public",
                "/dev/null",
            ][..],
        ]
        .concat(),
    );
    assert_code(&export, 1);
    let problems = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|line| line.starts_with("error: ") || line.starts_with("warning: "))
            .map(str::to_owned)
            .collect()
    };
    let linted = problems(&stdout(&lint));
    let exported = problems(&stderr(&export));
    assert!(!linted.is_empty(), "{}", stdout(&lint));
    assert_eq!(
        linted
            .iter()
            .filter(|line| line.starts_with("error: "))
            .collect::<Vec<_>>(),
        exported
            .iter()
            .filter(|line| line.starts_with("error: "))
            .collect::<Vec<_>>(),
        "lint:\n{}\nexport:\n{}",
        stdout(&lint),
        stderr(&export)
    );
    for line in linted.iter().chain(&exported) {
        assert!(
            line.starts_with("error: GET /") || line.starts_with("warning: "),
            "{line}"
        );
        for lowercase in [
            "http api",
            "rest api",
            "kong oss",
            "cognito",
            "jwt",
            "api gateway",
        ] {
            assert!(
                !line.contains(lowercase),
                "{lowercase:?} is a proper noun, capitalised: {line}"
            );
        }
    }
    assert!(
        stderr(&lint).ends_with("aws-spec: lint found 1 error\n"),
        "{}",
        stderr(&lint)
    );
}
