//! Serving side of CORS: one tower-http `CorsLayer` per path, chosen by axum's `MatchedPath`.
//!
//! Router-level CORS defaults are only known once routers are composed, so the
//! policy cannot be attached when a route is added; this layer is applied once,
//! in `AwsRouter::into_parts`, and dispatches to the path's own `CorsLayer`.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::{MatchedPath, Request};
use axum::response::Response;
use tower::{Layer, Service, ServiceExt};
use tower_http::cors::CorsLayer;

use crate::resolved::Resolved;
use crate::{Cors, Method};

/// Picks the CORS policy of the matched path.
#[derive(Clone, Debug)]
pub(crate) struct CorsByPath {
    layers: Arc<HashMap<String, CorsLayer>>,
}

impl CorsByPath {
    /// One layer per path that has a CORS policy; `None` when no route has one.
    /// Every method declared on a path is allowed (unless the policy names its own).
    pub(crate) fn new(resolved: &Resolved<'_>) -> Option<Self> {
        let layers: HashMap<String, CorsLayer> = resolved
            .paths()
            .iter()
            .filter_map(|path| {
                let layer = to_layer(path.cors()?, path.methods());
                Some((path.path().as_str().to_owned(), layer))
            })
            .collect();
        (!layers.is_empty()).then(|| Self {
            layers: Arc::new(layers),
        })
    }
}

impl<S> Layer<S> for CorsByPath {
    type Service = CorsByPathService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        CorsByPathService {
            inner,
            layers: Arc::clone(&self.layers),
        }
    }
}

/// Service made by [`CorsByPath`].
#[derive(Clone, Debug)]
pub(crate) struct CorsByPathService<S> {
    inner: S,
    layers: Arc<HashMap<String, CorsLayer>>,
}

impl<S> Service<Request> for CorsByPathService<S>
where
    S: Service<Request, Response = Response> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        // Take the service that was driven to readiness, leave a clone in its place.
        let clone = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, clone);
        let layer = request
            .extensions()
            .get::<MatchedPath>()
            .and_then(|path| self.layers.get(path.as_str()))
            .cloned();
        match layer {
            Some(layer) => Box::pin(async move {
                let response = layer.layer(inner).oneshot(request).await?;
                Ok(response.map(axum::body::Body::new))
            }),
            None => {
                let mut inner = inner;
                Box::pin(inner.call(request))
            }
        }
    }
}

/// The `tower_http` layer that serves this policy for a path with `declared` methods.
/// Placeholder origins are read from the upper-cased environment variable; unset ones are skipped.
pub(crate) fn to_layer(cors: &Cors, declared: &[Method]) -> CorsLayer {
    use http::{HeaderName, HeaderValue};
    use tower_http::cors::AllowOrigin;

    let mut layer = CorsLayer::new();
    layer = if cors.any_origin() {
        layer.allow_origin(AllowOrigin::any())
    } else {
        let origins: Vec<HeaderValue> = cors
            .origins()
            .iter()
            .filter_map(|origin| {
                let value = origin
                    .render(|name| std::env::var(name.to_ascii_uppercase()).unwrap_or_default());
                HeaderValue::from_str(&value).ok().filter(|v| !v.is_empty())
            })
            .collect();
        layer.allow_origin(AllowOrigin::list(origins))
    };
    let methods: Vec<http::Method> = cors
        .methods_header(declared)
        .split(',')
        .filter_map(|m| http::Method::from_bytes(m.as_bytes()).ok())
        .collect();
    layer = layer.allow_methods(methods);
    let headers: Vec<HeaderName> = cors
        .headers()
        .iter()
        .filter_map(|h| HeaderName::from_bytes(h.as_bytes()).ok())
        .collect();
    layer = layer.allow_headers(headers);
    let exposed: Vec<HeaderName> = cors
        .exposed_headers()
        .iter()
        .filter_map(|h| HeaderName::from_bytes(h.as_bytes()).ok())
        .collect();
    layer = layer.expose_headers(exposed);
    if let Some(max_age) = cors.max_age_seconds() {
        layer = layer.max_age(std::time::Duration::from_secs(max_age));
    }
    layer.allow_credentials(cors.credentials())
}
