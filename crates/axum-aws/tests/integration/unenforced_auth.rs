//! The start-up log names the routes whose declared auth the served router does not
//! check: served locally, and as a Lambda function (Function URL and ALB events).

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
fn served_locally_the_log_names_routes_with_declared_auth() {
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
    assert!(text.contains("WARN"), "{text}");
    assert!(
        text.contains("declared auth is not enforced when served locally or in a container"),
        "{text}"
    );
    assert!(
        text.contains(r#"GET /orders (Cognito authorizer "users")"#),
        "{text}"
    );
    assert!(
        text.contains(r#"POST /admin/reports (Lambda authorizer "admin")"#),
        "{text}"
    );
    assert!(
        !text.contains("/health"),
        "a public route is not named: {text}"
    );
}

#[test]
fn as_a_lambda_function_the_log_names_function_url_and_alb_events() {
    let text = logged(|| {
        let _handler = Server::new(router()).lambda_handler();
    });
    assert!(
        text.contains("Function URL and ALB events reach these routes unchecked"),
        "{text}"
    );
    assert!(
        text.contains(r#"GET /orders (Cognito authorizer "users")"#),
        "{text}"
    );
}

#[test]
fn a_router_without_declared_auth_logs_nothing() {
    let public: AwsRouter = AwsRouter::new().route("/health", get(|| async { "ok" }));
    let text = logged(|| {
        let _handler = Server::new(public).lambda_handler();
        let _plain = Server::new(axum::Router::new()).lambda_handler();
    });
    assert!(!text.contains("declared auth"), "{text}");
}
