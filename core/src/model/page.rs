//! Listing: paging parameters, a page, an unpaged list, and the cursor that
//! carries a listing from one page to the next.

use serde::de::Deserializer;
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

use super::wire::{CustomerStatus, ResponseMeta, SortBy, SortOrder};

/// Paging of every list route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PageParams {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// Query of `GET /api/customers`. Only the fields set are sent.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListParams {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<CustomerStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_by: Option<SortBy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_order: Option<SortOrder>,
}

/// Query of `GET /api/events`. Only the fields set are sent.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventListParams {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Only events of this type (`customer.created`, ...).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
    /// Only events about this customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
}

impl EventListParams {
    /// The parameters of the page after `page`, or `None` after the last one.
    pub fn next_page<T>(&self, page: &Page<T>) -> Option<EventListParams> {
        page.has_more().then(|| EventListParams { page: Some(page.page + 1), ..self.clone() })
    }
}

impl ListParams {
    pub fn paging(&self) -> PageParams {
        PageParams { page: self.page, limit: self.limit }
    }

    /// The parameters of the page after `page`, or `None` after the last one.
    pub fn next_page<T>(&self, page: &Page<T>) -> Option<ListParams> {
        page.has_more().then(|| ListParams { page: Some(page.page + 1), ..self.clone() })
    }
}

impl PageParams {
    /// The parameters of the page after `page`, or `None` after the last one.
    pub fn next_page<T>(&self, page: &Page<T>) -> Option<PageParams> {
        page.has_more().then(|| PageParams { page: Some(page.page + 1), limit: self.limit })
    }
}

/// One page of a list route.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub data: Vec<T>,
    pub total: u64,
    pub page: u32,
    pub limit: u32,
    pub total_pages: u32,
    /// Where the listing continues, `None` after the last page. Set by the
    /// client that fetched the page; not part of the wire object.
    pub next: Option<Cursor>,
    pub response: ResponseMeta,
}

impl<T> Page<T> {
    pub fn has_more(&self) -> bool {
        !self.data.is_empty() && self.page < self.total_pages
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PageMeta {
    pub total: u64,
    pub page: u32,
    pub limit: u32,
    pub total_pages: u32,
}

#[derive(Serialize, Deserialize)]
struct PageWire<T> {
    data: Vec<T>,
    meta: PageMeta,
}

impl<T: Serialize> Serialize for Page<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Borrowed<'a, T> {
            data: &'a [T],
            meta: PageMeta,
        }
        Borrowed {
            data: &self.data,
            meta: PageMeta { total: self.total, page: self.page, limit: self.limit, total_pages: self.total_pages },
        }
        .serialize(s)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = PageWire::<T>::deserialize(d)?;
        Ok(Page {
            data: w.data,
            total: w.meta.total,
            page: w.meta.page,
            limit: w.meta.limit,
            total_pages: w.meta.total_pages,
            next: None,
            response: ResponseMeta::default(),
        })
    }
}

/// A list that is not paged (a customer's subscriptions or invoices).
/// Reads `{ "data": [...] }` and a bare array alike.
#[derive(Debug, Clone, PartialEq)]
pub struct List<T> {
    pub data: Vec<T>,
    pub response: ResponseMeta,
}

impl<T: Serialize> Serialize for List<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Borrowed<'a, T> {
            data: &'a [T],
        }
        Borrowed { data: &self.data }.serialize(s)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Wire<T> {
            Bare(Vec<T>),
            Wrapped { data: Vec<T> },
        }
        let data = match Wire::<T>::deserialize(d)? {
            Wire::Bare(v) | Wire::Wrapped { data: v } => v,
        };
        Ok(List { data, response: ResponseMeta::default() })
    }
}

/// Which listing a cursor continues, with its filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "route", rename_all = "camelCase")]
enum Listing {
    Customers(ListParams),
    Unresolved(PageParams),
}

/// Where a listing continues: its route, its filters and the page to fetch.
/// Opaque to callers; it crosses every FFI edge as the text of
/// [`encode`](Self::encode), so the next page of any listing stays on its
/// route in every language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor(Listing);

/// What a cursor asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CursorQuery {
    Customers(ListParams),
    Unresolved(PageParams),
}

impl Cursor {
    /// The first page of `GET /api/customers` with `params` (from `params.page`).
    pub fn first_list(params: ListParams) -> Cursor {
        Cursor(Listing::Customers(params))
    }

    /// The first page of `GET /api/customers/unresolved`.
    pub fn first_unresolved(params: PageParams) -> Cursor {
        Cursor(Listing::Unresolved(params))
    }

    /// The page after `page` of `GET /api/customers` with `params`.
    pub fn after_list<T>(params: &ListParams, page: &Page<T>) -> Option<Cursor> {
        params.next_page(page).map(|p| Cursor(Listing::Customers(p)))
    }

    /// The page after `page` of `GET /api/customers/unresolved`.
    pub fn after_unresolved<T>(params: &PageParams, page: &Page<T>) -> Option<Cursor> {
        params.next_page(page).map(|p| Cursor(Listing::Unresolved(p)))
    }

    pub fn query(&self) -> CursorQuery {
        match &self.0 {
            Listing::Customers(p) => CursorQuery::Customers(p.clone()),
            Listing::Unresolved(p) => CursorQuery::Unresolved(*p),
        }
    }

    /// The cursor as text (what bindings hand across).
    pub fn encode(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_default()
    }

    /// Reads [`encode`](Self::encode)'s text; anything else is `invalid` on field `cursor`.
    pub fn decode(text: &str) -> Result<Cursor, crate::error::FieldError> {
        serde_json::from_str(text).map(Cursor).map_err(|_| {
            crate::error::FieldError::new(
                "cursor",
                "invalid",
                "not a cursor of this SDK: pass the next_cursor of a page as it came",
            )
        })
    }
}
