//! Writing the documents as text directly: pretty JSON exactly as
//! `serde_json::to_string_pretty` prints it (two-space indent, `": "`), objects with their
//! keys sorted, without building a `serde_json::Value` tree of the whole document.
//!
//! Renderers describe each part of a document as a [`Node`], a small tree that borrows
//! from the spec model, and hand it to a [`Writer`] that sorts every object's keys as it
//! writes. The private spec's writer also applies Terraform's escapes to every string
//! (`${` → `$${`, `%{` → `%%{`) and writes the placeholders of template values as
//! `${name}`.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::rc::Rc;

use serde_json::Value;

use crate::template::{MARK_CLOSE, MARK_OPEN, Piece, scan};

/// An object under construction: keys in any order, written sorted.
pub(crate) type Entries<'a> = Vec<(Cow<'a, str>, Node<'a>)>;

/// A part of a document, borrowed from the model where it can be.
#[derive(Clone, Debug)]
pub(crate) enum Node<'a> {
    /// A string.
    Str(Cow<'a, str>),
    /// An object of string values known at compile time, keys in sorted order.
    Static(&'static [(&'static str, &'static str)]),
    /// A template value's text: its `${name}` placeholders are Terraform variables.
    Template(&'a str),
    /// A mapping value: an expression as it is, anything else as API Gateway's static
    /// `'value'` (a template value too).
    Mapping(&'a str),
    /// An unsigned number.
    Number(u64),
    /// A boolean.
    Bool(bool),
    /// JSON given as it is (the user's documentation, converted schemas).
    Json(Cow<'a, Value>),
    /// JSON shared between several places of a document (a converted schema).
    Shared(Rc<Value>),
    /// JSON whose strings are template values (policy documents).
    TemplateJson(&'a Value),
    /// An object; keys are unique, written in sorted order.
    Object(Entries<'a>),
    /// An array.
    Array(Vec<Node<'a>>),
}

impl<'a> Node<'a> {
    /// An object from static keys (sorted when written).
    pub(crate) fn object(entries: impl IntoIterator<Item = (&'static str, Node<'a>)>) -> Self {
        Self::Object(
            entries
                .into_iter()
                .map(|(key, value)| (Cow::Borrowed(key), value))
                .collect(),
        )
    }

    /// A string node from a static or borrowed string.
    pub(crate) fn str(text: &'a str) -> Self {
        Self::Str(Cow::Borrowed(text))
    }

    /// A string node that owns its text.
    pub(crate) fn string(text: String) -> Self {
        Self::Str(Cow::Owned(text))
    }

    /// `{"type": "string"}`, the schema of every header and undocumented parameter.
    pub(crate) fn string_schema() -> Self {
        Self::Static(&[("type", "string")])
    }

    /// The string this node holds, if it is one.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Self::Str(text) => Some(text),
            Self::Template(text) | Self::Mapping(text) => Some(text),
            Self::Json(value) => value.as_str(),
            Self::Shared(value) => value.as_str(),
            _ => None,
        }
    }

    /// The JSON this node holds, if it holds JSON.
    pub(crate) fn json(&self) -> Option<&Value> {
        match self {
            Self::Json(value) => Some(value),
            Self::Shared(value) => Some(value),
            _ => None,
        }
    }

    /// The value under `key`, if this is an object that has it.
    pub(crate) fn get(&self, key: &str) -> Option<&Node<'a>> {
        match self {
            Self::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Sets `key` in `entries`, replacing a value already there (as a map insert does).
pub(crate) fn set<'a>(entries: &mut Entries<'a>, key: impl Into<Cow<'a, str>>, value: Node<'a>) {
    let key = key.into();
    match entries.iter_mut().find(|(k, _)| *k == key) {
        Some(entry) => entry.1 = value,
        None => entries.push((key, value)),
    }
}

/// The value under `key`, inserting `default()` first if there is none.
pub(crate) fn entry<'a, 'e>(
    entries: &'e mut Entries<'a>,
    key: impl Into<Cow<'a, str>>,
    default: impl FnOnce() -> Node<'a>,
) -> &'e mut Node<'a> {
    let key = key.into();
    let index = match entries.iter().position(|(k, _)| *k == key) {
        Some(index) => index,
        None => {
            entries.push((key, default()));
            entries.len() - 1
        }
    };
    &mut entries[index].1
}

/// Which escapes strings get.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Plain JSON.
    Plain,
    /// Text for Terraform's `templatefile()`: literal `${` and `%{` doubled, placeholders
    /// (and build-time placeholder markers) written `${name}`.
    Terraform,
}

/// Writes pretty JSON into a string.
pub(crate) struct Writer {
    out: String,
    mode: Mode,
    depth: usize,
    /// Per open object or array: whether nothing has been written in it yet.
    first: Vec<bool>,
}

impl Writer {
    /// A writer with room for `capacity` bytes.
    pub(crate) fn new(mode: Mode, capacity: usize) -> Self {
        Self {
            out: String::with_capacity(capacity),
            mode,
            depth: 0,
            first: Vec::new(),
        }
    }

    /// The text, with the final newline.
    pub(crate) fn finish(mut self) -> String {
        self.out.push('\n');
        self.out
    }

    /// Opens an object written key by key (keys must come in sorted order).
    pub(crate) fn begin_object(&mut self) {
        self.out.push('{');
        self.depth += 1;
        self.first.push(true);
    }

    /// Writes the next key of the object opened with [`begin_object`](Self::begin_object);
    /// its value follows.
    pub(crate) fn key(&mut self, key: &str) {
        let first = self
            .first
            .last_mut()
            .is_none_or(|f| std::mem::replace(f, false));
        self.member(first, key);
    }

    /// Closes the object opened with [`begin_object`](Self::begin_object).
    pub(crate) fn end_object(&mut self) {
        let empty = self.first.pop().unwrap_or(true);
        self.close(empty, '}');
    }

    /// A key inside an object: the separator, the key, `": "`.
    fn member(&mut self, first: bool, key: &str) {
        self.element(first);
        self.string(key);
        self.out.push_str(": ");
    }

    /// Starts an element of an object or array: the separator and the indent.
    fn element(&mut self, first: bool) {
        self.out.push_str(if first { "\n" } else { ",\n" });
        self.indent();
    }

    fn close(&mut self, empty: bool, bracket: char) {
        self.depth -= 1;
        if !empty {
            self.out.push('\n');
            self.indent();
        }
        self.out.push(bracket);
    }

    fn indent(&mut self) {
        const SPACES: &str = "                                                                ";
        let mut width = 2 * self.depth;
        while width > SPACES.len() {
            self.out.push_str(SPACES);
            width -= SPACES.len();
        }
        self.out.push_str(&SPACES[..width]);
    }

    /// Writes a node.
    pub(crate) fn node(&mut self, node: Node<'_>) {
        match node {
            Node::Str(text) => self.string(&text),
            Node::Static(entries) => {
                debug_assert!(entries.windows(2).all(|w| w[0].0 < w[1].0));
                if entries.is_empty() {
                    self.out.push_str("{}");
                    return;
                }
                self.out.push('{');
                self.depth += 1;
                for (i, (key, value)) in entries.iter().enumerate() {
                    self.member(i == 0, key);
                    self.string(value);
                }
                self.close(false, '}');
            }
            Node::Template(text) => self.template(text, false),
            Node::Mapping(text) => self.template(text, !is_expression(text)),
            Node::Number(n) => {
                let _ = write!(self.out, "{n}");
            }
            Node::Bool(b) => self.out.push_str(if b { "true" } else { "false" }),
            Node::Json(value) => self.value(&value, false),
            Node::Shared(value) => self.value(&value, false),
            Node::TemplateJson(value) => self.value(value, true),
            Node::Object(mut entries) => {
                if entries.is_empty() {
                    self.out.push_str("{}");
                    return;
                }
                entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
                debug_assert!(
                    entries.windows(2).all(|w| w[0].0 != w[1].0),
                    "duplicate key in {entries:?}"
                );
                self.out.push('{');
                self.depth += 1;
                let mut first = true;
                for (key, value) in entries {
                    self.member(first, &key);
                    self.node(value);
                    first = false;
                }
                self.close(false, '}');
            }
            Node::Array(items) => {
                if items.is_empty() {
                    self.out.push_str("[]");
                    return;
                }
                self.out.push('[');
                self.depth += 1;
                let mut first = true;
                for item in items {
                    self.element(first);
                    self.node(item);
                    first = false;
                }
                self.close(false, ']');
            }
        }
    }

    /// Writes JSON as it is (object keys in the map's order, sorted); `templates`: its
    /// strings are template values.
    pub(crate) fn value(&mut self, value: &Value, templates: bool) {
        match value {
            Value::Null => self.out.push_str("null"),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => {
                let _ = write!(self.out, "{n}");
            }
            Value::String(s) if templates => self.template(s, false),
            Value::String(s) => self.string(s),
            Value::Array(items) => {
                if items.is_empty() {
                    self.out.push_str("[]");
                    return;
                }
                self.out.push('[');
                self.depth += 1;
                for (i, item) in items.iter().enumerate() {
                    self.element(i == 0);
                    self.value(item, templates);
                }
                self.close(false, ']');
            }
            Value::Object(map) => {
                if map.is_empty() {
                    self.out.push_str("{}");
                    return;
                }
                self.out.push('{');
                self.depth += 1;
                for (i, (key, item)) in map.iter().enumerate() {
                    self.member(i == 0, key);
                    self.value(item, templates);
                }
                self.close(false, '}');
            }
        }
    }

    /// Writes a string literal.
    pub(crate) fn string(&mut self, text: &str) {
        self.out.push('"');
        self.content(text);
        self.out.push('"');
    }

    /// Writes a template value as a string literal, between quotes `'…'` if `quoted`.
    fn template(&mut self, text: &str, quoted: bool) {
        self.out.push('"');
        if quoted {
            self.out.push('\'');
        }
        for piece in scan(text) {
            match piece {
                Ok(Piece::Placeholder(name)) if self.mode == Mode::Terraform => {
                    self.out.push_str("${");
                    self.out.push_str(name);
                    self.out.push('}');
                }
                Ok(Piece::Placeholder(name)) => {
                    self.out.push_str("${");
                    self.content(name);
                    self.out.push('}');
                }
                Ok(Piece::Text(text)) => self.content(text),
                Err(bad) => self.content(&bad.text),
            }
        }
        if quoted {
            self.out.push('\'');
        }
        self.out.push('"');
    }

    /// The inside of a string literal: JSON escapes, plus Terraform's in that mode.
    fn content(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let escapes = match self.mode {
            Mode::Plain => &PLAIN,
            Mode::Terraform => &TERRAFORM,
        };
        // Most strings need no escape at all: one copy.
        let Some(first) = bytes.iter().position(|&b| escapes[b as usize]) else {
            self.out.push_str(text);
            return;
        };
        let mut start = 0;
        let mut i = first;
        while i < bytes.len() {
            let byte = bytes[i];
            if !escapes[byte as usize] {
                i += 1;
                continue;
            }
            let replacement: &str = match byte {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0x08 => "\\b",
                0x0c => "\\f",
                b'$' | b'%' => {
                    if bytes.get(i + 1) == Some(&b'{') {
                        if byte == b'$' { "$$" } else { "%%" }
                    } else {
                        i += 1;
                        continue;
                    }
                }
                0xEE => {
                    // U+E000 / U+E001, the build-time placeholder markers.
                    let rest = &text[i..];
                    if rest.starts_with(MARK_OPEN) {
                        "${"
                    } else if rest.starts_with(MARK_CLOSE) {
                        "}"
                    } else {
                        i += 1;
                        continue;
                    }
                }
                _ => {
                    self.out.push_str(&text[start..i]);
                    let _ = write!(self.out, "\\u{byte:04x}");
                    i += 1;
                    start = i;
                    continue;
                }
            };
            self.out.push_str(&text[start..i]);
            self.out.push_str(replacement);
            i += if byte == 0xEE {
                MARK_OPEN.len_utf8()
            } else {
                1
            };
            start = i;
        }
        self.out.push_str(&text[start..]);
    }
}

/// Whether a mapping value is an expression API Gateway evaluates (else it is quoted).
pub(crate) fn is_expression(text: &str) -> bool {
    [
        "'",
        "method.request.",
        "integration.response.",
        "stageVariables.",
        "context.",
        "$context.",
        "$stageVariables.",
    ]
    .iter()
    .any(|prefix| text.starts_with(prefix))
}

/// Bytes a JSON string escapes (control characters, `"`, `\\`).
static PLAIN: [bool; 256] = escapes(false);
/// The same plus the bytes Terraform escapes start with (`$`, `%`, the markers' lead byte).
static TERRAFORM: [bool; 256] = escapes(true);

const fn escapes(terraform: bool) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        table[i] = true;
        i += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    if terraform {
        table[b'$' as usize] = true;
        table[b'%' as usize] = true;
        table[0xEE] = true;
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn plain(node: Node<'_>) -> String {
        let mut writer = Writer::new(Mode::Plain, 0);
        writer.node(node);
        writer.finish()
    }

    #[test]
    fn values_print_as_serde_json_prints_them() {
        let value = json!({
            "b": [1, -2, 2.5, true, null, "x\"\\\n\t\u{1}\u{7f}é/"],
            "a": {"nested": {}, "list": [], "deep": [[{"k": "v"}]]},
            "c": "$${x} %{y} \u{E000}z\u{E001}",
        });
        let mut writer = Writer::new(Mode::Plain, 0);
        writer.value(&value, false);
        let mut expected = serde_json::to_string_pretty(&value).unwrap();
        expected.push('\n');
        assert_eq!(writer.finish(), expected);
    }

    #[test]
    fn objects_are_written_with_sorted_keys() {
        let node = Node::Object(vec![
            ("b".into(), Node::Number(1)),
            (
                "a".into(),
                Node::Array(vec![Node::Bool(false), Node::str("s")]),
            ),
            ("c".into(), Node::Object(Vec::new())),
        ]);
        assert_eq!(
            plain(node),
            "{\n  \"a\": [\n    false,\n    \"s\"\n  ],\n  \"b\": 1,\n  \"c\": {}\n}\n"
        );
    }

    #[test]
    fn terraform_mode_escapes_strings_and_writes_placeholders() {
        let mut writer = Writer::new(Mode::Terraform, 0);
        writer.node(Node::Array(vec![
            Node::str("${literal} %{if} $x %"),
            Node::Template("arn:${AWS::Region}:${fn_arn}"),
            Node::Mapping("${origin}"),
            Node::Mapping("method.request.header.X"),
            Node::string(format!("'{MARK_OPEN}origin{MARK_CLOSE}'")),
        ]));
        assert_eq!(
            writer.finish(),
            "[\n  \"$${literal} %%{if} $x %\",\n  \"arn:$${AWS::Region}:${fn_arn}\",\n  \"'${origin}'\",\n  \"method.request.header.X\",\n  \"'${origin}'\"\n]\n"
        );
    }
}
