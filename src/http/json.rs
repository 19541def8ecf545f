//! JSON for the Hub's answers, the calls' options and the request bodies, in a few hundred
//! lines instead of `serde_json`: a small [`Value`] tree and a reader that never panics on
//! network data, field helpers that return `None` when an answer has the wrong shape, and a
//! compact writer for anything that derives `serde::Serialize`.
//!
//! Why not `serde_json`: in the wasm it cost about 22 KB of code (its `Value` deserialiser,
//! float parsing and formatting, error messages), and every page pays for it (size-notes in
//! docs/). Numbers are kept as their text and read as integers on demand, so no float parser
//! is linked at all; the Hub's sizes and counts are integers.

mod read;
mod write;

use alloc::string::String;
use alloc::vec::Vec;

pub use read::parse;
pub use write::{push_string, push_u64, to_string};

/// A JSON value. Objects keep their keys in document order; numbers keep their text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object's members, in order.
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The member `key` of an object (the last one, if the key repeats).
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number as a non-negative integer, if it is one (`3`, not `3.0`, `-3` or `3e0`).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) => parse_u64(n),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&[(String, Value)]> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
}

/// `v[key]` reads as `null` when `v` is not an object or has no such member.
impl core::ops::Index<&str> for Value {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&Value::Null)
    }
}

/// Digits only, no sign, no leading zero (but `0`), within `u64`.
fn parse_u64(s: &str) -> Option<u64> {
    if s.is_empty() || (s.len() > 1 && s.starts_with('0')) {
        return None;
    }
    s.bytes().try_fold(0u64, |n, b| {
        if b.is_ascii_digit() {
            n.checked_mul(10)?.checked_add(u64::from(b - b'0'))
        } else {
            None
        }
    })
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

    #[test]
    fn numbers_are_read_as_whole_non_negative_integers_only() {
        for (text, n) in [
            ("0", Some(0)),
            ("42", Some(42)),
            ("18446744073709551615", Some(u64::MAX)),
            ("18446744073709551616", None),
            ("-1", None),
            ("1.5", None),
            ("1e3", None),
            ("01", None),
        ] {
            assert_eq!(Value::Number(String::from(text)).as_u64(), n, "{text}");
        }
    }

    #[test]
    fn a_repeated_key_reads_as_its_last_value() {
        let v = parse(br#"{"a":1,"a":2}"#).unwrap();
        assert_eq!(v.get("a").unwrap().as_u64(), Some(2));
    }
}
