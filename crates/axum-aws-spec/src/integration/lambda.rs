//! Lambda integrations: proxy (`aws_proxy`) and custom (`aws`), sync or async.

use serde::{Deserialize, Serialize};

use super::{Integration, IntegrationOptions, shared_knobs};
use crate::TemplateValue;

/// Builds a Lambda invocation URI from a region and a function ARN.
fn invocation_uri(
    region: impl Into<TemplateValue>,
    function_arn: impl Into<TemplateValue>,
) -> TemplateValue {
    format!(
        "arn:aws:apigateway:{}:lambda:path/2015-03-31/functions/{}/invocations",
        region.into(),
        function_arn.into()
    )
    .into()
}

/// Lambda proxy integration (`aws_proxy`, `httpMethod: POST`): the function gets the
/// whole request as an API Gateway proxy event and answers with a proxy response.
///
/// `invoke_arn` is the invocation URI — Terraform's `aws_lambda_function.x.invoke_arn`.
///
/// ```
/// use axum_aws::integration::LambdaProxy;
/// use std::time::Duration;
///
/// let by_invoke_arn = LambdaProxy::new("${users_invoke_arn}").timeout(Duration::from_secs(10));
/// let by_function_arn = LambdaProxy::function("${region}", "${users_function_arn}");
/// assert_eq!(by_function_arn.uri.as_str(),
///     "arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${users_function_arn}/invocations");
/// # let _ = by_invoke_arn;
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LambdaProxy {
    /// The invocation URI.
    pub uri: TemplateValue,
    /// Shared knobs.
    #[serde(default, flatten)]
    pub options: IntegrationOptions,
}

impl LambdaProxy {
    /// A proxy integration to the function behind `invoke_arn`.
    pub fn new(invoke_arn: impl Into<TemplateValue>) -> Self {
        Self {
            uri: invoke_arn.into(),
            options: IntegrationOptions::default(),
        }
    }

    /// A proxy integration built from a region and a function ARN (or `function:alias` ARN).
    pub fn function(
        region: impl Into<TemplateValue>,
        function_arn: impl Into<TemplateValue>,
    ) -> Self {
        Self::new(invocation_uri(region, function_arn))
    }
}

shared_knobs!(LambdaProxy);

impl From<LambdaProxy> for Integration {
    fn from(value: LambdaProxy) -> Self {
        Self::LambdaProxy(value)
    }
}

/// Lambda custom integration (`aws`): request templates build the function's input,
/// integration responses map its output or `errorMessage` to method responses.
///
/// ```
/// use axum_aws::integration::{IntegrationResponse, Lambda};
///
/// let report = Lambda::new("${report_invoke_arn}")
///     .request_template("application/json", r#"{"id": "$input.params('id')"}"#)
///     .response(IntegrationResponse::default_status(200))
///     .response(IntegrationResponse::new(".*not found.*", 404))
///     .asynchronous();
/// assert!(report.asynchronous);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Lambda {
    /// The invocation URI.
    pub uri: TemplateValue,
    /// Invoke with `X-Amz-Invocation-Type: Event` (fire and forget; API Gateway answers at once).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub asynchronous: bool,
    /// Shared knobs.
    #[serde(default, flatten)]
    pub options: IntegrationOptions,
}

impl Lambda {
    /// A custom integration to the function behind `invoke_arn`.
    pub fn new(invoke_arn: impl Into<TemplateValue>) -> Self {
        Self {
            uri: invoke_arn.into(),
            asynchronous: false,
            options: IntegrationOptions::default(),
        }
    }

    /// A custom integration built from a region and a function ARN.
    pub fn function(
        region: impl Into<TemplateValue>,
        function_arn: impl Into<TemplateValue>,
    ) -> Self {
        Self::new(invocation_uri(region, function_arn))
    }

    /// Invokes the function asynchronously (`X-Amz-Invocation-Type: 'Event'`).
    pub fn asynchronous(mut self) -> Self {
        self.asynchronous = true;
        self
    }
}

shared_knobs!(Lambda);

impl From<Lambda> for Integration {
    fn from(value: Lambda) -> Self {
        Self::Lambda(value)
    }
}
