//! Pages of customers, sync and async: this page's data and the core's
//! cursor to the next one, on the route and with the filters it came from.

use std::future::Future;

use novabilling::{Cursor, Page, RequestOptions};
use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyList, PyType};

use crate::cell::ClientCell;
use crate::models::{Customer, list_of};
use crate::runtime::{awaitable, block_on};

/// Looked up once: every async listing call returns one.
static ASYNC_PAGE_REQUEST: PyOnceLock<Py<PyType>> = PyOnceLock::new();

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Sync,
    Async,
}

/// Runs a call the way the client's family does.
pub fn run<'py, T, F>(py: Python<'py>, mode: Mode, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = novabilling::Result<T>> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    match mode {
        Mode::Sync => block_on(py, fut)?.into_bound_py_any(py),
        Mode::Async => awaitable(py, fut),
    }
}

/// Fetches a page: in the async family an object that is both awaitable
/// (one page) and async-iterable (every customer), as openai-python's are.
pub fn fetch<'py>(
    py: Python<'py>,
    mode: Mode,
    cell: &ClientCell,
    opts: RequestOptions,
    first: Cursor,
) -> PyResult<Bound<'py, PyAny>> {
    let customers = cell.customers(py, opts.clone())?;
    let cell = cell.clone();
    let fut = async move {
        let page = customers.page(&first).await?;
        Ok(PageOut { page, cell, opts, mode })
    };
    let result = run(py, mode, fut)?;
    match mode {
        Mode::Sync => Ok(result),
        Mode::Async => ASYNC_PAGE_REQUEST.import(py, "novabilling._pages", "AsyncPageRequest")?.call1((result,)),
    }
}

/// A fetched page on its way to becoming a Python object.
struct PageOut {
    page: Page<novabilling::Customer>,
    cell: ClientCell,
    opts: RequestOptions,
    mode: Mode,
}

impl<'py> IntoPyObject<'py> for PageOut {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let state = PageState {
            data: list_of::<Customer, _>(py, self.page.data)?.unbind(),
            total: self.page.total,
            page: self.page.page,
            limit: self.page.limit,
            total_pages: self.page.total_pages,
            request_id: self.page.response.request_id,
            next: self.page.next,
            cell: self.cell,
            opts: self.opts,
        };
        Ok(match self.mode {
            Mode::Sync => Bound::new(py, CustomerPage(state))?.into_any(),
            Mode::Async => Bound::new(py, AsyncCustomerPage(state))?.into_any(),
        })
    }
}

struct PageState {
    data: Py<PyList>,
    total: u64,
    page: u32,
    limit: u32,
    total_pages: u32,
    request_id: Option<String>,
    next: Option<Cursor>,
    cell: ClientCell,
    opts: RequestOptions,
}

macro_rules! page_class {
    ($cls:ident, $pyname:literal, $mode:expr, $iter:literal) => {
        /// One page of customers. `data` is this page; iterating walks every page.
        #[pyclass(frozen, module = "novabilling", name = $pyname)]
        pub struct $cls(PageState);

        #[pymethods]
        impl $cls {
            #[getter]
            fn data(&self, py: Python<'_>) -> Py<PyList> {
                self.0.data.clone_ref(py)
            }
            #[getter]
            fn total(&self) -> u64 {
                self.0.total
            }
            #[getter]
            fn page(&self) -> u32 {
                self.0.page
            }
            #[getter]
            fn limit(&self) -> u32 {
                self.0.limit
            }
            #[getter]
            fn total_pages(&self) -> u32 {
                self.0.total_pages
            }
            #[getter]
            fn request_id(&self) -> Option<&str> {
                self.0.request_id.as_deref()
            }
            #[getter]
            fn has_more(&self) -> bool {
                self.0.next.is_some()
            }
            /// Where the listing continues (for `customers.page(cursor)`), None after the last page.
            #[getter]
            fn next_cursor(&self) -> Option<String> {
                self.0.next.as_ref().map(Cursor::encode)
            }

            /// The next page, or None after the last.
            fn next_page<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                match self.0.next.clone() {
                    Some(next) => fetch(py, $mode, &self.0.cell, self.0.opts.clone(), next),
                    None => run(py, $mode, async { novabilling::Result::Ok(None::<()>) }),
                }
            }

            /// Every customer of this page and the pages after it.
            fn auto_paging_iter<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
                slf.py().import("novabilling._pages")?.getattr($iter)?.call1((slf,))
            }

            fn __len__(&self, py: Python<'_>) -> usize {
                self.0.data.bind(py).len()
            }

            fn __repr__(&self, py: Python<'_>) -> String {
                format!(
                    "{}(page={}, limit={}, total={}, total_pages={}, data=[{} customers])",
                    $pyname, self.0.page, self.0.limit, self.0.total, self.0.total_pages, self.0.data.bind(py).len()
                )
            }
        }
    };
}

page_class!(CustomerPage, "CustomerPage", Mode::Sync, "iterate");
page_class!(AsyncCustomerPage, "AsyncCustomerPage", Mode::Async, "aiterate");

#[pymethods]
impl CustomerPage {
    fn __iter__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        Self::auto_paging_iter(slf)
    }
}

#[pymethods]
impl AsyncCustomerPage {
    fn __aiter__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        Self::auto_paging_iter(slf)
    }
}
