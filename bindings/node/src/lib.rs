//! `novabilling.node`: the core's client for Node.js. Conversions only; the
//! behaviour lives in the `novabilling` crate, and the JS layer (node/index.js)
//! builds the package's classes, errors and pagination over these calls.
//!
//! Every call returns a Promise of one JSON string (see `convert`): the work,
//! HTTP included, runs on napi-rs's tokio runtime (one per process), never on
//! the JavaScript thread.

mod convert;

use std::future::Future;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use novabilling::{
    Client, Cursor, CustomerCreate, CustomerUpdate, InvoiceCreate, ListParams, Metadata, PageParams, SubscriptionCreate,
};
use serde::Deserialize;
use tokio::sync::watch;

use crate::convert::{Config, Output, PageOut, encode_result, error_payload, input, options};

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
        let Some(mut rx) = rx else { return Ok(encode_result(fut.await)) };
        let cancelled = async move {
            // A dropped token cancels nothing.
            if rx.wait_for(|c| *c).await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            biased;
            () = cancelled => Ok(ABORTED.to_owned()),
            r = fut => Ok(encode_result(r)),
        }
    })
}

/// Throws a sync failure (the constructor's) as an Error whose message is the payload.
fn throw(e: novabilling::Error) -> napi::Error {
    napi::Error::new(Status::InvalidArg, error_payload(&e).to_string())
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
            Some(json) => input("options", &json).map_err(throw)?,
            None => Config::default(),
        };
        let client = Client::from_config(&config.into_core(user_agent)).map_err(throw)?;
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

    // ---- customers ---------------------------------------------------------

    #[napi]
    pub fn customers_create<'env>(
        &self,
        env: &'env Env,
        params: String,
        opts: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'env, String>> {
        let client = self.client.clone();
        spawn(env, cancel, async move {
            let params: CustomerCreate = input("params", &params)?;
            client.customers().with_options(options(opts.as_deref())?).create(params).await
        })
    }

    #[napi]
    pub fn customers_get<'env>(
        &self,
        env: &'env Env,
        id: String,
        opts: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'env, String>> {
        let client = self.client.clone();
        spawn(env, cancel, async move { client.customers().with_options(options(opts.as_deref())?).get(&id).await })
    }

    #[napi]
    pub fn customers_get_by_external_id<'env>(
        &self,
        env: &'env Env,
        external_id: String,
        opts: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'env, String>> {
        let client = self.client.clone();
        spawn(env, cancel, async move {
            client.customers().with_options(options(opts.as_deref())?).get_by_external_id(&external_id).await
        })
    }

    #[napi]
    pub fn customers_update<'env>(
        &self,
        env: &'env Env,
        id: String,
        params: String,
        opts: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'env, String>> {
        let client = self.client.clone();
        spawn(env, cancel, async move {
            let params: CustomerUpdate = input("params", &params)?;
            client.customers().with_options(options(opts.as_deref())?).update(&id, params).await
        })
    }

    #[napi]
    pub fn customers_delete<'env>(
        &self,
        env: &'env Env,
        id: String,
        opts: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'env, String>> {
        let client = self.client.clone();
        spawn(env, cancel, async move { client.customers().with_options(options(opts.as_deref())?).delete(&id).await })
    }

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
            let params: ListParams = match params {
                Some(json) => input("params", &json)?,
                None => ListParams::default(),
            };
            Ok(PageOut(client.customers().with_options(options(opts.as_deref())?).list(params).await?))
        })
    }

    /// The page a page's `nextCursor` points at, on its listing's route and filters.
    #[napi]
    pub fn customers_page<'env>(
        &self,
        env: &'env Env,
        cursor: String,
        opts: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'env, String>> {
        let client = self.client.clone();
        spawn(env, cancel, async move {
            let cursor = Cursor::decode(&cursor)?;
            Ok(PageOut(client.customers().with_options(options(opts.as_deref())?).page(&cursor).await?))
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
            let params: PageParams = match params {
                Some(json) => input("params", &json)?,
                None => PageParams::default(),
            };
            Ok(PageOut(client.customers().with_options(options(opts.as_deref())?).list_unresolved(params).await?))
        })
    }

    #[napi]
    pub fn customers_bind<'env>(
        &self,
        env: &'env Env,
        id: String,
        external_id: String,
        opts: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'env, String>> {
        let client = self.client.clone();
        spawn(env, cancel, async move {
            client.customers().with_options(options(opts.as_deref())?).bind(&id, &external_id).await
        })
    }

    /// `customers`: the JSON array of Stripe customer objects, as exported.
    #[napi]
    pub fn customers_import_stripe<'env>(
        &self,
        env: &'env Env,
        customers: String,
        opts: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'env, String>> {
        let client = self.client.clone();
        spawn(env, cancel, async move {
            let list: Vec<serde_json::Value> = input("customers", &customers)?;
            client.customers().with_options(options(opts.as_deref())?).import_stripe_json(list).await
        })
    }

    /// `changes`: `{ set?, unset? }`.
    #[napi]
    pub fn customers_merge_metadata<'env>(
        &self,
        env: &'env Env,
        id: String,
        changes: String,
        opts: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'env, String>> {
        let client = self.client.clone();
        spawn(env, cancel, async move {
            let m: MergeInput = input("changes", &changes)?;
            client.customers().with_options(options(opts.as_deref())?).merge_metadata(&id, m.set, &m.unset).await
        })
    }

    #[napi]
    pub fn customers_subscriptions<'env>(
        &self,
        env: &'env Env,
        id: String,
        opts: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'env, String>> {
        let client = self.client.clone();
        spawn(env, cancel, async move {
            client.customers().with_options(options(opts.as_deref())?).subscriptions(&id).await
        })
    }

    #[napi]
    pub fn customers_invoices<'env>(
        &self,
        env: &'env Env,
        id: String,
        opts: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'env, String>> {
        let client = self.client.clone();
        spawn(env, cancel, async move { client.customers().with_options(options(opts.as_deref())?).invoices(&id).await })
    }

    // ---- subscriptions -------------------------------------------------------

    #[napi]
    pub fn subscriptions_create<'env>(
        &self,
        env: &'env Env,
        params: String,
        opts: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'env, String>> {
        let client = self.client.clone();
        spawn(env, cancel, async move {
            let params: SubscriptionCreate = input("params", &params)?;
            client.subscriptions().with_options(options(opts.as_deref())?).create(params).await
        })
    }

    #[napi]
    pub fn subscriptions_get<'env>(
        &self,
        env: &'env Env,
        id: String,
        opts: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'env, String>> {
        let client = self.client.clone();
        spawn(env, cancel, async move { client.subscriptions().with_options(options(opts.as_deref())?).get(&id).await })
    }

    #[napi]
    pub fn subscriptions_cancel<'env>(
        &self,
        env: &'env Env,
        id: String,
        opts: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'env, String>> {
        let client = self.client.clone();
        spawn(env, cancel, async move { client.subscriptions().with_options(options(opts.as_deref())?).cancel(&id).await })
    }

    // ---- invoices ------------------------------------------------------------

    #[napi]
    pub fn invoices_create<'env>(
        &self,
        env: &'env Env,
        params: String,
        opts: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'env, String>> {
        let client = self.client.clone();
        spawn(env, cancel, async move {
            let params: InvoiceCreate = input("params", &params)?;
            client.invoices().with_options(options(opts.as_deref())?).create(params).await
        })
    }

    #[napi]
    pub fn invoices_get<'env>(
        &self,
        env: &'env Env,
        id: String,
        opts: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'env, String>> {
        let client = self.client.clone();
        spawn(env, cancel, async move { client.invoices().with_options(options(opts.as_deref())?).get(&id).await })
    }

    #[napi]
    pub fn invoices_pay<'env>(
        &self,
        env: &'env Env,
        id: String,
        opts: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'env, String>> {
        let client = self.client.clone();
        spawn(env, cancel, async move { client.invoices().with_options(options(opts.as_deref())?).pay(&id).await })
    }

    #[napi]
    pub fn invoices_void<'env>(
        &self,
        env: &'env Env,
        id: String,
        opts: Option<String>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'env, String>> {
        let client = self.client.clone();
        spawn(env, cancel, async move { client.invoices().with_options(options(opts.as_deref())?).void(&id).await })
    }
}
