//! What the handlers store and read, one module per resource: the SQL, the
//! rows, and their mapping to core's models. No HTTP here but the errors.

pub mod billing;
pub mod counts;
pub mod customers;
pub mod events;
pub mod outbox;
pub mod webhooks;
pub mod key_cache;
pub mod key_row;
pub mod keys;
pub mod listing;
pub mod stripe_import;
pub mod tenant;
pub mod trigrams;
