//! The resources of the API (docs/API-REFERENCE.md): customers (the SDK's subject), and the
//! subscriptions and invoices that a customer's totals and delete act on.

use std::sync::Arc;
use std::time::Duration;

use futures_core::Stream;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::model::{
    BindRequest, Cursor, CursorQuery, Customer, CustomerCreate, CustomerUpdate, Deleted, EphemeralKey, EphemeralKeyCreate,
    EventListParams, ImportResult, Invoice, InvoiceCreate, Key, KeyCreate, List, ListParams, Metadata, Page, PageParams, Patch, StripeCustomer, Subscription, SubscriptionCreate,
};
use crate::options::RequestOptions;
use crate::transport::{Transport, WithMeta};
use crate::validate;
use crate::webhooks::WebhookEvent;

/// Everything but the unreserved characters of RFC 3986 is escaped in a path segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A caller's value as one segment of a URL path.
fn path_segment(s: &str) -> impl std::fmt::Display + '_ {
    utf8_percent_encode(s, SEGMENT)
}

/// How often `merge_metadata` re-reads after losing a race (412).
pub const MERGE_ATTEMPTS: u32 = 10;
const MERGE_PAUSE_MS: u64 = 10;
const MERGE_PAUSE_CAP_MS: u64 = 400;

const NO_QUERY: Option<&()> = None;
const NO_BODY: Option<&()> = None;

/// A listing's query and, from a cursor, the customer its page starts after.
#[derive(Serialize)]
struct Keyset<Q> {
    #[serde(flatten)]
    params: Q,
    #[serde(rename = "startingAfter", skip_serializing_if = "Option::is_none")]
    starting_after: Option<String>,
}

/// A cursor's `startingAfter`, checked like any id: a cursor is text a caller hands back.
fn checked(starting_after: Option<&str>) -> Result<Option<String>> {
    let Some(id) = starting_after else { return Ok(None) };
    validate::id("cursor", id)?;
    Ok(Some(id.to_owned()))
}

/// What every resource holds: the client's transport and the options of
/// the calls made through it.
#[derive(Debug, Clone)]
struct Requester {
    transport: Arc<Transport>,
    opts: RequestOptions,
}

impl Requester {
    async fn send<T, Q, B>(&self, method: Method, path: &str, query: Option<&Q>, body: Option<&B>) -> Result<T>
    where
        T: DeserializeOwned + WithMeta,
        Q: Serialize + ?Sized,
        B: Serialize + ?Sized,
    {
        self.transport.send(method, path, query, body, &self.opts).await
    }

    async fn get<T: DeserializeOwned + WithMeta>(&self, path: &str) -> Result<T> {
        self.send(Method::GET, path, NO_QUERY, NO_BODY).await
    }

    async fn post<T: DeserializeOwned + WithMeta, B: Serialize + ?Sized>(&self, path: &str, body: Option<&B>) -> Result<T> {
        self.send(Method::POST, path, NO_QUERY, body).await
    }
}

macro_rules! resource {
    ($name:ident) => {
        #[derive(Debug, Clone)]
        pub struct $name {
            requester: Requester,
        }

        impl $name {
            pub(crate) fn new(transport: Arc<Transport>) -> Self {
                $name { requester: Requester { transport, opts: RequestOptions::default() } }
            }

            /// The same resource with options for the calls made through it.
            pub fn with_options(&self, opts: RequestOptions) -> Self {
                $name { requester: Requester { transport: self.requester.transport.clone(), opts } }
            }

            pub fn options(&self) -> &RequestOptions {
                &self.requester.opts
            }
        }
    };
}

resource!(Customers);
resource!(Subscriptions);
resource!(Invoices);
resource!(Keys);
resource!(Events);

impl Customers {
    /// `POST /api/customers`.
    pub async fn create(&self, params: CustomerCreate) -> Result<Customer> {
        let body = validate::customer_create(params)?;
        self.requester.post("/api/customers", Some(&body)).await
    }

    /// `GET /api/customers/{id}`.
    pub async fn get(&self, id: &str) -> Result<Customer> {
        validate::id("id", id)?;
        self.requester.get(&format!("/api/customers/{}", path_segment(id))).await
    }

    /// `GET /api/customers/external/{externalId}`: the customer bound to your user id.
    pub async fn get_by_external_id(&self, external_id: &str) -> Result<Customer> {
        validate::external_id("externalId", external_id)?;
        self.requester.get(&format!("/api/customers/external/{}", path_segment(external_id))).await
    }

    /// `PATCH /api/customers/{id}`: `Keep` fields are untouched, `Clear` ones nulled,
    /// and `metadata` is replaced whole (see [`merge_metadata`](Self::merge_metadata)).
    pub async fn update(&self, id: &str, params: CustomerUpdate) -> Result<Customer> {
        validate::id("id", id)?;
        let body = validate::customer_update(params)?;
        self.requester.send(Method::PATCH, &format!("/api/customers/{}", path_segment(id)), NO_QUERY, Some(&body)).await
    }

    /// `DELETE /api/customers/{id}`: cancels its subscriptions and voids its unpaid invoices.
    pub async fn delete(&self, id: &str) -> Result<Deleted> {
        validate::id("id", id)?;
        let mut deleted: Deleted =
            self.requester.send(Method::DELETE, &format!("/api/customers/{}", path_segment(id)), NO_QUERY, NO_BODY).await?;
        // The real NovaBilling server answers `{ "message": ... }` without the id.
        if deleted.id.is_empty() {
            id.clone_into(&mut deleted.id);
        }
        Ok(deleted)
    }

    /// `GET /api/customers`: one page; `page.next` continues it.
    pub async fn list(&self, params: ListParams) -> Result<Page<Customer>> {
        self.list_after(params, None).await
    }

    async fn list_after(&self, params: ListParams, starting_after: Option<&str>) -> Result<Page<Customer>> {
        let query = Keyset { params: validate::list_params(params.clone())?, starting_after: checked(starting_after)? };
        let mut page: Page<Customer> = self.requester.send(Method::GET, "/api/customers", Some(&query), NO_BODY).await?;
        page.next = Cursor::after_list(&params, &page, starting_after.is_some());
        Ok(page)
    }

    /// `GET /api/customers/unresolved`: imported customers with no externalId yet.
    pub async fn list_unresolved(&self, params: PageParams) -> Result<Page<Customer>> {
        self.list_unresolved_after(params, None).await
    }

    async fn list_unresolved_after(&self, params: PageParams, starting_after: Option<&str>) -> Result<Page<Customer>> {
        let query = Keyset { params: validate::page_params(params)?, starting_after: checked(starting_after)? };
        let mut page: Page<Customer> =
            self.requester.send(Method::GET, "/api/customers/unresolved", Some(&query), NO_BODY).await?;
        page.next = Cursor::after_unresolved(&params, &page, starting_after.is_some());
        Ok(page)
    }

    /// The page a cursor points at, on the route and with the filters of the
    /// listing it came from (after the customer it names, from a server that
    /// pages by `startingAfter`).
    pub async fn page(&self, cursor: &Cursor) -> Result<Page<Customer>> {
        match cursor.query() {
            CursorQuery::Customers(p) => self.list_after(p, cursor.starting_after()).await,
            CursorQuery::Unresolved(p) => self.list_unresolved_after(p, cursor.starting_after()).await,
        }
    }

    /// Every customer of `first` and of the pages after it.
    fn walk(&self, first: Option<Cursor>) -> impl Stream<Item = Result<Customer>> + Send + 'static {
        let this = self.clone();
        async_stream::try_stream! {
            let mut next = first;
            while let Some(cursor) = next.take() {
                let page = this.page(&cursor).await?;
                next = page.next;
                for c in page.data {
                    yield c;
                }
            }
        }
    }

    /// Every customer matching `params`, page after page, from `params.page` on.
    pub fn list_auto(&self, params: ListParams) -> impl Stream<Item = Result<Customer>> + Send + 'static {
        self.walk(Some(Cursor::first_list(params)))
    }

    /// Every unresolved customer, page after page. Binding removes a customer
    /// from this list and shifts later pages forward, so collect the customers
    /// first when you bind as you go.
    pub fn list_unresolved_auto(&self, params: PageParams) -> impl Stream<Item = Result<Customer>> + Send + 'static {
        self.walk(Some(Cursor::first_unresolved(params)))
    }

    /// `POST /api/customers/{id}/bind`: one-way; 409 if already bound or the id is taken.
    pub async fn bind(&self, id: &str, external_id: &str) -> Result<Customer> {
        validate::id("id", id)?;
        let body = BindRequest { external_id: validate::external_id("externalId", external_id)? };
        self.requester.post(&format!("/api/customers/{}/bind", path_segment(id)), Some(&body)).await
    }

    /// `POST /api/customers/import/stripe`: idempotent by Stripe id.
    pub async fn import_stripe(&self, customers: Vec<StripeCustomer>) -> Result<ImportResult> {
        let body = validate::stripe_customers(customers)?;
        self.requester.post("/api/customers/import/stripe", Some(&body)).await
    }

    /// Like [`import_stripe`](Self::import_stripe), from Stripe's JSON objects as exported.
    pub async fn import_stripe_json(&self, customers: Vec<Value>) -> Result<ImportResult> {
        self.import_stripe(validate::stripe_customer_values(customers)?).await
    }

    /// `GET /api/customers/{id}/subscriptions`.
    pub async fn subscriptions(&self, id: &str) -> Result<List<Subscription>> {
        validate::id("id", id)?;
        self.requester.get(&format!("/api/customers/{}/subscriptions", path_segment(id))).await
    }

    /// `GET /api/customers/{id}/invoices`.
    pub async fn invoices(&self, id: &str) -> Result<List<Invoice>> {
        validate::id("id", id)?;
        self.requester.get(&format!("/api/customers/{}/invoices", path_segment(id))).await
    }

    /// Sets and removes metadata keys without losing keys written concurrently
    /// by others: read, merge, write with `If-Match`, and again on 412. A key in
    /// both `set` and `unset` ends up set.
    pub async fn merge_metadata(&self, id: &str, set: Metadata, unset: &[String]) -> Result<Customer> {
        validate::id("id", id)?;
        let mut attempt = 0;
        loop {
            let current = self.get(id).await?;
            let mut merged = current.metadata.clone();
            for k in unset {
                merged.remove(k);
            }
            merged.extend(set.iter().map(|(k, v)| (k.clone(), v.clone())));
            if merged == current.metadata {
                return Ok(current);
            }
            // A weak or missing ETag cannot guard a write; the update then goes unguarded.
            let if_match = current.response.etag.filter(|t| !t.starts_with("W/"));
            let opts = RequestOptions {
                if_match,
                idempotency_key: self.requester.opts.idempotency_key.as_ref().map(|k| format!("{k}-{attempt}")),
                ..self.requester.opts.clone()
            };
            let update = CustomerUpdate { metadata: Patch::Set(merged), ..CustomerUpdate::default() };
            match self.with_options(opts).update(id, update).await {
                Err(Error::Api(e)) if e.status == 412 && attempt + 1 < MERGE_ATTEMPTS => {
                    attempt += 1;
                    // Full jitter over a doubling window: writers that lost the same
                    // race spread out instead of meeting again (a fixed or linear pause
                    // let one of 12 writers lose ten times running on a busy machine).
                    let window = MERGE_PAUSE_MS.saturating_mul(1 << attempt.min(6));
                    let pause = rand::random::<u64>() % window.min(MERGE_PAUSE_CAP_MS);
                    tokio::time::sleep(Duration::from_millis(pause)).await;
                }
                other => return other,
            }
        }
    }
}

impl Subscriptions {
    /// `POST /api/subscriptions`.
    pub async fn create(&self, params: SubscriptionCreate) -> Result<Subscription> {
        let body = validate::subscription_create(params)?;
        self.requester.post("/api/subscriptions", Some(&body)).await
    }

    /// `GET /api/subscriptions/{id}`.
    pub async fn get(&self, id: &str) -> Result<Subscription> {
        validate::id("id", id)?;
        self.requester.get(&format!("/api/subscriptions/{}", path_segment(id))).await
    }

    /// `POST /api/subscriptions/{id}/cancel`: idempotent.
    pub async fn cancel(&self, id: &str) -> Result<Subscription> {
        validate::id("id", id)?;
        self.requester.post(&format!("/api/subscriptions/{}/cancel", path_segment(id)), NO_BODY).await
    }
}

impl Invoices {
    /// `POST /api/invoices`: amount in major units.
    pub async fn create(&self, params: InvoiceCreate) -> Result<Invoice> {
        let body = validate::invoice_create(params)?;
        self.requester.post("/api/invoices", Some(&body)).await
    }

    /// `GET /api/invoices/{id}`.
    pub async fn get(&self, id: &str) -> Result<Invoice> {
        validate::id("id", id)?;
        self.requester.get(&format!("/api/invoices/{}", path_segment(id))).await
    }

    /// `POST /api/invoices/{id}/pay`: 409 if void.
    pub async fn pay(&self, id: &str) -> Result<Invoice> {
        validate::id("id", id)?;
        self.requester.post(&format!("/api/invoices/{}/pay", path_segment(id)), NO_BODY).await
    }

    /// `POST /api/invoices/{id}/void`: 409 if paid.
    pub async fn void(&self, id: &str) -> Result<Invoice> {
        validate::id("id", id)?;
        self.requester.post(&format!("/api/invoices/{}/void", path_segment(id)), NO_BODY).await
    }
}

/// Seconds a lifetime asks for, rounded up, so no key lives shorter than asked.
fn whole_seconds(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

impl Keys {
    /// `POST /api/keys`: a restricted key with these scopes. Its `secret` is
    /// in this answer only.
    pub async fn create(&self, params: KeyCreate) -> Result<Key> {
        let body = validate::key_create(params)?;
        self.requester.post("/api/keys", Some(&body)).await
    }

    /// `GET /api/keys`: the tenant's secret and restricted keys that are not
    /// revoked, newest first, without their secrets.
    pub async fn list(&self) -> Result<List<Key>> {
        self.requester.get("/api/keys").await
    }

    /// `DELETE /api/keys/{id}`: the key stops working at once, on every replica.
    pub async fn revoke(&self, id: &str) -> Result<Key> {
        validate::id("id", id)?;
        self.requester.send(Method::DELETE, &format!("/api/keys/{}", path_segment(id)), NO_QUERY, NO_BODY).await
    }

    /// `POST /api/ephemeral-keys`: a key for one customer's app, that reads
    /// that customer and updates its name, email, country and currency, for
    /// `ttl` (1 hour when `None`, at most 24 hours).
    pub async fn create_ephemeral(&self, customer_id: &str, ttl: Option<Duration>) -> Result<EphemeralKey> {
        let body = EphemeralKeyCreate { customer_id: Some(customer_id.to_owned()), external_id: None, expires_in: ttl.map(whole_seconds) };
        self.mint(body).await
    }

    /// [`create_ephemeral`](Self::create_ephemeral) for the customer bound to your user id.
    pub async fn create_ephemeral_for_external_id(&self, external_id: &str, ttl: Option<Duration>) -> Result<EphemeralKey> {
        let body = EphemeralKeyCreate { customer_id: None, external_id: Some(external_id.to_owned()), expires_in: ttl.map(whole_seconds) };
        self.mint(body).await
    }

    async fn mint(&self, body: EphemeralKeyCreate) -> Result<EphemeralKey> {
        let body = validate::ephemeral_key_create(body)?;
        self.requester.post("/api/ephemeral-keys", Some(&body)).await
    }

    /// `DELETE /api/ephemeral-keys/{id}`: the app's key stops working at once.
    pub async fn revoke_ephemeral(&self, id: &str) -> Result<EphemeralKey> {
        validate::id("id", id)?;
        self.requester.send(Method::DELETE, &format!("/api/ephemeral-keys/{}", path_segment(id)), NO_QUERY, NO_BODY).await
    }
}

impl Events {
    /// `GET /api/events`: the tenant's events, newest first, each as its
    /// deliveries send it.
    pub async fn list(&self, params: EventListParams) -> Result<Page<WebhookEvent>> {
        let query = validate::event_list_params(params)?;
        self.requester.send(Method::GET, "/api/events", Some(&query), NO_BODY).await
    }

    /// Every event matching `params`, page after page, newest first. Events
    /// committed while it walks push older ones to later pages, so one may
    /// come twice: deduplicate on `id`.
    pub fn list_auto(&self, params: EventListParams) -> impl Stream<Item = Result<WebhookEvent>> + Send + 'static {
        let this = self.clone();
        async_stream::try_stream! {
            let mut next = Some(params);
            while let Some(params) = next.take() {
                let page = this.list(params.clone()).await?;
                next = params.next_page(&page);
                for e in page.data {
                    yield e;
                }
            }
        }
    }

    /// `GET /api/events/{id}`.
    pub async fn get(&self, id: &str) -> Result<WebhookEvent> {
        validate::id("id", id)?;
        self.requester.get(&format!("/api/events/{}", path_segment(id))).await
    }
}
