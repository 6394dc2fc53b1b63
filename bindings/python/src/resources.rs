//! The resources, blocking and async: one macro writes both families from
//! one list of methods, so they cannot drift apart.

use novabilling::{
    CustomerCreate, CustomerStatus, CustomerUpdate, Cursor, InvoiceCreate, InvoiceStatus, ListParams, PageParams, Patch,
    RequestOptions, SortBy, SortOrder, SubscriptionCreate, SubscriptionStatus,
};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use crate::cell::ClientCell;
use crate::convert::{dict_from_py, from_py, options};
use crate::errors::{invalid, to_pyerr};
use crate::models::{Customer, Deleted, ImportResult, Invoice, Subscription, list_of};
use crate::pages::{Mode, fetch, run};

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
fn customer_update(fields: Option<&Bound<'_, PyDict>>) -> PyResult<(CustomerUpdate, RequestOptions)> {
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
                "max_retries" => max_retries = v.extract::<Option<i64>>()?,
                "idempotency_key" => key = v.extract::<Option<String>>()?,
                "extra_headers" => headers = if v.is_none() { None } else { Some(v.cast::<PyDict>()?.clone()) },
                "if_match" => if_match = v.extract::<Option<String>>()?,
                other => return Err(PyTypeError::new_err(format!("update() got an unexpected keyword argument '{other}'"))),
            }
        }
    }
    let mut opts = options(timeout, max_retries, key, headers.as_ref())?;
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

macro_rules! resources {
    ($customers:ident, $cust_name:literal, $subs:ident, $subs_name:literal, $invoices:ident, $inv_name:literal, $mode:expr) => {
        /// The customers of your tenant.
        #[pyclass(frozen, module = "novabilling", name = $cust_name)]
        pub struct $customers {
            pub(crate) cell: ClientCell,
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
                max_retries: Option<i64>,
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
                let c = self.cell.customers(py, options(timeout, max_retries, idempotency_key, extra_headers)?)?;
                run(py, $mode, async move { c.create(params).await.map(Customer::from) })
            }

            #[pyo3(signature = (id, *, timeout=None, max_retries=None, extra_headers=None))]
            fn get<'py>(&self, py: Python<'py>, id: String, timeout: Option<f64>, max_retries: Option<i64>,
                extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let c = self.cell.customers(py, options(timeout, max_retries, None, extra_headers)?)?;
                run(py, $mode, async move { c.get(&id).await.map(Customer::from) })
            }

            #[pyo3(signature = (external_id, *, timeout=None, max_retries=None, extra_headers=None))]
            fn get_by_external_id<'py>(&self, py: Python<'py>, external_id: String, timeout: Option<f64>,
                max_retries: Option<i64>, extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let c = self.cell.customers(py, options(timeout, max_retries, None, extra_headers)?)?;
                run(py, $mode, async move { c.get_by_external_id(&external_id).await.map(Customer::from) })
            }

            #[pyo3(signature = (id, **fields))]
            fn update<'py>(&self, py: Python<'py>, id: String, fields: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let (params, opts) = customer_update(fields)?;
                let c = self.cell.customers(py, opts)?;
                run(py, $mode, async move { c.update(&id, params).await.map(Customer::from) })
            }

            #[pyo3(signature = (id, *, if_match=None, timeout=None, max_retries=None, idempotency_key=None, extra_headers=None))]
            #[allow(clippy::too_many_arguments)]
            fn delete<'py>(&self, py: Python<'py>, id: String, if_match: Option<String>, timeout: Option<f64>,
                max_retries: Option<i64>, idempotency_key: Option<String>, extra_headers: Option<&Bound<'py, PyDict>>)
                -> PyResult<Bound<'py, PyAny>> {
                let mut opts = options(timeout, max_retries, idempotency_key, extra_headers)?;
                opts.if_match = if_match;
                let c = self.cell.customers(py, opts)?;
                run(py, $mode, async move { c.delete(&id).await.map(Deleted::from) })
            }

            #[pyo3(signature = (*, page=None, limit=None, search=None, country=None, currency=None, status=None,
                sort_by=None, sort_order=None, timeout=None, max_retries=None, extra_headers=None))]
            #[allow(clippy::too_many_arguments)]
            fn list<'py>(&self, py: Python<'py>, page: Option<u32>, limit: Option<u32>, search: Option<String>,
                country: Option<String>, currency: Option<String>, status: Option<String>, sort_by: Option<String>,
                sort_order: Option<String>, timeout: Option<f64>, max_retries: Option<i64>,
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
                let opts = options(timeout, max_retries, None, extra_headers)?;
                fetch(py, $mode, &self.cell, opts, Cursor::first_list(params))
            }

            #[pyo3(signature = (*, page=None, limit=None, timeout=None, max_retries=None, extra_headers=None))]
            fn list_unresolved<'py>(&self, py: Python<'py>, page: Option<u32>, limit: Option<u32>, timeout: Option<f64>,
                max_retries: Option<i64>, extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let opts = options(timeout, max_retries, None, extra_headers)?;
                fetch(py, $mode, &self.cell, opts, Cursor::first_unresolved(PageParams { page, limit }))
            }

            /// The page a page's `next_cursor` points at, on its listing's route and filters.
            #[pyo3(signature = (cursor, *, timeout=None, max_retries=None, extra_headers=None))]
            fn page<'py>(&self, py: Python<'py>, cursor: &str, timeout: Option<f64>, max_retries: Option<i64>,
                extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let cursor = Cursor::decode(cursor).map_err(|e| to_pyerr(py, &e.into()))?;
                fetch(py, $mode, &self.cell, options(timeout, max_retries, None, extra_headers)?, cursor)
            }

            #[pyo3(signature = (id, external_id, *, timeout=None, max_retries=None, idempotency_key=None, extra_headers=None))]
            #[allow(clippy::too_many_arguments)]
            fn bind<'py>(&self, py: Python<'py>, id: String, external_id: String, timeout: Option<f64>,
                max_retries: Option<i64>, idempotency_key: Option<String>, extra_headers: Option<&Bound<'py, PyDict>>)
                -> PyResult<Bound<'py, PyAny>> {
                let c = self.cell.customers(py, options(timeout, max_retries, idempotency_key, extra_headers)?)?;
                run(py, $mode, async move { c.bind(&id, &external_id).await.map(Customer::from) })
            }

            #[pyo3(signature = (customers, *, timeout=None, max_retries=None, idempotency_key=None, extra_headers=None))]
            fn import_stripe<'py>(&self, py: Python<'py>, customers: &Bound<'py, PyAny>, timeout: Option<f64>,
                max_retries: Option<i64>, idempotency_key: Option<String>, extra_headers: Option<&Bound<'py, PyDict>>)
                -> PyResult<Bound<'py, PyAny>> {
                let list = customers
                    .try_iter()?
                    .map(|item| from_py("customers", &item?))
                    .collect::<PyResult<Vec<_>>>()?;
                let c = self.cell.customers(py, options(timeout, max_retries, idempotency_key, extra_headers)?)?;
                run(py, $mode, async move { c.import_stripe_json(list).await.map(ImportResult::from) })
            }

            #[pyo3(signature = (id, set=None, *, unset=None, timeout=None, max_retries=None, extra_headers=None))]
            #[allow(clippy::too_many_arguments)]
            fn merge_metadata<'py>(&self, py: Python<'py>, id: String, set: Option<&Bound<'py, PyDict>>,
                unset: Option<Vec<String>>, timeout: Option<f64>, max_retries: Option<i64>,
                extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let set = set.map(|d| dict_from_py("set", d)).transpose()?.unwrap_or_default();
                let unset = unset.unwrap_or_default();
                let c = self.cell.customers(py, options(timeout, max_retries, None, extra_headers)?)?;
                run(py, $mode, async move { c.merge_metadata(&id, set, &unset).await.map(Customer::from) })
            }

            #[pyo3(signature = (id, *, timeout=None, max_retries=None, extra_headers=None))]
            fn subscriptions<'py>(&self, py: Python<'py>, id: String, timeout: Option<f64>, max_retries: Option<i64>,
                extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let c = self.cell.customers(py, options(timeout, max_retries, None, extra_headers)?)?;
                run(py, $mode, async move { c.subscriptions(&id).await.map(|l| Items::<Subscription, _>::new(l.data)) })
            }

            #[pyo3(signature = (id, *, timeout=None, max_retries=None, extra_headers=None))]
            fn invoices<'py>(&self, py: Python<'py>, id: String, timeout: Option<f64>, max_retries: Option<i64>,
                extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let c = self.cell.customers(py, options(timeout, max_retries, None, extra_headers)?)?;
                run(py, $mode, async move { c.invoices(&id).await.map(|l| Items::<Invoice, _>::new(l.data)) })
            }
        }

        /// Subscriptions: what `active_subscriptions` counts and delete cancels.
        #[pyclass(frozen, module = "novabilling", name = $subs_name)]
        pub struct $subs {
            pub(crate) cell: ClientCell,
        }

        #[pymethods]
        impl $subs {
            #[pyo3(signature = (*, customer_id, plan_id, status=None, timeout=None, max_retries=None, idempotency_key=None,
                extra_headers=None))]
            #[allow(clippy::too_many_arguments)]
            fn create<'py>(&self, py: Python<'py>, customer_id: String, plan_id: String, status: Option<String>,
                timeout: Option<f64>, max_retries: Option<i64>, idempotency_key: Option<String>,
                extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let params = SubscriptionCreate { customer_id, plan_id, status: status.as_deref().map(SubscriptionStatus::from_wire) };
                let c = self.cell.subscriptions(py, options(timeout, max_retries, idempotency_key, extra_headers)?)?;
                run(py, $mode, async move { c.create(params).await.map(Subscription::from) })
            }

            #[pyo3(signature = (id, *, timeout=None, max_retries=None, extra_headers=None))]
            fn get<'py>(&self, py: Python<'py>, id: String, timeout: Option<f64>, max_retries: Option<i64>,
                extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let c = self.cell.subscriptions(py, options(timeout, max_retries, None, extra_headers)?)?;
                run(py, $mode, async move { c.get(&id).await.map(Subscription::from) })
            }

            #[pyo3(signature = (id, *, timeout=None, max_retries=None, idempotency_key=None, extra_headers=None))]
            fn cancel<'py>(&self, py: Python<'py>, id: String, timeout: Option<f64>, max_retries: Option<i64>,
                idempotency_key: Option<String>, extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let c = self.cell.subscriptions(py, options(timeout, max_retries, idempotency_key, extra_headers)?)?;
                run(py, $mode, async move { c.cancel(&id).await.map(Subscription::from) })
            }
        }

        /// Invoices: what `total_spent` sums and delete voids.
        #[pyclass(frozen, module = "novabilling", name = $inv_name)]
        pub struct $invoices {
            pub(crate) cell: ClientCell,
        }

        #[pymethods]
        impl $invoices {
            #[pyo3(signature = (*, customer_id, amount, currency=None, status=None, timeout=None, max_retries=None,
                idempotency_key=None, extra_headers=None))]
            #[allow(clippy::too_many_arguments)]
            fn create<'py>(&self, py: Python<'py>, customer_id: String, amount: &Bound<'py, PyAny>, currency: Option<String>,
                status: Option<String>, timeout: Option<f64>, max_retries: Option<i64>, idempotency_key: Option<String>,
                extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let params = InvoiceCreate {
                    customer_id,
                    amount: self::amount(py, amount)?,
                    currency,
                    status: status.as_deref().map(InvoiceStatus::from_wire),
                };
                let c = self.cell.invoices(py, options(timeout, max_retries, idempotency_key, extra_headers)?)?;
                run(py, $mode, async move { c.create(params).await.map(Invoice::from) })
            }

            #[pyo3(signature = (id, *, timeout=None, max_retries=None, extra_headers=None))]
            fn get<'py>(&self, py: Python<'py>, id: String, timeout: Option<f64>, max_retries: Option<i64>,
                extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let c = self.cell.invoices(py, options(timeout, max_retries, None, extra_headers)?)?;
                run(py, $mode, async move { c.get(&id).await.map(Invoice::from) })
            }

            #[pyo3(signature = (id, *, timeout=None, max_retries=None, idempotency_key=None, extra_headers=None))]
            fn pay<'py>(&self, py: Python<'py>, id: String, timeout: Option<f64>, max_retries: Option<i64>,
                idempotency_key: Option<String>, extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let c = self.cell.invoices(py, options(timeout, max_retries, idempotency_key, extra_headers)?)?;
                run(py, $mode, async move { c.pay(&id).await.map(Invoice::from) })
            }

            #[pyo3(signature = (id, *, timeout=None, max_retries=None, idempotency_key=None, extra_headers=None))]
            fn void<'py>(&self, py: Python<'py>, id: String, timeout: Option<f64>, max_retries: Option<i64>,
                idempotency_key: Option<String>, extra_headers: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                let c = self.cell.invoices(py, options(timeout, max_retries, idempotency_key, extra_headers)?)?;
                run(py, $mode, async move { c.void(&id).await.map(Invoice::from) })
            }
        }
    };
}

resources!(Customers, "Customers", Subscriptions, "Subscriptions", Invoices, "Invoices", Mode::Sync);
resources!(AsyncCustomers, "AsyncCustomers", AsyncSubscriptions, "AsyncSubscriptions", AsyncInvoices, "AsyncInvoices", Mode::Async);

/// A plain list of results, converted to Python where it lands.
pub(crate) struct Items<T, C> {
    items: Vec<C>,
    _t: std::marker::PhantomData<fn() -> T>,
}

impl<T, C> Items<T, C> {
    pub(crate) fn new(items: Vec<C>) -> Self {
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
