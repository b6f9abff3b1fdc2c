//! Lambda integrations: proxy (`aws_proxy`) and custom (`aws`), sync or async.

use serde::{Deserialize, Serialize};

use super::{Integration, IntegrationOptions, shared_knobs};
use crate::TemplateValue;
use crate::value_kind::Knob;

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

/// The event format API Gateway sends a Lambda function: 1.0 (REST APIs, and HTTP APIs
/// on request) or 2.0 (HTTP APIs' default here).
///
/// Reference: [payload format versions](https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html#http-api-develop-integrations-lambda.proxy-format).
///
/// ```
/// use axum_aws::integration::PayloadFormat;
///
/// assert_eq!(PayloadFormat::V2.as_str(), "2.0");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum PayloadFormat {
    /// `1.0`: the REST API proxy event (`httpMethod`, `multiValueHeaders`, …).
    #[serde(rename = "1.0")]
    V1,
    /// `2.0`: the HTTP API event (`routeKey`, `rawPath`, `cookies`, …).
    #[serde(rename = "2.0")]
    V2,
}

impl PayloadFormat {
    /// `"1.0"` or `"2.0"`, as API Gateway spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::V1 => "1.0",
            Self::V2 => "2.0",
        }
    }
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
#[must_use]
pub struct LambdaProxy {
    /// The invocation URI.
    pub uri: TemplateValue,
    /// The event format (`None`: 1.0 on REST APIs, 2.0 on HTTP APIs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload_format: Option<PayloadFormat>,
    /// Shared knobs.
    #[serde(default, flatten)]
    pub options: IntegrationOptions,
}

impl LambdaProxy {
    /// A proxy integration to the function behind `invoke_arn`.
    pub fn new(invoke_arn: impl Into<TemplateValue>) -> Self {
        Self {
            uri: invoke_arn.into(),
            payload_format: None,
            options: IntegrationOptions::default(),
        }
    }

    /// The event format an HTTP API sends (`payloadFormatVersion`; 2.0 unless set).
    /// REST APIs only send 1.0, so 2.0 is an error there.
    ///
    /// ```
    /// use axum_aws::integration::{LambdaProxy, PayloadFormat};
    ///
    /// let v1 = LambdaProxy::new("${api_invoke_arn}").payload_format(PayloadFormat::V1);
    /// assert_eq!(v1.payload_format, Some(PayloadFormat::V1));
    /// ```
    pub fn payload_format(mut self, format: PayloadFormat) -> Self {
        self.payload_format = Some(format);
        self
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
#[must_use]
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

impl LambdaProxy {
    /// Calls `visit` with each template value and the knob it is.
    pub(crate) fn visit_knobs(&self, visit: &mut dyn FnMut(Knob, &TemplateValue)) {
        // Every field named: a new one does not compile until it is classified.
        let Self {
            uri,
            payload_format: _,
            options,
        } = self;
        visit(Knob::LambdaProxyUri, uri);
        options.visit_knobs(visit);
    }
}

impl Lambda {
    /// Calls `visit` with each template value and the knob it is.
    pub(crate) fn visit_knobs(&self, visit: &mut dyn FnMut(Knob, &TemplateValue)) {
        // Every field named: a new one does not compile until it is classified.
        let Self {
            uri,
            asynchronous: _,
            options,
        } = self;
        visit(Knob::LambdaUri, uri);
        options.visit_knobs(visit);
    }
}
