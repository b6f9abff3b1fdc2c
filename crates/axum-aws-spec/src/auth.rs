//! Authorizers and per-route security requirements.
//!
//! Reference: [x-amazon-apigateway-authorizer](https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html).

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::TemplateValue;
use crate::integration::PayloadFormat;

/// Who may call a route: a Lambda authorizer, a Cognito user pool, an API key or IAM.
///
/// ```
/// use axum_aws::auth::{Authorizer, CognitoAuthorizer, LambdaAuthorizer};
///
/// let token = LambdaAuthorizer::token("tokenAuth", "${authorizer_invoke_arn}");
/// let users = CognitoAuthorizer::new("users", ["${user_pool_arn}"]);
/// for auth in [Authorizer::from(token), users.into(), Authorizer::api_key(), Authorizer::iam()] {
///     println!("{}", auth.name());
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Authorizer {
    /// A Lambda function decides (TOKEN or REQUEST authorizer).
    Lambda(LambdaAuthorizer),
    /// A Cognito user pool token is required.
    Cognito(CognitoAuthorizer),
    /// A JWT from an OpenID Connect issuer is required (HTTP APIs only).
    Jwt(JwtAuthorizer),
    /// An API key (`x-api-key` header, or from a Lambda authorizer) on a usage plan is required.
    ApiKey,
    /// SigV4-signed requests (IAM `execute-api:Invoke` permission) are required.
    Iam,
}

impl Authorizer {
    /// Scheme name of the API key requirement.
    pub const API_KEY: &'static str = "api_key";
    /// Scheme name of the IAM requirement.
    pub const IAM: &'static str = "sigv4";

    /// Requires an API key.
    pub fn api_key() -> Self {
        Self::ApiKey
    }

    /// Requires SigV4 (IAM) signatures.
    pub fn iam() -> Self {
        Self::Iam
    }

    /// The security scheme name this authorizer is published under.
    pub fn name(&self) -> &str {
        match self {
            Self::Lambda(lambda) => &lambda.name,
            Self::Cognito(cognito) => &cognito.name,
            Self::Jwt(jwt) => &jwt.name,
            Self::ApiKey => Self::API_KEY,
            Self::Iam => Self::IAM,
        }
    }
}

/// How a Lambda authorizer gets the caller's identity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum LambdaIdentity {
    /// TOKEN: one header carries a bearer token.
    Token {
        /// The header, `Authorization` unless set.
        header: String,
        /// Regex the token must match before the function is called.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        validation_expression: Option<String>,
    },
    /// REQUEST: any mix of headers, query strings, stage variables and context values.
    Request {
        /// The identity sources (all must be present, or API Gateway answers 401).
        sources: Vec<IdentitySource>,
        /// A validation expression was set; REST APIs only honour it on TOKEN authorizers.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        validation_expression: Option<String>,
    },
}

/// One identity source of a REQUEST authorizer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "in", content = "name", rename_all = "snake_case")]
#[non_exhaustive]
pub enum IdentitySource {
    /// A request header.
    Header(String),
    /// A query string parameter.
    Query(String),
    /// A `$context` variable.
    Context(String),
    /// A stage variable.
    StageVariable(String),
}

impl IdentitySource {
    /// A request header.
    pub fn header(name: impl Into<String>) -> Self {
        Self::Header(name.into())
    }

    /// A query string parameter.
    pub fn query(name: impl Into<String>) -> Self {
        Self::Query(name.into())
    }

    /// A `$context` variable, e.g. `identity.sourceIp`.
    pub fn context(name: impl Into<String>) -> Self {
        Self::Context(name.into())
    }

    /// A stage variable.
    pub fn stage_variable(name: impl Into<String>) -> Self {
        Self::StageVariable(name.into())
    }
}

/// A Lambda (custom) authorizer.
///
/// ```
/// use axum_aws::auth::{IdentitySource, LambdaAuthorizer};
/// use std::time::Duration;
///
/// let token = LambdaAuthorizer::token("tokenAuth", "${authorizer_invoke_arn}")
///     .validation_expression("^Bearer [-0-9a-zA-Z._~+/]+=*$")
///     .ttl(Duration::from_secs(300));
/// let request = LambdaAuthorizer::request(
///     "tenantAuth",
///     "${authorizer_invoke_arn}",
///     [IdentitySource::header("Authorization"), IdentitySource::query("tenant")],
/// )
/// .credentials("${authorizer_role_arn}");
/// # let _ = (token, request);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct LambdaAuthorizer {
    /// Security scheme name.
    pub name: String,
    /// The authorizer function's invocation URI (Terraform `invoke_arn`).
    pub uri: TemplateValue,
    /// Role API Gateway assumes to invoke the function (else a Lambda permission is needed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials: Option<TemplateValue>,
    /// Result cache TTL in seconds (0 disables caching; unset means 300, a REST API's
    /// default, which the http-api target writes out since an HTTP API's is 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_seconds: Option<u32>,
    /// TOKEN or REQUEST.
    pub identity: LambdaIdentity,
    /// The event format an HTTP API sends the function (`None`: 1.0, the REST format).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload_format: Option<PayloadFormat>,
    /// The function answers `{"isAuthorized": bool, "context": {..}}` instead of an IAM
    /// policy (HTTP APIs, payload 2.0 only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub simple_responses: bool,
}

impl LambdaAuthorizer {
    /// A TOKEN authorizer reading the `Authorization` header.
    pub fn token(name: impl Into<String>, invoke_arn: impl Into<TemplateValue>) -> Self {
        Self {
            name: name.into(),
            uri: invoke_arn.into(),
            credentials: None,
            ttl_seconds: None,
            identity: LambdaIdentity::Token {
                header: "Authorization".to_owned(),
                validation_expression: None,
            },
            payload_format: None,
            simple_responses: false,
        }
    }

    /// A REQUEST authorizer with these identity sources.
    pub fn request(
        name: impl Into<String>,
        invoke_arn: impl Into<TemplateValue>,
        sources: impl IntoIterator<Item = IdentitySource>,
    ) -> Self {
        Self {
            identity: LambdaIdentity::Request {
                sources: sources.into_iter().collect(),
                validation_expression: None,
            },
            ..Self::token(name, invoke_arn)
        }
    }

    /// The header a TOKEN authorizer reads (ignored for REQUEST authorizers).
    pub fn header(mut self, header: impl Into<String>) -> Self {
        if let LambdaIdentity::Token {
            header: current, ..
        } = &mut self.identity
        {
            *current = header.into();
        }
        self
    }

    /// Regex a TOKEN must match before the function is called.
    /// REST APIs support it on TOKEN authorizers only; on a REQUEST authorizer the spec reports an error.
    pub fn validation_expression(mut self, regex: impl Into<String>) -> Self {
        match &mut self.identity {
            LambdaIdentity::Token {
                validation_expression,
                ..
            }
            | LambdaIdentity::Request {
                validation_expression,
                ..
            } => *validation_expression = Some(regex.into()),
        }
        self
    }

    /// How long API Gateway caches the function's answer.
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl_seconds = Some(u32::try_from(ttl.as_secs()).unwrap_or(u32::MAX));
        self
    }

    /// Role API Gateway assumes to invoke the authorizer function.
    pub fn credentials(mut self, role_arn: impl Into<TemplateValue>) -> Self {
        self.credentials = Some(role_arn.into());
        self
    }

    /// The event format an HTTP API sends the function
    /// ([`authorizerPayloadFormatVersion`](https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html));
    /// REST APIs only send 1.0, so 2.0 is an error there.
    ///
    /// ```
    /// use axum_aws::auth::{IdentitySource, LambdaAuthorizer};
    /// use axum_aws::integration::PayloadFormat;
    ///
    /// let v2 = LambdaAuthorizer::request("tenantAuth", "${authorizer_invoke_arn}", [IdentitySource::header("Authorization")])
    ///     .payload_format(PayloadFormat::V2);
    /// assert!(!v2.simple_responses); // still an IAM policy answer
    /// ```
    pub fn payload_format(mut self, format: PayloadFormat) -> Self {
        self.payload_format = Some(format);
        self
    }

    /// The function answers `{"isAuthorized": true|false, "context": {..}}` rather than
    /// an IAM policy: an HTTP API REQUEST authorizer in payload 2.0
    /// ([simple responses](https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html#http-api-lambda-authorizer.payload-format-response)).
    /// Sets the payload format to 2.0; REST APIs cannot express it.
    ///
    /// ```
    /// use axum_aws::auth::{IdentitySource, LambdaAuthorizer};
    /// use std::time::Duration;
    ///
    /// let simple = LambdaAuthorizer::request("tenantAuth", "${authorizer_invoke_arn}", [IdentitySource::header("Authorization")])
    ///     .simple_responses()
    ///     .ttl(Duration::from_secs(300));
    /// assert!(simple.simple_responses);
    /// ```
    pub fn simple_responses(mut self) -> Self {
        self.simple_responses = true;
        self.payload_format = Some(PayloadFormat::V2);
        self
    }
}

impl From<LambdaAuthorizer> for Authorizer {
    fn from(value: LambdaAuthorizer) -> Self {
        Self::Lambda(value)
    }
}

/// A Cognito user pool authorizer. Without scopes on the route it accepts ID tokens;
/// with scopes it accepts access tokens carrying one of them.
///
/// ```
/// use axum_aws::auth::{CognitoAuthorizer, Grant};
///
/// let users = CognitoAuthorizer::new("users", ["${user_pool_arn}"]);
/// let read = Grant::new(users).scopes(["widgets/read"]);
/// # let _ = read;
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct CognitoAuthorizer {
    /// Security scheme name.
    pub name: String,
    /// User pool ARNs.
    pub user_pools: Vec<TemplateValue>,
    /// Header carrying the token.
    pub header: String,
}

impl CognitoAuthorizer {
    /// Accepts tokens of these user pools in the `Authorization` header.
    pub fn new<T: Into<TemplateValue>>(
        name: impl Into<String>,
        user_pools: impl IntoIterator<Item = T>,
    ) -> Self {
        Self {
            name: name.into(),
            user_pools: user_pools.into_iter().map(Into::into).collect(),
            header: "Authorization".to_owned(),
        }
    }

    /// Reads the token from another header.
    pub fn header(mut self, header: impl Into<String>) -> Self {
        self.header = header.into();
        self
    }
}

impl From<CognitoAuthorizer> for Authorizer {
    fn from(value: CognitoAuthorizer) -> Self {
        Self::Cognito(value)
    }
}

/// A JWT authorizer: API Gateway checks the token's signature (the issuer's JWKS),
/// `iss`, `aud`/`client_id`, `exp`, `nbf` and `iat`, and a route's scopes against
/// `scope`/`scp`. HTTP APIs only; REST APIs express a Cognito pool with
/// [`CognitoAuthorizer`].
///
/// Reference: [JWT authorizers](https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html).
///
/// ```
/// use axum_aws::auth::{Grant, JwtAuthorizer};
///
/// let users = JwtAuthorizer::cognito("users", "${region}", "${user_pool_id}", ["${app_client_id}"]);
/// assert_eq!(users.issuer.as_str(), "https://cognito-idp.${region}.amazonaws.com/${user_pool_id}");
/// let auth0 = JwtAuthorizer::new("auth0", "https://example.eu.auth0.com/", ["https://api.example.com"])
///     .header("X-Token");
/// let read = Grant::new(users).scopes(["widgets/read"]);
/// # let _ = (auth0, read);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct JwtAuthorizer {
    /// Security scheme name.
    pub name: String,
    /// The issuer URL (`iss`); its `/.well-known/openid-configuration` names the keys.
    pub issuer: TemplateValue,
    /// Accepted audiences (`aud`, or `client_id` of Cognito access tokens).
    pub audiences: Vec<TemplateValue>,
    /// Header carrying the token (a `Bearer ` prefix is allowed).
    pub header: String,
}

impl JwtAuthorizer {
    /// Accepts tokens of `issuer` for one of `audiences` in the `Authorization` header.
    pub fn new<T: Into<TemplateValue>>(
        name: impl Into<String>,
        issuer: impl Into<TemplateValue>,
        audiences: impl IntoIterator<Item = T>,
    ) -> Self {
        Self {
            name: name.into(),
            issuer: issuer.into(),
            audiences: audiences.into_iter().map(Into::into).collect(),
            header: "Authorization".to_owned(),
        }
    }

    /// A Cognito user pool as a JWT issuer
    /// (`https://cognito-idp.{region}.amazonaws.com/{user_pool_id}`), accepting tokens
    /// of these app clients.
    pub fn cognito<T: Into<TemplateValue>>(
        name: impl Into<String>,
        region: impl Into<TemplateValue>,
        user_pool_id: impl Into<TemplateValue>,
        app_client_ids: impl IntoIterator<Item = T>,
    ) -> Self {
        let issuer = format!(
            "https://cognito-idp.{}.amazonaws.com/{}",
            region.into(),
            user_pool_id.into()
        );
        Self::new(name, issuer, app_client_ids)
    }

    /// Reads the token from another header.
    pub fn header(mut self, header: impl Into<String>) -> Self {
        self.header = header.into();
        self
    }
}

impl From<JwtAuthorizer> for Authorizer {
    fn from(value: JwtAuthorizer) -> Self {
        Self::Jwt(value)
    }
}

/// One authorizer inside a requirement, with the OAuth scopes it must grant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct Grant {
    /// The authorizer.
    pub authorizer: Authorizer,
    /// Scopes (Cognito and JWT only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
}

impl Grant {
    /// The authorizer, with no scopes.
    pub fn new(authorizer: impl Into<Authorizer>) -> Self {
        Self {
            authorizer: authorizer.into(),
            scopes: Vec::new(),
        }
    }

    /// Requires these OAuth scopes (Cognito access tokens, JWTs).
    pub fn scopes<I: Into<String>>(mut self, scopes: impl IntoIterator<Item = I>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }
}

impl<A: Into<Authorizer>> From<A> for Grant {
    fn from(value: A) -> Self {
        Self::new(value)
    }
}

/// A route's security: alternatives (OR), each a set of grants that must all pass (AND).
/// An empty `Security` means "public", and overrides a router default.
///
/// A REST API takes one set of grants per method: an API key with at most one
/// authorizer. Alternatives ([`or`](Self::or)) export only where the target can say
/// them (the public OpenAPI document, and Kong); the REST export rejects them naming
/// the route.
///
/// ```
/// use axum_aws::auth::{Authorizer, LambdaAuthorizer, Security};
/// use axum_aws::{integration::LambdaProxy, routing::{get, put}, AwsRouter, Info, Target};
///
/// let token = LambdaAuthorizer::token("tokenAuth", "${authorizer_invoke_arn}");
/// // API key AND the token authorizer: what a REST API exports.
/// let both = Security::all([Authorizer::api_key(), token.into()]);
/// assert_eq!(both.alternatives.len(), 1);
/// let rest: AwsRouter = AwsRouter::new()
///     .route("/w", put(|| async {}).auth(both))
///     .default_integration(LambdaProxy::new("${api_invoke_arn}"));
/// assert!(rest.spec(Info::new("t", "1")).render_private().is_ok());
///
/// // IAM OR an API key: OpenAPI alternatives, which a REST API cannot express.
/// let either = Security::from(Authorizer::iam()).or(Authorizer::api_key());
/// assert_eq!(either.alternatives.len(), 2);
/// let docs: AwsRouter = AwsRouter::new()
///     .route("/r", get(|| async { "ok" }).auth(either))
///     .default_integration(LambdaProxy::new("${api_invoke_arn}"));
/// let spec = docs.spec(Info::new("t", "1"));
/// assert!(spec.check_for(&[Target::OpenApi]).is_ok());
/// let errors = spec.render_private().unwrap_err();
/// assert!(errors.to_string().contains("GET /r: REST APIs cannot express alternative authorizers"));
/// assert!(Security::none().is_public());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct Security {
    /// Alternatives: any one satisfied is enough.
    pub alternatives: Vec<Requirement>,
}

/// Grants that must all pass together.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Requirement {
    /// The grants.
    pub all: Vec<Grant>,
}

impl Security {
    /// No authorization: a public route.
    pub fn none() -> Self {
        Self::default()
    }

    /// One requirement: every grant must pass.
    pub fn all<G: Into<Grant>>(grants: impl IntoIterator<Item = G>) -> Self {
        Self {
            alternatives: vec![Requirement {
                all: grants.into_iter().map(Into::into).collect(),
            }],
        }
    }

    /// Adds an alternative.
    pub fn or(mut self, other: impl Into<Security>) -> Self {
        self.alternatives.extend(other.into().alternatives);
        self
    }

    /// Whether no authorization is required.
    pub fn is_public(&self) -> bool {
        self.alternatives.iter().all(|r| r.all.is_empty())
    }

    /// Every grant, across alternatives.
    pub fn grants(&self) -> impl Iterator<Item = &Grant> {
        self.alternatives.iter().flat_map(|r| r.all.iter())
    }
}

impl<G: Into<Grant>> From<G> for Security {
    fn from(value: G) -> Self {
        Self::all([value])
    }
}

impl Authorizer {
    /// Calls `visit` with each template value of the authorizer and the knob it is.
    pub(crate) fn visit_knobs(
        &self,
        visit: &mut dyn FnMut(crate::value_kind::Knob, &TemplateValue),
    ) {
        use crate::value_kind::Knob;
        // Every field named: a new one does not compile until it is classified.
        match self {
            Self::Lambda(LambdaAuthorizer {
                name: _,
                uri,
                credentials,
                ttl_seconds: _,
                identity: _,
                payload_format: _,
                simple_responses: _,
            }) => {
                visit(Knob::LambdaAuthorizerUri, uri);
                if let Some(role) = credentials {
                    visit(Knob::LambdaAuthorizerCredentials, role);
                }
            }
            Self::Cognito(CognitoAuthorizer {
                name: _,
                user_pools,
                header: _,
            }) => user_pools
                .iter()
                .for_each(|pool| visit(Knob::CognitoUserPool, pool)),
            Self::Jwt(JwtAuthorizer {
                name: _,
                issuer,
                audiences,
                header: _,
            }) => {
                visit(Knob::JwtIssuer, issuer);
                audiences
                    .iter()
                    .for_each(|audience| visit(Knob::JwtAudience, audience));
            }
            Self::ApiKey | Self::Iam => {}
        }
    }
}
