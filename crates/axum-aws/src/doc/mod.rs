//! Route docs: a `#[utoipa::path]` item's operation in the model's typed form.

pub(crate) mod utoipa_docs;

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema as UtoipaSchema;

pub use axum_aws_spec::doc::{
    DeclaredFor, Header, MediaType, Operation, Parameter, ParameterIn, RequestBody, Response,
    Schema,
};

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
