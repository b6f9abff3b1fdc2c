//! `AwsRouter`: an `axum::Router` that also records each route's API Gateway metadata.

use std::collections::HashSet;
use std::convert::Infallible;
use std::hash::{BuildHasherDefault, Hasher};

use axum::extract::Request;
use axum::handler::Handler;
use axum::response::IntoResponse;
use axum::routing::{MethodRouter, Route};
use tower::{Layer, Service};

use fnv::FnvHasher;

use crate::auth::Security;
use crate::doc::{DocContext, MediaType, Operation, Response};
use crate::exchange::ModelFile;
use crate::integration::Integration;
use crate::route::{AwsRoute, StatedBody, StatedResponse};
use crate::{ApiSettings, ApiSpec, Cors, Info, Method, RouteMeta, TemplateValue, Throttle};

/// Fills `meta`'s docs from its handler's types (`infer`), unless `.doc::<P>()` gave
/// them; a `.doc` item naming this route's method and path is checked here, and keeps
/// what it names only when they differ (an error at export).
fn document(meta: &mut RouteMeta, infer: fn(&mut DocContext), documented: bool, statuses: &[u16]) {
    if documented {
        if let Some(operation) = &mut meta.operation
            && let Some(declared) = &operation.declared_for
        {
            let method_matches =
                meta.method == Method::Any || declared.methods.contains(&meta.method);
            if method_matches && declared.path == meta.path.as_str() {
                operation.declared_for = None;
            }
        }
        return;
    }
    let names = meta
        .path
        .params()
        .map(|(name, _)| name.to_owned())
        .collect();
    let mut cx = DocContext::new(names, statuses.to_vec());
    infer(&mut cx);
    let (operation, schemas) = cx.finish();
    if operation != Operation::default() {
        meta.operation = Some(operation);
    }
    meta.schemas.extend(schemas);
}

/// `route` declared at `path`: its method router, and its metadata documented from the
/// handler's types (or its `.doc` item) and its stated responses.
fn declared_at<S>(route: AwsRoute<S>, path: &str) -> (MethodRouter<S>, RouteMeta) {
    let AwsRoute {
        method_router,
        mut meta,
        infer,
        documented,
        statuses,
        responses,
    } = route;
    meta.path = path.into();
    document(&mut meta, infer, documented, &statuses);
    state_responses(&mut meta, &responses);
    (method_router, meta)
}

/// Adds the responses the route states itself (`.responds`), replacing documented ones.
fn state_responses(meta: &mut RouteMeta, responses: &[StatedResponse]) {
    if responses.is_empty() {
        return;
    }
    let mut cx = DocContext::new(Vec::new(), Vec::new());
    let operation = meta.operation.get_or_insert_with(Operation::default);
    for stated in responses {
        let status = stated.status.to_string();
        let description = stated.description.clone();
        let response = match stated.body {
            StatedBody::Json(schema) => Response::new(description)
                .content("application/json", MediaType::schema(schema(&mut cx))),
            StatedBody::Empty => Response::new(description),
            StatedBody::Documented => {
                let mut response = operation.responses.remove(&status).unwrap_or_default();
                response.description = description;
                response
            }
        };
        operation.responses.insert(status, response);
    }
    let (_, schemas) = cx.finish();
    for (name, schema) in schemas {
        meta.schemas.entry(name).or_insert(schema);
    }
}

/// Router-level defaults, applied to every route that does not set its own.
#[derive(Clone, Debug, Default)]
struct Defaults {
    integration: Option<Integration>,
    credentials: Option<TemplateValue>,
    security: Option<Security>,
    cors: Option<Cors>,
    tags: Vec<String>,
    /// The API's default throttle, or (once nested or merged) that of this router's routes.
    throttle: Option<Throttle>,
}

impl Defaults {
    /// Fills `route` from these defaults: the innermost router that sets a value wins.
    fn apply(&self, route: &mut RouteMeta) {
        if route.integration.is_none() {
            route.integration.clone_from(&self.integration);
        }
        if let (Some(integration), Some(role)) = (&mut route.integration, &self.credentials) {
            // HTTP backends and mocks take no execution role.
            let takes_role = !matches!(integration, Integration::Http(_) | Integration::Mock(_));
            let options = integration.options_mut();
            if takes_role && options.credentials.is_none() {
                options.credentials = Some(role.clone());
            }
        }
        if route.security.is_none() {
            route.security.clone_from(&self.security);
        }
        if route.cors.is_none() {
            route.cors.clone_from(&self.cors);
        }
        for tag in self.tags.iter().rev() {
            if !route.tags.contains(tag) {
                route.tags.insert(0, tag.clone());
            }
        }
    }
}

/// An [`axum::Router`] whose routes also carry their API Gateway integration,
/// authorizers and CORS policy.
///
/// It serves requests exactly like the router it wraps, and [`spec`](Self::spec)
/// turns the recorded metadata into the private (API Gateway) and public OpenAPI
/// specs. Composition (`nest`, `merge`) keeps every route's metadata and prefixes
/// paths as axum does; router-level defaults (`default_integration`, `default_auth`,
/// `cors`, `tag`, `default_credentials`) apply to the routes the router holds,
/// including nested ones, unless a route (or an inner router) sets its own.
///
/// ```
/// use axum_aws::{auth::Authorizer, integration::LambdaProxy, routing::{get, post}, AwsRouter, Cors, Info};
///
/// async fn list() -> &'static str { "[]" }
/// async fn create() -> &'static str { "{}" }
///
/// let widgets = AwsRouter::new()
///     .route("/", get(list))
///     .route("/", post(create).auth(Authorizer::api_key()))
///     .tag("widgets");
/// let app: AwsRouter = AwsRouter::new()
///     .nest("/widgets", widgets)
///     .default_integration(LambdaProxy::new("${api_invoke_arn}"))
///     .cors(Cors::new().allow_origin("https://app.example.com"));
///
/// let spec = app.spec(Info::new("Widgets", "1.0.0"));
/// let private = spec.render_private()?;
/// assert!(private.to_json().contains("x-amazon-apigateway-integration"));
/// # Ok::<(), axum_aws::SpecErrors>(())
/// ```
#[must_use]
pub struct AwsRouter<S = ()> {
    router: axum::Router<S>,
    routes: Vec<RouteMeta>,
    /// A hash of each route's method and path, so that [`route`](Self::route) finds a
    /// repeated declaration without comparing it with every route.
    declared: HashSet<u64, BuildHasherDefault<FnvHasher>>,
    defaults: Defaults,
    settings: ApiSettings,
}

impl<S> std::fmt::Debug for AwsRouter<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AwsRouter")
            .field("routes", &self.routes)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl<S> Default for AwsRouter<S>
where
    S: Clone + Send + Sync + 'static,
{
    fn default() -> Self {
        Self::new()
    }
}

impl<S> AwsRouter<S>
where
    S: Clone + Send + Sync + 'static,
{
    /// An empty router.
    ///
    /// ```
    /// let router: axum_aws::AwsRouter = axum_aws::AwsRouter::new();
    /// assert!(router.routes().is_empty());
    /// ```
    pub fn new() -> Self {
        Self {
            router: axum::Router::new(),
            routes: Vec::new(),
            declared: HashSet::default(),
            defaults: Defaults::default(),
            settings: ApiSettings::default(),
        }
    }

    /// Adds a route. Several methods on one path are added by calling `route` once per method.
    ///
    /// ```
    /// use axum_aws::{routing::{get, post}, AwsRouter};
    ///
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/widgets", get(|| async { "[]" }))
    ///     .route("/widgets", post(|| async { "{}" }));
    /// let labels: Vec<String> = router.routes().iter().map(|r| r.label()).collect();
    /// assert_eq!(labels, ["GET /widgets", "POST /widgets"]);
    /// ```
    ///
    /// # Panics
    /// When the same method is declared twice on one path, like axum.
    #[track_caller]
    pub fn route(mut self, path: &str, route: AwsRoute<S>) -> Self {
        let (method_router, meta) = declared_at(route, path);
        let repeated = if self.declared.insert(route_key(&meta)) {
            None
        } else {
            self.routes
                .iter()
                .find(|r| r.path == meta.path && r.method == meta.method)
        };
        if let Some(existing) = repeated {
            panic!(
                "{} is declared twice; declare each method of a path once (combine the handlers, or use different paths)",
                existing.label()
            );
        }
        self.router = self.router.route(path, method_router);
        self.routes.push(meta);
        self
    }

    /// Adds a route that is served but never exported (health checks, local tooling).
    ///
    /// ```
    /// let router: axum_aws::AwsRouter = axum_aws::AwsRouter::new()
    ///     .route_local("/healthz", axum::routing::get(|| async { "ok" }));
    /// assert!(router.routes().is_empty(), "served, not in the spec");
    /// ```
    ///
    /// # Panics
    /// As [`axum::Router::route`]: an invalid path, or a method the path already routes.
    #[track_caller]
    pub fn route_local(mut self, path: &str, method_router: MethodRouter<S>) -> Self {
        self.router = self.router.route(path, method_router);
        self
    }

    /// Nests `other` under `prefix`, as [`axum::Router::nest`]. `other`'s defaults
    /// apply to its routes first; this router's defaults fill what is still unset.
    ///
    /// ```
    /// use axum_aws::{routing::get, AwsRouter};
    ///
    /// let widgets = AwsRouter::new()
    ///     .route("/", get(|| async { "[]" }))
    ///     .route("/{name}", get(|| async { "{}" }))
    ///     .tag("widgets");
    /// let router: AwsRouter = AwsRouter::new().nest("/v1/widgets", widgets);
    /// let paths: Vec<&str> = router.routes().iter().map(|r| r.path.as_str()).collect();
    /// assert_eq!(paths, ["/v1/widgets", "/v1/widgets/{name}"]);
    /// assert_eq!(router.routes()[0].tags, ["widgets"], "the nested router's tag applies");
    /// ```
    ///
    /// # Panics
    /// As [`axum::Router::nest`]: an invalid prefix, or one with a wildcard.
    #[track_caller]
    pub fn nest(mut self, prefix: &str, other: AwsRouter<S>) -> Self {
        let (router, routes, settings) = other.into_resolved_under();
        self.router = self.router.nest(prefix, router);
        self.routes.extend(routes.into_iter().map(|mut route| {
            route.nest_under(prefix);
            self.declared.insert(route_key(&route));
            route
        }));
        self.settings.absorb(settings);
        self
    }

    /// Merges `other`'s routes into this router, as [`axum::Router::merge`].
    /// A plain `axum::Router` is accepted too: its routes are served, not exported.
    ///
    /// ```
    /// use axum_aws::{routing::get, AwsRouter};
    ///
    /// let health = AwsRouter::new().route("/health", get(|| async { "ok" })).tag("ops");
    /// let local = axum::Router::new().route("/metrics", axum::routing::get(|| async { "" }));
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/widgets", get(|| async { "[]" }))
    ///     .merge(health)
    ///     .merge(local);
    /// let labels: Vec<String> = router.routes().iter().map(|r| r.label()).collect();
    /// assert_eq!(labels, ["GET /widgets", "GET /health"]);
    /// ```
    ///
    /// # Panics
    /// As [`axum::Router::merge`]: a method both routers route on one path, or two
    /// fallbacks.
    #[track_caller]
    pub fn merge(mut self, other: impl Into<AwsRouter<S>>) -> Self {
        let (router, routes, settings) = other.into().into_resolved_under();
        self.router = self.router.merge(router);
        self.declared.extend(routes.iter().map(route_key));
        self.routes.extend(routes);
        self.settings.absorb(settings);
        self
    }

    /// Applies a tower layer to every route added so far (serving only), as [`axum::Router::layer`].
    ///
    /// ```
    /// use axum::{middleware::map_response, response::Response};
    /// use axum_aws::{routing::get, AwsRouter};
    ///
    /// async fn served_by(mut response: Response) -> Response {
    ///     response.headers_mut().insert("x-served-by", http::HeaderValue::from_static("axum-aws"));
    ///     response
    /// }
    ///
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/widgets", get(|| async { "[]" }))
    ///     .layer(map_response(served_by));
    /// assert_eq!(router.routes().len(), 1, "a layer serves; the spec is unchanged");
    /// ```
    pub fn layer<L>(mut self, layer: L) -> Self
    where
        L: Layer<Route> + Clone + Send + Sync + 'static,
        L::Service: Service<Request> + Clone + Send + Sync + 'static,
        <L::Service as Service<Request>>::Response: IntoResponse + 'static,
        <L::Service as Service<Request>>::Error: Into<Infallible> + 'static,
        <L::Service as Service<Request>>::Future: Send + 'static,
    {
        self.router = self.router.layer(layer);
        self
    }

    /// Applies a tower layer to matched routes only, as [`axum::Router::route_layer`].
    ///
    /// ```
    /// use axum::{extract::Request, middleware::{from_fn, Next}, response::Response};
    /// use axum_aws::{routing::get, AwsRouter};
    ///
    /// // Runs for requests a route matched, not for the fallback's.
    /// async fn no_store(request: Request, next: Next) -> Response {
    ///     let mut response = next.run(request).await;
    ///     response.headers_mut().insert("cache-control", http::HeaderValue::from_static("no-store"));
    ///     response
    /// }
    ///
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/widgets", get(|| async { "[]" }))
    ///     .route_layer(from_fn(no_store));
    /// assert_eq!(router.routes().len(), 1);
    /// ```
    ///
    /// # Panics
    /// As [`axum::Router::route_layer`]: when the router has no route yet.
    #[track_caller]
    pub fn route_layer<L>(mut self, layer: L) -> Self
    where
        L: Layer<Route> + Clone + Send + Sync + 'static,
        L::Service: Service<Request> + Clone + Send + Sync + 'static,
        <L::Service as Service<Request>>::Response: IntoResponse + 'static,
        <L::Service as Service<Request>>::Error: Into<Infallible> + 'static,
        <L::Service as Service<Request>>::Future: Send + 'static,
    {
        self.router = self.router.route_layer(layer);
        self
    }

    /// Handler for requests no route matches (serving only: API Gateway answers
    /// undeclared paths itself, with 403 `MISSING_AUTHENTICATION_TOKEN`).
    ///
    /// ```
    /// use axum_aws::{routing::get, AwsRouter};
    ///
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/widgets", get(|| async { "[]" }))
    ///     .fallback(|| async { (http::StatusCode::NOT_FOUND, "no such page") });
    /// assert_eq!(router.routes().len(), 1, "the fallback is not a route of the spec");
    /// ```
    ///
    /// # Panics
    /// As [`axum::Router::fallback`].
    #[track_caller]
    pub fn fallback<H, T>(mut self, handler: H) -> Self
    where
        H: Handler<T, S>,
        T: 'static,
    {
        self.router = self.router.fallback(handler);
        self
    }

    /// The `$default` route of an HTTP API: `route`'s handler answers every request no
    /// other route matches (axum's fallback), and its integration, auth and docs are
    /// the `$default` route's. HTTP APIs only: the REST and Kong targets report it as an
    /// error (declare `ANY /{*path}` there instead).
    ///
    /// ```
    /// use axum_aws::{integration::LambdaProxy, routing::{any, get}, AwsRouter, Info};
    ///
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/health", get(|| async { "ok" }))
    ///     .default_route(any(|| async { "anything else" }))
    ///     .default_integration(LambdaProxy::new("${api_invoke_arn}"));
    /// let http = router.spec(Info::new("demo", "1")).render_http_api()?.to_json();
    /// assert!(http.contains(r#""/$default""#) && http.contains(r#""isDefaultRoute": true"#));
    /// # Ok::<(), axum_aws::SpecErrors>(())
    /// ```
    ///
    /// # Panics
    /// As [`axum::Router::fallback`].
    #[track_caller]
    pub fn default_route(mut self, route: AwsRoute<S>) -> Self {
        // Documented like any route, on the `$default` route's path (no parameters).
        let (method_router, mut default) = declared_at(route, "/");
        default.method = Method::Any;
        default.default_route = true;
        self.routes.retain(|r| !r.default_route);
        self.routes.push(default);
        self.router = self.router.fallback(method_router);
        self
    }

    /// Provides the state, as [`axum::Router::with_state`].
    ///
    /// ```
    /// use axum::extract::State;
    /// use axum_aws::{routing::get, AwsRouter};
    ///
    /// async fn greet(State(name): State<String>) -> String { format!("hello {name}") }
    ///
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/hello", get(greet))
    ///     .with_state("world".to_owned());
    /// assert_eq!(router.routes()[0].label(), "GET /hello");
    /// ```
    pub fn with_state<S2>(self, state: S) -> AwsRouter<S2> {
        AwsRouter {
            router: self.router.with_state(state),
            routes: self.routes,
            declared: self.declared,
            defaults: self.defaults,
            settings: self.settings,
        }
    }

    /// Integration for routes that set none.
    ///
    /// ```
    /// use axum_aws::{integration::{Integration, LambdaProxy, Mock}, routing::get, AwsRouter, Info};
    ///
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/widgets", get(|| async { "[]" }))
    ///     .route("/status", get(|| async { "ok" }).integration(Mock::new(200)))
    ///     .default_integration(LambdaProxy::new("${api_invoke_arn}"));
    /// let spec = router.spec(Info::new("demo", "1"));
    /// assert!(matches!(spec.routes[0].integration, Some(Integration::LambdaProxy(_))));
    /// assert!(matches!(spec.routes[1].integration, Some(Integration::Mock(_))));
    /// ```
    pub fn default_integration(mut self, integration: impl Into<Integration>) -> Self {
        self.defaults.integration = Some(integration.into());
        self
    }

    /// Execution role for integrations that set none (AWS-service and Lambda integrations).
    ///
    /// ```
    /// use axum_aws::{integration::Lambda, routing::get, AwsRouter, Info};
    ///
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/reports", get(|| async { "[]" }).integration(Lambda::new("${reports_invoke_arn}")))
    ///     .default_credentials("${apigw_role_arn}");
    /// let private = router.spec(Info::new("demo", "1")).render_private()?.to_json();
    /// assert!(private.contains(r#""credentials": "${apigw_role_arn}""#));
    /// # Ok::<(), axum_aws::SpecErrors>(())
    /// ```
    pub fn default_credentials(mut self, role_arn: impl Into<TemplateValue>) -> Self {
        self.defaults.credentials = Some(role_arn.into());
        self
    }

    /// Security for routes that set none ([`AwsRoute::public`] opts out).
    ///
    /// ```
    /// use axum_aws::{auth::Authorizer, routing::get, AwsRouter, Info};
    ///
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/orders", get(|| async { "[]" }))
    ///     .route("/health", get(|| async { "ok" }).public())
    ///     .default_auth(Authorizer::iam());
    /// let spec = router.spec(Info::new("demo", "1"));
    /// assert_eq!(spec.routes[0].security, Some(Authorizer::iam().into()));
    /// assert_eq!(spec.routes[1].security, Some(axum_aws::auth::Security::none()));
    /// ```
    pub fn default_auth(mut self, security: impl Into<Security>) -> Self {
        self.defaults.security = Some(security.into());
        self
    }

    /// CORS policy for routes that set none.
    ///
    /// ```
    /// use axum_aws::{routing::get, AwsRouter, Cors, Info};
    ///
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/widgets", get(|| async { "[]" }))
    ///     .cors(Cors::new().allow_origin("https://app.example.com"));
    /// let spec = router.spec(Info::new("demo", "1"));
    /// assert_eq!(spec.routes[0].cors, Some(Cors::new().allow_origin("https://app.example.com")));
    /// ```
    pub fn cors(mut self, cors: Cors) -> Self {
        self.defaults.cors = Some(cors);
        self
    }

    /// Throttling for every route that sets none of its own ([`AwsRoute::throttle`]):
    /// `rate` requests per second, bursts of up to `burst`, for each route on its own
    /// (API Gateway applies a stage's default to each method separately). On the
    /// outermost router it is the API's default
    /// ([`ApiSettings::default_throttle`]: the stage's default method or route
    /// settings); on a nested or merged router, the default of that router's routes.
    ///
    /// An OpenAPI body cannot carry it: `aws-spec terraform` writes it into the stage,
    /// the Kong target as `rate-limiting` plugins, and `export` and `lint` warn that the
    /// spec alone leaves it out. A rate or burst of 0 or less is an error of
    /// [`ApiSpec::check`].
    ///
    /// ```
    /// use axum_aws::{routing::get, AwsRouter, Info, Throttle};
    ///
    /// let admin = AwsRouter::new()
    ///     .route("/audit", get(|| async { "[]" }))
    ///     .default_throttle(1, 2);
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/widgets", get(|| async { "[]" }))
    ///     .route("/export", get(|| async { "" }).throttle(0.5, 1))
    ///     .nest("/admin", admin)
    ///     .default_throttle(100, 200);
    /// let spec = router.spec(Info::new("demo", "1"));
    /// assert_eq!(spec.settings.default_throttle, Some(Throttle::new(100, 200)));
    /// assert_eq!(spec.routes[0].throttle, None, "the API default applies");
    /// assert_eq!(spec.routes[1].throttle, Some(Throttle::new(0.5, 1)));
    /// assert_eq!(spec.routes[2].throttle, Some(Throttle::new(1, 2)), "the nested router's default");
    /// assert_eq!(spec.throttle_of(&spec.routes[0]), Some(Throttle::new(100, 200)));
    /// ```
    ///
    /// # Panics
    /// When `rate` is NaN or infinite (see [`Throttle::new`]).
    #[track_caller]
    pub fn default_throttle(mut self, rate: impl Into<f64>, burst: u32) -> Self {
        self.defaults.throttle = Some(Throttle::new(rate, burst));
        self
    }

    /// Adds a tag to every route of this router.
    ///
    /// ```
    /// use axum_aws::{routing::get, AwsRouter, Info};
    ///
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/widgets", get(|| async { "[]" }).tag("read"))
    ///     .tag("widgets");
    /// assert_eq!(router.spec(Info::new("demo", "1")).routes[0].tags, ["widgets", "read"]);
    /// ```
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.defaults.tags.push(tag.into());
        self
    }

    /// API-level settings (merged with those of nested and merged routers; this router's win).
    ///
    /// ```
    /// use axum_aws::{routing::get, ApiSettings, AwsRouter, Info};
    ///
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/widgets", get(|| async { "[]" }))
    ///     .settings(ApiSettings::new().minimum_compression_size(1024));
    /// let spec = router.spec(Info::new("demo", "1"));
    /// assert_eq!(spec.settings.minimum_compression_size, Some(1024));
    /// ```
    pub fn settings(mut self, settings: ApiSettings) -> Self {
        let mut settings = settings;
        settings.absorb(std::mem::take(&mut self.settings));
        self.settings = settings;
        self
    }

    /// The routes recorded so far, as declared (router defaults not yet applied).
    ///
    /// ```
    /// use axum_aws::{integration::LambdaProxy, routing::get, AwsRouter};
    ///
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/widgets", get(|| async { "[]" }))
    ///     .default_integration(LambdaProxy::new("${api_invoke_arn}"));
    /// assert_eq!(router.routes()[0].label(), "GET /widgets");
    /// assert!(router.routes()[0].integration.is_none(), "the default applies in `spec`");
    /// ```
    pub fn routes(&self) -> &[RouteMeta] {
        &self.routes
    }

    /// The spec model: every exported route with the router's defaults applied, plus
    /// the API settings. Plain serde data; render it with [`ApiSpec::render_private`]
    /// and [`ApiSpec::render_public`].
    ///
    /// ```
    /// use axum_aws::{integration::LambdaProxy, routing::get, AwsRouter, Info};
    ///
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/widgets", get(|| async { "[]" }))
    ///     .default_integration(LambdaProxy::new("${api_invoke_arn}"));
    /// let spec = router.spec(Info::new("Widgets", "1.0.0"));
    /// assert_eq!(spec.info.title, "Widgets");
    /// assert!(spec.routes[0].integration.is_some());
    /// assert!(spec.render_public()?.to_json().contains(r#""/widgets""#));
    /// # Ok::<(), axum_aws::SpecErrors>(())
    /// ```
    pub fn spec(&self, info: Info) -> ApiSpec {
        let routes = self
            .routes
            .iter()
            .cloned()
            .map(|mut route| {
                self.defaults.apply(&mut route);
                route
            })
            .collect();
        let mut settings = self.settings.clone();
        if let Some(throttle) = self.defaults.throttle {
            settings.default_throttle = Some(throttle);
        }
        ApiSpec::new(info, settings, routes)
    }

    /// [`spec`](Self::spec), taking the router: the routes move into the model instead of
    /// being copied (what an export that has no further use for the router wants).
    ///
    /// ```
    /// use axum_aws::{integration::LambdaProxy, routing::get, AwsRouter, Info};
    ///
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/health", get(|| async { "ok" }))
    ///     .default_integration(LambdaProxy::new("${api_invoke_arn}"));
    /// let copied = router.spec(Info::new("demo", "1"));
    /// assert_eq!(router.into_spec(Info::new("demo", "1")), copied);
    /// ```
    pub fn into_spec(self, info: Info) -> ApiSpec {
        let (_, routes, settings) = self.into_resolved();
        ApiSpec::new(info, settings, routes)
    }

    /// The serving router and the resolved routes. Serving branches off here: the
    /// router answers CORS preflights for each path with the same [`Cors`] values the
    /// spec renders (through tower-http's `CorsLayer`).
    ///
    /// ```
    /// use axum_aws::{integration::LambdaProxy, routing::get, AwsRouter};
    ///
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/widgets", get(|| async { "[]" }))
    ///     .default_integration(LambdaProxy::new("${api_invoke_arn}"));
    /// let (serving, routes): (axum::Router, _) = router.into_parts();
    /// assert!(routes[0].integration.is_some(), "the defaults are applied");
    /// # let _ = serving;
    /// ```
    pub fn into_parts(self) -> (axum::Router<S>, Vec<RouteMeta>) {
        let (router, spec) = self.into_served();
        (router, spec.routes)
    }

    /// The serving router (see [`into_parts`](Self::into_parts)).
    ///
    /// ```
    /// use axum_aws::{routing::get, AwsRouter};
    /// use tower::ServiceExt;
    ///
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let router: AwsRouter = AwsRouter::new().route("/widgets", get(|| async { "[]" }));
    /// let app: axum::Router = router.into_router();
    /// let request = http::Request::get("/widgets").body(axum::body::Body::empty()).unwrap();
    /// assert_eq!(app.oneshot(request).await.unwrap().status(), 200);
    /// # });
    /// ```
    pub fn into_router(self) -> axum::Router<S> {
        self.into_parts().0
    }

    /// The router with its CORS, and the spec model whose resolved view both that CORS
    /// and (for a [`Server`](crate::Server)) the emulated gateway read.
    pub(crate) fn into_served(self) -> (axum::Router<S>, ApiSpec) {
        let (router, routes, settings) = self.into_resolved();
        // The served CORS is the resolved view's, as every gateway's is.
        let spec = ApiSpec::new(Info::new("", ""), settings, routes);
        let router = match crate::cors_layer::CorsByPath::new(&spec.resolve()) {
            Some(cors) => router.layer(cors),
            None => router,
        };
        (router, spec)
    }

    fn into_resolved(self) -> (axum::Router<S>, Vec<RouteMeta>, ApiSettings) {
        let Self {
            router,
            mut routes,
            defaults,
            mut settings,
            ..
        } = self;
        for route in &mut routes {
            defaults.apply(route);
        }
        if let Some(throttle) = defaults.throttle {
            settings.default_throttle = Some(throttle);
        }
        (router, routes, settings)
    }

    /// [`into_resolved`](Self::into_resolved) for a router nested or merged into another:
    /// its default throttle becomes that of its own routes, not the whole API's.
    fn into_resolved_under(self) -> (axum::Router<S>, Vec<RouteMeta>, ApiSettings) {
        let (router, mut routes, mut settings) = self.into_resolved();
        if let Some(throttle) = settings.default_throttle.take() {
            for route in &mut routes {
                route.throttle.get_or_insert(throttle);
            }
        }
        (router, routes, settings)
    }
}

/// The key of a route in [`AwsRouter::declared`].
fn route_key(route: &RouteMeta) -> u64 {
    let mut hasher = FnvHasher::default();
    hasher.write(route.path.as_bytes());
    hasher.write_u8(route.method as u8);
    hasher.finish()
}

impl<S> From<AwsRouter<S>> for axum::Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    fn from(value: AwsRouter<S>) -> Self {
        value.into_router()
    }
}

impl<S> From<axum::Router<S>> for AwsRouter<S>
where
    S: Clone + Send + Sync + 'static,
{
    /// Adopts a plain axum router: served, not exported.
    fn from(router: axum::Router<S>) -> Self {
        Self {
            router,
            ..Self::new()
        }
    }
}

impl<S> AwsRouter<S>
where
    S: Clone + Send + Sync + 'static,
{
    /// Writes the spec model to `path` as a [model file](crate::exchange), with an empty
    /// title and version for the reader to fill: how `aws-spec` loads a router. The
    /// loader program it generates calls the router function, then this method with the
    /// path `aws-spec` names, and exits; `aws-spec` reads the file back with
    /// [`ModelFile::read`](crate::exchange::ModelFile::read), which reports a model
    /// written by another release of axum-aws (another
    /// [`FORMAT_VERSION`](crate::exchange::FORMAT_VERSION)) as such.
    ///
    /// The router is consumed and not freed: the loader's process ends right after.
    ///
    /// # Errors
    /// The file cannot be created or written.
    ///
    /// ```
    /// use axum_aws::exchange::ModelFile;
    /// use axum_aws::integration::LambdaProxy;
    /// use axum_aws::routing::get;
    /// use axum_aws::AwsRouter;
    ///
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/health", get(|| async { "ok" }))
    ///     .default_integration(LambdaProxy::new("${api_invoke_arn}"));
    /// let path = std::env::temp_dir().join(format!("export-model-{}.json", std::process::id()));
    /// router.export_model(&path)?;
    ///
    /// let model = ModelFile::read(&path)?;
    /// assert_eq!(model.writer, concat!("axum-aws ", env!("CARGO_PKG_VERSION")));
    /// assert_eq!(model.spec.info.title, "");
    /// assert_eq!(model.spec.routes[0].path, "/health");
    /// assert!(model.spec.routes[0].integration.is_some(), "router defaults are applied");
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn export_model(self, path: impl AsRef<std::path::Path>) -> std::io::Result<()> {
        let (router, routes, settings) = self.into_resolved();
        let model = ModelFile::new(
            concat!("axum-aws ", env!("CARGO_PKG_VERSION")),
            ApiSpec::new(Info::new("", ""), settings, routes),
        );
        let written = model.write(path);
        // The loader process exits right after writing this: freeing a large router
        // and model first only delays the export (a tenth of the loader's time at 1000
        // routes in the debug build the loader runs as).
        std::mem::forget((router, model));
        written
    }
}
