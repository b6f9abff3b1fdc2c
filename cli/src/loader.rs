//! Loading a router from the user's crate: generate a tiny crate that calls the router
//! function and prints the spec model, build it in the user's target directory (so the
//! user's dependencies are not rebuilt), run it, parse its output.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread::JoinHandle;

use axum_aws_spec::ApiSpec;
use serde_json::Value;

use crate::Error;
use crate::cli::LoadArgs;

/// Loads the spec model of `args.router` by compiling and running a loader crate.
///
/// # Errors
/// A malformed `--router`, an unknown feature or profile ([`Error::Usage`]); cargo failures; the user's crate not
/// compiling ([`Error::Build`], cargo's messages already shown); a missing function or
/// a wrong signature ([`Error::Load`], one line).
pub fn load(args: &LoadArgs) -> Result<ApiSpec, Error> {
    let router = RouterPath::parse(&args.router)?;
    let workspace = Workspace::read(args.manifest_path.as_deref())?;
    let package = workspace.package_with_lib(&router)?;
    let features = Features::of(args, package)?;
    workspace.check_profile(args.profile())?;
    let loader = Loader::new(&workspace, &router, package, &features, args.profile());
    loader.write()?;
    // While cargo checks that the loader is up to date, the loader it built last time
    // already runs; its output counts only if cargo then reports that very executable
    // fresh. An unchanged crate so pays for the slower of the two, not their sum.
    let early = loader
        .last_executable()
        .and_then(|exe| EarlyRun::start(&exe));
    let built = match loader.build(&router) {
        Ok(built) => built,
        Err(error) => {
            if let Some(early) = early {
                early.abandon();
            }
            return Err(error);
        }
    };
    loader.remember(&built.executable)?;
    let output = match early {
        Some(early) if built.fresh && early.ran(&built.executable) => early.finish(),
        early => {
            if let Some(early) = early {
                early.abandon();
            }
            run(&built.executable)
        }
    };
    parse(output, &built.executable, &router)
}

/// The features the loader enables on the router's package.
#[derive(Debug, Default)]
struct Features {
    names: BTreeSet<String>,
    default: bool,
}

impl Features {
    fn of(args: &LoadArgs, package: &Package) -> Result<Self, Error> {
        let mut names: BTreeSet<String> = args.feature_names().map(str::to_owned).collect();
        if let Some(unknown) = names.iter().find(|name| !package.features.contains(*name)) {
            let known: Vec<&str> = package.features.iter().map(String::as_str).collect();
            return Err(Error::Usage(format!(
                "--features: package `{}` has no feature {unknown:?} (features: {})",
                package.name,
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            )));
        }
        if args.all_features {
            names.extend(package.features.iter().cloned());
        }
        Ok(Self {
            names,
            // As with cargo, `--all-features` includes `default`.
            default: args.all_features || !args.no_default_features,
        })
    }

    /// Distinguishes the loader crates of one router with different features, so that
    /// exports with different features never share (and rewrite) one loader.
    fn slug(&self) -> String {
        let mut slug = String::new();
        if !self.default {
            slug.push_str("-nodefault");
        }
        for name in &self.names {
            slug.push_str("-f_");
            slug.extend(name.chars().map(|c| match c {
                'a'..='z' | 'A'..='Z' | '0'..='9' | '_' => c.to_ascii_lowercase(),
                _ => '_',
            }));
        }
        slug
    }

    /// The dependency's keys after its `path`, in the loader's manifest.
    fn manifest_keys(&self) -> String {
        let mut keys = String::new();
        if !self.default {
            keys.push_str(", default-features = false");
        }
        if !self.names.is_empty() {
            let names: Vec<String> = self.names.iter().map(|n| toml_string(n)).collect();
            keys.push_str(&format!(", features = [{}]", names.join(", ")));
        }
        keys
    }
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
    /// The `[profile]` and `[patch]` tables of the workspace's root manifest, for the
    /// loader's manifest (see [`root_tables`]).
    root_tables: RootTables,
}

#[derive(Debug, Clone)]
struct Package {
    name: String,
    dir: PathBuf,
    lib: Option<String>,
    /// Its features (`default` aside).
    features: BTreeSet<String>,
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
                let features = p["features"]
                    .as_object()
                    .into_iter()
                    .flat_map(|features| features.keys())
                    .filter(|name| *name != "default")
                    .cloned()
                    .collect();
                Some(Package {
                    name: text(&p["name"])?,
                    dir: manifest.parent()?.to_path_buf(),
                    lib,
                    features,
                })
            })
            .collect();
        let root = PathBuf::from(text(&metadata["workspace_root"]).unwrap_or_default());
        let root_manifest = root.join("Cargo.toml");
        let root_tables = match std::fs::read_to_string(&root_manifest) {
            Ok(manifest) => root_tables(&manifest, &root).map_err(|e| {
                Error::Load(format!("cannot read {}: {e}", root_manifest.display()))
            })?,
            Err(_) => RootTables::default(),
        };
        Ok(Self {
            root,
            target_dir: PathBuf::from(text(&metadata["target_directory"]).unwrap_or_default()),
            packages,
            root_tables,
        })
    }

    /// Cargo's built-in profiles and those of the root manifest; anything else would
    /// fail the build with cargo's message and ours blaming the crate.
    fn check_profile(&self, profile: &str) -> Result<(), Error> {
        const BUILT_IN: [&str; 4] = ["dev", "release", "test", "bench"];
        if BUILT_IN.contains(&profile) || self.root_tables.profiles.contains(profile) {
            return Ok(());
        }
        let known: Vec<&str> = BUILT_IN
            .into_iter()
            .chain(self.root_tables.profiles.iter().map(String::as_str))
            .collect();
        Err(Error::Usage(format!(
            "--profile: no profile {profile:?} in {} (profiles: {})",
            self.root.join("Cargo.toml").display(),
            known.join(", ")
        )))
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

/// The `[profile]` and `[patch]` tables of a workspace's root manifest, as TOML for the
/// loader's manifest. Cargo reads both only from the root of the workspace being built,
/// and the loader is a workspace of its own: without them its build would use other
/// profile settings (so rebuild every dependency instead of reusing the user's build)
/// and other sources. Relative `path`s of patches are made absolute.
fn root_tables(manifest: &str, root: &Path) -> Result<RootTables, toml::de::Error> {
    let mut manifest: toml::Table = manifest.parse()?;
    let mut tables = toml::Table::new();
    for key in ["profile", "patch"] {
        if let Some(table) = manifest.remove(key) {
            tables.insert(key.to_owned(), table);
        }
    }
    let sources = tables.get_mut("patch").and_then(toml::Value::as_table_mut);
    for (_, source) in sources.into_iter().flat_map(|sources| sources.iter_mut()) {
        let crates = source.as_table_mut().into_iter().flat_map(|c| c.iter_mut());
        for patch in crates.filter_map(|(_, patch)| patch.as_table_mut()) {
            let path = patch.get("path").and_then(toml::Value::as_str);
            if let Some(path) = path.map(|path| root.join(path)) {
                let path = toml::Value::from(path.to_string_lossy().into_owned());
                patch.insert("path".to_owned(), path);
            }
        }
    }
    if tables.is_empty() {
        return Ok(RootTables::default());
    }
    let profiles = tables
        .get("profile")
        .and_then(toml::Value::as_table)
        .map(|profiles| profiles.keys().cloned().collect())
        .unwrap_or_default();
    let text = toml::to_string(&tables).unwrap_or_default();
    Ok(RootTables {
        text: format!("\n# From {}.\n{text}", root.join("Cargo.toml").display()),
        profiles,
    })
}

/// What [`root_tables`] takes from the root manifest.
#[derive(Debug, Default)]
struct RootTables {
    /// The tables as TOML, for the loader's manifest (empty without any).
    text: String,
    /// The names under `[profile]`.
    profiles: BTreeSet<String>,
}

/// The loader directory's hash of the package directory: FNV-1a, 64 bits, which
/// (unlike std's `DefaultHasher`) stays the same across Rust releases, so a loader's
/// directory (and cargo's cache in it) survives an upgrade of aws-spec.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hasher = fnv::FnvHasher::default();
    std::hash::Hasher::write(&mut hasher, bytes);
    std::hash::Hasher::finish(&hasher)
}

/// The generated crate.
#[derive(Debug)]
struct Loader {
    dir: PathBuf,
    name: String,
    profile: String,
    target_dir: PathBuf,
    user_lock: PathBuf,
    manifest: String,
    main: String,
}

impl Loader {
    fn new(
        workspace: &Workspace,
        router: &RouterPath,
        package: &Package,
        features: &Features,
        profile: &str,
    ) -> Self {
        // One crate per package directory, router function and feature set, so that
        // two loads never rewrite one loader: concurrent exports would build the other's
        // router, and sequential ones would defeat cargo's cache. The directory counts
        // because one target directory (a shared CARGO_TARGET_DIR, two checkouts of a
        // crate) can serve packages whose routers have the same path.
        let slug = format!(
            "{}{}-{:016x}",
            router
                .text
                .replace("::", "-")
                .replace("r#", "")
                .to_ascii_lowercase(),
            features.slug(),
            fnv1a(package.dir.as_os_str().as_encoded_bytes()),
        );
        let name = format!("aws-spec-loader-{slug}");
        let manifest = format!(
            "# Generated by aws-spec to load `{router}`; rewritten on every export. Do not edit.\n\
             [package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\n{dep} = {{ path = {path}{keys} }}\n\n\
             # Its own workspace root, not a member of the user's workspace.\n[workspace]\n{root_tables}",
            router = router.text,
            root_tables = workspace.root_tables.text,
            dep = package.name,
            path = toml_string(&package.dir.to_string_lossy()),
            keys = features.manifest_keys(),
        );
        let main = format!(
            "// Generated by aws-spec. Do not edit.\n\
             // Prints the spec model of `{router}` as JSON on stdout.\n\
             fn main() {{\n\
             \x20   let router = {router}();\n\
             \x20   let spec: String = router.__aws_spec_export();\n\
             \x20   std::io::Write::write_all(&mut std::io::stdout(), spec.as_bytes()).expect(\"writing to stdout\");\n\
             \x20   // Exit without freeing the spec: the process ends anyway.\n\
             \x20   std::process::exit(0);\n\
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
            profile: profile.to_owned(),
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

    /// The file remembering the executable of the last build with this profile.
    fn executable_note(&self) -> PathBuf {
        self.dir.join(format!("executable-{}", self.profile))
    }

    /// The executable the last build with this profile produced, if it is still there.
    fn last_executable(&self) -> Option<PathBuf> {
        let path = PathBuf::from(std::fs::read_to_string(self.executable_note()).ok()?);
        path.is_file().then_some(path)
    }

    fn remember(&self, executable: &Path) -> Result<(), Error> {
        write_if_changed(
            &self.executable_note(),
            executable.to_string_lossy().as_bytes(),
        )
    }

    /// Builds the loader; returns the executable and whether cargo left it as it was.
    fn build(&self, router: &RouterPath) -> Result<Built, Error> {
        let color = std::io::stderr().is_terminal();
        let mut child = Command::new(cargo())
            .arg("build")
            .arg("--manifest-path")
            .arg(self.dir.join("Cargo.toml"))
            .arg("--profile")
            .arg(&self.profile)
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
        let mut fresh = false;
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
                    fresh = message["fresh"].as_bool() == Some(true);
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
            let executable = executable.ok_or_else(|| {
                Error::Load(format!("cargo built {} but named no executable", self.name))
            })?;
            return Ok(Built { executable, fresh });
        }
        if user_errors {
            return Err(Error::Build(router.krate.clone()));
        }
        if loader_errors.is_empty() {
            // Cargo failed before compiling anything (a manifest, the network, a lock):
            // its own message says why.
            return Err(Error::Load(format!(
                "{}: cargo could not build the loader (cargo's messages above)",
                router.text
            )));
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

/// What `cargo build` of the loader produced.
#[derive(Debug)]
struct Built {
    executable: PathBuf,
    /// Cargo found it up to date and did not relink it.
    fresh: bool,
}

/// The loader of the last build, started before cargo says whether it is still fresh.
#[derive(Debug)]
struct EarlyRun {
    child: Child,
    /// What was started: (path, device, inode, modification time), as seen before the
    /// start. The output counts only if cargo names the same path and the file is still
    /// the same one afterwards (cargo replaces it, never rewrites it in place).
    identity: (PathBuf, FileIdentity),
    stdout: JoinHandle<Vec<u8>>,
    stderr: JoinHandle<Vec<u8>>,
}

type FileIdentity = (u64, u64, i64, i64);

impl EarlyRun {
    /// Starts `executable`; `None` where that is not sound or not possible: on Windows
    /// a running executable cannot be replaced, so it would fail cargo's relink (there
    /// `file_identity` is `None`).
    fn start(executable: &Path) -> Option<Self> {
        let identity = (executable.to_path_buf(), file_identity(executable)?);
        let mut child = Command::new(executable)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .ok()?;
        let stdout = read_to_end(child.stdout.take()?);
        let stderr = read_to_end(child.stderr.take()?);
        Some(Self {
            child,
            identity,
            stdout,
            stderr,
        })
    }

    /// Whether this run was of the executable cargo just reported.
    fn ran(&self, executable: &Path) -> bool {
        self.identity.0 == executable
            && file_identity(executable).as_ref() == Some(&self.identity.1)
    }

    fn finish(mut self) -> std::io::Result<Output> {
        let status = self.child.wait()?;
        let joined = |handle: JoinHandle<Vec<u8>>| handle.join().unwrap_or_default();
        Ok(Output {
            status,
            stdout: joined(self.stdout),
            stderr: joined(self.stderr),
        })
    }

    fn abandon(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(unix)]
fn file_identity(path: &Path) -> Option<FileIdentity> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.dev(), meta.ino(), meta.mtime(), meta.mtime_nsec()))
}

#[cfg(not(unix))]
fn file_identity(_: &Path) -> Option<FileIdentity> {
    None
}

fn read_to_end(mut source: impl Read + Send + 'static) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = source.read_to_end(&mut bytes);
        bytes
    })
}

/// Runs the loader.
fn run(executable: &Path) -> std::io::Result<Output> {
    Command::new(executable).stdin(Stdio::null()).output()
}

/// Parses the spec model the loader printed.
fn parse(
    output: std::io::Result<Output>,
    executable: &Path,
    router: &RouterPath,
) -> Result<ApiSpec, Error> {
    let output =
        output.map_err(|e| Error::Load(format!("cannot run {}: {e}", executable.display())))?;
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

/// A TOML string literal (toml-rs escapes it).
fn toml_string(text: &str) -> String {
    toml::Value::from(text).to_string()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_tables_keep_profiles_and_patches_with_absolute_paths() {
        let manifest = r#"
            [workspace]
            members = ["service"]

            [profile.dev]
            opt-level = 1

            [profile.spec]
            inherits = "release"
            lto = false

            [patch.crates-io]
            axum = { path = "vendor/axum" }
            tower = { git = "https://github.com/tower-rs/tower" }
        "#;
        let root = root_tables(manifest, Path::new("/src/app")).unwrap();
        assert_eq!(
            root.profiles.iter().collect::<Vec<_>>(),
            ["dev", "spec"],
            "{root:?}"
        );
        let text = root.text;
        let tables: toml::Table = text.parse().unwrap();
        assert_eq!(tables["profile"]["dev"]["opt-level"].as_integer(), Some(1));
        assert_eq!(
            tables["profile"]["spec"]["inherits"].as_str(),
            Some("release")
        );
        let patches = &tables["patch"]["crates-io"];
        assert_eq!(
            patches["axum"]["path"].as_str(),
            Some("/src/app/vendor/axum")
        );
        assert_eq!(
            patches["tower"]["git"].as_str(),
            Some("https://github.com/tower-rs/tower")
        );
        assert!(tables.get("workspace").is_none(), "{text}");
        assert!(
            text.starts_with("\n# From /src/app/Cargo.toml.\n"),
            "{text}"
        );
    }

    #[test]
    fn root_tables_are_empty_without_profiles_or_patches() {
        let manifest = "[package]\nname = \"app\"\nversion = \"0.1.0\"\n";
        let root = root_tables(manifest, Path::new("/src/app")).unwrap();
        assert_eq!(root.text, "");
        assert!(root.profiles.is_empty());
    }

    #[test]
    fn a_malformed_root_manifest_is_an_error() {
        assert!(root_tables("[profile.dev\n", Path::new("/src/app")).is_err());
    }

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_string(r#"C:\a "b""#), r#"'C:\a "b"'"#);
        let parsed: toml::Table = format!("x = {}", toml_string("a\tb\\c\"d"))
            .parse()
            .unwrap();
        assert_eq!(parsed["x"].as_str(), Some("a\tb\\c\"d"));
    }
}
