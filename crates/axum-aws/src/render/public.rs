//! The public spec: the same API for people and client generators, with nothing
//! AWS-specific (no extensions, preflight mocks, ARNs, roles or placeholders).

use serde_json::{Map, Value, json};

use super::{
    PublicSpec, PublicVersion, Schemas, by_gateway_path, components, info, method_key, operation,
};
use crate::auth::{Authorizer, IdentitySource, LambdaIdentity, Security};
use crate::error::SpecErrors;
use crate::schema::{self, Dialect};
use crate::spec::ApiSpec;
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

/// Renders the public spec after the target-neutral checks passed.
pub(crate) fn render(spec: &ApiSpec, version: PublicVersion) -> Result<PublicSpec, SpecErrors> {
    spec.check()?;
    let routes: Vec<_> = spec.routes.iter().collect();
    let native = version == PublicVersion::V31;
    let renames = if native {
        Default::default()
    } else {
        schema::model_names(
            routes
                .iter()
                .flat_map(|r| r.schemas.keys().map(String::as_str)),
        )
        .unwrap_or_default()
    };
    let schemas = Schemas::new((!native).then_some(Dialect::OpenApi30), &renames, &routes);

    let mut paths = Map::new();
    let mut security_schemes = Map::new();
    for (gateway_path, routes) in by_gateway_path(&spec.routes) {
        let mut item = Map::new();
        let declared: Vec<Method> = routes.iter().map(|r| r.method).collect();
        for route in &routes {
            let mut op = operation(route, &schemas, false);
            if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut)
                && responses.is_empty()
            {
                responses.insert("200".into(), json!({"description": "OK"}));
            }
            if let Some(security) = &route.security {
                op.insert("security".into(), requirements(security, native));
                for grant in security.grants() {
                    security_schemes
                        .entry(grant.authorizer.name().to_owned())
                        .or_insert_with(|| scheme(&grant.authorizer));
                }
            }
            if route.method == Method::Any {
                for method in ANY_EXPANDS_TO.iter().filter(|m| !declared.contains(m)) {
                    let mut expanded = op.clone();
                    if let Some(Value::String(id)) = expanded.get_mut("operationId") {
                        *id = format!("{id}_{}", method_key(*method));
                    }
                    item.insert(method_key(*method), Value::Object(expanded));
                }
            } else {
                item.insert(method_key(route.method), Value::Object(op));
            }
        }
        // Clients write `{rest}` for a greedy parameter; `{rest+}` is API Gateway's.
        let public_path = path::params(&gateway_path)
            .into_iter()
            .filter(|p| p.greedy)
            .fold(gateway_path.clone(), |p, param| {
                p.replace(
                    &format!("{{{}+}}", param.name),
                    &format!("{{{}}}", param.name),
                )
            });
        paths.insert(public_path, Value::Object(item));
    }

    let mut document = Map::new();
    document.insert(
        "openapi".into(),
        if native { "3.1.0" } else { "3.0.3" }.into(),
    );
    document.insert("info".into(), info(spec));
    document.insert("paths".into(), Value::Object(paths));
    if let Some(url) = &spec.settings.server_url {
        document.insert("servers".into(), json!([{"url": url}]));
    }
    if let Some(components) = components(schemas.components(&routes), security_schemes) {
        document.insert("components".into(), components);
    }
    Ok(PublicSpec {
        document: Value::Object(document),
    })
}

/// Security requirements; OpenAPI 3.0 allows scopes only on OAuth schemes, so
/// Cognito scopes are kept in 3.1 only.
fn requirements(security: &Security, native: bool) -> Value {
    security
        .alternatives
        .iter()
        .map(|requirement| {
            let map: Map<String, Value> = requirement
                .all
                .iter()
                .map(|grant| {
                    let scopes = if native {
                        grant.scopes.clone()
                    } else {
                        Vec::new()
                    };
                    (grant.authorizer.name().to_owned(), json!(scopes))
                })
                .collect();
            Value::Object(map)
        })
        .collect()
}

fn scheme(authorizer: &Authorizer) -> Value {
    match authorizer {
        Authorizer::ApiKey => json!({"type": "apiKey", "name": "x-api-key", "in": "header",
            "description": "API key of a usage plan"}),
        Authorizer::Iam => json!({"type": "apiKey", "name": "Authorization", "in": "header",
            "description": "AWS Signature Version 4 (IAM credentials)"}),
        Authorizer::Cognito(_) => json!({"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
            "description": "Cognito user pool token"}),
        Authorizer::Lambda(lambda) => match &lambda.identity {
            LambdaIdentity::Token { header, .. } => {
                json!({"type": "apiKey", "name": header, "in": "header",
                "description": "Token checked by a custom authorizer"})
            }
            LambdaIdentity::Request { sources, .. } => {
                let (name, location) = sources
                    .iter()
                    .find_map(|source| match source {
                        IdentitySource::Header(name) => Some((name.as_str(), "header")),
                        IdentitySource::Query(name) => Some((name.as_str(), "query")),
                        IdentitySource::Context(_) | IdentitySource::StageVariable(_) => None,
                    })
                    .unwrap_or(("Authorization", "header"));
                json!({"type": "apiKey", "name": name, "in": location,
                    "description": "Request identity checked by a custom authorizer"})
            }
        },
    }
}
