//! The local and container HTTP server: axum on tokio, with graceful shutdown.

use std::future::Future;
use std::net::SocketAddr;

use std::convert::Infallible;

use axum::ServiceExt as _;
use axum::extract::Request;
use axum::response::Response;
use lambda_http::tracing;
use tokio::net::TcpListener;
use tower::Service;

/// Serves `app` on `listener` until `shutdown` completes; in-flight requests finish.
/// The peer address is available to handlers (and [`AwsContext`](crate::AwsContext)).
pub(super) async fn serve<S>(
    listener: TcpListener,
    app: S,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
{
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Completes on SIGINT (Ctrl-C) or, on Unix, SIGTERM (what `docker stop` and ECS send).
pub(super) async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => tracing::info!("SIGINT: shutting down"),
        () = terminate => tracing::info!("SIGTERM: shutting down"),
    }
}
