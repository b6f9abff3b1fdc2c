//! The one start-up summary: which routes are enforced how, what is not emulated, and
//! what to configure.

use std::fmt::Write as _;

use lambda_http::tracing;

use super::config::{
    ALLOW_IAM_ENV, API_KEYS_ENV, API_KEYS_FILE_ENV, EMULATE_ENV, Resolved, TRUST_UPSTREAM_ENV,
};

/// What a gateway does that this process never emulates.
const NOT_EMULATED: &str = "usage plans (throttling, quotas), resource policies, WAF, SigV4 signature checks, mapping templates (VTL), stage variables";

#[derive(Debug, Default)]
pub(crate) struct Summary {
    header: String,
    trust_upstream: bool,
    trust_from: &'static str,
    routes: Vec<String>,
    /// Configuration to fix, models that do not compile, paths not emulated.
    pub(crate) problems: Vec<String>,
}

impl Summary {
    pub(crate) fn new(resolved: &Resolved) -> Self {
        Self {
            header: format!(
                "emulating {} (from {}; set {EMULATE_ENV}=rest|http-api|kong to change)",
                resolved.gateway, resolved.gateway_from
            ),
            trust_upstream: resolved.trust_upstream,
            trust_from: resolved.trust_from,
            routes: Vec::new(),
            problems: resolved.problems.clone(),
        }
    }

    /// The note of an API key requirement.
    pub(crate) fn api_key(&self, resolved: &Resolved) -> String {
        match &resolved.api_keys_from {
            Some(from) => format!("API key ({} keys from {from})", resolved.api_keys.len()),
            None => format!(
                "API key: NO KEYS CONFIGURED, every request is refused; set {API_KEYS_ENV}=key1,key2 or {API_KEYS_FILE_ENV}=path"
            ),
        }
    }

    /// The note of an IAM requirement.
    pub(crate) fn iam(&self, resolved: &Resolved) -> String {
        if resolved.allow_iam {
            format!("IAM (SigV4): NOT VERIFIED, let through ({ALLOW_IAM_ENV})")
        } else {
            format!(
                "IAM (SigV4): cannot be verified without AWS, every request is refused (403); set {ALLOW_IAM_ENV}=1 to let them through"
            )
        }
    }

    pub(crate) fn route(&mut self, label: &str, notes: &[String]) {
        if notes.is_empty() {
            self.routes.push(format!("  {label}: public"));
        } else {
            self.routes.push(format!("  {label}: {}", notes.join("; ")));
        }
    }

    /// The summary's text (`lambda`: as a Lambda function).
    pub(crate) fn text(&self, lambda: bool) -> String {
        let mut text = String::new();
        if self.trust_upstream {
            let _ = write!(
                text,
                "declared auth, validators and mocks are NOT enforced: a gateway in front enforces them (trust upstream, from {}; unset {TRUST_UPSTREAM_ENV} to enforce here)",
                self.trust_from
            );
            return text;
        }
        let _ = writeln!(text, "{}", self.header);
        if lambda {
            let _ = writeln!(
                text,
                "API Gateway REST and HTTP API events: enforced by the gateway, not again here (a route with an authorizer whose event has no authorizer context is refused); Function URL and ALB events: enforced here"
            );
        } else {
            let _ = writeln!(
                text,
                "every request is enforced here (behind a gateway that enforces, set {TRUST_UPSTREAM_ENV}=1)"
            );
        }
        for route in &self.routes {
            let _ = writeln!(text, "{route}");
        }
        let _ = write!(text, "not emulated: {NOT_EMULATED}");
        for problem in &self.problems {
            let _ = write!(text, "\nto configure: {problem}");
        }
        text
    }

    pub(crate) fn log(&self, lambda: bool) {
        let summary = self.text(lambda);
        if self.trust_upstream
            || self
                .routes
                .iter()
                .any(|route| route.contains("NOT") || route.contains("refused"))
            || !self.problems.is_empty()
        {
            tracing::warn!("gateway emulation:\n{summary}");
        } else {
            tracing::info!("gateway emulation:\n{summary}");
        }
    }
}
