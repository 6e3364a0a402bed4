/*! Reading fields out of `miniserde` JSON values without ceremony. */

use miniserde::json::{Object, Value};

pub fn field<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    match value {
        Value::Object(object) => object.get(key),
        _ => None,
    }
}

pub fn as_object(value: &Value) -> Option<&Object> {
    match value {
        Value::Object(object) => Some(object),
        _ => None,
    }
}

pub fn as_str(value: &Value) -> Option<&str> {
    match value {
        Value::String(s) => Some(s),
        _ => None,
    }
}

/// The string at `key`, or `""`.
pub fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    field(value, key).and_then(as_str).unwrap_or("")
}

/// The whole number at `key`, or 0.
pub fn count(value: &Value, key: &str) -> u64 {
    match field(value, key) {
        Some(Value::Number(n)) => n.to_string().parse().unwrap_or(0),
        _ => 0,
    }
}
