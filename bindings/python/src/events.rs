//! `client.events`, blocking and async: the events webhooks deliver, read
//! back as the same `WebhookEvent` a verified delivery gives.

use novabilling::{EventListParams, Page, WebhookEvent as CoreEvent};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::cell::ClientCell;
use crate::convert::options;
use crate::models::list_of;
use crate::pages::{Mode, run};
use crate::webhooks::WebhookEvent;

/// A page of events, newest first. Ask for `page + 1` while `has_more`.
#[pyclass(frozen, module = "novabilling", name = "EventPage")]
pub struct EventPage {
    inner: Page<CoreEvent>,
}

#[pymethods]
impl EventPage {
    #[getter]
    fn data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyList>> {
        list_of::<WebhookEvent, CoreEvent>(py, self.inner.data.clone())
    }
    #[getter]
    fn total(&self) -> u64 {
        self.inner.total
    }
    #[getter]
    fn page(&self) -> u32 {
        self.inner.page
    }
    #[getter]
    fn limit(&self) -> u32 {
        self.inner.limit
    }
    #[getter]
    fn total_pages(&self) -> u32 {
        self.inner.total_pages
    }
    #[getter]
    fn has_more(&self) -> bool {
        self.inner.has_more()
    }
    #[getter]
    fn request_id(&self) -> Option<&str> {
        self.inner.response.request_id.as_deref()
    }
    fn __len__(&self) -> usize {
        self.inner.data.len()
    }
    fn __repr__(&self) -> String {
        format!("EventPage(page={}, total_pages={}, total={}, events={})", self.inner.page, self.inner.total_pages, self.inner.total, self.inner.data.len())
    }
}

macro_rules! events_class {
    ($cls:ident, $pyname:literal, $mode:expr) => {
        /// The events webhooks deliver, newest first.
        #[pyclass(frozen, module = "novabilling", name = $pyname)]
        pub struct $cls {
            pub(crate) cell: ClientCell,
        }

        #[pymethods]
        impl $cls {
            #[pyo3(signature = (*, page=None, limit=None, r#type=None, customer_id=None, timeout=None, max_retries=None,
                extra_headers=None))]
            #[allow(clippy::too_many_arguments)]
            fn list<'py>(&self, py: Python<'py>, page: Option<u32>, limit: Option<u32>, r#type: Option<String>,
                customer_id: Option<String>, timeout: Option<f64>, max_retries: Option<i64>,
                extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let params = EventListParams { page, limit, event_type: r#type, customer_id };
                let c = self.cell.events(py, options(timeout, max_retries, None, extra_headers)?)?;
                run(py, $mode, async move { c.list(params).await.map(|inner| EventPage { inner }) })
            }

            #[pyo3(signature = (id, *, timeout=None, max_retries=None, extra_headers=None))]
            fn get<'py>(&self, py: Python<'py>, id: String, timeout: Option<f64>, max_retries: Option<i64>,
                extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let c = self.cell.events(py, options(timeout, max_retries, None, extra_headers)?)?;
                run(py, $mode, async move { c.get(&id).await.map(WebhookEvent::from) })
            }
        }
    };
}

events_class!(Events, "Events", Mode::Sync);
events_class!(AsyncEvents, "AsyncEvents", Mode::Async);
