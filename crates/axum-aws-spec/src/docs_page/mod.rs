//! The API docs page: one self-contained `index.html` rendered from the public spec.
//!
//! The page is HTML, CSS and a little JavaScript written here (`page.html`, `page.css`,
//! `page.js` beside this file), with the public spec embedded as JSON: no third-party
//! renderer and no network, so it works offline and in air-gapped networks, and what it
//! shows is exactly what the public spec says. The script puts every text from the spec
//! into the page as text (never as HTML); the embedded JSON has `<`, `>` and `&` written
//! as `\u003c`, `\u003e` and `\u0026`, so no spec value can close the `<script>` element.

use crate::{ApiSpec, PublicSpec, SpecErrors};

const TEMPLATE: &str = include_str!("page.html");
const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

/// A docs page: `index.html` with the public spec embedded, rendered by the page's own
/// script (method and path, docs, parameters, bodies and responses with their models
/// expanded, the auth requirements in words, a try-it form, a filter by path and tag).
///
/// ```
/// use axum_aws_spec::integration::LambdaProxy;
/// use axum_aws_spec::{ApiSettings, ApiSpec, DocsPage, Info, Method, RouteMeta};
///
/// let mut route = RouteMeta::new(Method::Get, "/widgets");
/// route.integration = Some(LambdaProxy::new("${api_invoke_arn}").into());
/// route.summary = Some("Every widget </script>".into());
/// let spec = ApiSpec::new(Info::new("Widgets", "1.0.0"), ApiSettings::default(), vec![route]);
///
/// let page = DocsPage::new(&spec.render_public()?);
/// assert!(page.html().starts_with("<!DOCTYPE html>"));
/// assert!(page.html().contains("<title>Widgets 1.0.0</title>"));
/// assert!(page.html().contains(r#"Every widget \u003c/script\u003e"#)); // text, not markup
/// # Ok::<(), axum_aws_spec::SpecErrors>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocsPage {
    html: String,
}

impl DocsPage {
    /// The page of `public` (a spec from [`Checked::render_public`](crate::Checked::render_public)).
    pub fn new(public: &PublicSpec) -> Self {
        // The spec's own info, as the document has it: no need to read the text back.
        let title = format!("{} {}", public.info.title, public.info.version);
        let mut html = String::with_capacity(
            TEMPLATE.len() + STYLE.len() + SCRIPT.len() + public.text.len() + 64,
        );
        // One pass over the template: a marker inside an inserted value is never expanded.
        let mut rest = TEMPLATE;
        while let Some(start) = rest.find("{{") {
            html.push_str(&rest[..start]);
            let end = start + rest[start..].find("}}").map_or(2, |e| e + 2);
            match &rest[start..end] {
                "{{title}}" => push_html_text(&mut html, &title),
                "{{style}}" => html.push_str(STYLE),
                "{{spec}}" => push_script_json(&mut html, public.text.trim_end()),
                "{{script}}" => html.push_str(SCRIPT),
                other => html.push_str(other),
            }
            rest = &rest[end..];
        }
        html.push_str(rest);
        Self { html }
    }

    /// The page's HTML: write it as `index.html` (the public spec is inside it).
    pub fn html(&self) -> &str {
        &self.html
    }

    /// The page's HTML, owned.
    pub fn into_html(self) -> String {
        self.html
    }
}

impl ApiSpec {
    /// The docs page of this spec's public spec (OpenAPI 3.0.3), after every check.
    ///
    /// ```
    /// use axum_aws_spec::{ApiSettings, ApiSpec, Info};
    ///
    /// let spec = ApiSpec::new(Info::new("Empty", "0.1.0"), ApiSettings::default(), vec![]);
    /// assert!(spec.docs_page()?.html().contains("id=\"openapi\""));
    /// # Ok::<(), axum_aws_spec::SpecErrors>(())
    /// ```
    ///
    /// # Errors
    /// Every problem found by [`check_for`](Self::check_for) for the public spec.
    pub fn docs_page(&self) -> Result<DocsPage, SpecErrors> {
        Ok(DocsPage::new(&self.render_public()?))
    }
}

/// `text` as HTML text content.
fn push_html_text(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// JSON text inside a `<script>` element: `<`, `>` and `&` can occur only inside JSON
/// strings, where their `\u` escapes mean the same, so `</script>` and `<!--` cannot
/// appear; U+2028/U+2029 are escaped for older JavaScript parsers.
fn push_script_json(out: &mut String, json: &str) {
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_text_cannot_leave_the_script_element() {
        let mut out = String::new();
        let text = "</script><script>alert(1)</script><!-- & \u{2028}";
        push_script_json(&mut out, &serde_json::json!({ "a": text }).to_string());
        assert!(!out.contains(['<', '>', '&', '\u{2028}']));
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back["a"], text);
    }

    #[test]
    fn inlined_script_and_style_cannot_end_their_element() {
        // Inlined as they are: none of these may appear in them, even in a comment.
        for text in [SCRIPT, STYLE] {
            assert!(!text.contains("</") && !text.contains("<!--") && !text.contains("<script"));
        }
    }

    #[test]
    fn title_is_html_text() {
        let mut out = String::new();
        push_html_text(&mut out, r#"<b>"A" & 'B'</b>"#);
        assert_eq!(out, "&lt;b&gt;&quot;A&quot; &amp; &#39;B&#39;&lt;/b&gt;");
    }
}
