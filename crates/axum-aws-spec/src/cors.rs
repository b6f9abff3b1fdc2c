//! One CORS policy, used twice: rendered as OPTIONS mocks and gateway-response headers in
//! the private spec, and served by tower-http's `CorsLayer` in the running router.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::{Method, TemplateValue};

/// API Gateway console's default list of allowed request headers ([`Cors::new`]'s). A
/// slice, not an array: its length is not part of the API.
///
/// ```
/// assert!(axum_aws_spec::DEFAULT_ALLOW_HEADERS.contains(&"Authorization"));
/// ```
pub const DEFAULT_ALLOW_HEADERS: &[&str] = &[
    "Content-Type",
    "X-Amz-Date",
    "Authorization",
    "X-Api-Key",
    "X-Amz-Security-Token",
];

/// A CORS policy for a router or a route.
///
/// Allowed methods default to the methods actually declared on each path.
/// Origins may be Terraform placeholders (`${cors_origin}`); the served router reads
/// those from the environment variable of the same name in upper case (`CORS_ORIGIN`).
///
/// ```
/// use axum_aws::Cors;
/// use std::time::Duration;
///
/// let cors = Cors::new()
///     .allow_origin("https://app.example.com")
///     .allow_headers(["Content-Type", "Authorization"])
///     .expose_headers(["X-Request-Id"])
///     .max_age(Duration::from_secs(600))
///     .allow_credentials(true);
/// assert_eq!(cors.origins().len(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct Cors {
    /// Allowed origins; `*` allows any.
    pub(crate) allow_origins: Vec<TemplateValue>,
    /// Allowed methods; `None` = the methods declared on the path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) allow_methods: Option<Vec<Method>>,
    /// Allowed request headers.
    pub(crate) allow_headers: Vec<String>,
    /// Response headers the browser may read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) expose_headers: Vec<String>,
    /// How long a browser may cache the preflight answer, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) max_age_seconds: Option<u64>,
    /// Whether credentials (cookies, auth headers) may be sent.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) allow_credentials: bool,
}

impl Default for Cors {
    fn default() -> Self {
        Self::new()
    }
}

impl Cors {
    /// Any origin (`*`), the console's default headers, methods from the path.
    ///
    /// ```
    /// use axum_aws_spec::{Cors, DEFAULT_ALLOW_HEADERS};
    ///
    /// let cors = Cors::new();
    /// assert!(cors.any_origin());
    /// assert_eq!(cors.headers(), DEFAULT_ALLOW_HEADERS);
    /// assert_eq!(cors.methods(), None);
    /// ```
    pub fn new() -> Self {
        Self {
            allow_origins: vec!["*".into()],
            allow_methods: None,
            allow_headers: DEFAULT_ALLOW_HEADERS
                .iter()
                .map(|h| (*h).to_owned())
                .collect(),
            expose_headers: Vec::new(),
            max_age_seconds: None,
            allow_credentials: false,
        }
    }

    /// Allows exactly this origin (replacing earlier calls). A `${placeholder}` origin is
    /// set at deployment (and read from the environment when served).
    ///
    /// ```
    /// let cors = axum_aws_spec::Cors::new().allow_origin("${app_origin}");
    /// assert_eq!(cors.origins()[0].as_str(), "${app_origin}");
    /// assert!(!cors.any_origin());
    /// ```
    pub fn allow_origin(self, origin: impl Into<TemplateValue>) -> Self {
        self.allow_origins([origin])
    }

    /// Allows exactly these origins (replacing earlier calls).
    ///
    /// ```
    /// let cors = axum_aws_spec::Cors::new()
    ///     .allow_origin("https://old.example.com")
    ///     .allow_origins(["https://app.example.com", "https://admin.example.com"]);
    /// let origins: Vec<&str> = cors.origins().iter().map(|o| o.as_str()).collect();
    /// assert_eq!(origins, ["https://app.example.com", "https://admin.example.com"]);
    /// ```
    pub fn allow_origins<O: Into<TemplateValue>>(
        mut self,
        origins: impl IntoIterator<Item = O>,
    ) -> Self {
        self.allow_origins = origins.into_iter().map(Into::into).collect();
        self
    }

    /// Allows exactly these methods, instead of the methods declared on each path.
    ///
    /// ```
    /// use axum_aws_spec::{Cors, Method};
    ///
    /// let cors = Cors::new().allow_methods([Method::Get, Method::Post]);
    /// assert_eq!(cors.methods(), Some(&[Method::Get, Method::Post][..]));
    /// ```
    pub fn allow_methods(mut self, methods: impl IntoIterator<Item = Method>) -> Self {
        self.allow_methods = Some(methods.into_iter().collect());
        self
    }

    /// Allows exactly these request headers (replacing the default list).
    ///
    /// ```
    /// let cors = axum_aws_spec::Cors::new().allow_headers(["Content-Type", "Authorization"]);
    /// assert_eq!(cors.headers(), ["Content-Type", "Authorization"]);
    /// ```
    pub fn allow_headers<H: Into<String>>(mut self, headers: impl IntoIterator<Item = H>) -> Self {
        self.allow_headers = headers.into_iter().map(Into::into).collect();
        self
    }

    /// Lets the browser read these response headers (replacing earlier calls).
    ///
    /// ```
    /// let cors = axum_aws_spec::Cors::new().expose_headers(["X-Request-Id"]);
    /// assert_eq!(cors.exposed_headers(), ["X-Request-Id"]);
    /// ```
    pub fn expose_headers<H: Into<String>>(mut self, headers: impl IntoIterator<Item = H>) -> Self {
        self.expose_headers = headers.into_iter().map(Into::into).collect();
        self
    }

    /// Lets browsers cache preflight answers this long (whole seconds).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let cors = axum_aws_spec::Cors::new().max_age(Duration::from_secs(600));
    /// assert_eq!(cors.max_age_seconds(), Some(600));
    /// ```
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age_seconds = Some(max_age.as_secs());
        self
    }

    /// Allows credentials; incompatible with the `*` origin (an error when the spec is
    /// checked).
    ///
    /// ```
    /// let cors = axum_aws_spec::Cors::new().allow_origin("https://app.example.com").allow_credentials(true);
    /// assert!(cors.credentials());
    /// ```
    pub fn allow_credentials(mut self, allow: bool) -> Self {
        self.allow_credentials = allow;
        self
    }

    /// The allowed origins (`*` for any: see [`Cors::any_origin`]), placeholders as
    /// written.
    ///
    /// ```
    /// let cors = axum_aws_spec::Cors::new().allow_origins(["https://app.example.com", "${partner_origin}"]);
    /// assert_eq!(cors.origins()[1].as_str(), "${partner_origin}");
    /// ```
    pub fn origins(&self) -> &[TemplateValue] {
        &self.allow_origins
    }

    /// The allowed methods when set with [`Cors::allow_methods`]; `None`: each path's
    /// declared methods.
    ///
    /// ```
    /// use axum_aws_spec::{Cors, Method};
    ///
    /// assert_eq!(Cors::new().methods(), None);
    /// assert_eq!(Cors::new().allow_methods([Method::Get]).methods(), Some(&[Method::Get][..]));
    /// ```
    pub fn methods(&self) -> Option<&[Method]> {
        self.allow_methods.as_deref()
    }

    /// The allowed request headers.
    ///
    /// ```
    /// let cors = axum_aws_spec::Cors::new().allow_headers(["Content-Type"]);
    /// assert_eq!(cors.headers(), ["Content-Type"]);
    /// ```
    pub fn headers(&self) -> &[String] {
        &self.allow_headers
    }

    /// The response headers the browser may read.
    ///
    /// ```
    /// assert!(axum_aws_spec::Cors::new().exposed_headers().is_empty());
    /// ```
    pub fn exposed_headers(&self) -> &[String] {
        &self.expose_headers
    }

    /// How long browsers may cache a preflight answer, in seconds, when set.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// assert_eq!(axum_aws_spec::Cors::new().max_age_seconds(), None);
    /// let cors = axum_aws_spec::Cors::new().max_age(Duration::from_secs(300));
    /// assert_eq!(cors.max_age_seconds(), Some(300));
    /// ```
    pub fn max_age_seconds(&self) -> Option<u64> {
        self.max_age_seconds
    }

    /// Whether credentials (cookies, auth headers) may be sent.
    ///
    /// ```
    /// assert!(!axum_aws_spec::Cors::new().credentials());
    /// ```
    pub fn credentials(&self) -> bool {
        self.allow_credentials
    }

    /// Whether any origin is allowed.
    ///
    /// ```
    /// use axum_aws_spec::Cors;
    ///
    /// assert!(Cors::new().any_origin());
    /// assert!(!Cors::new().allow_origin("https://app.example.com").any_origin());
    /// ```
    pub fn any_origin(&self) -> bool {
        self.allow_origins.iter().any(|o| o.as_str() == "*")
    }

    /// Problems that make this policy unusable, lowercase, quoting the bad value.
    pub(crate) fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.allow_credentials && self.any_origin() {
            problems.push(
                "CORS allows credentials with origin \"*\"; browsers reject that: list the allowed origins".to_owned(),
            );
        }
        if self.allow_origins.is_empty() {
            problems.push("CORS allows no origin; add one with `allow_origin`".to_owned());
        }
        // Each origin's shape is the value kind's check (`Knob::CorsOrigin`), run on
        // every template value of the model.
        for header in self.allow_headers.iter().chain(&self.expose_headers) {
            if header.is_empty()
                || !header
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b))
            {
                problems.push(format!("CORS header {header:?} is not a valid header name"));
            }
        }
        problems
    }

    /// Allowed methods on a path whose declared methods are `declared`, OPTIONS included,
    /// comma-separated in a stable order.
    pub fn methods_header(&self, declared: &[Method]) -> String {
        let mut methods: Vec<Method> = match &self.allow_methods {
            Some(methods) => methods.clone(),
            None => declared.to_vec(),
        };
        if methods.contains(&Method::Any) {
            methods = Method::CONCRETE.to_vec();
        }
        methods.push(Method::Options);
        methods.sort();
        methods.dedup();
        methods
            .iter()
            .map(|m| m.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
}
