//! `aws-spec docs`: the docs page and the public spec it shows, written or checked.

use crate::util::{ROUTER, assert_code, aws_spec_fixture, scratch, stderr, stdout};

fn docs_args(out: &str) -> Vec<&str> {
    vec![
        "docs",
        "--router",
        ROUTER,
        "--title",
        "Widgets",
        "--api-version",
        "1.2.0",
        "--out",
        out,
    ]
}

#[test]
fn writes_the_page_and_the_public_spec_it_embeds() {
    let dir = scratch("docs_writes");
    let out = dir.join("site");
    let output = aws_spec_fixture(&docs_args(out.to_str().unwrap()));
    assert_code(&output, 0);

    let public = std::fs::read_to_string(out.join("openapi.json")).unwrap();
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    let value: serde_json::Value = serde_json::from_str(&public).unwrap();
    assert_eq!(value["info"]["title"], "Widgets");
    assert!(
        value["paths"]["/widgets/{id}"]["get"].is_object(),
        "{public}"
    );
    assert!(!public.contains("x-amazon-apigateway"));
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("<title>Widgets 1.2.0</title>"));
    // The page embeds exactly that spec (the script element's JSON).
    let start = html.find(r#"id="openapi">"#).unwrap() + r#"id="openapi">"#.len();
    let end = start + html[start..].find("</script>").unwrap();
    let embedded: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
    assert_eq!(embedded, value);
    // Nothing fetched from elsewhere: no external script, style or font.
    assert!(!html.contains("src=") && !html.contains("<link") && !html.contains("@import"));
}

#[test]
fn check_reports_a_stale_page() {
    let dir = scratch("docs_check");
    let out = dir.join("site");
    let out_str = out.to_str().unwrap();
    assert_code(&aws_spec_fixture(&docs_args(out_str)), 0);
    let mut check = docs_args(out_str);
    check.push("--check");
    assert_code(&aws_spec_fixture(&check), 0);

    let index = out.join("index.html");
    std::fs::write(&index, "<!DOCTYPE html>old").unwrap();
    let output = aws_spec_fixture(&check);
    assert_code(&output, 1);
    assert!(
        stderr(&output).contains("out of date"),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("index.html"),
        "{}",
        stderr(&output)
    );
    assert!(stdout(&output).contains("-<!DOCTYPE html>old"));
    assert_eq!(
        std::fs::read_to_string(index).unwrap(),
        "<!DOCTYPE html>old"
    );
}
