//! The README's first example ("1. Declare routes"), which a test finds verbatim in this
//! file: it compiles as long as this example does.
//!
//! ```text
//! cargo run -p axum-aws --example first_service   # prints the public spec
//! ```

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_aws::auth::CognitoAuthorizer;
use axum_aws::doc::{DocContext, OperationOutput};
use axum_aws::integration::LambdaProxy;
use axum_aws::routing::{get, post};
use axum_aws::{AwsRouter, Cors};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A JSON body, request or response, derives utoipa's `ToSchema`: its schema is the model.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct Widget {
    name: String,
    color: Option<String>,
}

/// The body of an error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    message: String,
}

/// An error type implements `OperationOutput` (the responses it documents) besides
/// `IntoResponse`.
#[derive(Debug)]
pub enum ApiError {
    /// The request's widget cannot be stored.
    Invalid(String),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let ApiError::Invalid(message) = self;
        (StatusCode::UNPROCESSABLE_ENTITY, Json(Problem { message })).into_response()
    }
}

impl OperationOutput for ApiError {
    fn operation_output(cx: &mut DocContext) {
        cx.add_json_response::<Problem>(422, "The widget is invalid");
    }
}

async fn health() -> &'static str {
    "ok"
}

async fn create(Json(widget): Json<Widget>) -> Result<Json<Widget>, ApiError> {
    if widget.name.is_empty() {
        return Err(ApiError::Invalid("a widget needs a name".to_owned()));
    }
    Ok(Json(widget))
}

/// The service's routes: `aws-spec --router my_service::router` exports them.
pub fn router() -> AwsRouter {
    AwsRouter::new()
        .route("/health", get(health).public())
        .route(
            "/widgets",
            post(create).auth(CognitoAuthorizer::new("users", ["${user_pool_arn}"])),
        )
        .default_integration(LambdaProxy::new("${api_invoke_arn}"))
        .cors(Cors::new().allow_origin("${app_origin}"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let public = router()
        .spec(axum_aws::Info::new("Widgets", "1.0.0"))
        .render_public()?;
    std::io::Write::write_all(&mut std::io::stdout(), public.to_json().as_bytes())?;
    Ok(())
}
