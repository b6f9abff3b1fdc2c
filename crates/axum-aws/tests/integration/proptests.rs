//! Random routers (nested, merged, random paths, methods, integrations, authorizers,
//! CORS): the private spec holds exactly the router's routes and passes the
//! structural checks API Gateway's importer applies; the public spec is clean.

use std::collections::BTreeSet;

use axum_aws::auth::{Authorizer, CognitoAuthorizer, LambdaAuthorizer, Security};
use axum_aws::integration::{Http, Integration, IntegrationResponse, Lambda, LambdaProxy, Mock};
use axum_aws::routing::{self, delete, get, patch, post, put};
use axum_aws::{AwsRoute, AwsRouter, Cors, Info, Method};
use proptest::prelude::*;
use serde_json::Value;

async fn ok() -> &'static str {
    "ok"
}

#[derive(Clone, Debug)]
struct RouteSpec {
    segments: Vec<u8>,
    greedy: bool,
    method: Method,
    integration: u8,
    auth: u8,
}

#[derive(Clone, Debug)]
struct RouterSpec {
    routes: Vec<RouteSpec>,
    /// (routes, nested under a prefix?, own CORS policy? — nested children only, since a
    /// merged one shares paths with its parent and two policies on a path are an error)
    children: Vec<(Vec<RouteSpec>, bool, bool)>,
    cors: bool,
}

const LITERALS: [&str; 4] = ["users", "items", "a.b", "x-y"];

/// A path from segment codes: literals, or a parameter named after its depth (so one
/// parent never sees two variable names), optionally ending in a greedy `files/{*rest}`.
fn path_of(route: &RouteSpec) -> String {
    let mut path = String::new();
    for (depth, code) in route.segments.iter().enumerate() {
        match *code as usize {
            i if i < LITERALS.len() => path.push_str(&format!("/{}", LITERALS[i])),
            _ => path.push_str(&format!("/{{p{depth}}}")),
        }
    }
    if route.greedy {
        path.push_str("/files/{*rest}");
    }
    if path.is_empty() {
        "/".to_owned()
    } else {
        path
    }
}

fn integration(code: u8) -> Integration {
    match code % 4 {
        0 => LambdaProxy::new("${api_invoke_arn}").into(),
        1 => Http::proxy(Method::Any, "https://${backend_host}/x").into(),
        2 => Mock::new(200).body("application/json", "{}").into(),
        _ => Lambda::new("${custom_invoke_arn}")
            .response(IntegrationResponse::default_status(200))
            .response(IntegrationResponse::new(".*missing.*", 404))
            .into(),
    }
}

fn security(code: u8) -> Option<Security> {
    let token = LambdaAuthorizer::token("tokenAuth", "${authorizer_invoke_arn}");
    match code % 6 {
        0 => None,
        1 => Some(Authorizer::api_key().into()),
        2 => Some(token.into()),
        3 => Some(CognitoAuthorizer::new("users", ["${user_pool_arn}"]).into()),
        4 => Some(Authorizer::iam().into()),
        _ => Some(Security::all([Authorizer::api_key(), token.into()])),
    }
}

fn route(spec: &RouteSpec) -> AwsRoute {
    let route = match spec.method {
        Method::Get => get(ok),
        Method::Post => post(ok),
        Method::Put => put(ok),
        Method::Delete => delete(ok),
        Method::Patch => patch(ok),
        _ => routing::any(ok),
    };
    let route = route.integration(integration(spec.integration));
    match security(spec.auth) {
        Some(security) => route.auth(security),
        None => route,
    }
}

/// Adds routes, skipping (path, method) pairs axum would refuse.
fn add(
    mut router: AwsRouter,
    routes: &[RouteSpec],
    taken: &mut BTreeSet<(String, Method)>,
    prefix: &str,
) -> AwsRouter {
    for spec in routes {
        let path = path_of(spec);
        let full = if prefix.is_empty() {
            path.clone()
        } else if path == "/" {
            prefix.to_owned()
        } else {
            format!("{prefix}{path}")
        };
        let clashes = taken.iter().any(|(p, m)| {
            p == &full && (*m == spec.method || *m == Method::Any || spec.method == Method::Any)
        });
        if clashes {
            continue;
        }
        taken.insert((full, spec.method));
        router = router.route(&path, route(spec));
    }
    router
}

fn build(spec: &RouterSpec) -> (AwsRouter, BTreeSet<(String, Method)>) {
    let mut taken = BTreeSet::new();
    let mut router = add(AwsRouter::new(), &spec.routes, &mut taken, "");
    for (i, (routes, nested, cors)) in spec.children.iter().enumerate() {
        let prefix = format!("/n{i}");
        let mut child = add(
            AwsRouter::new(),
            routes,
            &mut taken,
            if *nested { &prefix } else { "" },
        );
        if *cors && *nested {
            child = child.cors(Cors::new().allow_origin("https://app.example.com"));
        }
        router = if *nested {
            router.nest(&prefix, child)
        } else {
            router.merge(child)
        };
    }
    if spec.cors {
        router = router.cors(Cors::new().allow_origin("${app_origin}"));
    }
    (router, taken)
}

fn route_strategy() -> impl Strategy<Value = RouteSpec> {
    (
        prop::collection::vec(0u8..6, 0..4),
        prop::bool::weighted(0.15),
        prop::sample::select(vec![
            Method::Get,
            Method::Post,
            Method::Put,
            Method::Delete,
            Method::Patch,
            Method::Any,
        ]),
        any::<u8>(),
        any::<u8>(),
    )
        .prop_map(|(segments, greedy, method, integration, auth)| RouteSpec {
            segments,
            greedy,
            method,
            integration,
            auth,
        })
}

fn router_strategy() -> impl Strategy<Value = RouterSpec> {
    (
        prop::collection::vec(route_strategy(), 1..8),
        prop::collection::vec(
            (
                prop::collection::vec(route_strategy(), 1..5),
                any::<bool>(),
                any::<bool>(),
            ),
            0..3,
        ),
        any::<bool>(),
    )
        .prop_map(|(routes, children, cors)| RouterSpec {
            routes,
            children,
            cors,
        })
}

fn gateway(path: &str) -> String {
    path.replace("{*rest}", "{rest+}")
}

fn method_key(method: Method) -> String {
    if method == Method::Any {
        "x-amazon-apigateway-any-method".to_owned()
    } else {
        method.as_str().to_ascii_lowercase()
    }
}

/// Structural rules API Gateway's importer enforces, checked on the private document.
fn check_structure(document: &Value) -> Result<(), String> {
    if document["openapi"] != "3.0.1" {
        return Err("OpenAPI is not 3.0.1".into());
    }
    let schemes = document["components"]["securitySchemes"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    for (path, item) in document["paths"].as_object().ok_or("no paths")? {
        let names: Vec<String> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|s| s.trim_end_matches('+').to_owned())
            .collect();
        for (key, op) in item.as_object().ok_or("path item is not an object")? {
            let declared: Vec<&str> = op["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .filter(|p| p["in"] == "path")
                        .filter_map(|p| p["name"].as_str())
                        .collect()
                })
                .unwrap_or_default();
            for name in &names {
                if !declared.contains(&name.as_str()) {
                    return Err(format!("{key} {path}: path parameter {name} not declared"));
                }
            }
            let responses = op["responses"]
                .as_object()
                .ok_or(format!("{key} {path}: no responses"))?;
            if responses.is_empty() || responses.values().any(|r| !r["description"].is_string()) {
                return Err(format!("{key} {path}: a response lacks a description"));
            }
            let integration = &op["x-amazon-apigateway-integration"];
            if !integration.is_object() {
                return Err(format!("{key} {path}: no integration"));
            }
            if let Some(integration_responses) = integration["responses"].as_object() {
                for response in integration_responses.values() {
                    let status = response["statusCode"]
                        .as_str()
                        .ok_or("statusCode is not a string")?;
                    if !responses.contains_key(status) {
                        return Err(format!(
                            "{key} {path}: integration status {status} has no method response"
                        ));
                    }
                }
            }
            for requirement in op["security"].as_array().into_iter().flatten() {
                for name in requirement.as_object().into_iter().flat_map(|r| r.keys()) {
                    if !schemes.contains_key(name) {
                        return Err(format!("{key} {path}: security scheme {name} not declared"));
                    }
                }
            }
        }
    }
    Ok(())
}

fn public_is_clean(value: &Value) -> bool {
    match value {
        Value::Object(map) => map
            .iter()
            .all(|(k, v)| !k.contains("x-amazon-apigateway") && public_is_clean(v)),
        Value::Array(items) => items.iter().all(public_is_clean),
        Value::String(s) => !s.contains("${") && !s.contains("arn:"),
        _ => true,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn private_spec_holds_exactly_the_routes(spec in router_strategy()) {
        let (router, taken) = build(&spec);
        let api = router.spec(Info::new("random", "1"));
        let document = api.render_private().map_err(|e| TestCaseError::fail(e.to_string()))?.to_value();

        let mut expected: BTreeSet<(String, String)> =
            taken.iter().map(|(p, m)| (gateway(p), method_key(*m))).collect();
        let cors_paths: BTreeSet<String> =
            api.routes.iter().filter(|r| r.cors.is_some()).map(|r| gateway(&r.path)).collect();
        for path in cors_paths {
            expected.insert((path, "options".to_owned()));
        }
        let actual: BTreeSet<(String, String)> = document["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(path, item)| item.as_object().unwrap().keys().map(move |k| (path.clone(), k.clone())))
            .collect();
        prop_assert_eq!(actual, expected);
        check_structure(&document).map_err(TestCaseError::fail)?;

        let public = api.render_public().map_err(|e| TestCaseError::fail(e.to_string()))?.to_value();
        prop_assert!(public_is_clean(&public));
    }
}

/// `spec` with only what an HTTP API can express: Lambda proxy or HTTP proxy
/// integrations, no auth or IAM, one CORS policy for the whole API (none per child).
fn http_api_expressible(spec: &RouterSpec) -> RouterSpec {
    let fix = |routes: &[RouteSpec]| -> Vec<RouteSpec> {
        routes
            .iter()
            .map(|r| RouteSpec {
                integration: r.integration % 2,
                auth: if r.auth % 2 == 0 { 0 } else { 4 },
                ..r.clone()
            })
            .collect()
    };
    RouterSpec {
        routes: fix(&spec.routes),
        children: spec
            .children
            .iter()
            .map(|(routes, nested, _)| (fix(routes), *nested, false))
            .collect(),
        cors: spec.cors,
    }
}

/// Whether an HTTP API cannot take `route` (mock or custom Lambda; API keys, TOKEN or
/// Cognito authorizers, several authorizers).
fn refused_by_http_api(route: &axum_aws::RouteMeta) -> bool {
    let integration = matches!(
        route.integration,
        Some(Integration::Mock(_)) | Some(Integration::Lambda(_))
    );
    let grants: Vec<_> = route.security.iter().flat_map(|s| s.grants()).collect();
    let auth = grants.len() > 1
        || grants.iter().any(|g| {
            matches!(
                g.authorizer,
                Authorizer::ApiKey | Authorizer::Cognito(_) | Authorizer::Lambda(_)
            )
        });
    integration || auth
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// A router of HTTP-API-expressible parts renders, with exactly its routes (no
    /// OPTIONS: the API's CORS configuration answers preflights).
    #[test]
    fn http_api_spec_holds_exactly_the_routes(spec in router_strategy()) {
        let (router, taken) = build(&http_api_expressible(&spec));
        let api = router.spec(Info::new("random", "1"));
        let document = api.render_http_api().map_err(|e| TestCaseError::fail(e.to_string()))?.to_value();
        let expected: BTreeSet<(String, String)> =
            taken.iter().map(|(p, m)| (gateway(p), method_key(*m))).collect();
        let actual: BTreeSet<(String, String)> = document["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(path, item)| item.as_object().unwrap().keys().map(move |k| (path.clone(), k.clone())))
            .collect();
        prop_assert_eq!(actual, expected);
        check_structure(&document).map_err(TestCaseError::fail)?;
        prop_assert_eq!(document["x-amazon-apigateway-cors"].is_object(), spec.cors);
    }

    /// Any router: the HTTP API checks refuse only routes that hold something an HTTP
    /// API cannot take (or CORS that is not one policy), each naming one of its routes.
    #[test]
    fn http_api_refusals_name_a_route_that_has_what_http_apis_lack(spec in router_strategy()) {
        let (router, _) = build(&spec);
        let api = router.spec(Info::new("random", "1"));
        if let Err(errors) = api.check_for(&[axum_aws::Target::HttpApi]) {
            for error in errors.errors() {
                let label = error.route().ok_or_else(|| TestCaseError::fail(format!("api-level: {error}")))?;
                let route = api.routes.iter().find(|r| r.label() == label)
                    .ok_or_else(|| TestCaseError::fail(format!("no route {label}")))?;
                prop_assert!(
                    error.kind() == axum_aws::ErrorKind::Cors || refused_by_http_api(route),
                    "{} refused, but it holds nothing an HTTP API lacks: {:?}", error, route
                );
            }
        }
    }
}
