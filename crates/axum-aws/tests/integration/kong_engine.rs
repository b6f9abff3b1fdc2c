//! Which route Kong picks for a request, decided by Kong's own router engine.
//!
//! Kong 3.x's default router flavor, `traditional_compatible`, turns each route's fields
//! into an ATC expression and a priority (`kong/router/transform.lua`), registers them in
//! the `atc-router` crate, normalises the request path (`kong/router/utils.lua`
//! `strip_uri_args`, `kong/tools/uri.lua` `normalize`) and asks the engine for the first
//! matcher in descending (priority, id) order. This module ports the transformation and
//! the normalisation (behaviour, not code: Kong/kong at commit
//! 22246ef28c16842098369b494eef879222e30c7b, the same as tag 3.9.3 for these files) and
//! runs the crate itself (`atc-router` 1.7.1, the version that commit pins in
//! `.requirements`).
//!
//! Not modelled: the fields the export never writes (hosts, headers, snis, sources,
//! destinations: a route with them fails loudly), PCRE's own validation of regex paths,
//! plugins, and Kong's match cache.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use atc_router::ast::{Type, Value};
use atc_router::context::Context;
use atc_router::router::Router;
use atc_router::schema::Schema;
use serde_json::Value as Json;
use uuid::Uuid;

/// Kong's HTTP schema (`kong/router/fields.lua` `HTTP_FIELDS`).
fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let mut schema = Schema::default();
        for field in [
            "net.protocol",
            "tls.sni",
            "http.method",
            "http.host",
            "http.path",
            "http.path.segments.*",
            "http.headers.*",
            "http.queries.*",
        ] {
            schema.add_field(field, Type::String);
        }
        for field in ["net.src.port", "net.dst.port", "http.path.segments.len"] {
            schema.add_field(field, Type::Int);
        }
        for field in ["net.src.ip", "net.dst.ip"] {
            schema.add_field(field, Type::IpAddr);
        }
        schema
    })
}

/// `escape_str` of transform.lua: a raw string unless the value holds `"#`.
fn escape_str(value: &str) -> String {
    if !value.contains("\"#") {
        return format!("r#\"{value}\"#");
    }
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `get_expression` of transform.lua for a route with methods and paths: one clause per
/// field, values joined with ` || `, clauses with ` && `, methods before paths. A regex
/// path (`~` first) loses its `~`, gains `^` (the traditional router matched anchored)
/// and has every `?<` turned into `?P<`; any other path is a prefix (`^=`).
pub(crate) fn expression(route: &Json) -> String {
    for unmodelled in ["hosts", "headers", "snis", "sources", "destinations"] {
        assert!(
            route.get(unmodelled).is_none_or(|v| v.is_null()),
            "route {}: the harness does not model {unmodelled}",
            route["name"]
        );
    }
    let strings = |field: &str| -> Vec<String> {
        route
            .get(field)
            .and_then(Json::as_array)
            .map(|values| {
                values
                    .iter()
                    .map(|v| v.as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut clauses = Vec::new();
    let methods = strings("methods");
    if !methods.is_empty() {
        let ors: Vec<String> = methods
            .iter()
            .map(|m| format!("http.method == {}", escape_str(m)))
            .collect();
        clauses.push(format!("({})", ors.join(" || ")));
    }
    let paths = strings("paths");
    if !paths.is_empty() {
        let ors: Vec<String> = paths
            .iter()
            .map(|path| match path.strip_prefix('~') {
                Some(regex) => format!(
                    "http.path ~ {}",
                    escape_str(&format!("^{}", regex.replace("?<", "?P<")))
                ),
                None => format!("http.path ^= {}", escape_str(path)),
            })
            .collect();
        clauses.push(format!("({})", ors.join(" || ")));
    }
    clauses.join(" && ")
}

/// How a priority is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Layout {
    /// What Kong computes: `lshift_uint64` rebinds a local before `bit.lshift`, so the
    /// field count, header count and `regex_priority` are shifted as LuaJIT numbers,
    /// in 32 bits (count mod 32, an int32 result); only the regex and plain-host bits are
    /// 64-bit constants.
    Computed,
    /// What the comment above `get_priority` documents: field count in bits 61-63,
    /// regex bit 51, `regex_priority` from bit 19, the prefix length below.
    Documented,
}

/// `get_priority` of transform.lua for a route with methods and paths.
pub(crate) fn priority(route: &Json, layout: Layout) -> u64 {
    let filled = |field: &str| {
        route
            .get(field)
            .and_then(Json::as_array)
            .is_some_and(|v| !v.is_empty())
    };
    let weight: u64 = u64::from(filled("methods")) + u64::from(filled("paths"));
    let paths = route.get("paths").and_then(Json::as_array);
    let first = paths.and_then(|p| p.first()).and_then(Json::as_str);
    let regex = first.is_some_and(|p| p.starts_with('~'));
    if let Some(paths) = paths {
        for path in paths {
            let path = path.as_str().unwrap();
            assert!(
                path.starts_with('~') == regex && (regex || path.len() == first.unwrap().len()),
                "route {}: Kong splits routes mixing path kinds; the harness does not",
                route["name"]
            );
        }
    }
    let regex_priority = if regex {
        route
            .get("regex_priority")
            .and_then(Json::as_i64)
            .unwrap_or(0)
    } else {
        0
    };
    let length = if regex {
        0
    } else {
        first.map_or(0, |p| p.len() as u64) & 0x7FFFF
    };
    let regex_bit = if regex { 1u64 << 51 } else { 0 };
    match layout {
        Layout::Documented => (weight << 61) | regex_bit | ((regex_priority as u64) << 19) | length,
        Layout::Computed => {
            // LuaJIT: bit.lshift(x, n) is int32(x) << (n mod 32), an int32; bor with a
            // uint64 cdata widens it to 64 bits. A negative int32 widens differently in
            // LuaJIT's interpreter and JIT, so it must not occur.
            let lshift32 = |value: i64, count: u32| -> u64 {
                let shifted = ((value as i32 as u32) << (count % 32)) as i32;
                assert!(
                    shifted >= 0,
                    "route {}: {value} << {count} is negative in 32 bits, where LuaJIT's interpreter and JIT disagree",
                    route["name"]
                );
                shifted as u64
            };
            lshift32(weight as i64, 61) | regex_bit | lshift32(regex_priority, 19) | length
        }
    }
}

/// A route's id: its `id`, else the one Kong's DB-less mode derives from its name
/// (`kong/db/schema/others/declarative_config.lua` `generate_uuid`).
fn route_id(route: &Json) -> Uuid {
    if let Some(id) = route.get("id").and_then(Json::as_str) {
        return Uuid::parse_str(id).unwrap();
    }
    let root = Uuid::parse_str("fd02801f-0957-4a15-a55a-c8d9606f30b5").unwrap();
    let routes = Uuid::new_v5(&root, b"routes");
    Uuid::new_v5(&routes, route["name"].as_str().unwrap().as_bytes())
}

/// Kong's answer to a request, as far as routing goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum KongPick {
    /// A route matched: its name and the named regex captures (those aws-lambda passes
    /// on as `pathParameters`).
    Route {
        name: String,
        captures: BTreeMap<String, String>,
    },
    /// `404 no Route matched with those values`.
    NoRoute,
    /// The normalised path is not UTF-8 (a decoded `%FF`): the engine's context refuses
    /// it, Kong logs "router returned an error" and answers 404 (kong/router/atc.lua).
    NotUtf8,
    /// nginx answers the method itself (405) before Kong routes: TRACE and CONNECT.
    Nginx,
    /// Two routes of equal priority match: Kong picks the greater id, which the export
    /// must never leave to chance.
    Tie(String, String),
}

struct Matcher {
    name: String,
    id: Uuid,
    priority: u64,
    alone: Router<'static>,
}

/// The routes of one decK file, registered in Kong's router engine.
pub(crate) struct KongEngine {
    router: Router<'static>,
    matchers: Vec<Matcher>,
}

impl KongEngine {
    /// Registers every route of the file (top-level and under services); panics on a
    /// matcher the engine refuses, as Kong's route validation would.
    pub(crate) fn new(document: &Json, layout: Layout) -> Self {
        let mut routes: Vec<&Json> = Vec::new();
        if let Some(top) = document.get("routes").and_then(Json::as_array) {
            routes.extend(top);
        }
        for service in document
            .get("services")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            routes.extend(
                service
                    .get("routes")
                    .and_then(Json::as_array)
                    .into_iter()
                    .flatten(),
            );
        }
        let mut router = Router::new(schema());
        let mut matchers = Vec::new();
        for route in routes {
            let atc = expression(route);
            let priority = priority(route, layout);
            let id = route_id(route);
            let name = route["name"].as_str().unwrap().to_owned();
            let key = usize::try_from(priority).unwrap();
            router
                .add_matcher(key, id, &atc)
                .unwrap_or_else(|e| panic!("route {name}: the engine refuses {atc}: {e}"));
            let mut alone = Router::new(schema());
            alone.add_matcher(key, id, &atc).unwrap();
            matchers.push(Matcher {
                name,
                id,
                priority,
                alone,
            });
        }
        Self { router, matchers }
    }

    /// The route Kong picks for `method` and the request target `target` (path and
    /// query, as the client sent them).
    pub(crate) fn pick(&self, method: &str, target: &[u8]) -> KongPick {
        if method == "TRACE" || method == "CONNECT" {
            return KongPick::Nginx;
        }
        let Ok(path) = String::from_utf8(router_path(target)) else {
            return KongPick::NotUtf8;
        };
        let context = || {
            let mut context = Context::new(schema());
            context.add_value("http.method", Value::String(method.to_owned()));
            context.add_value("http.path", Value::String(path.clone()));
            context
        };
        let mut found = context();
        if !self.router.execute(&mut found) {
            return KongPick::NoRoute;
        }
        let matched = found.result.unwrap();
        let winner = self.matchers.iter().find(|m| m.id == matched.uuid).unwrap();
        for other in &self.matchers {
            if other.id != winner.id
                && other.priority == winner.priority
                && other.alone.execute(&mut context())
            {
                return KongPick::Tie(winner.name.clone(), other.name.clone());
            }
        }
        let captures = matched
            .captures
            .into_iter()
            .filter(|(name, _)| name.parse::<usize>().is_err())
            .collect();
        KongPick::Route {
            name: winner.name.clone(),
            captures,
        }
    }
}

/// The path Kong's router matches: the request target up to the first `?` (searched
/// from the second byte on), normalised with slashes merged (`strip_uri_args`).
pub(crate) fn router_path(target: &[u8]) -> Vec<u8> {
    let end = target
        .iter()
        .skip(1)
        .position(|&b| b == b'?')
        .map_or(target.len(), |i| i + 1);
    normalize(&target[..end], true)
}

const RESERVED: &[u8] = b"!*'();:@&=+$,/?%#[]";

/// `normalize` of kong/tools/uri.lua: decode every `%XX` but those of reserved
/// characters (which become upper case), then remove dot segments (RFC 3986 5.2.4) and,
/// with `merge_slashes`, collapse `//`.
pub(crate) fn normalize(uri: &[u8], merge_slashes: bool) -> Vec<u8> {
    if uri.is_empty() || uri == b"/" {
        return uri.to_vec();
    }
    let mut decoded = uri.to_vec();
    if uri.contains(&b'%') {
        decoded.clear();
        let mut i = 0;
        while i < uri.len() {
            let hex = uri
                .get(i + 1..i + 3)
                .filter(|h| uri[i] == b'%' && h.iter().all(u8::is_ascii_hexdigit));
            match hex {
                Some(hex) => {
                    let value = u8::from_str_radix(std::str::from_utf8(hex).unwrap(), 16).unwrap();
                    if RESERVED.contains(&value) {
                        decoded.push(b'%');
                        decoded.extend(hex.to_ascii_uppercase());
                    } else {
                        decoded.push(value);
                    }
                    i += 3;
                }
                None => {
                    decoded.push(uri[i]);
                    i += 1;
                }
            }
        }
    }
    let has = |needle: &[u8]| decoded.windows(needle.len()).any(|w| w == needle);
    if !decoded.contains(&b'.') && (!merge_slashes || !has(b"//")) {
        return decoded;
    }
    let mut output: Vec<&[u8]> = Vec::new();
    let mut rest: &[u8] = &decoded;
    while !rest.is_empty() {
        if rest == b"/." {
            rest = b"/";
        } else if rest == b"/.." {
            rest = b"/";
            output.pop();
        } else if rest == b"." || rest == b".." {
            rest = b"";
        } else if rest.starts_with(b"../") {
            rest = &rest[3..];
        } else if rest.starts_with(b"./") || rest.starts_with(b"/./") {
            // `./` and `/./` both lose two bytes (a `/./` keeps its last `/`).
            rest = &rest[2..];
        } else if rest.starts_with(b"/../") {
            rest = &rest[3..];
            output.pop();
        } else if merge_slashes && rest.starts_with(b"//") {
            rest = &rest[1..];
        } else {
            match rest.iter().skip(1).position(|&b| b == b'/') {
                Some(i) => {
                    output.push(&rest[..=i]);
                    rest = &rest[i + 1..];
                }
                None => {
                    output.push(rest);
                    rest = b"";
                }
            }
        }
    }
    output.concat()
}

/// `escape` of kong/tools/uri.lua: what Kong forwards upstream. Every byte but the
/// reserved and unreserved characters and `%` becomes `%XX`.
pub(crate) fn escape(path: &[u8]) -> String {
    let mut out = String::new();
    for &byte in path {
        if byte.is_ascii_alphanumeric() || b"!#$&'()*+,/:;=?@[]-_.~%".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[test]
fn normalisation_follows_kongs_own_tests() {
    // Kong/kong@22246ef spec/01-unit/18-tools_uri_spec.lua, every `normalize` vector.
    let vectors: &[(&[u8], &[u8], bool)] = &[
        (b"", b"", false),
        (b"/", b"/", false),
        (b"/a", b"/a", false),
        (b"/a/", b"/a/", false),
        (b"/a/b/c", b"/a/b/c", false),
        (b"/a/b/c/", b"/a/b/c/", false),
        (b"/a%2Fb%2Fc/", b"/a%2Fb%2Fc/", false),
        (
            b"/%20%21%23%24%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3D%3F%40%5B%5D",
            b"/ %21%23%24%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3D%3F%40%5B%5D",
            false,
        ),
        (b"/a%2fb%2fc/", b"/a%2Fb%2Fc/", false),
        (b"/f%6f%6f", b"/foo", false),
        (b"/%6B%6f%6e%67", b"/kong", false),
        (b"/%2E", b"/", false),
        (b"//", b"//", false),
        (b"/./", b"/", false),
        (b"/.", b"/", false),
        (b"/..", b"/", false),
        (b"/../", b"/", false),
        (b"/////", b"/////", false),
        (b"/./.././../", b"/", false),
        (b"/a/b/c/./../../g", b"/a/g", false),
        (b"mid/content=5/../6", b"mid/6", false),
        (b"//", b"/", true),
        (b"/////", b"/", true),
        (b"/a//b//", b"/a/b/", true),
        ("/endel%C3%B8st".as_bytes(), "/endeløst".as_bytes(), false),
        (
            b"/%C3%A4/a/%2e./a%2E//a/%2e/./a/../a/%2e%2E/%5f%99%af%2f%2F",
            b"/\xC3\xA4/a./a/_\x99\xaf%2F%2F",
            true,
        ),
    ];
    for (input, expected, merge) in vectors {
        assert_eq!(
            normalize(input, *merge),
            *expected,
            "{:?}",
            String::from_utf8_lossy(input)
        );
    }
    // The same file's `escape` vectors.
    let kept =
        "/!#$%&'()*+,/:;=?@[]ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";
    assert_eq!(escape(kept.as_bytes()), kept);
    assert_eq!(escape(b"/a b/c d"), "/a%20b/c%20d");
    assert_eq!(escape("/a😀".as_bytes()), "/a%F0%9F%98%80");
    assert_eq!(escape("/endeløst".as_bytes()), "/endel%C3%B8st");
    // strip_uri_args: the query goes first.
    assert_eq!(router_path(b"/a/%2e%2e/b?x=/../c"), b"/b");
}

#[test]
fn expressions_and_priorities_are_kongs() {
    // Kong/kong@22246ef spec/01-unit/08-router_spec.lua (traditional_compatible
    // expressions): GET + `~/\d+` and GET + `/foo`.
    let regex = serde_json::json!({"name": "r", "methods": ["GET"], "paths": ["~/\\d+"]});
    assert_eq!(
        expression(&regex),
        r##"(http.method == r#"GET"#) && (http.path ~ r#"^/\d+"#)"##
    );
    let prefix = serde_json::json!({"name": "p", "methods": ["GET"], "paths": ["/foo"]});
    assert_eq!(
        expression(&prefix),
        r##"(http.method == r#"GET"#) && (http.path ^= r#"/foo"#)"##
    );
    // Kong's own LuaJIT gives these (the reference's worked values): a regex route with
    // regex_priority 100, and a prefix route.
    let users = serde_json::json!({
        "name": "u", "methods": ["GET"], "paths": ["~/users/(?<id>[^/]+)$"], "regex_priority": 100
    });
    assert_eq!(priority(&users, Layout::Computed), 0x0008_0000_4320_0000);
    assert_eq!(priority(&users, Layout::Documented), 0x4008_0000_0320_0000);
    let users_prefix = serde_json::json!({"name": "v", "methods": ["GET"], "paths": ["/users/"]});
    assert_eq!(priority(&users_prefix, Layout::Computed), 0x4000_0007);
    // A name-only route's id in DB-less mode (spec/02-integration/04-admin_api/15-off_spec.lua).
    assert_eq!(
        route_id(&serde_json::json!({"name": "my-route"})).to_string(),
        "481a9539-f49c-51b6-b2e2-fe99ee68866c"
    );
    // The engine takes the expression with the named capture and answers with it.
    let document = serde_json::json!({"routes": [users]});
    let engine = KongEngine::new(&document, Layout::Computed);
    assert_eq!(
        engine.pick("GET", b"/users/%41b?x=1"),
        KongPick::Route {
            name: "u".into(),
            captures: [("id".to_owned(), "Ab".to_owned())].into()
        }
    );
    assert_eq!(engine.pick("POST", b"/users/1"), KongPick::NoRoute);
    assert_eq!(engine.pick("GET", b"/users/%FF"), KongPick::NotUtf8);
    assert_eq!(engine.pick("TRACE", b"/users/1"), KongPick::Nginx);
}
