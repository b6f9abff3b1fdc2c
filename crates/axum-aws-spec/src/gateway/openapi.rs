//! The public spec: the same API for people and client generators, with nothing
//! AWS-specific (no AWS extensions, preflight mocks, ARNs, roles or placeholders).
//!
//! OpenAPI has no word for a CORS policy, which a browser client (and the docs page)
//! needs: a path with one carries it as the path item's `x-cors` extension, the policy
//! its preflight answers with: `allowOrigins` (literal origins; `*` is any),
//! `originsSetAtDeployment: true` when an origin is a placeholder (the value is not
//! public: it is given at deployment), `allowMethods` (OPTIONS included),
//! `allowHeaders`, and when set `exposeHeaders`, `maxAge` (seconds) and
//! `allowCredentials`.

use std::borrow::Cow;

use crate::auth::{Authorizer, IdentitySource, LambdaIdentity};
use crate::gateway::Checked;
use crate::render::json::{self, Entries, Mode, Node, set};
use crate::render::{
    PublicSpec, PublicVersion, Schemas, by_gateway_path, components, description, info, method_key,
    model_names, operation, reason, security_requirements, security_schemes,
};
use crate::schema::Dialect;
use crate::{Method, path};

/// Methods an `ANY` route stands for in the public spec (OpenAPI has no `ANY`).
const ANY_EXPANDS_TO: [Method; 6] = [
    Method::Get,
    Method::Post,
    Method::Put,
    Method::Patch,
    Method::Delete,
    Method::Head,
];

/// Renders the public spec of a spec whose checks passed.
pub(crate) fn render(checked: &Checked<'_>, version: PublicVersion) -> PublicSpec {
    let spec = checked.spec();
    let native = version == PublicVersion::V31;
    let renames = if native {
        Default::default()
    } else {
        model_names(&spec.routes)
    };
    let schemas = Schemas::new(
        (!native).then_some(Dialect::OpenApi30),
        &renames,
        &spec.routes,
    );

    let security_schemes = security_schemes(&spec.routes, scheme);

    // Clients write `{rest}` for a greedy parameter; `{rest+}` is API Gateway's. Should
    // two gateway paths give one public path, the later one is kept (a map insert).
    // The routes with typed service actions lowered: their integration responses are
    // what the gateway sends. The `$default` route answers every other path: no path
    // item can say that.
    let routes = checked.generic_routes();
    let gateway: Vec<Option<&str>> = routes
        .iter()
        .zip(checked.gateway_paths())
        .map(|(route, path)| path.filter(|_| !route.default_route))
        .collect();
    let mut paths: Vec<(Cow<'_, str>, Vec<_>)> = by_gateway_path(routes, &gateway)
        .into_iter()
        .map(|(gateway_path, routes)| (path::openapi_path(gateway_path), routes))
        .collect();
    paths.sort_by(|a, b| a.0.cmp(&b.0));
    paths.reverse();
    paths.dedup_by(|later, earlier| later.0 == earlier.0);
    paths.reverse();

    let mut document: Entries<'_> = vec![
        (Cow::Borrowed("info"), info(spec)),
        (
            Cow::Borrowed("openapi"),
            Node::str(if native { "3.1.0" } else { "3.0.3" }),
        ),
    ];
    if let Some(components) = components(schemas.components(), security_schemes) {
        document.push((Cow::Borrowed("components"), components));
    }
    if let Some(url) = &spec.settings.server_url {
        document.push((
            Cow::Borrowed("servers"),
            Node::Array(vec![Node::object([("url", Node::str(url))])]),
        ));
    }
    let items = paths.iter().map(|(public_path, routes)| {
        (
            &**public_path,
            Node::Object(path_item(routes, &schemas, native)),
        )
    });
    PublicSpec {
        text: json::document(
            Mode::Plain,
            1024 + 1024 * spec.routes.len(),
            document,
            items,
        ),
    }
}

/// The operations of one path.
fn path_item<'a>(
    routes: &[&'a crate::route::RouteMeta],
    schemas: &Schemas<'a>,
    native: bool,
) -> Entries<'a> {
    let mut item: Entries<'a> = Vec::with_capacity(routes.len());
    for route in routes {
        let mut op = operation(route, schemas, false);
        if let Some((_, Node::Object(responses))) = op.iter_mut().find(|(k, _)| k == "responses") {
            let sent = route
                .integration
                .as_ref()
                .and_then(super::rest::integration_statuses);
            if let Some(sent) = sent {
                // API Gateway picks the status from the integration responses: document
                // those, with the handler's docs where a status is documented.
                responses
                    .retain(|(status, _)| status.parse().is_ok_and(|s: u16| sent.contains(&s)));
                for status in sent {
                    let key = status.to_string();
                    if !responses.iter().any(|(k, _)| *k == key) {
                        responses.push((Cow::Owned(key), description(reason(status))));
                    }
                }
            } else if responses.is_empty() {
                responses.push((Cow::Borrowed("200"), Node::Static(&[("description", "OK")])));
            }
        }
        if let Some(security) = &route.security {
            // OpenAPI 3.0 allows scopes only on OAuth schemes: Cognito scopes are kept in
            // 3.1 only.
            set(&mut op, "security", security_requirements(security, native));
        }
        if route.method == Method::Any {
            for method in ANY_EXPANDS_TO
                .iter()
                .filter(|m| !routes.iter().any(|r| r.method == **m))
            {
                let mut expanded = op.clone();
                if let Some((_, id)) = expanded.iter_mut().find(|(k, _)| k == "operationId")
                    && let Some(text) = id.as_str()
                {
                    *id = Node::string(format!("{text}_{}", method_key(*method)));
                }
                set(&mut item, method_key(*method), Node::Object(expanded));
            }
        } else {
            set(&mut item, method_key(route.method), Node::Object(op));
        }
    }
    if let Some(cors) = cors_extension(routes) {
        set(&mut item, "x-cors", cors);
    }
    item
}

/// The `x-cors` of a path (see the module docs): the policy of its first route that has
/// one, for the methods that have one, as the REST target's preflight answers.
fn cors_extension<'a>(routes: &[&'a crate::route::RouteMeta]) -> Option<Node<'a>> {
    let cors = routes.iter().find_map(|r| r.cors.as_ref())?;
    let declared: Vec<Method> = routes
        .iter()
        .filter(|r| r.cors.is_some())
        .map(|r| r.method)
        .collect();
    let strings = |items: &'a [String]| Node::Array(items.iter().map(|h| Node::str(h)).collect());
    let (deployed, literal): (Vec<_>, Vec<_>) = cors
        .allow_origins
        .iter()
        .partition(|origin| origin.as_str().contains("${"));
    let mut entries = vec![
        (
            "allowOrigins",
            Node::Array(literal.iter().map(|o| Node::str(o.as_str())).collect()),
        ),
        (
            "allowMethods",
            Node::Array(
                cors.methods_header(&declared)
                    .split(',')
                    .map(|m| Node::string(m.to_owned()))
                    .collect(),
            ),
        ),
        ("allowHeaders", strings(&cors.allow_headers)),
    ];
    if !deployed.is_empty() {
        entries.push(("originsSetAtDeployment", Node::Bool(true)));
    }
    if !cors.expose_headers.is_empty() {
        entries.push(("exposeHeaders", strings(&cors.expose_headers)));
    }
    if let Some(max_age) = cors.max_age_seconds {
        entries.push(("maxAge", Node::Number(max_age)));
    }
    if cors.allow_credentials {
        entries.push(("allowCredentials", Node::Bool(true)));
    }
    Some(Node::object(entries))
}

fn scheme(authorizer: &Authorizer) -> Node<'_> {
    let s = Node::str;
    match authorizer {
        Authorizer::ApiKey => Node::object([
            ("type", s("apiKey")),
            ("name", s("x-api-key")),
            ("in", s("header")),
            ("description", s("API key of a usage plan")),
        ]),
        Authorizer::Iam => Node::object([
            ("type", s("apiKey")),
            ("name", s("Authorization")),
            ("in", s("header")),
            (
                "description",
                s("AWS Signature Version 4 (IAM credentials)"),
            ),
        ]),
        Authorizer::Jwt(_) => Node::object([
            ("type", s("http")),
            ("scheme", s("bearer")),
            ("bearerFormat", s("JWT")),
            ("description", s("JWT bearer token")),
        ]),
        Authorizer::Cognito(_) => Node::object([
            ("type", s("http")),
            ("scheme", s("bearer")),
            ("bearerFormat", s("JWT")),
            ("description", s("Cognito user pool token")),
        ]),
        Authorizer::Lambda(lambda) => match &lambda.identity {
            LambdaIdentity::Token { header, .. } => Node::object([
                ("type", s("apiKey")),
                ("name", s(header)),
                ("in", s("header")),
                ("description", s("Token checked by a custom authorizer")),
            ]),
            LambdaIdentity::Request { sources, .. } => {
                let (name, location) = sources
                    .iter()
                    .find_map(|source| match source {
                        IdentitySource::Header(name) => Some((name.as_str(), "header")),
                        IdentitySource::Query(name) => Some((name.as_str(), "query")),
                        IdentitySource::Context(_) | IdentitySource::StageVariable(_) => None,
                    })
                    .unwrap_or(("Authorization", "header"));
                Node::object([
                    ("type", s("apiKey")),
                    ("name", s(name)),
                    ("in", s(location)),
                    (
                        "description",
                        s("Request identity checked by a custom authorizer"),
                    ),
                ])
            }
        },
    }
}
