//! Writing the documents: serde_json's serializer and pretty printer (two-space indent,
//! `": "`), objects with their keys sorted, without building a `serde_json::Value` tree
//! of the whole document.
//!
//! Renderers describe each part of a document as a [`Node`], a small tree that borrows
//! from the spec model, and hand them to [`document`]. For the private spec, a
//! `serde_json::ser::Formatter` ([`TemplateFormatter`]) also applies Terraform's escapes
//! to the content of every string (`${` → `$${`, `%{` → `%%{`) and writes the
//! placeholders of template values as `${name}`.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt::{self, Write as _};
use std::io;
use std::rc::Rc;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;
use serde_json::ser::{CharEscape, CompactFormatter, Formatter};

use crate::template::{MARK_CLOSE, MARK_OPEN, Piece, find_open, scan};

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
    /// A string the renderer put together from template values, their placeholders
    /// marked ([`TemplateValue::marked`](crate::TemplateValue)).
    Marked(Cow<'a, str>),
    /// JSON the renderer put together, whose strings may hold marked placeholders.
    MarkedShared(Rc<Value>),
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

    /// A string with marked placeholders, made by the renderer.
    pub(crate) fn marked(text: String) -> Self {
        Self::Marked(Cow::Owned(text))
    }

    /// `{"type": "string"}`, the schema of every header and undocumented parameter.
    pub(crate) fn string_schema() -> Self {
        Self::Static(&[("type", "string")])
    }

    /// The string this node holds, if it is one.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Self::Str(text) | Self::Marked(text) => Some(text),
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
    let document = Document {
        mode,
        before,
        paths: RefCell::new(Some(paths)),
        after,
    };
    write(mode, capacity, &document)
}

/// `node` as a whole document.
#[cfg(test)]
pub(crate) fn to_text(mode: Mode, mut node: Node<'_>) -> String {
    node.sort_keys();
    write(mode, 0, &node.in_mode(mode))
}

fn write(mode: Mode, capacity: usize, value: &impl Serialize) -> String {
    let mut out = Vec::with_capacity(capacity);
    let formatter = TemplateFormatter::new(mode);
    let written = value.serialize(&mut serde_json::Serializer::with_formatter(
        &mut out, formatter,
    ));
    // Writing into a Vec cannot fail, every key is a string, and no node fails.
    debug_assert!(written.is_ok(), "{written:?}");
    out.push(b'\n');
    // serde_json writes UTF-8; the fallback is never taken.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The top-level object of [`document`].
struct Document<'m, 'a, P> {
    mode: Mode,
    before: &'m [(Cow<'a, str>, Node<'a>)],
    /// Taken when written.
    paths: RefCell<Option<P>>,
    after: &'m [(Cow<'a, str>, Node<'a>)],
}

impl<'a, P: Iterator<Item = (&'a str, Node<'a>)>> Serialize for Document<'_, 'a, P> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (key, node) in self.before {
            map.serialize_entry(key, &node.in_mode(self.mode))?;
        }
        map.serialize_key("paths")?;
        map.serialize_value(&PathItems {
            mode: self.mode,
            items: &self.paths,
        })?;
        for (key, node) in self.after {
            map.serialize_entry(key, &node.in_mode(self.mode))?;
        }
        map.end()
    }
}

/// The `paths` object of [`Document`].
struct PathItems<'d, P> {
    mode: Mode,
    items: &'d RefCell<Option<P>>,
}

impl<'a, P: Iterator<Item = (&'a str, Node<'a>)>> Serialize for PathItems<'_, P> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (path, mut item) in self.items.borrow_mut().take().into_iter().flatten() {
            item.sort_keys();
            map.serialize_entry(path, &item.in_mode(self.mode))?;
        }
        map.end()
    }
}

impl<'a> Node<'a> {
    /// Sorts the keys of every object in this node (written in that order).
    fn sort_keys(&mut self) {
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

    /// This node, serialised for a document of `mode`.
    fn in_mode(&self, mode: Mode) -> InMode<'_, 'a> {
        InMode { node: self, mode }
    }
}

/// A [`Node`] with its keys sorted, serialised for a document of one [`Mode`].
struct InMode<'n, 'a> {
    node: &'n Node<'a>,
    mode: Mode,
}

impl Serialize for InMode<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mode = self.mode;
        match self.node {
            Node::Str(text) => serializer.serialize_str(text),
            Node::Static(entries) => {
                debug_assert!(entries.windows(2).all(|w| w[0].0 < w[1].0));
                serializer.collect_map(entries.iter().map(|(key, value)| (key, value)))
            }
            Node::Template(text) => Template::new(text, false, mode).serialize(serializer),
            Node::Mapping(text) => {
                Template::new(text, !is_expression(text), mode).serialize(serializer)
            }
            Node::Number(n) => serializer.serialize_u64(*n),
            Node::Bool(b) => serializer.serialize_bool(*b),
            Node::Json(value) => value.serialize(serializer),
            Node::Shared(value) => value.serialize(serializer),
            Node::TemplateJson(value) => TemplateJson { value, mode }.serialize(serializer),
            Node::Marked(text) => {
                let _markers = Markers::arm(mode);
                serializer.serialize_str(text)
            }
            Node::MarkedShared(value) => {
                let _markers = Markers::arm(mode);
                value.serialize(serializer)
            }
            Node::Object(entries) => {
                serializer.collect_map(entries.iter().map(|(key, node)| (key, node.in_mode(mode))))
            }
            Node::Array(items) => {
                serializer.collect_seq(items.iter().map(|node| node.in_mode(mode)))
            }
        }
    }
}

/// JSON whose strings are template values.
struct TemplateJson<'v> {
    value: &'v Value,
    mode: Mode,
}

impl Serialize for TemplateJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mode = self.mode;
        match self.value {
            Value::String(text) => Template::new(text, false, mode).serialize(serializer),
            Value::Array(items) => {
                serializer.collect_seq(items.iter().map(|value| TemplateJson { value, mode }))
            }
            Value::Object(map) => serializer.collect_map(
                map.iter()
                    .map(|(key, value)| (key, TemplateJson { value, mode })),
            ),
            other => other.serialize(serializer),
        }
    }
}

/// A template value's text, between quotes `'…'` if `quoted`. For Terraform its
/// placeholders are written as markers, which [`TemplateFormatter`] turns into `${name}`
/// after escaping the text around them.
struct Template<'t> {
    text: &'t str,
    quoted: bool,
    mode: Mode,
}

impl<'t> Template<'t> {
    fn new(text: &'t str, quoted: bool, mode: Mode) -> Self {
        Self { text, quoted, mode }
    }
}

impl Serialize for Template<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Most values hold no placeholder and need no quotes: one string.
        if !self.quoted && find_open(self.text).is_none() {
            serializer.serialize_str(self.text)
        } else {
            let _markers = Markers::arm(self.mode);
            serializer.collect_str(self)
        }
    }
}

thread_local! {
    /// Whether the string being written holds placeholder markers the renderer put there.
    static MARKERS_ARMED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// While alive, [`TemplateFormatter`] reads placeholder markers as placeholders. Only
/// strings the renderer makes from checked template values arm it: the same code points
/// in any other text (a description, a schema, a tag) are written as they are, so no
/// text can forge a `${…}` (and template values holding them are rejected by the checks).
struct Markers {
    was: bool,
}

impl Markers {
    fn arm(mode: Mode) -> Self {
        let was = MARKERS_ARMED.with(|armed| armed.replace(mode == Mode::Terraform));
        Self { was }
    }

    fn armed() -> bool {
        MARKERS_ARMED.with(std::cell::Cell::get)
    }
}

impl Drop for Markers {
    fn drop(&mut self) {
        MARKERS_ARMED.with(|armed| armed.set(self.was));
    }
}

impl fmt::Display for Template<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.quoted {
            f.write_char('\'')?;
        }
        for piece in scan(self.text) {
            match piece {
                Ok(Piece::Placeholder(name)) if self.mode == Mode::Terraform => {
                    f.write_char(MARK_OPEN)?;
                    f.write_str(name)?;
                    f.write_char(MARK_CLOSE)?;
                }
                Ok(Piece::Placeholder(name)) => {
                    f.write_str("${")?;
                    f.write_str(name)?;
                    f.write_char('}')?;
                }
                Ok(Piece::Text(text)) => f.write_str(text)?,
                Err(bad) => f.write_str(&bad.text)?,
            }
        }
        if self.quoted {
            f.write_char('\'')?;
        }
        Ok(())
    }
}

/// The layout of serde_json's `PrettyFormatter` (two-space indent, `": "`); for
/// Terraform, string content also gets `templatefile()`'s escapes: a literal `${` is
/// written `$${`, `%{` is written `%%{`, and the placeholder markers become `${` and `}`.
///
/// The layout is PrettyFormatter's rule, written here rather than delegated only
/// because PrettyFormatter writes an indent with one call per level: delegating cost a
/// tenth more instructions for a whole 1000-route spec build. The tests hold the layout
/// to `serde_json::to_string_pretty`.
struct TemplateFormatter {
    terraform: bool,
    /// Open arrays and objects.
    depth: usize,
    /// Whether the innermost open array or object has an element yet.
    has_value: bool,
    /// The last byte written into the current string, if it was `$` or `%` (a `{` in
    /// the next fragment makes an escape of it).
    previous: Option<u8>,
}

impl TemplateFormatter {
    fn new(mode: Mode) -> Self {
        Self {
            terraform: mode == Mode::Terraform,
            depth: 0,
            has_value: false,
            previous: None,
        }
    }

    /// A line break (after a comma if `comma`) and the current indent.
    fn newline<W: ?Sized + io::Write>(&mut self, writer: &mut W, comma: bool) -> io::Result<()> {
        const SPACES: &[u8] = &[b' '; 64];
        writer.write_all(if comma { b",\n" } else { b"\n" })?;
        let mut width = 2 * self.depth;
        while width > SPACES.len() {
            writer.write_all(SPACES)?;
            width -= SPACES.len();
        }
        writer.write_all(&SPACES[..width])
    }

    fn open<W: ?Sized + io::Write>(&mut self, writer: &mut W, bracket: u8) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(&[bracket])
    }

    fn close<W: ?Sized + io::Write>(&mut self, writer: &mut W, bracket: u8) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.newline(writer, false)?;
        }
        writer.write_all(&[bracket])
    }

    /// Writes `fragment` with Terraform's escapes, the markers as `${` and `}`.
    fn escape<W: ?Sized + io::Write>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()> {
        let bytes = fragment.as_bytes();
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            let byte = bytes[i];
            match byte {
                b'{' => {
                    if let Some(sigil) = self.previous {
                        // `${` → `$${`, `%{` → `%%{`: the sigil once more before the brace.
                        writer.write_all(&bytes[start..i])?;
                        writer.write_all(&[sigil])?;
                        start = i;
                    }
                }
                // The markers' lead byte (U+E000, U+E001 are EE 80 80 and EE 80 81).
                0xEE if Markers::armed() => {
                    let marker = if fragment[i..].starts_with(MARK_OPEN) {
                        Some(&b"${"[..])
                    } else if fragment[i..].starts_with(MARK_CLOSE) {
                        Some(&b"}"[..])
                    } else {
                        None
                    };
                    if let Some(marker) = marker {
                        writer.write_all(&bytes[start..i])?;
                        writer.write_all(marker)?;
                        i += MARK_OPEN.len_utf8();
                        start = i;
                        self.previous = None;
                        continue;
                    }
                }
                _ => {}
            }
            self.previous = matches!(byte, b'$' | b'%').then_some(byte);
            i += 1;
        }
        writer.write_all(&bytes[start..])
    }
}

impl Formatter for TemplateFormatter {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // Most strings hold nothing to escape: written as they are.
        let plain = !self.terraform || (self.previous.is_none() && !needs_escape(fragment));
        if plain {
            if self.terraform {
                self.previous = fragment
                    .as_bytes()
                    .last()
                    .copied()
                    .filter(|b| matches!(b, b'$' | b'%'));
            }
            return writer.write_all(fragment.as_bytes());
        }
        self.escape(writer, fragment)
    }

    fn write_char_escape<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        char_escape: CharEscape,
    ) -> io::Result<()> {
        self.previous = None;
        CompactFormatter.write_char_escape(writer, char_escape)
    }

    fn begin_string<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.previous = None;
        writer.write_all(b"\"")
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b'[')
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b']')
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.newline(writer, !first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b'{')
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b'}')
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.newline(writer, !first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Whether Terraform escapes could apply inside `fragment` (a `{`, or a marker's lead byte).
fn needs_escape(fragment: &str) -> bool {
    let bytes = fragment.as_bytes();
    // Most fragments are short keys and values, for which memchr's setup costs more
    // than a loop.
    if bytes.len() < 32 {
        bytes.iter().any(|&b| b == b'{' || b == 0xEE)
    } else {
        memchr::memchr2(b'{', 0xEE, bytes).is_some()
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn values_print_as_serde_json_prints_them() {
        let value = json!({
            "b": [1, -2, 2.5, true, null, "x\"\\\n\t\u{1}\u{7f}é/"],
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
        let node = Node::Array(vec![
            Node::str("${literal} %{if} $x %"),
            Node::Template("arn:${AWS::Region}:${fn_arn}"),
            Node::Mapping("${origin}"),
            Node::Mapping("method.request.header.X"),
            Node::marked(format!("'{MARK_OPEN}origin{MARK_CLOSE}'")),
            Node::string(format!("'{MARK_OPEN}forged{MARK_CLOSE}'")),
            Node::object([("${key}", Node::str("\n${"))]),
        ]);
        assert_eq!(
            to_text(Mode::Terraform, node),
            "[\n  \"$${literal} %%{if} $x %\",\n  \"arn:$${AWS::Region}:${fn_arn}\",\n  \"'${origin}'\",\n  \"method.request.header.X\",\n  \"'${origin}'\",\n  \"'\u{E000}forged\u{E001}'\",\n  {\n    \"$${key}\": \"\\n$${\"\n  }\n]\n"
        );
    }

    #[test]
    fn an_escape_spans_the_fragments_of_a_string() {
        // serde_json hands `collect_str` text to the formatter one `write_str` at a time.
        struct Split;
        impl fmt::Display for Split {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a$")?;
                f.write_str("{b%")?;
                f.write_str("{")
            }
        }
        let mut out = Vec::new();
        let formatter = TemplateFormatter::new(Mode::Terraform);
        serde_json::Serializer::with_formatter(&mut out, formatter)
            .collect_str(&Split)
            .unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "\"a$${b%%{\"");
    }

    fn json_values() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            "[a-z\"\\\n ]{0,6}".prop_map(Value::from),
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
            // No `{`, `$`, `%` or marker in these strings: Terraform mode writes the same.
            prop_assert_eq!(to_text(Mode::Terraform, Node::Json(Cow::Borrowed(&value))), expected);
        }

        /// Each string is what `templatefile()` turns back into the text: the reference
        /// escape of the raw text, then JSON's.
        #[test]
        fn terraform_strings_match_the_reference_escape(
            text in "[ab$%{}\\\\\"\n\u{E000}\u{E001}\u{E002}é]{0,16}"
        ) {
            let reference = |text: &str, markers: bool| {
                let finished = crate::template::finish(text, markers);
                format!("{}\n", serde_json::to_string(&finished).unwrap())
            };
            // Markers are placeholders only in strings the renderer marked.
            let written = to_text(Mode::Terraform, Node::marked(text.clone()));
            prop_assert_eq!(written, reference(&text, true));
            let written = to_text(Mode::Terraform, Node::str(&text));
            prop_assert_eq!(written, reference(&text, false));
            let plain = to_text(Mode::Plain, Node::str(&text));
            prop_assert_eq!(plain, format!("{}\n", serde_json::to_string(&text).unwrap()));
        }
    }
}
