//! Path fidelity: the path axum routes on is the path *inside the API*, whatever the
//! event source added in front of it.
//!
//! - REST API (v1): lambda_http builds the URI as `/{stage}` + `event.path` (unless
//!   `AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH` is set, or the path already starts with
//!   `/{stage}/`). That added segment is dropped again.
//! - HTTP API (v2): `rawPath` holds `/{stage}` for a named stage (not for `$default`);
//!   lambda_http adds it when missing. The leading stage segment is dropped.
//! - Custom-domain base paths (`api.example.com/v1` mapped onto the API): the event path
//!   starts with the mapping key. Configured base paths are stripped first; without one,
//!   the prefix is found from the matched resource (`resource` for REST, the `routeKey`
//!   for HTTP APIs) when that template has no greedy `{name+}` segment: the path then
//!   has exactly as many segments as the template, and extra leading segments are the
//!   base path.
//! - ALB and local requests: configured base paths only.
//!
//! Everything works on the (already percent-encoded) URI lambda_http built; the query
//! string, scheme and authority are kept.

use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::Request;
use http::Uri;
use http::uri::PathAndQuery;
use lambda_http::RequestExt;
use lambda_http::request::RequestContext;
use tower::{Layer, Service};

/// The environment variable that makes lambda_http leave the REST stage out of the URI.
const IGNORE_STAGE_ENV: &str = "AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH";

/// Layer rewriting the request path to the API-relative path (see the module docs).
#[derive(Clone, Debug, Default)]
pub(crate) struct ApiPathLayer {
    base_paths: Arc<[String]>,
}

impl ApiPathLayer {
    /// `base_paths` are normalised to `/a/b` (leading slash, no trailing slash).
    pub(crate) fn new(base_paths: &[String]) -> Self {
        let base_paths = base_paths
            .iter()
            .map(|path| format!("/{}", path.trim_matches('/')))
            .filter(|path| path != "/")
            .collect();
        Self { base_paths }
    }
}

impl<S> Layer<S> for ApiPathLayer {
    type Service = ApiPath<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ApiPath {
            inner,
            base_paths: Arc::clone(&self.base_paths),
        }
    }
}

/// Service made by [`ApiPathLayer`].
#[derive(Clone, Debug)]
pub(crate) struct ApiPath<S> {
    inner: S,
    base_paths: Arc<[String]>,
}

impl<S> Service<Request> for ApiPath<S>
where
    S: Service<Request>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        // The API path is a suffix of the URI path: a shorter one means a rewrite.
        let path = api_path(&request, &self.base_paths);
        if path.len() != request.uri().path().len() {
            let path_and_query = match request.uri().query() {
                Some(query) => format!("{path}?{query}"),
                None => path.to_owned(),
            };
            // The URI is taken apart rather than cloned: its authority is not copied.
            let uri = std::mem::take(request.uri_mut());
            *request.uri_mut() = with_path_and_query(uri, path_and_query);
        }
        self.inner.call(request)
    }
}

/// The API-relative path of `request`: a suffix of its URI path (borrowed, so that the
/// common case, nothing to strip, allocates nothing).
fn api_path<'r, B>(request: &'r http::Request<B>, base_paths: &[String]) -> &'r str {
    let uri_path = request.uri().path();
    let raw = request.raw_http_path();
    let (path, template) = match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV1(context)) => {
            let stage_added = context.stage.as_deref().is_some_and(|stage| {
                let in_raw = raw
                    .strip_prefix('/')
                    .and_then(|rest| rest.strip_prefix(stage))
                    .is_some_and(|rest| rest.starts_with('/'));
                stage != "$default" && !in_raw && std::env::var_os(IGNORE_STAGE_ENV).is_none()
            });
            let path = if stage_added {
                drop_segments(uri_path, 1)
            } else {
                uri_path
            };
            (path, context.resource_path.as_deref())
        }
        Some(RequestContext::ApiGatewayV2(context)) => {
            let path = match context.stage.as_deref() {
                Some(stage) if stage != "$default" => {
                    strip_prefix(uri_path, &format!("/{stage}")).unwrap_or(uri_path)
                }
                _ => uri_path,
            };
            // "GET /users/{id}"; "$default" matches anything.
            let template = context
                .route_key
                .as_deref()
                .and_then(|key| key.split_once(' '))
                .map(|(_, template)| template);
            (path, template)
        }
        _ => (uri_path, None),
    };
    if let Some(stripped) = base_paths.iter().find_map(|base| strip_prefix(path, base)) {
        return stripped;
    }
    match template {
        Some(template) if !template.contains("+}") => {
            let extra = segments(path).saturating_sub(segments(template));
            drop_segments(path, extra)
        }
        _ => path,
    }
}

/// `path` without `prefix` when `prefix` is a whole leading run of segments; `/` when
/// nothing is left.
fn strip_prefix<'a>(path: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = path.strip_prefix(prefix)?;
    if rest.is_empty() {
        Some("/")
    } else if rest.starts_with('/') {
        Some(rest)
    } else {
        None
    }
}

/// Number of segments, ignoring one trailing slash (`/a/b/` and `/a/b` both have 2).
fn segments(path: &str) -> usize {
    let trimmed = path.strip_suffix('/').unwrap_or(path);
    trimmed.bytes().filter(|&byte| byte == b'/').count()
}

/// `path` without its first `count` segments; `/` when nothing is left.
fn drop_segments(path: &str, count: usize) -> &str {
    if count == 0 {
        return path;
    }
    let slashes = path.bytes().enumerate().filter(|&(_, byte)| byte == b'/');
    match slashes.map(|(index, _)| index).nth(count) {
        Some(index) => &path[index..],
        None => "/",
    }
}

/// `uri` with another path and query; `uri` unchanged if that does not make a URI.
fn with_path_and_query(uri: Uri, path_and_query: String) -> Uri {
    // `Uri::from_parts` refuses an authority without a scheme (an authority-form URI
    // given a path) and a scheme without an authority.
    if uri.scheme().is_some() != uri.authority().is_some() {
        return uri;
    }
    let Ok(path_and_query) = PathAndQuery::try_from(path_and_query) else {
        return uri;
    };
    let mut parts = uri.into_parts();
    parts.path_and_query = Some(path_and_query);
    // Not the default: scheme and authority are both there or both absent.
    Uri::from_parts(parts).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_helpers() {
        assert_eq!(segments("/"), 0);
        assert_eq!(segments("/a"), 1);
        assert_eq!(segments("/a/b/"), 2);
        assert_eq!(drop_segments("/v1/users/42", 1), "/users/42");
        assert_eq!(drop_segments("/v1", 1), "/");
        assert_eq!(drop_segments("/v1/", 1), "/");
        assert_eq!(strip_prefix("/v1/users", "/v1"), Some("/users"));
        assert_eq!(strip_prefix("/v1", "/v1"), Some("/"));
        assert_eq!(strip_prefix("/v10/users", "/v1"), None);
    }

    #[test]
    fn local_requests_only_lose_configured_base_paths() {
        let request = http::Request::get("/api/v1/items?x=1").body(()).unwrap();
        let bases = ["/api/v1".to_owned()];
        assert_eq!(api_path(&request, &bases), "/items");
        assert_eq!(api_path(&request, &[]), "/api/v1/items");
        let uri = with_path_and_query(request.uri().clone(), "/items?x=1".to_owned());
        assert_eq!(uri, "/items?x=1");
    }
}
