//! tests/vectors/config.json and options.json: client settings and per-call
//! options, checked by core. One test, since the cases set the environment.

mod common;

use std::time::Duration;

use novabilling::{ClientConfig, Error, RequestOptions, Span};
use serde_json::{Value, json};

fn load(name: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(common::workspace_root().join("tests/vectors").join(name)).unwrap();
    serde_json::from_str::<Value>(&text).unwrap()["cases"].as_array().unwrap().clone()
}

fn headers(v: &Value) -> Vec<(String, String)> {
    v.as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned())).collect())
        .unwrap_or_default()
}

fn config(c: &Value) -> ClientConfig {
    let s = |k: &str| c[k].as_str().map(str::to_owned);
    let span = |k: &str| c[k].as_f64().map(Span::Seconds);
    ClientConfig {
        token: s("token"),
        api_key: s("apiKey"),
        base_url: s("baseUrl"),
        timeout: span("timeout"),
        connect_timeout: span("connectTimeout"),
        max_retries: c["maxRetries"].as_i64(),
        default_headers: headers(&c["defaultHeaders"]),
        ca_certificates: s("caCertificates"),
        ..ClientConfig::default()
    }
}

fn field_codes(e: &Error) -> Value {
    let Error::Validation(v) = e else { panic!("not a validation error: {e:?}") };
    Value::Array(v.errors.iter().map(|f| json!({"field": f.field, "code": f.code})).collect())
}

fn set_env(vars: &Value) {
    for name in [novabilling::ENV_API_KEY, novabilling::ENV_BASE_URL] {
        // SAFETY: this test binary has this one test, so no other thread reads the environment.
        unsafe {
            match vars[name].as_str() {
                Some(v) => std::env::set_var(name, v),
                None => std::env::remove_var(name),
            }
        }
    }
}

#[tokio::test]
async fn settings_and_options_vectors() {
    for case in load("config.json") {
        let name = case["name"].as_str().unwrap();
        set_env(&case["env"]);
        let built = novabilling::Client::from_config(&config(&case["config"]));
        match (&case["error"], built) {
            (Value::Array(_), Err(e)) => assert_eq!(field_codes(&e), case["error"], "{name}"),
            (Value::Array(_), Ok(c)) => panic!("{name}: expected an error, got {c:?}"),
            (_, Ok(c)) => {
                let got = json!({"baseUrl": c.base_url(), "maxRetries": c.max_retries()});
                assert_eq!(got, case["ok"], "{name}");
            }
            (_, Err(e)) => panic!("{name}: {e}"),
        }
    }
    set_env(&json!({}));

    let client = novabilling::Client::builder()
        .token("sk_test_vectors")
        .base_url("http://127.0.0.1:9")
        .connect_timeout(Duration::from_millis(200))
        .max_retries(0)
        .build()
        .unwrap();
    for case in load("options.json") {
        let name = case["name"].as_str().unwrap();
        let o = &case["options"];
        let opts = RequestOptions {
            timeout: o["timeout"].as_f64().map(Span::Seconds),
            max_retries: o["maxRetries"].as_i64(),
            idempotency_key: o["idempotencyKey"].as_str().map(str::to_owned),
            if_match: o["ifMatch"].as_str().map(str::to_owned),
            headers: headers(&o["headers"]),
        };
        let err = client.customers().with_options(opts).delete("cust_1").await.expect_err(name);
        assert_eq!(field_codes(&err), case["error"], "{name}");
    }
}
