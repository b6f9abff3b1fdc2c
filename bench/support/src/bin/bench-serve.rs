//! The 3-route service, served: `bench-serve aws|plain [ADDR]`.
//!
//! - `aws`: the [`AwsRouter`](axum_aws::AwsRouter) through `axum_aws::Server` (what
//!   `axum_aws::serve` runs: panic catching, stage/base-path stripping, the router);
//!   inside Lambda (`AWS_LAMBDA_RUNTIME_API` set) it answers Runtime API events instead.
//! - `plain`: the same handlers on a plain `axum::Router` with `axum::serve`.
//!
//! Listens on ADDR (default `127.0.0.1:3000`) until SIGINT/SIGTERM or stdin closes.

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

use axum_aws::Server;

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_default();
    let addr: SocketAddr = match args
        .next()
        .unwrap_or_else(|| "127.0.0.1:3000".into())
        .parse()
    {
        Ok(addr) => addr,
        Err(error) => return fail(&format!("bad address: {error}")),
    };
    if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some() {
        return match Server::new(bench_support::service()).run().await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => fail(&error.to_string()),
        };
    }
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(error) => return fail(&format!("cannot listen on {addr}: {error}")),
    };
    let _ = writeln!(std::io::stdout(), "listening on {addr} ({mode})");
    let result = match mode.as_str() {
        "aws" => Server::new(bench_support::service())
            .serve_listener(listener, stopped())
            .await
            .map_err(|e| e.to_string()),
        "plain" => axum::serve(listener, bench_support::service_plain())
            .with_graceful_shutdown(stopped())
            .await
            .map_err(|e| e.to_string()),
        _ => Err(format!("usage: bench-serve aws|plain [ADDR], not {mode:?}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&error),
    }
}

/// Completes on SIGINT or SIGTERM.
async fn stopped() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("a SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

fn fail(message: &str) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "bench-serve: {message}");
    ExitCode::FAILURE
}
