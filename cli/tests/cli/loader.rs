//! How aws-spec loads a router: what the router function prints, the model file's format
//! version, a configured build target, the crate types of the router's library.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::util::{
    assert_code, aws_spec, aws_spec_command, copy_of_fixture, fixture, fixture_copy, scratch,
    stderr, stdout,
};

/// `aws-spec ARGS… --manifest-path MANIFEST`.
fn aws_spec_with(manifest: &Path, args: &[&str]) -> Output {
    let mut all = args.to_vec();
    all.extend(["--manifest-path", manifest.to_str().unwrap()]);
    aws_spec(&all)
}

/// Exports `router` of `manifest` into `dir`: private and public spec, variables.tf.
/// Asserts success; returns the three files' contents and aws-spec's stderr.
fn export_files(manifest: &Path, router: &str, dir: &Path) -> ([String; 3], String) {
    let files = ["private.json", "public.json", "variables.tf"].map(|name| dir.join(name));
    let [private, public, tf] = files.each_ref().map(|path| path.to_str().unwrap());
    let output = aws_spec_with(
        manifest,
        &[
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
            "--tf-variables",
            tf,
        ],
    );
    assert_code(&output, 0);
    (
        files.map(|path| std::fs::read_to_string(path).unwrap()),
        stderr(&output),
    )
}

/// The line of aws-spec's own error.
fn error_line(output: &Output) -> String {
    let err = stderr(output);
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("aws-spec: "))
        .collect();
    assert_eq!(lines.len(), 1, "one error line: {err}");
    lines[0].to_owned()
}

/// A copy of the fixture crate whose `src/lib.rs` also has `functions` (at its end).
fn fixture_with(name: &str, functions: &str) -> PathBuf {
    fixture_copy(name, |lib| format!("{lib}\n{functions}"))
}

const CHATTY: &str = r#"
/// The service's router, after printing what a service prints at start-up.
pub fn chatty() -> axum_aws::AwsRouter {
    println!("chatty v1: a line on stdout");
    eprintln!("chatty v1: a log line on stderr");
    routes::router()
}
"#;

/// A router function may print (a log line, a `println!`): the export is the same as
/// without the prints, and they appear on aws-spec's stderr, once, never on its stdout
/// (which may carry a spec).
#[test]
fn a_router_function_that_prints_exports_the_same_and_its_lines_go_to_stderr() {
    let manifest = fixture_with("printing_router", CHATTY);
    let dir = manifest.parent().unwrap();
    for name in ["plain", "chatty"] {
        std::fs::create_dir_all(dir.join(name)).unwrap();
    }
    let (plain, plain_err) = export_files(
        &manifest,
        "fixture_service::routes::router",
        &dir.join("plain"),
    );
    assert!(!plain_err.contains("chatty"), "{plain_err}");

    // Twice: the second export uses the loader run while cargo checks it (the early
    // run), whose lines are shown too, and only once.
    for run in ["first", "unchanged"] {
        let (chatty, err) = export_files(&manifest, "fixture_service::chatty", &dir.join("chatty"));
        assert_eq!(chatty, plain, "{run} export");
        for line in [
            "chatty v1: a line on stdout\n",
            "chatty v1: a log line on stderr\n",
        ] {
            assert_eq!(
                err.matches(line).count(),
                1,
                "{run} export: {line:?} in {err}"
            );
        }
    }

    // The private spec on stdout: exactly the spec, the prints on stderr.
    let output = aws_spec_with(
        &manifest,
        &[
            "--router",
            "fixture_service::chatty",
            "--title",
            "Widgets",
            "--api-version",
            "1.2.0",
            "--out-private",
            "-",
            "--out-public",
            "/dev/null",
        ],
    );
    assert_code(&output, 0);
    assert_eq!(stdout(&output), plain[0]);
    assert!(stderr(&output).contains("chatty v1: a line on stdout\n"));

    // After a change the loader run early is stale: its lines must not be shown.
    let lib = dir.join("src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(&lib, text.replace("chatty v1", "chatty v2")).unwrap();
    let (chatty, err) = export_files(&manifest, "fixture_service::chatty", &dir.join("chatty"));
    assert_eq!(chatty, plain);
    assert!(!err.contains("chatty v1"), "the stale run's lines: {err}");
    assert_eq!(
        err.matches("chatty v2: a line on stdout\n").count(),
        1,
        "{err}"
    );
}

/// A router function that panics or ends the process: one line says so; what it printed
/// (the panic message) is shown.
#[test]
fn a_router_function_that_panics_or_exits_says_so() {
    let manifest = fixture_with(
        "failing_router",
        r#"
/// Panics, as a router function that reads a missing setting would.
pub fn panics() -> axum_aws::AwsRouter {
    panic!("DATABASE_URL is not set")
}

/// Ends the process instead of returning.
pub fn exits() -> axum_aws::AwsRouter {
    std::process::exit(0)
}
"#,
    );
    let output = aws_spec_with(&manifest, &["vars", "--router", "fixture_service::panics"]);
    assert_code(&output, 1);
    assert!(
        stderr(&output).contains("DATABASE_URL is not set"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        error_line(&output),
        "aws-spec: fixture_service::panics failed while building the router (exit status: 101; its output is above)"
    );

    let output = aws_spec_with(&manifest, &["vars", "--router", "fixture_service::exits"]);
    assert_code(&output, 1);
    assert_eq!(
        error_line(&output),
        "aws-spec: fixture_service::exits: the loader exited successfully but wrote no spec model; the router function must return its router, not end the process (does it call `std::process::exit`?)"
    );
}

/// A crate whose axum-aws writes another model format (here 999, and a model this
/// aws-spec would not parse): one line naming both versions and what to install, not a
/// parse error.
#[test]
fn another_model_format_is_one_line_naming_both_versions() {
    let output = aws_spec_with(
        &fixture("future_format"),
        &["vars", "--router", "future_format::router"],
    );
    assert_code(&output, 1);
    assert_eq!(
        error_line(&output),
        format!(
            "aws-spec: future_format::router: the crate's axum-aws 9.9.9 writes spec model format 999, this aws-spec {} reads format 6; install the aws-spec of the checkout or commit the crate's axum-aws 9.9.9 comes from (`cargo install --path cli` in that checkout, or `cargo install --git {} --rev COMMIT aws-spec` with the commit of axum-aws's `source` in Cargo.lock)",
            env!("CARGO_PKG_VERSION"),
            env!("CARGO_PKG_REPOSITORY")
        )
    );
    assert!(stdout(&output).is_empty(), "{}", stdout(&output));
}

/// With a build target configured (`build.target`, `CARGO_BUILD_TARGET`) for a triple
/// this machine cannot run (nor build: its standard library is not installed), the
/// loader is still built for the host and runs. aws-spec runs in the crate's directory,
/// where cargo reads `.cargo/config.toml`. (The crate's "router" writes its model with
/// axum-aws-spec alone: the dependencies are built once more, for the host triple.)
#[test]
fn a_configured_build_target_does_not_apply_to_the_loader() {
    const FOREIGN: &str = "aarch64-unknown-linux-gnu";
    let vars = |dir: &Path, env: Option<&str>| {
        let mut command = aws_spec_command(&["vars", "--router", "spec_only::router"]);
        command.current_dir(dir).env_remove("CARGO_BUILD_TARGET");
        if let Some(target) = env {
            command.env("CARGO_BUILD_TARGET", target);
        }
        let output = command.output().unwrap();
        assert_code(&output, 0);
        stdout(&output)
    };

    let manifest = copy_of_fixture("spec_only", "build_target_config");
    let dir = manifest.parent().unwrap();
    std::fs::create_dir_all(dir.join(".cargo")).unwrap();
    std::fs::write(
        dir.join(".cargo/config.toml"),
        format!("[build]\ntarget = \"{FOREIGN}\"\n"),
    )
    .unwrap();
    let text = vars(dir, None);
    assert!(text.contains("health_invoke_arn"), "{text}");

    let dir = fixture("spec_only").parent().unwrap().to_path_buf();
    assert_eq!(vars(&dir, Some(FOREIGN)), text, "CARGO_BUILD_TARGET");
}

/// A library built only as a `cdylib` cannot be called by the loader: a clear error
/// before anything is built.
#[test]
fn a_cdylib_only_library_is_a_clear_error_before_building() {
    let manifest = fixture_copy("cdylib_only", |lib| lib);
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        format!("{text}\n[lib]\ncrate-type = [\"cdylib\"]\n"),
    )
    .unwrap();
    let output = aws_spec_with(
        &manifest,
        &["vars", "--router", "fixture_service::routes::router"],
    );
    assert_code(&output, 1);
    assert_eq!(
        error_line(&output),
        format!(
            "aws-spec: fixture_service::routes::router: the library `fixture_service` of package `fixture-service` is built only as crate-type [\"cdylib\"], which aws-spec's loader cannot call; add \"rlib\" to `crate-type` in the `[lib]` of {} (crate-type = [\"cdylib\", \"rlib\"])",
            manifest.display()
        )
    );
    assert!(
        !stderr(&output).contains("Compiling"),
        "nothing is built: {}",
        stderr(&output)
    );
}

/// Cargo runs in the manifest's directory (to read its configuration there), but a
/// relative CARGO_TARGET_DIR still means one in the directory aws-spec runs in.
#[test]
fn a_relative_target_dir_is_relative_to_where_aws_spec_runs() {
    let dir = scratch("relative_target_dir");
    let manifest = fixture("future_format");
    let output = aws_spec_command(&[
        "vars",
        "--router",
        "future_format::router",
        "--manifest-path",
        manifest.to_str().unwrap(),
    ])
    .current_dir(&dir)
    .env("CARGO_TARGET_DIR", "relative-target")
    .output()
    .unwrap();
    assert!(
        error_line(&output).contains("writes spec model format 999"),
        "{}",
        stderr(&output)
    );
    assert!(dir.join("relative-target/aws-spec/loader").is_dir());
    assert!(!manifest.with_file_name("relative-target").exists());
}

/// A workspace without a Cargo.lock: the export resolves it once, offline from cargo's
/// cache, leaves the lock in the workspace (as `cargo build` would), and the next
/// export uses it without resolving again.
#[test]
fn a_workspace_without_a_lock_gets_one_and_keeps_it() {
    let manifest = copy_of_fixture("service", "without_lock");
    let lock = manifest.with_file_name("Cargo.lock");
    std::fs::remove_file(&lock).unwrap();
    let vars = |manifest: &Path| {
        let output = aws_spec_command(&[
            "vars",
            "--router",
            "fixture_service::routes::router",
            "--manifest-path",
            manifest.to_str().unwrap(),
        ])
        .env("CARGO_NET_OFFLINE", "true")
        .output()
        .unwrap();
        assert_code(&output, 0);
        stderr(&output)
    };
    vars(&manifest);
    let written = std::fs::read_to_string(&lock).expect("the workspace's Cargo.lock is left");
    assert!(written.contains("name = \"fixture-service\""), "{written}");
    assert!(
        !written.contains("aws-spec-loader"),
        "the loader is not in it: {written}"
    );
    let again = vars(&manifest);
    assert!(
        !again.contains("Locking") && !again.contains("Updating"),
        "the second export resolves nothing: {again}"
    );
    assert_eq!(std::fs::read_to_string(&lock).unwrap(), written);
}
