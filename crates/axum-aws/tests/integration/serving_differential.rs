//! `LambdaHandler::handle` against lambda_http itself: every event (the real fixtures,
//! generated REST and payload 2.0 events, mutated ones) goes through the handler and through
//! lambda_http's own `LambdaRequest` → `Adapter` → `LambdaResponse` chain (the reference,
//! written here from lambda_http's public pieces); an echo router reports what it saw.
//! Both must give the same response JSON, so the same request as far as a handler can
//! tell: method, URI, version, headers in order with every value, body, `AwsContext`,
//! and lambda_http's extensions (request context, path and query parameters, stage
//! variables, raw path, Lambda context).
//!
//! lambda_http re-encodes the query string from a `HashMap`, in that map's (random)
//! order; the echo reports the query's pairs sorted by name, the values of one name in
//! their order.

use std::panic::AssertUnwindSafe;
use std::sync::LazyLock;

use axum::body::Body;
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use axum_aws::{AwsContext, LambdaHandler, Server};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http::{HeaderValue, StatusCode};
use http_body_util::BodyExt;
use lambda_http::lambda_runtime::LambdaEvent;
use lambda_http::request::LambdaRequest;
use lambda_http::{Adapter, Context, RequestExt, Service};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::serving_events::{RUNTIME, fixture, fixture_names};

/// Every event fixture, REST or not.
static FIXTURES: LazyLock<Vec<String>> = LazyLock::new(fixture_names);

/// The payload 2.0 fixtures (HTTP APIs, function URLs).
static HTTP_API_FIXTURES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let names: Vec<String> = FIXTURES
        .iter()
        .filter(|name| name.starts_with("http-v2") || name.starts_with("function-url"))
        .cloned()
        .collect();
    assert!(names.len() >= 5, "payload 2.0 fixtures: {names:?}");
    names
});

/// The echo router as it is, and in a `Server` (path fixing, panics) without and with
/// compression: the handler under test, and the router the reference wraps.
fn handlers() -> Vec<(LambdaHandler, axum::Router)> {
    let echo = axum::Router::new().fallback(echo);
    let mut handlers = vec![(LambdaHandler::new(echo.clone()), echo.clone())];
    for compression in [false, true] {
        let server = || Server::new(echo.clone()).compression(compression);
        handlers.push((server().lambda_handler(), server().into_router()));
    }
    handlers
}

static HANDLERS: LazyLock<Vec<(LambdaHandler, axum::Router)>> = LazyLock::new(handlers);

/// What the handler saw, as JSON. The response is shaped by `x-echo-*` request headers:
/// `x-echo-status`, `x-echo-content-type`, `x-echo-content-encoding`,
/// `x-echo-text-encoding` (lambda_http's `x-lambda-http-content-encoding`), and
/// `x-echo-raw` (answer with the request body instead of the report), `x-echo-panic`.
async fn echo(request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let hint = axum::body::HttpBody::size_hint(&body);
    let body_shape = json!([
        hint.lower(),
        hint.upper(),
        axum::body::HttpBody::is_end_stream(&body)
    ]);
    let body = body.collect().await.unwrap().to_bytes();
    if parts.headers.contains_key("x-echo-panic") {
        panic!("echo asked to panic");
    }
    let headers: Vec<Value> = parts
        .headers
        .iter()
        .map(|(name, value)| json!([name.as_str(), STANDARD.encode(value.as_bytes())]))
        .collect();
    let context = AwsContext::from_request(&parts.extensions, &parts.headers);
    let sorted = |map: Option<&lambda_http::aws_lambda_events::query_map::QueryMap>| {
        let mut pairs: Vec<(String, String)> = map
            .map(|map| {
                map.iter()
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        json!(pairs)
    };
    let report = json!({
        "method": parts.method.as_str(),
        "scheme": parts.uri.scheme_str(),
        "authority": parts.uri.authority().map(|a| a.as_str()),
        "path": parts.uri.path(),
        "query": parts.uri.query().map(sorted_query),
        "version": format!("{:?}", parts.version),
        "headers": headers,
        "body": STANDARD.encode(&body),
        "bodyShape": body_shape,
        "awsContext": format!("{context:?}"),
        "requestContext": parts.extensions.request_context_ref().map(|c| serde_json::to_value(c).unwrap()),
        "pathParameters": sorted(parts.extensions.path_parameters_ref()),
        "queryStringParameters": sorted(parts.extensions.query_string_parameters_ref()),
        "stageVariables": sorted(parts.extensions.stage_variables_ref()),
        "rawHttpPath": parts.extensions.raw_http_path(),
        "lambdaContext": parts.extensions.lambda_context_ref().map(|c| serde_json::to_value(c).unwrap()),
        "extensions": parts.extensions.len(),
    });
    let mut response = if parts.headers.contains_key("x-echo-raw") {
        Response::new(Body::from(body))
    } else {
        Response::new(Body::from(report.to_string()))
    };
    let header = |name: &str| parts.headers.get(name).cloned();
    if let Some(status) = header("x-echo-status")
        .and_then(|s| s.to_str().ok()?.parse::<u16>().ok())
        .and_then(|s| StatusCode::from_u16(s).ok())
    {
        *response.status_mut() = status;
    }
    let out = response.headers_mut();
    for (from, to) in [
        ("x-echo-content-type", "content-type"),
        ("x-echo-content-encoding", "content-encoding"),
        ("x-echo-text-encoding", "x-lambda-http-content-encoding"),
    ] {
        for value in parts.headers.get_all(from) {
            out.append(http::HeaderName::from_static(to), value.clone());
        }
    }
    out.append("set-cookie", HeaderValue::from_static("a=1"));
    out.append("set-cookie", HeaderValue::from_static("b=2"));
    // A repeated header: REST keeps both values, payload 2.0 responses one.
    out.append("vary", HeaderValue::from_static("accept"));
    out.append("vary", HeaderValue::from_static("origin"));
    response.into_response()
}

/// `a=1&b=2` with its pairs sorted by name (stable: one name's values keep their order).
/// When the URL lambda_http parsed had a query already (a `?` in the path or host), it
/// appends `?` and its pairs to that: what comes before the last `?` (the pairs have
/// theirs escaped) is set apart.
fn sorted_query(query: &str) -> Vec<String> {
    let (before, pairs) = match query.rfind('?') {
        Some(at) => (&query[..=at], &query[at + 1..]),
        None => ("", query),
    };
    let mut pairs: Vec<&str> = std::iter::once(before).chain(pairs.split('&')).collect();
    pairs.sort_by_key(|pair| pair.split('=').next().unwrap_or_default());
    pairs.into_iter().map(str::to_owned).collect()
}

/// The reference: lambda_http's own conversion around `app`, with the handler's answers
/// to what it cannot take (`400` for events it cannot parse or build a request from,
/// `500` for a panic after that).
async fn reference(app: axum::Router, event: &[u8], context: Context) -> Value {
    let error = |status: u16, message: &str| {
        json!({
            "statusCode": status,
            "headers": {"content-type": "application/json"},
            "body": json!({ "message": message }).to_string(),
            "isBase64Encoded": false,
        })
    };
    let Ok(request) = serde_json::from_slice::<LambdaRequest>(event) else {
        return error(400, "Bad Request");
    };
    let mut adapter = Adapter::from(app);
    let event = LambdaEvent::new(request, context);
    let Ok(future) = std::panic::catch_unwind(AssertUnwindSafe(|| adapter.call(event))) else {
        return error(400, "Bad Request");
    };
    let mut future = Box::pin(future);
    let polled = std::future::poll_fn(|cx| {
        match std::panic::catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx))) {
            Ok(std::task::Poll::Ready(result)) => std::task::Poll::Ready(Ok(result)),
            Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
            Err(panic) => std::task::Poll::Ready(Err(panic)),
        }
    });
    match polled.await {
        Ok(Ok(response)) => {
            serde_json::to_value(response).unwrap_or_else(|_| error(500, "Internal Server Error"))
        }
        Ok(Err(never)) => match never {},
        Err(_) => error(500, "Internal Server Error"),
    }
}

fn lambda_context(trace: Option<&str>) -> Context {
    let mut context = Context::default();
    context.request_id = "8476a536-e9f4-11e8-9739-2dfe598c3fcd".into();
    context.deadline = 1_542_409_706_888;
    context.invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:api".into();
    context.xray_trace_id = trace.map(str::to_owned);
    context
}

/// The handler's answer and the reference's, for both routers; `Err` names the first
/// difference.
fn compare(event: &[u8], trace: Option<&str>) -> Result<(), String> {
    for (index, (handler, app)) in HANDLERS.iter().enumerate() {
        let (ours, theirs) = RUNTIME.block_on(async {
            let ours = handler.handle(event, lambda_context(trace)).await;
            let theirs = reference(app.clone(), event, lambda_context(trace)).await;
            (ours, theirs)
        });
        if ours != theirs {
            return Err(format!(
                "router {index}, event {}\n ours:   {}\n theirs: {}",
                String::from_utf8_lossy(event),
                readable(&ours),
                readable(&theirs)
            ));
        }
    }
    Ok(())
}

/// A response with its echo report parsed, for failure messages.
fn readable(response: &Value) -> String {
    let mut response = response.clone();
    if let Some(body) = response.get("body").and_then(Value::as_str)
        && let Ok(report) = serde_json::from_str::<Value>(body)
    {
        response["body"] = report;
    }
    serde_json::to_string_pretty(&response).unwrap()
}

#[test]
fn every_fixture_gives_what_lambda_http_gives() {
    for name in FIXTURES.iter() {
        let event = fixture(name);
        for trace in [
            None,
            Some("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"),
        ] {
            compare(event.as_bytes(), trace).unwrap_or_else(|diff| panic!("{name}: {diff}"));
        }
    }
}

#[test]
fn fixtures_with_response_shapes() {
    // The same fixtures, answered as binary, text in another charset, compressed,
    // with a raw (possibly non-UTF-8) body, or by a panic.
    let shapes: &[&[(&str, &str)]] = &[
        &[("x-echo-content-type", "image/png")],
        &[("x-echo-content-type", "application/json; charset=utf-8")],
        &[("x-echo-content-type", "text/plain; charset=iso-8859-1")],
        &[("x-echo-content-type", "text/plain; charset=utf-16")],
        &[("x-echo-content-type", "application/vnd.api+json")],
        &[
            ("x-echo-content-type", "application/octet-stream"),
            ("x-echo-text-encoding", "text"),
        ],
        &[("x-echo-content-encoding", "gzip")],
        &[("x-echo-raw", "1"), ("x-echo-content-type", "text/plain")],
        &[("x-echo-raw", "1")],
        &[("x-echo-status", "418")],
        &[("x-echo-panic", "1")],
    ];
    for name in FIXTURES.iter() {
        let event: Value = serde_json::from_str(&fixture(name)).unwrap();
        for shape in shapes {
            let mut event = event.clone();
            for (header, value) in *shape {
                event["headers"][header] = json!(value);
            }
            compare(event.to_string().as_bytes(), None)
                .unwrap_or_else(|diff| panic!("{name} {shape:?}: {diff}"));
        }
    }
}

/// Raw bodies that are not plain UTF-8 text: a byte-order mark, invalid UTF-8, UTF-16;
/// in REST and payload 2.0 events.
#[test]
fn odd_text_bodies() {
    for name in [
        "rest-v1-base64-body.json",
        "http-v2-default-stage-base64-body.json",
    ] {
        odd_text_bodies_of(name);
    }
}

fn odd_text_bodies_of(name: &str) {
    let event: Value = serde_json::from_str(&fixture(name)).unwrap();
    let bodies: &[&[u8]] = &[
        b"\xef\xbb\xbfwith a BOM",
        b"\xff\xfeu\x00t\x00f\x001\x006\x00",
        b"not \xc3 utf-8",
        b"",
        "caf\u{e9}".as_bytes(),
    ];
    for body in bodies {
        for content_type in [
            "text/plain",
            "text/plain; charset=windows-1252",
            "image/png",
        ] {
            let mut event = event.clone();
            event["body"] = json!(STANDARD.encode(body));
            event["headers"]["x-echo-raw"] = json!("1");
            event["headers"]["x-echo-content-type"] = json!(content_type);
            compare(event.to_string().as_bytes(), None)
                .unwrap_or_else(|diff| panic!("{name} {body:?} {content_type}: {diff}"));
        }
    }
}

// ---- generated REST events

/// Header names: the same name in several spellings, standard and custom ones.
const NAMES: &[&str] = &[
    "Accept",
    "accept",
    "ACCEPT",
    "Host",
    "host",
    "X-Forwarded-Proto",
    "x-forwarded-proto",
    "X-Custom",
    "x-custom",
    "Cookie",
    "Content-Type",
    "X-Amzn-Trace-Id",
];

fn header_name() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        100 => prop::sample::select(NAMES),
        1 => Just("Bad Name"),
        1 => Just(""),
    ]
}

fn header_value() -> impl Strategy<Value = Value> {
    let text = prop_oneof![
        "[ -~]{0,12}",
        Just("https".to_owned()),
        Just("http".to_owned()),
        Just("HTTPS".to_owned()),
        Just("ftp".to_owned()),
        "[a-zA-Z0-9.:@\\[\\]_-]{0,20}",
        Just("api.example.com".to_owned()),
        Just("API.Example.COM:8443".to_owned()),
        Just("xn--bcher-kva.example".to_owned()),
        Just("192.0.2.1".to_owned()),
        Just("a.b.0x10".to_owned()),
        Just("host:443".to_owned()),
        Just("host:0443".to_owned()),
        Just("host:99999".to_owned()),
        Just("caf\u{e9}.example".to_owned()),
        Just("tab\there".to_owned()),
    ];
    prop_oneof![
        100 => text.clone().prop_map(Value::String),
        50 => prop::collection::vec(text.prop_map(Value::String), 0..3).prop_map(Value::Array),
        1 => Just(Value::Null),
        1 => Just(json!(7)),
        1 => Just(json!([[104, 105]])),
    ]
}

type Entries = Vec<(&'static str, Value)>;

fn header_entries() -> impl Strategy<Value = Entries> {
    prop::collection::vec(
        (
            header_name(),
            prop_oneof![
                100 => header_value(),
                1 => Just(json!("new\nline")),
            ],
        ),
        0..6,
    )
}

/// A header map as JSON text (`null`, or an object whose keys may repeat: serde sees
/// each one).
fn render(entries: Option<&Entries>) -> Value {
    let Some(entries) = entries else {
        return Value::String("null".to_owned());
    };
    let body: Vec<String> = entries
        .iter()
        .map(|(name, value)| format!("{}:{value}", json!(name)))
        .collect();
    Value::String(format!("{{{}}}", body.join(",")))
}

/// `headers` and `multiValueHeaders`: independent, or (as API Gateway sends them) the
/// same names in the same order, the multi-value side in arrays, sometimes with more
/// values or an invalid one.
fn header_maps() -> impl Strategy<Value = (Value, Value)> {
    let independent = (
        prop::option::weighted(0.9, header_entries()),
        prop::option::weighted(0.9, header_entries()),
    )
        .prop_map(|(headers, multi)| (render(headers.as_ref()), render(multi.as_ref())));
    let mirrored =
        (header_entries(), prop::collection::vec(0..8u8, 6)).prop_map(|(headers, changes)| {
            let multi: Entries = headers
                .iter()
                .zip(changes)
                .map(|((name, value), change)| {
                    let values = match value {
                        Value::Array(values) => values.clone(),
                        value => vec![value.clone()],
                    };
                    let values = match change {
                        0 => vec![
                            json!("other"),
                            values.first().cloned().unwrap_or(json!("x")),
                        ],
                        1 => vec![json!("bad\u{7f}")],
                        2 => Vec::new(),
                        _ => values,
                    };
                    (*name, Value::Array(values))
                })
                .collect();
            (render(Some(&headers)), render(Some(&multi)))
        });
    prop_oneof![independent, mirrored]
}

fn path() -> impl Strategy<Value = String> {
    prop_oneof![
        "(/[a-zA-Z0-9._~%+ \"<>`{}|^!$&'()*,;=:@-]{0,8}){0,4}",
        "(/(\\.|\\.\\.|%2e|%2E|\\.%2e|a|b%20c|\u{e9}|\u{1f600}|\\?|#|\\\\|\t|\u{7f}| )){0,4}",
        Just(String::new()),
        Just("no-slash".to_owned()),
        Just("//double//slash/".to_owned()),
        Just("/dev".to_owned()),
        Just("/dev/users".to_owned()),
        Just("/devx/users".to_owned()),
    ]
}

fn query() -> impl Strategy<Value = Value> {
    let text = "[a-zA-Z0-9 &=+%/?#\u{e9}]{0,6}";
    prop_oneof![
        20 => Just(Value::Null),
        20 => prop::collection::btree_map(text, text, 0..4).prop_map(|m| json!(m)),
        20 => prop::collection::btree_map(text, prop::collection::vec(text, 1..3), 0..4)
            .prop_map(|m| json!(m)),
        1 => Just(json!({"a": 1})),
        1 => Just(json!({"a": []})),
    ]
}

fn string_map() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        prop::collection::btree_map("[a-z_]{1,6}", "[a-zA-Z0-9 /%]{0,6}", 0..3)
            .prop_map(|m| json!(m)),
    ]
}

fn body() -> impl Strategy<Value = (Value, Value)> {
    prop_oneof![
        Just((Value::Null, Value::Bool(false))),
        ".{0,20}".prop_map(|s| (Value::String(s), Value::Bool(false))),
        prop::collection::vec(any::<u8>(), 0..24)
            .prop_map(|b| (Value::String(STANDARD.encode(b)), Value::Bool(true))),
        "[a-zA-Z0-9+/=!]{1,9}".prop_map(|s| (Value::String(s), Value::Bool(true))),
        Just((Value::String("eyJhIjoxfQ==".into()), Value::Null)),
    ]
}

fn stage() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => Just(json!("dev")),
        1 => Just(json!("$default")),
        1 => Just(Value::Null),
        1 => "[a-z /%]{1,5}".prop_map(Value::String),
    ]
}

prop_compose! {
    fn rest_event()(
        method in prop_oneof![
            10 => prop::sample::select(&["GET", "POST", "patch", "", "PURGE"][..]),
            1 => Just("BAD METHOD"),
        ],
        path in prop::option::of(path()),
        (headers, multi) in header_maps(),
        query in query(),
        multi_query in query(),
        path_parameters in string_map(),
        stage_variables in string_map(),
        stage in stage(),
        domain in prop::option::of(prop_oneof![
            Just("api.example.com".to_owned()), "[a-zA-Z0-9.:-]{0,12}"
        ]),
        (body, base64) in body(),
        response in prop::sample::subsequence(vec![
            ("x-echo-content-type", "image/png"),
            ("x-echo-content-encoding", "br"),
            ("x-echo-raw", "1"),
            ("x-echo-status", "404"),
        ], 0..3),
        order in any::<bool>(),
    ) -> String {
        let context = json!({
            "resourcePath": "/{proxy+}",
            "httpMethod": method,
            "stage": stage,
            "domainName": domain,
            "requestId": "r-1",
            "identity": {"sourceIp": "192.0.2.9", "userAgent": "agent"},
            "authorizer": {"principalId": "me", "claims": {"sub": "u1"}, "n": 3},
        });
        // Headers are spliced in as raw JSON (duplicate keys); the echo controls are
        // appended to `multiValueHeaders`.
        let controls: Vec<String> = response
            .iter()
            .map(|(name, value)| format!("{}:[{}]", json!(name), json!(value)))
            .collect();
        let raw = |value: &Value| value.as_str().map_or("null".to_owned(), str::to_owned);
        let multi = match (raw(&multi).as_str(), controls.is_empty()) {
            (multi, true) => multi.to_owned(),
            ("null" | "{}", false) => format!("{{{}}}", controls.join(",")),
            (multi, false) => format!("{},{}}}", &multi[..multi.len() - 1], controls.join(",")),
        };
        let fields = [
            "\"resource\":\"/{proxy+}\"".to_owned(),
            format!("\"path\":{}", json!(path)),
            format!("\"httpMethod\":{}", json!(method)),
            format!("\"headers\":{}", raw(&headers)),
            format!("\"multiValueHeaders\":{multi}"),
            format!("\"queryStringParameters\":{query}"),
            format!("\"multiValueQueryStringParameters\":{multi_query}"),
            format!("\"pathParameters\":{path_parameters}"),
            format!("\"stageVariables\":{stage_variables}"),
            format!("\"requestContext\":{context}"),
            format!("\"body\":{body}"),
            format!("\"isBase64Encoded\":{base64}"),
        ];
        let mut fields = fields.to_vec();
        if order {
            // multiValueHeaders before headers
            fields.swap(3, 4);
        }
        format!("{{{}}}", fields.join(","))
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    /// Generated REST events: odd headers (repeated in several spellings, arrays,
    /// invalid names and values), hosts, schemes, paths, query maps, bodies.
    #[test]
    fn generated_rest_events_match_lambda_http(
        event in rest_event(),
        trace in prop::option::of(prop_oneof![Just("Root=1-abc"), Just("bad\ntrace")]),
    ) {
        compare(event.as_bytes(), trace).map_err(TestCaseError::fail)?;
    }

    /// Real fixtures with one field replaced by an arbitrary JSON value, or removed.
    #[test]
    fn mutated_fixtures_match_lambda_http(
        index in 0..FIXTURES.len(),
        field in prop::sample::select(&[
            "path", "httpMethod", "resource", "body", "isBase64Encoded", "headers",
            "multiValueHeaders", "queryStringParameters", "multiValueQueryStringParameters",
            "pathParameters", "stageVariables", "requestContext", "unknownField",
            // payload 2.0
            "version", "routeKey", "rawPath", "rawQueryString", "cookies", "type",
            "methodArn",
        ][..]),
        value in prop::option::of(prop_oneof![
            Just(Value::Null), Just(json!(1)), Just(json!("")), Just(json!("/x y")),
            Just(json!([])), Just(json!({})), Just(json!({"a": "b"})), Just(json!({"a": ["b", "c"]})),
            Just(json!(true)), Just(json!("aGk=")),
        ]),
    ) {
        let mut event: Value = serde_json::from_str(&fixture(&FIXTURES[index])).unwrap();
        let object = event.as_object_mut().unwrap();
        match value {
            Some(value) => { object.insert(field.to_owned(), value); }
            None => { object.remove(field); }
        }
        compare(event.to_string().as_bytes(), None).map_err(TestCaseError::fail)?;
    }

    /// Not events at all, or events in another shape (arrays, scalars).
    #[test]
    fn garbage_matches_lambda_http(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        compare(&bytes, None).map_err(TestCaseError::fail)?;
    }
}

// ---- generated payload 2.0 events (HTTP APIs, function URLs)

fn raw_query() -> impl Strategy<Value = Value> {
    prop_oneof![
        2 => Just(Value::Null),
        2 => Just(json!("")),
        4 => "[a-z0-9=&]{0,12}".prop_map(Value::String),
        4 => "[a-zA-Z0-9 &=+%/?#\"<>{}|\u{e9}]{0,10}".prop_map(Value::String),
        1 => Just(json!("a=1&a=2&b=x%20y&c=%zz&=&d")),
        1 => Just(json!("tab\there")),
        1 => Just(json!(3)),
    ]
}

fn cookies() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => Just(Value::Null),
        1 => Just(json!([])),
        6 => prop::collection::vec("[ -~]{0,8}", 1..4).prop_map(|c| json!(c)),
        1 => Just(json!(["ok=1", "bad\nline"])),
        1 => Just(json!(["caf\u{e9}=1"])),
        1 => Just(json!([1])),
        1 => Just(json!("a=1")),
    ]
}

fn authorizer() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        Just(json!({"jwt": {"claims": {"sub": "u1", "scope": "read"}, "scopes": ["read"]}})),
        Just(json!({"jwt": {"claims": {"n": 1}}})),
        Just(json!({"lambda": {"tenant": "t1", "n": 3, "nested": {"a": [1]}}})),
        Just(json!({"lambda": null})),
        Just(
            json!({"iam": {"accessKey": "AKIA", "accountId": "123456789012",
            "callerId": "AROA:me", "userArn": "arn:aws:iam::123456789012:user/me",
            "userId": "AROA"}})
        ),
        Just(json!({"iam": {"cognitoIdentity": {"identityId": "i"}}})),
    ]
}

prop_compose! {
    fn http_api_event()(
        method in prop_oneof![
            10 => prop::sample::select(&["GET", "POST", "delete", "", "PURGE"][..]),
            1 => Just("BAD METHOD"),
        ],
        raw_path in prop::option::of(path()),
        path_key in prop_oneof![8 => Just(&["rawPath"][..]), 1 => Just(&["path"][..]),
            1 => Just(&["rawPath", "path"][..])],
        raw_query in raw_query(),
        cookies in cookies(),
        headers in prop::option::weighted(0.9, header_entries()),
        query in query(),
        path_parameters in string_map(),
        stage_variables in string_map(),
        stage in stage(),
        domain in prop::option::of(prop_oneof![
            Just("api.example.com".to_owned()),
            Just("abc.lambda-url.eu-west-1.on.aws".to_owned()),
            "[a-zA-Z0-9.:-]{0,12}",
        ]),
        authorizer in authorizer(),
        (body, base64) in body(),
        response in prop::sample::subsequence(vec![
            ("x-echo-content-type", "image/png"),
            ("x-echo-content-encoding", "br"),
            ("x-echo-raw", "1"),
            ("x-echo-status", "404"),
        ], 0..3),
        // A top-level `httpMethod` (a REST event to lambda_http, if the rest allows).
        top_method in prop::option::weighted(0.1, prop_oneof![Just(json!("GET")), Just(json!(null))]),
        version_first in any::<bool>(),
    ) -> String {
        let mut context = json!({
            "accountId": "123456789012",
            "apiId": "abc",
            "domainName": domain,
            "http": {"method": method, "path": raw_path, "protocol": "HTTP/1.1",
                "sourceIp": "192.0.2.9", "userAgent": "agent"},
            "requestId": "r-2",
            "routeKey": "$default",
            "stage": stage,
            "timeEpoch": 1_583_348_638_390_u64,
        });
        if !authorizer.is_null() {
            context["authorizer"] = authorizer;
        }
        // Headers are spliced in as raw JSON (duplicate keys), the echo controls
        // appended.
        let controls: Vec<String> = response
            .iter()
            .map(|(name, value)| format!("{}:{}", json!(name), json!(value)))
            .collect();
        let headers = render(headers.as_ref());
        let headers = match (headers.as_str().unwrap_or("null"), controls.is_empty()) {
            (headers, true) => headers.to_owned(),
            ("null" | "{}", false) => format!("{{{}}}", controls.join(",")),
            (headers, false) => {
                format!("{},{}}}", &headers[..headers.len() - 1], controls.join(","))
            }
        };
        let mut fields = vec![
            "\"version\":\"2.0\"".to_owned(),
            "\"routeKey\":\"$default\"".to_owned(),
        ];
        for key in path_key {
            fields.push(format!("{}:{}", json!(key), json!(raw_path)));
        }
        fields.extend([
            format!("\"rawQueryString\":{raw_query}"),
            format!("\"cookies\":{cookies}"),
            format!("\"headers\":{headers}"),
            format!("\"queryStringParameters\":{query}"),
            format!("\"pathParameters\":{path_parameters}"),
            format!("\"stageVariables\":{stage_variables}"),
            format!("\"requestContext\":{context}"),
            format!("\"body\":{body}"),
            format!("\"isBase64Encoded\":{base64}"),
        ]);
        if let Some(method) = top_method {
            fields.push(format!("\"httpMethod\":{method}"));
        }
        if !version_first {
            fields.rotate_left(1);
        }
        format!("{{{}}}", fields.join(","))
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    /// Generated payload 2.0 events: raw query strings, cookies, odd headers, hosts,
    /// stages, paths, authorizers (JWT, Lambda, IAM), bodies; function URL domains;
    /// some with a top-level `httpMethod`, which lambda_http reads as REST.
    #[test]
    fn generated_http_api_events_match_lambda_http(
        event in http_api_event(),
        trace in prop::option::of(prop_oneof![Just("Root=1-abc"), Just("bad\ntrace")]),
    ) {
        compare(event.as_bytes(), trace).map_err(TestCaseError::fail)?;
    }

    /// Payload 2.0 fixtures with one field of the request context replaced by an
    /// arbitrary JSON value, or removed.
    #[test]
    fn mutated_http_api_contexts_match_lambda_http(
        index in 0..HTTP_API_FIXTURES.len(),
        field in prop::sample::select(&[
            "stage", "domainName", "http", "authorizer", "requestId", "timeEpoch",
            "authentication", "apiId", "routeKey",
        ][..]),
        value in prop::option::of(prop_oneof![
            Just(Value::Null), Just(json!(1)), Just(json!(1.5)), Just(json!("")),
            Just(json!("dev")), Just(json!("$default")), Just(json!([])), Just(json!({})),
            Just(json!({"method": "PUT"})), Just(json!({"method": "PUT", "path": "/x"})),
            Just(json!({"jwt": null})), Just(json!({"lambda": {"a": 1}})),
        ]),
    ) {
        let name = &HTTP_API_FIXTURES[index];
        let mut event: Value = serde_json::from_str(&fixture(name)).unwrap();
        let context = event["requestContext"].as_object_mut().unwrap();
        match value {
            Some(value) => { context.insert(field.to_owned(), value); }
            None => { context.remove(field); }
        }
        compare(event.to_string().as_bytes(), None).map_err(TestCaseError::fail)?;
    }
}

#[test]
fn documents_that_are_not_objects() {
    let event: Value = serde_json::from_str(&fixture("rest-v1-stage.json")).unwrap();
    let fields: Vec<Value> = event.as_object().unwrap().values().cloned().collect();
    for document in [
        json!(fields),
        json!(null),
        json!("x"),
        json!([]),
        Value::Object(Map::new()),
    ] {
        compare(document.to_string().as_bytes(), None).unwrap();
    }
}
