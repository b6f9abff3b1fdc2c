//! What the targets' renderers share: the document types, the OpenAPI parts every
//! target writes alike (info, operations, parameters, schemas, security), and the
//! writers, one per syntax ([`json`], [`yaml`]). Pure functions; the gateway-specific
//! parts (and the only writers of each gateway's extensions) are the gateway modules
//! (`crate::gateway`).
//!
//! Documents are written as text straight from the model: each path item is described as
//! a small [`Node`] tree borrowing from the routes, written, and dropped.

pub(crate) mod json;
pub(crate) mod yaml;

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::rc::Rc;

use serde_json::Value;

use self::json::{Entries, Mode, Node};
use crate::Method;
use crate::auth::{Authorizer, Security};
use crate::doc::{MediaType, Operation, Parameter, ParameterIn, Response};
use crate::integration::Integration;
use crate::path::FastMap;
use crate::resolved::Resolved;
use crate::route::RouteMeta;
use crate::schema::{self, Dialect};

/// The private spec of an API Gateway API: OpenAPI 3.0.1 plus `x-amazon-apigateway-*`,
/// written for Terraform's `templatefile()` (placeholders as `${name}`, every other
/// `${`/`%{` escaped).
///
/// `G` is the gateway the document is for, [`RestApi`] (the default) or [`HttpApi`]:
/// their documents differ, and each has its own type, so that one cannot stand in for
/// the other (REST's size warnings, [`Checked::warnings_for`](crate::Checked::warnings_for),
/// read a REST document only).
///
/// ```
/// use axum_aws_spec::integration::LambdaProxy;
/// use axum_aws_spec::{ApiSettings, ApiSpec, HttpApi, Info, Method, PrivateSpec, RouteMeta, Target};
///
/// let mut route = RouteMeta::new(Method::Get, "/health");
/// route.integration = Some(LambdaProxy::new("${api_invoke_arn}").into());
/// let spec = ApiSpec::new(Info::new("Demo", "1"), ApiSettings::default(), vec![route]);
/// let checked = spec.check_for(&[Target::Rest, Target::HttpApi])?;
/// let rest: PrivateSpec = checked.render_private()?;
/// let http: PrivateSpec<HttpApi> = checked.render_http_api()?;
/// assert!(checked.warnings_for(&rest).is_empty());
/// assert!(http.to_json().contains("payloadFormatVersion"));
/// # Ok::<(), axum_aws_spec::SpecErrors>(())
/// ```
///
/// An HTTP API document where a REST one is expected does not compile:
///
/// ```compile_fail
/// # use axum_aws_spec::integration::LambdaProxy;
/// # use axum_aws_spec::{ApiSettings, ApiSpec, Info, Method, RouteMeta, Target};
/// # let mut route = RouteMeta::new(Method::Get, "/health");
/// # route.integration = Some(LambdaProxy::new("${api_invoke_arn}").into());
/// # let spec = ApiSpec::new(Info::new("Demo", "1"), ApiSettings::default(), vec![route]);
/// let checked = spec.check_for(&[Target::Rest, Target::HttpApi])?;
/// let http = checked.render_http_api()?;
/// let _ = checked.warnings_for(&http); // expected `PrivateSpec<RestApi>`
/// # Ok::<(), axum_aws_spec::SpecErrors>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct PrivateSpec<G = RestApi> {
    /// The document as `templatefile()` text.
    pub(crate) text: String,
    gateway: PhantomData<fn() -> G>,
}

/// The gateway of a [`PrivateSpec`] made by [`Checked::render_private`](crate::Checked::render_private):
/// an API Gateway REST API. A type, never a value.
///
/// ```
/// use axum_aws_spec::{PrivateSpec, RestApi};
///
/// // What an import into a REST API takes:
/// fn body(spec: &PrivateSpec<RestApi>) -> String {
///     spec.to_json()
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RestApi {}

/// The gateway of a [`PrivateSpec`] made by [`Checked::render_http_api`](crate::Checked::render_http_api):
/// an API Gateway HTTP API (v2). A type, never a value.
///
/// ```
/// use axum_aws_spec::{HttpApi, PrivateSpec};
///
/// // What `aws_apigatewayv2_api`'s `body` takes:
/// fn body(spec: &PrivateSpec<HttpApi>) -> String {
///     spec.to_json()
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HttpApi {}

impl<G> PrivateSpec<G> {
    /// The document, as the gateway's renderer wrote it for `templatefile()`.
    pub(crate) fn new(text: String) -> Self {
        Self {
            text,
            gateway: PhantomData,
        }
    }

    /// The document as pretty JSON (sorted keys, two-space indent, final newline):
    /// byte-identical for identical input, because Terraform hashes it.
    pub fn to_json(&self) -> String {
        self.text.clone()
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
        // The text is what `templatefile()` reads: `$${` and `%%{` are escapes, any
        // other `${name}` is a placeholder (the renderer writes no other `${`).
        let text = self.text.as_str();
        let mut out = String::with_capacity(text.len());
        let mut missing = std::collections::BTreeSet::new();
        let bytes = text.as_bytes();
        let mut start = 0;
        let mut i = 0;
        while let Some(offset) = text[i..].find(['$', '%']) {
            i += offset;
            let next = bytes.get(i + 1).copied();
            let escaped = next == Some(bytes[i]) && bytes.get(i + 2) == Some(&b'{');
            if escaped {
                // `$${` / `%%{`: the literal `${` / `%{`.
                out.push_str(&text[start..=i]);
                i += 2;
                start = i;
            } else if bytes[i] == b'$' && next == Some(b'{') {
                let close = text[i..].find('}').map_or(text.len(), |c| i + c);
                let name = &text[i + 2..close];
                out.push_str(&text[start..i]);
                match vars.get(name) {
                    Some(value) => push_json_string_content(&mut out, value),
                    None => {
                        missing.insert(name.to_owned());
                    }
                }
                i = (close + 1).min(text.len());
                start = i;
            } else {
                i += 1;
            }
        }
        out.push_str(&text[start..]);
        if missing.is_empty() {
            Ok(out)
        } else {
            Err(MissingVariables {
                names: missing.into_iter().collect(),
            })
        }
    }
}

/// The syntax a private or public spec is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// Pretty JSON ([`json::document`]).
    Json,
    /// YAML, as yaml_serde writes the JSON document ([`yaml::document`]).
    Yaml,
}

/// Writes an OpenAPI document in `syntax`: `members` (keys sorted) around `paths`, whose
/// items are made one at a time while they are written.
pub(crate) fn document<'a>(
    syntax: Syntax,
    mode: Mode,
    capacity: usize,
    members: Entries<'a>,
    paths: impl Iterator<Item = (&'a str, Node<'a>)>,
) -> String {
    match syntax {
        Syntax::Json => json::document(mode, capacity, members, paths),
        Syntax::Yaml => yaml::document(mode, capacity, members, paths),
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
///
/// A path with a CORS policy carries it as the path item's `x-cors` (OpenAPI has no
/// CORS object): `allowOrigins` (literal origins, `*` for any), `allowMethods`,
/// `allowHeaders`, and when set `exposeHeaders`, `maxAge` (seconds),
/// `allowCredentials`; an origin that is a placeholder is left out and
/// `originsSetAtDeployment: true` says one is given at deployment.
#[derive(Clone, Debug, PartialEq)]
pub struct PublicSpec {
    /// The document as pretty JSON.
    pub(crate) text: String,
    /// The title and version it was rendered with (the docs page's title).
    pub(crate) info: crate::Info,
}

impl PublicSpec {
    /// The document as pretty JSON (sorted keys, two-space indent, final newline).
    pub fn to_json(&self) -> String {
        self.text.clone()
    }

    /// The document as a value.
    pub fn to_value(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
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

/// How schemas are written into a document.
pub(crate) struct Schemas<'a> {
    /// `None`: utoipa's 3.1 output as it is.
    dialect: Option<Dialect>,
    renames: &'a BTreeMap<String, String>,
    /// `components.schemas`: each distinct schema, renamed and converted once.
    components: BTreeMap<String, Cow<'a, Value>>,
    /// The `type` of each component schema, by (renamed) name.
    types: BTreeMap<String, Value>,
    /// Small schemas already converted.
    memo: RefCell<FastMap<SmallSchema<'a>, Rc<Value>>>,
}

/// A schema object of one or two string-valued keywords, by its entries.
type SmallSchema<'a> = ((&'a str, &'a str), Option<(&'a str, &'a str)>);

fn small_schema_key(schema: &Value) -> Option<SmallSchema<'_>> {
    let map = schema.as_object()?;
    let mut entries = map.iter().map(|(k, v)| Some((k.as_str(), v.as_str()?)));
    match map.len() {
        1 => Some((entries.next()??, None)),
        2 => Some((entries.next()??, Some(entries.next()??))),
        _ => None,
    }
}

impl<'a> Schemas<'a> {
    pub(crate) fn new(
        dialect: Option<Dialect>,
        renames: &'a BTreeMap<String, String>,
        routes: &'a [RouteMeta],
    ) -> Self {
        let mut schemas = Self {
            dialect,
            renames,
            components: BTreeMap::new(),
            types: BTreeMap::new(),
            memo: RefCell::new(FastMap::default()),
        };
        let mut components: BTreeMap<String, Cow<'a, Value>> = BTreeMap::new();
        for route in routes {
            for (name, schema) in &route.schemas {
                let name = renames.get(name).unwrap_or(name);
                if !components.contains_key(name) {
                    components.insert(name.clone(), schemas.convert_only(schema.value()));
                }
            }
        }
        schemas.types = components
            .iter()
            .filter_map(|(name, schema)| Some((name.clone(), schema.get("type")?.clone())))
            .collect();
        if dialect == Some(Dialect::OpenApi30) {
            for schema in components.values_mut() {
                if needs_type(schema) {
                    schemas.type_nullable_refs(schema.to_mut());
                }
            }
        }
        schemas.components = components;
        schemas
    }

    /// A schema in this document's dialect, without the nullable-reference pass.
    fn convert_only(&self, schema: &'a Value) -> Cow<'a, Value> {
        match self.dialect {
            Some(dialect) => Cow::Owned(schema::convert(schema, dialect, self.renames).0),
            None => Cow::Borrowed(schema),
        }
    }

    /// A schema in this document's dialect. Small schemas (`{"$ref": …}`, `{"type": …}`),
    /// repeated on most routes, are converted once and shared.
    fn convert(&self, schema: &'a Value) -> Node<'a> {
        if self.dialect.is_none() {
            return Node::Json(Cow::Borrowed(schema));
        }
        let key = small_schema_key(schema);
        if let Some(key) = &key
            && let Some(shared) = self.memo.borrow().get(key)
        {
            return Node::Shared(Rc::clone(shared));
        }
        let mut converted = self.convert_only(schema);
        if self.dialect == Some(Dialect::OpenApi30) && needs_type(&converted) {
            self.type_nullable_refs(converted.to_mut());
        }
        match key {
            Some(key) => {
                let shared = Rc::new(converted.into_owned());
                self.memo.borrow_mut().insert(key, Rc::clone(&shared));
                Node::Shared(shared)
            }
            None => Node::Json(converted),
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
    pub(crate) fn components(&self) -> Option<Node<'_>> {
        (!self.components.is_empty()).then(|| {
            Node::Object(
                self.components
                    .iter()
                    .map(|(name, schema)| {
                        (
                            Cow::Borrowed(name.as_str()),
                            Node::Json(Cow::Borrowed(&**schema)),
                        )
                    })
                    .collect(),
            )
        })
    }
}

/// Whether a schema has a nullable reference without a `type` anywhere.
fn needs_type(schema: &Value) -> bool {
    match schema {
        Value::Object(map) => {
            (map.get("nullable") == Some(&Value::Bool(true)) && !map.contains_key("type"))
                || map.values().any(needs_type)
        }
        Value::Array(items) => items.iter().any(needs_type),
        _ => false,
    }
}

/// `info` of either document.
/// The model name of every route's schemas (what API Gateway and OpenAPI 3.0 accept), for
/// [`Schemas::new`]. Clashes give no renames here: the checks reported them.
pub(crate) fn model_names(routes: &[RouteMeta]) -> BTreeMap<String, String> {
    schema::model_names(
        routes
            .iter()
            .flat_map(|r| r.schemas.keys().map(String::as_str)),
    )
    .unwrap_or_default()
}

pub(crate) fn info(spec: &crate::ApiSpec) -> Node<'_> {
    let mut info = vec![
        (Cow::Borrowed("title"), Node::str(&spec.info.title)),
        (Cow::Borrowed("version"), Node::str(&spec.info.version)),
    ];
    if let Some(description) = &spec.info.description {
        info.push((Cow::Borrowed("description"), Node::str(description)));
    }
    Node::Object(info)
}

/// `components`, if there is anything to put in it.
pub(crate) fn components<'a>(
    schemas: Option<Node<'a>>,
    security_schemes: Entries<'a>,
) -> Option<Node<'a>> {
    let mut components = Vec::new();
    if let Some(schemas) = schemas {
        components.push((Cow::Borrowed("schemas"), schemas));
    }
    if !security_schemes.is_empty() {
        components.push((
            Cow::Borrowed("securitySchemes"),
            Node::Object(security_schemes),
        ));
    }
    (!components.is_empty()).then_some(Node::Object(components))
}

/// The security schemes of every authorizer the routes use, once each, first use first;
/// `scheme` is the renderer's description of one.
pub(crate) fn security_schemes<'a>(
    resolved: &Resolved<'a>,
    scheme: impl Fn(&'a Authorizer) -> Node<'a>,
) -> Entries<'a> {
    resolved
        .scheme_authorizers()
        .map(|authorizer| (Cow::Borrowed(authorizer.name()), scheme(authorizer)))
        .collect()
}

/// An operation's `security`: one requirement object per alternative, each naming its
/// authorizers with their scopes (`with_scopes`) or none.
pub(crate) fn security_requirements(security: &Security, with_scopes: bool) -> Node<'_> {
    Node::Array(
        security
            .alternatives
            .iter()
            .map(|requirement| {
                let mut map: Entries<'_> = Vec::with_capacity(requirement.all.len());
                for grant in &requirement.all {
                    let scopes = if with_scopes {
                        grant.scopes.iter().map(|s| Node::str(s)).collect()
                    } else {
                        Vec::new()
                    };
                    json::set(&mut map, grant.authorizer.name(), Node::Array(scopes));
                }
                Node::Object(map)
            })
            .collect(),
    )
}

/// Routes (declared or resolved) grouped by resource path (`paths`: each route's, as the
/// checks parsed it), in path order.
pub(crate) fn by_gateway_path<'a, 'r, R>(
    routes: &'r [R],
    paths: &[Option<&'a str>],
) -> Vec<(&'a str, Vec<&'r R>)> {
    let mut pairs: Vec<(&str, &R)> = paths
        .iter()
        .zip(routes)
        .filter_map(|(path, route)| Some(((*path)?, route)))
        .collect();
    // Stable: routes of one path stay in declaration order.
    pairs.sort_by(|a, b| a.0.cmp(b.0));
    let mut grouped: Vec<(&str, Vec<&R>)> = Vec::new();
    for (path, route) in pairs {
        match grouped.last_mut() {
            Some((last, routes)) if *last == path => routes.push(route),
            _ => grouped.push((path, vec![route])),
        }
    }
    grouped
}

/// The path item key of a method (`x-amazon-apigateway-any-method` is written by the
/// private renderer for `ANY`).
pub(crate) fn method_key(method: Method) -> &'static str {
    match method {
        Method::Delete => "delete",
        Method::Get => "get",
        Method::Head => "head",
        Method::Options => "options",
        Method::Patch => "patch",
        Method::Post => "post",
        Method::Put => "put",
        Method::Any => "any",
    }
}

/// A stable operationId for routes that declare none: `get_widgets_by_name`.
pub(crate) fn default_operation_id(method: Method, route_path: &str) -> String {
    let mut id = String::with_capacity(route_path.len() + 16);
    push_operation_id(&mut id, method, route_path);
    id
}

/// Appends [`default_operation_id`] to `id`.
pub(crate) fn push_operation_id(id: &mut String, method: Method, route_path: &str) {
    id.push_str(method_key(method));
    for segment in route_path.split('/').filter(|s| !s.is_empty()) {
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
    if route_path == "/" {
        id.push_str("_root");
    }
}

/// `{"description": text}`.
pub(crate) fn description(text: &'static str) -> Node<'static> {
    Node::Object(vec![(Cow::Borrowed("description"), Node::str(text))])
}

/// The operation fields both specs share: docs, parameters, body and responses.
pub(crate) fn operation<'a>(
    route: &'a RouteMeta,
    schemas: &Schemas<'a>,
    api_gateway: bool,
) -> Entries<'a> {
    let documented = route.operation.as_ref();
    let mut op: Entries<'a> = Vec::with_capacity(12);
    let operation_id = match route
        .operation_id
        .as_deref()
        .or_else(|| documented?.operation_id.as_deref())
    {
        Some(id) => Node::str(id),
        None => Node::string(default_operation_id(route.method, &route.path)),
    };
    op.push((Cow::Borrowed("operationId"), operation_id));
    if let Some(summary) = route
        .summary
        .as_deref()
        .or_else(|| documented?.summary.as_deref())
    {
        op.push((Cow::Borrowed("summary"), Node::str(summary)));
    }
    if let Some(description) = route
        .description
        .as_deref()
        .or_else(|| documented?.description.as_deref())
    {
        op.push((Cow::Borrowed("description"), Node::str(description)));
    }
    let mut tags: Vec<&'a str> = route.tags.iter().map(String::as_str).collect();
    for tag in documented.iter().flat_map(|d| &d.tags) {
        if !tags.contains(&tag.as_str()) {
            tags.push(tag);
        }
    }
    if !tags.is_empty() {
        op.push((
            Cow::Borrowed("tags"),
            Node::Array(tags.into_iter().map(Node::str).collect()),
        ));
    }
    if route.deprecated && !api_gateway {
        op.push((Cow::Borrowed("deprecated"), Node::Bool(true)));
    }

    let parameters = parameters(route, documented, schemas);
    if !parameters.is_empty() {
        op.push((Cow::Borrowed("parameters"), Node::Array(parameters)));
    }
    if let Some(body) = documented.and_then(|d| d.request_body.as_ref()) {
        let mut entries: Entries<'a> = Vec::with_capacity(3);
        if let Some(description) = &body.description {
            entries.push((Cow::Borrowed("description"), Node::str(description)));
        }
        entries.push((
            Cow::Borrowed("content"),
            content(&body.content, schemas, false),
        ));
        if let Some(required) = body.required {
            entries.push((Cow::Borrowed("required"), Node::Bool(required)));
        }
        op.push((Cow::Borrowed("requestBody"), Node::Object(entries)));
    }
    // Rejections come from the service: behind any other integration the gateway
    // answers (or another backend does).
    let rejections = documented
        .filter(|_| matches!(route.integration, Some(Integration::LambdaProxy(_))))
        .map(|d| &d.rejections);
    let mut responses: Entries<'a> = Vec::new();
    for (status, response) in documented.iter().flat_map(|d| &d.responses) {
        let mut entries = response_object(status, response, schemas, api_gateway);
        // The same status from axum's rejection has its own body (text/plain): the
        // public spec says both. The private spec's method responses keep the handler's.
        if let Some(rejection) = rejections.and_then(|r| r.get(status))
            && !api_gateway
        {
            add_media_types(&mut entries, &rejection.content, response, schemas);
        }
        responses.push((Cow::Borrowed(status.as_str()), Node::Object(entries)));
    }
    for (status, rejection) in rejections.into_iter().flatten() {
        if !documented.is_some_and(|d| d.responses.contains_key(status)) {
            let mut entries = response_object(status, rejection, schemas, api_gateway);
            if api_gateway {
                entries.retain(|(key, _)| key != "content");
            }
            responses.push((Cow::Borrowed(status.as_str()), Node::Object(entries)));
        }
    }
    op.push((Cow::Borrowed("responses"), Node::Object(responses)));
    op
}

/// Adds to a response object the media types of `extra` that `response` does not have.
fn add_media_types<'a>(
    entries: &mut Entries<'a>,
    extra: &'a BTreeMap<String, MediaType>,
    response: &'a Response,
    schemas: &Schemas<'a>,
) {
    let added: Vec<_> = extra
        .iter()
        .filter(|(media_type, _)| !response.content.contains_key(*media_type))
        .map(|(media_type, media)| {
            let mut media_entries: Entries<'a> = Vec::with_capacity(1);
            if let Some(schema) = &media.schema {
                media_entries.push((Cow::Borrowed("schema"), schemas.convert(schema.value())));
            }
            (
                Cow::Borrowed(media_type.as_str()),
                Node::Object(media_entries),
            )
        })
        .collect();
    if added.is_empty() {
        return;
    }
    match entries.iter_mut().find(|(key, _)| key == "content") {
        Some((_, Node::Object(content))) => content.extend(added),
        _ => entries.push((Cow::Borrowed("content"), Node::Object(added))),
    }
}

/// One response: its description (the status's reason phrase when it has none), headers
/// and content.
pub(crate) fn response_object<'a>(
    status: &str,
    response: &'a Response,
    schemas: &Schemas<'a>,
    api_gateway: bool,
) -> Entries<'a> {
    let mut out: Entries<'a> = Vec::with_capacity(3);
    let description = if response.description.is_empty() {
        Node::str(reason(status.parse().unwrap_or(200)))
    } else {
        Node::str(&response.description)
    };
    out.push((Cow::Borrowed("description"), description));
    if !response.headers.is_empty() {
        let headers = response
            .headers
            .iter()
            .map(|(name, header)| {
                let mut entries: Entries<'a> = vec![(
                    Cow::Borrowed("schema"),
                    schemas.convert(header.schema.value()),
                )];
                if let Some(description) = &header.description {
                    entries.push((Cow::Borrowed("description"), Node::str(description)));
                }
                (Cow::Borrowed(name.as_str()), Node::Object(entries))
            })
            .collect();
        out.push((Cow::Borrowed("headers"), Node::Object(headers)));
    }
    if !response.content.is_empty() {
        out.push((
            Cow::Borrowed("content"),
            content(&response.content, schemas, api_gateway),
        ));
    }
    out
}

/// A `content` object with its schemas converted. In the API Gateway dialect response
/// schemas must be objects or references (else dropped).
fn content<'a>(
    content: &'a BTreeMap<String, MediaType>,
    schemas: &Schemas<'a>,
    response_models: bool,
) -> Node<'a> {
    Node::Object(
        content
            .iter()
            .map(|(media_type, media)| {
                let mut entries: Entries<'a> = Vec::with_capacity(1);
                if let Some(schema) = &media.schema {
                    let converted = schemas.convert(schema.value());
                    let usable = !response_models
                        || converted.json().is_some_and(|schema| {
                            schema.get("$ref").is_some()
                                || schema.get("type").and_then(Value::as_str) == Some("object")
                        });
                    if usable {
                        entries.push((Cow::Borrowed("schema"), converted));
                    }
                }
                (Cow::Borrowed(media_type.as_str()), Node::Object(entries))
            })
            .collect(),
    )
}

/// Path parameters from the route's own path (always declared, required), then the
/// documented query/header/cookie ones.
fn parameters<'a>(
    route: &'a RouteMeta,
    documented: Option<&'a Operation>,
    schemas: &Schemas<'a>,
) -> Vec<Node<'a>> {
    let documented: &'a [Parameter] = documented.map_or(&[], |d| &d.parameters);
    let mut out = Vec::new();
    for (name, _) in route.path.params() {
        let doc = documented
            .iter()
            .find(|d| d.location == ParameterIn::Path && d.name == name);
        let schema = doc
            .and_then(|d| d.schema.as_ref())
            .map_or_else(Node::string_schema, |s| schemas.convert(s.value()));
        let mut value = vec![
            (Cow::Borrowed("name"), Node::str(name)),
            (Cow::Borrowed("in"), Node::str("path")),
            (Cow::Borrowed("required"), Node::Bool(true)),
            (Cow::Borrowed("schema"), schema),
        ];
        if let Some(description) = doc.and_then(|d| d.description.as_deref()) {
            value.push((Cow::Borrowed("description"), Node::str(description)));
        }
        out.push(Node::Object(value));
    }
    for doc in documented {
        if doc.location == ParameterIn::Path {
            continue;
        }
        let mut value: Entries<'a> = vec![
            (Cow::Borrowed("name"), Node::str(&doc.name)),
            (Cow::Borrowed("in"), Node::str(doc.location.as_str())),
            (Cow::Borrowed("required"), Node::Bool(doc.required)),
        ];
        if let Some(description) = &doc.description {
            value.push((Cow::Borrowed("description"), Node::str(description)));
        }
        if let Some(deprecated) = doc.deprecated {
            value.push((Cow::Borrowed("deprecated"), Node::Bool(deprecated)));
        }
        if let Some(schema) = &doc.schema {
            value.push((Cow::Borrowed("schema"), schemas.convert(schema.value())));
        }
        out.push(Node::Object(value));
    }
    out
}

/// The reason phrase of a status code, for response descriptions.
pub(crate) fn reason(status: u16) -> &'static str {
    http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Response")
}
