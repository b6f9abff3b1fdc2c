//! Terraform `templatefile()` placeholders in values such as ARNs and role names.
//!
//! The private spec is rendered by Terraform before API Gateway sees it, so every
//! `${name}` in it is a Terraform variable. Users write values the way API Gateway
//! spells them (`${stageVariables.alias}`, `${AWS::Region}`) and put Terraform
//! variables in as `${identifier}`; the renderer escapes everything else.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Start of a placeholder while a document is being built (a private-use code point,
/// so that escaping can run over the finished text without touching placeholders).
pub(crate) const MARK_OPEN: char = '\u{E000}';
/// End of a placeholder while a document is being built.
pub(crate) const MARK_CLOSE: char = '\u{E001}';

/// A string that may contain Terraform placeholders written `${name}`.
///
/// `name` must be a Terraform identifier (`[A-Za-z][A-Za-z0-9_]*`). API Gateway's
/// own `${stageVariables.x}` and `${AWS::Region}` forms are kept as text (and escaped
/// as `$${…}` in the private spec). Any other `${…}` is reported when the spec is
/// built, naming the route. Mapping templates are `TemplateValue`s too: write VTL
/// references without braces (`$input.body`, not `${input.body}`).
///
/// ```
/// use axum_aws::TemplateValue;
///
/// let uri = TemplateValue::from("arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${fn_arn}/invocations");
/// assert_eq!(uri.placeholders().unwrap(), ["region", "fn_arn"]);
/// assert_eq!(TemplateValue::var("fn_arn").as_str(), "${fn_arn}");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TemplateValue(String);

/// A `${…}` that is neither a Terraform identifier nor an API Gateway variable.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct InvalidPlaceholder {
    /// The offending text, e.g. `${lambda-arn}` (or `U+E000` for a reserved character).
    pub text: String,
    /// The value holds a character the renderer reserves for placeholders.
    reserved: bool,
}

impl fmt::Display for InvalidPlaceholder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.reserved {
            write!(
                f,
                "the value holds the private-use character {}, which aws-spec reserves to mark placeholders while it writes the private spec; remove it",
                self.text
            )
        } else if self.text.starts_with("$${") {
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
    pub fn var(name: impl AsRef<str>) -> Self {
        Self(format!("${{{}}}", name.as_ref()))
    }

    /// The text as written, placeholders included.
    pub fn as_str(&self) -> &str {
        &self.0
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
        crate::render::json::is_expression(&self.0)
    }

    /// Whether the value is exactly one placeholder (e.g. `${role_arn}`).
    pub fn is_placeholder(&self) -> bool {
        matches!(self.placeholders().as_deref(), Ok([one]) if self.0.len() == one.len() + 3)
    }

    /// The placeholder names, in order of appearance (repeats included).
    ///
    /// # Errors
    /// The first `${…}` that is neither a Terraform identifier nor an API Gateway variable.
    pub fn placeholders(&self) -> Result<Vec<&str>, InvalidPlaceholder> {
        let mut names = Vec::new();
        for piece in scan(&self.0) {
            match piece? {
                Piece::Placeholder(name) => names.push(name),
                Piece::Text(_) => {}
            }
        }
        Ok(names)
    }

    /// The first `${…}` that is neither a Terraform identifier nor an API Gateway
    /// variable, if any ([`placeholders`](Self::placeholders) without the names).
    pub(crate) fn check(&self) -> Result<(), InvalidPlaceholder> {
        // The renderer marks placeholders with these code points while it writes: a value
        // holding them could forge one.
        let reserved = memchr::memchr(0xEE, self.0.as_bytes()).and_then(|_| {
            self.0
                .chars()
                .find(|c| matches!(*c, MARK_OPEN | MARK_CLOSE))
        });
        if let Some(reserved) = reserved {
            return Err(InvalidPlaceholder {
                text: format!("U+{:04X}", u32::from(reserved)),
                reserved: true,
            });
        }
        if find_open(&self.0).is_none() {
            return Ok(());
        }
        scan(&self.0).try_for_each(|piece| piece.map(drop))
    }

    /// The text with placeholders replaced by build-time markers (see [`finish`]).
    /// Invalid placeholders stay as text; validation reports them separately.
    pub(crate) fn marked(&self) -> String {
        let mut out = String::with_capacity(self.0.len());
        for piece in scan(&self.0) {
            match piece {
                Ok(Piece::Placeholder(name)) => {
                    out.push(MARK_OPEN);
                    out.push_str(name);
                    out.push(MARK_CLOSE);
                }
                Ok(Piece::Text(text)) => out.push_str(text),
                Err(bad) => out.push_str(&bad.text),
            }
        }
        out
    }

    /// The text with each placeholder replaced by `value(name)` (what `templatefile()` does).
    pub fn render(&self, mut value: impl FnMut(&str) -> String) -> String {
        let mut out = String::with_capacity(self.0.len());
        for piece in scan(&self.0) {
            match piece {
                Ok(Piece::Placeholder(name)) => out.push_str(&value(name)),
                Ok(Piece::Text(text)) => out.push_str(text),
                Err(bad) => out.push_str(&bad.text),
            }
        }
        out
    }
}

impl From<&str> for TemplateValue {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl From<String> for TemplateValue {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&String> for TemplateValue {
    fn from(value: &String) -> Self {
        Self(value.clone())
    }
}

impl fmt::Display for TemplateValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether `name` is a Terraform template variable name.
pub(crate) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A run of a template value's text.
pub(crate) enum Piece<'a> {
    /// Literal text.
    Text(&'a str),
    /// A `${name}` placeholder's name.
    Placeholder(&'a str),
}

/// Splits text into literal runs and `${identifier}` placeholders.
pub(crate) fn scan(text: &str) -> impl Iterator<Item = Result<Piece<'_>, InvalidPlaceholder>> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let Some(start) = find_open(rest) else {
            let text = rest;
            rest = "";
            return Some(Ok(Piece::Text(text)));
        };
        if start > 0 {
            let (text, tail) = rest.split_at(start);
            if text.ends_with('$') {
                // `$${…}`: already escaped by hand, which would double-escape.
                let end = tail.find('}').map_or(tail.len(), |i| i + 1);
                let bad = format!("${}", &tail[..end]);
                rest = &tail[end..];
                return Some(Err(InvalidPlaceholder {
                    text: bad,
                    reserved: false,
                }));
            }
            rest = tail;
            return Some(Ok(Piece::Text(text)));
        }
        let Some(end) = rest.find('}') else {
            let bad = rest.to_owned();
            rest = "";
            return Some(Err(InvalidPlaceholder {
                text: bad,
                reserved: false,
            }));
        };
        let inner = &rest[2..end];
        let whole = &rest[..=end];
        rest = &rest[end + 1..];
        Some(if is_identifier(inner) {
            Ok(Piece::Placeholder(inner))
        } else if is_gateway_variable(inner) {
            Ok(Piece::Text(whole))
        } else {
            Err(InvalidPlaceholder {
                text: whole.to_owned(),
                reserved: false,
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

/// Turns text with marked placeholders into `templatefile()` text: every literal `${`
/// becomes `$${` and `%{` becomes `%%{`, then markers become `${name}`. What the private
/// spec's writer does to each string as it writes it; kept as the reference for tests.
/// With `markers` false, the markers are text like any other (what happens to text the
/// renderer did not mark).
#[cfg(test)]
pub(crate) fn finish(text: &str, markers: bool) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 32);
    let mut rest = text;
    let specials: &[char] = if markers {
        &['$', '%', MARK_OPEN, MARK_CLOSE]
    } else {
        &['$', '%']
    };
    while let Some(at) = rest.find(specials) {
        out.push_str(&rest[..at]);
        let mut chars = rest[at..].chars();
        let Some(found) = chars.next() else { break };
        let after = chars.as_str();
        match found {
            '$' if after.starts_with('{') => out.push_str("$$"),
            '%' if after.starts_with('{') => out.push_str("%%"),
            MARK_OPEN => out.push_str("${"),
            MARK_CLOSE => out.push('}'),
            other => out.push(other),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_placeholders_and_keeps_gateway_variables() {
        let value = TemplateValue::from("http://${stageVariables.host}/${path_prefix}/x");
        assert_eq!(value.placeholders().unwrap(), ["path_prefix"]);
        let finished = finish(&value.marked(), true);
        assert_eq!(finished, "http://$${stageVariables.host}/${path_prefix}/x");
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
        assert!(TemplateValue::from("$${x}").placeholders().is_err());
    }

    #[test]
    fn escapes_directives_and_aws_variables() {
        let value = TemplateValue::from("arn:${AWS::Partition}:x %{if} ${id}");
        assert_eq!(
            finish(&value.marked(), true),
            "arn:$${AWS::Partition}:x %%{if} ${id}"
        );
    }

    #[test]
    fn exact_placeholder() {
        assert!(TemplateValue::var("a_b").is_placeholder());
        assert!(!TemplateValue::from("x${a}").is_placeholder());
    }
}
