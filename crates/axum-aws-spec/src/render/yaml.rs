//! The decK YAML dialect: block maps and lists, scalars single-quoted (double-quoted
//! with JSON's escapes when they hold control characters), placeholders written as
//! decK environment substitutions, `'${{ env "DECK_NAME" }}'`. It writes the same
//! [`Node`] tree as the JSON writer; keys are sorted first.

use std::borrow::Cow;

use serde_json::Value;

use super::json::{Mode, Node, to_text};
use crate::template::{Part, Pieces};

/// `node`, a map, as a decK YAML file.
pub(crate) fn deck(mut node: Node<'_>) -> String {
    node.sort_keys();
    let mut out = String::new();
    if let Some(entries) = members(&node) {
        write_map(&entries, 0, &mut out, false);
    }
    out
}

/// The members of an object node, in order.
fn members<'n>(node: &'n Node<'_>) -> Option<Vec<(Cow<'n, str>, Cow<'n, Node<'n>>)>> {
    match node {
        Node::Object(entries) => Some(
            entries
                .iter()
                .map(|(key, value)| (Cow::Borrowed(&**key), Cow::Borrowed(value)))
                .collect(),
        ),
        Node::Static(entries) => Some(
            entries
                .iter()
                .map(|(key, value)| (Cow::Borrowed(*key), Cow::Owned(Node::str(value))))
                .collect(),
        ),
        Node::SharedPart(node) => members(node),
        _ => None,
    }
}

/// The items of an array node, in order.
fn items<'n>(node: &'n Node<'_>) -> Option<Vec<Cow<'n, Node<'n>>>> {
    match node {
        Node::Array(items) => Some(items.iter().map(Cow::Borrowed).collect()),
        Node::SharedPart(node) => items(node),
        _ => None,
    }
}

/// A scalar, or an empty list or map, on one line; `None` for a list or map with items.
fn scalar(node: &Node<'_>) -> Option<String> {
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
        Node::SharedPart(node) => scalar(node),
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

/// Writes map entries at `indent` columns; the first line's indent is already written
/// when `continued`.
fn write_map(
    entries: &[(Cow<'_, str>, Cow<'_, Node<'_>>)],
    indent: usize,
    out: &mut String,
    continued: bool,
) {
    for (i, (key, item)) in entries.iter().enumerate() {
        if i > 0 || !continued {
            push_indent(out, indent);
        }
        out.push_str(key);
        out.push(':');
        write_value(item, indent, out);
    }
}

fn push_indent(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

fn write_value(item: &Node<'_>, indent: usize, out: &mut String) {
    if let Some(scalar) = scalar(item) {
        out.push(' ');
        out.push_str(&scalar);
        out.push('\n');
        return;
    }
    out.push('\n');
    if let Some(items) = items(item) {
        for item in items {
            push_indent(out, indent + 2);
            out.push_str("- ");
            if let Some(scalar) = scalar(&item) {
                out.push_str(&scalar);
                out.push('\n');
            } else if let Some(entries) = members(&item) {
                write_map(&entries, indent + 4, out, true);
            } else {
                // Lists of lists do not occur in a decK file.
                out.push_str("[]\n");
            }
        }
    } else if let Some(entries) = members(item) {
        write_map(&entries, indent + 2, out, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TemplateValue;

    #[test]
    fn scalars_quote_and_substitute() {
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
}
