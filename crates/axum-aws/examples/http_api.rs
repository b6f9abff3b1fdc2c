//! An HTTP API (API Gateway v2) deployment of one router: the private spec Terraform
//! imports, and the same router served to the payload 2.0 events the HTTP API sends.
//!
//! ```text
//! cargo run -p axum-aws --example http_api -- spec > api_http_private.json
//! cargo run -p axum-aws --example http_api                # http://127.0.0.1:3000
//! cargo lambda watch -p axum-aws --example http_api       # a local Lambda emulator
//! ```
//!
//! Terraform (see terraform-example/http-api/ for a complete stack):
//!
//! ```text
//! resource "aws_apigatewayv2_api" "api" {
//!   name             = "orders"
//!   version          = "1.0.0"
//!   protocol_type    = "HTTP"
//!   fail_on_warnings = true
//!   body = templatefile("api_http_private.json", {
//!     api_invoke_arn = aws_lambda_function.api.invoke_arn
//!     region         = var.region
//!     user_pool_id   = aws_cognito_user_pool.users.id
//!     app_client_id  = aws_cognito_user_pool_client.app.id
//!     cors_origin    = var.cors_origin
//!   })
//!   cors_configuration { ... } # the body's x-amazon-apigateway-cors, repeated
//! }
//! resource "aws_apigatewayv2_stage" "default" {
//!   api_id      = aws_apigatewayv2_api.api.id
//!   name        = "$default"
//!   auto_deploy = true
//! }
//! ```

use std::error::Error;
use std::io::Write as _;

use axum::Json;
use axum::extract::Path;
use axum_aws::auth::{Grant, JwtAuthorizer};
use axum_aws::integration::LambdaProxy;
use axum_aws::routing::{any, get, post};
use axum_aws::{AwsContext, AwsRouter, Cors, Info, Server};
use serde_json::{Value, json};

/// The caller's JWT claims reach the handler in `AwsContext` (payload 2.0's
/// `requestContext.authorizer.jwt.claims`).
async fn order(Path(id): Path<String>, context: AwsContext) -> Json<Value> {
    Json(json!({"id": id, "caller": context.claims.get("sub")}))
}

async fn create(Json(body): Json<Value>) -> (axum::http::StatusCode, Json<Value>) {
    (axum::http::StatusCode::CREATED, Json(body))
}

async fn asset(Path(path): Path<String>) -> String {
    format!("asset {path}")
}

fn router() -> AwsRouter {
    let users = JwtAuthorizer::cognito(
        "users",
        "${region}",
        "${user_pool_id}",
        ["${app_client_id}"],
    );
    AwsRouter::new()
        .route("/health", get(|| async { "ok" }).public())
        .route(
            "/orders/{id}",
            get(order).auth(Grant::new(users.clone()).scopes(["orders/read"])),
        )
        .route(
            "/orders",
            post(create).auth(Grant::new(users).scopes(["orders/write"])),
        )
        // Greedy path, any method: `ANY /assets/{path+}` in the HTTP API.
        .route("/assets/{*path}", any(asset).public())
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
        .cors(Cors::new().allow_origin("${cors_origin}"))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    if std::env::args().nth(1).as_deref() == Some("spec") {
        let spec = router().spec(Info::new("orders", "1.0.0"));
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(spec.render_http_api()?.to_json().as_bytes())?;
        return Ok(());
    }
    Server::new(router()).run().await?;
    Ok(())
}
