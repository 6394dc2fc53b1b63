//! A Stripe customers export as people hold it: the JSON array the API takes,
//! or Stripe's list object (`{"object": "list", "data": [...]}`) as saved from
//! its API. The CLI and the server's admin page both read files this way.

use serde_json::Value;

/// What a file must be, for the message that refuses one that is not.
pub const STRIPE_EXPORT_EXPECTED: &str =
    "a Stripe customers export must be a JSON array of Stripe customers, or Stripe's list object ({\"data\": [...]})";

/// The customers of an export, or `None` when it is neither shape.
pub fn stripe_export_customers(export: &Value) -> Option<&[Value]> {
    match export {
        Value::Array(a) => Some(a),
        Value::Object(o) => match o.get("data") {
            Some(Value::Array(a)) => Some(a),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_an_array_and_a_list_object_and_refuses_the_rest() {
        let one = json!({"id": "cus_1", "email": "a@example.com"});
        assert_eq!(stripe_export_customers(&json!([one.clone()])), Some(&[one.clone()][..]));
        assert_eq!(stripe_export_customers(&json!({"object": "list", "data": [one.clone()]})), Some(&[one][..]));
        assert_eq!(stripe_export_customers(&json!({"object": "list"})), None);
        assert_eq!(stripe_export_customers(&json!({"data": {}})), None);
        assert_eq!(stripe_export_customers(&json!("cus_1")), None);
    }
}
