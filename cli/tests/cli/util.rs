use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The router of the fixture crate.
pub(crate) const ROUTER: &str = "fixture_service::routes::router";

/// The fixture crate's manifest.
pub(crate) fn fixture_manifest() -> PathBuf {
    fixture("service")
}

/// One target directory for every fixture build (the fixture and its copies), so that
/// axum-aws and its dependencies compile once.
fn fixture_target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-target")
}

/// A fresh, empty directory for one test.
pub(crate) fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("scratch")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The command `aws-spec ARGS…`, with the shared fixture target directory.
pub(crate) fn aws_spec_command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_aws-spec"));
    command
        .args(args)
        .env("CARGO_TARGET_DIR", fixture_target_dir());
    command
}

/// `aws-spec ARGS…`, with the shared fixture target directory.
pub(crate) fn aws_spec(args: &[&str]) -> Output {
    aws_spec_command(args).output().unwrap()
}

/// The manifest of the fixture crate `tests/fixtures/NAME`.
pub(crate) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .join("Cargo.toml")
}

/// `aws-spec ARGS… --manifest-path FIXTURE`.
pub(crate) fn aws_spec_fixture(args: &[&str]) -> Output {
    let manifest = fixture_manifest();
    let mut all = args.to_vec();
    all.extend(["--manifest-path", manifest.to_str().unwrap()]);
    aws_spec(&all)
}

pub(crate) fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts the exit code, showing both streams if it differs.
#[track_caller]
pub(crate) fn assert_code(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "exit status\n--- stdout\n{}\n--- stderr\n{}",
        stdout(output),
        stderr(output)
    );
}

/// A copy of the fixture crate, with `edit` applied to its `src/lib.rs`.
pub(crate) fn fixture_copy(name: &str, edit: impl FnOnce(String) -> String) -> PathBuf {
    let manifest = copy_of_fixture("service", name);
    let lib = manifest.with_file_name("src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(&lib, edit(text)).unwrap();
    manifest
}

/// A copy of the fixture crate `tests/fixtures/FIXTURE` in the scratch directory `name`
/// (its manifest, lock file and `src/lib.rs`), its path dependencies on this workspace's
/// crates made absolute. Returns its manifest.
pub(crate) fn copy_of_fixture(fixture: &str, name: &str) -> PathBuf {
    let source = self::fixture(fixture).parent().unwrap().to_path_buf();
    let dir = scratch(name);
    let crates = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../crates")
        .canonicalize()
        .unwrap();
    let manifest = std::fs::read_to_string(source.join("Cargo.toml"))
        .unwrap()
        .replace("../../../../crates", crates.to_str().unwrap());
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(source.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::copy(source.join("src/lib.rs"), dir.join("src/lib.rs")).unwrap();
    dir.join("Cargo.toml")
}
