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
    /// The last customer's id when more follow, from a server that pages by
    /// `startingAfter` (`meta.nextStartingAfter`); [`next`](Self::next) uses it.
    pub next_starting_after: Option<String>,
    pub response: ResponseMeta,
}

impl<T> Page<T> {
    pub fn has_more(&self) -> bool {
        !self.data.is_empty() && self.page < self.total_pages
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PageMeta {
    pub total: u64,
    /// The page's number; 0 when it was asked for by `startingAfter` alone.
    pub page: u32,
    pub limit: u32,
    pub total_pages: u32,
    /// Customer listings, when more customers follow: the last one's id, to
    /// send as `startingAfter` for the next page (as fast deep in a listing as
    /// at its start).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_starting_after: Option<String>,
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
        let meta = PageMeta {
            total: self.total,
            page: self.page,
            limit: self.limit,
            total_pages: self.total_pages,
            next_starting_after: self.next_starting_after.clone(),
        };
        Borrowed { data: &self.data, meta }.serialize(s)
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
            next_starting_after: w.meta.next_starting_after,
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

/// Where a listing continues: its route, its filters, the page to fetch and,
/// from a server that pages by `startingAfter`, the customer it starts after
/// (so page 5,000 costs what page 2 does, and a listing that changes while it
/// is walked neither repeats nor skips anyone). Opaque to callers; it crosses
/// every FFI edge as the text of [`encode`](Self::encode), so the next page of
/// any listing stays on its route in every language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    listing: Listing,
    starting_after: Option<String>,
}

/// A cursor's text: `{"route":...,<params>}`, and `startingAfter` beside the
/// listing when there is one.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum CursorText {
    After {
        listing: Listing,
        #[serde(rename = "startingAfter")]
        starting_after: String,
    },
    Plain(Listing),
}

/// What a cursor asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CursorQuery {
    Customers(ListParams),
    Unresolved(PageParams),
}

impl Cursor {
    /// The first page of `GET /api/customers` with `params` (from `params.page`).
    pub fn first_list(params: ListParams) -> Cursor {
        Cursor { listing: Listing::Customers(params), starting_after: None }
    }

    /// The first page of `GET /api/customers/unresolved`.
    pub fn first_unresolved(params: PageParams) -> Cursor {
        Cursor { listing: Listing::Unresolved(params), starting_after: None }
    }

    /// The page after `page` of `GET /api/customers` with `params`; `keyset`
    /// when `page` was itself fetched by `startingAfter`.
    pub fn after_list<T>(params: &ListParams, page: &Page<T>, keyset: bool) -> Option<Cursor> {
        let next = ListParams { page: Some(page.page + 1), ..params.clone() };
        Self::after(Listing::Customers(next), page, keyset)
    }

    /// The page after `page` of `GET /api/customers/unresolved`; `keyset` as in [`after_list`](Self::after_list).
    pub fn after_unresolved<T>(params: &PageParams, page: &Page<T>, keyset: bool) -> Option<Cursor> {
        let next = PageParams { page: Some(page.page + 1), limit: params.limit };
        Self::after(Listing::Unresolved(next), page, keyset)
    }

    /// `next` (the page after `page`) if there is one: where a server pages by
    /// `startingAfter` (it says so on this page or said so on the one before),
    /// its word; else while `page` is not the last by number.
    fn after<T>(next: Listing, page: &Page<T>, keyset: bool) -> Option<Cursor> {
        let more = if keyset || page.next_starting_after.is_some() {
            page.next_starting_after.is_some()
        } else {
            page.has_more()
        };
        more.then(|| Cursor { listing: next, starting_after: page.next_starting_after.clone() })
    }

    pub fn query(&self) -> CursorQuery {
        match &self.listing {
            Listing::Customers(p) => CursorQuery::Customers(p.clone()),
            Listing::Unresolved(p) => CursorQuery::Unresolved(*p),
        }
    }

    /// The customer the page starts after, when the server pages by `startingAfter`.
    pub fn starting_after(&self) -> Option<&str> {
        self.starting_after.as_deref()
    }

    /// The cursor as text (what bindings hand across).
    pub fn encode(&self) -> String {
        let text = match &self.starting_after {
            Some(id) => CursorText::After { listing: self.listing.clone(), starting_after: id.clone() },
            None => CursorText::Plain(self.listing.clone()),
        };
        serde_json::to_string(&text).unwrap_or_default()
    }

    /// Reads [`encode`](Self::encode)'s text; anything else is `invalid` on field `cursor`.
    pub fn decode(text: &str) -> Result<Cursor, crate::error::FieldError> {
        let cursor = |text| match text {
            CursorText::After { listing, starting_after } => Cursor { listing, starting_after: Some(starting_after) },
            CursorText::Plain(listing) => Cursor { listing, starting_after: None },
        };
        serde_json::from_str(text).map(cursor).map_err(|_| {
            crate::error::FieldError::new(
                "cursor",
                "invalid",
                "not a cursor of this SDK: pass the next_cursor of a page as it came",
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{Cursor, CursorQuery, ListParams, Page, PageParams};
    use crate::model::ResponseMeta;

    fn page(number: u32, total_pages: u32, next_starting_after: Option<&str>) -> Page<u8> {
        Page {
            data: vec![1],
            total: u64::from(total_pages) * 20,
            page: number,
            limit: 20,
            total_pages,
            next: None,
            next_starting_after: next_starting_after.map(str::to_owned),
            response: ResponseMeta::default(),
        }
    }

    #[test]
    fn a_server_without_starting_after_is_paged_by_number() {
        let params = ListParams { country: Some("DE".into()), ..ListParams::default() };
        let next = Cursor::after_list(&params, &page(1, 3, None), false).unwrap();
        assert_eq!(next.starting_after(), None);
        assert_eq!(next.query(), CursorQuery::Customers(ListParams { page: Some(2), ..params.clone() }));
        assert!(Cursor::after_list(&params, &page(3, 3, None), false).is_none());
    }

    #[test]
    fn a_server_with_starting_after_is_paged_by_it_and_its_end_trusted() {
        let params = PageParams { page: None, limit: Some(20) };
        let next = Cursor::after_unresolved(&params, &page(1, 3, Some("cust_20")), false).unwrap();
        assert_eq!(next.starting_after(), Some("cust_20"));
        assert_eq!(next.query(), CursorQuery::Unresolved(PageParams { page: Some(2), limit: Some(20) }));
        // Fetched by keyset, a page without nextStartingAfter is the last,
        // even when the total grew meanwhile (more pages by number).
        assert!(Cursor::after_unresolved(&params, &page(2, 5, None), true).is_none());
    }

    #[test]
    fn a_cursor_keeps_its_starting_after_as_text_and_reads_older_text() {
        let params = ListParams { search: Some("ada".into()), ..ListParams::default() };
        let next = Cursor::after_list(&params, &page(4, 9, Some("cust_x")), true).unwrap();
        assert_eq!(Cursor::decode(&next.encode()).unwrap(), next);
        let older = Cursor::first_list(params).encode();
        assert!(older.starts_with(r#"{"route":"customers""#), "{older}");
        assert_eq!(Cursor::decode(&older).unwrap().starting_after(), None);
    }
}
