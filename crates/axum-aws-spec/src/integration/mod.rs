//! API Gateway integrations: what a route's requests are sent to.
//!
//! One module per kind. Each kind is a builder that converts into [`Integration`];
//! the knobs every kind shares (timeout, credentials, mapping templates, …) come
//! from [`IntegrationOptions`] and are available on every builder.
//!
//! Direct AWS-service integrations have typed builders that write the mapping
//! templates, error mappings and request parameters: [`StepFunctions`], [`S3`],
//! [`SnsPublish`], [`SqsSendMessage`], [`Table`] (DynamoDB) and [`PutEvents`], each
//! reading request values from a [`Source`].
//!
//! Reference: [x-amazon-apigateway-integration](https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration.html).

mod aws;
mod dynamodb;
mod eventbridge;
mod http;
mod lambda;
mod mock;
mod s3;
mod sns;
mod sqs;
mod step_functions;
mod vtl;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use self::aws::AwsService;
pub use self::dynamodb::{AttributeType, DynamoDb, DynamoDbAction, Field, KeyCondition, Table};
pub use self::eventbridge::PutEvents;
pub use self::http::Http;
pub use self::lambda::{Lambda, LambdaProxy, PayloadFormat};
pub use self::mock::Mock;
pub use self::s3::{PathPart, S3};
pub use self::sns::SnsPublish;
pub use self::sqs::{Queue, SqsSendMessage};
pub use self::step_functions::StepFunctions;
pub use self::vtl::Source;
use crate::template::Pieces;
use crate::value_kind::Knob;
use crate::{RouteMeta, TemplateValue};

/// Where API Gateway sends a route's requests.
///
/// Build one from a kind: [`LambdaProxy`], [`Lambda`], [`Http`], [`Mock`], a typed
/// AWS-service action ([`StepFunctions`], [`S3`], [`SnsPublish`], [`SqsSendMessage`],
/// [`DynamoDb`], [`PutEvents`]) or the generic [`AwsService`] — every method that takes
/// an integration accepts them directly. A typed action stays itself in the model (a
/// REST API runs it as an `aws` integration with generated mapping templates, see
/// [`to_aws_service`](Self::to_aws_service); other gateways express it their own way).
///
/// ```
/// use axum_aws::integration::{Integration, LambdaProxy};
///
/// let integration: Integration = LambdaProxy::new("${user_function_invoke_arn}").into();
/// assert!(matches!(integration, Integration::LambdaProxy(_)));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Integration {
    /// Lambda proxy (`aws_proxy`): the function receives the whole request.
    LambdaProxy(LambdaProxy),
    /// Lambda custom (`aws`): mapping templates shape the function's input and output.
    Lambda(Lambda),
    /// An HTTP backend (`http` or `http_proxy`), over the internet or a VPC link.
    Http(Http),
    /// A response made up by API Gateway (`mock`).
    Mock(Mock),
    /// Any other AWS service action (`aws`), with its URI and mapping templates as given.
    AwsService(AwsService),
    /// Step Functions `StartExecution` or `StartSyncExecution`.
    StepFunctions(StepFunctions),
    /// S3 `GetObject`, `PutObject`, `DeleteObject` or `ListObjectsV2`.
    S3(S3),
    /// SNS `Publish`.
    SnsPublish(SnsPublish),
    /// SQS `SendMessage`.
    SqsSendMessage(SqsSendMessage),
    /// A DynamoDB action on a table.
    DynamoDb(DynamoDb),
    /// EventBridge `PutEvents`.
    PutEvents(PutEvents),
}

/// Calls `$body` with the integration kind's value bound to `$kind`, for every kind.
macro_rules! each_kind {
    ($integration:expr, $kind:ident => $body:expr) => {
        match $integration {
            Integration::LambdaProxy($kind) => $body,
            Integration::Lambda($kind) => $body,
            Integration::Http($kind) => $body,
            Integration::Mock($kind) => $body,
            Integration::AwsService($kind) => $body,
            Integration::StepFunctions($kind) => $body,
            Integration::S3($kind) => $body,
            Integration::SnsPublish($kind) => $body,
            Integration::SqsSendMessage($kind) => $body,
            Integration::DynamoDb($kind) => $body,
            Integration::PutEvents($kind) => $body,
        }
    };
}

impl Integration {
    /// The knobs shared by every kind.
    pub fn options(&self) -> &IntegrationOptions {
        each_kind!(self, kind => &kind.options)
    }

    /// The knobs shared by every kind, to change (how a router fills in its defaults).
    ///
    /// ```
    /// use axum_aws_spec::integration::{Integration, Lambda};
    ///
    /// let mut integration: Integration = Lambda::new("${fn_arn}").into();
    /// integration.options_mut().credentials = Some("${role_arn}".into());
    /// assert!(integration.options().credentials.is_some());
    /// ```
    pub fn options_mut(&mut self) -> &mut IntegrationOptions {
        each_kind!(self, kind => &mut kind.options)
    }

    /// The AWS-service action as a REST API runs it, an `aws` integration with the URI
    /// and the mapping templates the typed builder generates (the builder's own options
    /// applied over them); `None` for Lambda, HTTP and mock integrations.
    ///
    /// ```
    /// use axum_aws_spec::integration::{Integration, Queue, SqsSendMessage};
    ///
    /// let integration: Integration = SqsSendMessage::new("${region}", Queue::new("${account}", "orders")).into();
    /// assert!(matches!(integration, Integration::SqsSendMessage(_)));
    /// let rest = integration.to_aws_service().unwrap();
    /// assert_eq!(rest.uri.as_str(), "arn:aws:apigateway:${region}:sqs:path/${account}/orders");
    /// assert!(rest.options.request_templates.contains_key("application/json"));
    /// ```
    pub fn to_aws_service(&self) -> Option<Cow<'_, AwsService>> {
        Some(match self {
            Self::AwsService(aws) => Cow::Borrowed(aws),
            Self::StepFunctions(kind) => Cow::Owned(kind.clone().into()),
            Self::S3(kind) => Cow::Owned(kind.clone().into()),
            Self::SnsPublish(kind) => Cow::Owned(kind.clone().into()),
            Self::SqsSendMessage(kind) => Cow::Owned(kind.clone().into()),
            Self::DynamoDb(kind) => Cow::Owned(kind.clone().into()),
            Self::PutEvents(kind) => Cow::Owned(kind.clone().into()),
            Self::LambdaProxy(_) | Self::Lambda(_) | Self::Http(_) | Self::Mock(_) => return None,
        })
    }

    /// This integration with each typed AWS-service action replaced by the generic `aws`
    /// integration it runs as ([`to_aws_service`](Self::to_aws_service)): what the REST
    /// API's renderer and checks read.
    pub(crate) fn as_generic(&self) -> Cow<'_, Self> {
        match self.to_aws_service() {
            Some(Cow::Owned(aws)) => Cow::Owned(Integration::AwsService(aws)),
            _ => Cow::Borrowed(self),
        }
    }

    /// Whether API Gateway passes requests and responses through unchanged
    /// (`aws_proxy`, `http_proxy`): such integrations have no integration responses.
    pub fn is_proxy(&self) -> bool {
        match self {
            Self::LambdaProxy(_) => true,
            Self::Http(http) => http.proxy,
            Self::Lambda(_)
            | Self::Mock(_)
            | Self::AwsService(_)
            | Self::StepFunctions(_)
            | Self::S3(_)
            | Self::SnsPublish(_)
            | Self::SqsSendMessage(_)
            | Self::DynamoDb(_)
            | Self::PutEvents(_) => false,
        }
    }
}

impl Integration {
    /// The integration responses of a non-proxy integration, whatever gateway runs it
    /// (REST renders them; the public spec and the checks read the statuses they send):
    /// the declared ones, a mock's own response (its status, headers and bodies) before
    /// the declared non-default ones, a service builder's generated ones with the
    /// declared laid over them, or `default → 200`.
    pub(crate) fn responses(&self) -> Cow<'_, [IntegrationResponse]> {
        let options = self.options();
        let generated = match self {
            Self::Mock(mock) => {
                let mut response = IntegrationResponse::default_status(mock.status);
                for (name, value) in &mock.headers {
                    response = response.header(name.clone(), value.as_str());
                }
                for (content_type, body) in &mock.bodies {
                    response = response.template(content_type.clone(), body.clone());
                }
                let mut all = vec![response];
                all.extend(
                    options
                        .responses
                        .iter()
                        .filter(|r| r.pattern != "default")
                        .cloned(),
                );
                return Cow::Owned(all);
            }
            Self::StepFunctions(kind) => kind.generated_responses(),
            Self::S3(kind) => kind.generated_responses(),
            Self::SnsPublish(kind) => kind.generated_responses(),
            Self::SqsSendMessage(kind) => kind.generated_responses(),
            Self::DynamoDb(kind) => kind.generated_responses(),
            Self::PutEvents(kind) => kind.generated_responses(),
            Self::LambdaProxy(_) | Self::Lambda(_) | Self::Http(_) | Self::AwsService(_) => {
                return if options.responses.is_empty() {
                    Cow::Owned(vec![IntegrationResponse::default_status(200)])
                } else {
                    Cow::Borrowed(&options.responses)
                };
            }
        };
        let mut responses = generated;
        vtl::overlay_responses(
            &mut responses,
            options.success_status,
            options.responses.iter().cloned(),
        );
        Cow::Owned(responses)
    }

    /// Every status the gateway can send from a non-proxy integration (its integration
    /// responses' and those their templates select), sorted; `None` for a proxy one,
    /// whose backend picks the status.
    pub(crate) fn sent_statuses(&self) -> Option<Vec<u16>> {
        if self.is_proxy() {
            return None;
        }
        let mut statuses: Vec<u16> = self
            .responses()
            .iter()
            .flat_map(|r| std::iter::once(r.status).chain(r.override_statuses.iter().copied()))
            .collect();
        statuses.sort_unstable();
        statuses.dedup();
        Some(statuses)
    }

    /// Calls `visit` with each template value of the integration as declared (typed
    /// service actions as themselves) and the knob it is.
    pub(crate) fn visit_knobs(&self, visit: &mut dyn FnMut(Knob, &TemplateValue)) {
        each_kind!(self, kind => kind.visit_knobs(visit));
    }
}

impl IntegrationOptions {
    /// Calls `visit` with each template value of the shared knobs and the knob it is.
    pub(crate) fn visit_knobs(&self, visit: &mut dyn FnMut(Knob, &TemplateValue)) {
        // Every field named: a new one does not compile until it is classified.
        let Self {
            credentials,
            timeout_millis: _,
            passthrough: _,
            content_handling: _,
            cache_namespace: _,
            cache_key_parameters: _,
            request_parameters,
            request_templates,
            responses,
            success_status: _,
        } = self;
        if let Some(role) = credentials {
            visit(Knob::Credentials, role);
        }
        request_parameters
            .values()
            .for_each(|v| visit(Knob::RequestParameter, v));
        request_templates
            .values()
            .for_each(|v| visit(Knob::RequestTemplate, v));
        for response in responses {
            let IntegrationResponse {
                pattern: _,
                status: _,
                headers,
                templates,
                content_handling: _,
                override_statuses: _,
            } = response;
            headers
                .values()
                .for_each(|v| visit(Knob::ResponseHeader, v));
            templates
                .values()
                .for_each(|v| visit(Knob::ResponseTemplate, v));
        }
    }
}

/// An AWS-service action as an HTTP API runs it: an `integrationSubtype` with its
/// parameters, each a mapping value (text and placeholders).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Subtype {
    /// `SQS-SendMessage`, `EventBridge-PutEvents`, `StepFunctions-StartExecution`, …
    pub(crate) name: &'static str,
    /// Parameter name → value (`$request.body`, a literal, …).
    pub(crate) parameters: Vec<(&'static str, Pieces)>,
}

impl Subtype {
    pub(crate) fn new(name: &'static str) -> Self {
        Self {
            name,
            parameters: Vec::new(),
        }
    }

    /// Adds `name` = the source's mapping, or records why it has none.
    pub(crate) fn source(
        &mut self,
        name: &'static str,
        source: &Source,
        problems: &mut Vec<String>,
    ) {
        match source.http_api() {
            Ok(value) => self.parameters.push((name, value)),
            Err(problem) => problems.push(format!("{name}: {problem}")),
        }
    }

    /// Adds `name` = a fixed value (placeholders allowed).
    pub(crate) fn fixed(&mut self, name: &'static str, value: &TemplateValue) {
        self.parameters.push((name, Pieces::from(value)));
    }
}

impl Integration {
    /// The typed AWS-service action as an HTTP API `integrationSubtype`; `None` for
    /// kinds that are not one of the actions HTTP APIs have (Lambda, HTTP, mock, S3,
    /// SNS, DynamoDB, generic `aws`).
    ///
    /// # Errors
    /// What of the builder's setup the subtype cannot express, one message each.
    pub(crate) fn http_api_subtype(&self) -> Option<Result<Subtype, Vec<String>>> {
        match self {
            Self::SqsSendMessage(kind) => Some(kind.subtype()),
            Self::StepFunctions(kind) => Some(kind.subtype()),
            Self::PutEvents(kind) => Some(kind.subtype()),
            _ => None,
        }
    }
}

/// How API Gateway treats a request body whose content type has no mapping template.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Passthrough {
    /// Pass it through when no template matches (API Gateway's default).
    WhenNoMatch,
    /// Pass it through only when no template is defined at all.
    WhenNoTemplates,
    /// Reject it with 415.
    Never,
}

/// Conversion between text and binary payloads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum ContentHandling {
    /// Base64-encode binary payloads into text.
    ConvertToText,
    /// Base64-decode text payloads into binary.
    ConvertToBinary,
}

/// One integration response: which backend outcome maps to which method response.
///
/// ```
/// use axum_aws::integration::IntegrationResponse;
///
/// let not_found = IntegrationResponse::new(r".*not found.*", 404)
///     .template("application/json", r#"{"message": "not found"}"#)
///     .header("Content-Type", "'application/json'");
/// assert_eq!(not_found.status, 404);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
#[must_use]
pub struct IntegrationResponse {
    /// `default`, or a regex on the backend status (HTTP, AWS) or Lambda `errorMessage`.
    pub pattern: String,
    /// The method response status code it selects.
    pub status: u16,
    /// `method.response.header.X` values: `'static'`, `integration.response.header.Y`, …
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, TemplateValue>,
    /// Response mapping templates by content type (VTL).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub templates: BTreeMap<String, TemplateValue>,
    /// Payload conversion for the response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_handling: Option<ContentHandling>,
    /// Other statuses its template may select with `$context.responseOverride.status`
    /// (declared as method responses too).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub override_statuses: Vec<u16>,
}

impl IntegrationResponse {
    /// Selects `status` when `pattern` matches (`default` matches anything else).
    pub fn new(pattern: impl Into<String>, status: u16) -> Self {
        Self {
            pattern: pattern.into(),
            status,
            headers: BTreeMap::new(),
            templates: BTreeMap::new(),
            content_handling: None,
            override_statuses: Vec::new(),
        }
    }

    /// The response for everything no other pattern matched.
    pub fn default_status(status: u16) -> Self {
        Self::new("default", status)
    }

    /// Sets a method response header; `value` is a mapping expression
    /// (`'static'` in single quotes, or `integration.response.header.X`).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<TemplateValue>) -> Self {
        self.headers.insert(name.into(), value.into());
        self
    }

    /// Sets the response mapping template for a content type.
    pub fn template(
        mut self,
        content_type: impl Into<String>,
        template: impl Into<TemplateValue>,
    ) -> Self {
        self.templates.insert(content_type.into(), template.into());
        self
    }

    /// Sets the payload conversion for this response.
    pub fn content_handling(mut self, handling: ContentHandling) -> Self {
        self.content_handling = Some(handling);
        self
    }

    /// Declares that the template may set `$context.responseOverride.status` to `status`,
    /// so that the method response exists (with this response's headers).
    ///
    /// ```
    /// use axum_aws::integration::IntegrationResponse;
    ///
    /// let found_or_not = IntegrationResponse::default_status(200)
    ///     .template("application/json", "#if($input.path('$.Item') == \"\")#set($context.responseOverride.status = 404){}#else$input.json('$.Item')#end")
    ///     .may_override_status(404);
    /// assert_eq!(found_or_not.override_statuses, [404]);
    /// ```
    pub fn may_override_status(mut self, status: u16) -> Self {
        if !self.override_statuses.contains(&status) {
            self.override_statuses.push(status);
        }
        self
    }
}

/// Knobs every integration kind shares. Set them through the kind's builder methods.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IntegrationOptions {
    /// IAM role API Gateway assumes to call the backend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials: Option<TemplateValue>,
    /// Integration timeout in milliseconds (50–29000 unless raised by a quota).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_millis: Option<u32>,
    /// Body pass-through when no template matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passthrough: Option<Passthrough>,
    /// Request payload conversion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_handling: Option<ContentHandling>,
    /// Stage-cache namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_namespace: Option<String>,
    /// Stage-cache key parameters (`method.request.path.id`, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cache_key_parameters: Vec<String>,
    /// `integration.request.{path|querystring|header}.X` → source expression.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub request_parameters: BTreeMap<String, TemplateValue>,
    /// Request mapping templates by content type (VTL).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub request_templates: BTreeMap<String, TemplateValue>,
    /// Integration responses (non-proxy kinds only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub responses: Vec<IntegrationResponse>,
    /// The status of a service builder's generated success response (its `default`
    /// pattern), its templates kept: SNS `Publish` answering 202, say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_status: Option<u16>,
}

/// The builder methods every integration kind shares, each documented once here.
macro_rules! shared_knobs {
    ($kind:ty) => {
        impl $kind {
            /// IAM role (ARN) that API Gateway assumes to call the backend.
            /// Overrides the router's `default_credentials` (axum-aws's `AwsRouter`).
            pub fn credentials(mut self, role_arn: impl Into<$crate::TemplateValue>) -> Self {
                self.options.credentials = Some(role_arn.into());
                self
            }

            /// Integration timeout (API Gateway allows 50 ms to 29 s unless a quota is raised).
            pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                self.options.timeout_millis = Some($crate::integration::millis(timeout));
                self
            }

            /// How bodies without a matching mapping template are treated.
            pub fn passthrough(mut self, behavior: $crate::integration::Passthrough) -> Self {
                self.options.passthrough = Some(behavior);
                self
            }

            /// Request payload conversion between text and binary.
            pub fn content_handling(
                mut self,
                handling: $crate::integration::ContentHandling,
            ) -> Self {
                self.options.content_handling = Some(handling);
                self
            }

            /// Adds a stage-cache key parameter (`method.request.path.id`, …).
            pub fn cache_key_parameter(mut self, parameter: impl Into<String>) -> Self {
                self.options.cache_key_parameters.push(parameter.into());
                self
            }

            /// Sets the stage-cache namespace.
            pub fn cache_namespace(mut self, namespace: impl Into<String>) -> Self {
                self.options.cache_namespace = Some(namespace.into());
                self
            }

            /// Maps an integration request parameter
            /// (`integration.request.header.X` ← `method.request.path.id`, `'static'`, …).
            pub fn request_parameter(
                mut self,
                target: impl Into<String>,
                source: impl Into<$crate::TemplateValue>,
            ) -> Self {
                self.options
                    .request_parameters
                    .insert(target.into(), source.into());
                self
            }

            /// Sets the request mapping template (VTL) for a content type.
            pub fn request_template(
                mut self,
                content_type: impl Into<String>,
                template: impl Into<$crate::TemplateValue>,
            ) -> Self {
                self.options
                    .request_templates
                    .insert(content_type.into(), template.into());
                self
            }

            /// Adds an integration response (ignored by API Gateway for proxy kinds, so rejected there).
            ///
            /// On a service builder (S3, SNS, SQS, DynamoDB, Step Functions, EventBridge) it
            /// **replaces** the generated response of the same pattern, templates and all
            /// (`default` is the success response): to change only the success status,
            /// use [`success_status`](Self::success_status).
            pub fn response(mut self, response: $crate::integration::IntegrationResponse) -> Self {
                self.options.responses.push(response);
                self
            }

            /// The status of a service builder's generated success response (the
            /// `default` pattern), keeping its templates; the public spec documents it.
            /// Other integrations ignore it.
            ///
            /// ```
            /// use axum_aws::integration::SnsPublish;
            /// use axum_aws::{routing::post, AwsRouter, Info};
            ///
            /// let router: AwsRouter = AwsRouter::new().route(
            ///     "/alerts",
            ///     post(|| async {}).integration(
            ///         SnsPublish::new("eu-west-1", "${topic_arn}").credentials("${role_arn}").success_status(202),
            ///     ),
            /// );
            /// let spec = router.spec(Info::new("alerts", "1"));
            /// let private = spec.render_private()?.to_value();
            /// let responses = &private["paths"]["/alerts"]["post"]["x-amazon-apigateway-integration"]["responses"];
            /// assert_eq!(responses["default"]["statusCode"], "202");
            /// assert!(responses["default"]["responseTemplates"]["application/json"].as_str().unwrap().contains("messageId"));
            /// let public = spec.render_public()?.to_value();
            /// assert!(public["paths"]["/alerts"]["post"]["responses"].get("202").is_some());
            /// # Ok::<(), axum_aws::SpecErrors>(())
            /// ```
            pub fn success_status(mut self, status: u16) -> Self {
                self.options.success_status = Some(status);
                self
            }
        }
    };
}
pub(crate) use shared_knobs;

pub(crate) fn millis(duration: Duration) -> u32 {
    u32::try_from(duration.as_millis()).unwrap_or(u32::MAX)
}

/// Each route's integration with its typed AWS-service action as the generic `aws`
/// integration a REST API runs ([`Integration::as_generic`]), in route order: borrowed
/// where there is nothing to lower, and no route copied.
pub(crate) fn generic_integrations(routes: &[RouteMeta]) -> Vec<Option<Cow<'_, Integration>>> {
    routes
        .iter()
        .map(|route| route.integration.as_ref().map(Integration::as_generic))
        .collect()
}
