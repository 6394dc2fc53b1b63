//! The resources of spec/API.md: customers (the SDK's subject), and the
//! subscriptions and invoices that a customer's totals and delete act on.

use std::time::Duration;

use futures_core::Stream;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::model::{
    BindRequest, Customer, CustomerCreate, CustomerUpdate, Deleted, ImportResult, Invoice, InvoiceCreate, List,
    ListParams, Metadata, Page, PageParams, Patch, StripeCustomer, Subscription, SubscriptionCreate,
};
use crate::transport::{RequestOptions, WithMeta};
use crate::validate;

/// Everything but the unreserved characters of RFC 3986 is escaped in a path segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

fn seg(s: &str) -> impl std::fmt::Display + '_ {
    utf8_percent_encode(s, SEGMENT)
}

/// How often `merge_metadata` re-reads after losing a race (412).
pub const MERGE_ATTEMPTS: u32 = 10;

const NO_QUERY: Option<&()> = None;
const NO_BODY: Option<&()> = None;

/// What every resource holds: the client and this call's options.
#[derive(Debug, Clone)]
struct Base {
    client: Client,
    opts: RequestOptions,
}

impl Base {
    async fn send<T, Q, B>(&self, method: Method, path: &str, query: Option<&Q>, body: Option<&B>, path_id: &str) -> Result<T>
    where
        T: DeserializeOwned + WithMeta,
        Q: Serialize + ?Sized,
        B: Serialize + ?Sized,
    {
        self.client.transport.send(method, path, query, body, &self.opts, path_id).await
    }

    async fn get<T: DeserializeOwned + WithMeta>(&self, path: &str) -> Result<T> {
        self.send(Method::GET, path, NO_QUERY, NO_BODY, "").await
    }

    async fn post<T: DeserializeOwned + WithMeta, B: Serialize + ?Sized>(&self, path: &str, body: Option<&B>) -> Result<T> {
        self.send(Method::POST, path, NO_QUERY, body, "").await
    }
}

macro_rules! resource {
    ($name:ident) => {
        #[derive(Debug, Clone)]
        pub struct $name {
            base: Base,
        }

        impl $name {
            pub(crate) fn new(client: Client) -> Self {
                $name { base: Base { client, opts: RequestOptions::default() } }
            }

            /// The same resource with options for the calls made through it.
            pub fn with_options(&self, opts: RequestOptions) -> Self {
                $name { base: Base { client: self.base.client.clone(), opts } }
            }

            pub fn options(&self) -> &RequestOptions {
                &self.base.opts
            }
        }
    };
}

resource!(Customers);
resource!(Subscriptions);
resource!(Invoices);

impl Customers {
    /// `POST /api/customers`.
    pub async fn create(&self, params: CustomerCreate) -> Result<Customer> {
        let body = validate::customer_create(params)?;
        self.base.post("/api/customers", Some(&body)).await
    }

    /// `GET /api/customers/{id}`.
    pub async fn get(&self, id: &str) -> Result<Customer> {
        validate::id("id", id)?;
        self.base.get(&format!("/api/customers/{}", seg(id))).await
    }

    /// `GET /api/customers/external/{externalId}`: the customer bound to your user id.
    pub async fn get_by_external_id(&self, external_id: &str) -> Result<Customer> {
        validate::external_id("externalId", external_id)?;
        self.base.get(&format!("/api/customers/external/{}", seg(external_id))).await
    }

    /// `PATCH /api/customers/{id}`: `Keep` fields are untouched, `Clear` ones nulled,
    /// and `metadata` is replaced whole (see [`merge_metadata`](Self::merge_metadata)).
    pub async fn update(&self, id: &str, params: CustomerUpdate) -> Result<Customer> {
        validate::id("id", id)?;
        let body = validate::customer_update(params)?;
        self.base.send(Method::PATCH, &format!("/api/customers/{}", seg(id)), NO_QUERY, Some(&body), "").await
    }

    /// `DELETE /api/customers/{id}`: cancels its subscriptions and voids its unpaid invoices.
    pub async fn delete(&self, id: &str) -> Result<Deleted> {
        validate::id("id", id)?;
        self.base.send(Method::DELETE, &format!("/api/customers/{}", seg(id)), NO_QUERY, NO_BODY, id).await
    }

    /// `GET /api/customers`: one page.
    pub async fn list(&self, params: ListParams) -> Result<Page<Customer>> {
        let query = validate::list_params(params)?;
        self.base.send(Method::GET, "/api/customers", Some(&query), NO_BODY, "").await
    }

    /// Every customer matching `params`, page after page, from `params.page` on.
    pub fn list_auto(&self, params: ListParams) -> impl Stream<Item = Result<Customer>> + Send + 'static {
        let this = self.clone();
        async_stream::try_stream! {
            let mut next = Some(params);
            while let Some(params) = next.take() {
                let page = this.list(params.clone()).await?;
                next = params.next_page(&page);
                for c in page.data {
                    yield c;
                }
            }
        }
    }

    /// `GET /api/customers/unresolved`: imported customers with no externalId yet.
    pub async fn list_unresolved(&self, params: PageParams) -> Result<Page<Customer>> {
        let query = validate::page_params(params)?;
        self.base.send(Method::GET, "/api/customers/unresolved", Some(&query), NO_BODY, "").await
    }

    /// Every unresolved customer, page after page. Binding removes a customer
    /// from this list and shifts later pages forward, so collect the customers
    /// first when you bind as you go.
    pub fn list_unresolved_auto(&self, params: PageParams) -> impl Stream<Item = Result<Customer>> + Send + 'static {
        let this = self.clone();
        async_stream::try_stream! {
            let mut next = Some(params);
            while let Some(params) = next.take() {
                let page = this.list_unresolved(params).await?;
                next = params.next_page(&page);
                for c in page.data {
                    yield c;
                }
            }
        }
    }

    /// `POST /api/customers/{id}/bind`: one-way; 409 if already bound or the id is taken.
    pub async fn bind(&self, id: &str, external_id: &str) -> Result<Customer> {
        validate::id("id", id)?;
        let body = BindRequest { external_id: validate::external_id("externalId", external_id)? };
        self.base.post(&format!("/api/customers/{}/bind", seg(id)), Some(&body)).await
    }

    /// `POST /api/customers/import/stripe`: idempotent by Stripe id.
    pub async fn import_stripe(&self, customers: Vec<StripeCustomer>) -> Result<ImportResult> {
        let body = validate::stripe_customers(customers)?;
        self.base.post("/api/customers/import/stripe", Some(&body)).await
    }

    /// Like [`import_stripe`](Self::import_stripe), from Stripe's JSON objects as exported.
    pub async fn import_stripe_json(&self, customers: Vec<Value>) -> Result<ImportResult> {
        self.import_stripe(validate::stripe_customer_values(customers)?).await
    }

    /// `GET /api/customers/{id}/subscriptions`.
    pub async fn subscriptions(&self, id: &str) -> Result<List<Subscription>> {
        validate::id("id", id)?;
        self.base.get(&format!("/api/customers/{}/subscriptions", seg(id))).await
    }

    /// `GET /api/customers/{id}/invoices`.
    pub async fn invoices(&self, id: &str) -> Result<List<Invoice>> {
        validate::id("id", id)?;
        self.base.get(&format!("/api/customers/{}/invoices", seg(id))).await
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
                idempotency_key: self.base.opts.idempotency_key.as_ref().map(|k| format!("{k}-{attempt}")),
                ..self.base.opts.clone()
            };
            let update = CustomerUpdate { metadata: Patch::Set(merged), ..CustomerUpdate::default() };
            match self.with_options(opts).update(id, update).await {
                Err(Error::Api(e)) if e.status == 412 && attempt + 1 < MERGE_ATTEMPTS => {
                    attempt += 1;
                    let pause = 5 * u64::from(attempt) + rand::random::<u64>() % 20;
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
        self.base.post("/api/subscriptions", Some(&body)).await
    }

    /// `GET /api/subscriptions/{id}`.
    pub async fn get(&self, id: &str) -> Result<Subscription> {
        validate::id("id", id)?;
        self.base.get(&format!("/api/subscriptions/{}", seg(id))).await
    }

    /// `POST /api/subscriptions/{id}/cancel`: idempotent.
    pub async fn cancel(&self, id: &str) -> Result<Subscription> {
        validate::id("id", id)?;
        self.base.post(&format!("/api/subscriptions/{}/cancel", seg(id)), NO_BODY).await
    }
}

impl Invoices {
    /// `POST /api/invoices`: amount in major units.
    pub async fn create(&self, params: InvoiceCreate) -> Result<Invoice> {
        let body = validate::invoice_create(params)?;
        self.base.post("/api/invoices", Some(&body)).await
    }

    /// `GET /api/invoices/{id}`.
    pub async fn get(&self, id: &str) -> Result<Invoice> {
        validate::id("id", id)?;
        self.base.get(&format!("/api/invoices/{}", seg(id))).await
    }

    /// `POST /api/invoices/{id}/pay`: 409 if void.
    pub async fn pay(&self, id: &str) -> Result<Invoice> {
        validate::id("id", id)?;
        self.base.post(&format!("/api/invoices/{}/pay", seg(id)), NO_BODY).await
    }

    /// `POST /api/invoices/{id}/void`: 409 if paid.
    pub async fn void(&self, id: &str) -> Result<Invoice> {
        validate::id("id", id)?;
        self.base.post(&format!("/api/invoices/{}/void", seg(id)), NO_BODY).await
    }
}
