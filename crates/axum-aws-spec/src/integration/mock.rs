//! Mock integrations: API Gateway answers by itself.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Integration, IntegrationOptions, shared_knobs};
use crate::TemplateValue;
use crate::value_kind::Knob;

/// A response made up by API Gateway, with no backend.
///
/// ```
/// use axum_aws::integration::Mock;
///
/// let maintenance = Mock::new(503)
///     .header("Retry-After", "120")
///     .body("application/json", r#"{"message": "back soon"}"#);
/// assert_eq!(maintenance.status, 503);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct Mock {
    /// Status code of the response.
    pub status: u16,
    /// Static response headers (plain values, quoted for API Gateway when rendered).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, TemplateValue>,
    /// Response body templates by content type.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub bodies: BTreeMap<String, TemplateValue>,
    /// Shared knobs.
    #[serde(default, flatten)]
    pub options: IntegrationOptions,
}

impl Mock {
    /// A mock that answers `status` with an empty body.
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: BTreeMap::new(),
            bodies: BTreeMap::new(),
            options: IntegrationOptions::default(),
        }
    }

    /// Adds a static response header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<TemplateValue>) -> Self {
        self.headers.insert(name.into(), value.into());
        self
    }

    /// Sets the body for a content type (a response template: `$context` works).
    pub fn body(mut self, content_type: impl Into<String>, body: impl Into<TemplateValue>) -> Self {
        self.bodies.insert(content_type.into(), body.into());
        self
    }
}

shared_knobs!(Mock);

impl From<Mock> for Integration {
    fn from(value: Mock) -> Self {
        Self::Mock(value)
    }
}

impl Mock {
    /// Calls `visit` with each template value and the knob it is.
    pub(crate) fn visit_knobs(&self, visit: &mut dyn FnMut(Knob, &TemplateValue)) {
        // Every field named: a new one does not compile until it is classified.
        let Self {
            status: _,
            headers,
            bodies,
            options,
        } = self;
        headers.values().for_each(|v| visit(Knob::MockHeader, v));
        bodies.values().for_each(|v| visit(Knob::MockBody, v));
        options.visit_knobs(visit);
    }
}
