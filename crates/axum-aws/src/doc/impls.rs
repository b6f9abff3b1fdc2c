//! [`OperationInput`] and [`OperationOutput`] for axum's extractors and responses.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{
    ConnectInfo, Extension, Form, MatchedPath, OriginalUri, Path, Query, RawPathParams, RawQuery,
    Request, State,
};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, Uri, Version};
use axum::response::{Html, NoContent, Redirect, Response};
use axum_aws_spec::doc::{
    MediaType, Parameter, ParameterIn, PathArity, RequestBody, Response as ResponseDoc,
};
use utoipa::{IntoParams, PartialSchema, ToSchema};

use super::{DocContext, OperationInput, OperationOutput, utoipa_docs};

/// Markers that tell apart the ways a `Path<T>` is documented.
pub mod marker {
    /// `Path<T>` of a scalar or a tuple (the names come from the route's path, in
    /// order), `Query<T>` of a map (any query string).
    #[derive(Debug)]
    pub struct Positional;
    /// `Path<T>` or `Query<T>` of an `IntoParams` struct: the names are its fields'.
    #[derive(Debug)]
    pub struct Named;
}

/// Extractors that read nothing a spec describes.
macro_rules! documents_nothing_in {
    ($($(#[$attr:meta])* [$($generics:tt)*] $ty:ty),* $(,)?) => {
        $(
            $(#[$attr])*
            impl<$($generics)*> OperationInput for $ty {
                fn operation_input(_: &mut DocContext) {}
            }
        )*
    };
}

documents_nothing_in!(
    [S] State<S>,
    [T] Extension<T>,
    [T] ConnectInfo<T>,
    [] HeaderMap,
    [] Method,
    [] Uri,
    [] Version,
    [] Parts,
    [] Request,
    [] MatchedPath,
    [] OriginalUri,
    [] RawQuery,
    [] RawPathParams,
    #[cfg(feature = "serve")]
    [] crate::AwsContext,
);

fn body(cx: &mut DocContext, media_type: &str, media: MediaType) {
    cx.set_request_body(RequestBody::new(media_type, media));
}

impl<T: ToSchema> OperationInput for Json<T> {
    fn operation_input(cx: &mut DocContext) {
        let schema = cx.schema_of::<T>();
        body(cx, "application/json", MediaType::schema(schema));
        // Json's rejections: invalid JSON (400), no JSON content type (415), JSON
        // that is not a `T` (422).
        for status in [400, 415, 422] {
            cx.add_rejection(status);
        }
    }
}

impl<T: ToSchema> OperationInput for Form<T> {
    fn operation_input(cx: &mut DocContext) {
        let schema = cx.schema_of::<T>();
        body(
            cx,
            "application/x-www-form-urlencoded",
            MediaType::schema(schema),
        );
        for status in [400, 415, 422] {
            cx.add_rejection(status);
        }
    }
}

impl OperationInput for String {
    fn operation_input(cx: &mut DocContext) {
        body(
            cx,
            "text/plain",
            MediaType::schema(
                utoipa_docs::schema(&String::schema())
                    .unwrap_or_else(axum_aws_spec::doc::Schema::string),
            ),
        );
        // A body that is not UTF-8.
        cx.add_rejection(400);
    }
}

impl OperationInput for Bytes {
    fn operation_input(cx: &mut DocContext) {
        let binary = utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Binary,
            )))
            .build();
        let schema =
            utoipa_docs::schema(&binary.into()).unwrap_or_else(axum_aws_spec::doc::Schema::string);
        body(cx, "application/octet-stream", MediaType::schema(schema));
    }
}

/// `Result<T, T::Rejection>`: the handler answers `T`'s rejections itself, so they are
/// not documented for it (its error type documents what it answers).
impl<T: OperationInput<M>, M, E> OperationInput<M> for Result<T, E> {
    fn operation_input(cx: &mut DocContext) {
        let before = cx.operation.rejections.clone();
        T::operation_input(cx);
        cx.operation.rejections = before;
    }
}

/// `Option<T>`: what `T` documents, not required.
impl<T: OperationInput<M>, M> OperationInput<M> for Option<T> {
    fn operation_input(cx: &mut DocContext) {
        let parameters = cx.operation.parameters.len();
        let had_body = cx.operation.request_body.is_some();
        T::operation_input(cx);
        for parameter in &mut cx.operation.parameters[parameters..] {
            if parameter.location != ParameterIn::Path {
                parameter.required = false;
            }
        }
        if !had_body && let Some(body) = &mut cx.operation.request_body {
            body.required = Some(false);
        }
    }
}

/// How the `T` of a `Query<T>` documents the query parameters.
pub trait QueryParams<M> {
    /// Adds the query parameters.
    fn query_params(cx: &mut DocContext);
}

impl<T: IntoParams> QueryParams<marker::Named> for T {
    fn query_params(cx: &mut DocContext) {
        for parameter in T::into_params(|| Some(utoipa::openapi::path::ParameterIn::Query)) {
            cx.add_parameter(utoipa_docs::parameter(parameter));
        }
    }
}

/// Any query string at all: no parameter to name.
impl<K, V> QueryParams<marker::Positional> for BTreeMap<K, V> {
    fn query_params(_: &mut DocContext) {}
}

/// Any query string at all: no parameter to name.
impl<K, V, H> QueryParams<marker::Positional> for HashMap<K, V, H> {
    fn query_params(_: &mut DocContext) {}
}

/// Any query string at all: no parameter to name.
impl<K, V> QueryParams<marker::Positional> for Vec<(K, V)> {
    fn query_params(_: &mut DocContext) {}
}

impl<T: QueryParams<M>, M> OperationInput<M> for Query<T> {
    fn operation_input(cx: &mut DocContext) {
        T::query_params(cx);
        // A query string that does not parse as `T`.
        cx.add_rejection(400);
    }
}

/// How the `T` of a `Path<T>` documents the path parameters.
pub trait PathParams<M> {
    /// Adds the path parameters.
    fn path_params(cx: &mut DocContext);

    /// The path parameters `T` takes, checked against the route's path when the spec
    /// is built; `None` (the default) when it takes any (a map).
    fn arity() -> Option<PathArity> {
        None
    }
}

impl<T: IntoParams> PathParams<marker::Named> for T {
    fn arity() -> Option<PathArity> {
        let names = T::into_params(|| Some(utoipa::openapi::path::ParameterIn::Path))
            .into_iter()
            .map(|parameter| parameter.name)
            .collect();
        Some(PathArity::Names(names))
    }

    fn path_params(cx: &mut DocContext) {
        for parameter in T::into_params(|| Some(utoipa::openapi::path::ParameterIn::Path)) {
            let mut parameter = utoipa_docs::parameter(parameter);
            parameter.location = ParameterIn::Path;
            parameter.required = true;
            cx.add_parameter(parameter);
        }
    }
}

fn positional(
    cx: &mut DocContext,
    index: usize,
    schema: &utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
) {
    let Some(name) = cx.path_params().get(index).cloned() else {
        return;
    };
    if let Some(schema) = utoipa_docs::schema(schema) {
        cx.add_parameter(Parameter::new(name, ParameterIn::Path, schema));
    }
}

macro_rules! scalar_path {
    ($($ty:ty),*) => {
        $(
            impl PathParams<marker::Positional> for $ty {
                fn arity() -> Option<PathArity> {
                    Some(PathArity::Count(1))
                }

                fn path_params(cx: &mut DocContext) {
                    positional(cx, 0, &<$ty as PartialSchema>::schema());
                }
            }
        )*
    };
}

scalar_path!(
    String, bool, char, f32, f64, i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize
);

/// Every parameter by name: the route's path names them, as plain strings.
impl<K, V> PathParams<marker::Positional> for BTreeMap<K, V> {
    fn path_params(_: &mut DocContext) {}
}

/// Every parameter by name: the route's path names them, as plain strings.
impl<K, V, H> PathParams<marker::Positional> for HashMap<K, V, H> {
    fn path_params(_: &mut DocContext) {}
}

/// Every parameter by name: the route's path names them, as plain strings.
impl<K, V> PathParams<marker::Positional> for Vec<(K, V)> {
    fn path_params(_: &mut DocContext) {}
}

macro_rules! tuple_path {
    ($($ty:ident $index:tt),*) => {
        impl<$($ty: PartialSchema),*> PathParams<marker::Positional> for ($($ty,)*) {
            fn arity() -> Option<PathArity> {
                Some(PathArity::Count([$($index),*].len()))
            }

            fn path_params(cx: &mut DocContext) {
                $(positional(cx, $index, &$ty::schema());)*
            }
        }
    };
}

tuple_path!(A 0);
tuple_path!(A 0, B 1);
tuple_path!(A 0, B 1, C 2);
tuple_path!(A 0, B 1, C 2, D 3);
tuple_path!(A 0, B 1, C 2, D 3, E 4);
tuple_path!(A 0, B 1, C 2, D 3, E 4, F 5);

impl<T: PathParams<M>, M> OperationInput<M> for Path<T> {
    fn operation_input(cx: &mut DocContext) {
        cx.set_path_extractor::<Self>(T::arity());
        T::path_params(cx);
        // A segment that does not parse as `T`.
        cx.add_rejection(400);
    }
}

/// A required header parameter named by the `Header` impl, a string
/// (`Option<TypedHeader<T>>`: not required).
///
/// ```
/// use axum_aws::integration::LambdaProxy;
/// use axum_aws::{AwsRouter, Info, routing::get};
/// use axum_extra::TypedHeader;
/// use axum_extra::headers::UserAgent;
///
/// async fn hello(TypedHeader(agent): TypedHeader<UserAgent>) -> String {
///     agent.to_string()
/// }
///
/// let router: AwsRouter = AwsRouter::new()
///     .route("/hello", get(hello))
///     .default_integration(LambdaProxy::new("${api_invoke_arn}"));
/// let public = router.spec(Info::new("t", "1")).render_public().unwrap().to_value();
/// let header = &public["paths"]["/hello"]["get"]["parameters"][0];
/// assert_eq!(header["name"], "user-agent");
/// assert_eq!(header["in"], "header");
/// assert_eq!(header["required"], true);
/// ```
#[cfg(feature = "typed-header")]
impl<T: axum_extra::headers::Header> OperationInput for axum_extra::TypedHeader<T> {
    fn operation_input(cx: &mut DocContext) {
        let mut header = Parameter::new(
            T::name().as_str(),
            ParameterIn::Header,
            axum_aws_spec::doc::Schema::string(),
        );
        header.required = true;
        cx.add_parameter(header);
        // `TypedHeaderRejection`: the header is missing or does not parse as `T`.
        cx.add_rejection(400);
    }
}

/// Responses whose content a spec does not describe (plain text, a bare status).
macro_rules! documents_nothing_out {
    ($($ty:ty),* $(,)?) => {
        $(
            impl OperationOutput for $ty {
                fn operation_output(_: &mut DocContext) {}
            }
        )*
    };
}

documents_nothing_out!(
    (),
    &'static str,
    String,
    Cow<'static, str>,
    Box<str>,
    Bytes,
    Vec<u8>,
    &'static [u8],
    Redirect,
    Infallible,
);

/// A bare status: the route's `.status(…)`, or 200 with a `lint` warning that the route
/// should state it (the value is picked at run time).
impl OperationOutput for StatusCode {
    fn operation_output(cx: &mut DocContext) {
        cx.with_route_status(|cx| {
            let status = cx.status();
            cx.add_response(status.to_string(), ResponseDoc::new(super::reason(status)));
        });
    }
}

/// Always 204.
impl OperationOutput for NoContent {
    fn operation_output(cx: &mut DocContext) {
        cx.add_response("204", ResponseDoc::new(super::reason(204)));
    }
}

impl<T> OperationOutput for Html<T> {
    fn operation_output(_: &mut DocContext) {}
}

/// A `Response` is opaque: it documents nothing, and `lint` says so; the statuses the
/// route states (`.status(…)`) are documented without a body.
impl OperationOutput for Response {
    fn operation_output(cx: &mut DocContext) {
        cx.undocumented(std::any::type_name::<Self>());
        if !cx.route_statuses.is_empty() {
            cx.with_route_status(|cx| {
                let status = cx.status();
                cx.add_response(status.to_string(), ResponseDoc::new(super::reason(status)));
            });
        }
    }
}

impl<T: ToSchema> OperationOutput for Json<T> {
    fn operation_output(cx: &mut DocContext) {
        let status = cx.status();
        cx.add_json_response::<T>(status, super::reason(status));
    }
}

impl<R: OperationOutput> OperationOutput for (StatusCode, R) {
    fn operation_output(cx: &mut DocContext) {
        cx.with_route_status(R::operation_output);
    }
}

impl<R: OperationOutput> OperationOutput for (StatusCode, HeaderMap, R) {
    fn operation_output(cx: &mut DocContext) {
        cx.with_route_status(R::operation_output);
    }
}

impl<K, V, const N: usize, R: OperationOutput> OperationOutput for ([(K, V); N], R) {
    fn operation_output(cx: &mut DocContext) {
        R::operation_output(cx);
    }
}

impl<K, V, const N: usize, R: OperationOutput> OperationOutput for (StatusCode, [(K, V); N], R) {
    fn operation_output(cx: &mut DocContext) {
        cx.with_route_status(R::operation_output);
    }
}

impl<R: OperationOutput> OperationOutput for (HeaderMap, R) {
    fn operation_output(cx: &mut DocContext) {
        R::operation_output(cx);
    }
}

impl<T: OperationOutput, E: OperationOutput> OperationOutput for Result<T, E> {
    fn operation_output(cx: &mut DocContext) {
        T::operation_output(cx);
        E::operation_output(cx);
    }
}
