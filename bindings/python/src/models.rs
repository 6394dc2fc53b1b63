//! Results as Python objects: attribute access converts on demand, so a
//! caller pays only for the fields it reads.

use novabilling::{Customer as CoreCustomer, Deleted as CoreDeleted, ImportResult as CoreImport, Invoice as CoreInvoice,
    Subscription as CoreSubscription, Key as CoreKey, EphemeralKey as CoreEphemeralKey};
use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::convert::map_to_py;

fn repr(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<String> {
    let d = obj.call_method0("to_dict")?;
    let d = d.cast::<PyDict>()?;
    let mut parts = Vec::with_capacity(d.len());
    for (k, v) in d.iter() {
        parts.push(format!("{}={}", k.str()?, v.repr()?));
    }
    Ok(format!("{name}({})", parts.join(", ")))
}

macro_rules! model {
    ($cls:ident, $pyname:literal, $core:ty, |$s:ident, $py:ident| { $($field:ident => $conv:expr),* $(,)? }) => {
        #[pyclass(frozen, module = "novabilling", name = $pyname)]
        pub struct $cls {
            pub inner: $core,
        }

        impl From<$core> for $cls {
            fn from(inner: $core) -> Self {
                $cls { inner }
            }
        }

        #[pymethods]
        impl $cls {
            $(
                #[getter]
                fn $field<'py>(&self, $py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                    let $s = &self.inner;
                    $conv.into_bound_py_any($py)
                }
            )*

            /// The X-Request-Id of the response this came in.
            #[getter]
            fn request_id(&self) -> Option<&str> {
                self.inner.response.request_id.as_deref()
            }

            /// Every field, by its Python name.
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
                let d = PyDict::new(py);
                $( d.set_item(stringify!($field), self.$field(py)?)?; )*
                Ok(d)
            }

            /// The object as the API sends it (its camelCase wire form).
            fn to_json(&self) -> String {
                serde_json::to_string(&self.inner).unwrap_or_default()
            }

            fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
                repr(slf.as_any(), $pyname)
            }

            fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
                other.cast::<Self>().is_ok_and(|o| o.get().inner == self.inner)
            }

            /// Rebuilds a pickled object: its wire JSON and response metadata.
            #[staticmethod]
            #[pyo3(signature = (json, request_id=None, etag=None))]
            fn _from_json(py: Python<'_>, json: &str, request_id: Option<String>, etag: Option<String>) -> PyResult<Self> {
                let mut inner: $core = serde_json::from_str(json)
                    .map_err(|e| crate::errors::invalid(py, "json", format!("not a pickled {}: {e}", $pyname)))?;
                inner.response = novabilling::ResponseMeta { request_id, etag };
                Ok($cls { inner })
            }

            /// Pickles (and so copies) as the wire JSON plus response metadata.
            fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String, Option<String>, Option<String>))> {
                let me = slf.get();
                let meta = &me.inner.response;
                Ok((slf.get_type().getattr("_from_json")?, (me.to_json(), meta.request_id.clone(), meta.etag.clone())))
            }
        }
    };
}

model!(Customer, "Customer", CoreCustomer, |s, py| {
    id => s.id.as_str(),
    external_id => s.external_id.as_deref(),
    external_organization_id => s.external_organization_id.as_deref(),
    email => s.email.as_deref(),
    name => s.name.as_deref(),
    country => s.country.as_deref(),
    currency => s.currency.as_deref(),
    status => s.status.as_str(),
    metadata => map_to_py(py, &s.metadata)?,
    stripe_customer_id => s.stripe_customer_id.as_deref(),
    net_payment_terms => s.net_payment_terms,
    total_spent => s.total_spent,
    active_subscriptions => s.active_subscriptions,
    created_at => s.created_at,
    updated_at => s.updated_at,
    subscriptions => s.subscriptions.as_ref().map(|v| v.iter().cloned().map(Subscription::from).collect::<Vec<_>>()),
    invoices => s.invoices.as_ref().map(|v| v.iter().cloned().map(Invoice::from).collect::<Vec<_>>()),
});

#[pymethods]
impl Customer {
    /// The ETag of the response, for `if_match` on a later update or delete.
    #[getter]
    fn etag(&self) -> Option<&str> {
        self.inner.response.etag.as_deref()
    }
}

model!(Subscription, "Subscription", CoreSubscription, |s, py| {
    id => s.id.as_str(),
    customer_id => s.customer_id.as_str(),
    plan_id => s.plan_id.as_deref(),
    status => s.status.as_str(),
    created_at => s.created_at,
    canceled_at => s.canceled_at,
});

model!(Invoice, "Invoice", CoreInvoice, |s, py| {
    id => s.id.as_str(),
    customer_id => s.customer_id.as_str(),
    amount => s.amount,
    currency => s.currency.as_deref(),
    status => s.status.as_str(),
    created_at => s.created_at,
    paid_at => s.paid_at,
    voided_at => s.voided_at,
});

model!(Deleted, "Deleted", CoreDeleted, |s, py| {
    id => s.id.as_str(),
    deleted => s.deleted,
});

model!(ImportResult, "ImportResult", CoreImport, |s, py| {
    created => s.created,
    skipped => s.skipped,
});

model!(Key, "Key", CoreKey, |s, py| {
    id => s.id.as_str(),
    kind => s.kind.as_str(),
    livemode => s.livemode,
    name => s.name.as_deref(),
    scopes => s.scopes.clone(),
    prefix => s.prefix.as_str(),
    last4 => s.last4.as_deref(),
    secret => s.secret.as_deref(),
    created_at => s.created_at,
    expires_at => s.expires_at,
    last_used_at => s.last_used_at,
    revoked_at => s.revoked_at,
});

model!(EphemeralKey, "EphemeralKey", CoreEphemeralKey, |s, py| {
    id => s.id.as_str(),
    customer_id => s.customer_id.as_str(),
    livemode => s.livemode,
    secret => s.secret.as_deref(),
    created_at => s.created_at,
    expires_at => s.expires_at,
    revoked_at => s.revoked_at,
});

/// Python lists of result objects.
pub fn list_of<T, C>(py: Python<'_>, items: Vec<C>) -> PyResult<Bound<'_, PyList>>
where
    T: From<C> + pyo3::PyClass + Into<pyo3::PyClassInitializer<T>>,
{
    let objs = items.into_iter().map(|c| Bound::new(py, T::from(c))).collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, objs)
}
