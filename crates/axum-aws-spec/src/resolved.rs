//! The resolved view of a spec: what each path and route amounts to once router defaults,
//! authorizers, validators and integrations are looked up, computed once.
//!
//! The model ([`ApiSpec`]) says what was declared; this view says what it means, in the
//! terms every consumer needs and none should re-derive: the CORS policy of each path,
//! each route's security with its schemes resolved, its request validation, the statuses
//! a non-proxy integration lets the gateway send, and its integration as intent (a Lambda
//! function, an HTTP backend, a mock, an AWS-service action with the resource it acts on
//! and the role it uses); and for the whole spec, the Lambda functions, service actions,
//! API-key use and placeholders with what they stand for.
//!
//! [`ApiSpec::check_for`] computes it once and [`Checked::resolved`](crate::Checked::resolved)
//! hands it out; [`ApiSpec::resolve`] computes it for a spec that was not checked (the
//! served router's).
//!
//! ```
//! use axum_aws_spec::auth::{Authorizer, LambdaAuthorizer, Security};
//! use axum_aws_spec::integration::{LambdaProxy, Queue, SqsSendMessage};
//! use axum_aws_spec::resolved::{Intent, Scheme, ServiceResource, ValueKind};
//! use axum_aws_spec::{ApiSettings, ApiSpec, Cors, Info, Method, RouteMeta, Target};
//!
//! let auth = LambdaAuthorizer::token("tokens", "${authorizer_invoke_arn}");
//! let mut get = RouteMeta::new(Method::Get, "/orders");
//! get.integration = Some(LambdaProxy::new("${api_invoke_arn}").into());
//! get.security = Some(Security::from(Authorizer::from(auth)));
//! get.cors = Some(Cors::new());
//! let mut post = RouteMeta::new(Method::Post, "/orders");
//! let send = SqsSendMessage::new("${region}", Queue::url("${orders_queue_url}"));
//! post.integration = Some(send.credentials("${sqs_role_arn}").into());
//! let spec = ApiSpec::new(Info::new("Orders", "1"), ApiSettings::default(), vec![get, post]);
//!
//! let checked = spec.check_for(&[Target::Rest])?;
//! let view = checked.resolved();
//! // One path, one CORS policy, for the methods that carry it.
//! assert_eq!(view.paths().len(), 1);
//! assert_eq!(view.paths()[0].cors_methods(), [Method::Get]);
//! // GET: behind a TOKEN authorizer reading `Authorization`, cached 300 s by default.
//! let Scheme::Lambda(lambda) = view.routes()[0].security().grants().next().unwrap().scheme() else { panic!() };
//! assert_eq!(lambda.ttl_seconds(), 300);
//! // POST: an SQS SendMessage on the queue, with the role it runs as.
//! let Some(Intent::Service(action)) = view.routes()[1].intent() else { panic!() };
//! assert_eq!(action.actions(), ["sqs:SendMessage"]);
//! assert!(matches!(action.resource(), ServiceResource::Queue(_)));
//! assert_eq!(action.role().map(|r| r.as_str()), Some("${sqs_role_arn}"));
//! assert_eq!(view.routes()[1].integration_statuses(), Some(&[200, 400, 500][..]));
//! // The spec's Lambda functions: the handler and the authorizer.
//! assert_eq!(view.lambda_functions().len(), 2);
//! // What each placeholder stands for.
//! let role = view.placeholders().iter().find(|p| p.name() == "sqs_role_arn").unwrap();
//! assert_eq!(role.kinds(), [ValueKind::RoleArn]);
//! # Ok::<(), axum_aws_spec::SpecErrors>(())
//! ```

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use crate::auth::{
    Authorizer, CognitoAuthorizer, Grant, IdentitySource, JwtAuthorizer, LambdaAuthorizer,
    LambdaIdentity, Security,
};
use crate::doc::{Parameter, ParameterIn, RequestBody};
use crate::integration::{Integration, PathPart, PayloadFormat, Queue};
use crate::path::FastMap;
use crate::{ApiSpec, Cors, Method, RequestValidator, RouteMeta, RoutePath, TemplateValue};

pub use crate::value_kind::ValueKind;

/// API Gateway's cache time for a Lambda authorizer's answer when none is set.
const DEFAULT_AUTHORIZER_TTL_SECONDS: u32 = 300;

/// The resolved view of a spec (see the [module docs](self)).
#[derive(Clone, Debug)]
pub struct Resolved<'a> {
    paths: Vec<ResolvedPath<'a>>,
    /// Each path's index in `paths`, by its text.
    path_index: FastMap<&'a str, usize>,
    routes: Vec<ResolvedRoute<'a>>,
    /// Each scheme with the authorizer it was declared as (what the gateways render).
    schemes: Vec<(&'a Authorizer, Scheme<'a>)>,
    functions: Vec<LambdaFunction<'a>>,
    placeholders: Vec<Placeholder>,
}

impl<'a> Resolved<'a> {
    /// Every distinct path, in the order its first route was declared.
    pub fn paths(&self) -> &[ResolvedPath<'a>] {
        &self.paths
    }

    /// Every route, in declaration order (the spec's `routes`).
    pub fn routes(&self) -> &[ResolvedRoute<'a>] {
        &self.routes
    }

    /// The path a route is on.
    pub fn path_of(&self, route: &ResolvedRoute<'a>) -> &ResolvedPath<'a> {
        &self.paths[route.path_index]
    }

    /// The path declared as `path` (axum syntax), if a route has it.
    ///
    /// ```
    /// use axum_aws_spec::integration::Mock;
    /// use axum_aws_spec::{ApiSettings, ApiSpec, Cors, Info, Method, RouteMeta};
    ///
    /// let mut route = RouteMeta::new(Method::Get, "/items/{id}");
    /// route.integration = Some(Mock::new(200).into());
    /// route.cors = Some(Cors::new());
    /// let spec = ApiSpec::new(Info::new("Demo", "1"), ApiSettings::default(), vec![route]);
    /// let view = spec.resolve();
    /// assert!(view.path("/items/{id}").unwrap().cors().is_some());
    /// assert!(view.path("/items").is_none());
    /// ```
    pub fn path(&self, path: &str) -> Option<&ResolvedPath<'a>> {
        self.path_index.get(path).map(|&index| &self.paths[index])
    }

    /// Every security scheme the routes use, once each by name, in first-use order.
    pub fn schemes(&self) -> impl Iterator<Item = &Scheme<'a>> {
        self.schemes.iter().map(|(_, scheme)| scheme)
    }

    /// The authorizer each of [`schemes`](Self::schemes) was declared as.
    pub(crate) fn scheme_authorizers(&self) -> impl Iterator<Item = &'a Authorizer> + '_ {
        self.schemes.iter().map(|(authorizer, _)| *authorizer)
    }

    /// Every Lambda function the API invokes (handlers and authorizers), once each by
    /// its URI, in first-use order, with what uses it.
    pub fn lambda_functions(&self) -> &[LambdaFunction<'a>] {
        &self.functions
    }

    /// Every AWS-service action a route performs, with the route.
    pub fn service_actions(
        &self,
    ) -> impl Iterator<Item = (&ResolvedRoute<'a>, &ServiceAction<'a>)> {
        self.routes.iter().filter_map(|route| match &route.intent {
            Some(Intent::Service(action)) => Some((route, action)),
            _ => None,
        })
    }

    /// Whether some route requires an API key (a REST API then needs a usage plan).
    pub fn api_key_required(&self) -> bool {
        self.routes.iter().any(|r| r.security.api_key_required())
    }

    /// Every Terraform placeholder, by name, with what it stands for and who uses it.
    pub fn placeholders(&self) -> &[Placeholder] {
        &self.placeholders
    }

    /// The CORS policy of an API that applies one CORS configuration to every route and
    /// every answer (an HTTP API, whose checks make the routes share it): the first
    /// path's. `None` when no route has CORS.
    ///
    /// ```
    /// use axum_aws_spec::{ApiSettings, ApiSpec, Cors, Info, Method, RouteMeta};
    ///
    /// let mut route = RouteMeta::new(Method::Get, "/items");
    /// route.cors = Some(Cors::new().allow_origin("https://app.example.com"));
    /// let spec = ApiSpec::new(Info::new("Demo", "1"), ApiSettings::default(), vec![route]);
    /// assert_eq!(spec.resolve().api_cors().unwrap().origins()[0].as_str(), "https://app.example.com");
    /// ```
    pub fn api_cors(&self) -> Option<&'a Cors> {
        self.paths.iter().find_map(ResolvedPath::cors)
    }

    /// The CORS headers a REST API's own error answers carry when routes use CORS (its
    /// `DEFAULT_4XX` and `DEFAULT_5XX` gateway responses), so that a browser can read a
    /// 401 or a 403 too. `None` when no route has CORS.
    ///
    /// A gateway response is static: it names the origin only when every policy allows
    /// the same single one, and takes the allowed headers and credentials of the first.
    ///
    /// ```
    /// use axum_aws_spec::{ApiSettings, ApiSpec, Cors, Info, Method, RouteMeta};
    ///
    /// let mut route = RouteMeta::new(Method::Get, "/items");
    /// route.cors = Some(Cors::new().allow_origin("${app_origin}"));
    /// let spec = ApiSpec::new(Info::new("Demo", "1"), ApiSettings::default(), vec![route]);
    /// assert!(spec.resolve().error_cors().is_some());
    /// ```
    pub fn error_cors(&self) -> Option<ErrorCors<'a>> {
        let mut policies = self
            .routes
            .iter()
            .filter_map(|route| route.route.cors.as_ref());
        let first = policies.next()?;
        // Policies are mostly one value shared by many routes: compare each distinct one.
        let mut distinct: Vec<&'a Cors> = vec![first];
        for policy in policies {
            if !distinct.contains(&policy) {
                distinct.push(policy);
            }
        }
        let origin = match first.allow_origins.as_slice() {
            [one]
                if distinct.iter().all(|policy| {
                    policy.allow_origins.len() == 1 && policy.allow_origins[0] == *one
                }) =>
            {
                Some(one)
            }
            _ => None,
        };
        Some(ErrorCors {
            origin,
            allow_headers: &first.allow_headers,
            allow_credentials: first.allow_credentials,
        })
    }
}

/// The CORS headers of a REST API's own error answers (see [`Resolved::error_cors`]).
#[derive(Clone, Copy, Debug)]
pub struct ErrorCors<'a> {
    origin: Option<&'a TemplateValue>,
    allow_headers: &'a [String],
    allow_credentials: bool,
}

impl ErrorCors<'_> {
    /// Each header with its value as a gateway response maps it: a quoted literal
    /// (`'https://app.example.com'`), placeholders kept.
    ///
    /// ```
    /// use axum_aws_spec::{ApiSettings, ApiSpec, Cors, Info, Method, RouteMeta};
    ///
    /// let mut route = RouteMeta::new(Method::Get, "/items");
    /// route.cors = Some(Cors::new().allow_origin("${app_origin}").allow_headers(["Content-Type"]));
    /// let spec = ApiSpec::new(Info::new("Demo", "1"), ApiSettings::default(), vec![route]);
    /// let headers = spec.resolve().error_cors().unwrap().headers();
    /// let text: Vec<(&str, &str)> = headers.iter().map(|(name, value)| (*name, value.as_str())).collect();
    /// assert_eq!(text, [
    ///     ("Access-Control-Allow-Origin", "'${app_origin}'"),
    ///     ("Access-Control-Allow-Headers", "'Content-Type'"),
    /// ]);
    /// ```
    pub fn headers(&self) -> Vec<(&'static str, TemplateValue)> {
        let mut headers = Vec::new();
        if let Some(origin) = self.origin {
            headers.push((
                "Access-Control-Allow-Origin",
                TemplateValue::from(format!("'{}'", origin.as_str())),
            ));
        }
        headers.push((
            "Access-Control-Allow-Headers",
            TemplateValue::from(format!("'{}'", self.allow_headers.join(","))),
        ));
        if self.allow_credentials {
            headers.push((
                "Access-Control-Allow-Credentials",
                TemplateValue::from("'true'"),
            ));
        }
        headers
    }
}

/// One path of the API and the CORS policy that applies to it.
#[derive(Clone, Debug)]
pub struct ResolvedPath<'a> {
    path: &'a RoutePath,
    cors: Option<&'a Cors>,
    methods: Vec<Method>,
    cors_methods: Vec<Method>,
}

impl<'a> ResolvedPath<'a> {
    /// The path as declared (axum syntax).
    pub fn path(&self) -> &'a RoutePath {
        self.path
    }

    /// The CORS policy that answers preflights on this path (router default or route
    /// override: the checks make every route of a path agree), `None` without one.
    pub fn cors(&self) -> Option<&'a Cors> {
        self.cors
    }

    /// The methods declared on this path, in declaration order.
    pub fn methods(&self) -> &[Method] {
        &self.methods
    }

    /// The methods of the routes that carry the CORS policy, in declaration order.
    pub fn cors_methods(&self) -> &[Method] {
        &self.cors_methods
    }
}

/// One route, resolved.
#[derive(Clone, Debug)]
pub struct ResolvedRoute<'a> {
    route: &'a RouteMeta,
    path_index: usize,
    security: ResolvedSecurity<'a>,
    validation: Validation<'a>,
    statuses: Option<Vec<u16>>,
    intent: Option<Intent<'a>>,
}

impl<'a> ResolvedRoute<'a> {
    /// The route as declared.
    pub fn route(&self) -> &'a RouteMeta {
        self.route
    }

    /// Its method.
    pub fn method(&self) -> Method {
        self.route.method
    }

    /// Its path.
    pub fn path(&self) -> &'a RoutePath {
        &self.route.path
    }

    /// Its security requirement, schemes resolved.
    pub fn security(&self) -> &ResolvedSecurity<'a> {
        &self.security
    }

    /// What the gateway validates before the integration runs.
    pub fn validation(&self) -> &Validation<'a> {
        &self.validation
    }

    /// The statuses a non-proxy integration lets API Gateway send (its integration
    /// responses', and those their templates select), sorted; `None` for a proxy
    /// integration (the backend picks) or none.
    pub fn integration_statuses(&self) -> Option<&[u16]> {
        self.statuses.as_deref()
    }

    /// What the integration does; `None` when the route has none (a check error).
    pub fn intent(&self) -> Option<&Intent<'a>> {
        self.intent.as_ref()
    }
}

/// A route's security: alternatives, each a set of grants that must all pass. No
/// alternative: a public route.
#[derive(Clone, Debug, Default)]
pub struct ResolvedSecurity<'a> {
    declared: Option<&'a Security>,
    alternatives: Vec<Vec<ResolvedGrant<'a>>>,
}

impl<'a> ResolvedSecurity<'a> {
    /// The security as declared (`None`: none was set, the route is public).
    pub fn declared(&self) -> Option<&'a Security> {
        self.declared
    }

    /// Whether any caller may call the route.
    pub fn is_public(&self) -> bool {
        self.alternatives.is_empty()
    }

    /// The alternatives: a request passes when every grant of one of them passes.
    pub fn alternatives(&self) -> &[Vec<ResolvedGrant<'a>>] {
        &self.alternatives
    }

    /// Every grant of every alternative.
    pub fn grants(&self) -> impl Iterator<Item = &ResolvedGrant<'a>> {
        self.alternatives.iter().flatten()
    }

    /// Whether every alternative asks for the API key.
    pub fn api_key_required(&self) -> bool {
        !self.alternatives.is_empty()
            && self
                .alternatives
                .iter()
                .all(|all| all.iter().any(|g| matches!(g.scheme, Scheme::ApiKey)))
    }
}

/// One scheme a request must pass, with the scopes it must carry.
#[derive(Clone, Debug)]
pub struct ResolvedGrant<'a> {
    scheme: Scheme<'a>,
    scopes: &'a [String],
}

impl<'a> ResolvedGrant<'a> {
    /// The scheme.
    pub fn scheme(&self) -> &Scheme<'a> {
        &self.scheme
    }

    /// The OAuth scopes the token must carry (Cognito, JWT).
    pub fn scopes(&self) -> &'a [String] {
        self.scopes
    }
}

/// A security scheme, resolved.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Scheme<'a> {
    /// API Gateway's API key (`x-api-key`).
    ApiKey,
    /// AWS IAM (SigV4-signed requests).
    Iam,
    /// A Lambda authorizer, TOKEN or REQUEST.
    Lambda(LambdaScheme<'a>),
    /// A Cognito user-pool authorizer (REST APIs).
    Cognito(CognitoScheme<'a>),
    /// A JWT authorizer (HTTP APIs, Kong).
    Jwt(JwtScheme<'a>),
}

impl<'a> Scheme<'a> {
    /// The security scheme name it is published under.
    pub fn name(&self) -> &'a str {
        match self {
            Self::ApiKey => Authorizer::API_KEY,
            Self::Iam => Authorizer::IAM,
            Self::Lambda(lambda) => &lambda.authorizer.name,
            Self::Cognito(cognito) => &cognito.authorizer.name,
            Self::Jwt(jwt) => &jwt.authorizer.name,
        }
    }

    /// Where the caller's identity is read (empty for the API key and IAM).
    pub fn identity_sources(&self) -> &[IdentitySource] {
        match self {
            Self::ApiKey | Self::Iam => &[],
            Self::Lambda(lambda) => &lambda.identity_sources,
            Self::Cognito(cognito) => std::slice::from_ref(&cognito.identity_source),
            Self::Jwt(jwt) => std::slice::from_ref(&jwt.identity_source),
        }
    }

    fn new(authorizer: &'a Authorizer) -> Self {
        match authorizer {
            Authorizer::ApiKey => Self::ApiKey,
            Authorizer::Iam => Self::Iam,
            Authorizer::Lambda(lambda) => Self::Lambda(LambdaScheme::new(lambda)),
            Authorizer::Cognito(cognito) => Self::Cognito(CognitoScheme {
                authorizer: cognito,
                identity_source: IdentitySource::header(&cognito.header),
            }),
            Authorizer::Jwt(jwt) => Self::Jwt(JwtScheme {
                authorizer: jwt,
                identity_source: IdentitySource::header(&jwt.header),
            }),
        }
    }
}

/// Whether a Lambda authorizer gets one token or the whole request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LambdaAuthorizerKind {
    /// TOKEN: one header's value.
    Token,
    /// REQUEST: headers, query strings, stage variables, context values.
    Request,
}

/// A Lambda authorizer, resolved.
#[derive(Clone, Debug)]
pub struct LambdaScheme<'a> {
    authorizer: &'a LambdaAuthorizer,
    kind: LambdaAuthorizerKind,
    identity_sources: Cow<'a, [IdentitySource]>,
}

impl<'a> LambdaScheme<'a> {
    fn new(authorizer: &'a LambdaAuthorizer) -> Self {
        let (kind, identity_sources) = match &authorizer.identity {
            LambdaIdentity::Token { header, .. } => (
                LambdaAuthorizerKind::Token,
                Cow::Owned(vec![IdentitySource::header(header)]),
            ),
            LambdaIdentity::Request { sources, .. } => {
                (LambdaAuthorizerKind::Request, Cow::Borrowed(&sources[..]))
            }
        };
        Self {
            authorizer,
            kind,
            identity_sources,
        }
    }

    /// The authorizer as declared.
    pub fn authorizer(&self) -> &'a LambdaAuthorizer {
        self.authorizer
    }

    /// TOKEN or REQUEST.
    pub fn kind(&self) -> LambdaAuthorizerKind {
        self.kind
    }

    /// The function's invocation URI (or ARN).
    pub fn function(&self) -> &'a TemplateValue {
        &self.authorizer.uri
    }

    /// The role API Gateway invokes the function as, if set.
    pub fn role(&self) -> Option<&'a TemplateValue> {
        self.authorizer.credentials.as_ref()
    }

    /// Where the identity is read: a TOKEN authorizer's header, a REQUEST one's sources.
    pub fn identity_sources(&self) -> &[IdentitySource] {
        &self.identity_sources
    }

    /// How long an answer is cached, in seconds (API Gateway's 300 when unset).
    pub fn ttl_seconds(&self) -> u32 {
        self.authorizer
            .ttl_seconds
            .unwrap_or(DEFAULT_AUTHORIZER_TTL_SECONDS)
    }

    /// The payload format version, when set (HTTP APIs).
    pub fn payload_format(&self) -> Option<PayloadFormat> {
        self.authorizer.payload_format
    }
}

/// A Cognito user-pool authorizer, resolved.
#[derive(Clone, Debug)]
pub struct CognitoScheme<'a> {
    authorizer: &'a CognitoAuthorizer,
    identity_source: IdentitySource,
}

impl<'a> CognitoScheme<'a> {
    /// The authorizer as declared.
    pub fn authorizer(&self) -> &'a CognitoAuthorizer {
        self.authorizer
    }

    /// The user pool ARNs whose tokens it accepts.
    pub fn user_pools(&self) -> &'a [TemplateValue] {
        &self.authorizer.user_pools
    }
}

/// A JWT authorizer, resolved.
#[derive(Clone, Debug)]
pub struct JwtScheme<'a> {
    authorizer: &'a JwtAuthorizer,
    identity_source: IdentitySource,
}

impl<'a> JwtScheme<'a> {
    /// The authorizer as declared.
    pub fn authorizer(&self) -> &'a JwtAuthorizer {
        self.authorizer
    }

    /// The issuer URL.
    pub fn issuer(&self) -> &'a TemplateValue {
        &self.authorizer.issuer
    }

    /// The audiences a token must be for.
    pub fn audiences(&self) -> &'a [TemplateValue] {
        &self.authorizer.audiences
    }

    /// The header the token is read from.
    pub fn identity_source(&self) -> &IdentitySource {
        &self.identity_source
    }
}

/// What the gateway validates on a route before its integration runs.
#[derive(Clone, Debug, Default)]
pub struct Validation<'a> {
    validator: Option<(&'a str, &'a RequestValidator)>,
    required_parameters: Vec<&'a Parameter>,
    body: Option<&'a RequestBody>,
}

impl<'a> Validation<'a> {
    /// The request validator that applies (the route's, else the API default), by name.
    pub fn validator(&self) -> Option<(&'a str, &'a RequestValidator)> {
        self.validator
    }

    /// The documented parameters a request must carry (path parameters always).
    pub fn required_parameters(&self) -> &[&'a Parameter] {
        &self.required_parameters
    }

    /// The documented request body, with its schema per content type.
    pub fn body(&self) -> Option<&'a RequestBody> {
        self.body
    }

    /// Whether the gateway checks the required parameters.
    pub fn validates_parameters(&self) -> bool {
        self.validator.is_some_and(|(_, v)| v.parameters)
    }

    /// Whether the gateway checks the body against its schema.
    pub fn validates_body(&self) -> bool {
        self.validator.is_some_and(|(_, v)| v.body)
    }
}

/// What a route's integration does, whatever gateway runs it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Intent<'a> {
    /// A Lambda function is invoked.
    Lambda(LambdaCall<'a>),
    /// An HTTP backend is called.
    Http(HttpCall<'a>),
    /// The gateway answers itself.
    Mock(MockAnswer<'a>),
    /// An AWS-service action is performed.
    Service(ServiceAction<'a>),
}

/// A Lambda function invocation.
#[derive(Clone, Debug)]
pub struct LambdaCall<'a> {
    function: &'a TemplateValue,
    proxy: bool,
    role: Option<&'a TemplateValue>,
}

impl<'a> LambdaCall<'a> {
    /// The function's invocation URI (or ARN).
    pub fn function(&self) -> &'a TemplateValue {
        self.function
    }

    /// Whether the function gets the whole request (proxy), not a mapped one.
    pub fn proxy(&self) -> bool {
        self.proxy
    }

    /// The role API Gateway invokes it as, if set.
    pub fn role(&self) -> Option<&'a TemplateValue> {
        self.role
    }
}

/// An HTTP backend call.
#[derive(Clone, Debug)]
pub struct HttpCall<'a> {
    url: &'a TemplateValue,
    method: Method,
    proxy: bool,
    vpc_link: Option<&'a TemplateValue>,
}

impl<'a> HttpCall<'a> {
    /// The backend URL (or, over a VPC link, a listener or Cloud Map service ARN).
    pub fn url(&self) -> &'a TemplateValue {
        self.url
    }

    /// The method the backend is called with.
    pub fn method(&self) -> Method {
        self.method
    }

    /// Whether requests and responses pass through unchanged.
    pub fn proxy(&self) -> bool {
        self.proxy
    }

    /// The VPC link, for a private backend.
    pub fn vpc_link(&self) -> Option<&'a TemplateValue> {
        self.vpc_link
    }
}

/// An answer the gateway makes up.
#[derive(Clone, Debug)]
pub struct MockAnswer<'a> {
    status: u16,
    headers: &'a BTreeMap<String, TemplateValue>,
    bodies: &'a BTreeMap<String, TemplateValue>,
}

impl<'a> MockAnswer<'a> {
    /// Its status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Its body, per content type.
    pub fn bodies(&self) -> &'a BTreeMap<String, TemplateValue> {
        self.bodies
    }

    /// Its static response headers (what a gateway emulation answers with).
    pub fn headers(&self) -> &'a BTreeMap<String, TemplateValue> {
        self.headers
    }
}

/// An AWS-service action a route performs: what IAM must allow its role.
#[derive(Clone, Debug)]
pub struct ServiceAction<'a> {
    pub(crate) actions: Vec<String>,
    pub(crate) resource: ServiceResource<'a>,
    pub(crate) region: Option<&'a TemplateValue>,
    pub(crate) role: Option<&'a TemplateValue>,
}

impl<'a> ServiceAction<'a> {
    /// The IAM actions it performs (`sqs:SendMessage`); empty for a generic path-style
    /// service call, whose action the URI does not name.
    pub fn actions(&self) -> &[String] {
        &self.actions
    }

    /// The resource it acts on.
    pub fn resource(&self) -> &ServiceResource<'a> {
        &self.resource
    }

    /// The region it is called in (`None` for a generic call: it is inside the URI).
    pub fn region(&self) -> Option<&'a TemplateValue> {
        self.region
    }

    /// The role API Gateway performs it as (`credentials`).
    pub fn role(&self) -> Option<&'a TemplateValue> {
        self.role
    }
}

/// The resource an AWS-service action acts on.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum ServiceResource<'a> {
    /// An SQS queue.
    Queue(&'a Queue),
    /// An SNS topic, by ARN.
    Topic(&'a TemplateValue),
    /// S3 objects (or, listing, the bucket).
    #[non_exhaustive]
    Bucket {
        /// The bucket.
        bucket: &'a PathPart,
        /// A fixed prefix of every key.
        key_prefix: &'a str,
        /// The key (`None`: the bucket is listed).
        key: Option<&'a PathPart>,
    },
    /// A Step Functions state machine, by ARN.
    StateMachine(&'a TemplateValue),
    /// An EventBridge event bus (`None`: the account's default bus).
    EventBus(Option<&'a TemplateValue>),
    /// A DynamoDB table, or one of its indexes.
    #[non_exhaustive]
    Table {
        /// The table name.
        name: &'a TemplateValue,
        /// The secondary index queried.
        index: Option<&'a str>,
    },
    /// A generic service call: the resource is inside its URI.
    Uri(&'a TemplateValue),
}

/// A Lambda function the API invokes, and what invokes it.
#[derive(Clone, Debug)]
pub struct LambdaFunction<'a> {
    function: &'a TemplateValue,
    routes: Vec<&'a RouteMeta>,
    authorizers: Vec<&'a str>,
}

impl<'a> LambdaFunction<'a> {
    /// The function's invocation URI (or ARN), as the routes write it.
    pub fn function(&self) -> &'a TemplateValue {
        self.function
    }

    /// The routes it handles, in declaration order.
    pub fn routes(&self) -> &[&'a RouteMeta] {
        &self.routes
    }

    /// The authorizers it is, by name.
    pub fn authorizers(&self) -> &[&'a str] {
        &self.authorizers
    }
}

/// A Terraform placeholder, what it stands for and who uses it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placeholder {
    name: String,
    kinds: Vec<ValueKind>,
    used_by: BTreeSet<String>,
}

impl Placeholder {
    /// Its name (`api_invoke_arn` in `${api_invoke_arn}`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What the values it stands alone in are ([`ValueKind::Text`] where it is part of a
    /// longer value or of free text), in first-use order.
    pub fn kinds(&self) -> &[ValueKind] {
        &self.kinds
    }

    /// The routes (`METHOD /path`) and `api settings` that use it.
    pub fn used_by(&self) -> &BTreeSet<String> {
        &self.used_by
    }
}

impl ApiSpec {
    /// The resolved view of this spec, computed now (a checked spec has it already:
    /// [`Checked::resolved`](crate::Checked::resolved)). On a spec whose checks fail it
    /// resolves what can be: invalid placeholders are left out.
    ///
    /// ```
    /// use axum_aws_spec::integration::Mock;
    /// use axum_aws_spec::resolved::Intent;
    /// use axum_aws_spec::{ApiSettings, ApiSpec, Info, Method, RouteMeta};
    ///
    /// let mut health = RouteMeta::new(Method::Get, "/health");
    /// health.integration = Some(Mock::new(204).into());
    /// let spec = ApiSpec::new(Info::new("Demo", "1"), ApiSettings::default(), vec![health]);
    /// let view = spec.resolve();
    /// assert!(matches!(view.routes()[0].intent(), Some(Intent::Mock(m)) if m.status() == 204));
    /// assert_eq!(view.routes()[0].integration_statuses(), Some(&[204][..]));
    /// ```
    pub fn resolve(&self) -> Resolved<'_> {
        resolve(self)
    }
}

fn resolve<'a>(spec: &'a ApiSpec) -> Resolved<'a> {
    let mut paths: Vec<ResolvedPath<'a>> = Vec::new();
    let mut path_index: FastMap<&'a str, usize> = FastMap::default();
    let mut schemes: Vec<(&'a Authorizer, Scheme<'a>)> = Vec::new();
    let mut functions: Vec<LambdaFunction<'a>> = Vec::new();
    let mut function_index: FastMap<&'a str, usize> = FastMap::default();
    let mut function = |uri: &'a TemplateValue| {
        *function_index.entry(uri.as_str()).or_insert_with(|| {
            functions.push(LambdaFunction {
                function: uri,
                routes: Vec::new(),
                authorizers: Vec::new(),
            });
            functions.len() - 1
        })
    };
    // Filled after the pass: `function` holds `functions` until then.
    let mut authorizer_uses: Vec<(usize, &'a str)> = Vec::new();
    let mut route_uses: Vec<(usize, &'a RouteMeta)> = Vec::new();
    let mut routes = Vec::with_capacity(spec.routes.len());
    for route in &spec.routes {
        let at = *path_index.entry(route.path.as_str()).or_insert_with(|| {
            paths.push(ResolvedPath {
                path: &route.path,
                cors: None,
                methods: Vec::new(),
                cors_methods: Vec::new(),
            });
            paths.len() - 1
        });
        let here = &mut paths[at];
        here.methods.push(route.method);
        if let Some(cors) = &route.cors {
            here.cors.get_or_insert(cors);
            here.cors_methods.push(route.method);
        }

        let security = resolve_security(route.security.as_ref());
        for grant in security.grants() {
            if let Scheme::Lambda(lambda) = &grant.scheme {
                let used = (function(lambda.function()), lambda.authorizer.name.as_str());
                if !authorizer_uses.contains(&used) {
                    authorizer_uses.push(used);
                }
            }
        }
        for declared in route.security.iter().flat_map(Security::grants) {
            let name = declared.authorizer.name();
            if !schemes.iter().any(|(a, _)| a.name() == name) {
                schemes.push((&declared.authorizer, Scheme::new(&declared.authorizer)));
            }
        }
        let intent = route.integration.as_ref().map(intent);
        if let Some(Intent::Lambda(call)) = &intent {
            route_uses.push((function(call.function), route));
        }
        routes.push(ResolvedRoute {
            route,
            path_index: at,
            security,
            validation: validation(spec, route),
            statuses: route
                .integration
                .as_ref()
                .and_then(Integration::sent_statuses),
            intent,
        });
    }
    for (index, name) in authorizer_uses {
        functions[index].authorizers.push(name);
    }
    for (index, route) in route_uses {
        functions[index].routes.push(route);
    }
    Resolved {
        paths,
        path_index,
        routes,
        schemes,
        functions,
        placeholders: placeholders(spec),
    }
}

fn resolve_security(security: Option<&Security>) -> ResolvedSecurity<'_> {
    let alternatives = security.map_or_else(Vec::new, |security| {
        security
            .alternatives
            .iter()
            .map(|requirement| requirement.all.iter().map(grant).collect())
            .collect()
    });
    ResolvedSecurity {
        declared: security,
        alternatives,
    }
}

fn grant(grant: &Grant) -> ResolvedGrant<'_> {
    ResolvedGrant {
        scheme: Scheme::new(&grant.authorizer),
        scopes: &grant.scopes,
    }
}

fn validation<'a>(spec: &'a ApiSpec, route: &'a RouteMeta) -> Validation<'a> {
    let settings = &spec.settings;
    let validator = route
        .request_validator
        .as_ref()
        .or(settings.default_request_validator.as_ref())
        .and_then(|name| settings.request_validators.get_key_value(name))
        .map(|(name, validator)| (name.as_str(), validator));
    let operation = route.operation.as_ref();
    Validation {
        validator,
        required_parameters: operation
            .iter()
            .flat_map(|op| &op.parameters)
            .filter(|p| p.required || p.location == ParameterIn::Path)
            .collect(),
        body: operation.and_then(|op| op.request_body.as_ref()),
    }
}

fn intent(integration: &Integration) -> Intent<'_> {
    let role = integration.options().credentials.as_ref();
    match integration {
        Integration::LambdaProxy(lambda) => Intent::Lambda(LambdaCall {
            function: &lambda.uri,
            proxy: true,
            role,
        }),
        Integration::Lambda(lambda) => Intent::Lambda(LambdaCall {
            function: &lambda.uri,
            proxy: false,
            role,
        }),
        Integration::Http(http) => Intent::Http(HttpCall {
            url: &http.url,
            method: http.method,
            proxy: http.proxy,
            vpc_link: http.vpc_link.as_ref(),
        }),
        Integration::Mock(mock) => Intent::Mock(MockAnswer {
            status: mock.status,
            headers: &mock.headers,
            bodies: &mock.bodies,
        }),
        Integration::AwsService(aws) => Intent::Service(aws.service_action()),
        Integration::StepFunctions(kind) => Intent::Service(kind.service_action()),
        Integration::S3(kind) => Intent::Service(kind.service_action()),
        Integration::SnsPublish(kind) => Intent::Service(kind.service_action()),
        Integration::SqsSendMessage(kind) => Intent::Service(kind.service_action()),
        Integration::DynamoDb(kind) => Intent::Service(kind.service_action()),
        Integration::PutEvents(kind) => Intent::Service(kind.service_action()),
    }
}

/// Every placeholder with the kinds of the values it stands alone in, from the one
/// enumeration of the model's template values ([`ApiSpec::visit_knobs`]).
fn placeholders(spec: &ApiSpec) -> Vec<Placeholder> {
    let mut found: BTreeMap<String, Placeholder> = BTreeMap::new();
    spec.visit_knobs(&mut |route, knob, value| {
        let Ok(names) = value.placeholders() else {
            return;
        };
        let alone = matches!(names[..], [one] if value.as_str().len() == one.len() + 3);
        let kind = if alone { knob.kind() } else { ValueKind::Text };
        for name in names {
            let entry = found.entry(name.to_owned()).or_insert_with(|| Placeholder {
                name: name.to_owned(),
                kinds: Vec::new(),
                used_by: BTreeSet::new(),
            });
            if !entry.kinds.contains(&kind) {
                entry.kinds.push(kind);
            }
            let owner = route.map_or_else(|| "api settings".to_owned(), RouteMeta::label);
            entry.used_by.insert(owner);
        }
    });
    found.into_values().collect()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::auth::{CognitoAuthorizer, JwtAuthorizer};
    use crate::doc::{MediaType, Operation, RequestBody, Schema};
    use crate::integration::{
        AwsService, Field, Http, Lambda, LambdaProxy, Mock, PutEvents, S3, SnsPublish,
        StepFunctions, Table,
    };
    use crate::{ApiSettings, Info, Target};

    fn route(method: Method, path: &str, integration: impl Into<Integration>) -> RouteMeta {
        let mut route = RouteMeta::new(method, path);
        route.integration = Some(integration.into());
        route
    }

    fn spec(routes: Vec<RouteMeta>) -> ApiSpec {
        ApiSpec::new(Info::new("t", "1"), ApiSettings::default(), routes)
    }

    #[test]
    fn each_path_has_its_policy_and_the_methods_that_carry_it() {
        let cors = Cors::new().allow_origin("${app_origin}");
        let mut get = route(Method::Get, "/items", LambdaProxy::new("${fn}"));
        get.cors = Some(cors.clone());
        let post = route(Method::Post, "/items", LambdaProxy::new("${fn}"));
        let mut put = route(Method::Put, "/items", LambdaProxy::new("${fn}"));
        put.cors = Some(cors.clone());
        let other = route(Method::Get, "/other", LambdaProxy::new("${fn}"));
        let spec = spec(vec![get, post, other, put]);
        let view = spec.resolve();

        let paths: Vec<&str> = view.paths().iter().map(|p| p.path().as_str()).collect();
        assert_eq!(paths, ["/items", "/other"]);
        let items = &view.paths()[0];
        assert_eq!(items.cors(), Some(&cors));
        assert_eq!(items.methods(), [Method::Get, Method::Post, Method::Put]);
        assert_eq!(items.cors_methods(), [Method::Get, Method::Put]);
        assert_eq!(view.paths()[1].cors(), None);
        assert_eq!(view.path_of(&view.routes()[3]).path().as_str(), "/items");
        assert_eq!(view.path_of(&view.routes()[2]).path().as_str(), "/other");
    }

    #[test]
    fn schemes_are_resolved_with_their_identity_sources() {
        let token = LambdaAuthorizer::token("tokens", "${token_fn}").header("X-Token");
        let request = LambdaAuthorizer::request(
            "requests",
            "${request_fn}",
            [IdentitySource::header("X-A"), IdentitySource::query("q")],
        )
        .ttl(Duration::from_secs(0))
        .credentials("${auth_role}");
        let cognito = CognitoAuthorizer::new("pool", ["${pool_arn}"]);
        let jwt = JwtAuthorizer::new("jwt", "${issuer}", ["${audience}"]).header("X-Jwt");
        let mut routes = Vec::new();
        for (i, security) in [
            Security::from(Authorizer::from(token)),
            Security::from(Authorizer::from(request)),
            Security::from(Grant::new(cognito).scopes(["read"])),
            Security::from(Authorizer::from(jwt)),
            Security::all([Authorizer::api_key(), Authorizer::iam()]),
            Security::none(),
        ]
        .into_iter()
        .enumerate()
        {
            let mut r = route(Method::Get, &format!("/r{i}"), Mock::new(200));
            r.security = Some(security);
            routes.push(r);
        }
        routes.push(route(Method::Get, "/open", Mock::new(200)));
        let spec = spec(routes);
        let view = spec.resolve();
        let scheme = |i: usize| {
            view.routes()[i]
                .security()
                .grants()
                .next()
                .unwrap()
                .scheme()
        };

        let Scheme::Lambda(token) = scheme(0) else {
            panic!("{:?}", scheme(0))
        };
        assert_eq!(token.kind(), LambdaAuthorizerKind::Token);
        assert_eq!(
            token.identity_sources(),
            [IdentitySource::header("X-Token")]
        );
        assert_eq!(token.ttl_seconds(), 300);
        assert_eq!(token.function().as_str(), "${token_fn}");
        let Scheme::Lambda(request) = scheme(1) else {
            panic!("{:?}", scheme(1))
        };
        assert_eq!(request.kind(), LambdaAuthorizerKind::Request);
        assert_eq!(
            request.identity_sources(),
            [IdentitySource::header("X-A"), IdentitySource::query("q")]
        );
        assert_eq!(request.ttl_seconds(), 0);
        assert_eq!(
            request.role().map(TemplateValue::as_str),
            Some("${auth_role}")
        );
        let Scheme::Cognito(pool) = scheme(2) else {
            panic!("{:?}", scheme(2))
        };
        assert_eq!(pool.user_pools()[0].as_str(), "${pool_arn}");
        assert_eq!(
            view.routes()[2]
                .security()
                .grants()
                .next()
                .unwrap()
                .scopes(),
            ["read"]
        );
        assert_eq!(
            scheme(2).identity_sources(),
            [IdentitySource::header("Authorization")]
        );
        let Scheme::Jwt(jwt) = scheme(3) else {
            panic!("{:?}", scheme(3))
        };
        assert_eq!(jwt.issuer().as_str(), "${issuer}");
        assert_eq!(jwt.audiences()[0].as_str(), "${audience}");
        assert_eq!(jwt.identity_source(), &IdentitySource::header("X-Jwt"));

        let both = view.routes()[4].security();
        assert!(both.api_key_required());
        assert!(matches!(both.alternatives()[0][1].scheme(), Scheme::Iam));
        assert!(view.api_key_required());
        assert!(view.routes()[5].security().is_public());
        assert!(view.routes()[5].security().declared().is_some());
        assert!(view.routes()[6].security().is_public());
        assert!(view.routes()[6].security().declared().is_none());

        let names: Vec<&str> = view.schemes().map(Scheme::name).collect();
        assert_eq!(
            names,
            ["tokens", "requests", "pool", "jwt", "api_key", "sigv4"]
        );
    }

    #[test]
    fn no_api_key_route_means_none_required() {
        let mut open = route(Method::Get, "/", Mock::new(200));
        open.security = Some(Security::from(Authorizer::iam()).or(Authorizer::api_key()));
        let spec = spec(vec![open]);
        let view = spec.resolve();
        // One alternative does without the key.
        assert!(!view.routes()[0].security().api_key_required());
        assert!(!view.api_key_required());
    }

    #[test]
    fn validation_names_the_validator_parameters_and_body() {
        let mut create = route(Method::Post, "/items/{id}", LambdaProxy::new("${fn}"));
        let mut operation = Operation::default();
        let mut query = Parameter::new("q", ParameterIn::Query, Schema::string());
        operation.parameters = vec![
            Parameter::new("id", ParameterIn::Path, Schema::string()),
            Parameter::new("optional", ParameterIn::Query, Schema::string()),
        ];
        query.required = true;
        operation.parameters.push(query);
        operation.request_body = Some(RequestBody::new(
            "application/json",
            MediaType::schema(Schema::reference("Item")),
        ));
        create.operation = Some(operation);
        let mut other = route(Method::Get, "/other", LambdaProxy::new("${fn}"));
        other.request_validator = Some("params".to_owned());
        let mut spec = spec(vec![create, other]);
        spec.settings = ApiSettings::new()
            .request_validator("all", RequestValidator::all())
            .request_validator("params", RequestValidator::parameters_only())
            .default_request_validator("all");
        let view = spec.resolve();

        let create = view.routes()[0].validation();
        assert_eq!(create.validator().map(|(name, _)| name), Some("all"));
        assert!(create.validates_body() && create.validates_parameters());
        let required: Vec<&str> = create
            .required_parameters()
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(required, ["id", "q"]);
        assert!(
            create
                .body()
                .unwrap()
                .content
                .contains_key("application/json")
        );
        let other = view.routes()[1].validation();
        assert_eq!(other.validator().map(|(name, _)| name), Some("params"));
        assert!(!other.validates_body() && other.validates_parameters());
        assert!(other.body().is_none());
    }

    #[test]
    fn integrations_resolve_to_their_intent() {
        let table = Table::new("${region}", "${table}", Field::s("id"));
        let spec = spec(vec![
            route(Method::Get, "/a", LambdaProxy::new("${api_fn}")),
            route(
                Method::Post,
                "/a",
                Lambda::new("${api_fn}").credentials("${invoke_role}"),
            ),
            route(
                Method::Get,
                "/b",
                Http::proxy(Method::Get, "https://example.com").vpc_link("${link}"),
            ),
            route(
                Method::Get,
                "/c",
                Mock::new(202).body("application/json", "{}"),
            ),
            route(
                Method::Post,
                "/d",
                SnsPublish::new("${region}", "${topic_arn}"),
            ),
            route(
                Method::Get,
                "/e/{key}",
                S3::get_object("${region}", "${bucket}", PathPart::param("key")).key_prefix("up/"),
            ),
            route(
                Method::Get,
                "/e",
                S3::list_objects("${region}", "${bucket}"),
            ),
            route(
                Method::Post,
                "/f",
                StepFunctions::start_sync_execution("${region}", "${machine}"),
            ),
            route(
                Method::Post,
                "/g",
                PutEvents::new("${region}", "app", "Thing").bus("${bus}"),
            ),
            route(Method::Get, "/h", table.get_item().index("by-x")),
            route(
                Method::Post,
                "/i",
                AwsService::action("${region}", "kinesis", "PutRecord")
                    .credentials("${kinesis_role}"),
            ),
            route(
                Method::Get,
                "/j",
                AwsService::path(Method::Get, "${region}", "s3", "b/k"),
            ),
        ]);
        let view = spec.resolve();
        let intent = |i: usize| view.routes()[i].intent().unwrap();

        let Intent::Lambda(proxy) = intent(0) else {
            panic!()
        };
        assert!(proxy.proxy() && proxy.role().is_none());
        let Intent::Lambda(custom) = intent(1) else {
            panic!()
        };
        assert!(!custom.proxy());
        assert_eq!(
            custom.role().map(TemplateValue::as_str),
            Some("${invoke_role}")
        );
        let Intent::Http(http) = intent(2) else {
            panic!()
        };
        assert_eq!(http.url().as_str(), "https://example.com");
        assert_eq!(http.vpc_link().map(TemplateValue::as_str), Some("${link}"));
        assert!(http.proxy());
        assert_eq!(view.routes()[2].integration_statuses(), None);
        let Intent::Mock(mock) = intent(3) else {
            panic!()
        };
        assert_eq!(mock.status(), 202);
        assert_eq!(mock.bodies()["application/json"].as_str(), "{}");
        assert_eq!(view.routes()[3].integration_statuses(), Some(&[202][..]));

        let actions: Vec<(Vec<String>, String)> = view
            .service_actions()
            .map(|(route, action)| (action.actions().to_vec(), route.route().label()))
            .collect();
        let expected = [
            ("sns:Publish", "POST /d"),
            ("s3:GetObject", "GET /e/{key}"),
            ("s3:ListBucket", "GET /e"),
            ("states:StartSyncExecution", "POST /f"),
            ("events:PutEvents", "POST /g"),
            ("dynamodb:GetItem", "GET /h"),
            ("kinesis:PutRecord", "POST /i"),
        ];
        for (action, label) in expected {
            assert!(
                actions.contains(&(vec![action.to_owned()], label.to_owned())),
                "{action} {label} in {actions:?}"
            );
        }
        assert!(actions.contains(&(Vec::new(), "GET /j".to_owned())));

        let Intent::Service(sns) = intent(4) else {
            panic!()
        };
        assert!(
            matches!(sns.resource(), ServiceResource::Topic(t) if t.as_str() == "${topic_arn}")
        );
        assert_eq!(sns.region().map(TemplateValue::as_str), Some("${region}"));
        let Intent::Service(get) = intent(5) else {
            panic!()
        };
        let ServiceResource::Bucket {
            bucket,
            key_prefix,
            key,
        } = get.resource()
        else {
            panic!()
        };
        assert_eq!(**bucket, PathPart::from("${bucket}"));
        assert_eq!(*key_prefix, "up/");
        assert_eq!(*key, Some(&PathPart::param("key")));
        let Intent::Service(list) = intent(6) else {
            panic!()
        };
        assert!(matches!(
            list.resource(),
            ServiceResource::Bucket { key: None, .. }
        ));
        let Intent::Service(machine) = intent(7) else {
            panic!()
        };
        assert!(
            matches!(machine.resource(), ServiceResource::StateMachine(m) if m.as_str() == "${machine}")
        );
        let Intent::Service(events) = intent(8) else {
            panic!()
        };
        assert!(
            matches!(events.resource(), ServiceResource::EventBus(Some(b)) if b.as_str() == "${bus}")
        );
        let Intent::Service(dynamo) = intent(9) else {
            panic!()
        };
        assert!(
            matches!(dynamo.resource(), ServiceResource::Table { name, index: Some("by-x") } if name.as_str() == "${table}")
        );
        let Intent::Service(kinesis) = intent(10) else {
            panic!()
        };
        assert!(matches!(kinesis.resource(), ServiceResource::Uri(_)));
        assert_eq!(
            kinesis.role().map(TemplateValue::as_str),
            Some("${kinesis_role}")
        );
        assert_eq!(kinesis.region(), None);
    }

    #[test]
    fn lambda_functions_are_collected_from_routes_and_authorizers() {
        let auth = LambdaAuthorizer::token("tokens", "${auth_fn}");
        let mut a = route(Method::Get, "/a", LambdaProxy::new("${api_fn}"));
        a.security = Some(Security::from(Authorizer::from(auth.clone())));
        let mut b = route(Method::Post, "/b", Lambda::new("${api_fn}"));
        b.security = Some(Security::from(Authorizer::from(auth)));
        let c = route(Method::Get, "/c", LambdaProxy::new("${other_fn}"));
        let spec = spec(vec![a, b, c]);
        let view = spec.resolve();

        let functions: Vec<(&str, Vec<String>, Vec<&str>)> = view
            .lambda_functions()
            .iter()
            .map(|f| {
                let routes = f.routes().iter().map(|r| r.label()).collect();
                (f.function().as_str(), routes, f.authorizers().to_vec())
            })
            .collect();
        assert_eq!(
            functions,
            [
                ("${auth_fn}", vec![], vec!["tokens"]),
                (
                    "${api_fn}",
                    vec!["GET /a".to_owned(), "POST /b".to_owned()],
                    vec![]
                ),
                ("${other_fn}", vec!["GET /c".to_owned()], vec![]),
            ]
        );
    }

    #[test]
    fn placeholders_have_the_kinds_of_the_values_they_stand_for() {
        let mut a = route(
            Method::Post,
            "/a",
            SnsPublish::new("${region}", "arn:aws:sns:${region}:${account}:topic")
                .credentials("${role}"),
        );
        a.cors = Some(Cors::new().allow_origin("${origin}"));
        let spec = spec(vec![a]);
        let view = spec.resolve();
        let kinds: Vec<(&str, &[ValueKind])> = view
            .placeholders()
            .iter()
            .map(|p| (p.name(), p.kinds()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("account", &[ValueKind::Text][..]),
                ("origin", &[ValueKind::CorsOrigin][..]),
                ("region", &[ValueKind::Region, ValueKind::Text][..]),
                ("role", &[ValueKind::RoleArn][..]),
            ]
        );
        assert_eq!(
            view.placeholders()[0].used_by().iter().collect::<Vec<_>>(),
            ["POST /a"]
        );
        // The same names as the spec's own list of variables.
        let names: Vec<&str> = view.placeholders().iter().map(Placeholder::name).collect();
        assert_eq!(
            names,
            spec.placeholders()
                .keys()
                .map(String::as_str)
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn the_checked_view_is_the_computed_one() {
        let send = crate::integration::SqsSendMessage::new("${region}", Queue::url("${queue_url}"))
            .credentials("${role}");
        let spec = spec(vec![route(Method::Post, "/q", send)]);
        let checked = spec.check_for(&[Target::Rest, Target::OpenApi]).unwrap();
        let fresh = spec.resolve();
        let statuses =
            |view: &Resolved<'_>| view.routes()[0].integration_statuses().map(<[u16]>::to_vec);
        assert_eq!(statuses(checked.resolved()), statuses(&fresh));
        assert_eq!(statuses(&fresh), Some(vec![200, 400, 500]));
        assert_eq!(checked.resolved().placeholders(), fresh.placeholders());
    }
}
