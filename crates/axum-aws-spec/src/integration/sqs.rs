//! SQS `SendMessage`.

use super::sns::{message_attributes, query_protocol};
use super::vtl::{self, Form, Source};
use super::{AwsService, Integration, IntegrationOptions, IntegrationResponse, shared_knobs};
use crate::resolved::{ServiceAction, ServiceResource};
use crate::template::Pieces;
use crate::value_kind::Knob;
use crate::{Method, TemplateValue};
use serde::{Deserialize, Serialize};

/// The queue a message goes to.
///
/// ```
/// use axum_aws::integration::Queue;
///
/// let by_name = Queue::new("${account_id}", "${orders_queue_name}");
/// let by_url = Queue::url("${orders_queue_url}");
/// assert_ne!(by_name, by_url);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Queue {
    /// Account id and queue name: `…:sqs:path/{account}/{name}`.
    Path {
        /// The AWS account id owning the queue.
        account: TemplateValue,
        /// The queue name.
        name: TemplateValue,
    },
    /// The queue URL: `…:sqs:action/SendMessage` with `QueueUrl` in the body.
    Url(TemplateValue),
}

impl Queue {
    /// The queue `name` in `account`.
    pub fn new(account: impl Into<TemplateValue>, name: impl Into<TemplateValue>) -> Self {
        Self::Path {
            account: account.into(),
            name: name.into(),
        }
    }

    /// The queue at `url` (`https://sqs.{region}.amazonaws.com/{account}/{name}`).
    pub fn url(url: impl Into<TemplateValue>) -> Self {
        Self::Url(url.into())
    }
}

/// Sends a message to an SQS queue (a form body, query protocol).
///
/// The message body is the request body unless [`message`](Self::message) says
/// otherwise. For FIFO queues set [`group_id`](Self::group_id) and, unless the queue
/// deduplicates by content, [`deduplication_id`](Self::deduplication_id). Answers 200
/// `{"messageId"}`; SQS errors map to 400 (4xx) and 500 (5xx) with `{"message"}`.
///
/// ```
/// use axum_aws::integration::{Queue, SqsSendMessage, Source};
/// use axum_aws::routing::post;
/// use axum_aws::{AwsRouter, Info};
///
/// let router: AwsRouter = AwsRouter::new().route(
///     "/orders",
///     post(|| async { "" }).integration(
///         SqsSendMessage::new("${region}", Queue::new("${account_id}", "orders.fifo"))
///             .group_id(Source::body("$.customerId"))
///             .deduplication_id(Source::context("requestId"))
///             .credentials("${apigw_sqs_role_arn}"),
///     ),
/// );
/// let private = router.spec(Info::new("orders", "1")).render_private()?.to_json();
/// assert!(private.contains("arn:aws:apigateway:${region}:sqs:path/${account_id}/orders.fifo"));
/// # Ok::<(), axum_aws::SpecErrors>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub struct SqsSendMessage {
    region: TemplateValue,
    queue: Queue,
    message: Source,
    group_id: Option<Source>,
    deduplication_id: Option<Source>,
    attributes: Vec<(String, Source)>,
    #[serde(default)]
    pub(super) options: IntegrationOptions,
}

impl SqsSendMessage {
    /// Sends the request body to `queue`.
    pub fn new(region: impl Into<TemplateValue>, queue: Queue) -> Self {
        Self {
            region: region.into(),
            queue,
            message: Source::WholeBody,
            group_id: None,
            deduplication_id: None,
            attributes: Vec::new(),
            options: IntegrationOptions::default(),
        }
    }

    /// Where the message body comes from (default: the whole request body).
    ///
    /// ```
    /// use axum_aws::integration::{Queue, SqsSendMessage, Source};
    ///
    /// let send = SqsSendMessage::new("${region}", Queue::url("${queue_url}")).message(Source::body("$.payload"));
    /// # let _ = send;
    /// ```
    pub fn message(mut self, message: Source) -> Self {
        self.message = message;
        self
    }

    /// `MessageGroupId` (FIFO queues).
    ///
    /// ```
    /// use axum_aws::integration::{Queue, SqsSendMessage, Source};
    ///
    /// let send = SqsSendMessage::new("${region}", Queue::url("${queue_url}")).group_id(Source::path("tenant"));
    /// # let _ = send;
    /// ```
    pub fn group_id(mut self, group_id: Source) -> Self {
        self.group_id = Some(group_id);
        self
    }

    /// `MessageDeduplicationId` (FIFO queues without content-based deduplication).
    ///
    /// ```
    /// use axum_aws::integration::{Queue, SqsSendMessage, Source};
    ///
    /// let send = SqsSendMessage::new("${region}", Queue::url("${queue_url}")).deduplication_id(Source::header("Idempotency-Key"));
    /// # let _ = send;
    /// ```
    pub fn deduplication_id(mut self, id: Source) -> Self {
        self.deduplication_id = Some(id);
        self
    }

    /// Adds a `String` message attribute (SQS rejects an empty value with 400).
    ///
    /// ```
    /// use axum_aws::integration::{Queue, SqsSendMessage, Source};
    ///
    /// let send = SqsSendMessage::new("${region}", Queue::url("${queue_url}")).attribute("source", Source::context("identity.sourceIp"));
    /// # let _ = send;
    /// ```
    pub fn attribute(mut self, name: impl Into<String>, value: Source) -> Self {
        self.attributes.push((name.into(), value));
        self
    }

    /// `SQS-SendMessage` with its parameters (HTTP APIs).
    pub(super) fn subtype(&self) -> Result<super::Subtype, Vec<String>> {
        let mut problems = Vec::new();
        let mut subtype = super::Subtype::new("SQS-SendMessage");
        let queue_url: TemplateValue = match &self.queue {
            Queue::Url(url) => url.clone(),
            Queue::Path { account, name } => {
                format!("https://sqs.{}.amazonaws.com/{account}/{name}", self.region).into()
            }
        };
        subtype.fixed("QueueUrl", &queue_url);
        subtype.source("MessageBody", &self.message, &mut problems);
        if let Some(group) = &self.group_id {
            subtype.source("MessageGroupId", group, &mut problems);
        }
        if let Some(id) = &self.deduplication_id {
            subtype.source("MessageDeduplicationId", id, &mut problems);
        }
        if !self.attributes.is_empty() {
            // One JSON string with `${request.…}` selections inside (HTTP API syntax).
            let mut json = Pieces::from("{");
            for (i, (name, value)) in self.attributes.iter().enumerate() {
                match value.http_api_in_json_string() {
                    Ok(text) => {
                        if i > 0 {
                            json.push_text(",");
                        }
                        json.push_text(&format!(
                            "\"{}\":{{\"DataType\":\"String\",\"StringValue\":\"",
                            vtl::json_text(name)
                        ));
                        json.push_pieces(&text);
                        json.push_text("\"}");
                    }
                    Err(problem) => problems.push(format!("MessageAttributes {name:?}: {problem}")),
                }
            }
            json.push_text("}");
            subtype.parameters.push(("MessageAttributes", json));
        }
        subtype.fixed("Region", &self.region);
        if problems.is_empty() {
            Ok(subtype)
        } else {
            Err(problems)
        }
    }

    /// 200 `{"messageId"}`; SQS's errors as 400 and 500.
    pub(super) fn generated_responses(&self) -> Vec<IntegrationResponse> {
        vec![
            IntegrationResponse::default_status(200).template(
                "application/json",
                "{\"messageId\": \"$input.path('$.SendMessageResponse.SendMessageResult.MessageId')\"}",
            ),
            vtl::service_error("4\\d{2}", 400),
            vtl::service_error("5\\d{2}", 500),
        ]
    }

    fn generated_template(&self) -> String {
        let mut form = Form::default();
        form.fixed("Action", &"SendMessage".into());
        if let Queue::Url(url) = &self.queue {
            form.fixed("QueueUrl", url);
        }
        form.field("MessageBody", &self.message, false);
        if let Some(group) = &self.group_id {
            form.field("MessageGroupId", group, false);
        }
        if let Some(id) = &self.deduplication_id {
            form.field("MessageDeduplicationId", id, false);
        }
        message_attributes(&mut form, "MessageAttribute", &self.attributes);
        form.finish()
    }
}

shared_knobs!(SqsSendMessage);

impl From<SqsSendMessage> for AwsService {
    fn from(value: SqsSendMessage) -> Self {
        let mut generated = vtl::json_request(value.generated_template());
        query_protocol(&mut generated);
        generated.responses = value.generated_responses();
        let uri = match &value.queue {
            Queue::Path { account, name } => {
                vtl::arn(&value.region, "sqs", "path", &format!("{account}/{name}"))
            }
            Queue::Url(_) => vtl::arn(&value.region, "sqs", "action", "SendMessage"),
        };
        vtl::service(Method::Post, uri, generated, value.options)
    }
}

impl From<SqsSendMessage> for Integration {
    fn from(value: SqsSendMessage) -> Self {
        Self::SqsSendMessage(value)
    }
}

impl SqsSendMessage {
    /// Calls `visit` with each template value and the knob it is.
    pub(crate) fn visit_knobs(&self, visit: &mut dyn FnMut(Knob, &TemplateValue)) {
        // Every field named: a new one does not compile until it is classified.
        let Self {
            region,
            queue,
            message,
            group_id,
            deduplication_id,
            attributes,
            options,
        } = self;
        visit(Knob::SqsRegion, region);
        match queue {
            Queue::Path { account, name } => {
                visit(Knob::SqsQueueAccount, account);
                visit(Knob::SqsQueueName, name);
            }
            Queue::Url(url) => visit(Knob::SqsQueueUrl, url),
        }
        let sources = std::iter::once(message)
            .chain(group_id)
            .chain(deduplication_id)
            .chain(attributes.iter().map(|(_, source)| source));
        for source in sources {
            source.visit_knobs(visit);
        }
        options.visit_knobs(visit);
    }
}

impl SqsSendMessage {
    /// `sqs:SendMessage` on the queue.
    pub(crate) fn service_action(&self) -> ServiceAction<'_> {
        ServiceAction {
            actions: vec!["sqs:SendMessage".to_owned()],
            resource: ServiceResource::Queue(&self.queue),
            region: Some(&self.region),
            role: self.options.credentials.as_ref(),
        }
    }
}
