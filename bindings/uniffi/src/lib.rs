//! Kotlin and Swift bindings of the NovaBilling SDK core, through uniffi
//! (proc-macros, library mode). This crate only converts: records <-> core
//! types, core errors -> [`NovaBillingError`]. Validation, retries, URLs,
//! error parsing and paging decisions are the core's.
//!
//! Async methods run the core's futures on tokio (`async_runtime = "tokio"`):
//! Kotlin sees `suspend fun`, Swift `async throws`.

// The error is uniffi's one error enum, lowered by value across the FFI: it cannot be boxed.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{Stream, StreamExt};
use tokio::sync::Mutex;

mod error;
mod events;
mod inputs;
mod json;
mod keys;
mod results;
mod seconds;
mod webhooks;

pub use error::{ErrorInfo, FieldError, NovaBillingError};
pub use events::{EventListParams, EventPage, Events};
pub use inputs::*;
pub use json::*;
pub use keys::{EphemeralKey, Key, KeyCreate, Keys};
pub use results::*;
pub use seconds::Seconds;
pub use webhooks::*;

uniffi::setup_scaffolding!();

type Result<T, E = NovaBillingError> = std::result::Result<T, E>;

/// The product token in front of the core's User-Agent.
const USER_AGENT: &str = concat!("novabilling-uniffi/", env!("CARGO_PKG_VERSION"));

/// A client of the customers API. Cheap to share between coroutines / tasks.
#[derive(uniffi::Object)]
pub struct NovaBillingClient {
    client: novabilling::Client,
}

#[uniffi::export]
impl NovaBillingClient {
    /// `token` (alias `apiKey`), else `NOVABILLING_API_KEY`; `baseUrl`, else
    /// `NOVABILLING_BASE_URL`, else `http://localhost:3000`; `timeout` of one
    /// attempt (60 s); `connectTimeout` (10 s); `maxRetries` after the first
    /// attempt (2, at most 20); `defaultHeaders` sent with every request;
    /// `caCertificates`, extra trusted roots as PEM text or a PEM file's path;
    /// `allowSecretKey`, to accept a secret `sk_` key (a JVM server: in an app
    /// anyone can read it, so it is refused there by default). The
    /// core checks each: a missing key is a `Validation` error on field
    /// `token`, a zero or negative time `out_of_range`.
    #[uniffi::constructor(default(token = None, api_key = None, base_url = None, timeout = None, connect_timeout = None,
        max_retries = None, default_headers = None, ca_certificates = None, allow_secret_key = None))]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        token: Option<String>,
        api_key: Option<String>,
        base_url: Option<String>,
        timeout: Option<Seconds>,
        connect_timeout: Option<Seconds>,
        max_retries: Option<i64>,
        default_headers: Option<HashMap<String, String>>,
        ca_certificates: Option<String>,
        allow_secret_key: Option<bool>,
    ) -> Result<Arc<Self>> {
        let mut default_headers: Vec<(String, String)> = default_headers.unwrap_or_default().into_iter().collect();
        default_headers.sort();
        let config = novabilling::ClientConfig {
            token,
            api_key,
            base_url,
            timeout: timeout.map(Seconds::span),
            connect_timeout: connect_timeout.map(Seconds::span),
            max_retries,
            default_headers,
            backoff: None,
            user_agent: Some(USER_AGENT.to_owned()),
            ca_certificates,
            allow_secret_key,
            // Kotlin and Swift ship in apps, where anyone can read a key: a
            // secret one is refused unless the caller (a JVM server) says otherwise.
            app_environment: true,
        };
        Ok(Arc::new(NovaBillingClient { client: novabilling::Client::from_config(&config)? }))
    }

    pub fn customers(&self) -> Arc<Customers> {
        Arc::new(Customers { client: self.client.clone() })
    }

    pub fn subscriptions(&self) -> Arc<Subscriptions> {
        Arc::new(Subscriptions { client: self.client.clone() })
    }

    pub fn invoices(&self) -> Arc<Invoices> {
        Arc::new(Invoices { client: self.client.clone() })
    }

    pub fn keys(&self) -> Arc<Keys> {
        Arc::new(Keys { client: self.client.clone() })
    }

    /// The events webhooks deliver, to read back.
    pub fn events(&self) -> Arc<Events> {
        Arc::new(Events { client: self.client.clone() })
    }

    /// The base URL in use, normalized.
    pub fn base_url(&self) -> String {
        self.client.base_url().to_owned()
    }

    pub fn timeout(&self) -> Duration {
        self.client.timeout()
    }

    pub fn max_retries(&self) -> u32 {
        self.client.max_retries()
    }
}

fn opts(o: Option<RequestOptions>) -> novabilling::RequestOptions {
    o.map(Into::into).unwrap_or_default()
}

/// The customers of your tenant.
#[derive(uniffi::Object)]
pub struct Customers {
    client: novabilling::Client,
}

impl Customers {
    fn core(&self, o: Option<RequestOptions>) -> novabilling::Customers {
        self.client.customers().with_options(opts(o))
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl Customers {
    /// `POST /api/customers`.
    #[uniffi::method(default(options = None))]
    pub async fn create(&self, params: CustomerCreate, options: Option<RequestOptions>) -> Result<Customer> {
        let params = params.into_core()?;
        Ok(self.core(options).create(params).await?.into())
    }

    /// `GET /api/customers/{id}`.
    #[uniffi::method(default(options = None))]
    pub async fn get(&self, id: String, options: Option<RequestOptions>) -> Result<Customer> {
        Ok(self.core(options).get(&id).await?.into())
    }

    /// `GET /api/customers/external/{externalId}`: the customer bound to your user id.
    #[uniffi::method(default(options = None))]
    pub async fn get_by_external_id(&self, external_id: String, options: Option<RequestOptions>) -> Result<Customer> {
        Ok(self.core(options).get_by_external_id(&external_id).await?.into())
    }

    /// `PATCH /api/customers/{id}`: fields left null are untouched; metadata is replaced whole.
    #[uniffi::method(default(options = None))]
    pub async fn update(&self, id: String, params: CustomerUpdate, options: Option<RequestOptions>) -> Result<Customer> {
        let params = params.into_core()?;
        Ok(self.core(options).update(&id, params).await?.into())
    }

    /// `DELETE /api/customers/{id}`: cancels its subscriptions and voids its unpaid invoices.
    #[uniffi::method(default(options = None))]
    pub async fn delete(&self, id: String, options: Option<RequestOptions>) -> Result<Deleted> {
        Ok(self.core(options).delete(&id).await?.into())
    }

    /// `GET /api/customers`: one page; its `nextCursor` continues the listing.
    #[uniffi::method(default(params = None, options = None))]
    pub async fn list(&self, params: Option<ListParams>, options: Option<RequestOptions>) -> Result<CustomerPage> {
        Ok(self.core(options).list(params.unwrap_or_default().into()).await?.into())
    }

    /// The page a page's `nextCursor` points at, on the route and with the filters of its listing.
    #[uniffi::method(default(options = None))]
    pub async fn page(&self, cursor: String, options: Option<RequestOptions>) -> Result<CustomerPage> {
        let cursor = novabilling::Cursor::decode(&cursor)?;
        Ok(self.core(options).page(&cursor).await?.into())
    }

    /// Every customer matching `params`, page after page, from `params.page` on.
    #[uniffi::method(default(params = None, options = None))]
    pub fn list_all(&self, params: Option<ListParams>, options: Option<RequestOptions>) -> Arc<CustomerPager> {
        let stream = self.core(options).list_auto(params.unwrap_or_default().into());
        CustomerPager::new(stream)
    }

    /// `GET /api/customers/unresolved`: imported customers with no externalId yet.
    #[uniffi::method(default(params = None, options = None))]
    pub async fn list_unresolved(&self, params: Option<PageParams>, options: Option<RequestOptions>) -> Result<CustomerPage> {
        Ok(self.core(options).list_unresolved(params.unwrap_or_default().into()).await?.into())
    }

    /// Every unresolved customer, page after page. Binding removes customers
    /// from this list, so collect them first when you bind as you go.
    #[uniffi::method(default(params = None, options = None))]
    pub fn list_unresolved_all(&self, params: Option<PageParams>, options: Option<RequestOptions>) -> Arc<CustomerPager> {
        let stream = self.core(options).list_unresolved_auto(params.unwrap_or_default().into());
        CustomerPager::new(stream)
    }

    /// `POST /api/customers/{id}/bind`: one-way; Conflict if already bound or the id is taken.
    #[uniffi::method(default(options = None))]
    pub async fn bind(&self, id: String, external_id: String, options: Option<RequestOptions>) -> Result<Customer> {
        Ok(self.core(options).bind(&id, &external_id).await?.into())
    }

    /// `POST /api/customers/import/stripe`: idempotent by Stripe id.
    #[uniffi::method(default(options = None))]
    pub async fn import_stripe(&self, customers: Vec<StripeCustomer>, options: Option<RequestOptions>) -> Result<ImportResult> {
        let customers = customers.into_iter().map(StripeCustomer::into_core).collect::<Result<Vec<_>>>()?;
        Ok(self.core(options).import_stripe(customers).await?.into())
    }

    /// Like `importStripe`, from Stripe's exported JSON array as it is.
    #[uniffi::method(default(options = None))]
    pub async fn import_stripe_json(&self, json: String, options: Option<RequestOptions>) -> Result<ImportResult> {
        let values: Vec<serde_json::Value> = serde_json::from_str(&json)
            .map_err(|e| error::invalid("customers", format!("customers must be a JSON array of Stripe customer objects: {e}")))?;
        Ok(self.core(options).import_stripe_json(values).await?.into())
    }

    /// `GET /api/customers/{id}/subscriptions`.
    #[uniffi::method(default(options = None))]
    pub async fn subscriptions(&self, id: String, options: Option<RequestOptions>) -> Result<Vec<Subscription>> {
        Ok(self.core(options).subscriptions(&id).await?.data.into_iter().map(Into::into).collect())
    }

    /// `GET /api/customers/{id}/invoices`.
    #[uniffi::method(default(options = None))]
    pub async fn invoices(&self, id: String, options: Option<RequestOptions>) -> Result<Vec<Invoice>> {
        Ok(self.core(options).invoices(&id).await?.data.into_iter().map(Into::into).collect())
    }

    /// Sets and removes metadata keys without losing keys written concurrently
    /// (read, merge, write with If-Match, again on 412). A key in both ends up set.
    #[uniffi::method(default(unset = [], options = None))]
    pub async fn merge_metadata(
        &self,
        id: String,
        set: Metadata,
        unset: Vec<String>,
        options: Option<RequestOptions>,
    ) -> Result<Customer> {
        let set = set.parse("metadata")?;
        Ok(self.core(options).merge_metadata(&id, set, &unset).await?.into())
    }
}

type CustomerStream = Pin<Box<dyn Stream<Item = novabilling::Result<novabilling::Customer>> + Send>>;

/// Customers one at a time over every page (the core's auto-pagination).
/// Kotlin: `asFlow()`; Swift: `for try await c in pager`.
#[derive(uniffi::Object)]
pub struct CustomerPager {
    stream: Mutex<CustomerStream>,
}

impl CustomerPager {
    fn new(s: impl Stream<Item = novabilling::Result<novabilling::Customer>> + Send + 'static) -> Arc<Self> {
        Arc::new(CustomerPager { stream: Mutex::new(Box::pin(s)) })
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl CustomerPager {
    /// The next customer, or null after the last; fetches a page when needed.
    pub async fn next(&self) -> Result<Option<Customer>> {
        match self.stream.lock().await.next().await {
            None => Ok(None),
            Some(r) => Ok(Some(r?.into())),
        }
    }
}

/// The subscriptions behind `activeSubscriptions`.
#[derive(uniffi::Object)]
pub struct Subscriptions {
    client: novabilling::Client,
}

#[uniffi::export(async_runtime = "tokio")]
impl Subscriptions {
    /// `POST /api/subscriptions`.
    #[uniffi::method(default(options = None))]
    pub async fn create(&self, params: SubscriptionCreate, options: Option<RequestOptions>) -> Result<Subscription> {
        Ok(self.client.subscriptions().with_options(opts(options)).create(params.into()).await?.into())
    }

    /// `GET /api/subscriptions/{id}`.
    #[uniffi::method(default(options = None))]
    pub async fn get(&self, id: String, options: Option<RequestOptions>) -> Result<Subscription> {
        Ok(self.client.subscriptions().with_options(opts(options)).get(&id).await?.into())
    }

    /// `POST /api/subscriptions/{id}/cancel`: idempotent.
    #[uniffi::method(default(options = None))]
    pub async fn cancel(&self, id: String, options: Option<RequestOptions>) -> Result<Subscription> {
        Ok(self.client.subscriptions().with_options(opts(options)).cancel(&id).await?.into())
    }
}

/// The invoices behind `totalSpent`.
#[derive(uniffi::Object)]
pub struct Invoices {
    client: novabilling::Client,
}

#[uniffi::export(async_runtime = "tokio")]
impl Invoices {
    /// `POST /api/invoices`: amount in major units.
    #[uniffi::method(default(options = None))]
    pub async fn create(&self, params: InvoiceCreate, options: Option<RequestOptions>) -> Result<Invoice> {
        let params = params.into_core()?;
        Ok(self.client.invoices().with_options(opts(options)).create(params).await?.into())
    }

    /// `GET /api/invoices/{id}`.
    #[uniffi::method(default(options = None))]
    pub async fn get(&self, id: String, options: Option<RequestOptions>) -> Result<Invoice> {
        Ok(self.client.invoices().with_options(opts(options)).get(&id).await?.into())
    }

    /// `POST /api/invoices/{id}/pay`: Conflict if void.
    #[uniffi::method(default(options = None))]
    pub async fn pay(&self, id: String, options: Option<RequestOptions>) -> Result<Invoice> {
        Ok(self.client.invoices().with_options(opts(options)).pay(&id).await?.into())
    }

    /// `POST /api/invoices/{id}/void`: Conflict if paid.
    #[uniffi::method(default(options = None))]
    pub async fn void(&self, id: String, options: Option<RequestOptions>) -> Result<Invoice> {
        Ok(self.client.invoices().with_options(opts(options)).void(&id).await?.into())
    }
}
