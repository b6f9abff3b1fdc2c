//! Cognito user-pool and JWT authorizers: the token verified against the issuer's JWKS
//! (fetched once and cached; an unknown `kid` fetches it once more), then `iss`,
//! `aud`/`client_id`, `exp`, `nbf` and the route's scopes, answered as the emulated
//! gateway answers.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
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
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::rustls::{ClientConfig, RootCertStore};

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
            Some(Location { location, from }) => {
                note.push_str(&format!(", JWKS {location} (from {from})"));
            }
            None => note.push_str(&format!(
                ", NO JWKS (the issuer is a placeholder): every request is refused; set {}=<file or URL>",
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
    keys: RwLock<Option<Keys>>,
    /// Kids a fetch just now did not find, and when: not fetched for again for a
    /// minute, so forged kids cannot make every request a JWKS fetch.
    missing: Mutex<HashMap<String, Instant>>,
}

/// How long a kid the JWKS lacked is not fetched for again.
const MISSING_KID_PAUSE: Duration = Duration::from_secs(60);

impl Jwks {
    /// The key `kid`: from the cached set, else the set fetched again once.
    async fn key(&self, kid: &str) -> Option<Arc<DecodingKey>> {
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
                    *keys = Some(Keys::of(&set));
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

    fn find(&self, kid: &str) -> Option<Arc<DecodingKey>> {
        self.keys.read().ok()?.as_ref()?.find(kid)
    }
}

/// The decoding keys of a fetched set, built once: an RSA key from its JWK costs more
/// than verifying a token's signature with it. A key `jsonwebtoken` cannot read is kept
/// as `None` (it verifies nothing, but still answers its `kid`).
#[derive(Debug)]
struct Keys(Vec<(Option<String>, Option<Arc<DecodingKey>>)>);

impl Keys {
    fn of(set: &JwkSet) -> Self {
        Self(
            set.keys
                .iter()
                .map(|jwk| {
                    let key = DecodingKey::from_jwk(jwk).ok().map(Arc::new);
                    (jwk.common.key_id.clone(), key)
                })
                .collect(),
        )
    }

    /// The key `kid`; a token without a `kid` gets the set's first key.
    fn find(&self, kid: &str) -> Option<Arc<DecodingKey>> {
        let mut keys = self.0.iter();
        let (_, key) = if kid.is_empty() {
            keys.next()
        } else {
            keys.find(|(id, _)| id.as_deref() == Some(kid))
        }?;
        key.clone()
    }
}

/// A JWKS from a file or an `http://` / `https://` URL.
async fn fetch(location: &str) -> Result<JwkSet, String> {
    let text = if location.starts_with("http://") || location.starts_with("https://") {
        get(location, system_tls).await?
    } else {
        let path = location.strip_prefix("file://").unwrap_or(location);
        std::fs::read_to_string(path).map_err(|error| format!("{path}: {error}"))?
    };
    serde_json::from_str(&text).map_err(|error| format!("not a JWKS: {error}"))
}

/// rustls trusting the system's root certificates (`SSL_CERT_FILE` / `SSL_CERT_DIR` when
/// set), loaded on the first `https://` fetch and kept.
fn system_tls() -> Result<Arc<ClientConfig>, String> {
    static CONFIG: OnceLock<Result<Arc<ClientConfig>, String>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let found = rustls_native_certs::load_native_certs();
            let mut roots = RootCertStore::empty();
            let (added, _) = roots.add_parsable_certificates(found.certs);
            if added == 0 {
                return Err(format!(
                    "no trusted root certificate on this system ({} error(s) reading them): install the ca-certificates package or set SSL_CERT_FILE",
                    found.errors.len()
                ));
            }
            tls_config(roots)
        })
        .clone()
}

/// A TLS client configuration trusting `roots`, with ring as the crypto provider (named
/// here: the process may hold rustls with another provider too, through the AWS SDK).
fn tls_config(roots: RootCertStore) -> Result<Arc<ClientConfig>, String> {
    let config = ClientConfig::builder_with_provider(Arc::new(
        tokio_rustls::rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|error| error.to_string())?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(Arc::new(config))
}

/// `GET url` over HTTP/1.1 with hyper's client connection (over TLS for `https://`, the
/// configuration from `tls`), bounded to 10 s.
async fn get(
    url: &str,
    tls: impl FnOnce() -> Result<Arc<ClientConfig>, String>,
) -> Result<String, String> {
    let uri: http::Uri = url.parse().map_err(|error| format!("{url}: {error}"))?;
    let https = uri.scheme() == Some(&http::uri::Scheme::HTTPS);
    let host = uri
        .host()
        .ok_or_else(|| format!("{url}: no host"))?
        .to_owned();
    let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
    let path = uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
    let fetch = async {
        let stream = tokio::net::TcpStream::connect((host.as_str(), port))
            .await
            .map_err(|error| format!("{url}: {error}"))?;
        if https {
            let name =
                ServerName::try_from(host.clone()).map_err(|error| format!("{url}: {error}"))?;
            let stream = TlsConnector::from(tls()?)
                .connect(name, stream)
                .await
                .map_err(|error| format!("{url}: {error}"))?;
            request(TokioIo::new(stream), &host, &path, url).await
        } else {
            request(TokioIo::new(stream), &host, &path, url).await
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(10), fetch)
        .await
        .map_err(|_| format!("{url}: no answer within 10 s"))?
}

/// One `GET path` on an open connection; the body when the status is a success.
async fn request<I>(io: I, host: &str, path: &str, url: &str) -> Result<String, String>
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|error| format!("{url}: {error}"))?;
    tokio::spawn(connection);
    let request = http::Request::get(path)
        .header(http::header::HOST, host)
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
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio_rustls::TlsAcceptor;
    use tokio_rustls::rustls::ServerConfig;
    use tokio_rustls::rustls::crypto::ring;
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

    use super::*;

    /// A test CA and a certificate it signed for 127.0.0.1 (see the folder's README).
    const TLS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls");

    /// A loopback HTTPS server with the fixture's certificate, answering every `GET` with
    /// `body`; the URL of its JWKS path.
    async fn https_server(body: &'static str) -> String {
        let cert = CertificateDer::from_pem_file(format!("{TLS}/server.pem")).unwrap();
        let key = PrivateKeyDer::from_pem_file(format!("{TLS}/server.key")).unwrap();
        let config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![cert], key)
            .unwrap();
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(stream).await else {
                        return;
                    };
                    let mut request = Vec::new();
                    let mut buffer = [0; 1024];
                    while !request.ends_with(b"\r\n\r\n") {
                        match tls.read(&mut buffer).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => request.extend_from_slice(&buffer[..n]),
                        }
                    }
                    let response = format!(
                        "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = tls.write_all(response.as_bytes()).await;
                    let _ = tls.shutdown().await;
                });
            }
        });
        format!("https://127.0.0.1:{port}/.well-known/jwks.json")
    }

    fn trusting_the_test_ca() -> Result<Arc<ClientConfig>, String> {
        let mut roots = RootCertStore::empty();
        roots
            .add(CertificateDer::from_pem_file(format!("{TLS}/ca.pem")).unwrap())
            .unwrap();
        tls_config(roots)
    }

    #[tokio::test]
    async fn a_jwks_url_is_fetched_over_https() {
        let jwks = r#"{"keys":[]}"#;
        let url = https_server(jwks).await;
        assert_eq!(get(&url, trusting_the_test_ca).await.unwrap(), jwks);
    }

    /// The system's roots do not hold the test CA: the certificate is verified, and the
    /// refusal names the URL.
    #[tokio::test]
    async fn a_certificate_the_roots_do_not_vouch_for_is_refused() {
        let url = https_server(r#"{"keys":[]}"#).await;
        let error = get(&url, system_tls).await.unwrap_err();
        // rustls's "invalid peer certificate: UnknownIssuer", or no roots at all here.
        assert!(
            (error.starts_with(&url) && error.contains("certificate"))
                || error.starts_with("no trusted root certificate"),
            "{error}"
        );
    }
}
