//! SNS `Publish`.

use super::vtl::{self, Form, Source};
use super::{AwsService, Integration, IntegrationOptions, IntegrationResponse, shared_knobs};
use crate::resolved::{ServiceAction, ServiceResource};
use crate::value_kind::Knob;
use crate::{Method, TemplateValue};
use serde::{Deserialize, Serialize};

/// Publishes a message to an SNS topic (`POST …:sns:action/Publish`, a form body).
///
/// The message is the request body unless [`message`](Self::message) says otherwise; the
/// subject (left out when empty) and string message attributes come from the request too.
/// Every value is URL-encoded by `$util.urlEncode`. Answers 200 `{"messageId"}`; SNS
/// errors map to 400 (4xx) and 500 (5xx) with `{"message"}`.
///
/// ```
/// use axum_aws::integration::{SnsPublish, Source};
/// use axum_aws::routing::post;
/// use axum_aws::{AwsRouter, Info};
///
/// let router: AwsRouter = AwsRouter::new().route(
///     "/alerts/{level}",
///     post(|| async { "" }).integration(
///         SnsPublish::new("eu-west-1", "${alerts_topic_arn}")
///             .subject(Source::template("[$input.params('level')] alert"))
///             .message(Source::body("$.text"))
///             .attribute("level", Source::path("level"))
///             .credentials("${apigw_sns_role_arn}"),
///     ),
/// );
/// let private = router.spec(Info::new("alerts", "1")).render_private()?.to_json();
/// assert!(private.contains("arn:aws:apigateway:eu-west-1:sns:action/Publish"));
/// # Ok::<(), axum_aws::SpecErrors>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub struct SnsPublish {
    region: TemplateValue,
    topic_arn: TemplateValue,
    message: Source,
    subject: Option<Source>,
    attributes: Vec<(String, Source)>,
    #[serde(default)]
    pub(super) options: IntegrationOptions,
}

impl SnsPublish {
    /// Publishes the request body to `topic_arn`.
    pub fn new(region: impl Into<TemplateValue>, topic_arn: impl Into<TemplateValue>) -> Self {
        Self {
            region: region.into(),
            topic_arn: topic_arn.into(),
            message: Source::WholeBody,
            subject: None,
            attributes: Vec::new(),
            options: IntegrationOptions::default(),
        }
    }

    /// Where the message comes from (default: the whole body).
    ///
    /// ```
    /// use axum_aws::integration::{SnsPublish, Source};
    ///
    /// let publish = SnsPublish::new("${region}", "${topic_arn}")
    ///     .message(Source::template("order $input.path('$.id') shipped"));
    /// # let _ = publish;
    /// ```
    pub fn message(mut self, message: Source) -> Self {
        self.message = message;
        self
    }

    /// The subject (email subscriptions); left out when it comes out empty.
    ///
    /// ```
    /// use axum_aws::integration::{SnsPublish, Source};
    ///
    /// let publish = SnsPublish::new("${region}", "${topic_arn}").subject(Source::body("$.title"));
    /// # let _ = publish;
    /// ```
    pub fn subject(mut self, subject: Source) -> Self {
        self.subject = Some(subject);
        self
    }

    /// Adds a `String` message attribute (SNS rejects an empty value with 400).
    ///
    /// ```
    /// use axum_aws::integration::{SnsPublish, Source};
    ///
    /// let publish = SnsPublish::new("${region}", "${topic_arn}")
    ///     .attribute("tenant", Source::header("X-Tenant"));
    /// # let _ = publish;
    /// ```
    pub fn attribute(mut self, name: impl Into<String>, value: Source) -> Self {
        self.attributes.push((name.into(), value));
        self
    }

    /// 200 `{"messageId"}`; SNS's errors as 400 and 500.
    pub(super) fn generated_responses(&self) -> Vec<IntegrationResponse> {
        vec![
            IntegrationResponse::default_status(200).template(
                "application/json",
                "{\"messageId\": \"$input.path('$.PublishResponse.PublishResult.MessageId')\"}",
            ),
            vtl::service_error("4\\d{2}", 400),
            vtl::service_error("5\\d{2}", 500),
        ]
    }

    fn generated_template(&self) -> String {
        let mut form = Form::default();
        form.fixed("Action", &"Publish".into());
        form.fixed("TopicArn", &self.topic_arn);
        form.field("Message", &self.message, false);
        if let Some(subject) = &self.subject {
            form.field("Subject", subject, true);
        }
        message_attributes(&mut form, "MessageAttributes.entry", &self.attributes);
        form.finish()
    }
}

/// `MessageAttributes.entry.N.*` (SNS) / `MessageAttribute.N.*` (SQS) string attributes.
pub(crate) fn message_attributes(form: &mut Form, list: &str, attributes: &[(String, Source)]) {
    for (i, (name, value)) in attributes.iter().enumerate() {
        let n = i + 1;
        let prefix = format!("{list}.{n}");
        form.fixed(&format!("{prefix}.Name"), &name.as_str().into());
        form.fixed(&format!("{prefix}.Value.DataType"), &"String".into());
        form.field(&format!("{prefix}.Value.StringValue"), value, false);
    }
}

/// Form-encoded query-protocol request headers, asking for a JSON answer.
pub(crate) fn query_protocol(options: &mut IntegrationOptions) {
    options.request_parameters.insert(
        "integration.request.header.Content-Type".into(),
        "'application/x-www-form-urlencoded'".into(),
    );
    options.request_parameters.insert(
        "integration.request.header.Accept".into(),
        "'application/json'".into(),
    );
}

shared_knobs!(SnsPublish);

impl From<SnsPublish> for AwsService {
    fn from(value: SnsPublish) -> Self {
        let mut generated = vtl::json_request(value.generated_template());
        query_protocol(&mut generated);
        generated.responses = value.generated_responses();
        vtl::service(
            Method::Post,
            vtl::arn(&value.region, "sns", "action", "Publish"),
            generated,
            value.options,
        )
    }
}

impl From<SnsPublish> for Integration {
    fn from(value: SnsPublish) -> Self {
        Self::SnsPublish(value)
    }
}

impl SnsPublish {
    /// Calls `visit` with each template value and the knob it is.
    pub(crate) fn visit_knobs(&self, visit: &mut dyn FnMut(Knob, &TemplateValue)) {
        // Every field named: a new one does not compile until it is classified.
        let Self {
            region,
            topic_arn,
            message,
            subject,
            attributes,
            options,
        } = self;
        visit(Knob::SnsRegion, region);
        visit(Knob::SnsTopicArn, topic_arn);
        let sources = std::iter::once(message)
            .chain(subject)
            .chain(attributes.iter().map(|(_, source)| source));
        for source in sources {
            source.visit_knobs(visit);
        }
        options.visit_knobs(visit);
    }
}

impl SnsPublish {
    /// `sns:Publish` on the topic.
    pub(crate) fn service_action(&self) -> ServiceAction<'_> {
        ServiceAction {
            actions: vec!["sns:Publish".to_owned()],
            resource: ServiceResource::Topic(&self.topic_arn),
            region: Some(&self.region),
            role: self.options.credentials.as_ref(),
        }
    }
}
