//! A response body whose type does not derive `ToSchema`: the error names the type and
//! the trait, not only the handler.

use axum::Json;
use axum_aws::AwsRouter;
use axum_aws::routing::get;

#[derive(serde::Serialize)]
struct Order {
    id: String,
}

async fn order() -> Json<Order> {
    Json(Order { id: "o-1".into() })
}

fn main() {
    let _router: AwsRouter = AwsRouter::new().route("/orders/{id}", get(order));
}
