//! The 3-route service, served: `bench-serve aws|enforce|jwt|plain [ADDR]`.
//!
//! - `aws`: the [`AwsRouter`](axum_aws::AwsRouter) through `axum_aws::Server` (what
//!   `axum_aws::serve` runs: panic catching, stage/base-path stripping, the router),
//!   trusting the gateway upstream (no emulation layer); inside Lambda
//!   (`AWS_LAMBDA_RUNTIME_API` set) it answers Runtime API events instead.
//! - `enforce`: the same, emulating the REST API in front (its routes are public: the
//!   emulation's cost on a request it lets through).
//! - `jwt`: `enforce` with `GET /me` behind a JWT authorizer; prints `token <JWT>` after
//!   the listening line (RS256, the tests' key; the JWKS read from the tests' file, once).
//! - `plain`: the same handlers on a plain `axum::Router` with `axum::serve`.
//!
//! Listens on ADDR (default `127.0.0.1:3000`) until SIGINT/SIGTERM or stdin closes.
//!
//! Inside Lambda the mode picks what the cold start builds: `aws` (and any other mode)
//! `service()`; `jwt` `service_with_jwt()`, whose declaration the gateway emulation
//! compiles at start (REST events then pass: the gateway in front enforced them);
//! `undeclared` the same routes handed over as a plain `axum::Router`, so no emulation is
//! compiled (the baseline of the enforcement's cold-start cost).

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

use axum_aws::Server;

/// The tests' RS256 key and JWKS (`jwt` mode).
const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../crates/axum-aws/tests/fixtures/jwt"
);

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
        let server = match mode.as_str() {
            "jwt" => Server::new(bench_support::service_with_jwt())
                .jwks("users", format!("{FIXTURES}/jwks-1.json")),
            "undeclared" => Server::new(bench_support::service_with_jwt().into_router()),
            _ => Server::new(bench_support::service()),
        };
        return match server.run().await {
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
            .trust_upstream()
            .serve_listener(listener, stopped())
            .await
            .map_err(|e| e.to_string()),
        "enforce" => Server::new(bench_support::service())
            .emulate(axum_aws::Gateway::Rest)
            .serve_listener(listener, stopped())
            .await
            .map_err(|e| e.to_string()),
        "jwt" => match token(&format!("{FIXTURES}/key1.pem")) {
            Ok(token) => {
                let _ = writeln!(std::io::stdout(), "token {token}");
                Server::new(bench_support::service_with_jwt())
                    .emulate(axum_aws::Gateway::HttpApi)
                    .jwks("users", format!("{FIXTURES}/jwks-1.json"))
                    .serve_listener(listener, stopped())
                    .await
                    .map_err(|e| e.to_string())
            }
            Err(error) => Err(error),
        },
        "plain" => axum::serve(listener, bench_support::service_plain())
            .with_graceful_shutdown(stopped())
            .await
            .map_err(|e| e.to_string()),
        _ => Err(format!(
            "usage: bench-serve aws|enforce|jwt|plain [ADDR], not {mode:?}"
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&error),
    }
}

/// An RS256 token for `GET /me`, valid for an hour, signed with the PEM key at `key`.
fn token(key: &str) -> Result<String, String> {
    let pem = std::fs::read(key).map_err(|e| format!("{key}: {e}"))?;
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(&pem).map_err(|e| e.to_string())?;
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = Some("key-1".to_owned());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_secs();
    let claims = serde_json::json!({
        "iss": bench_support::JWT_ISSUER, "aud": "bench", "sub": "bench",
        "iat": now, "exp": now + 3600,
    });
    jsonwebtoken::encode(&header, &claims, &key).map_err(|e| e.to_string())
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
