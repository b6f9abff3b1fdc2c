//! API-level settings: title and version, binary media types, validators, gateway responses, …

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{InvalidDocument, TemplateValue, Throttle};

/// The spec's `info`: title, version, description.
///
/// ```
/// let info = axum_aws::Info::new("Widgets", "1.2.0").description("Track widgets");
/// assert_eq!(info.title, "Widgets");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct Info {
    /// API title (API Gateway's API name when imported).
    pub title: String,
    /// API version.
    pub version: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Info {
    /// Title and version.
    ///
    /// ```
    /// let info = axum_aws_spec::Info::new("Widgets", "1.2.0");
    /// assert_eq!((info.title.as_str(), info.version.as_str()), ("Widgets", "1.2.0"));
    /// assert_eq!(info.description, None);
    /// ```
    pub fn new(title: impl Into<String>, version: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            version: version.into(),
            description: None,
        }
    }

    /// Sets the description.
    ///
    /// ```
    /// let info = axum_aws_spec::Info::new("Widgets", "1").description("Track widgets");
    /// assert_eq!(info.description.as_deref(), Some("Track widgets"));
    /// ```
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

/// Where API Gateway reads API keys from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum ApiKeySource {
    /// The `x-api-key` header.
    Header,
    /// `usageIdentifierKey` returned by a Lambda authorizer.
    Authorizer,
}

/// REST API endpoint type. API Gateway takes it from the import parameters, not
/// the document, so it reaches Terraform (`endpoint_configuration`) through `aws-spec`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum EndpointType {
    /// Regional endpoint.
    Regional,
    /// Edge-optimized (CloudFront) endpoint.
    Edge,
    /// Reachable from VPC endpoints only.
    Private,
}

/// Endpoint configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Endpoint {
    /// The endpoint type.
    pub kind: EndpointType,
    /// VPC endpoint ids (PRIVATE only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vpc_endpoint_ids: Vec<TemplateValue>,
    /// Turn off the default `execute-api` endpoint (custom domains only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disable_execute_api_endpoint: bool,
}

/// A request validator: what API Gateway checks before calling the integration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct RequestValidator {
    /// Validate the body against the operation's request model.
    pub body: bool,
    /// Validate required parameters are present.
    pub parameters: bool,
}

impl RequestValidator {
    /// Validates body and parameters.
    ///
    /// ```
    /// let all = axum_aws_spec::RequestValidator::all();
    /// assert!(all.body && all.parameters);
    /// ```
    pub fn all() -> Self {
        Self {
            body: true,
            parameters: true,
        }
    }

    /// Validates the body only.
    ///
    /// ```
    /// let body = axum_aws_spec::RequestValidator::body_only();
    /// assert!(body.body && !body.parameters);
    /// ```
    pub fn body_only() -> Self {
        Self {
            body: true,
            parameters: false,
        }
    }

    /// Validates parameters only.
    ///
    /// ```
    /// let parameters = axum_aws_spec::RequestValidator::parameters_only();
    /// assert!(!parameters.body && parameters.parameters);
    /// ```
    pub fn parameters_only() -> Self {
        Self {
            body: false,
            parameters: true,
        }
    }
}

/// A customized gateway response (errors API Gateway produces itself).
///
/// ```
/// use axum_aws::GatewayResponse;
///
/// let unauthorized = GatewayResponse::new()
///     .status(401)
///     .header("WWW-Authenticate", "Bearer")
///     .template("application/json", r#"{"message": $context.error.messageString}"#);
/// assert_eq!(unauthorized.status, Some(401));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct GatewayResponse {
    /// Status code override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Static headers (plain values, quoted when rendered).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, TemplateValue>,
    /// Body templates by content type (`$context` substitution only, not VTL).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub templates: BTreeMap<String, TemplateValue>,
}

impl GatewayResponse {
    /// A response that keeps API Gateway's status and body.
    ///
    /// ```
    /// let response = axum_aws_spec::GatewayResponse::new();
    /// assert_eq!(response.status, None);
    /// assert!(response.headers.is_empty() && response.templates.is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Overrides the status code.
    ///
    /// ```
    /// let response = axum_aws_spec::GatewayResponse::new().status(429);
    /// assert_eq!(response.status, Some(429));
    /// ```
    pub fn status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Adds a static header (a plain value, or a `${placeholder}`).
    ///
    /// ```
    /// let response = axum_aws_spec::GatewayResponse::new().header("Retry-After", "1");
    /// assert_eq!(response.headers["Retry-After"].as_str(), "1");
    /// ```
    pub fn header(mut self, name: impl Into<String>, value: impl Into<TemplateValue>) -> Self {
        self.headers.insert(name.into(), value.into());
        self
    }

    /// Sets the body template for a content type.
    ///
    /// ```
    /// let response = axum_aws_spec::GatewayResponse::new()
    ///     .template("application/json", r#"{"message": $context.error.messageString}"#);
    /// assert!(response.templates.contains_key("application/json"));
    /// ```
    pub fn template(
        mut self,
        content_type: impl Into<String>,
        template: impl Into<TemplateValue>,
    ) -> Self {
        self.templates.insert(content_type.into(), template.into());
        self
    }
}

/// Gateway response types API Gateway accepts (from the `GatewayResponseType` enum). A
/// slice, not an array: a type AWS adds is not a breaking change.
///
/// ```
/// assert!(axum_aws_spec::GATEWAY_RESPONSE_TYPES.contains(&"DEFAULT_4XX"));
/// ```
pub const GATEWAY_RESPONSE_TYPES: &[&str] = &[
    "ACCESS_DENIED",
    "API_CONFIGURATION_ERROR",
    "AUTHORIZER_CONFIGURATION_ERROR",
    "AUTHORIZER_FAILURE",
    "BAD_REQUEST_BODY",
    "BAD_REQUEST_PARAMETERS",
    "DEFAULT_4XX",
    "DEFAULT_5XX",
    "EXPIRED_TOKEN",
    "INTEGRATION_FAILURE",
    "INTEGRATION_TIMEOUT",
    "INVALID_API_KEY",
    "INVALID_SIGNATURE",
    "MISSING_AUTHENTICATION_TOKEN",
    "QUOTA_EXCEEDED",
    "REQUEST_TOO_LARGE",
    "RESOURCE_NOT_FOUND",
    "THROTTLED",
    "UNAUTHORIZED",
    "UNSUPPORTED_MEDIA_TYPE",
    "WAF_FILTERED",
];

/// A REST API's resource policy: an IAM policy document, kept as written. Its strings
/// are template values, so they may hold `${placeholders}` (a VPC endpoint id, an
/// account); everything else Terraform would read is escaped.
///
/// ```
/// use axum_aws::{ApiSettings, ResourcePolicy};
///
/// let policy = ResourcePolicy::from_json(r#"{
///     "Version": "2012-10-17",
///     "Statement": [{
///         "Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke",
///         "Resource": "execute-api:/*",
///         "Condition": {"StringEquals": {"aws:SourceVpce": "${vpc_endpoint_id}"}}
///     }]
/// }"#).unwrap();
/// let settings = ApiSettings::new().policy(policy);
/// assert!(settings.policy.is_some());
///
/// // A policy document is a JSON object.
/// let err = ResourcePolicy::from_json(r#"["Allow"]"#).unwrap_err();
/// assert!(err.to_string().starts_with("a resource policy is an IAM policy document"));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(transparent)]
pub struct ResourcePolicy(Value);

impl ResourcePolicy {
    /// A policy from anything that serializes to a JSON object (a `serde_json::json!`
    /// value, the user's own policy types).
    ///
    /// ```
    /// #[derive(serde::Serialize)]
    /// #[serde(rename_all = "PascalCase")]
    /// struct Policy { version: &'static str, statement: Vec<()> }
    ///
    /// let policy = axum_aws_spec::ResourcePolicy::from_serialize(&Policy { version: "2012-10-17", statement: vec![] })?;
    /// assert!(policy.to_json().contains(r#""Version":"2012-10-17""#));
    /// assert!(axum_aws_spec::ResourcePolicy::from_serialize(&["Allow"]).is_err());
    /// # Ok::<(), axum_aws_spec::InvalidDocument>(())
    /// ```
    ///
    /// # Errors
    /// When `policy` does not serialize, or not to an object.
    pub fn from_serialize(policy: &impl Serialize) -> Result<Self, InvalidDocument> {
        let value = serde_json::to_value(policy).map_err(|e| {
            InvalidDocument::new(format!("the resource policy does not serialize: {e}"))
        })?;
        Self::from_value(value)
    }

    /// A policy from its JSON text (a policy file, `include_str!`).
    ///
    /// ```
    /// let policy = axum_aws_spec::ResourcePolicy::from_json(r#"{"Version": "2012-10-17", "Statement": []}"#)?;
    /// assert!(policy.to_json().contains(r#""Version":"2012-10-17""#));
    /// # Ok::<(), axum_aws_spec::InvalidDocument>(())
    /// ```
    ///
    /// # Errors
    /// When `json` is not JSON, or not an object.
    pub fn from_json(json: &str) -> Result<Self, InvalidDocument> {
        let value = serde_json::from_str(json)
            .map_err(|e| InvalidDocument::new(format!("the resource policy is not json: {e}")))?;
        Self::from_value(value)
    }

    fn from_value(value: Value) -> Result<Self, InvalidDocument> {
        if value.is_object() {
            Ok(Self(value))
        } else {
            Err(InvalidDocument::new(format!(
                "a resource policy is an IAM policy document, a JSON object, not `{value}`; \
                 write it as {{\"Version\": \"2012-10-17\", \"Statement\": [...]}}"
            )))
        }
    }

    /// The document, for the renderer and the placeholder checks.
    pub(crate) fn document(&self) -> &Value {
        &self.0
    }

    /// The policy as compact JSON.
    pub fn to_json(&self) -> String {
        self.0.to_string()
    }
}

// Checked like the constructors: the exchange format carries the document as is.
impl<'de> Deserialize<'de> for ResourcePolicy {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_value(Value::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

/// Settings that belong to the whole API rather than a route.
///
/// ```
/// use axum_aws::{ApiKeySource, ApiSettings, EndpointType, GatewayResponse, RequestValidator};
///
/// let settings = ApiSettings::new()
///     .binary_media_types(["image/png", "application/octet-stream"])
///     .minimum_compression_size(1024)
///     .api_key_source(ApiKeySource::Header)
///     .endpoint(EndpointType::Regional)
///     .request_validator("all", RequestValidator::all())
///     .default_request_validator("all")
///     .gateway_response("UNAUTHORIZED", GatewayResponse::new().header("WWW-Authenticate", "Bearer"));
/// assert_eq!(settings.binary_media_types.len(), 2);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct ApiSettings {
    /// Server URL for the public spec (e.g. `https://api.example.com/v1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_url: Option<String>,
    /// Media types API Gateway treats as binary.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub binary_media_types: Vec<String>,
    /// Compress responses larger than this many bytes (0–10485760).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_compression_size: Option<u32>,
    /// Where API keys come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key_source: Option<ApiKeySource>,
    /// Endpoint configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<Endpoint>,
    /// Resource policy (an IAM policy document; strings may hold placeholders).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<ResourcePolicy>,
    /// Named request validators.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub request_validators: BTreeMap<String, RequestValidator>,
    /// Validator applied to routes that name none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_request_validator: Option<String>,
    /// Gateway responses by type (`DEFAULT_4XX`, `UNAUTHORIZED`, …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub gateway_responses: BTreeMap<String, GatewayResponse>,
    /// Throttling of every route that sets none of its own (the stage's default; each
    /// route gets this budget on its own). Set with axum-aws's
    /// `AwsRouter::default_throttle`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_throttle: Option<Throttle>,
}

impl ApiSettings {
    /// No settings: API Gateway's defaults.
    ///
    /// ```
    /// assert_eq!(axum_aws_spec::ApiSettings::new(), axum_aws_spec::ApiSettings::default());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Server URL shown in the public spec.
    ///
    /// ```
    /// let settings = axum_aws_spec::ApiSettings::new().server_url("https://api.example.com/v1");
    /// assert_eq!(settings.server_url.as_deref(), Some("https://api.example.com/v1"));
    /// ```
    pub fn server_url(mut self, url: impl Into<String>) -> Self {
        self.server_url = Some(url.into());
        self
    }

    /// Media types treated as binary (`*/*` for all), replacing earlier calls.
    ///
    /// ```
    /// let settings = axum_aws_spec::ApiSettings::new().binary_media_types(["image/png", "application/pdf"]);
    /// assert_eq!(settings.binary_media_types, ["image/png", "application/pdf"]);
    /// ```
    pub fn binary_media_types<T: Into<String>>(
        mut self,
        types: impl IntoIterator<Item = T>,
    ) -> Self {
        self.binary_media_types = types.into_iter().map(Into::into).collect();
        self
    }

    /// Enables payload compression above `bytes`.
    ///
    /// ```
    /// let settings = axum_aws_spec::ApiSettings::new().minimum_compression_size(1024);
    /// assert_eq!(settings.minimum_compression_size, Some(1024));
    /// ```
    pub fn minimum_compression_size(mut self, bytes: u32) -> Self {
        self.minimum_compression_size = Some(bytes);
        self
    }

    /// Where API keys come from.
    ///
    /// ```
    /// use axum_aws_spec::{ApiKeySource, ApiSettings};
    ///
    /// let settings = ApiSettings::new().api_key_source(ApiKeySource::Authorizer);
    /// assert_eq!(settings.api_key_source, Some(ApiKeySource::Authorizer));
    /// ```
    pub fn api_key_source(mut self, source: ApiKeySource) -> Self {
        self.api_key_source = Some(source);
        self
    }

    /// Endpoint type.
    ///
    /// ```
    /// use axum_aws_spec::{ApiSettings, EndpointType};
    ///
    /// let settings = ApiSettings::new().endpoint(EndpointType::Edge);
    /// assert_eq!(settings.endpoint.map(|e| e.kind), Some(EndpointType::Edge));
    /// ```
    pub fn endpoint(mut self, kind: EndpointType) -> Self {
        self.endpoint = Some(Endpoint {
            kind,
            vpc_endpoint_ids: Vec::new(),
            disable_execute_api_endpoint: false,
        });
        self
    }

    /// A PRIVATE endpoint reachable through these VPC endpoints.
    ///
    /// ```
    /// use axum_aws_spec::{ApiSettings, EndpointType};
    ///
    /// let settings = ApiSettings::new().private_endpoint(["${vpc_endpoint_id}"]);
    /// let endpoint = settings.endpoint.unwrap();
    /// assert_eq!(endpoint.kind, EndpointType::Private);
    /// assert_eq!(endpoint.vpc_endpoint_ids[0].as_str(), "${vpc_endpoint_id}");
    /// ```
    pub fn private_endpoint<T: Into<TemplateValue>>(
        mut self,
        vpc_endpoint_ids: impl IntoIterator<Item = T>,
    ) -> Self {
        self.endpoint = Some(Endpoint {
            kind: EndpointType::Private,
            vpc_endpoint_ids: vpc_endpoint_ids.into_iter().map(Into::into).collect(),
            disable_execute_api_endpoint: false,
        });
        self
    }

    /// Turns off the default `execute-api` endpoint (of a REGIONAL endpoint, unless one
    /// was set).
    ///
    /// ```
    /// use axum_aws_spec::{ApiSettings, EndpointType};
    ///
    /// let endpoint = ApiSettings::new().disable_execute_api_endpoint().endpoint.unwrap();
    /// assert!(endpoint.disable_execute_api_endpoint);
    /// assert_eq!(endpoint.kind, EndpointType::Regional);
    /// ```
    pub fn disable_execute_api_endpoint(mut self) -> Self {
        let endpoint = self.endpoint.get_or_insert(Endpoint {
            kind: EndpointType::Regional,
            vpc_endpoint_ids: Vec::new(),
            disable_execute_api_endpoint: false,
        });
        endpoint.disable_execute_api_endpoint = true;
        self
    }

    /// Resource policy (`x-amazon-apigateway-policy` of the REST target).
    ///
    /// ```
    /// use axum_aws_spec::{ApiSettings, ResourcePolicy};
    ///
    /// let policy = ResourcePolicy::from_json(r#"{"Version": "2012-10-17", "Statement": []}"#)?;
    /// let settings = ApiSettings::new().policy(policy.clone());
    /// assert_eq!(settings.policy, Some(policy));
    /// # Ok::<(), axum_aws_spec::InvalidDocument>(())
    /// ```
    pub fn policy(mut self, policy: impl Into<ResourcePolicy>) -> Self {
        self.policy = Some(policy.into());
        self
    }

    /// Declares a named request validator (routes name it with `request_validator`).
    ///
    /// ```
    /// use axum_aws_spec::{ApiSettings, RequestValidator};
    ///
    /// let settings = ApiSettings::new().request_validator("params", RequestValidator::parameters_only());
    /// assert_eq!(settings.request_validators["params"], RequestValidator::parameters_only());
    /// ```
    pub fn request_validator(
        mut self,
        name: impl Into<String>,
        validator: RequestValidator,
    ) -> Self {
        self.request_validators.insert(name.into(), validator);
        self
    }

    /// Validator for routes that name none (declared with
    /// [`request_validator`](Self::request_validator)).
    ///
    /// ```
    /// use axum_aws_spec::{ApiSettings, RequestValidator};
    ///
    /// let settings = ApiSettings::new()
    ///     .request_validator("all", RequestValidator::all())
    ///     .default_request_validator("all");
    /// assert_eq!(settings.default_request_validator.as_deref(), Some("all"));
    /// ```
    pub fn default_request_validator(mut self, name: impl Into<String>) -> Self {
        self.default_request_validator = Some(name.into());
        self
    }

    /// Customizes a gateway response (`DEFAULT_4XX`, `UNAUTHORIZED`, …: one of
    /// [`GATEWAY_RESPONSE_TYPES`]).
    ///
    /// ```
    /// use axum_aws_spec::{ApiSettings, GatewayResponse};
    ///
    /// let settings = ApiSettings::new().gateway_response("THROTTLED", GatewayResponse::new().header("Retry-After", "1"));
    /// assert_eq!(settings.gateway_responses["THROTTLED"].headers["Retry-After"].as_str(), "1");
    /// ```
    pub fn gateway_response(mut self, kind: impl Into<String>, response: GatewayResponse) -> Self {
        self.gateway_responses.insert(kind.into(), response);
        self
    }

    /// Fills what `self` leaves unset from `other` (used when routers are merged or nested).
    ///
    /// ```
    /// use axum_aws_spec::{ApiKeySource, ApiSettings};
    ///
    /// let mut outer = ApiSettings::new().binary_media_types(["image/png"]);
    /// outer.absorb(ApiSettings::new().api_key_source(ApiKeySource::Authorizer));
    /// assert_eq!(outer.api_key_source, Some(ApiKeySource::Authorizer));
    /// ```
    pub fn absorb(&mut self, other: Self) {
        fn fill<T>(mine: &mut Option<T>, theirs: Option<T>) {
            if mine.is_none() {
                *mine = theirs;
            }
        }
        fill(&mut self.server_url, other.server_url);
        fill(
            &mut self.minimum_compression_size,
            other.minimum_compression_size,
        );
        fill(&mut self.api_key_source, other.api_key_source);
        fill(&mut self.endpoint, other.endpoint);
        fill(&mut self.policy, other.policy);
        fill(&mut self.default_throttle, other.default_throttle);
        fill(
            &mut self.default_request_validator,
            other.default_request_validator,
        );
        for media_type in other.binary_media_types {
            if !self.binary_media_types.contains(&media_type) {
                self.binary_media_types.push(media_type);
            }
        }
        for (name, validator) in other.request_validators {
            self.request_validators.entry(name).or_insert(validator);
        }
        for (kind, response) in other.gateway_responses {
            self.gateway_responses.entry(kind).or_insert(response);
        }
    }
}
