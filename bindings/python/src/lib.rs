//! `novabilling._native`: the core's client as Python classes. Conversions
//! only; behaviour lives in the `novabilling` crate.

mod cell;
mod client;
mod convert;
mod errors;
mod events;
mod models;
mod pages;
mod keys;
mod resources;
mod runtime;
mod webhooks;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    let before_exit = wrap_pyfunction!(runtime::before_exit, m)?;
    m.py().import("atexit")?.call_method1("register", (before_exit,))?;
    m.add_class::<client::NovaBilling>()?;
    m.add_class::<client::AsyncNovaBilling>()?;
    m.add_class::<resources::Customers>()?;
    m.add_class::<resources::AsyncCustomers>()?;
    m.add_class::<resources::Subscriptions>()?;
    m.add_class::<resources::AsyncSubscriptions>()?;
    m.add_class::<resources::Invoices>()?;
    m.add_class::<resources::AsyncInvoices>()?;
    m.add_class::<keys::Keys>()?;
    m.add_class::<keys::AsyncKeys>()?;
    m.add_class::<events::Events>()?;
    m.add_class::<events::AsyncEvents>()?;
    m.add_class::<events::EventPage>()?;
    m.add_class::<pages::CustomerPage>()?;
    m.add_class::<pages::AsyncCustomerPage>()?;
    m.add_class::<models::Customer>()?;
    m.add_class::<models::Subscription>()?;
    m.add_class::<models::Invoice>()?;
    m.add_class::<models::Deleted>()?;
    m.add_class::<models::ImportResult>()?;
    m.add_class::<models::Key>()?;
    m.add_class::<models::EphemeralKey>()?;
    m.add_class::<runtime::Inbox>()?;
    m.add_class::<webhooks::WebhookEvent>()?;
    m.add_function(wrap_pyfunction!(webhooks::verify_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(webhooks::sign_webhook, m)?)?;
    Ok(())
}
