//! `validate::from_json`: a binding's JSON input, read into core types, with
//! shape errors as ValidationErrors naming the field.

use novabilling::{CustomerCreate, CustomerUpdate, EphemeralKeyCreate, KeyCreate, ListParams, Patch, validate};

fn fields<T: serde::de::DeserializeOwned + std::fmt::Debug>(json: &str) -> Vec<(String, String)> {
    let e = validate::from_json::<T>("params", json).expect_err(json);
    e.errors.iter().map(|f| (f.field.clone(), f.code.clone().unwrap_or_default())).collect()
}

#[test]
fn absent_is_keep_and_null_is_clear() {
    let u: CustomerUpdate = validate::from_json("params", r#"{"name": null, "country": "UG"}"#).unwrap();
    assert_eq!(u.name, Patch::Clear);
    assert_eq!(u.country, Patch::Set("UG".into()));
    assert_eq!(u.email, Patch::Keep);
}

#[test]
fn shape_errors_name_the_field() {
    assert_eq!(fields::<CustomerUpdate>(r#"{"externalId": "x"}"#), [("externalId".into(), "unknown_field".into())]);
    assert_eq!(fields::<CustomerCreate>(r#"{"email": "a@b.co"}"#), [("externalId".into(), "required".into())]);
    assert_eq!(fields::<CustomerCreate>(r#"{"externalId": 5, "email": "a@b.co"}"#), [("externalId".into(), "invalid".into())]);
    assert_eq!(fields::<ListParams>(r#"{"serach": "x"}"#), [("serach".into(), "unknown_field".into())]);
    assert_eq!(fields::<ListParams>(r#"{"page": -1}"#), [("page".into(), "invalid".into())]);
    assert_eq!(fields::<ListParams>("{"), [("params".into(), "invalid".into())]);
}

#[test]
fn bytes_and_text_read_alike() {
    for json in [r#"{"externalId": "x"}"#, r#"{"page": "2"}"#, "{} trailing", "", r#"{"page": 1, "page": 2}"#] {
        let text = validate::from_json::<ListParams>("params", json).map_err(|e| e.errors);
        let bytes = validate::from_json_slice::<ListParams>("params", json.as_bytes()).map_err(|e| e.errors);
        assert_eq!(format!("{text:?}"), format!("{bytes:?}"), "{json}");
    }
}

#[test]
fn nested_and_root_errors() {
    let e = validate::from_json_slice::<Vec<CustomerCreate>>("body", br#"[{"externalId": "a", "email": 1}]"#).unwrap_err();
    assert_eq!((e.errors[0].field.as_str(), e.errors[0].code.as_deref()), ("[0].email", Some("invalid")));
    // Not JSON at all, or JSON with something after it: the input as a whole.
    for json in [&b"{\"externalId\": "[..], br#"{"externalId": "a", "email": "a@b.co"} x"#, b"\xff"] {
        let e = validate::from_json_slice::<CustomerCreate>("body", json).unwrap_err();
        assert_eq!((e.errors[0].field.as_str(), e.errors[0].code.as_deref()), ("body", Some("invalid")));
    }
}

#[test]
fn a_whole_number_of_seconds_may_be_written_as_a_float() {
    // JSON Schema's `integer` takes 3600.0, and so does a client's float; a fraction does not pass.
    for (json, secs) in [(r#"{"scopes": [], "expiresIn": 3600}"#, 3600), (r#"{"scopes": [], "expiresIn": 3600.0}"#, 3600)] {
        let k: KeyCreate = validate::from_json("params", json).unwrap();
        assert_eq!(k.expires_in, Some(secs), "{json}");
    }
    let k: EphemeralKeyCreate = validate::from_json("params", r#"{"customerId": "c", "expiresIn": 3.6e3}"#).unwrap();
    assert_eq!(k.expires_in, Some(3600));
    let k: EphemeralKeyCreate = validate::from_json("params", r#"{"customerId": "c", "expiresIn": null}"#).unwrap();
    assert_eq!(k.expires_in, None);
    for bad in ["3600.5", "-1", "-1.0", "1e30", "\"3600\"", "true"] {
        let json = format!(r#"{{"scopes": [], "expiresIn": {bad}}}"#);
        assert_eq!(fields::<KeyCreate>(&json), [("expiresIn".into(), "invalid".into())], "{json}");
    }
}
