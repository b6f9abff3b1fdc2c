//! One binary, three places: the same `AwsRouter` served locally, in a container and in
//! AWS Lambda.
//!
//! ```text
//! cargo run -p axum-aws --example serve                  # http://127.0.0.1:3000
//! cargo run -p axum-aws --example serve -- --addr 0.0.0.0:8080 --compress
//! PORT=8080 cargo run -p axum-aws --example serve        # what a container sets
//! cargo lambda watch -p axum-aws --example serve         # a local Lambda emulator
//! ```
//!
//! In Lambda (`AWS_LAMBDA_RUNTIME_API` set) it answers REST API, HTTP API and ALB events;
//! `/dev/users/7` from a REST stage `dev` reaches the `/users/{id}` route.

use std::error::Error;

use axum::Json;
use axum::extract::Path;
use axum::http::header;
use axum_aws::integration::LambdaProxy;
use axum_aws::routing::{get, post};
use axum_aws::{AwsContext, AwsRouter, Cors, Server};
use serde_json::{Value, json};

async fn user(Path(id): Path<u32>, context: AwsContext) -> Json<Value> {
    Json(json!({
        "id": id,
        "stage": context.stage,
        "requestId": context.request_id,
        "caller": context.claims.get("sub"),
    }))
}

async fn create_user(Json(body): Json<Value>) -> (axum::http::StatusCode, Json<Value>) {
    (axum::http::StatusCode::CREATED, Json(body))
}

async fn file(Path(path): Path<String>) -> String {
    format!("file {path}")
}

/// A 1x1 transparent PNG: a binary body, returned base64 to API Gateway.
async fn pixel() -> ([(header::HeaderName, &'static str); 1], &'static [u8]) {
    const PNG: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
        0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00,
        0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49,
        0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];
    ([(header::CONTENT_TYPE, "image/png")], PNG)
}

async fn boom() -> &'static str {
    panic!("the handler failed")
}

fn router() -> AwsRouter {
    AwsRouter::new()
        .route("/users/{id}", get(user))
        .route("/users", post(create_user))
        .route("/files/{*path}", get(file))
        .route("/pixel.png", get(pixel))
        .route("/boom", get(boom))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
        .cors(Cors::new().allow_origin("https://app.example.com"))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let mut server = Server::new(router());
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--compress" => server = server.compression(true),
            "--addr" => {
                let addr = args.next().ok_or("--addr needs HOST:PORT")?;
                server = server.addr(addr.parse::<std::net::SocketAddr>()?);
            }
            _ => {
                return Err(
                    format!("usage: serve [--addr HOST:PORT] [--compress], not {arg:?}").into(),
                );
            }
        }
    }
    server.run().await?;
    Ok(())
}
