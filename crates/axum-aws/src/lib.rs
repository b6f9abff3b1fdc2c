//! Declare axum routes once, with their AWS API Gateway integration, authorizers and
//! CORS; serve them with axum; export the OpenAPI specs Terraform deploys.
//!
//! [`AwsRouter`] wraps [`axum::Router`]. Each route added with [`AwsRouter::route`]
//! carries its [`integration`] (Lambda proxy or custom, HTTP or VPC link, mock, AWS
//! services), its [`auth`] requirements and its [`Cors`] policy, with values such as
//! `${users_invoke_arn}` that Terraform's `templatefile()` fills in. The same router
//! serves requests ([`AwsRouter::into_router`]) and yields an [`ApiSpec`], rendered as:
//!
//! - the **private** spec ([`ApiSpec::render_private`]): OpenAPI 3.0.1 with
//!   `x-amazon-apigateway-*`, for `aws_api_gateway_rest_api.body = templatefile(…)`;
//! - the **public** spec ([`ApiSpec::render_public`]): clean OpenAPI for docs and
//!   client generators.
//!
//! # Example
//!
//! ```
//! use axum_aws::auth::{Authorizer, CognitoAuthorizer};
//! use axum_aws::integration::{LambdaProxy, Mock};
//! use axum_aws::routing::{get, put};
//! use axum_aws::{AwsRouter, Cors, Info};
//!
//! async fn get_widget() -> &'static str { r#"{"name": "w1"}"# }
//! async fn put_widget() -> &'static str { "{}" }
//!
//! let users = CognitoAuthorizer::new("users", ["${user_pool_arn}"]);
//! let router: AwsRouter = AwsRouter::new()
//!     .route("/widget/{name}", get(get_widget).public())
//!     .route("/widget/{name}", put(put_widget).auth(Authorizer::api_key()))
//!     .route("/status", get(|| async { "ok" }).integration(Mock::new(200).body("application/json", r#"{"ok": true}"#)))
//!     .default_integration(LambdaProxy::new("${widget_invoke_arn}"))
//!     .default_auth(users)
//!     .cors(Cors::new().allow_origin("${app_origin}"));
//!
//! let spec = router.spec(Info::new("Widgets", "1.0.0"));
//! let private = spec.render_private()?.to_json();   // for Terraform
//! let public = spec.render_public()?.to_json();     // for people
//! assert!(private.contains("\"uri\": \"${widget_invoke_arn}\""));
//! assert!(!public.contains("x-amazon-apigateway"));
//! assert_eq!(spec.placeholders().keys().collect::<Vec<_>>(), ["app_origin", "user_pool_arn", "widget_invoke_arn"]);
//!
//! // The same router serves the requests (locally, in a container, in Lambda).
//! let app: axum::Router = router.into_router();
//! # let _ = app;
//! # Ok::<(), axum_aws::SpecErrors>(())
//! ```
//!
//! # Serving
//!
//! [`serve`] (or the [`Server`] builder) runs the same router everywhere, with no code
//! change: inside AWS Lambda (`AWS_LAMBDA_RUNTIME_API` set) it answers API Gateway REST
//! (v1), HTTP API (v2, also function URLs) and ALB events through `lambda_http`;
//! elsewhere it listens on `0.0.0.0:$PORT` (containers) or `127.0.0.1:3000` and stops
//! gracefully on SIGINT/SIGTERM. In every mode the REST stage, an HTTP API's named stage
//! and custom-domain base paths are stripped before routing, handler panics become a
//! `500` JSON body, and compression is one switch away. Handlers read the event's
//! request context (ids, stage, caller, authorizer claims) with the [`AwsContext`]
//! extractor. See `examples/serve.rs`.
//!
//! The spec model (routes, integrations, auth, CORS, settings, the rendered documents)
//! is the crate [`axum_aws_spec`], re-exported here: `axum_aws::ApiSpec` and
//! `axum_aws_spec::ApiSpec` are the same type.
//!
//! # Features
//!
//! | Feature | Default | What it adds |
//! |---|---|---|
//! | `serve` | on | [`serve`], [`Server`], [`LambdaHandler`], [`AwsContext`]: `lambda_http`, tokio's server, tower-http compression and catch-panic. Turn it off (`default-features = false`) in a build that only exports specs. |
//! | `enforce` | on | Local gateway emulation ([`Server::emulate`], [`Gateway`]): where no gateway stands in front, the served router enforces API keys, Cognito/JWT (`jsonwebtoken`, pure-Rust crypto) and Lambda authorizers, request validators (`jsonschema`) and mocks, answering as the gateway does. Implies `serve`. |
//! | `typed-header` | off | Documents [`axum_extra::TypedHeader<T>`](https://docs.rs/axum-extra/latest/axum_extra/struct.TypedHeader.html) handler arguments as required header parameters named `T::name()` (see [`doc`]). |
//!
//! # Rules the specs follow
//!
//! - Paths use axum syntax; `{*rest}` becomes API Gateway's `{rest+}`. Paths API
//!   Gateway cannot import (partial-segment parameters, odd characters, two variable
//!   names under one parent) are errors naming the route.
//! - `${name}` in a value is a Terraform placeholder (`name` must be an identifier);
//!   every other `${` or `%{` in the private spec is escaped as `$${` / `%%{`.
//! - Output is deterministic: sorted keys, two-space indent.
//! - Building a spec reports every problem at once, each as `METHOD /path: message`.

#[doc(inline)]
pub use axum_aws_spec::{
    ApiKeySource, ApiSettings, ApiSpec, Checked, Cors, DEFAULT_ALLOW_HEADERS, DocsPage, Endpoint,
    EndpointType, ErrorKind, GATEWAY_RESPONSE_TYPES, GatewayResponse, HttpApi, Info,
    InvalidDocument, InvalidPath, InvalidPlaceholder, KongConfig, KongFormat, KongOptions, Lint,
    Method, MissingVariables, PathSegment, PrivateSpec, PublicSpec, PublicVersion,
    RequestValidator, ResourcePolicy, RestApi, RouteMeta, RoutePath, SpecError, SpecErrors, Target,
    TemplateValue, Throttle, UnknownTarget, Warning, auth, exchange, integration, resolved,
};

mod cors_layer;
pub mod doc;
mod route;
mod router;
#[cfg(feature = "serve")]
mod serve;

pub use route::AwsRoute;
pub use router::AwsRouter;
#[cfg(feature = "serve")]
pub use serve::{AwsContext, EventSource, LambdaHandler, ServeError, Served, Server, serve};
#[cfg(feature = "enforce")]
pub use serve::{Gateway, UnknownGateway};
/// utoipa, the version axum-aws documents routes with (`ToSchema`, `IntoParams`,
/// `#[utoipa::path]`): depend on it through this re-export, no version to match.
pub use utoipa;

/// Route constructors, one per method, like [`axum::routing`].
pub mod routing {
    pub use crate::route::{any, delete, get, head, options, patch, post, put};
}
