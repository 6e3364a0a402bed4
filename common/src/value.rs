/*!
Reading fields out of `miniserde` JSON values without ceremony, and naming
a value's kind for an error that says what was found instead.
*/

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

/// What `value` is, as an error names it: `"a string"`, `"null"`, ...
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::kind_of;
    use miniserde::json::Value;

    #[test]
    fn every_kind_of_value_is_named() {
        for (text, kind) in [
            ("null", "null"),
            ("true", "a boolean"),
            ("-1.5", "a number"),
            ("\"x\"", "a string"),
            ("[1]", "an array"),
            ("{}", "an object"),
        ] {
            let value: Value = miniserde::json::from_str(text).unwrap();
            assert_eq!(kind_of(&value), kind, "{text}");
        }
    }
}
