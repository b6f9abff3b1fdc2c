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

use crate::auth::Security;
use crate::auth::{Authorizer, IdentitySource, LambdaIdentity};
use crate::gateway::{Checked, Target};
use crate::render::json::{Entries, Mode, Node, set};
use crate::render::{
    PublicVersion, Schemas, Syntax, by_gateway_path, components, description, info, method_key,
    model_names, operation, reason, security_requirements, security_schemes,
};
use crate::resolved::{ResolvedPath, ResolvedRoute};
use crate::schema::Dialect;
use crate::{ApiSettings, Method, path};

/// Methods an `ANY` route stands for in the public spec (OpenAPI has no `ANY`).
const ANY_EXPANDS_TO: [Method; 6] = [
    Method::Get,
    Method::Post,
    Method::Put,
    Method::Patch,
    Method::Delete,
    Method::Head,
];

/// Renders the public spec of a spec whose checks passed, as `gateway` serves it (the
/// statuses and bodies it sends itself: integration responses, auth failures).
pub(crate) fn render(
    checked: &Checked<'_>,
    version: PublicVersion,
    gateway: Target,
    syntax: Syntax,
) -> String {
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

    let resolved = checked.resolved();
    let security_schemes = security_schemes(resolved, scheme);

    // Clients write `{rest}` for a greedy parameter; `{rest+}` is API Gateway's. Should
    // two gateway paths give one public path, the later one is kept (a map insert).
    // The `$default` route answers every other path: no path item can say that.
    let routes = resolved.routes();
    let settings = &spec.settings;
    let gateway_paths: Vec<Option<&str>> = routes
        .iter()
        .zip(checked.gateway_paths())
        .map(|(route, path)| path.filter(|_| !route.route().default_route))
        .collect();
    let mut paths: Vec<(Cow<'_, str>, Vec<_>)> = by_gateway_path(routes, &gateway_paths)
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
            Node::Object(path_item(
                routes,
                resolved.path(routes[0].path().as_str()),
                &schemas,
                native,
                gateway,
                settings,
            )),
        )
    });
    crate::render::document(
        syntax,
        Mode::Plain,
        1024 + 1024 * spec.routes.len(),
        document,
        items,
    )
}

/// The operations of one path.
fn path_item<'a>(
    routes: &[&ResolvedRoute<'a>],
    path: Option<&ResolvedPath<'a>>,
    schemas: &Schemas<'a>,
    native: bool,
    gateway: Target,
    settings: &'a ApiSettings,
) -> Entries<'a> {
    let mut item: Entries<'a> = Vec::with_capacity(routes.len());
    for resolved in routes {
        let route = resolved.route();
        let mut op = operation(route, schemas, false);
        if let Some((_, Node::Object(responses))) = op.iter_mut().find(|(k, _)| k == "responses") {
            // An HTTP API runs typed service actions as subtypes, whose answers it
            // passes through.
            let subtype = route
                .integration
                .as_ref()
                .filter(|_| gateway == Target::HttpApi)
                .and_then(|i| i.http_api_subtype())
                .and_then(Result::ok);
            let sent = resolved.integration_statuses();
            if let Some(subtype) = subtype {
                // An HTTP API has no integration responses: the client gets the
                // service's own status and body.
                *responses = service_passthrough(subtype.name);
            } else if let Some(sent) = sent {
                // API Gateway picks the status from the integration responses: document
                // those, with the handler's docs where a status is documented.
                responses
                    .retain(|(status, _)| status.parse().is_ok_and(|s: u16| sent.contains(&s)));
                for &status in sent {
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
            if let Some((_, Node::Object(responses))) =
                op.iter_mut().find(|(k, _)| k == "responses")
            {
                for (status, response) in auth_responses(security, gateway, settings) {
                    if !responses.iter().any(|(k, _)| *k == status) {
                        responses.push((Cow::Owned(status), response));
                    }
                }
            }
        }
        if route.method == Method::Any {
            for method in ANY_EXPANDS_TO
                .iter()
                .filter(|m| !routes.iter().any(|r| r.method() == **m))
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
    if let Some(path) = path
        && let Some(cors) = path.cors()
    {
        set(
            &mut item,
            "x-cors",
            cors_extension(cors, path.cors_methods()),
        );
    }
    item
}

/// The `x-cors` of a path (see the module docs): the policy of its first route that has
/// one, for the methods that have one, as the REST target's preflight answers.
fn cors_extension<'a>(cors: &'a crate::Cors, declared: &[Method]) -> Node<'a> {
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
                cors.methods_header(declared)
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
    Node::object(entries)
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

/// The responses of a service action an HTTP API runs as a subtype: the service's own.
fn service_passthrough<'a>(subtype: &str) -> Entries<'a> {
    let text = |text: String| Node::object([("description", Node::string(text))]);
    vec![
        (
            Cow::Borrowed("200"),
            text(format!(
                "The answer of {subtype}, as the service sends it (the HTTP API passes it through)"
            )),
        ),
        (
            Cow::Borrowed("default"),
            text(format!(
                "An error of {subtype}: the service's own status and body, passed through"
            )),
        ),
    ]
}

/// What a gateway answers, itself, to a request its checks of `security` refuse.
struct Refusal {
    /// The status it sends by default.
    status: u16,
    /// The REST gateway response type that sends it (the router may change it).
    rest_type: Option<&'static str>,
    /// When it is sent.
    why: &'static str,
    /// The body's key (`message`; API Gateway's `ACCESS_DENIED` is seen with `Message`).
    keys: &'static [&'static str],
}

/// Every refusal of `security` on `gateway`, by status: REST API Gateway's default
/// gateway responses (or the router's own declaration of them), an HTTP API's, Kong's
/// plugins'.
fn auth_responses<'a>(
    security: &Security,
    gateway: Target,
    settings: &'a ApiSettings,
) -> Vec<(String, Node<'a>)> {
    use crate::auth::Authorizer;
    const MESSAGE: &[&str] = &["message"];
    let refusal = |status, rest_type, why| Refusal {
        status,
        rest_type,
        why,
        keys: MESSAGE,
    };
    let mut refusals: Vec<Refusal> = Vec::new();
    for grant in security.grants() {
        match (gateway, &grant.authorizer) {
            (Target::Kong, Authorizer::ApiKey) => refusals.push(refusal(
                401,
                None,
                "The API key is missing or unknown (Kong key-auth)",
            )),
            (Target::Kong, _) => refusals.push(refusal(
                401,
                None,
                "The token is missing or invalid (Kong jwt)",
            )),
            (Target::HttpApi, Authorizer::Iam) => refusals.push(refusal(
                403,
                None,
                "The request is not signed, or the signer may not call it (IAM)",
            )),
            (Target::HttpApi, Authorizer::Jwt(_)) => {
                refusals.push(refusal(
                    401,
                    None,
                    "The token is missing, invalid or expired",
                ));
                if !grant.scopes.is_empty() {
                    refusals.push(refusal(403, None, "The token lacks a required scope"));
                }
            }
            (Target::HttpApi, _) => {
                refusals.push(refusal(
                    401,
                    None,
                    "The identity is missing, or the authorizer refused it",
                ));
                refusals.push(refusal(403, None, "The authorizer denied the request"));
            }
            (_, Authorizer::ApiKey) => refusals.push(refusal(
                403,
                Some("INVALID_API_KEY"),
                "The API key is missing or invalid",
            )),
            (_, Authorizer::Iam) => refusals.push(refusal(
                403,
                Some("MISSING_AUTHENTICATION_TOKEN"),
                "The request is not signed (IAM), or the signer may not call it",
            )),
            (_, Authorizer::Cognito(_) | Authorizer::Jwt(_)) => refusals.push(refusal(
                401,
                Some("UNAUTHORIZED"),
                "The token is missing, invalid or expired, or lacks a required scope",
            )),
            (_, Authorizer::Lambda(_)) => {
                refusals.push(refusal(
                    401,
                    Some("UNAUTHORIZED"),
                    "The identity is missing, or the authorizer refused it",
                ));
                refusals.push(Refusal {
                    status: 403,
                    rest_type: Some("ACCESS_DENIED"),
                    why: "The authorizer's policy denies the request",
                    keys: &["message", "Message"],
                });
            }
        }
    }
    let mut out: Vec<(String, Vec<&Refusal>)> = Vec::new();
    for refusal in &refusals {
        let declared = refusal
            .rest_type
            .and_then(|kind| rest_gateway_response(settings, kind));
        let status = declared
            .and_then(|d| d.status)
            .unwrap_or(refusal.status)
            .to_string();
        match out.iter_mut().find(|(s, _)| *s == status) {
            Some((_, found)) => found.push(refusal),
            None => out.push((status, vec![refusal])),
        }
    }
    out.into_iter()
        .map(|(status, refusals)| {
            let mut whys: Vec<&str> = refusals.iter().map(|r| r.why).collect();
            whys.dedup();
            let mut entries: Vec<(&str, Node<'a>)> = vec![(
                "description",
                Node::string(format!("{} (sent by the gateway)", whys.join("; "))),
            )];
            let declared = refusals
                .iter()
                .find_map(|r| {
                    r.rest_type
                        .and_then(|kind| rest_gateway_response(settings, kind))
                })
                .filter(|d| !d.templates.is_empty());
            let content = match declared {
                // The router's own body: its content types, its text not a schema.
                Some(declared) => Node::Object(
                    declared
                        .templates
                        .keys()
                        .map(|media| (Cow::Owned(media.clone()), Node::Object(Vec::new())))
                        .collect(),
                ),
                None => {
                    let mut keys: Vec<&str> = refusals
                        .iter()
                        .flat_map(|r| r.keys.iter().copied())
                        .collect();
                    keys.sort_unstable();
                    keys.dedup();
                    let properties: serde_json::Map<String, serde_json::Value> = keys
                        .iter()
                        .map(|k| ((*k).to_owned(), serde_json::json!({"type": "string"})))
                        .collect();
                    let schema = serde_json::json!({"type": "object", "properties": properties});
                    Node::object([(
                        "application/json",
                        Node::object([("schema", Node::Json(Cow::Owned(schema)))]),
                    )])
                }
            };
            entries.push(("content", content));
            (status, Node::object(entries))
        })
        .collect()
}

/// The router's declaration of a REST gateway response type: the type's own, else
/// `DEFAULT_4XX` (which applies to every 4XX type it has no declaration of).
fn rest_gateway_response<'a>(
    settings: &'a ApiSettings,
    kind: &str,
) -> Option<&'a crate::GatewayResponse> {
    settings
        .gateway_responses
        .get(kind)
        .or_else(|| settings.gateway_responses.get("DEFAULT_4XX"))
}
