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

use crate::RouteMeta;

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
