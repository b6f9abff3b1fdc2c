//! The gateway's own answers: what API Gateway (REST or HTTP API) or Kong sends instead
//! of calling the integration, with its statuses, headers and bodies, and a REST API's
//! customised gateway responses where the router declares them.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Body;
use axum::response::Response;
use axum_aws_spec::{GatewayResponse, TemplateValue};
use http::{HeaderName, HeaderValue, StatusCode, header};

use super::Gateway;

/// Why the emulated gateway answers by itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// No declared route has this path and method.
    UnknownRoute,
    /// A route requiring SigV4 (IAM) without a signature this process can check.
    MissingSignature,
    /// No credentials, or credentials that did not verify (`Unauthorized`).
    Unauthorized,
    /// A Cognito token past its `exp`.
    ExpiredToken,
    /// A JWT authorizer (HTTP API) refused the token: `www-authenticate`'s description.
    InvalidJwt(&'static str),
    /// A JWT authorizer (HTTP API): the token has none of the route's scopes.
    InsufficientScope(Vec<String>),
    /// A Lambda authorizer's policy does not allow the method (`explicit`: it denies it).
    AccessDenied {
        /// Whether a statement denies it explicitly.
        explicit: bool,
    },
    /// The Lambda authorizer failed or answered something that is not a policy.
    AuthorizerConfiguration,
    /// A missing or unknown API key.
    InvalidApiKey,
    /// Required parameters missing (their names, in API Gateway's order).
    MissingParameters(Vec<String>),
    /// A body its model rejects.
    InvalidBody,
    /// A direct AWS service integration this process cannot stand in for.
    NotEmulated(String),
    /// Kong key-auth: no key in the request.
    KongNoApiKey,
    /// Kong jwt: no token in the request.
    KongNoToken,
    /// Kong jwt: a token that does not verify (its message).
    KongBadToken(&'static str),
    /// Kong jwt with `claims_to_verify: [exp]`: an expired token.
    KongExpired,
}

/// What a REST API calls a refusal (its gateway response type), its default status and
/// message, and its `x-amzn-ErrorType`.
struct RestResponse {
    kind: &'static str,
    status: u16,
    message: Option<String>,
    error_type: &'static str,
}

impl Refusal {
    /// The REST API's gateway response for this refusal.
    fn rest(&self) -> RestResponse {
        let (kind, status, message, error_type) = match self {
            Self::UnknownRoute | Self::MissingSignature => (
                "MISSING_AUTHENTICATION_TOKEN",
                403,
                Some("Missing Authentication Token".to_owned()),
                "MissingAuthenticationTokenException",
            ),
            Self::Unauthorized
            | Self::InvalidJwt(_)
            | Self::InsufficientScope(_)
            | Self::KongNoToken
            | Self::KongBadToken(_)
            | Self::KongExpired
            | Self::KongNoApiKey => (
                "UNAUTHORIZED",
                401,
                Some("Unauthorized".to_owned()),
                "UnauthorizedException",
            ),
            Self::ExpiredToken => (
                "UNAUTHORIZED",
                401,
                Some("The incoming token has expired".to_owned()),
                "UnauthorizedException",
            ),
            Self::AccessDenied { explicit } => (
                "ACCESS_DENIED",
                403,
                Some(if *explicit {
                    "User is not authorized to access this resource with an explicit deny"
                        .to_owned()
                } else {
                    "User is not authorized to access this resource".to_owned()
                }),
                "AccessDeniedException",
            ),
            Self::AuthorizerConfiguration => (
                "AUTHORIZER_CONFIGURATION_ERROR",
                500,
                None,
                "AuthorizerConfigurationException",
            ),
            Self::InvalidApiKey => (
                "INVALID_API_KEY",
                403,
                Some("Forbidden".to_owned()),
                "ForbiddenException",
            ),
            Self::MissingParameters(names) => (
                "BAD_REQUEST_PARAMETERS",
                400,
                Some(format!(
                    "Missing required request parameters: [{}]",
                    names.join(", ")
                )),
                "BadRequestException",
            ),
            Self::InvalidBody => (
                "BAD_REQUEST_BODY",
                400,
                Some("Invalid request body".to_owned()),
                "BadRequestException",
            ),
            Self::NotEmulated(message) => (
                "API_CONFIGURATION_ERROR",
                501,
                Some(message.clone()),
                "NotImplementedException",
            ),
        };
        RestResponse {
            kind,
            status,
            message,
            error_type,
        }
    }
}

/// The answer of `gateway` to `refusal`; `custom` are the router's declared gateway
/// responses (REST only: HTTP APIs and Kong have none).
pub(crate) fn respond(
    gateway: Gateway,
    refusal: &Refusal,
    custom: &BTreeMap<String, GatewayResponse>,
) -> Response {
    match gateway {
        Gateway::Rest => rest(refusal, custom),
        Gateway::HttpApi => http_api(refusal),
        Gateway::Kong => kong(refusal),
    }
}

/// A REST API's answer: the exact type's customised response, else the status class's
/// customised `DEFAULT_4XX` / `DEFAULT_5XX`, else the built-in default
/// (`{"message":$context.error.messageString}`).
fn rest(refusal: &Refusal, custom: &BTreeMap<String, GatewayResponse>) -> Response {
    let RestResponse {
        kind,
        status,
        message,
        error_type,
    } = refusal.rest();
    let class = if status >= 500 {
        "DEFAULT_5XX"
    } else {
        "DEFAULT_4XX"
    };
    let declared = custom.get(kind).or_else(|| custom.get(class));
    let message_string = message.as_deref().map_or_else(
        || "null".to_owned(),
        |m| serde_json::Value::from(m).to_string(),
    );
    let status = declared.and_then(|d| d.status).unwrap_or(status);
    let default_body = if matches!(refusal, Refusal::AccessDenied { .. }) {
        // AWS capitalises this one key (gateway-emulation notes, §2).
        format!(r#"{{"Message":{message_string}}}"#)
    } else {
        format!(r#"{{"message":{message_string}}}"#)
    };
    let body = declared
        .and_then(|d| {
            d.templates
                .get("application/json")
                .or_else(|| d.templates.values().next())
        })
        .map_or(default_body, |template| {
            template
                .as_str()
                .replace("$context.error.messageString", &message_string)
                .replace(
                    "$context.error.message",
                    message.as_deref().unwrap_or("null"),
                )
                .replace("$context.error.responseType", kind)
                .replace("$context.error.validationErrorString", "")
        });
    let mut response = json_response(status, body);
    insert(&mut response, "x-amzn-errortype", error_type);
    if let Some(declared) = declared {
        for (name, value) in &declared.headers {
            // The declaration holds a plain value (the export quotes it) or an expression;
            // a quoted literal is sent unquoted, a value read from the request or the
            // context is not emulated. Placeholders come from the environment, as the
            // CORS layer's origins do.
            let text = value.as_str();
            let from_env =
                |name: &str| std::env::var(name.to_ascii_uppercase()).unwrap_or_default();
            let literal = match text.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
                Some(quoted) => TemplateValue::from(quoted).render(from_env),
                None if value.is_mapping_expression() => continue,
                None => value.render(from_env),
            };
            if literal.is_empty() {
                // A placeholder whose variable is unset: no header rather than an empty one.
                continue;
            }
            insert(&mut response, name, &literal);
        }
    }
    response
}

/// An HTTP API's answer (it has no customisable gateway responses).
fn http_api(refusal: &Refusal) -> Response {
    match refusal {
        Refusal::UnknownRoute => json_response(404, r#"{"message":"Not Found"}"#.to_owned()),
        Refusal::InvalidJwt(description) => {
            let mut response = json_response(401, r#"{"message":"Unauthorized"}"#.to_owned());
            insert(
                &mut response,
                "www-authenticate",
                &format!(
                    r#"Bearer scope="" error="invalid_token" error_description="{description}""#
                ),
            );
            response
        }
        Refusal::InsufficientScope(scopes) => {
            let scopes = scopes.join(" ");
            let mut response = json_response(403, r#"{"message":"Forbidden"}"#.to_owned());
            insert(
                &mut response,
                "www-authenticate",
                &format!(
                    r#"Bearer scope="{scopes}" error="insufficient_scope" error_description="expected scopes: [{scopes}]""#
                ),
            );
            response
        }
        Refusal::AccessDenied { .. } | Refusal::InvalidApiKey | Refusal::MissingSignature => {
            json_response(403, r#"{"message":"Forbidden"}"#.to_owned())
        }
        Refusal::AuthorizerConfiguration => {
            json_response(500, r#"{"message":"Internal Server Error"}"#.to_owned())
        }
        Refusal::NotEmulated(message) => {
            json_response(501, serde_json::json!({ "message": message }).to_string())
        }
        Refusal::MissingParameters(_) | Refusal::InvalidBody => {
            json_response(400, r#"{"message":"Bad Request"}"#.to_owned())
        }
        Refusal::Unauthorized
        | Refusal::ExpiredToken
        | Refusal::KongNoApiKey
        | Refusal::KongNoToken
        | Refusal::KongBadToken(_)
        | Refusal::KongExpired => json_response(401, r#"{"message":"Unauthorized"}"#.to_owned()),
    }
}

/// Kong's answer: `kong.response.error` bodies carry a `request_id` (3.5+); the jwt
/// plugin's `kong.response.exit` bodies do not.
fn kong(refusal: &Refusal) -> Response {
    let error = |status: u16, message: &str| {
        json_response(
            status,
            serde_json::json!({ "message": message, "request_id": request_id() }).to_string(),
        )
    };
    let bearer = |body: String| {
        let mut response = json_response(401, body);
        insert(
            &mut response,
            "www-authenticate",
            r#"Bearer error="invalid_token""#,
        );
        response
    };
    match refusal {
        Refusal::UnknownRoute => error(404, "no Route matched with those values"),
        Refusal::KongNoApiKey => {
            let mut response = error(401, "No API key found in request");
            insert(&mut response, "www-authenticate", "Key");
            response
        }
        Refusal::InvalidApiKey => {
            let mut response = error(401, "Unauthorized");
            insert(&mut response, "www-authenticate", "Key");
            response
        }
        Refusal::KongNoToken | Refusal::Unauthorized => {
            let mut response = json_response(401, r#"{"message":"Unauthorized"}"#.to_owned());
            insert(&mut response, "www-authenticate", "Bearer");
            response
        }
        Refusal::KongBadToken(message) => {
            bearer(serde_json::json!({ "message": message }).to_string())
        }
        Refusal::KongExpired | Refusal::ExpiredToken => {
            bearer(r#"{"exp":"token expired"}"#.to_owned())
        }
        Refusal::InvalidJwt(_) => bearer(r#"{"message":"Invalid signature"}"#.to_owned()),
        Refusal::NotEmulated(message) => error(501, message),
        Refusal::MissingSignature
        | Refusal::AccessDenied { .. }
        | Refusal::InsufficientScope(_) => error(403, "Forbidden"),
        Refusal::AuthorizerConfiguration => error(500, "An unexpected error occurred"),
        Refusal::MissingParameters(_) | Refusal::InvalidBody => error(400, "Bad request"),
    }
}

/// A Kong-like request id: 32 hex digits, unique in this process.
fn request_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos() as u64);
    format!("{nanos:016x}{:016x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

fn json_response(status: u16, body: String) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::FORBIDDEN);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn insert(response: &mut Response, name: &str, value: &str) {
    if let (Ok(name), Ok(value)) = (
        HeaderName::from_bytes(name.as_bytes()),
        HeaderValue::from_str(value),
    ) {
        response.headers_mut().insert(name, value);
    }
}

/// A body over API Gateway's 10 MB limit (`REQUEST_TOO_LARGE`, not customisable).
pub(crate) fn too_large() -> Response {
    json_response(413, r#"{"message":"Request Too Long"}"#.to_owned())
}
