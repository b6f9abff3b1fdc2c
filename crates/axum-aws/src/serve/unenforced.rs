//! Declared auth that this process does not check when built without the `enforce`
//! feature: the routes to name in the start-up log.

use crate::RouteMeta;
use crate::auth::{Authorizer, Grant, Security};

/// `METHOD /path (what it declares)` for each route of `routes` that declares auth.
pub(super) fn declared_auth(routes: &[RouteMeta]) -> Vec<String> {
    routes
        .iter()
        .filter_map(|route| {
            let security = route
                .security
                .as_ref()
                .filter(|security| !security.is_public())?;
            Some(format!(
                "{} {} ({})",
                route.method,
                route.path,
                describe(security)
            ))
        })
        .collect()
}

/// `Cognito authorizer "users"`, `API key and Lambda authorizer "admin"`, … with ` or `
/// between alternatives.
fn describe(security: &Security) -> String {
    let requirement = |grants: &[Grant]| {
        grants
            .iter()
            .map(|grant| match &grant.authorizer {
                Authorizer::Cognito(cognito) => format!("Cognito authorizer {:?}", cognito.name),
                Authorizer::Jwt(jwt) => format!("JWT authorizer {:?}", jwt.name),
                Authorizer::Lambda(lambda) => format!("Lambda authorizer {:?}", lambda.name),
                Authorizer::ApiKey => "API key".to_owned(),
                Authorizer::Iam => "IAM (SigV4)".to_owned(),
                other => format!("authorizer {:?}", other.name()),
            })
            .collect::<Vec<_>>()
            .join(" and ")
    };
    security
        .alternatives
        .iter()
        .filter(|alternative| !alternative.all.is_empty())
        .map(|alternative| requirement(&alternative.all))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// Logs, once at start-up, the routes whose declared auth is not checked in this mode.
pub(super) fn log(routes: &[String], lambda: bool) {
    if routes.is_empty() {
        return;
    }
    let routes = routes.join(", ");
    if lambda {
        lambda_http::tracing::warn!(
            %routes,
            "declared auth is not enforced by this function: API Gateway checks it for REST and HTTP API events, but Function URL and ALB events reach these routes unchecked"
        );
    } else {
        lambda_http::tracing::warn!(
            %routes,
            "declared auth is not enforced when served locally or in a container: every request reaches these routes unchecked"
        );
    }
}
