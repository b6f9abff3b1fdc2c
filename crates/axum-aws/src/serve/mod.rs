//! Serving one router everywhere: a local or container HTTP server, or a Lambda function
//! behind API Gateway (REST or HTTP API) or an ALB. Feature `serve` (on by default).

mod context;
#[cfg(feature = "enforce")]
mod enforce;
mod http_api;
mod lambda;
mod local;
mod path;
mod rest;
#[cfg(not(feature = "enforce"))]
mod unenforced;

use std::any::Any;
use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};

use axum::body::Bytes;
use axum::response::{Html, IntoResponse, Response};
use axum_aws_spec::DocsPage;
use http::{StatusCode, header};
use lambda_http::tracing;
use tokio::net::TcpListener;
#[cfg(feature = "enforce")]
use tower::Layer as _;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;

pub use context::{AwsContext, EventSource};
#[cfg(feature = "enforce")]
pub use enforce::{Gateway, UnknownGateway};
pub use lambda::LambdaHandler;

/// The variable the Lambda runtime client reads; set inside Lambda only.
const RUNTIME_API_ENV: &str = "AWS_LAMBDA_RUNTIME_API";
/// Port of the local server when [`Server::addr`] is not called.
const PORT_ENV: &str = "PORT";
/// Where the local server listens by default.
const DEFAULT_ADDR: SocketAddr = SocketAddr::new(std::net::IpAddr::V4(Ipv4Addr::LOCALHOST), 3000);

/// Serves `router` with the defaults of [`Server`]: in Lambda (`AWS_LAMBDA_RUNTIME_API`
/// set) through lambda_http, else over HTTP on `0.0.0.0:$PORT` when `PORT` is set, else
/// on `127.0.0.1:3000`, until SIGINT or SIGTERM.
///
/// ```no_run
/// use axum_aws::integration::LambdaProxy;
/// use axum_aws::routing::get;
/// use axum_aws::AwsRouter;
///
/// #[tokio::main]
/// async fn main() -> Result<(), axum_aws::ServeError> {
///     let router: AwsRouter = AwsRouter::new()
///         .route("/hello", get(|| async { "hi" }))
///         .default_integration(LambdaProxy::new("${hello_invoke_arn}"));
///     axum_aws::serve(router).await
/// }
/// ```
pub async fn serve(router: impl Into<Served>) -> Result<(), ServeError> {
    Server::new(router).run().await
}

/// Why [`Server::run`] stopped.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let taken = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
/// let addr = taken.local_addr().unwrap();
/// let error = axum_aws::Server::new(axum::Router::new()).addr(addr).run().await.unwrap_err();
/// assert!(matches!(error, axum_aws::ServeError::Bind { .. }));
/// assert_eq!(error.to_string(), format!("cannot listen on {addr}"));
/// # });
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// `PORT` is not a port number.
    #[error("PORT is {0:?}, not a port number")]
    InvalidPort(String),
    /// The local server could not listen.
    #[error("cannot listen on {addr}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The local server failed while accepting connections.
    #[error("the HTTP server failed")]
    Io(#[source] std::io::Error),
    /// The Lambda runtime stopped (it cannot reach the Runtime API, say).
    #[error("the Lambda runtime stopped: {0}")]
    Lambda(lambda_http::Error),
}

/// How to serve a router: the layers around it and where to listen.
///
/// Every mode answers through the same stack, outermost first:
///
/// 1. panics in handlers become `500` with `{"message":"Internal Server Error"}`
///    (tower-http `CatchPanicLayer`);
/// 2. optional gzip/br compression ([`compression`](Self::compression));
/// 3. the path axum routes on is the path inside the API: the REST stage, an HTTP
///    API's named stage and custom-domain base paths are stripped
///    ([`base_path`](Self::base_path));
/// 4. the router, with its per-route CORS (from [`AwsRouter`](crate::AwsRouter)), and
///    the docs page when one is given ([`docs`](Self::docs)).
///
/// Auth is the gateway's: this process does not check the authorizers, API keys or IAM
/// a route declares. When it starts serving ([`serve_listener`](Self::serve_listener),
/// [`run`](Self::run), [`lambda_handler`](Self::lambda_handler)) it logs a warning
/// naming the routes of an [`AwsRouter`](crate::AwsRouter) that declare auth: locally
/// and in a container every request reaches them; in Lambda, Function URL and ALB
/// events do.
///
/// ```no_run
/// use axum::routing::get;
///
/// # async fn run() -> Result<(), axum_aws::ServeError> {
/// let app = axum::Router::new().route("/users/{id}", get(|| async { "{}" }));
/// axum_aws::Server::new(app)
///     .compression(true)
///     .base_path("/v1")
///     .addr(([0, 0, 0, 0], 8080))
///     .run()
///     .await
/// # }
/// ```
#[derive(Debug)]
#[must_use]
pub struct Server {
    router: axum::Router,
    addr: Option<SocketAddr>,
    compression: bool,
    base_paths: Vec<String>,
    docs: Option<Docs>,
    declaration: Declaration,
    #[cfg(feature = "enforce")]
    emulation: enforce::Emulation,
}

/// The docs page and where it is served.
#[derive(Debug)]
struct Docs {
    path: String,
    /// The page, rendered once when the server was set up.
    html: Bytes,
    in_lambda: bool,
}

/// What a [`Server`] serves: the router, and what the server reports of its
/// declaration. An [`AwsRouter`](crate::AwsRouter) brings its declared auth, which the
/// start-up log names while this process does not check it; a plain `axum::Router`
/// declares nothing.
///
/// ```
/// use axum_aws::{AwsRouter, Served};
///
/// let from_axum: Served = axum::Router::new().into();
/// let from_aws: Served = AwsRouter::new().into();
/// # let _ = (from_axum, from_aws);
/// ```
#[derive(Debug)]
pub struct Served {
    router: axum::Router,
    declaration: Declaration,
}

/// What the served router declares: its spec model (routes with the router defaults
/// applied, API settings), whose resolved view the emulated gateway enforces. `None`
/// for a plain `axum::Router`.
#[derive(Debug, Default)]
struct Declaration {
    spec: Option<crate::ApiSpec>,
}

impl From<axum::Router> for Served {
    fn from(router: axum::Router) -> Self {
        Self {
            router,
            declaration: Declaration::default(),
        }
    }
}

impl From<crate::AwsRouter> for Served {
    fn from(router: crate::AwsRouter) -> Self {
        let (router, spec) = router.into_served();
        Self {
            router,
            declaration: Declaration { spec: Some(spec) },
        }
    }
}

impl Server {
    /// A server for `router` (an [`AwsRouter`](crate::AwsRouter) or an `axum::Router`):
    /// no compression, no base path, the default address.
    ///
    /// ```
    /// let server = axum_aws::Server::new(axum::Router::new());
    /// # let _ = server;
    /// ```
    pub fn new(router: impl Into<Served>) -> Self {
        let Served {
            router,
            declaration,
        } = router.into();
        Self {
            router,
            addr: None,
            compression: false,
            base_paths: Vec::new(),
            docs: None,
            declaration,
            #[cfg(feature = "enforce")]
            emulation: enforce::Emulation::default(),
        }
    }

    /// Serves the API docs page (the router's public spec rendered for people, see
    /// [`DocsPage`]) at `path`, e.g. `/docs`. Off by default; locally only, and not in
    /// Lambda unless [`docs_in_lambda`](Self::docs_in_lambda) asks for it (API Gateway
    /// would not route `path` to the function anyway unless the API declares it).
    /// The page is rendered before the server starts, from the same router's spec.
    ///
    /// # Panics
    /// When the server is built ([`into_router`](Self::into_router), [`run`](Self::run)…)
    /// if the router has a `GET` route at `path` already (axum's overlapping-route panic):
    /// pick another path.
    ///
    /// ```
    /// use axum_aws::{integration::LambdaProxy, routing::get, AwsRouter, Info, Server};
    /// use tower::ServiceExt;
    ///
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/widgets", get(|| async { "[]" }))
    ///     .default_integration(LambdaProxy::new("${api_invoke_arn}"));
    /// let page = router.spec(Info::new("Widgets", "1.0.0")).docs_page().unwrap();
    /// let app = Server::new(router).docs("/docs", page).into_router();
    /// let request = http::Request::get("/docs").body(axum::body::Body::empty()).unwrap();
    /// let response = app.oneshot(request).await.unwrap();
    /// assert_eq!(response.status(), 200);
    /// assert_eq!(response.headers()["content-type"], "text/html; charset=utf-8");
    /// # });
    /// ```
    pub fn docs(mut self, path: impl Into<String>, page: DocsPage) -> Self {
        let path = path.into();
        let path = if path.starts_with('/') {
            path
        } else {
            format!("/{path}")
        };
        let in_lambda = self.docs.as_ref().is_some_and(|docs| docs.in_lambda);
        self.docs = Some(Docs {
            path,
            html: Bytes::from(page.into_html()),
            in_lambda,
        });
        self
    }

    /// Also serves the [`docs`](Self::docs) page from the Lambda function (off by
    /// default: a deployed API's docs are usually published elsewhere).
    ///
    /// ```
    /// # use axum_aws::{ApiSettings, ApiSpec, Info, Server};
    /// let page = ApiSpec::new(Info::new("t", "1"), ApiSettings::default(), vec![]).docs_page().unwrap();
    /// let server = Server::new(axum::Router::new()).docs("/docs", page).docs_in_lambda(true);
    /// # let _ = server;
    /// ```
    pub fn docs_in_lambda(mut self, enabled: bool) -> Self {
        if let Some(docs) = &mut self.docs {
            docs.in_lambda = enabled;
        }
        self
    }

    /// The router with the docs page route, when there is one (and, in Lambda, when
    /// asked for).
    fn routed(router: axum::Router, docs: Option<Docs>, lambda: bool) -> axum::Router {
        match docs {
            Some(docs) if !lambda || docs.in_lambda => {
                let html = docs.html;
                router.route(
                    &docs.path,
                    axum::routing::get(move || {
                        let html = html.clone();
                        async move { Html(html) }
                    }),
                )
            }
            _ => router,
        }
    }

    /// The gateway the served router answers as where it enforces its declaration
    /// (see [`Gateway`]); else `AXUM_AWS_EMULATE` (`rest`, `http-api`, `kong`), else a
    /// REST API.
    ///
    /// The router enforces what its routes declare wherever no gateway stands in front:
    /// served locally or in a container, and for Lambda Function URL and ALB events.
    /// For API Gateway REST and HTTP API events the gateway did, and nothing is checked
    /// twice (but a route declaring an authorizer whose event carries no authorizer
    /// context is refused: the gateway in front is configured differently).
    ///
    /// ```
    /// use axum_aws::{integration::LambdaProxy, routing::get, AwsRouter, Gateway, Server};
    /// use tower::ServiceExt;
    ///
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/widgets", get(|| async { "[]" }))
    ///     .default_integration(LambdaProxy::new("${api_invoke_arn}"));
    /// let app = Server::new(router).emulate(Gateway::HttpApi).into_router();
    /// let request = http::Request::get("/nothing").body(axum::body::Body::empty()).unwrap();
    /// let response = app.oneshot(request).await.unwrap();
    /// assert_eq!(response.status(), 404, "an HTTP API's answer to an unknown route");
    /// # });
    /// ```
    #[cfg(feature = "enforce")]
    pub fn emulate(mut self, gateway: Gateway) -> Self {
        self.emulation.gateway = Some(gateway);
        self
    }

    /// The service sits behind a gateway that enforces its declaration (an API Gateway
    /// HTTP or VPC-link integration in front of a container, LocalStack's gateway in
    /// front of a test server): nothing is enforced here. Also
    /// `AXUM_AWS_TRUST_UPSTREAM=1`. The start-up summary says so.
    ///
    /// ```
    /// let server = axum_aws::Server::new(axum_aws::AwsRouter::new()).trust_upstream();
    /// # let _ = server;
    /// ```
    #[cfg(feature = "enforce")]
    pub fn trust_upstream(mut self) -> Self {
        self.emulation.trust_upstream = Some(true);
        self
    }

    /// The API keys the emulated gateway accepts (`x-api-key`), instead of
    /// `AXUM_AWS_API_KEYS` (comma-separated) and `AXUM_AWS_API_KEYS_FILE` (one key a
    /// line). Without any, routes requiring a key refuse every request.
    ///
    /// ```
    /// let server = axum_aws::Server::new(axum_aws::AwsRouter::new()).api_keys(["local-key"]);
    /// # let _ = server;
    /// ```
    #[cfg(feature = "enforce")]
    pub fn api_keys<K: Into<String>>(mut self, keys: impl IntoIterator<Item = K>) -> Self {
        self.emulation.api_keys = Some(keys.into_iter().map(Into::into).collect());
        self
    }

    /// Where the JWKS of the Cognito or JWT authorizer `authorizer` is: a file path, an
    /// `http://` or an `https://` URL (verified against the system's root certificates),
    /// instead of `AXUM_AWS_JWKS_<NAME>` (the name upper-cased, other characters `_`),
    /// `AXUM_AWS_JWKS` (every authorizer) or the issuer's well-known URL. Read on first
    /// use and cached; a token whose `kid` it lacks reads it once more.
    ///
    /// ```
    /// let server = axum_aws::Server::new(axum_aws::AwsRouter::new()).jwks("users", "tests/jwks.json");
    /// # let _ = server;
    /// ```
    #[cfg(feature = "enforce")]
    pub fn jwks(mut self, authorizer: impl Into<String>, location: impl Into<String>) -> Self {
        self.emulation
            .jwks
            .insert(authorizer.into(), location.into());
        self
    }

    /// Runs the Lambda authorizer `name` in process: `handler` is the authorizer
    /// function's own handler (its event type read from the TOKEN or REQUEST event API
    /// Gateway would send, its answer a policy document serialized as the function
    /// answers). An error whose message is exactly `Unauthorized` is a 401; any other
    /// a 500, as API Gateway answers. Without one, the authorizer's routes refuse every
    /// request.
    ///
    /// ```
    /// use serde_json::{json, Value};
    ///
    /// let server = axum_aws::Server::new(axum_aws::AwsRouter::new()).authorizer("admin", |event: Value| async move {
    ///     match event["authorizationToken"].as_str() {
    ///         Some("Bearer letmein") => Ok(json!({
    ///             "principalId": "admin",
    ///             "policyDocument": {"Version": "2012-10-17", "Statement": [
    ///                 {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": event["methodArn"]}
    ///             ]},
    ///         })),
    ///         _ => Err("Unauthorized"),
    ///     }
    /// });
    /// # let _ = server;
    /// ```
    #[cfg(feature = "enforce")]
    pub fn authorizer<F, E, R, Fut, Err>(mut self, name: impl Into<String>, handler: F) -> Self
    where
        F: Fn(E) -> Fut + Send + Sync + 'static,
        E: serde::de::DeserializeOwned,
        Fut: Future<Output = Result<R, Err>> + Send + 'static,
        R: serde::Serialize,
        Err: std::fmt::Display,
    {
        self.emulation
            .authorizers
            .insert(name.into(), enforce::erase_authorizer(handler));
        self
    }

    /// Answers direct AWS service integrations (S3, SQS, SNS, Step Functions, DynamoDB,
    /// EventBridge) with the route's own handler, a local stand-in for the service,
    /// instead of `501`. Also `AXUM_AWS_SERVICE_HANDLERS=1`. No service endpoint
    /// (LocalStack, say) is called.
    ///
    /// ```
    /// let server = axum_aws::Server::new(axum_aws::AwsRouter::new()).service_handlers();
    /// # let _ = server;
    /// ```
    #[cfg(feature = "enforce")]
    pub fn service_handlers(mut self) -> Self {
        self.emulation.service_handlers = Some(true);
        self
    }

    /// Lets IAM (SigV4) routes through without verifying the signature (which needs
    /// AWS); by default they are refused with a REST API's 403. Also
    /// `AXUM_AWS_ALLOW_IAM=1`.
    ///
    /// ```
    /// let server = axum_aws::Server::new(axum_aws::AwsRouter::new()).allow_unverified_iam();
    /// # let _ = server;
    /// ```
    #[cfg(feature = "enforce")]
    pub fn allow_unverified_iam(mut self) -> Self {
        self.emulation.allow_iam = Some(true);
        self
    }

    /// Where the local server listens, instead of `PORT` or `127.0.0.1:3000`.
    ///
    /// ```
    /// let server = axum_aws::Server::new(axum::Router::new()).addr(([127, 0, 0, 1], 8080));
    /// # let _ = server;
    /// ```
    pub fn addr(mut self, addr: impl Into<SocketAddr>) -> Self {
        self.addr = Some(addr.into());
        self
    }

    /// Compresses responses with gzip or brotli when the client accepts them (off by
    /// default). Behind API Gateway a compressed body is binary, so it goes back base64
    /// encoded: a REST API then needs `binaryMediaTypes` (e.g. `*/*`); API Gateway's own
    /// `minimumCompressionSize` is the alternative.
    ///
    /// ```
    /// let server = axum_aws::Server::new(axum::Router::new()).compression(true);
    /// # let _ = server;
    /// ```
    pub fn compression(mut self, enabled: bool) -> Self {
        self.compression = enabled;
        self
    }

    /// A custom-domain base path (the mapping key of `api.example.com/v1`) to strip
    /// before routing; call once per mapping. Needed when the route that matched in
    /// API Gateway is greedy (`{proxy+}`); for other routes the base path is found from
    /// the event. Applies locally too, so a proxy can forward the public path as is.
    ///
    /// ```
    /// let server = axum_aws::Server::new(axum::Router::new()).base_path("/v1").base_path("v2");
    /// # let _ = server;
    /// ```
    pub fn base_path(mut self, path: impl Into<String>) -> Self {
        self.base_paths.push(path.into());
        self
    }

    /// The router with the whole stack (see the type docs), for tests or another server.
    ///
    /// ```
    /// use axum::routing::get;
    /// use tower::ServiceExt;
    ///
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let app = axum::Router::new().route("/users", get(|| async { "[]" }));
    /// let served = axum_aws::Server::new(app).base_path("/v1").into_router();
    /// let request = http::Request::get("/v1/users").body(axum::body::Body::empty()).unwrap();
    /// assert_eq!(served.oneshot(request).await.unwrap().status(), 200);
    /// # });
    /// ```
    pub fn into_router(self) -> axum::Router {
        self.into_router_for(false)
    }

    /// [`into_router`](Self::into_router), for Lambda or not (the docs page differs).
    fn into_router_for(self, lambda: bool) -> axum::Router {
        let (app, compression, base_paths) = self.into_app(lambda, false);
        // One tower stack, handed to axum once. (`Router::layer` on an outer router boxed
        // each layer as a route of its own, cloned and boxed again on every request:
        // 8% of the requests/s of a plain axum router.)
        let path = path::ApiPathLayer::new(&base_paths);
        let stack = tower::ServiceBuilder::new().layer(CatchPanicLayer::custom(
            |panic: Box<dyn Any + Send + 'static>| panic_response(&*panic),
        ));
        if compression {
            let stack = stack.layer(CompressionLayer::new()).layer(path);
            axum::Router::new().fallback_service(stack.service(app))
        } else {
            axum::Router::new().fallback_service(stack.layer(path).service(app))
        }
    }

    /// The router with the docs page, inside the emulated gateway when the router
    /// declares routes (see [`emulate`](Self::emulate)); `log`: log the start-up
    /// summary. Also returns the compression flag and the base paths.
    fn into_app(self, lambda: bool, log: bool) -> (App, bool, Vec<String>) {
        let Self {
            router,
            compression,
            base_paths,
            docs,
            declaration,
            #[cfg(feature = "enforce")]
            emulation,
            ..
        } = self;
        let router = Self::routed(router, docs, lambda);
        #[cfg(feature = "enforce")]
        let app = if let Some(spec) = declaration.spec.filter(|spec| !spec.routes.is_empty()) {
            let enforcement = enforce::Enforcement::new(&spec, emulation);
            if log {
                enforcement.log_summary(lambda);
            }
            if enforcement.trusts_upstream() {
                // Nothing to check: the router as it is, without the layer's cost.
                tower::util::Either::Right(router)
            } else {
                tower::util::Either::Left(
                    enforce::EnforceLayer::new(std::sync::Arc::new(enforcement)).layer(router),
                )
            }
        } else {
            tower::util::Either::Right(router)
        };
        #[cfg(not(feature = "enforce"))]
        let app = {
            if log {
                let routes = declaration
                    .spec
                    .as_ref()
                    .map_or(&[][..], |spec| &spec.routes[..]);
                unenforced::log(&unenforced::declared_auth(routes), lambda);
            }
            router
        };
        (app, compression, base_paths)
    }

    /// The Lambda function of this server (see [`LambdaHandler`]).
    ///
    /// ```
    /// let handler = axum_aws::Server::new(axum::Router::new()).lambda_handler();
    /// # let _ = handler;
    /// ```
    pub fn lambda_handler(self) -> LambdaHandler {
        let (app, compression, base_paths) = self.into_app(true, true);
        let path = path::ApiPathLayer::new(&base_paths);
        let stack = tower::ServiceBuilder::new().layer(CatchPanicLayer::custom(
            |panic: Box<dyn Any + Send + 'static>| panic_response(&*panic),
        ));
        let router = if compression {
            let stack = stack.layer(CompressionLayer::new()).layer(path);
            axum::Router::new().fallback_service(stack.service(app))
        } else {
            axum::Router::new().fallback_service(stack.layer(path).service(app))
        };
        LambdaHandler::new(router)
    }

    /// Serves until stopped: in Lambda when `AWS_LAMBDA_RUNTIME_API` is set, else over
    /// HTTP until SIGINT or SIGTERM (in-flight requests finish first). Installs
    /// lambda_runtime's default `tracing` subscriber (stdout, honouring
    /// `AWS_LAMBDA_LOG_FORMAT` and `RUST_LOG`) unless one is set already.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), axum_aws::ServeError> {
    /// axum_aws::Server::new(axum::Router::new()).run().await
    /// # }
    /// ```
    pub async fn run(self) -> Result<(), ServeError> {
        if !tracing::dispatcher::has_been_set() {
            lambda_http::tracing::init_default_subscriber();
        }
        if std::env::var_os(RUNTIME_API_ENV).is_some() {
            return self
                .lambda_handler()
                .run()
                .await
                .map_err(ServeError::Lambda);
        }
        let addr = match self.addr {
            Some(addr) => addr,
            None => local_addr(std::env::var(PORT_ENV).ok())?,
        };
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| ServeError::Bind { addr, source })?;
        tracing::info!(%addr, "listening");
        self.serve_listener(listener, local::shutdown_signal())
            .await
    }

    /// Serves HTTP on `listener` until `shutdown` completes, then lets in-flight
    /// requests finish. For tests (bind `127.0.0.1:0`) and custom listeners.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    /// let server = axum_aws::Server::new(axum::Router::new());
    /// // Stops at once: the shutdown future is already complete.
    /// server.serve_listener(listener, async {}).await.unwrap();
    /// # });
    /// ```
    pub async fn serve_listener(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        // The stack of `into_router`, served as it is: without the outer axum router,
        // whose empty route table and boxed fallback cost every request a second
        // routing pass.
        let (router, compression, base_paths) = self.into_app(false, true);
        let path = path::ApiPathLayer::new(&base_paths);
        let stack = tower::ServiceBuilder::new()
            .map_response(IntoResponse::into_response)
            .layer(CatchPanicLayer::custom(
                |panic: Box<dyn Any + Send + 'static>| panic_response(&*panic),
            ));
        let served = if compression {
            let stack = stack.layer(CompressionLayer::new()).layer(path);
            local::serve(listener, stack.service(router), shutdown).await
        } else {
            local::serve(listener, stack.layer(path).service(router), shutdown).await
        };
        served.map_err(ServeError::Io)
    }
}

/// The served router, inside the emulated gateway or not.
#[cfg(feature = "enforce")]
type App = tower::util::Either<enforce::Enforce<axum::Router>, axum::Router>;
#[cfg(not(feature = "enforce"))]
type App = axum::Router;

/// `0.0.0.0:$PORT` when `PORT` is set (containers), else `127.0.0.1:3000`.
fn local_addr(port: Option<String>) -> Result<SocketAddr, ServeError> {
    match port {
        None => Ok(DEFAULT_ADDR),
        Some(port) => port
            .trim()
            .parse::<u16>()
            .map(|port| SocketAddr::from((Ipv4Addr::UNSPECIFIED, port)))
            .map_err(|_| ServeError::InvalidPort(port)),
    }
}

/// The answer to a handler panic; the panic itself is logged.
fn panic_response(panic: &(dyn Any + Send)) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = message, "a handler panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "application/json")],
        r#"{"message":"Internal Server Error"}"#,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_from_the_environment() {
        assert_eq!(local_addr(None).unwrap(), DEFAULT_ADDR);
        assert_eq!(
            local_addr(Some("8080".into())).unwrap().to_string(),
            "0.0.0.0:8080"
        );
        assert!(
            matches!(local_addr(Some("http".into())), Err(ServeError::InvalidPort(p)) if p == "http")
        );
    }
}
