//! `aws-spec terraform`: a reusable Terraform module generated from the router — the
//! API from the committed private spec, its stage, the Lambda permissions, the roles of
//! the direct service integrations, usage plan and API keys, logs — so that nothing the
//! router already says is written a second time in Terraform.
//!
//! One data path: the spec's facts (`facts.rs`) → the module's files (`files.rs`), every
//! file printed by the one HCL writer (`hcl.rs`).

mod facts;
mod files;
mod hcl;

use axum_aws_spec::{ApiSpec, Target};

pub use facts::{Facts, Function, FunctionCaller, KeyRoute, Role, Statement, ThrottledRoute};
pub use files::permission_source_suffix;

/// The gateway the module deploys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ModuleTarget {
    /// An API Gateway REST API (`aws_api_gateway_*`).
    Rest,
    /// An API Gateway HTTP API (`aws_apigatewayv2_*`).
    HttpApi,
}

/// One file of the module: its name inside the module directory and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ModuleFile {
    /// `main.tf`, `spec.json`, …
    pub name: &'static str,
    /// The file's text.
    pub content: String,
}

/// What the module cannot derive from the router, each naming its routes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .problems.join("\n"))]
#[non_exhaustive]
pub struct ModuleErrors {
    /// One line each: `METHOD /path: …` or `${name}: …`.
    pub problems: Vec<String>,
}

/// The module of `spec` for `target`: its files, in the order they are written. `spec`
/// must hold its title and version (`info`); the private spec inside the module is the
/// one `aws-spec export` writes for the same target.
///
/// ```
/// use axum_aws_spec::integration::LambdaProxy;
/// use axum_aws_spec::{ApiSettings, ApiSpec, Info, Method, RouteMeta};
/// use aws_spec::terraform::{ModuleTarget, module};
///
/// let mut health = RouteMeta::new(Method::Get, "/health");
/// health.integration = Some(LambdaProxy::new("${api_invoke_arn}").into());
/// let spec = ApiSpec::new(Info::new("Demo", "1.0.0"), ApiSettings::default(), vec![health]);
/// let files = module(&spec, ModuleTarget::Rest)?;
/// let permissions = files.iter().find(|file| file.name == "permissions.tf").unwrap();
/// assert!(permissions.content.contains("\"GET/health\""));
/// # Ok::<(), aws_spec::Error>(())
/// ```
///
/// # Errors
/// The spec's own errors for the target ([`crate::Error::Spec`]), or what the module
/// cannot derive ([`crate::Error::Module`]).
pub fn module(spec: &ApiSpec, target: ModuleTarget) -> Result<Vec<ModuleFile>, crate::Error> {
    Ok(generate(spec, target)?.0)
}

/// [`module`], and where the module grants more than a route needs (one line each,
/// naming the route): what `aws-spec terraform` and `lint` warn about.
///
/// # Errors
/// As [`module`].
pub fn generate(
    spec: &ApiSpec,
    target: ModuleTarget,
) -> Result<(Vec<ModuleFile>, Vec<String>), crate::Error> {
    let checked = spec
        .check_for(&[match target {
            ModuleTarget::Rest => Target::Rest,
            ModuleTarget::HttpApi => Target::HttpApi,
        }])
        .map_err(crate::Error::Spec)?;
    let text = match target {
        ModuleTarget::Rest => checked.render_private().map(|spec| spec.to_json()),
        ModuleTarget::HttpApi => checked.render_http_api().map(|spec| spec.to_json()),
    }
    .map_err(crate::Error::Spec)?;
    let facts = Facts::of(spec, checked.resolved(), target, &text)
        .map_err(|problems| crate::Error::Module(ModuleErrors { problems }))?;
    let warnings = facts.warnings.clone();
    let head = document_head(&text);
    Ok((files::all(&facts, &head, text), warnings))
}

/// The document's top-level values the module mirrors (`info`, `servers`, which holds the
/// endpoint configuration, and the API-wide extensions), the paths never read: they are most of a large document.
///
/// The document is pretty JSON with sorted keys and a two-space indent
/// ([`PrivateSpec::to_json`]), so a line that starts with two spaces and a quote opens a
/// top-level member (deeper lines are indented further, and strings hold no raw
/// newline): the members before `paths` are walked from the start, those after it (the
/// `x-amazon-apigateway-*` ones) from the end, and only the wanted ones parsed. Any other
/// layout is parsed whole.
///
/// [`PrivateSpec::to_json`]: axum_aws_spec::PrivateSpec::to_json
fn document_head(text: &str) -> serde_json::Value {
    const MEMBER: &str = "\n  \"";
    let Some(body) = text
        .strip_prefix("{\n")
        .and_then(|rest| rest.trim_end().strip_suffix('}'))
        .filter(|body| body.starts_with("  \""))
    else {
        return parsed_head(text);
    };
    let is_paths = |member: &str| member.starts_with("  \"paths\":");
    let mut members = Vec::new();
    // From the start up to `paths`.
    let mut start = 0;
    while !is_paths(&body[start..]) {
        let Some(next) = body[start + 1..].find(MEMBER) else {
            return parsed_head(text);
        };
        members.push(&body[start..start + 1 + next]);
        start += next + 2;
    }
    // From the end back to `paths`.
    let mut end = body.len();
    loop {
        let Some(at) = body[..end].rfind(MEMBER) else {
            return parsed_head(text);
        };
        if is_paths(&body[at + 1..end]) {
            break;
        }
        members.push(&body[at + 1..end]);
        end = at;
    }
    let mut head = serde_json::Map::new();
    for member in members {
        if !(member.starts_with("  \"info\":")
            || member.starts_with("  \"servers\":")
            || member.starts_with("  \"x-amazon-apigateway-"))
        {
            continue;
        }
        let member = member.trim_end().trim_end_matches(',');
        match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&format!(
            "{{{member}}}"
        )) {
            Ok(one) => head.extend(one),
            Err(_) => return parsed_head(text),
        }
    }
    serde_json::Value::Object(head)
}

/// [`document_head`] of a document in another layout: parsed whole, the paths skipped
/// unbuilt.
fn parsed_head(text: &str) -> serde_json::Value {
    struct Head;
    impl<'de> serde::de::Visitor<'de> for Head {
        type Value = serde_json::Map<String, serde_json::Value>;

        fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            formatter.write_str("an OpenAPI document")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut head = serde_json::Map::new();
            while let Some(key) = map.next_key::<String>()? {
                if key == "info" || key == "servers" || key.starts_with("x-amazon-apigateway-") {
                    let value = map.next_value::<serde_json::Value>()?;
                    head.insert(key, value);
                } else {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
            Ok(head)
        }
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let head = serde::Deserializer::deserialize_map(&mut deserializer, Head).unwrap_or_default();
    serde_json::Value::Object(head)
}

#[cfg(test)]
mod tests {
    use super::{document_head, parsed_head};

    #[test]
    fn the_head_read_by_lines_is_the_parsed_head() {
        let document = serde_json::json!({
            "info": { "title": "T", "description": "a \"quoted\"\nline" },
            "openapi": "3.0.1",
            "paths": { "/a": { "get": { "x-amazon-apigateway-integration": { "type": "mock" } } } },
            "x-amazon-apigateway-api-key-source": "HEADER",
            "x-amazon-apigateway-cors": { "allowOrigins": ["${origin}"], "maxAge": 600 }
        });
        let text = format!("{}\n", serde_json::to_string_pretty(&document).unwrap());
        let head = document_head(&text);
        assert_eq!(head, parsed_head(&text));
        assert_eq!(head["x-amazon-apigateway-cors"]["maxAge"], 600);
        assert!(head.get("paths").is_none());
        // Another layout: parsed whole, the same head.
        let compact = serde_json::to_string(&document).unwrap();
        assert_eq!(document_head(&compact), head);
    }
}
