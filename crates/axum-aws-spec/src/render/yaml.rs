//! The YAML writer: one block-style emitter for every YAML document, over the same
//! [`Node`] tree as the JSON writer (keys sorted first), in one of two styles.
//!
//! - [`Style::Deck`], decK files: scalars single-quoted (double-quoted with JSON's
//!   escapes when they hold control characters), placeholders written as decK
//!   environment substitutions, `'${{ env "DECK_NAME" }}'`, lists indented under their
//!   key.
//! - [`Style::OpenApi`], the private and public specs: what `yaml_serde` (libyaml's
//!   emitter) writes for the JSON document, byte for byte, so that YAML and JSON say the
//!   same: a string is plain where YAML reads it back as that string, else single-quoted,
//!   double-quoted with YAML's escapes, or a literal block when it has line breaks; keys
//!   of more than 128 bytes or with line breaks are complex (`? key`); lists sit at their
//!   key's indent. Strings are written with the mode's placeholders and escapes
//!   ([`Mode::Terraform`]: `${name}`, `$${`, `%%{`), as the JSON document has them.

use std::borrow::Cow;

use serde_json::Value;

use super::json::{Mode, Node, json_string_value, string_value, to_text};
use crate::template::{Part, Pieces};

/// How the emitter writes keys, scalars and lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    /// A decK file.
    Deck,
    /// A private or public OpenAPI document, strings written for `mode`.
    OpenApi(Mode),
}

/// `node`, a map, as a decK YAML file.
pub(crate) fn deck(mut node: Node<'_>) -> String {
    node.sort_keys();
    let mut emitter = Emitter::new(Style::Deck, 0);
    emitter.node(Item::Node(&node), None, Context::default());
    emitter.finish()
}

/// `node` as a whole OpenAPI YAML document (keys sorted).
#[cfg(test)]
pub(crate) fn to_text_yaml(mode: Mode, mut node: Node<'_>) -> String {
    node.sort_keys();
    let mut emitter = Emitter::new(Style::OpenApi(mode), 0);
    emitter.node(Item::Node(&node), None, Context::default());
    emitter.finish()
}

/// An OpenAPI document as YAML, as [`super::json::document`] writes it as JSON: the
/// sorted `members` around `paths`, whose items are made one at a time while written.
pub(crate) fn document<'a>(
    mode: Mode,
    capacity: usize,
    mut members: Vec<(Cow<'a, str>, Node<'a>)>,
    paths: impl Iterator<Item = (&'a str, Node<'a>)>,
) -> String {
    members.iter_mut().for_each(|(_, node)| node.sort_keys());
    members.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let (before, after) = members.split_at(members.partition_point(|(key, _)| &**key < "paths"));
    let mut emitter = Emitter::new(Style::OpenApi(mode), capacity);
    // The root map, keys at column 0.
    for (key, node) in before {
        emitter.entry(0, key, Item::Node(node));
    }
    emitter.write_indent(0);
    emitter.simple_key("paths", 0);
    let mut paths = paths.peekable();
    if paths.peek().is_none() {
        emitter.empty("{", "}");
    }
    // Paths have no `${` or `%{` (the checks refuse them): their order is the same
    // written or not.
    for (path, mut item) in paths {
        item.sort_keys();
        emitter.entry(2, path, Item::Node(&item));
    }
    for (key, node) in after {
        emitter.entry(0, key, Item::Node(node));
    }
    emitter.finish()
}

/// A part of the document being written: a node, or JSON inside one.
#[derive(Clone, Copy)]
enum Item<'n> {
    Node(&'n Node<'n>),
    /// JSON; its strings are template values if the flag is set.
    Json(&'n Value, bool),
    /// A string.
    Str(&'n str),
}

/// What an item is to the emitter.
enum Shape<'n> {
    /// A scalar as written before quoting; `true` for a string (YAML may read other
    /// text, `true`, `1`, `null`, as another type: such a string is quoted).
    Scalar(String, bool),
    /// Text written as it is (decK's scalars, quoted already).
    Raw(String),
    Map(Vec<(&'n str, Item<'n>)>),
    Seq(Vec<Item<'n>>),
}

/// Where a node sits, as libyaml's emitter tracks it.
#[derive(Clone, Copy, Default)]
struct Context {
    /// A map's value (a list there sits at its key's indent).
    mapping: bool,
    /// A simple key (`key:`).
    simple_key: bool,
}

/// The block emitter: the column and whether the line so far is whitespace or
/// indentation decide where a break or a space goes.
struct Emitter {
    out: String,
    style: Style,
    column: usize,
    /// The last thing written was whitespace (or nothing).
    whitespace: bool,
    /// The line so far is indentation (and `-`/`?`/`:` indicators).
    indention: bool,
}

impl Emitter {
    fn new(style: Style, capacity: usize) -> Self {
        Self {
            out: String::with_capacity(capacity),
            style,
            column: 0,
            whitespace: true,
            indention: true,
        }
    }

    /// The document's end: a final line break (no `...` after a `|+` block: yaml_serde
    /// ends the document, not the stream).
    fn finish(mut self) -> String {
        self.write_indent(0);
        self.out
    }

    fn push(&mut self, text: &str) {
        self.out.push_str(text);
        self.column += text.chars().count();
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    /// A new line at `indent` unless the line is indentation up to there already.
    fn write_indent(&mut self, indent: usize) {
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.out.push(' ');
            self.column += 1;
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn indicator(&mut self, text: &str, need_whitespace: bool, whitespace: bool, indention: bool) {
        if need_whitespace && !self.whitespace {
            self.push(" ");
        }
        self.push(text);
        self.whitespace = whitespace;
        self.indention = self.indention && indention;
    }

    /// An empty list or map, in flow style.
    fn empty(&mut self, open: &str, close: &str) {
        self.indicator(open, true, true, false);
        self.indicator(close, false, false, false);
    }

    fn shape<'n>(&self, item: Item<'n>) -> Shape<'n> {
        let mode = match self.style {
            Style::Deck => return deck_shape(item),
            Style::OpenApi(mode) => mode,
        };
        match item {
            Item::Str(text) => Shape::Scalar(json_string_value(mode, text, false), true),
            Item::Json(value, template) => match value {
                Value::Null => Shape::Scalar("null".to_owned(), false),
                Value::Bool(b) => Shape::Scalar(b.to_string(), false),
                Value::Number(n) => Shape::Scalar(number(n), false),
                Value::String(text) => Shape::Scalar(json_string_value(mode, text, template), true),
                Value::Array(items) => Shape::Seq(
                    items
                        .iter()
                        .map(|item| Item::Json(item, template))
                        .collect(),
                ),
                Value::Object(map) => Shape::Map(
                    map.iter()
                        .map(|(key, item)| (key.as_str(), Item::Json(item, template)))
                        .collect(),
                ),
            },
            Item::Node(node) => match node {
                Node::Number(n) => Shape::Scalar(n.to_string(), false),
                Node::Int(n) => Shape::Scalar(n.to_string(), false),
                Node::Bool(b) => Shape::Scalar(b.to_string(), false),
                Node::Json(value) => self.shape(Item::Json(value, false)),
                Node::Shared(value) => self.shape(Item::Json(value, false)),
                Node::TemplateJson(value) => self.shape(Item::Json(value, true)),
                Node::SharedPart(node) => self.shape(Item::Node(node)),
                Node::Static(entries) => Shape::Map(
                    entries
                        .iter()
                        .map(|(key, value)| (*key, Item::Str(value)))
                        .collect(),
                ),
                Node::Object(entries) => Shape::Map(
                    entries
                        .iter()
                        .map(|(key, node)| (&**key, Item::Node(node)))
                        .collect(),
                ),
                Node::Array(items) => Shape::Seq(items.iter().map(Item::Node).collect()),
                Node::Str(_)
                | Node::Template(_)
                | Node::Mapping(_)
                | Node::Pieces(_)
                | Node::Escaped(_) => {
                    Shape::Scalar(string_value(mode, node).unwrap_or_default(), true)
                }
            },
        }
    }

    /// A node; `parent` is the indent of the collection it is in (`None` at the root).
    fn node(&mut self, item: Item<'_>, parent: Option<usize>, context: Context) {
        match self.shape(item) {
            Shape::Scalar(text, string) => self.scalar(&text, string, parent, context),
            Shape::Raw(text) => {
                if !self.whitespace {
                    self.push(" ");
                }
                self.push(&text);
                self.whitespace = false;
                self.indention = false;
            }
            Shape::Map(entries) if entries.is_empty() => self.empty("{", "}"),
            Shape::Seq(items) if items.is_empty() => self.empty("[", "]"),
            Shape::Map(entries) => {
                let indent = parent.map_or(0, |p| p + 2);
                let Style::OpenApi(mode) = self.style else {
                    for (key, item) in entries {
                        self.entry(indent, key, item);
                    }
                    return;
                };
                // Sorted by the keys as written: the model's order, but for a key whose
                // Terraform escape (`$${`, `%%{`) sorts differently, as yaml_serde sorted
                // the JSON document's keys.
                let mut written: Vec<(String, Item<'_>)> = entries
                    .into_iter()
                    .map(|(key, item)| (json_string_value(mode, key, false), item))
                    .collect();
                written.sort_by(|a, b| a.0.cmp(&b.0));
                for (key, item) in written {
                    self.write_indent(indent);
                    self.written_entry(indent, &key, item);
                }
            }
            Shape::Seq(items) => {
                let indentless = context.mapping && !self.indention && self.style != Style::Deck;
                let indent = match parent {
                    None => 0,
                    Some(p) if indentless => p,
                    Some(p) => p + 2,
                };
                for item in items {
                    self.write_indent(indent);
                    self.indicator("-", true, false, true);
                    self.node(item, Some(indent), Context::default());
                }
            }
        }
    }

    /// One entry of a map whose keys are at `indent`.
    fn entry(&mut self, indent: usize, key: &str, item: Item<'_>) {
        self.write_indent(indent);
        match self.style {
            Style::Deck => {
                self.push(key);
                self.indicator(":", false, false, false);
                self.node(item, Some(indent), mapping());
            }
            Style::OpenApi(mode) => {
                self.written_entry(indent, &json_string_value(mode, key, false), item);
            }
        }
    }

    /// An entry after its indent, its key as the mode writes it: a simple key, or a
    /// complex one (`? key`) when it has line breaks or more than 128 bytes.
    fn written_entry(&mut self, indent: usize, text: &str, item: Item<'_>) {
        let analysis = Analysis::of(text);
        if !analysis.multiline && text.len() <= 128 {
            self.scalar_analysed(text, true, Some(indent), simple_key(), &analysis);
            self.indicator(":", false, false, false);
        } else {
            self.indicator("?", true, false, true);
            self.scalar_analysed(text, true, Some(indent), mapping(), &analysis);
            self.write_indent(indent);
            self.indicator(":", true, false, true);
        }
        self.node(item, Some(indent), mapping());
    }

    /// A simple key of plain text.
    fn simple_key(&mut self, key: &str, indent: usize) {
        let analysis = Analysis::of(key);
        self.scalar_analysed(key, true, Some(indent), simple_key(), &analysis);
        self.indicator(":", false, false, false);
    }

    fn scalar(&mut self, text: &str, string: bool, parent: Option<usize>, context: Context) {
        let analysis = Analysis::of(text);
        self.scalar_analysed(text, string, parent, context, &analysis);
    }

    /// A scalar in the style YAML reads back as the same value.
    fn scalar_analysed(
        &mut self,
        text: &str,
        string: bool,
        parent: Option<usize>,
        context: Context,
        analysis: &Analysis,
    ) {
        let indent = parent.map_or(2, |p| p + 2);
        // What yaml_serde asks for: a literal block for text with line feeds, quotes
        // for a string YAML would read as another type, else the plainest style.
        let mut style = if !string {
            ScalarStyle::Plain
        } else if text.contains('\n') {
            ScalarStyle::Literal
        } else if reads_as_other_type(text) {
            ScalarStyle::SingleQuoted
        } else {
            ScalarStyle::Plain
        };
        // What libyaml allows for the text where it is.
        if context.simple_key && analysis.multiline {
            style = ScalarStyle::DoubleQuoted;
        }
        if style == ScalarStyle::Plain
            && (!analysis.block_plain_allowed || (text.is_empty() && context.simple_key))
        {
            style = ScalarStyle::SingleQuoted;
        }
        if style == ScalarStyle::SingleQuoted && !analysis.single_quoted_allowed {
            style = ScalarStyle::DoubleQuoted;
        }
        if style == ScalarStyle::Literal && (!analysis.block_allowed || context.simple_key) {
            style = ScalarStyle::DoubleQuoted;
        }
        match style {
            ScalarStyle::Plain => {
                if !self.whitespace && !text.is_empty() {
                    self.push(" ");
                }
                self.push(text);
                self.whitespace = false;
                self.indention = false;
            }
            ScalarStyle::SingleQuoted => self.single_quoted(text, indent),
            ScalarStyle::DoubleQuoted => self.double_quoted(text),
            ScalarStyle::Literal => self.literal(text, indent),
        }
    }

    fn single_quoted(&mut self, text: &str, indent: usize) {
        self.indicator("'", true, false, false);
        let mut breaks = false;
        for c in text.chars() {
            if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent(indent);
                }
                if c == '\'' {
                    self.push("'");
                }
                self.push_char(c);
                self.indention = false;
                breaks = false;
            }
        }
        if breaks {
            self.write_indent(indent);
        }
        self.indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn double_quoted(&mut self, text: &str) {
        self.indicator("\"", true, false, false);
        for c in text.chars() {
            if !is_printable(c) || c == '\u{FEFF}' || is_break(c) || c == '"' || c == '\\' {
                let escape = match c {
                    '\0' => "0",
                    '\u{7}' => "a",
                    '\u{8}' => "b",
                    '\t' => "t",
                    '\n' => "n",
                    '\u{B}' => "v",
                    '\u{C}' => "f",
                    '\r' => "r",
                    '\u{1B}' => "e",
                    '"' => "\"",
                    '\\' => "\\",
                    '\u{85}' => "N",
                    '\u{A0}' => "_",
                    '\u{2028}' => "L",
                    '\u{2029}' => "P",
                    _ => "",
                };
                self.push("\\");
                if escape.is_empty() {
                    let code = u32::from(c);
                    let hex = match code {
                        0..=0xFF => format!("x{code:02X}"),
                        0x100..=0xFFFF => format!("u{code:04X}"),
                        _ => format!("U{code:08X}"),
                    };
                    self.push(&hex);
                } else {
                    self.push(escape);
                }
            } else {
                self.push_char(c);
            }
        }
        self.indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn literal(&mut self, text: &str, indent: usize) {
        self.indicator("|", true, false, false);
        let mut chars = text.chars();
        if chars
            .clone()
            .next()
            .is_some_and(|c| c == ' ' || is_break(c))
        {
            self.indicator("2", false, false, false);
        }
        let last = chars.next_back();
        let before_last = chars.next_back();
        match (last, before_last) {
            (None, _) => self.indicator("-", false, false, false),
            (Some(last), _) if !is_break(last) => self.indicator("-", false, false, false),
            (Some(_), None) => self.indicator("+", false, false, false),
            (Some(_), Some(before)) if is_break(before) => self.indicator("+", false, false, false),
            _ => {}
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for c in text.chars() {
            if is_break(c) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent(indent);
                }
                self.push_char(c);
                self.indention = false;
                breaks = false;
            }
        }
    }

    fn push_char(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    /// A line break of the text: a line feed as the emitter's break, any other as it is.
    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }
}

fn mapping() -> Context {
    Context {
        mapping: true,
        simple_key: false,
    }
}

fn simple_key() -> Context {
    Context {
        mapping: true,
        simple_key: true,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
}

/// The styles a text may take in block context, by libyaml's rules: indicators where
/// YAML would read them, spaces and breaks at the ends, characters only escapes write.
struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

impl Analysis {
    fn of(text: &str) -> Self {
        if text.is_empty() {
            return Self {
                multiline: false,
                block_plain_allowed: true,
                single_quoted_allowed: true,
                block_allowed: false,
            };
        }
        let mut indicators = text.starts_with("---") || text.starts_with("...");
        let mut line_breaks = false;
        let mut special = false;
        let (mut leading_space, mut leading_break) = (false, false);
        let (mut trailing_space, mut trailing_break) = (false, false);
        let (mut break_space, mut space_break) = (false, false);
        let (mut previous_space, mut previous_break) = (false, false);
        let mut preceded_by_whitespace = true;
        let chars: Vec<char> = text.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            let first = i == 0;
            let last = i + 1 == chars.len();
            // The end of the text reads as whitespace.
            let followed_by_whitespace = chars.get(i + 1).is_none_or(|&n| is_blankz(n));
            if first {
                match c {
                    '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\''
                    | '"' | '%' | '@' | '`' => indicators = true,
                    '?' | ':' | '-' if followed_by_whitespace => indicators = true,
                    _ => {}
                }
            } else if (c == ':' && followed_by_whitespace) || (c == '#' && preceded_by_whitespace) {
                indicators = true;
            }
            if !is_printable(c) {
                special = true;
            }
            if is_break(c) {
                line_breaks = true;
            }
            if c == ' ' {
                leading_space |= first;
                trailing_space |= last;
                break_space |= previous_break;
                previous_space = true;
                previous_break = false;
            } else if is_break(c) {
                leading_break |= first;
                trailing_break |= last;
                space_break |= previous_space;
                previous_space = false;
                previous_break = true;
            } else {
                previous_space = false;
                previous_break = false;
            }
            preceded_by_whitespace = is_blankz(c);
        }
        let mut analysis = Self {
            multiline: line_breaks,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: true,
        };
        if leading_space || leading_break || trailing_space || trailing_break || line_breaks {
            analysis.block_plain_allowed = false;
        }
        if trailing_space {
            analysis.block_allowed = false;
        }
        if break_space {
            analysis.block_plain_allowed = false;
            analysis.single_quoted_allowed = false;
        }
        if space_break || special {
            analysis.block_plain_allowed = false;
            analysis.single_quoted_allowed = false;
            analysis.block_allowed = false;
        }
        if indicators {
            analysis.block_plain_allowed = false;
        }
        analysis
    }
}

/// A character YAML writes as it is (else as an escape).
fn is_printable(c: char) -> bool {
    matches!(c, '\n' | ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{10000}'..)
        || (('\u{E000}'..='\u{FFFD}').contains(&c) && c != '\u{FEFF}')
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Blank, a break, or NUL (which ends libyaml's strings).
fn is_blankz(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\0') || is_break(c)
}

/// A JSON number as YAML writes it: integers as they are, floats by ryu (`1e20`).
fn number(n: &serde_json::Number) -> String {
    match n.as_f64() {
        Some(float) if n.is_f64() && float.is_finite() => {
            ryu::Buffer::new().format_finite(float).to_owned()
        }
        _ => n.to_string(),
    }
}

/// Whether YAML reads this plain text as something other than a string: null, a
/// boolean, an integer (decimal, `0x`, `0o`, `0b`) or a finite float; and digits with a
/// leading zero, which yaml_serde quotes too.
fn reads_as_other_type(text: &str) -> bool {
    text.is_empty()
        || matches!(
            text,
            "null" | "Null" | "NULL" | "~" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
        )
        || reads_as_int(text)
        || digits_but_not_number(text)
        || reads_as_float(text)
}

/// A sign, then a leading zero and more digits.
fn digits_but_not_number(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    digits.len() > 1 && digits.starts_with('0') && digits[1..].bytes().all(|b| b.is_ascii_digit())
}

fn reads_as_int(text: &str) -> bool {
    let radix = |digits: &str, radix: u32| {
        !digits.starts_with(['+', '-']) && u128::from_str_radix(digits, radix).is_ok()
    };
    let negative =
        |digits: &str, radix: u32| i128::from_str_radix(&format!("-{digits}"), radix).is_ok();
    let unsigned = text.strip_prefix('+').unwrap_or(text);
    let prefixed = [("0x", 16), ("0o", 8), ("0b", 2)];
    for (prefix, base) in prefixed {
        if let Some(digits) = unsigned.strip_prefix(prefix)
            && radix(digits, base)
        {
            return true;
        }
        if let Some(digits) = text.strip_prefix('-').and_then(|t| t.strip_prefix(prefix))
            && negative(digits, base)
        {
            return true;
        }
    }
    if digits_but_not_number(text) {
        return false;
    }
    (!unsigned.starts_with(['+', '-']) && unsigned.parse::<u128>().is_ok())
        || text.parse::<i128>().is_ok()
}

fn reads_as_float(text: &str) -> bool {
    let unsigned = match text.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return false,
        Some(rest) => rest,
        None => text,
    };
    matches!(unsigned, ".inf" | ".Inf" | ".INF")
        || matches!(text, "-.inf" | "-.Inf" | "-.INF" | ".nan" | ".NaN" | ".NAN")
        || unsigned.parse::<f64>().is_ok_and(f64::is_finite)
}

/// A decK item: its scalar, quoted already, or its entries or items.
fn deck_shape(item: Item<'_>) -> Shape<'_> {
    let node = match item {
        Item::Node(node) => node,
        Item::Str(text) => return Shape::Raw(deck_scalar(&Node::str(text)).unwrap_or_default()),
        // JSON in a decK file is a node's, written on one line ([`deck_scalar`]).
        Item::Json(value, _) => return Shape::Raw(value.to_string()),
    };
    if let Some(scalar) = deck_scalar(node) {
        return Shape::Raw(scalar);
    }
    match node {
        Node::Object(entries) => Shape::Map(
            entries
                .iter()
                .map(|(key, node)| (&**key, Item::Node(node)))
                .collect(),
        ),
        Node::Static(entries) => Shape::Map(
            entries
                .iter()
                .map(|(key, value)| (*key, Item::Str(value)))
                .collect(),
        ),
        Node::Array(items) => Shape::Seq(items.iter().map(Item::Node).collect()),
        Node::SharedPart(node) => deck_shape(Item::Node(node)),
        // Every other node is a scalar.
        _ => Shape::Raw(String::new()),
    }
}

/// A decK scalar, quoted; `None` for a list or map with items.
fn deck_scalar(node: &Node<'_>) -> Option<String> {
    let pieces = |pieces: &Pieces, always_double: bool| {
        let control = pieces.parts().iter().any(|part| match part {
            Part::Text(text) => text.chars().any(char::is_control),
            Part::Var(_) => false,
        });
        if always_double || control {
            // JSON's double-quoted string is YAML's, substitutions as Go raw strings.
            let mut text = to_text(Mode::Deck, Node::Pieces(pieces.clone()));
            text.pop();
            text
        } else {
            let mut out = String::from("'");
            for part in pieces.parts() {
                match part {
                    Part::Text(text) => out.push_str(&text.replace('\'', "''")),
                    Part::Var(name) => {
                        out.push_str("${{ env \"");
                        out.push_str(&crate::KongConfig::variable(name));
                        out.push_str("\" }}");
                    }
                }
            }
            out.push('\'');
            out
        }
    };
    match node {
        Node::Str(text) => Some(pieces(&Pieces::from(&**text), false)),
        Node::Template(value) => Some(pieces(&Pieces::from(*value), false)),
        Node::Pieces(parts) => Some(pieces(parts, false)),
        Node::Escaped(parts) => Some(pieces(parts, true)),
        Node::Number(n) => Some(n.to_string()),
        Node::Int(n) => Some(n.to_string()),
        Node::Bool(b) => Some(b.to_string()),
        Node::SharedPart(node) => deck_scalar(node),
        Node::Mapping(_) | Node::Json(_) | Node::Shared(_) | Node::TemplateJson(_) => {
            // Not in a decK file: JSON is YAML, written on one line.
            let mut text = to_text(Mode::Deck, node.clone());
            text.pop();
            (!text.contains('\n'))
                .then_some(text)
                .or_else(|| json_flow(node))
        }
        Node::Array(items) if items.is_empty() => Some("[]".to_owned()),
        Node::Object(entries) if entries.is_empty() => Some("{}".to_owned()),
        Node::Static([]) => Some("{}".to_owned()),
        Node::Array(_) | Node::Object(_) | Node::Static(_) => None,
    }
}

/// JSON (not part of a decK file) as a one-line flow value.
fn json_flow(node: &Node<'_>) -> Option<String> {
    let value: &Value = node.json()?;
    serde_json::to_string(value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TemplateValue;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn deck_scalars_quote_and_substitute() {
        let arn = TemplateValue::from("arn:${fn_arn}:it's");
        let mut key = Pieces::from("-----BEGIN-----\n");
        key.push_var("public_key");
        let node = Node::object([
            ("b", Node::Template(&arn)),
            (
                "a",
                Node::Array(vec![
                    Node::str("x\ny"),
                    Node::object([("k", Node::Int(-1)), ("j", Node::Bool(true))]),
                ]),
            ),
            ("c", Node::Escaped(key)),
            ("d", Node::Array(Vec::new())),
        ]);
        assert_eq!(
            deck(node),
            "a:\n  - \"x\\ny\"\n  - j: true\n    k: -1\nb: 'arn:${{ env \"DECK_FN_ARN\" }}:it''s'\nc: \"-----BEGIN-----\\n${{ env `DECK_PUBLIC_KEY` }}\"\nd: []\n"
        );
    }

    /// What the CLI wrote before this writer: the JSON document parsed back and written
    /// by yaml_serde.
    fn oracle(mode: Mode, node: Node<'_>) -> String {
        let json = to_text(mode, node);
        let value: Value = serde_json::from_str(&json).unwrap();
        yaml_serde::to_string(&value).unwrap()
    }

    #[test]
    fn openapi_yaml_is_what_yaml_serde_writes_for_the_json() {
        let arn = TemplateValue::from("arn:${fn_arn}:${AWS::Region}");
        let long_key = "k".repeat(129);
        let value = json!({
            "plain": "text with: colon and #hash",
            "quoted": ["true", "1", "0x1F", "-0o7", "012", "1e3", ".inf", "~", "", "null", "+5", "1_000"],
            "indicators": ["- a", "-a", "? x", ":x", "a: b", "a #b", "a#b", "#a", "'a'", "\"a\"", "---x", "...", "[a]", "{b}", "&a", "*a", "!a", "|a", ">a", "%a", "@a", "`a"],
            "spaces": [" a", "a ", "a  b"],
            "breaks": ["a\nb", "a\n", "a\n\n", "\n", "\na", " a\nb", "a \nb", "a\n b", "a\r\nb", "a\u{2028}b", "x\u{85}y"],
            "special": ["tab\there", "bell\u{7}", "nul\u{0}", "bom\u{FEFF}", "\u{E000}x\u{E001}", "é ü 日本", "\u{1F600}", "\u{FFFE}"],
            "numbers": [0, -1, 2.5, 1e20, 18446744073709551615u64, -9223372036854775808i64],
            "nested": [[1, [2]], {"a": [{"b": {}}]}, [], {}],
            "keys": {"200": 1, "a b": 2, "x-y": 3, "a\nb": 4, "": 5, "null": 6, "%0": 7, "%{x}": 8, "${y}": 9, "$0": 10},
            "sigils": "${literal} %{if} $${x}",
        });
        let mut with_long_key = value;
        with_long_key[&long_key] = json!({"a": [1]});
        for mode in [Mode::Plain, Mode::Terraform] {
            let node = || Node::Json(Cow::Borrowed(&with_long_key));
            assert_eq!(to_text_yaml(mode, node()), oracle(mode, node()), "{mode:?}");
        }
        let template = json!({"Resource": "${queue_arn}", "Literal": "$${x}"});
        let node = Node::object([
            ("arn", Node::Template(&arn)),
            ("mapping", Node::Mapping(&arn)),
            ("policy", Node::TemplateJson(&template)),
            ("static", Node::string_schema()),
            ("n", Node::Number(3)),
        ]);
        assert_eq!(
            to_text_yaml(Mode::Terraform, node.clone()),
            oracle(Mode::Terraform, node)
        );
    }

    #[test]
    fn a_document_streams_its_paths_as_the_json_document_does() {
        let members = || {
            vec![
                (Cow::Borrowed("x-z"), Node::Bool(true)),
                (
                    Cow::Borrowed("info"),
                    Node::object([("title", Node::str("t: 1"))]),
                ),
            ]
        };
        let items = || [("/a/{b}", Node::object([("get", Node::Number(1))]))].into_iter();
        let json = super::super::json::document(Mode::Terraform, 0, members(), items());
        let expected =
            yaml_serde::to_string(&serde_json::from_str::<Value>(&json).unwrap()).unwrap();
        assert_eq!(document(Mode::Terraform, 0, members(), items()), expected);
        let empty = document(Mode::Plain, 0, members(), std::iter::empty());
        assert_eq!(empty, "info:\n  title: 't: 1'\npaths: {}\nx-z: true\n");
    }

    fn json_values() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "[a0-9 :#'\"\\\n\t\r\u{85}\u{2028}\u{7}\u{FEFF}$%{}.+-]{0,8}".prop_map(Value::from),
            prop::sample::select(vec![
                "true", "null", "0x1", "012", "-1", "1.5", ".nan", "~", "---", "- x", "? y", "a: b"
            ])
            .prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 48, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::from),
                prop::collection::btree_map("[a-c0-9 :\n#$%{]{0,3}", inner, 0..5)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// Any JSON, in either mode, is written as yaml_serde writes the JSON document.
        #[test]
        fn openapi_yaml_matches_yaml_serde(value in json_values()) {
            for mode in [Mode::Plain, Mode::Terraform] {
                let node = || Node::Json(Cow::Borrowed(&value));
                prop_assert_eq!(to_text_yaml(mode, node()), oracle(mode, node()));
            }
        }
    }
}
