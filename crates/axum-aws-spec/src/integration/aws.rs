//! Direct AWS-service integrations (`aws`): API Gateway calls the service itself.

use serde::{Deserialize, Serialize};

use super::{Integration, IntegrationOptions, shared_knobs};
use crate::resolved::{ServiceAction, ServiceResource};
use crate::value_kind::Knob;
use crate::{Method, TemplateValue};

/// A call to an AWS service action or path, with an execution role.
///
/// Service-specific builders produce one of these; use it directly for services
/// without a builder.
///
/// ```
/// use axum_aws::{integration::AwsService, Method};
///
/// let put = AwsService::action("${region}", "kinesis", "PutRecord")
///     .credentials("${apigw_kinesis_role_arn}")
///     .request_template("application/json", r#"{"StreamName": "${stream}", "Data": "$util.base64Encode($input.body)", "PartitionKey": "$context.requestId"}"#);
/// assert_eq!(put.uri.as_str(), "arn:aws:apigateway:${region}:kinesis:action/PutRecord");
/// assert_eq!(put.method, Method::Post);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct AwsService {
    /// `arn:aws:apigateway:{region}:{service}:{action|path}/…`
    pub uri: TemplateValue,
    /// Method of the service request.
    pub method: Method,
    /// Shared knobs.
    #[serde(default, flatten)]
    pub options: IntegrationOptions,
}

impl AwsService {
    /// Calls `uri` with `method`.
    pub fn new(method: Method, uri: impl Into<TemplateValue>) -> Self {
        Self {
            uri: uri.into(),
            method,
            options: IntegrationOptions::default(),
        }
    }

    /// Calls `action` of `service` (`POST arn:aws:apigateway:{region}:{service}:action/{action}`).
    pub fn action(region: impl Into<TemplateValue>, service: &str, action: &str) -> Self {
        Self::new(
            Method::Post,
            format!(
                "arn:aws:apigateway:{}:{service}:action/{action}",
                region.into()
            ),
        )
    }

    /// Calls a path-style API of `service` (`arn:aws:apigateway:{region}:{service}:path/{path}`).
    pub fn path(
        method: Method,
        region: impl Into<TemplateValue>,
        service: &str,
        path: impl Into<TemplateValue>,
    ) -> Self {
        Self::new(
            method,
            format!(
                "arn:aws:apigateway:{}:{service}:path/{}",
                region.into(),
                path.into()
            ),
        )
    }
}

shared_knobs!(AwsService);

impl From<AwsService> for Integration {
    fn from(value: AwsService) -> Self {
        Self::AwsService(value)
    }
}

impl AwsService {
    /// Calls `visit` with each template value and the knob it is.
    pub(crate) fn visit_knobs(&self, visit: &mut dyn FnMut(Knob, &TemplateValue)) {
        // Every field named: a new one does not compile until it is classified.
        let Self {
            uri,
            method: _,
            options,
        } = self;
        visit(Knob::AwsServiceUri, uri);
        options.visit_knobs(visit);
    }
}

impl AwsService {
    /// What the call does, for IAM: `service:Action` when the URI names an action
    /// (`…:SERVICE:action/ACTION`), nothing for a path-style call.
    pub(crate) fn service_action(&self) -> ServiceAction<'_> {
        let uri = self.uri.as_str();
        // arn:aws:apigateway:REGION:SERVICE:action/ACTION
        let mut parts = uri.splitn(6, ':').skip(4);
        let action = match (parts.next(), parts.next()) {
            (Some(service), Some(rest)) => rest.strip_prefix("action/").map(|action| {
                format!(
                    "{service}:{}",
                    action.split(['&', '?']).next().unwrap_or(action)
                )
            }),
            _ => None,
        };
        ServiceAction {
            actions: action.into_iter().collect(),
            resource: ServiceResource::Uri(&self.uri),
            region: None,
            role: self.options.credentials.as_ref(),
        }
    }
}
