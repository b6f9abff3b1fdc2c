//! Writing the documents: the layout of serde_json's pretty printer (two-space indent,
//! `": "`), objects with their keys sorted, without building a `serde_json::Value` tree
//! of the whole document.
//!
//! Renderers describe each part of a document as a [`Node`], a small tree that borrows
//! from the spec model, and hand them to [`document`] or [`to_text`]. Strings are typed:
//! plain text, a template value, or [`Pieces`] the renderer put together, so the writer
//! knows where the placeholders are. Each [`Mode`] writes them its way: for Terraform's
//! `templatefile()` a literal `${` is written `$${` and `%{` is `%%{`, and a placeholder
//! is `${name}`; for decK a placeholder is an environment substitution. The decK YAML
//! dialect is [`super::yaml`]'s.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::rc::Rc;

use serde_json::Value;

use crate::TemplateValue;
use crate::template::{Part, Piece, Pieces};

/// An object under construction: keys in any order, written sorted.
pub(crate) type Entries<'a> = Vec<(Cow<'a, str>, Node<'a>)>;

/// A part of a document, borrowed from the model where it can be.
#[derive(Clone, Debug)]
pub(crate) enum Node<'a> {
    /// A string.
    Str(Cow<'a, str>),
    /// An object of string values known at compile time, keys in sorted order.
    Static(&'static [(&'static str, &'static str)]),
    /// A template value: its `${name}` placeholders are variables.
    Template(&'a TemplateValue),
    /// A mapping value: an expression as it is, anything else as API Gateway's static
    /// `'value'` (a template value too).
    Mapping(&'a TemplateValue),
    /// An unsigned number.
    Number(u64),
    /// A signed number.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// JSON given as it is (the user's documentation, converted schemas).
    Json(Cow<'a, Value>),
    /// JSON shared between several places of a document (a converted schema).
    Shared(Rc<Value>),
    /// JSON whose strings are template values (policy documents).
    TemplateJson(&'a Value),
    /// A string the renderer put together from template values and text.
    Pieces(Pieces),
    /// [`Node::Pieces`] that YAML writes double-quoted, so that `\n` in a variable's
    /// value is a line break once decK substitutes it (a PEM key on one line).
    Escaped(Pieces),
    /// A part shared between several places of a document (a CORS preflight), its keys
    /// sorted when it was made ([`Node::shared`]).
    SharedPart(Rc<Node<'static>>),
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

    /// The string this node holds, if it is one without placeholders.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Self::Str(text) => Some(text),
            Self::Template(value) | Self::Mapping(value) => Some(value.as_str()),
            Self::Pieces(pieces) | Self::Escaped(pieces) => pieces.as_text(),
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

impl Node<'static> {
    /// `node` shared between several places of a document, its keys sorted once.
    pub(crate) fn shared(mut node: Node<'static>) -> Rc<Node<'static>> {
        node.sort_keys();
        Rc::new(node)
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

/// How strings and their placeholders are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Plain JSON; placeholders as `${name}`.
    Plain,
    /// Text for Terraform's `templatefile()`: literal `${` and `%{` doubled,
    /// placeholders written `${name}`.
    Terraform,
    /// A decK file: placeholders are environment substitutions,
    /// ``${{ env `DECK_NAME` }}`` (a Go raw string, as JSON strings need).
    Deck,
}

/// Writes a document as serde_json's pretty printer does (two-space indent, `": "`,
/// final newline), keys sorted: `members`, and the `paths` object, whose items (sorted
/// by path) are made one at a time while they are written, so that only one path item
/// is in memory at once.
pub(crate) fn document<'a>(
    mode: Mode,
    capacity: usize,
    mut members: Entries<'a>,
    paths: impl Iterator<Item = (&'a str, Node<'a>)>,
) -> String {
    members.iter_mut().for_each(|(_, node)| node.sort_keys());
    members.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let (before, after) = members.split_at(members.partition_point(|(key, _)| &**key < "paths"));
    let mut writer = Writer::new(mode, capacity);
    writer.open(b'{');
    let mut first = true;
    for (key, node) in before {
        writer.entry(&mut first, key);
        writer.node(node);
    }
    writer.entry(&mut first, "paths");
    writer.open(b'{');
    let mut first_path = true;
    for (path, mut item) in paths {
        item.sort_keys();
        writer.entry(&mut first_path, path);
        writer.node(&item);
    }
    writer.close(b'}', !first_path);
    for (key, node) in after {
        writer.entry(&mut first, key);
        writer.node(node);
    }
    writer.close(b'}', true);
    writer.finish()
}

/// `node` as a whole document (keys sorted, final newline).
pub(crate) fn to_text(mode: Mode, mut node: Node<'_>) -> String {
    node.sort_keys();
    let mut writer = Writer::new(mode, 0);
    writer.node(&node);
    writer.finish()
}

impl Node<'_> {
    /// Sorts the keys of every object in this node (written in that order).
    pub(crate) fn sort_keys(&mut self) {
        match self {
            Self::Object(entries) => {
                entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
                debug_assert!(
                    entries.windows(2).all(|w| w[0].0 != w[1].0),
                    "duplicate key in {entries:?}"
                );
                entries.iter_mut().for_each(|(_, node)| node.sort_keys());
            }
            Self::Array(items) => items.iter_mut().for_each(Self::sort_keys),
            _ => {}
        }
    }
}

/// What [`Writer::text`] does with a byte.
const PLAIN: u8 = 0;
/// Written as a JSON escape.
const ESCAPE: u8 = 1;
/// `$` or `%`: Terraform's sigils, escaped when a `{` follows.
const SIGIL: u8 = 2;
/// `{`.
const BRACE: u8 = 3;

/// What each byte of a string is to the writer.
static CLASS: [u8; 256] = {
    let mut class = [PLAIN; 256];
    let mut byte = 0;
    while byte < 0x20 {
        class[byte] = ESCAPE;
        byte += 1;
    }
    class[b'"' as usize] = ESCAPE;
    class[b'\\' as usize] = ESCAPE;
    class[b'$' as usize] = SIGIL;
    class[b'%' as usize] = SIGIL;
    class[b'{' as usize] = BRACE;
    class
};

/// The JSON writer: serde_json's pretty layout, strings escaped by the [`Mode`].
///
/// The layout is serde_json's `PrettyFormatter` rule, written here because strings
/// need the mode's escapes and placeholders around them; the tests hold the layout to
/// `serde_json::to_string_pretty` and string escapes to `serde_json::to_string`.
struct Writer {
    out: String,
    mode: Mode,
    /// Open arrays and objects.
    depth: usize,
    /// In Terraform mode, the sigil (`$`, `%`) that ended the text written last in the
    /// current string, if any: a `{` that follows is escaped.
    sigil: Option<u8>,
    /// Strings are written as their value, without quotes or JSON's escapes (the mode's
    /// placeholders and escapes still apply): for the YAML writer, which quotes them its
    /// way ([`string_value`]).
    raw: bool,
}

impl Writer {
    fn new(mode: Mode, capacity: usize) -> Self {
        Self {
            out: String::with_capacity(capacity),
            mode,
            depth: 0,
            sigil: None,
            raw: false,
        }
    }

    /// A string's opening or closing quote.
    fn quote(&mut self) {
        if !self.raw {
            self.out.push('"');
        }
    }

    fn finish(mut self) -> String {
        self.out.push('\n');
        self.out
    }

    /// A line break and the current indent.
    fn newline(&mut self) {
        const SPACES: &str = "                                                                ";
        self.out.push('\n');
        let mut width = 2 * self.depth;
        while width > SPACES.len() {
            self.out.push_str(SPACES);
            width -= SPACES.len();
        }
        self.out.push_str(&SPACES[..width]);
    }

    fn open(&mut self, bracket: u8) {
        self.depth += 1;
        self.out.push(char::from(bracket));
    }

    /// Closes an array or object; `any` if it had an element.
    fn close(&mut self, bracket: u8, any: bool) {
        self.depth -= 1;
        if any {
            self.newline();
        }
        self.out.push(char::from(bracket));
    }

    /// The start of an array element.
    fn element(&mut self, first: &mut bool) {
        if !std::mem::take(first) {
            self.out.push(',');
        }
        self.newline();
    }

    /// The start of an object member: its key and `": "`.
    fn entry(&mut self, first: &mut bool, key: &str) {
        self.element(first);
        self.string(key);
        self.out.push_str(": ");
    }

    fn node(&mut self, node: &Node<'_>) {
        match node {
            Node::Str(text) => self.string(text),
            Node::Static(entries) => {
                debug_assert!(entries.windows(2).all(|w| w[0].0 < w[1].0));
                self.open(b'{');
                let mut first = true;
                for (key, value) in *entries {
                    self.entry(&mut first, key);
                    self.string(value);
                }
                self.close(b'}', !first);
            }
            Node::Template(value) => self.template(value, false),
            Node::Mapping(value) => self.template(value, !is_expression(value.as_str())),
            Node::Number(n) => {
                let _ = write!(self.out, "{n}");
            }
            Node::Int(n) => {
                let _ = write!(self.out, "{n}");
            }
            Node::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Node::Json(value) => self.json(value, false),
            Node::Shared(value) => self.json(value, false),
            Node::TemplateJson(value) => self.json(value, true),
            Node::Pieces(pieces) | Node::Escaped(pieces) => {
                self.quote();
                self.sigil = None;
                for part in pieces.parts() {
                    match part {
                        Part::Text(text) => self.text(text),
                        Part::Var(name) => self.var(name),
                    }
                }
                self.quote();
            }
            Node::SharedPart(node) => self.node(node),
            Node::Object(entries) => {
                self.open(b'{');
                let mut first = true;
                for (key, node) in entries {
                    self.entry(&mut first, key);
                    self.node(node);
                }
                self.close(b'}', !first);
            }
            Node::Array(items) => {
                self.open(b'[');
                let mut first = true;
                for node in items {
                    self.element(&mut first);
                    self.node(node);
                }
                self.close(b']', !first);
            }
        }
    }

    /// JSON; its strings are template values if `template`.
    fn json(&mut self, value: &Value, template: bool) {
        match value {
            Value::Null => self.out.push_str("null"),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => {
                let _ = write!(self.out, "{n}");
            }
            Value::String(text) if template && crate::template::find_open(text).is_some() => {
                self.template(&TemplateValue::from(text.as_str()), false);
            }
            Value::String(text) => self.string(text),
            Value::Array(items) => {
                self.open(b'[');
                let mut first = true;
                for item in items {
                    self.element(&mut first);
                    self.json(item, template);
                }
                self.close(b']', !first);
            }
            Value::Object(map) => {
                self.open(b'{');
                let mut first = true;
                for (key, item) in map {
                    self.entry(&mut first, key);
                    self.json(item, template);
                }
                self.close(b'}', !first);
            }
        }
    }

    /// A template value, between quotes `'…'` if `quoted`.
    fn template(&mut self, value: &TemplateValue, quoted: bool) {
        self.quote();
        self.sigil = None;
        if quoted {
            self.out.push('\'');
        }
        for piece in value.pieces() {
            match piece {
                Piece::Placeholder(name) => self.var(name),
                Piece::Text(text) | Piece::GatewayVariable(text) => self.text(text),
            }
        }
        if quoted {
            self.out.push('\'');
        }
        self.quote();
    }

    /// A string of text alone.
    fn string(&mut self, text: &str) {
        self.quote();
        self.sigil = None;
        self.text(text);
        self.quote();
    }

    /// A placeholder, in the mode's spelling.
    fn var(&mut self, name: &str) {
        self.sigil = None;
        match self.mode {
            Mode::Plain | Mode::Terraform => {
                self.out.push_str("${");
                self.out.push_str(name);
                self.out.push('}');
            }
            Mode::Deck => {
                self.out.push_str("${{ env `");
                self.out.push_str(&crate::KongConfig::variable(name));
                self.out.push_str("` }}");
            }
        }
    }

    /// Text inside a string: JSON's escapes, and in Terraform mode `${` → `$${` and
    /// `%{` → `%%{` (also when the sigil ended the text before, in the same string).
    fn text(&mut self, text: &str) {
        let terraform = self.mode == Mode::Terraform;
        let bytes = text.as_bytes();
        let mut start = 0;
        // The sigil just before the current byte, if any.
        let mut sigil = self.sigil.take();
        for (i, &byte) in bytes.iter().enumerate() {
            match CLASS[usize::from(byte)] {
                PLAIN => sigil = None,
                SIGIL => sigil = terraform.then_some(byte),
                BRACE => {
                    if let Some(before) = sigil.take() {
                        self.out.push_str(&text[start..i]);
                        self.out.push(char::from(before));
                        start = i;
                    }
                }
                _ if self.raw => sigil = None,
                _ => {
                    sigil = None;
                    self.out.push_str(&text[start..i]);
                    start = i + 1;
                    match byte {
                        b'"' => self.out.push_str("\\\""),
                        b'\\' => self.out.push_str("\\\\"),
                        b'\n' => self.out.push_str("\\n"),
                        b'\t' => self.out.push_str("\\t"),
                        b'\r' => self.out.push_str("\\r"),
                        0x08 => self.out.push_str("\\b"),
                        0x0C => self.out.push_str("\\f"),
                        other => {
                            const HEX: &[u8; 16] = b"0123456789abcdef";
                            self.out.push_str("\\u00");
                            self.out.push(char::from(HEX[usize::from(other >> 4)]));
                            self.out.push(char::from(HEX[usize::from(other & 0xF)]));
                        }
                    }
                }
            }
        }
        self.out.push_str(&text[start..]);
        self.sigil = sigil;
    }
}

/// The value of a string node as `mode` writes it inside the quotes, before JSON's
/// escapes: placeholders in the mode's spelling and, for Terraform, `$${`/`%%{`.
/// `None` for a node that is not a string.
pub(crate) fn string_value(mode: Mode, node: &Node<'_>) -> Option<String> {
    match node {
        Node::Str(_)
        | Node::Template(_)
        | Node::Mapping(_)
        | Node::Pieces(_)
        | Node::Escaped(_) => {
            let mut writer = Writer::new(mode, 0);
            writer.raw = true;
            writer.node(node);
            Some(writer.out)
        }
        Node::SharedPart(node) => string_value(mode, node),
        _ => None,
    }
}

/// A string of JSON (a key, or a value) as `mode` writes it inside the quotes; its
/// placeholders are variables if `template` (a value of [`Node::TemplateJson`]).
pub(crate) fn json_string_value(mode: Mode, text: &str, template: bool) -> String {
    let mut writer = Writer::new(mode, 0);
    writer.raw = true;
    if template && crate::template::find_open(text).is_some() {
        writer.template(&TemplateValue::from(text), false);
    } else {
        writer.string(text);
    }
    writer.out
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn values_print_as_serde_json_prints_them() {
        let value = json!({
            "b": [1, -2, 2.5, true, null, "x\"\\\n\t\u{1}\u{7f}\u{8}\u{c}\ré/"],
            "a": {"nested": {}, "list": [], "deep": [[{"k": "v"}]]},
            "c": "$${x} %{y} \u{E000}z\u{E001}",
        });
        let mut expected = serde_json::to_string_pretty(&value).unwrap();
        expected.push('\n');
        assert_eq!(
            to_text(Mode::Plain, Node::Json(Cow::Borrowed(&value))),
            expected
        );
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
            to_text(Mode::Plain, node),
            "{\n  \"a\": [\n    false,\n    \"s\"\n  ],\n  \"b\": 1,\n  \"c\": {}\n}\n"
        );
    }

    #[test]
    fn a_document_streams_its_paths_between_sorted_members() {
        let members = vec![
            (Cow::Borrowed("x-z"), Node::Bool(true)),
            (
                Cow::Borrowed("info"),
                Node::object([("title", Node::str("t"))]),
            ),
        ];
        let items = [("/a", Node::object([("get", Node::Number(1))]))].into_iter();
        assert_eq!(
            document(Mode::Plain, 0, members, items),
            "{\n  \"info\": {\n    \"title\": \"t\"\n  },\n  \"paths\": {\n    \"/a\": {\n      \"get\": 1\n    }\n  },\n  \"x-z\": true\n}\n"
        );
        assert_eq!(
            document(Mode::Plain, 0, Vec::new(), std::iter::empty()),
            "{\n  \"paths\": {}\n}\n"
        );
    }

    #[test]
    fn terraform_mode_escapes_strings_and_writes_placeholders() {
        let arn = TemplateValue::from("arn:${AWS::Region}:${fn_arn}");
        let origin = TemplateValue::from("${origin}");
        let header = TemplateValue::from("method.request.header.X");
        let forged = "'\u{E000}forged\u{E001}'";
        let node = Node::Array(vec![
            Node::str("${literal} %{if} $x %"),
            Node::Template(&arn),
            Node::Mapping(&origin),
            Node::Mapping(&header),
            Node::Pieces(Pieces::around("'", &Pieces::from(&origin), "'")),
            Node::str(forged),
            Node::object([("${key}", Node::str("\n${"))]),
        ]);
        assert_eq!(
            to_text(Mode::Terraform, node),
            "[\n  \"$${literal} %%{if} $x %\",\n  \"arn:$${AWS::Region}:${fn_arn}\",\n  \"'${origin}'\",\n  \"method.request.header.X\",\n  \"'${origin}'\",\n  \"'\u{E000}forged\u{E001}'\",\n  {\n    \"$${key}\": \"\\n$${\"\n  }\n]\n"
        );
    }

    #[test]
    fn deck_mode_writes_placeholders_as_environment_substitutions() {
        let arn = TemplateValue::from("arn:${fn_arn}:${x");
        assert_eq!(
            to_text(Mode::Deck, Node::Template(&arn)),
            "\"arn:${{ env `DECK_FN_ARN` }}:${x\"\n"
        );
    }

    #[test]
    fn an_escape_spans_the_runs_of_a_string() {
        let mut pieces = Pieces::from("a$");
        pieces.push_text("{b%");
        let joined = to_text(Mode::Terraform, Node::Pieces(pieces));
        assert_eq!(joined, "\"a$${b%\"\n");
        // A sigil before a placeholder, a brace after one: no escape.
        let mut around = Pieces::from("$");
        around.push_var("v");
        around.push_text("{");
        assert_eq!(
            to_text(Mode::Terraform, Node::Pieces(around)),
            "\"$${v}{\"\n"
        );
        // An API Gateway variable after a sigil of the text before it.
        let value = TemplateValue::from("%${stageVariables.x}");
        assert_eq!(
            to_text(Mode::Terraform, Node::Template(&value)),
            "\"%$${stageVariables.x}\"\n"
        );
    }

    fn json_values() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "[a-z\"\\\\\n\u{1}\u{7f} ]{0,6}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 48, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::from),
                prop::collection::btree_map("[a-c]{1,2}", inner, 0..5)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// The layout is serde_json's pretty printer's, at any depth and shape.
        #[test]
        fn layout_matches_serde_jsons_pretty_printer(value in json_values()) {
            let expected = format!("{}\n", serde_json::to_string_pretty(&value).unwrap());
            prop_assert_eq!(to_text(Mode::Plain, Node::Json(Cow::Borrowed(&value))), expected.as_str());
            // No `{`, `$` or `%` in these strings: Terraform mode writes the same.
            prop_assert_eq!(to_text(Mode::Terraform, Node::Json(Cow::Borrowed(&value))), expected);
        }

        /// Each string is what `templatefile()` turns back into the text: the reference
        /// escape of the raw text, then JSON's; placeholders the renderer put in are
        /// written `${name}` between the escaped runs.
        #[test]
        fn terraform_strings_match_the_reference_escape(
            text in "[ab$%{}\\\\\"\n\u{1}\u{E000}\u{E001}é]{0,16}",
            after in "[a$%{}]{0,4}",
        ) {
            let reference = |text: &str| {
                let finished = crate::template::escape_reference(text);
                format!("{}\n", serde_json::to_string(&finished).unwrap())
            };
            let written = to_text(Mode::Terraform, Node::str(&text));
            prop_assert_eq!(written, reference(&text));
            let plain = to_text(Mode::Plain, Node::str(&text));
            prop_assert_eq!(plain, format!("{}\n", serde_json::to_string(&text).unwrap()));
            let mut pieces = Pieces::from(text.as_str());
            pieces.push_var("name");
            pieces.push_text(&after);
            let written = to_text(Mode::Terraform, Node::Pieces(pieces));
            let before = reference(&text);
            let rest = reference(&after);
            let expected = format!(
                "{}${{name}}{}",
                &before[..before.len() - 2],
                &rest[1..],
            );
            prop_assert_eq!(written, expected);
        }
    }
}
