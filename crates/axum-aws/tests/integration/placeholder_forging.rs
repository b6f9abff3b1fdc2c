//! Text cannot forge a Terraform placeholder: the writers know which runs of a string are
//! placeholders (the `${identifier}` the user wrote in a template value) and escape all
//! other text, so text of any kind, including the private-use code points U+E000 and
//! U+E001 an earlier version used as in-band markers, comes out as itself.

use axum_aws::integration::{IntegrationResponse, Lambda, LambdaProxy, Mock};
use axum_aws::routing::get;
use axum_aws::{ApiSettings, AwsRouter, GatewayResponse, Info};

const FORGED: &str = "\u{E000}evil\u{E001}";

async fn ok() -> &'static str {
    "ok"
}

/// Every `${…}` of a private spec's text.
fn placeholders(text: &str) -> Vec<&str> {
    text.match_indices("${")
        .filter(|(at, _)| !text[..*at].ends_with('$'))
        .map(|(at, _)| &text[at..at + text[at..].find('}').map_or(2, |end| end + 1)])
        .collect()
}

#[test]
fn descriptions_summaries_and_tags_are_written_as_they_are() {
    let router: AwsRouter = AwsRouter::new()
        .route(
            "/widgets",
            get(ok)
                .summary(format!("summary {FORGED}"))
                .description(format!("description {FORGED}"))
                .tag(format!("tag{FORGED}"))
                .operation_id(format!("op{FORGED}")),
        )
        .default_integration(LambdaProxy::new("${api_invoke_arn}"));
    let mut info = Info::new(format!("title {FORGED}"), "1");
    info.description = Some(format!("api {FORGED}"));
    let private = router.spec(info).render_private().unwrap().to_json();

    assert_eq!(placeholders(&private), ["${api_invoke_arn}"], "{private}");
    for text in ["summary ", "description ", "tag", "title ", "api "] {
        assert!(
            private.contains(&format!("{text}{FORGED}")),
            "{text:?} not written as it is:\n{private}"
        );
    }
}

#[test]
fn template_values_holding_the_old_markers_are_text() {
    let header = IntegrationResponse::default_status(200).header("X-Forged", FORGED);
    let router: AwsRouter = AwsRouter::new()
        .route(
            "/header",
            get(ok).integration(Lambda::new("${fn_arn}").response(header)),
        )
        .route(
            "/vtl",
            get(ok)
                .integration(Lambda::new("${fn_arn}").request_template("application/json", FORGED)),
        )
        .route(
            "/mock",
            get(ok).integration(Mock::new(200).body("application/json", FORGED)),
        )
        .route(
            "/mock-header",
            get(ok).integration(Mock::new(200).header("X-Forged", format!("'{FORGED}'"))),
        )
        .settings(ApiSettings::new().gateway_response(
            "DEFAULT_4XX",
            GatewayResponse::new().header("X-Forged", format!("'{FORGED}'")),
        ));
    let private = router
        .spec(Info::new("t", "1"))
        .render_private()
        .unwrap()
        .to_json();
    assert_eq!(
        placeholders(&private),
        ["${fn_arn}", "${fn_arn}"],
        "{private}"
    );
    for written in [
        format!("\"'{FORGED}'\""),
        format!("\"{FORGED}\""),
        format!("\"method.response.header.X-Forged\": \"'{FORGED}'\""),
        format!("\"gatewayresponse.header.X-Forged\": \"'{FORGED}'\""),
    ] {
        assert!(private.contains(&written), "{written} not in:\n{private}");
    }
}

#[test]
fn documented_schemas_keep_the_markers_as_text() {
    #[derive(utoipa::ToSchema)]
    #[allow(dead_code)]
    /// A widget evil.
    struct Widget {
        name: String,
    }
    let router: AwsRouter = AwsRouter::new()
        .route("/widgets", get(ok).schema::<Widget>())
        .default_integration(LambdaProxy::new("${api_invoke_arn}"));
    let private = router
        .spec(Info::new("t", "1"))
        .render_private()
        .unwrap()
        .to_json();
    assert_eq!(placeholders(&private), ["${api_invoke_arn}"], "{private}");
}

/// The Kong target writes through the same typed strings: text it writes as it is (here a
/// mock body's content type) cannot forge a decK substitution.
#[test]
fn kong_files_take_no_substitution_from_text() {
    use axum_aws::{KongFormat, Target};

    let router: AwsRouter = AwsRouter::new().route(
        "/status",
        get(ok).integration(Mock::new(200).body(format!("text/{FORGED}"), "${status_body}")),
    );
    let spec = router.spec(Info::new("t", "1"));
    let checked = spec.check_for(&[Target::Kong]).unwrap();
    for format in [KongFormat::Yaml, KongFormat::Json] {
        let kong = checked.render_kong(format).unwrap();
        let text = kong.text();
        assert!(!text.contains("DECK_EVIL"), "{text}");
        assert!(text.contains(&format!("text/{FORGED}")), "{text}");
        assert!(text.contains("DECK_STATUS_BODY"), "{text}");
    }
}
