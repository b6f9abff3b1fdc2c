//! REST API (proxy payload 1.0) events straight to an `http::Request`, without
//! lambda_http's detour through owned event structs, `url::Url` and string rebuilding.
//!
//! The contract is lambda_http 1.3's `into_proxy_request` (plus its `Adapter`): the same
//! method, URI, merged headers, body and extensions (request context, path and query
//! parameters, stage variables, raw path, Lambda context), for every event this module
//! accepts. Whatever it is unsure about it declines, and the caller hands the event to
//! lambda_http instead:
//!
//! - the event does not parse here (a type lambda_http might still accept, such as
//!   header values given as byte arrays, or no REST event at all);
//! - the URI would need more of the WHATWG URL parser than percent-encoding a few
//!   characters: dot segments, `?`, `#` or `\` in the path, control characters, a host
//!   that is not a plain lowercase DNS name (IP addresses, IDNA, user info, default or
//!   odd ports), a scheme other than `https`/`http`;
//! - a body flagged base64 that is not (lambda_http answers that with a panic, which
//!   the handler turns into a `400`).
//!
//! Fields are deserialised with the same types and helpers where it matters for
//! equality (`requestContext` is aws_lambda_events' own struct; the query maps use
//! query_map's own deserialiser); the headers, where lambda_http spends most of its
//! time (an untagged enum buffering every value), have a visitor of their own that
//! accepts a subset of what lambda_http's accepts and builds the same `HeaderMap`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use axum::body::Body;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http::header::{HOST, HeaderName};
use http::{HeaderMap, HeaderValue, Method, Request, Uri};
use lambda_http::aws_lambda_events::apigw::ApiGatewayProxyRequestContext;
use lambda_http::aws_lambda_events::query_map::QueryMap;
use lambda_http::aws_lambda_events::query_map::serde::standard::deserialize_empty as query_map;
use lambda_http::request::RequestContext;
use lambda_http::{Context, RequestExt};
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
    #[serde(default, deserialize_with = "headers")]
    headers: HeaderMap,
    #[serde(default, deserialize_with = "headers")]
    multi_value_headers: HeaderMap,
    #[serde(default, deserialize_with = "query_map")]
    query_string_parameters: QueryMap,
    #[serde(default, deserialize_with = "query_map")]
    multi_value_query_string_parameters: QueryMap,
    #[serde(default, deserialize_with = "nullish")]
    path_parameters: HashMap<String, String>,
    #[serde(default, deserialize_with = "nullish")]
    stage_variables: HashMap<String, String>,
    request_context: ApiGatewayProxyRequestContext,
    #[serde(default, borrow)]
    body: Option<Cow<'a, str>>,
    #[serde(default, deserialize_with = "nullish")]
    is_base64_encoded: bool,
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
        serde_json::from_slice(event).ok()
    }

    /// The URI and body of the request, or `None` when lambda_http must have the event
    /// (see the module docs).
    pub(super) fn prepare(&self) -> Option<(Uri, Body)> {
        let uri = self.uri()?;
        let body = match self.body.as_deref() {
            None => Body::empty(),
            Some(body) if self.is_base64_encoded => Body::from(STANDARD.decode(body).ok()?),
            Some(body) => Body::from(body.to_owned()),
        };
        Some((uri, body))
    }

    /// The request lambda_http would build, with the parts from [`prepare`](Self::prepare).
    pub(super) fn into_request(self, uri: Uri, body: Body, context: Context) -> Request<Body> {
        let Self {
            path,
            http_method,
            headers,
            multi_value_headers,
            query_string_parameters,
            multi_value_query_string_parameters,
            path_parameters,
            stage_variables,
            request_context,
            ..
        } = self;
        let mut request = Request::new(body);
        *request.method_mut() = http_method;
        *request.uri_mut() = uri;
        // lambda_http: "make multi_value_headers our canonical source of request
        // headers", with `headers` replacing what it repeats.
        let mut merged = multi_value_headers;
        merged.extend(headers);
        // lambda_http's Adapter: the X-Ray trace id of the invocation.
        if let Some(trace_id) = context.xray_trace_id.as_deref()
            && let Ok(value) = HeaderValue::from_str(trace_id)
        {
            merged.insert(HeaderName::from_static("x-amzn-trace-id"), value);
        }
        *request.headers_mut() = merged;
        let query = if multi_value_query_string_parameters.is_empty() {
            query_string_parameters
        } else {
            multi_value_query_string_parameters
        };
        let extensions = std::mem::take(request.extensions_mut())
            .with_raw_http_path(path.map(Cow::into_owned).unwrap_or_default())
            .with_query_string_parameters(query)
            .with_path_parameters(path_parameters)
            .with_stage_variables(stage_variables)
            .with_request_context(RequestContext::ApiGatewayV1(request_context))
            .with_lambda_context(context);
        *request.extensions_mut() = extensions;
        request
    }

    /// lambda_http's URI: `{scheme}://{host}/{stage}{path}` run through `url::Url`,
    /// then `?` and the query map re-encoded (form-urlencoded, in the map's order);
    /// only the path (and query) without a host. `None` when `Url` would do more than
    /// this module does.
    fn uri(&self) -> Option<Uri> {
        let raw_path = self.path.as_deref().unwrap_or_default();
        let path = path_with_stage(self.request_context.stage.as_deref(), raw_path);
        let path = url_path(&path)?;
        let host = self
            .headers
            .get(HOST)
            .and_then(|host| host.to_str().ok())
            .or(self.request_context.domain_name.as_deref());
        let mut uri = match host {
            None => path.into_owned(),
            Some(host) => {
                let scheme = self
                    .headers
                    .get("x-forwarded-proto")
                    .and_then(|proto| proto.to_str().ok())
                    .unwrap_or("https");
                let default_port = match scheme {
                    "https" => "443",
                    "http" => "80",
                    _ => return None,
                };
                let host = url_host(host, default_port)?;
                let mut uri = String::with_capacity(scheme.len() + 3 + host.len() + path.len());
                uri.push_str(scheme);
                uri.push_str("://");
                uri.push_str(&host);
                uri.push_str(&path);
                uri
            }
        };
        let query = if !self.multi_value_query_string_parameters.is_empty() {
            Some(&self.multi_value_query_string_parameters)
        } else if !self.query_string_parameters.is_empty() {
            Some(&self.query_string_parameters)
        } else {
            None
        };
        if let Some(query) = query {
            uri.push('?');
            uri.push_str(&query.to_query_string());
        }
        Uri::try_from(uri).ok()
    }
}

/// lambda_http's `apigw_path_with_stage`: `/{stage}` in front of the path unless the
/// stage is `$default`, the path starts with it already, or the environment says not to.
fn path_with_stage<'p>(stage: Option<&str>, path: &'p str) -> Cow<'p, str> {
    let stage = match stage {
        None | Some("$default") => return Cow::Borrowed(path),
        Some(stage) => stage,
    };
    if std::env::var(IGNORE_STAGE_ENV).is_ok() {
        return Cow::Borrowed(path);
    }
    let has_stage = path
        .strip_prefix('/')
        .and_then(|rest| rest.strip_prefix(stage))
        .is_some_and(|rest| rest.starts_with('/'));
    if has_stage {
        Cow::Borrowed(path)
    } else {
        Cow::Owned(format!("/{stage}{path}"))
    }
}

/// The path as `url::Url` serialises it for a special scheme, when that is only
/// percent-encoding (the WHATWG path percent-encode set); `None` for anything the URL
/// parser would rewrite otherwise (dot segments, `\`, `?`, `#`, control characters,
/// trailing spaces, a path not starting with `/`).
fn url_path(path: &str) -> Option<Cow<'_, str>> {
    if path.is_empty() {
        return Some(Cow::Borrowed("/"));
    }
    if !path.starts_with('/') || path.ends_with(' ') {
        return None;
    }
    let mut encoded: Option<String> = None;
    for (index, byte) in path.bytes().enumerate() {
        let escape = match byte {
            0..=0x1f | 0x7f | b'?' | b'#' | b'\\' => return None,
            b' ' | b'"' | b'<' | b'>' | b'`' | b'{' | b'}' | 0x80..=0xff => true,
            _ => false,
        };
        match (&mut encoded, escape) {
            (Some(encoded), true) => push_escaped(encoded, byte),
            (Some(encoded), false) => encoded.push(char::from(byte)),
            (None, true) => {
                let mut started = String::with_capacity(path.len() + 16);
                started.push_str(&path[..index]);
                push_escaped(&mut started, byte);
                encoded = Some(started);
            }
            (None, false) => {}
        }
    }
    let dot_segment = path.split('/').any(|segment| {
        segment.len() <= 6
            && matches!(
                segment.to_ascii_lowercase().as_str(),
                "." | ".." | "%2e" | ".%2e" | "%2e." | "%2e%2e"
            )
    });
    if dot_segment {
        return None;
    }
    Some(encoded.map_or(Cow::Borrowed(path), Cow::Owned))
}

fn push_escaped(out: &mut String, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(char::from(HEX[usize::from(byte >> 4)]));
    out.push(char::from(HEX[usize::from(byte & 0xf)]));
}

/// The host as `url::Url` serialises it, when it is a DNS name of ASCII letters,
/// digits and hyphens (lowercased), optionally with a non-default port; `None` for IP
/// addresses, IDNA (`xn--`) labels, empty labels, user info and odd ports.
fn url_host<'h>(host: &'h str, default_port: &str) -> Option<Cow<'h, str>> {
    let (name, port) = match host.split_once(':') {
        Some((name, port)) => (name, Some(port)),
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
    let mut labels = name.split('.').peekable();
    while let Some(label) = labels.next() {
        let valid = !label.is_empty()
            && label
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
            && !label
                .get(..4)
                .is_some_and(|start| start.eq_ignore_ascii_case("xn--"));
        // The last label decides whether the URL parser reads an IPv4 address.
        let last_is_number =
            labels.peek().is_none() && label.as_bytes().first().is_some_and(u8::is_ascii_digit);
        if !valid || last_is_number {
            return None;
        }
    }
    if host.bytes().any(|byte| byte.is_ascii_uppercase()) {
        Some(Cow::Owned(host.to_ascii_lowercase()))
    } else {
        Some(Cow::Borrowed(host))
    }
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

/// aws_lambda_events' `deserialize_nullish`: `null` is the default.
fn nullish<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// aws_lambda_events' `deserialize_headers` for JSON: `null` or a map of a string
/// (inserted, replacing an earlier value of the same name) or an array of strings
/// (appended). Its third form, arrays of byte arrays, is left to lambda_http (an error
/// here).
fn headers<'de, D: Deserializer<'de>>(deserializer: D) -> Result<HeaderMap, D::Error> {
    struct HeadersVisitor;
    impl<'de> Visitor<'de> for HeadersVisitor {
        type Value = HeaderMap;
        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("a map of header values")
        }
        fn visit_unit<E: de::Error>(self) -> Result<HeaderMap, E> {
            Ok(HeaderMap::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<HeaderMap, E> {
            Ok(HeaderMap::new())
        }
        fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<HeaderMap, D::Error> {
            deserializer.deserialize_map(self)
        }
        fn visit_map<M: MapAccess<'de>>(self, mut access: M) -> Result<HeaderMap, M::Error> {
            let mut map = HeaderMap::new();
            while let Some((Str(key), values)) = access.next_entry::<Str<'de>, OneOrMore<'de>>()? {
                let name = HeaderName::from_bytes(key.as_bytes())
                    .map_err(|_| de::Error::custom("invalid header name"))?;
                let value = |value: &str| {
                    HeaderValue::from_str(value)
                        .map_err(|_| de::Error::custom("invalid header value"))
                };
                match values {
                    OneOrMore::One(Str(one)) => {
                        map.insert(name, value(&one)?);
                    }
                    OneOrMore::More(more) => {
                        for Str(one) in more {
                            map.append(&name, value(&one)?);
                        }
                    }
                }
            }
            Ok(map)
        }
    }
    deserializer.deserialize_option(HeadersVisitor)
}

/// A JSON string, borrowed unless it had escapes.
struct Str<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrVisitor;
        impl<'de> Visitor<'de> for StrVisitor {
            type Value = Str<'de>;
            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Borrowed(value)))
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(value.to_owned())))
            }
            fn visit_string<E: de::Error>(self, value: String) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(value)))
            }
        }
        deserializer.deserialize_str(StrVisitor)
    }
}

/// A header's value: one string or an array of strings.
enum OneOrMore<'de> {
    One(Str<'de>),
    More(Vec<Str<'de>>),
}

impl<'de> Deserialize<'de> for OneOrMore<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OneOrMoreVisitor;
        impl<'de> Visitor<'de> for OneOrMoreVisitor {
            type Value = OneOrMore<'de>;
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
                let mut more = Vec::with_capacity(seq.size_hint().unwrap_or(1).min(16));
                while let Some(one) = seq.next_element::<Str<'de>>()? {
                    more.push(one);
                }
                Ok(OneOrMore::More(more))
            }
        }
        deserializer.deserialize_any(OneOrMoreVisitor)
    }
}

/// Why a response could not be written; the handler answers `500` and logs this.
pub(super) type ResponseError = &'static str;

/// The proxy response JSON lambda_http writes for a REST event
/// (`LambdaResponse::ApiGatewayV1`, then `serde_json::to_value`): `statusCode`, empty
/// `headers`, every header in `multiValueHeaders` (API Gateway would merge the two),
/// the body as text or base64 with `isBase64Encoded`.
///
/// Text or binary is decided as lambda_http does (`Content-Encoding` → binary; no
/// `Content-Type`, a text type, or `x-lambda-http-content-encoding: text` → text);
/// text bodies in UTF-8 are used as they are, anything else (a `charset` other than
/// UTF-8, a byte-order mark, invalid UTF-8) goes through lambda_http's own conversion.
pub(super) async fn proxy_response(
    response: axum::response::Response,
) -> Result<serde_json::Value, ResponseError> {
    use serde_json::{Map, Value};

    let (parts, body) = response.into_parts();
    let text = is_text(&parts.headers);
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .map_err(|_| "could not read the response body")?;
    let (body, is_base64) = match text {
        Some(true) => match utf8_text(&bytes) {
            Some(text) => (Some(text.to_owned()), false),
            None => lambda_http_body(&parts, bytes).await,
        },
        Some(false) => (Some(STANDARD.encode(&bytes)), true),
        None => lambda_http_body(&parts, bytes).await,
    };
    let mut headers = Map::new();
    for name in parts.headers.keys() {
        let values = parts
            .headers
            .get_all(name)
            .iter()
            .map(|value| {
                std::str::from_utf8(value.as_bytes()).map(|value| Value::String(value.to_owned()))
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| "could not serialise the Lambda response")?;
        headers.insert(name.as_str().to_owned(), Value::Array(values));
    }
    let mut object = Map::new();
    object.insert("statusCode".to_owned(), Value::from(parts.status.as_u16()));
    object.insert("headers".to_owned(), Value::Object(Map::new()));
    object.insert("multiValueHeaders".to_owned(), Value::Object(headers));
    if let Some(body) = body {
        object.insert("body".to_owned(), Value::String(body));
    }
    object.insert("isBase64Encoded".to_owned(), Value::Bool(is_base64));
    Ok(Value::Object(object))
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
    let lower = content_type.to_ascii_lowercase();
    let mut found = lower.match_indices("charset");
    let Some((at, _)) = found.next() else {
        return true;
    };
    if found.next().is_some() {
        return false;
    }
    lower[at + "charset".len()..]
        .strip_prefix("=utf-8")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([';', ' ']))
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
    use lambda_http::{Body as LambdaBody, IntoResponse as _};

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
    fn stage_prefix() {
        assert_eq!(path_with_stage(Some("dev"), "/dev/a"), "/dev/a");
        assert_eq!(path_with_stage(Some("dev"), "/devx"), "/dev/devx");
        assert_eq!(path_with_stage(Some("$default"), "/a"), "/a");
        assert_eq!(path_with_stage(None, "/a"), "/a");
    }
}
