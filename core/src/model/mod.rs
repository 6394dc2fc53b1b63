//! The wire models of the customers API (docs/API-REFERENCE.md).
//!
//! Serialization writes the project's canonical wire form (what the server
//! sends). Deserialization is lenient where the real NovaBilling server differs:
//! explicit nulls, `metadata: null`, missing `status`, money as strings,
//! upper-case enum values.

mod billing;
mod customer;
mod keys;
mod page;
mod stripe_export;
mod wire;

pub use billing::*;
pub use customer::*;
pub use keys::*;
pub use page::*;
pub use stripe_export::{STRIPE_EXPORT_EXPECTED, stripe_export_customers};
pub use wire::{
    CustomerStatus, InvoiceStatus, Metadata, Patch, ResponseMeta, SortBy, SortOrder, SubscriptionStatus, money, timestamp,
};
