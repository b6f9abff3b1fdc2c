//! An error type that does not implement `OperationOutput`: the error names the type
//! and the trait, not only the handler.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_aws::AwsRouter;
use axum_aws::routing::get;

#[derive(serde::Serialize, utoipa::ToSchema)]
struct Order {
    id: String,
}

enum OrderError {
    NotFound,
}

impl IntoResponse for OrderError {
    fn into_response(self) -> Response {
        match self {
            OrderError::NotFound => StatusCode::NOT_FOUND.into_response(),
        }
    }
}

async fn order() -> Result<Json<Order>, OrderError> {
    Err(OrderError::NotFound)
}

fn main() {
    let _router: AwsRouter = AwsRouter::new().route("/orders/{id}", get(order));
}
