//! Throttling: how many requests per second a gateway lets through to a route.
//!
//! One neutral knob, [`Throttle`], on routes ([`RouteMeta::throttle`]) and as the API's
//! default ([`ApiSettings::default_throttle`](crate::ApiSettings::default_throttle)). An
//! OpenAPI body cannot carry it, so each output writes it where its gateway keeps it:
//! - REST API: the stage's method settings (`aws_api_gateway_method_settings`), keyed by
//!   [`RouteMeta::method_path`], the default as `*/*`;
//! - HTTP API: the stage's route settings (`route_settings`), keyed by
//!   [`RouteMeta::route_key`], the default as `default_route_settings`;
//! - Kong: a `rate-limiting` plugin on each throttled route (the Kong target).
//!
//! API Gateway applies a stage's default to each method (route) on its own, as it does
//! a method's own limits: a throttle is a per-route budget, never one shared by the API.

use serde::{Deserialize, Serialize};

use crate::{RouteMeta, Target, Warning};

/// The windows of Kong's `rate-limiting` plugin a rate is written in, shortest first:
/// its name and length in seconds (Kong's `second`, `minute`, `hour` fields).
const KONG_WINDOWS: [(&str, f64); 3] = [("second", 1.0), ("minute", 60.0), ("hour", 3600.0)];

/// A token bucket: `rate` requests per second on average, up to `burst` at once.
///
/// API Gateway's `throttling_rate_limit` (a double) and `throttling_burst_limit` (an
/// integer). Both must be above zero: a rate or burst of 0 answers every request with
/// 429, which [`ApiSpec::check`](crate::ApiSpec::check) reports as an error naming the
/// route and the value.
///
/// ```
/// use axum_aws_spec::Throttle;
///
/// let throttle = Throttle::new(12.5, 40);
/// assert_eq!((throttle.rate, throttle.burst), (12.5, 40));
/// assert_eq!(Throttle::new(10, 20).rate, 10.0, "integer rates are accepted");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Throttle {
    /// Steady-state requests per second.
    pub rate: f64,
    /// Requests allowed at once above the rate (the bucket's size).
    pub burst: u32,
}

impl Throttle {
    /// `rate` requests per second, bursts of up to `burst`.
    ///
    /// ```
    /// let throttle = axum_aws_spec::Throttle::new(100, 200);
    /// assert_eq!(throttle.burst, 200);
    /// ```
    ///
    /// # Panics
    /// When `rate` is not a number or infinite (NaN and infinity have no JSON form, so
    /// the model could not travel to `aws-spec`). Zero and negative values are errors
    /// the checks report, naming the route.
    #[track_caller]
    pub fn new(rate: impl Into<f64>, burst: u32) -> Self {
        let rate = rate.into();
        assert!(
            rate.is_finite(),
            "throttle rate {rate} is not a finite number of requests per second; give a positive number such as 10 or 0.5"
        );
        Self { rate, burst }
    }

    /// What is wrong with the values, for an error message (`None` when both are usable).
    pub(crate) fn problem(&self) -> Option<String> {
        let Self { rate, burst } = *self;
        let rate_ok = rate.is_finite() && rate > 0.0;
        match (rate_ok, burst > 0) {
            (true, true) => None,
            (false, true) => Some(format!(
                "throttle rate {rate} must be above 0 requests per second: API Gateway answers every request with 429; give a positive rate, or drop the throttle"
            )),
            (true, false) => Some(format!(
                "throttle burst 0 must be at least 1: API Gateway answers every request with 429; give a burst of at least the rate ({rate}), or drop the throttle"
            )),
            (false, false) => Some(format!(
                "throttle rate {rate} and burst 0 must both be above 0: API Gateway answers every request with 429; give positive values, or drop the throttle"
            )),
        }
    }
}

impl Throttle {
    /// The rate as Kong's `rate-limiting` plugin counts it: a whole number of requests
    /// in a fixed window (`second`, `minute` or `hour`), the shortest window in which
    /// the rate is whole (`0.5`/s is 30 a minute), and whether that is exact (a rate
    /// whole in none is rounded to the hour, at least 1).
    pub(crate) fn kong_window(&self) -> (&'static str, i64, bool) {
        for (window, seconds) in KONG_WINDOWS {
            let count = self.rate * seconds;
            if (count - count.round()).abs() < 1e-9 * count.max(1.0) && count.round() >= 1.0 {
                return (window, count.round() as i64, true);
            }
        }
        let hourly = (self.rate * 3600.0).round().max(1.0) as i64;
        ("hour", hourly, false)
    }
}

impl std::fmt::Display for Throttle {
    /// `<rate>/s, burst <burst>`, how messages quote it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/s, burst {}", self.rate, self.burst)
    }
}

impl RouteMeta {
    /// The REST API stage's key for this route's method settings
    /// (`aws_api_gateway_method_settings.method_path`): the resource path with `~`
    /// written `~0` and every `/` (the leading one too) `~1`, then `/` and the method.
    /// This is the key `GetStage` returns; the provider passes it unchanged into JSON
    /// Pointer patch paths. `None` for a path API Gateway cannot take (the checks say
    /// why) and for the HTTP API's `$default` route.
    ///
    /// ```
    /// use axum_aws_spec::{Method, RouteMeta};
    ///
    /// let path = |method, path| RouteMeta::new(method, path).method_path().unwrap();
    /// assert_eq!(path(Method::Get, "/"), "~1/GET");
    /// assert_eq!(path(Method::Get, "/widget/{widgetName}"), "~1widget~1{widgetName}/GET");
    /// assert_eq!(path(Method::Any, "/files/{*proxy}"), "~1files~1{proxy+}/ANY");
    /// assert_eq!(RouteMeta::default_route().method_path(), None);
    /// ```
    pub fn method_path(&self) -> Option<String> {
        if self.default_route {
            return None;
        }
        let path = self.path.gateway()?;
        Some(format!(
            "{}/{}",
            path.replace('~', "~0").replace('/', "~1"),
            self.method
        ))
    }

    /// The HTTP API's route key (`route_settings.route_key`, `aws_apigatewayv2_route`):
    /// `METHOD /path` with API Gateway's path (`{name+}` for a greedy tail), or
    /// `$default`. `None` for a path API Gateway cannot take.
    ///
    /// ```
    /// use axum_aws_spec::{Method, RouteMeta};
    ///
    /// let key = RouteMeta::new(Method::Get, "/widget/{widgetName}").route_key();
    /// assert_eq!(key.as_deref(), Some("GET /widget/{widgetName}"));
    /// let key = RouteMeta::new(Method::Any, "/files/{*proxy}").route_key();
    /// assert_eq!(key.as_deref(), Some("ANY /files/{proxy+}"));
    /// assert_eq!(RouteMeta::default_route().route_key().as_deref(), Some("$default"));
    /// ```
    pub fn route_key(&self) -> Option<String> {
        if self.default_route {
            return Some("$default".to_owned());
        }
        Some(format!("{} {}", self.method, self.path.gateway()?))
    }
}

impl crate::ApiSpec {
    /// The throttle that applies to `route`: its own, else the API's
    /// [`default_throttle`](crate::ApiSettings::default_throttle); `None`: not
    /// throttled beyond the account's limits.
    ///
    /// ```
    /// use axum_aws_spec::{ApiSettings, ApiSpec, Info, Method, RouteMeta, Throttle};
    ///
    /// let mut export = RouteMeta::new(Method::Get, "/export");
    /// export.throttle = Some(Throttle::new(1, 1));
    /// let mut settings = ApiSettings::new();
    /// settings.default_throttle = Some(Throttle::new(50, 100));
    /// let spec = ApiSpec::new(Info::new("t", "1"), settings, vec![export, RouteMeta::new(Method::Get, "/")]);
    /// assert_eq!(spec.throttle_of(&spec.routes[0]), Some(Throttle::new(1, 1)));
    /// assert_eq!(spec.throttle_of(&spec.routes[1]), Some(Throttle::new(50, 100)));
    /// ```
    pub fn throttle_of(&self, route: &RouteMeta) -> Option<Throttle> {
        route.throttle.or(self.settings.default_throttle)
    }
}

impl crate::ApiSpec {
    /// What `target` makes of the throttles, as warnings naming each throttled route
    /// (and one for the API's default): the REST and HTTP API specs cannot carry
    /// throttling (the stage does: `aws-spec terraform` writes it, or set it on the stage
    /// yourself), and Kong's `rate-limiting` plugin has no burst. Never silent, never an
    /// error: the route still works. Part of [`lint`](Self::lint) and of what
    /// `aws-spec export` prints.
    ///
    /// ```
    /// use axum_aws::{integration::LambdaProxy, routing::get, AwsRouter, Info, Target};
    ///
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/export", get(|| async { "" }).throttle(1, 2))
    ///     .default_integration(LambdaProxy::new("${api_invoke_arn}"));
    /// let spec = router.spec(Info::new("t", "1"));
    /// let warnings = spec.throttle_warnings(Target::Rest);
    /// assert_eq!(warnings[0].route(), Some("GET /export"));
    /// assert!(warnings[0].message().contains("method settings `~1export/GET`"));
    /// assert!(spec.throttle_warnings(Target::Kong)[0].message().contains("no burst"));
    /// assert!(spec.throttle_warnings(Target::OpenApi).is_empty());
    /// ```
    pub fn throttle_warnings(&self, target: Target) -> Vec<Warning> {
        let mut warnings = Vec::new();
        let throttled = self
            .routes
            .iter()
            .filter_map(|route| route.throttle.map(|throttle| (Some(route), throttle)));
        let default = self
            .settings
            .default_throttle
            .map(|throttle| (None, throttle));
        for (route, throttle) in throttled.chain(default) {
            let what = match route {
                Some(_) => format!("throttle {throttle}"),
                None => format!("the default throttle {throttle}"),
            };
            let message = match target {
                Target::Rest | Target::HttpApi => {
                    let (settings, key) = match (target, route) {
                        (Target::Rest, Some(route)) => ("method settings", route.method_path()),
                        (Target::Rest, None) => ("method settings", Some("*/*".to_owned())),
                        (_, Some(route)) => ("route settings", route.route_key()),
                        (_, None) => ("default route settings", None),
                    };
                    let key = key.map(|k| format!(" `{k}`")).unwrap_or_default();
                    format!(
                        "{what} is not in the OpenAPI document, which cannot carry throttling: it belongs to the stage's {settings}{key}, which `aws-spec terraform` writes; deploying the spec without that module, set it on the stage yourself"
                    )
                }
                Target::Kong => {
                    let (window, limit, exact) = throttle.kong_window();
                    let rounded = if exact {
                        ""
                    } else {
                        " (the rate rounded to a whole number an hour)"
                    };
                    format!(
                        "{what}: Kong's rate-limiting plugin has no burst, so the file allows at most {limit} requests per {window}{rounded}, in fixed windows, counted on each Kong node (policy local) and per client IP on routes without a Kong service (Lambda, mocks)"
                    )
                }
                Target::OpenApi => continue,
            };
            warnings.push(Warning::new(route.map(RouteMeta::label), message));
        }
        warnings
    }
}
