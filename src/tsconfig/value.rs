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

/// A number: written out as JavaScript's `String(n)` (and so
/// `JSON.stringify`) writes it, whatever the source's spelling.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
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
        Some(Number { value })
    }

    pub fn negate(&self) -> Number {
        Number { value: -self.value }
    }

    /// `String(n)`, as a template substitution, a `+` or a property key.
    pub fn to_js_string(&self) -> String {
        js_string(self.value)
    }
}

/// JavaScript's Number::toString (ECMA-262 6.1.6.1.20): the shortest digits
/// that read back as the same double, written out in full from 1e-6 up to
/// below 1e21 and in exponent form (`1e+21`, `1.5e-7`) beyond; `-0` is `0`.
pub fn js_string(value: f64) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    if value == 0.0 {
        return "0".into();
    }
    if value < 0.0 {
        return format!("-{}", js_string(-value));
    }
    if value.is_infinite() {
        return "Infinity".into();
    }
    // Rust's `{:e}` is the shortest round-trip form: `d.ddde[-]x`.
    let scientific = format!("{value:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let k = digits.len() as i32;
    // The decimal point is after the first `n` digits.
    let n = exponent.parse::<i32>().unwrap_or(0) + 1;
    if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        let (int, frac) = digits.split_at(n as usize);
        format!("{int}.{frac}")
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let sign = if n > 0 { '+' } else { '-' };
        let (first, rest) = digits.split_at(1);
        let dot = if rest.is_empty() { "" } else { "." };
        format!("{first}{dot}{rest}e{sign}{}", (n - 1).abs())
    }
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
            JsValue::Number(n) if n.value.is_finite() => out.push_str(&n.to_js_string()),
            JsValue::Number(_) => out.push_str("null"),
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

    /// (literal, `String(n)`, `JSON.stringify(n)`) as Node prints them.
    #[test]
    fn numbers_are_written_as_javascript_writes_them() {
        for (text, string, json) in [
            ("1e3", "1000", "1000"),
            ("1.50", "1.5", "1.5"),
            ("0x1F", "31", "31"),
            ("1_000", "1000", "1000"),
            (".5", "0.5", "0.5"),
            ("007", "7", "7"),
            ("0", "0", "0"),
            ("1e21", "1e+21", "1e+21"),
            ("1e20", "100000000000000000000", "100000000000000000000"),
            ("999999999999999999999", "1e+21", "1e+21"),
            (
                "123456789012345678901",
                "123456789012345680000",
                "123456789012345680000",
            ),
            ("1.5e21", "1.5e+21", "1.5e+21"),
            (
                "123456789012345678901234567890",
                "1.2345678901234568e+29",
                "1.2345678901234568e+29",
            ),
            ("1e-6", "0.000001", "0.000001"),
            ("1.5e-6", "0.0000015", "0.0000015"),
            ("1e-7", "1e-7", "1e-7"),
            ("1.25e-7", "1.25e-7", "1.25e-7"),
            ("0.1", "0.1", "0.1"),
            (
                "0.30000000000000004",
                "0.30000000000000004",
                "0.30000000000000004",
            ),
            ("9007199254740993", "9007199254740992", "9007199254740992"),
            ("5e-324", "5e-324", "5e-324"),
            (
                "1.7976931348623157e308",
                "1.7976931348623157e+308",
                "1.7976931348623157e+308",
            ),
            ("1e400", "Infinity", "null"),
            ("123.456", "123.456", "123.456"),
            ("0b101", "5", "5"),
            ("0o17", "15", "15"),
        ] {
            let n = Number::from_literal(text).unwrap();
            assert_eq!(n.to_js_string(), string, "String({text})");
            assert_eq!(num(text).to_json().unwrap(), json, "JSON.stringify({text})");
            // Negated: a sign in front, but -0 is `0`.
            let negative = n.negate();
            let minus = |s: &str| {
                if s == "0" {
                    s.to_string()
                } else {
                    format!("-{s}")
                }
            };
            assert_eq!(negative.to_js_string(), minus(string), "String(-{text})");
            let negative_json = JsValue::Number(negative).to_json().unwrap();
            let expected = if json == "null" {
                json.to_string()
            } else {
                minus(json)
            };
            assert_eq!(negative_json, expected, "JSON.stringify(-{text})");
        }
        assert_eq!(js_string(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(js_string(-0.0), "0");
        assert_eq!(js_string(f64::NAN), "NaN");
        assert_eq!(js_string(f64::NEG_INFINITY), "-Infinity");
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
