//! `PrivateSpec::render_with` against the real Terraform: for every golden private spec
//! (scenarios and service integrations), `templatefile(spec, vars)` gives exactly the
//! text `render_with(vars)` gives, and `jsondecode()` of it the same document; a missing
//! variable fails in both. Terraform is `.tools/bin/terraform` (`make tools`), or
//! `$AWS_SPEC_TERRAFORM`: the tests are ignored unless asked for (`make check-specs` runs
//! them, counted), and fail without it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use axum_aws::{AwsRouter, PrivateSpec};
use serde_json::Value;

use crate::{scenarios, services};

fn terraform() -> PathBuf {
    let path = std::env::var_os("AWS_SPEC_TERRAFORM").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.tools/bin/terraform"),
        PathBuf::from,
    );
    assert!(
        path.is_file(),
        "{} missing: run `make tools`, or set AWS_SPEC_TERRAFORM",
        path.display()
    );
    path
}

/// Every golden private spec with its placeholder names.
fn golden_specs() -> Vec<(String, PrivateSpec, Vec<String>)> {
    let routers: Vec<(&str, AwsRouter)> = scenarios::all()
        .into_iter()
        .chain(services::all())
        .collect();
    routers
        .into_iter()
        .map(|(name, router)| {
            let spec = router.spec(scenarios::info());
            let private = spec
                .render_private()
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let names = spec.placeholders().into_keys().collect();
            (name.to_owned(), private, names)
        })
        .collect()
}

/// A value that would be re-read as a template if anything rendered it twice.
fn value_of(name: &str) -> String {
    format!("tf-{name}:${{x}}%{{y}}$${{z}}/é")
}

/// An HCL string literal holding `text` (JSON escapes, template sequences doubled).
fn hcl_string(text: &str) -> String {
    Value::from(text)
        .to_string()
        .replace("${", "$${")
        .replace("%{", "%%{")
}

/// `terraform apply` of a module of outputs, then `terraform output -json`.
fn apply(terraform: &Path, dir: &Path, main_tf: &str) -> Result<Value, String> {
    std::fs::write(dir.join("main.tf"), main_tf).unwrap();
    std::fs::write(dir.join("terraformrc"), "").unwrap();
    let run = |args: &[&str]| -> Output {
        Command::new(terraform)
            .args(args)
            .current_dir(dir)
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_INPUT", "0")
            .env("TF_CLI_CONFIG_FILE", dir.join("terraformrc"))
            .env_remove("TF_DATA_DIR")
            .env_remove("TF_WORKSPACE")
            .output()
            .unwrap()
    };
    let applied = run(&[
        "apply",
        "-auto-approve",
        "-input=false",
        "-no-color",
        "-lock=false",
    ]);
    if !applied.status.success() {
        return Err(String::from_utf8_lossy(&applied.stderr).into_owned());
    }
    let output = run(&["output", "-json", "-no-color"]);
    assert!(output.status.success(), "Terraform output: {output:?}");
    Ok(serde_json::from_slice(&output.stdout).unwrap())
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
#[ignore = "needs terraform (make check-specs runs it)"]
fn render_with_is_terraform_templatefile() {
    let terraform = terraform();
    let dir = scratch("templatefile-render");
    let specs = golden_specs();
    let mut main_tf = String::new();
    let mut expected = Vec::new();
    for (i, (name, private, names)) in specs.iter().enumerate() {
        let file = dir.join(format!("{name}.tftpl"));
        std::fs::write(&file, private.to_json()).unwrap();
        let vars: BTreeMap<String, String> =
            names.iter().map(|n| (n.clone(), value_of(n))).collect();
        let hcl_vars: Vec<String> = vars
            .iter()
            .map(|(k, v)| format!("{k} = {}", hcl_string(v)))
            .collect();
        let call = format!(
            "templatefile({}, {{ {} }})",
            hcl_string(file.to_str().unwrap()),
            hcl_vars.join(", ")
        );
        main_tf.push_str(&format!(
            "output \"text{i}\" {{\n  value = {call}\n}}\noutput \"doc{i}\" {{\n  value = jsondecode({call})\n}}\n"
        ));
        let rendered = private
            .render_with(&vars)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        expected.push((name, rendered));
    }
    let outputs = apply(&terraform, &dir, &main_tf).unwrap_or_else(|e| panic!("{e}"));
    for (i, (name, rendered)) in expected.iter().enumerate() {
        let text = outputs[format!("text{i}")]["value"].as_str().unwrap();
        assert_eq!(rendered, text, "{name}: templatefile() text differs");
        let document: Value = serde_json::from_str(rendered).unwrap();
        assert!(
            same_json(&document, &outputs[format!("doc{i}")]["value"]),
            "{name}: jsondecode(templatefile()) differs"
        );
    }
    assert!(
        specs.iter().any(|(_, p, _)| p.to_json().contains("$${")),
        "some golden spec has escapes to undo"
    );
}

#[test]
#[ignore = "needs terraform (make check-specs runs it)"]
fn a_missing_variable_fails_like_terraform() {
    let terraform = terraform();
    let dir = scratch("templatefile-missing");
    let spec = scenarios::lambda_proxy().spec(scenarios::info());
    let private = spec.render_private().unwrap();
    let names: Vec<String> = spec.placeholders().into_keys().collect();
    let (dropped, kept) = names.split_first().expect("lambda_proxy has placeholders");
    let vars: BTreeMap<String, String> = kept.iter().map(|n| (n.clone(), value_of(n))).collect();

    let missing = private.render_with(&vars).unwrap_err();
    assert_eq!(missing.names, [dropped.as_str()]);
    assert_eq!(
        missing.to_string(),
        format!("no value for template variable {dropped:?}")
    );

    std::fs::write(dir.join("spec.tftpl"), private.to_json()).unwrap();
    let hcl_vars: Vec<String> = vars
        .iter()
        .map(|(k, v)| format!("{k} = {}", hcl_string(v)))
        .collect();
    let main_tf = format!(
        "output \"doc\" {{\n  value = jsondecode(templatefile(\"spec.tftpl\", {{ {} }}))\n}}\n",
        hcl_vars.join(", ")
    );
    let error = apply(&terraform, &dir, &main_tf).unwrap_err();
    // Terraform wraps its messages: compare with single spaces.
    let error = error.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        error.contains(&format!("vars map does not contain key \"{dropped}\"")),
        "{error}"
    );
}

/// Equal JSON, numbers compared by value (Terraform prints its own number forms).
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}
