//! The throttling knob: builder → model, the errors of throttles that let nothing
//! through, and the keys the stage's settings use.

use axum_aws::integration::LambdaProxy;
use axum_aws::routing::{any, get, post};
use axum_aws::{AwsRouter, ErrorKind, Info, Method, RouteMeta, Throttle};

async fn ok() -> &'static str {
    "ok"
}

fn lambda() -> LambdaProxy {
    LambdaProxy::new("${api_invoke_arn}")
}

/// A route's own throttle, a nested router's default and the API's default each land
/// where they belong: the API default stays one value, not copied onto every route.
#[test]
fn the_builder_carries_route_nested_and_api_throttles() {
    let admin = AwsRouter::new()
        .route("/audit", get(ok))
        .route("/purge", post(ok).throttle(0.1, 1))
        .default_throttle(2, 4);
    let router: AwsRouter = AwsRouter::new()
        .route("/widgets", get(ok))
        .route("/widgets", post(ok).throttle(10, 20))
        .nest("/admin", admin)
        .merge(AwsRouter::new().route("/merged", get(ok)))
        .default_integration(lambda())
        .default_throttle(100, 200);
    let spec = router.spec(Info::new("t", "1"));
    let own: Vec<(String, Option<Throttle>)> = spec
        .routes
        .iter()
        .map(|r| (r.label(), r.throttle))
        .collect();
    assert_eq!(
        own,
        [
            ("GET /widgets".to_owned(), None),
            ("POST /widgets".to_owned(), Some(Throttle::new(10, 20))),
            ("GET /admin/audit".to_owned(), Some(Throttle::new(2, 4))),
            ("POST /admin/purge".to_owned(), Some(Throttle::new(0.1, 1))),
            ("GET /merged".to_owned(), None),
        ]
    );
    assert_eq!(
        spec.settings.default_throttle,
        Some(Throttle::new(100, 200))
    );
    let effective: Vec<Option<Throttle>> =
        spec.routes.iter().map(|r| spec.throttle_of(r)).collect();
    assert_eq!(effective[0], Some(Throttle::new(100, 200)));
    assert_eq!(effective[4], Some(Throttle::new(100, 200)));
    assert!(spec.check().is_ok());
    // `into_spec` and the model file (what `aws-spec` reads) carry the same values.
    assert_eq!(router.into_spec(Info::new("t", "1")), spec);
}

/// A router without a default leaves the API unthrottled; a merged router's default
/// stays with its own routes rather than becoming the API's.
#[test]
fn a_merged_default_is_its_routes_not_the_apis() {
    let router: AwsRouter = AwsRouter::new()
        .route("/a", get(ok))
        .merge(AwsRouter::new().route("/b", get(ok)).default_throttle(5, 5))
        .default_integration(lambda());
    let spec = router.spec(Info::new("t", "1"));
    assert_eq!(spec.settings.default_throttle, None);
    assert_eq!(spec.throttle_of(&spec.routes[0]), None);
    assert_eq!(spec.routes[1].throttle, Some(Throttle::new(5, 5)));
}

/// Zero or negative rates and zero bursts let nothing through: one error each, naming
/// the route (or the default) and quoting the value, all at once.
#[test]
fn throttles_that_let_nothing_through_are_errors() {
    let router: AwsRouter = AwsRouter::new()
        .route("/zero", get(ok).throttle(0, 10))
        .route("/negative", get(ok).throttle(-2.5, 10))
        .route("/no-burst", get(ok).throttle(10, 0))
        .route("/neither", get(ok).throttle(0, 0))
        .route("/fine", get(ok).throttle(1, 1))
        .default_integration(lambda())
        .default_throttle(-1, 5);
    let errors = router.spec(Info::new("t", "1")).check().unwrap_err();
    let found: Vec<(ErrorKind, String)> = errors
        .errors()
        .iter()
        .map(|e| (e.kind(), e.to_string()))
        .collect();
    let expected = [
        "GET /zero: throttle rate 0 must be above 0 requests per second: API Gateway answers every request with 429; give a positive rate, or drop the throttle",
        "GET /negative: throttle rate -2.5 must be above 0 requests per second: API Gateway answers every request with 429; give a positive rate, or drop the throttle",
        "GET /no-burst: throttle burst 0 must be at least 1: API Gateway answers every request with 429; give a burst of at least the rate (10), or drop the throttle",
        "GET /neither: throttle rate 0 and burst 0 must both be above 0: API Gateway answers every request with 429; give positive values, or drop the throttle",
        "default throttle rate -1 must be above 0 requests per second: API Gateway answers every request with 429; give a positive rate, or drop the throttle",
    ];
    assert_eq!(
        found,
        expected
            .iter()
            .map(|m| (ErrorKind::Throttle, (*m).to_owned()))
            .collect::<Vec<_>>()
    );
    // Every target reports them: they are the neutral checks'.
    for target in [axum_aws::Target::HttpApi, axum_aws::Target::Kong] {
        let errors = router
            .spec(Info::new("t", "1"))
            .check_for(&[target])
            .unwrap_err();
        assert_eq!(
            errors
                .errors()
                .iter()
                .filter(|e| e.kind() == ErrorKind::Throttle)
                .count(),
            5
        );
    }
}

/// NaN and infinity have no JSON form (the model could not reach `aws-spec`): the
/// builder refuses them where they are written.
#[test]
#[should_panic(expected = "throttle rate NaN is not a finite number of requests per second")]
fn a_rate_that_is_not_a_number_panics_at_the_builder() {
    let _ = get::<_, _, (), _>(ok).throttle(f64::NAN, 1);
}

#[test]
#[should_panic(expected = "throttle rate inf is not a finite number")]
fn an_infinite_default_rate_panics_at_the_builder() {
    let _: AwsRouter = AwsRouter::new().default_throttle(f64::INFINITY, 1);
}

/// The keys of the stage's settings, as the Terraform module writes them: REST's
/// `method_path` (every `/` as `~1`, then the method) and the HTTP API's route key.
#[test]
fn stage_setting_keys() {
    let cases = [
        (Method::Get, "/", "~1/GET", "GET /"),
        (
            Method::Get,
            "/widget/{widgetName}",
            "~1widget~1{widgetName}/GET",
            "GET /widget/{widgetName}",
        ),
        (
            Method::Any,
            "/files/{*proxy}",
            "~1files~1{proxy+}/ANY",
            "ANY /files/{proxy+}",
        ),
        (
            Method::Delete,
            "/a/b.c/{id}/d",
            "~1a~1b.c~1{id}~1d/DELETE",
            "DELETE /a/b.c/{id}/d",
        ),
    ];
    for (method, path, method_path, route_key) in cases {
        let route = RouteMeta::new(method, path);
        assert_eq!(route.method_path().as_deref(), Some(method_path), "{path}");
        assert_eq!(route.route_key().as_deref(), Some(route_key), "{path}");
    }
    let fallback = AwsRouter::<()>::new().default_route(any(ok));
    let default = &fallback.routes()[0];
    assert_eq!(default.method_path(), None, "no REST method");
    assert_eq!(default.route_key().as_deref(), Some("$default"));
    assert_eq!(RouteMeta::new(Method::Get, "/a/x-{id}").method_path(), None);
}

/// A router throttled on two routes and by default, on Lambda.
fn throttled() -> AwsRouter {
    AwsRouter::new()
        .route("/widget/{widgetName}", get(ok).throttle(10, 20))
        .route("/export", post(ok).throttle(0.0001, 1))
        .route("/health", get(ok))
        .default_integration(lambda())
        .default_throttle(100, 200)
}

/// A plain REST export (and `lint`) says that the document leaves the throttles out and
/// where they go, per throttled route with its `method_path`, and once for the default:
/// never dropped silently. The document itself is unchanged by throttling.
#[test]
fn the_rest_export_warns_that_the_stage_carries_the_throttles() {
    let spec = throttled().spec(Info::new("t", "1"));
    let checked = spec.check_for(&[axum_aws::Target::Rest]).unwrap();
    let private = checked.render_private().unwrap();
    let warnings: Vec<String> = checked
        .warnings_for(&private)
        .iter()
        .map(ToString::to_string)
        .collect();
    let stage = "which `aws-spec terraform` writes; deploying the spec without that module, set it on the stage yourself";
    assert_eq!(
        warnings,
        [
            format!(
                "GET /widget/{{widgetName}}: throttle 10/s, burst 20 is not in the OpenAPI document, which cannot carry throttling: it belongs to the stage's method settings `~1widget~1{{widgetName}}/GET`, {stage}"
            ),
            format!(
                "POST /export: throttle 0.0001/s, burst 1 is not in the OpenAPI document, which cannot carry throttling: it belongs to the stage's method settings `~1export/POST`, {stage}"
            ),
            format!(
                "the default throttle 100/s, burst 200 is not in the OpenAPI document, which cannot carry throttling: it belongs to the stage's method settings `*/*`, {stage}"
            ),
        ]
    );
    let lint = spec.lint(axum_aws::Target::Rest);
    assert!(lint.errors.is_empty(), "{:?}", lint.errors);
    assert_eq!(lint.warnings, checked.warnings_for(&private));
    // The document is that of the same router without throttles.
    let plain: AwsRouter = AwsRouter::new()
        .route("/widget/{widgetName}", get(ok))
        .route("/export", post(ok))
        .route("/health", get(ok))
        .default_integration(lambda());
    assert_eq!(
        plain
            .spec(Info::new("t", "1"))
            .render_private()
            .unwrap()
            .to_json(),
        private.to_json()
    );
    assert!(
        plain
            .spec(Info::new("t", "1"))
            .lint(axum_aws::Target::Rest)
            .warnings
            .is_empty(),
        "no throttle, no warning"
    );
}

/// The HTTP API's `lint` (and export) names the route keys of the stage's route settings.
#[test]
fn the_http_api_lint_names_the_route_settings() {
    let axum_aws::Lint {
        errors, warnings, ..
    } = throttled()
        .spec(Info::new("t", "1"))
        .lint(axum_aws::Target::HttpApi);
    assert!(errors.is_empty(), "{errors:?}");
    let messages: Vec<&str> = warnings.iter().map(|w| w.message()).collect();
    assert_eq!(messages.len(), 3, "{messages:#?}");
    assert!(
        messages[0].contains("the stage's route settings `GET /widget/{widgetName}`"),
        "{}",
        messages[0]
    );
    assert!(
        messages[2]
            .starts_with("the default throttle 100/s, burst 200 is not in the OpenAPI document")
            && messages[2].contains("the stage's default route settings, which"),
        "{}",
        messages[2]
    );
    assert_eq!(warnings[2].route(), None);
}

/// Kong: no burst, fixed windows; a rate whole in no window is rounded, and says so.
#[test]
fn the_kong_warnings_say_what_the_plugin_cannot_express() {
    let spec = throttled().spec(Info::new("t", "1"));
    let warnings: Vec<String> = spec
        .throttle_warnings(axum_aws::Target::Kong)
        .iter()
        .map(ToString::to_string)
        .collect();
    let tail = "in fixed windows, counted on each Kong node (policy local) and per client IP on routes without a Kong service (Lambda, mocks)";
    assert_eq!(
        warnings,
        [
            format!(
                "GET /widget/{{widgetName}}: throttle 10/s, burst 20: Kong's rate-limiting plugin has no burst, so the file allows at most 10 requests per second, {tail}"
            ),
            format!(
                "POST /export: throttle 0.0001/s, burst 1: Kong's rate-limiting plugin has no burst, so the file allows at most 1 requests per hour (the rate rounded to a whole number an hour), {tail}"
            ),
            format!(
                "the default throttle 100/s, burst 200: Kong's rate-limiting plugin has no burst, so the file allows at most 100 requests per second, {tail}"
            ),
        ]
    );
}
