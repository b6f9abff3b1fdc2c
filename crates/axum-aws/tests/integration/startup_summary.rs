//! The one start-up summary of the gateway emulation: which routes are enforced how,
//! what is not emulated, what to configure; served locally and as a Lambda function.

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum_aws::auth::{CognitoAuthorizer, LambdaAuthorizer};
use axum_aws::integration::LambdaProxy;
use axum_aws::routing::{get, post};
use axum_aws::{AwsRouter, Server};
use lambda_http::tracing::subscriber;

/// A tracing writer into a shared buffer.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Write for Log {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Log {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

fn router() -> AwsRouter {
    let admin = LambdaAuthorizer::token("admin", "${admin_authorizer_arn}");
    AwsRouter::new()
        .route("/health", get(|| async { "ok" }).public())
        .route("/orders", get(|| async { "[]" }))
        .route("/admin/reports", post(|| async { "done" }).auth(admin))
        .default_auth(CognitoAuthorizer::new("users", ["${user_pool_arn}"]))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
}

/// What `start` logs, through a subscriber of this thread.
fn logged(start: impl FnOnce()) -> String {
    let log = Log::default();
    let writer = log.clone();
    let subscriber = subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let dispatch = lambda_http::tracing::Dispatch::new(subscriber);
    lambda_http::tracing::dispatcher::with_default(&dispatch, start);
    log.text()
}

#[test]
fn served_locally_the_summary_names_each_route_and_what_to_configure() {
    let text = logged(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            // Stops at once: the shutdown future is already complete.
            Server::new(router())
                .serve_listener(listener, async {})
                .await
                .unwrap();
        });
    });
    // Missing configuration is a warning, and the server still starts.
    assert!(text.contains("WARN"), "{text}");
    assert!(
        text.contains("emulating API Gateway REST API (from the default"),
        "{text}"
    );
    assert!(text.contains("every request is enforced here"), "{text}");
    assert!(text.contains("GET /health: public"), "{text}");
    assert!(
        text.contains(r#"GET /orders: Cognito authorizer "users", NO JWKS (the issuer is a placeholder): every request is refused; set AXUM_AWS_JWKS_USERS="#),
        "{text}"
    );
    assert!(
        text.contains(r#"POST /admin/reports: Lambda TOKEN authorizer "admin", NOT REGISTERED: every request is refused; register it with Server::authorizer("admin", handler)"#),
        "{text}"
    );
    assert!(text.contains("not emulated: usage plans"), "{text}");
}

#[test]
fn as_a_lambda_function_the_summary_says_which_events_are_enforced() {
    let text = logged(|| {
        let _handler = Server::new(router()).lambda_handler();
    });
    assert!(
        text.contains(
            "API Gateway REST and HTTP API events: enforced by the gateway, not again here"
        ),
        "{text}"
    );
    assert!(
        text.contains("Function URL and ALB events: enforced here"),
        "{text}"
    );
}

#[test]
fn trusting_upstream_is_in_the_summary() {
    let text = logged(|| {
        let _handler = Server::new(router()).trust_upstream().lambda_handler();
    });
    assert!(
        text.contains("NOT enforced: a gateway in front enforces them"),
        "{text}"
    );
    assert!(text.contains("from Server::trust_upstream"), "{text}");
}

#[test]
fn a_plain_axum_router_declares_nothing_and_logs_nothing() {
    let text = logged(|| {
        let _plain = Server::new(axum::Router::new()).lambda_handler();
    });
    assert!(!text.contains("gateway emulation"), "{text}");
}
