//! One route's metadata: method, path, integration, auth, CORS and docs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::auth::Security;
use crate::doc::{Operation, Schema};
use crate::integration::Integration;
use crate::{Cors, RoutePath};

/// An HTTP method as API Gateway knows it. `Any` is API Gateway's `ANY`
/// (`x-amazon-apigateway-any-method`), axum's `any`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
#[non_exhaustive]
pub enum Method {
    /// `DELETE`
    Delete,
    /// `GET`
    Get,
    /// `HEAD`
    Head,
    /// `OPTIONS`
    Options,
    /// `PATCH`
    Patch,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// Any method not declared otherwise on the path.
    Any,
}

impl Method {
    /// Every method but `Any`. A slice, not an array: a new method is not a breaking
    /// change.
    ///
    /// ```
    /// use axum_aws_spec::Method;
    ///
    /// assert!(Method::CONCRETE.contains(&Method::Get));
    /// assert!(!Method::CONCRETE.contains(&Method::Any));
    /// ```
    pub const CONCRETE: &'static [Method] = &[
        Method::Delete,
        Method::Get,
        Method::Head,
        Method::Options,
        Method::Patch,
        Method::Post,
        Method::Put,
    ];

    /// Upper-case name (`ANY` for `Any`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Delete => "DELETE",
            Self::Get => "GET",
            Self::Head => "HEAD",
            Self::Options => "OPTIONS",
            Self::Patch => "PATCH",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Any => "ANY",
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything the specs need to know about one route. Plain data: no axum types.
///
/// Fields left `None` inherit the router's defaults when the spec is built.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RouteMeta {
    /// The method.
    pub method: Method,
    /// Full path in axum syntax (`/users/{id}`, `/files/{*rest}`), parsed.
    pub path: RoutePath,
    /// Where API Gateway sends the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration: Option<Integration>,
    /// Who may call it (an empty value means public).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<Security>,
    /// CORS policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cors: Option<Cors>,
    /// OpenAPI tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// OpenAPI operationId.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
    /// One-line summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Longer description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether the route is deprecated.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    /// Name of the request validator (declared in the API settings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_validator: Option<String>,
    /// Parameters, request body and responses, from the handler's types or a
    /// `#[utoipa::path]` item, if documented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<Operation>,
    /// Schemas the operation refers to, by name (3.1 JSON Schema).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub schemas: BTreeMap<String, Schema>,
    /// The API's `$default` route (the router's fallback): requests no other route
    /// matches. HTTP APIs only; its method is `ANY` and its path `/`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub default_route: bool,
}

impl RouteMeta {
    /// Metadata with nothing set but method and path.
    pub fn new(method: Method, path: impl Into<RoutePath>) -> Self {
        Self {
            method,
            path: path.into(),
            integration: None,
            security: None,
            cors: None,
            tags: Vec::new(),
            operation_id: None,
            summary: None,
            description: None,
            deprecated: false,
            request_validator: None,
            operation: None,
            schemas: BTreeMap::new(),
            default_route: false,
        }
    }

    /// The `$default` route: `ANY`, for requests no other route matches (HTTP APIs).
    ///
    /// ```
    /// use axum_aws_spec::RouteMeta;
    ///
    /// assert_eq!(RouteMeta::default_route().label(), "$default");
    /// ```
    pub fn default_route() -> Self {
        Self {
            default_route: true,
            ..Self::new(Method::Any, "/")
        }
    }

    /// Prefixes the path with `prefix`, as [`axum::Router::nest`] joins them: `/api` and
    /// `/` give `/api`, `/api` and `/users` give `/api/users`.
    ///
    /// [`axum::Router::nest`]: https://docs.rs/axum/0.8/axum/struct.Router.html#method.nest
    ///
    /// ```
    /// use axum_aws_spec::{Method, RouteMeta};
    ///
    /// let mut route = RouteMeta::new(Method::Get, "/");
    /// route.nest_under("/api");
    /// assert_eq!(route.path, "/api");
    /// ```
    pub fn nest_under(&mut self, prefix: &str) {
        self.path = RoutePath::from(crate::path::join_nested(prefix, &self.path));
    }

    /// The request body's models as a REST API's body validator checks them: per media
    /// type, the body schema in API Gateway's dialect (JSON Schema draft 4, as the REST
    /// export writes models), with every schema of the route converted the same way
    /// under `components.schemas` at its root, so that its `#/components/schemas/…`
    /// references resolve inside the one document. Empty without a documented body.
    ///
    /// ```
    /// use axum_aws_spec::doc::{MediaType, Operation, RequestBody, Schema};
    /// use axum_aws_spec::{Method, RouteMeta};
    ///
    /// let mut route = RouteMeta::new(Method::Post, "/widgets");
    /// let mut operation = Operation::default();
    /// operation.request_body = Some(RequestBody::new("application/json", MediaType::schema(Schema::reference("Widget"))));
    /// route.operation = Some(operation);
    /// let widget = serde_json::json!({"type": "object", "required": ["name"], "nullable": false});
    /// route.schemas.insert("Widget".into(), Schema::from_serialize(&widget).unwrap());
    /// let models = route.request_models();
    /// assert_eq!(
    ///     models["application/json"].to_json(),
    ///     r##"{"$ref":"#/components/schemas/Widget","components":{"schemas":{"Widget":{"required":["name"],"type":"object"}}}}"##
    /// );
    /// ```
    pub fn request_models(&self) -> BTreeMap<String, Schema> {
        use crate::schema::{Dialect, convert};
        let Some(body) = self
            .operation
            .as_ref()
            .and_then(|operation| operation.request_body.as_ref())
        else {
            return BTreeMap::new();
        };
        let renames =
            crate::schema::model_names(self.schemas.keys().map(String::as_str)).unwrap_or_default();
        let components: serde_json::Map<String, serde_json::Value> = self
            .schemas
            .iter()
            .map(|(name, schema)| {
                let model = renames.get(name).unwrap_or(name).clone();
                (
                    model,
                    convert(schema.value(), Dialect::ApiGateway, &renames).0,
                )
            })
            .collect();
        body.content
            .iter()
            .filter_map(|(media_type, media)| {
                let (mut model, _) = convert(
                    media.schema.as_ref()?.value(),
                    Dialect::ApiGateway,
                    &renames,
                );
                if !components.is_empty()
                    && let serde_json::Value::Object(model) = &mut model
                {
                    model.insert(
                        "components".to_owned(),
                        serde_json::json!({ "schemas": components }),
                    );
                }
                Some((media_type.clone(), Schema::from_value(model)))
            })
            .collect()
    }

    /// `METHOD /path` (or `$default`), how errors name a route.
    pub fn label(&self) -> String {
        if self.default_route {
            return "$default".to_owned();
        }
        format!("{} {}", self.method, self.path)
    }
}
