//! Text cannot forge a Terraform placeholder: the renderer marks placeholders with the
//! private-use code points U+E000 and U+E001 while it writes, and the same code points in
//! a route's text either come out as themselves or, in a template value, fail the export
//! naming the route. Only `${identifier}` values the user wrote are placeholders.

use axum_aws::integration::{IntegrationResponse, Lambda, LambdaProxy, Mock};
use axum_aws::routing::get;
use axum_aws::{ApiSettings, AwsRouter, ErrorKind, GatewayResponse, Info};

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
fn template_values_holding_the_markers_are_rejected_naming_the_route() {
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
    let errors = router
        .spec(Info::new("t", "1"))
        .render_private()
        .unwrap_err();
    let found: Vec<(ErrorKind, String)> = errors
        .errors()
        .iter()
        .map(|e| (e.kind(), e.to_string()))
        .collect();
    let reserved = "the value holds the private-use character U+E000, which aws-spec reserves to mark placeholders while it writes the private spec; remove it";
    assert_eq!(
        found,
        [
            (ErrorKind::Placeholder, format!("GET /header: {reserved}")),
            (ErrorKind::Placeholder, format!("GET /vtl: {reserved}")),
            (ErrorKind::Placeholder, format!("GET /mock: {reserved}")),
            (
                ErrorKind::Placeholder,
                format!("GET /mock-header: {reserved}")
            ),
            (ErrorKind::Placeholder, reserved.to_owned()),
        ]
    );
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

/// The Kong target marks placeholders the same way: text it writes as it is (here a mock
/// body's content type) cannot forge a decK substitution.
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
