//! [`AwsContext`]: what API Gateway or the ALB said about a request, for handlers.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use http::request::Parts;
use http::{Extensions, HeaderMap, header};
use lambda_http::RequestExt;
use lambda_http::request::RequestContext;
use serde_json::Value;

/// Where a request came from.
///
/// ```
/// use axum_aws::{AwsContext, EventSource};
///
/// async fn handler(context: AwsContext) -> &'static str {
///     match context.source {
///         EventSource::Local => "local",
///         EventSource::RestApi | EventSource::HttpApi => "api gateway",
///         EventSource::FunctionUrl => "function url",
///         _ => "elsewhere",
///     }
/// }
/// # let _ = axum::Router::<()>::new().route("/", axum::routing::get(handler));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventSource {
    /// Not from Lambda: the local or container server (or a test calling the router).
    #[default]
    Local,
    /// An API Gateway REST API (Lambda proxy payload 1.0).
    RestApi,
    /// An API Gateway HTTP API (payload 2.0).
    HttpApi,
    /// A Lambda function URL (payload 2.0 as well), told apart from an HTTP API by the
    /// domain the event names, `<url-id>.lambda-url.<region>.on.aws`.
    FunctionUrl,
    /// An Application Load Balancer target group.
    Alb,
}

/// Request context from the Lambda event: request ids, stage, caller identity and what
/// the authorizer decided.
///
/// An extractor that never rejects: outside Lambda every field is empty (`None` or an
/// empty map) except [`source_ip`](Self::source_ip) and [`user_agent`](Self::user_agent),
/// taken from the connection and the `User-Agent` header when the local server runs.
///
/// ```
/// use axum_aws::AwsContext;
///
/// async fn whoami(context: AwsContext) -> String {
///     let user = context.claims.get("sub").map_or("anonymous", String::as_str);
///     format!("{user} via {:?} stage {:?}", context.source, context.stage)
/// }
/// let app: axum::Router = axum::Router::new().route("/me", axum::routing::get(whoami));
/// # let _ = app;
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct AwsContext {
    /// The event source.
    pub source: EventSource,
    /// API Gateway's request id (`requestContext.requestId`).
    pub request_id: Option<String>,
    /// The Lambda invocation's request id (`x-amzn-RequestId` of the Runtime API).
    pub lambda_request_id: Option<String>,
    /// The stage (`prod`, `$default`, …).
    pub stage: Option<String>,
    /// The caller's IP address.
    pub source_ip: Option<String>,
    /// The caller's `User-Agent`.
    pub user_agent: Option<String>,
    /// The id of the API key the caller used (REST APIs with API keys).
    pub api_key_id: Option<String>,
    /// The principal a Lambda authorizer returned (REST APIs).
    pub principal_id: Option<String>,
    /// Token claims: Cognito user-pool claims (REST) or JWT authorizer claims (HTTP API),
    /// as the gateway passes them: every value a string (a number or list as its JSON
    /// text).
    pub claims: BTreeMap<String, String>,
    /// The scopes of the access token an HTTP API's JWT authorizer accepted
    /// (`requestContext.authorizer.jwt.scopes`); empty elsewhere (a REST API passes none).
    pub scopes: Vec<String>,
    /// The context a Lambda authorizer returned (without `claims` and `principalId`), as
    /// the gateway passes it: string, number and boolean values, all as strings.
    pub authorizer: BTreeMap<String, String>,
    /// The path as the event carried it, before stage and base-path stripping.
    pub raw_path: Option<String>,
}

impl AwsContext {
    /// Reads the context from request extensions (what lambda_http and the local server
    /// put there); usable from middleware as well as handlers.
    ///
    /// ```
    /// use axum_aws::{AwsContext, EventSource};
    ///
    /// let request = http::Request::get("/").body(()).unwrap();
    /// let context = AwsContext::from_request(request.extensions(), request.headers());
    /// assert_eq!(context.source, EventSource::Local);
    /// assert!(context.request_id.is_none());
    /// ```
    pub fn from_request(extensions: &Extensions, headers: &HeaderMap) -> Self {
        let mut context = Self {
            lambda_request_id: extensions
                .lambda_context_ref()
                .map(|lambda| lambda.request_id.clone()),
            ..Self::default()
        };
        match extensions.request_context_ref() {
            Some(RequestContext::ApiGatewayV1(rest)) => {
                context.source = EventSource::RestApi;
                context.request_id.clone_from(&rest.request_id);
                context.stage.clone_from(&rest.stage);
                context.source_ip.clone_from(&rest.identity.source_ip);
                context.user_agent.clone_from(&rest.identity.user_agent);
                context.api_key_id.clone_from(&rest.identity.api_key_id);
                for (key, value) in &rest.authorizer.fields {
                    match (key.as_str(), value) {
                        ("claims", Value::Object(claims)) => {
                            context.claims = claims
                                .iter()
                                .map(|(name, value)| (name.clone(), text(value)))
                                .collect();
                        }
                        ("principalId", Value::String(principal)) => {
                            context.principal_id = Some(principal.clone());
                        }
                        (_, Value::Null) => {}
                        _ => {
                            context.authorizer.insert(key.clone(), text(value));
                        }
                    }
                }
            }
            Some(RequestContext::ApiGatewayV2(http_api)) => {
                context.source = if is_function_url(http_api.domain_name.as_deref()) {
                    EventSource::FunctionUrl
                } else {
                    EventSource::HttpApi
                };
                context.request_id.clone_from(&http_api.request_id);
                context.stage.clone_from(&http_api.stage);
                context.source_ip.clone_from(&http_api.http.source_ip);
                context.user_agent.clone_from(&http_api.http.user_agent);
                if let Some(authorizer) = &http_api.authorizer {
                    if let Some(jwt) = &authorizer.jwt {
                        context.claims = jwt
                            .claims
                            .iter()
                            .map(|(key, value)| (key.clone(), value.clone()))
                            .collect();
                        context.scopes = jwt.scopes.clone().unwrap_or_default();
                    }
                    context.authorizer = authorizer
                        .fields
                        .iter()
                        .filter(|(_, value)| !value.is_null())
                        .map(|(key, value)| (key.clone(), text(value)))
                        .collect();
                }
            }
            Some(RequestContext::Alb(_)) => {
                context.source = EventSource::Alb;
                // The ALB appends the client to X-Forwarded-For.
                context.source_ip = header_str(headers, "x-forwarded-for")
                    .and_then(|list| list.rsplit(',').next())
                    .map(|ip| ip.trim().to_owned());
            }
            _ => {
                context.source_ip = extensions
                    .get::<ConnectInfo<SocketAddr>>()
                    .map(|ConnectInfo(addr)| addr.ip().to_string());
            }
        }
        // What the emulated gateway's authorizer passed on (local, Function URL, ALB).
        #[cfg(feature = "enforce")]
        if let Some(authorized) = extensions.get::<super::enforce::Authorized>() {
            context.principal_id.clone_from(&authorized.principal_id);
            context.claims.clone_from(&authorized.claims);
            context.scopes.clone_from(&authorized.scopes);
            context.authorizer.clone_from(&authorized.context);
        }
        if context.user_agent.is_none() {
            context.user_agent =
                header_str(headers, header::USER_AGENT.as_str()).map(str::to_owned);
        }
        if context.source != EventSource::Local {
            context.raw_path = Some(extensions.raw_http_path().to_owned());
        }
        context
    }
}

/// A value as the gateway passes it on: a string as it is, anything else as JSON text.
fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Whether `domain` is a function URL's: `<url-id>.lambda-url.<region>.on.aws`.
pub(crate) fn is_function_url(domain: Option<&str>) -> bool {
    domain
        .and_then(|domain| domain.strip_suffix(".on.aws"))
        .and_then(|rest| rest.split_once('.'))
        .is_some_and(|(_, rest)| rest.starts_with("lambda-url."))
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

impl<S> FromRequestParts<S> for AwsContext
where
    S: Send + Sync,
{
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::from_request(&parts.extensions, &parts.headers))
    }
}
