//! Down-converts the schemas utoipa emits (OpenAPI 3.1, i.e. JSON Schema 2020-12) into the
//! older dialects our two specs need.
//!
//! utoipa 6 has no OpenAPI 3.0 mode, but API Gateway's REST import rejects a 3.1 document
//! outright and turns each schema it keeps into a JSON Schema draft-4 *model* whose name must
//! be alphanumeric. So the public spec gets a faithful OpenAPI 3.0.3 rendering
//! ([`Dialect::OpenApi30`]) and the private spec a stricter one that API Gateway imports
//! ([`Dialect::ApiGateway`]), with its models renamed by [`model_names`].
//!
//! Where the older dialect cannot say what 3.1 said, the converter prefers a looser schema
//! to a stricter one, so a gateway model does not reject requests the backend accepts. Every
//! loss of validation meaning is reported as a [`Dropped`] so `aws-spec lint` can show it.
//! The one deliberate tightening is `nullable` in the API Gateway dialect: draft 4 has no
//! such keyword and 3.0 has no type arrays, so null stops being accepted (and is reported).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::{Map, Value, json};

/// Which OpenAPI/JSON-Schema dialect a schema is converted into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// OpenAPI 3.0.x schema objects (public spec): `nullable`, boolean exclusive bounds, `example` kept.
    OpenApi30,
    /// What API Gateway REST import turns into draft-4 models (private spec).
    ApiGateway,
}

/// A warning about something dropped that changes meaning (for `aws-spec lint`).
///
/// Annotations (`$comment`, `examples`, `readOnly`, …) are dropped silently: losing them
/// changes no validation result, and warning about them would bury the entries that matter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Dropped {
    /// JSON pointer into the *input* schema, because that is what the user's types produced;
    /// it locates the schema object that held `keyword`, or, when a value in a schema position
    /// was not a schema at all, that value itself.
    pub(crate) pointer: String,
    /// The 3.1 keyword whose meaning was lost, so the lint can explain the consequence
    /// (`nullable` there means null is now rejected; anything else means more is accepted).
    pub(crate) keyword: String,
}

/// Several schema names that would become the same API Gateway model name.
///
/// Merging two models silently would validate one type against the other's schema, so the
/// caller has to rename one of them instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NameClash {
    /// The model name they all map to, to show the user what collides.
    pub(crate) target: String,
    /// The original schema names, sorted so error output is deterministic.
    pub(crate) names: Vec<String>,
}

/// Lets callers print clashes without knowing their shape.
impl fmt::Display for NameClash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("schema names ")?;
        for (i, name) in self.names.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{name:?}")?;
        }
        write!(f, " all map to API Gateway model name {:?}", self.target)
    }
}

/// Maps every schema name to an API Gateway model name (alphanumeric, unique).
///
/// API Gateway only accepts `[A-Za-z0-9]+` model names while utoipa produces `Page_Item`,
/// `my_mod.User` and the like. Other characters become word boundaries (`Page_Item` →
/// `PageItem`, `my_mod::User` → `myModUser`); a name left empty or starting with a digit is
/// prefixed with `Model`. Two names landing on the same model name are an error, never a merge.
pub(crate) fn model_names<'a>(
    names: impl IntoIterator<Item = &'a str>,
) -> Result<BTreeMap<String, String>, Vec<NameClash>> {
    let mut by_target: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for name in names {
        by_target.entry(model_name(name)).or_default().insert(name);
    }
    let clashes: Vec<NameClash> = by_target
        .iter()
        .filter(|(_, names)| names.len() > 1)
        .map(|(target, names)| NameClash {
            target: target.clone(),
            names: names.iter().map(|name| (*name).to_owned()).collect(),
        })
        .collect();
    if !clashes.is_empty() {
        return Err(clashes);
    }
    Ok(by_target
        .into_iter()
        .flat_map(|(target, names)| {
            names
                .into_iter()
                .map(move |name| (name.to_owned(), target.clone()))
        })
        .collect())
}

/// One name's model name, kept separate so [`model_names`] only has to find collisions.
fn model_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut boundary = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(if boundary { c.to_ascii_uppercase() } else { c });
            boundary = false;
        } else {
            boundary = true;
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "Model");
    }
    out
}

/// Converts one schema (from utoipa, 3.1) into `dialect`, rewriting `#/components/schemas/X` refs through `renames`
/// (names missing from `renames` are kept as they are). Pure; never panics on any JSON input.
///
/// The output is always a schema object valid in OpenAPI 3.0; input that is not a schema
/// becomes `{}` (and a [`Dropped`]) rather than an error, because a spec export should not
/// fail on a schema a user hand-wrote, and the lint reports it.
pub(crate) fn convert(
    schema: &Value,
    dialect: Dialect,
    renames: &BTreeMap<String, String>,
) -> (Value, Vec<Dropped>) {
    let mut converter = Converter {
        dialect,
        renames,
        dropped: Vec::new(),
        depth: 0,
    };
    let out = converter.schema(schema, "", "");
    (Value::Object(out), converter.dropped)
}

/// Where utoipa (and OpenAPI in general) points at named schemas.
const SCHEMA_REF_PREFIX: &str = "#/components/schemas/";

/// Bounds the recursion so a hostile or generated tree cannot overflow the stack; real
/// schemas nest a handful of levels, and serde_json refuses to parse deeper than 128 anyway.
const MAX_DEPTH: usize = 128;

/// The only `type` values 3.0 knows (3.1 adds `"null"`, handled separately).
const TYPES_30: [&str; 6] = ["array", "boolean", "integer", "number", "object", "string"];

/// 3.0 keywords that mean the same in 3.0 and draft 4, so both dialects copy them.
const KEPT: [&str; 11] = [
    "description",
    "maxItems",
    "maxLength",
    "maxProperties",
    "minItems",
    "minLength",
    "minProperties",
    "multipleOf",
    "pattern",
    "title",
    "uniqueItems",
];

/// The kept keywords whose value constrains instances, so a malformed one is worth a
/// [`Dropped`] (a malformed `title` is not).
const VALIDATING: [&str; 9] = [
    "maxItems",
    "maxLength",
    "maxProperties",
    "minItems",
    "minLength",
    "minProperties",
    "multipleOf",
    "pattern",
    "uniqueItems",
];

/// Valid 3.0 annotations that API Gateway rejects or ignores in models (known issues list),
/// so only the public spec keeps them.
const PUBLIC_ONLY: [&str; 7] = [
    "default",
    "deprecated",
    "example",
    "externalDocs",
    "readOnly",
    "writeOnly",
    "xml",
];

/// 2020-12 (and draft 6–2019) keywords with no 3.0 counterpart whose loss changes what
/// validates, or breaks references into the schema, so dropping them earns a [`Dropped`].
const UNSUPPORTED: [&str; 21] = [
    "$anchor",
    "$defs",
    "$dynamicAnchor",
    "$dynamicRef",
    "$id",
    "$recursiveAnchor",
    "$recursiveRef",
    "$schema",
    "$vocabulary",
    "contains",
    "definitions",
    "dependencies",
    "dependentRequired",
    "dependentSchemas",
    "else",
    "if",
    "maxContains",
    "minContains",
    "then",
    "unevaluatedItems",
    "unevaluatedProperties",
];

/// `format` values that only make sense on numbers: API Gateway rejects `int32`/`int64` and
/// `decimal`, and draft 4 validates none of them, so the gateway dialect drops them even when
/// no `type` says the schema is numeric.
const NUMERIC_FORMATS: [&str; 11] = [
    "decimal", "double", "float", "int16", "int32", "int64", "int8", "uint16", "uint32", "uint64",
    "uint8",
];

/// Annotations that may sit next to a `$ref` in the gateway dialect only to be thrown away:
/// draft 4 ignores siblings of `$ref`, and these carry no validation meaning anyway.
const REF_ANNOTATIONS: [&str; 2] = ["description", "title"];

/// The state of one [`convert`] call, so the recursive walk need not thread it by hand.
struct Converter<'a> {
    /// The dialect being produced.
    dialect: Dialect,
    /// Schema name → new schema name, applied to every `#/components/schemas/` reference.
    renames: &'a BTreeMap<String, String>,
    /// Warnings collected in walk order.
    dropped: Vec<Dropped>,
    /// How many schema objects we are inside, checked against [`MAX_DEPTH`].
    depth: usize,
}

impl Converter<'_> {
    /// Converts a value in a schema position (`keyword` is the keyword it sat under, for the
    /// warning when it is not a schema).
    fn schema(&mut self, value: &Value, pointer: &str, keyword: &str) -> Map<String, Value> {
        match value {
            Value::Bool(true) => Map::new(),
            // 3.0 has no boolean schemas outside `additionalProperties`; `not: {}` is exact.
            Value::Bool(false) => nothing(),
            Value::Object(map) if self.depth < MAX_DEPTH => {
                self.depth += 1;
                let out = self.object(map, pointer);
                self.depth -= 1;
                out
            }
            _ => {
                self.drop(pointer, keyword);
                Map::new()
            }
        }
    }

    /// Converts one schema object; see the module docs for the rules.
    fn object(&mut self, m: &Map<String, Value>, pointer: &str) -> Map<String, Value> {
        let union = self.null_union(m, pointer);
        let input_nullable = m.get("nullable") == Some(&Value::Bool(true));
        let parsed = m.get("type").map(TypeSet::parse);
        if parsed.as_ref().is_some_and(|t| t.invalid) {
            self.drop(pointer, "type");
        }
        // A `type` with nothing usable in it is treated as absent: ignoring it only loosens.
        let types = parsed.filter(|t| t.null || !t.names.is_empty());
        let (names, type_null) = types.map_or((Vec::new(), false), |t| (t.names, t.null));
        let only_null = type_null && names.is_empty();
        let allowed = self.allowed_values(m, only_null, pointer);
        // 3.1 only accepts null if `type` allows it (an absent `type` does); 3.0's `nullable`
        // says the same, so compute "accepts null" once and render it per dialect.
        let no_type = names.is_empty() && !type_null;
        let type_allows_null = input_nullable || no_type || type_null;
        let null_from_values = no_type
            && allowed
                .as_ref()
                .is_some_and(|values| values.contains(&Value::Null));
        let nullable = type_allows_null
            && (input_nullable || type_null || union.is_some() || null_from_values);

        let mut out = Map::new();
        if let [one] = names.as_slice() {
            out.insert("type".to_owned(), json!(one));
        }
        let skip = union.as_ref().map_or("", |(key, _)| *key);
        let mut matches_nothing = self.keywords(m, skip, &mut out, pointer);
        self.bounds(m, &mut out, pointer);
        self.items(m, &mut out, pointer);
        self.pattern_properties(m, &mut out, pointer);
        match allowed {
            // 3.0 requires a non-empty `enum`; an empty one matches nothing.
            Some(values) if values.is_empty() => matches_nothing = true,
            Some(values) => {
                out.insert("enum".to_owned(), Value::Array(values));
            }
            None => {}
        }
        if matches_nothing {
            add_constraint(&mut out, "not", json!({}));
        }
        let branches = names.len() > 1;
        if branches {
            let one_of_each = self.type_branches(&names, nullable);
            add_constraint(&mut out, "anyOf", one_of_each);
        }
        if let Some((_, member)) = union {
            if member.keys().any(|k| out.contains_key(k)) {
                add_constraint(&mut out, "allOf", json!([member]));
            } else {
                out.extend(member);
            }
        }
        self.finish(out, nullable, branches, pointer)
    }

    /// Finds `oneOf`/`anyOf: [X, {type: null}]`, how utoipa spells `Option<X>`, and returns
    /// the keyword and X converted.
    fn null_union(
        &mut self,
        m: &Map<String, Value>,
        pointer: &str,
    ) -> Option<(&'static str, Map<String, Value>)> {
        for key in ["anyOf", "oneOf"] {
            if let Some(Value::Array(members)) = m.get(key)
                && let [a, b] = members.as_slice()
            {
                let keep = if is_null_schema(b) {
                    0
                } else if is_null_schema(a) {
                    1
                } else {
                    continue;
                };
                let member = self.schema(&members[keep], &child_at(pointer, key, keep), key);
                return Some((key, member));
            }
        }
        None
    }

    /// Intersects `enum`, `const` and a lone `type: "null"`, which all list allowed values,
    /// because 3.0 only has `enum` (stacking `allOf`s would say the same, less readably).
    fn allowed_values(
        &mut self,
        m: &Map<String, Value>,
        only_null: bool,
        pointer: &str,
    ) -> Option<Vec<Value>> {
        let mut allowed: Option<Vec<Value>> = None;
        let mut restrict = |values: &[Value]| {
            let before = allowed.take();
            let mut kept: Vec<Value> = Vec::new();
            for value in values {
                let allowed_before = before.as_ref().is_none_or(|b| b.contains(value));
                if allowed_before && !kept.contains(value) {
                    kept.push(value.clone());
                }
            }
            allowed = Some(kept);
        };
        match m.get("enum") {
            Some(Value::Array(values)) => restrict(values),
            Some(_) => self.drop(pointer, "enum"),
            None => {}
        }
        if let Some(value) = m.get("const") {
            restrict(std::slice::from_ref(value));
        }
        if only_null {
            restrict(&[Value::Null]);
        }
        allowed
    }

    /// Converts the keywords that stand alone, skipping `skip` (the null union already
    /// handled); returns whether one of them matches nothing at all.
    fn keywords(
        &mut self,
        m: &Map<String, Value>,
        skip: &str,
        out: &mut Map<String, Value>,
        pointer: &str,
    ) -> bool {
        let mut matches_nothing = false;
        for (key, value) in m {
            let k = key.as_str();
            if k == skip {
                continue;
            }
            match k {
                "$ref" => match value.as_str() {
                    Some(target) => {
                        out.insert(key.clone(), Value::String(self.rewrite_ref(target)));
                    }
                    None => self.drop(pointer, k),
                },
                "properties" => match value {
                    Value::Object(properties) => {
                        let converted = properties
                            .iter()
                            .map(|(name, schema)| {
                                let at = child(&child(pointer, k), name);
                                (name.clone(), Value::Object(self.schema(schema, &at, k)))
                            })
                            .collect();
                        out.insert(key.clone(), Value::Object(converted));
                    }
                    _ => self.drop(pointer, k),
                },
                "additionalProperties" => {
                    let converted = match value {
                        Value::Bool(allowed) => Value::Bool(*allowed),
                        schema => Value::Object(self.schema(schema, &child(pointer, k), k)),
                    };
                    out.insert(key.clone(), converted);
                }
                // 3.0 wants members; `allOf: []` holds for everything, the others for nothing.
                "allOf" | "anyOf" | "oneOf" => match value {
                    Value::Array(members) if members.is_empty() => matches_nothing |= k != "allOf",
                    Value::Array(members) => {
                        let converted = members
                            .iter()
                            .enumerate()
                            .map(|(i, s)| {
                                Value::Object(self.schema(s, &child_at(pointer, k, i), k))
                            })
                            .collect();
                        out.insert(key.clone(), Value::Array(converted));
                    }
                    _ => self.drop(pointer, k),
                },
                "not" => {
                    let converted = self.schema(value, &child(pointer, k), k);
                    out.insert(key.clone(), Value::Object(converted));
                }
                "examples" => {
                    if self.dialect == Dialect::OpenApi30
                        && !m.contains_key("example")
                        && let Some(first) = value.as_array().and_then(|all| all.first())
                    {
                        out.insert("example".to_owned(), first.clone());
                    }
                }
                "contentEncoding" if value == "base64" && !m.contains_key("format") => {
                    out.insert("format".to_owned(), json!("byte"));
                }
                "format" if value.is_string() => {
                    out.insert(key.clone(), value.clone());
                }
                "required" => match value {
                    Value::Array(names) => {
                        // 3.0 wants unique strings, at least one; an empty list requires nothing.
                        let mut unique: Vec<Value> = Vec::new();
                        for name in names {
                            let request_only =
                                self.dialect == Dialect::ApiGateway && is_read_only(m, name);
                            if name.is_string() && !unique.contains(name) && !request_only {
                                unique.push(name.clone());
                            }
                        }
                        if names.iter().any(|name| !name.is_string()) {
                            self.drop(pointer, k);
                        }
                        if !unique.is_empty() {
                            out.insert(key.clone(), Value::Array(unique));
                        }
                    }
                    _ => self.drop(pointer, k),
                },
                "discriminator" if self.dialect == Dialect::OpenApi30 => {
                    if let Some(discriminator) = self.rewrite_discriminator(value) {
                        out.insert(key.clone(), discriminator);
                    }
                }
                // utoipa emits `propertyNames: {type: string}` for every map, which says nothing
                // JSON keys don't already guarantee.
                "propertyNames"
                    if !matches!(value, Value::Bool(true))
                        && value != &json!({})
                        && value != &json!({"type": "string"}) =>
                {
                    self.drop(pointer, k);
                }
                // Handled below, because they interact with other keywords.
                "type" | "nullable" | "enum" | "const" | "items" | "prefixItems"
                | "additionalItems" | "patternProperties" | "minimum" | "maximum"
                | "exclusiveMinimum" | "exclusiveMaximum" => {}
                _ if KEPT.contains(&k)
                    || (self.dialect == Dialect::OpenApi30
                        && (PUBLIC_ONLY.contains(&k) || k.starts_with("x-"))) =>
                {
                    match well_formed(k, value) {
                        Some(value) => {
                            out.insert(key.clone(), value);
                        }
                        None if VALIDATING.contains(&k) => self.drop(pointer, k),
                        None => {}
                    }
                }
                _ if UNSUPPORTED.contains(&k) => self.drop(pointer, k),
                // Annotations with no slot in the dialect (`$comment`, `contentMediaType`,
                // `summary`, `example` for the gateway, …) and the guarded keywords above when
                // their guard fails: nothing left to validate.
                _ => {}
            }
        }
        matches_nothing
    }

    /// One single-type schema per entry of a 3.1 type array, for an `anyOf`.
    fn type_branches(&self, names: &[&str], nullable: bool) -> Value {
        let branches = names
            .iter()
            .map(|name| {
                let mut branch = Map::new();
                branch.insert("type".to_owned(), json!(name));
                if *name == "array" {
                    branch.insert("items".to_owned(), json!({}));
                }
                if nullable && self.dialect == Dialect::OpenApi30 {
                    branch.insert("nullable".to_owned(), json!(true));
                }
                Value::Object(branch)
            })
            .collect();
        Value::Array(branches)
    }

    /// Turns 3.1's numeric `exclusiveMinimum`/`exclusiveMaximum` into 3.0's boolean flags
    /// (or, for API Gateway, which supports neither, into plain inclusive bounds).
    fn bounds(&mut self, m: &Map<String, Value>, out: &mut Map<String, Value>, pointer: &str) {
        for (bound, exclusive, lower) in [
            ("minimum", "exclusiveMinimum", true),
            ("maximum", "exclusiveMaximum", false),
        ] {
            let inclusive = match m.get(bound) {
                Some(Value::Number(n)) => Some(n),
                Some(_) => {
                    self.drop(pointer, bound);
                    None
                }
                None => None,
            };
            match (m.get(exclusive), inclusive) {
                (Some(Value::Number(n)), inclusive) => {
                    let stricter = inclusive.filter(|i| match (i.as_f64(), n.as_f64()) {
                        (Some(i), Some(n)) => (lower && i > n) || (!lower && i < n),
                        _ => false,
                    });
                    if let Some(i) = stricter {
                        out.insert(bound.to_owned(), Value::Number(i.clone()));
                    } else {
                        out.insert(bound.to_owned(), Value::Number(n.clone()));
                        self.exclusive(out, exclusive, pointer);
                    }
                }
                // Already the 3.0 form.
                (Some(Value::Bool(true)), Some(i)) => {
                    out.insert(bound.to_owned(), Value::Number(i.clone()));
                    self.exclusive(out, exclusive, pointer);
                }
                (flag, inclusive) => {
                    if let Some(i) = inclusive {
                        out.insert(bound.to_owned(), Value::Number(i.clone()));
                    }
                    // `true` without a bound means nothing in 3.0; anything else is malformed.
                    if flag.is_some_and(|f| !f.is_boolean()) {
                        self.drop(pointer, exclusive);
                    }
                }
            }
        }
    }

    /// Marks the bound just written as exclusive, where the dialect can say so.
    fn exclusive(&mut self, out: &mut Map<String, Value>, keyword: &str, pointer: &str) {
        match self.dialect {
            Dialect::OpenApi30 => {
                out.insert(keyword.to_owned(), json!(true));
            }
            // Exclusivity is lost: the bound itself now validates.
            Dialect::ApiGateway => self.drop(pointer, keyword),
        }
    }

    /// Converts `items`, and tuples (`prefixItems`, or draft-4 `items: [..]` with
    /// `additionalItems`) which 3.0 cannot express: every position then gets the union of the
    /// position schemas, a superset of what the tuple accepted.
    fn items(&mut self, m: &Map<String, Value>, out: &mut Map<String, Value>, pointer: &str) {
        let (tuple, rest, tuple_keyword, rest_keyword) =
            match (m.get("prefixItems"), m.get("items")) {
                (Some(prefix), items) => (Some(prefix), items, "prefixItems", "items"),
                (None, Some(items @ Value::Array(_))) => (
                    Some(items),
                    m.get("additionalItems"),
                    "items",
                    "additionalItems",
                ),
                (None, items) => (None, items, "items", "items"),
            };
        let Some(tuple) = tuple else {
            if let Some(items) = rest {
                let converted = self.schema(items, &child(pointer, "items"), "items");
                out.insert("items".to_owned(), Value::Object(converted));
            }
            return;
        };
        let prefix: &[Value] = match tuple {
            Value::Array(prefix) => prefix,
            _ => {
                self.drop(pointer, tuple_keyword);
                &[]
            }
        };
        let mut union: Vec<Value> = Vec::new();
        for (i, schema) in prefix.iter().enumerate() {
            let converted = Value::Object(self.schema(
                schema,
                &child_at(pointer, tuple_keyword, i),
                tuple_keyword,
            ));
            if !union.contains(&converted) {
                union.push(converted);
            }
        }
        let open_ended = match rest {
            None | Some(Value::Bool(true)) => true,
            Some(Value::Bool(false)) => {
                let limit = prefix.len() as u64;
                let max = out
                    .get("maxItems")
                    .and_then(Value::as_u64)
                    .map_or(limit, |max| max.min(limit));
                out.insert("maxItems".to_owned(), json!(max));
                false
            }
            Some(schema) => {
                let converted =
                    Value::Object(self.schema(schema, &child(pointer, rest_keyword), rest_keyword));
                if !union.contains(&converted) {
                    union.push(converted);
                }
                false
            }
        };
        let exact = prefix.is_empty() || (!open_ended && union.len() == 1);
        if !exact {
            self.drop(pointer, tuple_keyword);
        }
        let items = if open_ended {
            Map::new()
        } else {
            any_of(union)
        };
        out.insert("items".to_owned(), Value::Object(items));
    }

    /// Drops `patternProperties` (3.0 has none), widening `additionalProperties` when it would
    /// otherwise start rejecting the properties the patterns allowed.
    fn pattern_properties(
        &mut self,
        m: &Map<String, Value>,
        out: &mut Map<String, Value>,
        pointer: &str,
    ) {
        let Some(patterns) = m.get("patternProperties") else {
            return;
        };
        self.drop(pointer, "patternProperties");
        let Value::Object(patterns) = patterns else {
            return;
        };
        if patterns.is_empty()
            || matches!(
                out.get("additionalProperties"),
                None | Some(Value::Bool(true))
            )
        {
            return;
        }
        let mut union = Vec::new();
        if let Some(Value::Object(additional)) = out.get("additionalProperties") {
            union.push(Value::Object(additional.clone()));
        }
        let at = child(pointer, "patternProperties");
        for (pattern, schema) in patterns {
            let converted =
                Value::Object(self.schema(schema, &child(&at, pattern), "patternProperties"));
            if !union.contains(&converted) {
                union.push(converted);
            }
        }
        out.insert(
            "additionalProperties".to_owned(),
            Value::Object(any_of(union)),
        );
    }

    /// Last touches that depend on the whole converted object: nullability, `items` for
    /// arrays, numeric formats and `$ref` siblings (`in_branches`: the `anyOf` built from a
    /// type array already says null is fine).
    fn finish(
        &mut self,
        mut out: Map<String, Value>,
        nullable: bool,
        in_branches: bool,
        pointer: &str,
    ) -> Map<String, Value> {
        if nullable {
            match self.dialect {
                // Branches built from a type array already carry their own `nullable`.
                Dialect::OpenApi30 => {
                    if !in_branches {
                        out.insert("nullable".to_owned(), json!(true));
                    }
                }
                Dialect::ApiGateway => {
                    if !accepts_null_in_draft4(&out) {
                        self.drop(pointer, "nullable");
                    }
                }
            }
        }
        // 3.0: "items MUST be present if the type is array".
        if out.get("type").is_some_and(|t| t == "array") && !out.contains_key("items") {
            out.insert("items".to_owned(), json!({}));
        }
        if self.dialect == Dialect::ApiGateway {
            let numeric = match out.get("type").and_then(Value::as_str) {
                Some(t) => t == "integer" || t == "number",
                None => out
                    .get("format")
                    .and_then(Value::as_str)
                    .is_some_and(|f| NUMERIC_FORMATS.contains(&f)),
            };
            if numeric {
                out.remove("format");
            }
        }
        // 3.0 and draft 4 ignore everything next to `$ref`. The gateway gets a bare `$ref` when
        // the siblings only annotate; otherwise the reference moves into `allOf` so the
        // siblings keep their meaning.
        if out.contains_key("$ref") && out.len() > 1 {
            if self.dialect == Dialect::ApiGateway && only_annotates_besides(&out, "$ref") {
                out.retain(|k, _| k == "$ref");
            } else if let Some(target) = out.remove("$ref") {
                let mut reference = Map::new();
                reference.insert("$ref".to_owned(), target);
                match out.get_mut("allOf") {
                    Some(Value::Array(all)) => all.insert(0, Value::Object(reference)),
                    _ => {
                        out.insert("allOf".to_owned(), json!([reference]));
                    }
                }
            }
        }
        // The same for a `$ref` already wrapped (3.0 input), and what is left of
        // `{allOf: [X], nullable: true}` once the gateway dropped `nullable`.
        if self.dialect == Dialect::ApiGateway
            && let Some(Value::Array(all)) = out.get("allOf")
            && let [Value::Object(only)] = all.as_slice()
        {
            let bare_ref = only.len() == 1 && only.contains_key("$ref");
            if out.len() == 1 || (bare_ref && only_annotates_besides(&out, "allOf")) {
                return only.clone();
            }
        }
        out
    }

    /// Points a reference at the renamed schema.
    fn rewrite_ref(&self, target: &str) -> String {
        target
            .strip_prefix(SCHEMA_REF_PREFIX)
            .and_then(|name| self.renames.get(name))
            .map_or_else(
                || target.to_owned(),
                |name| format!("{SCHEMA_REF_PREFIX}{name}"),
            )
    }

    /// Renames the targets of a discriminator mapping, which may be references or bare schema
    /// names (3.0 allows both); `None` when it is not a discriminator 3.0 accepts (a hint
    /// for code generators, so losing a malformed one changes no validation).
    fn rewrite_discriminator(&self, discriminator: &Value) -> Option<Value> {
        let Value::Object(discriminator) = discriminator else {
            return None;
        };
        if !discriminator
            .get("propertyName")
            .is_some_and(Value::is_string)
        {
            return None;
        }
        let mut out = discriminator.clone();
        if let Some(mapping) = out.remove("mapping")
            && let Value::Object(mapping) = mapping
        {
            let renamed = mapping
                .into_iter()
                .filter_map(|(value, target)| {
                    let name = target.as_str()?;
                    let renamed = match self.renames.get(name) {
                        Some(renamed) => renamed.clone(),
                        None => self.rewrite_ref(name),
                    };
                    Some((value, Value::String(renamed)))
                })
                .collect();
            out.insert("mapping".to_owned(), Value::Object(renamed));
        }
        Some(Value::Object(out))
    }

    /// Records a [`Dropped`].
    fn drop(&mut self, pointer: &str, keyword: &str) {
        self.dropped.push(Dropped {
            pointer: pointer.to_owned(),
            keyword: keyword.to_owned(),
        });
    }
}

/// A parsed `type`, 3.1 style (string or array, maybe with `"null"`).
struct TypeSet {
    /// The 3.0 types named, deduplicated, in input order.
    names: Vec<&'static str>,
    /// Whether `"null"` was listed.
    null: bool,
    /// Whether anything unusable was there, which loosens the schema once ignored.
    invalid: bool,
}

impl TypeSet {
    /// Reads a `type` value, 3.1 (string or array) or 3.0 (string) style.
    fn parse(value: &Value) -> Self {
        let mut set = Self {
            names: Vec::new(),
            null: false,
            invalid: false,
        };
        match value {
            Value::String(name) => set.add(name),
            Value::Array(names) if !names.is_empty() => {
                for name in names {
                    match name.as_str() {
                        Some(name) => set.add(name),
                        None => set.invalid = true,
                    }
                }
            }
            _ => set.invalid = true,
        }
        set
    }

    /// Adds one type name.
    fn add(&mut self, name: &str) {
        if name == "null" {
            self.null = true;
        } else if let Some(known) = TYPES_30.iter().find(|known| **known == name) {
            if !self.names.contains(known) {
                self.names.push(known);
            }
        } else {
            self.invalid = true;
        }
    }
}

/// `value` as 3.0's meta-schema accepts it for `keyword` (a [`KEPT`] or [`PUBLIC_ONLY`]
/// keyword or an extension), or `None` when it is malformed: a 3.1 schema holding it was
/// invalid, and copying it would make the whole document invalid too.
fn well_formed(keyword: &str, value: &Value) -> Option<Value> {
    let ok = match keyword {
        "description" | "pattern" | "title" => value.is_string(),
        "maxItems" | "maxLength" | "maxProperties" | "minItems" | "minLength" | "minProperties" => {
            value.is_u64()
        }
        "multipleOf" => value.as_f64().is_some_and(|n| n > 0.0),
        "deprecated" | "readOnly" | "uniqueItems" | "writeOnly" => value.is_boolean(),
        "externalDocs" => return documented_object(value, &[("description", true)], "url"),
        "xml" => {
            let fields = [
                ("attribute", false),
                ("name", true),
                ("namespace", true),
                ("prefix", true),
                ("wrapped", false),
            ];
            return documented_object(value, &fields, "");
        }
        // `default`, `example` and extensions hold any JSON.
        _ => true,
    };
    ok.then(|| value.clone())
}

/// Keeps the fields of a small 3.0 object (`fields`: name and whether it is a string, else a
/// boolean) plus its extensions; `None` if it is not an object or lacks its `required` string.
fn documented_object(value: &Value, fields: &[(&str, bool)], required: &str) -> Option<Value> {
    let object = value.as_object()?;
    if !required.is_empty() && !object.get(required).is_some_and(Value::is_string) {
        return None;
    }
    let kept = object
        .iter()
        .filter(|(key, value)| {
            key.starts_with("x-")
                || key.as_str() == required
                || fields.iter().any(|(field, text)| {
                    key.as_str() == *field
                        && if *text {
                            value.is_string()
                        } else {
                            value.is_boolean()
                        }
                })
        })
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    Some(Value::Object(kept))
}

/// Whether property `name` of `schema` is `readOnly`. OpenAPI 3.0 exempts such properties
/// from `required` in requests, and gateway models only validate requests, but draft 4 has
/// no `readOnly`: left in `required` they would reject every request.
fn is_read_only(schema: &Map<String, Value>, name: &Value) -> bool {
    name.as_str()
        .and_then(|name| schema.get("properties")?.get(name)?.get("readOnly"))
        .is_some_and(|read_only| read_only == true)
}

/// Whether `schema` is exactly utoipa's null member of an `Option` union.
fn is_null_schema(schema: &Value) -> bool {
    schema.as_object().is_some_and(|m| {
        m.len() == 1 && matches!(m.get("type"), Some(t) if t == "null" || t == &json!(["null"]))
    })
}

/// Whether every keyword of `schema` except `key` is a mere annotation.
fn only_annotates_besides(schema: &Map<String, Value>, key: &str) -> bool {
    schema
        .keys()
        .all(|k| k == key || REF_ANNOTATIONS.contains(&k.as_str()))
}

/// Whether a converted gateway schema still lets null through once `nullable` is gone.
fn accepts_null_in_draft4(schema: &Map<String, Value>) -> bool {
    let restricted = ["type", "$ref", "allOf", "anyOf", "oneOf", "not"]
        .iter()
        .any(|k| schema.contains_key(*k));
    let enum_allows = schema
        .get("enum")
        .and_then(Value::as_array)
        .is_none_or(|values| values.contains(&Value::Null));
    !restricted && enum_allows
}

/// Sets `key`, or, when it is already taken, adds the constraint through `allOf` so neither is lost.
fn add_constraint(out: &mut Map<String, Value>, key: &str, value: Value) {
    if !out.contains_key(key) {
        out.insert(key.to_owned(), value);
        return;
    }
    let additions = match value {
        Value::Array(members) if key == "allOf" => members,
        value => {
            let mut wrapped = Map::new();
            wrapped.insert(key.to_owned(), value);
            vec![Value::Object(wrapped)]
        }
    };
    match out.get_mut("allOf") {
        Some(Value::Array(all)) => all.extend(additions),
        _ => {
            out.insert("allOf".to_owned(), Value::Array(additions));
        }
    }
}

/// The schema that accepts any of `schemas` (nothing when empty).
fn any_of(mut schemas: Vec<Value>) -> Map<String, Value> {
    match schemas.len() {
        0 => nothing(),
        1 => match schemas.pop() {
            Some(Value::Object(only)) => only,
            _ => Map::new(),
        },
        _ => {
            let mut out = Map::new();
            out.insert("anyOf".to_owned(), Value::Array(schemas));
            out
        }
    }
}

/// The schema that accepts nothing, written the only way 3.0 can.
fn nothing() -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("not".to_owned(), json!({}));
    out
}

/// Appends one reference token to a JSON pointer (RFC 6901 escaping).
fn child(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + token.len() + 1);
    out.push_str(pointer);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// Appends a keyword and an array index to a JSON pointer.
fn child_at(pointer: &str, keyword: &str, index: usize) -> String {
    format!("{pointer}/{keyword}/{index}")
}

#[cfg(test)]
mod tests {
    //! Fixtures marked "utoipa 6" were produced by `#[derive(ToSchema)]` with utoipa 6.0.0 and
    //! serialised through `serde_json::to_value(ApiDoc::openapi())`, then pasted here.

    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde_json::{Value, json};

    use super::{Dialect, Dropped, NameClash, convert, model_names};

    /// utoipa 6, `struct User` with `Option<u32>`, `Option<String>`, `Option<Inner>`,
    /// `Vec<T>`, `HashMap<String, u8>`, enums, `#[schema(example = 42)]`,
    /// `#[schema(examples("a", "b"))]`, exclusive bounds, `default`/`read_only`, `deprecated`.
    fn utoipa_user() -> Value {
        json!({
            "description": "A user.",
            "properties": {
                "age": {"format": "int32", "minimum": 0, "type": ["integer", "null"]},
                "bin": {"format": "binary", "type": "string"},
                "color": {"$ref": "#/components/schemas/Color"},
                "id": {"description": "The id.", "example": 42, "format": "int32", "minimum": 0, "type": "integer"},
                "inner": {"oneOf": [{"$ref": "#/components/schemas/Inner"}, {"type": "null"}]},
                "inner_doc": {"$ref": "#/components/schemas/Inner", "description": "Docs on the inner ref."},
                "inners": {"items": {"$ref": "#/components/schemas/Inner"}, "type": "array"},
                "label": {"default": "x", "readOnly": true, "type": "string"},
                "many": {"examples": ["a", "b"], "type": "string"},
                "map": {
                    "additionalProperties": {"format": "int32", "minimum": 0, "type": "integer"},
                    "propertyNames": {"type": "string"},
                    "type": "object"
                },
                "nickname": {"type": ["string", "null"]},
                "old": {"deprecated": true, "type": ["boolean", "null"]},
                "ratio": {"exclusiveMinimum": 0.5, "format": "double", "type": "number"},
                "score": {"exclusiveMaximum": 100, "format": "int64", "minimum": 1, "type": "integer"},
                "shape": {"oneOf": [{"$ref": "#/components/schemas/Shape"}, {"type": "null"}]},
                "tags": {"items": {"type": "string"}, "type": "array"}
            },
            "required": ["id", "inner_doc", "tags", "inners", "score", "ratio", "label", "map", "bin", "many", "color"],
            "type": "object"
        })
    }

    /// utoipa 6, `#[schema(as = my_mod::Thing)] struct Thing` (component `my_mod.Thing`).
    fn utoipa_thing() -> Value {
        json!({
            "properties": {
                "boxed": {"$ref": "#/components/schemas/Inner"},
                "color": {"oneOf": [{"$ref": "#/components/schemas/Color"}, {"type": "null"}]},
                "img": {"contentEncoding": "base64", "contentMediaType": "image/png", "type": "string"},
                "inl": {"oneOf": [
                    {"properties": {"id": {"format": "int32", "minimum": 0, "type": "integer"}}, "required": ["id"], "type": "object"},
                    {"type": "null"}
                ]},
                "list": {"items": {"type": "string"}, "type": ["array", "null"]},
                "maybe": {"oneOf": [
                    {"$ref": "#/components/schemas/Inner", "description": "Maybe inner."},
                    {"type": "null"}
                ]},
                "opt_items": {"items": {"oneOf": [{"$ref": "#/components/schemas/Inner"}, {"type": "null"}]}, "type": "array"},
                "small": {"format": "int32", "maximum": 5, "minimum": -5, "multipleOf": 2.5, "type": "integer"}
            },
            "required": ["opt_items", "img", "small", "boxed"],
            "type": "object"
        })
    }

    /// utoipa 6, tuples `(u8,)` and `(String, i32)`, `()` and `serde_json::Value` fields.
    fn utoipa_tuples() -> Value {
        json!({
            "properties": {
                "any": {},
                "pair": {
                    "items": false,
                    "prefixItems": [{"type": "string"}, {"format": "int32", "type": "integer"}],
                    "type": "array"
                },
                "single": {
                    "items": false,
                    "prefixItems": [{"format": "int32", "minimum": 0, "type": "integer"}],
                    "type": "array"
                },
                "unit": {"default": null}
            },
            "required": ["single", "pair", "unit", "any"],
            "type": "object"
        })
    }

    /// utoipa 6, `#[serde(tag = "kind")] enum Shape { Circle { r: f32 }, Square { side: f32 } }`.
    fn utoipa_shape() -> Value {
        json!({"oneOf": [
            {
                "properties": {"kind": {"enum": ["Circle"], "type": "string"}, "r": {"format": "float", "type": "number"}},
                "required": ["r", "kind"],
                "type": "object"
            },
            {
                "properties": {"kind": {"enum": ["Square"], "type": "string"}, "side": {"format": "float", "type": "number"}},
                "required": ["side", "kind"],
                "type": "object"
            }
        ]})
    }

    /// utoipa 6, `#[serde(untagged)] #[schema(discriminator = "kind")] enum Pet { Cat(Cat), Dog(Dog) }`.
    fn utoipa_pet() -> Value {
        json!({
            "discriminator": {"propertyName": "kind"},
            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]
        })
    }

    /// utoipa 6, generic `Page<Inner>` (component `Page_Inner`; the argument is inlined).
    fn utoipa_page() -> Value {
        json!({
            "properties": {
                "items": {"items": {"properties": {"id": {"format": "int32", "minimum": 0, "type": "integer"}}, "required": ["id"], "type": "object"}, "type": "array"},
                "next": {"type": ["string", "null"]},
                "total": {"format": "int64", "minimum": 0, "type": "integer"}
            },
            "required": ["items", "total"],
            "type": "object"
        })
    }

    fn no_renames() -> BTreeMap<String, String> {
        BTreeMap::new()
    }

    fn thirty(schema: &Value) -> (Value, Vec<Dropped>) {
        convert(schema, Dialect::OpenApi30, &no_renames())
    }

    fn gateway(schema: &Value) -> (Value, Vec<Dropped>) {
        convert(schema, Dialect::ApiGateway, &no_renames())
    }

    /// Named apart from the `dropped` locals the tests bind.
    fn dropped_at(pointer: &str, keyword: &str) -> Dropped {
        Dropped {
            pointer: pointer.to_owned(),
            keyword: keyword.to_owned(),
        }
    }

    fn renames(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(from, to)| ((*from).to_owned(), (*to).to_owned()))
            .collect()
    }

    // ---- model_names ----

    #[test]
    fn model_names_turn_separators_into_word_boundaries() {
        let names = model_names([
            "Page_Item",
            "my_mod::User",
            "my_mod.Thing",
            "a-b-c",
            "User",
            "_private",
            "caf\u{e9}_latte",
        ]);
        let expected = renames(&[
            ("Page_Item", "PageItem"),
            ("my_mod::User", "myModUser"),
            ("my_mod.Thing", "myModThing"),
            ("a-b-c", "aBC"),
            ("User", "User"),
            ("_private", "Private"),
            ("caf\u{e9}_latte", "cafLatte"),
        ]);
        assert_eq!(names, Ok(expected));
    }

    #[test]
    fn model_names_prefix_empty_and_digit_leading_names() {
        let names = model_names(["2fa", "__", "_1x"]);
        let expected = renames(&[("2fa", "Model2fa"), ("__", "Model"), ("_1x", "Model1x")]);
        assert_eq!(names, Ok(expected));
    }

    #[test]
    fn model_names_report_every_collision_sorted() {
        let clashes = model_names(["a_b", "PageItem", "aB", "Page_Item", "a.b", "Other"]);
        let expected = vec![
            NameClash {
                target: "PageItem".to_owned(),
                names: vec!["PageItem".to_owned(), "Page_Item".to_owned()],
            },
            NameClash {
                target: "aB".to_owned(),
                names: vec!["a.b".to_owned(), "aB".to_owned(), "a_b".to_owned()],
            },
        ];
        assert_eq!(clashes, Err(expected));
    }

    #[test]
    fn name_clash_message_is_lowercase_first_and_names_everything() {
        let clash = NameClash {
            target: "PageItem".to_owned(),
            names: vec!["PageItem".to_owned(), "Page_Item".to_owned()],
        };
        assert_eq!(
            clash.to_string(),
            r#"schema names "PageItem", "Page_Item" all map to API Gateway model name "PageItem""#
        );
    }

    #[test]
    fn model_names_accept_the_same_name_twice() {
        assert_eq!(
            model_names(["User", "User"]),
            Ok(renames(&[("User", "User")]))
        );
    }

    // ---- OpenAPI 3.0 ----

    #[test]
    fn utoipa_user_converts_to_openapi30() {
        let (out, dropped) = thirty(&utoipa_user());
        let expected = json!({
            "description": "A user.",
            "properties": {
                "age": {"format": "int32", "minimum": 0, "nullable": true, "type": "integer"},
                "bin": {"format": "binary", "type": "string"},
                "color": {"$ref": "#/components/schemas/Color"},
                "id": {"description": "The id.", "example": 42, "format": "int32", "minimum": 0, "type": "integer"},
                "inner": {"allOf": [{"$ref": "#/components/schemas/Inner"}], "nullable": true},
                "inner_doc": {"allOf": [{"$ref": "#/components/schemas/Inner"}], "description": "Docs on the inner ref."},
                "inners": {"items": {"$ref": "#/components/schemas/Inner"}, "type": "array"},
                "label": {"default": "x", "readOnly": true, "type": "string"},
                "many": {"example": "a", "type": "string"},
                "map": {"additionalProperties": {"format": "int32", "minimum": 0, "type": "integer"}, "type": "object"},
                "nickname": {"nullable": true, "type": "string"},
                "old": {"deprecated": true, "nullable": true, "type": "boolean"},
                "ratio": {"exclusiveMinimum": true, "format": "double", "minimum": 0.5, "type": "number"},
                "score": {"exclusiveMaximum": true, "format": "int64", "maximum": 100, "minimum": 1, "type": "integer"},
                "shape": {"allOf": [{"$ref": "#/components/schemas/Shape"}], "nullable": true},
                "tags": {"items": {"type": "string"}, "type": "array"}
            },
            "required": ["id", "inner_doc", "tags", "inners", "score", "ratio", "label", "map", "bin", "many", "color"],
            "type": "object"
        });
        assert_eq!(out, expected);
        assert_eq!(dropped, []);
    }

    #[test]
    fn utoipa_thing_converts_to_openapi30() {
        let (out, dropped) = thirty(&utoipa_thing());
        let expected = json!({
            "properties": {
                "boxed": {"$ref": "#/components/schemas/Inner"},
                "color": {"allOf": [{"$ref": "#/components/schemas/Color"}], "nullable": true},
                "img": {"format": "byte", "type": "string"},
                "inl": {
                    "nullable": true,
                    "properties": {"id": {"format": "int32", "minimum": 0, "type": "integer"}},
                    "required": ["id"],
                    "type": "object"
                },
                "list": {"items": {"type": "string"}, "nullable": true, "type": "array"},
                "maybe": {"allOf": [{"$ref": "#/components/schemas/Inner"}], "description": "Maybe inner.", "nullable": true},
                "opt_items": {"items": {"allOf": [{"$ref": "#/components/schemas/Inner"}], "nullable": true}, "type": "array"},
                "small": {"format": "int32", "maximum": 5, "minimum": -5, "multipleOf": 2.5, "type": "integer"}
            },
            "required": ["opt_items", "img", "small", "boxed"],
            "type": "object"
        });
        assert_eq!(out, expected);
        assert_eq!(dropped, []);
    }

    #[test]
    fn type_array_with_null_becomes_nullable() {
        let (out, _) = thirty(&json!({"type": ["string", "null"], "maxLength": 3}));
        assert_eq!(
            out,
            json!({"type": "string", "nullable": true, "maxLength": 3})
        );
        let (out, _) = thirty(&json!({"type": ["null", "integer"]}));
        assert_eq!(out, json!({"type": "integer", "nullable": true}));
    }

    #[test]
    fn several_types_become_any_of_single_type_schemas() {
        let (out, dropped) =
            thirty(&json!({"type": ["string", "integer", "null", "array"], "minimum": 1}));
        let expected = json!({
            "anyOf": [
                {"type": "string", "nullable": true},
                {"type": "integer", "nullable": true},
                {"type": "array", "items": {}, "nullable": true}
            ],
            "minimum": 1
        });
        assert_eq!(out, expected);
        assert_eq!(dropped, []);
        // An existing `anyOf` is kept and the type choice goes under `allOf`.
        let (out, _) = thirty(
            &json!({"type": ["string", "boolean"], "anyOf": [{"minLength": 1}, {"const": true}]}),
        );
        let expected = json!({
            "anyOf": [{"minLength": 1}, {"enum": [true]}],
            "allOf": [{"anyOf": [{"type": "string"}, {"type": "boolean"}]}]
        });
        assert_eq!(out, expected);
    }

    #[test]
    fn null_type_alone_becomes_null_enum() {
        assert_eq!(
            thirty(&json!({"type": "null"})),
            (json!({"enum": [null], "nullable": true}), vec![])
        );
        // Draft 4 says exactly "only null" with the enum, so nothing is lost for the gateway.
        assert_eq!(
            gateway(&json!({"type": "null"})),
            (json!({"enum": [null]}), vec![])
        );
    }

    #[test]
    fn option_of_named_schema_becomes_nullable_all_of() {
        let option = json!({"oneOf": [{"$ref": "#/components/schemas/Inner"}, {"type": "null"}]});
        let (out, _) = thirty(&option);
        assert_eq!(
            out,
            json!({"allOf": [{"$ref": "#/components/schemas/Inner"}], "nullable": true})
        );
        // utoipa 6, `#[schema(title = "Titled")] struct Single(Option<Inner>)`; `anyOf` and
        // the null member first behave the same.
        let single = json!({"anyOf": [{"type": "null"}, {"$ref": "#/components/schemas/Inner"}], "title": "Titled"});
        let (out, _) = thirty(&single);
        let expected = json!({"allOf": [{"$ref": "#/components/schemas/Inner"}], "nullable": true, "title": "Titled"});
        assert_eq!(out, expected);
    }

    #[test]
    fn option_keys_clashing_with_siblings_go_under_all_of() {
        let schema = json!({
            "description": "outer",
            "oneOf": [{"type": "string", "description": "inner"}, {"type": "null"}]
        });
        let (out, _) = thirty(&schema);
        let expected = json!({"description": "outer", "allOf": [{"type": "string", "description": "inner"}], "nullable": true});
        assert_eq!(out, expected);
    }

    #[test]
    fn null_union_under_a_non_null_type_stays_non_nullable() {
        let schema = json!({"type": "object", "oneOf": [{"$ref": "#/components/schemas/Inner"}, {"type": "null"}]});
        let (out, _) = thirty(&schema);
        assert_eq!(
            out,
            json!({"type": "object", "allOf": [{"$ref": "#/components/schemas/Inner"}]})
        );
    }

    #[test]
    fn longer_unions_with_null_keep_a_null_member() {
        let schema = json!({"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]});
        let (out, _) = thirty(&schema);
        let expected = json!({"oneOf": [{"type": "string"}, {"type": "integer"}, {"enum": [null], "nullable": true}]});
        assert_eq!(out, expected);
    }

    #[test]
    fn ref_siblings_are_wrapped_in_all_of() {
        let schema =
            json!({"$ref": "#/components/schemas/Inner", "description": "d", "readOnly": true});
        let (out, _) = thirty(&schema);
        let expected = json!({"allOf": [{"$ref": "#/components/schemas/Inner"}], "description": "d", "readOnly": true});
        assert_eq!(out, expected);
        let schema = json!({"$ref": "#/components/schemas/A", "allOf": [{"$ref": "#/components/schemas/B"}], "title": "t"});
        let (out, _) = thirty(&schema);
        let expected = json!({"allOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}], "title": "t"});
        assert_eq!(out, expected);
    }

    #[test]
    fn examples_become_the_first_example() {
        assert_eq!(
            thirty(&json!({"examples": [1, 2]})).0,
            json!({"example": 1})
        );
        assert_eq!(
            thirty(&json!({"examples": [1], "example": 0})).0,
            json!({"example": 0})
        );
        assert_eq!(thirty(&json!({"examples": []})).0, json!({}));
        assert_eq!(thirty(&json!({"examples": "oops"})).0, json!({}));
    }

    #[test]
    fn const_becomes_single_value_enum() {
        assert_eq!(
            thirty(&json!({"const": "a", "type": "string"})).0,
            json!({"enum": ["a"], "type": "string"})
        );
        assert_eq!(
            thirty(&json!({"const": null})).0,
            json!({"enum": [null], "nullable": true})
        );
        // Allowed values intersect.
        assert_eq!(
            thirty(&json!({"const": "a", "enum": ["a", "b"]})).0,
            json!({"enum": ["a"]})
        );
        assert_eq!(
            thirty(&json!({"const": "c", "enum": ["a"]})).0,
            json!({"not": {}})
        );
        let (out, _) = thirty(&json!({"type": "null", "enum": [null, 1]}));
        assert_eq!(out, json!({"enum": [null], "nullable": true}));
    }

    #[test]
    fn enum_with_null_is_nullable_only_without_type() {
        assert_eq!(
            thirty(&json!({"enum": ["a", null]})).0,
            json!({"enum": ["a", null], "nullable": true})
        );
        let (out, _) = thirty(&json!({"type": "string", "enum": ["a", null]}));
        assert_eq!(out, json!({"type": "string", "enum": ["a", null]}));
    }

    #[test]
    fn numeric_exclusive_bounds_become_boolean_flags() {
        let (out, dropped) = thirty(&json!({"exclusiveMinimum": 0, "exclusiveMaximum": 10.5}));
        let expected = json!({"minimum": 0, "exclusiveMinimum": true, "maximum": 10.5, "exclusiveMaximum": true});
        assert_eq!(out, expected);
        assert_eq!(dropped, []);
    }

    #[test]
    fn stricter_inclusive_bounds_win_over_exclusive_ones() {
        let (out, _) = thirty(
            &json!({"minimum": 10, "exclusiveMinimum": 5, "maximum": 1, "exclusiveMaximum": 2}),
        );
        assert_eq!(out, json!({"minimum": 10, "maximum": 1}));
        // Equal bounds: the exclusive one is stricter.
        let (out, _) = thirty(&json!({"minimum": 5, "exclusiveMinimum": 5}));
        assert_eq!(out, json!({"minimum": 5, "exclusiveMinimum": true}));
    }

    #[test]
    fn boolean_exclusive_bounds_from_30_input_are_kept() {
        let schema = json!({"minimum": 1, "exclusiveMinimum": true, "exclusiveMaximum": true});
        assert_eq!(
            thirty(&schema),
            (json!({"minimum": 1, "exclusiveMinimum": true}), vec![])
        );
        let (out, dropped) = thirty(&json!({"minimum": "1", "exclusiveMaximum": "x"}));
        assert_eq!(out, json!({}));
        assert_eq!(
            dropped,
            [
                dropped_at("", "minimum"),
                dropped_at("", "exclusiveMaximum")
            ]
        );
    }

    #[test]
    fn base64_content_becomes_byte_format() {
        let schema =
            json!({"type": "string", "contentEncoding": "base64", "contentMediaType": "image/png"});
        assert_eq!(
            thirty(&schema),
            (json!({"type": "string", "format": "byte"}), vec![])
        );
        let schema = json!({"type": "string", "contentEncoding": "base64", "format": "binary"});
        assert_eq!(
            thirty(&schema).0,
            json!({"type": "string", "format": "binary"})
        );
        let schema = json!({"type": "string", "contentEncoding": "quoted-printable"});
        assert_eq!(thirty(&schema).0, json!({"type": "string"}));
    }

    #[test]
    fn keywords_without_30_counterpart_are_dropped_with_a_warning() {
        let keywords = [
            "$defs",
            "if",
            "then",
            "else",
            "dependentSchemas",
            "dependentRequired",
            "unevaluatedProperties",
            "unevaluatedItems",
            "$schema",
            "$id",
            "contains",
            "minContains",
            "maxContains",
            "$dynamicRef",
            "$anchor",
        ];
        for dialect in [Dialect::OpenApi30, Dialect::ApiGateway] {
            for keyword in keywords {
                let schema = json!({"properties": {"a/b": {"type": "string", keyword: {"type": "integer"}}}});
                let (out, dropped) = convert(&schema, dialect, &no_renames());
                assert_eq!(
                    out,
                    json!({"properties": {"a/b": {"type": "string"}}}),
                    "{keyword}"
                );
                assert_eq!(
                    dropped,
                    [dropped_at("/properties/a~1b", keyword)],
                    "{keyword}"
                );
            }
        }
    }

    #[test]
    fn pure_annotations_are_dropped_silently() {
        let schema = json!({"$comment": "c", "contentMediaType": "text/plain", "summary": "s", "nonsense": 1, "type": "string"});
        assert_eq!(thirty(&schema), (json!({"type": "string"}), vec![]));
        // utoipa emits this for every `HashMap<String, _>`; JSON keys are always strings.
        let map = json!({"type": "object", "propertyNames": {"type": "string"}});
        assert_eq!(thirty(&map), (json!({"type": "object"}), vec![]));
        let uuid_keys =
            json!({"type": "object", "propertyNames": {"type": "string", "format": "uuid"}});
        assert_eq!(
            thirty(&uuid_keys),
            (
                json!({"type": "object"}),
                vec![dropped_at("", "propertyNames")]
            )
        );
    }

    #[test]
    fn utoipa_tuples_become_arrays_of_the_union() {
        let (out, dropped) = thirty(&utoipa_tuples());
        let expected = json!({
            "properties": {
                "any": {},
                "pair": {
                    "items": {"anyOf": [{"type": "string"}, {"format": "int32", "type": "integer"}]},
                    "maxItems": 2,
                    "type": "array"
                },
                "single": {"items": {"format": "int32", "minimum": 0, "type": "integer"}, "maxItems": 1, "type": "array"},
                "unit": {"default": null}
            },
            "required": ["single", "pair", "unit", "any"],
            "type": "object"
        });
        assert_eq!(out, expected);
        // `single` loses nothing; `pair` no longer checks which position holds what.
        assert_eq!(dropped, [dropped_at("/properties/pair", "prefixItems")]);
    }

    #[test]
    fn tuple_rest_and_draft4_tuples_are_widened_too() {
        let rest = json!({"type": "array", "prefixItems": [{"type": "string"}], "items": {"type": "integer"}, "maxItems": 9});
        let (out, dropped) = thirty(&rest);
        let expected = json!({"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}, "maxItems": 9});
        assert_eq!(out, expected);
        assert_eq!(dropped, [dropped_at("", "prefixItems")]);
        let open = json!({"type": "array", "prefixItems": [{"type": "string"}]});
        assert_eq!(
            thirty(&open),
            (
                json!({"type": "array", "items": {}}),
                vec![dropped_at("", "prefixItems")]
            )
        );
        let draft4 = json!({"type": "array", "items": [{"type": "string"}, {"type": "string"}], "additionalItems": false, "maxItems": 1});
        assert_eq!(
            thirty(&draft4),
            (
                json!({"type": "array", "items": {"type": "string"}, "maxItems": 1}),
                vec![]
            )
        );
        let empty = json!({"prefixItems": [], "items": false});
        assert_eq!(
            thirty(&empty),
            (json!({"items": {"not": {}}, "maxItems": 0}), vec![])
        );
    }

    #[test]
    fn pattern_properties_widen_closed_objects() {
        let schema = json!({
            "type": "object",
            "patternProperties": {"^x-": {"type": ["string", "null"]}},
            "additionalProperties": false
        });
        let (out, dropped) = thirty(&schema);
        let expected =
            json!({"type": "object", "additionalProperties": {"type": "string", "nullable": true}});
        assert_eq!(out, expected);
        assert_eq!(dropped, [dropped_at("", "patternProperties")]);
        let open = json!({"patternProperties": {"^a": {"type": "string"}}, "additionalProperties": {"type": "integer"}});
        let expected =
            json!({"additionalProperties": {"anyOf": [{"type": "integer"}, {"type": "string"}]}});
        assert_eq!(thirty(&open).0, expected);
        let loose = json!({"patternProperties": {"^a": {"type": "string"}}});
        assert_eq!(
            thirty(&loose),
            (json!({}), vec![dropped_at("", "patternProperties")])
        );
    }

    #[test]
    fn every_schema_position_is_converted() {
        let nullable_int = json!({"type": ["integer", "null"]});
        let schema = json!({
            "properties": {"p": {"properties": {"q": nullable_int}}},
            "additionalProperties": nullable_int,
            "items": {"items": nullable_int},
            "allOf": [nullable_int],
            "anyOf": [nullable_int, {"const": 1}],
            "oneOf": [{"not": nullable_int}, {"anyOf": [{"oneOf": [nullable_int]}]}],
            "not": {"allOf": [{"prefixItems": [{"type": "string"}], "items": false}]}
        });
        let int = json!({"type": "integer", "nullable": true});
        let expected = json!({
            "properties": {"p": {"properties": {"q": int}}},
            "additionalProperties": int,
            "items": {"items": int},
            "allOf": [int],
            "anyOf": [int, {"enum": [1]}],
            "oneOf": [{"not": int}, {"anyOf": [{"oneOf": [int]}]}],
            "not": {"allOf": [{"items": {"type": "string"}, "maxItems": 1}]}
        });
        assert_eq!(thirty(&schema), (expected, vec![]));
    }

    #[test]
    fn boolean_schemas_become_objects() {
        let schema = json!({"properties": {"any": true, "none": false}, "items": false, "additionalProperties": false});
        let expected = json!({"properties": {"any": {}, "none": {"not": {}}}, "items": {"not": {}}, "additionalProperties": false});
        assert_eq!(thirty(&schema), (expected, vec![]));
        assert_eq!(thirty(&json!(true)), (json!({}), vec![]));
    }

    #[test]
    fn arrays_always_get_items() {
        assert_eq!(
            thirty(&json!({"type": "array"})).0,
            json!({"type": "array", "items": {}})
        );
        assert_eq!(
            thirty(&json!({"type": ["array", "null"]})).0,
            json!({"type": "array", "items": {}, "nullable": true})
        );
    }

    #[test]
    fn refs_and_discriminator_mappings_are_renamed() {
        let renames = renames(&[("Page_Item", "PageItem"), ("my_mod.Cat", "myModCat")]);
        let schema = json!({
            "properties": {
                "page": {"$ref": "#/components/schemas/Page_Item"},
                "list": {"type": "array", "items": {"oneOf": [{"$ref": "#/components/schemas/Page_Item"}, {"type": "null"}]}},
                "kept": {"$ref": "#/components/schemas/Unknown_Name"},
                "external": {"$ref": "other.json#/Page_Item"}
            },
            "oneOf": [{"$ref": "#/components/schemas/my_mod.Cat"}],
            "discriminator": {
                "propertyName": "kind",
                "mapping": {"cat": "#/components/schemas/my_mod.Cat", "page": "Page_Item", "other": "Other"}
            }
        });
        let expected = json!({
            "properties": {
                "page": {"$ref": "#/components/schemas/PageItem"},
                "list": {"type": "array", "items": {"allOf": [{"$ref": "#/components/schemas/PageItem"}], "nullable": true}},
                "kept": {"$ref": "#/components/schemas/Unknown_Name"},
                "external": {"$ref": "other.json#/Page_Item"}
            },
            "oneOf": [{"$ref": "#/components/schemas/myModCat"}],
            "discriminator": {
                "propertyName": "kind",
                "mapping": {"cat": "#/components/schemas/myModCat", "page": "PageItem", "other": "Other"}
            }
        });
        assert_eq!(
            convert(&schema, Dialect::OpenApi30, &renames),
            (expected, vec![])
        );
        let (out, _) = convert(&schema, Dialect::ApiGateway, &renames);
        assert_eq!(
            out["oneOf"],
            json!([{"$ref": "#/components/schemas/myModCat"}])
        );
        assert_eq!(
            out["properties"]["list"]["items"],
            json!({"$ref": "#/components/schemas/PageItem"})
        );
    }

    #[test]
    fn non_schemas_become_empty_schemas_with_a_warning() {
        assert_eq!(thirty(&json!(5)), (json!({}), vec![dropped_at("", "")]));
        let schema =
            json!({"properties": {"a": 1, "b": {"items": "x"}}, "allOf": {}, "type": 7, "$ref": 3});
        let (out, dropped) = thirty(&schema);
        assert_eq!(out, json!({"properties": {"a": {}, "b": {"items": {}}}}));
        let expected = [
            dropped_at("", "type"),
            dropped_at("", "$ref"),
            dropped_at("", "allOf"),
            dropped_at("/properties/a", "properties"),
            dropped_at("/properties/b/items", "items"),
        ];
        assert_eq!(dropped, expected);
        let (out, dropped) =
            thirty(&json!({"type": ["strin", "string"], "required": [], "enum": []}));
        assert_eq!(out, json!({"type": "string", "not": {}}));
        assert_eq!(dropped, [dropped_at("", "type")]);
    }

    #[test]
    fn malformed_values_are_dropped_or_cleaned() {
        let schema = json!({
            "required": ["a", 1, "a", "b"],
            "maxItems": "3",
            "minLength": -1,
            "multipleOf": 0,
            "uniqueItems": "yes",
            "pattern": 5,
            "title": 5,
            "readOnly": "no",
            "xml": {"name": "n", "wrapped": "yes", "extra": 1, "x-ok": 1},
            "externalDocs": {"description": "no url"},
            "discriminator": {"mapping": {}},
            "x-anything": [1, {"type": ["string"]}]
        });
        let (out, dropped) = thirty(&schema);
        let expected = json!({
            "required": ["a", "b"],
            "xml": {"name": "n", "x-ok": 1},
            "x-anything": [1, {"type": ["string"]}]
        });
        assert_eq!(out, expected);
        let keywords: Vec<&str> = dropped.iter().map(|d| d.keyword.as_str()).collect();
        assert_eq!(
            keywords,
            [
                "maxItems",
                "minLength",
                "multipleOf",
                "pattern",
                "required",
                "uniqueItems"
            ]
        );
        let docs = json!({"externalDocs": {"url": "https://example.com", "title": "t"}, "discriminator": {"propertyName": "k", "mapping": 1}});
        let expected = json!({"externalDocs": {"url": "https://example.com"}, "discriminator": {"propertyName": "k"}});
        assert_eq!(thirty(&docs), (expected, vec![]));
    }

    #[test]
    fn empty_combinators_become_their_meaning() {
        assert_eq!(
            thirty(&json!({"allOf": [], "type": "string"})),
            (json!({"type": "string"}), vec![])
        );
        assert_eq!(thirty(&json!({"anyOf": []})), (json!({"not": {}}), vec![]));
        let (out, _) = thirty(&json!({"oneOf": [], "not": {"type": "string"}}));
        assert_eq!(
            out,
            json!({"not": {"type": "string"}, "allOf": [{"not": {}}]})
        );
    }

    #[test]
    fn very_deep_input_is_cut_off_instead_of_overflowing() {
        let mut schema = json!({"type": "string"});
        for _ in 0..1000 {
            schema = json!({ "not": schema });
        }
        let (_, dropped) = thirty(&schema);
        assert_eq!(dropped.len(), 1);
        assert_eq!(dropped[0].keyword, "not");
        assert_eq!(dropped[0].pointer, "/not".repeat(128));
        // Dropping a deeply nested Value recurses too, so unwind it by hand.
        let mut rest = Some(schema);
        while let Some(Value::Object(mut m)) = rest {
            rest = m.remove("not");
        }
    }

    #[test]
    fn openapi30_input_converts_to_itself() {
        for schema in [
            utoipa_user(),
            utoipa_thing(),
            utoipa_tuples(),
            utoipa_shape(),
            utoipa_pet(),
            utoipa_page(),
        ] {
            let (once, _) = thirty(&schema);
            assert_eq!(thirty(&once), (once.clone(), vec![]));
        }
    }

    // ---- API Gateway ----

    #[test]
    fn utoipa_user_converts_for_api_gateway() {
        let (out, dropped) = gateway(&utoipa_user());
        let expected = json!({
            "description": "A user.",
            "properties": {
                "age": {"minimum": 0, "type": "integer"},
                "bin": {"format": "binary", "type": "string"},
                "color": {"$ref": "#/components/schemas/Color"},
                "id": {"description": "The id.", "minimum": 0, "type": "integer"},
                "inner": {"$ref": "#/components/schemas/Inner"},
                "inner_doc": {"$ref": "#/components/schemas/Inner"},
                "inners": {"items": {"$ref": "#/components/schemas/Inner"}, "type": "array"},
                "label": {"type": "string"},
                "many": {"type": "string"},
                "map": {"additionalProperties": {"minimum": 0, "type": "integer"}, "type": "object"},
                "nickname": {"type": "string"},
                "old": {"type": "boolean"},
                "ratio": {"minimum": 0.5, "type": "number"},
                "score": {"maximum": 100, "minimum": 1, "type": "integer"},
                "shape": {"$ref": "#/components/schemas/Shape"},
                "tags": {"items": {"type": "string"}, "type": "array"}
            },
            // `label` is `readOnly`, so requests need not send it.
            "required": ["id", "inner_doc", "tags", "inners", "score", "ratio", "map", "bin", "many", "color"],
            "type": "object"
        });
        assert_eq!(out, expected);
        let expected_dropped = [
            dropped_at("/properties/age", "nullable"),
            dropped_at("/properties/inner", "nullable"),
            dropped_at("/properties/nickname", "nullable"),
            dropped_at("/properties/old", "nullable"),
            dropped_at("/properties/ratio", "exclusiveMinimum"),
            dropped_at("/properties/score", "exclusiveMaximum"),
            dropped_at("/properties/shape", "nullable"),
        ];
        assert_eq!(dropped, expected_dropped);
    }

    #[test]
    fn utoipa_generic_page_converts_for_api_gateway() {
        let (out, dropped) = gateway(&utoipa_page());
        let expected = json!({
            "properties": {
                "items": {"items": {"properties": {"id": {"minimum": 0, "type": "integer"}}, "required": ["id"], "type": "object"}, "type": "array"},
                "next": {"type": "string"},
                "total": {"minimum": 0, "type": "integer"}
            },
            "required": ["items", "total"],
            "type": "object"
        });
        assert_eq!(out, expected);
        assert_eq!(dropped, [dropped_at("/properties/next", "nullable")]);
    }

    #[test]
    fn gateway_strips_annotations_models_reject() {
        let schema = json!({
            "type": "object",
            "title": "T",
            "description": "D",
            "example": {},
            "examples": [{}],
            "discriminator": {"propertyName": "kind"},
            "readOnly": true,
            "writeOnly": false,
            "deprecated": true,
            "default": {},
            "xml": {"name": "t"},
            "externalDocs": {"url": "https://example.com"},
            "x-internal": true
        });
        assert_eq!(
            gateway(&schema),
            (
                json!({"type": "object", "title": "T", "description": "D"}),
                vec![]
            )
        );
    }

    #[test]
    fn gateway_keeps_one_of() {
        let (out, dropped) = gateway(&utoipa_shape());
        let expected = json!({"oneOf": [
            {
                "properties": {"kind": {"enum": ["Circle"], "type": "string"}, "r": {"type": "number"}},
                "required": ["r", "kind"],
                "type": "object"
            },
            {
                "properties": {"kind": {"enum": ["Square"], "type": "string"}, "side": {"type": "number"}},
                "required": ["side", "kind"],
                "type": "object"
            }
        ]});
        assert_eq!((out, dropped), (expected, vec![]));
        let pet = json!({"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]});
        assert_eq!(gateway(&utoipa_pet()), (pet, vec![]));
    }

    #[test]
    fn gateway_drops_nullable_and_says_so() {
        let (out, dropped) = gateway(&utoipa_thing());
        assert_eq!(
            out["properties"]["maybe"],
            json!({"$ref": "#/components/schemas/Inner"})
        );
        assert_eq!(
            out["properties"]["list"],
            json!({"items": {"type": "string"}, "type": "array"})
        );
        assert_eq!(
            out["properties"]["opt_items"]["items"],
            json!({"$ref": "#/components/schemas/Inner"})
        );
        let pointers: Vec<&str> = dropped.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/properties/color",
                "/properties/inl",
                "/properties/list",
                "/properties/maybe",
                "/properties/opt_items/items"
            ]
        );
        assert!(dropped.iter().all(|d| d.keyword == "nullable"));
        // Several types keep their branches, minus null.
        let (out, dropped) = gateway(&json!({"type": ["string", "integer", "null"]}));
        assert_eq!(
            out,
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
        );
        assert_eq!(dropped, [dropped_at("", "nullable")]);
        // Without a `type`, draft 4 lets null through anyway.
        assert_eq!(
            gateway(&json!({"enum": ["a", null]})),
            (json!({"enum": ["a", null]}), vec![])
        );
    }

    #[test]
    fn gateway_turns_exclusive_bounds_into_inclusive_ones() {
        let (out, dropped) =
            gateway(&json!({"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10}));
        assert_eq!(out, json!({"type": "integer", "minimum": 0, "maximum": 10}));
        assert_eq!(
            dropped,
            [
                dropped_at("", "exclusiveMinimum"),
                dropped_at("", "exclusiveMaximum")
            ]
        );
        // A stricter inclusive bound makes the exclusive one redundant: nothing is lost.
        let schema = json!({"type": "integer", "minimum": 3, "exclusiveMinimum": 0});
        assert_eq!(
            gateway(&schema),
            (json!({"type": "integer", "minimum": 3}), vec![])
        );
        let schema = json!({"minimum": 3, "exclusiveMinimum": true});
        assert_eq!(
            gateway(&schema),
            (
                json!({"minimum": 3}),
                vec![dropped_at("", "exclusiveMinimum")]
            )
        );
    }

    #[test]
    fn gateway_drops_numeric_formats_only() {
        let schema = json!({"properties": {
            "i": {"type": "integer", "format": "int64"},
            "n": {"type": "number", "format": "decimal"},
            "untyped": {"format": "int32"},
            "custom": {"type": "integer", "format": "my-id"},
            "date": {"type": "string", "format": "date-time"},
            "nullable": {"type": ["number", "null"], "format": "double"}
        }});
        let expected = json!({"properties": {
            "i": {"type": "integer"},
            "n": {"type": "number"},
            "untyped": {},
            "custom": {"type": "integer"},
            "date": {"type": "string", "format": "date-time"},
            "nullable": {"type": "number"}
        }});
        assert_eq!(gateway(&schema).0, expected);
    }

    #[test]
    fn gateway_does_not_require_read_only_properties() {
        // utoipa 6 puts `#[schema(read_only)]` fields in `required` like any other.
        let schema = json!({
            "properties": {
                "id": {"type": "integer", "readOnly": true},
                "owner": {"$ref": "#/components/schemas/Inner", "readOnly": true},
                "name": {"type": "string"}
            },
            "required": ["id", "owner", "name"],
            "type": "object"
        });
        let (out, dropped) = gateway(&schema);
        assert_eq!(out["required"], json!(["name"]));
        assert_eq!(
            out["properties"]["owner"],
            json!({"$ref": "#/components/schemas/Inner"})
        );
        assert_eq!(dropped, []);
        assert_eq!(
            thirty(&schema).0["required"],
            json!(["id", "owner", "name"])
        );
        let all_read_only = json!({"properties": {"id": {"readOnly": true}}, "required": ["id"]});
        assert_eq!(gateway(&all_read_only).0, json!({"properties": {"id": {}}}));
    }

    #[test]
    fn gateway_ref_siblings_are_dropped_unless_they_validate() {
        let schema = json!({"$ref": "#/components/schemas/Inner", "description": "d", "title": "t", "default": 1});
        assert_eq!(
            gateway(&schema),
            (json!({"$ref": "#/components/schemas/Inner"}), vec![])
        );
        let schema = json!({"$ref": "#/components/schemas/Inner", "required": ["id"]});
        let expected =
            json!({"allOf": [{"$ref": "#/components/schemas/Inner"}], "required": ["id"]});
        assert_eq!(gateway(&schema), (expected, vec![]));
    }

    // ---- properties ----

    /// Schema names the generated refs point at: two renamed, one kept, one unknown.
    const REF_NAMES: [&str; 4] = ["Page_Item", "my_mod.User", "Plain", "Unknown"];

    fn test_renames() -> BTreeMap<String, String> {
        renames(&[
            ("Page_Item", "PageItem"),
            ("my_mod.User", "myModUser"),
            ("Plain", "Plain"),
        ])
    }

    /// Keywords the generator picks from: every rule's trigger, plus noise.
    const KEYWORDS: [&str; 40] = [
        "$ref",
        "additionalItems",
        "additionalProperties",
        "allOf",
        "anyOf",
        "const",
        "contentEncoding",
        "contentMediaType",
        "default",
        "deprecated",
        "description",
        "discriminator",
        "enum",
        "example",
        "examples",
        "exclusiveMaximum",
        "exclusiveMinimum",
        "format",
        "if",
        "items",
        "maxItems",
        "maximum",
        "minimum",
        "not",
        "nullable",
        "oneOf",
        "patternProperties",
        "prefixItems",
        "properties",
        "propertyNames",
        "readOnly",
        "required",
        "title",
        "type",
        "$defs",
        "x-ext",
        "unevaluatedProperties",
        "summary",
        "mapping",
        "propertyName",
    ];

    fn leaf() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            (-1e6f64..1e6).prop_map(|f| json!(f)),
            "[a-z_.:/~-]{0,5}".prop_map(Value::String),
            prop::sample::select(
                &[
                    "string", "integer", "number", "null", "array", "object", "boolean", "base64"
                ][..]
            )
            .prop_map(|t| json!(t)),
            prop::sample::select(&REF_NAMES[..])
                .prop_map(|n| json!(format!("#/components/schemas/{n}"))),
            prop::sample::select(&REF_NAMES[..]).prop_map(|n| json!(n)),
        ]
    }

    /// Trees shaped like schemas, so the interesting rules actually fire.
    fn schema_like() -> impl Strategy<Value = Value> {
        leaf().prop_recursive(6, 96, 6, |inner| {
            let keyword = prop::sample::select(&KEYWORDS[..]).prop_map(str::to_owned);
            let reference = prop::sample::select(&REF_NAMES[..])
                .prop_map(|n| json!(format!("#/components/schemas/{n}")));
            prop_oneof![
                1 => prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                4 => prop::collection::btree_map(keyword.clone(), inner.clone(), 0..7)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
                1 => prop::collection::vec(
                    prop::sample::select(&["string", "integer", "null", "array", "object"][..]),
                    1..4
                )
                .prop_map(|types| json!({"type": types})),
                2 => (inner.clone(), any::<bool>()).prop_map(|(x, first)| {
                    if first {
                        json!({"oneOf": [x, {"type": "null"}]})
                    } else {
                        json!({"anyOf": [{"type": "null"}, x]})
                    }
                }),
                2 => (reference, prop::collection::btree_map(keyword, inner.clone(), 0..2))
                    .prop_map(|(target, mut siblings)| {
                        siblings.insert("$ref".to_owned(), target);
                        Value::Object(siblings.into_iter().collect())
                    }),
                2 => prop::collection::btree_map("[a-z~/]{1,3}", inner, 0..3)
                    .prop_map(|m| json!({"properties": m})),
            ]
        })
    }

    /// Any JSON at all, keys included.
    fn any_json() -> impl Strategy<Value = Value> {
        leaf().prop_recursive(5, 64, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map(".{0,8}", inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// Every keyword an OpenAPI 3.0 schema object may hold (besides `x-` extensions).
    const ALLOWED_30: [&str; 35] = [
        "$ref",
        "additionalProperties",
        "allOf",
        "anyOf",
        "default",
        "deprecated",
        "description",
        "discriminator",
        "enum",
        "example",
        "exclusiveMaximum",
        "exclusiveMinimum",
        "externalDocs",
        "format",
        "items",
        "maxItems",
        "maxLength",
        "maxProperties",
        "maximum",
        "minItems",
        "minLength",
        "minProperties",
        "minimum",
        "multipleOf",
        "not",
        "nullable",
        "oneOf",
        "pattern",
        "properties",
        "readOnly",
        "required",
        "title",
        "type",
        "uniqueItems",
        "writeOnly",
    ];

    /// What the gateway dialect additionally keeps out of models.
    const GATEWAY_FORBIDDEN: [&str; 10] = [
        "default",
        "deprecated",
        "discriminator",
        "example",
        "exclusiveMaximum",
        "exclusiveMinimum",
        "externalDocs",
        "nullable",
        "readOnly",
        "writeOnly",
    ];

    /// Collects every way `schema` (an output) breaks the dialect's invariants.
    fn violations(schema: &Value, dialect: Dialect, pointer: &str, out: &mut Vec<String>) {
        let Value::Object(m) = schema else {
            out.push(format!("{pointer}: not a schema object"));
            return;
        };
        for key in m.keys() {
            let allowed = ALLOWED_30.contains(&key.as_str()) || key.starts_with("x-");
            let gateway_ok = !GATEWAY_FORBIDDEN.contains(&key.as_str()) && !key.starts_with("x-");
            if !allowed || (dialect == Dialect::ApiGateway && !gateway_ok) {
                out.push(format!("{pointer}: keyword {key}"));
            }
        }
        if let Some(t) = m.get("type") {
            if !t.as_str().is_some_and(|t| super::TYPES_30.contains(&t)) {
                out.push(format!("{pointer}: type {t}"));
            }
            if t == "array" && !m.contains_key("items") {
                out.push(format!("{pointer}: array without items"));
            }
            if dialect == Dialect::ApiGateway
                && (t == "integer" || t == "number")
                && m.contains_key("format")
            {
                out.push(format!("{pointer}: numeric format"));
            }
        }
        for (exclusive, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if let Some(flag) = m.get(exclusive)
                && (!flag.is_boolean() || !m.get(bound).is_some_and(Value::is_number))
            {
                out.push(format!("{pointer}: {exclusive} {flag}"));
            }
        }
        for (key, value) in m {
            if super::well_formed(key, value).as_ref() != Some(value) {
                out.push(format!("{pointer}: malformed {key} {value}"));
            }
        }
        if let Some(Value::Array(names)) = m.get("required")
            && names
                .iter()
                .enumerate()
                .any(|(i, name)| !name.is_string() || names[..i].contains(name))
        {
            out.push(format!("{pointer}: required {names:?}"));
        }
        for key in ["enum", "required"] {
            if m.get(key)
                .is_some_and(|v| v.as_array().is_none_or(Vec::is_empty))
            {
                out.push(format!("{pointer}: {key} must be a non-empty array"));
            }
        }
        if let Some(target) = m.get("$ref") {
            if m.len() > 1 {
                out.push(format!("{pointer}: $ref with siblings"));
            }
            match target
                .as_str()
                .and_then(|t| t.strip_prefix(super::SCHEMA_REF_PREFIX))
            {
                Some("Page_Item" | "my_mod.User") => {
                    out.push(format!("{pointer}: $ref {target} not renamed"));
                }
                Some(_) => {}
                None => {
                    if !target.is_string() {
                        out.push(format!("{pointer}: $ref {target}"));
                    }
                }
            }
        }
        if let Some(Value::Object(mapping)) = m.get("discriminator").and_then(|d| d.get("mapping"))
        {
            for target in mapping.values() {
                if target == "Page_Item" || target == "#/components/schemas/Page_Item" {
                    out.push(format!("{pointer}: mapping {target} not renamed"));
                }
            }
        }
        if let Some(properties) = m.get("properties") {
            match properties {
                Value::Object(properties) => {
                    for (name, schema) in properties {
                        violations(
                            schema,
                            dialect,
                            &format!("{pointer}/properties/{name}"),
                            out,
                        );
                    }
                }
                _ => out.push(format!("{pointer}: properties")),
            }
        }
        match m.get("additionalProperties") {
            None | Some(Value::Bool(_)) => {}
            Some(schema) => violations(
                schema,
                dialect,
                &format!("{pointer}/additionalProperties"),
                out,
            ),
        }
        for key in ["items", "not"] {
            if let Some(schema) = m.get(key) {
                violations(schema, dialect, &format!("{pointer}/{key}"), out);
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            match m.get(key) {
                None => {}
                Some(Value::Array(members)) => {
                    if members.is_empty() {
                        out.push(format!("{pointer}: empty {key}"));
                    }
                    for (i, schema) in members.iter().enumerate() {
                        violations(schema, dialect, &format!("{pointer}/{key}/{i}"), out);
                    }
                }
                Some(other) => out.push(format!("{pointer}: {key} {other}")),
            }
        }
    }

    /// Removes repeated `anyOf` members and unwraps `{anyOf: [X]}` (neither changes meaning):
    /// unions the converter builds itself are simplified as they are built, so members that
    /// only become equal in the second step stay apart.
    fn dedupe_any_of(value: Value) -> Value {
        match value {
            Value::Object(m) => {
                let m: serde_json::Map<String, Value> = m
                    .into_iter()
                    .map(|(k, v)| {
                        let v = match (k.as_str(), dedupe_any_of(v)) {
                            ("anyOf", Value::Array(members)) => {
                                let mut unique = Vec::new();
                                for member in members {
                                    if !unique.contains(&member) {
                                        unique.push(member);
                                    }
                                }
                                Value::Array(unique)
                            }
                            (_, v) => v,
                        };
                        (k, v)
                    })
                    .collect();
                match m.get("anyOf").and_then(Value::as_array).map(Vec::as_slice) {
                    Some([only]) if m.len() == 1 => only.clone(),
                    _ => Value::Object(m),
                }
            }
            Value::Array(items) => Value::Array(items.into_iter().map(dedupe_any_of).collect()),
            other => other,
        }
    }

    fn check_both_dialects(input: &Value) -> Result<(), TestCaseError> {
        let renames = test_renames();
        for dialect in [Dialect::OpenApi30, Dialect::ApiGateway] {
            let (out, _) = convert(input, dialect, &renames);
            let mut found = Vec::new();
            violations(&out, dialect, "", &mut found);
            prop_assert!(
                found.is_empty(),
                "{dialect:?}: {found:?}\nin: {input}\nout: {out}"
            );
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn schema_like_trees_convert_into_valid_dialects(input in schema_like()) {
            check_both_dialects(&input)?;
        }

        #[test]
        fn any_json_converts_into_valid_dialects(input in any_json()) {
            check_both_dialects(&input)?;
        }

        #[test]
        fn openapi30_output_is_a_fixed_point(input in schema_like()) {
            let (once, _) = convert(&input, Dialect::OpenApi30, &test_renames());
            let (twice, dropped) = convert(&once, Dialect::OpenApi30, &BTreeMap::new());
            prop_assert_eq!(&twice, &once);
            prop_assert!(dropped.is_empty(), "{:?}", dropped);
        }

        #[test]
        fn gateway_output_is_openapi30_output_stripped(input in schema_like()) {
            let renames = test_renames();
            let (direct, _) = convert(&input, Dialect::ApiGateway, &renames);
            let (thirty, _) = convert(&input, Dialect::OpenApi30, &renames);
            let (via_thirty, _) = convert(&thirty, Dialect::ApiGateway, &BTreeMap::new());
            prop_assert_eq!(dedupe_any_of(direct), dedupe_any_of(via_thirty));
        }

        #[test]
        fn model_names_are_alphanumeric_and_unique(names in prop::collection::vec(".{0,12}", 0..12)) {
            match model_names(names.iter().map(String::as_str)) {
                Ok(map) => {
                    let targets: std::collections::BTreeSet<&String> = map.values().collect();
                    prop_assert_eq!(targets.len(), map.len());
                    for (name, target) in &map {
                        prop_assert!(names.contains(name));
                        prop_assert!(!target.is_empty() && target.chars().all(|c| c.is_ascii_alphanumeric()));
                        prop_assert!(!target.starts_with(|c: char| c.is_ascii_digit()));
                    }
                }
                Err(clashes) => {
                    prop_assert!(!clashes.is_empty());
                    for clash in clashes {
                        prop_assert!(clash.names.len() > 1);
                        prop_assert!(clash.names.windows(2).all(|w| w[0] < w[1]));
                    }
                }
            }
        }
    }
}
