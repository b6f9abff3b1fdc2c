//! Compile tests: a handler with an undocumented custom extractor compiles with the
//! one-line opt-in and routes (an ordinary test: this binary is the proof that it compiles).
//! The failures (without the opt-in, an opaque `impl IntoResponse`, a newcomer's first
//! mistakes) go through trybuild in `crates/axum-aws-compile-fail`: a passing case there
//! would make trybuild build (not only check) every dependency a second time.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Request, StatusCode};
use axum_aws::integration::LambdaProxy;
use axum_aws::routing::get;
use axum_aws::{AwsRouter, Info};
use tower::ServiceExt;

struct Tenant(String);

impl<S: Send + Sync> FromRequestParts<S> for Tenant {
    type Rejection = StatusCode;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let tenant = parts
            .headers
            .get("x-tenant")
            .ok_or(StatusCode::BAD_REQUEST)?;
        Ok(Tenant(
            tenant
                .to_str()
                .map_err(|_| StatusCode::BAD_REQUEST)?
                .to_owned(),
        ))
    }
}

// The whole opt-in: it documents nothing, and `lint` names it.
impl axum_aws::doc::OperationInput for Tenant {}

async fn whoami(Tenant(tenant): Tenant) -> String {
    tenant
}

#[tokio::test]
async fn a_custom_extractor_with_the_opt_in_compiles_and_routes() {
    let router: AwsRouter = AwsRouter::new()
        .route("/whoami", get(whoami))
        .default_integration(LambdaProxy::new("${api_invoke_arn}"));
    let spec = router.spec(Info::new("t", "1"));
    assert!(
        spec.lint(axum_aws::Target::Rest)
            .warnings
            .iter()
            .any(|w| w.to_string().contains("Tenant"))
    );

    let request = Request::get("/whoami")
        .header("x-tenant", "acme")
        .body(axum::body::Body::empty())
        .unwrap();
    let response = router.into_router().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = axum::body::to_bytes(response.into_body(), 1024)
        .await
        .unwrap();
    assert_eq!(&body[..], b"acme");
}
