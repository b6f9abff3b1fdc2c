//! Values the service builders read from the request, and the VTL they write for them.
//!
//! Every template the builders generate follows the same pattern: each value is first
//! captured as a string with `#set($name = "…")` (quiet references, so a missing value
//! is the empty string, never the reference's own text), then written out escaped for
//! its destination: `$util.escapeJavaScript(…)` inside JSON strings (with API Gateway's
//! `\'` turned back into `'`, which JSON does not allow), `$util.urlEncode(…)` in form
//! bodies. No `${…}` formal reference is ever written: in the private spec that would be
//! a Terraform placeholder.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::{AwsService, IntegrationOptions, IntegrationResponse};
use crate::template::Pieces;
use crate::{Method, TemplateValue};

/// The integration a service builder generated, with the user's own knobs laid over it:
/// set values win, maps are merged key by key, responses replace those with the same pattern.
pub(crate) fn service(
    method: Method,
    uri: String,
    generated: IntegrationOptions,
    user: IntegrationOptions,
) -> AwsService {
    let mut options = generated;
    options.credentials = user.credentials.or(options.credentials);
    options.timeout_millis = user.timeout_millis.or(options.timeout_millis);
    options.passthrough = user.passthrough.or(options.passthrough);
    options.content_handling = user.content_handling.or(options.content_handling);
    options.cache_namespace = user.cache_namespace.or(options.cache_namespace);
    options
        .cache_key_parameters
        .extend(user.cache_key_parameters);
    options.request_parameters.extend(user.request_parameters);
    options.request_templates.extend(user.request_templates);
    overlay_responses(&mut options.responses, user.success_status, user.responses);
    let mut service = AwsService::new(method, uri);
    service.options = options;
    service
}

/// A service builder's generated integration responses with the user's laid over them:
/// `success_status` sets the success (`default`) response's status, and each declared
/// response replaces the generated one of its pattern.
pub(crate) fn overlay_responses(
    responses: &mut Vec<IntegrationResponse>,
    success_status: Option<u16>,
    declared: impl IntoIterator<Item = IntegrationResponse>,
) {
    if let Some(status) = success_status
        && let Some(success) = responses.iter_mut().find(|r| r.pattern == "default")
    {
        success.status = status;
    }
    for response in declared {
        responses.retain(|r| r.pattern != response.pattern);
        responses.push(response);
    }
}

/// Generated options that start every service builder: the request mapping template for
/// JSON bodies, and other content types refused (415) rather than passed to the service.
pub(crate) fn json_request(template: String) -> IntegrationOptions {
    let mut options = IntegrationOptions::default();
    options
        .request_templates
        .insert("application/json".into(), template.into());
    options.passthrough = Some(super::Passthrough::Never);
    options
}

/// `arn:aws:apigateway:{region}:{service}:{kind}/{rest}`.
pub(crate) fn arn(region: &TemplateValue, service: &str, kind: &str, rest: &str) -> String {
    format!("arn:aws:apigateway:{region}:{service}:{kind}/{rest}")
}

/// Where a value in a generated mapping template comes from.
///
/// ```
/// use axum_aws::integration::Source;
///
/// let id = Source::path("id");
/// let name = Source::body("$.customer.name");
/// let fixed = Source::literal("${environment}"); // a Terraform placeholder is fine here
/// let greeting = Source::template("order $input.path('$.id') from $context.identity.sourceIp");
/// assert_ne!(id, name);
/// # let _ = (fixed, greeting);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "from", content = "value", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Source {
    /// The raw request body (`$input.body`).
    WholeBody,
    /// A JSONPath into the JSON request body (`$input.path('$.a.b')`).
    Body(String),
    /// A path parameter of the route.
    Path(String),
    /// A query-string parameter.
    Query(String),
    /// A request header.
    Header(String),
    /// A `$context` variable, e.g. `requestId` or `identity.sourceIp`.
    Context(String),
    /// A fixed value, written as is (Terraform placeholders allowed).
    Literal(TemplateValue),
    /// A VTL string template, e.g. `"order $input.path('$.id')"` (write `$x`, not `${x}`).
    Template(String),
}

impl Source {
    /// The whole raw request body.
    pub fn whole_body() -> Self {
        Self::WholeBody
    }

    /// A JSONPath into the request body, e.g. `$.id` (a bare `id` means `$.id`).
    pub fn body(json_path: impl Into<String>) -> Self {
        let path = json_path.into();
        if path.starts_with('$') {
            Self::Body(path)
        } else {
            Self::Body(format!("$.{path}"))
        }
    }

    /// A path parameter of the route (`{id}` in `/items/{id}`).
    pub fn path(name: impl Into<String>) -> Self {
        Self::Path(name.into())
    }

    /// A query-string parameter.
    pub fn query(name: impl Into<String>) -> Self {
        Self::Query(name.into())
    }

    /// A request header.
    pub fn header(name: impl Into<String>) -> Self {
        Self::Header(name.into())
    }

    /// A `$context` variable (`requestId`, `identity.sourceIp`, `requestTimeEpoch`, …).
    pub fn context(name: impl Into<String>) -> Self {
        Self::Context(name.into())
    }

    /// A fixed value (Terraform placeholders such as `${env}` allowed).
    pub fn literal(value: impl Into<TemplateValue>) -> Self {
        Self::Literal(value.into())
    }

    /// A VTL string template; its references are resolved per request.
    pub fn template(vtl: impl Into<String>) -> Self {
        Self::Template(vtl.into())
    }

    /// A VTL string literal whose value is this source, as text (empty when missing).
    pub(crate) fn string_expression(&self) -> String {
        match self {
            Self::WholeBody => "\"$!input.body\"".to_owned(),
            Self::Body(path) => format!("\"$!input.path('{}')\"", single_quoted(path)),
            Self::Path(name) => param("path", name),
            Self::Query(name) => param("querystring", name),
            Self::Header(name) => param("header", name),
            Self::Context(name) => format!("\"$!context.{name}\""),
            // Single quotes: VTL does not interpolate them, so `$`/`#` stay text.
            Self::Literal(value) => format!("'{}'", single_quoted(value.as_str())),
            Self::Template(vtl) => format!("\"{}\"", vtl.replace('"', "\"\"")),
        }
    }

    /// The value as an HTTP API parameter mapping: `$request.path.id`,
    /// `$request.body.a.b`, `$context.requestId` or the literal text (its placeholders
    /// kept as placeholders).
    ///
    /// # Errors
    /// A VTL template (HTTP APIs have none).
    pub(crate) fn http_api(&self) -> Result<Pieces, String> {
        Ok(match self.http_api_expression()? {
            Some(expression) => Pieces::from(format!("${expression}")),
            None => match self {
                Self::Literal(value) => Pieces::from(value),
                _ => Pieces::default(),
            },
        })
    }

    /// The value inside a longer HTTP API mapping string: `${request.path.id}`, or the
    /// literal text escaped for a JSON string (placeholders kept).
    pub(crate) fn http_api_in_json_string(&self) -> Result<Pieces, String> {
        Ok(match self.http_api_expression()? {
            Some(expression) => Pieces::from(format!("${{{expression}}}")),
            None => match self {
                Self::Literal(value) => Pieces::from(value).map_text(json_text),
                _ => Pieces::default(),
            },
        })
    }

    /// The selection expression without its `$` (`request.path.id`); `None` for a literal.
    fn http_api_expression(&self) -> Result<Option<String>, String> {
        if let Self::Template(vtl) = self {
            return Err(format!(
                "the value {vtl:?} is a VTL template; HTTP APIs have no mapping templates, so use a request value (Source::path, query, header, body, context) or a literal"
            ));
        }
        Ok(match self {
            Self::WholeBody => Some("request.body".to_owned()),
            Self::Body(path) => {
                let rest = path.strip_prefix('$').unwrap_or(path);
                Some(format!("request.body{rest}"))
            }
            Self::Path(name) => Some(format!("request.path.{name}")),
            Self::Query(name) => Some(format!("request.querystring.{name}")),
            Self::Header(name) => Some(format!("request.header.{name}")),
            Self::Context(name) => Some(format!("context.{name}")),
            Self::Literal(_) | Self::Template(_) => None,
        })
    }

    /// `#set($var = …)` capturing this source as a string.
    pub(crate) fn set(&self, var: &str) -> String {
        format!("#set(${var} = {})\n", self.string_expression())
    }
}

fn param(location: &str, name: &str) -> String {
    format!(
        "\"$!input.params().{location}.get('{}')\"",
        single_quoted(name)
    )
}

/// Text for a single-quoted VTL string literal (`'` doubled).
fn single_quoted(text: &str) -> String {
    text.replace('\'', "''")
}

/// `$var` escaped for the inside of a JSON string. An empty value is not passed to
/// `escapeJavaScript`: LocalStack's turns it into `{}`.
pub(crate) fn json_escaped(var: &str) -> String {
    format!("#if(${var} != \"\")$util.escapeJavaScript(${var}).replaceAll(\"\\\\'\", \"'\")#end")
}

/// `$var` URL-encoded for a form body.
pub(crate) fn url_encoded(var: &str) -> String {
    format!("$util.urlEncode(${var})")
}

/// A VTL variable name made from arbitrary text: `f_` + letters, digits and `_`.
pub(crate) fn var_name(prefix: &str, text: &str) -> String {
    let mut out = String::from(prefix);
    for c in text.chars() {
        out.push(if c.is_ascii_alphanumeric() { c } else { '_' });
    }
    out
}

/// Text escaped for the inside of a JSON string literal written into a template at build time.
pub(crate) fn json_text(text: &str) -> String {
    let quoted = serde_json::to_string(text).unwrap_or_default();
    quoted[1..quoted.len() - 1].to_owned()
}

/// Form-body fields (`Name=value&…`): fixed names, values captured from sources.
#[derive(Default)]
pub(crate) struct Form {
    sets: String,
    /// (text, optional): optional fields carry their own `&` inside an `#if`.
    fields: Vec<(String, bool)>,
}

impl Form {
    /// A field with a value known at build time (URL-encoded now, or by VTL if it holds
    /// a Terraform placeholder, whose value only Terraform knows).
    pub(crate) fn fixed(&mut self, name: &str, value: &TemplateValue) {
        let text = value.as_str();
        let field = if text.contains("${") {
            format!("{name}=$util.urlEncode('{}')", single_quoted(text))
        } else {
            format!("{name}={}", form_encode(text))
        };
        self.fields.push((field, false));
    }

    /// A field whose value comes from the request; `optional` fields are left out when empty.
    pub(crate) fn field(&mut self, name: &str, source: &Source, optional: bool) {
        let var = var_name("v_", name);
        self.sets.push_str(&source.set(&var));
        let field = if optional {
            format!("#if(${var} != \"\")&{name}={}#end", url_encoded(&var))
        } else {
            format!("{name}={}", url_encoded(&var))
        };
        self.fields.push((field, optional));
    }

    /// The template: the captures, then the fields on one line.
    pub(crate) fn finish(self) -> String {
        let mut out = self.sets;
        for (i, (field, optional)) in self.fields.into_iter().enumerate() {
            if i > 0 && !optional {
                out.push('&');
            }
            out.push_str(&field);
        }
        out
    }
}

/// Members of a JSON object written by a template, each present only when its value is
/// (a separator variable puts the commas right whatever is left out).
pub(crate) struct Members {
    sep: String,
    members: Vec<(Option<String>, String)>,
}

impl Members {
    /// An object whose separator variable is `$<sep>`.
    pub(crate) fn new(sep: &str) -> Self {
        Self {
            sep: sep.to_owned(),
            members: Vec::new(),
        }
    }

    /// A member written only when `#if(condition)` holds (`None`: always).
    pub(crate) fn push(&mut self, condition: Option<String>, text: String) {
        self.members.push((condition, text));
    }

    /// `{` members `}` as VTL. Commas are plain text after the first member that is
    /// always there; before it, `$sep` says whether one is needed.
    pub(crate) fn finish(&self) -> String {
        let sep = &self.sep;
        let mut out = String::from("{");
        let mut anchored = false;
        let mut conditional_before = false;
        for (condition, text) in &self.members {
            let (prefix, after) = match (anchored, conditional_before) {
                (true, _) => (", ".to_owned(), String::new()),
                (false, false) => (String::new(), format!("#set(${sep} = \", \")")),
                (false, true) => (format!("${sep}"), format!("#set(${sep} = \", \")")),
            };
            match condition {
                Some(condition) => {
                    if !anchored && !conditional_before {
                        out.push_str(&format!("#set(${sep} = \"\")"));
                    }
                    let prefix = if anchored { prefix } else { format!("${sep}") };
                    out.push_str(&format!("#if({condition}){prefix}{text}{after}#end"));
                    conditional_before = true;
                }
                None => {
                    out.push_str(&format!("{prefix}{text}"));
                    anchored = true;
                }
            }
        }
        out.push('}');
        out
    }
}

/// The error body of an AWS service (`{"__type", "message"}`, `{"Error": {"Message"}}`)
/// answered as `{"message"}`.
pub(crate) fn service_error(pattern: &str, status: u16) -> IntegrationResponse {
    IntegrationResponse::new(pattern, status).template(
        "application/json",
        format!(
            "#set($message = \"$!input.path('$.message')$!input.path('$.Message')$!input.path('$.Error.Message')\")\n{{\"message\": \"{}\"}}",
            json_escaped("message")
        ),
    )
}

/// `application/x-www-form-urlencoded` encoding of fixed text.
fn form_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                out.push(byte as char);
            }
            b' ' => out.push('+'),
            _ => {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
    out
}

impl Source {
    /// Calls `visit` with the template value of a literal source.
    pub(crate) fn visit_knobs(
        &self,
        visit: &mut dyn FnMut(crate::value_kind::Knob, &TemplateValue),
    ) {
        match self {
            Self::Literal(value) => visit(crate::value_kind::Knob::SourceLiteral, value),
            Self::WholeBody
            | Self::Body(_)
            | Self::Path(_)
            | Self::Query(_)
            | Self::Header(_)
            | Self::Context(_)
            | Self::Template(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_quiet_string_literals() {
        assert_eq!(
            Source::body("name").string_expression(),
            "\"$!input.path('$.name')\""
        );
        assert_eq!(
            Source::path("id").string_expression(),
            "\"$!input.params().path.get('id')\""
        );
        assert_eq!(Source::literal("it's $5").string_expression(), "'it''s $5'");
        assert_eq!(
            Source::template("say \"hi\" $x").string_expression(),
            "\"say \"\"hi\"\" $x\""
        );
    }

    #[test]
    fn forms_join_fields_and_keep_optional_ones_conditional() {
        let mut form = Form::default();
        form.fixed("Action", &"Publish".into());
        form.fixed("TopicArn", &"${topic_arn}".into());
        form.field("Subject", &Source::query("subject"), true);
        form.field("Message", &Source::whole_body(), false);
        assert_eq!(
            form.finish(),
            "#set($v_Subject = \"$!input.params().querystring.get('subject')\")\n\
             #set($v_Message = \"$!input.body\")\n\
             Action=Publish&TopicArn=$util.urlEncode('${topic_arn}')\
             #if($v_Subject != \"\")&Subject=$util.urlEncode($v_Subject)#end\
             &Message=$util.urlEncode($v_Message)"
        );
        assert_eq!(form_encode("a b/c:d"), "a+b%2Fc%3Ad");
    }
}
