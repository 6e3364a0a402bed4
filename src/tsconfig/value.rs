/*!
The values the evaluator produces, and their JSON text as `JSON.stringify`
writes it: objects keep JavaScript's property order (array-index keys first,
ascending, then the rest in insertion order), `undefined` and functions are
left out of objects and become `null` in arrays.
*/

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

#[derive(Debug, Clone, PartialEq)]
pub enum JsValue {
    Undefined,
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    /// Shared: a constant used in many places is built once, and each use
    /// holds the same value (memory grows with what is read, not with what
    /// the value expands to). The number is [`JsValue::size`].
    Array(Rc<Vec<JsValue>>, usize),
    Object(Rc<Object>, usize),
    /// A function or method: JSON.stringify leaves it out.
    Function,
}

/// A number literal: its JSON text (the source's when that is valid JSON)
/// and its value, for `${}` and numeric keys.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    pub json: String,
    pub value: f64,
}

impl Number {
    /// From a literal's source text (`1e3`, `0x1F`, `1_000`, `.5`); `None`
    /// for what is not a number.
    pub fn from_literal(text: &str) -> Option<Number> {
        let plain = text.replace('_', "");
        let radix = |prefix: &[&str], radix| {
            prefix
                .iter()
                .find_map(|p| plain.strip_prefix(p))
                .map(|digits| u64::from_str_radix(digits, radix).ok().map(|n| n as f64))
        };
        let value = match radix(&["0x", "0X"], 16)
            .or_else(|| radix(&["0o", "0O"], 8))
            .or_else(|| radix(&["0b", "0B"], 2))
        {
            Some(value) => value?,
            None => plain.parse::<f64>().ok()?,
        };
        let json = if is_json_number(text) && value.is_finite() {
            text.to_string()
        } else {
            js_string(value)
        };
        Some(Number { json, value })
    }

    pub fn negate(&self) -> Number {
        let json = match self.json.strip_prefix('-') {
            Some(positive) => positive.to_string(),
            None if self.json == "null" => self.json.clone(),
            None => format!("-{}", self.json),
        };
        Number {
            json,
            value: -self.value,
        }
    }

    /// `String(n)`, as a template substitution or a property key.
    pub fn to_js_string(&self) -> String {
        js_string(self.value)
    }
}

/// JavaScript's Number to String, for the values config files hold.
fn js_string(value: f64) -> String {
    if value.is_nan() {
        "NaN".into()
    } else if value.is_infinite() {
        if value > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else if value.fract() == 0.0 && value.abs() < 1e21 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}

/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
fn is_json_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let start = i;
    if digits(&mut i) == 0 || (b[start] == b'0' && i - start > 1) {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// An object's properties in JavaScript's order: array-index keys first,
/// ascending, then the others in insertion order. Setting a key is
/// constant time (amortized) for names and logarithmic for indices, so no
/// object makes building it quadratic.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Object {
    indices: BTreeMap<u32, JsValue>,
    named: Vec<(String, JsValue)>,
    /// Where each name is in `named`, once there are more than [`SMALL`]
    /// (a schema's field objects have four or five: no index, no copies of
    /// their keys).
    positions: HashMap<String, usize>,
}

const SMALL: usize = 16;

impl Object {
    /// Sets `key`: a known key keeps its place; a new array index goes
    /// among the other indices in ascending order, any other key at the end.
    pub fn set(&mut self, key: String, value: JsValue) {
        if let Some(index) = array_index(&key) {
            self.indices.insert(index, value);
            return;
        }
        match self.position(&key) {
            Some(at) => self.named[at].1 = value,
            None => {
                if !self.positions.is_empty() {
                    self.positions.insert(key.clone(), self.named.len());
                } else if self.named.len() == SMALL {
                    // Large enough for an index to pay for its memory.
                    for (at, (name, _)) in self.named.iter().enumerate() {
                        self.positions.insert(name.clone(), at);
                    }
                    self.positions.insert(key.clone(), self.named.len());
                }
                self.named.push((key, value));
            }
        }
    }

    /// Where `key` is in `named`: a scan of at most [`SMALL`] names, else
    /// the index.
    fn position(&self, key: &str) -> Option<usize> {
        if self.positions.is_empty() {
            self.named.iter().position(|(name, _)| name == key)
        } else {
            self.positions.get(key).copied()
        }
    }

    /// The properties in JavaScript's order.
    pub fn iter(&self) -> impl Iterator<Item = (String, &JsValue)> {
        let indices = self.indices.iter().map(|(i, v)| (i.to_string(), v));
        indices.chain(self.named.iter().map(|(k, v)| (k.clone(), v)))
    }
}

/// A canonical array index (`"0"`, `"17"`, not `"01"`), below 2^32 - 1.
fn array_index(key: &str) -> Option<u32> {
    let index: u32 = key.parse().ok()?;
    (index != u32::MAX && index.to_string() == key).then_some(index)
}

impl JsValue {
    /// What the value expands to, in values and string bytes / 16 (keys
    /// included): what writing it out costs. Constant time: an array or
    /// object carries its own, counted when it was built.
    pub fn size(&self) -> usize {
        match self {
            JsValue::String(s) => 1 + s.len() / 16,
            JsValue::Array(_, size) | JsValue::Object(_, size) => *size,
            _ => 1,
        }
    }

    pub fn array(items: Vec<JsValue>) -> JsValue {
        let size = 1 + items.iter().map(JsValue::size).sum::<usize>();
        JsValue::Array(Rc::new(items), size)
    }

    pub fn object(object: Object) -> JsValue {
        let size = 1
            + object.indices.values().map(JsValue::size).sum::<usize>()
            + object
                .named
                .iter()
                .map(|(k, v)| k.len() / 16 + v.size())
                .sum::<usize>();
        JsValue::Object(Rc::new(object), size)
    }

    /// `JSON.stringify(value)`; `None` when the value itself is left out
    /// (`undefined`, a function).
    pub fn to_json(&self) -> Option<String> {
        let mut out = String::new();
        self.write(&mut out).then_some(out)
    }

    /// Recursion is bounded: the evaluator refuses values nested deeper
    /// than its limit.
    fn write(&self, out: &mut String) -> bool {
        match self {
            JsValue::Undefined | JsValue::Function => return false,
            JsValue::Null => out.push_str("null"),
            JsValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            JsValue::Number(n) => out.push_str(if n.value.is_finite() { &n.json } else { "null" }),
            JsValue::String(s) => write_string(s, out),
            JsValue::Array(items, _) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    if !item.write(out) {
                        out.push_str("null");
                    }
                }
                out.push(']');
            }
            JsValue::Object(object, _) => {
                out.push('{');
                let mut first = true;
                for (key, value) in object.iter() {
                    if matches!(value, JsValue::Undefined | JsValue::Function) {
                        continue;
                    }
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    write_string(&key, out);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
        true
    }
}

/// A JSON string as JSON.stringify escapes it.
fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(text: &str) -> JsValue {
        JsValue::Number(Number::from_literal(text).unwrap())
    }

    #[test]
    fn numbers_keep_json_text_and_convert_the_rest() {
        for (text, json, string) in [
            ("1e3", "1e3", "1000"),
            ("1.50", "1.50", "1.5"),
            ("0x1F", "31", "31"),
            ("1_000", "1000", "1000"),
            (".5", "0.5", "0.5"),
            ("007", "7", "7"),
        ] {
            let n = Number::from_literal(text).unwrap();
            assert_eq!((n.json.as_str(), n.to_js_string()), (json, string.into()));
        }
        assert_eq!(Number::from_literal("2").unwrap().negate().json, "-2");
    }

    #[test]
    fn objects_order_keys_as_javascript_does_and_stringify_omits_undefined() {
        let mut object = Object::default();
        for key in ["b", "2", "a", "1", "01"] {
            object.set(key.into(), num("1"));
        }
        object.set("b".into(), JsValue::String("q\"\n\u{1}".into()));
        object.set("u".into(), JsValue::Undefined);
        let array = JsValue::array(vec![JsValue::Undefined, JsValue::Function, JsValue::Null]);
        object.set("l".into(), array);
        assert_eq!(
            JsValue::object(object).to_json().unwrap(),
            r#"{"1":1,"2":1,"b":"q\"\n\u0001","a":1,"01":1,"l":[null,null,null]}"#
        );
        assert_eq!(JsValue::Undefined.to_json(), None);
    }
}
