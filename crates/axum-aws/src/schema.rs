//! TEMPORARY stand-in until the converter lands.
use serde_json::Value;
use std::collections::BTreeMap;
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dialect {
    OpenApi30,
    ApiGateway,
}
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NameClash {
    pub(crate) target: String,
    pub(crate) names: Vec<String>,
}
impl std::fmt::Display for NameClash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.names)
    }
}
pub(crate) fn model_names<'a>(
    names: impl IntoIterator<Item = &'a str>,
) -> Result<BTreeMap<String, String>, Vec<NameClash>> {
    Ok(names
        .into_iter()
        .map(|n| {
            (
                n.to_owned(),
                n.chars().filter(char::is_ascii_alphanumeric).collect(),
            )
        })
        .collect())
}
pub(crate) fn convert(
    schema: &Value,
    _dialect: Dialect,
    _renames: &BTreeMap<String, String>,
) -> (Value, Vec<String>) {
    (schema.clone(), Vec::new())
}
