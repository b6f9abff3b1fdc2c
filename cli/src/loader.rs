//! Loading a router from the user's crate: generate a tiny crate that calls the router
//! function and prints the spec model, build it in the user's target directory (so the
//! user's dependencies are not rebuilt), run it, parse its output.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use axum_aws::ApiSpec;
use serde_json::Value;

use crate::Error;
use crate::cli::LoadArgs;

/// Loads the spec model of `args.router` by compiling and running a loader crate.
///
/// # Errors
/// A malformed `--router` ([`Error::Usage`]); cargo failures; the user's crate not
/// compiling ([`Error::Build`], cargo's messages already shown); a missing function or
/// a wrong signature ([`Error::Load`], one line).
pub fn load(args: &LoadArgs) -> Result<ApiSpec, Error> {
    let router = RouterPath::parse(&args.router)?;
    let workspace = Workspace::read(args.manifest_path.as_deref())?;
    let package = workspace.package_with_lib(&router)?;
    let loader = Loader::new(&workspace, &router, package);
    loader.write()?;
    let executable = loader.build(&router)?;
    run(&executable, &router)
}

/// `crate_name::module::function`.
#[derive(Debug)]
struct RouterPath {
    text: String,
    krate: String,
}

impl RouterPath {
    fn parse(text: &str) -> Result<Self, Error> {
        let segments: Vec<&str> = text.split("::").collect();
        let identifier = |s: &&str| {
            let s = s.strip_prefix("r#").unwrap_or(s);
            s.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        };
        if segments.len() < 2 || !segments.iter().all(identifier) {
            return Err(Error::Usage(format!(
                "--router {text:?} is not a path like `my_service::routes::router` (crate name first, `-` written `_`)"
            )));
        }
        Ok(Self {
            text: text.to_owned(),
            krate: segments[0].to_owned(),
        })
    }
}

/// What `cargo metadata` says about the user's workspace.
#[derive(Debug)]
struct Workspace {
    root: PathBuf,
    target_dir: PathBuf,
    packages: Vec<Package>,
}

#[derive(Debug, Clone)]
struct Package {
    name: String,
    dir: PathBuf,
    lib: Option<String>,
}

impl Workspace {
    fn read(manifest: Option<&Path>) -> Result<Self, Error> {
        let mut command = Command::new(cargo());
        command.args(["metadata", "--format-version", "1", "--no-deps"]);
        if let Some(manifest) = manifest {
            command.arg("--manifest-path").arg(manifest);
        }
        let output = command
            .output()
            .map_err(|e| Error::Load(format!("cannot run cargo: {e}")))?;
        if !output.status.success() {
            return Err(Error::Load(format!(
                "cargo metadata failed:\n{}",
                String::from_utf8_lossy(&output.stderr).trim_end()
            )));
        }
        let metadata: Value = serde_json::from_slice(&output.stdout)
            .map_err(|e| Error::Load(format!("cannot read cargo metadata's output: {e}")))?;
        let text = |v: &Value| v.as_str().map(str::to_owned);
        let packages = metadata["packages"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| {
                let manifest = PathBuf::from(text(&p["manifest_path"])?);
                let lib = p["targets"].as_array().into_iter().flatten().find_map(|t| {
                    let kinds = t["kind"].as_array()?;
                    kinds
                        .iter()
                        .any(|k| k.as_str().is_some_and(|k| k.ends_with("lib")))
                        .then(|| text(&t["name"]))?
                });
                Some(Package {
                    name: text(&p["name"])?,
                    dir: manifest.parent()?.to_path_buf(),
                    lib,
                })
            })
            .collect();
        Ok(Self {
            root: PathBuf::from(text(&metadata["workspace_root"]).unwrap_or_default()),
            target_dir: PathBuf::from(text(&metadata["target_directory"]).unwrap_or_default()),
            packages,
        })
    }

    fn package_with_lib(&self, router: &RouterPath) -> Result<&Package, Error> {
        let krate = router.krate.strip_prefix("r#").unwrap_or(&router.krate);
        self.packages
            .iter()
            .find(|p| p.lib.as_deref() == Some(krate))
            .ok_or_else(|| {
                let libs: Vec<&str> = self
                    .packages
                    .iter()
                    .filter_map(|p| p.lib.as_deref())
                    .collect();
                Error::Load(format!(
                    "{}: no library crate `{krate}` in the workspace at {} (libraries: {})",
                    router.text,
                    self.root.display(),
                    if libs.is_empty() {
                        "none".to_owned()
                    } else {
                        libs.join(", ")
                    }
                ))
            })
    }
}

/// The generated crate.
#[derive(Debug)]
struct Loader {
    dir: PathBuf,
    name: String,
    target_dir: PathBuf,
    user_lock: PathBuf,
    manifest: String,
    main: String,
}

impl Loader {
    fn new(workspace: &Workspace, router: &RouterPath, package: &Package) -> Self {
        // One crate per router function, so that loading two routers of one crate
        // (even concurrently) never rewrites a loader and defeats cargo's cache.
        let slug = router
            .text
            .replace("::", "-")
            .replace("r#", "")
            .to_ascii_lowercase();
        let name = format!("aws-spec-loader-{slug}");
        let manifest = format!(
            "# Generated by aws-spec to load `{router}`; rewritten on every export. Do not edit.\n\
             [package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\n{dep} = {{ path = {path} }}\n\n\
             # Its own workspace root, not a member of the user's workspace.\n[workspace]\n",
            router = router.text,
            dep = package.name,
            path = toml_string(&package.dir.to_string_lossy()),
        );
        let main = format!(
            "// Generated by aws-spec. Do not edit.\n\
             // Prints the spec model of `{router}` as JSON on stdout.\n\
             fn main() {{\n\
             \x20   let router = {router}();\n\
             \x20   let spec: String = router.__aws_spec_export();\n\
             \x20   std::io::Write::write_all(&mut std::io::stdout(), spec.as_bytes()).expect(\"writing to stdout\");\n\
             }}\n",
            router = router.text,
        );
        Self {
            dir: workspace
                .target_dir
                .join("aws-spec")
                .join("loader")
                .join(&slug),
            name,
            target_dir: workspace.target_dir.clone(),
            user_lock: workspace.root.join("Cargo.lock"),
            manifest,
            main,
        }
    }

    /// Writes the files whose content changed, so cargo's fingerprints stay warm.
    fn write(&self) -> Result<(), Error> {
        write_if_changed(&self.dir.join("Cargo.toml"), self.manifest.as_bytes())?;
        write_if_changed(&self.dir.join("src").join("main.rs"), self.main.as_bytes())?;
        // The user's lock file, so that the same versions resolve. Cargo adds the loader
        // to its copy; `user.lock` remembers what was copied, so it is only replaced
        // when the user's lock file changes.
        if let Ok(lock) = std::fs::read(&self.user_lock) {
            let seen = self.dir.join("user.lock");
            if std::fs::read(&seen).ok().as_deref() != Some(lock.as_slice()) {
                write_if_changed(&self.dir.join("Cargo.lock"), &lock)?;
                write_if_changed(&seen, &lock)?;
            }
        }
        Ok(())
    }

    /// Builds the loader; returns the executable.
    fn build(&self, router: &RouterPath) -> Result<PathBuf, Error> {
        let color = std::io::stderr().is_terminal();
        let mut child = Command::new(cargo())
            .arg("build")
            .arg("--manifest-path")
            .arg(self.dir.join("Cargo.toml"))
            .arg(if color {
                "--message-format=json-diagnostic-rendered-ansi"
            } else {
                "--message-format=json"
            })
            .arg(if color {
                "--color=always"
            } else {
                "--color=never"
            })
            .env("CARGO_TARGET_DIR", &self.target_dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| Error::Load(format!("cannot run cargo: {e}")))?;

        // Cargo's own progress lines, passed through as they come, except its summary
        // of a failed loader (the explanation replaces it).
        let stderr = child.stderr.take().map(|stderr| {
            let loader = format!("`{}`", self.name);
            std::thread::spawn(move || {
                let mut out = std::io::stderr();
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    let about_loader_failure = line.contains(&loader)
                        && (line.contains("could not compile") || line.contains("build failed"));
                    if !about_loader_failure {
                        let _ = writeln!(out, "{line}");
                    }
                }
            })
        });

        let mut executable = None;
        let mut loader_errors = Vec::new();
        let mut user_errors = false;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| Error::Load("cargo's stdout is not captured".to_owned()))?;
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let Ok(message) = serde_json::from_str::<Value>(&line) else {
                continue;
            };
            let ours = message["target"]["name"].as_str() == Some(self.name.as_str());
            match message["reason"].as_str() {
                // The loader's own warnings are not the user's business.
                Some("compiler-message") if ours => loader_errors.extend(
                    Some(&message["message"])
                        .filter(|m| m["level"].as_str() == Some("error"))
                        .cloned(),
                ),
                Some("compiler-message") => {
                    user_errors |= message["message"]["level"].as_str() == Some("error");
                    if let Some(rendered) = message["message"]["rendered"].as_str() {
                        let _ = std::io::stderr().write_all(rendered.as_bytes());
                    }
                }
                Some("compiler-artifact") if ours => {
                    executable = message["executable"].as_str().map(PathBuf::from);
                }
                _ => {}
            }
        }
        let status = child
            .wait()
            .map_err(|e| Error::Load(format!("waiting for cargo: {e}")))?;
        if let Some(handle) = stderr {
            let _ = handle.join();
        }
        if status.success() {
            return executable.ok_or_else(|| {
                Error::Load(format!("cargo built {} but named no executable", self.name))
            });
        }
        if user_errors || loader_errors.is_empty() {
            return Err(Error::Build(router.krate.clone()));
        }
        Err(Error::Load(explain(router, &loader_errors)))
    }
}

/// One line for the loader's own compile errors: the function is missing, or is not a
/// `fn() -> AwsRouter<S>`.
fn explain(router: &RouterPath, errors: &[Value]) -> String {
    let codes: BTreeSet<&str> = errors
        .iter()
        .filter_map(|e| e["code"]["code"].as_str())
        .collect();
    let first = errors
        .first()
        .and_then(|e| e["message"].as_str())
        .unwrap_or("unknown error");
    let has = |wanted: &[&str]| wanted.iter().any(|c| codes.contains(c));
    let what = if has(&["E0425", "E0433", "E0412", "E0432", "E0423"]) {
        format!("no such function in crate {}", router.krate)
    } else if has(&["E0603"]) {
        "the function is not public (make it `pub`, in a public module)".to_owned()
    } else if has(&[
        "E0061", "E0599", "E0308", "E0618", "E0282", "E0283", "E0107",
    ]) {
        "expected fn() -> AwsRouter<S>, found a different signature".to_owned()
    } else {
        "cannot be called to load a router".to_owned()
    };
    format!("{}: {what} ({first})", router.text)
}

/// Runs the loader and parses the spec model it prints.
fn run(executable: &Path, router: &RouterPath) -> Result<ApiSpec, Error> {
    let output = Command::new(executable)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::Load(format!("cannot run {}: {e}", executable.display())))?;
    if !output.status.success() {
        return Err(Error::Load(format!(
            "{} failed while building the router:\n{}",
            router.text,
            String::from_utf8_lossy(&output.stderr).trim_end()
        )));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| {
        Error::Load(format!(
            "{}: cannot read the spec model ({e}); are aws-spec and the crate's axum-aws the same version?",
            router.text
        ))
    })
}

fn cargo() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes `content` unless the file already holds it (keeps mtimes, and so cargo's
/// fingerprints, unchanged). A regular file is written through a temporary file and a
/// rename; anything else that exists (`/dev/null`, a FIFO, a symlink) is written in
/// place, since a rename would replace it with a plain file.
pub(crate) fn write_if_changed(path: &Path, content: &[u8]) -> Result<(), Error> {
    if std::fs::read(path).ok().as_deref() == Some(content) {
        return Ok(());
    }
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    if std::fs::symlink_metadata(path).is_ok_and(|meta| !meta.is_file()) {
        return std::fs::write(path, content).map_err(io);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
    std::fs::write(&temp, content).map_err(io)?;
    std::fs::rename(&temp, path).map_err(io)
}
