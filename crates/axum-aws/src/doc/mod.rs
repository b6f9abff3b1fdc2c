//! Route docs from the handler's own types.
//!
//! [`get`](crate::routing::get), [`post`](crate::routing::post), … document a route's
//! parameters, request body and responses from its handler's argument and return
//! types: each argument implements [`OperationInput`], the return type
//! [`OperationOutput`]. Schemas come from utoipa's [`ToSchema`](utoipa::ToSchema) and
//! [`IntoParams`](utoipa::IntoParams).
//!
//! | type | documents |
//! |---|---|
//! | `Json<T>` | a required `application/json` body of `T`'s schema; on proxy integrations axum's 400, 415 and 422 |
//! | `Form<T>` | a required `application/x-www-form-urlencoded` body; 400, 415, 422 |
//! | `String`, `Bytes` | a `text/plain` or `application/octet-stream` body; 400 (not UTF-8) for `String` |
//! | `Path<T>` | the path parameters: `T` a scalar, a tuple (names from the route's path, in order) or an `IntoParams` struct; 400 |
//! | `Query<T: IntoParams>` | the query parameters; 400 |
//! | `TypedHeader<T>` (feature `typed-header`) | a required string header parameter named `T::name()`; 400 |
//! | `Option<T>` | what `T` documents, not required (path parameters stay required) |
//! | `State`, `Extension`, `ConnectInfo`, `AwsContext`, `HeaderMap`, `Method`, `Uri`, `Request`, … | nothing |
//! | returns `Json<T>` | 200 with `T`'s schema (`.status(…)` for `(StatusCode, Json<T>)`) |
//! | returns `Result<T, E>` | `T`'s responses and `E`'s (an error type documents its own) |
//! | returns `Response`, `StatusCode`, `&str`, `String`, `()`, … | nothing (`Response` is reported by `lint`) |
//! | returns `impl IntoApiResponse` | what the hidden type documents (`impl IntoResponse` cannot be looked into: it does not compile here, and the error says to write `impl IntoApiResponse`) |
//!
//! A custom extractor or response type documents itself by implementing the trait,
//! or opts out with one line (`lint` then names it, per route):
//!
//! ```
//! use axum::extract::FromRequestParts;
//! use axum::http::request::Parts;
//! use axum_aws::{AwsRouter, routing::get};
//!
//! struct TraceId(String);
//!
//! impl<S: Send + Sync> FromRequestParts<S> for TraceId {
//!     type Rejection = std::convert::Infallible;
//!     async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
//!         Ok(TraceId(parts.headers.get("x-trace").and_then(|v| v.to_str().ok()).unwrap_or("").into()))
//!     }
//! }
//! impl axum_aws::doc::OperationInput for TraceId {} // documents nothing
//!
//! async fn handler(TraceId(id): TraceId) -> String { id }
//! let router: AwsRouter = AwsRouter::new().route("/", get(handler));
//! assert_eq!(router.routes()[0].operation.as_ref().unwrap().undocumented.len(), 1);
//! ```

mod impls;
pub(crate) mod utoipa_docs;

use std::any::type_name;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::future::Future;

pub use self::impls::{PathParams, QueryParams, marker};
pub use axum_aws_spec::doc::{
    DeclaredFor, Header, MediaType, Operation, Parameter, ParameterIn, PathArity, PathExtractor,
    RequestBody, Response, Schema, StatusMismatch,
};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema as UtoipaSchema;

/// What a route's handler types document, while they are asked: the operation under
/// construction, the schemas it refers to and the route's path parameter names.
#[derive(Debug)]
pub struct DocContext {
    pub(crate) operation: Operation,
    schemas: BTreeMap<String, Schema>,
    path_params: Vec<String>,
    status: u16,
    route_statuses: Vec<u16>,
    /// The return type asked for the route's statuses ([`with_route_status`](Self::with_route_status)).
    route_status_used: bool,
    /// … while the route stated none.
    status_unstated: bool,
    /// The handler's return type, short (`Json<Order>`).
    returns: String,
}

impl DocContext {
    pub(crate) fn new(path_params: Vec<String>, route_statuses: Vec<u16>) -> Self {
        Self {
            operation: Operation::default(),
            schemas: BTreeMap::new(),
            path_params,
            status: 200,
            route_statuses,
            route_status_used: false,
            status_unstated: false,
            returns: String::new(),
        }
    }

    pub(crate) fn finish(mut self) -> (Operation, BTreeMap<String, Schema>) {
        let returns = std::mem::take(&mut self.returns);
        self.operation.status_mismatch = if self.status_unstated {
            Some(StatusMismatch::Unstated { returns })
        } else if !self.route_statuses.is_empty() && !self.route_status_used {
            Some(StatusMismatch::Ignored {
                statuses: std::mem::take(&mut self.route_statuses),
                returns,
            })
        } else {
            None
        };
        (self.operation, self.schemas)
    }

    /// Records the handler's `Path<T>` extractor (its type, `Path<T>`), checked against
    /// the route's final path when the spec is built.
    pub(crate) fn set_path_extractor<P>(&mut self, arity: Option<PathArity>) {
        self.operation.path_extractor =
            arity.map(|arity| PathExtractor::new(short_type_name(type_name::<P>()), arity));
    }

    /// The route's path parameter names, in order.
    pub fn path_params(&self) -> &[String] {
        &self.path_params
    }

    /// Adds a parameter (one of the same name and location is kept).
    pub fn add_parameter(&mut self, parameter: Parameter) {
        let exists = self
            .operation
            .parameters
            .iter()
            .any(|p| p.name == parameter.name && p.location == parameter.location);
        if !exists {
            self.operation.parameters.push(parameter);
        }
    }

    /// Sets the request body.
    pub fn set_request_body(&mut self, body: RequestBody) {
        self.operation.request_body = Some(body);
    }

    /// Adds a response (a status documented already is kept).
    pub fn add_response(&mut self, status: impl Into<String>, response: Response) {
        self.operation
            .responses
            .entry(status.into())
            .or_insert(response);
    }

    /// Adds a response whose body is `T` as JSON.
    pub fn add_json_response<T: utoipa::ToSchema>(
        &mut self,
        status: u16,
        description: impl Into<String>,
    ) {
        let schema = self.schema_of::<T>();
        self.add_response(
            status.to_string(),
            Response::new(description).content("application/json", MediaType::schema(schema)),
        );
    }

    /// Adds an error response that the service itself answers when a request is
    /// rejected before the handler runs (axum's extractor rejections, a `text/plain`
    /// message). The export documents it only where the service answers (proxy
    /// integrations); where the handler documents the same status, the public spec
    /// lists both bodies.
    pub fn add_rejection(&mut self, status: u16) {
        // axum's rejections answer their message as text/plain
        // (`Failed to parse the request body as JSON: …`).
        self.operation
            .rejections
            .entry(status.to_string())
            .or_insert_with(|| {
                Response::new("").content("text/plain", MediaType::schema(Schema::string()))
            });
    }

    /// The status a response body is documented under: 200, or the route's
    /// [`status`](crate::AwsRoute::status) inside a `(StatusCode, …)` return type.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Documents `f`'s responses under each of the route's statuses, or 200 when it
    /// states none (a `(StatusCode, R)` return type: the status is a runtime value, the
    /// route states it).
    pub fn with_route_status(&mut self, mut f: impl FnMut(&mut Self)) {
        let before = self.status;
        self.route_status_used = true;
        let statuses = if self.route_statuses.is_empty() {
            // Documented as 200; `lint` says the route should state it.
            self.status_unstated = true;
            vec![200]
        } else {
            self.route_statuses.clone()
        };
        for status in statuses {
            self.status = status;
            f(self);
        }
        self.status = before;
    }

    /// Records that a part of the handler (named by its type) is not documented.
    pub fn undocumented(&mut self, what: impl Into<String>) {
        let what = what.into();
        if !self.operation.undocumented.contains(&what) {
            self.operation.undocumented.push(what);
        }
    }

    /// `T`'s schema where it is used: a reference to a component (added with those it
    /// refers to) for named objects and enums, the schema itself for scalars and
    /// arrays.
    pub fn schema_of<T: utoipa::ToSchema>(&mut self) -> Schema {
        let schema = T::schema();
        let mut referred = Vec::new();
        T::schemas(&mut referred);
        self.add_schemas(referred);
        let name = component_name::<T>();
        if is_component(&schema) && !name.is_empty() {
            self.add_schemas([(name.clone().into_owned(), schema)]);
            Schema::reference(&name)
        } else {
            utoipa_docs::schema(&schema).unwrap_or_else(Schema::string)
        }
    }

    /// Adds schemas to the components.
    pub fn add_schemas(
        &mut self,
        schemas: impl IntoIterator<Item = (String, RefOr<UtoipaSchema>)>,
    ) {
        for (name, schema) in schemas {
            if !self.schemas.contains_key(&name)
                && let Some(schema) = utoipa_docs::schema(&schema)
            {
                self.schemas.insert(name, schema);
            }
        }
    }
}

/// `T`'s component name: utoipa's, with a generic type's arguments appended the way
/// `#[utoipa::path]` names them (`Page<Widget>` is `Page_Widget`), so that two
/// instances of one generic type do not share a name.
fn component_name<T: utoipa::ToSchema>() -> Cow<'static, str> {
    let name = T::name();
    let full = type_name::<T>();
    let Some(open) = full.find('<') else {
        return name;
    };
    let mut composed = name.into_owned();
    for argument in full[open + 1..full.len() - 1].split([',', '<', '>']) {
        let argument = argument.trim();
        if !argument.is_empty() {
            composed.push('_');
            composed.push_str(argument.rsplit("::").next().unwrap_or(argument));
        }
    }
    Cow::Owned(composed)
}

/// Whether a schema is worth a component of its own: an object (with properties) or a
/// composition (enums), not a scalar or an array.
fn is_component(schema: &RefOr<UtoipaSchema>) -> bool {
    use utoipa::openapi::schema::{SchemaType, Type};
    match schema {
        RefOr::T(UtoipaSchema::Object(object)) => {
            matches!(&object.schema_type, SchemaType::Type(Type::Object))
                && !object.properties.is_empty()
                || object.enum_values.is_some()
        }
        RefOr::Ref(_) | RefOr::T(UtoipaSchema::Array(_)) => false,
        RefOr::T(_) => true,
    }
}

/// A handler argument (an axum extractor) that documents what it takes from the
/// request.
///
/// `M` distinguishes impls that would otherwise overlap (`Path<T>` of a scalar, a tuple
/// or an `IntoParams` struct); implement `OperationInput` (`M = ()`) for your own
/// extractors. The default method documents nothing and records the type as
/// undocumented, so `impl OperationInput for MyExtractor {}` is the whole opt-out.
///
/// ```
/// use axum_aws::doc::{DocContext, OperationInput};
/// use axum_aws::doc::{Parameter, ParameterIn, Schema};
///
/// struct Tenant(String);
/// impl OperationInput for Tenant {
///     fn operation_input(cx: &mut DocContext) {
///         let mut header = Parameter::new("x-tenant", ParameterIn::Header, Schema::string());
///         header.required = true;
///         cx.add_parameter(header);
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "axum-aws cannot document the handler argument `{Self}`",
    label = "this handler takes an argument that does not implement `axum_aws::doc::OperationInput`",
    note = "implement `axum_aws::doc::OperationInput` for it to document what it reads, or opt out with one line: `impl axum_aws::doc::OperationInput for {Self} {{}}`"
)]
pub trait OperationInput<M = ()> {
    /// Documents what this extractor reads.
    fn operation_input(cx: &mut DocContext) {
        cx.undocumented(type_name::<Self>());
    }
}

/// A handler's return type that documents the responses it produces.
///
/// The default method documents nothing and records the type as undocumented:
/// `impl OperationOutput for MyResponse {}` opts out in one line.
///
/// ```
/// use axum_aws::doc::{DocContext, OperationOutput};
///
/// #[derive(serde::Serialize, utoipa::ToSchema)]
/// struct Problem { message: String }
///
/// enum ApiError { NotFound }
/// impl OperationOutput for ApiError {
///     fn operation_output(cx: &mut DocContext) {
///         cx.add_json_response::<Problem>(404, "Not found");
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "axum-aws cannot document the handler's response type `{Self}`",
    label = "the handler returns a type that does not implement `axum_aws::doc::OperationOutput`",
    note = "return a concrete type (`Json<T>`, `(StatusCode, Json<T>)`, `Result<T, E>`, `Response`, …) or `impl axum_aws::doc::IntoApiResponse` rather than `impl IntoResponse`, or implement `axum_aws::doc::OperationOutput` for it (`impl axum_aws::doc::OperationOutput for {Self} {{}}` documents nothing)"
)]
pub trait OperationOutput {
    /// Documents the responses this type produces.
    fn operation_output(cx: &mut DocContext) {
        cx.undocumented(type_name::<Self>());
    }
}

/// A response type that documents itself, for handlers that return an opaque type.
///
/// Rust cannot look inside `-> impl IntoResponse`, so such a handler cannot be
/// documented (nor routed by [`get`](crate::routing::get), …). Write
/// `-> impl IntoApiResponse` instead: it is still any [`IntoResponse`](axum::response::IntoResponse), and the hidden
/// type's own [`OperationOutput`] documents the route.
///
/// ```
/// use axum::Json;
/// use axum_aws::doc::IntoApiResponse;
/// use axum_aws::integration::LambdaProxy;
/// use axum_aws::{AwsRouter, Info, routing::get};
///
/// #[derive(serde::Serialize, utoipa::ToSchema)]
/// struct Health { ok: bool }
///
/// async fn health() -> impl IntoApiResponse { Json(Health { ok: true }) }
///
/// let router: AwsRouter = AwsRouter::new()
///     .route("/health", get(health))
///     .default_integration(LambdaProxy::new("${api_invoke_arn}"));
/// let public = router.spec(Info::new("t", "1")).render_public().unwrap().to_value();
/// let schema = &public["paths"]["/health"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
/// assert_eq!(schema["$ref"], "#/components/schemas/Health");
/// ```
pub trait IntoApiResponse: axum::response::IntoResponse + OperationOutput {}

impl<T: axum::response::IntoResponse + OperationOutput> IntoApiResponse for T {}

/// A handler whose arguments and return type document themselves: every `async fn`
/// whose arguments implement [`OperationInput`] and whose output implements
/// [`OperationOutput`].
///
/// `T` is axum's [`Handler`](axum::handler::Handler) argument tuple (`((),)` without
/// arguments, else the last argument's marker, then the arguments), which the
/// `Handler` bound of [`get`](crate::routing::get), … infers; `M` is the tuple of the
/// arguments' [`OperationInput`] markers. Keyed on axum's `T`, one impl applies to a
/// given handler, so that rustc names the very argument or return type that cannot be
/// documented, and the trait it lacks (`ToSchema` of a body, [`OperationOutput`] of an
/// error type), rather than this trait.
#[diagnostic::on_unimplemented(
    message = "axum-aws cannot document this handler (arguments: `{T}`)",
    note = "each argument must implement `axum_aws::doc::OperationInput` and the return type `axum_aws::doc::OperationOutput`; a `Json<T>` body or response needs `T: utoipa::ToSchema`, the error type `E` of `Result<_, E>` needs `OperationOutput`",
    note = "a custom extractor that documents nothing opts in with one line: `impl axum_aws::doc::OperationInput for MyExtractor {{}}`; return a concrete type or `impl axum_aws::doc::IntoApiResponse` rather than `impl IntoResponse` (`Response` documents nothing)"
)]
pub trait DocumentedHandler<T, M> {
    /// Documents the handler's arguments, then its responses.
    fn document(cx: &mut DocContext);
}

impl<F, Fut> DocumentedHandler<((),), ()> for F
where
    F: FnOnce() -> Fut,
    Fut: Future,
    Fut::Output: OperationOutput,
{
    fn document(cx: &mut DocContext) {
        cx.returns = short_type_name(type_name::<Fut::Output>());
        <Fut::Output as OperationOutput>::operation_output(cx);
    }
}

macro_rules! documented_handler {
    ($($ty:ident $marker:ident),*) => {
        impl<F, Fut, Last, $($ty, $marker,)*> DocumentedHandler<(Last, $($ty,)*), ($($marker,)*)> for F
        where
            F: FnOnce($($ty),*) -> Fut,
            Fut: Future,
            Fut::Output: OperationOutput,
            $($ty: OperationInput<$marker>,)*
        {
            fn document(cx: &mut DocContext) {
                $(<$ty as OperationInput<$marker>>::operation_input(cx);)*
                cx.returns = short_type_name(type_name::<Fut::Output>());
                <Fut::Output as OperationOutput>::operation_output(cx);
            }
        }
    };
}

documented_handler!(T1 M1);
documented_handler!(T1 M1, T2 M2);
documented_handler!(T1 M1, T2 M2, T3 M3);
documented_handler!(T1 M1, T2 M2, T3 M3, T4 M4);
documented_handler!(T1 M1, T2 M2, T3 M3, T4 M4, T5 M5);
documented_handler!(T1 M1, T2 M2, T3 M3, T4 M4, T5 M5, T6 M6);
documented_handler!(T1 M1, T2 M2, T3 M3, T4 M4, T5 M5, T6 M6, T7 M7);
documented_handler!(T1 M1, T2 M2, T3 M3, T4 M4, T5 M5, T6 M6, T7 M7, T8 M8);
documented_handler!(T1 M1, T2 M2, T3 M3, T4 M4, T5 M5, T6 M6, T7 M7, T8 M8, T9 M9);
documented_handler!(T1 M1, T2 M2, T3 M3, T4 M4, T5 M5, T6 M6, T7 M7, T8 M8, T9 M9, T10 M10);
documented_handler!(T1 M1, T2 M2, T3 M3, T4 M4, T5 M5, T6 M6, T7 M7, T8 M8, T9 M9, T10 M10, T11 M11);
documented_handler!(T1 M1, T2 M2, T3 M3, T4 M4, T5 M5, T6 M6, T7 M7, T8 M8, T9 M9, T10 M10, T11 M11, T12 M12);
documented_handler!(T1 M1, T2 M2, T3 M3, T4 M4, T5 M5, T6 M6, T7 M7, T8 M8, T9 M9, T10 M10, T11 M11, T12 M12, T13 M13);
documented_handler!(T1 M1, T2 M2, T3 M3, T4 M4, T5 M5, T6 M6, T7 M7, T8 M8, T9 M9, T10 M10, T11 M11, T12 M12, T13 M13, T14 M14);
documented_handler!(T1 M1, T2 M2, T3 M3, T4 M4, T5 M5, T6 M6, T7 M7, T8 M8, T9 M9, T10 M10, T11 M11, T12 M12, T13 M13, T14 M14, T15 M15);
documented_handler!(T1 M1, T2 M2, T3 M3, T4 M4, T5 M5, T6 M6, T7 M7, T8 M8, T9 M9, T10 M10, T11 M11, T12 M12, T13 M13, T14 M14, T15 M15, T16 M16);

/// A `#[utoipa::path]` item, for [`AwsRoute::doc`](crate::AwsRoute::doc): its method,
/// path and operation, and the schemas the operation refers to. Every item the
/// attribute generates is one; implement it for operations built by hand.
pub trait DocPath: utoipa::Path {
    /// Appends the schemas the operation refers to, by name.
    fn schemas(schemas: &mut Vec<(String, RefOr<UtoipaSchema>)>);
}

// utoipa exposes an item's schemas only through its semver-exempt `__dev` trait; this
// blanket impl is the one place that names it, so `.doc::<P>()` does not.
impl<P> DocPath for P
where
    P: utoipa::Path + utoipa::__dev::SchemaReferences,
{
    fn schemas(schemas: &mut Vec<(String, RefOr<UtoipaSchema>)>) {
        <P as utoipa::__dev::SchemaReferences>::schemas(schemas);
    }
}

/// The reason phrase of a status, a response's default description.
pub(crate) fn reason(status: u16) -> Cow<'static, str> {
    Cow::Borrowed(
        http::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("Response"),
    )
}

/// A type's name without module paths, as a handler spells it
/// (`(StatusCode, Json<Order>)`, not `(http::status::StatusCode, axum::json::Json<…>)`).
pub(crate) fn short_type_name(full: &str) -> String {
    let mut out = String::with_capacity(full.len());
    let mut token = String::new();
    for c in full.chars() {
        if c.is_alphanumeric() || c == '_' || c == ':' {
            token.push(c);
        } else {
            out.push_str(token.rsplit("::").next().unwrap_or_default());
            token.clear();
            out.push(c);
        }
    }
    out.push_str(token.rsplit("::").next().unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn short_type_names() {
        assert_eq!(
            super::short_type_name("(http::status::StatusCode, axum::json::Json<my::Order>)"),
            "(StatusCode, Json<Order>)"
        );
        assert_eq!(
            super::short_type_name("axum::extract::path::Path<alloc::string::String>"),
            "Path<String>"
        );
    }
}
