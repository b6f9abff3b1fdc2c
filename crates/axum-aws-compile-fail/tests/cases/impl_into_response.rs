//! A handler returning `impl IntoResponse` cannot be documented; the error says to
//! write `impl IntoApiResponse`.

use axum::response::IntoResponse;
use axum_aws::AwsRouter;
use axum_aws::routing::get;

async fn hello() -> impl IntoResponse {
    "hello"
}

fn main() {
    let _router: AwsRouter = AwsRouter::new().route("/hello", get(hello));
}
