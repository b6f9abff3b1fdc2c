//! A route's documentation, typed: parameters, request body, responses and the JSON
//! schemas they refer to.
//!
//! `axum-aws` fills these from the handler's extractor and return types (or from a
//! `#[utoipa::path]` item given to `.doc::<P>()`); the renderers write them into both
//! documents. Only what the documents use is kept: examples, links, styles and
//! extensions are not.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Method;

/// One route's operation documentation.
///
/// ```
/// use axum_aws_spec::doc::{MediaType, Operation, Response, Schema};
///
/// let mut op = Operation::default();
/// op.responses.insert(
///     "200".into(),
///     Response::new("OK").content("application/json", MediaType::schema(Schema::reference("Widget"))),
/// );
/// assert_eq!(op.responses["200"].description, "OK");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Operation {
    /// operationId (the route's own `.operation_id()` wins).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
    /// One-line summary (the route's own `.summary()` wins).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Description (the route's own `.description()` wins).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Tags, after the route's own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Path, query, header and cookie parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Parameter>,
    /// The request body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_body: Option<RequestBody>,
    /// Responses by status code (`"200"`, `"4XX"`, `"default"`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub responses: BTreeMap<String, Response>,
    /// Responses the service itself answers when a request is rejected before the
    /// handler runs (axum's extractor rejections: 400, 415, 422), documented where the
    /// service answers (Lambda proxy integrations).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rejections: BTreeMap<String, Response>,
    /// The methods and path a separately declared operation names (`.doc::<P>()`), when
    /// they differ from the route's: an error at export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_for: Option<DeclaredFor>,
    /// What the handler's types left undocumented (custom extractors, opaque
    /// responses), for `lint`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub undocumented: Vec<String>,
    /// The handler's `Path<T>` extractor and the parameters it takes, checked against
    /// the route's path (after nesting) when the spec is built.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_extractor: Option<PathExtractor>,
    /// Where the documented success status and the handler's return type cannot be
    /// checked against each other (an error or a `lint` warning naming the route).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_mismatch: Option<StatusMismatch>,
}

/// A handler's `Path<T>` extractor: its type, and the path parameters it takes.
///
/// ```
/// use axum_aws_spec::doc::{PathArity, PathExtractor};
///
/// let one = PathExtractor::new("Path<String>", PathArity::Count(1));
/// assert_eq!(one.arity, PathArity::Count(1));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PathExtractor {
    /// The extractor's type, as the handler names it (`Path<(String, u32)>`).
    pub type_name: String,
    /// The parameters it takes.
    pub arity: PathArity,
}

impl PathExtractor {
    /// An extractor of type `type_name` taking `arity`.
    pub fn new(type_name: impl Into<String>, arity: PathArity) -> Self {
        Self {
            type_name: type_name.into(),
            arity,
        }
    }
}

/// The path parameters a `Path<T>` extractor takes.
///
/// ```
/// use axum_aws_spec::doc::PathArity;
///
/// let tuple = PathArity::Count(2); // `Path<(String, String)>`
/// let named = PathArity::Names(vec!["id".into()]); // a struct with a field `id`
/// assert_ne!(tuple, named);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PathArity {
    /// Exactly this many, in order (a scalar takes 1, a tuple its length).
    Count(usize),
    /// These by name (a struct's fields); others in the path are ignored.
    Names(Vec<String>),
}

/// How a route's documented success status and its handler's return type disagree.
///
/// ```
/// use axum_aws_spec::doc::StatusMismatch;
///
/// let ignored = StatusMismatch::Ignored { statuses: vec![201], returns: "Json<Order>".into() };
/// assert!(matches!(ignored, StatusMismatch::Ignored { .. }));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum StatusMismatch {
    /// The return type picks its status at run time (a `StatusCode` in it) and the route
    /// states none with `.status(…)`: documented as 200, which may be wrong.
    Unstated {
        /// The handler's return type.
        returns: String,
    },
    /// The route states statuses with `.status(…)` that its return type cannot send (it
    /// has no `StatusCode`): they are not documented.
    Ignored {
        /// The statuses stated.
        statuses: Vec<u16>,
        /// The handler's return type.
        returns: String,
    },
}

/// The methods and path an operation was written for, when they are not the route's.
///
/// ```
/// use axum_aws_spec::{Method, doc::DeclaredFor};
///
/// let declared = DeclaredFor::new(vec![Method::Put], "/widgets");
/// assert_eq!(declared.path, "/widgets");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeclaredFor {
    /// The methods it names.
    pub methods: Vec<Method>,
    /// The path it names.
    pub path: String,
}

impl DeclaredFor {
    /// Methods and path as a `#[utoipa::path]` item states them.
    pub fn new(methods: Vec<Method>, path: impl Into<String>) -> Self {
        Self {
            methods,
            path: path.into(),
        }
    }
}

/// Where a parameter is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ParameterIn {
    /// A path parameter.
    Path,
    /// A query string parameter.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

impl ParameterIn {
    /// The OpenAPI name (`path`, `query`, `header`, `cookie`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Path => "path",
            Self::Query => "query",
            Self::Header => "header",
            Self::Cookie => "cookie",
        }
    }
}

/// One parameter.
///
/// ```
/// use axum_aws_spec::doc::{Parameter, ParameterIn, Schema};
///
/// let limit = Parameter::new("limit", ParameterIn::Query, Schema::from_serialize(&serde_json::json!({"type": "integer"})).unwrap());
/// assert!(!limit.required);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Parameter {
    /// Its name.
    pub name: String,
    /// Where it is.
    #[serde(rename = "in")]
    pub location: ParameterIn,
    /// Whether it must be sent (path parameters always must).
    #[serde(default)]
    pub required: bool,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether it is deprecated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<bool>,
    /// Its schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<Schema>,
}

impl Parameter {
    /// An optional parameter (required if `location` is the path).
    pub fn new(name: impl Into<String>, location: ParameterIn, schema: Schema) -> Self {
        Self {
            name: name.into(),
            location,
            required: location == ParameterIn::Path,
            description: None,
            deprecated: None,
            schema: Some(schema),
        }
    }
}

/// A request body.
///
/// ```
/// use axum_aws_spec::doc::{MediaType, RequestBody, Schema};
///
/// let body = RequestBody::new("application/json", MediaType::schema(Schema::reference("Widget")));
/// assert_eq!(body.required, Some(true));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RequestBody {
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its schemas by media type.
    #[serde(default)]
    pub content: BTreeMap<String, MediaType>,
    /// Whether it must be sent (unstated when `None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
}

impl RequestBody {
    /// A required body of one media type.
    pub fn new(media_type: impl Into<String>, media: MediaType) -> Self {
        Self {
            description: None,
            content: BTreeMap::from([(media_type.into(), media)]),
            required: Some(true),
        }
    }
}

/// One response.
///
/// ```
/// use axum_aws_spec::doc::Response;
///
/// assert!(Response::new("No Content").content.is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Response {
    /// Description (required by OpenAPI).
    #[serde(default)]
    pub description: String,
    /// Response headers.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, Header>,
    /// Its schemas by media type.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub content: BTreeMap<String, MediaType>,
}

impl Response {
    /// A response with only a description.
    pub fn new(description: impl Into<String>) -> Self {
        Self {
            description: description.into(),
            headers: BTreeMap::new(),
            content: BTreeMap::new(),
        }
    }

    /// Adds a media type.
    #[must_use]
    pub fn content(mut self, media_type: impl Into<String>, media: MediaType) -> Self {
        self.content.insert(media_type.into(), media);
        self
    }
}

/// A response header.
///
/// ```
/// use axum_aws_spec::doc::{Header, Schema};
///
/// let header = Header::new(Schema::string());
/// assert!(header.description.is_none());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Header {
    /// Its schema.
    pub schema: Schema,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Header {
    /// A header with this schema.
    pub fn new(schema: Schema) -> Self {
        Self {
            schema,
            description: None,
        }
    }
}

/// A media type's schema.
///
/// ```
/// use axum_aws_spec::doc::{MediaType, Schema};
///
/// assert!(MediaType::default().schema.is_none());
/// assert!(MediaType::schema(Schema::string()).schema.is_some());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MediaType {
    /// The schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<Schema>,
}

impl MediaType {
    /// A media type with this schema.
    pub fn schema(schema: Schema) -> Self {
        Self {
            schema: Some(schema),
        }
    }
}

/// A JSON Schema (OpenAPI 3.1, as utoipa writes it); each document converts it to its
/// own dialect. An open-ended document, so it is kept as written, behind this type.
///
/// ```
/// use axum_aws_spec::doc::Schema;
///
/// let schema = Schema::from_serialize(&serde_json::json!({"type": "object"})).unwrap();
/// assert_eq!(schema.to_json(), r#"{"type":"object"}"#);
/// assert_eq!(Schema::reference("Widget").to_json(), r##"{"$ref":"#/components/schemas/Widget"}"##);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Schema(Value);

impl Schema {
    /// A schema from anything that serializes to one (utoipa's schema types do).
    ///
    /// # Errors
    /// When `value` does not serialize (a map with non-string keys, say).
    pub fn from_serialize(value: &impl Serialize) -> Result<Self, crate::InvalidDocument> {
        serde_json::to_value(value)
            .map(Self)
            .map_err(|e| crate::InvalidDocument::new(format!("the schema does not serialize: {e}")))
    }

    /// `{"type": "string"}`.
    pub fn string() -> Self {
        Self(serde_json::json!({"type": "string"}))
    }

    /// A reference to the component schema `name`.
    pub fn reference(name: &str) -> Self {
        Self(serde_json::json!({ "$ref": format!("#/components/schemas/{name}") }))
    }

    /// The schema as compact JSON.
    pub fn to_json(&self) -> String {
        self.0.to_string()
    }

    /// The `type` keyword, when it is one string.
    pub fn type_name(&self) -> Option<&str> {
        self.0.get("type").and_then(Value::as_str)
    }

    pub(crate) fn value(&self) -> &Value {
        &self.0
    }

    pub(crate) fn from_value(value: Value) -> Self {
        Self(value)
    }
}
