//! The function handed to the Lambda runtime: event JSON in, proxy response JSON out.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::task::Poll;

use lambda_http::aws_lambda_events::apigw::ApiGatewayProxyRequest;
use lambda_http::lambda_runtime::{self, LambdaEvent};
use lambda_http::request::LambdaRequest;
use lambda_http::tracing;
use lambda_http::{Adapter, Context, Service};
use serde_json::value::RawValue;
use serde_json::{Value, json};

use super::http_api::{self, HttpApiEvent};
use super::rest::{self, Prepared, ProxyFormat, RestEvent};

/// Answers Lambda invocations with a router: turns an API Gateway REST (v1), HTTP API
/// (v2, also function URLs) or ALB event into an `http::Request` (lambda_http), runs the
/// router, and turns the response into the proxy response JSON the event source expects
/// (lambda_http again: text bodies as-is, binary ones base64 with `isBase64Encoded`).
///
/// REST API and HTTP API / function URL (payload 2.0) events take a shorter way to the
/// same result: the event is read into borrowed strings and the request built directly,
/// with exactly the URI, headers, body and extensions (`lambda_http::RequestExt`:
/// request context, path and query parameters, stage variables, raw path, Lambda
/// context) lambda_http would give, and the response JSON written directly. Events it
/// is unsure about (an unusual host or path the URL parser would rewrite, say) go
/// through lambda_http as all others (ALB) do.
///
/// [`Server::run`](crate::Server::run) uses it inside Lambda; tests call
/// [`handle`](Self::handle) directly with event JSON. It never fails and never panics:
///
/// - JSON that is no HTTP event of a supported source: `400` with
///   `{"message":"Bad Request"}`, and an error log line naming the serde error;
/// - an event lambda_http cannot turn into a request (an unparsable `Host`, a body
///   flagged base64 that is not): `400`;
/// - a panic after that (in the router, or while collecting the body): `500`.
///
/// Handler panics are already answered by the router from [`Server`](crate::Server)
/// (a `500` JSON body); the last case is a safety net.
///
/// ```
/// use axum_aws::{LambdaHandler, Server};
/// use axum::routing::get;
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let handler: LambdaHandler = Server::new(axum::Router::new().route("/hello", get(|| async { "hi" })))
///     .lambda_handler();
/// let event = r#"{"version": "2.0", "routeKey": "GET /hello", "rawPath": "/hello",
///     "rawQueryString": "", "headers": {"host": "api.example.com"}, "isBase64Encoded": false,
///     "requestContext": {"stage": "$default", "requestId": "r1",
///         "http": {"method": "GET", "path": "/hello", "protocol": "HTTP/1.1", "sourceIp": "192.0.2.1"}}}"#;
/// let response = handler.handle(event.as_bytes(), Default::default()).await;
/// assert_eq!(response["statusCode"], 200);
/// assert_eq!(response["body"], "hi");
/// # });
/// ```
#[derive(Clone, Debug)]
pub struct LambdaHandler {
    app: axum::Router,
}

impl LambdaHandler {
    /// Answers with `app` as it is (no path fixing, compression or panic handling; use
    /// [`Server::lambda_handler`](crate::Server::lambda_handler) for those).
    ///
    /// ```
    /// let handler = axum_aws::LambdaHandler::new(axum::Router::new());
    /// # let _ = handler;
    /// ```
    pub fn new(app: axum::Router) -> Self {
        Self { app }
    }

    /// Answers one invocation: `event` is the payload the Runtime API delivered,
    /// `context` the invocation's (use `Default::default()` in tests). Returns the
    /// response payload (see the type docs for malformed events).
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let handler = axum_aws::LambdaHandler::new(axum::Router::new());
    /// let response = handler.handle(b"{\"not\": \"an event\"}", Default::default()).await;
    /// assert_eq!(response["statusCode"], 400);
    /// # });
    /// ```
    pub async fn handle(&self, event: &[u8], context: Context) -> Value {
        // REST API and payload 2.0 events go straight to an `http::Request` (see `rest`
        // and `http_api`); whatever those paths decline goes through lambda_http as
        // before. Each accepts only events lambda_http reads as its format, so the order
        // is a guess at the format, for speed only.
        let fast = if http_api::names_raw_path(event) {
            FastEvent::http_api(event).or_else(|| FastEvent::rest(event))
        } else {
            FastEvent::rest(event).or_else(|| FastEvent::http_api(event))
        };
        match fast {
            Some(Ok(fast)) => {
                let (request, format) = fast.into_request(context);
                self.answer(request, format).await
            }
            Some(Err(())) => {
                tracing::error!(
                    "rejected a Lambda event lambda_http could not turn into a request"
                );
                error_response(400, "Bad Request")
            }
            None => self.handle_with_lambda_http(event, context).await,
        }
    }

    /// A request through the router, answered with the proxy response of `format`.
    async fn answer(&self, request: http::Request<axum::body::Body>, format: ProxyFormat) -> Value {
        let mut app = self.app.clone();
        let Ok(future) = std::panic::catch_unwind(AssertUnwindSafe(|| app.call(request))) else {
            tracing::error!("a panic escaped while answering a Lambda event");
            return error_response(500, "Internal Server Error");
        };
        let response = match catch_panics(future).await {
            Ok(Ok(response)) => response,
            Ok(Err(never)) => match never {},
            Err(_) => {
                tracing::error!("a panic escaped while answering a Lambda event");
                return error_response(500, "Internal Server Error");
            }
        };
        match catch_panics(rest::proxy_response(response, format)).await {
            Ok(Ok(response)) => response,
            Ok(Err(error)) => {
                tracing::error!(error, "could not answer a Lambda event");
                error_response(500, "Internal Server Error")
            }
            Err(_) => {
                tracing::error!("a panic escaped while answering a Lambda event");
                error_response(500, "Internal Server Error")
            }
        }
    }

    /// Any event through lambda_http: its `LambdaRequest` (REST, HTTP API, ALB), its
    /// `Adapter` around the router, its response conversion.
    async fn handle_with_lambda_http(&self, event: &[u8], context: Context) -> Value {
        // lambda_http reads any event into a `RawValue` first, then tries REST v1, HTTP
        // API v2 and ALB in turn. Trying REST v1 straight from the bytes gives the same
        // answer (REST v1 is lambda_http's first choice too) without the extra pass.
        let parsed = match serde_json::from_slice::<ApiGatewayProxyRequest>(event) {
            Ok(rest) => Ok(LambdaRequest::ApiGatewayV1(rest)),
            Err(_) => serde_json::from_slice::<LambdaRequest>(event),
        };
        let request = match parsed {
            Ok(request) => request,
            Err(error) => {
                tracing::error!(%error, bytes = event.len(), "rejected a malformed Lambda event");
                return error_response(400, "Bad Request");
            }
        };
        let mut adapter = Adapter::from(self.app.clone());
        // lambda_http builds the request synchronously in `call`; it panics on some
        // malformed input (an unparsable Host header, for one).
        let event = LambdaEvent::new(request, context);
        let Ok(future) = std::panic::catch_unwind(AssertUnwindSafe(|| adapter.call(event))) else {
            tracing::error!("rejected a Lambda event lambda_http could not turn into a request");
            return error_response(400, "Bad Request");
        };
        let response = match catch_panics(future).await {
            Ok(Ok(response)) => serde_json::to_value(response),
            Ok(Err(never)) => match never {},
            Err(_) => {
                tracing::error!("a panic escaped while answering a Lambda event");
                return error_response(500, "Internal Server Error");
            }
        };
        response.unwrap_or_else(|error| {
            tracing::error!(%error, "could not serialise the Lambda response");
            error_response(500, "Internal Server Error")
        })
    }

    /// Polls the Lambda Runtime API for events until the runtime stops; needs the
    /// `AWS_LAMBDA_*` environment Lambda sets.
    pub(crate) async fn run(self) -> Result<(), lambda_http::Error> {
        let handler = lambda_runtime::service_fn(move |event: LambdaEvent<Box<RawValue>>| {
            let handler = self.clone();
            async move {
                let response = handler
                    .handle(event.payload.get().as_bytes(), event.context)
                    .await;
                Ok::<Value, lambda_http::Error>(response)
            }
        });
        lambda_runtime::run(handler).await
    }
}

/// An event a fast path took, with its request's URI, headers and body.
enum FastEvent<'e> {
    Rest(RestEvent<'e>, Prepared),
    HttpApi(HttpApiEvent<'e>, Prepared),
}

impl FastEvent<'_> {
    /// The REST fast path's event: `None` when it declines the event, `Some(Err)` when
    /// preparing the request panicked (an event lambda_http panics on too).
    fn rest(event: &[u8]) -> Option<Result<FastEvent<'_>, ()>> {
        let rest = RestEvent::parse(event)?;
        match std::panic::catch_unwind(AssertUnwindSafe(|| rest.prepare())) {
            Ok(Some(prepared)) => Some(Ok(FastEvent::Rest(rest, prepared))),
            Ok(None) => None,
            Err(_) => Some(Err(())),
        }
    }

    /// The payload 2.0 fast path's event, as [`rest`](Self::rest).
    fn http_api(event: &[u8]) -> Option<Result<FastEvent<'_>, ()>> {
        let http_api = HttpApiEvent::parse(event)?;
        match std::panic::catch_unwind(AssertUnwindSafe(|| http_api.prepare())) {
            Ok(Some(prepared)) => Some(Ok(FastEvent::HttpApi(http_api, prepared))),
            Ok(None) => None,
            Err(_) => Some(Err(())),
        }
    }

    /// The request, and the response format its source expects.
    fn into_request(self, context: Context) -> (http::Request<axum::body::Body>, ProxyFormat) {
        match self {
            Self::Rest(event, prepared) => {
                (event.into_request(prepared, context), ProxyFormat::Rest)
            }
            Self::HttpApi(event, prepared) => {
                (event.into_request(prepared, context), ProxyFormat::HttpApi)
            }
        }
    }
}

/// Polls `future` here, catching a panic at every poll. (A task of its own would catch
/// it too, but the hand-off to another worker thread cost more than the whole event:
/// 20 µs instead of 10 on the multi-thread runtime.)
async fn catch_panics<F: Future>(future: F) -> std::thread::Result<F::Output> {
    let mut future = std::pin::pin!(future);
    std::future::poll_fn(|cx| {
        match std::panic::catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx))) {
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(panic) => Poll::Ready(Err(panic)),
        }
    })
    .await
}

/// A proxy response every HTTP event source accepts (no `multiValueHeaders`, which REST
/// APIs would merge with `headers`, and no ALB-only `statusDescription`).
fn error_response(status: u16, message: &str) -> Value {
    json!({
        "statusCode": status,
        "headers": {"content-type": "application/json"},
        "body": json!({ "message": message }).to_string(),
        "isBase64Encoded": false,
    })
}
