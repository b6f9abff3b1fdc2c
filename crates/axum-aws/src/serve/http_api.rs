//! HTTP API and Lambda function URL events (proxy payload 2.0) straight to an
//! `http::Request`, as `rest` does for REST events, with the same readers, URI builder
//! and response writer.
//!
//! The contract is lambda_http 1.3's `into_api_gateway_v2_request` (plus its `Adapter`):
//! the same method (`requestContext.http.method`), URI (`rawPath` behind the stage
//! lambda_http adds, then `?` and `rawQueryString` as they are), headers (`cookies`
//! joined into one `Cookie` header), body and extensions (the request context, which
//! says HTTP API or function URL and holds the authorizer's claims, context or IAM
//! caller; the query parsed from `rawQueryString`, else `queryStringParameters`; path
//! parameters, stage variables, raw path, Lambda context), for every event this module
//! accepts. It declines, and lambda_http takes the event, for what `rest` declines (see
//! there), for a URI the `http` crate rejects, and for events with a top-level
//! `httpMethod`: lambda_http tries the REST format first, and `httpMethod` is what
//! that format requires, so only events without one are payload 2.0 for it.
//!
//! `tests/integration/serving_differential.rs` holds this module to lambda_http: the
//! fixtures, generated and mutated payload 2.0 events, through both.

use std::sync::LazyLock;

use axum::body::Body;
use http::header::COOKIE;
use http::{Extensions, HeaderValue, Request, Uri};
use lambda_http::aws_lambda_events::apigw::ApiGatewayV2httpRequestContext;
use lambda_http::aws_lambda_events::query_map::QueryMap;
use lambda_http::aws_lambda_events::query_map::serde::aws_api_gateway_v2;
use lambda_http::request::RequestContext;
use lambda_http::{Context, RequestExt};
use memchr::memmem::Finder;
use serde::Deserialize;
use serde::de::{self, Deserializer};

use super::rest::{Prepared, RawHeaders, Str, lambda_body, nullish, request_uri, single_values};

/// A payload 2.0 event, borrowing from the event bytes where it can. The fields, their
/// names (`path` is an alias of `rawPath`) and types are those of aws_lambda_events'
/// `ApiGatewayV2httpRequest`, so that both accept and reject the same documents.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct HttpApiEvent<'a> {
    /// Never there: a top-level `httpMethod` fails the parse (then the event is not
    /// ours, see the module docs), as early as it is met.
    #[serde(default, deserialize_with = "absent", rename = "httpMethod")]
    _http_method: (),
    // Fields read only to reject what lambda_http rejects: each a string or `null`.
    #[serde(default, borrow, rename = "type")]
    _kind: Option<Str<'a>>,
    #[serde(default, borrow, rename = "methodArn")]
    _method_arn: Option<Str<'a>>,
    #[serde(default, borrow, rename = "identitySource")]
    _identity_source: Option<Str<'a>>,
    #[serde(default, borrow, rename = "authorizationToken")]
    _authorization_token: Option<Str<'a>>,
    #[serde(default, borrow, rename = "resource")]
    _resource: Option<Str<'a>>,
    #[serde(default, borrow, rename = "version")]
    _version: Option<Str<'a>>,
    #[serde(default, borrow, rename = "routeKey")]
    _route_key: Option<Str<'a>>,
    #[serde(default, borrow, alias = "path")]
    raw_path: Option<Str<'a>>,
    #[serde(default, borrow)]
    raw_query_string: Option<Str<'a>>,
    #[serde(default, borrow)]
    cookies: Option<Vec<Str<'a>>>,
    #[serde(default, deserialize_with = "nullish")]
    headers: RawHeaders<'a>,
    #[serde(default, deserialize_with = "aws_api_gateway_v2::deserialize_empty")]
    query_string_parameters: QueryMap,
    #[serde(default, deserialize_with = "single_values")]
    path_parameters: QueryMap,
    request_context: ApiGatewayV2httpRequestContext,
    #[serde(default, deserialize_with = "single_values")]
    stage_variables: QueryMap,
    #[serde(default, borrow)]
    body: Option<Str<'a>>,
    /// Not `null`-tolerant, unlike the REST event's.
    #[serde(default)]
    is_base64_encoded: bool,
}

/// An error, whatever the value.
fn absent<'de, D: Deserializer<'de>>(_: D) -> Result<(), D::Error> {
    Err(de::Error::custom("a REST event (httpMethod)"))
}

/// Whether the event names `rawPath`, as every payload 2.0 event API Gateway and
/// function URLs send does (REST events do not): a hint of which fast path to try
/// first, not a decision. (Not the first key: events are not always in API Gateway's
/// order once a tool has re-serialised them.)
pub(super) fn names_raw_path(event: &[u8]) -> bool {
    // Built once: setting up the searcher costs more than searching a whole event.
    static RAW_PATH: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\"rawPath\""));
    RAW_PATH.find(event).is_some()
}

impl<'a> HttpApiEvent<'a> {
    /// Parses a payload 2.0 event; `None` when lambda_http must have the event (see
    /// the module docs).
    pub(super) fn parse(event: &'a [u8]) -> Option<Self> {
        // A JSON array would deserialise as a struct too, field by field in order.
        if event.trim_ascii_start().first() != Some(&b'{') {
            return None;
        }
        // Checked as UTF-8 once, so that serde_json does not check each string.
        let event = std::str::from_utf8(event).ok()?;
        serde_json::from_str(event).ok()
    }

    /// The URI, headers and body of the request, or `None` when lambda_http must have
    /// the event (see the module docs).
    pub(super) fn prepare(&self) -> Option<Prepared> {
        let mut headers = self.headers.to_map()?;
        let path = self.raw_path.as_ref().map_or("", |path| &path.0);
        let mut uri = request_uri(
            path,
            self.request_context.stage.as_deref(),
            &headers,
            self.request_context.domain_name.as_deref(),
        )?;
        if let Some(Str(query)) = &self.raw_query_string
            && !query.is_empty()
        {
            uri.push('?');
            uri.push_str(query);
        }
        // lambda_http builds the request with this URI and panics when it is invalid.
        let uri = Uri::try_from(uri).ok()?;
        if let Some(cookies) = &self.cookies {
            // As lambda_http: one header, replacing any `cookie` header; dropped when
            // the joined value is not a valid header value.
            let joined = cookies
                .iter()
                .map(|Str(cookie)| &**cookie)
                .collect::<Vec<_>>()
                .join("; ");
            if let Ok(value) = HeaderValue::from_str(&joined) {
                headers.insert(COOKIE, value);
            }
        }
        let body = lambda_body(
            self.body.as_ref().map(|body| &*body.0),
            self.is_base64_encoded,
        )?;
        Some(Prepared { uri, body, headers })
    }

    /// The request lambda_http would build, with the parts from [`prepare`](Self::prepare).
    pub(super) fn into_request(self, prepared: Prepared, context: Context) -> Request<Body> {
        let Self {
            raw_path,
            raw_query_string,
            query_string_parameters,
            path_parameters,
            request_context,
            stage_variables,
            ..
        } = self;
        // lambda_http parses `rawQueryString` (form-urlencoded) when there is one: API
        // Gateway's `queryStringParameters` joins repeated names with commas.
        let query = match raw_query_string {
            Some(Str(query)) => match query.parse::<QueryMap>() {
                Ok(query) => query,
                Err(never) => match never {},
            },
            None => query_string_parameters,
        };
        let method = request_context.http.method.clone();
        let extensions = Extensions::new()
            .with_raw_http_path(
                raw_path
                    .map(|Str(path)| path.into_owned())
                    .unwrap_or_default(),
            )
            .with_query_string_parameters(query)
            .with_path_parameters(path_parameters)
            .with_stage_variables(stage_variables)
            .with_request_context(RequestContext::ApiGatewayV2(request_context));
        prepared.into_request(method, extensions, context)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let path = format!(
            "{}/tests/fixtures/events/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
    }

    /// The differential test compares whole answers, which would agree if this path
    /// declined everything: the real payload 2.0 fixtures must take it.
    #[test]
    fn real_events_take_the_fast_path() {
        for name in [
            "function-url-lambda-http.json",
            "http-v2-aws-docs-jwt.json",
            "http-v2-custom-domain.json",
            "http-v2-default-stage-base64-body.json",
            "http-v2-iam-authorizer.json",
            "http-v2-lambda-authorizer.json",
            "http-v2-named-stage.json",
            "http-v2-proxy-lambda-http.json",
            "http-v2-stage-in-path-lambda-http.json",
        ] {
            let event = fixture(name);
            assert!(names_raw_path(event.as_bytes()), "{name}");
            let parsed = HttpApiEvent::parse(event.as_bytes()).unwrap_or_else(|| panic!("{name}"));
            assert!(parsed.prepare().is_some(), "{name}");
        }
        // SAM local's host is an IP address and port, which the URL parser rewrites.
        let sam = fixture("http-v2-sam-local.json");
        let parsed = HttpApiEvent::parse(sam.as_bytes()).unwrap();
        assert!(parsed.prepare().is_none());
    }

    #[test]
    fn rest_events_are_not_payload_2() {
        for name in ["rest-v1-stage.json", "rest-v1-multi-value.json"] {
            let event = fixture(name);
            assert!(!names_raw_path(event.as_bytes()), "{name}");
            assert!(HttpApiEvent::parse(event.as_bytes()).is_none(), "{name}");
        }
    }

    #[test]
    fn raw_path_anywhere() {
        assert!(names_raw_path(b"{\"body\": null, \"rawPath\": \"/\"}"));
        assert!(!names_raw_path(b"{\"path\": \"/rawPath\"}"));
        assert!(!names_raw_path(b""));
    }
}
