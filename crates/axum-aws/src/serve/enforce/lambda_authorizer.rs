//! Lambda TOKEN and REQUEST authorizers, run in process: the identity-source check
//! (401 without calling), then the handler the user registered with
//! [`Server::authorizer`](crate::Server::authorizer), called with the event API Gateway
//! would send; its policy evaluated against the method ARN; its answer cached by
//! identity for the declared TTL.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;
use axum_aws_spec::auth::{IdentitySource, LambdaAuthorizer, LambdaIdentity};
use axum_aws_spec::integration::PayloadFormat;
use http::request::Parts as Request;
use lambda_http::tracing;
use serde_json::{Value, json};

use super::answer::Refusal;
use super::config::Resolved;

/// A registered authorizer, type-erased: the event JSON in, the answer JSON out (`Err`:
/// the failure's message, `Unauthorized` for a 401).
pub(crate) type AuthorizerFn =
    dyn Fn(Value) -> Pin<Box<dyn Future<Output = Result<Value, String>> + Send>> + Send + Sync;

/// Wraps a Lambda handler function (its own event and response types) as an
/// [`AuthorizerFn`].
pub(crate) fn erase<F, E, R, Fut, Err>(handler: F) -> Arc<AuthorizerFn>
where
    F: Fn(E) -> Fut + Send + Sync + 'static,
    E: serde::de::DeserializeOwned,
    Fut: Future<Output = Result<R, Err>> + Send + 'static,
    R: serde::Serialize,
    Err: std::fmt::Display,
{
    Arc::new(move |event: Value| {
        let called = serde_json::from_value::<E>(event)
            .map(&handler)
            .map_err(|error| {
                format!("the authorizer's event type does not read the event: {error}")
            });
        Box::pin(async move {
            match called {
                Ok(future) => match future.await {
                    Ok(answer) => serde_json::to_value(answer).map_err(|error| error.to_string()),
                    Err(error) => Err(error.to_string()),
                },
                Err(error) => Err(error),
            }
        })
    })
}

/// An allowed caller: what the authorizer passes on.
#[derive(Clone, Debug)]
pub(crate) struct Allowed {
    pub(crate) principal_id: String,
    /// As the gateway passes it on: every value a string.
    pub(crate) context: BTreeMap<String, String>,
    pub(crate) usage_identifier_key: Option<String>,
}

/// The authorizer's answer as cached: evaluated again for each method (the cached
/// policy is reused across methods, as API Gateway does).
#[derive(Clone, Debug)]
struct Answer {
    principal_id: String,
    statements: Vec<Value>,
    simple: Option<bool>,
    context: BTreeMap<String, String>,
    usage_identifier_key: Option<String>,
}

/// One Lambda authorizer of the router.
pub(crate) struct LambdaCheck {
    name: String,
    identity: LambdaIdentity,
    /// The TOKEN regex, compiled (`Err`: the declared one does not compile).
    token_regex: Option<Result<regex::Regex, String>>,
    ttl: Duration,
    payload_v2: bool,
    simple: bool,
    handler: Option<Arc<AuthorizerFn>>,
    cache: Mutex<HashMap<Vec<String>, (Instant, Answer)>>,
}

impl std::fmt::Debug for LambdaCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LambdaCheck")
            .field("name", &self.name)
            .field("registered", &self.handler.is_some())
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

impl LambdaCheck {
    pub(crate) fn new(
        authorizer: &LambdaAuthorizer,
        ttl_seconds: u32,
        resolved: &Resolved,
    ) -> Self {
        let token_regex = match &authorizer.identity {
            LambdaIdentity::Token {
                validation_expression: Some(expression),
                ..
            } => Some(regex::Regex::new(expression).map_err(|error| error.to_string())),
            _ => None,
        };
        Self {
            name: authorizer.name.clone(),
            identity: authorizer.identity.clone(),
            token_regex,
            ttl: Duration::from_secs(u64::from(ttl_seconds)),
            payload_v2: authorizer.payload_format == Some(PayloadFormat::V2),
            simple: authorizer.simple_responses,
            handler: resolved.authorizers.get(&authorizer.name).cloned(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The summary's note.
    pub(crate) fn describe(&self) -> String {
        let kind = match self.identity {
            LambdaIdentity::Token { .. } => "TOKEN",
            _ => "REQUEST",
        };
        let mut note = format!("Lambda {kind} authorizer {:?}", self.name);
        if self.handler.is_some() {
            note.push_str(&format!(", registered, cached {} s", self.ttl.as_secs()));
        } else {
            note.push_str(&format!(
                ", NOT REGISTERED: every request is refused; register it with Server::authorizer({:?}, handler)",
                self.name
            ));
        }
        if let Some(Err(error)) = &self.token_regex {
            note.push_str(&format!(
                ", its validation expression does not compile ({error}): every request is refused"
            ));
        }
        note
    }

    /// Runs the authorizer for `request` to the route `label` (`METHOD /path`).
    pub(crate) async fn authorize(
        &self,
        request: &Request,
        label: &str,
    ) -> Result<Allowed, Refusal> {
        let identity = self.identity_values(request)?;
        let method_arn = method_arn(request);
        let cached = (!self.ttl.is_zero())
            .then(|| {
                let cache = self.cache.lock().ok()?;
                let (at, answer) = cache.get(&identity)?;
                (at.elapsed() < self.ttl).then(|| answer.clone())
            })
            .flatten();
        let answer = match cached {
            Some(answer) => answer,
            None => {
                let Some(handler) = &self.handler else {
                    return Err(Refusal::Unauthorized);
                };
                let event = self.event(request, &identity, &method_arn, label);
                let answer = match handler(event).await {
                    Ok(answer) => self.read(&answer).ok_or_else(|| {
                        tracing::error!(authorizer = %self.name, "the authorizer's answer is not a policy (principalId and policyDocument): 500");
                        Refusal::AuthorizerConfiguration
                    })?,
                    Err(message) if message == "Unauthorized" => return Err(Refusal::Unauthorized),
                    Err(message) => {
                        tracing::error!(authorizer = %self.name, error = %message, "the authorizer failed: 500");
                        return Err(Refusal::AuthorizerConfiguration);
                    }
                };
                if !self.ttl.is_zero()
                    && let Ok(mut cache) = self.cache.lock()
                {
                    cache.insert(identity, (Instant::now(), answer.clone()));
                }
                answer
            }
        };
        match answer.simple {
            Some(true) => {}
            Some(false) => return Err(Refusal::AccessDenied { explicit: false }),
            None => evaluate(&answer.statements, &method_arn)?,
        }
        Ok(Allowed {
            principal_id: answer.principal_id,
            context: answer.context,
            usage_identifier_key: answer.usage_identifier_key,
        })
    }

    /// The identity values (the cache key); 401 when one is missing or empty, or the
    /// token fails the validation expression.
    fn identity_values(&self, request: &Request) -> Result<Vec<String>, Refusal> {
        let header = |name: &str| {
            request
                .headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .filter(|value| !value.trim().is_empty())
                .map(str::to_owned)
        };
        match &self.identity {
            LambdaIdentity::Token { header: name, .. } => {
                let token = header(name).ok_or(Refusal::Unauthorized)?;
                match &self.token_regex {
                    Some(Ok(regex)) if !regex.is_match(&token) => Err(Refusal::Unauthorized),
                    Some(Err(_)) => Err(Refusal::Unauthorized),
                    _ => Ok(vec![token]),
                }
            }
            LambdaIdentity::Request { sources, .. } => sources
                .iter()
                .map(|source| {
                    match source {
                        IdentitySource::Header(name) => header(name),
                        IdentitySource::Query(name) => query(request, name),
                        IdentitySource::Context(name) if name == "identity.sourceIp" => request
                            .extensions
                            .get::<ConnectInfo<SocketAddr>>()
                            .map(|ConnectInfo(addr)| addr.ip().to_string()),
                        IdentitySource::Context(name) if name == "httpMethod" => {
                            Some(request.method.to_string())
                        }
                        // Stage variables and other context values do not exist locally.
                        _ => None,
                    }
                    .ok_or(Refusal::Unauthorized)
                })
                .collect(),
            _ => Err(Refusal::Unauthorized),
        }
    }

    /// The event API Gateway sends the function.
    fn event(
        &self,
        request: &Request,
        identity: &[String],
        method_arn: &str,
        label: &str,
    ) -> Value {
        let headers: BTreeMap<&str, &str> = request
            .headers
            .iter()
            .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
            .collect();
        let queries: BTreeMap<String, String> = request
            .uri
            .query()
            .unwrap_or("")
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                (key.to_owned(), value.to_owned())
            })
            .collect();
        let path = request.uri.path();
        let resource = label.split_once(' ').map_or(path, |(_, resource)| resource);
        if self.payload_v2 {
            return json!({
                "version": "2.0",
                "type": "REQUEST",
                "routeArn": method_arn,
                "identitySource": identity,
                "routeKey": label,
                "rawPath": path,
                "rawQueryString": request.uri.query().unwrap_or(""),
                "headers": headers,
                "queryStringParameters": queries,
                "requestContext": {
                    "http": {"method": request.method.as_str(), "path": path},
                    "routeKey": label,
                    "stage": "$default",
                },
            });
        }
        match &self.identity {
            LambdaIdentity::Token { .. } => json!({
                "type": "TOKEN",
                "authorizationToken": identity.first(),
                "methodArn": method_arn,
            }),
            _ => json!({
                "type": "REQUEST",
                "methodArn": method_arn,
                "resource": resource,
                "path": path,
                "httpMethod": request.method.as_str(),
                "headers": headers,
                "queryStringParameters": queries,
                "pathParameters": {},
                "stageVariables": {},
                "requestContext": {
                    "resourcePath": resource,
                    "httpMethod": request.method.as_str(),
                    "path": path,
                    "stage": "local",
                    "accountId": ACCOUNT,
                    "apiId": API_ID,
                },
            }),
        }
    }

    /// The function's answer, if it is one.
    fn read(&self, answer: &Value) -> Option<Answer> {
        let context: BTreeMap<String, String> = match answer.get("context") {
            Some(Value::Object(context)) => context
                .iter()
                // Only string, number and boolean values pass (objects and arrays are
                // refused by API Gateway): all reach the integration as strings.
                .filter(|(_, value)| !value.is_object() && !value.is_array() && !value.is_null())
                .map(|(key, value)| match value {
                    Value::String(text) => (key.clone(), text.clone()),
                    other => (key.clone(), other.to_string()),
                })
                .collect(),
            _ => BTreeMap::new(),
        };
        if self.simple {
            let allowed = answer.get("isAuthorized")?.as_bool()?;
            return Some(Answer {
                principal_id: String::new(),
                statements: Vec::new(),
                simple: Some(allowed),
                context,
                usage_identifier_key: None,
            });
        }
        let principal_id = answer.get("principalId")?.as_str()?.to_owned();
        let document = answer.get("policyDocument")?;
        let statements = match document.get("Statement")? {
            Value::Array(statements) => statements.clone(),
            statement @ Value::Object(_) => vec![statement.clone()],
            _ => return None,
        };
        Some(Answer {
            principal_id,
            statements,
            simple: None,
            context,
            usage_identifier_key: answer
                .get("usageIdentifierKey")
                .and_then(Value::as_str)
                .map(str::to_owned),
        })
    }
}

/// The account and API id of the method ARN locally (SAM uses the same fake account).
const ACCOUNT: &str = "123456789012";
const API_ID: &str = "local";

/// `arn:aws:execute-api:us-east-1:123456789012:local/local/{VERB}/{path}`.
fn method_arn(request: &Request) -> String {
    format!(
        "arn:aws:execute-api:us-east-1:{ACCOUNT}:{API_ID}/local/{}/{}",
        request.method,
        request.uri.path().trim_start_matches('/')
    )
}

/// An explicit Deny wins; else an Allow of `execute-api:Invoke` on a matching resource.
fn evaluate(statements: &[Value], method_arn: &str) -> Result<(), Refusal> {
    let strings = |value: Option<&Value>| -> Vec<String> {
        match value {
            Some(Value::String(one)) => vec![one.clone()],
            Some(Value::Array(many)) => many
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut allowed = false;
    for statement in statements {
        let invokes = strings(statement.get("Action"))
            .iter()
            .any(|action| glob(&action.to_ascii_lowercase(), "execute-api:invoke"));
        let matches = strings(statement.get("Resource"))
            .iter()
            .any(|resource| glob(resource, method_arn));
        if !(invokes && matches) {
            continue;
        }
        match statement.get("Effect").and_then(Value::as_str) {
            Some("Deny") => return Err(Refusal::AccessDenied { explicit: true }),
            Some("Allow") => allowed = true,
            _ => {}
        }
    }
    if allowed {
        Ok(())
    } else {
        Err(Refusal::AccessDenied { explicit: false })
    }
}

/// IAM's wildcards: `*` any run of characters, `?` one character.
fn glob(pattern: &str, text: &str) -> bool {
    let (pattern, text): (Vec<char>, Vec<char>) =
        (pattern.chars().collect(), text.chars().collect());
    let (mut p, mut t, mut star, mut mark) = (0, 0, None, 0);
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some(p);
            mark = t;
            p += 1;
        } else if let Some(s) = star {
            p = s + 1;
            mark += 1;
            t = mark;
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

/// The first value of query parameter `name`.
fn query(request: &Request, name: &str) -> Option<String> {
    request.uri.query()?.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (key == name && !value.is_empty()).then(|| value.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iam_wildcards() {
        assert!(glob(
            "arn:aws:execute-api:*:*:*/*/GET/*",
            "arn:aws:execute-api:us-east-1:1:a/s/GET/x/y"
        ));
        assert!(glob("execute-api:*", "execute-api:invoke"));
        assert!(!glob("arn:*/POST/*", "arn:x/GET/y"));
        assert!(glob("a?c", "abc"));
    }

    #[test]
    fn deny_wins() {
        let arn = "arn:aws:execute-api:us-east-1:1:a/s/GET/x";
        let allow = json!({"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"});
        let deny = json!({"Effect": "Deny", "Action": ["execute-api:Invoke"], "Resource": [arn]});
        assert_eq!(evaluate(std::slice::from_ref(&allow), arn), Ok(()));
        assert_eq!(
            evaluate(&[allow, deny], arn),
            Err(Refusal::AccessDenied { explicit: true })
        );
        assert_eq!(
            evaluate(&[], arn),
            Err(Refusal::AccessDenied { explicit: false })
        );
    }
}
