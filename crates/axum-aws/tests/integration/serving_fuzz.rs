//! Adversarial events at the Lambda handler (event JSON in, response JSON out): bad
//! JSON, mutated real events (huge headers, invalid base64, unknown fields, wrong
//! types, odd paths and hosts). No panic escapes and every answer is a well-formed
//! proxy response.

use std::sync::LazyLock;

use axum_aws::{LambdaHandler, Server};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use proptest::prelude::*;
use serde_json::{Value, json};

use super::serving_events::{RUNTIME, fixture, router};

const FIXTURES: &[&str] = &[
    "rest-v1-stage.json",
    "rest-v1-greedy.json",
    "rest-v1-preflight.json",
    "rest-v1-binary.json",
    "http-v2-named-stage.json",
    "http-v2-default-stage-base64-body.json",
    "alb-greedy.json",
];

static EVENTS: LazyLock<Vec<Value>> = LazyLock::new(|| {
    FIXTURES
        .iter()
        .map(|name| serde_json::from_str(&fixture(name)).unwrap())
        .collect()
});

static HANDLER: LazyLock<LambdaHandler> =
    LazyLock::new(|| Server::new(router()).compression(true).lambda_handler());

/// One change to an event.
#[derive(Clone, Debug)]
enum Mutation {
    /// Set a field (a dotted path into the event) to a value.
    Set(&'static str, Value),
    /// Remove a field.
    Remove(&'static str),
    /// A header with a long value.
    HugeHeader(usize),
    /// A body flagged base64 that is not.
    BadBase64(String),
}

const FIELDS: &[&str] = &[
    "path",
    "rawPath",
    "httpMethod",
    "resource",
    "body",
    "isBase64Encoded",
    "headers",
    "multiValueHeaders",
    "headers.Host",
    "headers.host",
    "headers.Content-Type",
    "queryStringParameters",
    "multiValueQueryStringParameters",
    "rawQueryString",
    "pathParameters",
    "cookies",
    "requestContext",
    "requestContext.stage",
    "requestContext.resourcePath",
    "requestContext.routeKey",
    "requestContext.http.method",
    "requestContext.authorizer",
    "requestContext.identity",
    "unknownTopLevelField",
    "requestContext.unknownField",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        ".{0,40}".prop_map(Value::String),
        // Path- and host-like strings.
        "(/[a-zA-Z0-9%{}+ .$~-]{0,12}){0,6}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z-]{1,12}", inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (prop::sample::select(FIELDS), json_value()).prop_map(|(f, v)| Mutation::Set(f, v)),
        2 => prop::sample::select(FIELDS).prop_map(Mutation::Remove),
        1 => (1usize..200_000).prop_map(Mutation::HugeHeader),
        1 => "[^A-Za-z0-9+/=]{1,20}|[A-Za-z0-9+/]{1,3}".prop_map(Mutation::BadBase64),
    ]
}

fn apply(event: &mut Value, mutation: &Mutation) {
    match mutation {
        Mutation::Set(path, value) => set(event, path, Some(value.clone())),
        Mutation::Remove(path) => set(event, path, None),
        Mutation::HugeHeader(len) => {
            let value = Value::String("x".repeat(*len));
            set(event, "headers.X-Huge", Some(value.clone()));
            set(event, "multiValueHeaders.X-Huge", Some(json!([value])));
        }
        Mutation::BadBase64(body) => {
            set(event, "body", Some(Value::String(body.clone())));
            set(event, "isBase64Encoded", Some(Value::Bool(true)));
        }
    }
}

/// Sets (or removes, with `None`) the field at a dotted path; creates objects on the way.
fn set(event: &mut Value, path: &str, value: Option<Value>) {
    let (parents, last) = match path.rsplit_once('.') {
        Some((parents, last)) => (parents.split('.').collect::<Vec<_>>(), last),
        None => (Vec::new(), path),
    };
    let mut node = event;
    for key in parents {
        if !node.get(key).is_some_and(Value::is_object) {
            if let Some(object) = node.as_object_mut() {
                object.insert(key.to_owned(), json!({}));
            } else {
                return;
            }
        }
        node = &mut node[key];
    }
    if let Some(object) = node.as_object_mut() {
        match value {
            Some(value) => {
                object.insert(last.to_owned(), value);
            }
            None => {
                object.remove(last);
            }
        }
    }
}

/// What every answer must look like, whatever the event.
fn assert_well_formed(response: &Value) -> Result<(), TestCaseError> {
    let object = response
        .as_object()
        .ok_or_else(|| TestCaseError::fail("not an object"))?;
    let status = object.get("statusCode").and_then(Value::as_u64);
    prop_assert!(
        status.is_some_and(|s| (100..=599).contains(&s)),
        "statusCode {:?}",
        object.get("statusCode")
    );
    let base64 = object.get("isBase64Encoded").and_then(Value::as_bool);
    prop_assert!(base64.is_some(), "isBase64Encoded missing");
    match object.get("body") {
        None | Some(Value::Null) => {}
        Some(Value::String(body)) => {
            if base64 == Some(true) {
                prop_assert!(STANDARD.decode(body).is_ok(), "body is not base64");
            }
        }
        Some(other) => prop_assert!(false, "body is {other}"),
    }
    for key in ["headers", "multiValueHeaders"] {
        if let Some(headers) = object.get(key) {
            prop_assert!(headers.is_object(), "{key} is {headers}");
        }
    }
    Ok(())
}

fn handle(event: &[u8]) -> Value {
    RUNTIME.block_on(HANDLER.handle(event, Default::default()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Mutated real events: each answer is a proxy response, 4xx/5xx or not.
    #[test]
    fn mutated_events_get_well_formed_answers(
        index in 0..FIXTURES.len(),
        mutations in prop::collection::vec(mutation(), 1..5),
    ) {
        let mut event = EVENTS[index].clone();
        for mutation in &mutations {
            apply(&mut event, mutation);
        }
        let response = handle(event.to_string().as_bytes());
        assert_well_formed(&response)?;
    }

    /// Arbitrary bytes and arbitrary JSON: a 400 unless it happens to be an event.
    #[test]
    fn garbage_gets_a_400(bytes in prop::collection::vec(any::<u8>(), 0..512), value in json_value()) {
        for event in [bytes, value.to_string().into_bytes()] {
            let response = handle(&event);
            assert_well_formed(&response)?;
            prop_assert_eq!(&response["statusCode"], &json!(400));
        }
    }
}

#[test]
fn invalid_base64_request_body_is_answered() {
    let mut event = EVENTS[0].clone();
    apply(&mut event, &Mutation::BadBase64("!!not base64!!".into()));
    let response = handle(event.to_string().as_bytes());
    assert_eq!(response["statusCode"], 400);
}

#[test]
fn huge_header_is_answered() {
    let mut event = EVENTS[4].clone();
    apply(&mut event, &Mutation::HugeHeader(1 << 20));
    let response = handle(event.to_string().as_bytes());
    assert_eq!(response["statusCode"], 200);
}
