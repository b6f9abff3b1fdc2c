//! Loading a router from the user's crate: generate a tiny crate that calls the router
//! function and writes its spec model to a file, build it in the user's target directory
//! (so the user's dependencies are not rebuilt), run it, read the file.
//!
//! The loader takes the path of the model file as its only argument and writes it with
//! `AwsRouter::export_model`, in the versioned format of [`axum_aws_spec::exchange`]: a
//! crate whose axum-aws writes another format version is told so, with both versions.
//! Whatever the router function prints (on stdout or stderr) goes to aws-spec's stderr,
//! since aws-spec's stdout may carry a spec.

use std::collections::BTreeSet;
use std::ffi::{OsStr, OsString};
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread::JoinHandle;

use axum_aws_spec::ApiSpec;
use axum_aws_spec::exchange::{FORMAT_VERSION, ModelFile, ReadError};
use serde_json::Value;

use crate::Error;
use crate::cli::LoadArgs;

/// Loads the spec model of `args.router` by compiling and running a loader crate.
///
/// Cargo runs in the directory of `--manifest-path` (else the current one), so that the
/// loader's build reads the cargo configuration a `cargo build` there reads. If that
/// configuration (or `CARGO_BUILD_TARGET`) sets `build.target`, the loader is built for
/// the host instead (`--target HOST`): it must run here.
///
/// # Errors
/// A malformed `--router`, an unknown feature or profile ([`Error::Usage`]); cargo failures; the user's crate not
/// compiling ([`Error::Build`], cargo's messages already shown); a missing function,
/// a wrong signature, a library cargo cannot link into the loader, a router function
/// that fails or exits, a crate whose axum-aws writes another model format
/// ([`Error::Load`], one line).
pub fn load(args: &LoadArgs) -> Result<ApiSpec, Error> {
    let router = RouterPath::parse(&args.router)?;
    let (dir, manifest) = cargo_dir(args.manifest_path.as_deref())?;
    let workspace = Workspace::read(&dir, manifest.as_deref())?;
    let package = workspace.package_with_lib(&router)?;
    let features = Features::of(args, package)?;
    workspace.check_profile(args.profile())?;
    workspace.ensure_lock(&dir)?;
    let target = if build_target_configured(
        &dir,
        cargo_home().as_deref(),
        std::env::var_os("CARGO_BUILD_TARGET").as_deref(),
    ) {
        Some(host_target(&dir)?)
    } else {
        None
    };
    let loader = Loader::new(&workspace, &router, package, &features, args.profile());
    loader.write()?;
    // While cargo checks that the loader is up to date, the loader it built last time
    // already runs; its result counts only if cargo then reports that very executable
    // fresh. An unchanged crate so pays for the slower of the two, not their sum.
    let early = loader
        .last_executable()
        .and_then(|exe| EarlyRun::start(&exe, loader.model_file("model-early")));
    let built = match loader.build(&router, &dir, target.as_deref()) {
        Ok(built) => built,
        Err(error) => {
            if let Some(early) = early {
                early.abandon();
            }
            return Err(error);
        }
    };
    loader.remember(&built.executable)?;
    let (status, model) = match early {
        Some(early) if built.fresh && early.ran(&built.executable) => early.finish(),
        early => {
            if let Some(early) = early {
                early.abandon();
            }
            let model = loader.model_file("model");
            (run(&built.executable, &model), model)
        }
    };
    read_model(status, &model, &built.executable, &router)
}

/// The directory cargo runs in, and the absolute `--manifest-path`. Cargo reads its
/// configuration files from the directory it runs in and its parents, never from the
/// manifest's directory (rust-lang/cargo#10098); running it in the manifest's directory
/// makes an export with `--manifest-path` see what `cargo build` in that directory sees.
fn cargo_dir(manifest: Option<&Path>) -> Result<(PathBuf, Option<PathBuf>), Error> {
    let Some(manifest) = manifest else {
        let dir = std::env::current_dir()
            .map_err(|e| Error::Load(format!("cannot read the current directory: {e}")))?;
        return Ok((dir, None));
    };
    let manifest = std::path::absolute(manifest)
        .map_err(|e| Error::Usage(format!("--manifest-path {manifest:?}: {e}")))?;
    let dir = manifest
        .parent()
        .map(Path::to_path_buf)
        .ok_or_else(|| Error::Usage(format!("--manifest-path {manifest:?} names no file")))?;
    Ok((dir, Some(manifest)))
}

/// Cargo's home directory: `$CARGO_HOME`, else `~/.cargo`.
fn cargo_home() -> Option<PathBuf> {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| {
            let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"))?;
            Some(PathBuf::from(home).join(".cargo"))
        })
}

/// Whether cargo, run in `dir`, builds for a configured target instead of the host:
/// `CARGO_BUILD_TARGET` (`env`) is set, or `build.target` is in one of the configuration
/// files cargo reads there (`.cargo/config.toml`, or the older `.cargo/config`, in `dir`
/// and each parent, then in `cargo_home`). A file that does not parse is skipped: cargo
/// itself reports it.
fn build_target_configured(dir: &Path, cargo_home: Option<&Path>, env: Option<&OsStr>) -> bool {
    if env.is_some_and(|target| !target.is_empty()) {
        return true;
    }
    let dirs = dir.ancestors().map(|dir| dir.join(".cargo"));
    dirs.chain(cargo_home.map(Path::to_path_buf))
        .filter_map(|dir| {
            // Where both exist, cargo reads the file without the extension.
            ["config", "config.toml"]
                .into_iter()
                .map(|name| dir.join(name))
                .find(|path| path.is_file())
        })
        .filter_map(|path| {
            std::fs::read_to_string(path)
                .ok()?
                .parse::<toml::Table>()
                .ok()
        })
        .any(|config| {
            config
                .get("build")
                .and_then(|build| build.get("target"))
                .is_some()
        })
}

/// The host's target triple, from `rustc -vV` (`$RUSTC` if set), run in `dir` so that
/// the toolchain is the one cargo uses there.
fn host_target(dir: &Path) -> Result<String, Error> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let shown = Path::new(&rustc).display().to_string();
    let output = Command::new(&rustc)
        .arg("-vV")
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| {
            Error::Load(format!(
                "cannot run `{shown} -vV` to find the host target (a build target is configured, the loader must be built for the host): {e}"
            ))
        })?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(|host| host.trim().to_owned())
        .ok_or_else(|| {
            Error::Load(format!(
                "`{shown} -vV` names no host target (no `host: ` line; {}); set $RUSTC to a working rustc",
                output.status
            ))
        })
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
    lib: Option<Lib>,
    /// Its features (`default` aside).
    features: BTreeSet<String>,
}

/// A package's library target.
#[derive(Debug, Clone)]
struct Lib {
    /// The crate name (`-` written `_`).
    name: String,
    /// Its crate types, as cargo reports them (`lib`, `rlib`, `cdylib`, …).
    kinds: Vec<String>,
}

impl Lib {
    /// The crate types a Rust program (the loader) can depend on and call.
    const LINKABLE: [&str; 3] = ["lib", "rlib", "dylib"];

    fn linkable(&self) -> bool {
        self.kinds
            .iter()
            .any(|kind| Self::LINKABLE.contains(&kind.as_str()))
    }
}

impl Workspace {
    fn read(dir: &Path, manifest: Option<&Path>) -> Result<Self, Error> {
        let mut command = Command::new(cargo());
        command
            .args(["metadata", "--format-version", "1", "--no-deps"])
            .current_dir(dir);
        // Cargo takes a relative CARGO_TARGET_DIR from the directory it runs in; the one
        // aws-spec runs in is meant.
        if let Some(target_dir) = std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
            let target_dir = std::path::absolute(&target_dir)
                .map_err(|e| Error::Usage(format!("CARGO_TARGET_DIR {target_dir:?}: {e}")))?;
            command.env("CARGO_TARGET_DIR", target_dir);
        }
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
                    let kinds: Vec<String> =
                        t["kind"].as_array()?.iter().filter_map(text).collect();
                    kinds.iter().any(|k| k.ends_with("lib")).then(|| {
                        Some(Lib {
                            name: text(&t["name"])?,
                            kinds,
                        })
                    })?
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

    /// Resolves the workspace's `Cargo.lock` when it has none, as `cargo build` there
    /// would, and leaves it: the loader builds with a copy of it, so that it resolves
    /// nothing itself (which needs the network, and would happen on every export since
    /// the loader's lock is not the workspace's).
    fn ensure_lock(&self, dir: &Path) -> Result<(), Error> {
        let lock = self.root.join("Cargo.lock");
        if lock.exists() {
            return Ok(());
        }
        let status = Command::new(cargo())
            .arg("generate-lockfile")
            .arg("--manifest-path")
            .arg(self.root.join("Cargo.toml"))
            .current_dir(dir)
            .stdin(Stdio::null())
            // Cargo's messages go to aws-spec's stderr: its stdout may carry a spec.
            .stdout(std::io::stderr())
            .stderr(Stdio::inherit())
            .status()
            .map_err(|e| Error::Load(format!("cannot run cargo: {e}")))?;
        if status.success() {
            Ok(())
        } else {
            Err(Error::Load(format!(
                "{} has no Cargo.lock and `cargo generate-lockfile` could not write one \
                 (cargo's messages above; {status})",
                self.root.display()
            )))
        }
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
            .chain(
                // A manifest that tunes a built-in profile (`[profile.dev]`) names it again.
                self.root_tables
                    .profiles
                    .iter()
                    .map(String::as_str)
                    .filter(|name| !BUILT_IN.contains(name)),
            )
            .collect();
        Err(Error::Usage(format!(
            "--profile: no profile {profile:?} in {} (profiles: {})",
            self.root.join("Cargo.toml").display(),
            known.join(", ")
        )))
    }

    /// The package whose library is the router's crate; an error unless the loader can
    /// link that library (a `cdylib`-only crate, say, would fail the loader's build with
    /// an unresolved crate).
    fn package_with_lib(&self, router: &RouterPath) -> Result<&Package, Error> {
        let krate = router.krate.strip_prefix("r#").unwrap_or(&router.krate);
        let package = self
            .packages
            .iter()
            .find(|p| p.lib.as_ref().is_some_and(|lib| lib.name == krate))
            .ok_or_else(|| {
                let libs: Vec<&str> = self
                    .packages
                    .iter()
                    .filter_map(|p| Some(p.lib.as_ref()?.name.as_str()))
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
            })?;
        match &package.lib {
            Some(lib) if !lib.linkable() => {
                let quoted = |kinds: &[String]| {
                    kinds
                        .iter()
                        .map(|kind| format!("{kind:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let mut with_rlib = lib.kinds.clone();
                with_rlib.push("rlib".to_owned());
                Err(Error::Load(format!(
                    "{}: the library `{krate}` of package `{}` is built only as crate-type [{}], \
                     which aws-spec's loader cannot call; add \"rlib\" to `crate-type` in the \
                     `[lib]` of {} (crate-type = [{}])",
                    router.text,
                    package.name,
                    quoted(&lib.kinds),
                    package.dir.join("Cargo.toml").display(),
                    quoted(&with_rlib),
                )))
            }
            _ => Ok(package),
        }
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
        // The path comes as the only argument; `export_model` is called on whatever the
        // function returns, so that a wrong return type is a compile error `explain`
        // reports as a wrong signature.
        let main = format!(
            "// Generated by aws-spec. Do not edit.\n\
             // Writes the spec model of `{router}` to the file named by its argument, in the\n\
             // versioned format of `axum_aws::exchange` (AwsRouter::export_model).\n\
             fn main() {{\n\
             \x20   let Some(path) = std::env::args_os().nth(1) else {{\n\
             \x20       eprintln!(\"usage: {name} MODEL_FILE (aws-spec runs it to load `{router}`)\");\n\
             \x20       std::process::exit(2);\n\
             \x20   }};\n\
             \x20   let router = {router}();\n\
             \x20   if let Err(error) = router.export_model(&path) {{\n\
             \x20       let path = std::path::Path::new(&path).display();\n\
             \x20       eprintln!(\"aws-spec loader: cannot write the spec model file {{path}}: {{error}}\");\n\
             \x20       std::process::exit(1);\n\
             \x20   }}\n\
             \x20   // Exit without freeing anything: the process ends anyway.\n\
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

    /// The model file a run of the loader writes: `NAME-PID.json` in the loader's
    /// directory. The process id keeps concurrent exports of one router apart; the
    /// names keep the early run's file apart from the one of a run after the build.
    fn model_file(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}-{}.json", std::process::id()))
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

    /// Builds the loader, running cargo in `dir`, for `target` if given; returns the
    /// executable and whether cargo left it as it was.
    fn build(&self, router: &RouterPath, dir: &Path, target: Option<&str>) -> Result<Built, Error> {
        let color = std::io::stderr().is_terminal();
        let mut command = Command::new(cargo());
        command
            .current_dir(dir)
            .arg("build")
            .arg("--manifest-path")
            .arg(self.dir.join("Cargo.toml"))
            .arg("--profile")
            .arg(&self.profile);
        if let Some(target) = target {
            command.arg("--target").arg(target);
        }
        let mut child = command
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
/// `fn() -> AwsRouter<S>`, or the crate's axum-aws predates `AwsRouter::export_model`.
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
    // "no method named `export_model` found for struct `axum_aws::router::AwsRouter<S>`"
    let older_axum_aws = errors
        .iter()
        .filter_map(|e| e["message"].as_str())
        .any(|m| {
            m.strip_prefix("no method named `export_model` found for struct `")
                .and_then(|rest| rest.split(['<', '`']).next())
                .is_some_and(|ty| ty.rsplit("::").next() == Some("AwsRouter"))
        });
    if older_axum_aws {
        return format!(
            "{}: the crate's axum-aws has no `AwsRouter::export_model`, which this aws-spec \
             {ours} loads routers with: it is older; install the aws-spec that matches the \
             crate's axum-aws (`cargo tree -i axum-aws` shows its version), or update the \
             crate to axum-aws {ours}",
            router.text,
            ours = env!("CARGO_PKG_VERSION")
        );
    }
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
    /// start. The result counts only if cargo names the same path and the file is still
    /// the same one afterwards (cargo replaces it, never rewrites it in place).
    identity: (PathBuf, FileIdentity),
    /// The model file it writes.
    model: PathBuf,
    /// What it printed, stdout and stderr through one pipe (so in order); shown only if
    /// its result is used, else a run after the build prints it again.
    output: JoinHandle<Vec<u8>>,
}

type FileIdentity = (u64, u64, i64, i64);

impl EarlyRun {
    /// Starts `executable`, to write `model`; `None` where that is not sound or not
    /// possible: on Windows a running executable cannot be replaced, so it would fail
    /// cargo's relink (there `file_identity` is `None`).
    fn start(executable: &Path, model: PathBuf) -> Option<Self> {
        let identity = (executable.to_path_buf(), file_identity(executable)?);
        remove_stale(&model).ok()?;
        let (reader, writer) = std::io::pipe().ok()?;
        let mut command = Command::new(executable);
        command
            .arg(&model)
            .stdin(Stdio::null())
            .stdout(writer.try_clone().ok()?)
            .stderr(writer);
        let child = command.spawn().ok()?;
        // The command holds the pipe's writing ends: reading ends only once they are
        // closed, here and in the child.
        drop(command);
        Some(Self {
            child,
            identity,
            model,
            output: read_to_end(reader),
        })
    }

    /// Whether this run was of the executable cargo just reported.
    fn ran(&self, executable: &Path) -> bool {
        self.identity.0 == executable
            && file_identity(executable).as_ref() == Some(&self.identity.1)
    }

    /// Waits for it and shows what it printed; returns how it ended and its model file.
    fn finish(mut self) -> (std::io::Result<ExitStatus>, PathBuf) {
        let status = self.child.wait();
        let output = self.output.join().unwrap_or_default();
        let _ = std::io::stderr().lock().write_all(&output);
        (status, self.model)
    }

    fn abandon(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.model);
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

/// Removes a model file left by an interrupted export, so that a loader that writes
/// none is not read as one that did.
fn remove_stale(model: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(model) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Runs the loader to write `model`; what it prints, on stdout or stderr, goes to
/// aws-spec's stderr as it comes.
fn run(executable: &Path, model: &Path) -> std::io::Result<ExitStatus> {
    remove_stale(model)?;
    Command::new(executable)
        .arg(model)
        .stdin(Stdio::null())
        .stdout(std::io::stderr())
        .stderr(Stdio::inherit())
        .status()
}

/// Reads the model file of a loader run that ended with `status`, and removes it.
fn read_model(
    status: std::io::Result<ExitStatus>,
    model: &Path,
    executable: &Path,
    router: &RouterPath,
) -> Result<ApiSpec, Error> {
    let status =
        status.map_err(|e| Error::Load(format!("cannot run {}: {e}", executable.display())))?;
    let read = status.success().then(|| ModelFile::read(model));
    let _ = std::fs::remove_file(model);
    let Some(read) = read else {
        return Err(Error::Load(format!(
            "{} failed while building the router ({status}; its output is above)",
            router.text
        )));
    };
    read.map(|model| model.spec).map_err(|error| {
        Error::Load(match error {
            ReadError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                format!(
                    "{}: the loader exited successfully but wrote no spec model; the router \
                     function must return its router, not end the process (does it call \
                     `std::process::exit`?)",
                    router.text
                )
            }
            ReadError::OtherVersion {
                format_version,
                writer,
                ..
            } => skew(router, &writer, format_version),
            ReadError::Model { writer, reason, .. } => {
                let advice = match writer_version(&writer) {
                    Some(version) if version != env!("CARGO_PKG_VERSION") => {
                        install_advice(version)
                    }
                    _ => "with the same format version on both sides, this is a bug in \
                          axum-aws or aws-spec: please report it"
                        .to_owned(),
                };
                format!(
                    "{}: the crate's {writer} wrote a spec model of format {FORMAT_VERSION} that \
                     this aws-spec {} cannot read ({reason}); {advice}",
                    router.text,
                    env!("CARGO_PKG_VERSION")
                )
            }
            error => format!("{}: {error}", router.text),
        })
    })
}

/// The one line for a model file of another format version.
fn skew(router: &RouterPath, writer: &str, format_version: u32) -> String {
    let ours = env!("CARGO_PKG_VERSION");
    let advice = match writer_version(writer) {
        Some(version) if format_version < FORMAT_VERSION => format!(
            "{}, or update the crate to axum-aws {ours}",
            install_advice(version)
        ),
        Some(version) => install_advice(version),
        None => format!("install the aws-spec that matches {writer}"),
    };
    format!(
        "{}: the crate's {writer} writes spec model format {format_version}, this aws-spec \
         {ours} reads format {FORMAT_VERSION}; {advice}",
        router.text
    )
}

/// The version in a model file's `writer`, if axum-aws wrote it.
fn writer_version(writer: &str) -> Option<&str> {
    writer.strip_prefix("axum-aws ")
}

/// aws-spec and axum-aws are not on crates.io: the matching aws-spec comes from the
/// checkout or commit the crate's axum-aws comes from.
fn install_advice(axum_aws_version: &str) -> String {
    format!(
        "install the aws-spec of the checkout or commit the crate's axum-aws \
         {axum_aws_version} comes from (`cargo install --path cli` in that checkout, or \
         `{}` with the commit of axum-aws's `source` in Cargo.lock)",
        crate::install_command("--rev COMMIT ", "")
    )
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

    /// A fresh directory for one test.
    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("aws-spec-loader-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn a_build_target_is_found_where_cargo_reads_its_configuration() {
        let root = scratch("build_target");
        let deep = root.join("workspace/service");
        std::fs::create_dir_all(&deep).unwrap();
        let home = root.join("cargo-home");
        let configured =
            |env: Option<&str>| build_target_configured(&deep, Some(&home), env.map(OsStr::new));
        assert!(!configured(None), "no configuration at all");
        assert!(!configured(Some("")), "an empty CARGO_BUILD_TARGET");
        assert!(
            configured(Some("aarch64-unknown-linux-gnu")),
            "CARGO_BUILD_TARGET"
        );

        // Other settings, and a file that does not parse, are not a target.
        write(&deep.join(".cargo/config.toml"), "[build]\njobs = 2\n");
        write(&root.join("workspace/.cargo/config.toml"), "[build\n");
        assert!(!configured(None));

        // In a parent directory.
        write(
            &root.join("workspace/.cargo/config.toml"),
            "[build]\ntarget = \"aarch64-unknown-linux-gnu\"\n",
        );
        assert!(configured(None), "in the workspace's parent configuration");
        std::fs::remove_file(root.join("workspace/.cargo/config.toml")).unwrap();

        // The file without the extension wins over the one with it.
        write(
            &deep.join(".cargo/config"),
            "build.target = [\"wasm32-unknown-unknown\"]\n",
        );
        assert!(configured(None), "in .cargo/config");
        write(
            &deep.join(".cargo/config.toml"),
            "build.target = \"wasm32-unknown-unknown\"\n",
        );
        write(&deep.join(".cargo/config"), "[build]\njobs = 2\n");
        assert!(
            !configured(None),
            ".cargo/config is read, not .cargo/config.toml"
        );
        std::fs::remove_dir_all(deep.join(".cargo")).unwrap();

        // In $CARGO_HOME.
        write(
            &home.join("config.toml"),
            "[build]\ntarget = \"x86_64-pc-windows-gnu\"\n",
        );
        assert!(configured(None), "in $CARGO_HOME/config.toml");
        assert!(
            !build_target_configured(&deep, None, None),
            "without a cargo home"
        );
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn an_older_axum_aws_without_export_model_is_named() {
        let router = RouterPath::parse("my_service::router").unwrap();
        let error =
            |message: &str| serde_json::json!({"message": message, "code": {"code": "E0599"}});
        let older = explain(
            &router,
            &[error(
                "no method named `export_model` found for struct `axum_aws::router::AwsRouter<S>` in the current scope",
            )],
        );
        let short = explain(
            &router,
            &[error(
                "no method named `export_model` found for struct `AwsRouter` in the current scope",
            )],
        );
        assert_eq!(short, older);
        assert_eq!(
            older,
            format!(
                "my_service::router: the crate's axum-aws has no `AwsRouter::export_model`, which this aws-spec {0} loads routers with: it is older; install the aws-spec that matches the crate's axum-aws (`cargo tree -i axum-aws` shows its version), or update the crate to axum-aws {0}",
                env!("CARGO_PKG_VERSION")
            )
        );
        let other_type = explain(
            &router,
            &[error(
                "no method named `export_model` found for struct `axum::Router<S>` in the current scope",
            )],
        );
        assert!(
            other_type.starts_with(
                "my_service::router: expected fn() -> AwsRouter<S>, found a different signature"
            ),
            "{other_type}"
        );
    }

    #[test]
    fn a_skew_names_both_versions_and_what_to_install() {
        let router = RouterPath::parse("my_service::router").unwrap();
        let ours = env!("CARGO_PKG_VERSION");
        assert_eq!(
            skew(&router, "axum-aws 0.2.0", 7),
            format!(
                "my_service::router: the crate's axum-aws 0.2.0 writes spec model format 7, this aws-spec {ours} reads format 6; {}",
                install_advice("0.2.0")
            )
        );
        assert_eq!(
            skew(&router, "axum-aws 0.0.9", 0),
            format!(
                "my_service::router: the crate's axum-aws 0.0.9 writes spec model format 0, this aws-spec {ours} reads format 6; {}, or update the crate to axum-aws {ours}",
                install_advice("0.0.9")
            )
        );
        assert!(
            skew(&router, "other-writer 3.0.0", 3)
                .ends_with("; install the aws-spec that matches other-writer 3.0.0"),
        );
    }

    #[test]
    fn install_advice_installs_from_the_repository() {
        assert_eq!(
            install_advice("0.2.0"),
            format!(
                "install the aws-spec of the checkout or commit the crate's axum-aws 0.2.0 comes from (`cargo install --path cli` in that checkout, or `cargo install --git {} --rev COMMIT aws-spec` with the commit of axum-aws's `source` in Cargo.lock)",
                env!("CARGO_PKG_REPOSITORY")
            )
        );
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
