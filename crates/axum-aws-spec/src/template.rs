//! Terraform `templatefile()` placeholders in values such as ARNs and role names.
//!
//! The private spec is rendered by Terraform before API Gateway sees it, so every
//! `${name}` in it is a Terraform variable. Users write values the way API Gateway
//! spells them (`${stageVariables.alias}`, `${AWS::Region}`) and put Terraform
//! variables in as `${identifier}`; the renderer escapes everything else.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Range;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A string that may contain Terraform placeholders written `${name}`.
///
/// `name` must be a Terraform identifier (`[A-Za-z][A-Za-z0-9_]*`). API Gateway's
/// own `${stageVariables.x}` and `${AWS::Region}` forms are kept as text (and escaped
/// as `$${…}` in the private spec). Any other `${…}` is reported when the spec is
/// built, naming the route. Mapping templates are `TemplateValue`s too: write VTL
/// references without braces (`$input.body`, not `${input.body}`).
///
/// The text is parsed once, when the value is made: every use reads where its
/// placeholders are rather than scanning the text again.
///
/// ```
/// use axum_aws::TemplateValue;
///
/// let uri = TemplateValue::from("arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${fn_arn}/invocations");
/// assert_eq!(uri.placeholders().unwrap(), ["region", "fn_arn"]);
/// assert_eq!(TemplateValue::var("fn_arn").as_str(), "${fn_arn}");
/// ```
#[derive(Clone, Debug)]
pub struct TemplateValue {
    text: String,
    /// The `${…}` of `text` that are not text: placeholders and API Gateway variables,
    /// in order.
    holes: Vec<Hole>,
    /// The first `${…}` that is neither, if any.
    invalid: Option<InvalidPlaceholder>,
}

/// Where a `${…}` of a template value is, and what it is.
#[derive(Clone, Debug)]
struct Hole {
    /// The whole `${…}`, as a byte range of the text.
    range: Range<usize>,
    /// A Terraform placeholder (else an API Gateway variable, which is text).
    placeholder: bool,
}

/// A `${…}` that is neither a Terraform identifier nor an API Gateway variable.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct InvalidPlaceholder {
    /// The offending text, e.g. `${lambda-arn}`.
    pub text: String,
}

impl fmt::Display for InvalidPlaceholder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.text.starts_with("$${") {
            write!(
                f,
                "{:?} is already terraform-escaped; write it as API Gateway spells it (\"${{…}}\"), the private spec escapes it",
                self.text
            )
        } else {
            write!(
                f,
                "placeholder {:?} is not a Terraform identifier (letters, digits and '_', starting with a letter)",
                self.text
            )
        }
    }
}

impl std::error::Error for InvalidPlaceholder {}

impl TemplateValue {
    /// A value that is exactly the placeholder `${name}`.
    ///
    /// ```
    /// use axum_aws::TemplateValue;
    ///
    /// assert!(TemplateValue::var("role_arn").is_placeholder());
    /// ```
    pub fn var(name: impl AsRef<str>) -> Self {
        Self::from(format!("${{{}}}", name.as_ref()))
    }

    /// The text as written, placeholders included.
    ///
    /// ```
    /// use axum_aws::TemplateValue;
    ///
    /// assert_eq!(TemplateValue::from("x-${id}").as_str(), "x-${id}");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the value is, as a header mapping (a gateway response's or an integration
    /// response's header), an expression API Gateway evaluates (`method.request.header.X`,
    /// `$context.…`, an already quoted `'literal'`), rather than a plain value the export
    /// quotes.
    ///
    /// ```
    /// use axum_aws_spec::TemplateValue;
    ///
    /// assert!(TemplateValue::from("method.request.header.Origin").is_mapping_expression());
    /// assert!(TemplateValue::from("'fixed'").is_mapping_expression());
    /// assert!(!TemplateValue::from("fixed").is_mapping_expression());
    /// ```
    pub fn is_mapping_expression(&self) -> bool {
        crate::render::json::is_expression(&self.text)
    }

    /// Whether the value is exactly one placeholder (e.g. `${role_arn}`).
    ///
    /// ```
    /// use axum_aws::TemplateValue;
    ///
    /// assert!(TemplateValue::from("${role_arn}").is_placeholder());
    /// assert!(!TemplateValue::from("arn:${role_arn}").is_placeholder());
    /// ```
    pub fn is_placeholder(&self) -> bool {
        self.invalid.is_none()
            && matches!(self.holes.as_slice(), [one] if one.placeholder && one.range == (0..self.text.len()))
    }

    /// The placeholder names, in order of appearance (repeats included).
    ///
    /// # Errors
    /// The first `${…}` that is neither a Terraform identifier nor an API Gateway variable.
    pub fn placeholders(&self) -> Result<Vec<&str>, InvalidPlaceholder> {
        self.check()?;
        Ok(self
            .pieces()
            .filter_map(|piece| match piece {
                Piece::Placeholder(name) => Some(name),
                Piece::Text(_) | Piece::GatewayVariable(_) => None,
            })
            .collect())
    }

    /// The first `${…}` that is neither a Terraform identifier nor an API Gateway
    /// variable, if any ([`placeholders`](Self::placeholders) without the names).
    pub(crate) fn check(&self) -> Result<(), InvalidPlaceholder> {
        match &self.invalid {
            Some(invalid) => Err(invalid.clone()),
            None => Ok(()),
        }
    }

    /// The value's runs of text, placeholders and API Gateway variables, in order. An
    /// invalid `${…}` is text (the checks report it before anything is rendered).
    pub(crate) fn pieces(&self) -> impl Iterator<Item = Piece<'_>> {
        let text = self.text.as_str();
        let mut at = 0;
        let mut holes = self.holes.iter().peekable();
        std::iter::from_fn(move || {
            if let Some(hole) = holes.peek() {
                if hole.range.start > at {
                    let run = &text[at..hole.range.start];
                    at = hole.range.start;
                    return Some(Piece::Text(run));
                }
                let hole = holes.next()?;
                at = hole.range.end;
                let whole = &text[hole.range.clone()];
                return Some(if hole.placeholder {
                    Piece::Placeholder(&whole[2..whole.len() - 1])
                } else {
                    Piece::GatewayVariable(whole)
                });
            }
            (at < text.len()).then(|| {
                let run = &text[at..];
                at = text.len();
                Piece::Text(run)
            })
        })
    }

    /// The text with each placeholder replaced by `value(name)` (what `templatefile()` does).
    ///
    /// ```
    /// use axum_aws::TemplateValue;
    ///
    /// let value = TemplateValue::from("arn:${fn}:${AWS::Region}");
    /// assert_eq!(value.render(|name| name.to_uppercase()), "arn:FN:${AWS::Region}");
    /// ```
    pub fn render(&self, mut value: impl FnMut(&str) -> String) -> String {
        let mut out = String::with_capacity(self.text.len());
        for piece in self.pieces() {
            match piece {
                Piece::Placeholder(name) => out.push_str(&value(name)),
                Piece::Text(text) | Piece::GatewayVariable(text) => out.push_str(text),
            }
        }
        out
    }
}

impl From<String> for TemplateValue {
    fn from(text: String) -> Self {
        let mut holes = Vec::new();
        let mut invalid = None;
        if find_open(&text).is_some() {
            for hole in scan(&text) {
                match hole {
                    Ok(hole) => holes.push(hole),
                    Err(bad) => {
                        invalid.get_or_insert(bad);
                    }
                }
            }
        }
        Self {
            text,
            holes,
            invalid,
        }
    }
}

impl From<&str> for TemplateValue {
    fn from(value: &str) -> Self {
        Self::from(value.to_owned())
    }
}

impl From<&String> for TemplateValue {
    fn from(value: &String) -> Self {
        Self::from(value.clone())
    }
}

// Two values are the same value when their texts are (the parse follows from the text).
impl PartialEq for TemplateValue {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for TemplateValue {}

impl Hash for TemplateValue {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl PartialOrd for TemplateValue {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for TemplateValue {
    fn cmp(&self, other: &Self) -> Ordering {
        self.text.cmp(&other.text)
    }
}

impl Serialize for TemplateValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for TemplateValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

impl fmt::Display for TemplateValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Text the renderer puts together from template values and text of its own (a quoted
/// static value, a VTL check of origins, a mapping of a request value): each run is
/// known to be text or a placeholder, so the writers escape the text and write the
/// placeholders in their dialect, and no text can pass for a placeholder.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Pieces(Vec<Part>);

/// A run of [`Pieces`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Part {
    /// Text, written escaped.
    Text(String),
    /// A placeholder's name, written as the dialect writes variables.
    Var(String),
}

impl Pieces {
    /// Appends text (joined to the text before it, so equal content is equal pieces).
    pub(crate) fn push_text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        match self.0.last_mut() {
            Some(Part::Text(last)) => last.push_str(text),
            _ => self.0.push(Part::Text(text.to_owned())),
        }
    }

    /// Appends a placeholder.
    pub(crate) fn push_var(&mut self, name: &str) {
        self.0.push(Part::Var(name.to_owned()));
    }

    /// Appends a template value: its placeholders as placeholders, the rest as text.
    pub(crate) fn push_value(&mut self, value: &TemplateValue) {
        for piece in value.pieces() {
            match piece {
                Piece::Placeholder(name) => self.push_var(name),
                Piece::Text(text) | Piece::GatewayVariable(text) => self.push_text(text),
            }
        }
    }

    /// `value` between `before` and `after` (text).
    pub(crate) fn around(before: &str, value: &Pieces, after: &str) -> Self {
        let mut out = Self::default();
        out.push_text(before);
        out.push_pieces(value);
        out.push_text(after);
        out
    }

    /// Appends other pieces.
    pub(crate) fn push_pieces(&mut self, other: &Pieces) {
        for part in &other.0 {
            match part {
                Part::Text(text) => self.push_text(text),
                Part::Var(name) => self.push_var(name),
            }
        }
    }

    /// The same pieces, each text run changed by `change` (placeholders kept).
    pub(crate) fn map_text(&self, mut change: impl FnMut(&str) -> String) -> Self {
        let mut out = Self::default();
        for part in &self.0 {
            match part {
                Part::Text(text) => out.push_text(&change(text)),
                Part::Var(name) => out.push_var(name),
            }
        }
        out
    }

    /// The runs, in order.
    pub(crate) fn parts(&self) -> &[Part] {
        &self.0
    }

    /// The text, if there is no placeholder in it.
    pub(crate) fn as_text(&self) -> Option<&str> {
        match self.0.as_slice() {
            [] => Some(""),
            [Part::Text(text)] => Some(text),
            _ => None,
        }
    }

    /// The text with each placeholder written `${name}`.
    #[cfg(test)]
    pub(crate) fn to_template_text(&self) -> String {
        let mut out = String::new();
        for part in &self.0 {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Var(name) => {
                    out.push_str("${");
                    out.push_str(name);
                    out.push('}');
                }
            }
        }
        out
    }
}

impl From<&TemplateValue> for Pieces {
    fn from(value: &TemplateValue) -> Self {
        let mut out = Self::default();
        out.push_value(value);
        out
    }
}

impl From<&str> for Pieces {
    fn from(text: &str) -> Self {
        let mut out = Self::default();
        out.push_text(text);
        out
    }
}

impl From<String> for Pieces {
    fn from(text: String) -> Self {
        if text.is_empty() {
            Self::default()
        } else {
            Self(vec![Part::Text(text)])
        }
    }
}

impl fmt::Write for Pieces {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.push_text(text);
        Ok(())
    }
}

/// Whether `name` is a Terraform template variable name.
pub(crate) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A run of a template value's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    /// Literal text.
    Text(&'a str),
    /// A `${name}` placeholder's name.
    Placeholder(&'a str),
    /// An API Gateway variable, `${stageVariables.x}` or `${AWS::Region}` whole: text.
    GatewayVariable(&'a str),
}

/// The `${…}` of `text` in order: placeholders and API Gateway variables, or the
/// invalid ones.
fn scan(text: &str) -> impl Iterator<Item = Result<Hole, InvalidPlaceholder>> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        let start = from + find_open(&text[from..])?;
        if text[..start].ends_with('$') {
            // `$${…}`: already escaped by hand, which would double-escape.
            let end = text[start..]
                .find('}')
                .map_or(text.len(), |i| start + i + 1);
            from = end;
            return Some(Err(InvalidPlaceholder {
                text: text[start - 1..end].to_owned(),
            }));
        }
        let Some(close) = text[start..].find('}') else {
            from = text.len();
            return Some(Err(InvalidPlaceholder {
                text: text[start..].to_owned(),
            }));
        };
        let end = start + close + 1;
        from = end;
        let inner = &text[start + 2..end - 1];
        Some(if is_identifier(inner) || is_gateway_variable(inner) {
            Ok(Hole {
                range: start..end,
                placeholder: is_identifier(inner),
            })
        } else {
            Err(InvalidPlaceholder {
                text: text[start..end].to_owned(),
            })
        })
    })
}

/// Where the first `${` of `text` starts.
pub(crate) fn find_open(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(offset) = bytes[from..].iter().position(|&b| b == b'$') {
        let at = from + offset;
        if bytes.get(at + 1) == Some(&b'{') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// API Gateway's own `${…}` forms, kept literally (and escaped for Terraform).
fn is_gateway_variable(inner: &str) -> bool {
    let dotted = |prefix: &str| {
        inner.strip_prefix(prefix).is_some_and(|name| {
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
        })
    };
    dotted("stageVariables.")
        || dotted("context.")
        || matches!(inner, "AWS::Region" | "AWS::AccountId" | "AWS::Partition")
}

/// `templatefile()` text of `text`: every literal `${` becomes `$${` and `%{` becomes
/// `%%{` (the reference the private spec's writer is tested against).
#[cfg(test)]
pub(crate) fn escape_reference(text: &str) -> String {
    text.replace("${", "$${").replace("%{", "%%{")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terraform(value: &TemplateValue) -> String {
        value.pieces().fold(String::new(), |mut out, piece| {
            match piece {
                Piece::Placeholder(name) => out.push_str(&format!("${{{name}}}")),
                Piece::Text(text) | Piece::GatewayVariable(text) => {
                    out.push_str(&escape_reference(text));
                }
            }
            out
        })
    }

    #[test]
    fn finds_placeholders_and_keeps_gateway_variables() {
        let value = TemplateValue::from("http://${stageVariables.host}/${path_prefix}/x");
        assert_eq!(value.placeholders().unwrap(), ["path_prefix"]);
        assert_eq!(
            terraform(&value),
            "http://$${stageVariables.host}/${path_prefix}/x"
        );
        assert_eq!(
            value.pieces().collect::<Vec<_>>(),
            [
                Piece::Text("http://"),
                Piece::GatewayVariable("${stageVariables.host}"),
                Piece::Text("/"),
                Piece::Placeholder("path_prefix"),
                Piece::Text("/x"),
            ]
        );
    }

    #[test]
    fn rejects_non_identifiers() {
        let err = TemplateValue::from("${lambda-arn}")
            .placeholders()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "placeholder \"${lambda-arn}\" is not a Terraform identifier (letters, digits and '_', starting with a letter)"
        );
        assert!(
            TemplateValue::from("${unterminated")
                .placeholders()
                .is_err()
        );
        let escaped = TemplateValue::from("ab$${x}").placeholders().unwrap_err();
        assert_eq!(escaped.text, "$${x}");
    }

    #[test]
    fn an_invalid_placeholder_is_text_among_the_pieces() {
        let value = TemplateValue::from("a${b-c}${d}");
        assert_eq!(
            value.pieces().collect::<Vec<_>>(),
            [Piece::Text("a${b-c}"), Piece::Placeholder("d")]
        );
    }

    #[test]
    fn escapes_directives_and_aws_variables() {
        let value = TemplateValue::from("arn:${AWS::Partition}:x %{if} ${id}");
        assert_eq!(terraform(&value), "arn:$${AWS::Partition}:x %%{if} ${id}");
    }

    #[test]
    fn exact_placeholder() {
        assert!(TemplateValue::var("a_b").is_placeholder());
        assert!(!TemplateValue::from("x${a}").is_placeholder());
        assert!(!TemplateValue::from("${a}${b}").is_placeholder());
    }

    #[test]
    fn pieces_join_text_and_keep_placeholders() {
        let mut pieces = Pieces::from("'");
        pieces.push_value(&TemplateValue::from("${origin}"));
        pieces.push_text("'");
        assert_eq!(pieces.to_template_text(), "'${origin}'");
        assert_eq!(
            Pieces::from("a").map_text(|t| t.repeat(2)).as_text(),
            Some("aa")
        );
        let mut joined = Pieces::from("a");
        joined.push_text("b");
        assert_eq!(joined, Pieces::from("ab"));
    }
}
