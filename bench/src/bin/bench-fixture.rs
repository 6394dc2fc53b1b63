//! A fixed-response customers server for the client benchmarks: every
//! `GET /api/customers/{id}` and `POST /api/customers` answers one stored
//! customer, so a client's cost is all that varies between runs; `/v1/customers`
//! answers a Stripe customer, for the Stripe SDKs as baselines. One thread:
//! the harness pins it to its own CPU.
//!
//!   bench-fixture [ADDR]   # default 127.0.0.1:0; prints `listening on http://...`

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

/// What a real server returns for a customer, byte for byte the same shape.
const CUSTOMER: &str = r#"{"id":"cust_bench000000000000000000001","externalId":"usr_98765","externalOrganizationId":"org_42","email":"sarah@kampaltech.ug","name":"Nakato Sarah","country":"UG","currency":"UGX","status":"active","metadata":{"userId":"usr_98765","accountType":"business","plan":"growth"},"stripeCustomerId":null,"totalSpent":"1500.50","activeSubscriptions":1,"createdAt":"2026-03-01T12:00:00.000Z","updatedAt":"2026-03-01T12:00:00.000Z"}"#;

/// A customer as Stripe's API returns one, for the Stripe SDKs' baselines.
const STRIPE_CUSTOMER: &str = r#"{"id":"cus_bench","object":"customer","address":{"city":"Kampala","country":"UG","line1":"Plot 12","line2":null,"postal_code":null,"state":null},"balance":0,"created":1772366400,"currency":"ugx","default_source":null,"delinquent":false,"description":null,"email":"sarah@kampaltech.ug","invoice_prefix":"B1C2D3E4","invoice_settings":{"custom_fields":null,"default_payment_method":null,"footer":null,"rendering_options":null},"livemode":false,"metadata":{"userId":"usr_98765","accountType":"business","plan":"growth"},"name":"Nakato Sarah","phone":null,"preferred_locales":[],"shipping":null,"tax_exempt":"none","test_clock":null}"#;

fn customer(status: StatusCode) -> Response {
    json(status, CUSTOMER)
}

fn json(status: StatusCode, body: &'static str) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    h.insert(header::ETAG, HeaderValue::from_static("\"1\""));
    h.insert("x-request-id", HeaderValue::from_static("req_bench"));
    r
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:0".into());
    let app = Router::new()
        .route("/api/customers/{id}", get(|| async { customer(StatusCode::OK) }))
        .route("/api/customers", post(|_body: Bytes| async { customer(StatusCode::CREATED) }))
        .route("/v1/customers/{id}", get(|| async { json(StatusCode::OK, STRIPE_CUSTOMER) }))
        .route("/v1/customers", post(|_body: Bytes| async { json(StatusCode::OK, STRIPE_CUSTOMER) }));
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await
}
