use clap::CommandFactory;

use crate::util::{assert_code, aws_spec, stderr, stdout};

#[test]
fn clap_definition_is_valid() {
    aws_spec::cli::Cli::command().debug_assert();
    aws_spec::cli::EmbeddedCli::command().debug_assert();
}

#[test]
fn help() {
    let output = aws_spec(&["--help"]);
    assert_code(&output, 0);
    insta::assert_snapshot!("help", stdout(&output));
}

#[test]
fn export_help() {
    let output = aws_spec(&["export", "--help"]);
    assert_code(&output, 0);
    insta::assert_snapshot!("export_help", stdout(&output));
}

#[test]
fn deploy_help() {
    let output = aws_spec(&["deploy", "--help"]);
    assert_code(&output, 0);
    insta::assert_snapshot!("deploy_help", stdout(&output));
}

#[test]
fn usage_errors_exit_2() {
    assert_code(&aws_spec(&["--nope"]), 2);
    assert_code(&aws_spec(&["vars"]), 2);
}

/// `--version`/`-V` print the tool's version, as every CLI does (the API's version is
/// `--api-version`).
#[test]
fn version_prints_the_tools_version() {
    for flag in ["--version", "-V"] {
        let output = aws_spec(&[flag]);
        assert_code(&output, 0);
        assert_eq!(
            stdout(&output),
            format!("aws-spec {}\n", env!("CARGO_PKG_VERSION")),
            "{flag}"
        );
    }
}

/// The old spelling of the API's version, `--version VALUE`, is refused with the new one,
/// before anything builds (the manifest does not exist).
#[test]
fn the_old_version_flag_names_the_new_one() {
    for version in [["--version", "1.2.0"].as_slice(), &["--version=1.2.0"]] {
        let mut args = vec![
            "export",
            "--router",
            "my_service::routes::router",
            "--title",
            "T",
        ];
        args.extend(version);
        args.extend([
            "--out-private",
            "private.json",
            "--out-public",
            "public.json",
            "--manifest-path",
            "/nonexistent/Cargo.toml",
        ]);
        let output = aws_spec(&args);
        assert_code(&output, 2);
        let err = stderr(&output);
        assert!(err.contains("--api-version 1.2.0"), "{version:?}: {err}");
        assert!(!err.contains("/nonexistent"), "nothing was built: {err}");
        assert!(stdout(&output).is_empty(), "{}", stdout(&output));
    }
}
