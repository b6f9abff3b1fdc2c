//! The Kong target: golden decK files (YAML and JSON) per feature, one rejection test per
//! feature Kong OSS cannot express, routing equivalence between Kong's own router engine
//! and axum over generated routers, stable ids and tags, and the served router answering
//! the `aws-lambda` plugin's payload.
//!
//! No Kong binary runs here. `make test` validates every `kong__*` snapshot against
//! decK's JSON schema and checks each plugin config against Kong's documented fields
//! (scripts/check-kong.py); route choice is decided by Kong's router engine, the
//! `atc-router` crate, fed as Kong feeds it (crate::kong_engine).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use axum::extract::RawPathParams;
use axum_aws::auth::{Authorizer, CognitoAuthorizer, Grant, IdentitySource, LambdaAuthorizer};
use axum_aws::integration::{Http, Lambda, LambdaProxy, Mock, SqsSendMessage};
use axum_aws::routing::{any, delete, get, patch, post, put};
use axum_aws::{
    ApiSettings, AwsRouter, Cors, ErrorKind, GatewayResponse, KongFormat, KongOptions, Method,
    RequestValidator, Target,
};
use serde_json::Value;

use crate::kong_engine::{KongEngine, KongPick, Layout, escape, router_path};
use crate::scenarios;

async fn ok() -> &'static str {
    "ok"
}

/// Lambda proxy routes: root, literals beside parameters, greedy tails, an async custom
/// Lambda, a role to assume.
fn lambda() -> AwsRouter {
    AwsRouter::new()
        .route("/", get(ok))
        .route("/pets", get(ok))
        .route("/pets", post(ok))
        .route("/pets/mine", get(ok))
        .route("/pets/{id}", get(ok))
        .route("/pets/{id}", delete(ok))
        .route("/pets/{id}/{*rest}", get(ok))
        .route(
            "/reports",
            post(ok).integration(
                Lambda::function("${region}", "${reports_function_arn}").asynchronous(),
            ),
        )
        .default_integration(
            LambdaProxy::function("${region}", "${pets_function_arn}")
                .timeout(Duration::from_secs(10))
                .credentials("${lambda_role_arn}"),
        )
}

/// HTTP backends: a parameter in the URL, a VPC-link greedy proxy, a fixed method.
fn http() -> AwsRouter {
    AwsRouter::new()
        .route(
            "/legacy/{id}",
            get(ok).integration(
                Http::proxy(Method::Get, "https://${legacy_host}/items/{id}")
                    .timeout(Duration::from_millis(5000)),
            ),
        )
        .route(
            "/internal/{*proxy}",
            any(ok).integration(
                Http::proxy(Method::Any, "http://${nlb_dns_name}/{proxy}")
                    .vpc_link("${vpc_link_id}")
                    .insecure_skip_verification(),
            ),
        )
        .route(
            "/quotes",
            get(ok).integration(Http::proxy(
                Method::Post,
                "https://quotes.example.com/v2/quotes",
            )),
        )
}

/// Mocks: a static body, a status alone.
fn mock() -> AwsRouter {
    AwsRouter::new()
        .route(
            "/health",
            get(ok).integration(Mock::new(200).body("application/json", r#"{"status": "ok"}"#)),
        )
        .route("/gone", any(ok).integration(Mock::new(410)))
        // A quote, a newline and a placeholder: YAML double-quotes it, so the
        // substitution takes the raw-string form there.
        .route(
            "/motd",
            get(ok).integration(Mock::new(200).body("text/plain", "it's\n${motd} today")),
        )
}

/// API keys, Cognito without scopes, a public route.
fn auth() -> AwsRouter {
    AwsRouter::new()
        .route("/partner/orders", get(ok).auth(Authorizer::api_key()))
        .route(
            "/me",
            get(ok).auth(CognitoAuthorizer::new("users", ["${user_pool_arn}"])),
        )
        .route("/public", get(ok).public())
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
}

/// CORS: a router default with a placeholder origin, a route with its own policy.
fn cors() -> AwsRouter {
    AwsRouter::new()
        .route("/widgets", get(ok))
        .route("/widgets", post(ok))
        .route("/widgets/{name}", get(ok))
        .route("/widgets/{name}", delete(ok))
        .route(
            "/session",
            post(ok).cors(
                Cors::new()
                    .allow_origins(["https://app.example.com", "https://admin.example.com"])
                    .allow_headers(["Content-Type", "Authorization"])
                    .expose_headers(["X-Request-Id"])
                    .max_age(Duration::from_secs(600))
                    .allow_credentials(true),
            ),
        )
        .cors(Cors::new().allow_origin("${app_origin}"))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
}

/// Throttling: a route's own, a fractional rate (a per-minute window), an HTTP backend
/// (a service to count every client under), an `any` route and a mock under the API's
/// default.
fn throttle() -> AwsRouter {
    AwsRouter::new()
        .route("/orders", get(ok))
        .route("/orders", post(ok).throttle(10, 20))
        .route("/reports", get(ok).throttle(0.5, 1))
        .route(
            "/legacy/{id}",
            get(ok)
                .integration(Http::proxy(
                    Method::Get,
                    "https://${legacy_host}/items/{id}",
                ))
                .throttle(25, 50),
        )
        .route("/files/{*path}", any(ok))
        .route("/health", get(ok).integration(Mock::new(200)))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
        .default_throttle(100, 200)
}

/// Every Kong scenario, by snapshot name.
fn all() -> Vec<(&'static str, AwsRouter)> {
    vec![
        ("lambda", lambda()),
        ("http", http()),
        ("mock", mock()),
        ("auth", auth()),
        ("cors", cors()),
        ("any_method", scenarios::any_method()),
        ("throttle", throttle()),
    ]
}

fn render(router: &AwsRouter, options: impl Into<KongOptions>) -> String {
    let spec = router.spec(scenarios::info());
    let checked = spec
        .check_for(&[Target::Kong])
        .unwrap_or_else(|e| panic!("{e}"));
    checked.render_kong(options).unwrap().text().to_owned()
}

#[test]
fn golden_kong_files() {
    for (name, router) in all() {
        let yaml = render(&router, KongFormat::Yaml);
        let json = render(&router, KongFormat::Json);
        assert_eq!(
            yaml,
            render(
                &all().into_iter().find(|(n, _)| *n == name).unwrap().1,
                KongFormat::Yaml
            ),
            "{name}: deterministic"
        );
        insta::assert_snapshot!(format!("{name}-kong"), yaml);
        insta::assert_snapshot!(format!("{name}-kong-json"), json);
    }
    // Lambda proxy routes sent to the router served over HTTP.
    insta::assert_snapshot!(
        "lambda_upstream-kong",
        render(
            &lambda(),
            KongOptions::new().upstream_url("http://${app_host}:3000")
        )
    );
    // Consumers with placeholder credentials, on request.
    let consumers = KongOptions::new().credential_placeholders(true);
    insta::assert_snapshot!("auth_consumers-kong", render(&auth(), consumers.clone()));
    insta::assert_snapshot!(
        "auth_consumers-kong-json",
        render(&auth(), consumers.format(KongFormat::Json))
    );
}

#[test]
fn consumers_stay_out_unless_asked() {
    let plain = render(&auth(), KongFormat::Yaml);
    assert!(!plain.contains("consumers:"), "{plain}");
    let spec = auth().spec(scenarios::info());
    let checked = spec.check_for(&[Target::Kong]).unwrap();
    let kong = checked
        .render_kong(KongOptions::new().credential_placeholders(true))
        .unwrap();
    assert!(
        kong.text()
            .contains(r#"key: '${{ env "DECK_SCENARIO_API_API_KEY" }}'"#),
        "{}",
        kong.text()
    );
    // The public key is double-quoted, so `\n` in the variable is a line break.
    assert!(
        kong.text()
            .contains(r#"rsa_public_key: "${{ env `DECK_SCENARIO_API_USERS_PUBLIC_KEY` }}""#),
        "{}",
        kong.text()
    );
    assert_eq!(
        kong.variables()["DECK_SCENARIO_API_API_KEY"],
        ["GET /partner/orders"]
    );
}

#[test]
fn an_upstream_url_replaces_the_lambda_proxy_function() {
    let spec = lambda().spec(scenarios::info());
    let checked = spec.check_for(&[Target::Kong]).unwrap();
    let kong = checked
        .render_kong(
            KongOptions::new()
                .format(KongFormat::Json)
                .upstream_url("${app_url}"),
        )
        .unwrap();
    let document: Value = serde_json::from_str(kong.text()).unwrap();
    let services = document["services"].as_array().unwrap();
    assert_eq!(services.len(), 1, "{}", kong.text());
    assert_eq!(services[0]["read_timeout"], 10_000);
    for route in document["routes"].as_array().unwrap() {
        let plugins = route["plugins"].to_string();
        // The asynchronous custom Lambda route keeps its function.
        if plugins.contains("aws-lambda") {
            assert!(plugins.contains("\"invocation_type\":\"Event\""), "{route}");
        } else if !plugins.contains("request-termination") {
            assert_eq!(route["service"]["name"], services[0]["name"], "{route}");
        }
    }
    assert!(kong.variables().contains_key("DECK_APP_URL"));
    let error = checked
        .render_kong(KongOptions::new().upstream_url("ftp://x"))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("Kong upstream URL \"ftp://x\" is not an absolute http(s) URL"),
        "{error}"
    );
}

#[test]
fn ids_follow_the_namespace() {
    let default = render(&lambda(), KongFormat::Json);
    let other = render(
        &lambda(),
        KongOptions::new()
            .format(KongFormat::Json)
            .uuid_namespace(uuid::Uuid::from_u128(7)),
    );
    let names = |text: &str| -> Vec<String> {
        let document: Value = serde_json::from_str(text).unwrap();
        document["routes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(&default), names(&other));
    let ids = |text: &str| -> BTreeSet<String> {
        entities(&serde_json::from_str(text).unwrap())
            .into_keys()
            .collect()
    };
    assert!(ids(&default).is_disjoint(&ids(&other)));
}

/// A 405 on a CORS path carries the path's `cors` plugin: Kong runs plugins by priority
/// (cors 2000, request-termination 2: kong/plugins/{cors,request-termination}/handler.lua
/// at Kong/kong@22246ef), and cors's `header_filter` adds its headers to any answer but a
/// preflight it answered itself, including the one request-termination exits with.
#[test]
fn a_405_carries_the_cors_headers() {
    let document: Value = serde_json::from_str(&render(&cors(), KongFormat::Json)).unwrap();
    let routes = document["routes"].as_array().unwrap();
    let plugin = |route: &Value, name: &str| -> Option<Value> {
        route["plugins"]
            .as_array()?
            .iter()
            .find(|p| p["name"] == name)
            .map(|p| p["config"].clone())
    };
    let mut checked = 0;
    for route in routes {
        let terminates_405 =
            plugin(route, "request-termination").is_some_and(|c| c["status_code"] == 405);
        if !terminates_405 {
            continue;
        }
        let served = routes
            .iter()
            .find(|r| r["paths"] == route["paths"] && plugin(r, "aws-lambda").is_some())
            .unwrap();
        assert_eq!(
            plugin(route, "cors"),
            plugin(served, "cors"),
            "{} answers 405 without the path's CORS policy",
            route["name"]
        );
        checked += 1;
    }
    // /session, /widgets, /widgets/{name}: each a 405 route and a method-less one.
    assert_eq!(checked, 6);
}

/// The two requests the issue found Kong losing: a newline in a greedy tail, and a
/// method outside the seven on an `any` route.
#[test]
fn kong_routes_a_newline_in_a_greedy_tail_and_any_method_of_any() {
    let router = AwsRouter::new()
        .route("/files/{*path}", get(ok))
        .route("/legacy/{*rest}", any(ok))
        .route("/pets", get(ok))
        .default_integration(LambdaProxy::new("${fn}"));
    let document = kong_json(&router);
    let engine = KongEngine::new(&document, Layout::Computed);
    assert_eq!(
        engine.pick("GET", b"/files/a%0Ab"),
        KongPick::Route {
            name: "scenario-api_get_files_~gpath".to_owned(),
            captures: [("path".to_owned(), "a\nb".to_owned())].into()
        }
    );
    assert_eq!(
        engine.pick("PROPFIND", b"/legacy/x"),
        KongPick::Route {
            name: "scenario-api_other_legacy_~grest".to_owned(),
            captures: [("rest".to_owned(), "x".to_owned())].into()
        }
    );
    // Another method on a path without `any`: the method-less route answers 405.
    assert_eq!(
        engine.pick("PROPFIND", b"/pets"),
        KongPick::Route {
            name: "scenario-api_other_pets".to_owned(),
            captures: BTreeMap::new()
        }
    );
}

/// Every route a throttle applies to carries one `rate-limiting` plugin with its rate
/// (in Kong's fixed windows), counted per service where the route has one; the 405
/// routes carry none; routing is what it is without throttles (Kong's engine picks the
/// same routes). Kong's own schema rules for the plugin (`kong/plugins/rate-limiting/
/// schema.lua`: a window set, above 0) are `make check-kong`'s, on the golden file.
#[test]
fn throttled_routes_carry_one_rate_limiting_plugin() {
    let document = kong_json(&throttle());
    let mut limits = BTreeMap::new();
    for route in document["routes"].as_array().unwrap() {
        let name = route["name"].as_str().unwrap().to_owned();
        let plugins: Vec<&Value> = route["plugins"]
            .as_array()
            .map(|p| p.iter().filter(|p| p["name"] == "rate-limiting").collect())
            .unwrap_or_default();
        assert!(plugins.len() <= 1, "{name}: {plugins:?}");
        if let Some(plugin) = plugins.first() {
            limits.insert(name, plugin["config"].clone());
        }
    }
    let config = |window: &str, limit: u32, by: &str| serde_json::json!({ window: limit, "limit_by": by, "policy": "local" });
    let api = "scenario-api";
    let expected: BTreeMap<String, Value> = [
        ("get_orders", config("second", 100, "ip")),
        ("post_orders", config("second", 10, "ip")),
        ("get_reports", config("minute", 30, "ip")),
        ("get_legacy_~pid", config("second", 25, "service")),
        ("any_files_~gpath", config("second", 100, "ip")),
        ("other_files_~gpath", config("second", 100, "ip")),
        ("get_health", config("second", 100, "ip")),
    ]
    .into_iter()
    .map(|(name, config)| (format!("{api}_{name}"), config))
    .collect();
    assert_eq!(limits, expected);

    // The same router without throttles routes every request the same way.
    let plain = AwsRouter::new()
        .route("/orders", get(ok))
        .route("/orders", post(ok))
        .route("/reports", get(ok))
        .route(
            "/legacy/{id}",
            get(ok).integration(Http::proxy(
                Method::Get,
                "https://${legacy_host}/items/{id}",
            )),
        )
        .route("/files/{*path}", any(ok))
        .route("/health", get(ok).integration(Mock::new(200)))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"));
    let throttled = KongEngine::new(&document, Layout::Computed);
    let unthrottled = KongEngine::new(&kong_json(&plain), Layout::Computed);
    for (method, target) in [
        ("GET", "/orders"),
        ("POST", "/orders"),
        ("DELETE", "/orders"),
        ("GET", "/reports"),
        ("GET", "/legacy/7"),
        ("PROPFIND", "/files/a/b"),
        ("GET", "/health"),
        ("GET", "/nowhere"),
    ] {
        assert_eq!(
            throttled.pick(method, target.as_bytes()),
            unthrottled.pick(method, target.as_bytes()),
            "{method} {target}"
        );
    }
}

#[test]
fn json_placeholders_use_the_raw_string_form() {
    let json = render(&lambda(), KongFormat::Json);
    assert!(
        json.contains(r#""function_name": "${{ env `DECK_PETS_FUNCTION_ARN` }}""#),
        "{json}"
    );
    assert!(!json.contains(r#"\"DECK_"#), "{json}");
    let yaml = render(&lambda(), KongFormat::Yaml);
    assert!(
        yaml.contains(r#"function_name: '${{ env "DECK_PETS_FUNCTION_ARN" }}'"#),
        "{yaml}"
    );
}

#[test]
fn variables_are_the_deck_names_with_their_routes() {
    let spec = http().spec(scenarios::info());
    let kong = spec
        .check_for(&[Target::Kong])
        .unwrap()
        .render_kong(KongFormat::Yaml)
        .unwrap();
    let names: Vec<&str> = kong.variables().keys().map(String::as_str).collect();
    assert_eq!(names, ["DECK_LEGACY_HOST", "DECK_NLB_DNS_NAME"]);
    assert_eq!(
        kong.variables()["DECK_NLB_DNS_NAME"],
        ["ANY /internal/{*proxy}"]
    );
}

// ---------------------------------------------------------------------------------------
// Rejections: one per feature Kong OSS cannot express.

fn kong_errors(router: &AwsRouter) -> Vec<(ErrorKind, String)> {
    let spec = router.spec(scenarios::info());
    spec.check_for(&[Target::Kong])
        .unwrap_err()
        .errors()
        .iter()
        .map(|e| (e.kind(), e.to_string()))
        .collect()
}

fn single(router: &AwsRouter) -> String {
    let errors = kong_errors(router);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, ErrorKind::Unsupported);
    errors[0].1.clone()
}

#[test]
fn iam_auth_is_rejected() {
    let message = single(
        &AwsRouter::new()
            .route("/admin", post(ok).auth(Authorizer::iam()))
            .default_integration(LambdaProxy::new("${fn}")),
    );
    assert!(
        message.starts_with("POST /admin: IAM (SigV4) auth: Kong OSS cannot check SigV4"),
        "{message}"
    );
    assert!(message.contains("key-auth"), "{message}");
}

#[test]
fn lambda_token_authorizer_is_rejected() {
    let message = single(
        &AwsRouter::new()
            .route(
                "/me",
                get(ok).auth(LambdaAuthorizer::token("tokenAuth", "${auth_arn}")),
            )
            .default_integration(LambdaProxy::new("${fn}")),
    );
    assert!(
        message.starts_with(
            "GET /me: Lambda authorizer \"tokenAuth\": Kong OSS cannot run Lambda authorizers"
        ),
        "{message}"
    );
}

#[test]
fn lambda_request_authorizer_is_rejected() {
    let request = LambdaAuthorizer::request(
        "tenantAuth",
        "${auth_arn}",
        [IdentitySource::header("X-Tenant")],
    );
    let message = single(
        &AwsRouter::new()
            .route("/t/{tenant}", get(ok).auth(request))
            .default_integration(LambdaProxy::new("${fn}")),
    );
    assert!(
        message.starts_with("GET /t/{tenant}: Lambda authorizer \"tenantAuth\""),
        "{message}"
    );
}

#[test]
fn cognito_scopes_need_enterprise_openid_connect() {
    let users = CognitoAuthorizer::new("users", ["${pool}"]);
    let message = single(
        &AwsRouter::new()
            .route(
                "/p",
                get(ok).auth(Grant::new(users).scopes(["profile/write"])),
            )
            .default_integration(LambdaProxy::new("${fn}")),
    );
    assert!(
        message.contains("only enterprise's openid-connect can"),
        "{message}"
    );
    assert!(message.contains("\"profile/write\""), "{message}");
}

#[test]
fn aws_service_integrations_are_rejected() {
    let message = single(
        &AwsRouter::new().route(
            "/jobs",
            post(ok).integration(
                SqsSendMessage::new(
                    "${region}",
                    axum_aws::integration::Queue::url("${queue_url}"),
                )
                .credentials("${role}"),
            ),
        ),
    );
    assert_eq!(
        message,
        "POST /jobs: Kong OSS cannot call AWS services directly; put a Lambda function in front, or use the rest target"
    );
    // The generic kind too.
    let errors = kong_errors(&scenarios::aws_service());
    assert!(
        errors
            .iter()
            .any(|(_, m)| m.starts_with("POST /events: Kong OSS cannot call AWS services")),
        "{errors:?}"
    );
}

#[test]
fn mapping_templates_are_rejected() {
    let message = single(&AwsRouter::new().route(
        "/r",
        post(ok).integration(Lambda::new("${fn}").request_template("application/json", "{}")),
    ));
    assert!(message.starts_with("POST /r: request mapping templates: Kong OSS has no mapping templates; use a Lambda proxy"), "{message}");
}

#[test]
fn request_validators_are_rejected() {
    let message = single(
        &AwsRouter::new()
            .route("/v", post(ok))
            .default_integration(LambdaProxy::new("${fn}"))
            .settings(
                ApiSettings::new()
                    .request_validator("all", RequestValidator::all())
                    .default_request_validator("all"),
            ),
    );
    assert!(
        message.starts_with(
            "POST /v: request validator \"all\": Kong OSS cannot validate requests against models"
        ),
        "{message}"
    );
}

#[test]
fn gateway_responses_are_rejected() {
    let message = single(
        &AwsRouter::new()
            .route("/g", get(ok))
            .default_integration(LambdaProxy::new("${fn}"))
            .settings(ApiSettings::new().gateway_response("DEFAULT_4XX", GatewayResponse::new())),
    );
    assert!(
        message.starts_with(
            "gateway responses (\"DEFAULT_4XX\") have no per-api equivalent in Kong OSS"
        ),
        "{message}"
    );
}

#[test]
fn mock_headers_and_templates_are_rejected() {
    let errors = kong_errors(&scenarios::mock());
    let messages: Vec<&str> = errors.iter().map(|(_, m)| m.as_str()).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages[0].starts_with("GET /status: mock body"),
        "{messages:?}"
    );
    assert!(
        messages[1].starts_with("POST /maintenance: mock response headers (\"Retry-After\")"),
        "{messages:?}"
    );
}

#[test]
fn api_gateway_expressions_are_rejected() {
    let message = single(&AwsRouter::new().route(
        "/v",
        get(ok).integration(
            Mock::new(200).body("application/json", r#"{"v": "${stageVariables.v}"}"#),
        ),
    ));
    assert!(message.starts_with("GET /v: value"), "{message}");
    assert!(
        message.contains(
            "\"${stageVariables.v}\" is an API Gateway expression, which Kong does not expand"
        ),
        "{message}"
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let errors = kong_errors(&scenarios::cognito_iam_api_key());
    let messages: Vec<&str> = errors.iter().map(|(_, m)| m.as_str()).collect();
    // PUT /profile (scopes), POST /admin (iam), POST /partner (lambda authorizer).
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("PUT /profile: Cognito authorizer")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.starts_with("POST /admin: IAM")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("POST /partner: Lambda authorizer")),
        "{messages:?}"
    );
}

// ---------------------------------------------------------------------------------------
// Routing equivalence: Kong's own router engine (atc-router, crate::kong_engine) against
// axum, over generated routers and requests.

/// SplitMix64: a fixed sequence, so every run generates the same routers and requests.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Few literals, so that siblings overlap: `/pets/mine` beside `/pets/{p2}`.
const LITERALS: &[&str] = &["a", "b", "pets", "mine"];
const DECLARABLE: [Method; 5] = [
    Method::Get,
    Method::Post,
    Method::Put,
    Method::Delete,
    Method::Patch,
];

/// Paths with the methods declared on each (`Any` alone, or concrete ones).
type Routes = Vec<(String, Vec<Method>)>;

/// A router axum accepts: nested literals and parameters (one name per depth, so
/// siblings agree), greedy tails beside literals (never beside a parameter at the same
/// place: axum refuses that), sometimes the root.
fn generate(rng: &mut Rng) -> Routes {
    let mut wildcard_is_greedy: BTreeMap<String, bool> = BTreeMap::new();
    let mut paths: BTreeSet<String> = BTreeSet::new();
    let count = 6 + rng.below(10);
    while paths.len() < count {
        let depth = 1 + rng.below(4);
        let mut path = String::new();
        for position in 1..=depth {
            let roll = rng.below(100);
            if roll < 55 {
                path.push('/');
                path.push_str(rng.pick::<&str>(LITERALS));
                continue;
            }
            let wanted = position == depth && roll >= 85;
            if *wildcard_is_greedy.entry(path.clone()).or_insert(wanted) {
                path.push_str("/{*rest}");
                break;
            }
            path.push_str(&format!("/{{p{position}}}"));
        }
        paths.insert(path);
    }
    if rng.chance(30) {
        paths.insert("/".to_owned());
    }
    paths
        .into_iter()
        .map(|path| {
            let methods = if rng.chance(20) {
                vec![Method::Any]
            } else {
                let mut methods: Vec<Method> = DECLARABLE
                    .iter()
                    .copied()
                    .filter(|_| rng.chance(40))
                    .collect();
                if methods.is_empty() {
                    methods.push(*rng.pick(&DECLARABLE));
                }
                methods
            };
            (path, methods)
        })
        .collect()
}

/// The fixed router of overlapping templates (literal, parameter and greedy siblings,
/// a root catch-all).
fn overlapping() -> Routes {
    [
        ("/", vec![Method::Get]),
        ("/pets", vec![Method::Get, Method::Post]),
        ("/pets/mine", vec![Method::Get]),
        ("/pets/{id}", vec![Method::Get, Method::Delete]),
        ("/pets/{id}/toys", vec![Method::Post]),
        ("/pets/{id}/{*rest}", vec![Method::Any]),
        ("/a/{x}/c", vec![Method::Get]),
        ("/a/b/{y}", vec![Method::Get, Method::Put]),
        ("/files/{*path}", vec![Method::Get]),
        ("/files/readme", vec![Method::Any]),
        ("/{*any}", vec![Method::Any]),
    ]
    .into_iter()
    .map(|(path, methods)| (path.to_owned(), methods))
    .collect()
}

/// The router: route N (in order) has its own function `${fn_N}`; its handler answers
/// with N in `x-route` and axum's path parameters as JSON.
fn build(routes: &Routes) -> AwsRouter {
    let mut router = AwsRouter::new();
    let mut n = 0;
    for (path, methods) in routes {
        for method in methods {
            let handler = move |params: RawPathParams| async move {
                let params: BTreeMap<String, String> = params
                    .iter()
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect();
                (
                    [("x-route", n.to_string())],
                    serde_json::to_string(&params).unwrap(),
                )
            };
            let method_router = match method {
                Method::Get => get(handler),
                Method::Post => post(handler),
                Method::Put => put(handler),
                Method::Delete => delete(handler),
                Method::Patch => patch(handler),
                _ => any(handler),
            };
            let integration = LambdaProxy::new(format!("${{fn_{n}}}"));
            router = router.route(path, method_router.integration(integration));
            n += 1;
        }
    }
    router
}

/// What a request gets, as far as routing decides it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Answer {
    /// Route N's function, with the path parameters.
    Served(usize, BTreeMap<String, String>),
    /// A status without a route's function: 404, 405, or 400 (axum's parameter
    /// extraction refusing a path that is not UTF-8).
    Status(u16),
}

/// One generated request and what it exercises.
struct Probe {
    method: &'static str,
    target: String,
    kinds: BTreeSet<&'static str>,
}

const COMMON: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const UNCOMMON: [&str; 5] = ["PROPFIND", "PURGE", "LINK", "TRACE", "CONNECT"];
/// Parameter values: literals of the router, plain values, percent-encoded bytes Kong
/// keeps (`%2F`), decodes (`%0A`, `%61`, UTF-8) or cannot hand to its engine (`%FF`).
const VALUES: &[&str] = &[
    "a",
    "b",
    "pets",
    "mine",
    "x",
    "42",
    "a%2Fb",
    "a%0Ab",
    "%FF",
    "caf%C3%A9",
    "%61b",
    "a.b",
];

fn probes(routes: &Routes, rng: &mut Rng, count: usize) -> Vec<Probe> {
    let mut out = Vec::new();
    // Every template, plainly filled, extended by a character and by a segment, with
    // every common method: a `$` missing from any route shows on these.
    for (path, _) in routes {
        let plain = instance(path, &mut |_| "42".to_owned());
        for suffix in ["", "x", "/x"] {
            for method in COMMON.into_iter().chain(["PROPFIND"]) {
                let mut kinds = BTreeSet::new();
                if !suffix.is_empty() {
                    kinds.insert("unknown path");
                }
                if !COMMON.contains(&method) {
                    kinds.insert("method outside the common seven");
                }
                out.push(Probe {
                    method,
                    target: format!("{plain}{suffix}"),
                    kinds,
                });
            }
        }
    }
    while out.len() < count {
        let mut kinds: BTreeSet<&'static str> = BTreeSet::new();
        let mut target = if rng.chance(12) {
            kinds.insert("unknown path");
            let depth = 1 + rng.below(3);
            (0..depth)
                .map(|_| {
                    format!(
                        "/{}",
                        rng.pick(&["a", "pets", "petsx", "zz", "mine", "files"])
                    )
                })
                .collect()
        } else {
            let (path, _) = rng.pick(routes);
            if path.contains("{*") {
                kinds.insert("greedy tail");
            }
            let mut fill = |greedy: bool| {
                let mut value = (*rng.pick(VALUES)).to_owned();
                if greedy && rng.chance(50) {
                    value = format!("{value}/{}", rng.pick(VALUES));
                }
                value
            };
            instance(path, &mut fill)
        };
        for (needle, kind) in [
            ("%2F", "%2F"),
            ("%0A", "%0A"),
            ("%FF", "%FF"),
            ("%C3", "other percent-encoded"),
            ("%61", "other percent-encoded"),
        ] {
            if target.contains(needle) {
                kinds.insert(kind);
            }
        }
        if rng.chance(8) {
            // A dot segment somewhere: Kong resolves it before matching.
            let slashes: Vec<usize> = target.match_indices('/').map(|(i, _)| i).collect();
            let at = *rng.pick(&slashes);
            let dots = *rng.pick(&["/.", "/x/..", "/%2e", "/pets/%2E%2E"]);
            target.insert_str(at, dots);
            kinds.insert("dot segment");
        }
        if rng.chance(5) {
            target = target.replacen('/', "//", 1);
            kinds.insert("double slash");
        }
        if rng.chance(12) {
            target.push('/');
            kinds.insert("trailing slash");
        }
        if rng.chance(8) {
            target.push_str("?q=/../a&x");
            kinds.insert("query");
        }
        let method = if rng.chance(20) {
            kinds.insert("method outside the common seven");
            *rng.pick(&UNCOMMON)
        } else {
            *rng.pick(&COMMON)
        };
        out.push(Probe {
            method,
            target,
            kinds,
        });
    }
    out
}

/// A request path for a template, each parameter filled by `fill(greedy)`.
fn instance(path: &str, fill: &mut dyn FnMut(bool) -> String) -> String {
    if path == "/" {
        return "/".to_owned();
    }
    path.split('/')
        .skip(1)
        .map(|segment| {
            if segment.starts_with("{*") {
                format!("/{}", fill(true))
            } else if segment.starts_with('{') {
                format!("/{}", fill(false))
            } else {
                format!("/{segment}")
            }
        })
        .collect()
}

/// axum's answer to the request Kong forwards (the normalised path, re-escaped as
/// kong/tools/uri.lua `escape` does): `None` where nginx answers before Kong routes.
fn axum_answer(
    app: &axum::Router,
    runtime: &tokio::runtime::Runtime,
    probe: &Probe,
) -> Option<Answer> {
    use tower::ServiceExt;

    if probe.method == "TRACE" || probe.method == "CONNECT" {
        return None;
    }
    let forwarded = escape(&router_path(probe.target.as_bytes()));
    let request = http::Request::builder()
        .method(probe.method)
        .uri(&forwarded)
        .body(axum::body::Body::empty())
        .unwrap();
    let response = runtime.block_on(app.clone().oneshot(request)).unwrap();
    let status = response.status().as_u16();
    let route = response
        .headers()
        .get("x-route")
        .map(|v| v.to_str().unwrap().parse::<usize>().unwrap());
    let body = runtime
        .block_on(http_body_util::BodyExt::collect(response.into_body()))
        .unwrap()
        .to_bytes();
    Some(match (status, route) {
        (200, Some(n)) if probe.method == "HEAD" => Answer::Served(n, BTreeMap::new()),
        (200, Some(n)) => Answer::Served(n, serde_json::from_slice(&body).unwrap()),
        (status @ (400 | 404 | 405), None) => Answer::Status(status),
        other => panic!("{} {}: axum answered {other:?}", probe.method, forwarded),
    })
}

/// Percent-decodes a capture the way axum decodes its parameters.
fn decoded(capture: &str) -> String {
    let bytes = capture.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .filter(|h| bytes[i] == b'%' && h.iter().all(u8::is_ascii_hexdigit));
        if let Some(hex) = hex {
            out.push(u8::from_str_radix(std::str::from_utf8(hex).unwrap(), 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// What each Kong route of the file answers: route N's function, or a status.
fn route_answers(document: &Value) -> BTreeMap<String, Answer> {
    let function = regex::Regex::new(r"DECK_FN_([0-9]+)").unwrap();
    document["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|route| {
            let plugins = route["plugins"].as_array().cloned().unwrap_or_default();
            let answer = plugins
                .iter()
                .find_map(|p| match p["name"].as_str() {
                    Some("aws-lambda") => {
                        let name = p["config"]["function_name"].as_str().unwrap();
                        let n = &function.captures(name).unwrap()[1];
                        Some(Answer::Served(n.parse().unwrap(), BTreeMap::new()))
                    }
                    Some("request-termination") => Some(Answer::Status(
                        u16::try_from(p["config"]["status_code"].as_u64().unwrap()).unwrap(),
                    )),
                    _ => None,
                })
                .unwrap();
            (route["name"].as_str().unwrap().to_owned(), answer)
        })
        .collect()
}

/// Every request where Kong's engine, given `document`, does not answer as axum does
/// (only the first with `first_only`).
fn disagreements(
    document: &Value,
    layout: Layout,
    probes: &[Probe],
    axum: &[Option<Answer>],
    first_only: bool,
) -> Vec<String> {
    let engine = KongEngine::new(document, layout);
    let answers = route_answers(document);
    let mut out = Vec::new();
    for (probe, axum) in probes.iter().zip(axum) {
        if first_only && !out.is_empty() {
            break;
        }
        let Some(axum) = axum else { continue };
        let kong = match engine.pick(probe.method, probe.target.as_bytes()) {
            KongPick::Route { name, captures } => match &answers[&name] {
                Answer::Served(n, _) if probe.method == "HEAD" => {
                    Answer::Served(*n, BTreeMap::new())
                }
                Answer::Served(n, _) => Answer::Served(
                    *n,
                    captures
                        .into_iter()
                        .map(|(k, v)| (k, decoded(&v)))
                        .collect(),
                ),
                status => status.clone(),
            },
            KongPick::NoRoute => Answer::Status(404),
            KongPick::NotUtf8 => {
                // Kong answers 404; axum must not serve it either.
                if matches!(axum, Answer::Served(..)) {
                    out.push(format!(
                        "{} {}: Kong cannot route a path that is not UTF-8, axum serves {axum:?}",
                        probe.method, probe.target
                    ));
                }
                continue;
            }
            KongPick::Tie(a, b) => {
                out.push(format!(
                    "{} {}: routes {a} and {b} tie",
                    probe.method, probe.target
                ));
                continue;
            }
            KongPick::Nginx => continue,
        };
        if kong != *axum {
            out.push(format!(
                "{} {}: Kong {kong:?}, axum {axum:?}",
                probe.method, probe.target
            ));
        }
    }
    out
}

fn kong_json(router: &AwsRouter) -> Value {
    let spec = router.spec(scenarios::info());
    let checked = spec
        .check_for(&[Target::Kong])
        .unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_str(checked.render_kong(KongFormat::Json).unwrap().text()).unwrap()
}

/// Per router: its routes, its file, its requests and axum's answers to them.
struct Case {
    routes: Routes,
    document: Value,
    probes: Vec<Probe>,
    axum: Vec<Option<Answer>>,
}

fn case(routes: Routes, rng: &mut Rng) -> Case {
    let router = build(&routes);
    let document = kong_json(&router);
    let probes = probes(&routes, rng, 1200);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let app = build(&routes).into_router();
    let axum = probes
        .iter()
        .map(|probe| axum_answer(&app, &runtime, probe))
        .collect();
    Case {
        routes,
        document,
        probes,
        axum,
    }
}

/// How many requests of `probes` match two or more paths of the file.
fn overlapping_requests(document: &Value, probes: &[Probe]) -> usize {
    let regexes: BTreeSet<String> = document["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["paths"][0].as_str().unwrap().to_owned())
        .collect();
    let regexes: Vec<regex::Regex> = regexes
        .iter()
        .map(|p| regex::Regex::new(&format!("^{}", &p[1..])).unwrap())
        .collect();
    probes
        .iter()
        .filter(|probe| {
            let Ok(path) = String::from_utf8(router_path(probe.target.as_bytes())) else {
                return false;
            };
            regexes.iter().filter(|r| r.is_match(&path)).count() >= 2
        })
        .count()
}

#[test]
#[allow(clippy::print_stderr)] // the generator's report of what it covered
fn kong_engine_picks_the_route_axum_picks() {
    let mut rng = Rng(0x2026);
    let mut routers: Vec<Routes> = vec![overlapping()];
    routers.extend((0..8).map(|_| generate(&mut rng)));
    let mut totals: BTreeMap<&str, usize> = BTreeMap::new();
    for routes in routers {
        let case = case(routes, &mut rng);
        assert!(case.probes.len() >= 1000);
        for layout in [Layout::Computed, Layout::Documented] {
            let wrong = disagreements(&case.document, layout, &case.probes, &case.axum, false);
            assert!(
                wrong.is_empty(),
                "{layout:?}: {} of {} requests differ, e.g.\n{}\nrouter {:?}\n{:#}",
                wrong.len(),
                case.probes.len(),
                wrong[..wrong.len().min(20)].join("\n"),
                case.routes,
                case.document
            );
        }
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        *counts.entry("requests").or_default() += case.probes.len();
        *counts.entry("overlapping siblings").or_default() +=
            overlapping_requests(&case.document, &case.probes);
        *counts
            .entry("answered by nginx (TRACE, CONNECT)")
            .or_default() += case.axum.iter().filter(|a| a.is_none()).count();
        for probe in &case.probes {
            for kind in &probe.kinds {
                *counts.entry(kind).or_default() += 1;
            }
        }
        eprintln!("kong engine vs axum, router {:?}: {counts:?}", case.routes);
        for (kind, count) in counts {
            *totals.entry(kind).or_default() += count;
        }
    }
    eprintln!("kong engine vs axum, all routers: {totals:?}");
    for kind in [
        "overlapping siblings",
        "greedy tail",
        "trailing slash",
        "%2F",
        "%0A",
        "%FF",
        "dot segment",
        "method outside the common seven",
        "unknown path",
    ] {
        assert!(
            totals.get(kind).copied().unwrap_or(0) >= 20,
            "{kind}: {totals:?}"
        );
    }
}

#[test]
fn the_engine_comparison_catches_a_swapped_priority_and_a_missing_anchor() {
    let mut rng = Rng(0x5E1F);
    let case = case(overlapping(), &mut rng);
    assert!(
        disagreements(
            &case.document,
            Layout::Computed,
            &case.probes,
            &case.axum,
            false
        )
        .is_empty()
    );
    let routes = case.document["routes"].as_array().unwrap();
    let engine = KongEngine::new(&case.document, Layout::Computed);
    let regexes: Vec<regex::Regex> = routes
        .iter()
        .map(|route| {
            let path = route["paths"][0].as_str().unwrap();
            regex::Regex::new(&format!("^{}", &path[1..])).unwrap()
        })
        .collect();
    let takes = |route: &Value, method: &str| {
        route["methods"]
            .as_array()
            .is_some_and(|ms| ms.iter().any(|m| m == method))
    };
    // Overlapping siblings: the route Kong picks for a request, and another route with
    // a lower priority whose path and methods match it too, answering otherwise (two
    // 405 routes may trade places unnoticed: the answer is the same).
    let answers = route_answers(&case.document);
    let mut pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
    for probe in &case.probes {
        let KongPick::Route { name, .. } = engine.pick(probe.method, probe.target.as_bytes())
        else {
            continue;
        };
        let Ok(path) = String::from_utf8(router_path(probe.target.as_bytes())) else {
            continue;
        };
        let winner = routes.iter().position(|r| r["name"] == name).unwrap();
        for (other, route) in routes.iter().enumerate() {
            if route["paths"] != routes[winner]["paths"]
                && answers[route["name"].as_str().unwrap()] != answers[&name]
                && takes(route, probe.method)
                && regexes[other].is_match(&path)
            {
                pairs.insert((winner, other));
            }
        }
    }
    assert!(pairs.len() >= 5, "{pairs:?}");
    for (a, b) in &pairs {
        let mut swapped = case.document.clone();
        let (pa, pb) = (
            routes[*a]["regex_priority"].clone(),
            routes[*b]["regex_priority"].clone(),
        );
        swapped["routes"][*a]["regex_priority"] = pb;
        swapped["routes"][*b]["regex_priority"] = pa;
        assert!(
            !disagreements(&swapped, Layout::Computed, &case.probes, &case.axum, true).is_empty(),
            "swapping the priorities of {} and {} goes unnoticed",
            routes[*a]["name"],
            routes[*b]["name"]
        );
    }
    // Every anchor but a greedy tail's (which takes the rest anyway).
    let mut dropped = 0;
    for (i, route) in routes.iter().enumerate() {
        let path = route["paths"][0].as_str().unwrap();
        if path.ends_with(".+))$") {
            continue;
        }
        let mut unanchored = case.document.clone();
        unanchored["routes"][i]["paths"][0] = Value::from(path.trim_end_matches('$'));
        assert!(
            !disagreements(
                &unanchored,
                Layout::Computed,
                &case.probes,
                &case.axum,
                true
            )
            .is_empty(),
            "dropping the $ of {} goes unnoticed",
            route["name"]
        );
        dropped += 1;
    }
    assert!(dropped >= 10, "{dropped}");
}

/// Every entity of a file by id: routes with their plugins, services, consumers.
fn entities(document: &Value) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for kind in ["routes", "services", "consumers"] {
        for entity in document[kind].as_array().into_iter().flatten() {
            let id = entity["id"].as_str().unwrap().to_owned();
            assert!(out.insert(id, entity.clone()).is_none(), "{entity}");
        }
    }
    out
}

#[test]
fn exports_are_stable_and_a_new_route_changes_only_its_path() {
    let mut rng = Rng(0xD0C5);
    for _ in 0..6 {
        let routes = generate(&mut rng);
        let first = kong_json(&build(&routes));
        let again = kong_json(&build(&routes));
        assert_eq!(first, again);
        let tag = first["_info"]["select_tags"][0].clone();
        for entity in entities(&first).values() {
            assert_eq!(entity["tags"], Value::from(vec![tag.clone()]), "{entity}");
            for plugin in entity["plugins"].as_array().into_iter().flatten() {
                assert!(plugin["id"].is_string(), "{plugin}");
                assert_eq!(plugin["tags"], Value::from(vec![tag.clone()]), "{plugin}");
            }
        }
        // A route on a new path, and a method more on an existing one (appended, so
        // that the other routes keep their function numbers).
        let (existing, methods) = rng.pick(&routes).clone();
        let extra = DECLARABLE
            .iter()
            .find(|m| !methods.contains(m) && !methods.contains(&Method::Any))
            .map(|m| (existing, *m));
        for (path, method) in [("/new/{p2}".to_owned(), Method::Get)]
            .into_iter()
            .chain(extra)
        {
            let mut more = routes.clone();
            more.push((path.clone(), vec![method]));
            let last = more.iter().map(|(_, methods)| methods.len()).sum::<usize>() - 1;
            let after = kong_json(&build(&more));
            let function = format!("DECK_FN_{last}`");
            let regex = after["routes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r.to_string().contains(&function))
                .map(|r| r["paths"][0].clone())
                .unwrap();
            let (before, after) = (entities(&first), entities(&after));
            let ids: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
            for id in ids {
                let (old, new) = (before.get(id), after.get(id));
                if old == new {
                    continue;
                }
                let entity = new.or(old).unwrap();
                assert_eq!(
                    entity["paths"][0], regex,
                    "adding {method:?} {path} changed {entity:#}"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// The served router answers the aws-lambda plugin's payload.

#[cfg(feature = "serve")]
fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/kong/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

#[cfg(feature = "serve")]
#[tokio::test]
async fn served_router_answers_the_aws_lambda_payload() {
    use axum::Json;
    use axum::extract::{Path, Query};
    use axum_aws::{AwsContext, Server};

    async fn pet(
        Path(id): Path<u32>,
        Query(query): Query<BTreeMap<String, String>>,
        context: AwsContext,
    ) -> Json<Value> {
        Json(serde_json::json!({
            "id": id,
            "verbose": query.get("verbose"),
            "source": format!("{:?}", context.source),
            "sourceIp": context.source_ip,
        }))
    }
    async fn create(Json(body): Json<Value>) -> (http::StatusCode, Json<Value>) {
        (http::StatusCode::CREATED, Json(body))
    }
    let make = || -> AwsRouter {
        AwsRouter::new()
            .route("/pets/{id}", get(pet))
            .route("/pets", post(create))
            .default_integration(LambdaProxy::new("${fn}"))
    };
    let router = make();

    // The plugin is configured so that it sends this shape: awsgateway_compatible and
    // is_proxy_integration, in the rendered file.
    let kong = render(&router, KongFormat::Json);
    assert!(
        kong.contains(r#""awsgateway_compatible": true"#)
            && kong.contains(r#""is_proxy_integration": true"#)
    );

    let get_response = Server::new(make().into_router())
        .lambda_handler()
        .handle(
            fixture("aws-lambda-get-pet.json").as_bytes(),
            Default::default(),
        )
        .await;
    assert_eq!(get_response["statusCode"], 200, "{get_response}");
    let body: Value = serde_json::from_str(get_response["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["id"], 42, "{body}");
    assert_eq!(body["verbose"], "1", "{body}");
    assert_eq!(body["sourceIp"], "203.0.113.7", "{body}");

    let post_response = Server::new(router.into_router())
        .lambda_handler()
        .handle(
            fixture("aws-lambda-post-pet.json").as_bytes(),
            Default::default(),
        )
        .await;
    assert_eq!(post_response["statusCode"], 201, "{post_response}");
    let body: Value = serde_json::from_str(post_response["body"].as_str().unwrap()).unwrap();
    assert_eq!(body, serde_json::json!({"name": "Rex"}));
}
