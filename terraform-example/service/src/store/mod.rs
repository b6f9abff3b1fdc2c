//! Where widgets live: a small trait with two implementations, DynamoDB in AWS (feature
//! `dynamodb`) and an in-memory map when no table is configured (local runs, `make demo`,
//! tests).

#[cfg(feature = "dynamodb")]
mod dynamodb;
mod memory;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

#[cfg(feature = "dynamodb")]
pub use dynamodb::{COLOR_INDEX, DynamoStore, create_table};
pub use memory::MemoryStore;

use crate::model::{Color, Widget};

/// The variable naming the DynamoDB table; unset means the in-memory store.
pub const TABLE_ENV: &str = "WIDGETS_TABLE";

/// A boxed future, so the trait stays object safe (`Arc<dyn WidgetStore>`).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What [`WidgetStore::put`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Put {
    /// There was no widget of that name.
    Created,
    /// A widget of that name was replaced.
    Updated,
}

/// One page of [`WidgetStore::page`]: the widgets, and where the next page starts
/// (`None` when the listing is done).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    /// The widgets of this page.
    pub items: Vec<Widget>,
    /// Pass it back to get the next page.
    pub next: Option<Cursor>,
}

/// A page request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageRequest {
    /// At most this many widgets (at least 1).
    pub limit: usize,
    /// Continue after this position (the previous page's [`Page::next`]).
    pub after: Option<Cursor>,
    /// Only widgets whose name contains this text.
    pub filter: Option<String>,
}

/// Where a listing stopped: the key of the last widget it looked at. Clients see it only
/// as the opaque `lastKey` ([`Cursor::encode`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// The widget name (the table's key).
    #[serde(rename = "n")]
    pub name: String,
}

/// A `lastKey` that this service did not hand out.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid lastKey {0:?}: pass back the lastKey of the previous page")]
pub struct InvalidCursor(pub String);

impl Cursor {
    /// After the widget named `name`.
    pub fn after(name: impl Into<String>) -> Self {
        Self { name: name.into() }
    }

    /// The opaque `lastKey` text (URL-safe base64 of a small JSON object).
    pub fn encode(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        URL_SAFE_NO_PAD.encode(json)
    }

    /// Reads a `lastKey` made by [`encode`](Self::encode).
    pub fn decode(text: &str) -> Result<Self, InvalidCursor> {
        URL_SAFE_NO_PAD
            .decode(text)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Cursor>(&bytes).ok())
            .filter(|cursor| !cursor.name.is_empty())
            .ok_or_else(|| InvalidCursor(text.to_owned()))
    }
}

/// A store failure (the API answers 500 and logs it).
#[derive(Debug, thiserror::Error)]
#[error("{operation}: {source}")]
pub struct StoreError {
    operation: &'static str,
    #[source]
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl StoreError {
    /// `operation` failed because of `source`.
    pub fn new(
        operation: &'static str,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self {
            operation,
            source: source.into(),
        }
    }
}

/// Widget storage.
pub trait WidgetStore: Send + Sync + 'static {
    /// Adds `widget`, or replaces the one of the same name.
    fn put(&self, widget: Widget) -> BoxFuture<'_, Result<Put, StoreError>>;

    /// The widget named `name`.
    fn get<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Result<Option<Widget>, StoreError>>;

    /// Every widget of `color`, by name.
    fn by_color(&self, color: Color) -> BoxFuture<'_, Result<Vec<Widget>, StoreError>>;

    /// One page of all widgets (optionally filtered by name).
    fn page(&self, request: PageRequest) -> BoxFuture<'_, Result<Page, StoreError>>;
}

/// The store the deployed service uses: DynamoDB when `WIDGETS_TABLE` is set (the client
/// is configured from the environment on first use, so `AWS_ENDPOINT_URL_DYNAMODB`
/// points it elsewhere), else an empty in-memory store.
///
/// # Panics
///
/// When `WIDGETS_TABLE` is set in a build without the `dynamodb` feature: a function
/// deployed without it must not answer from memory.
pub fn from_env() -> Arc<dyn WidgetStore> {
    store_for(
        std::env::var(TABLE_ENV)
            .ok()
            .filter(|table| !table.is_empty()),
    )
}

fn store_for(table: Option<String>) -> Arc<dyn WidgetStore> {
    match table {
        None => Arc::new(MemoryStore::default()),
        #[cfg(feature = "dynamodb")]
        Some(table) => Arc::new(DynamoStore::from_env(table)),
        #[cfg(not(feature = "dynamodb"))]
        Some(table) => panic!(
            "{TABLE_ENV}={table:?} is set, but widget-service was built without its `dynamodb` \
             feature: build it with `--features dynamodb`, or unset {TABLE_ENV} for the in-memory store"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_foreign_text() {
        let cursor = Cursor::after("widget-7");
        let text = cursor.encode();
        assert!(!text.contains("widget-7"), "opaque: {text}");
        assert_eq!(Cursor::decode(&text), Ok(cursor));
        for bad in ["", "widget-7", "e30", "!!"] {
            assert_eq!(Cursor::decode(bad), Err(InvalidCursor(bad.to_owned())));
        }
    }

    #[cfg(not(feature = "dynamodb"))]
    #[test]
    #[should_panic(expected = "built without its `dynamodb` feature")]
    fn a_table_without_the_dynamodb_feature_is_refused() {
        store_for(Some("widgets".into()));
    }
}
