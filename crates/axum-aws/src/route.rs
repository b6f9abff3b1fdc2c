//! One route's declaration: its handler for serving, its metadata for the specs.

use axum::handler::Handler;
use axum::routing::MethodRouter;

use crate::auth::Security;
use crate::doc::DocPath;
use crate::doc::utoipa_docs;
use crate::integration::Integration;
use crate::{Cors, Method, RouteMeta};

/// One method on a path: the axum handler that serves it and the metadata that
/// describes it to API Gateway. Made by [`get`], [`post`], … and added with
/// [`AwsRouter::route`](crate::AwsRouter::route).
///
/// ```
/// use axum_aws::{auth::Authorizer, integration::LambdaProxy, routing::get, AwsRouter};
///
/// async fn get_widget() -> &'static str { "widget" }
///
/// let router: AwsRouter = AwsRouter::new().route(
///     "/widgets/{name}",
///     get(get_widget)
///         .integration(LambdaProxy::new("${widgets_invoke_arn}"))
///         .auth(Authorizer::api_key())
///         .summary("Get one widget")
///         .tag("widgets"),
/// );
/// assert_eq!(router.routes()[0].path, "/widgets/{name}");
/// ```
#[must_use]
pub struct AwsRoute<S = ()> {
    pub(crate) method_router: MethodRouter<S>,
    pub(crate) meta: RouteMeta,
}

impl<S> std::fmt::Debug for AwsRoute<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AwsRoute")
            .field("meta", &self.meta)
            .finish_non_exhaustive()
    }
}

impl<S> AwsRoute<S> {
    /// Sends this route's requests to `integration` (overrides the router default).
    pub fn integration(mut self, integration: impl Into<Integration>) -> Self {
        self.meta.integration = Some(integration.into());
        self
    }

    /// Requires `security` (overrides the router default).
    pub fn auth(mut self, security: impl Into<Security>) -> Self {
        self.meta.security = Some(security.into());
        self
    }

    /// Makes the route public even if the router has a default authorizer.
    pub fn public(mut self) -> Self {
        self.meta.security = Some(Security::none());
        self
    }

    /// Applies `cors` to this route's path (overrides the router default).
    pub fn cors(mut self, cors: Cors) -> Self {
        self.meta.cors = Some(cors);
        self
    }

    /// Adds an OpenAPI tag.
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.meta.tags.push(tag.into());
        self
    }

    /// Sets the operationId.
    pub fn operation_id(mut self, id: impl Into<String>) -> Self {
        self.meta.operation_id = Some(id.into());
        self
    }

    /// Sets the one-line summary.
    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.meta.summary = Some(summary.into());
        self
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.meta.description = Some(description.into());
        self
    }

    /// Marks the route deprecated (public spec only: API Gateway drops the flag).
    pub fn deprecated(mut self) -> Self {
        self.meta.deprecated = true;
        self
    }

    /// Validates requests with the named validator (see [`ApiSettings::request_validator`](crate::ApiSettings::request_validator)).
    pub fn request_validator(mut self, name: impl Into<String>) -> Self {
        self.meta.request_validator = Some(name.into());
        self
    }

    /// Takes parameters, request body, responses and schemas from a utoipa
    /// `#[utoipa::path(...)]` item (pass the generated `__path_<handler>` type).
    /// Its `path` and method are not used: the route's own are.
    ///
    /// ```
    /// use axum::Json;
    /// use axum_aws::{routing::post, AwsRouter};
    /// use serde::Deserialize;
    ///
    /// #[derive(Deserialize, utoipa::ToSchema)]
    /// struct NewWidget { name: String, color: Option<String> }
    ///
    /// #[utoipa::path(post, path = "/widgets", request_body = NewWidget, responses((status = 201, description = "Created")))]
    /// async fn create(Json(_w): Json<NewWidget>) -> axum::http::StatusCode { axum::http::StatusCode::CREATED }
    ///
    /// let router: AwsRouter = AwsRouter::new().route("/widgets", post(create).doc::<__path_create>());
    /// assert!(router.routes()[0].schemas.contains_key("NewWidget"));
    /// ```
    pub fn doc<P: DocPath>(mut self) -> Self {
        let mut operation = utoipa_docs::operation(P::operation());
        operation.declared_for = utoipa_docs::declared_for(P::methods(), P::path());
        self.meta.operation = Some(operation);
        let mut schemas = Vec::new();
        P::schemas(&mut schemas);
        self.add_schemas(schemas);
        self
    }

    /// Adds a schema (and those it refers to) to the components, for operations
    /// built by hand.
    pub fn schema<T: utoipa::ToSchema>(mut self) -> Self {
        let mut schemas = vec![(T::name().into_owned(), T::schema())];
        T::schemas(&mut schemas);
        self.add_schemas(schemas);
        self
    }

    fn add_schemas(
        &mut self,
        schemas: Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        for (name, schema) in schemas {
            if let Some(schema) = utoipa_docs::schema(&schema) {
                self.meta.schemas.insert(name, schema);
            }
        }
    }

    /// The metadata recorded so far (path is filled in when the route is added).
    pub fn meta(&self) -> &RouteMeta {
        &self.meta
    }
}

macro_rules! method_fn {
    ($name:ident, $method:ident, $axum:ident) => {
        #[doc = concat!("A `", stringify!($method), "` route served by `handler` (axum's [`", stringify!($axum), "`](axum::routing::", stringify!($axum), ")).")]
        ///
        /// ```
        #[doc = concat!("let route: axum_aws::AwsRoute = axum_aws::routing::", stringify!($name), "(|| async { \"ok\" });")]
        /// # let _ = route;
        /// ```
        pub fn $name<H, T, S>(handler: H) -> AwsRoute<S>
        where
            H: Handler<T, S>,
            T: 'static,
            S: Clone + Send + Sync + 'static,
        {
            AwsRoute {
                method_router: axum::routing::$axum(handler),
                meta: RouteMeta::new(Method::$method, String::new()),
            }
        }
    };
}

method_fn!(get, Get, get);
method_fn!(post, Post, post);
method_fn!(put, Put, put);
method_fn!(patch, Patch, patch);
method_fn!(delete, Delete, delete);
method_fn!(head, Head, head);
method_fn!(options, Options, options);
method_fn!(any, Any, any);
