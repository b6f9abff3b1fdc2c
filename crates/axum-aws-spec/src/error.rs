//! Errors found while building a spec: all of them at once, each naming its route.

use std::fmt;

/// What kind of problem a [`SpecError`] is, for callers that react to some of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A path API Gateway cannot import.
    Path,
    /// Two paths API Gateway cannot hold together.
    PathConflict,
    /// A `${…}` that is not a Terraform identifier.
    Placeholder,
    /// A route with no integration, and no router default.
    MissingIntegration,
    /// An invalid or contradictory integration setting.
    Integration,
    /// An invalid or contradictory authorizer.
    Authorizer,
    /// An invalid or contradictory CORS policy.
    Cors,
    /// A schema or model problem (e.g. two model names that collide).
    Schema,
    /// An invalid API-level setting.
    Setting,
    /// Something the target gateway cannot express.
    Unsupported,
    /// Route docs that contradict the route (a `.doc::<P>()` item for another method
    /// or path, a documented path parameter the path does not have).
    Doc,
}

/// One problem in a router's declarations.
///
/// Displayed as `METHOD /path: message` (or just the message for API-level problems).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecError {
    /// `METHOD /path` of the route, if the problem belongs to one.
    pub route: Option<String>,
    /// What kind of problem it is.
    pub kind: ErrorKind,
    /// Lowercase text that quotes the offending value.
    pub message: String,
}

impl SpecError {
    pub(crate) fn new(route: Option<String>, kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            route,
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.route {
            Some(route) => write!(f, "{route}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for SpecError {}

/// Every problem found while building a spec, in route order.
///
/// ```
/// use axum_aws::{routing::get, AwsRouter, Info};
///
/// let router: AwsRouter = AwsRouter::new().route("/a/x-{id}", get(|| async { "hi" }));
/// let err = router.spec(Info::new("demo", "1")).render_private().unwrap_err();
/// assert!(err.to_string().contains("GET /a/x-{id}"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecErrors {
    errors: Vec<SpecError>,
}

impl SpecErrors {
    pub(crate) fn from_vec(errors: Vec<SpecError>) -> Result<(), Self> {
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Self { errors })
        }
    }

    /// The individual problems.
    pub fn errors(&self) -> &[SpecError] {
        &self.errors
    }
}

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.errors.len();
        write!(
            f,
            "{count} problem{} in the router:",
            if count == 1 { "" } else { "s" }
        )?;
        for error in &self.errors {
            write!(f, "\n  - {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecErrors {}

impl IntoIterator for SpecErrors {
    type Item = SpecError;
    type IntoIter = std::vec::IntoIter<SpecError>;

    fn into_iter(self) -> Self::IntoIter {
        self.errors.into_iter()
    }
}
