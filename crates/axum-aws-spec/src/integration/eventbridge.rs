//! EventBridge `PutEvents`.

use super::vtl::{self, Members, Source};
use super::{AwsService, Integration, IntegrationOptions, IntegrationResponse, shared_knobs};
use crate::resolved::{ServiceAction, ServiceResource};
use crate::value_kind::Knob;
use crate::{Method, TemplateValue};
use serde::{Deserialize, Serialize};

/// Puts one event on an event bus (`POST …:events:action/PutEvents`, JSON protocol; the
/// `X-Amz-Target` and `Content-Type` headers are set through `requestParameters`).
///
/// The detail is the JSON request body (or the part [`detail_path`](Self::detail_path)
/// selects), escaped into the string EventBridge expects. Answers 200 `{"eventId"}`.
/// PutEvents reports a rejected entry inside a 200 answer (`FailedEntryCount`): that
/// becomes 400 (500 for `InternalFailure`/`ThrottlingException`) with `{"error",
/// "message"}`. Service errors map to 400 (4xx) and 500 (5xx).
///
/// ```
/// use axum_aws::integration::{PutEvents, Source};
/// use axum_aws::routing::post;
/// use axum_aws::{AwsRouter, Info};
///
/// let router: AwsRouter = AwsRouter::new().route(
///     "/orders",
///     post(|| async { "" }).integration(
///         PutEvents::new("${region}", "shop.orders", "OrderPlaced")
///             .bus("${event_bus_name}")
///             .resource(Source::context("requestId"))
///             .credentials("${apigw_events_role_arn}"),
///     ),
/// );
/// let private = router.spec(Info::new("orders", "1")).render_private()?.to_json();
/// assert!(private.contains("'AWSEvents.PutEvents'"));
/// # Ok::<(), axum_aws::SpecErrors>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub struct PutEvents {
    region: TemplateValue,
    source: Source,
    detail_type: Source,
    bus: Option<TemplateValue>,
    detail_path: String,
    resources: Vec<Source>,
    #[serde(default)]
    pub(super) options: IntegrationOptions,
}

impl PutEvents {
    /// An event with a fixed `source` and `detail_type`, on the default bus.
    pub fn new(
        region: impl Into<TemplateValue>,
        source: impl Into<TemplateValue>,
        detail_type: impl Into<TemplateValue>,
    ) -> Self {
        Self {
            region: region.into(),
            source: Source::Literal(source.into()),
            detail_type: Source::Literal(detail_type.into()),
            bus: None,
            detail_path: "$".to_owned(),
            resources: Vec::new(),
            options: IntegrationOptions::default(),
        }
    }

    /// The event bus name or ARN (default: the account's `default` bus).
    ///
    /// ```
    /// use axum_aws::integration::PutEvents;
    ///
    /// let put = PutEvents::new("${region}", "shop", "Sale").bus("${bus_arn}");
    /// # let _ = put;
    /// ```
    pub fn bus(mut self, bus: impl Into<TemplateValue>) -> Self {
        self.bus = Some(bus.into());
        self
    }

    /// Takes the detail-type from the request instead.
    ///
    /// ```
    /// use axum_aws::integration::{PutEvents, Source};
    ///
    /// let put = PutEvents::new("${region}", "shop", "unused").detail_type(Source::path("kind"));
    /// # let _ = put;
    /// ```
    pub fn detail_type(mut self, detail_type: Source) -> Self {
        self.detail_type = detail_type;
        self
    }

    /// Takes the event source from the request instead.
    ///
    /// ```
    /// use axum_aws::integration::{PutEvents, Source};
    ///
    /// let put = PutEvents::new("${region}", "unused", "Sale").source(Source::header("X-Source"));
    /// # let _ = put;
    /// ```
    pub fn source(mut self, source: Source) -> Self {
        self.source = source;
        self
    }

    /// The detail is this JSONPath of the body (default `$`: the whole body); it must
    /// select a JSON object.
    ///
    /// ```
    /// use axum_aws::integration::PutEvents;
    ///
    /// let put = PutEvents::new("${region}", "shop", "Sale").detail_path("$.sale");
    /// # let _ = put;
    /// ```
    pub fn detail_path(mut self, json_path: impl Into<String>) -> Self {
        self.detail_path = json_path.into();
        self
    }

    /// Adds an entry to `Resources` (ARNs the event concerns); left out when empty.
    ///
    /// ```
    /// use axum_aws::integration::{PutEvents, Source};
    ///
    /// let put = PutEvents::new("${region}", "shop", "Sale").resource(Source::body("$.orderArn"));
    /// # let _ = put;
    /// ```
    pub fn resource(mut self, resource: Source) -> Self {
        self.resources.push(resource);
        self
    }

    /// `EventBridge-PutEvents` with its parameters (HTTP APIs). The client gets
    /// EventBridge's own answer (a rejected entry is a 200 with `FailedEntryCount`).
    pub(super) fn subtype(&self) -> Result<super::Subtype, Vec<String>> {
        let mut problems = Vec::new();
        let mut subtype = super::Subtype::new("EventBridge-PutEvents");
        subtype.source("Source", &self.source, &mut problems);
        subtype.source("DetailType", &self.detail_type, &mut problems);
        subtype.source(
            "Detail",
            &Source::Body(self.detail_path.clone()),
            &mut problems,
        );
        if let Some(bus) = &self.bus {
            subtype.fixed("EventBusName", bus);
        }
        if !self.resources.is_empty() {
            problems.push(format!(
                "resources ({} given): the http-api target does not write the subtype's Resources parameter; drop `.resource(..)`, or use the rest target",
                self.resources.len()
            ));
        }
        subtype.fixed("Region", &self.region);
        if problems.is_empty() {
            Ok(subtype)
        } else {
            Err(problems)
        }
    }

    /// 200 `{"eventId"}`, or the failed entry's error as 400 or 500 (PutEvents answers
    /// 200 with `FailedEntryCount`); EventBridge's own errors as 400 and 500.
    pub(super) fn generated_responses(&self) -> Vec<IntegrationResponse> {
        let success = format!(
            "#if($input.path('$.FailedEntryCount') != 0)\n\
             #set($code = \"$!input.path('$.Entries[0].ErrorCode')\")\n\
             #set($message = \"$!input.path('$.Entries[0].ErrorMessage')\")\n\
             #if($code == \"InternalFailure\" || $code == \"ThrottlingException\")\n\
             #set($context.responseOverride.status = 500)\n\
             #else\n\
             #set($context.responseOverride.status = 400)\n\
             #end\n\
             {{\"error\": \"{}\", \"message\": \"{}\"}}\n\
             #else\n\
             {{\"eventId\": \"$input.path('$.Entries[0].EventId')\"}}\n\
             #end",
            vtl::json_escaped("code"),
            vtl::json_escaped("message"),
        );
        vec![
            IntegrationResponse::default_status(200)
                .template("application/json", success)
                .may_override_status(400)
                .may_override_status(500),
            vtl::service_error("4\\d{2}", 400),
            vtl::service_error("5\\d{2}", 500),
        ]
    }

    fn generated_template(&self) -> String {
        let mut out = String::new();
        out.push_str(&self.source.set("source"));
        out.push_str(&self.detail_type.set("detailType"));
        out.push_str(&format!(
            "#set($detail = $input.json('{}'))\n",
            self.detail_path.replace('\'', "''")
        ));
        let mut entry = Members::new("sep");
        entry.push(
            None,
            format!("\"Source\": \"{}\"", vtl::json_escaped("source")),
        );
        entry.push(
            None,
            format!("\"DetailType\": \"{}\"", vtl::json_escaped("detailType")),
        );
        entry.push(
            None,
            format!("\"Detail\": \"{}\"", vtl::json_escaped("detail")),
        );
        if let Some(bus) = &self.bus {
            entry.push(
                None,
                format!("\"EventBusName\": \"{}\"", vtl::json_text(bus.as_str())),
            );
        }
        if !self.resources.is_empty() {
            let mut resources = String::from("#set($rsep = \"\")[");
            for (i, resource) in self.resources.iter().enumerate() {
                let var = format!("r{i}");
                out.push_str(&resource.set(&var));
                resources.push_str(&format!(
                    "#if(${var} != \"\")$rsep\"{}\"#set($rsep = \", \")#end",
                    vtl::json_escaped(&var)
                ));
            }
            resources.push(']');
            entry.push(None, format!("\"Resources\": {resources}"));
        }
        out.push_str(&format!("{{\"Entries\": [{}]}}", entry.finish()));
        out
    }
}

shared_knobs!(PutEvents);

impl From<PutEvents> for AwsService {
    fn from(value: PutEvents) -> Self {
        let mut generated = vtl::json_request(value.generated_template());
        generated.request_parameters.insert(
            "integration.request.header.X-Amz-Target".into(),
            "'AWSEvents.PutEvents'".into(),
        );
        generated.request_parameters.insert(
            "integration.request.header.Content-Type".into(),
            "'application/x-amz-json-1.1'".into(),
        );
        generated.responses = value.generated_responses();
        vtl::service(
            Method::Post,
            vtl::arn(&value.region, "events", "action", "PutEvents"),
            generated,
            value.options,
        )
    }
}

impl From<PutEvents> for Integration {
    fn from(value: PutEvents) -> Self {
        Self::PutEvents(value)
    }
}

impl PutEvents {
    /// Calls `visit` with each template value and the knob it is.
    pub(crate) fn visit_knobs(&self, visit: &mut dyn FnMut(Knob, &TemplateValue)) {
        // Every field named: a new one does not compile until it is classified.
        let Self {
            region,
            source,
            detail_type,
            bus,
            detail_path: _,
            resources,
            options,
        } = self;
        visit(Knob::EventBridgeRegion, region);
        if let Some(bus) = bus {
            visit(Knob::EventBus, bus);
        }
        for source in [source, detail_type].into_iter().chain(resources) {
            source.visit_knobs(visit);
        }
        options.visit_knobs(visit);
    }
}

impl PutEvents {
    /// `events:PutEvents` on the bus (the default one when none is named).
    pub(crate) fn service_action(&self) -> ServiceAction<'_> {
        ServiceAction {
            actions: vec!["events:PutEvents".to_owned()],
            resource: ServiceResource::EventBus(self.bus.as_ref()),
            region: Some(&self.region),
            role: self.options.credentials.as_ref(),
        }
    }
}
