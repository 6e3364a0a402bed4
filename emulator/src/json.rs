/*!
Small helpers over `miniserde`'s JSON values: building objects in a line and
reading typed fields out of request bodies, and the nesting cap every JSON
text passes before it is parsed.

`miniserde` parses, serializes and drops without recursion, but its `Clone`
is derived and recurses: a value nested 20,000 deep overflows the stack when
it is stored. So no text deeper than [`MAX_DEPTH`] becomes a value, and every
walk over a value (clone included) is depth-bounded.
*/

use miniserde::json::{Array, Number, Object, Value};

pub use codika_common::jsontext::MAX_DEPTH;

/// Whether arrays and objects in `text` nest deeper than [`MAX_DEPTH`]. A
/// byte scan (strings skipped), so it runs before parsing and never recurses.
pub fn too_deep(text: &str) -> bool {
    codika_common::jsontext::nests_deeper_than(text, MAX_DEPTH)
}

pub fn string(s: impl Into<String>) -> Value {
    Value::String(s.into())
}

pub fn number(n: u64) -> Value {
    Value::Number(Number::U64(n))
}

pub fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

pub fn array(items: impl IntoIterator<Item = Value>) -> Value {
    let mut array = Array::new();
    array.extend(items);
    Value::Array(array)
}

/// Adds `key` only when there is a value: absent fields are omitted, never
/// sent as `null`.
pub fn insert_some(object: &mut Object, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        object.insert(key.to_string(), value);
    }
}

pub use codika_common::value::{as_object, as_str, kind_of};

#[cfg(test)]
mod tests {
    use super::{MAX_DEPTH, too_deep};

    #[test]
    fn nesting_is_capped_outside_strings_only() {
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(!too_deep(&nested(MAX_DEPTH)));
        assert!(too_deep(&nested(MAX_DEPTH + 1)));
        let in_string = format!("{{\"s\":\"\\\"{}\"}}", "[".repeat(1000));
        assert!(!too_deep(&in_string), "{in_string}");
        assert!(!too_deep(&"[]".repeat(10_000)));
    }
}
