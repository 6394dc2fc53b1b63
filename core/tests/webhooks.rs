//! tests/vectors/webhooks.json through core: the signatures it makes and
//! every verification outcome, plus the signing helper's round trip.

mod common;

use std::time::Duration;

use novabilling::webhooks::{self, DEFAULT_TOLERANCE, WebhookSecret};
use novabilling::{Error, ErrorKind};
use serde_json::Value;

fn vectors() -> Value {
    let path = common::workspace_root().join("tests/vectors/webhooks.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_owned()).collect()
}

fn headers(v: &Value) -> Vec<(String, String)> {
    v.as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned())).collect()
}

#[test]
fn signatures_match_the_vectors() {
    for case in vectors()["sign"].as_array().unwrap() {
        let got = webhooks::signature(
            case["secret"].as_str().unwrap(),
            case["id"].as_str().unwrap(),
            case["timestamp"].as_i64().unwrap(),
            case["body"].as_str().unwrap().as_bytes(),
        )
        .unwrap();
        assert_eq!(got, case["signature"].as_str().unwrap(), "{}", case["name"]);
    }
}

#[test]
fn verification_matches_the_vectors() {
    let all = vectors();
    let cases = all["verify"].as_array().unwrap();
    assert!(cases.len() >= 20);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let result = webhooks::verify(
            case["body"].as_str().unwrap().as_bytes(),
            &headers(&case["headers"]),
            &strs(&case["secrets"]),
            Duration::from_secs(case["tolerance"].as_u64().unwrap()),
        );
        match (&case.get("expect"), result) {
            (Some(want), Ok(event)) => {
                assert_eq!(event.id, want["id"].as_str().unwrap(), "{name}");
                assert_eq!(event.event_type, want["type"].as_str().unwrap(), "{name}");
                assert_eq!(novabilling::timestamp::format(&event.timestamp), want["timestamp"].as_str().unwrap());
                assert_eq!(event.sequence, want["sequence"].as_i64(), "{name}");
                let changed = want["changed_fields"].as_array().map(|_| strs(&want["changed_fields"]));
                assert_eq!(event.changed_fields, changed, "{name}");
                assert_eq!(event.customer.as_ref().map(|c| c.id.as_str()), want["customer_id"].as_str(), "{name}");
                let imported = event.imported.as_ref().map(|i| (i.created, i.skipped));
                let want_imported = want["imported"].as_object().map(|i| (i["created"].as_u64().unwrap(), i["skipped"].as_u64().unwrap()));
                assert_eq!(imported, want_imported, "{name}");
                let mut keys: Vec<&String> = event.data.keys().collect();
                keys.sort();
                assert_eq!(keys, strs(&want["data_keys"]).iter().collect::<Vec<_>>(), "{name}");
            }
            (None, Err(e)) => {
                let want = &case["error"];
                assert_eq!(e.kind(), ErrorKind::WebhookVerification, "{name}");
                assert_eq!(e.code(), want["code"].as_str(), "{name}: {e}");
                let contains = want["contains"].as_str().unwrap();
                assert!(e.message().contains(contains), "{name}: {:?} lacks {contains:?}", e.message());
            }
            (_, other) => panic!("{name}: unexpected {other:?}"),
        }
    }
}

#[test]
fn the_signing_helper_makes_headers_that_verify() {
    let secret = WebhookSecret::from_bytes(vec![7; 32]).to_text();
    let body = br#"{"id":"evt_1","type":"customer.deleted","timestamp":"2026-12-04T08:00:00.000Z","data":{"sequence":9}}"#;
    let headers = webhooks::sign(body, &secret, None, None).unwrap();
    let names: Vec<&str> = headers.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["webhook-id", "webhook-timestamp", "webhook-signature"]);
    assert!(headers[0].1.starts_with("msg_"));
    let event = webhooks::verify(body, &headers, &[secret.as_str()], DEFAULT_TOLERANCE).unwrap();
    assert_eq!((event.event_type.as_str(), event.sequence, event.customer), ("customer.deleted", Some(9), None));
    // Same body and time, same id: a receiver's test can assert on it.
    let again = webhooks::sign(body, &secret, None, Some(headers[1].1.parse().unwrap())).unwrap();
    assert_eq!(again, headers);
    let err = webhooks::sign(body, "sk_test_x", None, None).unwrap_err();
    assert!(matches!(err, Error::WebhookVerification { .. }), "{err:?}");
}

#[test]
fn a_secret_never_shows_in_debug() {
    let s = WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    assert_eq!(format!("{s:?}"), "WebhookSecret(24 bytes)");
    assert_eq!(s.to_text(), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
}

#[test]
fn a_parsed_body_is_refused_with_what_to_do() {
    let e = webhooks::body_not_raw("dict");
    assert_eq!(e.code(), Some("body_not_raw"));
    assert!(e.message().contains(vectors()["body_not_raw"]["error"]["contains"].as_str().unwrap()));
}
