//! Every committed public snapshot is free of AWS-only content.

use std::path::Path;

use serde_json::Value;

fn walk(value: &Value, at: &str, leaks: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if key.contains("x-amazon-apigateway") {
                    leaks.push(format!("{at}/{key}: aws extension key"));
                }
                walk(child, &format!("{at}/{key}"), leaks);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                walk(child, &format!("{at}/{i}"), leaks);
            }
        }
        Value::String(text) if text.contains("${") || text.contains("arn:") => {
            leaks.push(format!("{at}: {text:?}"));
        }
        _ => {}
    }
}

#[test]
fn public_snapshots_hold_no_extension_placeholder_or_arn() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/integration/snapshots");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with("-public.snap") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // insta's header is the first `---` … `---` block.
        let body = text.splitn(3, "---\n").nth(2).unwrap();
        let document: Value = serde_json::from_str(body).unwrap();
        let mut leaks = Vec::new();
        walk(&document, "", &mut leaks);
        assert!(leaks.is_empty(), "{name}: {leaks:#?}");
        checked += 1;
    }
    assert!(checked >= 12, "only {checked} public snapshots found");
}
