//! The widget API function: in Lambda it answers API Gateway's proxy events, elsewhere
//! it listens on `127.0.0.1:3000` (or `0.0.0.0:$PORT`). Storage: DynamoDB table
//! `$WIDGETS_TABLE`, or memory when that is unset.

#[tokio::main]
async fn main() -> Result<(), axum_aws::ServeError> {
    axum_aws::serve(widget_service::router()).await
}
