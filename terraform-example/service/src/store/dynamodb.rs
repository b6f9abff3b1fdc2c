//! The DynamoDB store. Table: partition key `name` (S); attribute `color` (S); global
//! secondary index `by-color` (partition `color`, sort `name`, all attributes), as
//! `terraform-example/main.tf` declares it and [`create_table`] creates it.

use std::collections::HashMap;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::DisplayErrorContext;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, GlobalSecondaryIndex, KeySchemaElement,
    KeyType, Projection, ProjectionType, ReturnValue, ScalarAttributeType,
};
use tokio::sync::OnceCell;

use super::{BoxFuture, Cursor, Page, PageRequest, Put, StoreError, WidgetStore};
use crate::model::{Color, Widget};

/// The global secondary index the color report queries.
pub const COLOR_INDEX: &str = "by-color";

type Item = HashMap<String, AttributeValue>;

/// Widgets in a DynamoDB table. Pages come in the table's scan order.
#[derive(Debug)]
pub struct DynamoStore {
    table: String,
    client: OnceCell<Client>,
}

impl DynamoStore {
    /// The table `table`, through `client`.
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            table: table.into(),
            client: OnceCell::new_with(Some(client)),
        }
    }

    /// The table `table`, with a client configured from the environment (region,
    /// credentials, `AWS_ENDPOINT_URL_DYNAMODB`) when first needed.
    pub fn from_env(table: impl Into<String>) -> Self {
        Self {
            table: table.into(),
            client: OnceCell::new(),
        }
    }

    async fn client(&self) -> &Client {
        self.client
            .get_or_init(|| async {
                let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
                Client::new(&config)
            })
            .await
    }

    async fn put_now(&self, widget: Widget) -> Result<Put, StoreError> {
        let old = self
            .client()
            .await
            .put_item()
            .table_name(&self.table)
            .item("name", AttributeValue::S(widget.name))
            .item("color", AttributeValue::S(widget.color.as_str().to_owned()))
            .return_values(ReturnValue::AllOld)
            .send()
            .await
            .map_err(|e| failed("PutItem", e))?;
        Ok(match old.attributes {
            Some(attributes) if !attributes.is_empty() => Put::Updated,
            _ => Put::Created,
        })
    }

    async fn get_now(&self, name: &str) -> Result<Option<Widget>, StoreError> {
        let found = self
            .client()
            .await
            .get_item()
            .table_name(&self.table)
            .key("name", AttributeValue::S(name.to_owned()))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| failed("GetItem", e))?;
        found.item.as_ref().map(widget).transpose()
    }

    async fn by_color_now(&self, color: Color) -> Result<Vec<Widget>, StoreError> {
        let client = self.client().await;
        let mut widgets = Vec::new();
        let mut start: Option<Item> = None;
        loop {
            let page = client
                .query()
                .table_name(&self.table)
                .index_name(COLOR_INDEX)
                .key_condition_expression("#c = :c")
                .expression_attribute_names("#c", "color")
                .expression_attribute_values(":c", AttributeValue::S(color.as_str().to_owned()))
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| failed("Query", e))?;
            for item in page.items() {
                widgets.push(widget(item)?);
            }
            match page.last_evaluated_key {
                Some(key) if !key.is_empty() => start = Some(key),
                _ => return Ok(widgets),
            }
        }
    }

    /// Scans until the page is full or the table ends. Each call asks for at most the
    /// widgets still missing (`Limit` counts items *read*, before the filter), so the
    /// page ends exactly at a key DynamoDB returned, and `lastKey` is that key.
    async fn page_now(&self, request: PageRequest) -> Result<Page, StoreError> {
        let client = self.client().await;
        let limit = request.limit.max(1);
        let mut items = Vec::with_capacity(limit);
        let mut start = request
            .after
            .map(|cursor| Item::from([("name".to_owned(), AttributeValue::S(cursor.name))]));
        loop {
            let missing = i32::try_from(limit - items.len()).unwrap_or(i32::MAX);
            let mut scan = client
                .scan()
                .table_name(&self.table)
                .limit(missing)
                .set_exclusive_start_key(start.take());
            if let Some(text) = &request.filter {
                scan = scan
                    .filter_expression("contains(#n, :f)")
                    .expression_attribute_names("#n", "name")
                    .expression_attribute_values(":f", AttributeValue::S(text.clone()));
            }
            let page = scan.send().await.map_err(|e| failed("Scan", e))?;
            for item in page.items() {
                items.push(widget(item)?);
            }
            let next = match page.last_evaluated_key {
                Some(key) if !key.is_empty() => key,
                _ => return Ok(Page { items, next: None }),
            };
            if items.len() >= limit {
                let name = string(&next, "name")?;
                return Ok(Page {
                    items,
                    next: Some(Cursor::after(name)),
                });
            }
            start = Some(next);
        }
    }
}

impl WidgetStore for DynamoStore {
    fn put(&self, widget: Widget) -> BoxFuture<'_, Result<Put, StoreError>> {
        Box::pin(self.put_now(widget))
    }

    fn get<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Result<Option<Widget>, StoreError>> {
        Box::pin(self.get_now(name))
    }

    fn by_color(&self, color: Color) -> BoxFuture<'_, Result<Vec<Widget>, StoreError>> {
        Box::pin(self.by_color_now(color))
    }

    fn page(&self, request: PageRequest) -> BoxFuture<'_, Result<Page, StoreError>> {
        Box::pin(self.page_now(request))
    }
}

/// Creates the widget table as `main.tf` declares it (on-demand billing), for tests
/// and local DynamoDB emulators.
pub async fn create_table(client: &Client, table: &str) -> Result<(), StoreError> {
    let key = |name: &str, kind: KeyType| {
        KeySchemaElement::builder()
            .attribute_name(name)
            .key_type(kind)
            .build()
            .map_err(|e| StoreError::new("CreateTable", e))
    };
    let attribute = |name: &str| {
        AttributeDefinition::builder()
            .attribute_name(name)
            .attribute_type(ScalarAttributeType::S)
            .build()
            .map_err(|e| StoreError::new("CreateTable", e))
    };
    let by_color = GlobalSecondaryIndex::builder()
        .index_name(COLOR_INDEX)
        .key_schema(key("color", KeyType::Hash)?)
        .key_schema(key("name", KeyType::Range)?)
        .projection(
            Projection::builder()
                .projection_type(ProjectionType::All)
                .build(),
        )
        .build()
        .map_err(|e| StoreError::new("CreateTable", e))?;
    client
        .create_table()
        .table_name(table)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(attribute("name")?)
        .attribute_definitions(attribute("color")?)
        .key_schema(key("name", KeyType::Hash)?)
        .global_secondary_indexes(by_color)
        .send()
        .await
        .map_err(|e| failed("CreateTable", e))?;
    Ok(())
}

fn failed(operation: &'static str, error: impl std::error::Error) -> StoreError {
    StoreError::new(operation, DisplayErrorContext(error).to_string())
}

fn string(item: &Item, attribute: &str) -> Result<String, StoreError> {
    match item.get(attribute) {
        Some(AttributeValue::S(text)) => Ok(text.clone()),
        _ => Err(StoreError::new(
            "reading an item",
            format!("attribute {attribute:?} is missing or not a string"),
        )),
    }
}

fn widget(item: &Item) -> Result<Widget, StoreError> {
    let color = string(item, "color")?
        .parse::<Color>()
        .map_err(|e| StoreError::new("reading an item", e))?;
    Ok(Widget::new(string(item, "name")?, color))
}
