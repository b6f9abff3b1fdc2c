//! What the module needs to know about the router, read from the spec once: the
//! placeholders of the target's document, the Lambda functions API Gateway invokes (for
//! which routes and authorizers), the roles API Gateway assumes (with the statements
//! their routes need), and the routes that require an API key.

use std::collections::{BTreeMap, BTreeSet};

use axum_aws_spec::auth::{Authorizer, Security};
use axum_aws_spec::integration::Integration;
use axum_aws_spec::{ApiSpec, Method, RouteMeta, TemplateValue, Throttle};

use super::ModuleTarget;

/// The facts the module is written from.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Facts {
    /// The gateway.
    pub target: ModuleTarget,
    /// Every placeholder of the target's document, with the routes (or `api settings`)
    /// that use it.
    pub placeholders: BTreeMap<String, BTreeSet<String>>,
    /// The Lambda functions API Gateway invokes without a role, by their invocation
    /// URI as written (a placeholder, or a template holding some).
    pub functions: BTreeMap<String, Function>,
    /// The roles API Gateway assumes, by credentials placeholder.
    pub roles: BTreeMap<String, Role>,
    /// The routes that require an API key.
    pub key_routes: Vec<KeyRoute>,
    /// The API's default throttling (the stage's `*/*` / default route settings).
    pub default_throttle: Option<Throttle>,
    /// The routes with their own throttling, in declaration order.
    pub throttled: Vec<ThrottledRoute>,
}

/// A route's own throttling, keyed as the target's stage settings key it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ThrottledRoute {
    /// REST: the method settings' `method_path` (`~1widget~1{widgetName}/GET`); HTTP
    /// API: the route key (`GET /widget/{widgetName}`).
    pub key: String,
    /// `METHOD /path`.
    pub label: String,
    /// The route's limits.
    pub throttle: Throttle,
}

/// A Lambda function API Gateway invokes, and who invokes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Function {
    /// The routes and authorizers that invoke it, sorted.
    pub callers: BTreeSet<FunctionCaller>,
}

/// What invokes a function.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum FunctionCaller {
    /// A route's integration: its method and API Gateway path (`$default` for the HTTP
    /// API's default route).
    Route {
        /// `GET`, `ANY`, …
        method: Method,
        /// `/widget/{widgetName}`, `/files/{path+}`, or `$default`.
        path: String,
    },
    /// A Lambda authorizer, by name.
    Authorizer(String),
}

/// A role API Gateway assumes for some routes (their `credentials`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Role {
    /// What the role must allow, one statement per route action.
    pub statements: Vec<Statement>,
}

/// One allowed action on one resource, for one route.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Statement {
    /// The route (`METHOD /path`) or authorizer that needs it.
    pub user: String,
    /// `dynamodb:GetItem`, …
    pub action: String,
    /// The resource ARN as a template of the spec's placeholders.
    pub resource: TemplateValue,
}

/// A route that requires an API key.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct KeyRoute {
    /// The method.
    pub method: Method,
    /// The API Gateway path.
    pub path: String,
}

impl Facts {
    /// The facts of `spec` for `target`; `document` is the target's private spec as text.
    ///
    /// # Errors
    /// What the module cannot derive, one line each naming the routes.
    pub(crate) fn of(
        spec: &ApiSpec,
        target: ModuleTarget,
        document: &str,
    ) -> Result<Self, Vec<String>> {
        let mut placeholders = spec.placeholders();
        placeholders.retain(|name, _| holds_placeholder(document, name));
        let mut facts = Self {
            target,
            placeholders,
            functions: BTreeMap::new(),
            roles: BTreeMap::new(),
            key_routes: Vec::new(),
            default_throttle: spec.settings.default_throttle,
            throttled: Vec::new(),
        };
        let mut problems = Vec::new();
        for route in &spec.routes {
            facts.read_route(route, &mut problems);
            let Some(throttle) = route.throttle else {
                continue;
            };
            let key = match target {
                ModuleTarget::Rest => route.method_path(),
                ModuleTarget::HttpApi => route.route_key(),
            };
            match key {
                Some(key) => facts.throttled.push(ThrottledRoute {
                    key,
                    label: route.label(),
                    throttle,
                }),
                None => problems.push(format!(
                    "{}: a REST API has no method settings for this route, so its throttling ({throttle}) cannot be written; throttle its methods or the stage instead",
                    route.label()
                )),
            }
        }
        if problems.is_empty() {
            Ok(facts)
        } else {
            Err(problems)
        }
    }

    fn read_route(&mut self, route: &RouteMeta, problems: &mut Vec<String>) {
        let label = route.label();
        let path = if label == "$default" {
            "$default".to_owned()
        } else {
            route.path.gateway().unwrap_or("/").to_owned()
        };
        let caller = FunctionCaller::Route {
            method: route.method,
            path: path.clone(),
        };
        if let Some(integration) = &route.integration {
            let uri = match integration {
                Integration::LambdaProxy(lambda) => Some(&lambda.uri),
                Integration::Lambda(lambda) => Some(&lambda.uri),
                _ => None,
            };
            let credentials = integration.options().credentials.as_ref();
            match (uri, credentials) {
                (Some(uri), None) => self.invoked(uri, caller, &label, problems),
                (Some(uri), Some(role)) => {
                    self.role(role, &label, problems)
                        .statements
                        .push(Statement {
                            user: label.clone(),
                            action: "lambda:InvokeFunction".to_owned(),
                            resource: function_arn_of(uri),
                        });
                }
                (None, Some(role)) => {
                    self.role(role, &label, problems);
                }
                (None, None) => {}
            }
        }
        for grant in grants(route.security.as_ref()) {
            match &grant.authorizer {
                Authorizer::Lambda(authorizer) => {
                    let by = FunctionCaller::Authorizer(authorizer.name.clone());
                    match &authorizer.credentials {
                        None => self.invoked(&authorizer.uri, by, &label, problems),
                        Some(role) => {
                            let user = format!("authorizer {}", authorizer.name);
                            let statement = Statement {
                                user,
                                action: "lambda:InvokeFunction".to_owned(),
                                resource: function_arn_of(&authorizer.uri),
                            };
                            let statements = &mut self.role(role, &label, problems).statements;
                            if !statements.contains(&statement) {
                                statements.push(statement);
                            }
                        }
                    }
                }
                Authorizer::ApiKey => {
                    let key_route = KeyRoute {
                        method: route.method,
                        path: path.clone(),
                    };
                    if !self.key_routes.contains(&key_route) {
                        self.key_routes.push(key_route);
                    }
                }
                _ => {}
            }
        }
    }

    fn invoked(
        &mut self,
        uri: &TemplateValue,
        caller: FunctionCaller,
        label: &str,
        problems: &mut Vec<String>,
    ) {
        if uri.placeholders().map_or(true, |names| names.is_empty()) {
            // A literal ARN: the function is named as written.
            if !uri.as_str().contains(":lambda:") && !uri.as_str().contains(":function:") {
                problems.push(format!(
                    "{label}: the Lambda URI `{}` names no function the module can grant API Gateway access to; write the function's invoke ARN, e.g. `${{api_invoke_arn}}`",
                    uri.as_str()
                ));
                return;
            }
        }
        self.functions
            .entry(uri.as_str().to_owned())
            .or_default()
            .callers
            .insert(caller);
    }

    /// The role of a credentials value, which must be one placeholder the module can fill.
    fn role(&mut self, role: &TemplateValue, label: &str, problems: &mut Vec<String>) -> &mut Role {
        let name = match role.placeholders().as_deref() {
            Ok([name]) if role.is_placeholder() => (*name).to_owned(),
            _ => {
                problems.push(format!(
                    "{label}: the credentials `{}` are not one placeholder, so the module cannot create the role or fill in its ARN; write `${{name_of_role_arn}}`",
                    role.as_str()
                ));
                // Collected under its text so that the other problems are still found.
                role.as_str().to_owned()
            }
        };
        self.roles.entry(name).or_default()
    }
}

/// The grants of every alternative of a route's security.
fn grants(security: Option<&Security>) -> impl Iterator<Item = &axum_aws_spec::auth::Grant> {
    security
        .into_iter()
        .flat_map(|security| &security.alternatives)
        .flat_map(|requirement| &requirement.all)
}

/// The function ARN inside a Lambda invocation URI (the URI itself when it is already
/// one): what `lambda:InvokeFunction` is granted on.
fn function_arn_of(uri: &TemplateValue) -> TemplateValue {
    let text = uri.as_str();
    let inner = text
        .split_once(":lambda:path/")
        .and_then(|(_, rest)| rest.split_once("/functions/"))
        .and_then(|(_, rest)| rest.strip_suffix("/invocations"));
    TemplateValue::from(inner.unwrap_or(text))
}

/// Whether `text` (a rendered template) holds the placeholder `${name}` unescaped.
fn holds_placeholder(text: &str, name: &str) -> bool {
    let needle = format!("${{{name}}}");
    text.match_indices(&needle)
        .any(|(at, _)| !text[..at].ends_with('$'))
}
