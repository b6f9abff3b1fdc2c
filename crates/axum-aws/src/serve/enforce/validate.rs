//! A REST API's request validators: required parameters, then the body against the
//! route's draft-4 model, with API Gateway's answers.

use std::collections::BTreeMap;

use axum_aws_spec::doc::ParameterIn;
use axum_aws_spec::{RouteMeta, resolved};
use http::HeaderMap;

use super::answer::Refusal;

/// What one route's validator checks.
pub(crate) struct Validation {
    /// Required header and query parameters as API Gateway keys them
    /// (`method.request.header.x`), sorted: the order of its 400 message.
    parameters: Vec<(String, ParameterIn, String)>,
    /// Body models by media type (none: the body is not validated).
    bodies: BTreeMap<String, jsonschema::Validator>,
}

impl std::fmt::Debug for Validation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Validation")
            .field("parameters", &self.parameters)
            .field("bodies", &self.bodies.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Validation {
    /// The validation of `route` as the resolved view states it (`view`); `None` when
    /// the route has no validator or nothing to check. `problems` collects models that
    /// do not compile.
    pub(crate) fn new(
        route: &RouteMeta,
        view: &resolved::Validation<'_>,
        problems: &mut Vec<String>,
    ) -> Option<Self> {
        let mut parameters = Vec::new();
        if view.validates_parameters() {
            for parameter in view.required_parameters() {
                let location = match parameter.location {
                    ParameterIn::Header => "header",
                    ParameterIn::Query => "querystring",
                    // Present whenever the route matched; cookies are not importable.
                    _ => continue,
                };
                parameters.push((
                    format!("method.request.{location}.{}", parameter.name),
                    parameter.location,
                    parameter.name.clone(),
                ));
            }
            parameters.sort_by(|a, b| a.0.cmp(&b.0));
        }
        let mut bodies = BTreeMap::new();
        if view.validates_body() && view.body().is_some() {
            for (media_type, model) in route.request_models() {
                let compiled = serde_json::from_str(&model.to_json())
                    .map_err(|error| error.to_string())
                    .and_then(|model| {
                        jsonschema::options()
                            .with_draft(jsonschema::Draft::Draft4)
                            .build(&model)
                            .map_err(|error| error.to_string())
                    });
                match compiled {
                    Ok(compiled) => {
                        bodies.insert(media_type.to_ascii_lowercase(), compiled);
                    }
                    Err(error) => problems.push(format!(
                        "{}: the {media_type} body model does not compile ({error}); its body is not validated",
                        route.label()
                    )),
                }
            }
        }
        (!parameters.is_empty() || !bodies.is_empty()).then_some(Self { parameters, bodies })
    }

    /// Whether the body is checked (the request body has to be read first).
    pub(crate) fn checks_body(&self) -> bool {
        !self.bodies.is_empty()
    }

    /// The required parameters missing or blank in the request.
    pub(crate) fn check_parameters(
        &self,
        headers: &HeaderMap,
        query: Option<&str>,
    ) -> Result<(), Refusal> {
        let missing: Vec<String> = self
            .parameters
            .iter()
            .filter(|(_, location, name)| {
                let value = match location {
                    ParameterIn::Header => headers
                        .get(name.as_str())
                        .and_then(|value| value.to_str().ok())
                        .map(str::to_owned),
                    _ => query_value(query, name),
                };
                value.is_none_or(|value| value.trim().is_empty())
            })
            .map(|(_, _, name)| name.clone())
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(Refusal::MissingParameters(missing))
        }
    }

    /// The body against the model of its `Content-Type`: no model for it, no check. An
    /// empty body is checked as `{}` (a model with `required` rejects it, as on AWS).
    pub(crate) fn check_body(
        &self,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<(), Refusal> {
        let media_type = content_type
            .and_then(|value| value.split(';').next())
            .map(|value| value.trim().to_ascii_lowercase());
        let model = media_type
            .as_deref()
            .and_then(|media_type| self.bodies.get(media_type))
            .or_else(|| self.bodies.get("$default"));
        let Some(model) = model else {
            return Ok(());
        };
        let instance = if body.iter().all(u8::is_ascii_whitespace) {
            serde_json::Value::Object(serde_json::Map::new())
        } else {
            serde_json::from_slice(body).map_err(|_| Refusal::InvalidBody)?
        };
        if model.is_valid(&instance) {
            Ok(())
        } else {
            Err(Refusal::InvalidBody)
        }
    }
}

/// The first value of `name` in a query string (percent-decoded).
fn query_value(query: Option<&str>, name: &str) -> Option<String> {
    query?.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(key) == name).then(|| decode(value))
    })
}

/// `+` as space and `%XX` escapes, as form encoding has them.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |byte: u8| (byte as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(high), Some(low)) => {
                        out.push((high * 16 + low) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
