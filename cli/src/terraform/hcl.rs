//! The one HCL writer of the module: top-level blocks printed by hcl-rs, each with its
//! comment lines and checkov skips, then an `=`-alignment pass so that every file is
//! already in `terraform fmt` layout (hcl-rs does not align).

use hcl::expr::{Expression, TemplateExpr};
use hcl::structure::{Block, BlockBuilder};

/// An expression written as HCL source: a reference, a call, a template. Parsed once,
/// so a typo in the generator fails its tests rather than producing a broken file.
///
/// # Panics
/// On text that is not an HCL expression: the generator writes these, never the user.
#[track_caller]
pub(crate) fn expr(source: &str) -> Expression {
    match source.parse::<Expression>() {
        Ok(expression) => expression,
        Err(error) => panic!("the generator wrote an invalid HCL expression `{source}`: {error}"),
    }
}

/// A quoted template string (`"${var.x}/*"`): `text` is written as is, so its `${…}`
/// are interpolations. Literal text inside it must already be escaped ([`literal`]).
pub(crate) fn template(text: &str) -> Expression {
    Expression::TemplateExpr(Box::new(TemplateExpr::QuotedString(text.to_owned())))
}

/// `text` escaped for the inside of a quoted template: `\`, `"`, `${`, `%{`.
pub(crate) fn literal(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace("${", "$${")
        .replace("%{", "%%{")
}

/// One top-level block of a file, with what is written around it.
#[derive(Debug)]
pub(crate) struct Item {
    /// `# …` lines before the block.
    comments: Vec<String>,
    /// `#checkov:skip=ID:reason` lines at the top of the block's body.
    skips: Vec<(&'static str, String)>,
    block: Block,
}

impl Item {
    pub(crate) fn new(block: BlockBuilder) -> Self {
        Self {
            comments: Vec::new(),
            skips: Vec::new(),
            block: block.build(),
        }
    }

    /// A comment line before the block (why it is there, what to do).
    #[must_use]
    pub(crate) fn comment(mut self, text: impl Into<String>) -> Self {
        self.comments.push(text.into());
        self
    }

    /// A checkov check skipped for this block, with the reason checkov reports.
    #[must_use]
    pub(crate) fn skip(mut self, check: &'static str, reason: impl Into<String>) -> Self {
        self.skips.push((check, reason.into()));
        self
    }
}

/// `resource "TYPE" "NAME" { … }`, to fill with hcl-rs's builder.
pub(crate) fn resource(kind: &str, name: &str) -> BlockBuilder {
    Block::builder("resource").add_label(kind).add_label(name)
}

/// A nested block with no labels.
pub(crate) fn block(name: &str) -> BlockBuilder {
    Block::builder(name)
}

/// A file: a header comment, then the items one blank line apart, aligned.
pub(crate) fn file(header: &str, items: Vec<Item>) -> String {
    let mut out = String::new();
    for line in header.lines() {
        out.push_str(&comment_line(line));
    }
    for item in items {
        if !out.is_empty() {
            out.push('\n');
        }
        for line in &item.comments {
            out.push_str(&comment_line(line));
        }
        let mut formatter = hcl::format::Formatter::builder()
            .compact_arrays(true)
            .build_vec();
        let text = hcl::format::Format::format_string(&item.block, &mut formatter).unwrap_or_else(
            |error| {
                // hcl-rs fails only on a writer error; a Vec never fails.
                unreachable!("hcl-rs could not print a block: {error}")
            },
        );
        let mut lines = text.lines();
        if let Some(first) = lines.next() {
            out.push_str(first);
            out.push('\n');
        }
        for (check, reason) in &item.skips {
            out.push_str(&format!("  #checkov:skip={check}:{reason}\n"));
        }
        for line in lines {
            out.push_str(line);
            out.push('\n');
        }
    }
    align(&out)
}

/// `# text`, wrapped at 100 columns.
fn comment_line(text: &str) -> String {
    if text.is_empty() {
        return "#\n".to_owned();
    }
    let mut out = String::new();
    let mut line = String::from("#");
    for word in text.split(' ') {
        if line.len() > 1 && line.len() + 1 + word.len() > 100 {
            out.push_str(&line);
            out.push('\n');
            line = String::from("#");
        }
        line.push(' ');
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// `terraform fmt`'s alignment: in each run of consecutive one-line `key = value` lines
/// at the same indentation, the `=` signs line up. A line that opens a multi-line value,
/// a blank line, a comment or a block ends the run (as hclwrite's formatter does).
pub(crate) fn align(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut at = 0;
    while at < lines.len() {
        let Some(first) = assignment(lines[at]) else {
            out.push_str(lines[at]);
            out.push('\n');
            at += 1;
            continue;
        };
        let mut end = at + 1;
        while end < lines.len() {
            match assignment(lines[end]) {
                Some(next) if next.indent == first.indent => end += 1,
                _ => break,
            }
        }
        let width = lines[at..end]
            .iter()
            .filter_map(|line| assignment(line))
            .map(|a| a.key.len())
            .max()
            .unwrap_or(0);
        for line in &lines[at..end] {
            if let Some(a) = assignment(line) {
                out.push_str(&format!(
                    "{:indent$}{:<width$} = {}\n",
                    "",
                    a.key,
                    a.value,
                    indent = a.indent
                ));
            }
        }
        at = end;
    }
    out
}

struct Assignment<'a> {
    indent: usize,
    key: &'a str,
    value: &'a str,
}

/// A complete one-line `key = value` (its brackets and quotes balanced).
fn assignment(line: &str) -> Option<Assignment<'_>> {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    if trimmed.starts_with('#') {
        return None;
    }
    let (key, value) = trimmed.split_once(" = ")?;
    let key = key.trim_end();
    let plain_key = !key.is_empty()
        && (key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            || (key.starts_with('"') && key.ends_with('"') && key.len() > 1));
    (plain_key && balanced(value)).then_some(Assignment { indent, key, value })
}

/// Whether `value` closes every bracket it opens (strings skipped).
fn balanced(value: &str) -> bool {
    let mut depth = 0i32;
    let mut in_string = false;
    let mut escaped = false;
    for c in value.chars() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' | '(' => depth += 1,
            '}' | ']' | ')' => depth -= 1,
            _ => {}
        }
    }
    depth == 0 && !in_string
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_one_line_attributes_align_and_multi_line_values_break_them() {
        let text = "resource \"a\" \"b\" {\n  x = 1\n  long_name = 2\n  tags = {\n    a = 1\n    bbbb = \"}\"\n  }\n  y = 3\n}\n";
        assert_eq!(
            align(text),
            "resource \"a\" \"b\" {\n  x         = 1\n  long_name = 2\n  tags = {\n    a    = 1\n    bbbb = \"}\"\n  }\n  y = 3\n}\n"
        );
    }

    #[test]
    fn literal_text_is_escaped_for_a_template() {
        assert_eq!(literal(r#"a "${b}" %{c} \"#), r#"a \"$${b}\" %%{c} \\"#);
        let block = resource("t", "n")
            .add_attribute(("v", template(&format!("${{var.x}}/{}", literal("${y}")))));
        let text = file("", vec![Item::new(block)]);
        assert_eq!(
            text,
            "resource \"t\" \"n\" {\n  v = \"${var.x}/$${y}\"\n}\n"
        );
    }
}
