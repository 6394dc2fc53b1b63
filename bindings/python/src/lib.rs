//! `novabilling._native`: the core's client as Python classes. Conversions
//! only; behaviour lives in the `novabilling` crate.

mod client;
mod convert;
mod errors;
mod models;
mod runtime;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    let before_exit = wrap_pyfunction!(runtime::before_exit, m)?;
    m.py().import("atexit")?.call_method1("register", (before_exit,))?;
    m.add_class::<client::NovaBilling>()?;
    m.add_class::<client::AsyncNovaBilling>()?;
    m.add_class::<client::Customers>()?;
    m.add_class::<client::AsyncCustomers>()?;
    m.add_class::<client::Subscriptions>()?;
    m.add_class::<client::AsyncSubscriptions>()?;
    m.add_class::<client::Invoices>()?;
    m.add_class::<client::AsyncInvoices>()?;
    m.add_class::<client::CustomerPage>()?;
    m.add_class::<client::AsyncCustomerPage>()?;
    m.add_class::<models::Customer>()?;
    m.add_class::<models::Subscription>()?;
    m.add_class::<models::Invoice>()?;
    m.add_class::<models::Deleted>()?;
    m.add_class::<models::ImportResult>()?;
    m.add_class::<runtime::Inbox>()?;
    Ok(())
}
