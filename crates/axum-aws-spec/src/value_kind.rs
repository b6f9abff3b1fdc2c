//! What each template value of the model stands for, and the text it must be when it is
//! not a placeholder.
//!
//! A value typed as an ARN, a URL or a resource name reaches the gateway as written: a
//! mistyped placeholder (`$fn_arn`, `{fn_arn}`, `${fn_arn} `) would be imported as text
//! and rejected by API Gateway much later. [`Knob`] names every template-valued field of
//! the model ([`ApiSpec::visit_knobs`](crate::ApiSpec) enumerates them), each with the
//! [`ValueKind`] whose validator checks it when the spec is built.

use crate::TemplateValue;
use crate::error::ErrorKind;
use crate::template::{Piece, is_identifier};

/// Stands for a placeholder or an API Gateway variable in a value's shape: any text.
const HOLE: char = '\u{1}';

/// What a template value stands for. Each kind has one validator (`ValueKind::problem`):
/// a value is valid when it is exactly one placeholder, or when its literal text has the
/// kind's shape (placeholders and API Gateway variables inside it may stand for any text).
///
/// The [resolved view](crate::resolved) says what each placeholder stands for:
///
/// ```
/// use axum_aws_spec::integration::LambdaProxy;
/// use axum_aws_spec::resolved::ValueKind;
/// use axum_aws_spec::{ApiSettings, ApiSpec, Info, Method, RouteMeta};
///
/// let mut route = RouteMeta::new(Method::Get, "/");
/// route.integration = Some(LambdaProxy::new("${api_invoke_arn}").into());
/// let spec = ApiSpec::new(Info::new("Demo", "1"), ApiSettings::default(), vec![route]);
/// let view = spec.resolve();
/// assert_eq!(view.placeholders()[0].kinds(), [ValueKind::LambdaInvokeUri]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ValueKind {
    /// Free text: mapping templates, header values, literals.
    Text,
    /// A Lambda invocation URI (`arn:aws:apigateway:…:lambda:path/…/invocations`) or a
    /// function ARN (HTTP APIs take either).
    LambdaInvokeUri,
    /// An IAM role ARN.
    RoleArn,
    /// An API Gateway service-integration URI (`arn:aws:apigateway:REGION:SERVICE:…`).
    AwsServiceUri,
    /// An HTTP backend: an `http://` or `https://` URL, or (VPC link) a load balancer
    /// listener or Cloud Map service ARN.
    HttpBackend,
    /// A VPC link id.
    VpcLinkId,
    /// An AWS region (`eu-west-1`).
    Region,
    /// A 12-digit AWS account id.
    AccountId,
    /// An SQS queue name.
    QueueName,
    /// An SQS queue URL.
    QueueUrl,
    /// An SNS topic ARN.
    TopicArn,
    /// An S3 bucket name.
    BucketName,
    /// A fixed S3 object key (a URI path: no blanks, braces or `$`).
    ObjectKey,
    /// A DynamoDB table name.
    TableName,
    /// A Step Functions state machine ARN.
    StateMachineArn,
    /// An EventBridge event bus name or ARN.
    EventBusName,
    /// A Cognito user pool ARN.
    UserPoolArn,
    /// An OpenID Connect issuer URL.
    IssuerUrl,
    /// A CORS origin: `*` or `scheme://host[:port]`.
    CorsOrigin,
    /// A VPC endpoint id (`vpce-…`).
    VpcEndpointId,
}

impl ValueKind {
    /// What a valid value of this kind looks like, for messages.
    pub(crate) fn expected(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::LambdaInvokeUri => {
                "a Lambda invocation ARN (arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations) or a function ARN"
            }
            Self::RoleArn => "an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)",
            Self::AwsServiceUri => {
                "an API Gateway service URI (arn:aws:apigateway:REGION:SERVICE:path/… or :action/…)"
            }
            Self::HttpBackend => {
                "an http:// or https:// URL (or, over a VPC link, a listener or Cloud Map service ARN)"
            }
            Self::VpcLinkId => "a VPC link id (lowercase letters and digits)",
            Self::Region => "an AWS region (eu-west-1)",
            Self::AccountId => "a 12-digit AWS account id",
            Self::QueueName => {
                "an SQS queue name (letters, digits, '-', '_', up to 80, optionally .fifo)"
            }
            Self::QueueUrl => "an SQS queue URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME)",
            Self::TopicArn => "an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)",
            Self::BucketName => "an S3 bucket name (3 to 63 lowercase letters, digits, '.', '-')",
            Self::ObjectKey => "an S3 object key (no blanks, braces or '$')",
            Self::TableName => "a DynamoDB table name (3 to 255 letters, digits, '_', '-', '.')",
            Self::StateMachineArn => {
                "a state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME)"
            }
            Self::EventBusName => {
                "an event bus name or ARN (arn:aws:events:REGION:ACCOUNT:event-bus/NAME)"
            }
            Self::UserPoolArn => {
                "a Cognito user pool ARN (arn:aws:cognito-idp:REGION:ACCOUNT:userpool/ID)"
            }
            Self::IssuerUrl => "an https:// issuer URL",
            Self::CorsOrigin => "\"*\", a placeholder or a scheme://host[:port] origin",
            Self::VpcEndpointId => "a VPC endpoint id (vpce-…)",
        }
    }

    /// Why `value` is not of this kind, or `None` when it is (or when its placeholders
    /// are invalid, which the placeholder check reports).
    pub(crate) fn problem(self, value: &TemplateValue) -> Option<&'static str> {
        if self == Self::Text {
            return None;
        }
        let shape = shape(value)?;
        let mut pieces = shape.chars();
        if pieces.next() == Some(HOLE) && pieces.next().is_none() {
            return None;
        }
        let valid = match self {
            Self::Text => true,
            Self::LambdaInvokeUri => arn(&shape, &["apigateway", "lambda"]),
            Self::RoleArn => arn(&shape, &["iam"]),
            Self::AwsServiceUri => arn(&shape, &["apigateway"]),
            Self::HttpBackend => {
                (url(&shape, false) && no_blanks(&shape))
                    || arn(&shape, &["elasticloadbalancing", "servicediscovery"])
            }
            Self::VpcLinkId => chars(&shape, |c| c.is_ascii_lowercase() || c.is_ascii_digit()),
            Self::Region => region(&shape),
            Self::AccountId => {
                chars(&shape, |c| c.is_ascii_digit()) && (shape.contains(HOLE) || shape.len() == 12)
            }
            Self::QueueName => {
                let name = shape.strip_suffix(".fifo").unwrap_or(&shape);
                name_of(name, 1, 80, |c| {
                    c.is_ascii_alphanumeric() || "-_".contains(c)
                })
            }
            Self::QueueUrl | Self::IssuerUrl => {
                url(&shape, true) && no_blanks(&shape) && !shape.contains(['{', '}'])
            }
            Self::TopicArn => arn(&shape, &["sns"]),
            Self::BucketName => name_of(&shape, 3, 63, |c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || ".-".contains(c)
            }),
            Self::ObjectKey => no_blanks(&shape) && !shape.contains(['{', '}']),
            Self::TableName => name_of(&shape, 3, 255, |c| {
                c.is_ascii_alphanumeric() || "_-.".contains(c)
            }),
            Self::StateMachineArn => arn(&shape, &["states"]),
            Self::EventBusName => {
                arn(&shape, &["events"])
                    || name_of(&shape, 1, 256, |c| {
                        c.is_ascii_alphanumeric() || "._-/".contains(c)
                    })
            }
            Self::UserPoolArn => arn(&shape, &["cognito-idp"]),
            Self::CorsOrigin => {
                shape == "*"
                    || (url(&shape, false)
                        && !shape.ends_with('/')
                        && !shape.contains(['\'', '"', ',', '{', '}'])
                        && no_blanks(&shape))
            }
            Self::VpcEndpointId => {
                shape.starts_with("vpce-")
                    && chars(&shape["vpce-".len()..], |c| c.is_ascii_hexdigit())
            }
        };
        (!valid).then_some(self.expected())
    }
}

/// The value's text with each placeholder and API Gateway variable as [`HOLE`]; `None`
/// when a placeholder is invalid.
fn shape(value: &TemplateValue) -> Option<String> {
    value.check().ok()?;
    let mut out = String::with_capacity(value.as_str().len());
    for piece in value.pieces() {
        match piece {
            Piece::Placeholder(_) | Piece::GatewayVariable(_) => out.push(HOLE),
            Piece::Text(text) => out.push_str(text),
        }
    }
    Some(out)
}

/// Every character is a hole or satisfies `allowed`, and there is one.
fn chars(shape: &str, allowed: impl Fn(char) -> bool) -> bool {
    !shape.is_empty() && shape.chars().all(|c| c == HOLE || allowed(c))
}

/// `chars`, with a length between `min` and `max` when no placeholder is in it.
fn name_of(shape: &str, min: usize, max: usize, allowed: impl Fn(char) -> bool) -> bool {
    chars(shape, allowed) && (shape.contains(HOLE) || (min..=max).contains(&shape.len()))
}

/// No whitespace, control character or stray `$` (a mistyped placeholder).
fn no_blanks(shape: &str) -> bool {
    !shape
        .chars()
        .any(|c| c != HOLE && (c.is_whitespace() || c.is_control() || c == '$' || c == '"'))
}

/// An ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`) of one of `services`, or a
/// value that starts with a placeholder (which may stand for the ARN's start).
fn arn(shape: &str, services: &[&str]) -> bool {
    if !no_blanks(shape) || shape.contains(['{', '}']) {
        return false;
    }
    if shape.starts_with(HOLE) {
        return true;
    }
    let parts: Vec<&str> = shape.splitn(6, ':').collect();
    if parts.len() < 6 {
        // A placeholder may stand for several fields (`arn:aws:iam::${rest}`).
        return parts.first() == Some(&"arn") && parts.len() >= 2 && shape.contains(HOLE);
    }
    parts[0] == "arn"
        && !parts[1].is_empty()
        && (parts[2].contains(HOLE) || services.contains(&parts[2]))
        && !parts[5].is_empty()
}

/// An `https://` (or, unless `https_only`, `http://`) URL with a host, or one that
/// starts with a placeholder.
fn url(shape: &str, https_only: bool) -> bool {
    if shape.starts_with(HOLE) {
        return true;
    }
    let rest = shape
        .strip_prefix("https://")
        .or_else(|| shape.strip_prefix("http://").filter(|_| !https_only));
    rest.is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
}

/// `eu-west-1`, `us-gov-west-1`, or a placeholder in it.
fn region(shape: &str) -> bool {
    if !chars(shape, |c| {
        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
    }) {
        return false;
    }
    if shape.contains(HOLE) {
        return true;
    }
    let parts: Vec<&str> = shape.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

/// Declares [`Knob`]: each template-valued field of the model, its label in messages,
/// its [`ValueKind`] and the [`ErrorKind`] a bad value is reported as. `Knob::ALL` and
/// the `match`es come from the one list.
macro_rules! knobs {
    ($($knob:ident => $label:literal, $kind:ident, $error:ident;)*) => {
        /// A template-valued field of the model.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub(crate) enum Knob {
            $(
                #[doc = $label]
                $knob,
            )*
        }

        impl Knob {
            /// Every knob, in declaration order.
            #[cfg(test)]
            pub(crate) const ALL: &'static [Knob] = &[$(Knob::$knob),*];

            /// How messages name the field.
            pub(crate) fn label(self) -> &'static str {
                match self {
                    $(Self::$knob => $label,)*
                }
            }

            /// What the field's value stands for.
            pub(crate) fn kind(self) -> ValueKind {
                match self {
                    $(Self::$knob => ValueKind::$kind,)*
                }
            }

            /// What a bad value of the field is reported as.
            pub(crate) fn error_kind(self) -> ErrorKind {
                match self {
                    $(Self::$knob => ErrorKind::$error,)*
                }
            }
        }
    };
}

knobs! {
    LambdaProxyUri => "Lambda proxy integration URI", LambdaInvokeUri, Integration;
    LambdaUri => "Lambda integration URI", LambdaInvokeUri, Integration;
    HttpUrl => "HTTP integration URL", HttpBackend, Integration;
    HttpVpcLink => "HTTP integration VPC link", VpcLinkId, Integration;
    MockHeader => "mock header value", Text, Integration;
    MockBody => "mock body", Text, Integration;
    AwsServiceUri => "AWS service integration URI", AwsServiceUri, Integration;
    Credentials => "integration credentials", RoleArn, Integration;
    RequestParameter => "integration request parameter", Text, Integration;
    RequestTemplate => "integration request template", Text, Integration;
    ResponseHeader => "integration response header", Text, Integration;
    ResponseTemplate => "integration response template", Text, Integration;
    SourceLiteral => "literal source value", Text, Integration;
    SqsRegion => "SQS region", Region, Integration;
    SqsQueueAccount => "SQS queue account", AccountId, Integration;
    SqsQueueName => "SQS queue name", QueueName, Integration;
    SqsQueueUrl => "SQS queue URL", QueueUrl, Integration;
    SnsRegion => "SNS region", Region, Integration;
    SnsTopicArn => "SNS topic ARN", TopicArn, Integration;
    S3Region => "S3 region", Region, Integration;
    S3Bucket => "S3 bucket", BucketName, Integration;
    S3Key => "S3 key", ObjectKey, Integration;
    StepFunctionsRegion => "Step Functions region", Region, Integration;
    StateMachineArn => "Step Functions state machine ARN", StateMachineArn, Integration;
    EventBridgeRegion => "EventBridge region", Region, Integration;
    EventBus => "EventBridge event bus", EventBusName, Integration;
    DynamoDbRegion => "DynamoDB region", Region, Integration;
    DynamoDbTable => "DynamoDB table name", TableName, Integration;
    LambdaAuthorizerUri => "Lambda authorizer URI", LambdaInvokeUri, Authorizer;
    LambdaAuthorizerCredentials => "Lambda authorizer credentials", RoleArn, Authorizer;
    CognitoUserPool => "Cognito user pool", UserPoolArn, Authorizer;
    JwtIssuer => "JWT issuer", IssuerUrl, Authorizer;
    JwtAudience => "JWT audience", Text, Authorizer;
    CorsOrigin => "CORS origin", CorsOrigin, Cors;
    VpcEndpointId => "VPC endpoint id", VpcEndpointId, Setting;
    GatewayResponseHeader => "gateway response header", Text, Setting;
    GatewayResponseTemplate => "gateway response template", Text, Setting;
    PolicyString => "resource policy value", Text, Setting;
}

impl Knob {
    /// The message for `value` at this knob when it is not of the knob's kind: it quotes
    /// the value and says what to write.
    pub(crate) fn problem(self, value: &TemplateValue) -> Option<String> {
        let expected = self.kind().problem(value)?;
        let text = value.as_str();
        let mut message = if self.kind() == ValueKind::CorsOrigin {
            // Its own wording names placeholders already.
            format!("{} {text:?} is not {expected}", self.label())
        } else {
            format!(
                "{} {text:?} is neither a placeholder nor {expected}",
                self.label()
            )
        };
        // `$name`, `{name}`, `${name} `: a placeholder typed wrong.
        let bare = text.trim().trim_start_matches('$').trim_start_matches('{');
        let bare = bare.strip_suffix('}').unwrap_or(bare);
        if is_identifier(bare) {
            message.push_str(&format!(
                "; write \"${{{bare}}}\" for the Terraform variable {bare}"
            ));
        } else if self.kind() != ValueKind::CorsOrigin {
            message
                .push_str("; write it as AWS spells it, or \"${name}\" for a Terraform variable");
        }
        Some(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mistyped_placeholder_is_named_with_the_fix() {
        let message = Knob::LambdaProxyUri
            .problem(&TemplateValue::from("$orders_invoke_arn"))
            .unwrap();
        assert_eq!(
            message,
            "Lambda proxy integration URI \"$orders_invoke_arn\" is neither a placeholder nor a Lambda invocation ARN (arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations) or a function ARN; write \"${orders_invoke_arn}\" for the Terraform variable orders_invoke_arn"
        );
    }

    #[test]
    fn gateway_variables_stand_for_any_text() {
        let uri = TemplateValue::from(
            "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${stageVariables.fn}/invocations",
        );
        assert_eq!(ValueKind::LambdaInvokeUri.problem(&uri), None);
        assert!(
            ValueKind::VpcLinkId
                .problem(&"${stageVariables.link}".into())
                .is_none()
        );
    }

    #[test]
    fn regions_and_accounts() {
        for good in [
            "eu-west-1",
            "us-gov-west-1",
            "ap-southeast-2",
            "${region}",
            "eu-${zone}-1",
        ] {
            assert_eq!(ValueKind::Region.problem(&good.into()), None, "{good}");
        }
        for bad in ["eu_west_1", "EU-WEST-1", "west", "eu-west-x"] {
            assert!(ValueKind::Region.problem(&bad.into()).is_some(), "{bad}");
        }
        assert_eq!(ValueKind::AccountId.problem(&"123456789012".into()), None);
        assert!(ValueKind::AccountId.problem(&"12345".into()).is_some());
    }

    /// For each kind: literal values and partially templated values that must pass.
    fn valid(kind: ValueKind) -> &'static [&'static str] {
        match kind {
            ValueKind::Text => &["anything at all", "x ${a} y"],
            ValueKind::LambdaInvokeUri => &[
                "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:orders/invocations",
                "arn:aws:lambda:eu-west-1:123456789012:function:orders",
                "arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${fn_arn}/invocations",
            ],
            ValueKind::RoleArn => &[
                "arn:aws:iam::123456789012:role/orders",
                "arn:aws:iam::${account_id}:role/orders",
            ],
            ValueKind::AwsServiceUri => &[
                "arn:aws:apigateway:eu-west-1:sqs:path/123456789012/orders",
                "arn:aws:apigateway:${region}:sqs:path/${account_id}/orders",
            ],
            ValueKind::HttpBackend => &[
                "https://api.example.com/items/{id}",
                "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/1/2",
                "https://${backend_host}/items/{id}",
            ],
            ValueKind::VpcLinkId => &["abc123", "link${suffix}"],
            ValueKind::Region => &["eu-west-1", "eu-${zone}-1"],
            ValueKind::AccountId => &["123456789012", "1234${rest}"],
            ValueKind::QueueName => &["orders.fifo", "orders-${env}"],
            ValueKind::QueueUrl => &[
                "https://sqs.eu-west-1.amazonaws.com/123456789012/orders",
                "https://sqs.${region}.amazonaws.com/${account_id}/orders",
            ],
            ValueKind::TopicArn => &[
                "arn:aws:sns:eu-west-1:123456789012:alerts",
                "arn:aws:sns:${region}:${account_id}:alerts",
            ],
            ValueKind::BucketName => &["uploads.example", "uploads-${env}"],
            ValueKind::TableName => &["orders", "orders-${env}"],
            ValueKind::ObjectKey => &["reports/latest.json", "reports/${env}.json"],
            ValueKind::StateMachineArn => &[
                "arn:aws:states:eu-west-1:123456789012:stateMachine:orders",
                "arn:aws:states:${region}:${account_id}:stateMachine:orders",
            ],
            ValueKind::EventBusName => &[
                "shop",
                "arn:aws:events:${region}:${account_id}:event-bus/shop",
            ],
            ValueKind::UserPoolArn => &[
                "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc",
                "arn:aws:cognito-idp:${region}:${account_id}:userpool/${user_pool_id}",
            ],
            ValueKind::IssuerUrl => &[
                "https://example.eu.auth0.com/",
                "https://cognito-idp.${region}.amazonaws.com/${user_pool_id}",
            ],
            ValueKind::CorsOrigin => &["*", "https://app.example.com", "https://${domain}"],
            ValueKind::VpcEndpointId => &["vpce-0123abcd", "vpce-${id}"],
        }
    }

    /// A spec whose value at `knob` is `value`, every other value valid.
    fn with(knob: Knob, value: &str) -> crate::ApiSpec {
        use crate::auth::{CognitoAuthorizer, JwtAuthorizer, LambdaAuthorizer, Security};
        use crate::integration::{
            AwsService, Field, Http, Integration, IntegrationResponse, Lambda, LambdaProxy, Mock,
            PathPart, PutEvents, Queue, S3, SnsPublish, Source, SqsSendMessage, StepFunctions,
            Table,
        };
        use crate::{ApiSettings, Cors, GatewayResponse, Info, Method, RouteMeta};

        let v = || TemplateValue::from(value);
        let lambda = || LambdaProxy::new("${fn_arn}");
        let sqs = |region: TemplateValue, queue: Queue| SqsSendMessage::new(region, queue);
        let table = |region: TemplateValue, name: TemplateValue| {
            Table::new(region, name, Field::s("id").from(Source::path("id"))).get_item()
        };
        let mut route = RouteMeta::new(Method::Post, "/items/{id}");
        let mut settings = ApiSettings::default();
        // The table: one row per knob, and the match makes a knob without a row a
        // compile error.
        let integration: Integration = match knob {
            Knob::LambdaProxyUri => LambdaProxy::new(v()).into(),
            Knob::LambdaUri => Lambda::new(v()).into(),
            Knob::HttpUrl => Http::proxy(Method::Post, v()).into(),
            Knob::HttpVpcLink => Http::proxy(Method::Post, "https://backend.example.com")
                .vpc_link(v())
                .into(),
            Knob::MockHeader => Mock::new(200).header("X-A", v()).into(),
            Knob::MockBody => Mock::new(200).body("application/json", v()).into(),
            Knob::AwsServiceUri => AwsService::new(Method::Post, v()).into(),
            Knob::Credentials => lambda().credentials(v()).into(),
            Knob::RequestParameter => lambda()
                .request_parameter("integration.request.header.x-a", v())
                .into(),
            Knob::RequestTemplate => Lambda::new("${fn_arn}")
                .request_template("application/json", v())
                .into(),
            Knob::ResponseHeader => Lambda::new("${fn_arn}")
                .response(IntegrationResponse::default_status(200).header("X-A", v()))
                .into(),
            Knob::ResponseTemplate => Lambda::new("${fn_arn}")
                .response(
                    IntegrationResponse::default_status(200).template("application/json", v()),
                )
                .into(),
            Knob::SourceLiteral => sqs("${region}".into(), Queue::new("${account_id}", "orders"))
                .message(Source::literal(v()))
                .into(),
            Knob::SqsRegion => sqs(v(), Queue::new("${account_id}", "orders")).into(),
            Knob::SqsQueueAccount => sqs("${region}".into(), Queue::new(v(), "orders")).into(),
            Knob::SqsQueueName => sqs("${region}".into(), Queue::new("${account_id}", v())).into(),
            Knob::SqsQueueUrl => sqs("${region}".into(), Queue::url(v())).into(),
            Knob::SnsRegion => SnsPublish::new(v(), "${topic_arn}").into(),
            Knob::SnsTopicArn => SnsPublish::new("${region}", v()).into(),
            Knob::S3Region => S3::get_object(v(), "${bucket}", PathPart::param("id")).into(),
            Knob::S3Bucket => S3::get_object("${region}", v(), PathPart::param("id")).into(),
            Knob::S3Key => S3::get_object("${region}", "${bucket}", v()).into(),
            Knob::StepFunctionsRegion => {
                StepFunctions::start_execution(v(), "${machine_arn}").into()
            }
            Knob::StateMachineArn => StepFunctions::start_execution("${region}", v()).into(),
            Knob::EventBridgeRegion => PutEvents::new(v(), "shop", "Sale").into(),
            Knob::EventBus => PutEvents::new("${region}", "shop", "Sale").bus(v()).into(),
            Knob::DynamoDbRegion => table(v(), "${table}".into()).into(),
            Knob::DynamoDbTable => table("${region}".into(), v()).into(),
            Knob::LambdaAuthorizerUri => {
                route.security = Some(Security::from(LambdaAuthorizer::token("auth", v())));
                lambda().into()
            }
            Knob::LambdaAuthorizerCredentials => {
                let authorizer = LambdaAuthorizer::token("auth", "${auth_arn}").credentials(v());
                route.security = Some(Security::from(authorizer));
                lambda().into()
            }
            Knob::CognitoUserPool => {
                route.security = Some(Security::from(CognitoAuthorizer::new("users", [v()])));
                lambda().into()
            }
            Knob::JwtIssuer => {
                let jwt = JwtAuthorizer::new("users", v(), ["${client_id}"]);
                route.security = Some(Security::from(jwt));
                lambda().into()
            }
            Knob::JwtAudience => {
                let jwt = JwtAuthorizer::new("users", "https://issuer.example.com", [v()]);
                route.security = Some(Security::from(jwt));
                lambda().into()
            }
            Knob::CorsOrigin => {
                route.cors = Some(Cors::new().allow_origin(v()));
                lambda().into()
            }
            Knob::VpcEndpointId => {
                settings = settings.private_endpoint([v()]);
                lambda().into()
            }
            Knob::GatewayResponseHeader => {
                let response = GatewayResponse::new().header("X-A", v());
                settings = settings.gateway_response("UNAUTHORIZED", response);
                lambda().into()
            }
            Knob::GatewayResponseTemplate => {
                let response = GatewayResponse::new().template("application/json", v());
                settings = settings.gateway_response("ACCESS_DENIED", response);
                lambda().into()
            }
            Knob::PolicyString => {
                let policy = serde_json::json!({"Statement": [{"Resource": value}]});
                settings = settings.policy(crate::ResourcePolicy::from_serialize(&policy).unwrap());
                lambda().into()
            }
        };
        let mut integration = integration;
        if knob != Knob::Credentials {
            integration.options_mut().credentials = Some("${role_arn}".into());
        }
        route.integration = Some(integration);
        crate::ApiSpec::new(Info::new("t", "1"), settings, vec![route])
    }

    /// Every knob the table sets is the one the model's enumeration finds there.
    fn knobs_of(spec: &crate::ApiSpec) -> Vec<(Knob, String)> {
        let mut found = Vec::new();
        spec.visit_knobs(&mut |_, knob, value| found.push((knob, value.as_str().to_owned())));
        found
    }

    #[test]
    fn every_knob_rejects_mistyped_placeholders_and_keeps_valid_values() {
        for &knob in Knob::ALL {
            let kind = knob.kind();
            // The row sets the knob the enumeration reports.
            let marked = with(knob, "${under_test}");
            assert!(
                knobs_of(&marked).contains(&(knob, "${under_test}".to_owned())),
                "{knob:?}: the table's row does not set it, or the model's enumeration misses it"
            );
            assert_eq!(marked.check(), Ok(()), "{knob:?} with a placeholder");
            for good in valid(kind) {
                assert_eq!(with(knob, good).check(), Ok(()), "{knob:?} with {good:?}");
            }
            for bad in ["$orders_x", "{orders_x}", "${orders_x} ", "orders_x"] {
                let errors = with(knob, bad).check().err();
                let accepted = kind == ValueKind::Text
                    || (bad == "orders_x"
                        && matches!(
                            kind,
                            ValueKind::QueueName
                                | ValueKind::TableName
                                | ValueKind::EventBusName
                                | ValueKind::ObjectKey
                        ));
                if accepted {
                    assert_eq!(errors, None, "{knob:?} with {bad:?}");
                    continue;
                }
                let errors = errors.unwrap_or_else(|| panic!("{knob:?} accepts {bad:?}"));
                // Other checks may add their own (an http url's `{orders_x}` is not a
                // path parameter either); the value kind's is there once.
                let prefix = format!("{} {bad:?} is ", knob.label());
                let mine: Vec<_> = errors
                    .errors()
                    .iter()
                    .filter(|e| e.message().starts_with(&prefix))
                    .collect();
                assert_eq!(mine.len(), 1, "{knob:?} with {bad:?}: {errors}");
                let error = mine[0];
                assert_eq!(error.kind(), knob.error_kind());
                assert!(
                    error.message().contains("write \"${orders_x}\""),
                    "{knob:?}: {}",
                    error.message()
                );
                let on_route = !matches!(
                    knob,
                    Knob::VpcEndpointId
                        | Knob::GatewayResponseHeader
                        | Knob::GatewayResponseTemplate
                        | Knob::PolicyString
                );
                let route = on_route.then(|| "POST /items/{id}".to_owned());
                assert_eq!(error.route(), route.as_deref(), "{knob:?}");
            }
        }
    }

    #[test]
    fn the_enumeration_finds_every_placeholder_the_documents_use() {
        // One spec with every knob set to a placeholder of its own: the placeholders the
        // private spec uses (found on the rendered integrations) are those the knobs hold.
        let mut routes = Vec::new();
        let mut settings = crate::ApiSettings::default();
        for (i, &knob) in Knob::ALL.iter().enumerate() {
            let mut spec = with(knob, &format!("${{k{i}}}"));
            let mut route = spec.routes.remove(0);
            route.path = format!("/k{i}/{{id}}").as_str().into();
            if let Some(crate::auth::Security { alternatives }) = &mut route.security {
                for grant in alternatives.iter_mut().flat_map(|r| r.all.iter_mut()) {
                    if let crate::auth::Authorizer::Lambda(lambda) = &mut grant.authorizer {
                        lambda.name = format!("auth{i}");
                    }
                    if let crate::auth::Authorizer::Cognito(cognito) = &mut grant.authorizer {
                        cognito.name = format!("users{i}");
                    }
                    if let crate::auth::Authorizer::Jwt(jwt) = &mut grant.authorizer {
                        jwt.name = format!("jwt{i}");
                    }
                }
            }
            routes.push(route);
            settings.absorb(spec.settings);
        }
        let spec = crate::ApiSpec::new(crate::Info::new("t", "1"), settings, routes);
        let mut from_knobs = std::collections::BTreeSet::new();
        spec.visit_knobs(&mut |_, _, value| {
            from_knobs.extend(value.placeholders().unwrap().into_iter().map(str::to_owned));
        });
        let used: std::collections::BTreeSet<String> = spec.placeholders().into_keys().collect();
        assert_eq!(used, from_knobs);
        for (i, knob) in Knob::ALL.iter().enumerate() {
            assert!(from_knobs.contains(&format!("k{i}")), "{knob:?}");
        }
    }
}
