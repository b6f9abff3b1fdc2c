//! DynamoDB `PutItem`, `GetItem`, `Query`, `UpdateItem` and `DeleteItem`, declared from a
//! key schema and a field mapping.

use serde::{Deserialize, Serialize};
use std::time::Duration;

use super::vtl::{self, Members, Source};
use super::{AwsService, Integration, IntegrationOptions, IntegrationResponse, shared_knobs};
use crate::resolved::{ServiceAction, ServiceResource};
use crate::value_kind::Knob;
use crate::{Method, TemplateValue};

/// A DynamoDB attribute type the builders write and read.
///
/// ```
/// use axum_aws::integration::{AttributeType, Field};
///
/// assert_eq!(Field::new("price", AttributeType::N), Field::n("price"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AttributeType {
    /// String (`S`).
    S,
    /// Number (`N`); written as JSON numbers in answers.
    N,
    /// Boolean (`BOOL`); a request value counts as true only when it is `true`.
    Bool,
}

/// One attribute: its DynamoDB name and type, its name in request and answer JSON, and
/// where a request's value comes from (default: the body field of the same name).
///
/// ```
/// use axum_aws::integration::{Field, Source};
///
/// let id = Field::s("pk").json_name("id").from(Source::path("id"));
/// let price = Field::n("price");               // body `$.price` <-> attribute `price`
/// let shipped = Field::bool("is_shipped").json_name("shipped");
/// # let _ = (id, price, shipped);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[must_use]
pub struct Field {
    attribute: String,
    kind: AttributeType,
    json: String,
    source: Option<Source>,
}

impl Field {
    /// An attribute of `kind`.
    pub fn new(attribute: impl Into<String>, kind: AttributeType) -> Self {
        let attribute = attribute.into();
        Self {
            json: attribute.clone(),
            attribute,
            kind,
            source: None,
        }
    }

    /// A string attribute.
    pub fn s(attribute: impl Into<String>) -> Self {
        Self::new(attribute, AttributeType::S)
    }

    /// A number attribute.
    pub fn n(attribute: impl Into<String>) -> Self {
        Self::new(attribute, AttributeType::N)
    }

    /// A boolean attribute.
    pub fn bool(attribute: impl Into<String>) -> Self {
        Self::new(attribute, AttributeType::Bool)
    }

    /// Its name in request bodies and answers (default: the attribute name).
    pub fn json_name(mut self, name: impl Into<String>) -> Self {
        self.json = name.into();
        self
    }

    /// Where a request's value comes from (default: `Source::body("$.<json name>")`).
    pub fn from(mut self, source: Source) -> Self {
        self.source = Some(source);
        self
    }

    fn source(&self) -> Source {
        self.source.clone().unwrap_or_else(|| {
            let simple = self
                .json
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_');
            if simple {
                Source::Body(format!("$.{}", self.json))
            } else {
                Source::Body(format!("$[\"{}\"]", self.json.replace('"', "\\\"")))
            }
        })
    }

    /// `{"S": "…"}` for the value held in `$var`.
    fn typed_value(&self, var: &str) -> String {
        match self.kind {
            AttributeType::S => format!("{{\"S\": \"{}\"}}", vtl::json_escaped(var)),
            AttributeType::N => format!("{{\"N\": \"{}\"}}", vtl::json_escaped(var)),
            AttributeType::Bool => {
                format!("{{\"BOOL\": #if(${var} == \"true\")true#{{else}}false#end}}")
            }
        }
    }

    /// `"json": value` read from the typed attribute map `$item`, for answers.
    fn plain_member(&self, item: &str, var: &str) -> (String, String) {
        let get = format!("{item}.get('{}')", single(&self.attribute));
        let key = vtl::json_text(&self.json);
        let (tag, value) = match self.kind {
            AttributeType::S => ("S", format!("\"{}\"", vtl::json_escaped(var))),
            // DynamoDB validated it as a number: written as is.
            AttributeType::N => ("N", format!("${var}")),
            AttributeType::Bool => (
                "BOOL",
                format!("#if(${var} == \"true\")true#{{else}}false#end"),
            ),
        };
        let set = format!("#set(${var} = \"$!{get}.get('{tag}')\")\n");
        (set, format!("\"{key}\": {value}"))
    }
}

/// How a [`query`](Table::query) narrows the sort key.
///
/// ```
/// use axum_aws::integration::{KeyCondition, Source};
///
/// let recent = KeyCondition::between(Source::query("from"), Source::query("to"));
/// let prefixed = KeyCondition::begins_with(Source::query("prefix"));
/// # let _ = (recent, prefixed);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum KeyCondition {
    /// `sk = :v`
    Equals(Source),
    /// `begins_with(sk, :v)`
    BeginsWith(Source),
    /// `sk BETWEEN :a AND :b`
    Between(Source, Source),
}

impl KeyCondition {
    /// The sort key equals the value.
    pub fn equals(value: Source) -> Self {
        Self::Equals(value)
    }

    /// The sort key begins with the value.
    pub fn begins_with(value: Source) -> Self {
        Self::BeginsWith(value)
    }

    /// The sort key lies between the two values (inclusive).
    pub fn between(low: Source, high: Source) -> Self {
        Self::Between(low, high)
    }
}

/// A table: region, name, key schema and the fields routes read and write.
///
/// Each action builder reads its key from the key fields' sources and writes/answers
/// the fields with their JSON names. Attribute names never appear in expressions
/// (`#k0`, `:v0` placeholders are used), so reserved words such as `name` are fine.
///
/// ```
/// use std::time::Duration;
/// use axum_aws::integration::{Field, Source, Table};
/// use axum_aws::routing::{delete, get, patch, put};
/// use axum_aws::{AwsRouter, Info};
///
/// let todos = Table::new("${region}", "${todos_table}", Field::s("id").from(Source::path("id")))
///     .field(Field::s("title"))
///     .field(Field::n("priority"))
///     .field(Field::bool("done"))
///     .ttl("expires_at", Duration::from_secs(30 * 24 * 3600));
///
/// let router: AwsRouter = AwsRouter::new()
///     .route("/todos/{id}", put(|| async { "" }).integration(todos.put_item()))
///     .route("/todos/{id}", get(|| async { "" }).integration(todos.get_item()))
///     .route("/todos/{id}", patch(|| async { "" }).integration(todos.update_item()))
///     .route("/todos/{id}", delete(|| async { "" }).integration(todos.delete_item()))
///     .default_credentials("${apigw_dynamodb_role_arn}");
/// let private = router.spec(Info::new("todos", "1")).render_private()?.to_json();
/// assert!(private.contains("arn:aws:apigateway:${region}:dynamodb:action/GetItem"));
/// assert!(private.contains("\"404\""));
/// # Ok::<(), axum_aws::SpecErrors>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub struct Table {
    region: TemplateValue,
    name: TemplateValue,
    partition_key: Field,
    sort_key: Option<Field>,
    fields: Vec<Field>,
    ttl: Option<(String, u64)>,
}

impl Table {
    /// The table `name` in `region`, with its partition key.
    pub fn new(
        region: impl Into<TemplateValue>,
        name: impl Into<TemplateValue>,
        partition_key: Field,
    ) -> Self {
        Self {
            region: region.into(),
            name: name.into(),
            partition_key,
            sort_key: None,
            fields: Vec::new(),
            ttl: None,
        }
    }

    /// The sort key.
    ///
    /// ```
    /// use axum_aws::integration::{Field, Source, Table};
    ///
    /// let events = Table::new("${region}", "${events_table}", Field::s("device").from(Source::path("device")))
    ///     .sort_key(Field::n("at").from(Source::context("requestTimeEpoch")));
    /// # let _ = events;
    /// ```
    pub fn sort_key(mut self, key: Field) -> Self {
        self.sort_key = Some(key);
        self
    }

    /// A non-key field; left out of writes when the request has no value for it, and
    /// out of answers when the item has none.
    ///
    /// ```
    /// use axum_aws::integration::{Field, Table};
    ///
    /// let users = Table::new("${region}", "${users_table}", Field::s("id")).field(Field::s("email"));
    /// # let _ = users;
    /// ```
    pub fn field(mut self, field: Field) -> Self {
        self.fields.push(field);
        self
    }

    /// Writes (put and update) set `attribute` to the request time plus `after`, in epoch
    /// seconds: enable TTL on that attribute and DynamoDB deletes the item then.
    ///
    /// ```
    /// use std::time::Duration;
    /// use axum_aws::integration::{Field, Table};
    ///
    /// let sessions = Table::new("${region}", "${sessions_table}", Field::s("token"))
    ///     .ttl("expires_at", Duration::from_secs(3600));
    /// # let _ = sessions;
    /// ```
    pub fn ttl(mut self, attribute: impl Into<String>, after: Duration) -> Self {
        self.ttl = Some((attribute.into(), after.as_secs()));
        self
    }

    fn action(&self, action: DynamoDbAction) -> DynamoDb {
        DynamoDb {
            table: self.clone(),
            action,
            key_condition: None,
            index: None,
            options: IntegrationOptions::default(),
        }
    }

    /// `PutItem` of the keys and fields (and TTL); answers 200 with the keys whose
    /// values do not come from the body (`{}` when all do).
    pub fn put_item(&self) -> DynamoDb {
        self.action(DynamoDbAction::PutItem)
    }

    /// `GetItem` by key; answers 200 with the item as plain JSON, 404 when there is none.
    pub fn get_item(&self) -> DynamoDb {
        self.action(DynamoDbAction::GetItem)
    }

    /// `Query` by partition key (and [`sort_condition`](DynamoDb::sort_condition));
    /// answers 200 `{"items": [...], "count": n}`.
    pub fn query(&self) -> DynamoDb {
        self.action(DynamoDbAction::Query)
    }

    /// `UpdateItem` setting the fields present in the request (and TTL) on an existing
    /// item; answers 200 with the updated item, 404 when there is no such item.
    pub fn update_item(&self) -> DynamoDb {
        self.action(DynamoDbAction::UpdateItem)
    }

    /// `DeleteItem` by key; answers 204, or 404 when there was no such item.
    pub fn delete_item(&self) -> DynamoDb {
        self.action(DynamoDbAction::DeleteItem)
    }

    fn keys(&self) -> impl Iterator<Item = &Field> {
        std::iter::once(&self.partition_key).chain(&self.sort_key)
    }

    fn all_fields(&self) -> impl Iterator<Item = &Field> {
        self.keys().chain(&self.fields)
    }
}

/// The DynamoDB action of a [`DynamoDb`] integration.
///
/// ```
/// use axum_aws::integration::{DynamoDbAction, Field, Table};
///
/// let get = Table::new("${region}", "t", Field::s("id")).get_item();
/// assert_eq!(get.action(), DynamoDbAction::GetItem);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DynamoDbAction {
    /// `PutItem`
    PutItem,
    /// `GetItem`
    GetItem,
    /// `Query`
    Query,
    /// `UpdateItem`
    UpdateItem,
    /// `DeleteItem`
    DeleteItem,
}

impl DynamoDbAction {
    fn name(self) -> &'static str {
        match self {
            Self::PutItem => "PutItem",
            Self::GetItem => "GetItem",
            Self::Query => "Query",
            Self::UpdateItem => "UpdateItem",
            Self::DeleteItem => "DeleteItem",
        }
    }
}

/// One DynamoDB action on a [`Table`] (made by [`Table::put_item`], …).
///
/// Request values are typed (`S`, `N`, `BOOL`) and escaped with
/// `$util.escapeJavaScript`; answers turn DynamoDB's typed JSON back into plain JSON.
/// Service errors map to 400 (4xx) and 500 (5xx) with `{"message"}`.
///
/// ```
/// use axum_aws::integration::{Field, KeyCondition, Source, Table};
///
/// let orders = Table::new("${region}", "${orders_table}", Field::s("customer").from(Source::path("customer")))
///     .sort_key(Field::s("order_id").json_name("orderId").from(Source::context("requestId")));
/// let list = orders
///     .query()
///     .sort_condition(KeyCondition::begins_with(Source::query("prefix")))
///     .credentials("${apigw_dynamodb_role_arn}");
/// # let _ = list;
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub struct DynamoDb {
    table: Table,
    action: DynamoDbAction,
    key_condition: Option<KeyCondition>,
    index: Option<String>,
    #[serde(default)]
    pub(super) options: IntegrationOptions,
}

impl DynamoDb {
    /// The action this integration calls.
    pub fn action(&self) -> DynamoDbAction {
        self.action
    }

    /// Narrows a query by sort key; left out when its value comes out empty.
    ///
    /// ```
    /// use axum_aws::integration::{Field, KeyCondition, Source, Table};
    ///
    /// let table = Table::new("${region}", "t", Field::s("pk").from(Source::path("pk"))).sort_key(Field::s("sk"));
    /// let query = table.query().sort_condition(KeyCondition::equals(Source::query("sk")));
    /// # let _ = query;
    /// ```
    pub fn sort_condition(mut self, condition: KeyCondition) -> Self {
        self.key_condition = Some(condition);
        self
    }

    /// Queries a secondary index instead of the table (its keys are the table's key fields).
    ///
    /// ```
    /// use axum_aws::integration::{Field, Source, Table};
    ///
    /// let by_email = Table::new("${region}", "${users_table}", Field::s("email").from(Source::query("email")))
    ///     .query()
    ///     .index("by-email");
    /// # let _ = by_email;
    /// ```
    pub fn index(mut self, name: impl Into<String>) -> Self {
        self.index = Some(name.into());
        self
    }

    /// Reads the key field `attribute` from `source` for this action only.
    ///
    /// ```
    /// use axum_aws::integration::{Field, Source, Table};
    ///
    /// let items = Table::new("${region}", "${items_table}", Field::s("id").from(Source::context("requestId")));
    /// let create = items.put_item();                                      // POST /items: a new id
    /// let read = items.get_item().key("id", Source::path("id"));          // GET /items/{id}
    /// # let _ = (create, read);
    /// ```
    ///
    /// # Panics
    /// When `attribute` is not the table's partition or sort key: a declaration
    /// mistake, reported where it is made (like axum's route panics).
    #[track_caller]
    pub fn key(mut self, attribute: &str, source: Source) -> Self {
        let table = &mut self.table;
        let mut keys = std::iter::once(&mut table.partition_key).chain(&mut table.sort_key);
        let Some(key) = keys.find(|key| key.attribute == attribute) else {
            let names: Vec<&str> = std::iter::once(&table.partition_key)
                .chain(&table.sort_key)
                .map(|key| key.attribute.as_str())
                .collect();
            panic!(
                "{attribute:?} is not a key of table {:?} (its keys: {names:?}); set other fields with `Field::from` in the table declaration",
                table.name.as_str()
            );
        };
        key.source = Some(source);
        self
    }

    fn table_members(&self, members: &mut Members) {
        members.push(
            None,
            format!(
                "\"TableName\": \"{}\"",
                vtl::json_text(self.table.name.as_str())
            ),
        );
    }

    /// `#set` lines capturing each field's request value as `$<prefix><i>`.
    fn captures<'a>(fields: impl Iterator<Item = &'a Field>, prefix: &str) -> String {
        fields
            .enumerate()
            .map(|(i, f)| f.source().set(&format!("{prefix}{i}")))
            .collect()
    }

    /// `{"attr": {"S": …}, …}` of the fields whose captured value is not empty.
    fn typed_map<'a>(fields: impl Iterator<Item = &'a Field>, prefix: &str, sep: &str) -> Members {
        let mut map = Members::new(sep);
        for (i, field) in fields.enumerate() {
            let var = format!("{prefix}{i}");
            map.push(
                Some(format!("${var} != \"\"")),
                format!(
                    "\"{}\": {}",
                    vtl::json_text(&field.attribute),
                    field.typed_value(&var)
                ),
            );
        }
        map
    }

    fn ttl_capture(&self) -> String {
        match &self.table.ttl {
            Some((_, seconds)) => {
                format!("#set($ttl = $context.requestTimeEpoch / 1000 + {seconds})\n")
            }
            None => String::new(),
        }
    }

    /// The action's success response; DynamoDB's errors as 400 and 500.
    pub(super) fn generated_responses(&self) -> Vec<IntegrationResponse> {
        vec![
            self.success(),
            self.client_error(),
            vtl::service_error("5\\d{2}", 500),
        ]
    }

    fn generated_template(&self) -> String {
        let table = &self.table;
        let mut top = Members::new("top");
        self.table_members(&mut top);
        let mut out = String::new();
        match self.action {
            DynamoDbAction::PutItem => {
                out.push_str(&Self::captures(table.all_fields(), "v"));
                out.push_str(&self.ttl_capture());
                let mut item = Self::typed_map(table.all_fields(), "v", "isep");
                if let Some((attribute, _)) = &table.ttl {
                    item.push(
                        None,
                        format!("\"{}\": {{\"N\": \"$ttl\"}}", vtl::json_text(attribute)),
                    );
                }
                top.push(None, format!("\"Item\": {}", item.finish()));
            }
            DynamoDbAction::GetItem | DynamoDbAction::DeleteItem => {
                out.push_str(&Self::captures(table.keys(), "k"));
                let key = Self::typed_map(table.keys(), "k", "ksep");
                top.push(None, format!("\"Key\": {}", key.finish()));
                if self.action == DynamoDbAction::DeleteItem {
                    top.push(None, "\"ReturnValues\": \"ALL_OLD\"".to_owned());
                }
            }
            DynamoDbAction::UpdateItem => {
                out.push_str(&Self::captures(table.keys(), "k"));
                out.push_str(&Self::captures(table.fields.iter(), "v"));
                out.push_str(&self.ttl_capture());
                let key = Self::typed_map(table.keys(), "k", "ksep");
                top.push(None, format!("\"Key\": {}", key.finish()));
                // `#` is written `\u0023` (JSON) so that VTL never reads `#n0` as a directive.
                let mut set = String::from("#set($usep = \"\")SET ");
                let mut names = Members::new("nsep");
                let mut values = Members::new("vsep");
                names.push(
                    None,
                    format!(
                        "\"\\u0023k\": \"{}\"",
                        vtl::json_text(&table.partition_key.attribute)
                    ),
                );
                for (i, field) in table.fields.iter().enumerate() {
                    let present = format!("$v{i} != \"\"");
                    set.push_str(&format!(
                        "#if({present})$usep\\u0023n{i} = :v{i}#set($usep = \", \")#end"
                    ));
                    names.push(
                        Some(present.clone()),
                        format!("\"\\u0023n{i}\": \"{}\"", vtl::json_text(&field.attribute)),
                    );
                    values.push(
                        Some(present),
                        format!("\":v{i}\": {}", field.typed_value(&format!("v{i}"))),
                    );
                }
                if let Some((attribute, _)) = &table.ttl {
                    set.push_str("$usep\\u0023ttl = :ttl");
                    names.push(
                        None,
                        format!("\"\\u0023ttl\": \"{}\"", vtl::json_text(attribute)),
                    );
                    values.push(None, "\":ttl\": {\"N\": \"$ttl\"}".to_owned());
                }
                top.push(None, format!("\"UpdateExpression\": \"{set}\""));
                top.push(
                    None,
                    "\"ConditionExpression\": \"attribute_exists(\\u0023k)\"".to_owned(),
                );
                top.push(
                    None,
                    format!("\"ExpressionAttributeNames\": {}", names.finish()),
                );
                top.push(
                    None,
                    format!("\"ExpressionAttributeValues\": {}", values.finish()),
                );
                top.push(None, "\"ReturnValues\": \"ALL_NEW\"".to_owned());
            }
            DynamoDbAction::Query => {
                let pk = &table.partition_key;
                out.push_str(&pk.source().set("pk"));
                let mut condition = String::from("\\u0023pk = :pk");
                let mut names = Members::new("nsep");
                let mut values = Members::new("vsep");
                names.push(
                    None,
                    format!("\"\\u0023pk\": \"{}\"", vtl::json_text(&pk.attribute)),
                );
                values.push(None, format!("\":pk\": {}", pk.typed_value("pk")));
                if let (Some(condition_kind), Some(sk)) = (&self.key_condition, &table.sort_key) {
                    let (sources, expression): (Vec<&Source>, &str) = match condition_kind {
                        KeyCondition::Equals(v) => (vec![v], "\\u0023sk = :sk0"),
                        KeyCondition::BeginsWith(v) => (vec![v], "begins_with(\\u0023sk, :sk0)"),
                        KeyCondition::Between(a, b) => {
                            (vec![a, b], "\\u0023sk BETWEEN :sk0 AND :sk1")
                        }
                    };
                    let mut present = Vec::new();
                    for (i, source) in sources.iter().enumerate() {
                        out.push_str(&source.set(&format!("sk{i}")));
                        present.push(format!("$sk{i} != \"\""));
                        values.push(
                            Some(present.join(" && ")),
                            format!("\":sk{i}\": {}", sk.typed_value(&format!("sk{i}"))),
                        );
                    }
                    let all = present.join(" && ");
                    condition.push_str(&format!("#if({all}) AND {expression}#end"));
                    // The value of a partly given BETWEEN is left out with the condition.
                    names.push(
                        Some(all),
                        format!("\"\\u0023sk\": \"{}\"", vtl::json_text(&sk.attribute)),
                    );
                }
                if let Some(index) = &self.index {
                    top.push(
                        None,
                        format!("\"IndexName\": \"{}\"", vtl::json_text(index)),
                    );
                }
                top.push(None, format!("\"KeyConditionExpression\": \"{condition}\""));
                top.push(
                    None,
                    format!("\"ExpressionAttributeNames\": {}", names.finish()),
                );
                top.push(
                    None,
                    format!("\"ExpressionAttributeValues\": {}", values.finish()),
                );
            }
        }
        out.push_str(&top.finish());
        out
    }

    /// Plain JSON of the typed item map held in `$item`.
    fn plain_item(&self, item: &str, sep: &str) -> String {
        let mut sets = String::new();
        let mut members = Members::new(sep);
        for (i, field) in self.table.all_fields().enumerate() {
            let var = format!("{item}_{i}");
            let (set, member) = field.plain_member(item, &var);
            sets.push_str(&set);
            members.push(
                Some(format!(
                    "\"$!{item}.get('{}')\" != \"\"",
                    single(&field.attribute)
                )),
                member,
            );
        }
        format!("{sets}{}", members.finish())
    }

    fn success(&self) -> IntegrationResponse {
        let json = "application/json";
        // An item always has its partition key: no key, no item (whatever shape "none" takes).
        let pk = single(&self.table.partition_key.attribute);
        let not_found =
            "#set($context.responseOverride.status = 404)\n{\"message\": \"not found\"}";
        match self.action {
            DynamoDbAction::PutItem => {
                let mut keys = Members::new("sep");
                for field in self.table.keys() {
                    let source = field.source.clone().unwrap_or(Source::WholeBody);
                    // A body value is not available in the answer; the others are.
                    if matches!(
                        source,
                        Source::Path(_) | Source::Query(_) | Source::Header(_) | Source::Context(_)
                    ) {
                        let var = vtl::var_name("k_", &field.json);
                        keys.push(
                            None,
                            format!(
                                "{}\"{}\": {}",
                                source.set(&var).trim_end(),
                                vtl::json_text(&field.json),
                                plain_typed(field.kind, &var)
                            ),
                        );
                    }
                }
                IntegrationResponse::default_status(200).template(json, keys.finish())
            }
            DynamoDbAction::GetItem => IntegrationResponse::default_status(200)
                .template(
                    json,
                    format!(
                        "#set($item = $input.path('$.Item'))\n#if(\"$!item.get('{pk}')\" == \"\")\n{not_found}\n#else\n{}\n#end",
                        self.plain_item("item", "sep")
                    ),
                )
                .may_override_status(404),
            DynamoDbAction::UpdateItem => IntegrationResponse::default_status(200).template(
                json,
                format!(
                    "#set($item = $input.path('$.Attributes'))\n{}",
                    self.plain_item("item", "sep")
                ),
            ),
            DynamoDbAction::DeleteItem => IntegrationResponse::default_status(204)
                .template(
                    json,
                    format!("#set($old = $input.path('$.Attributes'))\n#if(\"$!old.get('{pk}')\" == \"\")\n{not_found}\n#end"),
                )
                .may_override_status(404),
            DynamoDbAction::Query => IntegrationResponse::default_status(200).template(
                json,
                format!(
                    "{{\"items\": [#set($isep = \"\")#foreach($item in $input.path('$.Items'))$isep{}#set($isep = \", \")#end], \"count\": $input.path('$.Count')}}",
                    self.plain_item("item", "sep")
                ),
            ),
        }
    }

    fn client_error(&self) -> IntegrationResponse {
        let response = vtl::service_error("4\\d{2}", 400);
        if self.action != DynamoDbAction::UpdateItem {
            return response;
        }
        // The update's `attribute_exists` condition failing means: no such item.
        let template = response
            .templates
            .get("application/json")
            .map(|t| t.as_str().to_owned())
            .unwrap_or_default();
        IntegrationResponse::new("4\\d{2}", 400)
            .template(
                "application/json",
                format!(
                    "#set($type = \"$!input.path('$.__type')\")\n#if($type.contains(\"ConditionalCheckFailed\"))\n#set($context.responseOverride.status = 404)\n{{\"message\": \"not found\"}}\n#else\n{template}\n#end"
                ),
            )
            .may_override_status(404)
    }
}

/// Text for a single-quoted VTL string literal.
fn single(text: &str) -> String {
    text.replace('\'', "''")
}

/// A value captured as text in `$var`, written as plain JSON of `kind`.
fn plain_typed(kind: AttributeType, var: &str) -> String {
    match kind {
        AttributeType::S => format!("\"{}\"", vtl::json_escaped(var)),
        AttributeType::N => vtl::json_escaped(var),
        AttributeType::Bool => format!("#if(${var} == \"true\")true#{{else}}false#end"),
    }
}

shared_knobs!(DynamoDb);

impl From<DynamoDb> for AwsService {
    fn from(value: DynamoDb) -> Self {
        let mut generated = vtl::json_request(value.generated_template());
        generated.responses = value.generated_responses();
        vtl::service(
            Method::Post,
            vtl::arn(
                &value.table.region,
                "dynamodb",
                "action",
                value.action.name(),
            ),
            generated,
            value.options,
        )
    }
}

impl From<DynamoDb> for Integration {
    fn from(value: DynamoDb) -> Self {
        Self::DynamoDb(value)
    }
}

impl DynamoDb {
    /// Calls `visit` with each template value and the knob it is.
    pub(crate) fn visit_knobs(&self, visit: &mut dyn FnMut(Knob, &TemplateValue)) {
        // Every field named: a new one does not compile until it is classified.
        let Self {
            table,
            action: _,
            key_condition,
            index: _,
            options,
        } = self;
        let Table {
            region,
            name,
            partition_key,
            sort_key,
            fields,
            ttl: _,
        } = table;
        visit(Knob::DynamoDbRegion, region);
        visit(Knob::DynamoDbTable, name);
        for field in std::iter::once(partition_key).chain(sort_key).chain(fields) {
            let Field {
                attribute: _,
                kind: _,
                json: _,
                source,
            } = field;
            if let Some(source) = source {
                source.visit_knobs(visit);
            }
        }
        match key_condition {
            None => {}
            Some(KeyCondition::Equals(value) | KeyCondition::BeginsWith(value)) => {
                value.visit_knobs(visit);
            }
            Some(KeyCondition::Between(low, high)) => {
                low.visit_knobs(visit);
                high.visit_knobs(visit);
            }
        }
        options.visit_knobs(visit);
    }
}

impl DynamoDb {
    /// `dynamodb:ACTION` on the table (or the index queried).
    pub(crate) fn service_action(&self) -> ServiceAction<'_> {
        ServiceAction {
            actions: vec![format!("dynamodb:{}", self.action.name())],
            resource: ServiceResource::Table {
                name: &self.table.name,
                index: self.index.as_deref(),
            },
            region: Some(&self.table.region),
            role: self.options.credentials.as_ref(),
        }
    }
}
