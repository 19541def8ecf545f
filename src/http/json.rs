//! Reading the Hub's small JSON answers from one `serde_json::Value` instead of a derived
//! decoder per answer type: the wasm carries one JSON reader for all of them. Each reader
//! returns `None` when the answer does not have the expected shape.

use alloc::string::String;
use serde_json::Value;

/// The body as JSON, when it is JSON.
pub fn parse(body: &[u8]) -> Option<Value> {
    serde_json::from_slice(body).ok()
}

/// `v[key]`, or `None` when it is absent or `null`.
pub fn field<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.get(key).filter(|f| !f.is_null())
}

/// A string field that must be there.
pub fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)?.as_str().map(String::from)
}

/// An optional string field: `Some(None)` when absent or `null`, `None` when not a string.
pub fn opt_text(v: &Value, key: &str) -> Option<Option<String>> {
    match field(v, key) {
        None => Some(None),
        Some(f) => f.as_str().map(|s| Some(String::from(s))),
    }
}

/// An optional boolean field, `false` when absent or `null`; `None` when not a boolean.
pub fn flag(v: &Value, key: &str) -> Option<bool> {
    match field(v, key) {
        None => Some(false),
        Some(f) => f.as_bool(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_and_tells_a_wrong_shape() {
        let v = parse(br#"{"s":"x","n":null,"b":true,"i":3}"#).unwrap();
        assert_eq!(text(&v, "s").as_deref(), Some("x"));
        assert_eq!(text(&v, "i"), None);
        assert_eq!(text(&v, "missing"), None);
        assert_eq!(opt_text(&v, "n"), Some(None));
        assert_eq!(opt_text(&v, "missing"), Some(None));
        assert_eq!(opt_text(&v, "s"), Some(Some(String::from("x"))));
        assert_eq!(opt_text(&v, "b"), None);
        assert_eq!(flag(&v, "b"), Some(true));
        assert_eq!(flag(&v, "n"), Some(false));
        assert_eq!(flag(&v, "s"), None);
        assert!(parse(b"not json").is_none());
    }
}
