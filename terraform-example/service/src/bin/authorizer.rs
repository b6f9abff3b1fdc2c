//! The Lambda TOKEN authorizer of `PUT /widget` (see `widget_service::authorizer`).

use lambda_http::lambda_runtime::{self, Error, LambdaEvent, service_fn};
use widget_service::authorizer::{TOKEN_SHA256_ENV, TokenRequest, authorize};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let expected = std::env::var(TOKEN_SHA256_ENV)
        .map_err(|_| format!("{TOKEN_SHA256_ENV} is not set: nothing could be authorized"))?;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<TokenRequest>| {
        let answer = authorize(&event.payload, &expected);
        async move { answer.map_err(Error::from) }
    }))
    .await
}
