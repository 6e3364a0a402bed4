/*!
JSON as text, for what `miniserde`'s sorted objects cannot do: re-indent a
body without changing its key order, and walk an object's members in order.
Both work on the bytes without recursion, so no input can exhaust the stack.
They assume valid JSON (check with `miniserde` first).
*/

/// Deeper than this, values are written compactly: indenting every level
/// would make the output grow with the square of the depth.
const MAX_INDENTED_DEPTH: usize = 64;

/// How deep arrays and objects may nest in a request body the platform
/// accepts (the emulator's cap, as serde_json's default recursion limit).
pub const MAX_DEPTH: usize = 128;

/// Whether arrays and objects in `text` nest deeper than `limit`. A byte
/// scan (strings skipped), so it runs before parsing and never recurses.
pub fn nests_deeper_than(text: &str, limit: usize) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for byte in text.bytes() {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// `text` as a JSON string literal.
pub fn quote(text: &str) -> String {
    miniserde::json::to_string(&text.to_string())
}

/// Re-indents JSON text with 2 spaces, as `JSON.stringify(value, null, 2)`.
pub fn pretty(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() * 2);
    let mut depth = 0usize;
    let mut i = 0;
    let newline = |out: &mut String, depth: usize| {
        if depth <= MAX_INDENTED_DEPTH {
            out.push('\n');
            out.extend(std::iter::repeat_n("  ", depth));
        }
    };
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let end = skip_string(bytes, i).unwrap_or(bytes.len());
                out.push_str(&text[i..end]);
                i = end;
                continue;
            }
            open @ (b'{' | b'[') => {
                let next = skip_ws(bytes, i + 1);
                if matches!(bytes.get(next), Some(b'}' | b']')) {
                    out.push(open as char);
                    out.push(bytes[next] as char);
                    i = next + 1;
                    continue;
                }
                out.push(open as char);
                depth += 1;
                newline(&mut out, depth);
            }
            close @ (b'}' | b']') => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(close as char);
            }
            b',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            b':' => out.push_str(": "),
            b if b.is_ascii_whitespace() => {}
            _ => {
                // A number or literal: copy up to the next structural byte.
                let end = (i..bytes.len())
                    .find(|&j| {
                        matches!(bytes[j], b',' | b'}' | b']' | b':')
                            || bytes[j].is_ascii_whitespace()
                    })
                    .unwrap_or(bytes.len());
                out.push_str(&text[i..end]);
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The members of the JSON object `text`, in order, as (key, raw value).
pub fn members(text: &str) -> Vec<(String, &str)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut at = skip_ws(bytes, 0);
    if bytes.get(at) != Some(&b'{') {
        return out;
    }
    at = skip_ws(bytes, at + 1);
    while bytes.get(at) == Some(&b'"') {
        let Some(key_end) = skip_string(bytes, at) else {
            break;
        };
        let Ok(key) = miniserde::json::from_str::<String>(&text[at..key_end]) else {
            break;
        };
        at = skip_ws(bytes, key_end);
        if bytes.get(at) != Some(&b':') {
            break;
        }
        let start = skip_ws(bytes, at + 1);
        let Some(end) = skip_value(bytes, start) else {
            break;
        };
        out.push((key, &text[start..end]));
        at = skip_ws(bytes, end);
        if bytes.get(at) == Some(&b',') {
            at = skip_ws(bytes, at + 1);
        }
    }
    out
}

/// The elements of the JSON array `text`, in order, as raw values.
pub fn elements(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut at = skip_ws(bytes, 0);
    if bytes.get(at) != Some(&b'[') {
        return out;
    }
    at = skip_ws(bytes, at + 1);
    while at < bytes.len() && bytes[at] != b']' {
        let Some(end) = skip_value(bytes, at) else {
            break;
        };
        out.push(&text[at..end]);
        at = skip_ws(bytes, end);
        if bytes.get(at) == Some(&b',') {
            at = skip_ws(bytes, at + 1);
        }
    }
    out
}

/// The raw value of member `key` of the JSON object `text`.
pub fn member<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    members(text)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

/// The JSON object `object` with one more member at its end, `value` being
/// JSON text copied as is (so its own key order survives).
pub fn with_member(object: &str, key: &str, value: &str) -> String {
    let body = object.trim_end().strip_suffix('}').unwrap_or(object);
    let separator = if body.trim_end().ends_with('{') {
        ""
    } else {
        ","
    };
    let key = miniserde::json::to_string(key);
    format!("{body}{separator}{key}:{value}}}")
}

/// JSON text without the whitespace between tokens.
pub fn compact(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            let end = skip_string(bytes, i).unwrap_or(bytes.len());
            out.push_str(&text[i..end]);
            i = end;
            continue;
        }
        let end = (i..bytes.len())
            .find(|&j| bytes[j] == b'"' || bytes[j].is_ascii_whitespace())
            .unwrap_or(bytes.len());
        out.push_str(&text[i..end]);
        i = (end..bytes.len())
            .find(|&j| !bytes[j].is_ascii_whitespace())
            .unwrap_or(bytes.len());
    }
    out
}

fn skip_ws(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
        at += 1;
    }
    at
}

/// From an opening quote to just past the closing one.
fn skip_string(bytes: &[u8], mut at: usize) -> Option<usize> {
    at += 1;
    loop {
        match bytes.get(at)? {
            b'\\' => at += 2,
            b'"' => return Some(at + 1),
            _ => at += 1,
        }
    }
}

/// Just past the value that starts at `at`.
fn skip_value(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at)? {
        b'"' => skip_string(bytes, at),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = at;
            loop {
                match bytes.get(i)? {
                    b'"' => {
                        i = skip_string(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => Some(
            (at..bytes.len())
                .find(|&j| matches!(bytes[j], b',' | b'}' | b']') || bytes[j].is_ascii_whitespace())
                .unwrap_or(bytes.len()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_matches_json_stringify_with_two_spaces() {
        let text = r#"{"success":true,"data":{"b":[1,2,{"x":"a,b:{c}"}],"a":{},"e":[],"s":"q\"uote"},"n":-1.5e3}"#;
        let expected = "{\n  \"success\": true,\n  \"data\": {\n    \"b\": [\n      1,\n      2,\n      {\n        \"x\": \"a,b:{c}\"\n      }\n    ],\n    \"a\": {},\n    \"e\": [],\n    \"s\": \"q\\\"uote\"\n  },\n  \"n\": -1.5e3\n}";
        assert_eq!(pretty(text), expected);
        assert_eq!(pretty(&pretty(text)), expected, "idempotent");
    }

    #[test]
    fn members_keep_their_order() {
        let text = r#" { "z" : 1, "a" : {"k": [1, "]"]}, "m" : "x" } "#;
        let keys: Vec<String> = members(text).into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["z", "a", "m"]);
        assert_eq!(member(text, "a"), Some(r#"{"k": [1, "]"]}"#));
        assert_eq!(member(text, "nope"), None);
        assert_eq!(
            elements(r#"[1, "a,]", {"b": [2]}, []]"#),
            ["1", "\"a,]\"", "{\"b\": [2]}", "[]"]
        );
        assert!(elements("[]").is_empty());
    }

    #[test]
    fn a_member_appended_keeps_the_raw_value_and_its_order() {
        assert_eq!(
            with_member(r#"{"a":1}"#, "s", r#"{"z":1,"b":[2]}"#),
            r#"{"a":1,"s":{"z":1,"b":[2]}}"#
        );
        assert_eq!(with_member("{}", "k", "true"), r#"{"k":true}"#);
        assert_eq!(
            compact("{ \"z\" : [1, 2],\n \"a b\": \" x \" }"),
            r#"{"z":[1,2],"a b":" x "}"#
        );
    }

    #[test]
    fn deep_nesting_neither_recurses_nor_explodes() {
        let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
        let out = pretty(&deep);
        assert!(out.len() < 1_000_000, "{} bytes", out.len());
        assert_eq!(
            out.chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>(),
            deep
        );
    }
}
