//! `client.events()`: the events webhooks deliver, read back as the same
//! `WebhookEvent` record a verified delivery gives. Records here, behaviour in core.

use crate::error::NovaBillingError;
use crate::inputs::RequestOptions;
use crate::webhooks::WebhookEvent;

type Result<T, E = NovaBillingError> = std::result::Result<T, E>;

/// The query of `events.list`. Only the fields set are sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct EventListParams {
    #[uniffi(default)]
    pub page: Option<u32>,
    #[uniffi(default)]
    pub limit: Option<u32>,
    /// Only events of this type (`customer.created`, ...).
    #[uniffi(default)]
    pub r#type: Option<String>,
    /// Only events about this customer.
    #[uniffi(default)]
    pub customer_id: Option<String>,
}

/// One page of events, newest first: ask for `page + 1` while `has_more`.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct EventPage {
    pub data: Vec<WebhookEvent>,
    /// Events matching the query, over all pages.
    pub total: i64,
    pub page: i64,
    pub limit: i64,
    pub total_pages: i64,
    /// Whether a page follows this one.
    pub has_more: bool,
    pub request_id: Option<String>,
}

impl From<novabilling::Page<novabilling::WebhookEvent>> for EventPage {
    fn from(p: novabilling::Page<novabilling::WebhookEvent>) -> Self {
        EventPage {
            total: i64::try_from(p.total).unwrap_or(i64::MAX),
            page: i64::from(p.page),
            limit: i64::from(p.limit),
            total_pages: i64::from(p.total_pages),
            has_more: p.has_more(),
            request_id: p.response.request_id,
            data: p.data.into_iter().map(WebhookEvent::from).collect(),
        }
    }
}

/// The events webhooks deliver.
#[derive(uniffi::Object)]
pub struct Events {
    pub(crate) client: novabilling::Client,
}

impl Events {
    fn core(&self, o: Option<RequestOptions>) -> novabilling::Events {
        self.client.events().with_options(o.map(Into::into).unwrap_or_default())
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl Events {
    /// `GET /api/events`: a page of events, newest first.
    #[uniffi::method(default(params = None, options = None))]
    pub async fn list(&self, params: Option<EventListParams>, options: Option<RequestOptions>) -> Result<EventPage> {
        let p = params.unwrap_or_default();
        let params = novabilling::EventListParams { page: p.page, limit: p.limit, event_type: p.r#type, customer_id: p.customer_id };
        Ok(self.core(options).list(params).await?.into())
    }

    /// `GET /api/events/{id}`: one event, as its deliveries send it.
    #[uniffi::method(default(options = None))]
    pub async fn get(&self, id: String, options: Option<RequestOptions>) -> Result<WebhookEvent> {
        Ok(self.core(options).get(&id).await?.into())
    }
}
