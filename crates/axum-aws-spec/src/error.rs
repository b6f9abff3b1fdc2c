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
    /// A throttle that lets nothing through (a rate or burst of zero or less).
    Throttle,
}

/// One problem in a router's declarations.
///
/// Displayed as `METHOD /path: message` (or just the message for API-level problems).
///
/// ```
/// use axum_aws::{routing::get, AwsRouter, ErrorKind, Info};
///
/// let router: AwsRouter = AwsRouter::new().route("/a/x-{id}", get(|| async { "hi" }));
/// let errors = router.spec(Info::new("demo", "1")).render_private().unwrap_err();
/// let error = &errors.errors()[0];
/// assert_eq!(error.route(), Some("GET /a/x-{id}"));
/// assert_eq!(error.kind(), ErrorKind::Path);
/// assert!(error.message().starts_with("path segment \"x-{id}\""));
/// assert_eq!(error.to_string(), format!("GET /a/x-{{id}}: {}", error.message()));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SpecError {
    route: Option<String>,
    kind: ErrorKind,
    message: String,
}

impl SpecError {
    pub(crate) fn new(route: Option<String>, kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            route,
            kind,
            message: message.into(),
        }
    }

    /// `METHOD /path` of the route, if the problem belongs to one.
    pub fn route(&self) -> Option<&str> {
        self.route.as_deref()
    }

    /// What kind of problem it is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Lowercase text that quotes the offending value (without the route).
    pub fn message(&self) -> &str {
        &self.message
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
#[non_exhaustive]
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

/// A JSON document a constructor refused: a value that does not serialize to JSON, JSON
/// text that does not parse, or a document of the wrong shape
/// ([`ResourcePolicy::from_json`](crate::ResourcePolicy::from_json),
/// [`Schema::from_serialize`](crate::doc::Schema::from_serialize)).
///
/// ```
/// let error = axum_aws_spec::ResourcePolicy::from_json("{").unwrap_err();
/// assert!(error.to_string().starts_with("the resource policy is not json: "));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct InvalidDocument {
    message: String,
}

impl InvalidDocument {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for InvalidDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for InvalidDocument {}

impl IntoIterator for SpecErrors {
    type Item = SpecError;
    type IntoIter = std::vec::IntoIter<SpecError>;

    fn into_iter(self) -> Self::IntoIter {
        self.errors.into_iter()
    }
}
