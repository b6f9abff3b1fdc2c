//! The in-memory store: a sorted map, paged by name.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::{PoisonError, RwLock};

use super::{BoxFuture, Cursor, Page, PageRequest, Put, StoreError, WidgetStore};
use crate::model::{Color, Widget};

/// Widgets in a map, lost when the process stops. Pages come in name order.
#[derive(Debug, Default)]
pub struct MemoryStore {
    widgets: RwLock<BTreeMap<String, Color>>,
}

impl MemoryStore {
    fn page_now(&self, request: &PageRequest) -> Page {
        let widgets = self.widgets.read().unwrap_or_else(PoisonError::into_inner);
        let start = match &request.after {
            Some(cursor) => Bound::Excluded(cursor.name.clone()),
            None => Bound::Unbounded,
        };
        let limit = request.limit.max(1);
        let mut matching = widgets
            .range((start, Bound::Unbounded))
            .filter(|(name, _)| {
                request
                    .filter
                    .as_deref()
                    .is_none_or(|text| name.contains(text))
            })
            .map(|(name, color)| Widget::new(name.clone(), *color));
        let items: Vec<Widget> = matching.by_ref().take(limit).collect();
        // A next page exists only if another widget matches: no empty last page.
        let next = match (matching.next(), items.last()) {
            (Some(_), Some(last)) => Some(Cursor::after(last.name.clone())),
            _ => None,
        };
        Page { items, next }
    }
}

impl WidgetStore for MemoryStore {
    fn put(&self, widget: Widget) -> BoxFuture<'_, Result<Put, StoreError>> {
        let mut widgets = self.widgets.write().unwrap_or_else(PoisonError::into_inner);
        let put = match widgets.insert(widget.name, widget.color) {
            Some(_) => Put::Updated,
            None => Put::Created,
        };
        Box::pin(async move { Ok(put) })
    }

    fn get<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Result<Option<Widget>, StoreError>> {
        let widgets = self.widgets.read().unwrap_or_else(PoisonError::into_inner);
        let found = widgets.get(name).map(|color| Widget::new(name, *color));
        Box::pin(async move { Ok(found) })
    }

    fn by_color(&self, color: Color) -> BoxFuture<'_, Result<Vec<Widget>, StoreError>> {
        let widgets = self.widgets.read().unwrap_or_else(PoisonError::into_inner);
        let found = widgets
            .iter()
            .filter(|(_, c)| **c == color)
            .map(|(name, c)| Widget::new(name.clone(), *c))
            .collect();
        Box::pin(async move { Ok(found) })
    }

    fn page(&self, request: PageRequest) -> BoxFuture<'_, Result<Page, StoreError>> {
        let page = self.page_now(&request);
        Box::pin(async move { Ok(page) })
    }
}
