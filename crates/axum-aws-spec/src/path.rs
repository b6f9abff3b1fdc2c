//! Route paths: axum 0.8 syntax in, API Gateway REST resource paths out.
//!
//! The router records each route exactly as axum serves it (`/users/{id}`, `/files/{*rest}`).
//! API Gateway spells a greedy parameter `{rest+}` and refuses much that axum accepts:
//! partial-segment captures, characters such as `~`, trailing slashes, and two different
//! variable names under one parent. Checking here, when the spec is exported, turns a failed
//! import or `terraform apply` into an error that names the offending route. [`join_nested`]
//! copies axum's own prefix joining, so recorded paths are the paths axum really serves.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

/// A hash map for the exporter's short-lived lookups by path, name or small key: the
/// keys are the user's own routes, so the multiply-rotate hash of rustc (`FxHasher`) does,
/// at a fraction of SipHash's cost.
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// rustc's `FxHasher`: a word at a time, multiply and rotate.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A route path in axum syntax (`/users/{id}`, `/files/{*rest}`), parsed once, where it
/// is declared: its segments (literals, parameters, a greedy tail) are read from here by
/// every check and target, never parsed again.
///
/// [`RoutePath::parse`] (or [`str::parse`]) returns the error of a path API Gateway
/// cannot take, where it is declared. `From<&str>` keeps such a path as written, with the
/// reason, for the checks to report naming its route, all at once: what the router's
/// `route` does, so that one export lists every bad path. Serialized as its text.
///
/// ```
/// use axum_aws_spec::{PathSegment, RoutePath};
///
/// let path = RoutePath::from("/files/{owner}/{*rest}");
/// assert_eq!(path, "/files/{owner}/{*rest}");
/// assert_eq!(path.gateway(), Some("/files/{owner}/{rest+}"));
/// assert_eq!(path.openapi().as_deref(), Some("/files/{owner}/{rest}"));
/// assert_eq!(
///     path.segments().collect::<Vec<_>>(),
///     [PathSegment::Literal("files"), PathSegment::Param("owner"), PathSegment::Greedy("rest")]
/// );
/// assert_eq!(RoutePath::from("/a/x-{id}").gateway(), None);
/// ```
#[derive(Clone)]
pub struct RoutePath {
    text: String,
    /// The API Gateway resource path (`{rest+}` for a greedy tail), or why there is none.
    gateway: Result<String, PathError>,
}

/// One segment of a [`RoutePath`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PathSegment<'a> {
    /// Literal text.
    Literal(&'a str),
    /// `{name}`: one segment.
    Param(&'a str),
    /// `{*name}`: the rest of the path, slashes included (always the last segment).
    Greedy(&'a str),
}

impl RoutePath {
    /// The path as declared, axum syntax.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The API Gateway resource path (`{name+}` for a greedy tail); `None` when API
    /// Gateway cannot take the path (the checks say why, naming the route).
    pub fn gateway(&self) -> Option<&str> {
        self.gateway.as_deref().ok()
    }

    /// The path as OpenAPI documents and clients write it (`{name}` for a greedy tail too).
    pub fn openapi(&self) -> Option<Cow<'_, str>> {
        self.gateway().map(openapi_path)
    }

    /// The segments after the leading `/` (none for the root); none for an invalid path.
    pub fn segments(&self) -> impl Iterator<Item = PathSegment<'_>> {
        let gateway = self.gateway().unwrap_or("/");
        gateway
            .split('/')
            .skip(1)
            .filter(|segment| !segment.is_empty())
            .map(
                |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(inner) => match inner.strip_suffix('+') {
                        Some(name) => PathSegment::Greedy(name),
                        None => PathSegment::Param(inner),
                    },
                    None => PathSegment::Literal(segment),
                },
            )
    }

    /// The parameters in order: each name, and whether it is the greedy tail.
    pub fn params(&self) -> impl Iterator<Item = (&str, bool)> {
        self.segments().filter_map(|segment| match segment {
            PathSegment::Param(name) => Some((name, false)),
            PathSegment::Greedy(name) => Some((name, true)),
            PathSegment::Literal(_) => None,
        })
    }

    /// Why API Gateway cannot take the path, if it cannot.
    pub(crate) fn error(&self) -> Option<&PathError> {
        self.gateway.as_ref().err()
    }
}

impl RoutePath {
    /// The path, or why API Gateway cannot take it.
    ///
    /// # Errors
    /// [`InvalidPath`]: the path is not absolute, has an empty segment, a parameter that
    /// is not a whole segment, unbalanced braces, or a name API Gateway refuses.
    ///
    /// ```
    /// use axum_aws_spec::RoutePath;
    ///
    /// let path = RoutePath::parse("/users/{id}")?;
    /// assert_eq!(path.gateway(), Some("/users/{id}"));
    /// let error = RoutePath::parse("/a/x-{id}").unwrap_err();
    /// assert_eq!(error.path(), "/a/x-{id}");
    /// assert!(error.to_string().contains("x-{id}"));
    /// assert!("/a//b".parse::<RoutePath>().is_err());
    /// # Ok::<(), axum_aws_spec::InvalidPath>(())
    /// ```
    pub fn parse(text: &str) -> Result<Self, InvalidPath> {
        let path = Self::from(text);
        match path.gateway {
            Ok(_) => Ok(path),
            Err(error) => Err(InvalidPath {
                path: path.text,
                error,
            }),
        }
    }
}

/// Why API Gateway cannot take a route path ([`RoutePath::parse`]).
///
/// ```
/// use axum_aws_spec::RoutePath;
///
/// let error = RoutePath::parse("users").unwrap_err();
/// assert_eq!(error.path(), "users");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidPath {
    path: String,
    error: PathError,
}

impl InvalidPath {
    /// The path as written.
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl fmt::Display for InvalidPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl std::error::Error for InvalidPath {}

impl std::str::FromStr for RoutePath {
    type Err = InvalidPath;

    fn from_str(text: &str) -> Result<Self, InvalidPath> {
        Self::parse(text)
    }
}

impl From<&str> for RoutePath {
    fn from(text: &str) -> Self {
        Self {
            gateway: to_gateway_path(text),
            text: text.to_owned(),
        }
    }
}

impl From<String> for RoutePath {
    fn from(text: String) -> Self {
        Self {
            gateway: to_gateway_path(&text),
            text,
        }
    }
}

impl From<&String> for RoutePath {
    fn from(text: &String) -> Self {
        Self::from(text.as_str())
    }
}

impl std::ops::Deref for RoutePath {
    type Target = str;

    fn deref(&self) -> &str {
        &self.text
    }
}

impl AsRef<str> for RoutePath {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl std::borrow::Borrow<str> for RoutePath {
    fn borrow(&self) -> &str {
        &self.text
    }
}

impl fmt::Debug for RoutePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.text, f)
    }
}

impl fmt::Display for RoutePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

// Identity is the declared text: the parse follows from it.
impl PartialEq for RoutePath {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for RoutePath {}

impl PartialEq<str> for RoutePath {
    fn eq(&self, other: &str) -> bool {
        self.text == other
    }
}

impl PartialEq<&str> for RoutePath {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

impl std::hash::Hash for RoutePath {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl PartialOrd for RoutePath {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for RoutePath {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.text.cmp(&other.text)
    }
}

impl serde::Serialize for RoutePath {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for RoutePath {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

/// One `{name}` / `{*name}` segment of a route path.
///
/// Kept separate from the path string so the exporter can declare each path parameter
/// without parsing the path again.
#[cfg(test)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PathParam {
    /// The capture name, without braces, `*` or `+`.
    pub(crate) name: String,
    /// Whether the parameter captures the rest of the path (`{*name}` / `{name+}`).
    pub(crate) greedy: bool,
}

/// Why API Gateway (or axum) cannot take a path.
///
/// One variant per class of mistake, so callers and tests can tell them apart. The `Display`
/// text is lowercase, has no trailing period and quotes the offending value.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub(crate) enum PathError {
    /// The path does not start with `/` (axum panics on it as well).
    NotAbsolute {
        /// The whole path.
        path: String,
    },
    /// `//` somewhere or a trailing `/`: API Gateway has no empty path parts. Only the root
    /// `/` is exempt.
    EmptySegment {
        /// The whole path.
        path: String,
    },
    /// A segment mixes text and a parameter (`x-{id}`, `{x}.json`, `{a}{b}`). axum accepts some
    /// of these, but API Gateway parameters must be whole segments.
    PartialSegmentParam {
        /// The offending segment.
        segment: String,
    },
    /// A `{` without its `}` (or the other way round), or braces nested inside a parameter.
    UnbalancedBraces {
        /// The offending segment.
        segment: String,
    },
    /// `{{` or `}}`: axum's escape for a literal brace. API Gateway cannot have braces in a
    /// literal.
    EscapedBrace {
        /// The offending segment.
        segment: String,
    },
    /// A literal segment contains a character API Gateway refuses.
    BadCharacter {
        /// The offending segment.
        segment: String,
        /// The first character that is not allowed.
        ch: char,
    },
    /// `{*name}` is followed by more segments: neither axum nor API Gateway allow that.
    GreedyNotLast {
        /// The whole path.
        path: String,
        /// The greedy segment, as written.
        segment: String,
    },
    /// A parameter name outside `[A-Za-z0-9_]+`. API Gateway accepts a little more in a
    /// path part, but names also end up in `method.request.path.<name>` expressions, so only
    /// the safe set is allowed.
    BadParamName {
        /// The name as written, without braces or `*`.
        name: String,
    },
    /// `{name+}` in an axum path: that is API Gateway syntax. axum would treat it as an
    /// ordinary parameter called `name+`.
    GatewayGreedySyntax {
        /// The offending segment.
        segment: String,
    },
    /// The same parameter name appears twice. axum accepts it, but the second value would
    /// shadow the first, and API Gateway needs one declaration per name.
    DuplicateParam {
        /// The whole path.
        path: String,
        /// The repeated name.
        name: String,
    },
    /// A segment starts with `:` or `*`: axum 0.7 syntax, which axum 0.8 rejects unless
    /// `without_v07_checks` is used.
    LegacyColonSyntax {
        /// The offending segment.
        segment: String,
    },
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAbsolute { path } => {
                write!(
                    f,
                    "path {path:?} must start with \"/\"; use \"/\" for the root route"
                )
            }
            Self::EmptySegment { path } => write!(
                f,
                "path {path:?} has an empty segment; API Gateway resources cannot contain \"//\" \
                 or end with \"/\" (only the root \"/\" may)"
            ),
            Self::PartialSegmentParam { segment } => write!(
                f,
                "path segment {segment:?} mixes text and a parameter; API Gateway needs \
                 whole-segment parameters like {:?}",
                first_brace_group(segment)
            ),
            Self::UnbalancedBraces { segment } => {
                write!(
                    f,
                    "path segment {segment:?} has an unmatched or nested brace"
                )
            }
            Self::EscapedBrace { segment } => write!(
                f,
                "path segment {segment:?} contains an escaped brace (\"{{{{\" or \"}}}}\"); API \
                 Gateway allows braces only around a whole-segment parameter"
            ),
            Self::BadCharacter { segment, ch } => write!(
                f,
                "path segment {segment:?} contains {ch:?}; API Gateway allows only ascii \
                 letters, digits and \". _ - , :\" in literal segments"
            ),
            Self::GreedyNotLast { path, segment } => write!(
                f,
                "greedy parameter {segment:?} in {path:?} must be the last segment"
            ),
            Self::BadParamName { name } => write!(
                f,
                "parameter name {name:?} is not allowed; use one or more ascii letters, digits \
                 or \"_\""
            ),
            Self::GatewayGreedySyntax { segment } => {
                let name = segment
                    .trim_start_matches('{')
                    .trim_end_matches('}')
                    .trim_end_matches('+');
                write!(
                    f,
                    "path segment {segment:?} is API Gateway syntax; axum routes write a greedy \
                     parameter as {:?}",
                    format!("{{*{name}}}")
                )
            }
            Self::DuplicateParam { path, name } => {
                write!(f, "parameter {name:?} appears more than once in {path:?}")
            }
            Self::LegacyColonSyntax { segment } => {
                let (star, name) = match segment.strip_prefix(':') {
                    Some(name) => ("", name),
                    None => ("*", segment.strip_prefix('*').unwrap_or(segment)),
                };
                let name = if name.is_empty() { "name" } else { name };
                write!(
                    f,
                    "path segment {segment:?} uses axum 0.7 syntax; write {:?} instead",
                    format!("{{{star}{name}}}")
                )
            }
        }
    }
}

impl std::error::Error for PathError {}

/// The first `{...}` group of a segment (or the segment itself), to suggest a whole-segment
/// parameter in [`PathError::PartialSegmentParam`].
fn first_brace_group(segment: &str) -> &str {
    let Some(start) = segment.find('{') else {
        return segment;
    };
    match segment[start..].find('}') {
        Some(len) => &segment[start..=start + len],
        None => segment,
    }
}

/// One parsed segment of an axum path.
enum Segment<'a> {
    /// Plain text, already checked against API Gateway's character set.
    Literal(&'a str),
    /// A whole-segment capture.
    Param { name: &'a str, greedy: bool },
}

/// Characters API Gateway accepts in a literal path part (apigateway-rules.md §2.1 row 1).
fn is_literal_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ',' | ':')
}

/// The conservative parameter-name set: `[A-Za-z0-9_]+`.
fn is_param_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Whether every `{` is closed by a `}` before the next `{`, and no `}` comes unopened.
fn braces_balanced(segment: &str) -> bool {
    let mut open = false;
    for c in segment.chars() {
        match c {
            '{' if open => return false,
            '{' => open = true,
            '}' if !open => return false,
            '}' => open = false,
            _ => {}
        }
    }
    !open
}

/// Classifies one non-empty segment of an axum path, or says why API Gateway can't take it.
fn parse_axum_segment(segment: &str) -> Result<Segment<'_>, PathError> {
    // The common shapes, decided byte by byte: a plain literal, `{name}`, `{*name}`.
    let bytes = segment.as_bytes();
    if bytes.first().is_some_and(|&b| b != b':')
        && bytes.iter().all(|&b| is_literal_char(char::from(b)))
    {
        return Ok(Segment::Literal(segment));
    }
    if let Some(inner) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
        let (name, greedy) = match inner.strip_prefix('*') {
            Some(name) => (name, true),
            None => (inner, false),
        };
        if is_param_name(name) {
            return Ok(Segment::Param { name, greedy });
        }
    }
    parse_unusual_segment(segment)
}

/// [`parse_axum_segment`] for every other segment, with the reason it is refused.
fn parse_unusual_segment(segment: &str) -> Result<Segment<'_>, PathError> {
    let owned = || segment.to_owned();
    if segment.starts_with([':', '*']) {
        return Err(PathError::LegacyColonSyntax { segment: owned() });
    }
    if segment.contains("{{") || segment.contains("}}") {
        return Err(PathError::EscapedBrace { segment: owned() });
    }
    if !segment.contains(['{', '}']) {
        return match segment.chars().find(|&c| !is_literal_char(c)) {
            Some(ch) => Err(PathError::BadCharacter {
                segment: owned(),
                ch,
            }),
            None => Ok(Segment::Literal(segment)),
        };
    }
    if !braces_balanced(segment) {
        return Err(PathError::UnbalancedBraces { segment: owned() });
    }
    let Some(inner) = segment
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .filter(|s| !s.contains(['{', '}']))
    else {
        return Err(PathError::PartialSegmentParam { segment: owned() });
    };
    let (name, greedy) = match inner.strip_prefix('*') {
        Some(name) => (name, true),
        None => (inner, false),
    };
    if !greedy && inner.strip_suffix('+').is_some_and(is_param_name) {
        return Err(PathError::GatewayGreedySyntax { segment: owned() });
    }
    if !is_param_name(name) {
        return Err(PathError::BadParamName {
            name: name.to_owned(),
        });
    }
    Ok(Segment::Param { name, greedy })
}

/// Converts an axum path into its API Gateway resource path, validating it.
///
/// `{name}` stays as it is, `{*name}` becomes `{name+}`, and literals pass through once their
/// characters are checked. Errors come from the first bad segment, left to right. Never panics,
/// even on paths axum itself would panic on.
pub(crate) fn to_gateway_path(axum_path: &str) -> Result<String, PathError> {
    let Some(rest) = axum_path.strip_prefix('/') else {
        return Err(PathError::NotAbsolute {
            path: axum_path.to_owned(),
        });
    };
    let mut out = String::with_capacity(axum_path.len() + 1);
    if rest.is_empty() {
        out.push('/');
        return Ok(out);
    }
    let mut seen: Vec<&str> = Vec::new();
    let mut segments = rest.split('/').peekable();
    while let Some(segment) = segments.next() {
        if segment.is_empty() {
            return Err(PathError::EmptySegment {
                path: axum_path.to_owned(),
            });
        }
        out.push('/');
        match parse_axum_segment(segment)? {
            Segment::Literal(text) => out.push_str(text),
            Segment::Param { name, greedy } => {
                if greedy && segments.peek().is_some() {
                    return Err(PathError::GreedyNotLast {
                        path: axum_path.to_owned(),
                        segment: segment.to_owned(),
                    });
                }
                if seen.contains(&name) {
                    return Err(PathError::DuplicateParam {
                        path: axum_path.to_owned(),
                        name: name.to_owned(),
                    });
                }
                seen.push(name);
                out.push('{');
                out.push_str(name);
                if greedy {
                    out.push('+');
                }
                out.push('}');
            }
        }
    }
    Ok(out)
}

/// A gateway path in OpenAPI's spelling: a greedy `{name+}` is written `{name}` (what
/// clients send), everything else as it is.
pub(crate) fn openapi_path(gateway_path: &str) -> Cow<'_, str> {
    if !gateway_path.contains("+}") {
        return Cow::Borrowed(gateway_path);
    }
    let segments: Vec<&str> = gateway_path
        .split('/')
        .map(|segment| match segment.strip_suffix("+}") {
            Some(open) if open.starts_with('{') => open,
            _ => segment,
        })
        .collect();
    let mut out = String::with_capacity(gateway_path.len());
    for (i, segment) in segments.iter().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(segment);
        if segment.starts_with('{') && !segment.ends_with('}') {
            out.push('}');
        }
    }
    Cow::Owned(out)
}

/// The parameters of a (valid) axum or gateway path, in order.
///
/// Reads both spellings of a greedy parameter (`{*name}` and `{name+}`), so the two forms of
/// one route give the same list. Invalid paths give a best-effort answer, never a panic.
#[cfg(test)]
pub(crate) fn params(path: &str) -> Vec<PathParam> {
    param_names(path)
        .map(|(name, greedy)| PathParam {
            name: name.to_owned(),
            greedy,
        })
        .collect()
}

/// [`params`] borrowed from the path: each name, and whether it is greedy.
pub(crate) fn param_names(path: &str) -> impl Iterator<Item = (&str, bool)> {
    path.split('/').filter_map(|segment| {
        let inner = segment.strip_prefix('{')?.strip_suffix('}')?;
        if inner.is_empty() || inner.contains(['{', '}']) {
            return None;
        }
        Some(match (inner.strip_prefix('*'), inner.strip_suffix('+')) {
            (Some(name), _) | (None, Some(name)) => (name, true),
            (None, None) => (inner, false),
        })
    })
}

/// `Router::nest(prefix, ..)` + a nested route path → the full path, exactly as axum 0.8.9
/// computes it.
///
/// A copy of `path_for_nested_route` in `axum-0.8.9/src/routing/path_router.rs`, because the
/// recorded paths must equal what axum serves:
/// * a prefix ending in `/` drops every leading `/` of the route (`"/api/"` + `"/"` → `"/api/"`,
///   `"/api/"` + `"//x"` → `"/api/x"`);
/// * otherwise a route of `"/"` gives the bare prefix (`"/api"`, not `"/api/"`);
/// * otherwise the two are concatenated (`"/api"` + `"//x"` → `"/api//x"`).
///
/// axum panics on prefixes that are empty, `/`, or don't start with `/`, and on route paths
/// that don't start with `/`; this function applies the same formula to them instead.
pub(crate) fn join_nested(prefix: &str, path: &str) -> String {
    if prefix.ends_with('/') {
        format!("{prefix}{}", path.trim_start_matches('/'))
    } else if path == "/" {
        prefix.to_owned()
    } else {
        format!("{prefix}{path}")
    }
}

/// Whether a gateway path part is a variable (`{name}` or `{name+}`).
fn is_variable(part: &str) -> bool {
    part.len() >= 2 && part.starts_with('{') && part.ends_with('}')
}

/// Two gateway paths API Gateway refuses together: different variable path parts under one
/// parent resource.
///
/// API Gateway allows one variable child per resource ("A sibling ({id}) of this resource
/// already has a variable path part -- only one is allowed"), while axum accepts both routes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SiblingConflict {
    /// The later path, in input order.
    pub(crate) path: String,
    /// The earlier path it clashes with.
    pub(crate) other: String,
    /// The shared parent resource, e.g. `/users` (or `/` at the root).
    pub(crate) parent: String,
    /// This path's variable path part, with braces: `{user_id}` or `{rest+}`.
    pub(crate) this_param: String,
    /// The other path's variable path part, with braces.
    pub(crate) other_param: String,
}

impl SiblingConflict {
    /// A lowercase message naming both routes, for export errors.
    pub(crate) fn message(&self) -> String {
        format!(
            "parameter {:?} in {:?} clashes with {:?} in {:?} under {:?}; API Gateway allows only \
             one variable path part per parent resource",
            self.this_param, self.path, self.other_param, self.other, self.parent
        )
    }
}

/// Pairs of gateway paths that API Gateway would refuse together: two different variable
/// names under one parent (`/users/{id}` and `/users/{user_id}/posts`), or a greedy `{x+}`
/// sibling of another variable under one parent.
///
/// Returns one entry per conflicting path: the later path in input order, the earlier path
/// it clashes with, and the parent. Only the shallowest clash of a path is reported. The same
/// variable reused under one parent, and repeated paths, are fine.
pub(crate) fn sibling_conflicts<'a>(
    paths: impl IntoIterator<Item = &'a str>,
) -> Vec<SiblingConflict> {
    // parent resource -> (its variable path part, the first path that declared it)
    let mut variables: FastMap<Cow<'a, str>, (&'a str, &'a str)> = FastMap::default();
    let mut conflicts = Vec::new();
    for path in paths {
        // A path without empty parts names each parent by one of its own prefixes.
        let clean = path.starts_with('/') && !path.contains("//");
        let mut start = 0;
        for part in path.split('/') {
            let offset = start;
            start += part.len() + 1;
            if part.is_empty() {
                continue;
            }
            if !is_variable(part) {
                continue;
            }
            let parent: Cow<'a, str> = if offset <= 1 {
                Cow::Borrowed("/")
            } else if clean {
                Cow::Borrowed(&path[..offset - 1])
            } else {
                let parts: Vec<&str> = path[..offset]
                    .split('/')
                    .filter(|part| !part.is_empty())
                    .collect();
                Cow::Owned(format!("/{}", parts.join("/")))
            };
            match variables.get(&parent) {
                Some(&(other_part, other_path)) if other_part != part => {
                    conflicts.push(SiblingConflict {
                        path: path.to_owned(),
                        other: other_path.to_owned(),
                        parent: parent.into_owned(),
                        this_param: part.to_owned(),
                        other_param: other_part.to_owned(),
                    });
                    break;
                }
                Some(_) => {}
                None => {
                    variables.insert(parent, (part, path));
                }
            }
        }
    }
    conflicts
}

/// Every resource path API Gateway creates for these routes (each distinct prefix,
/// including "/"), sorted — used for the resource-count quota.
///
/// `/a/b/c` costs `/`, `/a`, `/a/b` and `/a/b/c`. The root always exists, so the set is never
/// empty. Expects valid gateway paths; empty segments of invalid ones are skipped.
pub(crate) fn resources<'a>(gateway_paths: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    let mut out = BTreeSet::from(["/".to_owned()]);
    for path in gateway_paths {
        let mut current = String::new();
        for part in path.split('/').filter(|part| !part.is_empty()) {
            current.push('/');
            current.push_str(part);
            out.insert(current.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn err(path: &str) -> String {
        match to_gateway_path(path) {
            Ok(ok) => panic!("{path:?} unexpectedly converted to {ok:?}"),
            Err(e) => e.to_string(),
        }
    }

    // ---- one test per error class, exact messages ----

    #[test]
    fn not_absolute() {
        assert_eq!(
            to_gateway_path("users"),
            Err(PathError::NotAbsolute {
                path: "users".into()
            })
        );
        assert_eq!(
            err("users"),
            r#"path "users" must start with "/"; use "/" for the root route"#
        );
        assert_eq!(
            err(""),
            r#"path "" must start with "/"; use "/" for the root route"#
        );
    }

    #[test]
    fn empty_segment() {
        let msg = r#"path "/a//b" has an empty segment; API Gateway resources cannot contain "//" or end with "/" (only the root "/" may)"#;
        assert_eq!(err("/a//b"), msg);
        assert!(matches!(
            to_gateway_path("/items/"),
            Err(PathError::EmptySegment { .. })
        ));
        assert!(matches!(
            to_gateway_path("//"),
            Err(PathError::EmptySegment { .. })
        ));
    }

    #[test]
    fn partial_segment_param() {
        assert_eq!(
            err("/a/x-{id}"),
            r#"path segment "x-{id}" mixes text and a parameter; API Gateway needs whole-segment parameters like "{id}""#
        );
        // axum panics on these two; we still return a clean error
        assert_eq!(
            to_gateway_path("/a/{x}.json"),
            Err(PathError::PartialSegmentParam {
                segment: "{x}.json".into()
            })
        );
        assert_eq!(
            to_gateway_path("/{a}{b}"),
            Err(PathError::PartialSegmentParam {
                segment: "{a}{b}".into()
            })
        );
    }

    #[test]
    fn unbalanced_braces() {
        assert_eq!(
            err("/a/{x"),
            r#"path segment "{x" has an unmatched or nested brace"#
        );
        assert!(matches!(
            to_gateway_path("/a/x}"),
            Err(PathError::UnbalancedBraces { .. })
        ));
        assert!(matches!(
            to_gateway_path("/a/{b{c}d}"),
            Err(PathError::UnbalancedBraces { .. })
        ));
    }

    #[test]
    fn escaped_brace() {
        assert_eq!(
            err("/a/{{x}}"),
            r#"path segment "{{x}}" contains an escaped brace ("{{" or "}}"); API Gateway allows braces only around a whole-segment parameter"#
        );
        assert!(matches!(
            to_gateway_path("/a/{{{x}"),
            Err(PathError::EscapedBrace { .. })
        ));
    }

    #[test]
    fn bad_character() {
        assert_eq!(
            err("/a/b~c"),
            r#"path segment "b~c" contains '~'; API Gateway allows only ascii letters, digits and ". _ - , :" in literal segments"#
        );
        for (path, ch) in [
            ("/a b", ' '),
            ("/a%20b", '%'),
            ("/a+b", '+'),
            ("/@x", '@'),
            ("/caf\u{e9}", '\u{e9}'),
            ("/a?b", '?'),
        ] {
            assert!(
                matches!(to_gateway_path(path), Err(PathError::BadCharacter { ch: c, .. }) if c == ch),
                "{path:?}"
            );
        }
        // control characters are escaped in the message, not printed raw
        assert!(err("/a\nb").contains(r#""a\nb" contains '\n'"#));
    }

    #[test]
    fn greedy_not_last() {
        assert_eq!(
            err("/a/{*rest}/b"),
            r#"greedy parameter "{*rest}" in "/a/{*rest}/b" must be the last segment"#
        );
        assert!(matches!(
            to_gateway_path("/a/{*rest}/"),
            Err(PathError::GreedyNotLast { .. })
        ));
    }

    #[test]
    fn bad_param_name() {
        assert_eq!(
            err("/a/{user-id}"),
            r#"parameter name "user-id" is not allowed; use one or more ascii letters, digits or "_""#
        );
        for (path, name) in [
            ("/a/{}", ""),
            ("/a/{*}", ""),
            ("/a/{a.b}", "a.b"),
            ("/a/{a b}", "a b"),
            ("/a/{**x}", "*x"),
            ("/a/{\u{e9}}", "\u{e9}"),
            ("/a/{+}", "+"),
        ] {
            assert_eq!(
                to_gateway_path(path),
                Err(PathError::BadParamName { name: name.into() }),
                "{path:?}"
            );
        }
    }

    #[test]
    fn gateway_greedy_syntax() {
        assert_eq!(
            err("/files/{rest+}"),
            r#"path segment "{rest+}" is API Gateway syntax; axum routes write a greedy parameter as "{*rest}""#
        );
    }

    #[test]
    fn duplicate_param() {
        assert_eq!(
            err("/a/{id}/b/{id}"),
            r#"parameter "id" appears more than once in "/a/{id}/b/{id}""#
        );
        assert_eq!(
            to_gateway_path("/a/{id}/{*id}"),
            Err(PathError::DuplicateParam {
                path: "/a/{id}/{*id}".into(),
                name: "id".into()
            })
        );
    }

    #[test]
    fn legacy_colon_syntax() {
        assert_eq!(
            err("/users/:id"),
            r#"path segment ":id" uses axum 0.7 syntax; write "{id}" instead"#
        );
        assert_eq!(
            err("/files/*rest"),
            r#"path segment "*rest" uses axum 0.7 syntax; write "{*rest}" instead"#
        );
        assert_eq!(
            err("/:"),
            r#"path segment ":" uses axum 0.7 syntax; write "{name}" instead"#
        );
    }

    #[test]
    fn error_trait_and_source() {
        let e: Box<dyn std::error::Error> = Box::new(PathError::NotAbsolute { path: "x".into() });
        assert!(e.source().is_none());
    }

    /// Paths axum 0.8.9 accepts in `Router::route` (checked with `catch_unwind` in a scratch
    /// crate) but API Gateway does not: each must be an error here.
    #[test]
    fn axum_accepts_but_gateway_refuses() {
        for path in [
            "/a/",
            "/a//b",
            "/a/x-{id}",
            "/a/{id}/{id}",
            "/a/{{x}}",
            "/a/{a-b}",
            "/a/{a b}",
            "/a/{rest+}",
            "/a/~",
        ] {
            assert!(to_gateway_path(path).is_err(), "{path:?}");
        }
    }

    // ---- conversions ----

    #[test]
    fn conversions() {
        for (axum, gateway) in [
            ("/", "/"),
            ("/a", "/a"),
            ("/a/{id}", "/a/{id}"),
            ("/files/{*rest}", "/files/{rest+}"),
            ("/{*proxy}", "/{proxy+}"),
            ("/{id}", "/{id}"),
            ("/v1/events:batch", "/v1/events:batch"),
            ("/a.b_c-d,e:f/{X_9}/z", "/a.b_c-d,e:f/{X_9}/z"),
            ("/users/{id}/posts/{post_id}", "/users/{id}/posts/{post_id}"),
        ] {
            assert_eq!(to_gateway_path(axum).as_deref(), Ok(gateway), "{axum:?}");
        }
    }

    #[test]
    fn params_of_both_forms() {
        let expected = vec![
            PathParam {
                name: "id".into(),
                greedy: false,
            },
            PathParam {
                name: "rest".into(),
                greedy: true,
            },
        ];
        assert_eq!(params("/u/{id}/f/{*rest}"), expected);
        assert_eq!(params("/u/{id}/f/{rest+}"), expected);
        assert!(params("/").is_empty());
        assert!(params("/a/{{x}}").is_empty());
    }

    // ---- join_nested: expectations observed on real axum 0.8.9 ----
    //
    // Each case was run in a scratch crate as
    // `Router::new().nest(prefix, Router::new().route(path, get(MatchedPath -> body)))`,
    // then probed with `oneshot` GET requests; the one path that answered 200, and the
    // `MatchedPath` it returned, are the expectations below.

    #[test]
    fn join_nested_matches_axum() {
        for (prefix, path, full) in [
            ("/api", "/", "/api"),
            ("/api", "/users", "/api/users"),
            ("/api", "/users/", "/api/users/"),
            ("/api/", "/", "/api/"),
            ("/api/", "/users", "/api/users"),
            ("/api/", "/users/", "/api/users/"),
            ("/api", "//users", "/api//users"),
            ("/api/", "//users", "/api/users"),
            ("/api/v1", "/", "/api/v1"),
            ("/api/v1/", "/users", "/api/v1/users"),
            ("/api//", "/users", "/api//users"),
            ("/api", "/{id}", "/api/{id}"),
            ("/api", "/{*rest}", "/api/{*rest}"),
        ] {
            assert_eq!(
                join_nested(prefix, path),
                full,
                "nest({prefix:?}, {path:?})"
            );
        }
        // axum panics on these (empty route path, relative prefix); the formula still applies
        assert_eq!(join_nested("/api", ""), "/api");
        assert_eq!(join_nested("api", "/users"), "api/users");
        assert_eq!(join_nested("", "/"), "");
        // nesting twice composes
        assert_eq!(join_nested("/api", &join_nested("/v1", "/")), "/api/v1");
    }

    // ---- sibling conflicts ----

    #[test]
    fn sibling_conflict_different_names() {
        let conflicts = sibling_conflicts(["/users/{id}", "/users", "/users/{user_id}/posts"]);
        assert_eq!(
            conflicts,
            vec![SiblingConflict {
                path: "/users/{user_id}/posts".into(),
                other: "/users/{id}".into(),
                parent: "/users".into(),
                this_param: "{user_id}".into(),
                other_param: "{id}".into(),
            }]
        );
        assert_eq!(
            conflicts[0].message(),
            r#"parameter "{user_id}" in "/users/{user_id}/posts" clashes with "{id}" in "/users/{id}" under "/users"; API Gateway allows only one variable path part per parent resource"#
        );
    }

    #[test]
    fn sibling_same_name_is_fine() {
        assert!(
            sibling_conflicts([
                "/users/{id}",
                "/users/{id}/posts",
                "/users/{id}/posts/{post_id}",
                "/users/{id}",
                "/users/me",
            ])
            .is_empty()
        );
    }

    #[test]
    fn sibling_different_parents_are_fine() {
        assert!(sibling_conflicts(["/users/{user_id}", "/posts/{post_id}", "/{id}"]).is_empty());
    }

    #[test]
    fn sibling_greedy_vs_variable() {
        let conflicts = sibling_conflicts(["/files/{name}", "/files/{name+}", "/files/{rest+}"]);
        assert_eq!(conflicts.len(), 2);
        assert_eq!(conflicts[0].this_param, "{name+}");
        assert_eq!(conflicts[0].other_param, "{name}");
        assert_eq!(conflicts[1].path, "/files/{rest+}");
        assert_eq!(conflicts[1].other, "/files/{name}");
        // greedy at the root next to a root variable
        let root = sibling_conflicts(["/{proxy+}", "/{id}"]);
        assert_eq!(root.len(), 1);
        assert_eq!(root[0].parent, "/");
        assert_eq!(
            root[0].message(),
            r#"parameter "{id}" in "/{id}" clashes with "{proxy+}" in "/{proxy+}" under "/"; API Gateway allows only one variable path part per parent resource"#
        );
    }

    #[test]
    fn sibling_conflict_reported_once_at_shallowest_parent() {
        let conflicts = sibling_conflicts(["/u/{a}/p/{x}", "/u/{b}/p/{y}"]);
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].parent, "/u");
        // deeper clash under a shared variable parent
        let deep = sibling_conflicts(["/u/{a}/p/{x}", "/u/{a}/p/{y}"]);
        assert_eq!(deep.len(), 1);
        assert_eq!(deep[0].parent, "/u/{a}/p");
    }

    // ---- resources ----

    #[test]
    fn resources_counts_every_prefix() {
        let set = resources(["/a/b/c", "/a/{id}", "/a/b", "/x"]);
        let expected: Vec<&str> = vec!["/", "/a", "/a/b", "/a/b/c", "/a/{id}", "/x"];
        assert_eq!(set.iter().map(String::as_str).collect::<Vec<_>>(), expected);
        assert_eq!(resources(["/"]).len(), 1);
        assert_eq!(resources(std::iter::empty()).len(), 1);
        assert_eq!(resources(["/{proxy+}"]).len(), 2);
    }

    // ---- properties ----

    /// An independent check of API Gateway's rules on a gateway path: literal parts from the
    /// allowed set, variables `{name}` with a safe name, `{name+}` only last, no duplicates.
    fn gateway_path_ok(path: &str) -> bool {
        if path == "/" {
            return true;
        }
        let Some(rest) = path.strip_prefix('/') else {
            return false;
        };
        let parts: Vec<&str> = rest.split('/').collect();
        let mut names = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            if let Some(inner) = part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                let (name, greedy) = match inner.strip_suffix('+') {
                    Some(name) => (name, true),
                    None => (inner, false),
                };
                if !is_param_name(name) || (greedy && i + 1 != parts.len()) || names.contains(&name)
                {
                    return false;
                }
                names.push(name);
            } else if part.is_empty() || !part.chars().all(is_literal_char) {
                return false;
            }
        }
        true
    }

    /// The axum spelling of a gateway path: `{name+}` → `{*name}`.
    fn back_to_axum(gateway: &str) -> String {
        gateway
            .split('/')
            .map(
                |part| match part.strip_prefix('{').and_then(|p| p.strip_suffix("+}")) {
                    Some(name) => format!("{{*{name}}}"),
                    None => part.to_owned(),
                },
            )
            .collect::<Vec<_>>()
            .join("/")
    }

    #[derive(Clone, Debug)]
    enum GenSegment {
        Literal(String),
        Param(String),
    }

    fn valid_axum_path() -> impl Strategy<Value = (String, String)> {
        let segment = prop_oneof![
            "[A-Za-z0-9._,-][A-Za-z0-9._,:-]{0,7}".prop_map(GenSegment::Literal),
            "[A-Za-z0-9_]{1,6}".prop_map(GenSegment::Param),
        ];
        (
            prop::collection::vec(segment, 0..6),
            prop::option::of("[A-Za-z0-9_]{1,6}"),
        )
            .prop_map(|(segments, greedy)| {
                let mut axum = String::new();
                let mut gateway = String::new();
                // suffix each name with its position so names never repeat
                for (i, segment) in segments.iter().enumerate() {
                    let (a, g) = match segment {
                        GenSegment::Literal(text) => (text.clone(), text.clone()),
                        GenSegment::Param(name) => {
                            (format!("{{{name}_{i}}}"), format!("{{{name}_{i}}}"))
                        }
                    };
                    axum.push('/');
                    axum.push_str(&a);
                    gateway.push('/');
                    gateway.push_str(&g);
                }
                if let Some(name) = greedy {
                    axum.push_str(&format!("/{{*{name}_g}}"));
                    gateway.push_str(&format!("/{{{name}_g+}}"));
                }
                if axum.is_empty() {
                    axum.push('/');
                    gateway.push('/');
                }
                (axum, gateway)
            })
    }

    proptest! {
        #[test]
        fn valid_paths_convert((axum, gateway) in valid_axum_path()) {
            let converted = to_gateway_path(&axum);
            prop_assert_eq!(converted.as_deref(), Ok(gateway.as_str()));
            prop_assert_eq!(params(&axum), params(&gateway));
            prop_assert!(gateway_path_ok(&gateway));
            // round trip through the axum spelling
            prop_assert_eq!(back_to_axum(&gateway), axum);
            // a gateway path without a greedy part is its own axum path: a fixed point
            let again = to_gateway_path(&gateway);
            if params(&gateway).iter().any(|p| p.greedy) {
                let is_gateway_syntax_error = matches!(again, Err(PathError::GatewayGreedySyntax { .. }));
                prop_assert!(is_gateway_syntax_error);
            } else {
                prop_assert_eq!(again.as_deref(), Ok(gateway.as_str()));
            }
            let expected_resources = if gateway == "/" { 1 } else { 1 + gateway.matches('/').count() };
            prop_assert_eq!(resources([gateway.as_str()]).len(), expected_resources);
            prop_assert!(sibling_conflicts([gateway.as_str(), gateway.as_str()]).is_empty());
        }

        #[test]
        fn arbitrary_strings_never_panic(s in any::<String>(), t in "[/{}*:+a-z._~ -]{0,16}") {
            for input in [s.as_str(), t.as_str()] {
                if let Ok(gateway) = to_gateway_path(input) {
                    prop_assert!(gateway_path_ok(&gateway), "{:?} -> {:?}", input, gateway);
                    prop_assert_eq!(params(input), params(&gateway));
                }
                let _ = params(input);
                let _ = join_nested(input, input);
                let _ = join_nested(&s, &t);
                let _ = sibling_conflicts([input, "/a/{x}", input]);
                let _ = resources([input]);
                if let Err(e) = to_gateway_path(input) {
                    let msg = e.to_string();
                    prop_assert!(!msg.ends_with('.'));
                    prop_assert!(msg.chars().next().is_some_and(|c| !c.is_uppercase()));
                }
            }
        }
    }
}
