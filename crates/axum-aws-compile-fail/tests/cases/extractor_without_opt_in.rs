//! Without the opt-in, the error says what to add.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_aws::AwsRouter;
use axum_aws::routing::get;

struct Tenant;

impl<S: Send + Sync> FromRequestParts<S> for Tenant {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(_: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Tenant)
    }
}

async fn whoami(_: Tenant) {}

fn main() {
    let _router: AwsRouter = AwsRouter::new().route("/whoami", get(whoami));
}
