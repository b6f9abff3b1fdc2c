//! `deploy --dry-run`: the routes of the rendered spec against the deployed API's, and
//! what differs in their integrations. Routes and integrations only: authorizers, models,
//! validators, gateway responses and API settings are not compared.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::Value;

use crate::cli::DeployMode;

/// The integration fields compared, as API Gateway's REST API JSON names them (the
/// spec's `x-amazon-apigateway-integration` uses the same names).
const FIELDS: [&str; 11] = [
    "type",
    "httpMethod",
    "uri",
    "credentials",
    "connectionType",
    "connectionId",
    "passthroughBehavior",
    "timeoutInMillis",
    "contentHandling",
    "requestParameters",
    "requestTemplates",
];

/// What API Gateway reports for a field the spec leaves out.
fn default_of(field: &str) -> Option<&'static str> {
    match field {
        "connectionType" => Some("INTERNET"),
        "passthroughBehavior" => Some("WHEN_NO_MATCH"),
        "timeoutInMillis" => Some("29000"),
        _ => None,
    }
}

/// One route: method and path as API Gateway's resources have them (`ANY` for
/// `x-amazon-apigateway-any-method`). Sorted by path, then method.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RouteKey {
    /// Resource path, e.g. `/widgets/{id}`.
    pub path: String,
    /// Upper-case method.
    pub method: String,
}

impl fmt::Display for RouteKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// An integration as compared: field → normalised value (absent when not set).
pub type Integration = BTreeMap<&'static str, String>;

/// Routes with their integrations.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Routes {
    routes: BTreeMap<RouteKey, Integration>,
    /// Paths that more than one resource has (a merge gone wrong), with the count.
    duplicates: BTreeMap<String, usize>,
}

impl Routes {
    /// The routes of a rendered private spec.
    pub fn from_spec(document: &Value) -> Self {
        let mut routes = Self::default();
        let Some(paths) = document.get("paths").and_then(Value::as_object) else {
            return routes;
        };
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (key, operation) in item {
                let method = match key.as_str() {
                    "x-amazon-apigateway-any-method" => "ANY".to_owned(),
                    "get" | "put" | "post" | "delete" | "options" | "head" | "patch" => {
                        key.to_ascii_uppercase()
                    }
                    _ => continue,
                };
                let integration = operation
                    .get("x-amazon-apigateway-integration")
                    .map(integration_from_json)
                    .unwrap_or_default();
                routes.insert(path, &method, integration);
            }
        }
        routes
    }

    /// Adds a route (a deployed one: from get_resources and get_integration).
    pub fn insert(&mut self, path: &str, method: &str, integration: Integration) {
        let key = RouteKey {
            path: path.to_owned(),
            method: method.to_ascii_uppercase(),
        };
        self.routes.entry(key).or_insert(integration);
    }

    /// Records that `count` resources have `path`.
    pub fn duplicate_path(&mut self, path: &str, count: usize) {
        self.duplicates.insert(path.to_owned(), count);
    }

    /// The routes, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &RouteKey> {
        self.routes.keys()
    }

    /// Number of routes.
    pub fn len(&self) -> usize {
        self.routes.len()
    }

    /// Whether there are no routes.
    pub fn is_empty(&self) -> bool {
        self.routes.is_empty()
    }
}

/// The compared fields of an integration in REST API JSON form (the spec's
/// `x-amazon-apigateway-integration`, or get_integration's answer as JSON).
pub fn integration_from_json(integration: &Value) -> Integration {
    let mut out = Integration::new();
    for field in FIELDS {
        let value = match integration.get(field) {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => Some(match field {
                "type" | "httpMethod" => text.to_ascii_uppercase(),
                _ => text.clone(),
            }),
            Some(Value::Object(map)) if map.is_empty() => None,
            Some(other) => Some(other.to_string()),
        };
        if let Some(value) = value.or_else(|| default_of(field).map(str::to_owned)) {
            out.insert(field, value);
        }
    }
    // Integration responses: selection pattern → status code (`default`, or no
    // pattern, is the default response).
    if let Some(responses) = integration
        .get("responses")
        .or_else(|| integration.get("integrationResponses"))
        .and_then(Value::as_object)
    {
        let mut summary = BTreeSet::new();
        for (key, response) in responses {
            // The spec keys responses by pattern; get_integration by status code.
            let pattern = if integration.get("responses").is_some() {
                key.as_str()
            } else {
                response
                    .get("selectionPattern")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
            };
            let pattern = if pattern.is_empty() {
                "default"
            } else {
                pattern
            };
            let status = response
                .get("statusCode")
                .and_then(Value::as_str)
                .unwrap_or_default();
            summary.insert(format!("{pattern:?} → {status}"));
        }
        if !summary.is_empty() {
            out.insert(
                "responses",
                summary.into_iter().collect::<Vec<_>>().join(", "),
            );
        }
    }
    out
}

/// One changed field: its name, the deployed value, the new one.
pub type Change = (&'static str, Option<String>, Option<String>);

/// What a deployment would do to the routes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Diff {
    /// Whether the API is new (every route is added).
    pub create: bool,
    /// Routes the spec adds.
    pub added: Vec<(RouteKey, Integration)>,
    /// Deployed routes the spec does not have, deleted by `overwrite`.
    pub removed: Vec<RouteKey>,
    /// Deployed routes the spec does not have, kept by `merge`.
    pub kept: Vec<RouteKey>,
    /// Routes whose integration changes.
    pub changed: Vec<(RouteKey, Vec<Change>)>,
    /// Routes left as they are.
    pub unchanged: usize,
    /// Paths that several deployed resources have.
    pub duplicates: BTreeMap<String, usize>,
}

impl Diff {
    /// The spec's routes against the deployed ones (`None`: the API does not exist yet).
    pub fn new(desired: &Routes, deployed: Option<&Routes>, mode: DeployMode) -> Self {
        let empty = Routes::default();
        let mut diff = Self {
            create: deployed.is_none(),
            duplicates: deployed.map(|d| d.duplicates.clone()).unwrap_or_default(),
            ..Self::default()
        };
        let deployed = deployed.unwrap_or(&empty);
        for (key, want) in &desired.routes {
            match deployed.routes.get(key) {
                None => diff.added.push((key.clone(), want.clone())),
                Some(have) => {
                    let changes = changes(have, want);
                    if changes.is_empty() {
                        diff.unchanged += 1;
                    } else {
                        diff.changed.push((key.clone(), changes));
                    }
                }
            }
        }
        for key in deployed.routes.keys() {
            if !desired.routes.contains_key(key) {
                match mode {
                    DeployMode::Overwrite => diff.removed.push(key.clone()),
                    DeployMode::Merge => diff.kept.push(key.clone()),
                }
            }
        }
        diff
    }

    /// Whether the routes would change at all.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

fn changes(have: &Integration, want: &Integration) -> Vec<Change> {
    let fields: BTreeSet<&'static str> = have.keys().chain(want.keys()).copied().collect();
    fields
        .into_iter()
        .filter(|field| have.get(field) != want.get(field))
        .map(|field| (field, have.get(field).cloned(), want.get(field).cloned()))
        .collect()
}

fn shown(value: Option<&String>) -> String {
    value.map_or_else(|| "(none)".to_owned(), |v| format!("{v:?}"))
}

impl fmt::Display for Diff {
    /// One line per route: `+` added, `-` removed, `~` changed (with a line per field),
    /// `=` kept by merge; `!` for a path several resources have; then the counts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (path, count) in &self.duplicates {
            writeln!(f, "! {path}: {count} deployed resources have this path")?;
        }
        for (key, integration) in &self.added {
            let kind = integration.get("type").map_or("", String::as_str);
            let uri = integration.get("uri").map_or("", String::as_str);
            writeln!(f, "+ {key}  {kind} {uri}")?;
        }
        for key in &self.removed {
            writeln!(f, "- {key}")?;
        }
        for (key, changes) in &self.changed {
            writeln!(f, "~ {key}")?;
            for (field, old, new) in changes {
                writeln!(
                    f,
                    "    {field}: {} -> {}",
                    shown(old.as_ref()),
                    shown(new.as_ref())
                )?;
            }
        }
        for key in &self.kept {
            writeln!(
                f,
                "= {key}  (kept: merge leaves routes the spec does not have)"
            )?;
        }
        write!(
            f,
            "{} to add, {} to remove, {} to change, {} unchanged",
            self.added.len(),
            self.removed.len(),
            self.changed.len(),
            self.unchanged
        )?;
        if !self.kept.is_empty() {
            write!(f, ", {} kept", self.kept.len())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn spec() -> Value {
        json!({"paths": {
            "/a": {
                "get": {"x-amazon-apigateway-integration": {"type": "aws_proxy", "httpMethod": "POST", "uri": "u1"}},
                "parameters": [],
            },
            "/b/{id}": {
                "x-amazon-apigateway-any-method": {"x-amazon-apigateway-integration": {
                    "type": "http", "httpMethod": "GET", "uri": "http://x/${stageVariables.h}",
                    "timeoutInMillis": 1000, "requestParameters": {"a": "b"},
                    "responses": {"default": {"statusCode": "200"}, "4\\d{2}": {"statusCode": "400"}}
                }},
            },
        }})
    }

    #[test]
    fn routes_from_the_spec() {
        let routes = Routes::from_spec(&spec());
        let keys: Vec<String> = routes.keys().map(ToString::to_string).collect();
        assert_eq!(keys, ["GET /a", "ANY /b/{id}"]);
        let any = &routes.routes.values().nth(1).unwrap();
        assert_eq!(any["type"], "HTTP");
        assert_eq!(any["timeoutInMillis"], "1000");
        assert_eq!(any["passthroughBehavior"], "WHEN_NO_MATCH");
        assert_eq!(any["requestParameters"], r#"{"a":"b"}"#);
        assert_eq!(any["responses"], r#""4\\d{2}" → 400, "default" → 200"#);
    }

    #[test]
    fn deployed_integrations_compare_equal_to_their_spec() {
        // get_integration's answer for the same routes, in API Gateway's spelling.
        let mut deployed = Routes::default();
        deployed.insert(
            "/a",
            "GET",
            integration_from_json(
                &json!({"type": "AWS_PROXY", "httpMethod": "POST", "uri": "u1",
                "connectionType": "INTERNET", "timeoutInMillis": 29000, "cacheKeyParameters": []}),
            ),
        );
        deployed.insert(
            "/b/{id}",
            "ANY",
            integration_from_json(&json!({"type": "HTTP", "httpMethod": "GET", "uri": "http://x/${stageVariables.h}",
                "timeoutInMillis": 1000, "requestParameters": {"a": "b"}, "passthroughBehavior": "WHEN_NO_MATCH",
                "integrationResponses": {"200": {"statusCode": "200"}, "400": {"statusCode": "400", "selectionPattern": "4\\d{2}"}}})),
        );
        let diff = Diff::new(
            &Routes::from_spec(&spec()),
            Some(&deployed),
            DeployMode::Overwrite,
        );
        assert!(diff.is_empty(), "{diff}");
        assert_eq!(diff.unchanged, 2);
    }

    #[test]
    fn added_removed_changed_kept() {
        let mut deployed = Routes::default();
        deployed.insert(
            "/a",
            "GET",
            integration_from_json(&json!({"type": "AWS_PROXY", "httpMethod": "POST", "uri": "u0"})),
        );
        deployed.insert("/old", "DELETE", Integration::new());
        deployed.duplicate_path("/a", 2);
        let desired = Routes::from_spec(&spec());

        let diff = Diff::new(&desired, Some(&deployed), DeployMode::Overwrite);
        assert_eq!(
            diff.to_string(),
            "! /a: 2 deployed resources have this path\n\
             + ANY /b/{id}  HTTP http://x/${stageVariables.h}\n\
             - DELETE /old\n\
             ~ GET /a\n    uri: \"u0\" -> \"u1\"\n\
             1 to add, 1 to remove, 1 to change, 0 unchanged"
        );

        let merge = Diff::new(&desired, Some(&deployed), DeployMode::Merge);
        assert!(merge.removed.is_empty());
        assert!(
            merge
                .to_string()
                .contains("= DELETE /old  (kept: merge leaves routes the spec does not have)\n")
        );

        let create = Diff::new(&desired, None, DeployMode::Overwrite);
        assert!(create.create);
        assert_eq!(create.added.len(), 2);
    }
}
