//! Cognito user-pool and JWT authorizers: the token verified against the issuer's JWKS
//! (fetched once and cached; an unknown `kid` fetches it once more), then `iss`,
//! `aud`/`client_id`, `exp`, `nbf` and the route's scopes, answered as the emulated
//! gateway answers.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum_aws_spec::TemplateValue;
use axum_aws_spec::auth::Authorizer;
use http::HeaderMap;
use http_body_util::BodyExt;
use hyper_util::rt::TokioIo;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;

use super::Gateway;
use super::answer::Refusal;
use super::config::{Resolved, jwks_env};

/// How the authorizer reads tokens: a REST API's Cognito authorizer, or an HTTP API's
/// JWT authorizer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Cognito,
    Jwt,
}

/// One Cognito or JWT authorizer, with the scopes of one route.
#[derive(Debug)]
pub(crate) struct JwtCheck {
    name: String,
    kind: Kind,
    header: String,
    /// Accepted issuers; empty when the declared ones are placeholders (not checked).
    issuers: Vec<String>,
    /// Accepted audiences (JWT authorizers); empty when placeholders (not checked).
    audiences: Vec<String>,
    scopes: Vec<String>,
    jwks: Arc<Jwks>,
}

/// Claims of a verified token.
#[derive(Debug)]
pub(crate) struct Verified {
    pub(crate) principal_id: Option<String>,
    /// As the gateway passes them on: strings (other values as their JSON text).
    pub(crate) claims: BTreeMap<String, String>,
    pub(crate) scopes: Vec<String>,
}

impl JwtCheck {
    pub(crate) fn new(authorizer: &Authorizer, resolved: &Resolved) -> Self {
        let literal = |value: &TemplateValue| {
            let text = value.as_str();
            (!text.contains("${")).then(|| text.trim_end_matches('/').to_owned())
        };
        let (kind, header, issuers, audiences) = match authorizer {
            Authorizer::Cognito(cognito) => (
                Kind::Cognito,
                cognito.header.clone(),
                cognito
                    .user_pools
                    .iter()
                    .filter_map(|arn| literal(arn).and_then(|arn| pool_issuer(&arn)))
                    .collect(),
                Vec::new(),
            ),
            Authorizer::Jwt(jwt) => (
                Kind::Jwt,
                jwt.header.clone(),
                literal(&jwt.issuer).into_iter().collect(),
                jwt.audiences.iter().filter_map(literal).collect(),
            ),
            _ => (
                Kind::Jwt,
                "Authorization".to_owned(),
                Vec::new(),
                Vec::new(),
            ),
        };
        let name = authorizer.name().to_owned();
        let location = resolved
            .jwks_for(&name)
            .map(|(location, from)| Location { location, from });
        let default_location = issuers
            .first()
            .map(|issuer| format!("{issuer}/.well-known/jwks.json"));
        Self {
            jwks: Arc::new(Jwks {
                location: location.or(default_location.map(|location| Location {
                    location,
                    from: "the issuer's well-known URL".to_owned(),
                })),
                keys: RwLock::new(None),
                missing: Mutex::new(HashMap::new()),
            }),
            name,
            kind,
            header,
            issuers,
            audiences,
            scopes: Vec::new(),
        }
    }

    /// The same authorizer requiring `scopes` (one route's grant).
    pub(crate) fn with_scopes(&self, scopes: &[String]) -> Arc<Self> {
        Arc::new(Self {
            name: self.name.clone(),
            kind: self.kind,
            header: self.header.clone(),
            issuers: self.issuers.clone(),
            audiences: self.audiences.clone(),
            scopes: scopes.to_vec(),
            jwks: Arc::clone(&self.jwks),
        })
    }

    /// The summary's note.
    pub(crate) fn describe(&self, scopes: &[String]) -> String {
        let kind = match self.kind {
            Kind::Cognito => "Cognito",
            Kind::Jwt => "JWT",
        };
        let mut note = format!("{kind} authorizer {:?}", self.name);
        match &self.jwks.location {
            Some(Location { location, from }) if fetchable(location) => {
                note.push_str(&format!(", JWKS {location} (from {from})"));
            }
            Some(Location { location, .. }) => note.push_str(&format!(
                ", JWKS {location} is NOT fetched by this server (https): every request is refused; download it and set {}=<file>",
                jwks_env(&self.name)
            )),
            None => note.push_str(&format!(
                ", NO JWKS (the issuer is a placeholder): every request is refused; set {}=<file or http URL>",
                jwks_env(&self.name)
            )),
        }
        if self.issuers.is_empty() {
            note.push_str(", iss NOT checked (placeholder)");
        }
        if self.kind == Kind::Jwt && self.audiences.is_empty() {
            note.push_str(", aud NOT checked (placeholder)");
        }
        if !scopes.is_empty() {
            note.push_str(&format!(", scopes {}", scopes.join(" ")));
        }
        note
    }

    /// Verifies the request's token; the refusal is `gateway`'s.
    pub(crate) async fn verify(
        &self,
        headers: &HeaderMap,
        gateway: Gateway,
    ) -> Result<Verified, Refusal> {
        let refuse = |rest: Refusal, http: &'static str, kong: &'static str| match gateway {
            Gateway::Rest => rest,
            Gateway::HttpApi => Refusal::InvalidJwt(http),
            Gateway::Kong => Refusal::KongBadToken(kong),
        };
        let Some(raw) = headers
            .get(self.header.as_str())
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
            .filter(|value| !value.is_empty())
        else {
            return Err(if gateway == Gateway::Kong {
                Refusal::KongNoToken
            } else {
                Refusal::Unauthorized
            });
        };
        let token = raw
            .strip_prefix("Bearer ")
            .or_else(|| raw.strip_prefix("bearer "))
            .unwrap_or(raw)
            .trim();
        let bad = || {
            refuse(
                Refusal::Unauthorized,
                "the token is not a valid JWT",
                "Bad token; invalid JSON",
            )
        };
        let header = jsonwebtoken::decode_header(token).map_err(|_| bad())?;
        if !matches!(
            header.alg,
            Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512
        ) {
            return Err(refuse(
                Refusal::Unauthorized,
                "the token's algorithm is not supported",
                "Invalid algorithm",
            ));
        }
        let kid = header.kid.clone().unwrap_or_default();
        let key = self.jwks.key(&kid).await.ok_or_else(|| {
            refuse(
                Refusal::Unauthorized,
                "the token's kid matches no key of the issuer",
                "Invalid signature",
            )
        })?;
        let mut validation = Validation::new(header.alg);
        validation.leeway = 0;
        validation.validate_nbf = true;
        // `aud` / `client_id` are checked below, as API Gateway reads them.
        validation.validate_aud = false;
        validation.required_spec_claims = HashSet::from(["exp".to_owned()]);
        if !self.issuers.is_empty() {
            validation.set_issuer(&self.issuers);
        }
        let data = jsonwebtoken::decode::<BTreeMap<String, Value>>(token, &key, &validation)
            .map_err(|error| match error.kind() {
                ErrorKind::ExpiredSignature => match gateway {
                    Gateway::Rest => Refusal::ExpiredToken,
                    Gateway::HttpApi => Refusal::InvalidJwt("the token has expired"),
                    Gateway::Kong => Refusal::KongExpired,
                },
                ErrorKind::ImmatureSignature => refuse(
                    Refusal::Unauthorized,
                    "the token is not valid yet",
                    "Invalid signature",
                ),
                ErrorKind::InvalidIssuer => refuse(
                    Refusal::Unauthorized,
                    "the token does not have a valid issuer",
                    "Invalid 'iss' in claims",
                ),
                ErrorKind::InvalidSignature => refuse(
                    Refusal::Unauthorized,
                    "the token's signature is invalid",
                    "Invalid signature",
                ),
                _ => refuse(
                    Refusal::Unauthorized,
                    "the token is not valid",
                    "Invalid signature",
                ),
            })?;
        let claims = data.claims;
        let token_scopes = scopes_of(&claims);
        match self.kind {
            Kind::Jwt if !self.audiences.is_empty() => {
                // `aud` when present, else `client_id` (Cognito access tokens).
                let audiences = match claims.get("aud") {
                    Some(Value::String(aud)) => vec![aud.clone()],
                    Some(Value::Array(auds)) => auds
                        .iter()
                        .filter_map(|a| a.as_str().map(str::to_owned))
                        .collect(),
                    _ => claims
                        .get("client_id")
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                        .into_iter()
                        .collect(),
                };
                if !audiences.iter().any(|aud| self.audiences.contains(aud)) {
                    return Err(refuse(
                        Refusal::Unauthorized,
                        "the token does not have a valid audience",
                        "Invalid signature",
                    ));
                }
            }
            Kind::Cognito => {
                // Without scopes the method takes ID tokens; with scopes, access tokens.
                let token_use = claims.get("token_use").and_then(Value::as_str);
                let expected = if self.scopes.is_empty() {
                    "id"
                } else {
                    "access"
                };
                if token_use.is_some_and(|token_use| token_use != expected) {
                    return Err(Refusal::Unauthorized);
                }
            }
            Kind::Jwt => {}
        }
        if !self.scopes.is_empty() && !self.scopes.iter().any(|scope| token_scopes.contains(scope))
        {
            return Err(match (gateway, self.kind) {
                (Gateway::HttpApi, _) | (_, Kind::Jwt) => {
                    Refusal::InsufficientScope(self.scopes.clone())
                }
                _ => Refusal::Unauthorized,
            });
        }
        Ok(Verified {
            principal_id: claims.get("sub").and_then(Value::as_str).map(str::to_owned),
            scopes: token_scopes,
            claims: claims
                .into_iter()
                .map(|(name, value)| match value {
                    Value::String(text) => (name, text),
                    other => (name, other.to_string()),
                })
                .collect(),
        })
    }
}

/// `scope` (space-separated) or `scp` (a list or a string).
fn scopes_of(claims: &BTreeMap<String, Value>) -> Vec<String> {
    match claims.get("scope").or_else(|| claims.get("scp")) {
        Some(Value::String(scopes)) => scopes.split_whitespace().map(str::to_owned).collect(),
        Some(Value::Array(scopes)) => scopes
            .iter()
            .filter_map(|s| s.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// `https://cognito-idp.{region}.amazonaws.com/{poolId}` of a user pool ARN
/// (`arn:aws:cognito-idp:{region}:{account}:userpool/{poolId}`).
fn pool_issuer(arn: &str) -> Option<String> {
    let mut parts = arn.splitn(6, ':');
    let (_, _, service, region, _, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    let pool = resource.strip_prefix("userpool/")?;
    (service == "cognito-idp").then(|| format!("https://cognito-idp.{region}.amazonaws.com/{pool}"))
}

/// Where a JWKS is read from, and who said so.
#[derive(Debug)]
struct Location {
    location: String,
    from: String,
}

/// A JWKS, fetched on first use and cached.
#[derive(Debug)]
struct Jwks {
    location: Option<Location>,
    keys: RwLock<Option<JwkSet>>,
    /// Kids a fetch just now did not find, and when: not fetched for again for a
    /// minute, so forged kids cannot make every request a JWKS fetch.
    missing: Mutex<HashMap<String, Instant>>,
}

/// How long a kid the JWKS lacked is not fetched for again.
const MISSING_KID_PAUSE: Duration = Duration::from_secs(60);

impl Jwks {
    /// The key `kid`: from the cached set, else the set fetched again once.
    async fn key(&self, kid: &str) -> Option<DecodingKey> {
        let cached = self.find(kid);
        if cached.is_some() {
            return cached;
        }
        let location = self.location.as_ref()?;
        if let Ok(missing) = self.missing.lock()
            && missing
                .get(kid)
                .is_some_and(|at| at.elapsed() < MISSING_KID_PAUSE)
        {
            return None;
        }
        match fetch(&location.location).await {
            Ok(set) => {
                if let Ok(mut keys) = self.keys.write() {
                    *keys = Some(set);
                }
            }
            Err(error) => {
                lambda_http::tracing::error!(jwks = %location.location, %error, "cannot read the JWKS; tokens are refused");
                return None;
            }
        }
        let found = self.find(kid);
        if found.is_none()
            && let Ok(mut missing) = self.missing.lock()
        {
            missing.insert(kid.to_owned(), Instant::now());
        }
        found
    }

    fn find(&self, kid: &str) -> Option<DecodingKey> {
        let keys = self.keys.read().ok()?;
        let set = keys.as_ref()?;
        let jwk = if kid.is_empty() {
            set.keys.first()
        } else {
            set.find(kid)
        }?;
        DecodingKey::from_jwk(jwk).ok()
    }
}

/// Whether this server can read `location` (a file or an `http://` URL).
fn fetchable(location: &str) -> bool {
    !location.starts_with("https://")
}

/// A JWKS from a file or an `http://` URL.
async fn fetch(location: &str) -> Result<JwkSet, String> {
    let text = if location.starts_with("https://") {
        return Err("https URLs are not fetched by this server (no TLS client): download the JWKS and point at the file".to_owned());
    } else if location.starts_with("http://") {
        get(location).await?
    } else {
        let path = location.strip_prefix("file://").unwrap_or(location);
        std::fs::read_to_string(path).map_err(|error| format!("{path}: {error}"))?
    };
    serde_json::from_str(&text).map_err(|error| format!("not a JWKS: {error}"))
}

/// `GET url` over HTTP/1.1 with hyper's client connection, bounded to 10 s.
async fn get(url: &str) -> Result<String, String> {
    let uri: http::Uri = url.parse().map_err(|error| format!("{url}: {error}"))?;
    let host = uri
        .host()
        .ok_or_else(|| format!("{url}: no host"))?
        .to_owned();
    let port = uri.port_u16().unwrap_or(80);
    let fetch = async {
        let stream = tokio::net::TcpStream::connect((host.as_str(), port))
            .await
            .map_err(|error| format!("{url}: {error}"))?;
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|error| format!("{url}: {error}"))?;
        tokio::spawn(connection);
        let request = http::Request::get(uri.path_and_query().map_or("/", |p| p.as_str()))
            .header(http::header::HOST, host.as_str())
            .body(http_body_util::Empty::<axum::body::Bytes>::new())
            .map_err(|error| error.to_string())?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|error| format!("{url}: {error}"))?;
        if !response.status().is_success() {
            return Err(format!("{url}: HTTP {}", response.status()));
        }
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|error| format!("{url}: {error}"))?
            .to_bytes();
        String::from_utf8(body.to_vec()).map_err(|error| error.to_string())
    };
    tokio::time::timeout(std::time::Duration::from_secs(10), fetch)
        .await
        .map_err(|_| format!("{url}: no answer within 10 s"))?
}
