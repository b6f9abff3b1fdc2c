//! REST API (proxy payload 1.0) events straight to an `http::Request`, without
//! lambda_http's detour through owned event structs, `url::Url` and string rebuilding.
//!
//! The contract is lambda_http 1.3's `into_proxy_request` (plus its `Adapter`): the same
//! method, URI, merged headers, body and extensions (request context, path and query
//! parameters, stage variables, raw path, Lambda context), for every event this module
//! accepts. Whatever it is unsure about it declines, and the caller hands the event to
//! lambda_http instead:
//!
//! - the event does not parse here (invalid UTF-8, a type lambda_http might still
//!   accept, such as header values given as byte arrays, or no REST event at all);
//! - the URI would need more of the WHATWG URL parser than percent-encoding a few
//!   characters: dot segments, `?`, `#` or `\` in the path, control characters, a host
//!   that is not a plain lowercase DNS name (IP addresses, IDNA, user info, default or
//!   odd ports), a scheme other than `https`/`http`;
//! - a body flagged base64 that is not (lambda_http answers that with a panic, which
//!   the handler turns into a `400`).
//!
//! Fields are deserialised with the same types and helpers where it matters for
//! equality (`requestContext` is aws_lambda_events' own struct; the query maps use
//! query_map's own `Deserialize`); the headers, where lambda_http spent most of its time
//! (an untagged enum buffering every value and formatting an error for each array), are
//! read as borrowed strings and built into the same `HeaderMap`. When `headers` and
//! `multiValueHeaders` name the same headers in the same order, as API Gateway sends
//! them, the merged map is the `headers` one and `multiValueHeaders` is only checked.
//!
//! The response side writes lambda_http's `ApiGatewayProxyResponse` JSON (as a
//! `serde_json::Value`) from the axum response, deciding text or base64 as lambda_http
//! does; bodies in a charset other than UTF-8 go through lambda_http's own conversion.
//!
//! The event readers, the URI and the response writer are shared with `http_api`, the
//! same shortcut for payload 2.0 events.
//!
//! `tests/integration/serving_differential.rs` holds this module to lambda_http: every
//! event fixture, generated and mutated REST events, through both, with an echo router.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use axum::body::{Body, Bytes};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http::header::{HOST, HeaderName, SET_COOKIE};
use http::{Extensions, HeaderMap, HeaderValue, Method, Request, Uri};
use lambda_http::aws_lambda_events::apigw::ApiGatewayProxyRequestContext;
use lambda_http::aws_lambda_events::query_map::QueryMap;
use lambda_http::request::RequestContext;
use lambda_http::{Body as LambdaBody, Context, RequestExt};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

/// lambda_http leaves the stage out of REST URIs when this is set (to valid Unicode).
const IGNORE_STAGE_ENV: &str = "AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH";

/// A REST API proxy event, borrowing from the event bytes where it can. The fields,
/// their names and which are required are those of aws_lambda_events'
/// `ApiGatewayProxyRequest`, so that both accept and reject the same documents
/// (duplicate fields, missing `httpMethod`/`requestContext`, wrong types).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RestEvent<'a> {
    /// Not used for the request; read to reject what lambda_http rejects.
    #[serde(default, borrow, rename = "resource")]
    _resource: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    path: Option<Cow<'a, str>>,
    #[serde(deserialize_with = "method")]
    http_method: Method,
    #[serde(default, deserialize_with = "nullish")]
    headers: RawHeaders<'a>,
    #[serde(default, deserialize_with = "nullish")]
    multi_value_headers: RawHeaders<'a>,
    /// `null` is `None`, anything else `QueryMap`'s own `Deserialize`: what query_map's
    /// `deserialize_empty` (used by aws_lambda_events) reads, `None` kept apart.
    #[serde(default)]
    query_string_parameters: Option<QueryMap>,
    #[serde(default)]
    multi_value_query_string_parameters: Option<QueryMap>,
    #[serde(default, deserialize_with = "single_values")]
    path_parameters: QueryMap,
    #[serde(default, deserialize_with = "single_values")]
    stage_variables: QueryMap,
    request_context: ApiGatewayProxyRequestContext,
    #[serde(default, borrow)]
    body: Option<Cow<'a, str>>,
    #[serde(default, deserialize_with = "nullish")]
    is_base64_encoded: bool,
}

/// What [`RestEvent::prepare`] makes of an event before it becomes a request.
pub(super) struct Prepared {
    pub(super) uri: Uri,
    pub(super) body: Body,
    pub(super) headers: HeaderMap,
}

impl<'a> RestEvent<'a> {
    /// Parses a REST event; `None` when lambda_http must have the event (see the
    /// module docs).
    pub(super) fn parse(event: &'a [u8]) -> Option<Self> {
        // A JSON array would deserialise as a struct too, field by field in order.
        let first = event.iter().find(|byte| !byte.is_ascii_whitespace());
        if first != Some(&b'{') {
            return None;
        }
        // Checked as UTF-8 once, so that serde_json does not check each string.
        let event = std::str::from_utf8(event).ok()?;
        serde_json::from_str(event).ok()
    }

    /// The URI, headers and body of the request, or `None` when lambda_http must have
    /// the event (see the module docs).
    pub(super) fn prepare(&self) -> Option<Prepared> {
        let headers = self.headers.to_map()?;
        let uri = self.uri(&headers)?;
        let body = lambda_body(self.body.as_deref(), self.is_base64_encoded)?;
        // lambda_http: "make multi_value_headers our canonical source of request
        // headers", with `headers` replacing what it repeats.
        let merged = if self.headers.same_names(&self.multi_value_headers) {
            // The usual event: both maps name the same headers in the same order, so the
            // merge is `headers`; what `multiValueHeaders` says must still be valid.
            self.multi_value_headers.check_values()?;
            headers
        } else {
            let mut merged = self.multi_value_headers.to_map()?;
            merged.extend(headers);
            merged
        };
        Some(Prepared {
            uri,
            body,
            headers: merged,
        })
    }

    /// The request lambda_http would build, with the parts from [`prepare`](Self::prepare).
    pub(super) fn into_request(self, prepared: Prepared, context: Context) -> Request<Body> {
        let Self {
            path,
            http_method,
            query_string_parameters,
            multi_value_query_string_parameters,
            path_parameters,
            stage_variables,
            request_context,
            ..
        } = self;
        // lambda_http: the multi-value map unless it is empty.
        let query = match multi_value_query_string_parameters {
            Some(multi) if !multi.is_empty() => multi,
            _ => query_string_parameters.unwrap_or_default(),
        };
        let extensions = Extensions::new()
            .with_raw_http_path(path.map(Cow::into_owned).unwrap_or_default())
            .with_query_string_parameters(query)
            .with_path_parameters(path_parameters)
            .with_stage_variables(stage_variables)
            .with_request_context(RequestContext::ApiGatewayV1(request_context));
        prepared.into_request(http_method, extensions, context)
    }

    /// lambda_http's URI (see [`request_uri`]), then `?` and the query map re-encoded
    /// (form-urlencoded, in the map's order).
    fn uri(&self, headers: &HeaderMap) -> Option<Uri> {
        let path = self.path.as_deref().unwrap_or_default();
        let mut uri = request_uri(
            path,
            self.request_context.stage.as_deref(),
            headers,
            self.request_context.domain_name.as_deref(),
        )?;
        let query = [
            &self.multi_value_query_string_parameters,
            &self.query_string_parameters,
        ]
        .into_iter()
        .flatten()
        .find(|map| !map.is_empty());
        if let Some(query) = query {
            uri.push('?');
            uri.push_str(&query.to_query_string());
        }
        Uri::try_from(uri).ok()
    }
}

impl Prepared {
    /// The request with `method` and `extensions`, and what lambda_http's `Adapter`
    /// adds: the invocation's X-Ray trace id as `x-amzn-trace-id` and the Lambda context.
    pub(super) fn into_request(
        self,
        method: Method,
        extensions: Extensions,
        context: Context,
    ) -> Request<Body> {
        let Self {
            uri,
            body,
            mut headers,
        } = self;
        let mut request = Request::new(body);
        *request.method_mut() = method;
        *request.uri_mut() = uri;
        if let Some(trace_id) = context.xray_trace_id.as_deref()
            && let Ok(value) = HeaderValue::from_str(trace_id)
        {
            headers.insert(HeaderName::from_static("x-amzn-trace-id"), value);
        }
        *request.headers_mut() = headers;
        *request.extensions_mut() = extensions.with_lambda_context(context);
        request
    }
}

/// lambda_http's own body type for an event's `body` (decoded when flagged base64), so
/// that handlers see the same size hint and end of stream (an empty `Body::Text` is not
/// at its end; `Body::Empty` has no exact size); `None` for invalid base64, on which
/// lambda_http panics.
pub(super) fn lambda_body(body: Option<&str>, base64: bool) -> Option<Body> {
    let body = match body {
        None => LambdaBody::Empty,
        Some(body) if base64 => LambdaBody::Binary(STANDARD.decode(body).ok()?),
        Some(body) => LambdaBody::Text(body.to_owned()),
    };
    Some(Body::new(body))
}

/// lambda_http's URI without the query: `{scheme}://{host}/{stage}{path}` run through
/// `url::Url` (the host from `Host`, else the request context's `domainName`; only the
/// path without either), the stage as [`added_stage`] says. `None` when `Url` would do
/// more than percent-encoding (see the module docs).
pub(super) fn request_uri(
    path: &str,
    stage: Option<&str>,
    headers: &HeaderMap,
    domain_name: Option<&str>,
) -> Option<String> {
    let stage = added_stage(stage, path);
    let host = headers
        .get(HOST)
        .and_then(|host| host.to_str().ok())
        .or(domain_name);
    let mut uri = String::with_capacity(96 + path.len());
    if let Some(host) = host {
        let scheme = headers
            .get("x-forwarded-proto")
            .and_then(|proto| proto.to_str().ok())
            .unwrap_or("https");
        let default_port = match scheme {
            "https" => "443",
            "http" => "80",
            _ => return None,
        };
        uri.push_str(scheme);
        uri.push_str("://");
        push_url_host(&mut uri, host, default_port)?;
    }
    let path_start = uri.len();
    if let Some(stage) = stage {
        uri.push('/');
        push_url_path(&mut uri, stage)?;
    }
    push_url_path(&mut uri, path)?;
    // The URL parser trims trailing spaces (of the unescaped path).
    let last = match path.as_bytes().last() {
        Some(last) => Some(last),
        None => stage.and_then(|stage| stage.as_bytes().last()),
    };
    let url_path = &uri[path_start..];
    if url_path.is_empty() {
        uri.push('/');
    } else if !url_path.starts_with('/')
        || last == Some(&b' ')
        || url_path.split('/').any(is_dot_segment)
    {
        return None;
    }
    Some(uri)
}

/// The stage lambda_http's `apigw_path_with_stage` puts in front of the path: none for
/// `$default`, when the path starts with it already, or when the environment says so.
pub(super) fn added_stage<'s>(stage: Option<&'s str>, path: &str) -> Option<&'s str> {
    let stage = match stage {
        None | Some("$default") => return None,
        Some(stage) => stage,
    };
    let has_stage = path
        .strip_prefix('/')
        .and_then(|rest| rest.strip_prefix(stage))
        .is_some_and(|rest| rest.starts_with('/'));
    (!has_stage && std::env::var(IGNORE_STAGE_ENV).is_err()).then_some(stage)
}

/// Appends `path` as `url::Url` serialises a path of a special scheme, when that is only
/// percent-encoding (the WHATWG path percent-encode set); `None` for characters the URL
/// parser treats otherwise (`\`, `?`, `#`, control characters). The caller checks the
/// whole path for what spans pieces (dot segments, leading `/`, trailing spaces).
fn push_url_path(out: &mut String, path: &str) -> Option<()> {
    let mut plain = 0;
    for (index, byte) in path.bytes().enumerate() {
        match byte {
            0..=0x1f | 0x7f | b'?' | b'#' | b'\\' => return None,
            b' ' | b'"' | b'<' | b'>' | b'`' | b'{' | b'}' | 0x80..=0xff => {
                // Empty when escaping the bytes of one character, where `plain` is
                // not a character boundary.
                if plain < index {
                    out.push_str(&path[plain..index]);
                }
                push_escaped(out, byte);
                plain = index + 1;
            }
            _ => {}
        }
    }
    if plain < path.len() {
        out.push_str(&path[plain..]);
    }
    Some(())
}

/// `.` or `..`, each dot possibly written `%2e` or `%2E`: the URL parser resolves these.
fn is_dot_segment(segment: &str) -> bool {
    let mut rest = segment.as_bytes();
    let mut dots = 0;
    while !rest.is_empty() {
        rest = match rest {
            [b'.', after @ ..] | [b'%', b'2', b'e' | b'E', after @ ..] => after,
            _ => return false,
        };
        dots += 1;
    }
    dots == 1 || dots == 2
}

fn push_escaped(out: &mut String, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(char::from(HEX[usize::from(byte >> 4)]));
    out.push(char::from(HEX[usize::from(byte & 0xf)]));
}

/// Appends `host` as `url::Url` serialises it, when it is a DNS name of ASCII letters,
/// digits and hyphens (lowercased), optionally with a non-default port; `None` for IP
/// addresses, IDNA (`xn--`) labels, empty labels, user info and odd ports.
fn push_url_host(out: &mut String, host: &str, default_port: &str) -> Option<()> {
    let (name, port) = match host.as_bytes().iter().position(|&byte| byte == b':') {
        Some(colon) => (&host[..colon], Some(&host[colon + 1..])),
        None => (host, None),
    };
    if let Some(port) = port {
        let valid = (1..=5).contains(&port.len())
            && !port.starts_with('0')
            && port.bytes().all(|byte| byte.is_ascii_digit())
            && port.parse::<u32>().is_ok_and(|port| port <= 65535)
            && port != default_port;
        if !valid {
            return None;
        }
    }
    let mut label_start = 0;
    for (index, byte) in name.bytes().chain([b'.']).enumerate() {
        if byte == b'.' {
            let label = &name.as_bytes()[label_start..index];
            let is_last = index == name.len();
            let valid = !label.is_empty()
                && !label
                    .get(..4)
                    .is_some_and(|start| start.eq_ignore_ascii_case(b"xn--"))
                // The last label decides whether the URL parser reads an IPv4 address.
                && (!is_last || !label[0].is_ascii_digit());
            if !valid {
                return None;
            }
            label_start = index + 1;
        } else if !(byte.is_ascii_alphanumeric() || byte == b'-') {
            return None;
        }
    }
    let start = out.len();
    out.push_str(host);
    out[start..].make_ascii_lowercase();
    Some(())
}

/// aws_lambda_events' `http_method` deserialiser: an empty string is `GET`.
fn method<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Method, D::Error> {
    struct MethodVisitor;
    impl Visitor<'_> for MethodVisitor {
        type Value = Method;
        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("valid method name")
        }
        fn visit_str<E: de::Error>(self, value: &str) -> Result<Method, E> {
            if value.is_empty() {
                Ok(Method::GET)
            } else {
                value
                    .parse()
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(value), &self))
            }
        }
    }
    deserializer.deserialize_str(MethodVisitor)
}

/// What aws_lambda_events reads into a `HashMap<String, String>` (`null` is empty, a
/// repeated name keeps its last value) and lambda_http then turns into a `QueryMap` of
/// one value per name, built in one go.
pub(super) fn single_values<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<QueryMap, D::Error> {
    struct SingleValues;
    impl<'de> Visitor<'de> for SingleValues {
        type Value = QueryMap;
        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("a map of strings")
        }
        fn visit_unit<E: de::Error>(self) -> Result<QueryMap, E> {
            Ok(QueryMap::default())
        }
        fn visit_none<E: de::Error>(self) -> Result<QueryMap, E> {
            Ok(QueryMap::default())
        }
        fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<QueryMap, D::Error> {
            deserializer.deserialize_map(self)
        }
        fn visit_map<M: MapAccess<'de>>(self, mut access: M) -> Result<QueryMap, M::Error> {
            let mut map = HashMap::new();
            while let Some((name, value)) = access.next_entry::<String, String>()? {
                map.insert(name, vec![value]);
            }
            Ok(QueryMap::from(map))
        }
    }
    deserializer.deserialize_option(SingleValues)
}

/// aws_lambda_events' `deserialize_nullish`: `null` is the default.
pub(super) fn nullish<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// `headers` or `multiValueHeaders` as the event has them: a map of a string or an
/// array of strings (`null` is none, read by [`nullish`]; aws_lambda_events' third
/// form, arrays of byte arrays, is left to lambda_http: an error here).
#[derive(Default)]
pub(super) struct RawHeaders<'de>(Vec<(Str<'de>, OneOrMore<'de>)>);

impl RawHeaders<'_> {
    /// The `HeaderMap` aws_lambda_events' `deserialize_headers` builds: names
    /// lowercased, a string inserted (replacing earlier values of the name), an array
    /// appended; `None` for an invalid name or value.
    pub(super) fn to_map(&self) -> Option<HeaderMap> {
        let mut map = HeaderMap::with_capacity(self.0.len());
        for (Str(name), values) in &self.0 {
            let name = HeaderName::from_bytes(name.as_bytes()).ok()?;
            let value = |value: &str| HeaderValue::from_str(value).ok();
            match values {
                OneOrMore::One(Str(one)) => {
                    map.insert(name, value(one)?);
                }
                OneOrMore::More(None, _) => {}
                OneOrMore::More(Some(Str(first)), rest) if rest.is_empty() => {
                    map.append(name, value(first)?);
                }
                OneOrMore::More(Some(first), rest) => {
                    for Str(one) in std::iter::once(first).chain(rest) {
                        map.append(&name, value(one)?);
                    }
                }
            }
        }
        Some(map)
    }

    /// Whether `self` and `other` have the same header names (as written) in the same
    /// order, each with at least one value. Their maps then have the same names in the
    /// same order, and `other_map.extend(self_map)` is `self_map`.
    fn same_names(&self, other: &Self) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(&other.0)
                .all(|((name, values), (other_name, other_values))| {
                    name.0 == other_name.0 && values.is_some() && other_values.is_some()
                })
    }

    /// `None` if a value is not a valid header value (names: see `same_names`).
    fn check_values(&self) -> Option<()> {
        for (_, values) in &self.0 {
            let (first, rest): (&Str<'_>, &[Str<'_>]) = match values {
                OneOrMore::One(one) => (one, &[]),
                OneOrMore::More(Some(first), rest) => (first, rest),
                OneOrMore::More(None, _) => continue,
            };
            for Str(value) in std::iter::once(first).chain(rest) {
                if !value.bytes().all(is_header_value_byte) {
                    return None;
                }
            }
        }
        Some(())
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for RawHeaders<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RawHeadersVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for RawHeadersVisitor<'a> {
            type Value = RawHeaders<'a>;
            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a map of header values")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut access: M) -> Result<Self::Value, M::Error> {
                let mut entries = Vec::with_capacity(8);
                while let Some(entry) = access.next_entry::<Str<'a>, OneOrMore<'a>>()? {
                    entries.push(entry);
                }
                Ok(RawHeaders(entries))
            }
        }
        deserializer.deserialize_map(RawHeadersVisitor(std::marker::PhantomData))
    }
}

/// Whether `HeaderValue::from_str` accepts this byte (http 1.x: visible ASCII, space,
/// tab and obs-text), without building the value.
fn is_header_value_byte(byte: u8) -> bool {
    byte >= 32 && byte != 127 || byte == b'\t'
}

/// A JSON string, borrowed unless it had escapes.
#[derive(Deserialize)]
#[serde(transparent)]
pub(super) struct Str<'a>(#[serde(borrow)] pub(super) Cow<'a, str>);

/// A header's value: one string or an array of strings (the first one kept apart, so
/// that the usual array of one needs no allocation).
enum OneOrMore<'de> {
    One(Str<'de>),
    More(Option<Str<'de>>, Vec<Str<'de>>),
}

impl OneOrMore<'_> {
    /// At least one value.
    fn is_some(&self) -> bool {
        !matches!(self, Self::More(None, _))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for OneOrMore<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OneOrMoreVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for OneOrMoreVisitor<'a> {
            type Value = OneOrMore<'a>;
            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a string or an array of strings")
            }
            fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Self::Value, E> {
                Ok(OneOrMore::One(Str(Cow::Borrowed(value))))
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
                Ok(OneOrMore::One(Str(Cow::Owned(value.to_owned()))))
            }
            fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
                Ok(OneOrMore::One(Str(Cow::Owned(value))))
            }
            fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
                let first = seq.next_element::<Str<'a>>()?;
                let mut rest = Vec::new();
                if first.is_some() {
                    while let Some(one) = seq.next_element::<Str<'a>>()? {
                        rest.push(one);
                    }
                }
                Ok(OneOrMore::More(first, rest))
            }
        }
        deserializer.deserialize_any(OneOrMoreVisitor(std::marker::PhantomData))
    }
}

/// Why a response could not be written; the handler answers `500` and logs this.
pub(super) type ResponseError = &'static str;

/// Which proxy response an event source expects.
#[derive(Clone, Copy)]
pub(super) enum ProxyFormat {
    /// REST APIs (payload 1.0): `LambdaResponse::ApiGatewayV1`.
    Rest,
    /// HTTP APIs and function URLs (payload 2.0): `LambdaResponse::ApiGatewayV2`.
    HttpApi,
}

/// The proxy response JSON lambda_http writes (its `LambdaResponse`, then
/// `serde_json::to_value`): `statusCode`, the body as text or base64 with
/// `isBase64Encoded`, and the headers as the format has them:
///
/// - REST: empty `headers`, every header in `multiValueHeaders` (API Gateway would
///   merge the two);
/// - HTTP API: `Set-Cookie` values in `cookies`, the first value of every other header
///   in `headers` (lambda_http's `serialize_headers`: later values of a name are
///   dropped), an empty `multiValueHeaders`.
///
/// Text or binary is decided as lambda_http does (`Content-Encoding` → binary; no
/// `Content-Type`, a text type, or `x-lambda-http-content-encoding: text` → text);
/// text bodies in UTF-8 are used as they are, anything else (a `charset` other than
/// UTF-8, a byte-order mark, invalid UTF-8) goes through lambda_http's own conversion.
pub(super) async fn proxy_response(
    response: axum::response::Response,
    format: ProxyFormat,
) -> Result<serde_json::Value, ResponseError> {
    use serde_json::{Map, Value};

    let (mut parts, body) = response.into_parts();
    let text = is_text(&parts.headers);
    let bytes = collect(body)
        .await
        .ok_or("could not read the response body")?;
    let (body, is_base64) = match text {
        Some(true) => match utf8_text(&bytes) {
            Some(text) => (Some(text.to_owned()), false),
            None => lambda_http_body(&parts, bytes).await,
        },
        Some(false) => (Some(STANDARD.encode(&bytes)), true),
        None => lambda_http_body(&parts, bytes).await,
    };
    let unserialisable = "could not serialise the Lambda response";
    let string = |value: &HeaderValue| {
        std::str::from_utf8(value.as_bytes()).map(|value| Value::String(value.to_owned()))
    };
    let mut object = Map::new();
    object.insert("statusCode".to_owned(), Value::from(parts.status.as_u16()));
    match format {
        ProxyFormat::Rest => {
            let mut headers = Map::new();
            for name in parts.headers.keys() {
                let values = parts
                    .headers
                    .get_all(name)
                    .iter()
                    .map(string)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|_| unserialisable)?;
                headers.insert(name.as_str().to_owned(), Value::Array(values));
            }
            object.insert("headers".to_owned(), Value::Object(Map::new()));
            object.insert("multiValueHeaders".to_owned(), Value::Object(headers));
        }
        ProxyFormat::HttpApi => {
            // lambda_http: a cookie that is not visible ASCII becomes an empty string.
            let cookies = parts
                .headers
                .get_all(SET_COOKIE)
                .iter()
                .map(|value| Value::String(value.to_str().unwrap_or_default().to_owned()))
                .collect();
            parts.headers.remove(SET_COOKIE);
            let mut headers = Map::new();
            for name in parts.headers.keys() {
                let value = string(&parts.headers[name]).map_err(|_| unserialisable)?;
                headers.insert(name.as_str().to_owned(), value);
            }
            object.insert("headers".to_owned(), Value::Object(headers));
            object.insert("multiValueHeaders".to_owned(), Value::Object(Map::new()));
            object.insert("cookies".to_owned(), Value::Array(cookies));
        }
    }
    if let Some(body) = body {
        object.insert("body".to_owned(), Value::String(body));
    }
    object.insert("isBase64Encoded".to_owned(), Value::Bool(is_base64));
    Ok(Value::Object(object))
}

/// The whole body (its data frames; `None` on an error), without a copy when it is one
/// frame, as bodies of axum responses usually are.
async fn collect(body: Body) -> Option<Bytes> {
    use axum::body::HttpBody;

    let mut body = std::pin::pin!(body);
    let mut first: Option<Bytes> = None;
    let mut more: Vec<u8> = Vec::new();
    while let Some(frame) = std::future::poll_fn(|cx| body.as_mut().poll_frame(cx)).await {
        let Ok(data) = frame.ok()?.into_data() else {
            continue;
        };
        match &first {
            None => first = Some(data),
            Some(first) => {
                if more.is_empty() {
                    more.extend_from_slice(first);
                }
                more.extend_from_slice(&data);
            }
        }
    }
    Some(if more.is_empty() {
        first.unwrap_or_default()
    } else {
        Bytes::from(more)
    })
}

/// lambda_http's `ConvertBody` choice: `Some(true)` for text, `Some(false)` for binary,
/// `None` for text in an encoding lambda_http would pick from a `charset` parameter.
fn is_text(headers: &HeaderMap) -> Option<bool> {
    const PREFIXES: [&str; 5] = [
        "text",
        "application/json",
        "application/javascript",
        "application/xml",
        "application/yaml",
    ];
    const SUFFIXES: [&str; 3] = ["+xml", "+yaml", "+json"];
    if headers.contains_key(http::header::CONTENT_ENCODING) {
        return Some(false);
    }
    let Some(content_type) = headers.get(http::header::CONTENT_TYPE) else {
        return Some(true);
    };
    let content_type = content_type.to_str().unwrap_or_default();
    let text = PREFIXES
        .iter()
        .any(|prefix| content_type.starts_with(prefix))
        || SUFFIXES.iter().any(|suffix| {
            let mime = content_type.trim().split(';').next().unwrap_or_default();
            mime.ends_with(suffix)
        })
        || headers
            .get("x-lambda-http-content-encoding")
            .is_some_and(|value| value == "text");
    if !text {
        return Some(false);
    }
    utf8_charset(content_type).then_some(true)
}

/// Whether lambda_http decodes a text body of this content type as UTF-8: no `charset`
/// at all (or an unparsable type), or exactly one, `charset=utf-8`.
fn utf8_charset(content_type: &str) -> bool {
    const CHARSET: &[u8] = b"charset";
    let bytes = content_type.as_bytes();
    let mut found = (0..bytes.len().saturating_sub(CHARSET.len() - 1))
        .filter(|&at| bytes[at..at + CHARSET.len()].eq_ignore_ascii_case(CHARSET));
    let Some(at) = found.next() else {
        return true;
    };
    if found.next().is_some() {
        return false;
    }
    let rest = &bytes[at + CHARSET.len()..];
    rest.get(..6)
        .is_some_and(|value| value.eq_ignore_ascii_case(b"=utf-8"))
        && matches!(rest.get(6), None | Some(b';' | b' '))
}

/// The body as UTF-8 text, when encoding_rs's UTF-8 decoder would give it unchanged
/// (valid UTF-8 without a byte-order mark it would sniff).
fn utf8_text(bytes: &[u8]) -> Option<&str> {
    let bom = bytes.starts_with(&[0xef, 0xbb, 0xbf])
        || bytes.starts_with(&[0xff, 0xfe])
        || bytes.starts_with(&[0xfe, 0xff]);
    if bom {
        return None;
    }
    std::str::from_utf8(bytes).ok()
}

/// The body through lambda_http's own conversion: the text (decoded) or base64.
async fn lambda_http_body(
    parts: &http::response::Parts,
    bytes: axum::body::Bytes,
) -> (Option<String>, bool) {
    use lambda_http::IntoResponse as _;

    let mut response = http::Response::new(Body::from(bytes));
    *response.headers_mut() = parts.headers.clone();
    match response.into_response().await.into_body() {
        LambdaBody::Text(text) => (Some(text), false),
        LambdaBody::Binary(binary) => (Some(STANDARD.encode(binary)), true),
        _ => (None, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url_path(path: &str) -> Option<String> {
        let mut out = String::new();
        push_url_path(&mut out, path)?;
        let ok = out.is_empty()
            || out.starts_with('/') && !path.ends_with(' ') && !out.split('/').any(is_dot_segment);
        ok.then(|| if out.is_empty() { "/".to_owned() } else { out })
    }

    fn url_host(host: &str, default_port: &str) -> Option<String> {
        let mut out = String::new();
        push_url_host(&mut out, host, default_port)?;
        Some(out)
    }

    #[test]
    fn paths_are_escaped_like_url_does() {
        assert_eq!(url_path("").unwrap(), "/");
        assert_eq!(url_path("/a b/é").unwrap(), "/a%20b/%C3%A9");
        assert_eq!(url_path("/a%2Fb/{x}").unwrap(), "/a%2Fb/%7Bx%7D");
        for declined in [
            "a", "/a/../b", "/a/%2E", "/a?b", "/a#b", "/a\\b", "/a\tb", "/a ",
        ] {
            assert!(url_path(declined).is_none(), "{declined}");
        }
    }

    #[test]
    fn hosts_are_plain_dns_names() {
        assert_eq!(
            url_host("API.example.com", "443").unwrap(),
            "api.example.com"
        );
        assert_eq!(url_host("localhost:8080", "443").unwrap(), "localhost:8080");
        for declined in [
            "",
            "a..b",
            "1.2.3.4",
            "a.0x1",
            "xn--a.com",
            "a:443",
            "a:08",
            "u@a",
            "[::1]",
        ] {
            assert!(url_host(declined, "443").is_none(), "{declined}");
        }
    }

    #[test]
    fn charsets_lambda_http_reads_as_utf8() {
        for utf8 in [
            "text/plain",
            "text/plain;charset=UTF-8",
            "application/json; charset=utf-8 ",
        ] {
            assert!(utf8_charset(utf8), "{utf8}");
        }
        for other in [
            "text/plain; charset=utf-8x",
            "a; charset=utf-8; charset=latin1",
            "a;charset=\"utf-8\"",
        ] {
            assert!(!utf8_charset(other), "{other}");
        }
    }

    #[test]
    fn header_value_bytes_are_those_http_accepts() {
        for byte in 0..=255u8 {
            let accepted = HeaderValue::from_bytes(&[b'a', byte]).is_ok();
            assert_eq!(is_header_value_byte(byte), accepted, "{byte:#x}");
        }
    }

    #[test]
    fn stage_prefix() {
        assert_eq!(added_stage(Some("dev"), "/dev/a"), None);
        assert_eq!(added_stage(Some("dev"), "/devx"), Some("dev"));
        assert_eq!(added_stage(Some("$default"), "/a"), None);
        assert_eq!(added_stage(None, "/a"), None);
    }
}
