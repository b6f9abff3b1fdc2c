//! Local gateway emulation: the served router enforces what its routes declare wherever
//! no gateway stands in front (the local or container server, Lambda Function URL and
//! ALB events), answering as the emulated gateway would. Feature `enforce`.
//!
//! One tower layer, inside the base-path stripping and around the router, in API
//! Gateway's order: route match, authorizer, API key, request validator, integration
//! (a mock answered from its declaration, a direct service integration refused).
//!
//! The gateway's own answers carry the CORS headers the emulated gateway adds: a REST
//! API's are its `DEFAULT_4XX` / `DEFAULT_5XX` gateway responses' (which the export
//! declares when routes use CORS, [`Resolved::error_cors`]); an HTTP API applies its one
//! CORS configuration ([`Resolved::api_cors`]) to every answer; Kong's `cors` plugin adds
//! the route's to its auth plugins' refusals; a mock answers with its path's CORS, as the
//! router's CORS layer does for handlers.
//!
//! [`Resolved::error_cors`]: axum_aws_spec::resolved::Resolved::error_cors
//! [`Resolved::api_cors`]: axum_aws_spec::resolved::Resolved::api_cors

mod answer;
mod config;
mod jwt;
mod lambda_authorizer;
mod summary;
mod validate;

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use axum_aws_spec::auth::Authorizer;
use axum_aws_spec::resolved::{Intent, MockAnswer, Scheme};
use axum_aws_spec::{ApiKeySource, ApiSpec, GatewayResponse, Method};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use lambda_http::RequestExt;
use lambda_http::request::RequestContext;
use lambda_http::tracing;
use tower::{Layer, Service, ServiceExt};
use tower_http::cors::CorsLayer;

pub(crate) use config::Emulation;
pub use config::{Gateway, UnknownGateway};
pub(crate) use lambda_authorizer::erase as erase_authorizer;

pub(crate) use answer::Refusal;
use jwt::JwtCheck;
use lambda_authorizer::LambdaCheck;
use validate::Validation;

/// The largest body API Gateway accepts (10 MB): what the validator reads at most.
const MAX_BODY: usize = 10 * 1024 * 1024;

/// What the server emulates, compiled from the routes and the configuration once at
/// start.
#[derive(Debug)]
pub(crate) struct Enforcement {
    gateway: Gateway,
    trust_upstream: bool,
    paths: matchit::Router<usize>,
    entries: Vec<PathEntry>,
    /// The declared gateway responses, with the CORS headers a REST API's
    /// `DEFAULT_4XX` / `DEFAULT_5XX` carry.
    gateway_responses: BTreeMap<String, GatewayResponse>,
    /// The CORS an HTTP API applies to every answer.
    api_cors: Option<CorsLayer>,
    config: config::Resolved,
    /// The start-up summary, logged when the server starts serving.
    summary: summary::Summary,
}

/// Why a request is no declared route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NotDeclared {
    /// No declared path matches.
    Path,
    /// The path is declared, the method is not.
    Method,
    /// A CORS preflight on a path with a CORS policy.
    Preflight,
}

/// The declared methods of one path.
#[derive(Debug)]
struct PathEntry {
    methods: Vec<(Method, RoutePolicy)>,
    /// Some route of the path declares CORS: a REST API answers its preflight with the
    /// `OPTIONS` mock the export adds, an HTTP API with its built-in CORS.
    cors: bool,
}

/// A request's method and the headers CORS reads, kept for the gateway's own answer.
struct CorsProbe {
    method: http::Method,
    headers: HeaderMap,
}

impl CorsProbe {
    /// `None` without an `Origin` (no browser asked: nothing to add).
    fn of(method: &http::Method, headers: &HeaderMap) -> Option<Self> {
        headers.get(header::ORIGIN)?;
        let mut kept = HeaderMap::new();
        for name in [
            header::ORIGIN,
            header::ACCESS_CONTROL_REQUEST_METHOD,
            header::ACCESS_CONTROL_REQUEST_HEADERS,
        ] {
            if let Some(value) = headers.get(&name) {
                kept.insert(name, value.clone());
            }
        }
        Some(Self {
            method: method.clone(),
            headers: kept,
        })
    }
}

/// What the gateway does for one route before (or instead of) the integration.
#[derive(Debug)]
struct RoutePolicy {
    label: String,
    /// Alternatives, each a set of checks that must all pass; empty: public.
    requirements: Vec<Vec<Check>>,
    /// The route declares a Lambda, Cognito or JWT authorizer: behind the declared
    /// gateway, its events carry the authorizer's context.
    declares_authorizer: bool,
    validation: Option<Validation>,
    answer: Option<Answer>,
    /// The path's CORS where the gateway adds it to its own answer for this route.
    cors: Option<Box<CorsLayer>>,
}

/// One check of a requirement.
#[derive(Debug)]
enum Check {
    ApiKey,
    Iam,
    /// A scheme this emulation does not know: refused, as unverifiable.
    Refused,
    Jwt(Arc<JwtCheck>),
    Lambda(Arc<LambdaCheck>),
}

/// What the gateway answers instead of calling this service.
#[derive(Debug)]
enum Answer {
    Mock {
        status: StatusCode,
        headers: Vec<(String, String)>,
        /// Content type and body, the first declared.
        body: Option<(String, String)>,
    },
    NotEmulated(String),
}

/// Who authorized the request, for [`AwsContext`](crate::AwsContext): what the gateway
/// would put in the event's `requestContext.authorizer` and `identity.apiKey`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Authorized {
    pub(crate) principal_id: Option<String>,
    pub(crate) claims: BTreeMap<String, String>,
    pub(crate) scopes: Vec<String>,
    pub(crate) context: BTreeMap<String, String>,
    pub(crate) api_key: Option<String>,
}

impl Enforcement {
    /// Compiles the spec's resolved view (each route's security, validation and
    /// integration intent, as every gateway target reads them) under `emulation`.
    pub(crate) fn new(spec: &ApiSpec, emulation: Emulation) -> Self {
        let resolved = emulation.resolve();
        let view = spec.resolve();
        let settings = &spec.settings;
        let mut summary = summary::Summary::new(&resolved);
        let mut paths = matchit::Router::new();
        let mut entries: Vec<PathEntry> = Vec::new();
        let mut index_of: BTreeMap<&str, usize> = BTreeMap::new();
        let mut jwt_checks: BTreeMap<&str, Arc<JwtCheck>> = BTreeMap::new();
        let mut lambda_checks: BTreeMap<&str, Arc<LambdaCheck>> = BTreeMap::new();
        for resolved_route in view.routes() {
            let route = resolved_route.route();
            if route.default_route {
                continue;
            }
            let label = route.label();
            let mut requirements = Vec::new();
            let mut declares_authorizer = false;
            let mut notes = Vec::new();
            for alternative in resolved_route.security().alternatives() {
                let mut checks = Vec::new();
                for grant in alternative {
                    let scheme = grant.scheme();
                    let authorizer: Option<Authorizer> = match scheme {
                        Scheme::Cognito(cognito) => Some(cognito.authorizer().clone().into()),
                        Scheme::Jwt(jwt) => Some(jwt.authorizer().clone().into()),
                        _ => None,
                    };
                    match (scheme, authorizer) {
                        (Scheme::ApiKey, _) => {
                            notes.push(summary.api_key(&resolved));
                            checks.push(Check::ApiKey);
                        }
                        (Scheme::Iam, _) => {
                            notes.push(summary.iam(&resolved));
                            checks.push(Check::Iam);
                        }
                        (Scheme::Lambda(lambda), _) => {
                            declares_authorizer = true;
                            let check = lambda_checks
                                .entry(lambda.authorizer().name.as_str())
                                .or_insert_with(|| {
                                    Arc::new(LambdaCheck::new(
                                        lambda.authorizer(),
                                        lambda.ttl_seconds(),
                                        &resolved,
                                    ))
                                })
                                .clone();
                            notes.push(check.describe());
                            checks.push(Check::Lambda(check));
                        }
                        (_, Some(authorizer)) => {
                            declares_authorizer = true;
                            let check = jwt_checks
                                .entry(scheme.name())
                                .or_insert_with(|| Arc::new(JwtCheck::new(&authorizer, &resolved)))
                                .clone();
                            notes.push(check.describe(grant.scopes()));
                            checks.push(Check::Jwt(check.with_scopes(grant.scopes())));
                        }
                        (other, None) => {
                            notes.push(format!(
                                "authorizer {:?} is not emulated: every request is refused",
                                other.name()
                            ));
                            checks.push(Check::Refused);
                        }
                    }
                }
                // The gateway runs the authorizer before it checks the API key.
                checks.sort_by_key(|check| matches!(check, Check::ApiKey));
                requirements.push(checks);
            }
            let validation = if resolved.gateway == Gateway::Rest {
                Validation::new(route, resolved_route.validation(), &mut summary.problems)
            } else {
                None
            };
            if let Some(validation) = &validation {
                notes.push(if validation.checks_body() {
                    "request validator (parameters, body)".to_owned()
                } else {
                    "request validator (parameters)".to_owned()
                });
            }
            let path = view.path_of(resolved_route);
            let answer = answer_of(
                resolved_route.intent(),
                &label,
                resolved.service_handlers,
                &mut notes,
            );
            // Mocks answer with the path's CORS; so do Kong's refusals (its `cors` plugin
            // runs first and its header filter adds the headers to the auth plugin's exit).
            let cors = (matches!(answer, Some(Answer::Mock { .. }))
                || resolved.gateway == Gateway::Kong)
                .then(|| path.cors())
                .flatten()
                .map(|policy| Box::new(crate::cors_layer::to_layer(policy, path.methods())));
            summary.route(&label, &notes);
            let policy = RoutePolicy {
                label,
                requirements,
                declares_authorizer,
                validation,
                answer,
                cors,
            };
            let index = *index_of.entry(path.path().as_str()).or_insert_with(|| {
                entries.push(PathEntry {
                    methods: Vec::new(),
                    cors: path.cors().is_some(),
                });
                let index = entries.len() - 1;
                if let Err(error) = paths.insert(path.path().as_str(), index) {
                    summary
                        .problems
                        .push(format!("{}: path not emulated ({error})", path.path()));
                }
                index
            });
            entries[index].methods.push((route.method, policy));
        }
        // A REST API's own errors carry the CORS headers the export declares on its
        // DEFAULT_4XX / DEFAULT_5XX gateway responses; a declared header wins, as in the
        // export. An HTTP API applies its CORS configuration to every answer.
        let mut gateway_responses = settings.gateway_responses.clone();
        let mut api_cors = None;
        match resolved.gateway {
            Gateway::Rest => {
                if let Some(cors) = view.error_cors() {
                    let headers = cors.headers();
                    for kind in ["DEFAULT_4XX", "DEFAULT_5XX"] {
                        let response = gateway_responses.entry(kind.to_owned()).or_default();
                        for (name, value) in &headers {
                            response
                                .headers
                                .entry((*name).to_owned())
                                .or_insert_with(|| value.clone());
                        }
                    }
                }
            }
            Gateway::HttpApi => {
                api_cors = view.api_cors().map(|policy| {
                    let methods: Vec<Method> = view
                        .paths()
                        .iter()
                        .flat_map(|path| path.methods().iter().copied())
                        .collect();
                    crate::cors_layer::to_layer(policy, &methods)
                });
            }
            Gateway::Kong => {}
        }
        if settings.api_key_source == Some(ApiKeySource::Authorizer) {
            summary.problems.push(
                "API keys come from the Lambda authorizer (apiKeySource AUTHORIZER): its usageIdentifierKey is checked against the configured keys".to_owned(),
            );
        }
        Self {
            gateway: resolved.gateway,
            trust_upstream: resolved.trust_upstream,
            paths,
            entries,
            gateway_responses,
            api_cors,
            summary,
            config: resolved,
        }
    }

    /// Whether a gateway in front enforces the declaration (nothing to do here).
    pub(crate) fn trusts_upstream(&self) -> bool {
        self.trust_upstream
    }

    /// Logs the start-up summary (`lambda`: as a Lambda function).
    pub(crate) fn log_summary(&self, lambda: bool) {
        self.summary.log(lambda);
    }

    /// The declared route of `method` on `path`.
    fn find(&self, method: &http::Method, path: &str) -> Result<&RoutePolicy, NotDeclared> {
        let Ok(matched) = self.paths.at(path) else {
            return Err(NotDeclared::Path);
        };
        let entry = &self.entries[*matched.value];
        let exact = entry
            .methods
            .iter()
            .find(|(declared, _)| declared.as_str() == method.as_str());
        let any = || {
            entry
                .methods
                .iter()
                .find(|(declared, _)| *declared == Method::Any)
        };
        match exact.or_else(any) {
            Some((_, policy)) => Ok(policy),
            None if entry.cors && method == http::Method::OPTIONS => Err(NotDeclared::Preflight),
            None => Err(NotDeclared::Method),
        }
    }

    /// The gateway's own answer to `refusal`, with the CORS headers the emulated
    /// gateway gives it (`probe`: the request's, when a browser sent it).
    /// `route`: the declared route refused, if any.
    async fn refuse(
        &self,
        refusal: &Refusal,
        route: Option<&RoutePolicy>,
        probe: Option<CorsProbe>,
    ) -> Response {
        let response = answer::respond(self.gateway, refusal, &self.gateway_responses);
        with_cors(self.refusal_cors(route), probe, response).await
    }

    /// The CORS layer the gateway's own answers pass through: an HTTP API's
    /// configuration, a Kong route's `cors` plugin; none for a REST API, whose gateway
    /// responses carry their CORS headers.
    fn refusal_cors<'s>(&'s self, route: Option<&'s RoutePolicy>) -> Option<&'s CorsLayer> {
        match self.gateway {
            Gateway::HttpApi => self.api_cors.as_ref(),
            Gateway::Kong => route.and_then(|route| route.cors.as_deref()),
            Gateway::Rest => None,
        }
    }

    /// One request through the emulated gateway, then `inner`.
    async fn handle<S>(self: Arc<Self>, request: Request, inner: S) -> Result<Response, S::Error>
    where
        S: Service<Request, Response = Response> + Send,
        S::Future: Send,
    {
        let found = self.find(request.method(), request.uri().path());
        if let Some(context) = behind_gateway(&request) {
            // The gateway checked everything already; only a gateway configured
            // differently from the router shows here.
            if let Ok(policy) = found
                && policy.declares_authorizer
                && !has_authorizer_context(context)
            {
                tracing::error!(
                    route = %policy.label,
                    "refused: the route declares an authorizer, but the API Gateway event carries no authorizer context; the gateway in front is configured differently from the router (export and deploy its spec again)"
                );
                return Ok(self.refuse(&Refusal::Unauthorized, None, None).await);
            }
            return inner.oneshot(request).await;
        }
        let policy = match found {
            Ok(policy) => policy,
            // A preflight the gateway answers from the declared CORS (the router's CORS
            // layer does the same).
            Err(NotDeclared::Preflight) => return inner.oneshot(request).await,
            // A method the path does not declare (HEAD on a GET route, say): the
            // gateway's unknown-route answer, whatever axum would make of it.
            Err(NotDeclared::Method) => {
                let probe = CorsProbe::of(request.method(), request.headers());
                return Ok(self.refuse(&Refusal::UnknownRoute, None, probe).await);
            }
            Err(NotDeclared::Path) => {
                // Served but not declared (`route_local`, the docs page) still answers;
                // what nothing serves gets the gateway's unknown-route answer.
                let probe = CorsProbe::of(request.method(), request.headers());
                let response = inner.oneshot(request).await?;
                return Ok(
                    if matches!(
                        response.status(),
                        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED
                    ) {
                        self.refuse(&Refusal::UnknownRoute, None, probe).await
                    } else {
                        response
                    },
                );
            }
        };
        let (mut parts, body) = request.into_parts();
        if !policy.requirements.is_empty() {
            match self.authorize(policy, &parts).await {
                Ok(authorized) => {
                    parts.extensions.insert(authorized);
                }
                Err(refusal) => {
                    let probe = CorsProbe::of(&parts.method, &parts.headers);
                    return Ok(self.refuse(&refusal, Some(policy), probe).await);
                }
            }
        }
        let mut body = body;
        if let Some(validation) = &policy.validation {
            if let Err(refusal) = validation.check_parameters(&parts.headers, parts.uri.query()) {
                let probe = CorsProbe::of(&parts.method, &parts.headers);
                return Ok(self.refuse(&refusal, Some(policy), probe).await);
            }
            if validation.checks_body() {
                let probe = || CorsProbe::of(&parts.method, &parts.headers);
                let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
                    let layer = self.refusal_cors(Some(policy));
                    return Ok(with_cors(layer, probe(), answer::too_large()).await);
                };
                let content_type = parts
                    .headers
                    .get(header::CONTENT_TYPE)
                    .and_then(|value| value.to_str().ok());
                if let Err(refusal) = validation.check_body(content_type, &bytes) {
                    return Ok(self.refuse(&refusal, Some(policy), probe()).await);
                }
                body = Body::from(bytes);
            }
        }
        let probe = CorsProbe::of(&parts.method, &parts.headers);
        match &policy.answer {
            None => inner.oneshot(Request::from_parts(parts, body)).await,
            Some(Answer::NotEmulated(message)) => Ok(self
                .refuse(&Refusal::NotEmulated(message.clone()), Some(policy), probe)
                .await),
            Some(Answer::Mock {
                status,
                headers,
                body,
            }) => {
                let response = mock_response(*status, headers, body.as_ref());
                Ok(with_cors(policy.cors.as_deref(), probe, response).await)
            }
        }
    }

    /// The first requirement that passes, or the first one's refusal.
    async fn authorize(
        &self,
        policy: &RoutePolicy,
        request: &http::request::Parts,
    ) -> Result<Authorized, Refusal> {
        let mut first = None;
        for requirement in &policy.requirements {
            match self.requirement(requirement, policy, request).await {
                Ok(authorized) => return Ok(authorized),
                Err(refusal) => {
                    first.get_or_insert(refusal);
                }
            }
        }
        Err(first.unwrap_or(Refusal::Unauthorized))
    }

    async fn requirement(
        &self,
        checks: &[Check],
        policy: &RoutePolicy,
        request: &http::request::Parts,
    ) -> Result<Authorized, Refusal> {
        let mut authorized = Authorized::default();
        for check in checks {
            match check {
                Check::ApiKey => {
                    let key = request
                        .headers
                        .get("x-api-key")
                        .and_then(|value| value.to_str().ok());
                    let key = match (&authorized.api_key, key) {
                        // apiKeySource AUTHORIZER: the authorizer's usage identifier.
                        (Some(from_authorizer), _) => Some(from_authorizer.clone()),
                        (None, key) => key.map(str::to_owned),
                    };
                    match key {
                        Some(key) if self.config.api_keys.contains(&key) => {
                            authorized.api_key = Some(key);
                        }
                        None if self.gateway == Gateway::Kong => {
                            return Err(Refusal::KongNoApiKey);
                        }
                        _ => return Err(Refusal::InvalidApiKey),
                    }
                }
                Check::Refused => return Err(Refusal::Unauthorized),
                Check::Iam => {
                    if !self.config.allow_iam {
                        return Err(Refusal::MissingSignature);
                    }
                }
                Check::Jwt(jwt) => {
                    let verified = jwt.verify(&request.headers, self.gateway).await?;
                    authorized.principal_id.clone_from(&verified.principal_id);
                    authorized.claims = verified.claims;
                    // An HTTP API passes the token's scopes on beside its claims; REST none.
                    if self.gateway == Gateway::HttpApi {
                        authorized.scopes = verified.scopes;
                    }
                }
                Check::Lambda(lambda) => {
                    let allowed = lambda.authorize(request, &policy.label).await?;
                    authorized.principal_id = Some(allowed.principal_id);
                    authorized.context = allowed.context;
                    if allowed.usage_identifier_key.is_some() {
                        authorized.api_key = allowed.usage_identifier_key;
                    }
                }
            }
        }
        Ok(authorized)
    }
}

/// The integration's answer when the gateway gives it without this service.
fn answer_of(
    intent: Option<&Intent<'_>>,
    label: &str,
    service_handlers: bool,
    notes: &mut Vec<String>,
) -> Option<Answer> {
    match intent? {
        Intent::Mock(mock) => {
            notes.push(if mock_is_templated(mock) {
                "mock answered from its declaration; its templated body ($context, $input, placeholders) is answered as written, not rendered".to_owned()
            } else {
                format!("mock answered from its declaration ({})", mock.status())
            });
            let bodies = mock.bodies();
            Some(Answer::Mock {
                status: StatusCode::from_u16(mock.status()).unwrap_or(StatusCode::OK),
                headers: mock
                    .headers()
                    .iter()
                    .map(|(name, value)| (name.clone(), value.as_str().to_owned()))
                    .collect(),
                body: bodies
                    .get("application/json")
                    .map(|body| ("application/json".to_owned(), body.as_str().to_owned()))
                    .or_else(|| {
                        bodies
                            .iter()
                            .next()
                            .map(|(kind, body)| (kind.clone(), body.as_str().to_owned()))
                    }),
            })
        }
        Intent::Service(action) if service_handlers => {
            notes.push(format!(
                "AWS service integration ({}) answered by the route's handler, a local stand-in ({})",
                action.actions().join(", "),
                config::SERVICE_HANDLERS_ENV
            ));
            None
        }
        Intent::Service(action) => {
            let actions = action.actions().join(", ");
            notes.push(format!(
                "AWS service integration ({actions}) not emulated: answered 501 (no service endpoint is supported locally; {} answers it with the route's handler)", config::SERVICE_HANDLERS_ENV
            ));
            Some(Answer::NotEmulated(format!(
                "{label}: the integration calls AWS directly ({actions}), which this local server does not emulate; test it against the deployed API"
            )))
        }
        // A Lambda function or an HTTP backend: this service.
        _ => None,
    }
}

/// Whether a mock's body or headers are templates the gateway renders.
fn mock_is_templated(mock: &MockAnswer<'_>) -> bool {
    mock.bodies()
        .values()
        .chain(mock.headers().values())
        .any(|value| value.as_str().contains('$'))
}

fn mock_response(
    status: StatusCode,
    headers: &[(String, String)],
    body: Option<&(String, String)>,
) -> Response {
    let mut response =
        Response::new(body.map_or_else(Body::empty, |(_, body)| Body::from(body.clone())));
    *response.status_mut() = status;
    if let Some((content_type, _)) = body
        && let Ok(value) = HeaderValue::from_str(content_type)
    {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

/// `response` with the CORS headers `layer` gives it for the request `probe` describes
/// (a preflight is answered by the layer itself).
async fn with_cors(
    layer: Option<&CorsLayer>,
    probe: Option<CorsProbe>,
    response: Response,
) -> Response {
    let (Some(layer), Some(probe)) = (layer, probe) else {
        return response;
    };
    let mut request = Request::new(Body::empty());
    *request.method_mut() = probe.method;
    *request.headers_mut() = probe.headers;
    let mut response = Some(response);
    let answer = tower::service_fn(move |_: Request| {
        std::future::ready(Ok::<_, Infallible>(response.take().unwrap_or_default()))
    });
    match layer.layer(answer).oneshot(request).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    }
}

/// The request context of an API Gateway REST or HTTP API event: the gateway in front
/// enforced the declaration. `None` locally and for Function URL and ALB events.
fn behind_gateway(request: &Request) -> Option<&RequestContext> {
    let context = request.extensions().request_context_ref()?;
    match context {
        RequestContext::ApiGatewayV1(_) => Some(context),
        RequestContext::ApiGatewayV2(http_api)
            if !crate::serve::context::is_function_url(http_api.domain_name.as_deref()) =>
        {
            Some(context)
        }
        _ => None,
    }
}

/// Whether an API Gateway event carries what an authorizer passes on.
fn has_authorizer_context(context: &RequestContext) -> bool {
    match context {
        RequestContext::ApiGatewayV1(rest) => {
            !rest.authorizer.fields.is_empty() || rest.authorizer.jwt.is_some()
        }
        RequestContext::ApiGatewayV2(http_api) => http_api
            .authorizer
            .as_ref()
            .is_some_and(|authorizer| authorizer.jwt.is_some() || !authorizer.fields.is_empty()),
        _ => false,
    }
}

/// The layer of [`Enforcement`].
#[derive(Clone, Debug)]
pub(crate) struct EnforceLayer {
    enforcement: Arc<Enforcement>,
}

impl EnforceLayer {
    pub(crate) fn new(enforcement: Arc<Enforcement>) -> Self {
        Self { enforcement }
    }
}

impl<S> Layer<S> for EnforceLayer {
    type Service = Enforce<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Enforce {
            inner,
            enforcement: Arc::clone(&self.enforcement),
        }
    }
}

/// The service of [`EnforceLayer`].
#[derive(Clone, Debug)]
pub(crate) struct Enforce<S> {
    inner: S,
    enforcement: Arc<Enforcement>,
}

impl<S> Service<Request> for Enforce<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let inner = self.inner.clone();
        let enforcement = Arc::clone(&self.enforcement);
        Box::pin(enforcement.handle(request, inner))
    }
}
