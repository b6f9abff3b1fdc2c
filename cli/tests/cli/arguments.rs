//! Flags that cannot work together are refused before anything builds. The evidence is
//! that the manifest they name, which cargo cannot parse, is never read: a build would
//! fail on it first, with cargo's message quoting it and exit status 1.

use std::path::PathBuf;

use crate::util::{assert_code, aws_spec, scratch, stderr};

/// The text of a Cargo.toml that cargo cannot parse (and quotes when it tries).
const BOGUS: &str = "this is [not a manifest";

/// A Cargo.toml that cargo cannot parse, in a directory of its own.
fn bogus_manifest(name: &str) -> PathBuf {
    let dir = scratch(&format!("bogus_manifest_{name}"));
    let manifest = dir.join("Cargo.toml");
    std::fs::write(&manifest, format!("{BOGUS}\n")).unwrap();
    manifest
}

/// Runs `aws-spec ARGS… --manifest-path BOGUS` and returns its stderr, asserting a usage
/// error (exit status 2) that never reached the manifest.
#[track_caller]
fn refused(args: &[&str]) -> String {
    let manifest = bogus_manifest("refused");
    let mut all = args.to_vec();
    all.extend(["--manifest-path", manifest.to_str().unwrap()]);
    let output = aws_spec(&all);
    assert_code(&output, 2);
    let err = stderr(&output);
    assert!(
        !err.contains(BOGUS) && !err.contains("cargo"),
        "nothing was built: {err}"
    );
    err
}

fn export(outputs: &[&str]) -> Vec<String> {
    let mut args: Vec<&str> = vec![
        "export",
        "--router",
        "my_service::routes::router",
        "--title",
        "T",
        "--api-version",
        "1.0.0",
    ];
    args.extend(outputs);
    args.into_iter().map(str::to_owned).collect()
}

#[test]
fn check_with_stdout_is_refused_at_once() {
    let dir = scratch("check_with_stdout");
    let public = dir.join("public.json");
    for outputs in [
        [
            "--out-private",
            "-",
            "--out-public",
            public.to_str().unwrap(),
        ],
        [
            "--out-private",
            public.to_str().unwrap(),
            "--out-public",
            "-",
        ],
    ] {
        let mut args = export(&outputs);
        args.push("--check".to_owned());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let err = refused(&args);
        assert!(
            err.contains("--check compares files; `-` (stdout) cannot be checked"),
            "{err}"
        );
    }
}

#[test]
fn one_file_for_two_outputs_is_refused_at_once() {
    let dir = scratch("one_file_for_two_outputs");
    std::fs::create_dir_all(dir.join("api")).unwrap();
    let private = dir.join("api/spec.json");
    // The same file, spelled another way (and not yet existing).
    let public = dir.join("api/../api/./spec.json");
    let args = export(&[
        "--out-private",
        private.to_str().unwrap(),
        "--out-public",
        public.to_str().unwrap(),
    ]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let err = refused(&args);
    assert!(
        err.contains("--out-private and --out-public name the same file"),
        "{err}"
    );
    assert!(
        err.contains(private.to_str().unwrap()),
        "quotes the file: {err}"
    );

    let variables = dir.join("api/spec.json");
    let mut args = export(&[
        "--out-private",
        dir.join("private.json").to_str().unwrap(),
        "--out-public",
        public.to_str().unwrap(),
        "--tf-variables",
        variables.to_str().unwrap(),
    ]);
    args.push("--format=json".to_owned());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let err = refused(&args);
    assert!(
        err.contains("--out-public and --tf-variables name the same file"),
        "{err}"
    );
}

#[test]
fn both_outputs_on_stdout_are_refused_at_once() {
    let args = export(&["--out-private", "-", "--out-public", "-"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let err = refused(&args);
    assert!(
        err.contains("--out-private and --out-public are both `-` (stdout)"),
        "{err}"
    );
}

#[test]
fn kong_with_terraform_variables_is_refused_at_once() {
    let dir = scratch("kong_with_terraform_variables");
    let args = export(&[
        "--target",
        "kong",
        "--out-private",
        dir.join("kong.yaml").to_str().unwrap(),
        "--out-public",
        dir.join("public.json").to_str().unwrap(),
        "--tf-variables",
        dir.join("variables.tf").to_str().unwrap(),
    ]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let err = refused(&args);
    assert!(err.contains("--tf-variables"), "{err}");
}

/// /dev/null takes any number of outputs: the build is tried, and fails on the manifest.
#[cfg(unix)]
#[test]
fn dev_null_takes_both_outputs() {
    let manifest = bogus_manifest("dev_null");
    let args = export(&["--out-private", "/dev/null", "--out-public", "/dev/null"]);
    let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
    args.extend(["--manifest-path", manifest.to_str().unwrap()]);
    let output = aws_spec(&args);
    assert_code(&output, 1);
    let err = stderr(&output);
    assert!(err.contains("cargo metadata failed"), "{err}");
    assert!(err.contains(BOGUS), "cargo read the manifest: {err}");
}
