//! `NovaBilling` and `AsyncNovaBilling`: the same core calls, blocking (GIL
//! released) or as asyncio awaitables. One macro writes both families so
//! they cannot drift apart.

use std::future::Future;
use std::sync::{Arc, Mutex};

use novabilling::{
    Client, ClientBuilder, CustomerCreate, CustomerStatus, CustomerUpdate, InvoiceCreate, InvoiceStatus, ListParams,
    Page, PageParams, Patch, RequestOptions, SortBy, SortOrder, SubscriptionCreate, SubscriptionStatus,
};
use pyo3::exceptions::PyTypeError;
use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use crate::convert::{dict_from_py, duration, from_py, options};
use crate::errors::{invalid, to_pyerr};
use crate::models::{Customer, Deleted, ImportResult, Invoice, Subscription, list_of};
use crate::runtime::{awaitable, block_on};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Sync,
    Async,
}

/// Runs a call the way the client's family does.
fn run<'py, T, F>(py: Python<'py>, mode: Mode, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = novabilling::Result<T>> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    match mode {
        Mode::Sync => block_on(py, fut)?.into_bound_py_any(py),
        Mode::Async => awaitable(py, fut),
    }
}

/// The configuration, and the core client of this process (rebuilt after fork,
/// since a child cannot use the parent's connections).
pub struct State {
    builder: ClientBuilder,
    current: Mutex<(u32, Client)>,
}

#[derive(Clone)]
pub struct Api(Arc<State>);

impl Api {
    fn new(py: Python<'_>, builder: ClientBuilder) -> PyResult<Api> {
        let client = builder.clone().build().map_err(|e| to_pyerr(py, e))?;
        Ok(Api(Arc::new(State { builder, current: Mutex::new((std::process::id(), client)) })))
    }

    fn client(&self, py: Python<'_>) -> PyResult<Client> {
        let pid = std::process::id();
        let mut cur = self.0.current.lock().unwrap_or_else(|e| e.into_inner());
        if cur.0 != pid {
            *cur = (pid, self.0.builder.clone().build().map_err(|e| to_pyerr(py, e))?);
        }
        Ok(cur.1.clone())
    }

    /// Drops pooled connections; the next call opens new ones.
    fn reset(&self, py: Python<'_>) -> PyResult<()> {
        let fresh = self.0.builder.clone().build().map_err(|e| to_pyerr(py, e))?;
        *self.0.current.lock().unwrap_or_else(|e| e.into_inner()) = (std::process::id(), fresh);
        Ok(())
    }

    fn customers(&self, py: Python<'_>, opts: RequestOptions) -> PyResult<novabilling::Customers> {
        Ok(self.client(py)?.customers().with_options(opts))
    }
}

fn string_or_none(field: &str, v: &Bound<'_, PyAny>) -> PyResult<Patch<String>> {
    if v.is_none() {
        return Ok(Patch::Clear);
    }
    match v.cast::<PyString>() {
        Ok(s) => Ok(Patch::Set(s.extract::<String>()?)),
        Err(_) => Err(PyTypeError::new_err(format!("{field} must be a str or None, got {}", v.get_type().name()?))),
    }
}

/// Keyword arguments of `update`: an argument left out is untouched, `None` clears.
fn customer_update(py: Python<'_>, fields: Option<&Bound<'_, PyDict>>) -> PyResult<(CustomerUpdate, RequestOptions)> {
    let mut u = CustomerUpdate::default();
    let (mut timeout, mut max_retries, mut key, mut headers, mut if_match) = (None, None, None, None, None);
    if let Some(fields) = fields {
        for (k, v) in fields.iter() {
            let name: String = k.extract()?;
            match name.as_str() {
                "email" => u.email = string_or_none("email", &v)?,
                "name" => u.name = string_or_none("name", &v)?,
                "country" => u.country = string_or_none("country", &v)?,
                "currency" => u.currency = string_or_none("currency", &v)?,
                "external_organization_id" => u.external_organization_id = string_or_none("external_organization_id", &v)?,
                "status" => u.status = string_or_none("status", &v)?.map(|s| CustomerStatus::from_wire(&s)),
                "metadata" => {
                    u.metadata = if v.is_none() {
                        Patch::Clear
                    } else {
                        let d = v.cast::<PyDict>().map_err(|_| PyTypeError::new_err("metadata must be a dict or None"))?;
                        Patch::Set(dict_from_py("metadata", d)?)
                    }
                }
                "timeout" => timeout = v.extract::<Option<f64>>()?,
                "max_retries" => max_retries = v.extract::<Option<u32>>()?,
                "idempotency_key" => key = v.extract::<Option<String>>()?,
                "extra_headers" => headers = if v.is_none() { None } else { Some(v.cast::<PyDict>()?.clone()) },
                "if_match" => if_match = v.extract::<Option<String>>()?,
                other => return Err(PyTypeError::new_err(format!("update() got an unexpected keyword argument '{other}'"))),
            }
        }
    }
    let mut opts = options(py, timeout, max_retries, key, headers.as_ref())?;
    opts.if_match = if_match;
    Ok((u, opts))
}

fn amount(py: Python<'_>, v: &Bound<'_, PyAny>) -> PyResult<rust_decimal::Decimal> {
    if v.is_instance_of::<pyo3::types::PyBool>() {
        return Err(invalid(py, "amount", "amount must be a number, got bool".into()));
    }
    let text = v.str()?;
    novabilling::model::money::parse(&text.extract::<String>()?).map_err(|e| invalid(py, "amount", format!("amount: {e}")))
}

/// Which list a page belongs to, and so how to fetch the next one.
#[derive(Clone)]
enum Query {
    List(ListParams),
    Unresolved(PageParams),
}

impl Query {
    async fn fetch(self, customers: novabilling::Customers, api: Api, opts: RequestOptions, mode: Mode) -> novabilling::Result<PageOut> {
        let (page, next) = match &self {
            Query::List(p) => {
                let page = customers.list(p.clone()).await?;
                let next = p.next_page(&page).map(Query::List);
                (page, next)
            }
            Query::Unresolved(p) => {
                let page = customers.list_unresolved(*p).await?;
                let next = p.next_page(&page).map(Query::Unresolved);
                (page, next)
            }
        };
        Ok(PageOut { page, next, api, opts, mode })
    }
}

/// A fetched page on its way to becoming a Python object.
struct PageOut {
    page: Page<novabilling::Customer>,
    next: Option<Query>,
    api: Api,
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
            next: self.next,
            api: self.api,
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
    next: Option<Query>,
    api: Api,
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

            /// The next page, or None after the last.
            fn next_page<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                let Some(next) = self.0.next.clone() else {
                    return run(py, $mode, async { novabilling::Result::Ok(None::<()>) });
                };
                let api = self.0.api.clone();
                let customers = api.customers(py, self.0.opts.clone())?;
                let opts = self.0.opts.clone();
                run(py, $mode, next.fetch(customers, api, opts, $mode))
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

macro_rules! resources {
    ($customers:ident, $cust_name:literal, $subs:ident, $subs_name:literal, $invoices:ident, $inv_name:literal, $mode:expr) => {
        /// The customers of your tenant.
        #[pyclass(frozen, module = "novabilling", name = $cust_name)]
        pub struct $customers {
            api: Api,
        }

        #[pymethods]
        impl $customers {
            #[pyo3(signature = (*, external_id, email, name=None, country=None, currency=None, metadata=None,
                external_organization_id=None, timeout=None, max_retries=None, idempotency_key=None, extra_headers=None))]
            #[allow(clippy::too_many_arguments)]
            fn create<'py>(
                &self,
                py: Python<'py>,
                external_id: String,
                email: String,
                name: Option<String>,
                country: Option<String>,
                currency: Option<String>,
                metadata: Option<&Bound<'py, PyDict>>,
                external_organization_id: Option<String>,
                timeout: Option<f64>,
                max_retries: Option<u32>,
                idempotency_key: Option<String>,
                extra_headers: Option<&Bound<'py, PyDict>>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let params = CustomerCreate {
                    external_id,
                    email,
                    name,
                    country,
                    currency,
                    metadata: metadata.map(|m| dict_from_py("metadata", m)).transpose()?,
                    external_organization_id,
                };
                let c = self.api.customers(py, options(py, timeout, max_retries, idempotency_key, extra_headers)?)?;
                run(py, $mode, async move { c.create(params).await.map(Customer::from) })
            }

            #[pyo3(signature = (id, *, timeout=None, max_retries=None, extra_headers=None))]
            fn get<'py>(&self, py: Python<'py>, id: String, timeout: Option<f64>, max_retries: Option<u32>,
                extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let c = self.api.customers(py, options(py, timeout, max_retries, None, extra_headers)?)?;
                run(py, $mode, async move { c.get(&id).await.map(Customer::from) })
            }

            #[pyo3(signature = (external_id, *, timeout=None, max_retries=None, extra_headers=None))]
            fn get_by_external_id<'py>(&self, py: Python<'py>, external_id: String, timeout: Option<f64>,
                max_retries: Option<u32>, extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let c = self.api.customers(py, options(py, timeout, max_retries, None, extra_headers)?)?;
                run(py, $mode, async move { c.get_by_external_id(&external_id).await.map(Customer::from) })
            }

            #[pyo3(signature = (id, **fields))]
            fn update<'py>(&self, py: Python<'py>, id: String, fields: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let (params, opts) = customer_update(py, fields)?;
                let c = self.api.customers(py, opts)?;
                run(py, $mode, async move { c.update(&id, params).await.map(Customer::from) })
            }

            #[pyo3(signature = (id, *, if_match=None, timeout=None, max_retries=None, idempotency_key=None, extra_headers=None))]
            #[allow(clippy::too_many_arguments)]
            fn delete<'py>(&self, py: Python<'py>, id: String, if_match: Option<String>, timeout: Option<f64>,
                max_retries: Option<u32>, idempotency_key: Option<String>, extra_headers: Option<&Bound<'py, PyDict>>)
                -> PyResult<Bound<'py, PyAny>> {
                let mut opts = options(py, timeout, max_retries, idempotency_key, extra_headers)?;
                opts.if_match = if_match;
                let c = self.api.customers(py, opts)?;
                run(py, $mode, async move { c.delete(&id).await.map(Deleted::from) })
            }

            #[pyo3(signature = (*, page=None, limit=None, search=None, country=None, currency=None, status=None,
                sort_by=None, sort_order=None, timeout=None, max_retries=None, extra_headers=None))]
            #[allow(clippy::too_many_arguments)]
            fn list<'py>(&self, py: Python<'py>, page: Option<u32>, limit: Option<u32>, search: Option<String>,
                country: Option<String>, currency: Option<String>, status: Option<String>, sort_by: Option<String>,
                sort_order: Option<String>, timeout: Option<f64>, max_retries: Option<u32>,
                extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let params = ListParams {
                    page,
                    limit,
                    search,
                    country,
                    currency,
                    status: status.as_deref().map(CustomerStatus::from_wire),
                    sort_by: sort_by.as_deref().map(SortBy::from_wire),
                    sort_order: sort_order.as_deref().map(SortOrder::from_wire),
                };
                let opts = options(py, timeout, max_retries, None, extra_headers)?;
                let c = self.api.customers(py, opts.clone())?;
                run(py, $mode, Query::List(params).fetch(c, self.api.clone(), opts, $mode))
            }

            #[pyo3(signature = (*, page=None, limit=None, timeout=None, max_retries=None, extra_headers=None))]
            fn list_unresolved<'py>(&self, py: Python<'py>, page: Option<u32>, limit: Option<u32>, timeout: Option<f64>,
                max_retries: Option<u32>, extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let opts = options(py, timeout, max_retries, None, extra_headers)?;
                let c = self.api.customers(py, opts.clone())?;
                run(py, $mode, Query::Unresolved(PageParams { page, limit }).fetch(c, self.api.clone(), opts, $mode))
            }

            #[pyo3(signature = (id, external_id, *, timeout=None, max_retries=None, idempotency_key=None, extra_headers=None))]
            #[allow(clippy::too_many_arguments)]
            fn bind<'py>(&self, py: Python<'py>, id: String, external_id: String, timeout: Option<f64>,
                max_retries: Option<u32>, idempotency_key: Option<String>, extra_headers: Option<&Bound<'py, PyDict>>)
                -> PyResult<Bound<'py, PyAny>> {
                let c = self.api.customers(py, options(py, timeout, max_retries, idempotency_key, extra_headers)?)?;
                run(py, $mode, async move { c.bind(&id, &external_id).await.map(Customer::from) })
            }

            #[pyo3(signature = (customers, *, timeout=None, max_retries=None, idempotency_key=None, extra_headers=None))]
            fn import_stripe<'py>(&self, py: Python<'py>, customers: &Bound<'py, PyAny>, timeout: Option<f64>,
                max_retries: Option<u32>, idempotency_key: Option<String>, extra_headers: Option<&Bound<'py, PyDict>>)
                -> PyResult<Bound<'py, PyAny>> {
                let list = customers
                    .try_iter()?
                    .map(|item| from_py("customers", &item?))
                    .collect::<PyResult<Vec<_>>>()?;
                let c = self.api.customers(py, options(py, timeout, max_retries, idempotency_key, extra_headers)?)?;
                run(py, $mode, async move { c.import_stripe_json(list).await.map(ImportResult::from) })
            }

            #[pyo3(signature = (id, set=None, *, unset=None, timeout=None, max_retries=None, extra_headers=None))]
            #[allow(clippy::too_many_arguments)]
            fn merge_metadata<'py>(&self, py: Python<'py>, id: String, set: Option<&Bound<'py, PyDict>>,
                unset: Option<Vec<String>>, timeout: Option<f64>, max_retries: Option<u32>,
                extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let set = set.map(|d| dict_from_py("set", d)).transpose()?.unwrap_or_default();
                let unset = unset.unwrap_or_default();
                let c = self.api.customers(py, options(py, timeout, max_retries, None, extra_headers)?)?;
                run(py, $mode, async move { c.merge_metadata(&id, set, &unset).await.map(Customer::from) })
            }

            #[pyo3(signature = (id, *, timeout=None, max_retries=None, extra_headers=None))]
            fn subscriptions<'py>(&self, py: Python<'py>, id: String, timeout: Option<f64>, max_retries: Option<u32>,
                extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let c = self.api.customers(py, options(py, timeout, max_retries, None, extra_headers)?)?;
                run(py, $mode, async move { c.subscriptions(&id).await.map(|l| Items::<Subscription, _>::new(l.data)) })
            }

            #[pyo3(signature = (id, *, timeout=None, max_retries=None, extra_headers=None))]
            fn invoices<'py>(&self, py: Python<'py>, id: String, timeout: Option<f64>, max_retries: Option<u32>,
                extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let c = self.api.customers(py, options(py, timeout, max_retries, None, extra_headers)?)?;
                run(py, $mode, async move { c.invoices(&id).await.map(|l| Items::<Invoice, _>::new(l.data)) })
            }
        }

        /// Subscriptions: what `active_subscriptions` counts and delete cancels.
        #[pyclass(frozen, module = "novabilling", name = $subs_name)]
        pub struct $subs {
            api: Api,
        }

        #[pymethods]
        impl $subs {
            #[pyo3(signature = (*, customer_id, plan_id, status=None, idempotency_key=None))]
            fn create<'py>(&self, py: Python<'py>, customer_id: String, plan_id: String, status: Option<String>,
                idempotency_key: Option<String>) -> PyResult<Bound<'py, PyAny>> {
                let params = SubscriptionCreate { customer_id, plan_id, status: status.as_deref().map(SubscriptionStatus::from_wire) };
                let c = self.api.client(py)?.subscriptions().with_options(options(py, None, None, idempotency_key, None)?);
                run(py, $mode, async move { c.create(params).await.map(Subscription::from) })
            }

            fn get<'py>(&self, py: Python<'py>, id: String) -> PyResult<Bound<'py, PyAny>> {
                let c = self.api.client(py)?.subscriptions();
                run(py, $mode, async move { c.get(&id).await.map(Subscription::from) })
            }

            fn cancel<'py>(&self, py: Python<'py>, id: String) -> PyResult<Bound<'py, PyAny>> {
                let c = self.api.client(py)?.subscriptions();
                run(py, $mode, async move { c.cancel(&id).await.map(Subscription::from) })
            }
        }

        /// Invoices: what `total_spent` sums and delete voids.
        #[pyclass(frozen, module = "novabilling", name = $inv_name)]
        pub struct $invoices {
            api: Api,
        }

        #[pymethods]
        impl $invoices {
            #[pyo3(signature = (*, customer_id, amount, currency=None, status=None, idempotency_key=None))]
            fn create<'py>(&self, py: Python<'py>, customer_id: String, amount: &Bound<'py, PyAny>, currency: Option<String>,
                status: Option<String>, idempotency_key: Option<String>) -> PyResult<Bound<'py, PyAny>> {
                let params = InvoiceCreate {
                    customer_id,
                    amount: self::amount(py, amount)?,
                    currency,
                    status: status.as_deref().map(InvoiceStatus::from_wire),
                };
                let c = self.api.client(py)?.invoices().with_options(options(py, None, None, idempotency_key, None)?);
                run(py, $mode, async move { c.create(params).await.map(Invoice::from) })
            }

            fn get<'py>(&self, py: Python<'py>, id: String) -> PyResult<Bound<'py, PyAny>> {
                let c = self.api.client(py)?.invoices();
                run(py, $mode, async move { c.get(&id).await.map(Invoice::from) })
            }

            fn pay<'py>(&self, py: Python<'py>, id: String) -> PyResult<Bound<'py, PyAny>> {
                let c = self.api.client(py)?.invoices();
                run(py, $mode, async move { c.pay(&id).await.map(Invoice::from) })
            }

            fn void<'py>(&self, py: Python<'py>, id: String) -> PyResult<Bound<'py, PyAny>> {
                let c = self.api.client(py)?.invoices();
                run(py, $mode, async move { c.void(&id).await.map(Invoice::from) })
            }
        }
    };
}

resources!(Customers, "Customers", Subscriptions, "Subscriptions", Invoices, "Invoices", Mode::Sync);
resources!(AsyncCustomers, "AsyncCustomers", AsyncSubscriptions, "AsyncSubscriptions", AsyncInvoices, "AsyncInvoices", Mode::Async);

/// A plain list of results, converted to Python where it lands.
struct Items<T, C> {
    items: Vec<C>,
    _t: std::marker::PhantomData<fn() -> T>,
}

impl<T, C> Items<T, C> {
    fn new(items: Vec<C>) -> Self {
        Items { items, _t: std::marker::PhantomData }
    }
}

impl<'py, T, C> IntoPyObject<'py> for Items<T, C>
where
    T: From<C> + pyo3::PyClass + Into<pyo3::PyClassInitializer<T>>,
{
    type Target = PyList;
    type Output = Bound<'py, PyList>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        list_of::<T, C>(py, self.items)
    }
}

fn builder(
    py: Python<'_>,
    token: Option<String>,
    api_key: Option<String>,
    base_url: Option<String>,
    timeout: Option<f64>,
    max_retries: Option<u32>,
) -> PyResult<ClientBuilder> {
    let mut b = Client::builder().user_agent(user_agent(py));
    if let Some(t) = token.or(api_key) {
        b = b.token(t);
    }
    if let Some(u) = base_url {
        b = b.base_url(u);
    }
    if let Some(t) = timeout {
        b = b.timeout(duration(py, "timeout", t)?);
    }
    if let Some(n) = max_retries {
        b = b.max_retries(n);
    }
    Ok(b)
}

fn user_agent(py: Python<'_>) -> String {
    let v = py.version_info();
    format!("novabilling-python/{} CPython/{}.{}", env!("CARGO_PKG_VERSION"), v.major, v.minor)
}

macro_rules! client_class {
    ($cls:ident, $pyname:literal, $customers:ident, $subs:ident, $invoices:ident, $mode:expr) => {
        #[pyclass(frozen, module = "novabilling", name = $pyname)]
        pub struct $cls {
            api: Api,
            customers: Py<$customers>,
            subscriptions: Py<$subs>,
            invoices: Py<$invoices>,
        }

        #[pymethods]
        impl $cls {
            #[new]
            #[pyo3(signature = (token=None, *, api_key=None, base_url=None, timeout=None, max_retries=None))]
            fn new(py: Python<'_>, token: Option<String>, api_key: Option<String>, base_url: Option<String>,
                timeout: Option<f64>, max_retries: Option<u32>) -> PyResult<Self> {
                let api = Api::new(py, builder(py, token, api_key, base_url, timeout, max_retries)?)?;
                Ok($cls {
                    customers: Py::new(py, $customers { api: api.clone() })?,
                    subscriptions: Py::new(py, $subs { api: api.clone() })?,
                    invoices: Py::new(py, $invoices { api: api.clone() })?,
                    api,
                })
            }

            #[getter]
            fn customers(&self, py: Python<'_>) -> Py<$customers> {
                self.customers.clone_ref(py)
            }
            #[getter]
            fn subscriptions(&self, py: Python<'_>) -> Py<$subs> {
                self.subscriptions.clone_ref(py)
            }
            #[getter]
            fn invoices(&self, py: Python<'_>) -> Py<$invoices> {
                self.invoices.clone_ref(py)
            }
            #[getter]
            fn base_url(&self, py: Python<'_>) -> PyResult<String> {
                Ok(self.api.client(py)?.base_url().to_owned())
            }
            #[getter]
            fn timeout(&self, py: Python<'_>) -> PyResult<f64> {
                Ok(self.api.client(py)?.timeout().as_secs_f64())
            }
            #[getter]
            fn max_retries(&self, py: Python<'_>) -> PyResult<u32> {
                Ok(self.api.client(py)?.max_retries())
            }

            /// Closes pooled connections. The client stays usable and reconnects.
            fn close(&self, py: Python<'_>) -> PyResult<()> {
                self.api.reset(py)
            }

            fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
                let c = self.api.client(py)?;
                Ok(format!("{}(base_url={:?}, timeout={}, max_retries={})", $pyname, c.base_url(), c.timeout().as_secs_f64(), c.max_retries()))
            }
        }
    };
}

client_class!(NovaBilling, "NovaBilling", Customers, Subscriptions, Invoices, Mode::Sync);
client_class!(AsyncNovaBilling, "AsyncNovaBilling", AsyncCustomers, AsyncSubscriptions, AsyncInvoices, Mode::Async);

#[pymethods]
impl NovaBilling {
    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, py: Python<'_>, _exc: &Bound<'_, pyo3::types::PyTuple>) -> PyResult<()> {
        self.close(py)
    }
}

#[pymethods]
impl AsyncNovaBilling {
    fn __aenter__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let me = slf.clone().unbind();
        awaitable(slf.py(), async move { novabilling::Result::Ok(me) })
    }

    #[pyo3(signature = (*_exc))]
    fn __aexit__<'py>(&self, py: Python<'py>, _exc: &Bound<'py, pyo3::types::PyTuple>) -> PyResult<Bound<'py, PyAny>> {
        self.close(py)?;
        awaitable(py, async { novabilling::Result::Ok(()) })
    }
}
