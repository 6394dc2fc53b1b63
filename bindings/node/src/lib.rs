//! `novabilling.node`: the core's client for Node.js. Conversions only; the
//! behaviour lives in the `novabilling` crate, and the JS layer (node/index.js)
//! builds the package's classes, errors and pagination over these calls.
//!
//! Every call returns a Promise of one JSON string (see `convert`): the work,
//! HTTP included, runs on napi-rs's tokio runtime (one per process), never on
//! the JavaScript thread.

mod convert;
// Public so that its functions stay reachable in test builds, where napi
// registers nothing and private exports would count as dead code.
pub mod webhooks;

use std::future::Future;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use novabilling::{
    Client, Cursor, CustomerCreate, CustomerUpdate, EventListParams, InvoiceCreate, KeyCreate, ListParams, Metadata, PageParams, Span,
    SubscriptionCreate,
};
use serde::Deserialize;
use tokio::sync::watch;

use crate::convert::{Config, EventPageOut, Output, PageOut, encode_result, error_payload, input, options};

/// What an aborted call resolves to; the JS layer rejects with its AbortError.
const ABORTED: &str = r#"{"aborted":true}"#;

/// Cancels the calls it was handed to: `AbortSignal` support. The JS layer
/// makes one per call that has a signal and cancels it on `abort`; the core
/// future is dropped, which closes its request.
#[napi]
pub struct CancelToken {
    tx: watch::Sender<bool>,
}

#[napi]
impl CancelToken {
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        CancelToken { tx: watch::channel(false).0 }
    }

    #[napi]
    pub fn cancel(&self) {
        self.tx.send_replace(true);
    }
}

/// Runs a core call on the runtime; cancelled when `cancel` fires first.
fn spawn<'env, T, F>(env: &'env Env, cancel: Option<&CancelToken>, fut: F) -> Result<PromiseRaw<'env, String>>
where
    T: Output + Send + 'static,
    F: Future<Output = novabilling::Result<T>> + Send + 'static,
{
    let rx = cancel.map(|c| c.tx.subscribe());
    env.spawn_future(async move {
        let Some(mut rx) = rx else { return Ok(encode_result(&fut.await)) };
        let cancelled = async move {
            // A dropped token cancels nothing.
            if rx.wait_for(|c| *c).await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            biased;
            () = cancelled => Ok(ABORTED.to_owned()),
            r = fut => Ok(encode_result(&r)),
        }
    })
}

/// Throws a sync failure (the constructor's) as an Error whose message is the payload.
fn throw(e: &novabilling::Error) -> napi::Error {
    napi::Error::new(Status::InvalidArg, error_payload(e).to_string())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MergeInput {
    #[serde(default)]
    set: Metadata,
    #[serde(default)]
    unset: Vec<String>,
}

/// The core client of one `NovaBillingClient`: one connection pool, shared by
/// every call made through it.
#[napi]
pub struct NativeClient {
    client: Client,
}

#[napi]
impl NativeClient {
    /// `config`: the JSON of the client options; `user_agent`: the binding's product token.
    #[napi(constructor)]
    pub fn new(config: Option<String>, user_agent: String) -> Result<Self> {
        let config: Config = match config {
            Some(json) => input("options", &json).map_err(|e| throw(&e))?,
            None => Config::default(),
        };
        let client = Client::from_config(&config.into_core(user_agent)).map_err(|e| throw(&e))?;
        Ok(NativeClient { client })
    }

    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.client.base_url().to_owned()
    }

    #[napi(getter)]
    pub fn timeout_ms(&self) -> f64 {
        self.client.timeout().as_secs_f64() * 1000.0
    }

    #[napi(getter)]
    pub fn max_retries(&self) -> u32 {
        self.client.max_retries()
    }
}

/// Writes the native calls from one list: each takes its arguments, the JSON
/// of its options and an optional cancel token, and runs the core call on
/// the runtime. `|client, opts|` names the core client and the checked options.
macro_rules! calls {
    ($( $(#[$doc:meta])* fn $name:ident($($arg:ident),*) => |$client:ident, $opts:ident| $body:expr; )*) => {
        #[napi]
        impl NativeClient {
            $(
                $(#[$doc])*
                #[napi]
                pub fn $name<'env>(
                    &self,
                    env: &'env Env,
                    $($arg: String,)*
                    opts: Option<String>,
                    cancel: Option<&CancelToken>,
                ) -> Result<PromiseRaw<'env, String>> {
                    let $client = self.client.clone();
                    spawn(env, cancel, async move {
                        let $opts = options(opts.as_deref())?;
                        $body
                    })
                }
            )*
        }
    };
}

/// Reads an optional JSON argument; absent is the default value.
fn optional<T: serde::de::DeserializeOwned + Default>(what: &str, json: Option<String>) -> novabilling::Result<T> {
    json.map_or_else(|| Ok(T::default()), |j| input(what, &j))
}

/// A lifetime in JavaScript's milliseconds (`null`: the default), checked by core.
fn ttl(json: &str) -> novabilling::Result<Option<std::time::Duration>> {
    let ms: Option<f64> = input("ttl", json)?;
    Ok(ms.map(|ms| Span::Millis(ms).check("ttl")).transpose()?)
}

calls! {
    fn customers_create(params) => |c, o| c.customers().with_options(o).create(input::<CustomerCreate>("params", &params)?).await;
    fn customers_get(id) => |c, o| c.customers().with_options(o).get(&id).await;
    fn customers_get_by_external_id(external_id) => |c, o| c.customers().with_options(o).get_by_external_id(&external_id).await;
    /// `params`: the wire form; absent fields are untouched, `null` clears.
    fn customers_update(id, params) => |c, o| c.customers().with_options(o).update(&id, input::<CustomerUpdate>("params", &params)?).await;
    fn customers_delete(id) => |c, o| c.customers().with_options(o).delete(&id).await;
    /// The page a page's `nextCursor` points at, on its listing's route and filters.
    fn customers_page(cursor) => |c, o| Ok(PageOut(c.customers().with_options(o).page(&Cursor::decode(&cursor)?).await?));
    fn customers_bind(id, external_id) => |c, o| c.customers().with_options(o).bind(&id, &external_id).await;
    /// `customers`: the JSON array of Stripe customer objects, as exported.
    fn customers_import_stripe(customers) => |c, o| {
        let list: Vec<serde_json::Value> = input("customers", &customers)?;
        c.customers().with_options(o).import_stripe_json(list).await
    };
    /// `changes`: `{ set?, unset? }`.
    fn customers_merge_metadata(id, changes) => |c, o| {
        let m: MergeInput = input("changes", &changes)?;
        c.customers().with_options(o).merge_metadata(&id, m.set, &m.unset).await
    };
    fn customers_subscriptions(id) => |c, o| c.customers().with_options(o).subscriptions(&id).await;
    fn customers_invoices(id) => |c, o| c.customers().with_options(o).invoices(&id).await;
    fn subscriptions_create(params) => |c, o| c.subscriptions().with_options(o).create(input::<SubscriptionCreate>("params", &params)?).await;
    fn subscriptions_get(id) => |c, o| c.subscriptions().with_options(o).get(&id).await;
    fn subscriptions_cancel(id) => |c, o| c.subscriptions().with_options(o).cancel(&id).await;
    fn invoices_create(params) => |c, o| c.invoices().with_options(o).create(input::<InvoiceCreate>("params", &params)?).await;
    fn invoices_get(id) => |c, o| c.invoices().with_options(o).get(&id).await;
    fn invoices_pay(id) => |c, o| c.invoices().with_options(o).pay(&id).await;
    fn invoices_void(id) => |c, o| c.invoices().with_options(o).void(&id).await;
    fn keys_create(params) => |c, o| c.keys().with_options(o).create(input::<KeyCreate>("params", &params)?).await;
    fn keys_list() => |c, o| c.keys().with_options(o).list().await;
    fn keys_revoke(id) => |c, o| c.keys().with_options(o).revoke(&id).await;
    /// `ttl_ms`: JSON, milliseconds or `null` for the default; core checks it.
    fn keys_create_ephemeral(customer_id, ttl_ms) => |c, o| {
        let ttl = ttl(&ttl_ms)?;
        c.keys().with_options(o).create_ephemeral(&customer_id, ttl).await
    };
    fn keys_create_ephemeral_for_external_id(external_id, ttl_ms) => |c, o| {
        let ttl = ttl(&ttl_ms)?;
        c.keys().with_options(o).create_ephemeral_for_external_id(&external_id, ttl).await
    };
    fn keys_revoke_ephemeral(id) => |c, o| c.keys().with_options(o).revoke_ephemeral(&id).await;
    fn events_get(id) => |c, o| c.events().with_options(o).get(&id).await;
}

// The listings take an optional query, so they stand apart from the list above.
#[napi]
impl NativeClient {
    /// One page; its `nextCursor` continues the listing.
    #[napi]
    pub fn customers_list<'env>(
        &self,
        env: &'env Env,
        params: Option<String>,
        opts: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'env, String>> {
        let client = self.client.clone();
        spawn(env, cancel, async move {
            let params: ListParams = optional("params", params)?;
            Ok(PageOut(client.customers().with_options(options(opts.as_deref())?).list(params).await?))
        })
    }

    #[napi]
    pub fn customers_list_unresolved<'env>(
        &self,
        env: &'env Env,
        params: Option<String>,
        opts: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'env, String>> {
        let client = self.client.clone();
        spawn(env, cancel, async move {
            let params: PageParams = optional("params", params)?;
            Ok(PageOut(client.customers().with_options(options(opts.as_deref())?).list_unresolved(params).await?))
        })
    }

    /// One page of events, newest first.
    #[napi]
    pub fn events_list<'env>(
        &self,
        env: &'env Env,
        params: Option<String>,
        opts: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'env, String>> {
        let client = self.client.clone();
        spawn(env, cancel, async move {
            let params: EventListParams = optional("params", params)?;
            Ok(EventPageOut(client.events().with_options(options(opts.as_deref())?).list(params).await?))
        })
    }
}
