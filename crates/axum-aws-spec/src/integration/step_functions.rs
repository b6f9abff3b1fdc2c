//! Step Functions `StartExecution` and `StartSyncExecution`.

use super::vtl::{self, Source};
use super::{AwsService, Integration, IntegrationOptions, IntegrationResponse, shared_knobs};
use crate::resolved::{ServiceAction, ServiceResource};
use crate::value_kind::Knob;
use crate::{Method, TemplateValue};
use serde::{Deserialize, Serialize};

/// Starts a state machine execution with the request as its input.
///
/// The body is the execution input, escaped as the JSON string Step Functions expects
/// (`$util.escapeJavaScript($input.json('$'))`, with `\'` put back to `'`). Fields added
/// with [`input_field`](Self::input_field) are merged into that object (a body that is not
/// an object goes under `"body"`).
///
/// - [`start_execution`](Self::start_execution) (standard workflows) answers 200 with
///   `executionArn` and `startDate`.
/// - [`start_sync_execution`](Self::start_sync_execution) (express workflows) answers with
///   the execution's output; a `FAILED` or `ABORTED` execution answers 500 (see
///   [`failed_status`](Self::failed_status)), a `TIMED_OUT` one 504, each with
///   `{"error", "cause"}`.
///
/// Service errors map to 400 (4xx) and 500 (5xx) with `{"message"}`.
///
/// ```
/// use axum_aws::integration::{Source, StepFunctions};
/// use axum_aws::routing::post;
/// use axum_aws::{AwsRouter, Info};
///
/// let router: AwsRouter = AwsRouter::new().route(
///     "/orders/{customer}",
///     post(|| async { "" }).integration(
///         StepFunctions::start_sync_execution("${region}", "${order_workflow_arn}")
///             .input_field("customer", Source::path("customer"))
///             .failed_status(422)
///             .credentials("${apigw_sfn_role_arn}"),
///     ),
/// );
/// let private = router.spec(Info::new("orders", "1")).render_private()?.to_json();
/// assert!(private.contains("arn:aws:apigateway:${region}:states:action/StartSyncExecution"));
/// assert!(private.contains("\"422\""));
/// # Ok::<(), axum_aws::SpecErrors>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub struct StepFunctions {
    region: TemplateValue,
    state_machine_arn: TemplateValue,
    sync: bool,
    input_fields: Vec<(String, Source)>,
    name: Option<Source>,
    failed_status: u16,
    timed_out_status: u16,
    #[serde(default)]
    pub(super) options: IntegrationOptions,
}

impl StepFunctions {
    /// `StartExecution` of `state_machine_arn` (any workflow type; answers at once).
    pub fn start_execution(
        region: impl Into<TemplateValue>,
        state_machine_arn: impl Into<TemplateValue>,
    ) -> Self {
        Self {
            region: region.into(),
            state_machine_arn: state_machine_arn.into(),
            sync: false,
            input_fields: Vec::new(),
            name: None,
            failed_status: 500,
            timed_out_status: 504,
            options: IntegrationOptions::default(),
        }
    }

    /// `StartSyncExecution` of `state_machine_arn` (express workflows only): waits and
    /// answers with the output.
    pub fn start_sync_execution(
        region: impl Into<TemplateValue>,
        state_machine_arn: impl Into<TemplateValue>,
    ) -> Self {
        Self {
            sync: true,
            ..Self::start_execution(region, state_machine_arn)
        }
    }

    /// Merges `name: <value>` into the execution input (e.g. a path or query parameter);
    /// it wins over a body field of the same name.
    ///
    /// ```
    /// use axum_aws::integration::{Source, StepFunctions};
    ///
    /// let start = StepFunctions::start_execution("eu-west-1", "${workflow_arn}")
    ///     .input_field("orderId", Source::path("id"))
    ///     .input_field("dryRun", Source::query("dry_run"));
    /// # let _ = start;
    /// ```
    pub fn input_field(mut self, name: impl Into<String>, value: Source) -> Self {
        self.input_fields.push((name.into(), value));
        self
    }

    /// Names the execution (e.g. `Source::context("requestId")`, which makes retries of
    /// one request idempotent for standard workflows).
    ///
    /// ```
    /// use axum_aws::integration::{Source, StepFunctions};
    ///
    /// let start = StepFunctions::start_execution("${region}", "${workflow_arn}")
    ///     .execution_name(Source::context("requestId"));
    /// # let _ = start;
    /// ```
    pub fn execution_name(mut self, name: Source) -> Self {
        self.name = Some(name);
        self
    }

    /// Status for a sync execution that ended `FAILED` or `ABORTED` (default 500).
    ///
    /// ```
    /// use axum_aws::integration::StepFunctions;
    ///
    /// let validate = StepFunctions::start_sync_execution("${region}", "${validator_arn}").failed_status(400);
    /// # let _ = validate;
    /// ```
    pub fn failed_status(mut self, status: u16) -> Self {
        self.failed_status = status;
        self
    }

    /// Status for a sync execution that ended `TIMED_OUT` (default 504).
    ///
    /// ```
    /// use axum_aws::integration::StepFunctions;
    ///
    /// let slow = StepFunctions::start_sync_execution("${region}", "${report_arn}").timed_out_status(503);
    /// # let _ = slow;
    /// ```
    pub fn timed_out_status(mut self, status: u16) -> Self {
        self.timed_out_status = status;
        self
    }

    /// `StepFunctions-StartExecution` or `-StartSyncExecution` with its parameters (HTTP
    /// APIs). The client gets Step Functions' own answer: no status mapping.
    pub(super) fn subtype(&self) -> Result<super::Subtype, Vec<String>> {
        let mut problems = Vec::new();
        let name = if self.sync {
            "StepFunctions-StartSyncExecution"
        } else {
            "StepFunctions-StartExecution"
        };
        let mut subtype = super::Subtype::new(name);
        subtype.fixed("StateMachineArn", &self.state_machine_arn);
        if self.input_fields.is_empty() {
            subtype.source("Input", &Source::WholeBody, &mut problems);
        } else {
            let names: Vec<&str> = self.input_fields.iter().map(|(n, _)| n.as_str()).collect();
            problems.push(format!(
                "input fields {names:?} are merged into the body by a mapping template; HTTP APIs pass the body ($request.body) as the input unchanged, so send those values in the body, or use the rest target"
            ));
        }
        if let Some(source) = &self.name {
            subtype.source("Name", source, &mut problems);
        }
        if self.failed_status != 500 || self.timed_out_status != 504 {
            problems.push(format!(
                "failed/timed-out statuses ({}/{}) are set by a response mapping template; an HTTP API answers with Step Functions' own response (200 with the execution's status), so drop `.failed_status`/`.timed_out_status`, or use the rest target",
                self.failed_status, self.timed_out_status
            ));
        }
        subtype.fixed("Region", &self.region);
        if problems.is_empty() {
            Ok(subtype)
        } else {
            Err(problems)
        }
    }

    /// The execution's success response; Step Functions' errors as 400 and 500.
    pub(super) fn generated_responses(&self) -> Vec<IntegrationResponse> {
        vec![
            self.success(),
            vtl::service_error("4\\d{2}", 400),
            vtl::service_error("5\\d{2}", 500),
        ]
    }

    fn generated_template(&self) -> String {
        let mut out = String::new();
        let input = if self.input_fields.is_empty() {
            "$util.escapeJavaScript($input.json('$')).replaceAll(\"\\\\'\", \"'\")".to_owned()
        } else {
            // Merge into the body object textually: VTL cannot edit parsed JSON.
            out.push_str("#set($body = $input.json('$'))\n");
            out.push_str("#if($body.startsWith(\"{\"))#set($last = $body.length() - 1)#set($fields = $body.substring(1, $last))#else#set($fields = \"\"\"body\"\": $body\")#end\n");
            out.push_str(
                "#if($fields.matches(\"\\s*\"))#set($sep = \"\")#else#set($sep = \", \")#end\n",
            );
            let mut merged = String::new();
            for (i, (name, source)) in self.input_fields.iter().enumerate() {
                let var = format!("f{i}");
                out.push_str(&source.set(&var));
                out.push_str(&format!(
                    "#set($e{i} = \"\")#if(${var} != \"\")#set($e{i} = $util.escapeJavaScript(${var}).replaceAll(\"\\\\'\", \"'\"))#end\n"
                ));
                if i > 0 {
                    merged.push_str(", ");
                }
                let key = vtl::json_text(name).replace('"', "\"\"");
                merged.push_str(&format!("\"\"{key}\"\": \"\"$e{i}\"\""));
            }
            out.push_str(&format!("#set($merged = \"{{$fields$sep{merged}}}\")\n"));
            "$util.escapeJavaScript($merged).replaceAll(\"\\\\'\", \"'\")".to_owned()
        };
        let mut name = String::new();
        if let Some(source) = &self.name {
            out.push_str(&source.set("name"));
            name = format!(", \"name\": \"{}\"", vtl::json_escaped("name"));
        }
        out.push_str(&format!(
            "{{\"input\": \"{input}\", \"stateMachineArn\": \"{}\"{name}}}",
            vtl::json_text(self.state_machine_arn.as_str())
        ));
        out
    }

    fn success(&self) -> IntegrationResponse {
        let json = "application/json";
        if !self.sync {
            return IntegrationResponse::default_status(200).template(json, "$input.json('$')");
        }
        let template = format!(
            "#set($status = $input.path('$.status'))\n\
             #if($status == \"SUCCEEDED\")\n\
             $input.path('$.output')\n\
             #else\n\
             #if($status == \"TIMED_OUT\")\n\
             #set($context.responseOverride.status = {timed_out})\n\
             #else\n\
             #set($context.responseOverride.status = {failed})\n\
             #end\n\
             #set($error = \"$!input.path('$.error')\")\n\
             #set($cause = \"$!input.path('$.cause')\")\n\
             {{\"status\": \"$status\", \"error\": \"{error}\", \"cause\": \"{cause}\"}}\n\
             #end",
            timed_out = self.timed_out_status,
            failed = self.failed_status,
            error = vtl::json_escaped("error"),
            cause = vtl::json_escaped("cause"),
        );
        IntegrationResponse::default_status(200)
            .template(json, template)
            .may_override_status(self.failed_status)
            .may_override_status(self.timed_out_status)
    }
}

shared_knobs!(StepFunctions);

impl From<StepFunctions> for AwsService {
    fn from(value: StepFunctions) -> Self {
        let action = if value.sync {
            "StartSyncExecution"
        } else {
            "StartExecution"
        };
        let mut generated = vtl::json_request(value.generated_template());
        generated.responses = value.generated_responses();
        vtl::service(
            Method::Post,
            vtl::arn(&value.region, "states", "action", action),
            generated,
            value.options,
        )
    }
}

impl From<StepFunctions> for Integration {
    fn from(value: StepFunctions) -> Self {
        Self::StepFunctions(value)
    }
}

impl StepFunctions {
    /// Calls `visit` with each template value and the knob it is.
    pub(crate) fn visit_knobs(&self, visit: &mut dyn FnMut(Knob, &TemplateValue)) {
        // Every field named: a new one does not compile until it is classified.
        let Self {
            region,
            state_machine_arn,
            sync: _,
            input_fields,
            name,
            failed_status: _,
            timed_out_status: _,
            options,
        } = self;
        visit(Knob::StepFunctionsRegion, region);
        visit(Knob::StateMachineArn, state_machine_arn);
        for source in input_fields.iter().map(|(_, source)| source).chain(name) {
            source.visit_knobs(visit);
        }
        options.visit_knobs(visit);
    }
}

impl StepFunctions {
    /// `states:StartExecution` (or `StartSyncExecution`) on the state machine.
    pub(crate) fn service_action(&self) -> ServiceAction<'_> {
        let action = if self.sync {
            "states:StartSyncExecution"
        } else {
            "states:StartExecution"
        };
        ServiceAction {
            actions: vec![action.to_owned()],
            resource: ServiceResource::StateMachine(&self.state_machine_arn),
            region: Some(&self.region),
            role: self.options.credentials.as_ref(),
        }
    }
}
