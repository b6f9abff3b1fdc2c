//! What the module needs to know about the router, read once from the spec's resolved
//! view ([`axum_aws_spec::resolved`]): the placeholders of the target's document and
//! what they stand for, the Lambda functions API Gateway invokes (for which routes and
//! authorizers), the roles API Gateway assumes with the statements their routes need,
//! the routes that require an API key, and the throttling.

use std::collections::{BTreeMap, BTreeSet};

use axum_aws_spec::integration::{PathPart, Queue};
use axum_aws_spec::resolved::{
    Intent, Resolved, Scheme, ServiceAction, ServiceResource, ValueKind,
};
use axum_aws_spec::{ApiSpec, EndpointType, Method, TemplateValue, Throttle};

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
    /// Where the module grants more than a route needs, one line each naming the route.
    pub warnings: Vec<String>,
    /// ARNs Terraform derives from a value that is not one (a queue URL, an event bus
    /// that may be a name): `local.service_arns` key → HCL expression.
    pub derived_arns: BTreeMap<String, String>,
    /// The REST API's endpoint type as the router declares it (`None`: API Gateway's
    /// default, EDGE): not in the body, so written as `endpoint_configuration`.
    pub endpoint_type: Option<&'static str>,
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
    /// Routes whose action the module cannot name: the role must be passed in.
    pub unnamed: Vec<String>,
}

/// One allowed action on one resource, for one route.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Statement {
    /// The route (`METHOD /path`) or authorizer that needs it.
    pub user: String,
    /// `dynamodb:GetItem`, …
    pub action: String,
    /// The resource ARN, an HCL expression over `local.spec_vars` and the account's
    /// data sources (`lambda:InvokeFunction`: the function's URI as the route writes it).
    pub resource: String,
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

/// A function serving more routes than this gets one stage-wide permission instead of
/// one per route: a function's resource policy is capped at 20 KB, and a statement of
/// the module is about 350 bytes.
pub(crate) const MAX_ROUTE_PERMISSIONS: usize = 40;

/// The HCL of the account's partition, account id and region.
pub(crate) const PARTITION: &str = "${data.aws_partition.current.partition}";
pub(crate) const ACCOUNT: &str = "${data.aws_caller_identity.current.account_id}";
pub(crate) const REGION: &str = "${data.aws_region.current.region}";

impl Facts {
    /// The facts of `spec` (whose resolved view is `view`) for `target`; `document` is
    /// the target's private spec as text.
    ///
    /// # Errors
    /// What the module cannot derive, one line each naming the routes.
    pub(crate) fn of(
        spec: &ApiSpec,
        view: &Resolved<'_>,
        target: ModuleTarget,
        document: &str,
    ) -> Result<Self, Vec<String>> {
        let mut problems = Vec::new();
        let mut placeholders = BTreeMap::new();
        for placeholder in view.placeholders() {
            if !holds_placeholder(document, placeholder.name()) {
                continue;
            }
            let kinds: BTreeSet<String> = placeholder
                .kinds()
                .iter()
                .filter(|kind| **kind != ValueKind::Text)
                .map(|kind| kind_words(*kind))
                .collect();
            if kinds.len() > 1 {
                problems.push(format!(
                    "${{{}}} stands for {} ({}): one variable cannot be all of them; give each value its own placeholder",
                    placeholder.name(),
                    kinds.into_iter().collect::<Vec<_>>().join(" and "),
                    placeholder.used_by().iter().cloned().collect::<Vec<_>>().join(", ")
                ));
            }
            placeholders.insert(placeholder.name().to_owned(), placeholder.used_by().clone());
        }
        let mut facts =
            Self {
                target,
                placeholders,
                functions: BTreeMap::new(),
                roles: BTreeMap::new(),
                key_routes: Vec::new(),
                default_throttle: spec.settings.default_throttle,
                throttled: Vec::new(),
                warnings: Vec::new(),
                derived_arns: BTreeMap::new(),
                endpoint_type: spec.settings.endpoint.as_ref().map(|endpoint| {
                    match endpoint.kind {
                        EndpointType::Regional => "REGIONAL",
                        EndpointType::Private => "PRIVATE",
                        _ => "EDGE",
                    }
                }),
            };
        for route in view.routes() {
            let meta = route.route();
            let label = meta.label();
            let path = if label == "$default" {
                "$default".to_owned()
            } else {
                meta.path.gateway().unwrap_or("/").to_owned()
            };
            match route.intent() {
                Some(Intent::Lambda(call)) => match call.role() {
                    None => facts.invoked(
                        call.function(),
                        FunctionCaller::Route {
                            method: meta.method,
                            path: path.clone(),
                        },
                        &label,
                        &mut problems,
                    ),
                    Some(role) => facts.role(role, &label, &mut problems).push(Statement {
                        user: label.clone(),
                        action: LAMBDA_INVOKE.to_owned(),
                        resource: call.function().as_str().to_owned(),
                    }),
                },
                Some(Intent::Service(action)) => facts.service(action, &label, &mut problems),
                _ => {}
            }
            for grant in route.security().grants() {
                match grant.scheme() {
                    Scheme::Lambda(scheme) => match scheme.role() {
                        None => facts.invoked(
                            scheme.function(),
                            FunctionCaller::Authorizer(grant.scheme().name().to_owned()),
                            &label,
                            &mut problems,
                        ),
                        Some(role) => {
                            let statement = Statement {
                                user: format!("authorizer {}", grant.scheme().name()),
                                action: LAMBDA_INVOKE.to_owned(),
                                resource: scheme.function().as_str().to_owned(),
                            };
                            let role = facts.role(role, &label, &mut problems);
                            if !role.contains(&statement) {
                                role.push(statement);
                            }
                        }
                    },
                    Scheme::ApiKey => {
                        let key_route = KeyRoute {
                            method: meta.method,
                            path: path.clone(),
                        };
                        if !facts.key_routes.contains(&key_route) {
                            facts.key_routes.push(key_route);
                        }
                    }
                    _ => {}
                }
            }
            let Some(throttle) = meta.throttle else {
                continue;
            };
            let key = match target {
                ModuleTarget::Rest => meta.method_path(),
                ModuleTarget::HttpApi => meta.route_key(),
            };
            match key {
                Some(key) => facts.throttled.push(ThrottledRoute {
                    key,
                    label: label.clone(),
                    throttle,
                }),
                None => problems.push(format!(
                    "{label}: a REST API has no method settings for this route, so its throttling ({throttle}) cannot be written; throttle its methods or the stage instead"
                )),
            }
        }
        for (uri, function) in &facts.functions {
            let routes = function
                .callers
                .iter()
                .filter(|caller| matches!(caller, FunctionCaller::Route { .. }))
                .count();
            if routes > MAX_ROUTE_PERMISSIONS {
                facts.warnings.push(format!(
                    "`{uri}`: {routes} routes invoke this function, more grants than Lambda's 20 KB resource policy holds: the module grants it every route of the stage (EXECUTION_ARN/STAGE/*/*)"
                ));
            }
        }
        if problems.is_empty() {
            Ok(facts)
        } else {
            Err(problems)
        }
    }

    fn invoked(
        &mut self,
        uri: &TemplateValue,
        caller: FunctionCaller,
        label: &str,
        problems: &mut Vec<String>,
    ) {
        let literal = uri.placeholders().map_or(true, |names| names.is_empty());
        if literal && !uri.as_str().contains(":lambda:") && !uri.as_str().contains(":function:") {
            problems.push(format!(
                "{label}: the Lambda URI `{}` names no function the module can grant API Gateway access to; write the function's invoke ARN, e.g. `${{api_invoke_arn}}`",
                uri.as_str()
            ));
            return;
        }
        self.functions
            .entry(uri.as_str().to_owned())
            .or_default()
            .callers
            .insert(caller);
    }

    /// The statements of a credentials value's role, which must be one placeholder the
    /// module can fill.
    fn role(
        &mut self,
        role: &TemplateValue,
        label: &str,
        problems: &mut Vec<String>,
    ) -> &mut Vec<Statement> {
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
        &mut self.roles.entry(name).or_default().statements
    }

    /// A direct service action: its statements on its role, each resource as an ARN.
    fn service(&mut self, action: &ServiceAction<'_>, label: &str, problems: &mut Vec<String>) {
        let Some(role) = action.role() else {
            return;
        };
        let region = action
            .region()
            .map_or_else(|| REGION.to_owned(), |region| spec_text(region.as_str()));
        let resource = match resource_arn(action.resource(), &region) {
            Ok((resource, wider)) => {
                if let Some(wider) = wider {
                    self.warnings.push(format!("{label}: {wider}"));
                }
                Some(resource)
            }
            Err(Derived(key, expression)) if !key.is_empty() => {
                self.derived_arns.insert(key.clone(), expression);
                Some(format!("local.service_arns.{key}"))
            }
            Err(Derived(_, why)) => {
                self.warnings.push(format!(
                    "{label}: the module cannot name {why}, so it creates no role for it: pass the role's ARN in the role's variable"
                ));
                None
            }
        };
        let statements = self.role(role, label, problems);
        let Some(resource) = resource else {
            if let Some(name) = role
                .placeholders()
                .ok()
                .and_then(|names| names.first().copied())
            {
                let name = name.to_owned();
                self.roles
                    .entry(name)
                    .or_default()
                    .unnamed
                    .push(label.to_owned());
            }
            return;
        };
        for name in action.actions() {
            // ListObjects acts on the bucket, the object actions on the objects.
            statements.push(Statement {
                user: label.to_owned(),
                action: name.clone(),
                resource: resource.clone(),
            });
        }
    }
}

/// The action of a Lambda integration or authorizer invoked through a role.
pub(crate) const LAMBDA_INVOKE: &str = "lambda:InvokeFunction";

/// The IAM resource ARN of a service action's resource, as an HCL expression, and why
/// it is wider than the route needs (when it is); or what cannot be named.
fn resource_arn(
    resource: &ServiceResource<'_>,
    region: &str,
) -> Result<(String, Option<String>), Derived> {
    let unnamed = |what: String| Derived(String::new(), what);
    let quoted = |text: String| format!("\"{text}\"");
    Ok(match resource {
        ServiceResource::Queue(Queue::Path { account, name }) => (
            quoted(format!(
                "arn:{PARTITION}:sqs:{region}:{}:{}",
                spec_text(account.as_str()),
                spec_text(name.as_str())
            )),
            None,
        ),
        ServiceResource::Queue(Queue::Url(url)) => {
            // https://sqs.REGION.amazonaws.com/ACCOUNT/NAME → the queue's ARN.
            return Err(Derived(
                local_key("queue", url.as_str()),
                format!(
                    "replace(\"{}\", \"/^https:\\\\/\\\\/sqs\\\\.([^.]+)\\\\.amazonaws\\\\.com\\\\/([^\\\\/]+)\\\\/([^\\\\/]+)$/\", \"arn:{PARTITION}:sqs:$1:$2:$3\")",
                    spec_text(url.as_str())
                ),
            ));
        }
        ServiceResource::Topic(arn) | ServiceResource::StateMachine(arn) => {
            (quoted(spec_text(arn.as_str())), None)
        }
        ServiceResource::Bucket {
            bucket,
            key_prefix,
            key,
            ..
        } => {
            let (bucket, wider) = match bucket {
                PathPart::Fixed(name) => (spec_text(name.as_str()), None),
                PathPart::Param(param) => (
                    "*".to_owned(),
                    Some(format!(
                        "the bucket is the request's `{{{param}}}`, so the role may use every bucket of the account (`arn:aws:s3:::*`); name the bucket to narrow it"
                    )),
                ),
                _ => return Err(unnamed("the bucket".to_owned())),
            };
            let path = match key {
                None => String::new(),
                Some(PathPart::Fixed(key)) => {
                    format!(
                        "/{}{}",
                        crate::terraform::hcl::literal(key_prefix),
                        spec_text(key.as_str())
                    )
                }
                Some(PathPart::Param(_)) => {
                    format!("/{}*", crate::terraform::hcl::literal(key_prefix))
                }
                Some(_) => return Err(unnamed("the object key".to_owned())),
            };
            (
                quoted(format!("arn:{PARTITION}:s3:::{bucket}{path}")),
                wider,
            )
        }
        ServiceResource::EventBus(None) => (
            quoted(format!(
                "arn:{PARTITION}:events:{region}:{ACCOUNT}:event-bus/default"
            )),
            None,
        ),
        ServiceResource::EventBus(Some(bus)) => {
            // A name or an ARN.
            let key = local_key("bus", bus.as_str());
            let bus = spec_text(bus.as_str());
            return Err(Derived(
                key,
                format!(
                    "can(regex(\"^arn:\", \"{bus}\")) ? \"{bus}\" : \"arn:{PARTITION}:events:{region}:{ACCOUNT}:event-bus/{bus}\""
                ),
            ));
        }
        ServiceResource::Table { name, index, .. } => {
            let index = index
                .map(|index| format!("/index/{}", crate::terraform::hcl::literal(index)))
                .unwrap_or_default();
            (
                quoted(format!(
                    "arn:{PARTITION}:dynamodb:{region}:{ACCOUNT}:table/{}{index}",
                    spec_text(name.as_str())
                )),
                None,
            )
        }
        ServiceResource::Uri(uri) => {
            return Err(unnamed(format!(
                "the action and resource of the generic `aws` integration `{}`",
                uri.as_str()
            )));
        }
        _ => return Err(unnamed("this service resource".to_owned())),
    })
}

/// An ARN Terraform derives (`local.service_arns` key, expression); with an empty key,
/// what the module cannot name.
struct Derived(String, String);

/// A `local.service_arns` key: `prefix_` and the value's identifier characters.
fn local_key(prefix: &str, value: &str) -> String {
    let mut key = format!("{prefix}_");
    for c in value.chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c.to_ascii_lowercase());
        } else if !key.ends_with('_') {
            key.push('_');
        }
    }
    key.trim_end_matches('_').to_owned()
}

/// A template value as the inside of an HCL quoted template: literal text escaped, each
/// placeholder `${local.spec_vars.NAME}`.
pub(crate) fn spec_text(value: &str) -> String {
    const OPEN: char = '\u{E000}';
    const CLOSE: char = '\u{E001}';
    let marked = TemplateValue::from(value).render(|name| format!("{OPEN}{name}{CLOSE}"));
    crate::terraform::hcl::literal(&marked)
        .replace(OPEN, "${local.spec_vars.")
        .replace(CLOSE, "}")
}

/// `LambdaInvokeUri` → `a lambda invoke uri` (for messages).
fn kind_words(kind: ValueKind) -> String {
    let name = format!("{kind:?}");
    let mut words = String::from("a");
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            words.push(' ');
        }
        words.push(c.to_ascii_lowercase());
    }
    words
}

/// Whether `text` (a rendered template) holds the placeholder `${name}` unescaped.
fn holds_placeholder(text: &str, name: &str) -> bool {
    let needle = format!("${{{name}}}");
    text.match_indices(&needle)
        .any(|(at, _)| !text[..at].ends_with('$'))
}
