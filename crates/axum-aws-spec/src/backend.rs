//! Test mode of the exporter: every Lambda integration becomes an `http_proxy` to the
//! router served somewhere else (a loopback port), so that an API Gateway emulator runs
//! the real handlers behind the real spec.

use crate::integration::{Http, Integration, IntegrationOptions};
use std::borrow::Cow;

use crate::{ApiSpec, RoutePath, TemplateValue};

impl ApiSpec {
    /// The same API with every Lambda integration, proxy ([`LambdaProxy`]) and custom
    /// ([`Lambda`]), replaced by an `http_proxy` to `base_url` plus the route's path —
    /// the router itself, served by `Server` (axum-aws) on a loopback port. Lambda
    /// cannot run in the API Gateway emulators; this puts the handlers behind a real
    /// gateway in tests.
    ///
    /// Everything else is kept: paths, methods, parameters, authorizers, API keys, CORS
    /// preflight mocks, gateway responses, and every non-Lambda integration. Path
    /// parameters are forwarded (`{base_url}/users/{id}` with
    /// `integration.request.path.id` ← `method.request.path.id`; a greedy `{*rest}` is
    /// sent as `{rest}`); query strings, headers and bodies pass through, as `http_proxy`
    /// does. Of the Lambda integration's options, the timeout, the request parameters and
    /// the cache settings are kept; credentials, mapping templates, integration responses
    /// and payload conversions only mean something to Lambda and are dropped.
    ///
    /// `base_url` may be a placeholder (`${backend_url}`) for `templatefile()` to fill.
    ///
    /// [`LambdaProxy`]: crate::integration::LambdaProxy
    /// [`Lambda`]: crate::integration::Lambda
    ///
    /// ```
    /// use axum_aws::integration::LambdaProxy;
    /// use axum_aws::routing::get;
    /// use axum_aws::{AwsRouter, Info};
    ///
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/users/{id}", get(|| async { "user" }))
    ///     .route("/files/{*path}", get(|| async { "file" }))
    ///     .default_integration(LambdaProxy::new("${api_invoke_arn}"));
    /// let spec = router.spec(Info::new("demo", "1")).with_backend("http://127.0.0.1:8080");
    /// let private = spec.render_private()?.to_value();
    /// let user = &private["paths"]["/users/{id}"]["get"]["x-amazon-apigateway-integration"];
    /// assert_eq!(user["type"], "http_proxy");
    /// assert_eq!(user["uri"], "http://127.0.0.1:8080/users/{id}");
    /// assert_eq!(user["requestParameters"]["integration.request.path.id"], "method.request.path.id");
    /// let file = &private["paths"]["/files/{path+}"]["get"]["x-amazon-apigateway-integration"];
    /// assert_eq!(file["uri"], "http://127.0.0.1:8080/files/{path}");
    /// assert!(spec.placeholders().is_empty());
    /// # Ok::<(), axum_aws::SpecErrors>(())
    /// ```
    #[must_use]
    pub fn with_backend(&self, base_url: impl Into<TemplateValue>) -> ApiSpec {
        let base_url: TemplateValue = base_url.into();
        let base = base_url.as_str().trim_end_matches('/');
        let mut spec = self.clone();
        for route in &mut spec.routes {
            let options = match &route.integration {
                Some(Integration::LambdaProxy(lambda)) => &lambda.options,
                Some(Integration::Lambda(lambda)) => &lambda.options,
                _ => continue,
            };
            let mut http =
                Http::proxy(route.method, format!("{base}{}", backend_path(&route.path)));
            http.options = IntegrationOptions {
                timeout_millis: options.timeout_millis,
                request_parameters: options.request_parameters.clone(),
                cache_namespace: options.cache_namespace.clone(),
                cache_key_parameters: options.cache_key_parameters.clone(),
                ..IntegrationOptions::default()
            };
            route.integration = Some(Integration::Http(http));
        }
        spec
    }
}

/// The route's path as the backend's URI template: `{*rest}` and `{rest+}` become
/// `{rest}` (API Gateway fills a greedy parameter's value, slashes included).
fn backend_path(route_path: &RoutePath) -> String {
    route_path
        .openapi()
        .map_or_else(|| route_path.to_string(), Cow::into_owned)
}

#[cfg(test)]
mod tests {
    use super::backend_path;
    use crate::RoutePath;

    #[test]
    fn greedy_parameters_lose_their_plus() {
        assert_eq!(backend_path(&RoutePath::from("/")), "/");
        assert_eq!(backend_path(&RoutePath::from("/users/{id}")), "/users/{id}");
        assert_eq!(
            backend_path(&RoutePath::from("/files/{*path}")),
            "/files/{path}"
        );
        // API Gateway syntax in a route path is an error of its own; the path is kept as written.
        assert_eq!(backend_path(&RoutePath::from("/{proxy+}")), "/{proxy+}");
        assert_eq!(backend_path(&RoutePath::from("/a.b/c-d")), "/a.b/c-d");
    }
}
