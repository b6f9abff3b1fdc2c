//! The widget API function: in Lambda it answers API Gateway's proxy events, elsewhere
//! it listens on `127.0.0.1:3000` (or `0.0.0.0:$PORT`) and serves its docs page at
//! `/docs` (`WIDGET_ADDR=127.0.0.1:8080` picks the address, as the docs page test
//! does). Storage: DynamoDB table `$WIDGETS_TABLE`, or memory when that is unset.

use axum_aws::{Info, Server};
use widget_service::authorizer;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let router = widget_service::router();
    // The title and version `make demo` exports with (spec.mk); the page is rendered
    // once, here, from this router's public spec. Lambda does not serve it.
    let docs = router.spec(Info::new("Widgets", "1.0.0")).docs_page()?;
    let mut server = Server::new(router).docs("/docs", docs);
    // Locally the server emulates the REST API: the write route's TOKEN authorizer runs
    // in process when its token hash is configured (as the authorizer function reads
    // it); API keys come from AXUM_AWS_API_KEYS.
    if let Ok(expected) = std::env::var(authorizer::TOKEN_SHA256_ENV) {
        server = server.authorizer("widgetAuth", move |event: authorizer::TokenRequest| {
            let answer = authorizer::authorize(&event, &expected);
            async move { answer }
        });
    }
    if let Ok(addr) = std::env::var("WIDGET_ADDR") {
        server = server.addr(addr.parse::<std::net::SocketAddr>()?);
    }
    server.run().await?;
    Ok(())
}
