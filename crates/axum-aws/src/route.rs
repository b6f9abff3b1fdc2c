//! One route's declaration: its handler for serving, its metadata for the specs.

use axum::handler::Handler;
use axum::routing::MethodRouter;

use crate::auth::Security;
use crate::doc::utoipa_docs;
use crate::doc::{DocContext, DocPath, DocumentedHandler};
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
    /// Documents the handler's types once the route's path is known.
    pub(crate) infer: fn(&mut DocContext),
    /// Whether `.doc::<P>()` replaced what the handler's types document.
    pub(crate) documented: bool,
    /// The statuses of a `(StatusCode, …)` response body, as `.status` gave them.
    pub(crate) statuses: Vec<u16>,
    /// Responses the route states itself (`.responds`), after what the types document.
    pub(crate) responses: Vec<StatedResponse>,
}

/// A response stated with [`AwsRoute::responds`] or [`AwsRoute::responds_empty`].
#[derive(Clone, Debug)]
pub(crate) struct StatedResponse {
    pub(crate) status: u16,
    pub(crate) description: String,
    pub(crate) body: StatedBody,
}

/// The body of a [`StatedResponse`].
#[derive(Clone, Copy, Debug)]
pub(crate) enum StatedBody {
    /// JSON of this schema.
    Json(fn(&mut DocContext) -> crate::doc::Schema),
    /// No body.
    Empty,
    /// Whatever the handler's types document (only the description is stated).
    Documented,
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
    ///
    /// ```
    /// use axum_aws::{integration::{Integration, LambdaProxy}, routing::get};
    ///
    /// let route: axum_aws::AwsRoute = get(|| async { "[]" }).integration(LambdaProxy::new("${api_invoke_arn}"));
    /// assert!(matches!(route.meta().integration, Some(Integration::LambdaProxy(_))));
    /// ```
    pub fn integration(mut self, integration: impl Into<Integration>) -> Self {
        self.meta.integration = Some(integration.into());
        self
    }

    /// Requires `security` (overrides the router default).
    ///
    /// ```
    /// use axum_aws::{auth::Authorizer, routing::get};
    ///
    /// let route: axum_aws::AwsRoute = get(|| async { "[]" }).auth(Authorizer::api_key());
    /// assert_eq!(route.meta().security, Some(Authorizer::api_key().into()));
    /// ```
    pub fn auth(mut self, security: impl Into<Security>) -> Self {
        self.meta.security = Some(security.into());
        self
    }

    /// Makes the route public even if the router has a default authorizer.
    ///
    /// ```
    /// use axum_aws::{auth::Security, routing::get};
    ///
    /// let route: axum_aws::AwsRoute = get(|| async { "ok" }).public();
    /// assert_eq!(route.meta().security, Some(Security::none()));
    /// ```
    pub fn public(mut self) -> Self {
        self.meta.security = Some(Security::none());
        self
    }

    /// Applies `cors` to this route's path (overrides the router default).
    ///
    /// ```
    /// use axum_aws::{routing::post, Cors};
    ///
    /// let route: axum_aws::AwsRoute = post(|| async { "{}" }).cors(Cors::new().allow_credentials(true));
    /// assert!(route.meta().cors.as_ref().is_some_and(|cors| cors.credentials()));
    /// ```
    pub fn cors(mut self, cors: Cors) -> Self {
        self.meta.cors = Some(cors);
        self
    }

    /// Adds an OpenAPI tag.
    ///
    /// ```
    /// let route: axum_aws::AwsRoute = axum_aws::routing::get(|| async { "[]" }).tag("widgets");
    /// assert_eq!(route.meta().tags, ["widgets"]);
    /// ```
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.meta.tags.push(tag.into());
        self
    }

    /// Sets the operationId.
    ///
    /// ```
    /// let route: axum_aws::AwsRoute = axum_aws::routing::get(|| async { "[]" }).operation_id("listWidgets");
    /// assert_eq!(route.meta().operation_id.as_deref(), Some("listWidgets"));
    /// ```
    pub fn operation_id(mut self, id: impl Into<String>) -> Self {
        self.meta.operation_id = Some(id.into());
        self
    }

    /// Sets the one-line summary.
    ///
    /// ```
    /// let route: axum_aws::AwsRoute = axum_aws::routing::get(|| async { "[]" }).summary("List widgets");
    /// assert_eq!(route.meta().summary.as_deref(), Some("List widgets"));
    /// ```
    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.meta.summary = Some(summary.into());
        self
    }

    /// Sets the description.
    ///
    /// ```
    /// let route: axum_aws::AwsRoute = axum_aws::routing::get(|| async { "[]" }).description("Every widget, by name.");
    /// assert_eq!(route.meta().description.as_deref(), Some("Every widget, by name."));
    /// ```
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.meta.description = Some(description.into());
        self
    }

    /// Marks the route deprecated (public spec only: API Gateway drops the flag).
    ///
    /// ```
    /// let route: axum_aws::AwsRoute = axum_aws::routing::get(|| async { "[]" }).deprecated();
    /// assert!(route.meta().deprecated);
    /// ```
    pub fn deprecated(mut self) -> Self {
        self.meta.deprecated = true;
        self
    }

    /// Validates requests with the named validator (see [`ApiSettings::request_validator`](crate::ApiSettings::request_validator)).
    ///
    /// ```
    /// use axum_aws::{routing::post, ApiSettings, AwsRouter, Info, RequestValidator};
    ///
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/widgets", post(|| async { "{}" }).request_validator("body"))
    ///     .settings(ApiSettings::new().request_validator("body", RequestValidator::body_only()));
    /// assert_eq!(router.routes()[0].request_validator.as_deref(), Some("body"));
    /// ```
    pub fn request_validator(mut self, name: impl Into<String>) -> Self {
        self.meta.request_validator = Some(name.into());
        self
    }

    /// A status a `(StatusCode, Json<T>)` handler answers with (its type cannot say):
    /// the body's response is documented under it rather than 200. Give it once per
    /// status for a handler that picks among several (`.status(200).status(201)`).
    ///
    /// ```
    /// use axum::{Json, http::StatusCode};
    /// use axum_aws::{routing::post, AwsRouter};
    ///
    /// async fn create(Json(name): Json<String>) -> (StatusCode, Json<String>) {
    ///     (StatusCode::CREATED, Json(name))
    /// }
    ///
    /// let router: AwsRouter = AwsRouter::new().route("/widgets", post(create).status(201));
    /// assert!(router.routes()[0].operation.as_ref().unwrap().responses.contains_key("201"));
    /// ```
    pub fn status(mut self, status: u16) -> Self {
        if !self.statuses.contains(&status) {
            self.statuses.push(status);
        }
        self
    }

    /// Documents a response whose JSON body is a `T`, replacing what the handler's types
    /// document for `status`: the errors a handler answers itself, say (an error type
    /// that answers several statuses cannot say which of them a route produces).
    ///
    /// ```
    /// use axum_aws::{routing::get, AwsRouter};
    ///
    /// #[derive(serde::Serialize, utoipa::ToSchema)]
    /// struct Problem { message: String }
    ///
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/", get(|| async { "ok" }).responds::<Problem>(404, "No such widget"));
    /// let responses = &router.routes()[0].operation.as_ref().unwrap().responses;
    /// assert_eq!(responses["404"].description, "No such widget");
    /// ```
    pub fn responds<T: utoipa::ToSchema>(
        mut self,
        status: u16,
        description: impl Into<String>,
    ) -> Self {
        self.responses.push(StatedResponse {
            status,
            description: description.into(),
            body: StatedBody::Json(DocContext::schema_of::<T>),
        });
        self
    }

    /// Documents a response without a body, replacing what the handler's types document
    /// for `status`.
    ///
    /// ```
    /// use axum_aws::{routing::delete, AwsRouter};
    ///
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/{id}", delete(|| async {}).responds_empty(204, "Deleted"));
    /// assert!(router.routes()[0].operation.as_ref().unwrap().responses["204"].content.is_empty());
    /// ```
    pub fn responds_empty(mut self, status: u16, description: impl Into<String>) -> Self {
        self.responses.push(StatedResponse {
            status,
            description: description.into(),
            body: StatedBody::Empty,
        });
        self
    }

    /// Describes a response the handler's types document (a `Json<T>` return's 200,
    /// whose description is otherwise the status's reason phrase), keeping its body.
    ///
    /// ```
    /// use axum::Json;
    /// use axum_aws::{routing::get, AwsRouter};
    ///
    /// async fn count() -> Json<u32> { Json(7) }
    ///
    /// let router: AwsRouter = AwsRouter::new().route("/count", get(count).describe_response(200, "How many widgets there are"));
    /// let ok = &router.routes()[0].operation.as_ref().unwrap().responses["200"];
    /// assert_eq!((ok.description.as_str(), ok.content.len()), ("How many widgets there are", 1));
    /// ```
    pub fn describe_response(mut self, status: u16, description: impl Into<String>) -> Self {
        self.responses.push(StatedResponse {
            status,
            description: description.into(),
            body: StatedBody::Documented,
        });
        self
    }

    /// Takes parameters, request body, responses and schemas from a utoipa
    /// `#[utoipa::path(...)]` item (pass the generated `__path_<handler>` type), instead
    /// of what the handler's types document. The item's method, path and path
    /// parameters must be the route's: the export fails naming the route when they
    /// are not.
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
        self.documented = true;
        let mut schemas = Vec::new();
        P::schemas(&mut schemas);
        self.add_schemas(schemas);
        self
    }

    /// Adds a schema (and those it refers to) to the components, for operations
    /// built by hand.
    ///
    /// ```
    /// #[derive(utoipa::ToSchema)]
    /// struct Widget { name: String }
    ///
    /// let route: axum_aws::AwsRoute = axum_aws::routing::get(|| async { "{}" }).schema::<Widget>();
    /// assert!(route.meta().schemas.contains_key("Widget"));
    /// ```
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

    /// Throttles this route: `rate` requests per second on average, bursts of up to
    /// `burst` (overrides the router's
    /// [`default_throttle`](crate::AwsRouter::default_throttle)). An OpenAPI body
    /// cannot carry it: `aws-spec terraform` writes it as the stage's method (REST) or
    /// route (HTTP API) settings, the Kong target as a `rate-limiting` plugin. A rate or
    /// burst of 0 or less is an error of [`ApiSpec::check`](crate::ApiSpec::check),
    /// naming the route.
    ///
    /// ```
    /// use axum_aws::{routing::post, Throttle};
    ///
    /// let route: axum_aws::AwsRoute = post(|| async { "{}" }).throttle(10, 20);
    /// assert_eq!(route.meta().throttle, Some(Throttle::new(10, 20)));
    /// ```
    ///
    /// # Panics
    /// When `rate` is NaN or infinite (see [`Throttle::new`](crate::Throttle::new)).
    #[track_caller]
    pub fn throttle(mut self, rate: impl Into<f64>, burst: u32) -> Self {
        self.meta.throttle = Some(crate::Throttle::new(rate, burst));
        self
    }

    /// The metadata recorded so far (path is filled in when the route is added).
    ///
    /// ```
    /// use axum_aws::Method;
    ///
    /// let route: axum_aws::AwsRoute = axum_aws::routing::put(|| async { "{}" }).summary("Store a widget");
    /// assert_eq!(route.meta().method, Method::Put);
    /// assert_eq!(route.meta().summary.as_deref(), Some("Store a widget"));
    /// ```
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
        ///
        /// The route's parameters, request body and responses are documented from the
        /// handler's argument and return types (see [`doc`](crate::doc)).
        pub fn $name<H, T, S, D>(handler: H) -> AwsRoute<S>
        where
            H: Handler<T, S> + DocumentedHandler<T, D>,
            T: 'static,
            S: Clone + Send + Sync + 'static,
        {
            AwsRoute {
                method_router: axum::routing::$axum(handler),
                meta: RouteMeta::new(Method::$method, String::new()),
                infer: <H as DocumentedHandler<T, D>>::document,
                documented: false,
                statuses: Vec::new(),
                responses: Vec::new(),
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
