//! Rendering the spec model into documents: the private REST API spec (the only
//! writer of `x-amazon-apigateway-*`) and the public spec. Pure functions.

mod private;
mod public;

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::route::RouteMeta;
use crate::schema::{self, Dialect};
use crate::{Method, path};

pub(crate) use self::private::render as render_private;
pub(crate) use self::public::render as render_public;

/// The private spec: OpenAPI 3.0.1 plus `x-amazon-apigateway-*`, written for
/// Terraform's `templatefile()` (placeholders as `${name}`, every other `${`/`%{` escaped).
#[derive(Clone, Debug, PartialEq)]
pub struct PrivateSpec {
    document: Value,
}

impl PrivateSpec {
    /// The document as pretty JSON (sorted keys, two-space indent, final newline):
    /// byte-identical for identical input, because Terraform hashes it.
    pub fn to_json(&self) -> String {
        crate::template::finish(&pretty(&self.document))
    }

    /// The document as a value, with placeholders written `${name}` and escapes applied,
    /// exactly as [`to_json`](Self::to_json) prints it.
    pub fn to_value(&self) -> Value {
        serde_json::from_str(&self.to_json()).unwrap_or(Value::Null)
    }

    /// The document API Gateway receives: what Terraform's
    /// `templatefile(to_json(), vars)` makes of it. Each `${name}` becomes `vars[name]`,
    /// `$${` becomes `${` and `%%{` becomes `%{`; extra variables are ignored.
    ///
    /// Pretty JSON like [`to_json`](Self::to_json). A value is written as JSON string
    /// content: one with `"`, `\` or control characters stays valid JSON here, where
    /// `templatefile()` would insert it raw.
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use axum_aws::{AwsRouter, Info, integration::LambdaProxy, routing::get};
    ///
    /// let router: AwsRouter = AwsRouter::new()
    ///     .route("/", get(|| async { "ok" }))
    ///     .default_integration(LambdaProxy::new("${fn_arn}"));
    /// let private = router.spec(Info::new("Demo", "1.0.0")).render_private().unwrap();
    ///
    /// let vars = BTreeMap::from([("fn_arn".to_owned(), "arn:aws:lambda:…".to_owned())]);
    /// assert!(private.render_with(&vars).unwrap().contains(r#""uri": "arn:aws:lambda:…""#));
    ///
    /// let missing = private.render_with(&BTreeMap::new()).unwrap_err();
    /// assert_eq!(missing.names, ["fn_arn"]);
    /// ```
    ///
    /// # Errors
    /// Every placeholder without a value, nothing rendered.
    pub fn render_with(&self, vars: &BTreeMap<String, String>) -> Result<String, MissingVariables> {
        use crate::template::{MARK_CLOSE, MARK_OPEN};

        // The document holds placeholders as markers and every other `${`/`%{` as
        // itself, so substituting the markers is the whole rendering: no escapes to undo.
        let text = pretty(&self.document);
        let mut out = String::with_capacity(text.len());
        let mut missing = std::collections::BTreeSet::new();
        let mut rest = text.as_str();
        while let Some(open) = rest.find(MARK_OPEN) {
            out.push_str(&rest[..open]);
            let after = &rest[open + MARK_OPEN.len_utf8()..];
            let close = after.find(MARK_CLOSE).unwrap_or(after.len());
            let name = &after[..close];
            match vars.get(name) {
                Some(value) => push_json_string_content(&mut out, value),
                None => {
                    missing.insert(name.to_owned());
                }
            }
            rest = after
                .get(close + MARK_CLOSE.len_utf8()..)
                .unwrap_or_default();
        }
        out.push_str(rest);
        if missing.is_empty() {
            Ok(out)
        } else {
            Err(MissingVariables {
                names: missing.into_iter().collect(),
            })
        }
    }
}

/// Template variables that [`PrivateSpec::render_with`] was not given.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct MissingVariables {
    /// Every missing name, sorted.
    pub names: Vec<String>,
}

impl std::fmt::Display for MissingVariables {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<String> = self.names.iter().map(|n| format!("{n:?}")).collect();
        write!(
            f,
            "no value for template variable{} {}",
            if names.len() == 1 { "" } else { "s" },
            names.join(", ")
        )
    }
}

impl std::error::Error for MissingVariables {}

/// `value` as the inside of a JSON string literal.
fn push_json_string_content(out: &mut String, value: &str) {
    let quoted = Value::from(value).to_string();
    out.push_str(&quoted[1..quoted.len() - 1]);
}

/// The public spec: clean OpenAPI (3.0.3 by default, 3.1.0 on request) for docs
/// and client generators, without AWS extensions, ARNs or placeholders.
#[derive(Clone, Debug, PartialEq)]
pub struct PublicSpec {
    document: Value,
}

impl PublicSpec {
    /// The document as pretty JSON (sorted keys, two-space indent, final newline).
    pub fn to_json(&self) -> String {
        pretty(&self.document)
    }

    /// The document as a value.
    pub fn to_value(&self) -> Value {
        self.document.clone()
    }
}

/// OpenAPI version of the public spec.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum PublicVersion {
    /// OpenAPI 3.0.3, schemas converted down from utoipa's 3.1.
    #[default]
    V30,
    /// OpenAPI 3.1.0, utoipa's schemas as they are.
    V31,
}

fn pretty(document: &Value) -> String {
    let mut text = serde_json::to_string_pretty(document).unwrap_or_default();
    text.push('\n');
    text
}

/// How schemas are written into a document.
pub(crate) struct Schemas<'a> {
    /// `None`: utoipa's 3.1 output as it is.
    dialect: Option<Dialect>,
    renames: &'a BTreeMap<String, String>,
    /// The `type` of each component schema, by (renamed) name.
    types: BTreeMap<String, Value>,
}

impl<'a> Schemas<'a> {
    pub(crate) fn new(
        dialect: Option<Dialect>,
        renames: &'a BTreeMap<String, String>,
        routes: &[&RouteMeta],
    ) -> Self {
        let mut schemas = Self {
            dialect,
            renames,
            types: BTreeMap::new(),
        };
        let types = schemas
            .components(routes)
            .into_iter()
            .filter_map(|(name, schema)| Some((name, schema.get("type")?.clone())))
            .collect();
        schemas.types = types;
        schemas
    }

    fn convert(&self, schema: &Value) -> Value {
        match self.dialect {
            Some(dialect) => {
                let mut converted = schema::convert(schema, dialect, self.renames).0;
                if dialect == Dialect::OpenApi30 {
                    self.type_nullable_refs(&mut converted);
                }
                converted
            }
            None => schema.clone(),
        }
    }

    /// OpenAPI 3.0.3 gives `nullable` effect only next to `type`: a nullable
    /// reference (`{allOf: [{$ref}], nullable: true}`) gets its target's type.
    fn type_nullable_refs(&self, schema: &mut Value) {
        match schema {
            Value::Object(map) => {
                let target = (map.get("nullable") == Some(&Value::Bool(true))
                    && !map.contains_key("type"))
                .then(|| map.get("allOf")?.as_array()?.first()?.get("$ref")?.as_str())
                .flatten()
                .and_then(|r| r.strip_prefix("#/components/schemas/"));
                if let Some(kind) = target.and_then(|name| self.types.get(name)).cloned() {
                    map.insert("type".into(), kind);
                }
                map.values_mut().for_each(|v| self.type_nullable_refs(v));
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.type_nullable_refs(v)),
            _ => {}
        }
    }

    /// `components.schemas`, renamed and converted.
    fn components(&self, routes: &[&RouteMeta]) -> Map<String, Value> {
        let mut out = Map::new();
        for route in routes {
            for (name, schema) in &route.schemas {
                let name = self
                    .renames
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| name.clone());
                out.entry(name).or_insert_with(|| self.convert(schema));
            }
        }
        out
    }
}

/// `info` of either document.
pub(crate) fn info(spec: &crate::ApiSpec) -> Value {
    let mut info = json!({"title": spec.info.title, "version": spec.info.version});
    if let Some(description) = &spec.info.description {
        info["description"] = description.clone().into();
    }
    info
}

/// `components`, if there is anything to put in it.
pub(crate) fn components(
    schemas: Map<String, Value>,
    security_schemes: Map<String, Value>,
) -> Option<Value> {
    let mut components = Map::new();
    if !schemas.is_empty() {
        components.insert("schemas".into(), Value::Object(schemas));
    }
    if !security_schemes.is_empty() {
        components.insert("securitySchemes".into(), Value::Object(security_schemes));
    }
    (!components.is_empty()).then_some(Value::Object(components))
}

/// Routes grouped by API Gateway resource path, in path order.
pub(crate) fn by_gateway_path(routes: &[RouteMeta]) -> BTreeMap<String, Vec<&RouteMeta>> {
    let mut paths: BTreeMap<String, Vec<&RouteMeta>> = BTreeMap::new();
    for route in routes {
        if let Ok(gateway) = path::to_gateway_path(&route.path) {
            paths.entry(gateway).or_default().push(route);
        }
    }
    paths
}

/// The path item key of a method (`x-amazon-apigateway-any-method` is written by the
/// private renderer for `ANY`).
pub(crate) fn method_key(method: Method) -> String {
    method.as_str().to_ascii_lowercase()
}

/// A stable operationId for routes that declare none: `get_widgets_by_name`.
pub(crate) fn default_operation_id(route: &RouteMeta) -> String {
    let mut id = route.method.as_str().to_ascii_lowercase();
    for segment in route.path.split('/').filter(|s| !s.is_empty()) {
        id.push('_');
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => {
                id.push_str("by_");
                id.push_str(param.trim_start_matches('*').trim_end_matches('+'));
            }
            None => id.extend(
                segment
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }),
            ),
        }
    }
    if route.path == "/" {
        id.push_str("_root");
    }
    id
}

/// The operation fields both specs share: docs, parameters, body and responses.
pub(crate) fn operation(
    route: &RouteMeta,
    schemas: &Schemas<'_>,
    api_gateway: bool,
) -> Map<String, Value> {
    let documented = route.operation.as_ref().and_then(Value::as_object);
    let mut op = Map::new();
    let operation_id = route
        .operation_id
        .clone()
        .or_else(|| {
            documented
                .and_then(|d| d.get("operationId"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .unwrap_or_else(|| default_operation_id(route));
    op.insert("operationId".into(), operation_id.into());
    let text = |own: &Option<String>, key: &str| {
        own.clone().or_else(|| {
            documented
                .and_then(|d| d.get(key))
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
    };
    if let Some(summary) = text(&route.summary, "summary") {
        op.insert("summary".into(), summary.into());
    }
    if let Some(description) = text(&route.description, "description") {
        op.insert("description".into(), description.into());
    }
    let mut tags: Vec<String> = route.tags.clone();
    if let Some(doc_tags) = documented
        .and_then(|d| d.get("tags"))
        .and_then(Value::as_array)
    {
        for tag in doc_tags.iter().filter_map(Value::as_str) {
            if !tags.iter().any(|t| t == tag) {
                tags.push(tag.to_owned());
            }
        }
    }
    if !tags.is_empty() {
        op.insert("tags".into(), tags.into());
    }
    if route.deprecated && !api_gateway {
        op.insert("deprecated".into(), true.into());
    }

    let parameters = parameters(route, documented, schemas);
    if !parameters.is_empty() {
        op.insert("parameters".into(), parameters.into());
    }
    if let Some(body) = documented
        .and_then(|d| d.get("requestBody"))
        .and_then(Value::as_object)
    {
        op.insert(
            "requestBody".into(),
            Value::Object(content_owner(body, schemas, false)),
        );
    }
    let mut responses = Map::new();
    if let Some(documented) = documented
        .and_then(|d| d.get("responses"))
        .and_then(Value::as_object)
    {
        for (status, response) in documented {
            let Some(response) = response.as_object().filter(|r| !r.contains_key("$ref")) else {
                continue;
            };
            let mut response = content_owner(response, schemas, api_gateway);
            response
                .entry("description")
                .or_insert_with(|| reason(status.parse().unwrap_or(200)).into());
            response.remove("links");
            responses.insert(status.clone(), Value::Object(response));
        }
    }
    op.insert("responses".into(), Value::Object(responses));
    op
}

/// A request body or response with its `content` schemas converted. In the API
/// Gateway dialect response schemas must be objects or references (else dropped).
fn content_owner(
    owner: &Map<String, Value>,
    schemas: &Schemas<'_>,
    response_models: bool,
) -> Map<String, Value> {
    let mut out = owner.clone();
    if let Some(content) = out.get_mut("content").and_then(Value::as_object_mut) {
        for media in content.values_mut() {
            let Some(media) = media.as_object_mut() else {
                continue;
            };
            media.remove("examples");
            media.remove("example");
            if let Some(schema) = media.get("schema") {
                let converted = schemas.convert(schema);
                let usable = !response_models
                    || converted.get("$ref").is_some()
                    || converted.get("type").and_then(Value::as_str) == Some("object");
                if usable {
                    media.insert("schema".into(), converted);
                } else {
                    media.remove("schema");
                }
            }
        }
    }
    if let Some(headers) = out.get_mut("headers").and_then(Value::as_object_mut) {
        for header in headers.values_mut() {
            if let Some(schema) = header.get("schema").cloned() {
                header["schema"] = schemas.convert(&schema);
            }
        }
    }
    out
}

/// Path parameters from the route's own path (always declared, required), then the
/// documented query/header/cookie ones.
fn parameters(
    route: &RouteMeta,
    documented: Option<&Map<String, Value>>,
    schemas: &Schemas<'_>,
) -> Vec<Value> {
    let documented: Vec<&Map<String, Value>> = documented
        .and_then(|d| d.get("parameters"))
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(Value::as_object).collect())
        .unwrap_or_default();
    let mut out = Vec::new();
    for param in path::params(&route.path) {
        let doc = documented.iter().find(|d| {
            d.get("in") == Some(&json!("path")) && d.get("name") == Some(&json!(param.name))
        });
        let schema = doc
            .and_then(|d| d.get("schema"))
            .map_or_else(|| json!({"type": "string"}), |s| schemas.convert(s));
        let mut value =
            json!({"name": param.name, "in": "path", "required": true, "schema": schema});
        if let Some(description) = doc.and_then(|d| d.get("description")) {
            value["description"] = description.clone();
        }
        out.push(value);
    }
    for doc in documented {
        if doc.get("in") == Some(&json!("path")) {
            continue;
        }
        let mut value = Value::Object(doc.clone());
        if let Some(schema) = doc.get("schema") {
            value["schema"] = schemas.convert(schema);
        }
        if let Some(object) = value.as_object_mut() {
            object.remove("example");
            object.remove("examples");
        }
        out.push(value);
    }
    out
}

/// The reason phrase of a status code, for response descriptions.
pub(crate) fn reason(status: u16) -> String {
    http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Response")
        .to_owned()
}

impl crate::ApiSpec {
    /// Renders the private spec for an API Gateway REST API, after every check.
    ///
    /// # Errors
    /// Every problem found (target-neutral and REST-specific), each naming its route.
    pub fn render_private(&self) -> Result<PrivateSpec, crate::SpecErrors> {
        render_private(self)
    }

    /// Renders the public spec as OpenAPI 3.0.3.
    ///
    /// # Errors
    /// Every problem found by [`check`](Self::check).
    pub fn render_public(&self) -> Result<PublicSpec, crate::SpecErrors> {
        render_public(self, PublicVersion::V30)
    }

    /// Renders the public spec in the given OpenAPI version.
    ///
    /// # Errors
    /// Every problem found by [`check`](Self::check).
    pub fn render_public_version(
        &self,
        version: PublicVersion,
    ) -> Result<PublicSpec, crate::SpecErrors> {
        render_public(self, version)
    }
}
