//! Golden specs: one private and one public snapshot per scenario. `make test` also
//! validates every snapshot with real OpenAPI validators and renders each private one
//! through Terraform's `templatefile()` (scripts/check-specs.py).

use crate::scenarios;

#[test]
fn golden_specs() {
    for (name, router) in scenarios::all() {
        let spec = router.spec(scenarios::info());
        let private = match spec.render_private() {
            Ok(private) => private,
            Err(errors) => panic!("{name}: {errors}"),
        };
        let public = spec
            .render_public()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        insta::assert_snapshot!(format!("{name}-private"), private.to_json());
        insta::assert_snapshot!(format!("{name}-public"), public.to_json());
    }
}

#[test]
fn public_31_keeps_utoipa_schemas() {
    let spec = scenarios::schemas().spec(scenarios::info());
    let public = spec
        .render_public_version(axum_aws::PublicVersion::V31)
        .unwrap();
    insta::assert_snapshot!("schemas-31-public", public.to_json());
}

#[test]
fn rendering_is_deterministic() {
    for (name, router) in scenarios::all() {
        let first = router
            .spec(scenarios::info())
            .render_private()
            .unwrap()
            .to_json();
        let again = router
            .spec(scenarios::info())
            .render_private()
            .unwrap()
            .to_json();
        assert_eq!(first, again, "{name}");
    }
}

#[test]
fn placeholder_header_values_are_static_values() {
    use axum_aws::integration::LambdaProxy;
    use axum_aws::routing::get;
    use axum_aws::{ApiSettings, AwsRouter, GatewayResponse};

    let router: AwsRouter = AwsRouter::new()
        .route("/a", get(|| async { "ok" }))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
        .settings(
            ApiSettings::new().gateway_response(
                "DEFAULT_4XX",
                GatewayResponse::new()
                    .header("Access-Control-Allow-Origin", "${cors_origin}")
                    .header("X-Request-Id", "context.requestId"),
            ),
        );
    let private = router
        .spec(scenarios::info())
        .render_private()
        .unwrap()
        .to_value();
    let parameters =
        &private["x-amazon-apigateway-gateway-responses"]["DEFAULT_4XX"]["responseParameters"];
    assert_eq!(
        parameters["gatewayresponse.header.Access-Control-Allow-Origin"],
        "'${cors_origin}'"
    );
    assert_eq!(
        parameters["gatewayresponse.header.X-Request-Id"],
        "context.requestId"
    );
}
