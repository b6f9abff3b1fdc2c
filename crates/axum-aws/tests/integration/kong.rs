//! The Kong target: golden decK files (YAML and JSON) per feature, one rejection test per
//! feature Kong OSS cannot express, routing equivalence between Kong's documented
//! matching order and axum, and the served router answering the `aws-lambda` plugin's
//! payload.
//!
//! No Kong binary runs here. `make test` validates every `kong__*` snapshot against
//! decK's JSON schema and checks each plugin config against Kong's documented fields
//! (scripts/check-kong.py); the routing harness below implements Kong's documented order.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use axum::extract::{MatchedPath, RawPathParams};
use axum_aws::auth::{Authorizer, CognitoAuthorizer, Grant, IdentitySource, LambdaAuthorizer};
use axum_aws::integration::{Http, Lambda, LambdaProxy, Mock, SqsSendMessage};
use axum_aws::routing::{any, delete, get, post};
use axum_aws::{
    ApiSettings, AwsRouter, Cors, ErrorKind, GatewayResponse, KongFormat, Method, RequestValidator,
    Target,
};
use serde_json::Value;

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

/// Every Kong scenario, by snapshot name.
fn all() -> Vec<(&'static str, AwsRouter)> {
    vec![
        ("lambda", lambda()),
        ("http", http()),
        ("mock", mock()),
        ("auth", auth()),
        ("cors", cors()),
        ("any_method", scenarios::any_method()),
    ]
}

fn render(router: &AwsRouter, format: KongFormat) -> String {
    let spec = router.spec(scenarios::info());
    let checked = spec
        .check_for(&[Target::Kong])
        .unwrap_or_else(|e| panic!("{e}"));
    checked.render_kong(format).unwrap().text().to_owned()
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
        message.starts_with("POST /admin: iam (sigv4) auth: kong oss cannot check sigv4"),
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
            "GET /me: lambda authorizer \"tokenAuth\": kong oss cannot run lambda authorizers"
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
        message.starts_with("GET /t/{tenant}: lambda authorizer \"tenantAuth\""),
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
        "POST /jobs: kong oss cannot call aws services directly; put a lambda function in front, or use the rest target"
    );
    // The generic kind too.
    let errors = kong_errors(&scenarios::aws_service());
    assert!(
        errors
            .iter()
            .any(|(_, m)| m.starts_with("POST /events: kong oss cannot call aws services")),
        "{errors:?}"
    );
}

#[test]
fn mapping_templates_are_rejected() {
    let message = single(&AwsRouter::new().route(
        "/r",
        post(ok).integration(Lambda::new("${fn}").request_template("application/json", "{}")),
    ));
    assert!(message.starts_with("POST /r: request mapping templates: kong oss has no mapping templates; use a lambda proxy"), "{message}");
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
            "POST /v: request validator \"all\": kong oss cannot validate requests against models"
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
            "gateway responses (\"DEFAULT_4XX\") have no per-api equivalent in kong oss"
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
            "\"${stageVariables.v}\" is an api gateway expression, which kong does not expand"
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
            .any(|m| m.starts_with("PUT /profile: cognito authorizer")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.starts_with("POST /admin: iam")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("POST /partner: lambda authorizer")),
        "{messages:?}"
    );
}

// ---------------------------------------------------------------------------------------
// Routing equivalence: Kong's documented matching order against axum.

/// One Kong route as the harness reads it from the JSON file.
struct KongRoute {
    name: String,
    methods: BTreeSet<String>,
    regex: regex::Regex,
    priority: i64,
    /// The function (a route's own `${fn_N}`), or the request-termination status.
    answer: String,
}

/// The routes of a rendered file, in Kong's order: every route here has methods and
/// paths (the same field count) and a regex path, so regex priority decides, highest
/// first. Kong leaves ties undefined, so the harness fails on a tie that matters (two
/// routes with the same priority matching one request).
fn kong_routes(json: &str) -> Vec<KongRoute> {
    let document: Value = serde_json::from_str(json).unwrap();
    let mut routes: Vec<KongRoute> = document["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|route| {
            let paths = route["paths"].as_array().unwrap();
            assert_eq!(paths.len(), 1);
            let path = paths[0].as_str().unwrap();
            let pattern = path.strip_prefix('~').expect("regex path");
            // Kong's default router prefixes `^` and runs Rust's regex crate.
            let regex = regex::Regex::new(&format!("^{pattern}")).unwrap();
            let plugins = route["plugins"].as_array().cloned().unwrap_or_default();
            let answer = plugins
                .iter()
                .find_map(|p| match p["name"].as_str() {
                    Some("aws-lambda") => {
                        Some(p["config"]["function_name"].as_str().unwrap().to_owned())
                    }
                    Some("request-termination") => Some(p["config"]["status_code"].to_string()),
                    _ => None,
                })
                .unwrap();
            KongRoute {
                name: route["name"].as_str().unwrap().to_owned(),
                methods: route["methods"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m.as_str().unwrap().to_owned())
                    .collect(),
                regex,
                priority: route["regex_priority"].as_i64().unwrap(),
                answer,
            }
        })
        .collect();
    routes.sort_by_key(|route| std::cmp::Reverse(route.priority));
    routes
}

/// What Kong does with a request: the route's answer and the named captures.
fn kong_pick(
    routes: &[KongRoute],
    method: &str,
    path: &str,
) -> Option<(String, BTreeMap<String, String>)> {
    let mut picked: Option<(&KongRoute, BTreeMap<String, String>)> = None;
    for route in routes {
        if let Some((first, _)) = &picked
            && first.priority != route.priority
        {
            break;
        }
        if !route.methods.contains(method) {
            continue;
        }
        if let Some(captures) = route.regex.captures(path) {
            let named = route
                .regex
                .capture_names()
                .flatten()
                .filter_map(|name| {
                    Some((name.to_owned(), captures.name(name)?.as_str().to_owned()))
                })
                .collect();
            if let Some((first, _)) = &picked {
                panic!(
                    "{method} {path}: routes {} and {} tie at priority {}",
                    first.name, route.name, route.priority
                );
            }
            picked = Some((route, named));
        }
    }
    picked.map(|(route, captures)| (route.answer.clone(), captures))
}

/// The paths the equivalence test routes: literal, parameter and greedy routes that
/// overlap, a root, trailing slashes (distinct in axum).
const OVERLAPPING: &[&str] = &[
    "/",
    "/pets",
    "/pets/mine",
    "/pets/{id}",
    "/pets/{id}/toys",
    "/pets/{id}/{*rest}",
    "/a/{x}/c",
    "/a/b/{y}",
    "/files/{*path}",
    "/files/readme",
    "/{*any}",
];

/// A router whose every route has its own function `${fn_N}`, with methods varying by
/// route, and handlers that answer with that number and axum's path parameters.
fn numbered(paths: &[&str]) -> (AwsRouter, BTreeMap<String, String>) {
    let mut router = AwsRouter::new();
    let mut by_path = BTreeMap::new();
    for (n, path) in paths.iter().enumerate() {
        let function = format!("${{{{ env `DECK_FN_{n}` }}}}");
        by_path.insert((*path).to_owned(), function);
        let handler = move |matched: MatchedPath, params: RawPathParams| async move {
            let params: BTreeMap<String, String> = params
                .iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
            serde_json::to_string(&(matched.as_str().to_owned(), params)).unwrap()
        };
        let integration = LambdaProxy::new(format!("${{fn_{n}}}"));
        let method_router = match n % 3 {
            0 => get(handler).integration(integration),
            1 => post(handler).integration(integration),
            _ => any(handler).integration(integration),
        };
        router = router.route(path, method_router);
    }
    (router, by_path)
}

/// Request paths made from the routes: each parameter filled with every literal of the
/// router and a plain value, greedy tails with one and two segments, trailing slashes.
fn request_paths(paths: &[&str]) -> BTreeSet<String> {
    let literals: BTreeSet<&str> = paths
        .iter()
        .flat_map(|p| p.split('/'))
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
        .chain(["x", "42"])
        .collect();
    let mut out: BTreeSet<String> = BTreeSet::new();
    for path in paths {
        let mut prefixes: Vec<String> = vec![String::new()];
        for segment in path.split('/').filter(|s| !s.is_empty()) {
            let choices: Vec<String> = if segment.starts_with("{*") {
                literals
                    .iter()
                    .flat_map(|l| [l.to_string(), format!("{l}/x"), format!("x/{l}")])
                    .collect()
            } else if segment.starts_with('{') {
                literals.iter().map(|l| l.to_string()).collect()
            } else {
                vec![segment.to_owned()]
            };
            prefixes = prefixes
                .iter()
                .flat_map(|p| choices.iter().map(move |c| format!("{p}/{c}")))
                .take(400)
                .collect();
        }
        for p in prefixes {
            let p = if p.is_empty() { "/".to_owned() } else { p };
            out.insert(format!("{p}/"));
            out.insert(p);
        }
    }
    out
}

#[test]
fn kong_picks_the_route_axum_picks() {
    use tower::ServiceExt;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    // The overlapping paths, and the path set of every golden Kong router (each route
    // given its own function, so the answer names the route).
    let golden: Vec<Vec<String>> = all()
        .iter()
        .map(|(_, router)| {
            let spec = router.spec(scenarios::info());
            let paths: BTreeSet<String> = spec
                .routes
                .iter()
                .map(|r| r.path.as_str().to_owned())
                .collect();
            paths.into_iter().collect()
        })
        .collect();
    let mut sets: Vec<Vec<&str>> = vec![OVERLAPPING.to_vec()];
    sets.extend(
        golden
            .iter()
            .map(|paths| paths.iter().map(String::as_str).collect()),
    );
    for paths in &sets {
        let paths: &[&str] = paths;
        let (router, by_path) = numbered(paths);
        let spec = router.spec(scenarios::info());
        let json = spec
            .check_for(&[Target::Kong])
            .unwrap()
            .render_kong(KongFormat::Json)
            .unwrap();
        let routes = kong_routes(json.text());
        let app = router.into_router();
        let mut compared = 0;
        for path in request_paths(paths) {
            for method in ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] {
                let request = http::Request::builder()
                    .method(method)
                    .uri(&path)
                    .body(axum::body::Body::empty())
                    .unwrap();
                let response = runtime.block_on(app.clone().oneshot(request)).unwrap();
                let status = response.status().as_u16();
                let body = runtime
                    .block_on(http_body_util::BodyExt::collect(response.into_body()))
                    .unwrap()
                    .to_bytes();
                let axum_pick = match status {
                    200 if method == "HEAD" => {
                        // No body on HEAD: ask the same path with GET for the route.
                        let request = http::Request::get(&path)
                            .body(axum::body::Body::empty())
                            .unwrap();
                        let response = runtime.block_on(app.clone().oneshot(request)).unwrap();
                        let body = runtime
                            .block_on(http_body_util::BodyExt::collect(response.into_body()))
                            .unwrap()
                            .to_bytes();
                        let (matched, params): (String, BTreeMap<String, String>) =
                            serde_json::from_slice(&body).unwrap();
                        Some((by_path[&matched].clone(), params))
                    }
                    200 => {
                        let (matched, params): (String, BTreeMap<String, String>) =
                            serde_json::from_slice(&body).unwrap();
                        Some((by_path[&matched].clone(), params))
                    }
                    405 => Some(("405".to_owned(), BTreeMap::new())),
                    404 => None,
                    other => panic!("{method} {path}: axum answered {other}"),
                };
                let kong = kong_pick(&routes, method, &path);
                // Kong's 405 route carries no captures; compare answers only there.
                let kong = kong.map(|(answer, captures)| {
                    if answer == "405" {
                        (answer, BTreeMap::new())
                    } else {
                        (answer, captures)
                    }
                });
                assert_eq!(kong, axum_pick, "{method} {path}\n{}", json.text());
                compared += 1;
            }
        }
        assert!(compared >= 7 * 2 * paths.len(), "{compared}");
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
