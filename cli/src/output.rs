//! The export's outputs: render them, then write them or compare them with the files on disk.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use axum_aws_spec::{ApiSpec, Info, KongFormat, KongOptions, PublicVersion, Target, Warning};

use crate::Error;
use crate::cli::{Format, GatewayTarget, OutputArgs, PublicOpenApi};

/// One output: where it goes (`-` is stdout) and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Destination; `-` is stdout.
    pub path: PathBuf,
    /// Content.
    pub content: String,
}

impl Output {
    fn is_stdout(&self) -> bool {
        self.path == Path::new("-")
    }
}

/// Refuses output flags that cannot work together, before anything is built or
/// rendered: `--check` with `-` (stdout), two outputs on stdout or in one file (so one
/// would overwrite the other), `--tf-variables` for Kong.
///
/// # Errors
/// [`Error::Usage`], naming the flags and the file.
pub fn validate(args: &OutputArgs) -> Result<(), Error> {
    let outputs = [
        ("--out-private", Some(&args.out_private)),
        ("--out-public", Some(&args.out_public)),
        ("--tf-variables", args.tf_variables.as_ref()),
    ];
    let outputs: Vec<(&str, &Path)> = outputs
        .into_iter()
        .filter_map(|(flag, path)| Some((flag, path?.as_path())))
        .collect();
    let stdout = |path: &Path| path == Path::new("-");
    if args.check && outputs.iter().any(|(_, path)| stdout(path)) {
        return Err(Error::Usage(
            "--check compares files; `-` (stdout) cannot be checked".to_owned(),
        ));
    }
    if args.target == GatewayTarget::Kong && args.tf_variables.is_some() {
        return Err(Error::Usage(
            "--tf-variables writes Terraform variables; a Kong file takes DECK_ environment variables instead (list them with `aws-spec vars --target kong`)".to_owned(),
        ));
    }
    for (at, (flag, path)) in outputs.iter().enumerate() {
        for (other, other_path) in &outputs[at + 1..] {
            if stdout(path) && stdout(other_path) {
                return Err(Error::Usage(format!(
                    "{flag} and {other} are both `-` (stdout): their texts would run together; write one to a file"
                )));
            }
            let same = same_file(path).is_some_and(|file| same_file(other_path) == Some(file));
            if same {
                return Err(Error::Usage(format!(
                    "{flag} and {other} name the same file, {}: one would overwrite the other; give each its own file",
                    path.display()
                )));
            }
        }
    }
    Ok(())
}

/// What `path` names, for comparing outputs: its canonical path, or for a file not yet
/// there its directory's canonical path and its name. `None` for stdout and for what is
/// not a regular file (`/dev/null` takes any number of outputs).
fn same_file(path: &Path) -> Option<PathBuf> {
    if path == Path::new("-") {
        return None;
    }
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => None,
        Ok(_) => path.canonicalize().ok(),
        Err(_) => {
            let name = path.file_name()?;
            let parent = match path.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent,
                _ => Path::new("."),
            };
            let parent = parent
                .canonicalize()
                .or_else(|_| std::path::absolute(parent))
                .ok()?;
            Some(parent.join(name))
        }
    }
}

/// Fills `info` from the flags, runs every error-level check of both targets once and
/// renders the outputs: private spec, public spec, and the variables file if asked for;
/// with the warnings of the private spec as rendered.
///
/// # Errors
/// Every problem in the spec ([`Error::Spec`]), nothing rendered.
pub fn render(spec: &mut ApiSpec, args: &OutputArgs) -> Result<(Vec<Output>, Vec<Warning>), Error> {
    let mut info = Info::new(&args.title, &args.api_version);
    if let Some(description) = &args.description {
        info = info.description(description);
    }
    spec.info = info;
    let checked = spec
        .check_for(&[args.target.target(), Target::OpenApi])
        .map_err(Error::Spec)?;
    // One document at a time: each is dropped once it is text, which keeps the peak
    // memory of a large export down to one document.
    if args.target != GatewayTarget::Kong
        && (args.kong_uuid_namespace.is_some()
            || args.kong_credential_placeholders
            || args.kong_upstream_url.is_some())
    {
        return Err(Error::Usage(
            "--kong-uuid-namespace, --kong-credential-placeholders and --kong-upstream-url shape the decK file; use them with --target kong".to_owned(),
        ));
    }
    let (private, warnings) = match args.target {
        GatewayTarget::Rest => {
            // The size warnings measure the JSON document, whichever format is written.
            let private = checked.render_private().map_err(Error::Spec)?;
            let warnings = checked.warnings_for(&private);
            let text = match args.format.unwrap_or(Format::Json) {
                Format::Json => private.to_json(),
                Format::Yaml => {
                    drop(private);
                    checked.render_private_yaml().map_err(Error::Spec)?
                }
            };
            (text, warnings)
        }
        GatewayTarget::HttpApi => {
            let text = match args.format.unwrap_or(Format::Json) {
                Format::Json => checked.render_http_api().map_err(Error::Spec)?.to_json(),
                Format::Yaml => checked.render_http_api_yaml().map_err(Error::Spec)?,
            };
            // The quota warnings are `lint`'s; the throttles the document leaves out are
            // said here, where it is written.
            (text, checked.spec().throttle_warnings(Target::HttpApi))
        }
        GatewayTarget::Kong => {
            let format = match args.format.unwrap_or(Format::Yaml) {
                Format::Json => KongFormat::Json,
                Format::Yaml => KongFormat::Yaml,
            };
            let mut options = KongOptions::new()
                .format(format)
                .credential_placeholders(args.kong_credential_placeholders);
            if let Some(namespace) = args.kong_uuid_namespace {
                options = options.uuid_namespace(namespace);
            }
            if let Some(url) = &args.kong_upstream_url {
                options = options.upstream_url(url.as_str());
            }
            let kong = checked.render_kong(options).map_err(Error::Spec)?;
            (
                kong.text().to_owned(),
                checked.spec().throttle_warnings(Target::Kong),
            )
        }
    };
    let version = match args.public_openapi {
        PublicOpenApi::V30 => PublicVersion::V30,
        PublicOpenApi::V31 => PublicVersion::V31,
    };
    // What the target gateway sends (an HTTP API passes a service's answer through).
    let gateway = args.target.target();
    let public = match args.format.unwrap_or(Format::Json) {
        Format::Json => checked
            .render_public_for(gateway, version)
            .map(|p| p.to_json()),
        Format::Yaml => checked.render_public_yaml_for(gateway, version),
    }
    .map_err(Error::Spec)?;
    let mut outputs = vec![
        Output {
            path: args.out_private.clone(),
            content: private,
        },
        Output {
            path: args.out_public.clone(),
            content: public,
        },
    ];
    if let Some(path) = &args.tf_variables {
        outputs.push(Output {
            path: path.clone(),
            content: terraform_variables(&crate::placeholders(spec, args.target)?),
        });
    }
    Ok((outputs, warnings))
}

/// Writes every output whose content changed (stdout ones always).
///
/// # Errors
/// The first file that cannot be written.
pub fn write(outputs: &[Output]) -> Result<(), Error> {
    for output in outputs {
        if output.is_stdout() {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(output.content.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(|source| Error::Io {
                    path: output.path.clone(),
                    source,
                })?;
        } else {
            crate::loader::write_if_changed(&output.path, output.content.as_bytes())?;
        }
    }
    Ok(())
}

/// Compares the outputs with the files on disk; on drift, returns a unified diff
/// per file that is out of date.
///
/// # Errors
/// [`Error::OutOfDate`] on drift. Outputs on stdout were refused by [`validate`].
pub fn check(outputs: &[Output], regenerate: &str) -> Result<(), Error> {
    let mut diff = String::new();
    let mut stale = Vec::new();
    for output in outputs {
        let on_disk = std::fs::read_to_string(&output.path).ok();
        if on_disk.as_deref() == Some(output.content.as_str()) {
            continue;
        }
        let path = output.path.display().to_string();
        let old = on_disk.unwrap_or_default();
        let text = similar::TextDiff::from_lines(&old, &output.content)
            .unified_diff()
            .context_radius(3)
            .header(&format!("{path} (on disk)"), &format!("{path} (generated)"))
            .to_string();
        diff.push_str(&text);
        stale.push(path);
    }
    if stale.is_empty() {
        return Ok(());
    }
    Err(Error::OutOfDate {
        diff,
        files: stale,
        regenerate: regenerate.to_owned(),
    })
}

/// `variables.tf`: one string variable per placeholder, sorted, in `terraform fmt` layout.
pub fn terraform_variables(placeholders: &BTreeMap<String, BTreeSet<String>>) -> String {
    let mut out = String::from(
        "# Generated by aws-spec: the placeholders of the private spec. Do not edit.\n",
    );
    for (name, users) in placeholders {
        let users: Vec<&str> = users.iter().map(String::as_str).collect();
        let description = hcl_string(&format!("used by {}", users.join(", ")));
        let _ = write!(
            out,
            "\nvariable \"{name}\" {{\n  type        = string\n  description = {description}\n}}\n"
        );
    }
    out
}

/// An HCL quoted string: escapes quotes, backslashes and template sequences.
fn hcl_string(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace("${", "$${")
        .replace("%{", "%%{");
    format!("\"{escaped}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_sorted_and_escaped() {
        let mut placeholders = BTreeMap::new();
        placeholders.insert(
            "b_arn".to_owned(),
            BTreeSet::from(["GET /x/{id}".to_owned(), "POST /y".to_owned()]),
        );
        placeholders.insert(
            "a_arn".to_owned(),
            BTreeSet::from(["api settings".to_owned()]),
        );
        let text = terraform_variables(&placeholders);
        assert!(text.find("\"a_arn\"") < text.find("\"b_arn\""));
        assert!(text.contains("  description = \"used by GET /x/{id}, POST /y\"\n"));
        assert_eq!(
            hcl_string(r#"a "${b}" %{c} \"#),
            r#""a \"$${b}\" %%{c} \\""#
        );
    }
}
