//! HTTP backends: `http_proxy` and `http`, over the internet or a VPC link.

use serde::{Deserialize, Serialize};

use super::{Integration, IntegrationOptions, shared_knobs};
use crate::value_kind::Knob;
use crate::{Method, TemplateValue};

/// An HTTP backend. Path parameters in `url` (`https://backend/items/{id}`) are
/// filled from the route's path parameters of the same name.
///
/// ```
/// use axum_aws::{integration::Http, Method};
///
/// // Everything under /files goes to a service in a VPC, reached through a VPC link.
/// let files = Http::proxy(Method::Any, "http://${nlb_dns_name}/files/{path}")
///     .vpc_link("${vpc_link_id}");
/// assert!(files.proxy);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct Http {
    /// Backend URL; `{name}` segments are mapped from path parameters.
    pub url: TemplateValue,
    /// Method of the backend request (`ANY` forwards the client's method).
    pub method: Method,
    /// `http_proxy` (pass through) rather than `http` (mapping templates).
    pub proxy: bool,
    /// VPC link id: the backend is private, reached through this link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_link: Option<TemplateValue>,
    /// Skip TLS certificate verification of the backend.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub insecure_skip_verification: bool,
    /// Shared knobs.
    #[serde(default, flatten)]
    pub options: IntegrationOptions,
}

impl Http {
    /// An `http_proxy` integration: request and response pass through.
    pub fn proxy(method: Method, url: impl Into<TemplateValue>) -> Self {
        Self {
            url: url.into(),
            method,
            proxy: true,
            vpc_link: None,
            insecure_skip_verification: false,
            options: IntegrationOptions::default(),
        }
    }

    /// An `http` (custom) integration: mapping templates and integration responses apply.
    pub fn custom(method: Method, url: impl Into<TemplateValue>) -> Self {
        Self {
            proxy: false,
            ..Self::proxy(method, url)
        }
    }

    /// Reaches the backend through a VPC link (`connectionType: VPC_LINK`).
    pub fn vpc_link(mut self, connection_id: impl Into<TemplateValue>) -> Self {
        self.vpc_link = Some(connection_id.into());
        self
    }

    /// Accepts any TLS certificate from the backend (self-signed test backends only).
    pub fn insecure_skip_verification(mut self) -> Self {
        self.insecure_skip_verification = true;
        self
    }
}

shared_knobs!(Http);

impl From<Http> for Integration {
    fn from(value: Http) -> Self {
        Self::Http(value)
    }
}

impl Http {
    /// Calls `visit` with each template value and the knob it is.
    pub(crate) fn visit_knobs(&self, visit: &mut dyn FnMut(Knob, &TemplateValue)) {
        // Every field named: a new one does not compile until it is classified.
        let Self {
            url,
            method: _,
            proxy: _,
            vpc_link,
            insecure_skip_verification: _,
            options,
        } = self;
        visit(Knob::HttpUrl, url);
        if let Some(vpc_link) = vpc_link {
            visit(Knob::HttpVpcLink, vpc_link);
        }
        options.visit_knobs(visit);
    }
}
