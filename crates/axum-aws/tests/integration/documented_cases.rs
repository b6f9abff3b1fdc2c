//! The documented-behaviour table, `tests/fixtures/authorizer-cases.json`: the authorizer
//! cases no oracle here can run (LocalStack community has no authorizers), each with the
//! answer AWS documents and its sources. Every case is built as it reads and sent to the
//! enforcing server; a case, a request or an expectation this runner does not know fails
//! the test (the file's fields are read strictly), so none is skipped.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum_aws::auth::{
    CognitoAuthorizer, Grant, IdentitySource, JwtAuthorizer, LambdaAuthorizer, Security,
};
use axum_aws::integration::{LambdaProxy, PayloadFormat};
use axum_aws::routing::{get, post};
use axum_aws::{AwsContext, AwsRouter, Gateway, Server};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::serving_enforced::jwt::{
    ISSUER, POOL_ARN, POOL_ISSUER, fixture, jwks_server, now, token,
};
use crate::serving_enforced::send;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    #[allow(dead_code, reason = "the file's own description")]
    about: String,
    sources: BTreeMap<String, String>,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    id: String,
    gateway: GatewayName,
    authorizer: AuthorizerKind,
    declared: Declared,
    steps: Vec<Step>,
    /// Lambda authorizers: calls of the function over all steps.
    authorizer_calls: Option<usize>,
    sources: Vec<String>,
    basis: Basis,
    #[allow(dead_code, reason = "why the answer is what it is, for readers")]
    note: Option<String>,
}

#[derive(Clone, Copy, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case")]
enum GatewayName {
    Rest,
    HttpApi,
}

#[derive(Clone, Copy, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case")]
enum AuthorizerKind {
    Cognito,
    Jwt,
    Lambda,
}

/// How strong the documentation of a case is (the file's `about` says what each means).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Basis {
    AwsDoc,
    AwsTranscript,
    Inferred,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Declared {
    #[serde(default)]
    scopes: Vec<String>,
    #[serde(default)]
    audiences: Vec<String>,
    kind: Option<LambdaKind>,
    header: Option<String>,
    ttl_seconds: Option<u64>,
    validation_expression: Option<String>,
    #[serde(default)]
    identity_sources: Vec<String>,
    payload_format: Option<String>,
    #[serde(default)]
    simple_responses: bool,
}

#[derive(Clone, Copy, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case")]
enum LambdaKind {
    Token,
    Request,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    request: StepRequest,
    expect: Expect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepRequest {
    token: Option<TokenKind>,
    claims: Option<String>,
    prefix: Option<String>,
    identity: Option<String>,
    authorizer_returns: Option<String>,
    value: Option<String>,
    values: Option<String>,
    method: Option<String>,
}

#[derive(Clone, Copy, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case")]
enum TokenKind {
    Id,
    Access,
    Jwt,
    None,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    status: u16,
    /// `null`: not compared (the handler's own answer).
    body: Option<Value>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    headers_contain: BTreeMap<String, String>,
    handler: bool,
    claims: Option<String>,
    context: Option<String>,
    event: Option<String>,
}

fn table() -> Table {
    let path = format!(
        "{}/tests/fixtures/authorizer-cases.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{path}: {error}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_authorizer_case_is_answered_as_documented() {
    let table = table();
    assert!(!table.cases.is_empty());
    let mut failures = Vec::new();
    let mut ran = 0;
    for case in &table.cases {
        for source in &case.sources {
            assert!(
                table.sources.contains_key(source),
                "{}: source {source:?} is not in the table's sources",
                case.id
            );
        }
        assert!(!case.sources.is_empty(), "{}: no source", case.id);
        for variant in variants(case) {
            match run(case, variant).await {
                Ok(()) => ran += 1,
                Err(failure) => failures.push(format!(
                    "{} ({:?}, {variant:?}): {failure}",
                    case.id, case.basis
                )),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of the documented cases answered otherwise:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(ran >= table.cases.len());
}

/// What a Lambda authorizer answers, as a case states it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Returns {
    /// An IAM policy: `effect` on `resource`, with the case's context or none.
    Policy {
        effect: &'static str,
        resource: Resource,
        context: bool,
    },
    /// The function fails with this message.
    Error(&'static str),
    /// The function answers something that is no authorizer output.
    Malformed,
    /// A simple response (HTTP API payload 2.0).
    Simple(bool),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Resource {
    MethodArn,
    /// The same API and stage, another method.
    OtherMethod,
    /// `arn:…/<api>/<stage>/*/*`.
    EveryMethod,
}

/// The ways a case can be run: a case whose authorizer answers "one thing or another"
/// runs once for each.
fn variants(case: &Case) -> Vec<Option<Returns>> {
    let either = case.steps.iter().any(|step| {
        step.request.authorizer_returns.as_deref()
            == Some("another error, or output without principalId/policyDocument")
    });
    if either {
        vec![
            Some(Returns::Error("database unreachable")),
            Some(Returns::Malformed),
        ]
    } else {
        vec![None]
    }
}

fn returns(text: &str) -> Returns {
    let policy = |effect, resource, context| Returns::Policy {
        effect,
        resource,
        context,
    };
    match text {
        "Allow execute-api:Invoke on the methodArn, context {user: 'u-1', tier: 2}" => {
            policy("Allow", Resource::MethodArn, true)
        }
        "Allow on the methodArn" | "Allow on this method's ARN only" => {
            policy("Allow", Resource::MethodArn, false)
        }
        "Deny on the methodArn" => policy("Deny", Resource::MethodArn, false),
        "Allow on another method's ARN only" => policy("Allow", Resource::OtherMethod, false),
        "Allow on arn:…/*/*" => policy("Allow", Resource::EveryMethod, false),
        "an error whose message is exactly 'Unauthorized'" => Returns::Error("Unauthorized"),
        r#"{"isAuthorized": false}"# => Returns::Simple(false),
        other => panic!("authorizer_returns {other:?} is not understood by this runner"),
    }
}

/// The authorizer's answer to an event for `method_arn`.
fn answer(returns: Option<Returns>, method_arn: &str) -> Result<Value, String> {
    let Some(returns) = returns else {
        return Err("the case states no answer before the function is called".to_owned());
    };
    match returns {
        Returns::Policy {
            effect,
            resource,
            context,
        } => {
            // arn:aws:execute-api:{region}:{account}:{api}/{stage}/{METHOD}/{path}
            let mut parts = method_arn.splitn(4, '/');
            let (api, stage) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            let resource = match resource {
                Resource::MethodArn => method_arn.to_owned(),
                Resource::OtherMethod => format!("{api}/{stage}/DELETE/*"),
                Resource::EveryMethod => format!("{api}/{stage}/*/*"),
            };
            let mut output = json!({
                "principalId": "u-1",
                "policyDocument": {"Version": "2012-10-17", "Statement": [
                    {"Effect": effect, "Action": "execute-api:Invoke", "Resource": resource}
                ]},
            });
            if context {
                output["context"] = json!({"user": "u-1", "tier": 2});
            }
            Ok(output)
        }
        Returns::Error(message) => Err(message.to_owned()),
        Returns::Malformed => Ok(json!({"context": {"user": "u-1"}})),
        Returns::Simple(allowed) => Ok(json!({"isAuthorized": allowed})),
    }
}

/// The TOKEN event, read by the function's own event type (as a Lambda handler would).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenEvent {
    #[serde(rename = "type")]
    kind: String,
    authorization_token: String,
    method_arn: String,
}

/// What one case's server records: the handler's view of the request, the authorizer's
/// calls and last event, and the answer the case has stated so far.
#[derive(Default)]
struct Recorder {
    handled: Mutex<Option<AwsContext>>,
    calls: AtomicUsize,
    event: Mutex<Option<Value>>,
    returns: Mutex<Option<Returns>>,
}

const PATH: &str = "/thing";

async fn run(case: &Case, variant: Option<Returns>) -> Result<(), String> {
    let recorder = Arc::new(Recorder::default());
    *recorder.returns.lock().unwrap() = variant;
    let declared = &case.declared;
    let jwks = jwks_server().await;
    let security: Security = match case.authorizer {
        AuthorizerKind::Cognito => Grant::new(CognitoAuthorizer::new("pool", [POOL_ARN]))
            .scopes(declared.scopes.clone())
            .into(),
        AuthorizerKind::Jwt => Grant::new(JwtAuthorizer::new(
            "users",
            ISSUER,
            declared.audiences.clone(),
        ))
        .scopes(declared.scopes.clone())
        .into(),
        AuthorizerKind::Lambda => lambda_authorizer(declared).into(),
    };
    let handled = Arc::clone(&recorder);
    let handler = move |context: AwsContext| {
        *handled.handled.lock().unwrap() = Some(context);
        async { "handled" }
    };
    let router: AwsRouter = AwsRouter::new()
        .route(PATH, get(handler.clone()).auth(security.clone()))
        .route(PATH, post(handler).auth(security))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"));
    let mut server = Server::new(router).emulate(match case.gateway {
        GatewayName::Rest => Gateway::Rest,
        GatewayName::HttpApi => Gateway::HttpApi,
    });
    server = match case.authorizer {
        AuthorizerKind::Cognito => server.jwks("pool", &jwks.url),
        AuthorizerKind::Jwt => server.jwks("users", &jwks.url),
        AuthorizerKind::Lambda if declared.kind == Some(LambdaKind::Token) => {
            let recorder = Arc::clone(&recorder);
            server.authorizer("auth", move |event: TokenEvent| {
                recorder.calls.fetch_add(1, Ordering::SeqCst);
                *recorder.event.lock().unwrap() = Some(json!({
                    "type": event.kind,
                    "authorizationToken": event.authorization_token,
                    "methodArn": event.method_arn,
                }));
                let answer = answer(*recorder.returns.lock().unwrap(), &event.method_arn);
                async move { answer }
            })
        }
        AuthorizerKind::Lambda => {
            let recorder = Arc::clone(&recorder);
            server.authorizer("auth", move |event: Value| {
                recorder.calls.fetch_add(1, Ordering::SeqCst);
                let arn = event["methodArn"]
                    .as_str()
                    .or_else(|| event["routeArn"].as_str())
                    .unwrap_or_default()
                    .to_owned();
                *recorder.event.lock().unwrap() = Some(event);
                let answer = answer(*recorder.returns.lock().unwrap(), &arn);
                async move { answer }
            })
        }
    };
    let app = server.into_router();

    for (number, step) in case.steps.iter().enumerate() {
        let at = |message: String| format!("step {}: {message}", number + 1);
        let request = &step.request;
        if let Some(text) = &request.authorizer_returns
            && variant.is_none()
        {
            *recorder.returns.lock().unwrap() = Some(returns(text));
        }
        let method = match request.method.as_deref() {
            None => http::Method::GET,
            Some("another method of the API") => http::Method::POST,
            Some(other) => panic!("{}: method {other:?} is not understood", case.id),
        };
        let mut builder = http::Request::builder().method(method);
        let mut query = Vec::new();
        match case.authorizer {
            AuthorizerKind::Cognito | AuthorizerKind::Jwt => {
                let Some(kind) = request.token else {
                    panic!("{}: a token case without `token`", case.id);
                };
                if let Some(token) = bearer_token(case, kind, request, &jwks, &app).await? {
                    let prefix = request.prefix.as_deref().unwrap_or("");
                    builder = builder.header("authorization", format!("{prefix}{token}"));
                }
            }
            AuthorizerKind::Lambda => {
                for (source, value) in identity(case, request) {
                    match source {
                        Source::Header(name) => builder = builder.header(name, value),
                        Source::Query(name) => query.push(format!("{name}={value}")),
                    }
                }
            }
        }
        let uri = if query.is_empty() {
            PATH.to_owned()
        } else {
            format!("{PATH}?{}", query.join("&"))
        };
        recorder.handled.lock().unwrap().take();
        let (status, headers, body) =
            send(&app, builder.uri(uri).body(Body::empty()).unwrap()).await;
        let expect = &step.expect;
        if status.as_u16() != expect.status {
            return Err(at(format!(
                "status {status}, expected {} ({body})",
                expect.status
            )));
        }
        if let Some(expected) = &expect.body {
            let actual: Value = serde_json::from_str(&body)
                .map_err(|error| at(format!("body {body:?} is not JSON: {error}")))?;
            if &actual != expected {
                return Err(at(format!("body {actual}, expected {expected}")));
            }
        }
        for (name, expected) in &expect.headers {
            let actual = headers.get(name.as_str()).and_then(|v| v.to_str().ok());
            if actual != Some(expected.as_str()) {
                return Err(at(format!(
                    "header {name}: {actual:?}, expected {expected:?}"
                )));
            }
        }
        for (name, part) in &expect.headers_contain {
            let actual = headers.get(name.as_str()).and_then(|v| v.to_str().ok());
            if !actual.is_some_and(|actual| actual.contains(part.as_str())) {
                return Err(at(format!(
                    "header {name}: {actual:?}, expected to contain {part:?}"
                )));
            }
        }
        let handled = recorder.handled.lock().unwrap().take();
        if handled.is_some() != expect.handler {
            return Err(at(format!(
                "the handler ran: {}, expected {}",
                handled.is_some(),
                expect.handler
            )));
        }
        if let Some(context) = &handled {
            passed_on(
                case,
                expect,
                context,
                recorder.event.lock().unwrap().as_ref(),
            )
            .map_err(at)?;
        }
    }
    if let Some(expected) = case.authorizer_calls {
        let calls = recorder.calls.load(Ordering::SeqCst);
        if calls != expected {
            return Err(format!(
                "the authorizer was called {calls} times, expected {expected}"
            ));
        }
    }
    Ok(())
}

fn lambda_authorizer(declared: &Declared) -> LambdaAuthorizer {
    let mut authorizer = match declared.kind {
        Some(LambdaKind::Token) => LambdaAuthorizer::token("auth", "${auth_invoke_arn}").header(
            declared
                .header
                .clone()
                .unwrap_or_else(|| "Authorization".to_owned()),
        ),
        Some(LambdaKind::Request) => LambdaAuthorizer::request(
            "auth",
            "${auth_invoke_arn}",
            declared
                .identity_sources
                .iter()
                .map(|source| match parse_source(source) {
                    Source::Header(name) => IdentitySource::header(name),
                    Source::Query(name) => IdentitySource::query(name),
                }),
        ),
        None => panic!("a Lambda authorizer case without `kind`"),
    };
    if let Some(expression) = &declared.validation_expression {
        authorizer = authorizer.validation_expression(expression);
    }
    if let Some(ttl) = declared.ttl_seconds {
        authorizer = authorizer.ttl(Duration::from_secs(ttl));
    }
    match declared.payload_format.as_deref() {
        None => {}
        Some("2.0") => authorizer = authorizer.payload_format(PayloadFormat::V2),
        Some(other) => panic!("payload_format {other:?} is not understood"),
    }
    if declared.simple_responses {
        authorizer = authorizer.simple_responses();
    }
    authorizer
}

/// Where an identity value is read from.
#[derive(Clone, Debug, PartialEq)]
enum Source {
    Header(String),
    Query(String),
}

/// A declared identity source, in REST (`method.request.…`) or HTTP API (`$request.…`)
/// spelling.
fn parse_source(text: &str) -> Source {
    let (kind, name) = text
        .strip_prefix("method.request.")
        .or_else(|| text.strip_prefix("$request."))
        .and_then(|rest| rest.split_once('.'))
        .unwrap_or_else(|| panic!("identity source {text:?} is not understood"));
    match kind {
        "header" => Source::Header(name.to_owned()),
        "querystring" => Source::Query(name.to_owned()),
        _ => panic!("identity source {text:?} is not understood"),
    }
}

/// The identity values a Lambda authorizer case's request carries.
fn identity(case: &Case, request: &StepRequest) -> Vec<(Source, String)> {
    let declared = &case.declared;
    let sources: Vec<Source> = match declared.kind {
        Some(LambdaKind::Token) => vec![Source::Header(
            declared
                .header
                .clone()
                .unwrap_or_else(|| "Authorization".to_owned()),
        )],
        _ => declared
            .identity_sources
            .iter()
            .map(|text| parse_source(text))
            .collect(),
    };
    let name = |source: &Source| match source {
        Source::Header(name) | Source::Query(name) => name.clone(),
    };
    // Default values, then the step's own (`value`, or `values`: "Name v, Name v").
    let mut values: Vec<(Source, String)> = sources
        .iter()
        .map(|source| {
            let value = match source {
                Source::Header(_) => "Bearer abc123",
                Source::Query(_) => "t",
            };
            (source.clone(), value.to_owned())
        })
        .collect();
    if let Some(value) = &request.value {
        assert_eq!(values.len(), 1, "{}: `value` with several sources", case.id);
        values[0].1.clone_from(value);
    }
    if let Some(list) = &request.values {
        for pair in list.split(", ") {
            let (key, value) = pair
                .split_once(' ')
                .unwrap_or_else(|| panic!("{}: values {list:?} are not understood", case.id));
            let slot = values
                .iter_mut()
                .find(|(source, _)| name(source) == key)
                .unwrap_or_else(|| panic!("{}: {key:?} is no identity source", case.id));
            slot.1 = value.to_owned();
        }
    }
    let identity = request
        .identity
        .as_deref()
        .unwrap_or_else(|| panic!("{}: a Lambda step without `identity`", case.id));
    match identity {
        "present" | "all present" => {}
        "missing" => values.clear(),
        other => {
            let missing_query = other
                .strip_prefix("querystring ")
                .and_then(|rest| rest.strip_suffix(" missing"));
            let empty_header = other
                .strip_prefix("header ")
                .and_then(|rest| rest.strip_suffix(" present but empty"));
            if let Some(missing) = missing_query {
                let before = values.len();
                values.retain(|(source, _)| *source != Source::Query(missing.to_owned()));
                assert_eq!(before - 1, values.len(), "{}: {other:?}", case.id);
            } else if let Some(empty) = empty_header {
                let slot = values
                    .iter_mut()
                    .find(|(source, _)| *source == Source::Header(empty.to_owned()))
                    .unwrap_or_else(|| panic!("{}: {other:?}", case.id));
                slot.1 = String::new();
            } else {
                panic!("{}: identity {other:?} is not understood", case.id);
            }
        }
    }
    values
}

/// The token a Cognito or JWT step sends (`None`: no token), signed as its `claims`
/// describe. A JWKS change the step describes happens here, after what it presupposes.
async fn bearer_token(
    case: &Case,
    kind: TokenKind,
    request: &StepRequest,
    jwks: &crate::serving_enforced::jwt::JwksServer,
    app: &axum::Router,
) -> Result<Option<String>, String> {
    let mut claims = match kind {
        TokenKind::None => return Ok(None),
        TokenKind::Id => json!({
            "iss": POOL_ISSUER, "sub": "user-1", "aud": "app-client", "token_use": "id",
            "email": "user@example.com", "exp": now() + 600, "iat": now(),
        }),
        TokenKind::Access => json!({
            "iss": POOL_ISSUER, "sub": "user-1", "client_id": "app-client", "token_use": "access",
            "exp": now() + 600, "iat": now(),
        }),
        TokenKind::Jwt => json!({
            "iss": ISSUER, "sub": "user-1", "aud": "client-a", "exp": now() + 600, "iat": now(),
        }),
    };
    let (mut pem, mut kid) = ("key1.pem", "key-1");
    let described = request
        .claims
        .as_deref()
        .unwrap_or_else(|| panic!("{}: a token without `claims`", case.id));
    let set = |claims: &mut Value, name: &str, value: Value| {
        claims[name] = value;
    };
    match described {
        "valid" | "valid, aud client-a" => {}
        "valid, aud client-a, scope 'widgets/read widgets/write'" => {
            set(&mut claims, "scope", json!("widgets/read widgets/write"));
        }
        "exp one hour ago" => set(&mut claims, "exp", json!(now() - 3600)),
        "nbf one hour ahead" => set(&mut claims, "nbf", json!(now() + 3600)),
        "iss of another user pool (its own key)" => {
            set(
                &mut claims,
                "iss",
                json!("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other"),
            );
            (pem, kid) = ("key2.pem", "key-2");
        }
        "iss of another issuer" => set(&mut claims, "iss", json!("https://other.example.com")),
        "valid, signed with a key not in the JWKS under a kid that is" => pem = "key2.pem",
        "valid, kid not in the JWKS (rotated)" => (pem, kid) = ("key2.pem", "key-2"),
        "aud of another app client of the same pool" => {
            set(&mut claims, "aud", json!("other-app-client"));
        }
        "aud client-b" => set(&mut claims, "aud", json!("client-b")),
        "no aud, client_id client-a (a Cognito access token)" => {
            claims.as_object_mut().unwrap().remove("aud");
            set(&mut claims, "client_id", json!("client-a"));
            set(&mut claims, "token_use", json!("access"));
        }
        "aud client-b, client_id client-a" => {
            set(&mut claims, "aud", json!("client-b"));
            set(&mut claims, "client_id", json!("client-a"));
        }
        "valid, kid of a key added to the JWKS after it was cached" => {
            // What the step presupposes: the JWKS cached (a token it verifies), then the
            // issuer's rotation.
            let warm = token("key1.pem", "key-1", &claims);
            let request = http::Request::get(PATH)
                .header("authorization", warm)
                .body(Body::empty())
                .unwrap();
            let (status, _, body) = send(app, request).await;
            if status != 200 {
                return Err(format!("caching the JWKS first answered {status} ({body})"));
            }
            *jwks.body.lock().unwrap() = fixture("jwks-rotated.json");
            (pem, kid) = ("key2.pem", "key-2");
        }
        "valid, kid in neither JWKS" => (pem, kid) = ("key2.pem", "key-3"),
        "scp ['widgets/read']" => set(&mut claims, "scp", json!(["widgets/read"])),
        other => match other
            .strip_prefix("scope '")
            .and_then(|rest| rest.strip_suffix('\''))
        {
            Some(scope) => set(&mut claims, "scope", json!(scope)),
            None => panic!("{}: claims {other:?} are not understood", case.id),
        },
    }
    Ok(Some(token(pem, kid, &claims)))
}

/// What the gateway passes on to the integration, as a case describes it.
fn passed_on(
    case: &Case,
    expect: &Expect,
    context: &AwsContext,
    event: Option<&Value>,
) -> Result<(), String> {
    if let Some(text) = &expect.claims {
        match text.as_str() {
            "requestContext.authorizer.claims holds the token's claims" => {
                let expected = [
                    ("sub", "user-1"),
                    ("token_use", "id"),
                    ("email", "user@example.com"),
                    ("iss", POOL_ISSUER),
                ];
                for (name, value) in expected {
                    if context.claims.get(name).map(String::as_str) != Some(value) {
                        return Err(format!("claim {name}: {:?}", context.claims));
                    }
                }
                if !context.scopes.is_empty() {
                    return Err(format!("a REST API passes no scopes: {:?}", context.scopes));
                }
            }
            // The scopes are the token's `scope` claim, split, as the event's jwt.scopes.
            "requestContext.authorizer.jwt.claims and .scopes" => {
                for (name, value) in [("sub", "user-1"), ("aud", "client-a"), ("iss", ISSUER)] {
                    if context.claims.get(name).map(String::as_str) != Some(value) {
                        return Err(format!("claim {name}: {:?}", context.claims));
                    }
                }
                let scopes: Vec<&str> = context
                    .claims
                    .get("scope")
                    .map_or(Vec::new(), |scope| scope.split_whitespace().collect());
                if scopes.is_empty() || context.scopes != scopes {
                    return Err(format!(
                        "scopes {:?}, the token's {scopes:?}",
                        context.scopes
                    ));
                }
            }
            other => panic!(
                "{}: claims expectation {other:?} is not understood",
                case.id
            ),
        }
    }
    if let Some(text) = &expect.context {
        match text.as_str() {
            "requestContext.authorizer.principalId and .user = 'u-1', .tier = '2' (stringified)" => {
                let expected: BTreeMap<String, String> = [("user", "u-1"), ("tier", "2")]
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .into();
                if context.principal_id.as_deref() != Some("u-1") || context.authorizer != expected
                {
                    return Err(format!(
                        "principal {:?}, context {:?}",
                        context.principal_id, context.authorizer
                    ));
                }
            }
            other => panic!(
                "{}: context expectation {other:?} is not understood",
                case.id
            ),
        }
    }
    if let Some(text) = &expect.event {
        match text.as_str() {
            "type REQUEST with methodArn, resource, path, httpMethod, headers, queryStringParameters, pathParameters, requestContext" =>
            {
                let event = event.ok_or("the authorizer got no event")?;
                if event["type"] != "REQUEST" {
                    return Err(format!("event type {}", event["type"]));
                }
                for field in [
                    "methodArn",
                    "resource",
                    "path",
                    "httpMethod",
                    "headers",
                    "queryStringParameters",
                    "pathParameters",
                    "requestContext",
                ] {
                    if event.get(field).is_none() {
                        return Err(format!("the event has no {field}: {event}"));
                    }
                }
            }
            other => panic!("{}: event expectation {other:?} is not understood", case.id),
        }
    }
    Ok(())
}
