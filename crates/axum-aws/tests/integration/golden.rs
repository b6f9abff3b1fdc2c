//! Golden specs: one private and one public snapshot per scenario. `make test` also
//! validates every snapshot with real OpenAPI validators and renders each private one
//! through Terraform's `templatefile()` (scripts/check-specs.py).

use axum_aws::integration::LambdaProxy;
use axum_aws::routing::{any, delete, get, post};
use axum_aws::{AwsRoute, AwsRouter, Cors, KongFormat, PublicVersion, Target};

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

/// Every golden document's YAML is its JSON document as yaml_serde writes it (what
/// `aws-spec --format yaml` wrote before the YAML writer), placeholders and escapes
/// alike: one document in either syntax.
#[test]
fn yaml_is_the_json_document() {
    let yaml_of = |json: &str| {
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        yaml_serde::to_string(&value).unwrap()
    };
    let mut http_apis = 0;
    for (name, router) in scenarios::all() {
        let spec = router.spec(scenarios::info());
        let checked = spec
            .check_for(&[Target::Rest, Target::OpenApi])
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let private = checked.render_private().unwrap().to_json();
        let yaml = checked.render_private_yaml().unwrap();
        assert_eq!(yaml, yaml_of(&private), "{name}: REST");
        for gateway in [Target::Rest, Target::HttpApi] {
            for version in [PublicVersion::V30, PublicVersion::V31] {
                let public = checked.render_public_for(gateway, version).unwrap();
                let yaml = checked.render_public_yaml_for(gateway, version).unwrap();
                assert_eq!(yaml, yaml_of(&public.to_json()), "{name}: public");
            }
        }
        if let Ok(checked) = spec.check_for(&[Target::HttpApi]) {
            let private = checked.render_http_api().unwrap().to_json();
            let yaml = checked.render_http_api_yaml().unwrap();
            assert_eq!(yaml, yaml_of(&private), "{name}: HTTP API");
            http_apis += 1;
        }
    }
    assert!(http_apis > 0, "no scenario is an HTTP API");
}

#[test]
fn public_31_keeps_utoipa_schemas() {
    let spec = scenarios::schemas().spec(scenarios::info());
    let public = spec
        .render_public_version(axum_aws::PublicVersion::V31)
        .unwrap();
    insta::assert_snapshot!("schemas-31-public", public.to_json());
}

/// One route of [`declarations`]: its full path and the route.
type Declared = (&'static str, fn() -> AwsRoute);

/// Routes every target accepts: several methods on one path, a greedy path, a route with
/// its own integration, tags and docs on routes.
fn declarations() -> Vec<Declared> {
    async fn ok() -> &'static str {
        "ok"
    }
    vec![
        ("/widgets", || {
            get(ok).summary("List widgets").tag("widgets")
        }),
        ("/widgets", || post(ok).tag("widgets")),
        ("/widgets/{name}", || get(ok).description("One widget")),
        ("/widgets/{name}", || delete(ok)),
        ("/widgets/{name}/parts", || get(ok)),
        ("/reports/color", || {
            get(ok).integration(LambdaProxy::new("${reports_invoke_arn}"))
        }),
        ("/reports/export", || post(ok).public()),
        ("/files/{*path}", || get(ok)),
        ("/health", || any(ok).tag("ops")),
    ]
}

/// A router declaring `routes` in the given order, at their full paths.
fn declared<'a>(routes: impl IntoIterator<Item = &'a Declared>) -> AwsRouter {
    routes
        .into_iter()
        .fold(AwsRouter::new(), |router, (path, route)| {
            router.route(path, route())
        })
}

/// The rest of `path` under `prefix` as a nested router declares it (`/` for the
/// prefix itself), if it is under it.
fn under(prefix: &str, path: &str) -> Option<String> {
    match path.strip_prefix(prefix)? {
        "" => Some("/".to_owned()),
        rest if rest.starts_with('/') => Some(rest.to_owned()),
        _ => None,
    }
}

/// A router to nest at `prefix`: the routes under it except those under `excluded`,
/// declared in reverse, and no defaults of its own.
fn part(all: &[Declared], prefix: &str, excluded: &[&str]) -> AwsRouter {
    all.iter()
        .rev()
        .filter(|(path, _)| !excluded.iter().any(|e| under(e, path).is_some()))
        .filter_map(|(path, route)| Some((under(prefix, path)?, route)))
        .fold(AwsRouter::new(), |router, (path, route)| {
            router.route(&path, route())
        })
}

/// Equivalent declarations of one API, by name: the routes in other orders, split
/// between merged routers (in either order), and under `nest` where the nested routers
/// set no default (so nesting only prefixes paths). The defaults (integration, CORS) are
/// the outermost router's, set last.
fn equivalent_routers() -> Vec<(&'static str, AwsRouter)> {
    let all = declarations();
    let even = || all.iter().step_by(2);
    let odd = || all.iter().skip(1).step_by(2);
    let variants = [
        ("declared in order", declared(&all)),
        ("declared in reverse", declared(all.iter().rev())),
        // The methods of one path apart, the paths interleaved.
        ("declared interleaved", declared(even().chain(odd()))),
        (
            "two routers merged",
            AwsRouter::new()
                .merge(declared(even()))
                .merge(declared(odd())),
        ),
        (
            "two routers merged the other way",
            AwsRouter::new()
                .merge(declared(odd()))
                .merge(declared(even())),
        ),
        (
            "merged into a router with routes",
            declared(odd()).merge(declared(even())),
        ),
        (
            "nested",
            part(&all, "", &["/widgets", "/reports"])
                .nest("/reports", part(&all, "/reports", &[]))
                .nest("/widgets", part(&all, "/widgets", &[])),
        ),
        (
            "nested twice, then merged",
            AwsRouter::new()
                .merge(
                    AwsRouter::new().nest(
                        "/reports",
                        AwsRouter::new()
                            .nest("/color", part(&all, "/reports/color", &[]))
                            .merge(part(&all, "/reports", &["/reports/color"])),
                    ),
                )
                .nest("/widgets", part(&all, "/widgets", &[]))
                .merge(part(&all, "", &["/widgets", "/reports"])),
        ),
    ];
    variants
        .into_iter()
        .map(|(name, router)| {
            let router = router
                .default_integration(LambdaProxy::new("${api_invoke_arn}"))
                .cors(Cors::new().allow_origin("https://app.example.com"));
            (name, router)
        })
        .collect()
}

/// Every document the router renders to: private (REST), public, Kong (YAML and JSON),
/// HTTP API.
fn every_output(router: &AwsRouter) -> Vec<(&'static str, String)> {
    let spec = router.spec(scenarios::info());
    let checked = spec
        .check_for(&[Target::Rest, Target::OpenApi, Target::Kong, Target::HttpApi])
        .unwrap_or_else(|e| panic!("{e}"));
    vec![
        ("private", checked.render_private().unwrap().to_json()),
        (
            "public",
            checked.render_public(PublicVersion::V30).unwrap().to_json(),
        ),
        (
            "kong yaml",
            checked
                .render_kong(KongFormat::Yaml)
                .unwrap()
                .text()
                .to_owned(),
        ),
        (
            "kong json",
            checked
                .render_kong(KongFormat::Json)
                .unwrap()
                .text()
                .to_owned(),
        ),
        ("http api", checked.render_http_api().unwrap().to_json()),
    ]
}

/// The first output (variant, document) whose bytes differ from the first variant's.
fn first_difference(outputs: &[(&str, Vec<(&str, String)>)]) -> Option<String> {
    let (first, expected) = outputs.first()?;
    for (name, documents) in &outputs[1..] {
        for ((document, want), (_, got)) in expected.iter().zip(documents) {
            if want != got {
                return Some(format!(
                    "{name}: the {document} output differs from {first}'s"
                ));
            }
        }
    }
    None
}

#[test]
fn equivalent_declarations_render_the_same_bytes() {
    let routers = equivalent_routers();
    let outputs: Vec<(&str, Vec<(&str, String)>)> = routers
        .iter()
        .map(|(name, router)| (*name, every_output(router)))
        .collect();
    if let Some(difference) = first_difference(&outputs) {
        panic!("{difference}");
    }
    // The variants are equivalent declarations of one route set...
    let labels = |router: &AwsRouter| {
        let mut labels: Vec<String> = router
            .spec(scenarios::info())
            .routes
            .iter()
            .map(|r| r.label())
            .collect();
        labels.sort();
        labels
    };
    for (name, router) in &routers {
        assert_eq!(labels(router), labels(&routers[0].1), "{name}");
        assert_eq!(router.routes().len(), declarations().len(), "{name}");
    }
}

/// The permutation test can fail: an output that kept declaration order, or one
/// reordered, is caught.
#[test]
fn equivalent_declarations_self_test() {
    let routers = equivalent_routers();
    // A renderer that lists routes as declared: the variants really are permutations.
    let as_declared: Vec<(&str, Vec<(&str, String)>)> = routers
        .iter()
        .map(|(name, router)| {
            let spec = router.spec(scenarios::info());
            let labels: Vec<String> = spec.routes.iter().map(|r| r.label()).collect();
            (*name, vec![("as declared", labels.join("\n"))])
        })
        .collect();
    let difference = first_difference(&as_declared).expect("declaration order is caught");
    assert!(
        difference.starts_with("declared in reverse: the as declared output"),
        "{difference}"
    );
    // One variant's private spec with two lines swapped.
    let mut outputs: Vec<(&str, Vec<(&str, String)>)> = routers[..2]
        .iter()
        .map(|(name, router)| (*name, every_output(router)))
        .collect();
    assert_eq!(first_difference(&outputs), None);
    let private = &mut outputs[1].1[0].1;
    let mut lines: Vec<&str> = private.lines().collect();
    let at = lines.windows(2).position(|w| w[0] != w[1]).unwrap();
    lines.swap(at, at + 1);
    *private = lines.join("\n");
    assert_eq!(
        first_difference(&outputs).as_deref(),
        Some("declared in reverse: the private output differs from declared in order's")
    );
}

#[test]
fn placeholder_header_values_are_static_values() {
    use axum_aws::{ApiSettings, GatewayResponse};

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
