//! utoipa's documentation types into the model's ([`axum_aws_spec::doc`]).

use axum_aws_spec::doc::{
    DeclaredFor, Header, MediaType, Operation, Parameter, ParameterIn, RequestBody, Response,
    Schema,
};
use utoipa::openapi::path::{self, HttpMethod};
use utoipa::openapi::schema::Schema as UtoipaSchema;
use utoipa::openapi::{Content, Deprecated, RefOr, Required};

use crate::Method;

/// A utoipa schema as the model's.
pub(crate) fn schema(schema: &RefOr<UtoipaSchema>) -> Option<Schema> {
    Schema::from_serialize(schema).ok()
}

/// A utoipa operation as the model's; references to shared parameters, bodies and
/// responses (`RefOr::Ref`) are not kept, as before.
pub(crate) fn operation(op: path::Operation) -> Operation {
    let mut out = Operation::default();
    out.operation_id = op.operation_id;
    out.summary = op.summary;
    out.description = op.description;
    out.tags = op.tags.unwrap_or_default();
    out.parameters = op
        .parameters
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| match p {
            RefOr::T(p) => Some(parameter(p)),
            RefOr::Ref(_) => None,
        })
        .collect();
    if let Some(RefOr::T(body)) = op.request_body {
        let mut request_body = RequestBody::default();
        request_body.description = body.description;
        request_body.content = content(body.content);
        request_body.required = body.required.map(|r| r == Required::True);
        out.request_body = Some(request_body);
    }
    for (status, response) in op.responses.responses {
        if let RefOr::T(r) = response {
            let mut response = Response::new(r.description);
            for (name, header) in r.headers {
                if let RefOr::T(header) = header
                    && let Some(schema) = header.schema.as_ref().and_then(schema)
                {
                    let mut h = Header::new(schema);
                    h.description = header.description;
                    response.headers.insert(name, h);
                }
            }
            response.content = content(r.content);
            out.responses.insert(status, response);
        }
    }
    out
}

/// A utoipa parameter as the model's.
pub(crate) fn parameter(p: path::Parameter) -> Parameter {
    let location = match p.parameter_in {
        path::ParameterIn::Path => ParameterIn::Path,
        path::ParameterIn::Header => ParameterIn::Header,
        path::ParameterIn::Cookie => ParameterIn::Cookie,
        _ => ParameterIn::Query,
    };
    let mut out = Parameter::new(p.name, location, Schema::string());
    out.schema = p.schema.as_ref().and_then(schema);
    out.required = p.required == Required::True;
    out.description = p.description;
    out.deprecated = p.deprecated.map(|d| d == Deprecated::True);
    out
}

fn content<'a, C>(content: C) -> std::collections::BTreeMap<String, MediaType>
where
    C: IntoIterator<Item = (String, RefOr<Content>)> + 'a,
{
    content
        .into_iter()
        .filter_map(|(media_type, c)| match c {
            RefOr::T(c) => {
                let mut media = MediaType::default();
                media.schema = c.schema.as_ref().and_then(schema);
                Some((media_type, media))
            }
            RefOr::Ref(_) => None,
        })
        .collect()
}

/// What a `#[utoipa::path]` item says its methods and path are; `None` when it states
/// neither (an operation built by hand).
pub(crate) fn declared_for(methods: Vec<HttpMethod>, path: String) -> Option<DeclaredFor> {
    if methods.is_empty() && path.is_empty() {
        return None;
    }
    let methods = methods
        .into_iter()
        .filter_map(|m| match m {
            HttpMethod::Get => Some(Method::Get),
            HttpMethod::Post => Some(Method::Post),
            HttpMethod::Put => Some(Method::Put),
            HttpMethod::Delete => Some(Method::Delete),
            HttpMethod::Options => Some(Method::Options),
            HttpMethod::Head => Some(Method::Head),
            HttpMethod::Patch => Some(Method::Patch),
            _ => None,
        })
        .collect();
    Some(DeclaredFor::new(methods, path))
}
