//! Reading test answers: JSON values with panics that say what was missing.
//! Shared by the CLI's and the emulator's test suites (the emulator's
//! includes this file by path).

use miniserde::json::{Number, Value};

#[track_caller]
pub fn parse(text: &str) -> Value {
    miniserde::json::from_str(text).unwrap_or_else(|_| panic!("not one JSON document: {text:?}"))
}

#[track_caller]
pub fn field<'a>(value: &'a Value, key: &str) -> &'a Value {
    match value {
        Value::Object(object) => object
            .get(key)
            .unwrap_or_else(|| panic!("no {key} in {}", miniserde::json::to_string(value))),
        _ => panic!("not an object: {}", miniserde::json::to_string(value)),
    }
}

pub fn has(value: &Value, key: &str) -> bool {
    matches!(value, Value::Object(object) if object.contains_key(key))
}

#[track_caller]
pub fn str_at<'a>(value: &'a Value, key: &str) -> &'a str {
    match field(value, key) {
        Value::String(s) => s,
        other => panic!(
            "{key} is not a string: {}",
            miniserde::json::to_string(other)
        ),
    }
}

#[track_caller]
pub fn u64_at(value: &Value, key: &str) -> u64 {
    match field(value, key) {
        Value::Number(Number::U64(n)) => *n,
        other => panic!(
            "{key} is not a count: {}",
            miniserde::json::to_string(other)
        ),
    }
}

#[track_caller]
pub fn bool_at(value: &Value, key: &str) -> bool {
    match field(value, key) {
        Value::Bool(b) => *b,
        other => panic!(
            "{key} is not a boolean: {}",
            miniserde::json::to_string(other)
        ),
    }
}

#[track_caller]
pub fn items(value: &Value) -> &[Value] {
    match value {
        Value::Array(items) => items,
        other => panic!("not an array: {}", miniserde::json::to_string(other)),
    }
}
