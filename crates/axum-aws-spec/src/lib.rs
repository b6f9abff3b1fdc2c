//! The spec model of an [axum-aws](https://docs.rs/axum-aws) router, and the documents
//! rendered from it.
//!
//! An [`ApiSpec`] holds every exported route ([`RouteMeta`]: method, path, [`integration`],
//! [`auth`], [`Cors`], docs), the API [`settings`](ApiSettings) and the Terraform
//! placeholders ([`TemplateValue`]) its values use. It is plain data with no axum, tokio,
//! tower or lambda_http types: `axum-aws` builds it from an `AwsRouter` (and re-exports this
//! crate, so users write `axum_aws::…`), and `aws-spec` reads and renders it with this
//! crate alone.
//!
//! A [`Target`] is what one gateway or document makes of the model; each is one module
//! that checks what its gateway cannot express and renders the document:
//! - [`Target::Rest`], the **private** spec ([`Checked::render_private`]): OpenAPI 3.0.1
//!   with `x-amazon-apigateway-*`, for `aws_api_gateway_rest_api.body = templatefile(…)`;
//! - [`Target::OpenApi`], the **public** spec ([`Checked::render_public`]): clean OpenAPI
//!   for docs and client generators;
//! - [`Target::Kong`] ([`Checked::render_kong`]): a decK declarative file for Kong
//!   Gateway OSS.
//!
//! A [`DocsPage`] is the public spec as a page for people: one self-contained
//! `index.html` (`aws-spec docs`, and `Server::docs` in axum-aws).
//!
//! [`ApiSpec::check_for`] runs the target-neutral checks and those of the targets asked
//! for once, and gives the [`Checked`] spec that renders them
//! ([`ApiSpec::render_private`] and [`ApiSpec::render_public`] do both for one target).
//! The checks also resolve what the spec means, once, for every target and for other
//! consumers (a Terraform module, local enforcement): the [`resolved`] view
//! ([`Checked::resolved`], [`ApiSpec::resolve`]).
//! The model keeps what each route declares as declared: paths parsed once
//! ([`RoutePath`]), typed AWS-service actions as themselves
//! ([`integration::Integration::SqsSendMessage`], …), which the REST target alone turns
//! into mapping templates.
//!
//! # Example
//!
//! ```
//! use axum_aws_spec::integration::LambdaProxy;
//! use axum_aws_spec::{ApiSettings, ApiSpec, Info, Method, RouteMeta};
//!
//! let mut health = RouteMeta::new(Method::Get, "/health");
//! health.integration = Some(LambdaProxy::new("${api_invoke_arn}").into());
//! let spec = ApiSpec::new(Info::new("Demo", "1.0.0"), ApiSettings::default(), vec![health]);
//!
//! let private = spec.render_private()?.to_json();
//! assert!(private.contains("\"uri\": \"${api_invoke_arn}\""));
//! assert!(!spec.render_public()?.to_json().contains("x-amazon-apigateway"));
//! # Ok::<(), axum_aws_spec::SpecErrors>(())
//! ```
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

pub mod auth;
mod backend;
mod cors;
pub mod doc;
mod docs_page;
mod error;
pub mod exchange;
mod gateway;
pub mod integration;
mod lint;
mod path;
mod render;
pub mod resolved;
mod route;
mod schema;
mod settings;
mod spec;
mod template;
mod throttle;
mod value_kind;

pub use cors::{Cors, DEFAULT_ALLOW_HEADERS};
pub use docs_page::DocsPage;
pub use error::{ErrorKind, InvalidDocument, SpecError, SpecErrors};
pub use gateway::{Checked, KongConfig, KongFormat, KongOptions, Target, UnknownTarget};
pub use lint::{Lint, Warning};
pub use path::{InvalidPath, PathSegment, RoutePath};
pub use render::{HttpApi, MissingVariables, PrivateSpec, PublicSpec, PublicVersion, RestApi};
pub use route::{Method, RouteMeta};
pub use settings::{
    ApiKeySource, ApiSettings, Endpoint, EndpointType, GATEWAY_RESPONSE_TYPES, GatewayResponse,
    Info, RequestValidator, ResourcePolicy,
};
pub use spec::ApiSpec;
pub use template::{InvalidPlaceholder, TemplateValue};
pub use throttle::Throttle;
