//! The workspace's crates are not on crates.io: every install line of the READMEs, and
//! every message of the sources, installs or depends on them from the repository
//! (`--git`/`git =`, with the workspace's `repository`) or a checkout (`--path`/`path =`).

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The package names of the workspace's members.
fn unpublished() -> Vec<String> {
    let manifest: toml::Table = std::fs::read_to_string(root().join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let members = manifest["workspace"]["members"].as_array().unwrap();
    members
        .iter()
        .map(|member| {
            let path = root().join(member.as_str().unwrap()).join("Cargo.toml");
            let package: toml::Table = std::fs::read_to_string(path).unwrap().parse().unwrap();
            package["package"]["name"].as_str().unwrap().to_owned()
        })
        .collect()
}

/// The READMEs, the Dockerfile and Makefiles, and the sources of the crates' messages.
fn texts() -> Vec<(PathBuf, String)> {
    let mut files: Vec<PathBuf> = [
        "README.md",
        "terraform-example/README.md",
        "bench/README.md",
        "Dockerfile",
        "Makefile",
        "terraform-example/Makefile",
    ]
    .iter()
    .map(|file| root().join(file))
    .collect();
    let mut dirs = vec![root().join("cli/src"), root().join("crates")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path
                .extension()
                .is_some_and(|ext| ext == "rs" || ext == "md")
            {
                files.push(path);
            }
        }
    }
    files
        .into_iter()
        .filter_map(|path| Some((path.clone(), std::fs::read_to_string(&path).ok()?)))
        .collect()
}

/// Whether `line` names `name` as a word (not as part of `aws-spec-loader`, say).
fn names(line: &str, name: &str) -> bool {
    line.match_indices(name).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let after = line[at + name.len()..].chars().next();
        let word =
            |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        !word(before) && !word(after)
    })
}

/// Where a line installs or depends on an unpublished crate from crates.io.
fn crates_io_installs(text: &str, crates: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let from_repository = line.contains("--git")
            || line.contains("--path")
            || line.contains("git =")
            || line.contains("path =");
        for name in crates {
            let install =
                (line.contains("cargo install") || line.contains("cargo add")) && names(line, name);
            let dependency = line.match_indices(&format!("{name} = ")).any(|(at, _)| {
                !line[..at].ends_with(['-', '_'])
                    && !line[..at].ends_with(|c: char| c.is_ascii_alphanumeric())
            });
            if (install || dependency) && !from_repository {
                found.push(line.trim().to_owned());
            }
        }
    }
    found
}

#[test]
fn nothing_installs_unpublished_crates_from_crates_io() {
    let crates = unpublished();
    assert!(crates.contains(&"aws-spec".to_owned()), "{crates:?}");
    let mut found = Vec::new();
    for (path, text) in texts() {
        for line in crates_io_installs(&text, &crates) {
            found.push(format!("{}: {line}", path.display()));
        }
    }
    assert!(
        found.is_empty(),
        "these install from crates.io, where the crates are not: use `--git`/`--path`\n{}",
        found.join("\n")
    );
}

#[test]
fn git_installs_name_the_workspace_repository() {
    let repository = env!("CARGO_PKG_REPOSITORY");
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let urls: Vec<&str> = readme
        .lines()
        .filter_map(|line| {
            let rest = line
                .split_once("--git ")
                .or_else(|| line.split_once("git = \""))?
                .1;
            Some(rest.split(['"', ' ']).next().unwrap_or(rest))
        })
        .filter(|url| !url.starts_with('…'))
        .collect();
    assert!(!urls.is_empty(), "the README says how to install from git");
    for url in urls {
        assert_eq!(
            url, repository,
            "README.md installs from another repository"
        );
    }
}

/// The check itself: a crates.io install line is found, repository ones are not.
#[test]
fn the_check_finds_crates_io_installs() {
    let crates = ["aws-spec".to_owned(), "axum-aws".to_owned()];
    let text = "cargo install aws-spec --version 0.1.0\n\
                cargo install --git https://x/y aws-spec\n\
                axum-aws = { version = \"0.1\" }\n\
                axum-aws = { path = \"../crates/axum-aws\" }\n\
                cargo add axum-aws\n\
                target/aws-spec-loader/ is built\n";
    assert_eq!(
        crates_io_installs(text, &crates),
        [
            "cargo install aws-spec --version 0.1.0",
            "axum-aws = { version = \"0.1\" }",
            "cargo add axum-aws"
        ]
    );
}
