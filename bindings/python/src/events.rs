//! `client.events`, blocking and async: the events webhooks deliver, read
//! back as the same `WebhookEvent` a verified delivery gives.

use novabilling::{EventListParams, Page, WebhookEvent as CoreEvent};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::cell::ClientCell;
use crate::convert::options;
use crate::models::list_of;
use crate::pages::{Mode, run};
use crate::webhooks::WebhookEvent;

/// A page of events, newest first. Ask for `page + 1` while `has_more`.
#[pyclass(frozen, module = "novabilling", name = "EventPage")]
pub struct EventPage {
    /// Built once, where the page lands in Python.
    #[pyo3(get)]
    data: Py<PyList>,
    #[pyo3(get)]
    total: u64,
    #[pyo3(get)]
    page: u32,
    #[pyo3(get)]
    limit: u32,
    #[pyo3(get)]
    total_pages: u32,
    #[pyo3(get)]
    has_more: bool,
    #[pyo3(get)]
    request_id: Option<String>,
}

#[pymethods]
impl EventPage {
    fn __len__(&self, py: Python<'_>) -> usize {
        self.data.bind(py).len()
    }
    fn __repr__(&self, py: Python<'_>) -> String {
        format!("EventPage(page={}, total_pages={}, total={}, events={})", self.page, self.total_pages, self.total, self.__len__(py))
    }
}

/// A fetched page on its way to becoming an `EventPage`.
struct EventPageOut(Page<CoreEvent>);

impl<'py> IntoPyObject<'py> for EventPageOut {
    type Target = EventPage;
    type Output = Bound<'py, EventPage>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, EventPage>> {
        let p = self.0;
        let has_more = p.has_more();
        Bound::new(py, EventPage {
            data: list_of::<WebhookEvent, CoreEvent>(py, p.data)?.unbind(),
            total: p.total,
            page: p.page,
            limit: p.limit,
            total_pages: p.total_pages,
            has_more,
            request_id: p.response.request_id,
        })
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
                run(py, $mode, async move { c.list(params).await.map(EventPageOut) })
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
