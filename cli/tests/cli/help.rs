use clap::CommandFactory;

use crate::util::{assert_code, aws_spec, stdout};

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
