//! The names of the `x-amazon-apigateway-*` extensions that REST and HTTP APIs share,
//! each spelled once here. Each gateway's module ([`super::rest`], [`super::http_api`])
//! is the only writer of its gateway's extensions and keeps the names only it writes.

/// An operation's integration.
pub(crate) const INTEGRATION: &str = "x-amazon-apigateway-integration";
/// The path item key of an `ANY` route.
pub(crate) const ANY_METHOD: &str = "x-amazon-apigateway-any-method";
/// A security scheme's authorizer.
pub(crate) const AUTHORIZER: &str = "x-amazon-apigateway-authorizer";
/// A security scheme's auth type (`custom`, `awsSigv4`).
pub(crate) const AUTHTYPE: &str = "x-amazon-apigateway-authtype";
